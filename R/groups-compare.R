# Differences between groups with intervals, and equivalence.

#' Compare every group with a reference group: differences, ratios and
#' equivalence
#'
#' A chi-square test that is not significant does not show that groups do
#' equally well: with seven people in a group almost nothing can be
#' detected. For every group against a reference group, within each
#' stratum, this gives the difference in the percentage with the outcome
#' with its interval, the risk ratio and odds ratio with theirs, and a
#' verdict: `"different"`, `"equivalent"` or `"inconclusive"`.
#'
#' * Difference in proportions: the Newcombe hybrid score interval (method
#'   10 of Newcombe, 1998, built from the two Wilson intervals), or the Wald
#'   interval with `method = "wald"`.
#' * Risk ratio: log (Katz) interval. Odds ratio: Woolf's logit interval.
#'   When a cell of the 2 x 2 table is zero, 0.5 is added to all four cells
#'   for these two measures (Haldane-Anscombe), and `zero_cell` says so.
#' * Equivalence: `margin` is an absolute difference in proportions (0.1 is
#'   ten percentage points). `equivalence_p_value` is from the two one-sided
#'   tests (TOST) derived from the same interval as the difference's
#'   (`interval`): each one-sided p-value is the level at which a limit of
#'   the interval reaches the margin (with `interval = "wald"`, the usual
#'   z-tests with the unpooled standard error; where their standard error
#'   is 0, as with no events in either group, the p-value is 1: nothing is
#'   shown). The `verdict` is `"different"` when
#'   the `conf_level` interval of the difference excludes 0, otherwise
#'   `"equivalent"` when `equivalence_p_value` is below `1 - conf_level`
#'   (the same as the `1 - 2 * (1 - conf_level)` interval lying within
#'   `-margin` to `margin`), otherwise `"inconclusive"`: the data cannot
#'   tell.
#'
#' With `by`, the Mantel-Haenszel risk difference (Sato's variance) and risk
#' ratio (Greenland and Robins' variance) of every group against the
#' reference, pooled across the `by` levels (within each level of
#' `strata`), with `conf_level` intervals, are part of the result: printed,
#' and read with `tidy(x, "pooled")`. Strata whose `by` value is not known
#' are left out of the pooling.
#'
#' @inheritParams compare_outcomes
#' @param by Columns whose levels are compared separately and then pooled
#'   (Mantel-Haenszel).
#' @param strata Columns whose levels are compared separately, never pooled.
#' @param ref_group The reference group: `NULL` for the largest group of
#'   each stratum (in a suppressed result, the group with the largest
#'   published count, so that the choice gives no hidden count away), a
#'   group label, or `"rest"` for everybody else in the stratum.
#' @param margin Equivalence margin, an absolute difference in proportions.
#' @param interval `"newcombe"` or `"wald"` interval for the difference.
#' @return A data frame of class `equityaudit_groups`, one row per stratum
#'   and compared group: the `by` and `strata` columns, the group column
#'   (and, for combined groups, a column per part), `reference`, `n`,
#'   `events`, `ref_n`, `ref_events`, `pct`, `ref_pct`, `difference`
#'   (percentage points) with `diff_low`/`diff_high`, `risk_ratio` with
#'   `rr_low`/`rr_high`, `odds_ratio` with `or_low`/`or_high`, `zero_cell`,
#'   `equivalence_p_value` and `verdict`. Every stratum has a row for
#'   every group but its reference, even when nobody of the group (or of
#'   the reference) is in it; such a row has its counts and `NA`
#'   statistics and verdict (so the table's shape depends on the groups and
#'   strata, never on the counts).
#' @references Newcombe RG (1998). Interval estimation for the difference
#'   between independent proportions: comparison of eleven methods.
#'   Statistics in Medicine 17, 873-890.
#' @export
#' @examples
#' table3 <- data.frame(
#'   service = rep(c("CNWL", "WWT"), each = 5),
#'   ethnicity = rep(c("White", "Asian", "Black", "Mixed", "Other"), 2),
#'   employed = c(47, 35, 23, 15, 21, 46, 37, 18, 5, 1),
#'   people = c(134, 77, 64, 38, 52, 144, 114, 63, 21, 7)
#' )
#' compare_groups(table3, ethnicity,
#'   by = service, events = employed, total = people,
#'   ref_group = "White"
#' )
compare_groups <- function(data, group, outcome = NULL, by = NULL,
                           strata = NULL, event = NULL, unknown = NULL,
                           ref_group = NULL, margin = 0.1, conf_level = 0.95,
                           interval = c("newcombe", "wald"),
                           events = NULL, total = NULL, weight = NULL,
                           suppress = NULL) {
  if (is_lazy_table(data)) {
    return(lazy_call(
      compare_groups, data, match.call(), parent.frame(),
      c("group", "outcome", "by", "strata"), c("events", "total")
    ))
  }
  data <- check_data_frame(data)
  interval <- match_arg(interval, c("newcombe", "wald"), "interval")
  check_conf_level(conf_level)
  check_number(margin, "margin", 0, 1, open = TRUE)
  check_label(ref_group, "ref_group", " or \"rest\"")
  unknown <- check_unknown(unknown)
  cols <- columns_of(outcome_args, data, environment(), parent.frame(), required = "group")
  tl <- outcome_tally(data, cols, split_columns(cols), event, unknown)
  known <- which(!tl$groups$unknown)
  labels <- tl$groups$label[known]
  if (!is.null(ref_group) && ref_group != "rest" && !(ref_group %in% labels)) {
    abort_input(
      "argument",
      sprintf(
        "`ref_group` is %s, which is not a group of `%s` (%s).",
        format_values(ref_group), tl$name, format_values(labels)
      ),
      arg = "ref_group"
    )
  }
  yes <- matrix(tl$array[known, 2, ], length(known))
  n <- yes + matrix(tl$array[known, 1, ], length(known))
  options <- list(
    margin = margin, conf_level = conf_level, interval = interval,
    largest = is.null(ref_group), labels = labels, by = cols$by, strata = cols$strata,
    label_parts = lapply(tl$groups$parts, `[`, known),
    unknown_strata = unknown_strata_labels(tl, cols$by)
  )
  rows <- group_pairs(n, yes, labels, ref_group)
  unknown_by <- Reduce(`|`, tl$strata_unknown[cols$by], rep(FALSE, ncol(n)))
  out <- groups_result(rows, tl, known, options, unknown_by)
  out <- set_result_table(out, "left_out", outcome_left_out(tl))
  apply_suppression(out, suppress)
}

