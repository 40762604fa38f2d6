# the paper's Table 3 ----

test_that("compare_outcomes() reproduces Table 3 for all who joined in 2019", {
  res <- suppressMessages(compare_outcomes(bjpsych_table3("all"), ethnicity,
    by = service, events = employed, total = total
  ))
  s <- summary(res)
  expect_equal(s$service, c("CNWL", "WWT", "Total"))
  expect_equal(round(s$statistic, 2), c(2.50, 1.76, 1.46))
  expect_equal(round(s$p_value, 2), c(0.64, 0.78, 0.83))
  expect_equal(round(s$pct, 1), c(38.6, 30.7, 34.7))
  expect_equal(s$n, c(365, 349, 714))
  expect_equal(
    round(res$pct, 1),
    c(35.1, 45.5, 35.9, 39.5, 40.4, 31.9, 32.5, 28.6, 23.8, 14.3,
      33.5, 37.7, 32.3, 33.9, 37.3)
  )
  expect_equal(res$events[res$service == "Total"], c(93, 72, 41, 20, 22))
})

test_that("compare_outcomes() reproduces Table 3 for six months' support", {
  res <- suppressMessages(compare_outcomes(bjpsych_table3("six_months"), ethnicity,
    by = service, events = employed, total = total
  ))
  s <- summary(res)
  # the paper prints 5.66 for CNWL; the counts give 5.6665
  expect_equal(round(s$statistic, 2), c(5.67, 2.78, 1.43))
  expect_equal(round(s$pct, 1), c(43.3, 42.2, 42.7))
  expect_equal(s$n, c(127, 128, 255))
})

# reference implementations ----

random_outcomes <- function(k, n_strata, size) {
  d <- expand.grid(g = paste0("g", seq_len(k)), s = paste0("s", seq_len(n_strata)),
                   stringsAsFactors = FALSE)
  d$total <- stats::rpois(nrow(d), size)
  d$events <- stats::rbinom(nrow(d), d$total, stats::runif(1, 0.1, 0.7))
  d
}

test_that("tests equal chisq.test() and fisher.test() on 1000 random tables", {
  set.seed(99)
  n_tables <- reps(1000)
  tables <- lapply(seq_len(n_tables), function(i) {
    d <- random_outcomes(sample(2:6, 1), 1, sample(c(2, 5, 15, 40), 1))
    d$table <- i
    d
  })
  # one call tests every table, as the strata of one result
  res <- compare_outcomes(do.call(rbind, tables), g,
    by = table, events = events, total = total, exact = "always", pooled = FALSE
  )
  s <- summary(res)
  s <- s[match(seq_len(n_tables), s$table), ]
  want <- t(vapply(tables, function(d) {
    x <- cbind(d$events, d$total - d$events)
    x <- x[rowSums(x) > 0, , drop = FALSE]
    if (nrow(x) < 2 || any(colSums(x) == 0)) {
      return(c(NA, NA, NA))
    }
    ref <- suppressWarnings(stats::chisq.test(x, correct = FALSE))
    fp <- tryCatch(stats::fisher.test(x, workspace = 2e7)$p.value, error = function(e) NA)
    c(ref$statistic, ref$p.value, fp)
  }, numeric(3)))
  testable <- !is.na(want[, 1])
  expect_gt(sum(testable), 0.5 * n_tables)
  # a table in which fewer than two groups, or outcomes, have anybody has no test
  expect_true(all(is.na(s$statistic[!testable])))
  expect_rel(s$statistic[testable], want[testable, 1])
  expect_rel(s$p_value[testable], want[testable, 2])
  fisher <- !is.na(want[, 3])
  expect_gt(sum(fisher), 0.9 * sum(testable))
  expect_rel(s$exact_p_value[fisher], want[fisher, 3], tol = 1e-8)
})

test_that("the exact test answers where fisher.test() runs out of workspace", {
  ev <- c(93, 72, 41, 20, 22) * 10
  tot <- c(278, 191, 127, 59, 59) * 10
  p <- .Call(equityaudit:::ea_exact_2xk, as.integer(ev), as.integer(tot), c(5L, 1L), 1e9)
  expect_error(stats::fisher.test(rbind(ev, tot - ev)))
  # fisher.test() with a workspace of 2e8 gives 0.005607763 after 4 s
  expect_equal(p, 0.005607763, tolerance = 1e-7)
})

