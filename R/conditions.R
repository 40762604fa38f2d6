#' Conditions signalled by equityaudit
#'
#' Every error raised by equityaudit inherits from `equityaudit_error`, and
#' every error about what the user passed in also inherits from
#' `equityaudit_error_input`. The message names the argument (and the column,
#' where there is one) and the offending values. The classes are:
#'
#' * `equityaudit_error_argument`: an argument has the wrong type, length or
#'   value.
#' * `equityaudit_error_column`: a named column is absent from the data, is
#'   named twice, or has a type that cannot be used (a list column, a date,
#'   a non-integer number used as a grouping column).
#' * `equityaudit_error_count`: counts or weights that are negative, missing,
#'   infinite or not whole numbers.
#' * `equityaudit_error_labels`: group labels in the data that do not match
#'   those of the reference population.
#' * `equityaudit_error_table`: a table on which the requested test cannot be
#'   computed, such as a stratum in which only one group has anybody.
#'
#' One warning has a class of its own: `equityaudit_warning_exposed`, from
#' [suppress_counts()], when the shape of the tables gives a count away
#' whatever else is suppressed (see [disclosure_check()]).
#'
#' Catch them with `tryCatch(..., equityaudit_error = function(e) ...)` or
#' test for them with `testthat::expect_error(..., class = )`.
#'
#' @name equityaudit-conditions
NULL

abort_input <- function(what, message, ...) {
  cnd <- structure(
    class = c(
      paste0("equityaudit_error_", what), "equityaudit_error_input",
      "equityaudit_error", "error", "condition"
    ),
    list(message = message, call = NULL, ...)
  )
  stop(cnd)
}

# "a", "b" and 3 more
format_values <- function(x, max = 5) {
  x <- unique(x)
  shown <- encodeString(as.character(x[seq_len(min(length(x), max))]),
    quote = "\""
  )
  shown[is.na(x[seq_len(min(length(x), max))])] <- "NA"
  more <- length(x) - max
  paste0(
    paste(shown, collapse = ", "),
    if (more > 0) paste0(" and ", more, " more") else ""
  )
}
