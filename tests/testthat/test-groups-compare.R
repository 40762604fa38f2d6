# differences, ratios and equivalence ----

test_that("the Newcombe interval matches Newcombe's worked example", {
  ci <- equityaudit:::difference_interval(56, 70, 48, 80, 0.95, "newcombe")
  expect_equal(round(c(ci$low, ci$high), 4), c(0.0524, 0.3339))
  d <- data.frame(g = c("a", "b"), ev = c(56, 48), tot = c(70, 80))
  res <- compare_groups(d, g, events = ev, total = tot, ref_group = "b")
  expect_equal(round(c(res$diff_low, res$diff_high), 2), c(5.24, 33.39))
  expect_equal(res$difference, 100 * (56 / 70 - 48 / 80))
})

test_that("risk ratio, odds ratio and the Wald interval equal direct computations", {
  set.seed(12)
  for (i in seq_len(reps(100))) {
    n1 <- sample(5:200, 1)
    n2 <- sample(5:200, 1)
    e1 <- sample(1:(n1 - 1), 1)
    e2 <- sample(1:(n2 - 1), 1)
    d <- data.frame(g = c("x", "r"), ev = c(e1, e2), tot = c(n1, n2))
    res <- compare_groups(d, g, events = ev, total = tot, ref_group = "r", interval = "wald")
    p1 <- e1 / n1
    p2 <- e2 / n2
    se <- sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    expect_equal(res$diff_low, 100 * (p1 - p2 - stats::qnorm(0.975) * se))
    rr_se <- sqrt(1 / e1 - 1 / n1 + 1 / e2 - 1 / n2)
    expect_equal(res$risk_ratio, p1 / p2)
    expect_equal(res$rr_high, p1 / p2 * exp(stats::qnorm(0.975) * rr_se))
    or <- (e1 * (n2 - e2)) / ((n1 - e1) * e2)
    or_se <- sqrt(1 / e1 + 1 / (n1 - e1) + 1 / e2 + 1 / (n2 - e2))
    expect_equal(res$odds_ratio, or)
    expect_equal(res$or_low, or * exp(-stats::qnorm(0.975) * or_se))
    tost <- max(
      stats::pnorm((p1 - p2 + 0.1) / se, lower.tail = FALSE),
      stats::pnorm((p1 - p2 - 0.1) / se)
    )
    expect_equal(res$equivalence_p_value, tost)
  }
})

test_that("the compiled equivalence p-value equals the R definition on 5000 random pairs", {
  set.seed(67)
  k <- 5000
  n1 <- sample(c(0:3, 10, 50, 400, 5000), k, TRUE)
  n2 <- sample(c(1:3, 10, 50, 400, 5000), k, TRUE)
  e1 <- stats::rbinom(k, n1, stats::runif(k))
  e2 <- stats::rbinom(k, n2, stats::runif(k))
  margin <- sample(c(0.05, 0.1, 0.2), 1)
  got <- equityaudit:::tost_p_value(e1, n1, e2, n2, margin, "newcombe")
  want <- tost_newcombe_reference(e1, n1, e2, n2, margin)
  expect_equal(is.na(got), n1 == 0)
  expect_equal(got, want, tolerance = 1e-12)
  expect_true(all(got[!is.na(got)] >= 0 & got[!is.na(got)] <= 1))
})

