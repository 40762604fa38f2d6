#' The arguments every function shares, and the rules behind them
#'
#' An argument name means one thing in every function of equityaudit, and
#' the rules for groups, unknown values, strata and reference populations
#' are applied in one place for all of them. This page is the reference.
#'
#' @section Columns:
#' Every argument that names columns (`group`, `outcome`, `by`, `strata`,
#' `across`, `unit`, `adjust`, `weight`, `key`, `events`, `total`, `date`,
#' `age`, `vars`, `row`, `col`, and the reference's `ref_count` and
#' `ref_prop`) takes bare names or strings
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
#' @section Order of groups:
#' Groups are shown in one order in every result, table, plot and report:
#'
#' * a factor keeps its levels in the user's order, always;
#' * a column of text whose every known value is a recognised ethnic
#'   category (any wording [collapse_ethnicity()] reads: the ONS 2021
#'   detailed categories and broad groups, their full census labels, the
#'   NHS Data Dictionary wordings with or without their code letter, and
#'   older wordings such as "White British") is put in the **ONS 2021
#'   order**: Asian, Black, Mixed, White, Other, each broad group's name
#'   just before its detailed categories, with "Not stated" and then "Not
#'   known" last. Bare NHS code letters do not count (a column of `"A"`,
#'   `"B"` and `"C"` may be sites); a single value that is not recognised
#'   keeps the whole column in the order below;
#' * any other column of text is sorted in C-locale (byte) order, the same
#'   on every machine whatever its locale; numbers in numeric order.
#'
#' The rule applies to the `group` columns (each part of combined groups
#' separately); `by` and `strata` columns keep their level or sorted
#' order. The unknown group is always last. To choose another order, make
#' the column a factor.
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
#' @section One name, one meaning:
#' Every argument below means the same in every function that has it, and
#' is documented only here. Three names that once had two meanings have
#' their own now: `by` always splits the analysis (and is pooled across
#' where a function pools), `across` names the strata that [cmh_test()]
#' holds fixed in one test, and `unit` the units that [compare_services()]
#' compares. `weight` is never implicit: a table of counts needs `weight
#' = n`. `conf_level` is always a confidence level (a significance level
#' is `sig_level`), `suppress = "none"` is the one way to say "no
#' suppression", and the file a function writes is its `path`. Renamed
#' arguments (`cmh_test(by =)`, `compare_services(by =)`,
#' `detectable_difference(conf_level =)`, `equity_report(output_file =)`)
#' are errors of class `equityaudit_error_argument` that give the new name,
#' as is any argument a function does not have.
#'
#' @param data The data: a data frame with one row per person (or one row
#'   per group, counted in `weight`, or in `events` and `total`), or a
#'   database table (see [database]). Functions that take other forms (the
#'   path of a CSV file, a matrix of counts, the tables of
#'   [report_tables()]) say so in their descriptions.
#' @param group The column(s) whose groups are compared (or counted), such
#'   as ethnicity; several columns make combined groups.
#' @param outcome The outcome column: logical, 0/1, or a factor or character
#'   column whose event is given by `event`. Leave it `NULL` when `events`
#'   and `total` are given.
#' @param event The value of `outcome` that counts as the event (for
#'   example `"Employed"`). Defaults to `TRUE` for a logical outcome and `1`
#'   for a 0/1 outcome; it must be given otherwise: it is never guessed.
#' @param by Columns whose levels are analysed separately, such as the
#'   service; where a function pools (`pooled`), a pooled stratum is added
#'   across them (see The pooled stratum).
#' @param strata Columns whose levels are analysed separately and never
#'   pooled, such as gender or age band.
#' @param across Columns whose levels are the strata of one test, held
#'   fixed in it, such as the service ([cmh_test()]).
#' @param unit Columns naming the units compared with each other, such as
#'   the service or provider ([compare_services()]).
#' @param unknown Labels meaning "not known" (e.g. `"Not stated"`), treated
#'   like missing values; see Missing and unknown values.
#' @param reference The eligible population: see Reference populations.
#' @param ref_count The column of `reference` holding population counts
#'   (default `n`).
#' @param ref_prop The column of `reference` holding proportions instead of
#'   counts.
#' @param ref_group The reference group, by its label: `NULL` for the
#'   largest group (of each stratum; of a suppressed result, by its published
#'   counts), or for [compare_groups()] `"rest"`, everybody else in the
#'   stratum.
#' @param adjust Columns (such as age band and gender) to adjust for; see
#'   [adjustment]. For access, columns of both `data` and `reference`.
#' @param age Ages in years: the column of `data` holding them, or for
#'   [age_band()] the ages themselves.
#' @param date The column of dates (class `Date` or `POSIXct`, or text in
#'   ISO 8601 form `"YYYY-MM-DD"`), or of periods with `period = "column"`.
#' @param period `"quarter"` (calendar quarters, labelled like `"2019 Q1"`,
#'   January to March), `"month"` (`"2019-01"`), `"year"` (`"2019"`),
#'   `"financial_quarter"` (quarters of the financial year, labelled like
#'   `"2019-20 Q1"`, April to June 2019), `"financial_year"` (1 April to 31
#'   March, labelled like `"2019-20"`), or `"column"` to take the values of
#'   `date` as the periods (in factor level order, otherwise sorted). NHS
#'   readers usually expect financial years and quarters.
#' @param pooled Add the pooled stratum across `by`?
#' @param conf_level Confidence level of the intervals (and one minus the
#'   significance level of the tests and verdicts).
#' @param sig_level Significance level of the tests.
#' @param margin The difference that matters: an absolute difference in
#'   proportions (0.1 is ten percentage points).
#' @param ratio_margin Equivalence margins of a ratio, two numbers, one
#'   below 1 and one above (`c(0.8, 1.25)`): a group counts as equally
#'   represented when its representation ratio is shown to lie between
#'   them ([compare_access()]); a gap chart of ratios is within the margin
#'   of equality between them ([monitor_equality()]).
#' @param broad `TRUE` to publish the broad ethnic groups beside detailed
#'   categories in a report under a threshold rule, suppressed together
#'   with them (see "Broad groups" in [report_tables()]); `FALSE` (the
#'   default) for the groups as they are.
#' @param source Where the data come from, as text: on a workbook's cover
#'   sheet ([write_tables()]; `NULL`: "Not given"), or under "About this
#'   release" in a report ([equity_report()]; `NULL`: not stated).
#' @param contact Who to contact about the figures (an email address, say),
#'   as text: on a workbook's cover sheet (`NULL`: "Not given"), or under
#'   "About this release" in a report (`NULL`: not stated).
#' @param correct Apply the continuity correction to 2 x 2 tables (as
#'   [stats::chisq.test()] does) and 2 x 2 x K tables (as
#'   [stats::mantelhaen.test()] does)?
#' @param sims Number of simulated draws (10 to 10^7).
#' @param std_interval Interval of directly standardised percentages:
#'   `"dobson"` (the default) or `"wald"`; see [adjustment].
#' @param weight Column of counts, for data that are already aggregated
#'   (such as a table of [tabulate_groups()]: `weight = n`). Without it
#'   every row is one person.
#' @param events,total Columns of event counts and group sizes, instead of
#'   `outcome`.
#' @param suppress The suppression rule applied to the result before it is
#'   returned: `"none"` (no suppression), `"nhs_digital"`, `"opensafely"` or
#'   `"cell_key"` (see [suppress_counts()]).
#' @param key Column of record keys (whole numbers from 1 to 256, one per
#'   person, fixed across releases; see [record_keys()]) for the cell-key
#'   rule (`suppress = "cell_key"`): the result keeps the sums of the keys
#'   of the people in each of its counts, counted in the same pass as the
#'   counts. Only with one row per person.
#' @param title The title of the document (a report, or a workbook's cover
#'   sheet), shown as it is written.
#' @param path The file to write (an existing file is replaced).
#' @param ... Nothing: an argument the function does not have is an error
#'   of class `equityaudit_error_argument` naming it (and, for a renamed
#'   argument, its new name).
#' @name equityaudit-arguments
#' @seealso [equityaudit-conditions] for the errors.
NULL
