# The report's tables, computed once: every analysis the report shows, run
# on the data (for a database table, on the counts of one query), then
# suppressed together, with the inequality measures computed from the
# published outcome table.

#' The tables of an equality audit report, computed once
#'
#' Computes every table [equity_report()] shows, once, and suppresses them
#' together: the cohort ([describe_cohort()]), access against the eligible
#' population ([compare_access()], with `reference`), outcomes by group
#' ([compare_outcomes()]), each group against the largest
#' ([compare_groups()]), the services side by side ([compare_services()],
#' when `by` is one column with five or more values) and change over time
#' ([compare_periods()], with `date`); then the inequality measures
#' ([inequality_measures()]) of the published outcome table. A count hidden
#' in one table is hidden in all, and no combination of the tables narrows
#' a hidden count (see [suppress_counts()]). Use it to publish the report's
#' tables in another form, or to check them with [disclosure_check()].
#'
#' For a database table (see [database]), the counts of every column the
#' report needs are computed by one query, and the analyses run on them.
#'
#' The inequality measures' simulated intervals use a fixed seed (1), so
#' that the report is the same each time it is made; your own random
#' number stream is left as it was.
#'
#' Adjusted comparisons (`adjust`) rest on counts by the adjustment strata,
#' which the suppression rules do not cover: they are computed only with
#' `suppress = "none"`.
#' @inheritParams equity_report
#' @return A list of class `equityaudit_report`: `tables` (the published
#'   results, named `cohort`, `access`, `outcomes`, `groups`, `services`,
#'   `periods`; those that do not apply are absent), `measures`, `adjusted`
#'   (`access` and `outcomes`: the adjusted comparisons, or `NULL`),
#'   `notes` (what the analyses left out, in words; under a rule without
#'   exact counts), `records` (the number of records, as published) and
#'   `settings` (the columns and options used).
#' @export
#' @examples
#' r <- report_tables(ips_synthetic, ethnicity, employed, by = service)
#' r
#' disclosure_check(r$tables)
report_tables <- function(data, group, outcome, reference = NULL, by = NULL,
                          strata = NULL, event = NULL, unknown = NULL,
                          ref_count = NULL, ref_prop = NULL, weight = NULL,
                          suppress = "nhs_digital", adjust = NULL, date = NULL,
                          period = "quarter") {
  if (identical(suppress, "cell_key")) {
    abort_input(
      "argument",
      paste(
        "The report cannot use the cell-key rule yet: it covers describe_cohort(),",
        "compare_access() and compare_outcomes() only (with `key =`). Use",
        "`suppress = \"nhs_digital\"` or \"opensafely\", or publish those tables alone."
      ),
      arg = "suppress"
    )
  }
  suppress <- match_arg(suppress, c("nhs_digital", "opensafely", "none"), "suppress")
  withhold_counts(suppress)
  period <- match_arg(period, c("quarter", "month", "year", "column"), "period")
  unknown <- check_unknown(unknown)
  if (is.character(data) && length(data) == 1) data <- read_people(data)
  columns <- column_frame(data)
  check_data_frame(columns)
  env <- parent.frame()
  cols <- list(
    group = one_column(column_names(substitute(group), columns, env, "group"), "group"),
    outcome = one_column(column_names(substitute(outcome), columns, env, "outcome"), "outcome"),
    by = column_names(substitute(by), columns, env, "by"),
    strata = column_names(substitute(strata), columns, env, "strata"),
    weight = column_names(substitute(weight), columns, env, "weight"),
    adjust = column_names(substitute(adjust), columns, env, "adjust"),
    date = one_column(column_names(substitute(date), columns, env, "date"), "date", TRUE)
  )
  check_column_args(cols, columns)
  ref <- report_reference(reference, substitute(ref_count), substitute(ref_prop), cols, env)
  lazy <- is_lazy_table(data)
  if (lazy) {
    data <- db_counts(data, unique(unlist(cols[c("group", "outcome", "by", "strata", "adjust", "date")])),
      weight = if (length(cols$weight)) cols$weight
    )
    cols$weight <- ".n"
  }
  check_report_data(data, cols, unknown)
  notes <- character()
  tables <- withCallingHandlers(
    report_analyses(data, cols, ref, event, unknown, suppress, period),
    equityaudit_note = function(m) {
      notes <<- c(notes, trimws(conditionMessage(m)))
      invokeRestart("muffleMessage")
    }
  )
  adjusted <- if (suppress == "none") {
    list(
      access = if (!is.null(tables$access)) result_table(tables$access, "adjusted"),
      outcomes = result_table(tables$outcomes, "adjusted")
    )
  }
  if (suppress != "none") tables <- suppress_counts(tables, suppress)
  measures <- with_local_seed(1, suppressMessages(inequality_measures(tables$outcomes, sims = 1000)))
  structure(list(
    tables = tables, measures = measures, adjusted = adjusted, notes = unique(notes),
    records = report_records(tables$cohort, suppress),
    settings = c(cols, list(
      event = attr(tables$outcomes, "event"), suppress = suppress, unknown = unknown,
      period = period, lazy = lazy, reference = !is.null(ref$reference)
    ))
  ), class = "equityaudit_report")
}

