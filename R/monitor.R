# Equality over time as statistical process control charts, the "Making
# Data Count" way (monitor_equality()); the result: kind-spc.R.

#' Is this month's gap a signal? SPC charts of equality over time
#'
#' Counts people by period (months by default; financial-year quarters
#' with `period = "financial_quarter"`) and group as
#' [compare_periods()] does, and
#' charts, for each group, its share of the period's people of known group
#' and (with `outcome`) its outcome rate as Laney p' charts (p charts with
#' `chart = "p"`) with 3-sigma limits; and the gap between each group and
#' the reference group as a chart of its own: the outcome gap (with
#' `outcome`), and the access gap (with a `reference` of counts), the
#' difference or ratio of the group's people per head of its eligible
#' population and the reference group's. Each chart has the Making Data
#' Count rules (a point outside the limits, a run of 7 on one side of the
#' centre line, 7 rising or falling, 2 of 3 beyond 2 sigma), its variation
#' icon (that of its last point) and, for the outcome with a `target`, its
#' assurance icon.
#'
#' **Assurance of the gaps.** With `margin` (gaps as differences: `0.1`
#' is 10 percentage points either way) or `ratio_margin` (gaps as ratios,
#' `gap = "ratio"`), each gap chart has an assurance icon against that
#' margin of equality: "consistently pass" when both limits at the latest
#' point lie within it (the process reliably keeps the gap within the
#' margin), "consistently fail" when both lie beyond one end, "hit or
#' miss" otherwise. Without them (the default), the gap charts have none.
#'
#' Under a suppression rule (`suppress`), the counts are suppressed as
#' [compare_periods()]'s are (`tidy(x, "counts")` equals
#' `suppress_counts(compare_periods(...))`), and every limit, centre line,
#' signal and icon is computed from the published counts: a hidden count
#' makes a gap, which takes no part in a centre, a limit or a moving range,
#' and the rules skip it (the points either side are neighbours). The
#' periods hidden are named by print() and plot(), and `summary(x)` says how
#' many points each chart's rules used.
#'
#' @inheritParams equityaudit-arguments
#' @param chart `"pp"` (Laney's p' chart, corrected for over-dispersion,
#'   as large NHS denominators need) or `"p"` (the binomial p chart). The
#'   gap charts take Laney's correction with `"pp"` too.
#' @param gap The gap to the reference group: `"difference"` (percentage
#'   points) or `"ratio"`.
#' @param baseline The number of periods from the start of each segment
#'   whose points make its centre line and limits (fixed limits); `NULL`
#'   for all of them.
#' @param rebase Where new limits start: `NULL`, or periods given by their
#'   labels (such as `"2024-04"`) or by dates within them.
#' @param target The target outcome rate, a percentage, for the assurance
#'   icon of the outcome charts.
#' @param improvement Which way the outcome rate improves: `"increase"`,
#'   `"decrease"` or `"neither"` (no assurance icon then).
#' @param min_points The fewest published points a chart needs for its
#'   variation and assurance icons: limits and runs from fewer points say
#'   little (Making Data Count advises at least 12 to 15). A chart with
#'   fewer (`judged` is `FALSE` in the summary) is drawn, its rules are
#'   counted, but it has no icon and its description says so. Under a
#'   rule, hidden periods do not count.
#' @return A data frame of class `equityaudit_spc`, one row per measure,
#'   group and period: `measure` (`"share"`, `"access_gap"`, `"outcome"`,
#'   `"outcome_gap"`: those computed), the group, `period`, `numerator` and
#'   `denominator` (the group's counts), `value`, `centre`, `lcl`, `ucl`,
#'   `lcl_2sigma` and `ucl_2sigma` (percentages or percentage points, and
#'   ratios for `gap = "ratio"`), `segment`, `baseline` (the point makes its
#'   segment's limits), `hidden` (a count is not published), the rules
#'   `outside`, `shift`, `trend` and `two_of_three` (1 high, -1 low, 0, NA
#'   where there is no point) and `variation`. [summary()] (or
#'   `tidy(x, "charts")`): one row per chart, with the points the rules used
#'   and those hidden (named), the points each rule flagged, the icons, and
#'   the chart in words (`description`). `tidy(x, "counts")`: the counts.
#' @seealso [compare_periods()] for the trend test; [plot.equityaudit_spc()].
#' @export
#' @examples
#' res <- monitor_equality(ips_synthetic, ethnicity, date_joined,
#'   period = "quarter", outcome = employed
#' )
#' summary(res)
#' plot(res, "outcome")
monitor_equality <- function(data, group, date,
                             period = c("month", "financial_quarter", "quarter", "financial_year", "year", "column"),
                             reference = NULL, outcome = NULL, event = NULL, unknown = NULL,
                             ref_group = NULL, chart = c("pp", "p"), gap = c("difference", "ratio"),
                             baseline = NULL, rebase = NULL, target = NULL,
                             improvement = c("increase", "decrease", "neither"), margin = NULL,
                             ratio_margin = NULL, min_points = 12,
                             ref_count = NULL, weight = NULL, suppress = "none", ...) {
  check_no_dots(..., fn = "monitor_equality")
  withhold_counts(suppress)
  period <- match_arg(period, c("month", "financial_quarter", "quarter", "financial_year", "year", "column"), "period")
  chart <- match_arg(chart, c("pp", "p"), "chart")
  gap <- match_arg(gap, c("difference", "ratio"), "gap")
  improvement <- match_arg(improvement, c("increase", "decrease", "neither"), "improvement")
  unknown <- check_unknown(unknown)
  if (!is.null(baseline)) check_number(baseline, "baseline", 1, Inf, whole = TRUE)
  if (!is.null(target)) check_number(target, "target", 0, 100)
  if (!is.null(margin)) check_number(margin, "margin", 0, 1)
  check_number(min_points, "min_points", 1, Inf, whole = TRUE)
  if (!is.null(ratio_margin)) check_ratio_margin(ratio_margin)
  one_label <- is.character(ref_group) && length(ref_group) == 1 && !is.na(ref_group)
  if (!is.null(ref_group) && !one_label) {
    abort_input("argument", "`ref_group` must be NULL or one group's label.", arg = "ref_group")
  }
  env <- parent.frame()
  input <- verb_input(data, c("group", "date", "outcome", "weight"), environment(), env,
    required = c("group", "date")
  )
  pc <- period_counts(input, period, event, unknown, reference, environment(), env)
  periods <- period_result(pc$counts, pc$cut$labels, pc$tl, NULL, 0.95)
  keep <- intersect(
    c(
      "period", pc$tl$name, pc$tl$parts, "n", "period_n", "outcome_n", "events",
      "n_outcome_missing"
    ),
    names(periods)
  )
  counts <- new_tidy_frame(unclass(periods)[keep])
  ref <- pc$ref
  options <- list(
    chart = chart, gap = gap, ref_group = ref_group, fix_after = baseline,
    rebase = spc_rebase_periods(rebase, pc$cut), target = target, improvement = improvement,
    margin = margin, ratio_margin = ratio_margin, min_points = min_points,
    ref_n = if (!is.null(ref)) as.vector(ref$n[pc$counts$rows]), ref_total = ref$total,
    ref_counts = !is.null(ref) && !isTRUE(ref$is_prop)
  )
  meta <- list(
    by = character(), group = pc$tl$name, parts = pc$tl$parts, event = pc$tl$event,
    unknown_label = pc$tl$unknown_label, unknown = pc$tl$unknown, options = options,
    period_days = pc$cut$days
  )
  out <- spc_result(counts, meta, pc$counts$left_out)
  apply_suppression(out, suppress)
}

