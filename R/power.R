# Power of the tests that were run, and the differences they could detect.

#' Power and detectable differences of outcome comparisons
#'
#' For a [compare_outcomes()] result, gives for every test the power of the
#' chi-square test actually run (at its group sizes, degrees of freedom and
#' `sig_level`) against an effect of Cohen's `w`, from the noncentral
#' chi-square distribution (as `pwr::pwr.chisq.test()` computes it); and
#' for every group the smallest rise and fall in its percentage, against
#' the rest of its stratum, that a 1-df chi-square test of that group
#' against the rest would detect with probability `power`.
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
#' @param sig_level Significance level.
#' @param margin Difference that matters, in proportion (0.1 is ten
#'   percentage points).
#' @return A data frame with one row per test unit and group: the unit's
#'   columns, the group, `n`, `pct`, `rest_n`, `rest_pct`,
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
                                  margin = 0.1) {
  if (!inherits(x, "equityaudit_outcomes")) {
    abort_input("argument", "`x` must be a result of compare_outcomes().", arg = "x")
  }
  for (a in list(list(w, "w", 0, Inf), list(power, "power", 0, 1),
                 list(sig_level, "sig_level", 0, 1), list(margin, "margin", 0, 1))) {
    v <- a[[1]]
    if (!is.numeric(v) || length(v) != 1 || is.na(v) || v <= a[[3]] || v >= a[[4]]) {
      abort_input("argument", sprintf("`%s` must be a single number in (%s, %s).",
        a[[2]], a[[3]], a[[4]]), arg = a[[2]])
    }
  }
  by <- attr(x, "by")
  group <- attr(x, "group")
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  # on a suppressed result, the groups whose counts are published
  df <- df[!df$missing & !is.na(df$n) & !is.na(df$events) & df$n > 0, , drop = FALSE]
  unit <- strata_key(df[by], nrow(df))
  n_tested <- stats::ave(df$n, unit, FUN = sum)
  events_tested <- stats::ave(df$events, unit, FUN = sum)
  rest_n <- n_tested - df$n
  rest_events <- events_tested - df$events
  rest_p <- ifelse(rest_n > 0, rest_events / rest_n, NA_real_)
  crit1 <- stats::qchisq(1 - sig_level, 1)
  shift <- function(direction) {
    vapply(seq_len(nrow(df)), function(i) {
      detectable_shift(df$n[[i]], rest_n[[i]], rest_p[[i]], direction, power, crit1)
    }, 0)
  }
  up <- shift(1)
  down <- shift(-1)
  power_w <- ifelse(df$df > 0,
    stats::pchisq(stats::qchisq(1 - sig_level, pmax(df$df, 1)), pmax(df$df, 1),
      ncp = n_tested * w^2, lower.tail = FALSE
    ),
    NA_real_
  )
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
  new_tidy_frame(out)
}

# Power of the 1-df chi-square test of a group of n1 with rate p1 against
# the rest, n0 with rate p0: the noncentrality is the X^2 of the expected
# table under that alternative.
power_2x2 <- function(n1, p1, n0, p0, crit) {
  x <- matrix(c(n1 * p1, n1 * (1 - p1), n0 * p0, n0 * (1 - p0)), 2, byrow = TRUE)
  e <- outer(rowSums(x), colSums(x)) / sum(x)
  ncp <- sum((x - e)^2 / e)
  stats::pchisq(crit, 1, ncp = ncp, lower.tail = FALSE)
}

# The smallest change in the group's rate, in `direction`, detected with
# the given power; NA when none is.
detectable_shift <- function(n1, n0, p0, direction, power, crit) {
  if (is.na(p0) || n0 == 0) {
    return(NA_real_)
  }
  room <- if (direction > 0) 1 - p0 else p0
  if (room <= 0) {
    return(NA_real_)
  }
  f <- function(d) power_2x2(n1, p0 + direction * d, n0, p0, crit) - power
  if (f(room) < 0) {
    return(NA_real_)
  }
  stats::uniroot(f, c(1e-9, room), tol = 1e-10)$root
}
