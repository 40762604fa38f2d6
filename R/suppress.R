# Small-number suppression of published tables: the rule, the entry points
# and printing. The cells and sums of each result are in suppress-spec.R,
# the bounds and secondary suppression in disclosure.R, and the numbers
# computed again from the published counts in suppress-publish.R.

#' Suppress small counts before publishing a table
#'
#' Applies a small-number rule to a result of [describe_cohort()],
#' [compare_access()], [compare_outcomes()] or [compare_groups()], or to any
#' other table of counts with a column `n` (such as those of
#' [tabulate_groups()] and [detectable_difference()]), so that the table can
#' be published without identifying anybody. (For the formatted Table 1,
#' suppress the result and then [format()] it.)
#'
#' * `"nhs_digital"`: counts of 1 to 7 are suppressed and every other count
#'   is rounded to the nearest 5 (zeros stay 0); a mean, s.d., minimum or
#'   maximum of age based on 1 to 7 people is suppressed.
#' * `"opensafely"`: counts up to 7 (zeros included) are suppressed and the
#'   rest rounded to the nearest 5.
#' * `"cell_key"`: the cell-key method of the ONS 2021 Census and the
#'   ABS TableBuilder, for tables released again and again (see below).
#' * `"none"`: nothing is suppressed or rounded (unless `threshold` or
#'   `round_to` are given).
#'
#' `threshold` and `round_to` change the rule's numbers.
#'
#' **The cell-key method, for repeated releases.** No suppression of one
#' release can know about the others: a reader with two threshold-rule
#' releases (the cohort, then the cohort without one service; last month's
#' tables and this month's, with one known person added) subtracts one from
#' the other and finds hidden counts. Under `rule = "cell_key"` every record
#' carries a fixed random key (a column of the data given to the verb as
#' `key =`, drawn once with [record_keys()] and stored with the records),
#' and every count the table shows, totals included, is perturbed by a
#' deterministic function of the count and of a keyed hash of the sum of
#' its records' keys (under `secret`, kept with the data; see
#' [record_keys()] for the construction), looked up in a perturbation table (`ptable`; by default
#' [cell_key_ptable()]: perturbations of at most 3 either way, mean 0,
#' variance 2.05 for counts of 6 and more, zeros stay 0, no count shown
#' as 1 or 2). So the same people always give the same published count, in
#' every table and every release: asking again never averages the noise
#' away, and a difference of two published counts carries the noise of
#' both. Nothing is starred. The key sums are counted by the verb itself,
#' run again with the keys as its weights, so the result must be computed
#' with `key =`: `describe_cohort(people, ethnicity, by = service, key =
#' key, suppress = "cell_key")`, or `suppress_counts(x, "cell_key")` of a
#' result computed with `key =`. Results of [describe_cohort()],
#' [compare_access()] and [compare_outcomes()] (from one row per person,
#' not `weight`, `events` and `total`, nor a database table) are supported;
#' others give an error of class `equityaudit_error_argument`.
#'
#' What a statistician should know about the published table:
#'
#' * totals are perturbed from their own records' keys like any count (a
#'   stratum's people, the `"Total"` stratum, the people of known
#'   ethnicity behind the percentages), so a total may differ from the sum
#'   of its published parts: by a few people per part (see
#'   `vignette("equityaudit")` for the drift measured);
#' * percentages, intervals, tests and ratios are computed from the
#'   published counts as under the other rules; where a published `events`
#'   exceeds its published `n` (when nearly everybody has the event), the
#'   percentage is 100;
#' * counts of the reference population ([compare_access()]'s `ref_n`) are
#'   an input table with no records to key and are shown as given (such
#'   as ONS estimates, themselves published);
#' * age (mean, s.d. and range) is not published: the method protects
#'   counts, and the mean age of the same people less one would give an
#'   age away;
#' * the method bounds what a reader learns, it does not hide: a published
#'   count says that the true count is within the table's largest
#'   perturbation of it, and a reader who combines releases of nearly the
#'   same people can narrow that range (the vignette measures by how much);
#' * [disclosure_check()] does not apply (nothing is hidden).
#'
#' Measured under the default table (`tools/cellkey-accuracy.R`, 2,000
#' random cohort tables): the perturbation of the published counts had
#' mean -0.002 and variance 2.02; a published total minus the sum of its
#' `k` published parts had mean 0 and s.d. about `sqrt(2 * (k + 1))`
#' (2.4 for 2 parts, 3.7 for 6; largest 14). Against differencing
#' (`make attack`, kind `"differencing"`: 1,000 attacked pairs of releases
#' per scenario, a reader who knows the table combining every count by
#' integer programming): cohort against cohort without one service, 1,664
#' of 11,989 counts narrowed below the range a single release leaves, none
#' recovered; one known person added, 3,003 of 11,965 narrowed and 15
#' recovered exactly (both perturbations at opposite extremes); monthly
#' releases of a growing cohort, 3,429 of 15,264 narrowed, none recovered.
#' (These were measured before the keyed hash, with the position the key
#' sum modulo 256; the hash leaves the positions uniform, so the
#' perturbations and these figures are alike in distribution, but the
#' published counts themselves differ. A year of 12 monthly releases under
#' the keyed hash, and the key-additivity attack the hash closes, are
#' measured in [record_keys()].)
#' So the method keeps counts uncertain; it does not promise that no
#' count is narrowed. Avoid releases that differ by one person a reader
#' can identify.
#'
#' **Secondary suppression.** A reader who knows the rule learns from a
#' published count that it rounds to what is shown and is not one the rule
#' hides (under the NHS Digital rule a published 0 is exactly 0, any other
#' published count at least 8), and the published sums tie the counts
#' together: the people of a stratum, the row and column totals, the
#' `"Total"` stratum, the percentages' denominators, and counts that are not
#' shown but follow from shown ones (people without the outcome are
#' `n - events`, which must not reveal a group of 1 to 7 either). While any
#' suppressed or hidden count could be small and is known more precisely
#' than the rule's own range (1 to 7), a published count that shares a sum
#' with it is suppressed as well: the smallest that widens its range enough,
#' preferring counts that are not totals. An implicit total (such as the
#' people of known ethnicity in a stratum) counts as published only while a
#' shown percentage reveals it; otherwise it is protected like any hidden
#' count. Exact bounds from an integer programme confirm the result
#' ([disclosure_check()]). Last, each count suppressed only to protect
#' another is shown again, largest first, if the table stays protected
#' without it (for tables with up to 60 such counts; each trial is an exact
#' check). Then the search tries to lose less: the four costliest of
#' those counts (each with its copies in other tables) are shown in turn
#' and the search run again without them, keeping the new stars when they
#' hide less, a count weighted by 1 + the people in it so that a large
#' count is rarely hidden. Last, each connected part of the tables with
#' such counts (from 12 to 4,000 shown counts) is searched for the choice
#' of stars that hides the fewest people (the least total weight), by a cut
#' loop on the attacker's own programmes started from the pattern above,
#' so never worse than it. The search is bounded by the work it does in
#' one suppression, not by time, so the same data give the same stars on
#' every machine: `options(equityaudit.search_effort = )` (default 3000)
#' counts each programme it solves as 1 + (k / 100)^2 units, for a part of
#' k counts (the default is about a minute of one core; 3,000 referrals in
#' 19 categories and 3 sites, linked by broad groups and periods, needed
#' 1,900; a part too large for five programmes of the effort left is not
#' searched). Where it stops at that limit, a message says so and the
#' part keeps the pattern above (protected, perhaps hiding more than it
#' must). (`options(equityaudit.search_seconds = )` adds a limit of time,
#' at the cost of that.) A count published in one place (the same people in another
#' table, or a total a percentage reveals) is not starred in another, since
#' the star would hide nothing. The reader modelled, like [disclosure_check()], knows the rule
#' but not how this search chose its stars; the pattern of stars itself
#' (which counts were needed to protect others) is not treated as
#' published.
#'
#' **Every number shown comes from the published counts.** A suppressed
#' result can be printed, plotted, summarised and passed on
#' ([inequality_measures()], [detectable_difference()], [equity_report()])
#' without giving back a hidden count, because nothing in it is computed
#' from the unrounded counts:
#'
#' * counts: suppressed ones become `NA` (printed, and formatted by
#'   [format()], as `"*"`, or `"[c]"` with `options(equityaudit.withheld =
#'   "gss")`: see [format_p()]), the others are rounded;
#' * percentages: published count over the published (rounded) total;
#' * intervals of a percentage (Wilson), representation ratios and access
#'   rates with their intervals, differences, risk and odds ratios with
#'   theirs, equivalence p-values and verdicts, adjusted residuals: from the
#'   published counts of their row, and withheld (`"*"`) on a row with a
#'   suppressed count;
#' * under a rule that rounds (`"nhs_digital"`, `"opensafely"`), honest
#'   about the rounding: a published count r stands for any true count from
#'   r - 2 to r + 2 (above the threshold), so each interval of a
#'   percentage, representation ratio, difference, risk or odds ratio runs
#'   from the least lower limit to the greatest upper limit over every set
#'   of true counts consistent with the published ones, an equivalence
#'   p-value is the greatest over them, and a verdict (`"different"`,
#'   `"equivalent"`) is given only where it holds for all of them,
#'   `"inconclusive"` otherwise; percentages are shown to whole numbers.
#'   The estimates themselves are those of the published counts. (Tests of
#'   a whole stratum are computed from the published counts as they are.)
#' * chi-square, likelihood-ratio and exact tests, p-values, adjusted
#'   p-values, Cramer's V and minimum expected counts: from the published
#'   counts of the groups shown in each stratum, leaving out the groups
#'   with a suppressed count (the footnote says how many);
#' * Cochran-Mantel-Haenszel tests and Mantel-Haenszel pooled differences
#'   and ratios: from the published counts of the strata, groups with a
#'   suppressed count left out;
#' * age: mean and s.d. to one decimal and the range in whole years (exact
#'   means of the strata and of their total would give back the ratio of
#'   the strata's sizes), withheld where based on 1 to 7 people;
#' * the reference group of [compare_groups()] with `reference = NULL`:
#'   the group with the largest published count of each stratum (a
#'   suppressed count below any shown one), so that the choice does not
#'   tell a reader that a starred group is the largest;
#' * adjusted comparisons (`adjust =`): they rest on counts by the
#'   adjustment strata that the table does not publish, so they are
#'   withheld (the `"adjusted"` attributes are dropped), as is every other
#'   attribute that carries counts (the people [compare_access()] excluded
#'   with `missing = "exclude"`, the funnels and exclusions of
#'   [compare_services()]);
#' * any other table of counts (e.g. [tabulate_groups()]): numbers other
#'   than the counts cannot be computed again and are withheld; to publish
#'   detectable differences, call [detectable_difference()] on a
#'   suppressed result instead.
#'
#' Because they use rounded counts, published tests and intervals differ
#' slightly from those of the unrounded data; compute them unsuppressed for
#' internal use. The result keeps its class (with `"equityaudit_suppressed"`
#' in front) and prints with a footnote naming the rule.
#' `write.csv(format(x))` writes the published table.
#'
#' **Tables published together.** A report shows the same people in
#' several tables. Pass them as a list, e.g. `suppress_counts(list(cohort =
#' ..., access = ..., outcomes = ...))`, and they are suppressed together:
#' a count hidden in one table is hidden in every table that shows it, and
#' the protection holds against a reader who combines the tables (counts
#' of the same people in two tables are one count, including the totals a
#' table's percentages reveal, such as the people of a service behind the
#' access table's shares; the rows of an outcome table add up to the people
#' of the cohort and access rows they fall within, and a cohort's missing
#' values of a variable to the outcome table's "Not known" stratum of it).
#' The tables also agree in shape: an outcome or group table gets an empty
#' stratum, or an empty row for the unknown group, wherever the cohort
#' table shows a count of people it has no row for (such as nobody of
#' unknown gender in one service), because a missing row would tell a
#' reader that the count is 0, a count the OpenSAFELY rule protects.
#' The results must come from one data set with the same
#' `unknown` labels. [equity_report()] does this. Pass the list to
#' [disclosure_check()] to check the tables together.
#'
#' **Detailed and broad groups.** A table by detailed groups (such as the
#' 19 ONS 2021 ethnic categories) and one by their broad groups (the 5 of
#' [collapse_ethnicity()]) published together are linked by `hierarchy`:
#' each broad count is the sum of its detailed counts, so no hidden detailed
#' count can be narrowed from the broad table, and a broad group can be
#' shown where its detail must be hidden. The tables must name the two
#' columns differently (e.g. `ethnicity` and `ethnic_group`).
#'
#' @param x A result of one of the functions above, or a list of them
#'   computed from the same data (suppressed together).
#' @param rule `"nhs_digital"`, `"opensafely"`, `"cell_key"` or `"none"`.
#' @param threshold Largest count suppressed (default 7; not for
#'   `"cell_key"`).
#' @param round_to Counts are rounded to the nearest multiple of this
#'   (default 5; 1 means no rounding; not for `"cell_key"`).
#' @param ptable The perturbation table of the cell-key rule: `NULL` for
#'   [cell_key_ptable()], or a data frame of the same columns (checked:
#'   an error of class `equityaudit_error_argument` says what is wrong).
#' @param secret The secret of the cell-key rule's keyed hash: a string
#'   (or raw vector) of at least 16 bytes, kept with the data and never
#'   published; by default `getOption("equityaudit.secret")`. Without one,
#'   the rule stops with an error of class `equityaudit_error_secret`
#'   saying how to set it. Use the same secret in every release (see
#'   [record_keys()]).
#' @param hierarchy For a list of tables under a threshold rule: `NULL`, or
#'   a data frame whose first column is named as the detailed group column
#'   of some of the tables and holds its values, and whose second is named
#'   as the broad group column of others and holds the broad group of each
#'   detailed value (e.g. `data.frame(ethnicity = ons_ethnicity_2021$detailed,
#'   ethnic_group = ons_ethnicity_2021$broad)`). Every detailed value the
#'   tables show must have one broad group: an error of class
#'   `equityaudit_error_argument` names those that do not.
#' @inheritParams equityaudit-arguments
#' @return `x` with the rule applied, and attribute `"suppression"`
#'   (the rule, threshold and rounding, the published implicit totals,
#'   the cells suppressed, and `loss`: how many counts the table shows and
#'   how many of them are starred); for a list, the list of suppressed
#'   tables. How many people the stars hide is not given: a sum of hidden
#'   counts would narrow them.
#' @seealso [disclosure_check()], [record_keys()].
#' @export
#' @examples
#' people <- data.frame(
#'   service = rep(c("A", "B"), c(40, 25)),
#'   ethnicity = c(rep(c("White", "Black", "Asian"), c(25, 9, 6)),
#'                 rep(c("White", "Black", "Asian"), c(17, 5, 3)))
#' )
#' cohort <- describe_cohort(people, ethnicity, by = service)
#' suppress_counts(cohort)
#' disclosure_check(suppress_counts(cohort))
suppress_counts <- function(x, rule = c("nhs_digital", "opensafely", "cell_key", "none"),
                            threshold = NULL, round_to = NULL, ptable = NULL,
                            hierarchy = NULL, secret = NULL, ...) {
  check_no_dots(..., fn = "suppress_counts")
  rule <- match_arg(rule, c("nhs_digital", "opensafely", "cell_key", "none"), "rule")
  if (!is.null(hierarchy) && (rule %in% c("cell_key", "none") || is.data.frame(x) || !is.list(x))) {
    abort_input(
      "argument",
      paste(
        "`hierarchy` links tables suppressed together under a threshold rule:",
        "give `x` as a list of tables and `rule` \"nhs_digital\" or \"opensafely\"."
      ),
      arg = "hierarchy"
    )
  }
  check_rule_arguments(rule, list(threshold = threshold, round_to = round_to, ptable = ptable, secret = secret))
  if (is.list(x) && !is.data.frame(x)) {
    if (rule == "cell_key") {
      # the same people give the same published count in every table, so
      # tables published together need nothing more than each on its own
      if (length(x) == 0 || !all(vapply(x, is.data.frame, TRUE))) {
        abort_input("argument", "`x` must be a result, or a list of results.", arg = "x")
      }
      return(stamp_release(lapply(x, suppress_cell_key, ptable = ptable, secret = secret)))
    }
    return(stamp_release(suppress_together(x, rule, threshold, round_to, hierarchy)))
  }
  if (rule == "cell_key") {
    return(stamp_release(suppress_cell_key(x, ptable, secret)))
  }
  x <- as_suppressible(x)
  r <- suppression_rule(rule, threshold, round_to)
  spec <- count_spec(x)
  res <- protect_cells(spec, r)
  stamp_release(publish_cells(x, spec, res, r))
}

