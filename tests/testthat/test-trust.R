# No silent wrong answers: each of these once gave a wrong number quietly.

test_that("the event is never taken from factor level order", {
  d <- data.frame(
    g = rep(c("a", "b"), each = 6),
    y = factor(rep(c("yes", "no", "no"), 4), levels = c("yes", "no"))
  )
  expect_error(compare_outcomes(d, g, y), "event", class = "equityaudit_error_argument")
  expect_error(compare_groups(d, g, y), "event", class = "equityaudit_error_argument")
  res <- compare_outcomes(d, g, y, event = "yes", exact = "never")
  expect_equal(res$events[1:2], c(2, 2))
  expect_equal(attr(res, "event"), "y = \"yes\"")
  expect_output(print(res), "Outcome y = \"yes\" by g")
  # logical and 0/1 outcomes need no event
  d$l <- d$y == "yes"
  d$b <- as.numeric(d$l)
  expect_equal(compare_outcomes(d, g, l, exact = "never")$events[1:2], c(2, 2))
  expect_equal(compare_outcomes(d, g, b, exact = "never")$events[1:2], c(2, 2))
  expect_equal(attr(compare_outcomes(d, g, l, exact = "never"), "event"), "l = TRUE")
})

test_that("blank strings are missing, not a group or outcome of their own", {
  d <- data.frame(
    g = c("a", "a", "", "b", "b", " "),
    y = c("Employed", "", "Employed", "Not employed", "Employed", "Not employed")
  )
  res <- compare_outcomes(d, g, y, event = "Employed", exact = "never")
  expect_false("" %in% res$g)
  expect_equal(res$n, c(1, 2, 2))
  expect_equal(res$n_outcome_missing, c(1, 0, 0))
  expect_true(res$missing[[3]])
  f <- data.frame(g = factor(c("a", "", "b")))
  expect_equal(tabulate_groups(f, g)$n, c(1, 1, 1))
  expect_true(anyNA(tabulate_groups(f, g)$g))
})

test_that("any whitespace-only string is missing, in character and factor columns alike", {
  v <- c("a", "", " ", "\t", "\r\n", " \t ", "b", NA, "a", " a")
  chr <- suppressMessages(tabulate_groups(data.frame(g = v), g))
  fac <- suppressMessages(tabulate_groups(data.frame(g = factor(v)), g))
  # " a" is "a" with a space before it: one label (test-labels.R)
  expect_equal(as.character(chr$g), c("a", "b", NA))
  expect_equal(chr$n, c(3, 1, 6))
  expect_equal(as.character(fac$g), as.character(chr$g))
  expect_equal(fac$n, chr$n)
  # a column of blanks only has no values at all
  expect_equal(tabulate_groups(data.frame(g = c("", " ")), g)$n, 2)
})

test_that("a grouped data frame is refused, naming its groups", {
  skip_if_not_installed("dplyr")
  d <- data.frame(
    site = c("A", "A", "B", "B"), g = c("x", "y", "x", "y"), e = c(TRUE, FALSE, TRUE, TRUE)
  )
  gd <- dplyr::group_by(d, site)
  expect_error(compare_outcomes(gd, g, e), "grouped by \"site\".*by = c\\(site\\)",
    class = "equityaudit_error_argument"
  )
  expect_error(tabulate_groups(gd, g), "grouped", class = "equityaudit_error_argument")
  expect_error(describe_cohort(gd, g), "grouped", class = "equityaudit_error_argument")
  expect_no_error(compare_outcomes(dplyr::ungroup(gd), g, e, by = site, exact = "never"))
  skip_if_not_installed("dbplyr")
  skip_if_not_installed("RSQLite")
  con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  on.exit(DBI::dbDisconnect(con))
  DBI::dbWriteTable(con, "d", d)
  lazy <- dplyr::group_by(dplyr::tbl(con, "d"), site)
  expect_error(compare_outcomes(lazy, g, e), "grouped by \"site\"",
    class = "equityaudit_error_argument"
  )
})

test_that("duplicated reference rows are an error, not summed", {
  ips <- data.frame(eth = c("White", "Asian", "Black"), n = c(134, 77, 64))
  pop <- data.frame(eth = c("White", "Asian", "Black"), n = c(2774, 1158, 810))
  expect_no_error(compare_access(ips, eth, pop, weight = n))
  expect_error(compare_access(ips, eth, rbind(pop, pop[2, ]), weight = n),
    "more than one row for \"Asian\"",
    class = "equityaudit_error_labels"
  )
  s <- data.frame(site = c("A", "B"), eth = "White", n = 5)
  spop <- data.frame(site = c("A", "B", "B"), eth = "White", n = c(50, 60, 60))
  expect_error(compare_access(s, eth, spop, by = site, weight = n), "\"B, White\"",
    class = "equityaudit_error_labels"
  )
})

