# Numbers for people to read, as published tables show them: the one place
# that decides how p-values, statistics, counts and percentages are written.

#' Format numbers as published tables do
#'
#' `format_p()` writes p-values as `"< 0.001"` or with three decimals (more
#' where three would round a p-value to the other side of `alpha`, so that
#' a printed p-value never contradicts the verdict read from it),
#' `format_stat()` writes test statistics and ratios with two decimals,
#' `format_count()` writes counts with thousands separators and
#' `format_pct()` percentages with one decimal. None of them ever uses
#' scientific notation; missing values become `""` (or `na`).
#' `readable_table()` applies them to a result of the package, with
#' headings a reader understands (used by [equity_report()] and the
#' printed results).
#'
#' **Withheld values.** Counts withheld by a suppression rule, and the
#' numbers computed from them, are shown as `"*"`, and an interval that
#' cannot be computed as `"n/a"`. With `options(equityaudit.withheld =
#' "gss")`, printed results, [format()], `readable_table()` and
#' [equity_report()] use the Government Statistical Service shorthand
#' instead: `"[c]"` (confidential: withheld by the rule) and `"[x]"` (not
#' available), as [write_tables()] does. The default is
#' `options(equityaudit.withheld = "star")`.
#'
#' @param x Numbers (or, for `readable_table()`, a result data frame).
#' @param digits Decimals shown.
#' @param na Text for missing values.
#' @param alpha The significance level a p-value is read against (`NULL`:
#'   none).
#' @inheritParams equityaudit-arguments
#' @return A character vector (a data frame of text for `readable_table()`).
#' @export
#' @examples
#' format_p(c(0.2, 0.0312, 0.0004, 6.7e-07, NA))
#' format_p(0.0497)
#' format_stat(22.0468)
#' format_count(50000)
format_p <- function(x, digits = 3, na = "", alpha = 0.05, ...) {
  check_no_dots(..., fn = "format_p")
  check_numbers(x)
  # (a computed p-value may exceed 1 by a rounding error)
  bad <- !is.na(x) & (x < 0 | x > 1 + 1e-8)
  if (any(bad)) {
    abort_input(
      "argument",
      sprintf("`x` must be p-values, from 0 to 1; found %s.", format_values(x[bad])),
      arg = "x"
    )
  }
  if (!is.null(alpha)) check_number(alpha, "alpha", 0, 1, open = TRUE)
  x <- pmin(x, 1)
  small <- 10^-digits
  out <- ifelse(x < small, paste0("< ", fixed(small, digits)), fixed(x, digits))
  # a p-value is never rounded to the other side of the significance level
  # that its verdict or label was read against (0.0497 is "0.0497" beside
  # "different", not "0.050")
  if (!is.null(alpha)) {
    cross <- which(!is.na(x) & x >= small & ((x < alpha) != (round(x, digits) < alpha)))
    for (i in cross) {
      d <- digits + 1
      while (d < 12 && (x[[i]] < alpha) != (round(x[[i]], d) < alpha)) d <- d + 1
      out[[i]] <- fixed(x[[i]], d)
    }
  }
  out[is.na(x)] <- na
  out
}

#' @rdname format_p
#' @export
format_stat <- function(x, digits = 2, na = "", ...) {
  check_no_dots(..., fn = "format_stat")
  check_numbers(x)
  out <- fixed(x, digits)
  out[is.na(x)] <- na
  out[is.infinite(x)] <- ifelse(x[is.infinite(x)] > 0, "Inf", "-Inf")
  out
}

#' @rdname format_p
#' @export
format_count <- function(x, na = "", ...) {
  check_no_dots(..., fn = "format_count")
  check_numbers(x)
  out <- formatC(round(as.double(x)), format = "f", digits = 0, big.mark = ",")
  out[is.na(x)] <- na
  out
}

#' @rdname format_p
#' @export
format_pct <- function(x, digits = 1, na = "", ...) {
  check_no_dots(..., fn = "format_pct")
  format_stat(x, digits, na)
}

fixed <- function(x, digits) formatC(as.double(x), format = "f", digits = digits)

check_numbers <- function(x) {
  numbers <- is.numeric(x) && !is.object(x)
  if (!numbers && !(is.logical(x) && all(is.na(x)))) {
    abort_input("argument", sprintf("`x` must be numbers, not %s.", class(x)[[1]]), arg = "x")
  }
}

# A percentage of `den`; NA (not NaN) where `den` is 0: nobody to count.
percent_of <- function(num, den) {
  out <- 100 * num / den
  out[!is.na(den) & den == 0] <- NA_real_
  out
}

# "1 person", "3 people"
people_count <- function(n) {
  paste(format_count(n), if (isTRUE(n == 1)) "person" else "people")
}
