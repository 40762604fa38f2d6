# agreement with chisq.test() ----

test_that("chisq_strata() equals chisq.test() on 1000 random tables", {
  set.seed(42)
  for (i in seq_len(reps(1000))) {
    x <- random_table(sample(2:8, 1), sample(2:8, 1))
    correct <- i %% 2 == 0
    ref <- suppressWarnings(stats::chisq.test(x, correct = correct))
    got <- chisq_strata(x, correct = correct)
    cells <- attr(got, "cells")
    expect_rel(got$statistic, ref$statistic)
    expect_rel(got$df, ref$parameter)
    expect_rel(got$p_value, ref$p.value)
    expect_rel(cells$expected, as.vector(ref$expected))
    expect_rel(cells$residual, as.vector(ref$residuals))
    expect_rel(cells$std_residual, as.vector(ref$stdres))
    expect_rel(got$min_expected, min(ref$expected))
    expect_equal(got$n_expected_below_5, sum(ref$expected < 5))
  }
})

test_that("the G statistic is the likelihood ratio statistic", {
  set.seed(7)
  for (i in seq_len(reps(100))) {
    x <- random_table(sample(2:5, 1), sample(2:5, 1))
    e <- outer(rowSums(x), colSums(x)) / sum(x)
    g <- 2 * sum(ifelse(x > 0, x * log(x / e), 0))
    got <- chisq_strata(x)
    expect_rel(got$g_statistic, g)
    expect_rel(got$g_p_value, stats::pchisq(g, got$df, lower.tail = FALSE))
  }
})

test_that("a stack of strata equals one chisq.test() per stratum", {
  set.seed(11)
  arr <- array(stats::rpois(3 * 4 * 50, 20), c(3, 4, 50))
  got <- chisq_strata(arr)
  expect_equal(nrow(got), 50)
  for (s in c(1, 17, 50)) {
    ref <- stats::chisq.test(arr[, , s])
    expect_rel(got$statistic[[s]], ref$statistic)
    expect_rel(got$p_value[[s]], ref$p.value)
  }
})

test_that("data frame input gives the same as the table", {
  set.seed(5)
  df <- data.frame(
    s = sample(c("A", "B", "C"), 600, TRUE),
    g = sample(c("W", "B", "A", "M"), 600, TRUE),
    e = sample(c(TRUE, FALSE), 600, TRUE)
  )
  df$g[c(3, 9)] <- NA
  got <- chisq_strata(df, g, e, by = s)
  expect_equal(got$s, c("A", "B", "C"))
  expect_equal(sum(got$n) + sum(got$n_missing), 600)
  for (s in c("A", "B", "C")) {
    sub <- df[df$s == s, ]
    ref <- stats::chisq.test(table(sub$g, sub$e), correct = FALSE)
    expect_rel(got$statistic[got$s == s], ref$statistic)
  }
  counted <- tabulate_groups(df, g, e, by = s)
  expect_equal(chisq_strata(counted, g, e, by = s), got, ignore_attr = TRUE)
})

test_that("empty rows and columns are dropped from the test, not NaN", {
  x <- matrix(c(10, 0, 5, 8, 0, 7, 3, 0, 9), 3)
  got <- chisq_strata(x)
  ref <- stats::chisq.test(x[-2, ], correct = FALSE)
  expect_rel(got$statistic, ref$statistic)
  expect_equal(got$df, 2)
  expect_equal(got$rows_used, 2L)
  expect_true(all(is.na(attr(got, "cells")$residual[c(2, 5, 8)])))
})

# goodness of fit ----

test_that("the goodness-of-fit core equals chisq.test(x, p = )", {
  set.seed(9)
  for (i in seq_len(reps(300))) {
    k <- sample(2:8, 1)
    p <- stats::runif(k) + 0.05
    p <- p / sum(p)
    x <- stats::rpois(k, stats::runif(1, 1, 40))
    if (sum(x) == 0) next
    ref <- suppressWarnings(stats::chisq.test(x, p = p))
    got <- .Call(equityaudit:::ea_chisq_gof, as.double(x), p, c(k, 1L))
    expect_rel(got$summary$statistic, ref$statistic)
    expect_rel(got$summary$p_value, ref$p.value)
    expect_rel(got$expected, ref$expected)
    expect_rel(got$stdres, ref$stdres)
  }
})

# bad input ----

test_that("bad input to chisq_strata() gives classed errors", {
  expect_error(chisq_strata(matrix(c(1, -1, 2, 3), 2)), class = "equityaudit_error_count")
  expect_error(chisq_strata(matrix(c(1, 0, 2, 0), 2)), class = "equityaudit_error_table")
  expect_error(chisq_strata("a"), class = "equityaudit_error_argument")
  df <- data.frame(g = c("a", "b"), e = c(TRUE, FALSE))
  expect_error(chisq_strata(df, g, nope), class = "equityaudit_error_column")
  expect_error(chisq_strata(df, g, nope), "nope")
  one_row <- data.frame(s = c("A", "A", "B", "B"), g = c("x", "x", "x", "y"),
                        e = c(TRUE, FALSE, TRUE, FALSE))
  expect_error(chisq_strata(one_row, g, e, by = s), 's = "A"')
  df$w <- c(2, -3)
  expect_error(chisq_strata(df, g, e, weight = w), class = "equityaudit_error_count")
  expect_error(chisq_strata(df, g, e, weight = w), "`w`")
})

test_that("Monte-Carlo p-values drawn in chunks equal one call", {
  x <- matrix(c(12L, 5L, 7L, 9L, 3L, 11L), 2)
  set.seed(42)
  one <- equityaudit:::monte_carlo_p(x, 2000, 1, function(k) NULL)
  ticks <- 0
  set.seed(42)
  many <- equityaudit:::monte_carlo_p(x, 2000, 7, function(k) ticks <<- k)
  expect_equal(many, one)
  expect_equal(ticks, 7)
  expect_false(equityaudit:::show_progress(1e12) && !interactive())
})