test_that("follow_up() takes Dates and ISO strings only", {
  p <- data.frame(j = as.Date(c("2019-01-15", "2019-06-30", "2019-07-01")))
  expect_equal(nrow(suppressMessages(follow_up(p, j, census = "2019-12-31"))), 2)
  expect_equal(nrow(suppressMessages(follow_up(p, j, census = as.Date("2019-12-31")))), 2)
  for (bad in list("31/12/2019", "2019-02-30", "12/31/2019", 20191231, "2019-12-31 10:00", NA)) {
    expect_error(follow_up(p, j, census = bad), "YYYY-MM-DD", class = "equityaudit_error_argument")
  }
})

test_that("reference proportions must add up to 1", {
  ips <- data.frame(eth = c("White", "Asian", "Black"), n = c(134, 77, 64))
  pp <- data.frame(eth = c("White", "Asian", "Black"), p = c(0.5, 0.3, 0.15))
  expect_error(
    compare_access(ips, eth, pp, weight = n, ref_prop = "p", method = "goodness_of_fit"),
    "add up to 0.95", class = "equityaudit_error_count"
  )
  pp$p <- c(0.55, 0.3, 0.15)
  res <- compare_access(ips, eth, pp, weight = n, ref_prop = "p", method = "goodness_of_fit")
  want <- suppressWarnings(stats::chisq.test(ips$n, p = pp$p))
  expect_rel(res$statistic[[1]], unname(want$statistic))
})

test_that("an excluded unknown group needs no reference row", {
  ips <- data.frame(eth = c("White", "Asian", "Black", "Not stated"), n = c(134, 77, 64, 10))
  pop <- data.frame(eth = c("White", "Asian", "Black"), n = c(2774, 1158, 810))
  expect_message(
    ex <- compare_access(ips, eth, pop, weight = n, unknown = "Not stated", missing = "exclude"),
    "Excluded 10"
  )
  known <- compare_access(ips[1:3, ], eth, pop, weight = n)
  expect_equal(summary(ex)$statistic, summary(known)$statistic)
  rep <- compare_access(ips, eth, pop, weight = n, unknown = "Not stated")
  expect_equal(rep$ref_n[rep$missing], 0)
  expect_equal(summary(rep)$ref_n, sum(pop$n))
  expect_true(is.na(rep$representation_ratio[rep$missing]))
  expect_error(
    compare_access(ips, eth, pop, weight = n, unknown = "Not stated", missing = "include"),
    class = "equityaudit_error_labels"
  )
})

test_that("errors name the argument at fault", {
  d <- data.frame(g = c("a", "b"), y = c(TRUE, FALSE), s = c("x", "x"))
  expect_error(compare_outcomes(d, g, yy), "`outcome` names \"yy\"",
    class = "equityaudit_error_column")
  expect_error(compare_outcomes(d, g, y, by = site), "`by` names \"site\"",
    class = "equityaudit_error_column")
  expect_error(compare_outcomes(d, g, y, strata = st), "`strata` names",
    class = "equityaudit_error_column")
  expect_error(describe_cohort(d, g, by = site), "`by` names", class = "equityaudit_error_column")
  expect_error(tabulate_groups(d, g, by = site), "`by` names", class = "equityaudit_error_column")
  pop <- data.frame(g = c("a", "b"), n = c(10, 10))
  expect_error(compare_access(d, g, pop, by = site), "`by` names",
    class = "equityaudit_error_column")
  expect_error(cmh_test(d, g, y), "`across` is missing", class = "equityaudit_error_argument")
})

test_that("column names with spaces work in summaries", {
  d <- data.frame(
    `ethnic group` = rep(c("a", "b"), 10), `got work` = rep(c(TRUE, FALSE, FALSE, TRUE, TRUE), 4),
    `the site` = rep(c("x", "y"), each = 10), check.names = FALSE
  )
  res <- compare_outcomes(d, "ethnic group", "got work", by = "the site", exact = "never")
  s <- summary(res)
  expect_equal(s$`the site`, c("x", "y", "Total"))
  expect_equal(s$n, c(10, 10, 20))
})
