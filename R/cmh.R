# cmh_test(): the Cochran-Mantel-Haenszel test of group by outcome across
# strata, with the Mantel-Haenszel odds ratio (statistics in stats-cmh.R).

#' Cochran-Mantel-Haenszel test of group by outcome across strata
#'
#' Tests whether the outcome differs between groups while holding the `across`
#' columns (for example the service) fixed: the generalized
#' Cochran-Mantel-Haenszel statistic with `(groups - 1)` degrees of freedom,
#' equal to [stats::mantelhaen.test()] (which applies a continuity
#' correction to 2 x 2 x K tables by default; set `correct = TRUE` for it).
#' With `strata`, one test is made within each of their levels, as
#' [compare_outcomes()] does. Strata with fewer than two people are
#' skipped. With many groups and few strata the statistic is solved in time
#' linear in the number of groups.
#'
#' Groups and unknown values follow the rules of [equityaudit-arguments].
#' People left out of the test are counted in `tidy(x, "left_out")`: those
#' whose group or outcome is not known, and those whose `across` value is not
#' known (they belong to no one stratum; `mantelhaen.test()` on complete
#' cases leaves them out too). The counts the test is computed from are
#' `tidy(x, "counts")`; a suppressed result ([suppress_counts()]) computes
#' the test again from their published values.
#'
#' With two groups the Mantel-Haenszel common odds ratio is given with the
#' Robins-Breslow-Greenland interval, as [stats::mantelhaen.test()] reports
#' them: the odds of the event in the second group (in the order of the
#' group's levels) over those in the first.
#'
#' @inheritParams equityaudit-arguments
#' @return A data frame of class `equityaudit_cmh` with one row per level
#'   of `strata` (one row without them): the `strata` columns, `statistic`,
#'   `df`, `p_value`, `strata_used` (the number of strata that inform the
#'   test: with people in at least two groups and with both outcomes), and
#'   `odds_ratio`, `or_low`, `or_high` (`NA` unless there are two groups).
#' @export
#' @examples
#' set.seed(1)
#' people <- data.frame(
#'   service = sample(c("A", "B", "C"), 300, TRUE),
#'   group = sample(c("White", "Black", "Asian"), 300, TRUE),
#'   employed = runif(300) < 0.35
#' )
#' cmh_test(people, group, employed, across = service)
cmh_test <- function(data, group, outcome = NULL, across, strata = NULL,
                     event = NULL, unknown = NULL, correct = FALSE,
                     conf_level = 0.95, events = NULL, total = NULL,
                     weight = NULL, suppress = "none", ...) {
  check_no_dots(..., fn = "cmh_test")
  withhold_counts(suppress)
  check_flag(correct, "correct")
  check_conf_level(conf_level)
  unknown <- check_unknown(unknown)
  input <- verb_input(data, c(setdiff(outcome_args, "by"), "across"), environment(), parent.frame(),
    required = c("group", "across")
  )
  cols <- input_columns(input)
  tl <- outcome_tally(input$data, cols, split_columns(cols, c("across", "strata")), event, unknown)
  # the strata of the one test, held fixed
  cols$by <- cols$across
  g <- tl$groups
  known <- !g$unknown
  # people whose `by` value is not known are in no one stratum
  unknown_by <- Reduce(`|`, tl$strata_unknown[cols$by])
  a <- tl$array[, , !unknown_by, drop = FALSE]
  counts <- c(
    strata_frame_rep(lapply(tl$strata, `[`, !unknown_by), sum(known)),
    group_columns(g, which(known), dim(a)[[3]], tl$name),
    list(
      n = as.vector(a[known, 1, ] + a[known, 2, ]), events = as.vector(a[known, 2, ])
    )
  )
  left <- c(
    group = sum(tl$array[!known, , ]), outcome = sum(a[known, 3, ]),
    by = sum(tl$array[known, , unknown_by])
  )
  left_out <- new_tidy_frame(list(
    reason = c(
      sprintf("`%s` not known", tl$name), "outcome not known",
      sprintf("`%s` not known", paste(cols$by, collapse = "`, `"))
    ),
    n = unname(left)
  ))
  options <- list(
    correct = correct, conf_level = conf_level, by = cols$by, strata = cols$strata,
    unknown = tl$unknown
  )
  out <- cmh_result(new_tidy_frame(counts), tl$name, options, left_out, tl$event, tl$parts, tl$unknown_label)
  apply_suppression(out, suppress)
}
