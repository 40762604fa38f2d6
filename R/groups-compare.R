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
#'   (`method`): each one-sided p-value is the level at which a limit of the
#'   interval reaches the margin (with `method = "wald"`, the usual z-tests
#'   with the unpooled standard error). The `verdict` is `"different"` when
#'   the `conf_level` interval of the difference excludes 0, otherwise
#'   `"equivalent"` when `equivalence_p_value` is below `1 - conf_level`
#'   (the same as the `1 - 2 * (1 - conf_level)` interval lying within
#'   `-margin` to `margin`), otherwise `"inconclusive"`: the data cannot
#'   tell.
#'
#' With `by`, the Mantel-Haenszel risk difference (Sato's variance) and risk
#' ratio (Greenland and Robins' variance) of every group against the
#' reference, pooled across the strata, are attached as attribute
#' `"pooled"`.
#'
#' @inheritParams compare_outcomes
#' @param reference The reference group: `NULL` for the largest group of
#'   each stratum (in a suppressed result, the group with the largest
#'   published count, so that the choice gives no hidden count away), a
#'   group label, or `"rest"` for everybody else in the stratum.
#' @param margin Equivalence margin, an absolute difference in proportions.
#' @param method `"newcombe"` or `"wald"` interval for the difference.
#' @return A data frame of class `equityaudit_groups`, one row per stratum
#'   and compared group: the `by` columns, the group, `reference`, `n`,
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
#'   reference = "White"
#' )
compare_groups <- function(data, group, outcome = NULL, reference = NULL,
                           by = NULL, margin = 0.1, conf_level = 0.95,
                           method = c("newcombe", "wald"), event = NULL,
                           events = NULL, total = NULL, weight = NULL,
                           unknown = NULL, suppress = NULL) {
  if (is_lazy_table(data)) {
    return(lazy_call(
      compare_groups, data, match.call(), parent.frame(),
      c("group", "outcome", "by"), c("events", "total")
    ))
  }
  check_data_frame(data)
  method <- match_arg(method, c("newcombe", "wald"), "method")
  check_conf_level(conf_level)
  check_margin_reference(margin, reference)
  unknown <- check_unknown(unknown)
  env <- parent.frame()
  cols <- list(
    group = one_column(column_names(substitute(group), data, env, "group"), "group"),
    outcome = column_names(substitute(outcome), data, env, "outcome"),
    by = column_names(substitute(by), data, env, "by"),
    strata = character(),
    events = column_names(substitute(events), data, env, "events"),
    total = column_names(substitute(total), data, env, "total"),
    weight = column_names(substitute(weight), data, env, "weight")
  )
  arr <- outcome_array(data, cols, event)
  labels <- arr$info$labels
  known <- !is_missing_label(labels, unknown)
  yes <- matrix(arr$array[known, 2, ], sum(known))
  n <- yes + matrix(arr$array[known, 1, ], sum(known))
  labels <- labels[known]
  if (!is.null(reference) && reference != "rest" && !(reference %in% labels)) {
    abort_input(
      "argument",
      sprintf(
        "`reference` is %s, which is not a group of `%s` (%s).",
        format_values(reference), cols$group, format_values(labels)
      ),
      arg = "reference"
    )
  }
  rows <- group_pairs(n, yes, labels, reference)
  stats <- pair_statistics(rows, margin, conf_level, method)
  strata <- lapply(arr$info$strata, function(v) v[rows$stratum])
  gv <- arr$info$group_values[known]
  out <- c(strata, list(
    group = label_column(labels[rows$g], gv, 1),
    reference = rows$ref_label
  ), stats)
  names(out)[names(out) == "group"] <- cols$group
  out <- new_tidy_frame(out)
  if (length(cols$by) > 0) {
    attr(out, "pooled") <- mantel_haenszel_pairs(rows, labels)
  }
  attr(out, "by") <- cols$by
  attr(out, "group") <- cols$group
  attr(out, "options") <- list(
    margin = margin, conf_level = conf_level, method = method,
    largest = is.null(reference), labels = labels
  )
  attr(out, "event") <- arr$event
  class(out) <- c("equityaudit_groups", "data.frame")
  apply_suppression(out, suppress)
}

check_margin_reference <- function(margin, reference) {
  if (!is.numeric(margin) || length(margin) != 1 || is.na(margin) ||
    margin <= 0 || margin >= 1) {
    abort_input("argument", "`margin` must be a single number between 0 and 1.",
      arg = "margin"
    )
  }
  if (!is.null(reference) && (!is.character(reference) || length(reference) != 1 ||
    is.na(reference))) {
    abort_input("argument", "`reference` must be one group label or \"rest\".",
      arg = "reference"
    )
  }
}

# One row per stratum and compared group, with the counts of the group and
# of its reference. Every stratum has a row for every group but its
# reference, even a group (or a reference) with nobody in it: the shape of
# the table does not depend on the counts, so a suppressed table's shape
# gives none of them away (its statistics are NA, see pair_statistics()).
group_pairs <- function(n, yes, labels, reference) {
  out <- list()
  for (s in seq_len(ncol(n))) {
    ref <- if (is.null(reference)) {
      largest_group(n[, s])
    } else if (reference == "rest") {
      NA
    } else {
      match(reference, labels)
    }
    # "rest" with one group: nobody to compare it with, in any stratum
    compared <- if (is.na(ref)) {
      if (length(labels) > 1) seq_along(labels) else integer()
    } else {
      setdiff(seq_along(labels), ref)
    }
    for (g in compared) {
      others <- if (is.na(ref)) setdiff(seq_along(labels), g) else ref
      out[[length(out) + 1]] <- data.frame(
        stratum = s, g = g,
        ref_label = if (is.na(ref)) "rest" else labels[[ref]],
        n = n[g, s], events = yes[g, s],
        ref_n = sum(n[others, s]), ref_events = sum(yes[others, s])
      )
    }
  }
  if (length(out) == 0) {
    return(data.frame(
      stratum = integer(), g = integer(), ref_label = character(),
      n = numeric(), events = numeric(), ref_n = numeric(), ref_events = numeric()
    ))
  }
  do.call(rbind, out)
}

