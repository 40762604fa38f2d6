# Change over time: counts, shares, representation ratios and outcomes by
# period, with the chi-square test for linear trend (compare_periods()).

#' Is it getting better? Shares and outcomes by period, with trend tests
#'
#' Cuts a date column into months, quarters or years (or takes a column of
#' periods as it stands) and gives, per period and group, the number of
#' people, the group's share of the period's people of known group with its
#' Wilson interval, the representation ratio against the eligible
#' population (with `reference`) and the percentage with the outcome (with
#' `outcome`) with its Wilson interval. Per group, the chi-square test for
#' linear trend in its share, and in its outcome percentage, across the
#' periods (scores 1, 2, 3, ... for consecutive periods, equal to
#' [stats::prop.trend.test()]) is in the attribute `"trend"` and in
#' [summary()].
#'
#' Every period from the first to the last is shown, even one with nobody
#' in it, so that the scores of the trend test follow calendar time; periods
#' with nobody (or, for the outcome, nobody of the group) are left out of
#' the test. Dates are counted per day in compiled code and then cut, so a
#' date column of 10^7 records costs one counting pass; for a database
#' table, the counts per day come from one `GROUP BY` query.
#'
#' @inheritParams compare_services
#' @param date The column of dates (class `Date` or `POSIXct`, or text in
#'   ISO 8601 form `"YYYY-MM-DD"`), or of periods with `period = "column"`.
#' @param period `"quarter"` (labelled like `"2019 Q1"`), `"month"`
#'   (`"2019-01"`), `"year"` (`"2019"`), or `"column"` to use the values of
#'   `date` as the periods (in factor level order, otherwise sorted).
#' @param reference The eligible population by group, for representation
#'   ratios: a data frame with the `group` column(s) and a count column
#'   (`ref_count`, default `"n"`), the same for every period.
#' @param conf_level Confidence level of the intervals.
#' @return A data frame of class `equityaudit_periods`, one row per period
#'   and group: `period` (a factor in time order), the group, `n`,
#'   `period_n` (people of known group in the period), `pct` with `pct_low`
#'   and `pct_high`; with `reference`, `ref_pct`, `representation_ratio`,
#'   `ratio_low` and `ratio_high` (Katz log interval, as in
#'   [compare_access()]); with `outcome`, `outcome_n` (people with a known
#'   outcome), `events`, `outcome_pct`, `outcome_low` and `outcome_high`.
#'   Attribute `"trend"`: per group, `share_statistic`, `share_p_value` and,
#'   with `outcome`, `outcome_statistic` and `outcome_p_value` (1 degree of
#'   freedom each).
#' @export
#' @examples
#' res <- compare_periods(ips_synthetic, ethnicity, date_joined,
#'   period = "quarter", outcome = employed
#' )
#' head(res)
#' summary(res)
#' plot(res)
compare_periods <- function(data, group, date, period = c("quarter", "month", "year", "column"),
                            reference = NULL, outcome = NULL, event = NULL,
                            weight = NULL, ref_count = NULL, unknown = NULL,
                            conf_level = 0.95) {
  if (is_lazy_table(data)) {
    return(lazy_call(
      compare_periods, data, match.call(), parent.frame(),
      c("group", "date", "outcome")
    ))
  }
  check_data_frame(data)
  period <- match_arg(period, c("quarter", "month", "year", "column"), "period")
  unknown <- check_unknown(unknown)
  check_conf_level(conf_level)
  env <- parent.frame()
  group <- column_names(substitute(group), data, env, "group")
  date <- one_column(column_names(substitute(date), data, env, "date"), "date")
  outcome <- column_names(substitute(outcome), data, env, "outcome")
  weight <- column_names(substitute(weight), data, env, "weight")
  if (length(group) == 0) abort_input("argument", "Give the `group` column.", arg = "group")
  check_columns(c(group, date, outcome, weight), data, "group")
  weight <- if (length(weight)) one_column(weight, "weight")
  if (length(outcome)) one_column(outcome, "outcome")
  tmp <- data[c(group, outcome, weight)]
  if (period == "column") {
    tmp[[".period"]] <- data[[date]]
  } else {
    tmp[[".period"]] <- date_days(data[[date]], date)
  }
  info <- multi_group_counts(tmp, group, ".period", weight, inner = outcome)
  cut <- period_index(info$strata[[".period"]], period)
  counts <- period_arrays(info, cut, outcome, event, data, unknown)
  ref <- if (!is.null(reference)) {
    period_reference(reference, group, ref_count, counts$labels, unknown)
  }
  period_result(counts, cut$labels, group, ref, conf_level)
}

