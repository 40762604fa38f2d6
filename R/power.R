# Power of the tests that were run, and the differences they could detect.

#' Power and detectable differences of outcome comparisons
#'
#' For a [compare_outcomes()] result, gives for every test the power of the
#' chi-square test actually run (at its group sizes, degrees of freedom and
#' significance level `sig_level`) against an effect of Cohen's `w`, from the noncentral
#' chi-square distribution (as `pwr::pwr.chisq.test()` computes it); and
#' for every group the smallest rise and fall in its percentage, against
#' the rest of its stratum, that a 1-df chi-square test of that group
#' against the rest would detect with probability `power`.
#'
#' To publish detectable differences, call this function on a suppressed
#' result (`suppress =` of [compare_outcomes()], or [suppress_counts()]):
#' its differences are then computed from the published counts. With
#' `suppress` here, only the counts of the result are published and its
#' other numbers withheld.
#'
#' `label` says what a test shows: `"different"` when it is significant;
#' otherwise `"inconclusive"` when some group's detectable difference
#' exceeds `margin` (the test could have missed a difference that large),
#' and `"no difference detected"` only when every group's detectable
#' difference is within the margin.
#'
#' @param x A result of [compare_outcomes()].
#' @param w Cohen's effect size for the power of each test.
#' @param power Power for the detectable differences.
#' @inheritParams equityaudit-arguments
#' @return A data frame of class `equityaudit_power` with one row per
#'   stratum and group: the stratum columns, the group, `n`, `pct`, `rest_n`, `rest_pct`,
#'   `detectable_increase` and `detectable_decrease` (percentage points;
#'   `NA` when no change within 0-100% reaches the power), the unit's
#'   `n_tested`, `df`, `p_value`, `power_w` and `label`.
#' @export
#' @examples
#' table3 <- data.frame(
#'   service = rep(c("CNWL", "WWT"), each = 5),
#'   ethnicity = rep(c("White", "Asian", "Black", "Mixed", "Other"), 2),
#'   employed = c(47, 35, 23, 15, 21, 46, 37, 18, 5, 1),
#'   people = c(134, 77, 64, 38, 52, 144, 114, 63, 21, 7)
#' )
#' res <- compare_outcomes(table3, ethnicity,
#'   by = service, events = employed, total = people, exact = "never"
#' )
#' detectable_difference(res)
detectable_difference <- function(x, w = 0.3, power = 0.8, sig_level = 0.05,
                                  margin = 0.1, suppress = "none", ...) {
  check_no_dots(..., fn = "detectable_difference")
  withhold_counts(suppress)
  if (!inherits(x, "equityaudit_outcomes")) {
    abort_input("argument", "`x` must be a result of compare_outcomes().", arg = "x")
  }
  check_number(w, "w", 0, Inf, open = TRUE)
  check_number(power, "power", 0, 1, open = TRUE)
  # (a significance level of 0.5 or more is a confidence level given by
  # mistake)
  check_number(sig_level, "sig_level", 0, 0.5, open = TRUE)
  check_number(margin, "margin", 0, 1, open = TRUE)
  by <- unit_columns(x)
  group <- attr(x, "group")
  df <- plain_frame(x)
  # on a suppressed result, the groups whose counts are published
  df <- df[!df$missing & !is.na(df$n) & !is.na(df$events) & df$n > 0, , drop = FALSE]
  unit <- strata_key(df[by], nrow(df))
  n_tested <- stats::ave(df$n, unit, FUN = sum)
  events_tested <- stats::ave(df$events, unit, FUN = sum)
  rest_n <- n_tested - df$n
  rest_events <- events_tested - df$events
  rest_p <- ifelse(rest_n > 0, rest_events / rest_n, NA_real_)
  crit1 <- stats::qchisq(1 - sig_level, 1)
  up <- detectable_shift(df$n, rest_n, rest_p, 1, power, crit1)
  down <- detectable_shift(df$n, rest_n, rest_p, -1, power, crit1)
  # the power of a stratum's test, once per stratum (noncentral chi-square
  # with many groups is slow)
  first <- !duplicated(unit)
  dfs <- pmax(df$df[first], 1)
  power_unit <- ifelse(df$df[first] > 0,
    stats::pchisq(stats::qchisq(1 - sig_level, dfs), dfs,
      ncp = n_tested[first] * w^2, lower.tail = FALSE
    ),
    NA_real_
  )
  power_w <- power_unit[match(unit, unit[first])]
  worst <- pmax(up, down, na.rm = TRUE)
  worst[is.na(up) | is.na(down)] <- Inf
  worst_unit <- stats::ave(worst, unit, FUN = max)
  label <- ifelse(!is.na(df$p_value) & df$p_value < sig_level, "different",
    ifelse(worst_unit > margin, "inconclusive", "no difference detected")
  )
  out <- c(as.list(df[by]), list(
    group = df[[group]], n = df$n, pct = df$pct,
    rest_n = rest_n, rest_pct = 100 * rest_p,
    detectable_increase = 100 * up, detectable_decrease = 100 * down,
    n_tested = n_tested, df = df$df, p_value = df$p_value,
    power_w = power_w, label = label
  ))
  names(out)[names(out) == "group"] <- group
  out <- new_result(out, "power", list(
    by = attr(x, "by"), group = group,
    options = list(w = w, power = power, sig_level = sig_level, margin = margin)
  ))
  apply_suppression(out, suppress)
}

# The smallest change in each group's rate, in `direction`, that the 1-df
# chi-square test of the group (n1 people) against the rest (n0, rate p0)
# detects with the given power; NA when none does. The test statistic is
# noncentral chi-square with 1 df, (Z + delta)^2, so the power is
# pnorm(delta - sqrt(crit)) + pnorm(-delta - sqrt(crit)), the same for every
# group: one noncentrality lambda = delta^2 gives the power. The
# noncentrality of a group is the X^2 of its expected table, n1 n0 (p1 -
# p0)^2 / (N pbar (1 - pbar)), quadratic in the change d = |p1 - p0| once
# multiplied out, so d is a root of A d^2 + B d + C = 0 with C < 0 < A: the
# positive one, for all groups at once.
detectable_shift <- function(n1, n0, p0, direction, power, crit) {
  lambda <- noncentrality_for_power(power, crit)
  big_n <- n1 + n0
  q <- n1 / big_n
  a <- n1 * n0 + lambda * big_n * q^2
  b <- -lambda * big_n * direction * q * (1 - 2 * p0)
  c <- -lambda * big_n * p0 * (1 - p0)
  root <- sqrt(b^2 - 4 * a * c)
  # the positive root, without subtracting nearly equal numbers
  d <- ifelse(b >= 0, 2 * c / (-b - root), (-b + root) / (2 * a))
  room <- if (direction > 0) 1 - p0 else p0
  d[is.na(p0) | n0 == 0 | is.na(room) | room <= 0 | !(d <= room) | !(d > 0)] <- NA_real_
  d
}

noncentrality_for_power <- function(power, crit) {
  s <- sqrt(crit)
  f <- function(delta) stats::pnorm(delta - s) + stats::pnorm(-delta - s) - power
  if (f(0) >= 0) {
    return(0)
  }
  stats::uniroot(f, c(0, 40), tol = 1e-14)$root^2
}
