# Chi-square test for linear trend of x / n over the scores (rows of x and
# n are the groups tested, columns the periods): the statistic of
# stats::prop.trend.test(), vectorised. Columns with n = 0 are left out.
# Returns list(statistic, p_value).
trend_test <- function(x, n, score = seq_len(ncol(x))) {
  s <- matrix(score, nrow(x), ncol(x), byrow = TRUE)
  s[n == 0] <- 0
  big_n <- rowSums(n)
  p <- rowSums(x) / big_n
  sxs <- rowSums(x * s)
  sns <- rowSums(n * s)
  sns2 <- rowSums(n * s^2)
  denom <- p * (1 - p) * (sns2 - sns^2 / big_n)
  stat <- (sxs - p * sns)^2 / denom
  stat[!is.finite(stat) | denom <= 0] <- NA
  stat <- unname(stat)
  list(statistic = stat, p_value = stats::pchisq(stat, 1, lower.tail = FALSE))
}

# The shares, ratios and outcome percentages of groups (rows) by period
# (columns), with their intervals and the trend tests: from the counts of
# the data, or the published counts of a suppressed result (a cell not
# published, NA, takes no part in its group's trend test).
period_stats <- function(n, period_n, ref_n, ref_total, events, outcome_n, conf_level) {
  wil <- wilson_interval(n, period_n, conf_level)
  cols <- list(
    pct = as.vector(100 * n / period_n),
    pct_low = as.vector(wil$low), pct_high = as.vector(wil$high)
  )
  if (!is.null(ref_n)) {
    katz <- katz_ratio(n, period_n, ref_n, ref_total, conf_level)
    cols <- c(cols, list(
      ref_pct = as.vector(100 * ref_n / ref_total), representation_ratio = as.vector(katz$ratio),
      ratio_low = as.vector(katz$low), ratio_high = as.vector(katz$high)
    ))
  }
  shown <- !is.na(n) & !is.na(period_n)
  share <- trend_test(ifelse(shown, n, 0), ifelse(shown, period_n, 0))
  # how many periods each test used: those published, with anyone in them
  used <- function(ok, total) as.integer(rowSums(ok & !is.na(total) & total > 0))
  trend <- list(
    share_periods = used(shown, period_n), share_statistic = share$statistic,
    share_p_value = share$p_value
  )
  if (!is.null(events)) {
    ow <- wilson_interval(events, outcome_n, conf_level)
    cols <- c(cols, list(
      outcome_n = as.vector(outcome_n), n_outcome_missing = as.vector(n - outcome_n),
      events = as.vector(events), outcome_pct = as.vector(100 * events / outcome_n),
      outcome_low = as.vector(ow$low), outcome_high = as.vector(ow$high)
    ))
    shown <- !is.na(events) & !is.na(outcome_n)
    out_t <- trend_test(ifelse(shown, events, 0), ifelse(shown, outcome_n, 0))
    trend$outcome_periods <- used(shown, outcome_n)
    trend$outcome_statistic <- out_t$statistic
    trend$outcome_p_value <- out_t$p_value
  }
  list(columns = cols, trend = trend)
}
