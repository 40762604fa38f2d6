# Less travelled paths: argument errors and fallbacks ----

test_that("column selection errors", {
  df <- data.frame(g = c("a", "b"), w = c("1", "2"))
  expect_error(tabulate_groups(df, 1 + 1), class = "equityaudit_error_argument")
  expect_error(tabulate_groups(df, ""), "empty column name")
  expect_error(tabulate_groups(df, c(g, g)), "used twice")
  # a second column given as in the old interface, before `group` took them all
  expect_error(tabulate_groups(df, g, w), "more unnamed argument", class = "equityaudit_error_argument")
  expect_error(tabulate_groups(df, g, weight = w), "numeric counts")
  expect_equal(tabulate_groups(df, g, by = if (FALSE) "x")$n, c(1, 1))
  expect_error(tabulate_groups(df, g, weight = c(g, w)), "one column")
  expect_error(chisq_strata(df, c(g, w), g), class = "equityaudit_error_argument")
  expect_error(chisq_strata(df, g, g, sims = 0), class = "equityaudit_error_argument")
})

test_that("compare_access() reference errors", {
  ips <- data.frame(s = c("A", "A", "B"), g = c("x", "y", "x"))
  pop <- data.frame(
    s = c("A", "B", "B"), g = c("x", "x", "y"), n = c(10, 20, 30), p = c(0.5, 0.6, 2)
  )
  expect_error(compare_access(ips, g, pop, by = s, ref_count = "n", ref_prop = "p"),
               "not both")
  expect_error(compare_access(ips, g, pop, by = s, ref_prop = "p", method = "goodness_of_fit"),
               class = "equityaudit_error_count")
  expect_error(compare_access(ips, g, pop, by = s), "has no row")
  zero <- data.frame(g = c("x", "y"), n = c(10, 0))
  expect_error(compare_access(data.frame(g = c("x", "y")), g, zero, method = "goodness_of_fit"),
               class = "equityaudit_error_table")
})

test_that("compare_outcomes() argument errors and defaults", {
  d <- data.frame(
    g = c("a", "b", "a", "b"), y = c(1, 0, 0, 1),
    f = factor(c("no", "yes", "no", "yes")), ev = c(1, 1, 0, 0), tot = c(2, 2, 1, 1)
  )
  expect_error(compare_outcomes(d, g, y, p_adjust = "nope"), class = "equityaudit_error_argument")
  expect_error(compare_outcomes(d, g, events = ev), "both `events` and `total`")
  expect_equal(compare_outcomes(d, g, y, exact = "never")$events, c(1, 1))
  # a factor's level order does not choose the event
  expect_error(compare_outcomes(d, g, f, exact = "never"), "event = ",
    class = "equityaudit_error_argument"
  )
  expect_equal(compare_outcomes(d, g, f, exact = "never", event = "yes")$events, c(0, 2))
  expect_error(compare_outcomes(d, g, y, event = c(1, 0)), "single value")
  # a stratum where nobody had the event: the counts are aligned
  s <- data.frame(s = c("A", "A", "B", "B"), g = c("x", "y", "x", "y"),
                  ev = c(0, 0, 1, 2), tot = c(3, 4, 3, 4))
  res <- compare_outcomes(s, g, by = s, events = ev, total = tot, exact = "never")
  expect_equal(res$events, c(0, 0, 1, 2, 1, 2))
  expect_equal(res$n, c(3, 4, 3, 4, 6, 8))
})

test_that("tables too large to enumerate fall back to Monte-Carlo", {
  ev <- array(c(30L, 40L, 50L), c(3, 1, 1))
  tot <- array(c(100L, 120L, 110L), c(3, 1, 1))
  set.seed(1)
  res <- equityaudit:::exact_p_values(ev, tot, budget = -1)
  expect_equal(res$method, "monte_carlo")
  ref <- stats::fisher.test(rbind(c(30, 40, 50), c(70, 80, 60)))$p.value
  expect_lt(abs(res$p - ref), 0.03)
  exact <- equityaudit:::exact_p_values(ev, tot)
  expect_equal(exact$method, "exact")
  expect_equal(exact$p, ref, tolerance = 1e-8)
})

