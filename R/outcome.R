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
#' pooled. With `pooled = TRUE` a set of rows with every `by` column set to
#' `"Total"` is added, pooling the `by` levels (the study's "Total" column:
#' both services together). `strata` (for example gender or age band) gives
#' separate analyses that are never pooled, as the study's tests for men and
#' for women. When `by` is given, the Cochran-Mantel-Haenszel test of group
#' by outcome across the `by` levels (within each level of `strata`) is
#' attached as attribute `"cmh"`; see also [cmh_test()].
#'
#' `group` may name several columns (`c(ethnicity, gender)`): each
#' combination is then one group, labelled like `"Black/Black British,
#' Female"` in a column named `ethnicity_gender`; a combination with a
#' missing or unknown part counts as unknown.
#'
#' People whose group is missing (or one of the `unknown` labels) get a row
#' of their own with `missing = TRUE` and are left out of the test. People
#' whose outcome is missing are counted in `n_outcome_missing` on their
#' group's row and left out of `n`, `events` and the test.
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
#' @param data One row per person, or one row per group with `events` and
#'   `total` count columns (for published tables).
#' @param group The column of groups compared, such as ethnicity.
#' @param outcome The outcome column: logical, 0/1, or a factor or character
#'   column with the event given by `event`. Leave `NULL` when `events` and
#'   `total` are given.
#' @param by Columns whose levels are analysed separately and then pooled.
#' @param strata Columns whose levels are analysed separately, never pooled.
#' @param pooled Add the pooled (`"Total"`) analysis across `by`?
#' @param exact `"auto"`, `"always"` or `"never"`, see Details.
#' @param conf_level Confidence level of the Wilson intervals.
#' @param p_adjust Method of [stats::p.adjust()] applied across the tests
#'   of the result, giving `p_adjusted`.
#' @param event The value of `outcome` that counts as the event (for
#'   example `"Employed"`). Defaults to `TRUE` for a logical outcome and `1`
#'   for a 0/1 outcome; it must be given for a factor or character outcome
#'   (it is never guessed from the order of the levels). The event is named
#'   in the printed result and in attribute `"event"`.
#' @param events,total Columns of event counts and group sizes, instead of
#'   `outcome`.
#' @param weight Column of counts for aggregated record-level data.
#' @param unknown Labels of `group` that mean "not known".
#' @param suppress `NULL` for unsuppressed counts, or a rule for
#'   [suppress_counts()] (`"nhs_digital"`, `"opensafely"`) applied to the
#'   result before it is returned.
#' @param adjust Columns (such as age band and gender) to adjust for: adds
#'   directly standardised percentages in the attribute `"adjusted"`; see
#'   [adjustment].
#' @return A data frame of class `equityaudit_outcomes` with one row per
#'   test unit (`by` level or `"Total"`, times `strata` level) and group:
#'   the `by` and `strata` columns, the group column, `missing`, `n`,
#'   `events`, `pct`, the Wilson interval `pct_low` and `pct_high`,
#'   `adj_residual` (of the event cell), `n_outcome_missing`, and the unit's
#'   test: `statistic`, `df`, `p_value`, `g_statistic`, `exact_p_value`,
#'   `exact_method` (`"exact"`, `"monte_carlo"`, `"not_attempted"` or
#'   `NA`), `exact_p_se` (the standard error of a simulated
#'   `exact_p_value`), `min_expected`, `cramers_v` and `p_adjusted`. Use [summary()] for one
#'   row per test.
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
#' summary(res)
#' attr(res, "cmh")
compare_outcomes <- function(data, group, outcome = NULL, by = NULL,
                             strata = NULL, pooled = TRUE,
                             exact = c("auto", "always", "never"),
                             conf_level = 0.95, p_adjust = "none",
                             event = NULL, events = NULL, total = NULL,
                             weight = NULL, unknown = NULL, suppress = NULL,
                             adjust = NULL) {
  if (is_lazy_table(data)) {
    return(lazy_call(
      compare_outcomes, data, match.call(), parent.frame(),
      c("group", "outcome", "by", "strata", "adjust"), c("events", "total")
    ))
  }
  check_data_frame(data)
  exact <- match_arg(exact, c("auto", "always", "never"), "exact")
  check_conf_level(conf_level)
  check_flag(pooled, "pooled")
  if (!is.character(p_adjust) || length(p_adjust) != 1 ||
    !(p_adjust %in% stats::p.adjust.methods)) {
    abort_input(
      "argument",
      sprintf("`p_adjust` must be one of %s.", format_values(stats::p.adjust.methods, 10)),
      arg = "p_adjust"
    )
  }
  unknown <- check_unknown(unknown)
  env <- parent.frame()
  cols <- list(
    group = column_names(substitute(group), data, env, "group"),
    outcome = column_names(substitute(outcome), data, env, "outcome"),
    by = column_names(substitute(by), data, env, "by"),
    strata = column_names(substitute(strata), data, env, "strata"),
    events = column_names(substitute(events), data, env, "events"),
    total = column_names(substitute(total), data, env, "total"),
    weight = column_names(substitute(weight), data, env, "weight")
  )
  if (length(cols$group) > 1) { # intersections: the combination is one group
    check_columns(cols$group, data, "group")
    data <- with_combined_group(data, cols$group, unknown)
    cols$group <- group_name(cols$group)
  }
  one_column(cols$group, "group")
  arr <- outcome_array(data, cols, event)
  out <- outcome_result(arr, cols, pooled, exact, conf_level, p_adjust, unknown)
  adjust <- column_names(substitute(adjust), data, env, "adjust")
  if (length(adjust) > 0) {
    check_columns(adjust, data, "adjust")
    attr(out, "adjusted") <- adjusted_outcomes(data, cols, adjust, event, unknown, conf_level, pooled)
  }
  apply_suppression(out, suppress)
}

