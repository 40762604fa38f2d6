# Results for people to read: headings a reader understands, estimates
# with their intervals, and every number written as published tables
# write it (utils-numbers.R).

# Headings of the result columns, for readers.
column_headings <- c(
  n = "People", events = "With the outcome", pct = "%",
  pct_ci = "% (95% interval)", ref_n = "Eligible population",
  ref_pct = "% of eligible", access_rate = "Users per 100 eligible",
  representation_ratio = "Representation ratio",
  ratio_ci = "Representation ratio (95% interval)", verdict = "Verdict",
  statistic = "Chi-square", df = "df", p_value = "p",
  exact_p_value = "Exact p", method = "Test", cramers_v = "Cramer's V",
  reference = "Compared with", difference = "Difference (points)",
  diff_ci = "Difference, points (95% interval)",
  measure = "Measure", label = "Measure", value = "Value", value_ci = "Value (95% interval)",
  groups = "Groups compared",
  n_outcome_missing = "Outcome not known", strata_used = "Strata used",
  expected = "Expected", isr = "Adjusted ratio", isr_ci = "Adjusted ratio (95% interval)",
  std_pct = "Standardised %", std_ci = "Standardised % (95% interval)",
  target = "Expected %", limits_95 = "Expected range (95%)", flag = "Against the expected range",
  z_score = "z", period = "Period", share_ci = "Share of the period's people, % (95% interval)",
  outcome_pct = "% with the outcome", outcome_ci = "% with the outcome (95% interval)",
  share_statistic = "Trend in share: chi-square", share_p_value = "Trend in share: p",
  outcome_statistic = "Trend in outcome: chi-square", outcome_p_value = "Trend in outcome: p"
)

# Columns shown as "estimate (low to high)"; a pair without an estimate
# ("low to high").
interval_columns <- list(
  pct_ci = c("pct", "pct_low", "pct_high"),
  ratio_ci = c("representation_ratio", "ratio_low", "ratio_high"),
  diff_ci = c("difference", "diff_low", "diff_high"),
  value_ci = c("value", "low", "high"),
  isr_ci = c("isr", "isr_low", "isr_high"),
  std_ci = c("std_pct", "std_low", "std_high"),
  share_ci = c("pct", "pct_low", "pct_high"),
  outcome_ci = c("outcome_pct", "outcome_low", "outcome_high"),
  limits_95 = c(NA, "lower_95", "upper_95")
)

#' @rdname format_p
#' @param cols Columns to show, in order; an interval column name
#'   (`"pct_ci"`, `"ratio_ci"`, `"diff_ci"`, `"value_ci"`) shows an estimate
#'   with its interval.
#' @export
readable_table <- function(x, cols = names(x), ...) {
  check_no_dots(..., fn = "readable_table")
  starred <- attr(x, "suppression")$starred %||% list()
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  check_table_columns(cols, df)
  out <- lapply(cols, function(col) {
    if (col %in% names(interval_columns)) {
      return(interval_text(df, interval_columns[[col]], col, starred))
    }
    v <- readable_column(df[[col]], col)
    v[starred[[col]] %||% integer()] <- withheld_mark()
    v
  })
  names(out) <- cols
  out <- out[!vapply(out, is.null, TRUE)]
  headings <- column_headings
  if (inherits(x, "equityaudit_groups")) {
    headings[c("ref_n", "ref_pct")] <- c("People compared with", "% compared with")
  }
  heads <- ifelse(names(out) %in% names(headings), headings[names(out)], names(out))
  out <- as.data.frame(out, stringsAsFactors = FALSE, optional = TRUE)
  names(out) <- heads
  out
}

# Every column asked for is a column of the table, or an interval whose
# columns it has: a misspelt name is an error, never a column left out.
check_table_columns <- function(cols, df) {
  if (!is.character(cols) || anyNA(cols)) {
    abort_input("argument", "`cols` must be column names.", arg = "cols")
  }
  complete <- vapply(interval_columns, function(p) all(p[!is.na(p)] %in% names(df)), TRUE)
  unknown <- setdiff(cols, c(names(df), names(interval_columns)[complete]))
  if (length(unknown) > 0) {
    abort_input(
      "column",
      sprintf(
        "`cols` names %s, not %s of `x`. Its columns are: %s.",
        format_values(unknown), if (length(unknown) == 1) "a column" else "columns",
        format_values(c(names(df), names(interval_columns)[complete]), max = 40)
      ),
      arg = "cols", column = unknown
    )
  }
}

# "estimate (low to high)"; an estimate without both limits is withheld
# ("n/a", or "[x]"), never shown with an empty interval.
interval_text <- function(df, parts, col, starred) {
  have <- parts[!is.na(parts)]
  if (!all(have %in% names(df))) {
    return(NULL)
  }
  if (nrow(df) == 0) {
    return(character())
  }
  d <- if (col %in% c("ratio_ci", "value_ci", "isr_ci")) 2 else 1
  est <- if (is.na(parts[[1]])) rep(0, nrow(df)) else df[[parts[[1]]]]
  lo <- df[[parts[[2]]]]
  hi <- df[[parts[[3]]]]
  limits <- paste(format_stat(lo, d), "to", format_stat(hi, d))
  v <- if (is.na(parts[[1]])) limits else paste0(format_stat(est, d), " (", limits, ")")
  v[is.na(est) | is.na(lo) | is.na(hi)] <- withheld_mark("x")
  v[is.na(est) & !is.na(parts[[1]])] <- ""
  v[unique(unlist(starred[have]))] <- withheld_mark()
  v
}

readable_column <- function(v, col) {
  if (is.factor(v) || is.character(v) || is.logical(v)) {
    v <- as.character(v)
    v[is.na(v)] <- ""
    return(v)
  }
  if (grepl("p_value$|^p_adjusted$", col)) {
    return(format_p(v))
  }
  counts <- c(
    "n", "events", "ref_n", "ref_events", "n_outcome_missing", "rest_n", "n_tested", "df",
    "groups", "strata_used", "people", "period_n", "outcome_n", "service_n", "service_ref_n",
    "services", "comparisons", "different", "equivalent", "inconclusive", "not_compared",
    "rows_used", "cols_used", "n_missing", "n_expected_below_5", "observed", "n_unknown"
  )
  if (col %in% counts) {
    return(format_count(v))
  }
  if (grepl("pct", col)) {
    return(format_pct(v))
  }
  format_stat(v)
}

# How a value that is not shown is marked: `"c"` a value withheld by the
# suppression rule ("*"), `"x"` one that cannot be computed ("n/a"); with
# options(equityaudit.withheld = "gss"), the Government Statistical
# Service shorthand "[c]" and "[x]".
withheld_mark <- function(what = c("c", "x")) {
  what <- what[[1]]
  style <- getOption("equityaudit.withheld", "star")
  if (!is.character(style) || length(style) != 1 || !style %in% c("star", "gss")) {
    abort_input(
      "argument",
      "`options(equityaudit.withheld =)` must be \"star\" (the default) or \"gss\".",
      arg = "equityaudit.withheld"
    )
  }
  if (style == "gss") {
    return(paste0("[", what, "]"))
  }
  if (what == "c") "*" else "n/a"
}
