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
#' a stratum in which nobody's age is known shows no age summary. Ages must
#' be finite and not negative.
#'
#' @inheritParams equityaudit-arguments
#' @param data One row per person.
#' @param vars Categorical columns to describe (bare names, strings or
#'   `c()` of them).
#' @param by Stratifying columns, such as the service. A pooled stratum
#'   (`pooled = TRUE`, labelled `"Total"`) is added when `pooled = TRUE`.
#' @param age Optional numeric column summarised by mean, s.d., minimum and
#'   maximum.
#' @param pooled Add the pooled stratum of everybody?
#' @param weight Optional column of counts, for a table that is already
#'   aggregated (then `age` cannot be summarised).
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
                            pooled = TRUE, weight = NULL, suppress = NULL, key = NULL) {
  withhold_counts(suppress)
  check_key_not_lazy(data, substitute(key))
  table <- data
  data <- check_data_frame(column_frame(table))
  unknown <- check_unknown(unknown)
  check_flag(pooled, "pooled")
  cols <- columns_of(c("vars", "by", "age", "weight", "key"), data, environment(), parent.frame(),
    single = c("age", "weight", "key")
  )
  if (length(cols$weight) > 0 && length(cols$age) > 0) {
    abort_input(
      "argument",
      "Age can only be summarised from one row per person, not with `weight`.",
      arg = "weight"
    )
  }
  weight <- cols$weight
  if (is_lazy_table(table)) {
    # one query for the joint counts; the age sums in another, below
    data <- db_counts(table, c(cols$by, cols$vars), weight = weight)
    weight <- ".n"
  }
  by <- split_columns(cols, "by")
  tallies <- lapply(cols$vars, function(v) {
    tally(data, v, by, weight, unknown = unknown, group_arg = "vars")
  })
  # the strata and their people (everybody is in each variable's tally)
  base <- if (length(tallies) > 0) {
    tallies[[1]]
  } else {
    data[[".equityaudit_all"]] <- rep(TRUE, nrow(data))
    tally(data, ".equityaudit_all", by, weight, unknown = unknown)
  }
  # a pooled stratum of one stratum would only repeat it (with none, it is
  # the one stratum: of nobody)
  n_strata <- utils::tail(dim(base$array), 1)
  pooled <- pooled && length(cols$by) > 0 && n_strata != 1
  pieces <- lapply(tallies, function(tl) {
    counts <- matrix(tl$array, nrow = length(tl$groups$label))
    if (pooled) counts <- cbind(counts, rowSums(counts))
    cohort_rows(counts, tl)
  })
  if (length(cols$age) == 1) {
    m <- if (is_lazy_table(table)) {
      db_age_moments(table, cols$by, cols$age, base, unknown)
    } else {
      cohort_moments(data, cols$by, cols$age, base, unknown)
    }
    if (pooled) m <- Map(c, m, pool_moments(m))
    pieces[[length(pieces) + 1]] <- age_rows(m, cols$age)
  }
  out <- cohort_frame(pieces, base, cols$by, pooled)
  out <- add_key_sums(out, cols$key, cols$weight, match.call(), parent.frame(), data,
    age = cols$age, vars = cols$vars
  )
  apply_suppression(out, suppress)
}
