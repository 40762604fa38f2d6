# tidy() and glance() methods (the generics package's, as broom uses): plain
# data frames of a result's rows, and of one row per test or summary.

#' Tidy and glance at results
#'
#' `tidy()` gives the rows of a result as a plain data frame (no class, no
#' attributes: ready for `rbind()`, `dplyr` or a spreadsheet). `glance()`
#' gives one row per test ([compare_outcomes()], [compare_access()]), one
#' row per stratum with the people counted ([describe_cohort()]), or one
#' row with the number of each verdict ([compare_groups()]).
#'
#' @param x A result of [compare_outcomes()], [compare_access()],
#'   [compare_groups()], [describe_cohort()] or [inequality_measures()]
#'   (whose `glance()` has one row per stratum, one column per measure).
#' @param ... Unused.
#' @return A data frame.
#' @name tidy-methods
#' @examples
#' res <- compare_outcomes(ips_synthetic, ethnicity, employed,
#'   by = service, exact = "never"
#' )
#' head(generics::tidy(res))
#' generics::glance(res)
NULL

#' @importFrom generics tidy glance
#' @export
generics::tidy

#' @export
generics::glance

plain_frame <- function(x) {
  out <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  attributes(out) <- attributes(out)[c("names", "row.names", "class")]
  rownames(out) <- NULL
  out
}

#' @rdname tidy-methods
#' @export
tidy.equityaudit_outcomes <- function(x, ...) plain_frame(x)

#' @rdname tidy-methods
#' @export
glance.equityaudit_outcomes <- function(x, ...) plain_frame(summary(x))

#' @rdname tidy-methods
#' @export
tidy.equityaudit_access <- function(x, ...) plain_frame(x)

#' @rdname tidy-methods
#' @export
glance.equityaudit_access <- function(x, ...) plain_frame(summary(x))

#' @rdname tidy-methods
#' @export
tidy.equityaudit_groups <- function(x, ...) plain_frame(x)

#' @rdname tidy-methods
#' @export
glance.equityaudit_groups <- function(x, ...) {
  v <- x$verdict
  data.frame(
    comparisons = length(v), different = sum(v %in% "different"),
    equivalent = sum(v %in% "equivalent"), inconclusive = sum(v %in% "inconclusive"),
    not_tested = sum(is.na(v))
  )
}

#' @rdname tidy-methods
#' @export
tidy.equityaudit_cohort <- function(x, ...) plain_frame(x)

#' @rdname tidy-methods
#' @export
glance.equityaudit_cohort <- function(x, ...) {
  df <- plain_frame(x)
  df <- df[df$variable == "people", c(attr(x, "by"), "n"), drop = FALSE]
  names(df)[names(df) == "n"] <- "people"
  rownames(df) <- NULL
  df
}

#' @rdname tidy-methods
#' @export
tidy.equityaudit_summary <- function(x, ...) plain_frame(x)

#' @rdname tidy-methods
#' @export
tidy.equityaudit_reproduction <- function(x, ...) plain_frame(x)

#' @rdname tidy-methods
#' @export
glance.equityaudit_reproduction <- function(x, ...) {
  s <- x$status
  data.frame(
    statistics = length(s), reproduced = sum(s == "reproduced"),
    misprint = sum(s == "misprint"), not_computable = sum(s == "not computable"),
    differs = sum(s == "differs")
  )
}

#' @rdname tidy-methods
#' @export
tidy.equityaudit_inequality <- function(x, ...) plain_frame(x)

#' @rdname tidy-methods
#' @export
glance.equityaudit_inequality <- function(x, ...) {
  df <- plain_frame(x)
  by <- attr(x, "by")
  key <- strata_key(df[by], nrow(df))
  first <- !duplicated(key)
  out <- df[first, c(by, "groups", "reference"), drop = FALSE]
  for (m in unique(df$measure)) {
    out[[m]] <- df$value[df$measure == m][match(key[first], key[df$measure == m])]
  }
  rownames(out) <- NULL
  out
}
