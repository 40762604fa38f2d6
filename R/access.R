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
#' @param data People who used the service: one row per person, or counts in
#'   the column named by `weight`.
#' @param group The column holding the groups compared (e.g. ethnicity), in
#'   both `data` and `reference`; or several columns, whose combinations are
#'   then the groups.
#' @param by Stratifying columns present in both inputs, such as the service.
#' @param method `"homogeneity"` or `"goodness_of_fit"`, see Details.
#' @param missing `"report"`, `"exclude"` or `"include"`, see Details.
#' @param ratio_margin Equivalence margins of the representation ratio: a
#'   group counts as equally represented when its ratio is shown to lie
#'   between these two values.
#' @param adjust Columns (such as age band and gender) of both `data` and
#'   `reference` to adjust for: adds indirectly standardised representation
#'   ratios, printed and read with `tidy(x, "adjusted")`; see [adjustment].
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
                           weight = NULL, suppress = NULL, key = NULL) {
  withhold_counts(suppress)
  check_key_not_lazy(data, substitute(key))
  if (is_lazy_table(data)) {
    return(lazy_call(compare_access, data, match.call(), parent.frame(), c("group", "by", "adjust")))
  }
  data <- check_data_frame(data)
  check_ratio_margin(ratio_margin)
  method <- match_arg(method, c("homogeneity", "goodness_of_fit"), "method")
  missing <- match_arg(missing, c("report", "exclude", "include"), "missing")
  unknown <- check_unknown(unknown)
  check_conf_level(conf_level)
  env <- parent.frame()
  cols <- columns_of(c("group", "by", "adjust", "weight", "key"), data, environment(), env,
    required = "group", single = c("weight", "key")
  )
  ref_count <- substitute(ref_count)
  ref_prop <- substitute(ref_prop)
  if (is_lazy_table(reference)) {
    lazy <- lazy_reference(list(reference = reference, ref_count = ref_count, ref_prop = ref_prop), cols, env)
    reference <- lazy$reference
    ref_count <- lazy$ref_count
  }
  ref <- reference_values(reference, ref_count, ref_prop, method, env)
  check_columns(c(cols$group, cols$by, cols$adjust), reference, "reference", "reference")
  if (length(cols$adjust) > 0) {
    check_reference_keys(lapply(reference[c(cols$by, cols$adjust, cols$group)], blank_to_na), c(cols$by, cols$adjust), cols$group)
    crude <- collapse_reference(reference, c(cols$by, cols$group), ref$value)
  } else {
    crude <- list(reference = reference, value = ref$value)
  }
  if (ref$is_prop) check_prop_sums(ref$value, reference[cols$by], cols$by)
  tl <- tally(data, cols$group, split_columns(cols, "by"), cols$weight, unknown = unknown)
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
  out <- access_result(tl, ref_mat, cols, list(
    method = method, missing = missing, conf_level = conf_level,
    ratio_margin = ratio_margin, ref_is_prop = ref$is_prop
  ))
  if (length(cols$adjust) > 0) {
    adj <- adjusted_access(data, cols, reference, ref, unknown, conf_level)
    out <- set_result_table(out, "adjusted", adj$adjusted)
    out <- set_result_table(out, "adjusted_strata", adj$strata)
    out <- set_result_table(out, "left_out", rbind_left_out(result_table(out, "left_out"), adj$left_out))
  }
  out <- add_key_sums(out, cols$key, cols$weight, match.call(), env, data)
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

# The reference's population: counts (`ref_count`, default the column
# "n") or proportions (`ref_prop`), named by bare names or strings.
reference_values <- function(reference, ref_count, ref_prop, method, env) {
  check_data_frame(reference, "reference")
  ref_count <- one_column(column_names(ref_count, reference, env, "ref_count"), "ref_count", TRUE)
  ref_prop <- one_column(column_names(ref_prop, reference, env, "ref_prop"), "ref_prop", TRUE)
  if (length(ref_count) > 0 && length(ref_prop) > 0) {
    abort_input("argument", "Give `ref_count` or `ref_prop`, not both.", arg = "ref_prop")
  }
  if (length(ref_prop) > 0) {
    check_columns(ref_prop, reference, "ref_prop", "reference")
    v <- reference[[ref_prop]]
    if (!is.numeric(v) || anyNA(v) || any(v < 0 | v > 1)) {
      abort_input(
        "count",
        sprintf("Column `%s` (`ref_prop`) must hold proportions between 0 and 1.", ref_prop),
        arg = "ref_prop", column = ref_prop
      )
    }
    if (method == "homogeneity") {
      abort_input(
        "argument",
        paste0(
          "A reference of proportions allows only ",
          "`method = \"goodness_of_fit\"`; give population counts for the ",
          "homogeneity test."
        ),
        arg = "method"
      )
    }
    return(list(value = as.double(v), is_prop = TRUE, column = ref_prop))
  }
  if (length(ref_count) == 0) ref_count <- "n"
  check_columns(ref_count, reference, "ref_count", "reference")
  check_counts(reference[[ref_count]], ref_count, "ref_count")
  list(value = as.double(reference[[ref_count]]), is_prop = FALSE, column = ref_count)
}

# The reference summed over the columns not in `keep` (such as the
# adjustment columns, for the unadjusted comparison).
collapse_reference <- function(reference, keep, value) {
  raw <- lapply(reference[keep], blank_to_na)
  key <- strata_key(raw, nrow(reference))
  first <- !duplicated(key)
  list(
    reference = reference[first, keep, drop = FALSE],
    value = as.vector(rowsum(value, key, reorder = FALSE))
  )
}

# Proportions must add up to 1 in every stratum (to within rounding).
check_prop_sums <- function(value, strata, by, tol = 0.01) {
  key <- strata_key(lapply(strata, blank_to_na), length(value))
  sums <- tapply(value, key, sum)
  bad <- which(abs(sums - 1) > tol)
  if (length(bad) == 0) {
    return(invisible())
  }
  abort_input(
    "count",
    sprintf(
      paste0(
        "The proportions of `ref_prop` add up to %s%s, not 1; ",
        "give the share of every group (including any unknown group)."
      ),
      paste(signif(unname(sums[bad]), 4), collapse = ", "),
      if (length(by) > 0) paste0(" in ", format_values(gsub("\r", ", ", names(sums)[bad]))) else ""
    ),
    arg = "ref_prop"
  )
}