# Counts as an array [group (NA last), c(no event, event, outcome NA),
# stratum] with the strata (by then strata columns).
outcome_array <- function(data, cols, event) {
  split <- c(cols$by, cols$strata)
  counted <- length(cols$events) + length(cols$total) > 0
  if (counted) {
    if (length(cols$events) != 1 || length(cols$total) != 1 ||
      length(cols$outcome) > 0) {
      abort_input(
        "argument",
        "Give either `outcome`, or both `events` and `total` (one column each).",
        arg = "outcome"
      )
    }
    check_column_args(cols[c("group", "by", "strata", "events", "total")], data)
    ev <- data[[cols$events]]
    tot <- data[[cols$total]]
    check_counts(ev, cols$events, "events")
    check_counts(tot, cols$total, "total")
    over <- which(ev > tot)
    if (length(over) > 0) {
      abort_input(
        "count",
        sprintf(
          "Column `%s` (`events`) exceeds `%s` (`total`) in row%s %s.",
          cols$events, cols$total, if (length(over) > 1) "s" else "",
          format_values(over)
        ),
        arg = "events", column = cols$events
      )
    }
    tmp <- data[c(cols$group, split)]
    tmp$.no <- tot - ev
    tmp$.yes <- ev
    no <- group_counts(tmp, cols$group, split, ".no")
    yes <- group_counts(tmp, cols$group, split, ".yes")
    if (!identical(no$key, yes$key)) {
      all <- group_counts(tmp, cols$group, split, NULL)
      no <- align_strata(no, all)
      yes <- align_strata(yes, all)
    }
    a <- array(0, c(dim(no$array)[[1]], 3, utils::tail(dim(no$array), 1)))
    a[, 1, ] <- no$array
    a[, 2, ] <- yes$array
    return(list(array = a, info = no, event = cols$events))
  }
  one_column(cols$outcome, "outcome")
  check_column_args(cols[c("group", "outcome", "by", "strata", "weight")], data)
  y <- data[[cols$outcome]]
  info <- group_counts(data, cols$group, split,
    if (length(cols$weight)) cols$weight,
    inner = cols$outcome
  )
  levels_y <- info$inner_values[[1]]
  is_event <- event_slots(y, levels_y, event, cols$outcome)
  d <- dim(info$array)
  a <- array(0, c(d[[1]], 3, d[[3]]))
  a[, 1, ] <- sum_outcome_levels(info$array, !is_event & !is.na(levels_y))
  a[, 2, ] <- sum_outcome_levels(info$array, is_event & !is.na(levels_y))
  a[, 3, ] <- sum_outcome_levels(info$array, is.na(levels_y))
  ev <- levels_y[is_event & !is.na(levels_y)]
  event_label <- paste(
    cols$outcome, "=",
    if (is.character(ev) || is.factor(ev)) format_values(ev) else paste(ev, collapse = ", ")
  )
  list(array = a, info = info, event = event_label)
}

