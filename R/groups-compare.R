# Differences between groups with intervals, and equivalence.

#' Compare every group with a reference group: differences, ratios and
#' equivalence
#'
#' A chi-square test that is not significant does not show that groups do
#' equally well: with seven people in a group almost nothing can be
#' detected. For every group against a reference group, within each
#' stratum, this gives the difference in the percentage with the outcome
#' with its interval, the risk ratio and odds ratio with theirs, and a
#' verdict: `"different"`, `"equivalent"` or `"inconclusive"`.
#'
#' * Difference in proportions: the Newcombe hybrid score interval (method
#'   10 of Newcombe, 1998, built from the two Wilson intervals), or the Wald
#'   interval with `method = "wald"`.
#' * Risk ratio: log (Katz) interval. Odds ratio: Woolf's logit interval.
#'   When a cell of the 2 x 2 table is zero, 0.5 is added to all four cells
#'   for these two measures (Haldane-Anscombe), and `zero_cell` says so.
#' * Equivalence: `margin` is an absolute difference in proportions (0.1 is
#'   ten percentage points). `equivalence_p_value` is from the two one-sided
#'   tests (TOST) derived from the same interval as the difference's
#'   (`interval`): each one-sided p-value is the level at which a limit of
#'   the interval reaches the margin (with `interval = "wald"`, the usual
#'   z-tests with the unpooled standard error; where their standard error
#'   is 0, as with no events in either group, the p-value is 1: nothing is
#'   shown). The `verdict` is `"different"` when
#'   the `conf_level` interval of the difference excludes 0, otherwise
#'   `"equivalent"` when `equivalence_p_value` is below `1 - conf_level`
#'   (the same as the `1 - 2 * (1 - conf_level)` interval lying within
#'   `-margin` to `margin`), otherwise `"inconclusive"`: the data cannot
#'   tell.
#'
#' With `by`, the Mantel-Haenszel risk difference (Sato's variance) and risk
#' ratio (Greenland and Robins' variance) of every group against the
#' reference, pooled across the `by` levels (within each level of
#' `strata`), with `conf_level` intervals, are part of the result: printed,
#' and read with `tidy(x, "pooled")`. Strata whose `by` value is not known
#' are left out of the pooling.
#'
#' @param interval `"newcombe"` or `"wald"` interval for the difference.
#' @inheritParams equityaudit-arguments
#' @return A data frame of class `equityaudit_groups`, one row per stratum
#'   and compared group: the `by` and `strata` columns, the group column
#'   (and, for combined groups, a column per part), `reference`, `n`,
#'   `events`, `ref_n`, `ref_events`, `pct`, `ref_pct`, `difference`
#'   (percentage points) with `diff_low`/`diff_high`, `risk_ratio` with
#'   `rr_low`/`rr_high`, `odds_ratio` with `or_low`/`or_high`, `zero_cell`,
#'   `equivalence_p_value` and `verdict`. Every stratum has a row for
#'   every group but its reference, even when nobody of the group (or of
#'   the reference) is in it; such a row has its counts and `NA`
#'   statistics and verdict (so the table's shape depends on the groups and
#'   strata, never on the counts).
#' @references Newcombe RG (1998). Interval estimation for the difference
#'   between independent proportions: comparison of eleven methods.
#'   Statistics in Medicine 17, 873-890.
#' @export
#' @examples
#' table3 <- data.frame(
#'   service = rep(c("CNWL", "WWT"), each = 5),
#'   ethnicity = rep(c("White", "Asian", "Black", "Mixed", "Other"), 2),
#'   employed = c(47, 35, 23, 15, 21, 46, 37, 18, 5, 1),
#'   people = c(134, 77, 64, 38, 52, 144, 114, 63, 21, 7)
#' )
#' compare_groups(table3, ethnicity,
#'   by = service, events = employed, total = people,
#'   ref_group = "White"
#' )
compare_groups <- function(data, group, outcome = NULL, by = NULL,
                           strata = NULL, event = NULL, unknown = NULL,
                           ref_group = NULL, margin = 0.1, conf_level = 0.95,
                           interval = c("newcombe", "wald"),
                           events = NULL, total = NULL, weight = NULL,
                           suppress = "none", ...) {
  check_no_dots(..., fn = "compare_groups")
  withhold_counts(suppress)
  interval <- match_arg(interval, c("newcombe", "wald"), "interval")
  check_conf_level(conf_level)
  check_number(margin, "margin", 0, 1, open = TRUE)
  ref_group <- check_label(ref_group, "ref_group", " or \"rest\"")
  unknown <- check_unknown(unknown)
  input <- verb_input(data, outcome_args, environment(), parent.frame(), required = "group")
  cols <- input_columns(input)
  data <- input$data
  tl <- outcome_tally(data, cols, split_columns(cols), event, unknown)
  known <- which(!tl$groups$unknown)
  labels <- tl$groups$label[known]
  if (!is.null(ref_group) && ref_group != "rest" && !(ref_group %in% labels)) {
    abort_input(
      "argument",
      sprintf(
        "`ref_group` is %s, which is not a group of `%s` (%s).",
        format_values(ref_group), tl$name, format_values(labels)
      ),
      arg = "ref_group"
    )
  }
  yes <- matrix(tl$array[known, 2, ], length(known))
  n <- yes + matrix(tl$array[known, 1, ], length(known))
  options <- list(
    margin = margin, conf_level = conf_level, interval = interval,
    largest = is.null(ref_group), labels = labels, by = cols$by, strata = cols$strata,
    label_parts = lapply(tl$groups$parts, `[`, known),
    unknown_strata = unknown_strata_labels(tl, cols$by)
  )
  rows <- group_pairs(n, yes, labels, ref_group)
  unknown_by <- Reduce(`|`, tl$strata_unknown[cols$by], rep(FALSE, ncol(n)))
  out <- groups_result(rows, tl, known, options, unknown_by)
  out <- set_result_table(out, "left_out", outcome_left_out(tl))
  apply_suppression(out, suppress)
}
