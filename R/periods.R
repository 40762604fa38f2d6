# Change over time: counts, shares, representation ratios and outcomes by
# period, with the chi-square test for linear trend (compare_periods()).

#' Is it getting better? Shares and outcomes by period, with trend tests
#'
#' Cuts a date column into months, quarters or years, calendar or financial
#' (or takes a column of periods as it stands) and gives, per period and group, the number of
#' people, the group's share of the period's people of known group with its
#' Wilson interval, the representation ratio against the eligible
#' population (with `reference`) and the percentage with the outcome (with
#' `outcome`) with its Wilson interval. Per group, the chi-square test for
#' linear trend in its share, and in its outcome percentage, across the
#' periods (scores 1, 2, 3, ... for consecutive periods, equal to
#' [stats::prop.trend.test()]) is printed, and read with [summary()] or
#' `tidy(x, "trend")`.
#'
#' Every period from the first to the last is shown, even one with nobody
#' in it, so that the scores of the trend test follow calendar time; periods
#' with nobody (or, for the outcome, nobody of the group) are left out of
#' the test. Each day of the dates' span is cut into its period once, and
#' the records are counted by period in compiled code, so a date column of
#' 10^7 records costs one counting pass and the counts grow with the
#' number of periods, not of days; for a database table, the counts per day
#' come from one `GROUP BY` query.
#'
#' NHS and other public-sector readers usually count in financial years,
#' 1 April to 31 March: `period = "financial_year"` labels them `"2021-22"`
#' and `period = "financial_quarter"` labels their quarters `"2021-22 Q1"`
#' (April to June), `"2021-22 Q2"` (July to September), `"2021-22 Q3"`
#' (October to December) and `"2021-22 Q4"` (January to March 2022).
#' `period = "quarter"` is the calendar quarter (`"2021 Q1"` is January to
#' March), the default kept for the results of earlier versions; choose
#' `"financial_quarter"` for a report NHS readers will compare with their
#' board papers.
#'
#' Groups and unknown values follow the rules of [equityaudit-arguments]:
#' people of unknown group are left out of the shares (`period_n` counts
#' people of known group), and people with no date (or no period) are left
#' out; both are counted in `tidy(x, "left_out")`.
#'
#' @inheritParams equityaudit-arguments
#' @return A data frame of class `equityaudit_periods`, one row per period
#'   and group: `period` (a factor in time order, labelled as `period`
#'   says), the group, `n`,
#'   `period_n` (people of known group in the period), `pct` with `pct_low`
#'   and `pct_high`; with `reference`, `ref_pct`, `representation_ratio`,
#'   `ratio_low` and `ratio_high` (Katz log interval, as in
#'   [compare_access()]); with `outcome`, `outcome_n` (people with a known
#'   outcome), `events`, `outcome_pct`, `outcome_low` and `outcome_high`.
#'   [summary()] (or `tidy(x, "trend")`): per group, `share_periods` (the
#'   periods the test used: those with people and, under a rule, published
#'   counts), `share_statistic`, `share_p_value` and, with `outcome`,
#'   `outcome_periods`, `outcome_statistic` and `outcome_p_value` (1 degree
#'   of freedom each).
#' @export
#' @examples
#' res <- compare_periods(ips_synthetic, ethnicity, date_joined,
#'   period = "quarter", outcome = employed
#' )
#' head(res)
#' summary(res)
#' plot(res)
#' # financial quarters: January to March 2019 is "2018-19 Q4", April to June "2019-20 Q1"
#' fy <- compare_periods(ips_synthetic, ethnicity, date_joined,
#'   period = "financial_quarter"
#' )
#' levels(fy$period)
compare_periods <- function(data, group, date,
                            period = c(
                              "quarter", "month", "year", "financial_quarter", "financial_year",
                              "column"
                            ),
                            reference = NULL, outcome = NULL, event = NULL,
                            unknown = NULL, conf_level = 0.95, ref_count = NULL,
                            weight = NULL, suppress = "none", ...) {
  check_no_dots(..., fn = "compare_periods")
  withhold_counts(suppress)
  period <- match_arg(period, period_kinds, "period")
  unknown <- check_unknown(unknown)
  check_conf_level(conf_level)
  env <- parent.frame()
  input <- verb_input(data, c("group", "date", "outcome", "weight"), environment(), env,
    required = c("group", "date")
  )
  pc <- period_counts(input, period, event, unknown, reference, environment(), env)
  out <- period_result(pc$counts, pc$cut$labels, pc$tl, pc$ref, conf_level)
  attr(out, "period_days") <- pc$cut$days
  apply_suppression(out, suppress)
}