# `rebase` as period numbers: labels of periods, or dates within them.
spc_rebase_periods <- function(rebase, cut) {
  if (is.null(rebase)) {
    return(NULL)
  }
  at <- if (inherits(rebase, "Date") && !is.null(cut$days)) {
    day <- as.numeric(rebase)
    vapply(day, function(d) {
      i <- which(cut$days$from <= d & cut$days$to >= d)
      if (length(i) == 1) i else NA_integer_
    }, 1L)
  } else {
    match(as.character(rebase), cut$labels)
  }
  if (anyNA(at)) {
    abort_input(
      "argument",
      sprintf(
        paste(
          "`rebase` must name periods of the data (from %s to %s)",
          "by label or by a date within them; not %s."
        ),
        cut$labels[[1]], cut$labels[[length(cut$labels)]],
        format_values(as.character(rebase[is.na(at)]))
      ),
      arg = "rebase"
    )
  }
  sort(unique(at))
}

# The SPC charts of a periods table (compare_periods(), published or not),
# computed from its counts alone: the report's charts come from the counts
# it publishes, and publish no other count. `ref_counts`: whether the
# table's reference gave counts (then the access gap is charted). The gap
# charts' assurance is against the report's margin of equality, 10
# percentage points (that of its verdicts).
spc_of_periods <- function(p, ref_counts = TRUE, chart = "pp", gap = "difference") {
  d <- unclass(p)
  opt <- attr(p, "options")
  keep <- intersect(
    c(
      "period", attr(p, "group"), attr(p, "parts"), "n", "period_n", "outcome_n", "events",
      "n_outcome_missing"
    ),
    names(d)
  )
  k <- block_size(d, "period")
  ref_n <- if (isTRUE(opt$reference)) d$ref_pct[seq_len(k)] * opt$ref_total / 100
  options <- list(
    chart = chart, gap = gap, ref_group = NULL, fix_after = NULL, rebase = NULL, target = NULL,
    improvement = "increase", margin = 0.1, min_points = 12, ref_n = ref_n, ref_total = opt$ref_total,
    ref_counts = !is.null(ref_n) && ref_counts
  )
  meta <- list(
    by = character(), group = attr(p, "group"), parts = attr(p, "parts"), event = attr(p, "event"),
    unknown_label = attr(p, "unknown_label"), unknown = attr(p, "unknown"), options = options
  )
  spc_result(new_tidy_frame(d[keep]), meta, result_table(p, "left_out"))
}
