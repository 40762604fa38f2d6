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
