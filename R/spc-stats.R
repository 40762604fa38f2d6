# The statistics of statistical process control (SPC) charts of equality
# over time: p and Laney p' charts of a proportion, XmR (individuals)
# charts, and charts of the gap (difference or ratio of proportions)
# between a group and the reference group. Inputs are matrices with one row
# per series and one column per period (layout, gaps and segments:
# spc-layout.R); the special-cause rules and icons are in spc-rules.R.
#
# References:
# * Montgomery DC. Introduction to Statistical Quality Control, 7th ed.
#   (2013): p chart with variable sample size (7.2), individuals chart (6.4).
# * Laney DB. Improved control charts for attributes. Quality Engineering
#   2002; 14(4): 531-537: the p' chart.
# * NHS England and NHS Improvement. Making Data Count (2019): XmR limits at
#   mean +/- 2.66 mean moving range.
# * NHSRplotthedots 0.2.2 (nhs-r-community), R/ptd_spc_standard.R: the XmR
#   computation matched here, line by line.
# * qicharts2 0.8.1 (Anhoej), R/helper.functions.R, qic.p (lines 300-322)
#   and qic.pp (lines 324-369): the p and p' computations matched here.
#
# Every chart returns a list: `kind` ("p", "pp", "xmr", "difference" or
# "ratio"); matrices [series, period] `value` (NA where hidden), `centre`,
# `sigma`, `lcl`, `ucl` (3 sigma), `lcl_2sigma`, `ucl_2sigma` (2 sigma),
# `segment` (1, 2, ... within each series) and `baseline` (the period is in
# its segment's baseline); with Laney's correction also `z` (the z-scores
# whose moving ranges give sigma_z; NA outside baselines); and `segments`,
# a data frame with one row per series and segment: series, segment,
# first_period, last_period, centre, the chart's spread (sigma_z, NA
# without Laney's correction, or mr_bar), n_points (shown points),
# n_baseline (shown points that made the centre), n_mr (moving ranges that
# made the spread) and n_mr_screened (ranges screened out).
#
# Arguments shared by the charts: `fix_after`, the number of periods from
# the start of each segment that make its centre and spread (NULL: all);
# `rebase`, where segments start (NULL; period numbers for every series; or
# a logical matrix [series, period]), each segment with its own centre and
# limits; `screen_mr`, whether moving ranges of 3.267 mean ranges or more
# are left out of the spread.

# p chart (laney = FALSE) or Laney p' chart (laney = TRUE) of x / n.
#   centre   p = sum(x) / sum(n) over the segment's baseline (shown periods)
#   sigma_i  sqrt(p (1 - p) / n_i)
#   p'       z_i = (p_i - p) / sigma_i over the baseline, sigma_z = mean
#            moving range of z / 1.128, sigma'_i = sigma_i sigma_z
#   limits   p +/- 3 sigma_i (2 sigma_i: warning limits), within [0, 1]
# When p is 0 or 1 every sigma_i is 0 and the limits are p itself (qicharts2
# gives NA limits there); sigma_z is then NA, as no z-score can be formed.
# screen_mr is FALSE by default, as in qicharts2 (option qic.screenedmr).
spc_p_chart <- function(x, n, laney = FALSE, fix_after = NULL, rebase = NULL,
                        screen_mr = FALSE) {
  x <- spc_counts(x, "x")
  n <- spc_same_shape(x, spc_counts(n, "n"), "n", "x")
  spc_check_events(x, n, "x")
  check_flag(laney, "laney")
  check_flag(screen_mr, "screen_mr")
  layout <- spc_layout(dim(x), rebase, fix_after)
  known_n <- !is.na(n) & n > 0
  shown <- known_n & !is.na(x)
  use <- shown & layout$baseline
  value <- x / n
  value[!shown] <- NA
  pbar <- spc_segment_sum(x, use, layout) / spc_segment_sum(n, use, layout)
  pbar[!is.finite(pbar)] <- NA
  centre <- spc_cells(pbar, layout)
  sigma <- sqrt(centre * (1 - centre) / n)
  sigma[!known_n] <- NA
  spread <- spc_no_spread(length(pbar))
  points <- list(value = value, centre = centre)
  if (laney) {
    corrected <- spc_laney(value - centre, sigma, use, layout, screen_mr)
    sigma <- corrected$sigma
    spread <- corrected$spread
    points$z <- corrected$z
  }
  points <- c(points, list(sigma = sigma), spc_limits(centre, sigma, 0, 1))
  segments <- c(
    list(centre = pbar), spread,
    list(n_points = spc_segment_count(shown, layout), n_baseline = spc_segment_count(use, layout))
  )
  spc_chart(if (laney) "pp" else "p", layout, points, segments[spc_segment_columns])
}

