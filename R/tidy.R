# tidy(), glance() and summary() of every result kind (the generics
# package's tidy and glance, as broom uses them).

#' Tidy, glance at and summarise results
#'
#' Every result of the package is a data frame underneath, with one row per
#' stratum and group. `tidy()` gives its rows as a plain data frame (no
#' class, no attributes: ready for `rbind()`, dplyr or a spreadsheet), or
#' one of the other tables the result holds: `tidy(x, "tests")` (one row
#' per test), `"cmh"` (the Cochran-Mantel-Haenszel tests of
#' [compare_outcomes()]), `"adjusted"`, `"adjusted_strata"` and
#' `"standard"` (see [adjustment]), `"pooled"` (the Mantel-Haenszel
#' estimates of [compare_groups()]), `"funnels"` ([compare_services()]),
#' `"trend"` ([compare_periods()]), `"counts"` (the counts a test or
#' measure was computed from: [cmh_test()], [inequality_measures()]),
#' `"cells"` ([chisq_strata()]) and `"left_out"` (the people a verb left
#' out, and why). `print()` shows which a result has.
#'
#' `summary()` gives one row per stratum (per test): the tests of
#' [compare_outcomes()] and [compare_access()] (with the people tested and,
#' for access, how many people's group is not known), the people of each
#' stratum of [describe_cohort()], the verdicts of [compare_groups()], the
#' flags of [compare_services()] per group, the trend tests of
#' [compare_periods()], one column per measure of [inequality_measures()].
#'
#' `glance()` gives one row for the whole result, as broom does: `kind`,
#' the result's own headline numbers (such as how many tests it holds, how
#' many are significant at its level and the smallest p-value, the people
#' it counts, its verdicts), and `rule`, the suppression rule it was
#' published under (`"none"`).
#'
#' @param x,object A result of any function of the package.
#' @param component Which table: `"main"` (the rows) or one of those above.
#' @param ... Unused.
#' @return A data frame.
#' @name tidy-methods
#' @examples
#' res <- compare_outcomes(ips_synthetic, ethnicity, employed,
#'   by = service, exact = "never"
#' )
#' head(tidy(res))
#' glance(res)
#' tidy(res, "cmh")
NULL

#' @importFrom generics tidy glance
#' @export
generics::tidy

#' @export
generics::glance

#' @rdname tidy-methods
#' @export
tidy.equityaudit_result <- function(x, component = "main", ...) {
  tables <- attr(x, "tables") %||% list()
  # nobody left out: an empty table
  if (is.null(tables$left_out)) tables$left_out <- data.frame(reason = character(), n = numeric())
  available <- c("main", "tests", names(tables))
  if (!is.character(component) || length(component) != 1 || !(component %in% available)) {
    abort_input(
      "argument",
      sprintf("`component` must be one of %s.", format_values(available, 20)),
      arg = "component"
    )
  }
  if (component == "main") {
    return(plain_frame(x))
  }
  if (component == "tests") {
    return(plain_frame(summary(x)))
  }
  plain_frame(tables[[component]])
}

#' @rdname tidy-methods
#' @export
glance.equityaudit_result <- function(x, ...) glance_row(x, list(rows = nrow(x)))

# glance(): one row, as broom gives: the kind of result, its own numbers
# (`fields`, each one value) and the rule it was published under.
glance_row <- function(x, fields) {
  new_tidy_frame(c(
    list(kind = result_kind(x)),
    lapply(fields, function(v) if (length(v) == 0) NA else v[[1]]),
    list(rule = published_rule(x))
  ))
}

# How many of the p-values are below the significance level of `x`.
n_significant <- function(p, x) sum(!is.na(p) & p < alpha_of(x))

# The smallest p-value (NA when there is none).
smallest_p <- function(p) if (all(is.na(p))) NA_real_ else min(p, na.rm = TRUE)

#' @rdname tidy-methods
#' @export
summary.equityaudit_result <- function(object, ...) new_summary(plain_frame(object))

#' @export
tidy.equityaudit_summary <- function(x, ...) plain_frame(x)

#' @export
tidy.equityaudit_reproduction <- function(x, ...) plain_frame(x)

#' @export
glance.equityaudit_reproduction <- function(x, ...) {
  s <- x$status
  data.frame(
    statistics = length(s), reproduced = sum(s == "reproduced"),
    misprint = sum(s == "misprint"), not_computable = sum(s == "not computable"),
    differs = sum(s == "differs")
  )
}