# The result from the rows of group_pairs().
groups_result <- function(rows, tl, known, options, unknown_by) {
  stats <- pair_statistics(rows, options$margin, options$conf_level, options$interval)
  g <- tl$groups
  cols <- c(
    lapply(tl$strata, function(v) v[rows$stratum]),
    lapply(group_columns(g, known[rows$g], 1, tl$name), unname),
    list(reference = rows$ref_label), stats
  )
  tables <- list()
  if (length(options$by) > 0) {
    informative <- !unknown_by[rows$stratum]
    within <- strata_key(lapply(tl$strata[options$strata], function(v) v[rows$stratum]), nrow(rows))
    tables$pooled <- mantel_haenszel_pairs(
      rows[informative, , drop = FALSE], options$labels, options$conf_level, tl$name,
      within[informative], lapply(tl$strata[options$strata], function(v) v[rows$stratum][informative])
    )
  }
  new_result(cols, "groups", list(
    by = c(options$by, options$strata), group = tl$name, parts = tl$parts,
    unknown_label = tl$unknown_label,
    event = tl$event, options = options
  ), tables)
}

# One row per stratum and compared group, with the counts of the group and
# of its reference. Every stratum has a row for every group but its
# reference, even a group (or a reference) with nobody in it: the shape of
# the table does not depend on the counts, so a suppressed table's shape
# gives none of them away (its statistics are NA, see pair_statistics()).
group_pairs <- function(n, yes, labels, ref_group) {
  k <- nrow(n)
  n_s <- ncol(n)
  rest <- identical(ref_group, "rest")
  ref <- if (is.null(ref_group)) {
    largest_group(n)
  } else if (rest) {
    rep(NA_integer_, n_s)
  } else {
    rep(match(ref_group, labels), n_s)
  }
  g <- rep(seq_len(k), n_s)
  s <- rep(seq_len(n_s), each = k)
  # "rest" with one group: nobody to compare it with, in any stratum
  keep <- if (rest) rep(k > 1, length(g)) else g != ref[s]
  g <- g[keep]
  s <- s[keep]
  own_n <- n[cbind(g, s)]
  own_yes <- yes[cbind(g, s)]
  data.frame(
    stratum = s, g = g,
    ref_label = if (rest) rep("rest", length(g)) else labels[ref[s]],
    n = own_n, events = own_yes,
    ref_n = if (rest) colSums(n)[s] - own_n else n[cbind(ref[s], s)],
    ref_events = if (rest) colSums(yes)[s] - own_yes else yes[cbind(ref[s], s)],
    stringsAsFactors = FALSE
  )
}

# The largest group of each stratum (column of n; the first of equal
# ones). Of published counts, a suppressed one (NA) counts as below every
# shown one.
largest_group <- function(n) {
  n <- as.matrix(n)
  if (nrow(n) == 0) {
    return(rep(NA_integer_, ncol(n)))
  }
  max.col(t(ifelse(is.na(n), -1, n)), ties.method = "first")
}

