#' The arguments every function shares, and the rules behind them
#'
#' An argument name means one thing in every function of equityaudit, and
#' the rules for groups, unknown values, strata and reference populations
#' are applied in one place for all of them. This page is the reference.
#'
#' @section Columns:
#' Every argument that names columns (`group`, `outcome`, `by`, `strata`,
#' `adjust`, `weight`, `key`, `events`, `total`, `date`, `age`, `vars`, and the
#' reference's `ref_count` and `ref_prop`) takes bare names or strings
#' alike, `c()` of them, or a variable holding strings: `group = ethnicity`,
#' `group = "ethnicity"` and `g <- "ethnicity"; group = g` are the same. A
#' column named in two arguments is an error.
#'
#' @section Missing and unknown values:
#' One rule, in every function and every table of a report: `NA`, blank or
#' whitespace-only strings (the empty cells of a CSV file), and the values
#' listed in `unknown` are *not known*.
#'
#' * In the `group` columns they make **one unknown group**, shown last in
#'   a row of its own (`missing = TRUE`) and left out of the tests and of
#'   the known groups' percentages. Its label is the first of `unknown`
#'   (so it matches the reference population's own label), or `"Not
#'   known"` when `unknown` is not given (or `"Not known (missing)"` if a
#'   group is really called "Not known").
#' * With several `group` columns (`group = c(ethnicity, gender)`) every
#'   combination of their values is a group. A combination with any
#'   unknown part is unknown. The result keeps a column for each part and a
#'   label column named after the parts joined by `_`
#'   (`ethnicity_gender`), whose labels join the parts with `", "` (or
#'   `" / "`, `" | "`, ... when a value itself contains `", "`), so that two
#'   combinations never share a label.
#' * In `by` and `strata` columns they make **one stratum of its own**,
#'   labelled as above and analysed like the others; it is left out of the
#'   tests across strata (Cochran-Mantel-Haenszel, Mantel-Haenszel pooling)
#'   and of funnel plots, because its people belong to no one stratum.
#' * In `adjust` columns they cannot be standardised: those people are
#'   left out of the adjusted analysis.
#' * A missing outcome is left out of the outcome's denominators and
#'   counted (`n_outcome_missing`).
#'
#' Nobody is dropped silently: every function that leaves people out says
#' how many in a message and in `tidy(x, "left_out")`.
#'
#' @section The pooled stratum:
#' Functions that pool across `by` ([describe_cohort()],
#' [compare_outcomes()], the adjusted analyses) add pooled strata marked by
#' the column `pooled = TRUE`, labelled `"Total"` in the `by` columns (or
#' `"All"` when a stratum is itself called "Total", which then stays
#' itself).
#'
#' @section Reference populations:
#' A `reference` population ([compare_access()], [compare_services()],
#' [compare_periods()]) is a data frame (or database table) with the
#' `group` columns, the `by` columns (and `adjust` columns when adjusting),
#' and a column of counts (`ref_count`, default `n`) or of proportions
#' (`ref_prop`). The same rule for unknown values applies to it. Each group
#' and stratum must be on one row: a repeated row is an error, never
#' summed. A label on one side only is an error listing both sides, so that
#' a typo never becomes a zero.
#'
#' @param data The people: a data frame with one row per person (or one row
#'   per group with a `weight`, or `events` and `total`, column), or a
#'   database table (see [database]).
#' @param group The column(s) whose groups are compared, such as ethnicity;
#'   several columns make combined groups.
#' @param outcome The outcome column: logical, 0/1, or a factor or character
#'   column whose event is given by `event`.
#' @param event The value of `outcome` that counts as the event (for
#'   example `"Employed"`). Defaults to `TRUE` for a logical outcome and `1`
#'   for a 0/1 outcome; it must be given otherwise: it is never guessed.
#' @param by Columns whose levels are analysed separately (and, where a
#'   function pools, pooled across), such as the service.
#' @param strata Columns whose levels are analysed separately and never
#'   pooled, such as gender or age band.
#' @param unknown Labels meaning "not known" (e.g. `"Not stated"`), treated
#'   like missing values; see Missing and unknown values.
#' @param reference The eligible population: see Reference populations.
#' @param ref_count The column of `reference` holding population counts
#'   (default `n`).
#' @param ref_prop The column of `reference` holding proportions instead of
#'   counts.
#' @param adjust Columns (such as age band and gender) to adjust for; see
#'   [adjustment].
#' @param conf_level Confidence level of the intervals (and one minus the
#'   significance level of the tests and verdicts).
#' @param sims Number of simulated draws (10 to 10^7).
#' @param std_interval Interval of directly standardised percentages:
#'   `"dobson"` (the default) or `"wald"`; see [adjustment].
#' @param weight Column of counts, for data that are already aggregated.
#' @param events,total Columns of event counts and group sizes, instead of
#'   `outcome`.
#' @param suppress `NULL` (the default) for unsuppressed counts, or a rule
#'   for [suppress_counts()] (`"nhs_digital"`, `"opensafely"`,
#'   `"cell_key"`) applied to the result before it is returned.
#' @param key Column of record keys (whole numbers from 1 to 256, one per
#'   person, fixed across releases; see [record_keys()]) for the cell-key
#'   rule (`suppress = "cell_key"`): the result keeps the sums of the keys
#'   of the people in each of its counts, counted by running the analysis
#'   again with the keys as weights. Only with one row per person.
#' @name equityaudit-arguments
#' @seealso [equityaudit-conditions] for the errors.
NULL
