# Helpers for preparing an extract: age bands and follow-up windows.

#' Age bands
#'
#' Cuts ages into bands closed on the right, labelled as in the BJPsych IPS
#' study: with the default `breaks = c(25, 40, 55)` the bands are
#' "up to 25", "26-40", "41-55" and "over 55". A band's label shows whole
#' years: an age of 25.5 falls in "26-40". Missing ages stay missing.
#'
#' @param breaks Increasing upper limits of every band but the last.
#' @inheritParams equityaudit-arguments
#' @return An ordered factor.
#' @export
#' @examples
#' age_band(c(17, 25, 26, 40, 41, 55, 56, NA))
#' age_band(c(30, 70), breaks = c(34, 64))
age_band <- function(age, breaks = c(25, 40, 55), ...) {
  check_no_dots(..., fn = "age_band")
  if (!is.numeric(age) || is.object(age)) {
    abort_input("argument", sprintf("`age` must be numeric, not %s.", class(age)[[1]]),
      arg = "age"
    )
  }
  if (!is.numeric(breaks) || length(breaks) < 1 || anyNA(breaks) ||
    any(!is.finite(breaks)) || is.unsorted(breaks, strictly = TRUE)) {
    abort_input("argument", "`breaks` must be strictly increasing finite numbers.",
      arg = "breaks"
    )
  }
  bad <- which(!is.na(age) & (age < 0 | !is.finite(age)))
  if (length(bad) > 0) {
    abort_input(
      "argument",
      sprintf("`age` must be non-negative; found %s.", format_values(age[bad])),
      arg = "age"
    )
  }
  nb <- length(breaks)
  labels <- c(
    paste("up to", format(breaks[[1]], trim = TRUE)),
    if (nb > 1) {
      paste0(
        format(floor(breaks[-nb]) + 1, trim = TRUE), "-",
        format(breaks[-1], trim = TRUE)
      )
    },
    paste("over", format(breaks[[nb]], trim = TRUE))
  )
  cut(age, c(-Inf, breaks, Inf), labels = labels, right = TRUE, ordered_result = TRUE)
}

#' Age in whole years at a date
#'
#' The age in completed years on the date `on` of people born on `birth`:
#' the years since birth, less one if the birthday has not yet come that
#' year. Someone born on 29 February turns a year older on 1 March in other
#' years. Use it with [age_band()] to band ages at, for example, the date
#' people joined a service.
#'
#' @param birth Dates of birth (class `Date`).
#' @param on The date at which ages are wanted: one `Date` or
#'   `"YYYY-MM-DD"` string, or a `Date` vector as long as `birth` (for
#'   example each person's start date).
#' @inheritParams equityaudit-arguments
#' @return An integer vector of ages; `NA` where a date is missing. A date
#'   of birth after `on` is an error.
#' @export
#' @examples
#' born <- as.Date(c("1990-06-15", "2000-02-29", NA))
#' age_at(born, "2020-06-14")
#' age_at(born, as.Date(c("2020-06-15", "2021-03-01", "2020-01-01")))
#' age_band(age_at(born, "2020-06-15"))
age_at <- function(birth, on, ...) {
  check_no_dots(..., fn = "age_at")
  if (!inherits(birth, "Date")) {
    abort_input(
      "argument",
      sprintf("`birth` must be dates of birth (class Date), not %s.", class(birth)[[1]]),
      arg = "birth"
    )
  }
  if (length(on) != 1 && length(on) != length(birth)) {
    abort_input(
      "argument",
      sprintf(
        "`on` must be one date, or as many dates as `birth` (%s), not %s.",
        format_count(length(birth)), format_count(length(on))
      ),
      arg = "on"
    )
  }
  on <- if (inherits(on, "Date") && length(on) != 1) on else check_date(on, "on")
  lb <- as.POSIXlt(birth)
  lo <- as.POSIXlt(on)
  years <- (lo$year - lb$year) - ((lo$mon * 100 + lo$mday) < (lb$mon * 100 + lb$mday))
  years <- rep_len(as.integer(years), length(birth))
  years[is.na(birth) | rep_len(is.na(on), length(birth))] <- NA
  early <- which(years < 0)
  if (length(early) > 0) {
    abort_input(
      "argument",
      sprintf(
        "`birth` is after `on` in %s row%s (%s).", format_count(length(early)),
        if (length(early) > 1) "s" else "", paste(utils::head(early, 5), collapse = ", ")
      ),
      arg = "birth"
    )
  }
  years
}