# The largest group of a stratum (the first of equal ones). Of published
# counts, a suppressed one (NA) counts as below every shown one.
largest_group <- function(n) which.max(ifelse(is.na(n), -1, n))

# Newcombe's hybrid score interval (method 10) or the Wald interval for
# p1 - p2.
difference_interval <- function(e1, n1, e2, n2, conf_level, method) {
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  difference_limits(e1, n1, e2, n2, rep_len(z, length(e1)), method)
}

# The limits of that interval at normal quantiles z (one per row).
difference_limits <- function(e1, n1, e2, n2, z, method) {
  p1 <- e1 / n1
  p2 <- e2 / n2
  d <- p1 - p2
  if (method == "wald") {
    se <- sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return(list(low = d - z * se, high = d + z * se))
  }
  w1 <- wilson_limits(e1, n1, z)
  w2 <- wilson_limits(e2, n2, z)
  list(
    low = d - sqrt((p1 - w1$low)^2 + (w2$high - p2)^2),
    high = d + sqrt((w1$high - p1)^2 + (p2 - w2$low)^2)
  )
}

# Wilson interval of k / n at normal quantiles z, as proportions.
wilson_limits <- function(k, n, z) {
  p <- k / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  list(low = pmax(0, centre - half), high = pmin(1, centre + half))
}

# TOST p-value from the same interval as the verdict: the larger of the two
# one-sided p-values, each the level at which a limit of the interval
# reaches the margin (for the Wald interval, the usual z-tests). So the
# `1 - 2 * alpha` interval lies within the margins exactly when the
# p-value is below alpha.
tost_p_value <- function(e1, n1, e2, n2, margin, method) {
  d <- e1 / n1 - e2 / n2
  if (method == "wald") {
    se <- sqrt(e1 / n1 * (1 - e1 / n1) / n1 + e2 / n2 * (1 - e2 / n2) / n2)
    p_lower <- stats::pnorm((d + margin) / se, lower.tail = FALSE)
    p_upper <- stats::pnorm((d - margin) / se)
    return(ifelse(se > 0, pmax(p_lower, p_upper), ifelse(abs(d) < margin, 0, 1)))
  }
  limits <- function(z) difference_limits(e1, n1, e2, n2, z, method)
  # one-sided p-value against delta beyond `bound`: find z where the limit
  # on the side of the bound reaches it (limits widen with z)
  one_sided <- function(bound) {
    towards <- sign(bound - d) # the limit moving towards the bound
    lo <- rep(0, length(d))
    hi <- rep(40, length(d))
    for (i in 1:80) {
      mid <- (lo + hi) / 2
      lim <- limits(mid)
      at <- ifelse(towards > 0, lim$high, lim$low)
      reached <- towards * (at - bound) >= 0
      hi <- ifelse(reached, mid, hi)
      lo <- ifelse(reached, lo, mid)
    }
    z <- (lo + hi) / 2
    # inside the margin: H0 is rejected at the level where the inner limit
    # reaches the margin; outside it, at one minus that
    inside <- sign(bound) * (bound - d) > 0
    out <- ifelse(inside, stats::pnorm(z, lower.tail = FALSE), stats::pnorm(z))
    ifelse(d == bound, 0.5, out)
  }
  pmax(one_sided(-margin), one_sided(margin))
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
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
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
# over the strata; 95% intervals.
mantel_haenszel_pairs <- function(rows, labels, conf_level = 0.95) {
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  # a stratum with nobody in the group or its reference adds nothing
  rows <- rows[rows$n > 0 & rows$ref_n > 0, , drop = FALSE]
  if (nrow(rows) == 0) {
    return(NULL)
  }
  key <- paste(rows$g, rows$ref_label, sep = "\r")
  out <- lapply(split(rows, factor(key, levels = unique(key))), function(r) {
    mh_pool(r$events, r$n, r$ref_events, r$ref_n, z, labels[[r$g[[1]]]], r$ref_label[[1]])
  })
  do.call(rbind, unname(out))
}

# a events of n1 in the group, e0 of n0 in the reference, per stratum.
mh_pool <- function(a, n1, e0, n0, z, group, reference) {
  total <- n1 + n0
  w <- n1 * n0 / total
  rd <- sum((a * n0 - e0 * n1) / total) / sum(w)
  p <- (n1^2 * e0 - n0^2 * a + n1 * n0 * (n0 - n1) / 2) / total^2
  q <- (a * (n0 - e0) + e0 * (n1 - a)) / (2 * total)
  rd_se <- sqrt((rd * sum(p) + sum(q)) / sum(w)^2)
  r_num <- sum(a * n0 / total)
  r_den <- sum(e0 * n1 / total)
  rr <- r_num / r_den
  rr_se <- sqrt(sum((n1 * n0 * (a + e0) - a * e0 * total) / total^2) / (r_num * r_den))
  data.frame(
    group = group, reference = reference, strata = length(a),
    mh_difference = 100 * rd, mh_diff_low = 100 * (rd - z * rd_se),
    mh_diff_high = 100 * (rd + z * rd_se),
    mh_risk_ratio = rr, mh_rr_low = rr * exp(-z * rr_se), mh_rr_high = rr * exp(z * rr_se),
    stringsAsFactors = FALSE
  )
}