test_that("the equivalence p-value and verdict come from one interval", {
  # 231/256 against 160/187: the Wald TOST gave p = 0.046, "inconclusive"
  d <- data.frame(g = c("x", "r"), ev = c(231, 160), tot = c(256, 187))
  res <- compare_groups(d, g, events = ev, total = tot, ref_group = "r")
  expect_equal(res$verdict, "inconclusive")
  expect_gte(res$equivalence_p_value, 0.05)
  set.seed(66)
  for (i in seq_len(reps(300))) {
    n1 <- sample(3:400, 1)
    n2 <- sample(3:400, 1)
    p <- stats::runif(1, 0.02, 0.98)
    d <- data.frame(
      g = c("x", "r"), ev = c(stats::rbinom(1, n1, p), stats::rbinom(1, n2, p)),
      tot = c(n1, n2)
    )
    margin <- sample(c(0.05, 0.1, 0.2), 1)
    level <- sample(c(0.9, 0.95), 1)
    method <- sample(c("newcombe", "wald"), 1)
    res <- compare_groups(d, g,
      events = ev, total = tot, ref_group = "r", margin = margin,
      conf_level = level, interval = method
    )
    ci <- equityaudit:::difference_interval(
      d$ev[[1]], n1, d$ev[[2]], n2, 1 - 2 * (1 - level), method
    )
    inside <- ci$low > -margin && ci$high < margin
    expect_equal(res$equivalence_p_value < 1 - level, inside)
    if (res$verdict != "different") {
      expect_equal(res$verdict == "equivalent", inside)
    }
    # the p-value is the level at which the interval's limit meets the margin
    if (method == "newcombe" && res$equivalence_p_value > 1e-6 &&
      res$equivalence_p_value < 0.5) {
      at <- equityaudit:::difference_interval(
        d$ev[[1]], n1, d$ev[[2]], n2, 1 - 2 * res$equivalence_p_value, method
      )
      expect_equal(min(margin - at$high, at$low + margin), 0, tolerance = 1e-8)
    }
  }
})

test_that("zero cells get the 0.5 correction and say so", {
  d <- data.frame(g = c("x", "r"), ev = c(0, 10), tot = c(7, 50))
  res <- compare_groups(d, g, events = ev, total = tot, ref_group = "r")
  expect_true(res$zero_cell)
  expect_equal(res$risk_ratio, (0.5 / 8) / (10.5 / 51))
  expect_equal(res$odds_ratio, (0.5 * 40.5) / (7.5 * 10.5))
})

test_that("verdicts: different, equivalent and inconclusive", {
  d <- data.frame(
    g = c("big", "same", "far", "tiny"),
    ev = c(2000, 1010, 300, 1), tot = c(5000, 2500, 500, 7)
  )
  res <- compare_groups(d, g, events = ev, total = tot)
  expect_equal(as.character(res$reference), rep("big", 3))
  verdict <- stats::setNames(res$verdict, res$g)
  expect_equal(verdict[c("same", "far", "tiny")],
               c(same = "equivalent", far = "different", tiny = "inconclusive"))
  expect_lt(res$equivalence_p_value[res$g == "same"], 0.05)
})

test_that("the reference can be the rest of the stratum", {
  d <- data.frame(g = c("a", "b", "c"), ev = c(10, 20, 30), tot = c(50, 60, 70))
  res <- compare_groups(d, g, events = ev, total = tot, ref_group = "rest")
  expect_equal(res$ref_n, c(130, 120, 110))
  expect_equal(res$ref_events, c(50, 40, 30))
  expect_error(compare_groups(d, g, events = ev, total = tot, ref_group = "z"),
               "not a group")
  expect_error(compare_groups(d, g, events = ev, total = tot, margin = 2),
               class = "equityaudit_error_argument")
})

test_that("Mantel-Haenszel pooled difference and ratio equal direct computations", {
  t3 <- bjpsych_table3("all")
  res <- compare_groups(t3, ethnicity, by = service, events = employed, total = total,
                        ref_group = "White")
  pooled <- tidy(res, "pooled")
  expect_equal(nrow(pooled), 4)
  black <- t3[t3$ethnicity == "Black/Black British", ]
  white <- t3[t3$ethnicity == "White", ]
  a <- black$employed
  n1 <- black$total
  e0 <- white$employed
  n0 <- white$total
  tot <- n1 + n0
  rd <- sum((a * n0 - e0 * n1) / tot) / sum(n1 * n0 / tot)
  rr <- sum(a * n0 / tot) / sum(e0 * n1 / tot)
  row <- pooled[pooled$ethnicity == "Black/Black British", ]
  expect_equal(row$mh_difference, 100 * rd)
  expect_equal(row$mh_risk_ratio, rr)
  # one stratum: the pooled difference is the crude difference
  one <- compare_groups(t3[t3$service == "CNWL", ], ethnicity, by = service,
                        events = employed, total = total, ref_group = "White")
  p1 <- tidy(one, "pooled")
  expect_equal(p1$mh_difference, one$difference)
  expect_equal(p1$mh_risk_ratio, one$risk_ratio)
})

