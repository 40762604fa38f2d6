# What a reader sees as one label is one group: spaces of every kind,
# invisible characters and Unicode forms, in data, references and the
# `unknown` labels; a column of blanks has no groups; group order is the
# same whatever the locale.

# section: one spelling of a label ----

test_that("no-break and zero-width spaces and Unicode forms make no second group", {
  people <- data.frame(
    g = c("White", "White\u00a0", " White", "Wh\u200bite", "Caf\u00e9", "Cafe\u0301", "Black"),
    y = c(TRUE, FALSE, TRUE, FALSE, TRUE, TRUE, FALSE)
  )
  expect_message(
    res <- compare_outcomes(people, g, y, exact = "never"),
    "counted .*White.* as \"White\"",
    class = "equityaudit_note"
  )
  expect_equal(as.character(res$g), c("Black", "Caf\u00e9", "White"))
  expect_equal(res$n, c(1, 2, 4))
  expect_equal(res$events, c(0, 2, 2))
  # the same as a factor, whose levels are cleaned and keep their order
  people$g <- factor(people$g, levels = unique(people$g))
  res <- suppressMessages(tabulate_groups(people, g))
  expect_equal(levels(res$g), c("White", "Caf\u00e9", "Black"))
  expect_equal(res$n, c(4, 2, 1))
})

test_that("a label of only invisible or no-break spaces is blank: not known", {
  people <- data.frame(g = c("A", "\u00a0", "\u200b", "\u3000 ", "A", "B"))
  res <- describe_cohort(people, g)
  expect_equal(res$n[res$missing], 3)
  expect_equal(res$level[!res$missing & res$variable == "g"], c("A", "B"))
})

test_that("references and unknown labels are read the same way as the data", {
  people <- data.frame(g = c("White", "White", "Black", "Not stated"))
  pop <- data.frame(g = c("White\u00a0", "Black", "Not\u00a0stated"), n = c(50, 30, 20))
  res <- compare_access(people, g, pop, unknown = "Not stated\u200b")
  expect_equal(res$n, c(1, 2, 1))
  expect_equal(res$ref_n, c(30, 50, 20))
  expect_equal(res$missing, c(FALSE, FALSE, TRUE))
})

test_that("a column of nothing but blanks, as read.csv() reads it, has no groups", {
  csv <- tempfile(fileext = ".csv")
  writeLines(c("site,ethnicity", "A,", "A,", "B,"), csv)
  people <- utils::read.csv(csv)
  expect_type(people$ethnicity, "logical")
  res <- describe_cohort(people, ethnicity, by = site)
  eth <- res[res$variable == "ethnicity", ]
  expect_true(all(eth$missing))
  expect_false(any(c("FALSE", "TRUE") %in% eth$level))
  expect_equal(eth$n, c(2, 1, 3))
})

# section: order ----

test_that("groups are in C-locale order whatever the locale's collation", {
  skip_if_not("en_gb.utf8" %in% tolower(system("locale -a", intern = TRUE)),
    "no en_GB.UTF-8 locale (`make deps` makes one)"
  )
  old <- Sys.getlocale("LC_COLLATE")
  on.exit(Sys.setlocale("LC_COLLATE", old), add = TRUE)
  Sys.setlocale("LC_COLLATE", "en_GB.UTF-8")
  # in this locale sort() puts "a" before "B"
  expect_equal(sort(c("b", "B", "a")), c("a", "b", "B"))
  set.seed(3)
  labels <- c("b", "B", "a", "A", "\u00e9", "E", "e", "Z", "_x", "10", "9")
  people <- data.frame(g = sample(labels, 200, TRUE))
  res <- tabulate_groups(people, g)
  expect_equal(res$g, sort(unique(people$g), method = "radix"))
})
