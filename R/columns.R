# What each column of a result is, in one place: its role (a count, a
# percentage, a p-value...), the decimals it is shown with and its heading.
# print(), format(), readable_table(), write_tables() and the report all
# read it (describe_columns()), so the same number is written the same way
# everywhere. A kind of result changes a heading or a role with its
# column_overrides() method; interval headings show the result's own
# confidence level.

# role: label (text), count, percent, points (percentage points), ratio,
# statistic, p (a p-value), measure (an inequality measure: decimals by
# measure), age, weight (a standard's weights), flag (text).
column_dictionary <- list(
  n = c("count", "People"), events = c("count", "With the outcome"),
  pct = c("percent", "%"), ref_n = c("count", "Eligible population"),
  ref_events = c("count", "Compared with: with the outcome"),
  ref_pct = c("percent", "% of eligible"), access_rate = c("ratio", "Users per 100 eligible"),
  representation_ratio = c("ratio", "Representation ratio"),
  verdict = c("label", "Verdict"), statistic = c("statistic", "Chi-square"),
  df = c("count", "df"), p_value = c("p", "p"), exact_p_value = c("p", "Exact p"),
  p_adjusted = c("p", "Adjusted p"), g_statistic = c("statistic", "G"),
  g_p_value = c("p", "p (G)"), exact_p_se = c("p", "Exact p: standard error"),
  exact_method = c("label", "Exact test"), min_expected = c("statistic", "Smallest expected count"),
  method = c("label", "Test"), cramers_v = c("statistic", "Cramer's V"),
  adj_residual = c("statistic", "Adjusted residual"),
  reference = c("label", "Compared with"), difference = c("points", "Difference (points)"),
  risk_ratio = c("ratio", "Risk ratio"), odds_ratio = c("ratio", "Odds ratio"),
  zero_cell = c("flag", "0.5 added to every cell"),
  equivalence_p_value = c("p", "Equivalence p"),
  measure = c("label", "Measure"), label = c("label", "Measure"), value = c("measure", "Value"),
  interval = c("label", "Interval"),
  groups = c("count", "Groups compared"), n_outcome_missing = c("count", "Outcome not known"),
  strata_used = c("count", "Strata used"), expected = c("statistic", "Expected"),
  isr = c("ratio", "Adjusted ratio"), std_pct = c("percent", "Standardised %"),
  target = c("percent", "Expected %"), flag = c("label", "Against the expected range"),
  z_score = c("statistic", "z"), period = c("label", "Period"),
  period_n = c("count", "People of the period"), outcome_n = c("count", "Outcome known"),
  outcome_pct = c("percent", "% with the outcome"),
  share_periods = c("count", "Trend in share: periods used"),
  share_statistic = c("statistic", "Trend in share: chi-square"),
  share_p_value = c("p", "Trend in share: p"),
  outcome_periods = c("count", "Trend in outcome: periods used"),
  outcome_statistic = c("statistic", "Trend in outcome: chi-square"),
  outcome_p_value = c("p", "Trend in outcome: p"),
  service_n = c("count", "People of the unit"), service_ref_n = c("count", "Eligible of the unit"),
  phi = c("statistic", "Overdispersion factor"), tau2 = c("measure", "Between-unit variance"),
  widened = c("flag", "Limits widened"), services = c("count", "Units"),
  variable = c("label", "Characteristic"), level = c("label", "Group"),
  mean = c("age", "Mean"), sd = c("age", "Standard deviation"), min = c("count", "Minimum"),
  max = c("count", "Maximum"), people = c("count", "People"),
  mh_difference = c("points", "Pooled difference (points)"),
  mh_risk_ratio = c("ratio", "Pooled risk ratio"),
  rest_n = c("count", "People in the rest"), rest_pct = c("percent", "% of the rest"),
  detectable_increase = c("points", "Detectable increase (points)"),
  detectable_decrease = c("points", "Detectable decrease (points)"),
  n_tested = c("count", "People tested"), power_w = c("ratio", "Power"),
  rows_used = c("count", "Rows used"), cols_used = c("count", "Columns used"),
  n_missing = c("count", "Not known"), n_expected_below_5 = c("count", "Expected counts below 5"),
  observed = c("count", "Observed"), residual = c("statistic", "Residual"),
  std_residual = c("statistic", "Adjusted residual"), n_unknown = c("count", "Group not known"),
  pct_unknown = c("percent", "% group not known"), comparisons = c("count", "Comparisons"),
  different = c("count", "Different"), equivalent = c("count", "Equivalent"),
  inconclusive = c("count", "Inconclusive"), not_compared = c("count", "Not compared"),
  weight = c("weight", "Weight"), total = c("count", "People"), rate = c("percent", "Rate"),
  mc_p_value = c("p", "Simulated p"), across = c("label", "Across")
)