test_that("every stratum has a row for every group, even one with nobody", {
  d <- data.frame(
    s = c("A", "A", "A", "B", "B", "C"), g = c("x", "y", "z", "x", "y", "z"),
    e = c(3, 5, 2, 4, 1, 6), n = c(10, 20, 8, 8, 9, 15)
  )
  cmp <- compare_groups(d, g, by = s, events = e, total = n)
  out <- as.data.frame(unclass(cmp), stringsAsFactors = FALSE)
  # the largest group of each stratum is its reference (C has only z)
  expect_equal(out$s, rep(c("A", "B", "C"), each = 2))
  expect_equal(out$reference, rep(c("y", "y", "z"), each = 2))
  expect_equal(out$g, c("x", "z", "x", "z", "x", "y"))
  expect_equal(out$n, c(10, 8, 8, 0, 0, 0))
  empty <- out$n == 0
  for (col in c("pct", "difference", "diff_low", "risk_ratio", "odds_ratio",
                "zero_cell", "equivalence_p_value", "verdict")) {
    expect_true(all(is.na(out[[col]][empty])), label = col)
    expect_false(anyNA(out[[col]][!empty]), label = col)
  }
  expect_equal(out$ref_pct, c(25, 25, 100 / 9, 100 / 9, 40, 40))
  # A compares everybody; B has nobody of z; C nobody of x or y
  expect_equal(summary(cmp)$not_compared, c(0, 1, 2))
  expect_equal(glance(cmp)$not_compared, 3)
  # the rest of one group is nobody: nothing to compare
  one <- data.frame(g = "a", e = 1, n = 4)
  expect_equal(nrow(compare_groups(one, g, events = e, total = n, ref_group = "rest")), 0)
  # a given reference with nobody in a stratum: rows, without statistics
  ref_x <- as.data.frame(unclass(compare_groups(d, g, by = s, events = e, total = n, ref_group = "x")))
  expect_equal(nrow(ref_x), 6)
  expect_true(all(is.na(ref_x$difference[ref_x$s == "C"])))
  # the pooled differences leave out the strata where a side has nobody
  pooled <- tidy(cmp, "pooled")
  expect_equal(pooled$strata_used[pooled$g == "x" & pooled$reference == "y"], 2)
})

test_that("a suppressed table's largest reference is chosen from the published counts", {
  # a reference chosen from the unrounded counts would tell a reader that a
  # starred group is the largest of its stratum
  set.seed(11)
  moved <- 0
  for (i in seq_len(reps(150))) {
    k <- sample(2:4, 1)
    d <- data.frame(
      s = rep(c("A", "B"), each = k), g = rep(paste0("g", seq_len(k)), 2),
      n = stats::rpois(2 * k, stats::runif(1, 2, 14))
    )
    d$e <- stats::rbinom(nrow(d), d$n, 0.4)
    d <- d[d$n > 0, ]
    if (length(unique(d$g)) < 2) next
    x <- compare_groups(d, g, by = s, events = e, total = n)
    rule <- sample(c("nhs_digital", "opensafely"), 1)
    sup <- suppress_counts(x, rule)
    # the stars are where the hidden counts now are
    starred <- attr(sup, "suppression")$starred
    for (col in c("n", "events", "ref_n", "ref_events")) {
      expect_equal(sort(starred[[col]]), which(is.na(sup[[col]])), label = col)
    }
    expect_equal(format(sup)$n == "*", is.na(sup$n))
    s <- as.data.frame(unclass(sup), stringsAsFactors = FALSE)
    t <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
    moved <- moved + sum(s$reference != t$reference)
    for (st in unique(s$s)) {
      r <- s[s$s == st, ]
      labels <- sort(c(r$g, r$reference[[1]]))
      n <- c(r$n, r$ref_n[[1]])[match(labels, c(r$g, r$reference[[1]]))]
      best <- labels[[which.max(ifelse(is.na(n), -1, n))]]
      expect_equal(r$reference[[1]], best, label = paste(i, st))
      # the rows are the other groups in order, with the reference's counts
      expect_equal(r$g, setdiff(labels, best))
      # and every true count is where the published table puts it
      truth <- groups_truth(r, t, "s")
      shown <- !is.na(r$n)
      expect_true(all(abs(truth$n[shown] - r$n[shown]) <= 2))
    }
  }
  # the published counts chose another reference in some strata
  expect_gt(moved, 0)
})
