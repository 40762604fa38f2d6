# SPC chart of the gap between a group and the reference group, period by
# period: the difference of their proportions or the ratio, with limits
# from per-period standard errors and Laney's z-score correction for
# over-dispersion (Laney 2002, Quality Engineering 14(4)). Shapes, gaps and
# segments: spc-layout.R; the returned list: spc-stats.R.
#
# Row i of x_ref and n_ref is the reference for row i of x and n (a single
# row is the reference of every series). A period is shown when both
# proportions are: the four counts are known and both denominators > 0.
# Over the segment's baseline (the shown periods only) the pooled
# proportions are p_g = sum(x) / sum(n) and p_r = sum(x_ref) / sum(n_ref).
#
# difference, d_i = x_i / n_i - x_ref_i / n_ref_i:
#   centre  p_g - p_r
#   se_i    sqrt(p_g (1 - p_g) / n_i + p_r (1 - p_r) / n_ref_i), the
#           standard error of a difference of two independent proportions
#           with the centre's proportions (as the p chart's sigma uses p)
#   limits  centre +/- 3 sigma_i, within [-1, 1]
# ratio, r_i = (x_i / n_i) / (x_ref_i / n_ref_i), charted on the log scale:
#   centre  p_g / p_r (NA when either is 0: no log ratio exists)
#   se_i    sqrt((1 - p_g) / (n_i p_g) + (1 - p_r) / (n_ref_i p_r)), the
#           delta-method standard error of log r_i, var(log p) ~ (1 - p) / (n p)
#   limits  centre * exp(+/- 3 sigma_i); `sigma` is on the log scale
#   A period with no events in either group has no finite log ratio: its
#   zero count is taken as 0.5 (the Haldane-Anscombe correction), so that
#   it sits near 0 at a height that says how surprising a zero is for its
#   denominator, and is marked in the matrix `corrected`. Without it a zero
#   would lie below any lower limit and signal even where a zero is likely.
# With laney = TRUE (the default) z_i = (d_i - centre) / se_i (log r_i -
# log centre for ratios) over the baseline, sigma_z = mean moving range of z
# / 1.128, and sigma_i = se_i sigma_z; otherwise sigma_i = se_i.
spc_gap_chart <- function(x, n, x_ref, n_ref, scale = c("difference", "ratio"),
                          laney = TRUE, fix_after = NULL, rebase = NULL, screen_mr = FALSE) {
  scale <- match_arg(scale, c("difference", "ratio"), "scale")
  x <- spc_counts(x, "x")
  n <- spc_same_shape(x, spc_counts(n, "n"), "n", "x")
  r <- spc_gap_reference(x, x_ref, n_ref)
  spc_check_events(x, n, "x")
  spc_check_events(r$x, r$n, "x_ref")
  check_flag(laney, "laney")
  check_flag(screen_mr, "screen_mr")
  layout <- spc_layout(dim(x), rebase, fix_after)
  g <- list(x = x, n = n)
  known_n <- !is.na(g$n) & g$n > 0 & !is.na(r$n) & r$n > 0
  shown <- known_n & !is.na(g$x) & !is.na(r$x)
  use <- shown & layout$baseline
  p_g <- spc_segment_sum(g$x, use, layout) / spc_segment_sum(g$n, use, layout)
  p_r <- spc_segment_sum(r$x, use, layout) / spc_segment_sum(r$n, use, layout)
  p_g[!is.finite(p_g)] <- NA
  p_r[!is.finite(p_r)] <- NA
  gap <- if (scale == "difference") {
    spc_gap_difference(g, r, p_g, p_r, shown, known_n, layout)
  } else {
    spc_gap_ratio(g, r, p_g, p_r, shown, known_n, layout)
  }
  sigma <- gap$se
  spread <- spc_no_spread(length(p_g))
  points <- list(value = gap$value, centre = spc_cells(gap$centre, layout))
  if (laney) {
    corrected <- spc_laney(gap$deviation, gap$se, use, layout, screen_mr)
    sigma <- corrected$sigma
    spread <- corrected$spread
    points$z <- corrected$z
  }
  limits <- if (scale == "difference") {
    spc_limits(points$centre, sigma, -1, 1)
  } else {
    lapply(spc_limits(log(points$centre), sigma), exp)
  }
  points <- c(points, list(sigma = sigma), limits)
  if (scale == "ratio") points$corrected <- gap$corrected
  segments <- c(
    list(centre = gap$centre, p_group = p_g, p_reference = p_r),
    spread,
    list(n_points = spc_segment_count(shown, layout), n_baseline = spc_segment_count(use, layout))
  )
  columns <- c("centre", "p_group", "p_reference", spc_segment_columns[-1])
  spc_chart(scale, layout, points, segments[columns])
}

spc_gap_reference <- function(x, x_ref, n_ref) {
  x_ref <- spc_counts(x_ref, "x_ref")
  n_ref <- spc_counts(n_ref, "n_ref")
  spc_same_shape(x_ref, n_ref, "n_ref", "x_ref")
  if (nrow(x_ref) == 1 && nrow(x) != 1) {
    x_ref <- x_ref[rep(1, nrow(x)), , drop = FALSE]
    n_ref <- n_ref[rep(1, nrow(x)), , drop = FALSE]
  }
  spc_same_shape(x, x_ref, "x_ref", "x")
  list(x = x_ref, n = n_ref)
}

spc_gap_difference <- function(g, r, p_g, p_r, shown, known_n, layout) {
  centre <- p_g - p_r
  pg <- spc_cells(p_g, layout)
  pr <- spc_cells(p_r, layout)
  value <- g$x / g$n - r$x / r$n
  value[!shown] <- NA
  se <- sqrt(pg * (1 - pg) / g$n + pr * (1 - pr) / r$n)
  se[!known_n] <- NA
  list(value = value, centre = centre, se = se, deviation = value - spc_cells(centre, layout))
}

spc_gap_ratio <- function(g, r, p_g, p_r, shown, known_n, layout) {
  estimable <- !is.na(p_g) & !is.na(p_r) & p_g > 0 & p_r > 0
  centre <- p_g / p_r
  centre[!estimable] <- NA
  pg <- spc_cells(p_g, layout)
  pr <- spc_cells(p_r, layout)
  se <- sqrt((1 - pg) / (g$n * pg) + (1 - pr) / (r$n * pr))
  se[!known_n | !spc_cells(estimable, layout)] <- NA
  corrected <- shown & (g$x == 0 | r$x == 0)
  zero_free <- function(count) {
    count[which(count == 0)] <- 0.5
    count
  }
  value <- (zero_free(g$x) / g$n) / (zero_free(r$x) / r$n)
  value[!shown] <- NA
  list(
    value = value, centre = centre, se = se, corrected = corrected,
    deviation = log(value) - log(spc_cells(centre, layout))
  )
}