pair_statistics <- function(rows, margin, conf_level, method) {
  e1 <- rows$events
  n1 <- rows$n
  e2 <- rows$ref_events
  n2 <- rows$ref_n
  p1 <- e1 / n1
  p2 <- e2 / n2
  d <- p1 - p2
  ci <- difference_interval(e1, n1, e2, n2, conf_level, method)
  z <- z_of(conf_level)
  # 2 x 2 cells, with 0.5 added to all four where any is zero
  cells <- unname(cbind(e1, n1 - e1, e2, n2 - e2))
  zero <- rowSums(cells == 0) > 0
  cells[zero, ] <- cells[zero, ] + 0.5
  yes1 <- cells[, 1]
  no1 <- cells[, 2]
  yes0 <- cells[, 3]
  no0 <- cells[, 4]
  rr <- (yes1 / (yes1 + no1)) / (yes0 / (yes0 + no0))
  rr_se <- sqrt(1 / yes1 - 1 / (yes1 + no1) + 1 / yes0 - 1 / (yes0 + no0))
  or <- (yes1 * no0) / (no1 * yes0)
  or_se <- sqrt(1 / yes1 + 1 / no1 + 1 / yes0 + 1 / no0)
  eq_p <- tost_p_value(e1, n1, e2, n2, margin, method)
  verdict <- ifelse(ci$low > 0 | ci$high < 0, "different",
    ifelse(eq_p < 1 - conf_level, "equivalent", "inconclusive")
  )
  # nobody in the group or in its reference: nothing to compare
  empty <- !(n1 > 0 & n2 > 0)
  na <- function(v) replace(v, empty, NA)
  list(
    n = n1, events = e1, ref_n = n2, ref_events = e2,
    pct = ifelse(n1 > 0, 100 * p1, NA), ref_pct = ifelse(n2 > 0, 100 * p2, NA),
    difference = na(100 * d), diff_low = na(100 * ci$low), diff_high = na(100 * ci$high),
    risk_ratio = na(rr), rr_low = na(rr * exp(-z * rr_se)), rr_high = na(rr * exp(z * rr_se)),
    odds_ratio = na(or), or_low = na(or * exp(-z * or_se)), or_high = na(or * exp(z * or_se)),
    zero_cell = na(zero), equivalence_p_value = na(eq_p), verdict = na(verdict)
  )
}

# Mantel-Haenszel risk difference (Sato's variance) and risk ratio
# (Greenland-Robins variance) of each group against its reference, pooled
# over the strata of `rows` that share a value of `within` (the key of the
# `within_cols`), with `conf_level` intervals. Returns a data frame: the
# within columns, the group (column `name`), `reference`, `strata_used`
# and the estimates; NULL when no stratum informs any.
mantel_haenszel_pairs <- function(rows, labels, conf_level, name = "group",
                                  within = rep("", nrow(rows)), within_cols = list()) {
  ok <- rows$n > 0 & rows$ref_n > 0
  if (!any(ok)) {
    return(NULL)
  }
  rows <- rows[ok, , drop = FALSE]
  key <- paste(within[ok], rows$g, rows$ref_label, sep = "\r")
  key <- factor(key, levels = unique(key))
  sum_by <- function(v) as.vector(rowsum(v, key, reorder = FALSE))
  a <- rows$events
  n1 <- rows$n
  e0 <- rows$ref_events
  n0 <- rows$ref_n
  total <- n1 + n0
  w <- sum_by(n1 * n0 / total)
  rd <- sum_by((a * n0 - e0 * n1) / total) / w
  p <- sum_by((n1^2 * e0 - n0^2 * a + n1 * n0 * (n0 - n1) / 2) / total^2)
  q <- sum_by((a * (n0 - e0) + e0 * (n1 - a)) / (2 * total))
  rd_se <- sqrt((rd * p + q) / w^2)
  r_num <- sum_by(a * n0 / total)
  r_den <- sum_by(e0 * n1 / total)
  rr <- r_num / r_den
  rr_se <- sqrt(sum_by((n1 * n0 * (a + e0) - a * e0 * total) / total^2) / (r_num * r_den))
  z <- z_of(conf_level)
  first <- match(levels(key), key)
  out <- c(
    lapply(within_cols, function(v) v[ok][first]),
    stats::setNames(list(labels[rows$g[first]]), name),
    list(
      reference = rows$ref_label[first], strata_used = tabulate(key, nlevels(key)),
      mh_difference = 100 * rd, mh_diff_low = 100 * (rd - z * rd_se),
      mh_diff_high = 100 * (rd + z * rd_se),
      mh_risk_ratio = rr, mh_rr_low = rr * exp(-z * rr_se), mh_rr_high = rr * exp(z * rr_se)
    )
  )
  new_tidy_frame(out)
}
