# agreement with table() ----

for (type in c("character", "factor", "integer", "logical")) {
  test_that(paste("tabulate_groups() equals table() on", type, "columns"), {
    set.seed(match(type, c("character", "factor", "integer", "logical")))
    for (rep in seq_len(reps(20))) {
      n <- sample(c(0:3, 50, 500), 1)
      df <- data.frame(
        a = random_column(n, type, k = sample(1:5, 1)),
        b = random_column(n, "character", k = sample(1:3, 1)),
        c = random_column(n, "factor", k = 2)
      )
      got <- tabulate_groups(df, c(a, b), by = c)
      ref <- table_frame(df, c("c", "a", "b"))
      expect_equal(sum(got$n), n)
      expect_equal(nrow(got), nrow(ref))
      key_got <- paste(got$c, got$a, got$b, got$n)
      key_ref <- paste(ref$c, ref$a, ref$b, ref$n)
      expect_setequal(key_got, key_ref)
    }
  })
}

test_that("factor levels keep the user's order and class", {
  f <- factor(c("b", "a", "c", "a"), levels = c("c", "b", "a"))
  got <- tabulate_groups(data.frame(f = f), f)
  expect_equal(levels(got$f), c("c", "b", "a"))
  expect_equal(as.character(got$f), c("c", "b", "a"))
  expect_equal(got$n, c(1, 1, 2))
  o <- factor(c("low", "high"), levels = c("low", "high"), ordered = TRUE)
  expect_s3_class(tabulate_groups(data.frame(o = o), o)$o, "ordered")
})

test_that("NA is its own group and unused levels appear only when complete", {
  df <- data.frame(g = factor(c("x", NA, NA), levels = c("x", "y")))
  got <- tabulate_groups(df, g)
  expect_equal(as.character(got$g), c("x", NA))
  expect_equal(got$n, c(1, 2))
  full <- tabulate_groups(df, g, complete = TRUE)
  expect_equal(as.character(full$g), c("x", "y", NA))
  expect_equal(full$n, c(1, 0, 2))
  no_na <- tabulate_groups(data.frame(g = factor("x", levels = c("x", "y"))),
    g,
    complete = TRUE
  )
  expect_equal(nrow(no_na), 2)
})

test_that("zero-length and single-level input", {
  empty <- tabulate_groups(data.frame(g = character()), g)
  expect_equal(nrow(empty), 0)
  expect_named(empty, c("g", "n"))
  one <- tabulate_groups(data.frame(g = rep("a", 7)), g)
  expect_equal(one$n, 7)
  expect_equal(tabulate_groups(data.frame(g = 1:3))$n, 3)
})

test_that("weights are summed and checked", {
  df <- data.frame(g = c("a", "b", "a"), w = c(2, 3.0, 5))
  got <- tabulate_groups(df, g, weight = w)
  expect_equal(got$n, c(7, 3))
  expect_error(
    tabulate_groups(data.frame(g = "a", w = -1), g, weight = w),
    class = "equityaudit_error_count"
  )
  expect_error(
    tabulate_groups(data.frame(g = "a", w = 1.5), g, weight = "w"),
    "whole, non-negative"
  )
  expect_error(
    tabulate_groups(data.frame(g = "a", w = NA_real_), g, weight = w),
    class = "equityaudit_error_count"
  )
  big <- tabulate_groups(data.frame(g = c("a", "a"), w = c(2^40, 2^41)), g,
    weight = w
  )
  expect_equal(big$n, 2^40 + 2^41)
})

test_that("strings in latin1 and UTF-8 with the same text are one group", {
  utf8 <- "Caf\u00e9"
  latin <- iconv(utf8, "UTF-8", "latin1")
  Encoding(latin) <- "latin1"
  got <- tabulate_groups(data.frame(g = c(utf8, latin, "Tea")), g)
  expect_equal(got$n, c(2, 1))
  expect_equal(got$g[[1]], utf8)
})

test_that("many levels use the sparse path and still add up", {
  set.seed(3)
  df <- data.frame(a = sample(5000, 3000, TRUE), b = sample(5000, 3000, TRUE))
  got <- tabulate_groups(df, c(a, b))
  expect_equal(sum(got$n), 3000)
  ref <- table_frame(df, c("a", "b"))
  expect_setequal(paste(got$a, got$b, got$n), paste(ref$a, ref$b, ref$n))
})

test_that("bare names, strings and variables select the same columns", {
  df <- data.frame(s = c("A", "B", "B"), g = c("x", "y", "y"))
  cols <- "g"
  expect_identical(tabulate_groups(df, g, by = s), tabulate_groups(df, "g", by = "s"))
  expect_identical(tabulate_groups(df, cols, by = c(s)), tabulate_groups(df, g, by = s))
})

# bad input ----

