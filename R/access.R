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
#' People whose group is missing (`NA`) or one of the `unknown` labels are
#' handled according to `missing`: `"report"` shows them in a row of their
#' own (with their share of everybody) but leaves them out of the test and
#' out of the other rows' percentages, as the study does; `"exclude"` drops
#' them, says how many in a message and in the attribute `"excluded"`;
#' `"include"` tests them as one more group. `NA` in either input is counted
#' under the first `unknown` label, if there is one, so that an extract with
#' blanks can be compared with a population table that says "Not known".
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
#' @param data People who used the service: one row per person, or counts in
#'   the column named by `weight`.
#' @param group The column holding the groups compared (e.g. ethnicity), in
#'   both `data` and `reference`; or several columns (`c(ethnicity,
#'   gender)`), whose combinations are then the groups, labelled like
#'   `"Black/Black British, Female"` in a column named `ethnicity_gender`.
#' @param reference The eligible population: a data frame with the `group`
#'   column, the `by` columns and a column of counts (`ref_count`) or of
#'   proportions (`ref_prop`).
#' @param by Stratifying columns present in both inputs, such as the service.
#' @param method `"homogeneity"` or `"goodness_of_fit"`, see Details.
#' @param missing `"report"`, `"exclude"` or `"include"`, see Details.
#' @param unknown Labels of `group` that mean "not known" (e.g.
#'   `"Not known/stated"`), treated like `NA`.
#' @param conf_level Confidence level of the representation-ratio interval.
#' @param weight Column of counts in `data`, for aggregated input.
#' @param ref_count,ref_prop Name of the column of `reference` holding the
#'   population counts (default `"n"`) or, instead, proportions.
#' @param ratio_margin Equivalence margins of the representation ratio: a
#'   group counts as equally represented when its ratio is shown to lie
#'   between these two values.
#' @param suppress `NULL` (the default) for unsuppressed counts, or a rule
#'   for [suppress_counts()] (`"nhs_digital"`, `"opensafely"`) to apply to
#'   the result before it is returned.
#' @param adjust Columns (such as age band and gender) of both `data` and
#'   `reference` to adjust for: adds the indirectly standardised
#'   representation ratios in the attribute `"adjusted"`; see [adjustment].
#' @return A data frame of class `equityaudit_access`, one row per stratum
#'   and group: the `by` columns, `group` (named after the group column),
#'   `missing` (is this the row of unknown group?), `n`, `pct` (percent of
#'   those with known group; for missing rows, of everybody), `ref_n`,
#'   `ref_pct`, `access_rate` (`n` per 100 of `ref_n`), `representation_ratio`
#'   (`pct / ref_pct`) with `ratio_low` and `ratio_high` (Katz log interval
#'   for a ratio of two proportions; `NA` when a count is zero),
#'   `equivalence_p_value` and `verdict` (see Equivalence), `adj_residual`
#'   (adjusted residual of the service's cell), and the stratum's test:
#'   `statistic`, `df`, `p_value`, `method` and `cramers_v`.
#'   Use [summary()] for one row per stratum.
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
compare_access <- function(data, group, reference, by = NULL,
                           method = c("homogeneity", "goodness_of_fit"),
                           missing = c("report", "exclude", "include"),
                           unknown = NULL, conf_level = 0.95, weight = NULL,
                           ref_count = NULL, ref_prop = NULL,
                           ratio_margin = c(0.8, 1.25), suppress = NULL,
                           adjust = NULL) {
  if (is_lazy_table(data)) {
    return(lazy_call(compare_access, data, match.call(), parent.frame(), c("group", "by", "adjust")))
  }
  check_data_frame(data)
  check_ratio_margin(ratio_margin)
  method <- match_arg(method, c("homogeneity", "goodness_of_fit"), "method")
  missing <- match_arg(missing, c("report", "exclude", "include"), "missing")
  unknown <- check_unknown(unknown)
  check_conf_level(conf_level)
  env <- parent.frame()
  group <- column_names(substitute(group), data, env, "group")
  by <- column_names(substitute(by), data, env, "by")
  weight <- column_names(substitute(weight), data, env, "weight")
  check_column_args(list(group = group, by = by, weight = weight), data)
  if (is_lazy_table(reference)) {
    lazy <- lazy_reference(
      list(reference = reference, ref_count = ref_count, ref_prop = ref_prop),
      list(group = group, by = by, adjust = column_names(substitute(adjust), data, env, "adjust"))
    )
    reference <- lazy$reference
    ref_count <- lazy$ref_count
  }
  check_data_frame(reference, "reference")
  check_columns(c(group, by), reference, "reference", "reference")
  combined <- length(group) > 1
  if (combined) { # intersections: the combination is one group
    data <- with_combined_group(data, group, unknown)
    reference <- with_combined_group(reference, group, unknown)
    group <- group_name(group)
  }
  group <- one_column(group, "group")
  ref <- reference_values(reference, ref_count, ref_prop, method)

  dc <- group_counts(data, group, by, if (length(weight)) weight)
  data_labels <- recode_na(dc$labels, unknown)
  n <- rowsum_matrix(matrix(dc$array, nrow = length(dc$labels)), data_labels)
  ref_raw <- as.character(blank_to_na(reference[[group]]))
  ref_key <- strata_key(
    lapply(reference[by], function(v) label_not_known(blank_to_na(v))), nrow(reference)
  )
  # with `adjust`, the reference has a row per adjustment stratum as well
  adjust <- check_adjust(column_names(substitute(adjust), data, env, "adjust"), group, by)
  check_columns(adjust, reference, "adjust", "reference")
  # (rows whose combination of groups is missing are summed, as intended)
  unique_rows <- if (combined) !is.na(ref_raw) else rep(TRUE, nrow(reference))
  check_reference_keys(
    strata_key(lapply(reference[c(by, adjust)], function(v) label_not_known(blank_to_na(v))), nrow(reference))[unique_rows],
    ref_raw[unique_rows], reference, c(by, adjust), group
  )
  if (ref$is_prop) check_prop_sums(ref$value, ref_key, reference, by)
  ref_labels <- recode_na(ref_raw, unknown)
  # a label counts on one side if anybody has it there; unused factor
  # levels that the reference does not know are dropped
  used <- rownames(n)[rowSums(n) > 0]
  ref_used <- unique(ref_labels[ref$value > 0])
  check_labels(
    setdiff(used, ref_labels), setdiff(ref_used, rownames(n)),
    group, "group labels", unknown
  )
  if (length(by) > 0) check_labels(setdiff(dc$key, ref_key), setdiff(ref_key, dc$key), by, "strata")
  keep <- rownames(n) %in% c(used, ref_labels)
  n <- n[keep, , drop = FALSE]

  labels <- ordered_labels(rownames(n), ref_labels, unknown)
  n <- align_rows(n, labels)
  ref_mat <- align_rows(
    rowsum_matrix(
      matrix(ref$value),
      paste(ref_key, ref_labels, sep = "\r")
    ),
    paste(rep(dc$key, each = length(labels)), labels, sep = "\r")
  )
  ref_mat <- matrix(ref_mat, nrow = length(labels))
  # people of unknown group need no reference row unless they are tested
  check_stratum_labels(n, labels, dc, paste(ref_key, ref_labels, sep = "\r"), group,
    optional_missing = missing != "include", unknown = unknown
  )
  is_miss <- is_missing_label(labels, unknown)
  empty <- is_miss & rowSums(n) + rowSums(ref_mat) == 0
  n <- n[!empty, , drop = FALSE]
  ref_mat <- ref_mat[!empty, , drop = FALSE]
  labels <- labels[!empty]
  is_miss <- is_miss[!empty]
  out <- access_result(
    n, ref_mat, labels, is_miss, dc, group, method, missing,
    conf_level, ref$is_prop, ratio_margin
  )
  # an unknown group the reference does not count has no population share
  no_ref <- out$missing & out$ref_n %in% 0
  out[no_ref, c("ref_pct", "access_rate", "representation_ratio")] <- NA
  if (length(adjust) > 0) {
    adj <- adjusted_access(
      data, group, reference, by, adjust, if (length(weight)) weight, ref, unknown, conf_level
    )
    attr(out, "adjusted") <- adj$adjusted
    attr(out, "adjusted_strata") <- adj$strata
  }
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

match_arg <- function(x, choices, arg) {
  if (identical(x, choices)) {
    return(choices[[1]])
  }
  if (!is.character(x) || length(x) != 1 || !(x %in% choices)) {
    abort_input(
      "argument",
      sprintf("`%s` must be one of %s.", arg, format_values(choices)),
      arg = arg
    )
  }
  x
}

reference_values <- function(reference, ref_count, ref_prop, method) {
  if (!is.null(ref_count) && !is.null(ref_prop)) {
    abort_input("argument", "Give `ref_count` or `ref_prop`, not both.",
      arg = "ref_prop"
    )
  }
  if (!is.null(ref_prop)) {
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
    return(list(value = as.double(v), is_prop = TRUE))
  }
  ref_count <- ref_count %||% "n"
  check_columns(ref_count, reference, "ref_count", "reference")
  check_counts(reference[[ref_count]], ref_count, "ref_count")
  list(value = as.double(reference[[ref_count]]), is_prop = FALSE)
}

recode_na <- function(labels, unknown) {
  if (length(unknown) > 0) labels[is.na(labels)] <- unknown[[1]]
  labels
}

# Sums the rows of m that share a label; rownames are the labels ("NA" is
# kept apart from NA by using a sentinel).
rowsum_matrix <- function(m, labels) {
  key <- ifelse(is.na(labels), "\u2205NA", labels)
  out <- rowsum(m, key, reorder = FALSE)
  rownames(out)[rownames(out) == "\u2205NA"] <- NA
  out
}

align_rows <- function(m, labels) {
  key <- ifelse(is.na(rownames(m)), "\u2205NA", rownames(m))
  want <- ifelse(is.na(labels), "\u2205NA", labels)
  out <- m[match(want, key), , drop = FALSE]
  out[is.na(out)] <- 0
  out
}

# Known labels in the data's order, then the missing labels.
ordered_labels <- function(data_labels, ref_labels, unknown) {
  all <- unique(c(data_labels, ref_labels))
  miss <- is_missing_label(all, unknown)
  missing_order <- order(match(all[miss], c(unknown, NA)))
  c(all[!miss], all[miss][missing_order])
}

check_labels <- function(only_data, only_ref, column, what, unknown = NULL) {
  only_data <- only_data[!is_missing_label(only_data, unknown)]
  only_ref <- only_ref[!is_missing_label(only_ref, unknown)]
  if (length(only_data) + length(only_ref) == 0) {
    return(invisible())
  }
  show <- function(x) {
    if (length(x) == 0) "none" else format_values(gsub("\r", ", ", x), max = 10)
  }
  abort_input(
    "labels",
    sprintf(
      paste0(
        "The %s of `%s` differ between `data` and `reference`.\n",
        "Only in data: %s.\nOnly in reference: %s.\n",
        "Check the spelling, or use `unknown` for labels meaning ",
        "\"not known\"."
      ),
      what, paste(column, collapse = "`, `"), show(only_data), show(only_ref)
    ),
    arg = "reference", only_in_data = only_data, only_in_reference = only_ref
  )
}

# Every group with people in a stratum of the data must have a row in the
# same stratum of the reference.
check_stratum_labels <- function(n, labels, dc, ref_cells, group,
                                 optional_missing = FALSE, unknown = NULL) {
  wanted <- paste(rep(dc$key, each = length(labels)), labels, sep = "\r")
  optional <- rep(optional_missing & is_missing_label(labels, unknown), ncol(n))
  absent <- which(as.vector(n) > 0 & !(wanted %in% ref_cells) & !optional)
  if (length(absent) == 0) {
    return(invisible())
  }
  stratum <- (absent - 1) %/% length(labels) + 1
  s <- stratum[[1]]
  in_s <- labels[(absent[stratum == s] - 1) %% length(labels) + 1]
  abort_input(
    "labels",
    sprintf(
      paste0(
        "In %s, `data` has people in %s of `%s` but `reference` has no row ",
        "for %s there."
      ),
      stratum_label(dc$strata, s),
      format_values(in_s), group, if (length(in_s) == 1) "it" else "them"
    ),
    arg = "reference"
  )
}

access_result <- function(n, ref, labels, is_miss, dc, group, method,
                          missing, conf_level, ref_is_prop, ratio_margin) {
  k <- length(labels)
  n_strata <- ncol(n)
  tested <- if (missing == "include") rep(TRUE, k) else !is_miss
  denom_n <- access_denominators(n, tested)
  denom_ref <- access_denominators(ref, tested)
  stats <- access_statistics(n, ref, tested, denom_n, denom_ref,
    method = method, ref_is_prop = ref_is_prop, conf_level = conf_level,
    ratio_margin = ratio_margin, strata = dc$strata
  )
  rows <- c(strata_frame_rep(dc$strata, k), list(
    group = label_column(labels, dc$group_values, n_strata),
    missing = rep(is_miss, n_strata), n = as.vector(n)
  ), stats)
  names(rows)[names(rows) == "group"] <- group
  out <- new_tidy_frame(lapply(rows, rep_len, k * n_strata))
  if (missing == "exclude") {
    dropped <- colSums(n[is_miss, , drop = FALSE])
    out <- out[!out$missing, , drop = FALSE]
    rownames(out) <- NULL
    attr(out, "excluded") <- new_tidy_frame(c(dc$strata, list(n_excluded = dropped)))
    if (sum(dropped) > 0) {
      message(sprintf(
        "Excluded %s people whose `%s` is missing or unknown.",
        format(sum(dropped), big.mark = ","), group
      ))
    }
  }
  attr(out, "by") <- names(dc$strata)
  attr(out, "group") <- group
  attr(out, "missing_rule") <- missing
  attr(out, "options") <- list(
    method = method, conf_level = conf_level, ratio_margin = ratio_margin,
    ref_is_prop = ref_is_prop
  )
  class(out) <- c("equityaudit_access", "data.frame")
  out
}

# The label of people whose group is missing: "Not known", unless that is
# already a group's label.
not_known_label <- function(labels) {
  candidates <- c("Not known", "Not known (missing)", "(missing)")
  candidates[!(candidates %in% labels)][[1]]
}

# Group labels as a factor in the data's level order when the data's group
# column is a factor, otherwise as character.
label_column <- function(labels, group_values, times) {
  labels[is.na(labels)] <- not_known_label(labels)
  if (is.factor(group_values)) {
    lv <- levels(group_values)
    lv <- unique(c(lv[lv %in% labels], labels[!is.na(labels)]))
    return(factor(rep(labels, times), levels = lv))
  }
  rep(labels, times)
}