test_that("sparse counting gives the same tests", {
  set.seed(6)
  df <- data.frame(
    r = sample(sprintf("r%04d", 1:1100), 3000, TRUE),
    c = sample(sprintf("c%04d", 1:1000), 3000, TRUE),
    s = sample(c("A", "B"), 3000, TRUE)
  )
  got <- chisq_strata(df, r, c, by = s)
  sub <- df[df$s == "B", ]
  tab <- table(sub$r, sub$c)
  ref <- suppressWarnings(stats::chisq.test(tab[rowSums(tab) > 0, colSums(tab) > 0]))
  expect_equal(got$statistic[[2]], unname(ref$statistic), tolerance = 1e-10)
  expect_equal(sum(got$n), 3000)
})

test_that("helpers reject bad arguments", {
  expect_error(age_band(30, breaks = c(40, 20)), "increasing")
  d <- data.frame(joined = as.Date("2019-01-01"))
  expect_error(follow_up(d, joined, census = "not a date"), class = "equityaudit_error_argument")
  expect_error(follow_up(d, joined, census = "2019-12-31", min_months = 1.5),
               class = "equityaudit_error_argument")
  expect_error(describe_cohort(data.frame(a = "x", w = 2, age = 30), a, age = age, weight = w),
               "one row per person")
  expect_error(reproduce_bjpsych(data.frame(x = 1)), class = "equityaudit_error_column")
})

test_that("more argument checks and zero categories", {
  bad <- structure(c(1L, 7L), levels = "a", class = "factor")
  d <- data.frame(age = c(30, 40))
  d$s <- bad
  expect_error(describe_cohort(d, age = age, by = s, vars = character()), "malformed factor")
  expect_error(describe_cohort(data.frame(a = "x"), a, unknown = 3), "`unknown`")
  expect_error(tabulate_groups(data.frame(a = "x"), a, complete = NA), "`complete`")
  # a category with nobody in the service and nobody in the population
  ips <- data.frame(g = factor(c("x", "y"), levels = c("x", "y", "z")))
  pop <- data.frame(g = c("x", "y", "z"), n = c(10, 20, 0))
  g <- compare_access(ips, g, pop, method = "goodness_of_fit")
  expect_equal(g$df[[1]], 1)
  expect_true(is.na(g$adj_residual[[3]]))
  out <- utils::capture.output(print(describe_cohort(data.frame(a = c("x", "y")), a)))
  expect_match(out[[2]], "people")
})

# limits, interrupts and random numbers ----

test_that("a long exact test stops promptly when interrupted by a time limit", {
  ev <- as.integer(c(93, 72, 41, 20, 22, 13, 10, 7) * 10)
  tot <- as.integer(c(278, 191, 127, 59, 59, 40, 30, 20) * 10)
  run <- function() {
    setTimeLimit(elapsed = 1, transient = TRUE)
    on.exit(setTimeLimit(elapsed = Inf))
    .Call(equityaudit:::ea_exact_2xk, ev, tot, c(8L, 1L), 1e15)
  }
  t0 <- proc.time()[["elapsed"]]
  expect_error(run(), "time limit")
  expect_lt(proc.time()[["elapsed"]] - t0, 10)
})

test_that("Monte-Carlo p-values follow set.seed() and RNGkind()", {
  x <- matrix(c(3, 5, 2, 8, 1, 4, 6, 2, 7), 3)
  old <- RNGkind()
  on.exit(do.call(RNGkind, as.list(old)))
  set.seed(3)
  a <- chisq_strata(x, simulate = TRUE, sims = 500)$mc_p_value
  set.seed(3)
  b <- chisq_strata(x, simulate = TRUE, sims = 500)$mc_p_value
  RNGkind("Wichmann-Hill")
  set.seed(3)
  c <- chisq_strata(x, simulate = TRUE, sims = 500)$mc_p_value
  expect_identical(a, b)
  expect_false(identical(a, c))
})

