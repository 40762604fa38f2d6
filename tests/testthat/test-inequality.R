# Inequality measures against their published definitions.

# HEAT definitions, written out directly for one stratum
heat_direct <- function(events, n, ordered = FALSE) {
  y <- 100 * events / n
  p <- n / sum(n)
  mu <- sum(p * y)
  out <- c(
    difference = max(y) - min(y), ratio = if (min(y) > 0) max(y) / min(y) else NA,
    par = max(y) - mu, paf = 100 * (max(y) - mu) / mu,
    idis = 100 * mean(abs(y - mu)) / mu,
    idis_weighted = 100 * sum(p * abs(y - mu)) / mu,
    bgv = sum(p * (y - mu)^2),
    theil = sum(p * ifelse(y > 0, (y / mu) * log(y / mu), 0)),
    mld = if (min(y) > 0) sum(p * log(mu / y)) else NA
  )
  if (ordered) {
    x <- cumsum(p) - p / 2
    fit <- stats::lm(y ~ x, weights = p)
    a <- unname(stats::coef(fit)[1])
    b <- unname(stats::coef(fit)[2])
    aci <- sum(p * (2 * x - 1) * y)
    out <- c(out, sii = b, rii = (a + b) / a, aci = aci, rci = aci / mu)
  }
  out
}

test_that("measures equal their definitions on random tables", {
  set.seed(3101)
  for (i in seq_len(reps(200))) {
    k <- sample(2:7, 1)
    n <- sample(5:300, k, replace = TRUE)
    events <- stats::rbinom(k, n, stats::runif(k, 0.05, 0.9))
    ordered <- i %% 2 == 0
    d <- data.frame(g = factor(paste0("g", seq_len(k)), levels = paste0("g", seq_len(k))),
      e = events, n = n)
    res <- compare_outcomes(d, g, events = e, total = n, exact = "never")
    # HEAT measures PAR from the best group
    best <- paste0("g", which.max(events / n))
    m <- inequality_measures(res, ordered = ordered, sims = 20, ref_group = best)
    want <- heat_direct(events, n, ordered)
    expect_equal(m$measure, names(want))
    expect_rel(m$value, unname(want))
  }
})

test_that("difference and ratio intervals are the analytic ones", {
  d <- data.frame(g = c("A", "B", "C"), e = c(30, 12, 50), n = c(100, 80, 120))
  res <- compare_outcomes(d, g, events = e, total = n)
  m <- inequality_measures(res, sims = 20)
  y <- 100 * d$e / d$n
  se <- sqrt(y * (100 - y) / d$n)
  z <- stats::qnorm(0.975)
  dse <- sqrt(se[3]^2 + se[2]^2)
  expect_rel(m$low[1], y[3] - y[2] - z * dse)
  expect_rel(m$high[1], y[3] - y[2] + z * dse)
  lse <- sqrt((se[3] / y[3])^2 + (se[2] / y[2])^2)
  expect_rel(m$high[2], y[3] / y[2] * exp(z * lse))
  expect_equal(unique(m$reference), "C")
})

test_that("simulated intervals are reproducible and cover the value", {
  d <- data.frame(g = c("A", "B", "C", "D"), e = c(30, 12, 50, 20), n = c(100, 80, 120, 60))
  res <- compare_outcomes(d, g, events = e, total = n)
  set.seed(11)
  m1 <- inequality_measures(res, ordered = TRUE)
  set.seed(11)
  m2 <- inequality_measures(res, ordered = TRUE)
  expect_identical(m1, m2)
  m3 <- inequality_measures(res, ordered = TRUE)
  expect_false(identical(m1$low, m3$low))
  sim <- m1$interval == "simulation"
  expect_true(all(m1$low[sim] < m1$high[sim]))
  # the draws are R's binomial draws
  set.seed(5)
  draws <- equityaudit:::simulate_rates(d$e, d$n, 3)
  set.seed(5)
  want <- matrix(0, 3, 4)
  for (s in 1:3) {
    for (j in 1:4) want[s, j] <- 100 * stats::rbinom(1, d$n[j], d$e[j] / d$n[j]) / d$n[j]
  }
  expect_equal(draws, want)
})

test_that("access results use access rates weighted by the population", {
  ips <- data.frame(g = c("W", "B", "A"), n = c(134, 64, 77))
  pop <- data.frame(g = c("W", "B", "A"), n = c(2774, 810, 1158))
  res <- compare_access(ips, g, pop, weight = n)
  m <- inequality_measures(res, sims = 50, ref_group = "W")
  rate <- 100 * c(77, 64, 134) / c(1158, 810, 2774)
  p <- c(1158, 810, 2774) / sum(c(1158, 810, 2774))
  mu <- sum(p * rate)
  expect_rel(m$value[m$measure == "par"], rate[3] - mu)
  expect_rel(m$value[m$measure == "bgv"], sum(p * (rate - mu)^2))
  expect_equal(unique(m$reference), "W")
})

test_that("strata are summarised separately and bad input is refused", {
  res <- suppressMessages(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
  m <- inequality_measures(res, sims = 20)
  expect_equal(levels(m$service), c("CNWL", "WWT", "Total"))
  expect_equal(nrow(m), 3 * 9)
  expect_error(inequality_measures(data.frame()), class = "equityaudit_error_argument")
  res <- compare_outcomes(ips_synthetic, ethnicity, employed)
  expect_error(inequality_measures(res, ref_group = "Martian"),
    class = "equityaudit_error_argument"
  )
  expect_error(inequality_measures(res, sims = 1), class = "equityaudit_error_argument")
})

test_that("measures of a suppressed result come from its published counts", {
  res <- suppressMessages(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
  s <- suppress_counts(res)
  pub <- as.data.frame(unclass(s))
  pub <- pub[!pub$missing & !is.na(pub$n) & !is.na(pub$events) & pub$service != "Total", ]
  direct <- suppressMessages(compare_outcomes(pub, ethnicity,
    by = service, events = events, total = n, exact = "never", pooled = FALSE
  ))
  m_s <- inequality_measures(s, sims = 20)
  m_d <- inequality_measures(direct, sims = 20)
  keep <- m_s$service != "Total"
  expect_equal(m_s$value[keep], m_d$value, tolerance = 1e-12)
  # WWT "Other" (7 people) and "Mixed" (5 employed) and CNWL "Other" (its
  # employed, to protect them) are starred, so they are left out
  expect_equal(unique(m_s$groups[m_s$service == "WWT"]), 3)
  expect_equal(unique(m_s$groups[m_s$service == "CNWL"]), 4)
  raw <- inequality_measures(res, sims = 20)
  expect_false(isTRUE(all.equal(raw$value, m_s$value)))
})