spc_segment_columns <- c("centre", "sigma_z", "n_points", "n_baseline", "n_mr", "n_mr_screened")

# The spread columns of a chart without Laney's correction.
spc_no_spread <- function(k) {
  list(sigma_z = rep(NA_real_, k), n_mr = integer(k), n_mr_screened = integer(k))
}

# Laney's correction of a chart of deviations d_i with binomial (or delta
# method) standard errors se_i: z_i = d_i / se_i over the baseline, sigma_z
# = mean moving range of z / 1.128 (Laney 2002; qic.pp lines 337-354), and
# the corrected sigma_i = se_i sigma_z. Where se_i is 0 (a centre at 0 or 1:
# every baseline point sits on it) there is nothing to scale, and sigma_i
# stays 0.
spc_laney <- function(deviation, se, use, layout, screen) {
  z_use <- use & !is.na(se) & se > 0
  z <- deviation / se
  z[!z_use] <- NA
  mr <- spc_mean_mr(z, z_use, layout, screen)
  sigma_z <- mr$mean / 1.128
  sigma <- se * spc_cells(sigma_z, layout)
  sigma[!is.na(se) & se == 0] <- 0
  list(
    z = z, sigma = sigma,
    spread = list(sigma_z = sigma_z, n_mr = mr$n_mr, n_mr_screened = mr$n_mr_screened)
  )
}

# XmR (individuals) chart of y as NHSRplotthedots computes it
# (R/ptd_spc_standard.R, lines 47-93):
#   centre   mean of y over the segment's baseline (shown periods)
#   mr_bar   mean moving range over the baseline, screened by default
#            (ranges not below 3.267 mr_bar dropped, mean taken again)
#   limits   centre +/- 2.66 mr_bar; warning limits centre +/- (2/3) 2.66 mr_bar
#   sigma    2.66 mr_bar / 3 (about mr_bar / 1.128, Montgomery 6.4)
# Limits are given at hidden periods too: they do not depend on the period.
spc_xmr_chart <- function(y, fix_after = NULL, rebase = NULL, screen_mr = TRUE) {
  y <- spc_matrix(y, "y")
  if (any(is.infinite(y))) {
    abort_input("argument", "`y` must hold finite values (NA for a hidden period).", arg = "y")
  }
  check_flag(screen_mr, "screen_mr")
  layout <- spc_layout(dim(y), rebase, fix_after)
  shown <- !is.na(y)
  use <- shown & layout$baseline
  mean <- spc_segment_sum(y, use, layout) / spc_segment_count(use, layout)
  mean[!is.finite(mean)] <- NA
  mr <- spc_mean_mr(y, use, layout, screen_mr)
  centre <- spc_cells(mean, layout)
  amr <- spc_cells(mr$mean, layout)
  # NHSRplotthedots' constants, kept as written (limit and limitclose) so
  # that points on a limit fall on the same side.
  limit <- 2.66
  points <- list(
    value = y, centre = centre, sigma = limit * amr / 3,
    lcl = centre - limit * amr, ucl = centre + limit * amr,
    lcl_2sigma = centre - 2 * (limit / 3) * amr, ucl_2sigma = centre + 2 * (limit / 3) * amr
  )
  segments <- list(
    centre = mean, mr_bar = mr$mean,
    n_points = spc_segment_count(shown, layout), n_baseline = spc_segment_count(use, layout),
    n_mr = mr$n_mr, n_mr_screened = mr$n_mr_screened
  )
  spc_chart("xmr", layout, points, segments)
}