test_that("counts beyond 2^31 give the chi-square of the scaled table", {
  small <- data.frame(g = c("a", "a", "b", "b"), e = c(TRUE, FALSE, TRUE, FALSE),
                      n = c(30, 70, 45, 55))
  big <- small
  big$n <- big$n * 2^33
  s <- chisq_strata(small, g, e, weight = n)
  b <- chisq_strata(big, g, e, weight = n)
  expect_equal(b$n, 200 * 2^33)
  # X2 grows in proportion to the counts
  expect_equal(b$statistic, s$statistic * 2^33, tolerance = 1e-10)
  res <- compare_outcomes(big, g, e, weight = n, exact = "always")
  expect_equal(res$events, c(30, 45) * 2^33)
  expect_true(all(is.na(res$exact_p_value)))
})

# section: the compiled core's limits ----

test_that("exact tests free each stratum's memory before the next", {
  # 2 x 2 tables of 10^5 people: each exact test uses about 1 MB of scratch
  strata <- function(k) {
    data.frame(
      s = rep(seq_len(k), each = 4), g = rep(c("a", "a", "b", "b"), k),
      y = rep(c(FALSE, TRUE), 2 * k), n = rep(c(49990, 10, 49985, 15), k)
    )
  }
  peak <- function(d) {
    gc(reset = TRUE)
    suppressMessages(compare_outcomes(d, g, y, by = s, weight = n, exact = "always", pooled = FALSE))
    sum(gc()[, 6])
  }
  # once the garbage collector's threshold is reached the peak stays put:
  # 500 more strata cost far less than their 400 MB of scratch
  expect_lt(peak(strata(600)) - peak(strata(100)), 150)
})

test_that("exact p-values of very large tables keep their precision", {
  # 2 x 2 tables of millions of people, against fisher.test() (dhyper());
  # log factorials summed one term at a time were off by up to 4e-6
  set.seed(11)
  err <- vapply(seq_len(12), function(k) {
    n1 <- round(runif(1, 5e5, 3.5e6))
    n2 <- round(runif(1, 1e5, 4.5e6 - n1))
    p <- runif(1, 1e-4, 0.5)
    e <- c(rbinom(1, n1, p), rbinom(1, n2, p))
    x <- matrix(c(n1 - e[[1]], e[[1]], n2 - e[[2]], e[[2]]), 2, byrow = TRUE)
    d <- data.frame(g = c("a", "a", "b", "b"), y = c(FALSE, TRUE, FALSE, TRUE), n = as.vector(t(x)))
    res <- suppressMessages(compare_outcomes(d, g, y, weight = n, exact = "always"))
    summary(res)$exact_p_value / stats::fisher.test(x)$p.value - 1
  }, 0)
  # (doubles hold log factorials near 6e7 to about 1e-8: the floor of any
  # method that sums them)
  expect_lt(stats::median(abs(err)), 1e-7)
  expect_lt(max(abs(err)), 1e-6)
})

test_that("a CMH test too large for memory is a classed error, not a crash", {
  # the matrix the compiled test builds: (I - 1)(J - 1) squared, or with two
  # outcome columns and fewer strata than groups, one row and column per
  # stratum with both outcomes (the Woodbury path)
  dense <- array(1, c(5, 3, 10))
  expect_equal(equityaudit:::cmh_matrix_cells(dense), (4 * 2)^2)
  woodbury <- array(1, c(40, 2, 6))
  woodbury[, 2, 6] <- 0
  expect_equal(equityaudit:::cmh_matrix_cells(woodbury), 5^2)
  expect_error(equityaudit:::check_cmh_size(c(6000, 2, 10000), 5999^2), "needs a matrix of 35,988,001",
    class = "equityaudit_error_table"
  )
  expect_null(equityaudit:::check_cmh_size(c(6000, 2, 10), 100))
  # the limit is 2^25 numbers (256 MB), that of src/cmh.c
  expect_equal(equityaudit:::cmh_max_cells, 2^25)
})

test_that("a CMH test with nothing to test says why", {
  d <- data.frame(s = c("A", "A", "B", "B"), g = c("x", "x", "x", "x"), y = c(TRUE, FALSE, TRUE, FALSE))
  res <- cmh_test(d, g, y, across = s)
  expect_true(is.na(res$statistic))
  expect_output(print(res), "No test: a test needs two groups")
})

test_that("equity_report() refuses a file it cannot write before rendering anything", {
  expect_error(
    equity_report(ips_synthetic, ethnicity, employed, by = service, path = "x.pdf"),
    "\\.html.*\\.docx", class = "equityaudit_error_argument"
  )
})
