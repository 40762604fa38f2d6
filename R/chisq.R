# Chi-square tests by stratum: R side of src/chisq.c.

# Counts as a 3-d array from a matrix, table or array given by the user.
array_input <- function(counts) {
  if (!is.numeric(counts) || length(dim(counts)) < 2 || length(dim(counts)) > 3) {
    abort_input(
      "argument",
      paste0(
        "`data` must be a data frame, or a 2- or 3-dimensional numeric ",
        "table or array of counts."
      ),
      arg = "data"
    )
  }
  check_counts(unclass(counts), "data", "data")
  d <- dim(counts)
  if (length(d) == 2) d <- c(d, 1L)
  arr <- counts
  if (!is.double(arr)) storage.mode(arr) <- "double"
  attributes(arr) <- list(dim = d)
  labels <- dimnames(counts)[[3]]
  if (is.null(labels)) labels <- seq_len(d[[3]])
  list(array = arr, strata = list(stratum = labels))
}

#' Chi-square tests of a two-way table within each stratum
#'
#' Computes, for every stratum, the Pearson chi-square test of independence
#' (homogeneity) of `row` and `col`, the likelihood-ratio statistic G^2 and
#' the smallest expected count, all in one call to compiled code. The
#' results equal those of [stats::chisq.test()].
#'
#' People whose `row` or `col` value is missing are counted in `n_missing`
#' and left out of the test. A row or column of the table with nobody in it
#' is left out of the test and of its degrees of freedom (reported in
#' `rows_used` and `cols_used`), where `chisq.test()` would return `NaN`.
#'
#' @param data A data frame (one row per person, or counts in a `weight`
#'   column), or a numeric matrix, table or 3-dimensional array of counts
#'   whose third dimension is the strata.
#' @param row,col The two columns to cross-tabulate (bare names or strings);
#'   ignored for a matrix or array.
#' @param by Stratifying columns; one test per combination present.
#' @param weight Column of counts. By default a column called `n` is used if
#'   there is one (as returned by [tabulate_groups()]), otherwise every row
#'   is one person.
#' @param correct Apply Yates' continuity correction to 2 x 2 tables.
#' @param simulate Also compute a Monte-Carlo p-value for every stratum
#'   (column `mc_p_value`), from `sims` random tables with the observed
#'   margins drawn in C with R's random number generator, so `set.seed()`
#'   makes it reproducible. It agrees, within sampling error, with
#'   `chisq.test(simulate.p.value = TRUE, B = sims)`.
#' @param sims Number of random tables (10 to 10^7).
#' @param suppress `NULL`, or a rule for [suppress_counts()] applied to the
#'   result: the cells are published under it and the tests computed again
#'   from the published cells (a row of a table with a hidden cell left
#'   out).
#' @return A data frame with one row per stratum: the `by` columns, then
#'   `statistic` (Pearson X^2), `df`, `p_value`, `g_statistic`, `g_p_value`,
#'   `min_expected`, `n_expected_below_5`, `n` (people tested),
#'   `n_missing`, `rows_used` and `cols_used`, of class `equityaudit_chisq`.
#'   `tidy(x, "cells")` gives one row per stratum and cell with `observed`,
#'   `expected`, `residual` (Pearson) and `std_residual` (adjusted
#'   residual).
#' A stratum in which fewer than two rows or columns have anybody cannot be
#' tested: its test columns are `NA`, and a message says so (as
#' [compare_outcomes()] gives such a stratum no test).
#' @export
#' @examples
#' people <- data.frame(
#'   service = rep(c("A", "B"), each = 40),
#'   group = rep(c("White", "Black", "Asian", "Other"), 20),
#'   employed = rep(c(TRUE, FALSE, FALSE, TRUE, FALSE), 16)
#' )
#' chisq_strata(people, group, employed, by = service)
#' chisq_strata(matrix(c(12, 5, 9, 11), 2))
chisq_strata <- function(data, row, col, by = NULL, weight = NULL,
                         correct = FALSE, simulate = FALSE, sims = 2000,
                         suppress = NULL) {
  withhold_counts(suppress)
  check_flag(correct, "correct")
  check_flag(simulate, "simulate")
  sims <- check_sims(sims)
  if (!is.null(suppress) && simulate) {
    abort_input(
      "argument",
      "A suppressed result has no simulated p-value (it would rest on unpublished counts); drop `simulate` or `suppress`.",
      arg = "simulate"
    )
  }
  if (!is.data.frame(data)) {
    input <- array_input(data)
    out <- chisq_frame(input$array, input$strata, 0, NULL, correct)
    out <- if (simulate) add_monte_carlo(out, input$array, sims) else out
    return(apply_suppression(out, suppress))
  }
  data <- check_data_frame(data)
  cols <- columns_of(c("row", "col", "by", "weight"), data, environment(), parent.frame(),
    single = c("row", "col", "weight"), required = c("row", "col")
  )
  row <- cols$row
  col <- cols$col
  by <- cols$by
  weight <- cols$weight
  if (length(weight) == 0 && "n" %in% names(data) && !("n" %in% c(row, col, by))) weight <- "n"
  counts <- data
  cc <- count_cells(counts, c(row, col, by),
    weight = weight, arg = c("row", "col", rep("by", length(by)))
  )
  sa <- strata_array(cc, 2)
  nr <- cc$nlev[[1]]
  nc <- cc$nlev[[2]]
  known <- sa$array[seq_len(nr), seq_len(nc), , drop = FALSE]
  n_strata <- dim(sa$array)[[3]]
  n_missing <- colSums(matrix(sa$array, ncol = n_strata)) -
    colSums(matrix(known, ncol = n_strata))
  strata <- strata_frame(sa$by_slots, cc$values[-(1:2)], by)
  labels <- list(
    slot_values(cc$values[[1]])[seq_len(nr)],
    slot_values(cc$values[[2]])[seq_len(nc)]
  )
  names(labels) <- c(row, col)
  out <- chisq_frame(known, strata, n_missing, labels, correct)
  out <- if (simulate) add_monte_carlo(out, known, sims) else out
  apply_suppression(out, suppress)
}