test_that("the exact 2 x k test equals fisher.test() on larger random tables", {
  set.seed(715)
  exact_p <- function(ev, tot) {
    .Call(equityaudit:::ea_exact_2xk, as.integer(ev), as.integer(tot), c(length(ev), 1L), 1e8)
  }
  checked <- 0
  for (i in seq_len(reps(150))) {
    k <- sample(3:8, 1)
    tot <- stats::rpois(k, sample(c(5, 15, 30), 1)) + 1
    ev <- stats::rbinom(k, tot, stats::runif(k, 0.2, 0.6))
    if (sum(ev) == 0 || sum(ev) == sum(tot)) next
    fp <- tryCatch(stats::fisher.test(rbind(ev, tot - ev), workspace = 2e6)$p.value,
      error = function(e) {
        tryCatch(stats::fisher.test(rbind(ev, tot - ev), workspace = 2e8)$p.value,
          error = function(e) NA
        )
      }
    )
    if (is.na(fp)) next
    expect_equal(exact_p(ev, tot), fp, tolerance = 1e-9)
    checked <- checked + 1
  }
  expect_gt(checked, 0.8 * reps(150))
  # 2 x 8, n = 720: fisher.test(workspace = 2e8) needs about 40 s
  ev <- seq(10, 80, 10)
  tot <- ev + c(20, 30, 10, 50, 40, 70, 60, 80)
  expect_equal(exact_p(ev, tot), 0.007260647, tolerance = 1e-6)
  expect_equal(
    exact_p(c(21, 1, 6, 1, 15, 1, 7, 8), c(78, 2, 22, 39, 52, 4, 51, 31)),
    stats::fisher.test(rbind(
      c(21, 1, 6, 1, 15, 1, 7, 8),
      c(78, 2, 22, 39, 52, 4, 51, 31) - c(21, 1, 6, 1, 15, 1, 7, 8)
    ), workspace = 2e8)$p.value,
    tolerance = 1e-9
  )
})

test_that("the simulated exact p-value orders tables by probability", {
  ev <- array(c(21L, 1L, 6L, 1L, 15L, 1L, 7L, 8L), c(8, 1, 1))
  tot <- array(c(78L, 2L, 22L, 39L, 52L, 4L, 51L, 31L), c(8, 1, 1))
  set.seed(1)
  res <- equityaudit:::exact_p_values(ev, tot, budget = -1)
  expect_equal(res$method, "monte_carlo")
  # the exact value is 0.00723; the Pearson ordering gave 0.036
  expect_lt(abs(res$p - 0.0072297), 4 * res$se)
  expect_gt(res$se, 0)
  d <- data.frame(g = letters[1:8], ev = ev[, 1, 1], tot = tot[, 1, 1])
  res <- expect_message(
    compare_outcomes(d, g, events = ev, total = tot, exact = "always"),
    NA
  )
  expect_equal(unique(res$exact_method), "exact")
  expect_true(all(is.na(res$exact_p_se)))
  # thousands of groups: neither enumerated nor simulated, and quick
  set.seed(2)
  big <- data.frame(g = sprintf("g%05d", rep(1:10000, each = 5)), o = stats::runif(5e4) < 0.3)
  expect_message(res <- compare_outcomes(big, g, o), "not attempted")
  s <- summary(res)
  expect_equal(s$exact_method, "not_attempted")
  expect_true(is.na(s$exact_p_value))
  expect_false(is.na(s$p_value))
})