#' Keep people with enough follow-up
#'
#' Keeps the people who joined early enough to have had at least
#' `min_months` of support by the census date: those whose start date plus
#' `min_months` calendar months (clamped to the end of shorter months) is
#' no later than `census`. In the BJPsych IPS study, with a census on 31
#' December 2019 and six months, these are the people who joined by 30 June.
#'
#' People left out, and people whose start date is missing (who cannot be
#' assessed, and are also left out), are counted in a message and in the
#' attribute `"follow_up"` of the result.
#'
#' @param start The column of start dates (class `Date`).
#' @param census The census date: a `Date` or a `"YYYY-MM-DD"` string (any
#'   other form, such as `"31/12/2019"`, is an error rather than a guess).
#' @param min_months Months of follow-up required.
#' @inheritParams equityaudit-arguments
#' @return `data` without the people left out, with attribute `"follow_up"`:
#'   a data frame with `n_kept`, `n_too_recent` and `n_missing_start`.
#' @export
#' @examples
#' people <- data.frame(
#'   joined = as.Date(c("2019-01-15", "2019-06-30", "2019-07-01", NA)),
#'   employed = c(TRUE, FALSE, TRUE, FALSE)
#' )
#' follow_up(people, joined, census = "2019-12-31")
follow_up <- function(data, start, census, min_months = 6, ...) {
  check_no_dots(..., fn = "follow_up")
  check_data_frame(data)
  start <- one_column(column_names(substitute(start), data, parent.frame(), "start"), "start")
  check_columns(start, data, "start")
  d <- data[[start]]
  if (!inherits(d, "Date")) {
    abort_input(
      "column",
      sprintf("Column `%s` (`start`) must be a Date, not %s.", start, class(d)[[1]]),
      arg = "start", column = start
    )
  }
  census <- check_date(census, "census")
  if (!is.numeric(min_months) || length(min_months) != 1 || is.na(min_months) ||
    min_months < 0 || min_months != trunc(min_months)) {
    abort_input("argument", "`min_months` must be a whole number of months.",
      arg = "min_months"
    )
  }
  due <- add_months(d, min_months)
  keep <- !is.na(d) & due <= census
  out <- data[keep, , drop = FALSE]
  rownames(out) <- NULL
  report <- data.frame(
    n_kept = sum(keep), n_too_recent = sum(!is.na(d) & !keep),
    n_missing_start = sum(is.na(d))
  )
  attr(out, "follow_up") <- report
  message(sprintf(
    paste0(
      "Kept %d people with at least %d months of follow-up by %s; ",
      "left out %d who joined later and %d with no start date."
    ),
    report$n_kept, min_months, format(census), report$n_too_recent,
    report$n_missing_start
  ))
  out
}

# Adds whole calendar months, clamping to the last day of the month.
add_months <- function(d, months) {
  out <- d
  ok <- !is.na(d)
  out[ok] <- add_months_known(d[ok], months)
  out
}

add_months_known <- function(d, months) {
  if (length(d) == 0) {
    return(d)
  }
  lt <- as.POSIXlt(d)
  target_mon <- lt$mon + months
  year <- lt$year + 1900 + target_mon %/% 12
  mon <- target_mon %% 12
  first <- as.Date(sprintf("%04d-%02d-01", year, mon + 1))
  next_first <- as.Date(sprintf(
    "%04d-%02d-01", year + (mon == 11), (mon + 1) %% 12 + 1
  ))
  last_day <- as.integer(format(next_first - 1, "%d"))
  first + pmin(lt$mday, last_day) - 1
}
