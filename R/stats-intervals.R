# Interval estimates, each written once: Wilson (a proportion), Katz (a
# ratio of two proportions), exact Poisson (a count), Dobson (a directly
# standardised rate), Newcombe and Wald (a difference of proportions), and
# the two one-sided tests of equivalence built on the latter.

z_of <- function(conf_level) stats::qnorm(1 - (1 - conf_level) / 2)

# Wilson score interval of k / n at normal quantiles z, as proportions.
wilson_limits <- function(k, n, z) {
  p <- k / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  list(low = pmax(0, centre - half), high = pmin(1, centre + half))
}

# The same on the percent scale at a confidence level.
wilson_interval <- function(k, n, conf_level) {
  w <- wilson_limits(k, n, z_of(conf_level))
  list(low = 100 * w$low, high = 100 * w$high)
}

# Katz log interval of the ratio (a / n1) / (b / n2) of two proportions;
# with `b_known` the second proportion (b / n2) is taken as exact (a
# population share given as a proportion). NA limits where a or b is 0.
# Returns list(ratio, low, high, log_se).
katz_ratio <- function(a, n1, b, n2, conf_level, b_known = FALSE) {
  ratio <- (a / n1) / (b / n2)
  log_se <- sqrt(1 / a - 1 / n1 + if (b_known) 0 else 1 / b - 1 / n2)
  z <- z_of(conf_level)
  ok <- a > 0 & b > 0
  list(
    ratio = ratio, log_se = log_se,
    low = ifelse(ok, ratio * exp(-z * log_se), NA_real_),
    high = ifelse(ok, ratio * exp(z * log_se), NA_real_)
  )
}

# Exact (Garwood) Poisson interval of an observed count o.
poisson_exact <- function(o, conf_level) {
  a <- 1 - conf_level
  list(
    low = ifelse(o > 0, stats::qchisq(a / 2, 2 * o) / 2, 0),
    high = stats::qchisq(1 - a / 2, 2 * (o + 1)) / 2
  )
}

# Dobson et al. (1991) interval of a directly standardised rate
# dsr = sum(w * o / n) (strata in columns, one row per group): the exact
# Poisson limits of the total count o_tot, scaled by sqrt(var / o_tot),
# where var = sum((w / n)^2 o). With no events the scale is its limit for
# events spread evenly over the strata, sum(w^2 / n) / sum(w). Limits as
# rates (proportions here), cut at 0 and 1 (`upper`).
dobson_interval <- function(dsr, var, o_tot, scale0, conf_level, upper = 1) {
  ci <- poisson_exact(o_tot, conf_level)
  s <- ifelse(o_tot > 0, sqrt(var / o_tot), scale0)
  centre <- ifelse(o_tot > 0, dsr, 0)
  list(
    low = pmax(0, centre + s * (ci$low - ifelse(o_tot > 0, o_tot, 0))),
    high = pmin(upper, centre + s * (ci$high - o_tot))
  )
}

# Newcombe's hybrid score interval (method 10) or the Wald interval for
# p1 - p2, at normal quantiles z (one per row).
difference_limits <- function(e1, n1, e2, n2, z, method) {
  p1 <- e1 / n1
  p2 <- e2 / n2
  d <- p1 - p2
  if (method == "wald") {
    se <- sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return(list(low = d - z * se, high = d + z * se))
  }
  w1 <- wilson_limits(e1, n1, z)
  w2 <- wilson_limits(e2, n2, z)
  list(
    low = d - sqrt((p1 - w1$low)^2 + (w2$high - p2)^2),
    high = d + sqrt((w1$high - p1)^2 + (p2 - w2$low)^2)
  )
}

difference_interval <- function(e1, n1, e2, n2, conf_level, method) {
  difference_limits(e1, n1, e2, n2, rep_len(z_of(conf_level), length(e1)), method)
}

# TOST p-value from the same interval as the verdict: the larger of the two
# one-sided p-values, each the level at which a limit of the interval
# reaches the margin (for the Wald interval, the usual z-tests). So the
# `1 - 2 * alpha` interval lies within the margins exactly when the
# p-value is below alpha. A Wald standard error of 0 (no events, or only
# events, in both groups) shows nothing, so its p-value is 1.
tost_p_value <- function(e1, n1, e2, n2, margin, method) {
  d <- e1 / n1 - e2 / n2
  if (method == "wald") {
    se <- sqrt(e1 / n1 * (1 - e1 / n1) / n1 + e2 / n2 * (1 - e2 / n2) / n2)
    p_lower <- stats::pnorm((d + margin) / se, lower.tail = FALSE)
    p_upper <- stats::pnorm((d - margin) / se)
    return(ifelse(se > 0, pmax(p_lower, p_upper), 1))
  }
  # Newcombe: the quantile at which each limit reaches its margin, found by
  # halving in compiled code (src/equivalence.c), pair by pair
  .Call(
    ea_tost_newcombe, as.double(e1), as.double(n1), as.double(e2), as.double(n2),
    as.double(margin)
  )
}