test_that("CMH equals mantelhaen.test() on random 2 x k x K tables", {
  set.seed(5)
  n_tables <- reps(200)
  tables <- lapply(seq_len(n_tables), function(i) {
    d <- random_outcomes(sample(2:5, 1), sample(2:5, 1), 30)
    d$total <- d$total + 2
    d$table <- i
    d
  })
  # one call, one test per table (the tables are its `strata`)
  res <- cmh_test(do.call(rbind, tables), g,
    across = s, strata = table, events = events, total = total
  )
  want <- t(vapply(tables, function(d) {
    x <- array(0, c(length(unique(d$g)), 2, length(unique(d$s))))
    x[, 1, ] <- d$events
    x[, 2, ] <- d$total - d$events
    ref <- stats::mantelhaen.test(x, correct = FALSE)
    c(ref$statistic, ref$p.value, ref$parameter)
  }, numeric(3)))
  expect_equal(res$table, seq_len(n_tables))
  expect_rel(res$statistic, want[, 1])
  expect_rel(res$p_value, want[, 2])
  expect_equal(res$df, want[, 3])
  d <- tables[[n_tables]]
  attached <- tidy(compare_outcomes(d, g, by = s, events = events, total = total,
                                    exact = "never"), "cmh")
  expect_equal(attached$statistic, res$statistic[[n_tables]])
})

test_that("CMH with many groups and few strata equals mantelhaen.test()", {
  set.seed(15)
  n_tables <- reps(100)
  arrays <- lapply(seq_len(n_tables), function(i) {
    k <- sample(3:40, 1)
    n_strata <- sample(2:3, 1)
    array(stats::rpois(k * 2 * n_strata, 5) + 1, c(k, 2, n_strata))
  })
  d <- do.call(rbind, lapply(seq_len(n_tables), function(i) {
    t <- as.data.frame(as.table(arrays[[i]]), responseName = "n")
    names(t)[1:3] <- c("g", "o", "s")
    t$o <- t$o == "A"
    t$table <- i
    t
  }))
  res <- cmh_test(d, g, o, across = s, strata = table, weight = n, event = FALSE)
  want <- t(vapply(arrays, function(x) {
    ref <- stats::mantelhaen.test(x, correct = FALSE)
    c(ref$statistic, ref$p.value)
  }, numeric(2)))
  expect_rel(res$statistic, want[, 1])
  expect_rel(res$p_value, want[, 2])
  # 10^4 groups in two strata: the Woodbury path, in well under a second
  set.seed(16)
  g <- 1e4
  big <- data.frame(
    g = rep(sprintf("g%05d", seq_len(g)), each = 10),
    s = rep(c("a", "b"), 5 * g), o = stats::runif(10 * g) < 0.3
  )
  res <- cmh_test(big, g, o, across = s)
  expect_equal(res$df, g - 1)
  expect_true(res$statistic > 0 && res$p_value > 0 && res$p_value < 1)
})

test_that("CMH continuity correction and odds ratio match mantelhaen.test()", {
  # |O - E| is exactly 0.5: corrected in both orientations of the table
  d <- expand.grid(g = c("g1", "g2"), o = c(TRUE, FALSE), s = c("s1", "s2", "s3"))
  d$n <- c(4, 5, 6, 5, 17, 2, 3, 3, 6, 4, 11, 4)
  res <- cmh_test(d, g, o, across = s, weight = n, correct = TRUE)
  ref <- stats::mantelhaen.test(array(d$n, c(2, 2, 3)), correct = TRUE)
  expect_equal(res$statistic, 0)
  expect_equal(res$p_value, ref$p.value)
  ref2 <- stats::mantelhaen.test(stats::xtabs(n ~ g + o + s, d), correct = TRUE)
  expect_equal(res$odds_ratio, unname(ref2$estimate), tolerance = 1e-12)
  expect_equal(c(res$or_low, res$or_high), ref2$conf.int[1:2], tolerance = 1e-12)
  set.seed(17)
  n_tables <- reps(200)
  arrays <- lapply(seq_len(n_tables), function(i) {
    n_strata <- sample(2:6, 1)
    array(stats::rpois(4 * n_strata, sample(c(2, 8, 30), 1)) + 1, c(2, 2, n_strata))
  })
  d <- do.call(rbind, lapply(seq_len(n_tables), function(i) {
    t <- as.data.frame(as.table(arrays[[i]]), responseName = "n")
    names(t)[1:3] <- c("g", "o", "s")
    t$o <- t$o == "B"
    t$table <- i
    t
  }))
  for (lvl in c(0.9, 0.95, 0.99)) {
    res <- cmh_test(d, g, o, across = s, strata = table, weight = n, correct = TRUE, conf_level = lvl)
    want <- t(vapply(arrays, function(x) {
      ref <- stats::mantelhaen.test(x, correct = TRUE, conf.level = lvl)
      c(ref$statistic, ref$p.value, ref$estimate, ref$conf.int[1:2])
    }, numeric(5)))
    expect_rel(cbind(res$statistic, res$p_value, res$odds_ratio, res$or_low, res$or_high), want)
  }
  three <- data.frame(g = c("a", "b", "c"), ev = c(3, 5, 7), tot = 10, s = 1)
  expect_true(is.na(cmh_test(three, g, across = s, events = ev, total = tot)$odds_ratio))
})