# The counts [group, period] of a verb over periods (compare_periods(),
# monitor_equality()) from its input: each record cut into its period, the
# people (and events) of each known group in each period, and the
# reference population of each group (`frame`, the verb's environment,
# holds `ref_count`). Returns list(counts, cut, tl, ref).
period_counts <- function(input, period, event, unknown, reference, frame, env) {
  cols <- input_columns(input)
  data <- input$data
  tmp <- data[c(cols$group, cols$outcome, cols$weight)]
  # each record's period (not its day), so that the counts are groups x
  # periods however many days the dates span
  tmp[[".period"]] <- if (period == "column") {
    data[[cols$date]]
  } else {
    days <- date_days(data[[cols$date]], cols$date)
    codes <- period_codes(days, period)
    check_period_gaps(codes, days, period, cols$date)
    codes
  }
  split <- c(date = ".period")
  tl <- if (length(cols$outcome) > 0) {
    outcome_tally(tmp, cols, split, event, unknown)
  } else {
    tally(tmp, cols$group, split, cols$weight, unknown = unknown)
  }
  values <- tl$strata[[".period"]]
  values[tl$strata_unknown[[".period"]]] <- NA
  if (period != "column") values <- as.numeric(values)
  if (all(is.na(values))) {
    abort_input(
      "column",
      sprintf("Column `%s` (`date`) has no %s: there is nothing to compare over time.",
        cols$date, if (period == "column") "known periods" else "dates"),
      arg = "date", column = cols$date
    )
  }
  cut <- period_index(values, period)
  counts <- period_arrays(tl, cut, length(cols$outcome) > 0)
  ref <- if (!is.null(reference)) {
    ref_cols <- reference_input(reference, frame, env, cols$group)
    r <- period_reference(ref_cols$reference, tl, cols$group, ref_cols$value)
    r$is_prop <- isTRUE(ref_cols$is_prop)
    r
  }
  list(counts = counts, cut = cut, tl = tl, ref = ref)
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

# The period of each stratum value (period codes from period_codes(), or
# the values of a period column; NA last) as an
# index into the full run of periods, with their labels.
period_index <- function(values, period) {
  known <- !is.na(values)
  if (period == "column") {
    labels <- if (is.factor(values)) levels(values) else as.character(sort(unique(values[known]), method = "radix"))
    idx <- match(as.character(values), labels)
    return(list(index = idx, labels = labels))
  }
  code <- values[known]
  per_year <- periods_per_year(period)
  run <- seq(min(code), max(code))
  run_year <- run %/% per_year
  run_step <- run %% per_year
  labels <- switch(period,
    month = sprintf("%04d-%02d", run_year, run_step + 1),
    quarter = sprintf("%04d Q%d", run_year, run_step + 1),
    year = sprintf("%04d", run_year),
    financial_quarter = sprintf("%s Q%d", financial_year_label(run_year), run_step + 1),
    financial_year = financial_year_label(run_year)
  )
  idx <- rep(NA_integer_, length(values))
  idx[known] <- as.integer(code - min(code) + 1L)
  list(index = idx, labels = labels, days = period_days(run, period, labels))
}

# The financial year (1 April to 31 March) that starts in `year`, as NHS
# and government publications label it: "2021-22", "1999-00".
financial_year_label <- function(year) sprintf("%04d-%02d", year, (year + 1L) %% 100L)

# The first and last day (days since 1970-01-01) of each period of a run of
# period codes, so that tables of months, quarters and years can be laid
# one within another (a quarter within its year, a financial quarter
# within its financial year).
period_days <- function(run, period, labels) {
  per_year <- periods_per_year(period)
  start_of <- function(code) {
    # months since the start of year 0 (a financial year starts in April)
    months <- (code %/% per_year) * 12L + (code %% per_year) * (12L %/% per_year) +
      financial_offset(period)
    as.numeric(as.Date(sprintf("%04d-%02d-01", months %/% 12L, months %% 12L + 1L)))
  }
  data.frame(label = labels, from = start_of(run), to = start_of(run + 1L) - 1, stringsAsFactors = FALSE)
}

# A date typed wrongly (2204 for 2024) would make centuries of empty
# periods: dates separated from the rest by more than two years with
# nobody are refused, naming them.
check_period_gaps <- function(codes, days, period, column) {
  known <- sort(unique(codes[!is.na(codes)]))
  gap <- diff(known)
  big <- which(gap > 2 * periods_per_year(period))
  if (length(big) == 0) {
    return(invisible())
  }
  b <- big[which.max(gap[big])]
  below <- !is.na(codes) & codes <= known[[b]]
  above <- !is.na(codes) & codes >= known[[b + 1]]
  far <- if (sum(below) <= sum(above)) below else above
  rest <- range(days[!far & !is.na(days)])
  rows <- which(far)
  dates <- as.Date(days[rows], origin = "1970-01-01")
  abort_input(
    "column",
    sprintf(
      paste0(
        "Column `%s` (`date`) has dates more than two years from all the others, ",
        "with nobody between: %s (row%s %s), while the other dates run from %s to %s. ",
        "Correct them if they were typed wrongly, or leave those rows out."
      ),
      column, format_values(format(dates)), if (length(rows) > 1) "s" else "",
      format_values(rows), format(as.Date(rest[[1]], origin = "1970-01-01")),
      format(as.Date(rest[[2]], origin = "1970-01-01"))
    ),
    arg = "date", column = column, rows = rows
  )
}

# The periods a date column can be cut into (and "column": the column's own).
period_kinds <- c("quarter", "month", "year", "financial_quarter", "financial_year", "column")

periods_per_year <- function(period) {
  switch(period, month = 12L, quarter = 4L, year = 1L, financial_quarter = 4L, financial_year = 1L)
}

# Months from 1 January to the start of the year the periods are counted
# in: 3 for financial years (1 April), else 0.
financial_offset <- function(period) {
  if (period %in% c("financial_quarter", "financial_year")) 3L else 0L
}

# The period of each day (whole days since 1970-01-01) as year *
# periods_per_year + period within the year (for financial periods, the
# year that starts on 1 April, and the period within it); NA stays NA. Dates span far
# fewer days than there are records, so each day of the span is cut once.
period_codes <- function(days, period) {
  if (all(is.na(days))) {
    return(days)
  }
  from <- min(days, na.rm = TRUE)
  span <- max(days, na.rm = TRUE) - from + 1
  if (span > length(days)) {
    return(day_period_codes(days, period))
  }
  day_period_codes(seq(from, length.out = span), period)[days - from + 1L]
}

day_period_codes <- function(days, period) {
  lt <- as.POSIXlt(as.Date(as.numeric(days), origin = "1970-01-01"))
  # months since the start of year 0, less the months before the year starts
  months <- (lt$year + 1900L) * 12L + lt$mon - financial_offset(period)
  per_year <- periods_per_year(period)
  as.integer((months %/% 12L) * per_year + (months %% 12L) %/% (12L %/% per_year))
}

# Counts [group, period] of people (all with a known group), and of
# events and people with a known outcome, for every known group (those
# with nobody too: the rows do not depend on the counts); with the people
# left out.
period_arrays <- function(tl, cut, has_outcome) {
  n_p <- length(cut$labels)
  g <- tl$groups
  a <- tl$array
  k <- length(g$label)
  people <- people_by_stratum(tl)
  dated <- !is.na(cut$index)
  to_periods <- function(m) {
    m <- matrix(m, k)[, dated, drop = FALSE]
    full <- matrix(0, k, n_p)
    if (ncol(m) > 0) {
      out <- t(rowsum(t(m), cut$index[dated], reorder = TRUE))
      full[, as.integer(colnames(out))] <- out
    }
    full
  }
  n <- to_periods(people)
  yes <- total <- NULL
  if (has_outcome) {
    yes <- to_periods(a[, 2, ])
    total <- yes + to_periods(a[, 1, ])
  }
  rows <- which(!g$unknown)
  keep <- function(m) if (is.null(m)) NULL else m[rows, , drop = FALSE]
  no_date <- sum(people[, !dated])
  if (no_date > 0) {
    note(
      sprintf("Left out %s with no date.", people_count(no_date)),
      "Left out the people with no date"
    )
  }
  list(
    rows = rows, n = keep(n), events = keep(yes), outcome_n = keep(total),
    left_out = new_tidy_frame(list(
      reason = c("no date", sprintf("`%s` not known", tl$name)),
      n = c(no_date, sum(people[g$unknown, dated]))
    ))
  )
}

# The reference share of every known group (one population for every
# period), lined up with the tally's groups.
period_reference <- function(reference, tl, group, values) {
  one <- tl
  one$array <- matrix(people_by_stratum(tl), nrow = length(tl$groups$label))
  one$array <- matrix(rowSums(one$array), ncol = 1)
  one$strata <- list()
  one$strata_unknown <- list()
  m <- align_reference(reference, one, group, character(), values)
  known <- !tl$groups$unknown
  list(n = m[, 1], total = sum(m[known, 1]))
}
