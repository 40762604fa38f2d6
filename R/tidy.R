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
#' `summary()` and `glance()` give one row per stratum (per test): the
#' tests of [compare_outcomes()] and [compare_access()], the people of each
#' stratum of [describe_cohort()], the verdicts of [compare_groups()], the
#' flags of [compare_services()] per group, the trend tests of
#' [compare_periods()], one column per measure of [inequality_measures()];
#' `glance()` as a plain data frame.
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
glance.equityaudit_result <- function(x, ...) plain_frame(summary(x))

#' @rdname tidy-methods
#' @export
summary.equityaudit_result <- function(object, ...) new_summary(plain_frame(object))

#' @export
summary.equityaudit_groups <- function(object, ...) {
  st <- stratum_rows(object)
  out <- st$df[st$first, st$by, drop = FALSE]
  verdict <- st$df$verdict
  out$comparisons <- stratum_sums(st, rep(1, nrow(st$df)))
  for (v in c("different", "equivalent", "inconclusive")) out[[v]] <- stratum_sums(st, verdict %in% v)
  out$not_compared <- stratum_sums(st, is.na(verdict))
  new_summary(out)
}

#' @export
summary.equityaudit_cohort <- function(object, ...) {
  df <- plain_frame(object)
  keep <- df$variable == "people"
  out <- df[keep, c(unit_columns(object), "n"), drop = FALSE]
  names(out)[names(out) == "n"] <- "people"
  new_summary(out)
}

#' @export
summary.equityaudit_services <- function(object, ...) {
  df <- plain_frame(object)
  funnels <- plain_frame(result_table(object, "funnels"))
  group <- attr(object, "group")
  key <- as.character(df[[group]])
  flags <- levels(df$flag)
  for (f in flags) {
    funnels[[f]] <- as.vector(tapply(df$flag %in% f, factor(key, levels = unique(as.character(funnels[[group]]))), sum))
  }
  new_summary(funnels)
}

#' @export
summary.equityaudit_inequality <- function(object, ...) {
  st <- stratum_rows(object)
  df <- st$df
  out <- df[st$first, c(st$by, "groups", "reference"), drop = FALSE]
  for (m in unique(df$measure)) {
    out[[m]] <- df$value[df$measure == m][match(st$key[st$first], st$key[df$measure == m])]
  }
  new_summary(out)
}

#' @export
summary.equityaudit_power <- function(object, ...) {
  st <- stratum_rows(object)
  new_summary(st$df[st$first, c(st$by, "n_tested", "df", "p_value", "power_w", "label"), drop = FALSE])
}

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