# Every analysis of the report, once; `ref` from report_reference().
report_analyses <- function(data, cols, ref, event, unknown, suppress, period) {
  w <- if (length(cols$weight)) cols$weight
  by <- if (length(cols$by)) cols$by
  strata <- if (length(cols$strata)) cols$strata
  # adjusted comparisons only without a rule (suppression does not cover them)
  adjust <- if (suppress == "none" && length(cols$adjust)) cols$adjust
  tables <- list(cohort = describe_cohort(data, c(cols$group, strata), by = by, unknown = unknown, weight = w))
  if (!is.null(ref$reference)) {
    tables$access <- compare_access(data, cols$group, ref$reference,
      by = by, unknown = unknown, weight = w, ref_count = ref$ref_count, ref_prop = ref$ref_prop,
      method = if (is.null(ref$ref_prop)) "homogeneity" else "goodness_of_fit",
      # a reference by the adjustment columns is summed over them for the
      # unadjusted comparison
      adjust = reference_adjust(ref$reference, cols$adjust)
    )
  }
  tables$outcomes <- compare_outcomes(data, cols$group, cols$outcome,
    by = by, strata = strata, event = event, unknown = unknown, weight = w, adjust = adjust
  )
  tables$groups <- compare_groups(data, cols$group, cols$outcome,
    by = c(by, strata), event = event, unknown = unknown, weight = w
  )
  if (length(by) == 1 && length(unique(stats::na.omit(data[[by]]))) >= 5) {
    tables$services <- compare_services(data, cols$group,
      by = by, outcome = cols$outcome, event = event, unknown = unknown,
      overdispersion = TRUE, weight = w
    )
  }
  if (length(cols$date) == 1) {
    tables$periods <- compare_periods(data, cols$group, cols$date,
      period = period, outcome = cols$outcome, event = event, unknown = unknown,
      reference = period_population(ref, cols$group), ref_count = if (!is.null(ref$reference)) "n", weight = w
    )
  }
  tables
}

# The reference population with its count or proportion column named, a
# database table's counts collected.
report_reference <- function(reference, ref_count, ref_prop, cols, env) {
  if (is.null(reference)) {
    return(list())
  }
  if (is_lazy_table(reference)) {
    args <- lazy_reference(list(reference = reference, ref_count = ref_count, ref_prop = ref_prop), cols, env)
    return(args[c("reference", "ref_count")])
  }
  reference <- check_data_frame(reference, "reference")
  list(
    reference = reference,
    ref_count = one_column(column_names(ref_count, reference, env, "ref_count"), "ref_count", TRUE),
    ref_prop = one_column(column_names(ref_prop, reference, env, "ref_prop"), "ref_prop", TRUE)
  )
}

# The eligible population of each group, summed over every other column,
# for the shares over time (none from proportions).
period_population <- function(ref, group) {
  if (is.null(ref$reference) || length(ref$ref_prop) > 0) {
    return(NULL)
  }
  count <- if (length(ref$ref_count)) ref$ref_count else "n"
  if (!count %in% names(ref$reference)) {
    return(NULL)
  }
  out <- stats::aggregate(ref$reference[count], ref$reference[group], sum)
  names(out)[[2]] <- "n"
  out
}

# How many records the report rests on: under a rule, the cohort's
# published (rounded) headcount, so that no exact total is given away.
report_records <- function(cohort, suppress) {
  d <- unclass(cohort)
  people <- which(d$variable == "people")
  if (!is.null(d$pooled) && any(d$pooled[people])) people <- people[d$pooled[people]]
  if (length(people) == 1) d$n[[people]] else if (suppress == "none") sum(d$n[people]) else NA_real_
}

#' @export
print.equityaudit_report <- function(x, ...) {
  s <- x$settings
  cat(sprintf(
    "Equality audit tables of %s and %s%s, %s\n", s$group, s$outcome,
    within_text(s$by), if (s$suppress == "none") "not suppressed" else paste("suppressed together:", rule_name(s$suppress), "rule")
  ))
  cat("Tables:", paste(names(x$tables), collapse = ", "), "and the inequality measures\n")
  if (length(x$notes) > 0) cat(paste0("Note: ", x$notes, "\n"), sep = "")
  invisible(x)
}
