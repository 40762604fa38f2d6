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
#' `data` is a data frame of one row per person, the path of a CSV file of
#' them, or a database table (see [database]): then the counts of every
#' column the report needs are computed by one query, and the analyses run
#' on them. The default rule is `suppress = "nhs_digital"`.
#'
#' **Monthly releases.** With `suppress = "cell_key"` and `key =` (a column
#' of [record_keys()], stored with the records) the counts are perturbed
#' by the cell-key method (see [suppress_counts()]) under the secret of
#' `options(equityaudit.secret = )`, kept with the data: the same people
#' give the same published count in this month's report and the next, so
#' successive releases cannot be differenced the way threshold rules can
#' (see [record_keys()] for what a year of monthly releases still lets a
#' reader learn). The report then shows the tables the rule perturbs (the
#' cohort, access and outcomes) and the inequality measures of the
#' published outcomes; the comparisons with the largest group, the
#' services side by side and change over time are left out (a note says
#' so). `key` is refused under the other rules.
#'
#' **Broad groups.** With `broad = TRUE`, under a threshold rule, when the
#' group column holds detailed ethnic categories (any wording
#' [collapse_ethnicity()] reads: the 19 ONS 2021 categories, the NHS ones),
#' access, outcomes and the comparisons are computed for the broad groups
#' too, and change over time is by broad group (tables
#' `access_broad`, `outcomes_broad`, `groups_broad`, group column
#' `broad_` and the group column's name), and suppressed together with
#' the detailed tables through a hierarchy (see `suppress_counts(hierarchy
#' = )`): a broad count is the sum of its detailed counts, and no hidden
#' detailed count can be narrowed from the broad tables. The report shows
#' them in a section of their own, and its main findings say which level
#' each statement uses. It is not the default: the broad counts tie the
#' detailed ones together, and when the search for the fewest counts
#' hidden runs out of time, the pattern it falls back to can hide far more
#' of the detail than without them (compare the two).
#'
#' The inequality measures' simulated intervals use a fixed seed (1), so
#' that the report is the same each time it is made; your own random
#' number stream is left as it was.
#'
#' Adjusted comparisons (`adjust`) rest on counts by the adjustment strata,
#' which the suppression rules do not cover: they are computed only with
#' `suppress = "none"`.
#' @inheritParams equityaudit-arguments
#' @return A list of class `equityaudit_report`: `tables` (the published
#'   results, named `cohort`, `access`, `outcomes`, `groups`, `services`,
#'   `periods`; those that do not apply are absent), `measures`, `adjusted`
#'   (`access` and `outcomes`: the adjusted comparisons, or `NULL`),
#'   `notes` (what the analyses left out, in words; under a rule without
#'   exact counts), `broad` (the broad groups' column and hierarchy, or
#'   `NULL`), `records` (the number of records, as published) and
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
                          period = "quarter", key = NULL, broad = FALSE, ...) {
  check_no_dots(..., fn = "report_tables")
  report_input(data, reference, environment(), parent.frame(), suppress, period, unknown, event, broad)
}