# Intervals: an estimate and its limits, shown as "estimate (low to high)"
# under the heading of the estimate with the interval's level; the limits
# alone when there is no estimate. `level` FALSE: limits of a fixed level
# (funnel limits are 95% limits whatever conf_level is).
interval_columns <- list(
  pct_ci = list(parts = c("pct", "pct_low", "pct_high"), heading = "%"),
  ratio_ci = list(parts = c("representation_ratio", "ratio_low", "ratio_high"), heading = "Representation ratio"),
  diff_ci = list(parts = c("difference", "diff_low", "diff_high"), heading = "Difference, points"),
  rr_ci = list(parts = c("risk_ratio", "rr_low", "rr_high"), heading = "Risk ratio"),
  or_ci = list(parts = c("odds_ratio", "or_low", "or_high"), heading = "Odds ratio"),
  value_ci = list(parts = c("value", "low", "high"), heading = "Value"),
  isr_ci = list(parts = c("isr", "isr_low", "isr_high"), heading = "Adjusted ratio"),
  std_ci = list(parts = c("std_pct", "std_low", "std_high"), heading = "Standardised %"),
  share_ci = list(parts = c("pct", "pct_low", "pct_high"), heading = "Share of the period's people, %"),
  outcome_ci = list(parts = c("outcome_pct", "outcome_low", "outcome_high"), heading = "% with the outcome"),
  mh_diff_ci = list(parts = c("mh_difference", "mh_diff_low", "mh_diff_high"), heading = "Pooled difference, points"),
  mh_rr_ci = list(parts = c("mh_risk_ratio", "mh_rr_low", "mh_rr_high"), heading = "Pooled risk ratio"),
  limits_95 = list(parts = c(NA, "lower_95", "upper_95"), heading = "Expected range (95%)", level = FALSE),
  limits_998 = list(parts = c(NA, "lower_998", "upper_998"), heading = "Expected range (99.8%)", level = FALSE)
)

# Decimals of each role (measure: by the measure of its row).
role_digits <- c(
  count = 0, percent = 1, points = 1, ratio = 2, statistic = 2, p = 3,
  age = 1, weight = 3, measure = 2
)

# The decimals of each inequality measure: points and percentages to one,
# ratios to two, the Theil and MLD indices and between-group variance to
# four (they are small).
measure_digits <- c(
  difference = 1, ratio = 2, par = 1, paf = 1, idis = 1, idis_weighted = 1,
  bgv = 4, theil = 4, mld = 4, slope_index = 1, relative_index = 2
)

# The confidence level of a result's intervals, as a percentage ("95").
level_text <- function(x) {
  level <- attr(x, "options")$conf_level %||% 0.95
  format(100 * level, trim = TRUE, drop0trailing = TRUE)
}

# The description of the columns `cols` of result `x`: one row each, with
# its role, decimals and heading (intervals under their own name, such as
# "pct_ci"; limits of an interval with the estimate's heading and their
# level).
describe_columns <- function(x, cols = names(x)) {
  dict <- column_dictionary
  over <- column_overrides(x)
  dict[names(over)] <- over
  level <- level_text(x)
  # a limit is named after its estimate (first interval of it wins)
  limit_of <- list()
  for (nm in names(interval_columns)) {
    iv <- interval_columns[[nm]]
    where <- if (isFALSE(iv$level)) "" else paste0(level, "% ")
    est <- if (is.na(iv$parts[[1]])) iv$heading else dict[[iv$parts[[1]]]][[2]]
    for (k in 2:3) {
      if (is.null(limit_of[[iv$parts[[k]]]])) {
        limit_of[[iv$parts[[k]]]] <- paste0(est, if (k == 2) ", lower " else ", upper ", where, "limit")
      }
    }
  }
  rows <- lapply(cols, function(col) {
    if (col %in% names(interval_columns)) {
      iv <- interval_columns[[col]]
      heading <- if (isFALSE(iv$level)) iv$heading else sprintf("%s (%s%% interval)", iv$heading, level)
      role <- if (is.na(iv$parts[[1]])) dict[[iv$parts[[2]]]][[1]] %||% "statistic" else dict[[iv$parts[[1]]]][[1]]
      return(c(col, "interval", role, heading))
    }
    if (!is.null(dict[[col]])) {
      return(c(col, dict[[col]][[1]], dict[[col]][[1]], dict[[col]][[2]]))
    }
    if (!is.null(limit_of[[col]])) {
      est <- limit_part_role(col, dict)
      return(c(col, est, est, limit_of[[col]]))
    }
    c(col, "label", "label", col)
  })
  m <- matrix(unlist(rows), ncol = 4, byrow = TRUE)
  out <- data.frame(name = m[, 1], role = m[, 2], value_role = m[, 3], heading = m[, 4], stringsAsFactors = FALSE)
  out$digits <- unname(role_digits[out$value_role])
  # percentages of rounded counts: whole numbers
  if (rounds_counts(suppression_of(x))) out$digits[out$value_role == "percent"] <- 0
  out
}

# The role of an interval's limit: that of its estimate.
limit_part_role <- function(col, dict) {
  for (iv in interval_columns) {
    if (col %in% iv$parts[2:3]) {
      est <- iv$parts[[1]]
      if (is.na(est)) {
        return("percent")
      }
      return(dict[[est]][[1]])
    }
  }
  "statistic"
}

# The significance level a result's p-values are read against (so that a
# p-value is never rounded to the other side of it).
alpha_of <- function(x) {
  opt <- attr(x, "options")
  opt$sig_level %||% (1 - (opt$conf_level %||% 0.95))
}

# A column kind changes (headings or roles), by kind of result: a named
# list of c(role, heading).
column_overrides <- function(x) UseMethod("column_overrides")

#' @export
column_overrides.default <- function(x) list()