# Whole days since 1970-01-01 (integer) from a date column.
date_days <- function(x, column) {
  if (inherits(x, "POSIXct")) x <- as.Date(x, tz = attr(x, "tzone") %||% "")
  if (is.character(x) || is.factor(x)) {
    text <- as.character(x)
    parsed <- as.Date(text, format = "%Y-%m-%d")
    bad <- !is.na(text) & (is.na(parsed) | !grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}", text))
    if (any(bad)) {
      abort_input(
        "column",
        sprintf(
          paste0(
            "Column `%s` (`date`) holds text that is not an ISO 8601 date ",
            "(\"YYYY-MM-DD\"): %s. Convert it with as.Date() and a format, ",
            "or use `period = \"column\"`."
          ),
          column, format_values(text[bad])
        ),
        arg = "date", column = column
      )
    }
    x <- parsed
  }
  if (!inherits(x, "Date")) {
    abort_input(
      "column",
      sprintf(
        "Column `%s` (`date`) must hold dates (Date, POSIXct or \"YYYY-MM-DD\" text), not %s.",
        column, class(x)[[1]]
      ),
      arg = "date", column = column
    )
  }
  as.integer(floor(unclass(x)))
}

# The period of each stratum value (days, or period values; NA last) as an
# index into the full run of periods, with their labels.
period_index <- function(values, period) {
  known <- !is.na(values)
  if (period == "column") {
    labels <- if (is.factor(values)) levels(values) else as.character(sort(unique(values[known])))
    idx <- match(as.character(values), labels)
    return(list(index = idx, labels = labels))
  }
  days <- as.Date(as.numeric(values[known]), origin = "1970-01-01")
  lt <- as.POSIXlt(days)
  year <- lt$year + 1900
  step <- switch(period, month = lt$mon, quarter = lt$mon %/% 3, year = 0)
  per_year <- switch(period, month = 12, quarter = 4, year = 1)
  code <- year * per_year + step
  run <- seq(min(code), max(code))
  run_year <- run %/% per_year
  run_step <- run %% per_year
  labels <- switch(period,
    month = sprintf("%04d-%02d", run_year, run_step + 1),
    quarter = sprintf("%04d Q%d", run_year, run_step + 1),
    year = sprintf("%04d", run_year)
  )
  idx <- rep(NA_integer_, length(values))
  idx[known] <- code - min(code) + 1L
  list(index = idx, labels = labels)
}

# Counts [group, period] (known groups) of people, and of events and people
# with a known outcome.
period_arrays <- function(info, cut, outcome, event, data, unknown) {
  n_p <- length(cut$labels)
  labels <- recode_na(info$labels, unknown)
  k <- length(labels)
  s_all <- if (length(outcome)) apply(info$array, c(1, 3), sum) else info$array
  s_all <- matrix(s_all, k)
  no_date <- sum(s_all[, is.na(cut$index)])
  if (no_date > 0) {
    message(sprintf("Left out %s people with no `date`.", format(no_date, big.mark = ",")))
  }
  to_periods <- function(m) {
    m <- matrix(m, k)[, !is.na(cut$index), drop = FALSE]
    out <- t(rowsum(t(m), cut$index[!is.na(cut$index)], reorder = TRUE))
    full <- matrix(0, k, n_p)
    full[, as.integer(colnames(out))] <- out
    rowsum_matrix(full, labels)
  }
  n <- to_periods(s_all)
  yes <- total <- NULL
  if (length(outcome)) {
    levels_y <- info$inner_values[[1]]
    is_event <- event_slots(data[[outcome]], levels_y, event, outcome)
    yes <- to_periods(sum_outcome_levels(info$array, is_event & !is.na(levels_y)))
    no <- to_periods(sum_outcome_levels(info$array, !is_event & !is.na(levels_y)))
    total <- yes + no
  }
  all_labels <- rownames(n)
  known <- !is_missing_label(all_labels, unknown) & rowSums(n) > 0
  keep <- function(m) if (is.null(m)) NULL else m[known, , drop = FALSE]
  list(
    labels = all_labels[known], n = keep(n), events = keep(yes), outcome_n = keep(total),
    group_values = info$group_values
  )
}

# The reference share of every known group.
period_reference <- function(reference, group, ref_count, labels, unknown) {
  check_data_frame(reference, "reference")
  check_columns(group, reference, "reference", "reference")
  ref <- reference_values(reference, ref_count, NULL, "homogeneity")
  ref_labels <- recode_na(frame_labels(reference, group), unknown)
  known <- !is_missing_label(ref_labels, unknown)
  check_labels(
    setdiff(labels, ref_labels), setdiff(unique(ref_labels[known & ref$value > 0]), labels),
    group, "group labels", unknown
  )
  n <- as.vector(rowsum(ref$value[known], ref_labels[known], reorder = FALSE)[labels, 1])
  list(n = n, total = sum(ref$value[known]))
}