# The front end of the report (report_tables(), equity_report()): its data
# and reference resolved once (a database table counted by one query), then
# every analysis. `frame`: the calling function's environment, holding its
# unevaluated column arguments.
report_input <- function(data, reference, frame, env, suppress, period, unknown, event,
                         broad = FALSE) {
  check_flag(broad, "broad")
  suppress <- check_suppress(suppress, c("nhs_digital", "opensafely", "cell_key", "none"))
  withhold_counts(suppress)
  period <- match_arg(period, period_kinds, "period")
  unknown <- check_unknown(unknown)
  if (is.character(data) && length(data) == 1) data <- read_people(data)
  lazy <- is_lazy_table(data)
  input <- verb_input(data, c("group", "outcome", "by", "strata", "weight", "adjust", "date", "key"),
    frame, env,
    required = c("group", "outcome"), single = c("group", "outcome", "weight", "date", "key")
  )
  cols <- input_columns(input)
  check_report_keys(cols, suppress)
  ref <- if (!is.null(reference)) {
    keys <- c(cols$group, cols$by, intersect(cols$adjust, colnames(reference)))
    reference_input(reference, frame, env, keys,
      method = if (is.null(eval(quote(substitute(ref_prop)), frame))) "homogeneity" else "goodness_of_fit"
    )
  }
  check_report_data(input$data, cols, unknown)
  notes <- if (suppress == "cell_key") cell_key_report_notes(cols) else character()
  broad <- if (broad) report_broad(input$data, cols, unknown, suppress)
  tables <- withCallingHandlers(
    c(
      report_analyses(input$data, cols, ref, event, unknown, suppress, period, broad),
      if (!is.null(broad)) report_broad_tables(broad, cols, ref, event, unknown)
    ),
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
  if (suppress != "none") {
    tables <- suppress_counts(tables, suppress, secret = report_secret(suppress), hierarchy = broad$hierarchy)
  }
  measures <- with_local_seed(1, suppressMessages(inequality_measures(tables$outcomes, sims = 1000)))
  structure(list(
    tables = tables, measures = measures, adjusted = adjusted, notes = unique(notes),
    records = report_records(tables$cohort, suppress),
    broad = if (!is.null(broad)) list(column = broad$column, hierarchy = broad$hierarchy),
    settings = c(cols, list(
      event = attr(tables$outcomes, "event"), suppress = suppress, unknown = unknown,
      period = period, lazy = lazy, reference = !is.null(ref)
    ))
  ), class = "equityaudit_report")
}

# Every analysis of the report, once, on the data and reference resolved by
# report_input() (columns passed as the calls `cols$by` and so on, which
# every verb reads as the names they hold).
report_analyses <- function(data, cols, ref, event, unknown, suppress, period, broad = NULL) {
  # adjusted comparisons only without a rule (suppression does not cover them)
  adjust <- if (suppress == "none") cols$adjust else character()
  groups <- c(cols$group, cols$strata)
  # under the cell-key rule, only the tables the rule perturbs (from the
  # record keys): the cohort, access and outcomes
  key <- if (suppress == "cell_key") cols$key
  tables <- list(cohort = describe_cohort(data, groups,
    by = cols$by, unknown = unknown, weight = cols$weight, key = key
  ))
  if (!is.null(ref)) {
    ref_cols <- list(count = if (!ref$is_prop) ref$column, prop = if (ref$is_prop) ref$column)
    tables$access <- compare_access(data, cols$group, ref$reference,
      by = cols$by, unknown = unknown, weight = cols$weight,
      ref_count = ref_cols$count, ref_prop = ref_cols$prop,
      method = if (ref$is_prop) "goodness_of_fit" else "homogeneity",
      # a reference by the adjustment columns is summed over them for the
      # unadjusted comparison
      adjust = reference_adjust(ref$reference, cols$adjust), key = key
    )
  }
  tables$outcomes <- compare_outcomes(data, cols$group, cols$outcome,
    by = cols$by, strata = cols$strata, event = event, unknown = unknown,
    weight = cols$weight, adjust = adjust, key = key
  )
  if (suppress == "cell_key") {
    return(tables)
  }
  tables$groups <- compare_groups(data, cols$group, cols$outcome,
    by = c(cols$by, cols$strata), event = event, unknown = unknown, weight = cols$weight
  )
  if (length(cols$by) == 1 && length(unique(stats::na.omit(data[[cols$by]]))) >= 5) {
    tables$services <- compare_services(data, cols$group,
      unit = cols$by, outcome = cols$outcome, event = event, unknown = unknown,
      overdispersion = TRUE, weight = cols$weight
    )
  }
  if (length(cols$date) == 1) {
    # with broad groups, change over time by broad group (by detailed
    # category, most counts of a period would be hidden)
    if (!is.null(broad)) {
      data <- broad$data
      ref <- broad_reference(broad, ref, cols$group)
      cols$group <- broad$column
    }
    population <- period_population(ref, cols$group)
    tables$periods <- compare_periods(data, cols$group, cols$date,
      period = period, outcome = cols$outcome, event = event, unknown = unknown,
      reference = population, ref_count = if (!is.null(population)) "n", weight = cols$weight
    )
  }
  tables
}

# The eligible population of each group, summed over every other column,
# for the shares over time (none from proportions).
period_population <- function(ref, group) {
  if (is.null(ref) || ref$is_prop) {
    return(NULL)
  }
  out <- stats::aggregate(list(n = ref$value), ref$reference[group], sum)
  out[c(group, "n")]
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

# Reads a CSV of people: blank cells are missing, text stays text (so that
# no event is taken from factor level order) and names stay as written.
read_people <- function(path) {
  if (!file.exists(path)) {
    abort_input("argument", sprintf("File %s does not exist.", format_values(path)), arg = "data")
  }
  utils::read.csv(path,
    na.strings = c("", "NA"), stringsAsFactors = FALSE,
    check.names = FALSE, strip.white = TRUE
  )
}

# A report needs people, and people whose group and outcome are known.
check_report_data <- function(data, cols, unknown = NULL) {
  if (nrow(data) == 0) {
    abort_input("argument", "`data` has no rows: there is nobody to report on.", arg = "data")
  }
  for (arg in c("group", "outcome")) {
    v <- blank_to_na(data[[cols[[arg]]]])
    if (arg == "group") v[as.character(v) %in% unknown] <- NA
    if (all(is.na(v))) {
      abort_input(
        "column",
        sprintf(
          "Column `%s` (`%s`) is missing or unknown for everybody: there is nothing to compare.",
          cols[[arg]], arg
        ),
        arg = arg, column = cols[[arg]]
      )
    }
  }
  invisible(data)
}

# The adjustment columns that a reference population is broken down by (its
# rows are then summed over them for the unadjusted comparison).
reference_adjust <- function(reference, adjust) {
  if (length(adjust) > 0 && all(adjust %in% names(reference))) adjust
}

# The cell-key rule needs the record keys (`key =`), and its secret before
# anything is computed.
check_report_keys <- function(cols, suppress) {
  if (suppress != "cell_key") {
    if (length(cols$key) > 0) {
      abort_input("argument",
        "`key` is used only by the cell-key rule (`suppress = \"cell_key\"`).",
        arg = "key"
      )
    }
    return(invisible())
  }
  if (length(cols$key) == 0) {
    abort_input(
      "argument",
      paste(
        "The cell-key rule needs each person's record key: give `key =` (a column of",
        "`record_keys()`, stored with the records and the same for a person in every release)."
      ),
      arg = "key"
    )
  }
  check_secret()
  invisible()
}

report_secret <- function(suppress) if (suppress == "cell_key") check_secret()

# What a cell-key report leaves out, and why.
cell_key_report_notes <- function(cols) {
  c(
    paste(
      "Under the cell-key rule the report shows the tables it perturbs from the record keys",
      "(the cohort, access and outcomes) and the inequality measures of the published outcomes;",
      "the comparisons of each group with the largest, the services side by side and change",
      "over time are left out."
    ),
    if (length(cols$date) > 0) {
      paste(
        "For change over time, publish each month's report:",
        "the same people give the same counts in every release."
      )
    }
  )
}
