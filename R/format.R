# Numbers for people to read, as published tables show them: the one place
# that decides how p-values, statistics, counts and percentages are written.

#' Format numbers as published tables do
#'
#' `format_p()` writes p-values as `"< 0.001"` or with three decimals,
#' `format_stat()` writes test statistics and ratios with two decimals,
#' `format_count()` writes counts with thousands separators and
#' `format_pct()` percentages with one decimal. None of them ever uses
#' scientific notation; missing values become `""` (or `na`).
#' `readable_table()` applies them to a result of the package, with
#' headings a reader understands (used by [equity_report()] and the
#' printed results).
#'
#' @param x Numbers (or, for `readable_table()`, a result data frame).
#' @param digits Decimals shown.
#' @param na Text for missing values.
#' @return A character vector (a data frame of text for `readable_table()`).
#' @export
#' @examples
#' format_p(c(0.2, 0.0312, 0.0004, 6.7e-07, NA))
#' format_stat(22.0468)
#' format_count(50000)
format_p <- function(x, digits = 3, na = "") {
  check_numbers(x)
  small <- 10^-digits
  out <- ifelse(x < small, paste0("< ", fixed(small, digits)), fixed(x, digits))
  out[is.na(x)] <- na
  out
}

#' @rdname format_p
#' @export
format_stat <- function(x, digits = 2, na = "") {
  check_numbers(x)
  out <- fixed(x, digits)
  out[is.na(x)] <- na
  out[is.infinite(x)] <- ifelse(x[is.infinite(x)] > 0, "Inf", "-Inf")
  out
}

#' @rdname format_p
#' @export
format_count <- function(x, na = "") {
  check_numbers(x)
  out <- formatC(round(as.double(x)), format = "f", digits = 0, big.mark = ",")
  out[is.na(x)] <- na
  out
}

#' @rdname format_p
#' @export
format_pct <- function(x, digits = 1, na = "") format_stat(x, digits, na)

fixed <- function(x, digits) formatC(as.double(x), format = "f", digits = digits)

check_numbers <- function(x) {
  numbers <- is.numeric(x) && !is.object(x)
  if (!numbers && !(is.logical(x) && all(is.na(x)))) {
    abort_input("argument", sprintf("`x` must be numbers, not %s.", class(x)[[1]]), arg = "x")
  }
}

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
  measure = "Measure", value = "Value", value_ci = "Value (95% interval)",
  n_outcome_missing = "Outcome not known", strata_used = "Strata used"
)

# Columns shown as "estimate (low to high)".
interval_columns <- list(
  pct_ci = c("pct", "pct_low", "pct_high"),
  ratio_ci = c("representation_ratio", "ratio_low", "ratio_high"),
  diff_ci = c("difference", "diff_low", "diff_high"),
  value_ci = c("value", "low", "high")
)

#' @rdname format_p
#' @param cols Columns to show, in order; an interval column name
#'   (`"pct_ci"`, `"ratio_ci"`, `"diff_ci"`, `"value_ci"`) shows an estimate
#'   with its interval.
#' @export
readable_table <- function(x, cols = names(x)) {
  starred <- attr(x, "suppression")$starred %||% list()
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  cols <- cols[cols %in% c(names(df), names(interval_columns))]
  out <- lapply(cols, function(col) {
    if (col %in% names(interval_columns)) {
      parts <- interval_columns[[col]]
      if (!all(parts %in% names(df))) {
        return(NULL)
      }
      d <- if (col == "ratio_ci" || col == "value_ci") 2 else 1
      v <- ifelse(is.na(df[[parts[[1]]]]), "",
        paste0(
          format_stat(df[[parts[[1]]]], d), " (", format_stat(df[[parts[[2]]]], d, "?"),
          " to ", format_stat(df[[parts[[3]]]], d, "?"), ")"
        )
      )
      v[unique(unlist(starred[parts]))] <- "*"
      return(v)
    }
    v <- readable_column(df[[col]], col)
    v[starred[[col]] %||% integer()] <- "*"
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
    "rows_used", "cols_used", "n_missing", "n_expected_below_5", "observed"
  )
  if (col %in% counts) {
    return(format_count(v))
  }
  if (grepl("pct", col)) {
    return(format_pct(v))
  }
  format_stat(v)
}
