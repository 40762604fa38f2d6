# Equality of access: the service's mix of groups against the eligible
# population's.

#' Compare who uses a service with who is eligible for it
#'
#' For every stratum (for example every service), compares the mix of groups
#' among the people who used the service with the mix in the population
#' eligible for it, and tests whether they differ.
#'
#' Two tests are offered, and they answer slightly different questions:
#'
#' * `"homogeneity"` (the default) treats the service's counts and the
#'   population's counts as two samples and tests the 2 x k table with
#'   Pearson's chi-square test: do the two groups of people have the same
#'   ethnic mix? This is the test whose values the BJPsych IPS study reports
#'   (it calls it a goodness-of-fit test).
#' * `"goodness_of_fit"` treats the population's shares as known exactly and
#'   tests the service's counts against them (`chisq.test(x, p = )`). It
#'   gives larger statistics, because it ignores the sampling error in the
#'   population counts; it is the only choice when the reference holds
#'   proportions rather than counts.
#'
#' Groups, unknown values and the reference follow the rules of
#' [equityaudit-arguments]: on either side, missing, blank and `unknown`
#' values are one unknown group. It is handled according to `missing`:
#' `"report"` shows it in a row of its own (with its share of everybody)
#' but leaves it out of the test and out of the other rows' percentages, as
#' the study does; `"exclude"` drops it, says how many people that leaves
#' out in a message and in `tidy(x, "left_out")`; `"include"` tests it as
#' one more group. People whose `by` value is not known form a stratum of
#' their own, shown without a test when the reference has no population for
#' it.
#'
#' @section Equivalence:
#' A test that finds no difference does not show that a group is equally
#' represented. For every known group, `verdict` is `"different"` when the
#' `conf_level` interval of the representation ratio excludes 1,
#' `"equivalent"` when the `1 - 2 * (1 - conf_level)` interval lies within
#' `ratio_margin` (two one-sided tests on the log scale, whose p-value is
#' `equivalence_p_value`), and otherwise `"inconclusive"`: the numbers are
#' too small to tell.
#'
#' Group labels must match between `data` and `reference`: a label present
#' on one side only is an error (class `equityaudit_error_labels`) listing
#' the labels of both sides, so that a typo cannot silently become a zero.
#' A group that truly has nobody using the service should be a level of a
#' factor `group` column.
#'
#' @inheritParams equityaudit-arguments
#' @param method `"homogeneity"` or `"goodness_of_fit"`, see Details.
#' @param missing `"report"`, `"exclude"` or `"include"`, see Details.
#' @return A data frame of class `equityaudit_access`, one row per stratum
#'   and group: the `by` columns, the group column (and, for combined
#'   groups, a column per part), `missing` (is this the row of unknown
#'   group?), `n`, `pct` (percent of those with known group; for the
#'   unknown row, of everybody), `ref_n`, `ref_pct`, `access_rate` (`n` per
#'   100 of `ref_n`), `representation_ratio` (`pct / ref_pct`) with
#'   `ratio_low` and `ratio_high` (Katz log interval for a ratio of two
#'   proportions; `NA` when a count is zero), `equivalence_p_value` and
#'   `verdict` (see Equivalence), `adj_residual` (adjusted residual of the
#'   service's cell), and the stratum's test: `statistic`, `df`, `p_value`,
#'   `method` and `cramers_v`. [summary()] gives one row per stratum.
#' @seealso [describe_cohort()], [compare_outcomes()].
#' @export
#' @examples
#' ips <- data.frame(
#'   ethnicity = c("White", "Asian", "Black", "Mixed", "Other", "Not known"),
#'   n = c(134, 77, 64, 38, 52, 47)
#' )
#' population <- data.frame(
#'   ethnicity = c("White", "Asian", "Black", "Mixed", "Other", "Not known"),
#'   n = c(2774, 1158, 810, 936, 1335, 1350)
#' )
#' access <- compare_access(ips, ethnicity, population,
#'   weight = n,
#'   unknown = "Not known"
#' )
#' access
#' summary(access)
compare_access <- function(data, group, reference, by = NULL, unknown = NULL,
                           method = c("homogeneity", "goodness_of_fit"),
                           missing = c("report", "exclude", "include"),
                           conf_level = 0.95, ratio_margin = c(0.8, 1.25),
                           adjust = NULL, ref_count = NULL, ref_prop = NULL,
                           weight = NULL, suppress = "none", key = NULL, ...) {
  check_no_dots(..., fn = "compare_access")
  withhold_counts(suppress)
  check_ratio_margin(ratio_margin)
  method <- match_arg(method, c("homogeneity", "goodness_of_fit"), "method")
  missing <- match_arg(missing, c("report", "exclude", "include"), "missing")
  unknown <- check_unknown(unknown)
  check_conf_level(conf_level)
  env <- parent.frame()
  input <- verb_input(data, c("group", "by", "adjust", "weight", "key"), environment(), env,
    required = "group"
  )
  cols <- input_columns(input)
  ref <- reference_input(reference, environment(), env, c(cols$group, cols$by, cols$adjust), method)
  reference <- ref$reference
  check_columns(c(cols$group, cols$by, cols$adjust), reference, "reference", "reference")
  if (length(cols$adjust) > 0) {
    check_reference_keys(lapply(reference[c(cols$by, cols$adjust, cols$group)], blank_to_na), c(cols$by, cols$adjust), cols$group)
    crude <- collapse_reference(reference, c(cols$by, cols$group), ref$value)
  } else {
    crude <- list(reference = reference, value = ref$value)
  }
  if (ref$is_prop) check_prop_sums(ref$value, reference[cols$by], cols$by)
  tl <- tally(input$data, cols$group, split_columns(cols, "by"), cols$weight,
    unknown = unknown, key = cols$key
  )
  tl <- add_reference_strata(tl, crude$reference, cols$by, unknown)
  if (sum(tl$array) == 0) {
    abort_input(
      "argument",
      "`data` has nobody in it: there is nobody to compare with the `reference` population.",
      arg = "data"
    )
  }
  ref_mat <- align_reference(crude$reference, tl, cols$group, cols$by, crude$value,
    unknown_needed = missing == "include"
  )
  options <- list(
    method = method, missing = missing, conf_level = conf_level,
    ratio_margin = ratio_margin, ref_is_prop = ref$is_prop
  )
  out <- access_result(tl, ref_mat, cols, options)
  if (length(cols$adjust) > 0) {
    adj <- adjusted_access(input$data, cols, reference, ref, unknown, conf_level)
    out <- set_result_table(out, "adjusted", adj$adjusted)
    out <- set_result_table(out, "adjusted_strata", adj$strata)
    out <- set_result_table(out, "left_out", rbind_left_out(result_table(out, "left_out"), adj$left_out))
  }
  if (!is.null(tl$keys)) out <- attach_key_sums(out, suppressMessages(access_result(keyed_tally(tl), ref_mat, cols, options)))
  apply_suppression(out, suppress)
}

check_ratio_margin <- function(ratio_margin) {
  ok <- is.numeric(ratio_margin) && length(ratio_margin) == 2 &&
    !anyNA(ratio_margin) && ratio_margin[[1]] > 0 &&
    ratio_margin[[1]] < 1 && ratio_margin[[2]] > 1 && is.finite(ratio_margin[[2]])
  if (!ok) {
    abort_input(
      "argument",
      "`ratio_margin` must be two numbers, one below 1 and one above 1 (e.g. c(0.8, 1.25)).",
      arg = "ratio_margin"
    )
  }
}

