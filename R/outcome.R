# Equality of outcome: is the share with the event the same in every group?

#' Compare outcomes between groups
#'
#' For every stratum, tabulates how many people in each group had the
#' outcome (for example, gained paid work) and tests whether the share is
#' the same in every group with Pearson's chi-square test (no continuity
#' correction, as in the BJPsych IPS study), the likelihood-ratio test and,
#' when cells are small, the exact conditional test.
#'
#' `by` and `strata` both split the analysis; the difference is what is
#' pooled. With `pooled = TRUE` a pooled stratum is added across the `by`
#' levels (the study's "Total" column: both services together), marked
#' `pooled = TRUE` and labelled `"Total"` (or `"All"` when a stratum is
#' itself called "Total"). `strata` (for example gender or age band) gives
#' separate analyses that are never pooled, as the study's tests for men
#' and for women. When `by` is given, the Cochran-Mantel-Haenszel test of
#' group by outcome across the `by` levels (within each level of `strata`)
#' is part of the result (`tidy(x, "cmh")`, and printed); see also
#' [cmh_test()].
#'
#' Groups, unknown values and strata follow the rules of
#' [equityaudit-arguments]: people whose group is missing, blank or one of
#' the `unknown` labels form one unknown group, with a row of its own
#' (`missing = TRUE`), left out of the test; `group` may name several
#' columns, whose combinations are then the groups (a combination with any
#' unknown part is unknown); a missing `by` or `strata` value is a stratum
#' of its own, analysed and pooled like the others but left out of the
#' test across strata. People whose outcome is missing are counted in
#' `n_outcome_missing` on their group's row and left out of `n`, `events`
#' and the test.
#'
#' The exact p-value (Freeman-Halton, equal to [stats::fisher.test()]) is
#' computed in C for every test with `exact = "always"`, and with
#' `exact = "auto"` for the tests whose smallest expected count is below 5
#' (a message says how many). An exact test whose enumeration would be very
#' long (very large groups beside a small one) is replaced by the simulated
#' Freeman-Halton p-value: 10,000 to 250,000 random tables with the observed
#' margins, those no more probable than the observed one counted (with the
#' tolerance of [stats::fisher.test()]); `exact_method` is then
#' `"monte_carlo"` and `exact_p_se` holds its Monte-Carlo standard error. A
#' table too large even for that (thousands of groups) has no exact p-value
#' (`exact_method` `"not_attempted"`); use the chi-square `p_value`.
#' Messages say when either happens.
#'
#' @inheritParams equityaudit-arguments
#' @param exact `"auto"`, `"always"` or `"never"`, see Details.
#' @param p_adjust Method of [stats::p.adjust()] applied across the tests
#'   of the result, giving `p_adjusted`.
#' @return A data frame of class `equityaudit_outcomes` with one row per
#'   stratum (`by` level, or pooled, times `strata` level) and group: the
#'   `by` and `strata` columns, `pooled`, the group column (and, for
#'   combined groups, a column per part), `missing`, `n`, `events`, `pct`,
#'   the Wilson interval `pct_low` and `pct_high`, `adj_residual` (of the
#'   event cell), `n_outcome_missing`, and the stratum's test: `statistic`,
#'   `df`, `p_value`, `g_statistic`, `exact_p_value`, `exact_method`
#'   (`"exact"`, `"monte_carlo"`, `"not_attempted"` or `NA`), `exact_p_se`
#'   (the standard error of a simulated `exact_p_value`), `min_expected`,
#'   `cramers_v` and `p_adjusted`. [summary()] and [glance()] give one row
#'   per test; `tidy(x, "cmh")`, `tidy(x, "adjusted")` the other tables.
#' @export
#' @examples
#' table3 <- data.frame(
#'   service = rep(c("CNWL", "WWT"), each = 5),
#'   ethnicity = rep(c("White", "Asian", "Black", "Mixed", "Other"), 2),
#'   employed = c(47, 35, 23, 15, 21, 46, 37, 18, 5, 1),
#'   people = c(134, 77, 64, 38, 52, 144, 114, 63, 21, 7)
#' )
#' res <- compare_outcomes(table3, ethnicity,
#'   by = service,
#'   events = employed, total = people
#' )
#' res
#' tidy(res, "cmh")
compare_outcomes <- function(data, group, outcome = NULL, by = NULL,
                             strata = NULL, event = NULL, unknown = NULL,
                             pooled = TRUE, exact = c("auto", "always", "never"),
                             conf_level = 0.95, p_adjust = "none",
                             adjust = NULL, std_interval = c("dobson", "wald"),
                             events = NULL, total = NULL, weight = NULL,
                             suppress = "none", key = NULL, ...) {
  check_no_dots(..., fn = "compare_outcomes")
  withhold_counts(suppress)
  exact <- match_arg(exact, c("auto", "always", "never"), "exact")
  std_interval <- match_arg(std_interval, c("dobson", "wald"), "std_interval")
  check_conf_level(conf_level)
  check_flag(pooled, "pooled")
  check_p_adjust(p_adjust)
  unknown <- check_unknown(unknown)
  input <- verb_input(data, c(outcome_args, "adjust", "key"), environment(), parent.frame(),
    required = "group"
  )
  cols <- input_columns(input)
  tl <- outcome_tally(input$data, cols, split_columns(cols), event, unknown)
  options <- list(
    exact = exact, conf_level = conf_level, p_adjust = p_adjust,
    by = cols$by, strata = cols$strata, pooled = pooled, adjust = cols$adjust,
    unknown_strata = unknown_strata_labels(tl, cols$by)
  )
  out <- outcome_result(tl, cols, options)
  if (length(cols$adjust) > 0) {
    adj <- adjusted_outcomes(input$data, cols, event, unknown, conf_level, pooled, std_interval)
    out <- set_result_table(out, "adjusted", adj$adjusted)
    out <- set_result_table(out, "standard", adj$standard)
    out <- set_result_table(out, "left_out", adj$left_out)
  }
  if (!is.null(tl$keys)) {
    # the key sums of its counts: the same result built from the key sums
    # of the same cells (no exact tests of key sums)
    keyed <- outcome_result(keyed_tally(tl), cols, utils::modifyList(options, list(exact = "never")))
    out <- attach_key_sums(out, keyed)
  }
  apply_suppression(out, suppress)
}

check_p_adjust <- function(p_adjust) {
  if (!is.character(p_adjust) || length(p_adjust) != 1 ||
    !(p_adjust %in% stats::p.adjust.methods)) {
    abort_input(
      "argument",
      sprintf("`p_adjust` must be one of %s.", format_values(stats::p.adjust.methods, 10)),
      arg = "p_adjust"
    )
  }
}