# Sums arr[, which, ] over the second dimension.
sum_outcome_levels <- function(arr, which) {
  d <- dim(arr)
  out <- matrix(0, d[[1]], d[[3]])
  for (j in which(which)) out <- out + arr[, j, ]
  out
}

align_strata <- function(part, all) {
  a <- matrix(0, nrow(part$array), length(all$key))
  a[, match(part$key, all$key)] <- part$array
  part$array <- a
  part$key <- all$key
  part$strata <- all$strata
  part
}

# Which outcome levels (values, NA last) are the event.
event_slots <- function(y, values, event, column) {
  if (is.null(event)) {
    # never guessed from level order: only TRUE and 1 are self-evident
    event <- if (is.logical(y)) {
      TRUE
    } else if (is.numeric(y) && !is.object(y) && all(values %in% c(0, 1, NA))) {
      1
    } else {
      abort_input(
        "argument",
        sprintf(
          paste0(
            "Say which value of `%s` is the event with `event` ",
            "(its values are %s), e.g. `event = %s`."
          ),
          column, format_values(values[!is.na(values)]),
          encodeString(as.character(values[!is.na(values)][1]), quote = "\"")
        ),
        arg = "event"
      )
    }
  }
  if (length(event) != 1 || is.na(event)) {
    abort_input("argument", "`event` must be a single value.", arg = "event")
  }
  known <- values[!is.na(values)]
  if (is.factor(y) || is.character(y)) {
    if (!(as.character(event) %in% c(as.character(known), levels(y)))) {
      abort_input(
        "argument",
        sprintf(
          "`event` is %s, which is not a value of `%s` (%s).",
          format_values(event), column, format_values(known)
        ),
        arg = "event"
      )
    }
    out <- as.character(values) == as.character(event)
  } else {
    out <- values == event
  }
  others <- unique(known[!(out[!is.na(values)] %in% TRUE)])
  if (length(others) > 1) {
    abort_input(
      "argument",
      sprintf(
        "`%s` must have two values (the event and one other); it has %s.",
        column, format_values(known)
      ),
      arg = "outcome", column = column
    )
  }
  out %in% TRUE
}

outcome_result <- function(arr, cols, pooled, exact, conf_level, p_adjust,
                           unknown) {
  info <- arr$info
  a <- arr$array
  labels <- info$labels
  miss <- is_missing_label(labels, unknown)
  keep <- !miss | apply(a, 1, sum) > 0
  a <- a[keep, , , drop = FALSE]
  labels <- labels[keep]
  miss <- miss[keep]
  gv <- info$group_values[keep]
  units <- outcome_units(a, info$strata, cols$by, cols$strata, pooled)
  a <- units$array
  k <- length(labels)
  n_units <- dim(a)[[3]]
  no <- matrix(a[, 1, ], k)
  yes <- matrix(a[, 2, ], k)
  stats <- outcome_statistics(yes, no, !miss, exact, conf_level, p_adjust)
  if (exact == "auto" && stats$n_exact > 0) {
    message(sprintf(
      "Exact p-values computed for %d of %d tests with an expected count below 5.",
      stats$n_exact, n_units
    ))
  }
  if (stats$n_exact > 0) exact_messages(stats$methods)
  rows <- c(strata_frame_rep(units$strata, k), list(
    group = label_column(labels, gv, n_units),
    missing = rep(miss, n_units),
    n = as.vector(no + yes), events = as.vector(yes)
  ), stats$columns)
  rows <- append(rows,
    list(n_outcome_missing = as.vector(matrix(a[, 3, ], k))),
    after = match("adj_residual", names(rows))
  )
  names(rows)[names(rows) == "group"] <- cols$group
  out <- new_tidy_frame(rows)
  attr(out, "by") <- c(cols$by, cols$strata)
  attr(out, "group") <- cols$group
  attr(out, "event") <- arr$event
  if (length(cols$by) > 0 || length(cols$strata) > 0) {
    attr(out, "cmh") <- outcome_cmh(units, !miss, cols)
  }
  n_base <- dim(units$base)[[3]]
  attr(out, "total_rows") <- rep(seq_len(n_units) > n_base, each = k)
  attr(out, "pooled_over") <- if (n_units > n_base) cols$by else character()
  attr(out, "options") <- list(
    exact = exact, conf_level = conf_level, p_adjust = p_adjust,
    by = cols$by, strata = cols$strata
  )
  class(out) <- c("equityaudit_outcomes", "data.frame")
  out
}