test_that("Monte-Carlo p-values agree with chisq.test within sampling error", {
  x <- matrix(c(3, 5, 2, 8, 1, 4, 6, 2, 7), 3)
  set.seed(10)
  got <- chisq_strata(x, simulate = TRUE, sims = 20000)$mc_p_value
  ref <- stats::chisq.test(x, simulate.p.value = TRUE, B = 20000)$p.value
  expect_lt(abs(got - ref), 4 * sqrt(ref * (1 - ref) / 20000) * sqrt(2))
  set.seed(10)
  again <- chisq_strata(x, simulate = TRUE, sims = 20000)$mc_p_value
  expect_identical(got, again)
})

# record-level input, strata and missing values ----

test_that("record-level data with strata, pooling and missing values", {
  set.seed(2)
  d <- data.frame(
    s = sample(c("A", "B"), 400, TRUE),
    g = sample(c("x", "y", "z", NA), 400, TRUE),
    sex = sample(c("M", "F"), 400, TRUE),
    e = sample(c(TRUE, FALSE, NA), 400, TRUE, prob = c(0.3, 0.6, 0.1))
  )
  res <- suppressMessages(compare_outcomes(d, g, e, by = s, strata = sex))
  expect_equal(sum(res$n[res$s != "Total"]) + sum(res$n_outcome_missing[res$s != "Total"]), 400)
  s <- summary(res)
  expect_equal(paste(s$s, s$sex), c("A F", "A M", "B F", "B M", "Total F", "Total M"))
  sub <- d[d$s == "B" & d$sex == "M" & !is.na(d$g) & !is.na(d$e), ]
  ref <- suppressWarnings(stats::chisq.test(table(sub$g, sub$e), correct = FALSE))
  expect_equal(s$statistic[[4]], unname(ref$statistic), tolerance = 1e-10)
  fem <- d[d$sex == "F" & !is.na(d$g) & !is.na(d$e), ]
  ref_pooled <- stats::chisq.test(table(fem$g, fem$e), correct = FALSE)
  expect_equal(s$statistic[[5]], unname(ref_pooled$statistic), tolerance = 1e-10)
  expect_true(all(is.na(res$adj_residual[res$missing])))
})

test_that("a stratum with a single group gives NA, not an error", {
  d <- data.frame(s = c("A", "A", "B", "B"), g = c("x", "x", "x", "y"),
                  e = c(TRUE, FALSE, TRUE, FALSE))
  s <- summary(compare_outcomes(d, g, e, by = s, pooled = FALSE, exact = "never"))
  expect_true(is.na(s$statistic[[1]]))
  expect_equal(s$statistic[[2]], 2)
})

test_that("p_adjust adjusts across the tests", {
  res <- suppressMessages(compare_outcomes(bjpsych_table3("all"), ethnicity,
    by = service, events = employed, total = total, p_adjust = "bonferroni"
  ))
  s <- summary(res)
  expect_equal(s$p_adjusted, pmin(1, 3 * s$p_value))
})

test_that("outcome values and events are checked", {
  d <- data.frame(g = c("a", "b"), y = c("yes", "no"))
  expect_error(compare_outcomes(d, g, y), class = "equityaudit_error_argument")
  res <- compare_outcomes(d, g, y, event = "yes", exact = "never")
  expect_equal(res$events, c(1, 0))
  expect_error(compare_outcomes(d, g, y, event = "Yes"), "not a value")
  three <- data.frame(g = c("a", "b", "c"), y = c("yes", "no", "maybe"))
  expect_error(compare_outcomes(three, g, y, event = "yes"), "two values")
  bad <- data.frame(g = "a", ev = 5, tot = 3)
  expect_error(compare_outcomes(bad, g, events = ev, total = tot),
               class = "equityaudit_error_count")
})

