# Describing a cohort: the paper's Table 1.

#' Describe who a service saw
#'
#' Builds the standard description of a cohort (Table 1 of the BJPsych IPS
#' study): for every stratum and overall, the number of people, the count
#' and percentage of each level of each variable, the number with the
#' variable missing, and the mean, standard deviation and range of age.
#'
#' Percentages are of the people whose value is known, as in the study;
#' the missing row of each variable (`missing = TRUE`, labelled as
#' [equityaudit-arguments] says: the first `unknown` label, or "Not
#' known") gives the count of the others (missing, blank or one of the
#' `unknown` labels). The standard deviation uses the `n - 1` denominator;
#' a stratum in which nobody's age is known shows no age summary. Ages (the
#' optional `age` column) must be finite and not negative, and can be
#' summarised only from one row per person (not with `weight`). With `by`
#' of two or more values, a pooled stratum of everybody is added (`pooled`).
#'
#' @inheritParams equityaudit-arguments
#' @param vars Categorical columns to describe (bare names, strings or
#'   `c()` of them).
#' @return A data frame of class `equityaudit_cohort` in long form: the `by`
#'   columns, `pooled`, `variable`, `level`, `missing` (is this the row of
#'   people with the variable missing?), `n`, `pct`, `mean`, `sd`, `min`
#'   and `max`. The first row of each stratum (`variable = "people"`) gives
#'   its size.
#'   [format()] (and printing) lays it out as Table 1 does, strata side by
#'   side with "n (pct)" cells.
#' @export
#' @examples
#' people <- data.frame(
#'   service = rep(c("CNWL", "WWT"), c(6, 4)),
#'   ethnicity = c("White", "Black", NA, "Asian", "White", "Mixed",
#'                 "Black", "White", "Other", "White"),
#'   gender = rep(c("Male", "Female"), 5),
#'   age = c(23, 45, 37, 61, 30, 52, 19, 44, 38, 29)
#' )
#' cohort <- describe_cohort(people, c(ethnicity, gender), by = service, age = age)
#' cohort
#' as.data.frame(cohort)[1:6, ]
describe_cohort <- function(data, vars, by = NULL, age = NULL, unknown = NULL,
                            pooled = TRUE, weight = NULL, suppress = "none", key = NULL, ...) {
  check_no_dots(..., fn = "describe_cohort")
  withhold_counts(suppress)
  unknown <- check_unknown(unknown)
  check_flag(pooled, "pooled")
  input <- verb_input(data, c("vars", "by", "age", "weight", "key"), environment(), parent.frame())
  cols <- input_columns(input)
  if (length(input$cols$weight) > 0 && length(cols$age) > 0) {
    abort_input(
      "argument",
      "Age can only be summarised from one row per person, not with `weight`.",
      arg = "weight"
    )
  }
  d <- input$data
  by <- split_columns(cols, "by")
  tallies <- lapply(cols$vars, function(v) {
    tally(d, v, by, cols$weight, unknown = unknown, group_arg = "vars", key = cols$key)
  })
  # the strata and their people (everybody is in each variable's tally)
  base <- if (length(tallies) > 0) {
    tallies[[1]]
  } else {
    d[[".equityaudit_all"]] <- rep(TRUE, nrow(d))
    tally(d, ".equityaudit_all", by, cols$weight, unknown = unknown, key = cols$key)
  }
  # a pooled stratum of one stratum would only repeat it (with none, it is
  # the one stratum: of nobody)
  n_strata <- utils::tail(dim(base$array), 1)
  pooled <- pooled && length(cols$by) > 0 && n_strata != 1
  m <- NULL
  if (length(cols$age) == 1) {
    m <- if (!is.null(input$table)) {
      db_age_moments(input$table, cols$by, cols$age, base, unknown)
    } else {
      cohort_moments(d, cols$by, cols$age, base, unknown)
    }
  }
  out <- cohort_result(tallies, base, m, cols, pooled)
  if (!is.null(base$keys)) {
    keyed_age <- if (!is.null(m)) age_key_sums(d, cols, by, unknown)
    keyed <- cohort_result(lapply(tallies, keyed_tally), keyed_tally(base), keyed_age, cols, pooled)
    out <- attach_key_sums(out, keyed)
  }
  apply_suppression(out, suppress)
}
