#' Conditions signalled by equityaudit
#'
#' Every error raised by equityaudit inherits from `equityaudit_error`, and
#' every error about what the user passed in also inherits from
#' `equityaudit_error_input`. The message names the argument (and the column,
#' where there is one) and the offending values; the condition object
#' carries them as fields (`arg`, `column`, and others named below). The
#' classes are:
#'
#' * `equityaudit_error_argument`: an argument has the wrong type, length or
#'   value.
#' * `equityaudit_error_column`: a named column is absent from the data, is
#'   named twice, or has a type that cannot be used (a list column, a date,
#'   a non-integer number used as a grouping column).
#' * `equityaudit_error_count`: counts or weights that are negative, missing,
#'   infinite or not whole numbers.
#' * `equityaudit_error_labels`: group labels in the data that do not match
#'   those of the reference population, or a reference with two rows for
#'   one group and stratum.
#' * `equityaudit_error_table`: a table on which the requested computation
#'   cannot be done: a stratum in which only one group has anybody (for a
#'   test that needs two), or more combinations of values than can be
#'   counted (field `cells`).
#' * `equityaudit_error_internal` (not an input error): a state that should
#'   never happen. Please report it with the code that produced it.
#'
#' Two warnings have classes of their own: `equityaudit_warning_exposed`,
#' from [suppress_counts()], when the shape of the tables gives a count away
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

# The one helper for states that should never happen, in R and in C
# (src/checks.c calls it, so errors raised in compiled code are classed
# too).
abort_internal <- function(message) {
  cnd <- structure(
    class = c("equityaudit_error_internal", "equityaudit_error", "error", "condition"),
    list(
      message = paste0(
        "internal error in equityaudit: ", message,
        "\nThis should not happen; please report it with the code that produced it."
      ),
      call = NULL
    )
  )
  stop(cnd)
}

# "a", "b" and 3 more (numbers unquoted: 2, 5 and 3 more)
format_values <- function(x, max = 5) {
  x <- unique(x)
  text <- is.character(x) || is.factor(x)
  shown <- encodeString(as.character(x[seq_len(min(length(x), max))]),
    quote = if (text) "\"" else ""
  )
  shown[is.na(x[seq_len(min(length(x), max))])] <- "NA"
  more <- length(x) - max
  paste0(
    paste(shown, collapse = ", "),
    if (more > 0) paste0(" and ", more, " more") else ""
  )
}

# A note to the user about what a verb did (people left out, tests run
# another way). Under a suppression rule (see withhold_counts()) a note
# computed from counts the tables do not publish says only `withheld`, the
# same without its number, and that the number is withheld (NULL: nothing
# is said), unless `published` (the note rests on published counts alone).
note <- function(message, withheld = NULL, published = FALSE) {
  if (!published && isTRUE(getOption("equityaudit.withhold_counts"))) {
    if (is.null(withheld)) {
      return(invisible())
    }
    message <- paste0(withheld, " (how many is withheld under the suppression rule).")
  }
  cnd <- structure(
    class = c("equityaudit_note", "message", "condition"),
    list(message = paste0(message, "\n"), call = NULL)
  )
  message(cnd)
}