# helpers ----

test_that("age_band() gives the paper's bands", {
  b <- age_band(c(17, 25, 26, 40, 41, 55, 56, 69, NA, 25.5))
  expect_s3_class(b, "ordered")
  expect_equal(levels(b), c("up to 25", "26-40", "41-55", "over 55"))
  expect_equal(as.character(b), c("up to 25", "up to 25", "26-40", "26-40",
    "41-55", "41-55", "over 55", "over 55", NA, "26-40"))
  expect_equal(levels(age_band(1, breaks = 30)), c("up to 30", "over 30"))
  expect_error(age_band("old"), class = "equityaudit_error_argument")
  expect_error(age_band(-3), class = "equityaudit_error_argument")
})

test_that("follow_up() keeps those who joined by 30 June", {
  d <- data.frame(joined = as.Date(c("2019-01-01", "2019-06-30", "2019-07-01",
                                     "2019-12-31", NA, "2019-02-28")))
  expect_message(kept <- follow_up(d, joined, "2019-12-31"), "left out 2")
  expect_equal(kept$joined, as.Date(c("2019-01-01", "2019-06-30", "2019-02-28")))
  expect_equal(attr(kept, "follow_up")$n_missing_start, 1)
  aug <- data.frame(joined = as.Date("2019-08-31"))
  expect_equal(nrow(suppressMessages(follow_up(aug, joined, "2020-02-29"))), 1)
  expect_error(follow_up(data.frame(joined = "2019-01-01"), joined, "2019-12-31"),
               class = "equityaudit_error_column")
})

test_that("tens of thousands of groups in a few strata get a CMH test, not an internal error", {
  set.seed(71)
  n <- 2e5
  d <- data.frame(
    g = factor(sample.int(5e4, n, TRUE)), s = sample(c("a", "b"), n, TRUE),
    y = stats::runif(n) < 0.3
  )
  res <- suppressMessages(compare_outcomes(d, g, y, by = s, exact = "never"))
  cmh <- tidy(res, "cmh")
  expect_equal(cmh$df, length(unique(d$g)) - 1)
  expect_true(cmh$p_value > 0 && cmh$p_value <= 1)
})

test_that("with one `by` level there is no pooled stratum repeating it", {
  one <- ips_synthetic[ips_synthetic$service == "CNWL", ]
  res <- compare_outcomes(one, ethnicity, employed, by = service, exact = "never", p_adjust = "bonferroni")
  s <- summary(res)
  expect_equal(nrow(s), 1)
  expect_false(any(res$pooled))
  expect_equal(s$p_adjusted, s$p_value)
  full <- summary(compare_outcomes(ips_synthetic, ethnicity, employed, by = service, exact = "never"))
  expect_equal(s$p_value, full$p_value[full$service == "CNWL"])
  cohort <- describe_cohort(one, ethnicity, by = service)
  expect_equal(unique(as.character(cohort$service)), "CNWL")
  # two levels still pool
  expect_equal(sum(full$pooled), 1)
})

test_that("exact 2 x k p-values with many tail tables of equal probability equal fisher.test()", {
  # groups of equal size give the tail enumeration runs of tied
  # probabilities: buckets of its sort large enough for the quicksort
  # (a path make sanitize must reach)
  set.seed(2)
  for (k in c(8, 10, 14)) {
    for (m in c(5, 8)) {
      d <- data.frame(
        g = rep(sprintf("G%02d", seq_len(k)), each = m),
        y = stats::runif(k * m) < rep(seq(0.2, 0.6, length.out = k), each = m)
      )
      r <- as.data.frame(suppressMessages(compare_outcomes(d, g, y, exact = "always")))
      ref <- stats::fisher.test(table(d$g, d$y), workspace = 2e7)$p.value
      expect_equal(r$exact_p_value[[1]], ref, tolerance = 1e-10)
      expect_identical(r$exact_method[[1]], "exact")
    }
  }
})