# Every call of suppress_counts() is one release: its tables carry the
# same release mark (and results computed from them, such as inequality
# measures, carry it as `published_from`), so that tables suppressed
# separately, whose stars were not chosen together, are not published
# together as if they had been (see write_tables()).
release_marks <- new.env(parent = emptyenv())

new_release <- function() {
  release_marks$n <- (release_marks$n %||% 0) + 1
  paste(Sys.getpid(), format(as.numeric(Sys.time()), nsmall = 6), release_marks$n, sep = "/")
}

stamp_release <- function(tables, id = new_release()) {
  if (!is.data.frame(tables)) {
    return(lapply(tables, stamp_release, id = id))
  }
  set_suppression(tables, release = id)
}

apply_suppression <- function(x, suppress) {
  if (identical(suppress, "none")) {
    return(x)
  }
  suppress_counts(x, rule = suppress)
}

# The arguments of one kind of rule are refused under the other: threshold
# and rounding are not used by the cell-key rule, its table and secret by
# no other.
check_rule_arguments <- function(rule, args) {
  given <- names(args)[!vapply(args, is.null, TRUE)]
  if (rule == "cell_key") {
    wrong <- intersect(given, c("threshold", "round_to"))
    why <- "`%s` is not used by the cell-key rule: give `ptable` instead."
  } else {
    wrong <- intersect(given, c("ptable", "secret"))
    why <- "`%s` is used only by the cell-key rule (`rule = \"cell_key\"`)."
  }
  if (length(wrong) > 0) abort_input("argument", sprintf(why, wrong[[1]]), arg = wrong[[1]])
  invisible()
}
