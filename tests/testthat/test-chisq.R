# agreement with chisq.test() ----

test_that("chisq_strata() equals chisq.test() on 1000 random tables", {
  set.seed(42)
  got <- want <- list()
  for (i in seq_len(reps(1000))) {
    x <- random_table(sample(2:8, 1), sample(2:8, 1))
    correct <- i %% 2 == 0
    ref <- suppressWarnings(stats::chisq.test(x, correct = correct))
    res <- chisq_strata(x, correct = correct)
    cells <- tidy(res, "cells")
    got[[i]] <- c(
      res$statistic, res$df, res$p_value, cells$expected, cells$residual,
      cells$std_residual, res$min_expected, res$n_expected_below_5
    )
    want[[i]] <- c(
      ref$statistic, ref$parameter, ref$p.value, ref$expected, ref$residuals,
      ref$stdres, min(ref$expected), sum(ref$expected < 5)
    )
  }
  expect_equal(lengths(got), lengths(want))
  expect_rel(unlist(got), unlist(want))
})

test_that("the G statistic is the likelihood ratio statistic", {
  set.seed(7)
  got <- want <- matrix(NA_real_, reps(100), 2)
  for (i in seq_len(reps(100))) {
    x <- random_table(sample(2:5, 1), sample(2:5, 1))
    e <- outer(rowSums(x), colSums(x)) / sum(x)
    g <- 2 * sum(ifelse(x > 0, x * log(x / e), 0))
    res <- chisq_strata(x)
    got[i, ] <- c(res$g_statistic, res$g_p_value)
    want[i, ] <- c(g, stats::pchisq(g, (nrow(x) - 1) * (ncol(x) - 1), lower.tail = FALSE))
  }
  expect_rel(got, want)
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
  counted <- tabulate_groups(df, c(g, e), by = s)
  expect_equal(chisq_strata(counted, g, e, by = s, weight = n), got, ignore_attr = TRUE)
  # a table of counts is never counted row by row without being told
  expect_error(chisq_strata(counted, g, e, by = s), "weight = n", class = "equityaudit_error_argument")
})

test_that("empty rows and columns are dropped from the test, not NaN", {
  x <- matrix(c(10, 0, 5, 8, 0, 7, 3, 0, 9), 3)
  got <- chisq_strata(x)
  ref <- stats::chisq.test(x[-2, ], correct = FALSE)
  expect_rel(got$statistic, ref$statistic)
  expect_equal(got$df, 2)
  expect_equal(got$rows_used, 2L)
  expect_true(all(is.na(tidy(got, "cells")$residual[c(2, 5, 8)])))
})

# goodness of fit ----

test_that("the goodness-of-fit core equals chisq.test(x, p = )", {
  set.seed(9)
  got <- want <- list()
  for (i in seq_len(reps(300))) {
    k <- sample(2:8, 1)
    p <- stats::runif(k) + 0.05
    p <- p / sum(p)
    x <- stats::rpois(k, stats::runif(1, 1, 40))
    if (sum(x) == 0) next
    ref <- suppressWarnings(stats::chisq.test(x, p = p))
    res <- .Call(equityaudit:::ea_chisq_gof, as.double(x), p, c(k, 1L))
    got[[i]] <- c(res$summary$statistic, res$summary$p_value, res$expected, res$stdres)
    want[[i]] <- c(ref$statistic, ref$p.value, ref$expected, ref$stdres)
  }
  expect_gt(length(unlist(got)), 1000)
  expect_rel(unlist(got), unlist(want))
})

# bad input ----

test_that("bad input to chisq_strata() gives classed errors", {
  expect_error(chisq_strata(matrix(c(1, -1, 2, 3), 2)), class = "equityaudit_error_count")
  expect_error(chisq_strata("a"), class = "equityaudit_error_argument")
  df <- data.frame(g = c("a", "b"), e = c(TRUE, FALSE))
  expect_error(chisq_strata(df, g, nope), class = "equityaudit_error_column")
  expect_error(chisq_strata(df, g, nope), "nope")
  df$w <- c(2, -3)
  expect_error(chisq_strata(df, g, e, weight = w), class = "equityaudit_error_count")
  expect_error(chisq_strata(df, g, e, weight = w), "`w`")
})

test_that("a stratum that cannot be tested has no test, as in compare_outcomes()", {
  one_row <- data.frame(
    s = c("A", "A", "B", "B", "C"), g = c("x", "x", "x", "y", "z"),
    e = c(TRUE, FALSE, TRUE, FALSE, TRUE)
  )
  expect_message(res <- chisq_strata(one_row, g, e, by = s), "2 strata", class = "equityaudit_note")
  expect_equal(res$n, c(2, 2, 1))
  expect_true(all(is.na(res$statistic[c(1, 3)])) && all(is.na(res$p_value[c(1, 3)])))
  expect_equal(res$statistic[[2]], 2)
  expect_equal(res$p_value[[2]], stats::pchisq(2, 1, lower.tail = FALSE))
  out <- compare_outcomes(one_row, g, e, by = s, exact = "never", pooled = FALSE)
  expect_equal(is.na(summary(out)$statistic), is.na(res$statistic))
  expect_message(m <- chisq_strata(matrix(c(1, 0, 2, 0), 2)), "fewer than two rows or columns")
  expect_true(is.na(m$statistic))
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
})

test_that("a progress bar is shown only for long work in interactive sessions", {
  shown <- function(interactive, work, option = NULL) {
    old <- options(equityaudit.progress = option)
    on.exit(options(old))
    equityaudit:::show_progress(work, interactive = interactive)
  }
  expect_true(shown(TRUE, 1e9))
  expect_false(shown(TRUE, 1e6))
  expect_false(shown(FALSE, 1e9))
  expect_false(shown(TRUE, 1e9, option = FALSE))
})