test_that("bad input gives classed errors naming the column", {
  df <- data.frame(g = c("a", "b"))
  expect_error(tabulate_groups(df, nope), class = "equityaudit_error_column")
  expect_error(tabulate_groups(df, nope), "nope")
  expect_error(tabulate_groups(list(g = 1), g), class = "equityaudit_error_argument")
  df$l <- list(1, 2)
  expect_error(tabulate_groups(df, l), "list column")
  expect_error(
    tabulate_groups(data.frame(d = Sys.Date()), d),
    class = "equityaudit_error_column"
  )
  expect_error(
    tabulate_groups(data.frame(x = 1.5), x),
    class = "equityaudit_error_column"
  )
  bad <- structure(c(1L, 5L), levels = "a", class = "factor")
  with_bad <- data.frame(g = 1:2)
  with_bad$f <- bad
  expect_error(tabulate_groups(with_bad, f), "malformed factor")
  dup <- data.frame(a = 1:2, a = 3:4, check.names = FALSE)
  expect_error(tabulate_groups(dup, a), class = "equityaudit_error_column")
})

# threads ----

with_threads <- function(n, code) {
  old <- options(equityaudit.threads = n)
  on.exit(options(old))
  code
}

test_that("counts and statistics are the same with one thread or two", {
  set.seed(11)
  n <- 60000
  d <- data.frame(
    s = factor(sample(sprintf("S%d", 1:7), n, TRUE)),
    g = sample(c("a", "b", " ", "c", NA), n, TRUE),
    e = sample(c(TRUE, FALSE, NA), n, TRUE),
    w = sample.int(5, n, TRUE)
  )
  one <- with_threads(1, tabulate_groups(d, c(s, g, e), weight = w))
  two <- with_threads(2, tabulate_groups(d, c(s, g, e), weight = w))
  expect_identical(one, two)
  expect_equal(sum(two$n), sum(d$w))
  expect_equal(sum(two$n[two$e %in% TRUE]), sum(d$w[d$e %in% TRUE]))
  # character columns are scanned for their values side by side; one with
  # more values than the threads' fixed tables hold is scanned again alone
  wide <- data.frame(
    a = sprintf("v%05d", sample.int(6000, n, TRUE)),
    b = sample(c("x", " ", "y", NA), n, TRUE)
  )
  one <- with_threads(1, tabulate_groups(wide, c(a, b)))
  two <- with_threads(2, tabulate_groups(wide, c(a, b)))
  expect_identical(one, two)
  ref <- as.data.frame(table(a = wide$a, b = wide$b, useNA = "ifany"), stringsAsFactors = FALSE)
  ref$b[ref$b %in% " "] <- NA
  ref <- stats::aggregate(Freq ~ a + b, ref, sum, na.action = na.pass)
  ref <- ref[ref$Freq > 0, ]
  got <- as.data.frame(unclass(two), stringsAsFactors = FALSE)
  key <- function(a, b) paste(a, ifelse(is.na(b), "<NA>", b))
  expect_equal(got$n[match(key(ref$a, ref$b), key(got$a, got$b))], ref$Freq)
  expect_equal(sum(got$n), n)
  arr <- array(rpois(3 * 4 * 3000, 6), c(3, 4, 3000))
  expect_identical(with_threads(1, chisq_strata(arr)), with_threads(2, chisq_strata(arr)))
  # the first malformed code is the one reported, whichever thread meets it
  codes <- rep(1L, n)
  codes[c(45000, 52000, 21000)] <- c(9L, 8L, 7L)
  f <- structure(codes, levels = "a", class = "factor")
  bad <- data.frame(f = 1:n)
  bad$f <- f
  expect_error(with_threads(2, tabulate_groups(bad, f)), "row 21000 has code 7")
})

test_that("the thread option is checked", {
  d <- data.frame(g = c("a", "b"))
  expect_error(with_threads(0, tabulate_groups(d, g)), class = "equityaudit_error_argument")
  expect_error(with_threads("two", tabulate_groups(d, g)), "equityaudit.threads")
  expect_equal(with_threads(8, tabulate_groups(d, g))$n, c(1, 1))
  # far more threads than the machine has: as many as it has
  big <- data.frame(g = sample(letters, 2e5, TRUE), h = sample(1:3, 2e5, TRUE))
  want <- tabulate_groups(big, c(g, h))$n
  expect_equal(with_threads(1e5, tabulate_groups(big, c(g, h)))$n, want)
  expect_equal(with_threads(1e9, tabulate_groups(big, c(g, h)))$n, want)
  tabs <- array(rpois(4 * 2000, 9) + 1, c(2, 2, 2000))
  expect_equal(
    with_threads(1e9, chisq_strata(tabs))$statistic,
    with_threads(1, chisq_strata(tabs))$statistic
  )
})

test_that("complete = TRUE refuses more combinations than a table can hold", {
  d <- data.frame(
    a = sprintf("a%04d", 1:3000), b = sprintf("b%04d", 1:3000), c = rep(c("x", "y", "z"), 1000)
  )
  expect_error(tabulate_groups(d, c(a, b, c), complete = TRUE), "27,000,000",
    class = "equityaudit_error_table"
  )
  expect_equal(nrow(tabulate_groups(d[1:30, ], c(a, b), complete = TRUE)), 900)
})
