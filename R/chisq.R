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
#' `data` is a data frame (one row per person, or counts in `weight`), a
#' database table, or a numeric matrix, table or 3-dimensional array of
#' counts whose third dimension is the strata (`row` and `col` are then
#' not needed). With `by`, one test is made for every combination of its
#' values that has anybody.
#'
#' People whose `row` or `col` value is missing are counted in `n_missing`
#' and left out of the test. A row or column of the table with nobody in it
#' is left out of the test and of its degrees of freedom (reported in
#' `rows_used` and `cols_used`), where `chisq.test()` would return `NaN`.
#' A stratum in which fewer than two rows or columns have anybody cannot be
#' tested: its test columns are `NA`, and a message says so (as
#' [compare_outcomes()] gives such a stratum no test). Under a suppression
#' rule (`suppress`), the cells are published under it and the tests
#' computed again from the published cells, a row of a table with a
#' hidden cell left out.
#'
#' @param row,col The two columns to cross-tabulate (bare names or strings);
#'   ignored for a matrix or array.
#' @param simulate Also compute a Monte-Carlo p-value for every stratum
#'   (column `mc_p_value`), from `sims` random tables with the observed
#'   margins drawn in C with R's random number generator, so `set.seed()`
#'   makes it reproducible. It agrees, within sampling error, with
#'   `chisq.test(simulate.p.value = TRUE, B = sims)`, `sims` being the number
#'   of random tables.
#' @inheritParams equityaudit-arguments
#' @return A data frame with one row per stratum: the `by` columns, then
#'   `statistic` (Pearson X^2), `df`, `p_value`, `g_statistic`, `g_p_value`,
#'   `min_expected`, `n_expected_below_5`, `n` (people tested),
#'   `n_missing`, `rows_used` and `cols_used`, of class `equityaudit_chisq`.
#'   `tidy(x, "cells")` gives one row per stratum and cell with `observed`,
#'   `expected`, `residual` (Pearson) and `std_residual` (adjusted
#'   residual).
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
                         suppress = "none", ...) {
  check_no_dots(..., fn = "chisq_strata")
  rule <- withhold_counts(suppress)
  check_flag(correct, "correct")
  check_flag(simulate, "simulate")
  sims <- check_sims(sims)
  if (rule != "none" && simulate) {
    abort_input(
      "argument",
      "A suppressed result has no simulated p-value (it would rest on unpublished counts); drop `simulate` or `suppress`.",
      arg = "simulate"
    )
  }
  if (!is.data.frame(data) && !is_lazy_table(data)) {
    input <- array_input(data)
    out <- chisq_frame(input$array, input$strata, 0, NULL, correct)
    out <- if (simulate) add_monte_carlo(out, input$array, sims) else out
    return(apply_suppression(out, suppress))
  }
  input <- verb_input(data, c("row", "col", "by", "weight"), environment(), parent.frame(),
    single = c("row", "col", "weight"), required = c("row", "col")
  )
  cols <- input_columns(input)
  tl <- tally(input$data, cols$row, split_columns(cols, "by"), cols$weight,
    inner = cols$col, group_arg = "row", inner_arg = "col"
  )
  a <- tl$array
  rows <- which(!tl$groups$unknown)
  cols_known <- which(!is.na(tl$inner[[1]]))
  known <- a[rows, cols_known, , drop = FALSE]
  n_strata <- dim(a)[[3]]
  n_missing <- colSums(matrix(a, ncol = n_strata)) - colSums(matrix(known, ncol = n_strata))
  labels <- list(tl$groups$parts[[1]][rows], tl$inner[[1]][cols_known])
  names(labels) <- c(cols$row, cols$col)
  out <- chisq_frame(known, tl$strata, n_missing, labels, correct)
  out <- if (simulate) add_monte_carlo(out, known, sims) else out
  apply_suppression(out, suppress)
}
