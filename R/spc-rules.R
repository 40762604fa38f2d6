# The Making Data Count special-cause rules, the point types and the
# variation and assurance icons of an SPC chart made by spc-stats.R or
# spc-gap.R, for every series at once.
#
# References:
# * NHS England and NHS Improvement. Making Data Count: Strengthening your
#   decisions (2019), and its "plot the dots" rules and icons.
# * NHSRplotthedots 0.2.2 (nhs-r-community), matched here:
#   R/ptd_calculate_point_type.R (the rules, lines 29-109; point types,
#   lines 111-134), R/ptd_spc_standard.R (outside and close to the limits,
#   lines 87-93), R/ptd_calculate_assurance_type.R and R/geom_ptd_icon.R
#   (the icons).
#
# The rules, each within one segment of one series:
# * outside: a point above the upper or below the lower 3-sigma limit
#   (strictly beyond it).
# * shift: `run` (7) or more consecutive points on one side of the centre
#   line; a point exactly on the centre line breaks the run and is in none
#   (NHSRplotthedots: sign(y - mean) is 0 there).
# * trend: `trend` (7) or more consecutive points each above (or each
#   below) the one before, i.e. 6 rises or 6 falls in a row; a tie breaks
#   it, as in NHSRplotthedots (ptd_seven_point_trend compares 7 values;
#   the NHS run chart guide of 2017 would let a repeated value neither add
#   to nor break a trend). The Making Data Count Excel tool lets its user
#   choose 6 or 7 points (NHSRplotthedots issue #202); 7 is the default
#   here, as there. A point where a rise turns into a fall (both trends)
#   takes the direction of the later one, as NHSRplotthedots does ("use
#   right side"). Where a rising trend ends and the next point ties it and
#   starts a trend, NHSRplotthedots calls the point "decreasing" (the sign
#   of the tie, 0, is read as a fall); here it keeps the direction of the
#   one trend it is part of.
# * two_of_three: 2 of 3 consecutive points close to a limit, i.e. beyond a
#   2-sigma warning limit but not beyond the 3-sigma limit (points beyond it
#   are outside's), all 3 on the same side of the centre line; the close
#   points are flagged, not the third (NHSRplotthedots).
# A point without a centre (its segment's baseline has no shown point)
# is on neither side; one without limits is neither outside nor close.
# Every point of a run or trend is flagged, not only the 7th. Each rule is
# an integer matrix [series, period]: 1 (high: above, rising), -1 (low) or
# 0, NA at hidden periods. `special` is the direction of the first rule in
# NHSRplotthedots' order outside, trend, two_of_three, shift.
#
# Gaps: the rules see only the shown points, and a hidden period neither
# breaks nor counts in a run, trend or 2-of-3 window: the points either side
# of it are neighbours. Under common-cause variation 7 shown points on one
# side are as unlikely whatever is hidden between them, and breaking runs at
# every gap would leave the rules blind for the small groups that disclosure
# rules hide most often. qicharts2's runs analysis also drops missing points
# (R/helper.functions.R, line 5); NHSRplotthedots requires series without
# gaps. Moving ranges do not span gaps (spc-layout.R, spc_mean_mr()).
spc_rules <- function(chart, run = 7, trend = 7) {
  check_number(run, "run", 2, Inf, whole = TRUE)
  check_number(trend, "trend", 3, Inf, whole = TRUE)
  shape <- dim(chart$value)
  # The shown cells series after series, periods in order: positions in
  # the transposed matrix, then their indices in the chart's matrices.
  pos <- which(t(!is.na(chart$value)))
  series <- (pos - 1L) %/% shape[[2]] + 1L
  cell <- ((pos - 1L) %% shape[[2]]) * shape[[1]] + series
  pick <- function(m) m[cell]
  v <- pick(chart$value)
  segment <- pick(chart$segment)
  k <- length(v)
  # a new group starts at each series' and each segment's first shown point
  first <- c(TRUE, series[-1] != series[-k] | segment[-1] != segment[-k])[seq_len(k)]
  side <- spc_zero_na(sign(v - pick(chart$centre)))
  # whether a point is on the same side as the one before it in its group
  same <- c(FALSE, side[-1] == side[-k])[seq_len(k)] & !first
  outside <- spc_zero_na((v > pick(chart$ucl)) - (v < pick(chart$lcl)))
  close <- outside == 0 & spc_zero_na(v > pick(chart$ucl_2sigma) | v < pick(chart$lcl_2sigma))
  rules <- list(
    outside = outside,
    shift = side * (spc_run_length(!same) >= run),
    trend = spc_trend(v, first, trend),
    two_of_three = spc_two_of_three(side, close, same)
  )
  special <- outside
  for (rule in c("trend", "two_of_three", "shift")) {
    none <- special == 0
    special[none] <- rules[[rule]][none]
  }
  rules$special <- special
  mats <- lapply(rules, function(r) {
    m <- rep(NA_integer_, prod(shape))
    m[cell] <- as.integer(r)
    dim(m) <- shape
    m
  })
  limited <- !is.na(pick(chart$lcl)) & !is.na(pick(chart$ucl))
  c(mats, list(segments = spc_rule_counts(chart, series, segment, rules, limited)))
}

spc_zero_na <- function(x) {
  x[is.na(x)] <- 0
  x
}

# The length of the run each element is in, runs starting where `starts`.
spc_run_length <- function(starts) {
  id <- cumsum(starts)
  tabulate(id, nbins = max(id, 0L))[id]
}

# Direction of the trend each point is part of (0 for none). step_i is the
# sign of the rise into point i from the shown point before it in its group.
spc_trend <- function(v, first, trend) {
  k <- length(v)
  if (k == 0) return(numeric())
  step <- c(0, sign(v[-1] - v[-k]))
  step[first] <- 0
  member <- function(direction) {
    up <- step == direction
    # steps of one direction in a row, at least trend - 1 of them
    long <- up & spc_run_length(c(TRUE, up[-1] != up[-k])) >= trend - 1
    long | c(long[-1], FALSE)
  }
  rising <- member(1)
  falling <- member(-1)
  direction <- rising - falling
  both <- which(rising & falling)
  direction[both] <- step[both + 1L]
  direction
}

# 2 of 3 consecutive shown points close to a limit on one side: windows end
# at each point on the same side as the two before it in its group; a close
# point is flagged when any of the (up to) three windows holding it
# qualifies.
spc_two_of_three <- function(side, close, same) {
  k <- length(side)
  if (k < 3) return(numeric(k))
  lag <- function(x, by) c(rep(FALSE, by), x[seq_len(k - by)])
  window <- side != 0 & same & lag(same, 1) & (close + lag(close, 1) + lag(close, 2)) >= 2
  lead <- function(x, by) c(x[-seq_len(by)], rep(FALSE, by))
  side * (close & (window | lead(window, 1) | lead(window, 2)))
}

# One row per series and segment of the chart: the points the rules saw,
# those with limits (outside and two_of_three need them), and how many
# points each rule flagged. Segment rows are series by series, so a point's
# row is the number of segments of the series before it plus its segment.
spc_rule_counts <- function(chart, series, segment, rules, limited) {
  seg_rows <- chart$segments
  before <- c(0L, cumsum(tabulate(seg_rows$series, nbins = nrow(chart$value))))
  row <- before[series] + segment
  count <- function(flag) tabulate(row[flag], nbins = nrow(seg_rows))
  new_tidy_frame(c(
    seg_rows[c("series", "segment")],
    list(n_points = count(rep(TRUE, length(row))), n_limited = count(limited)),
    lapply(stats::setNames(rules, paste0("n_", names(rules))), function(r) count(r != 0))
  ))
}

# The variation of each point (a character matrix [series, period], NA at
# hidden periods): "common_cause", or for a point flagged by any rule
# "special_cause_improvement" or "special_cause_concern" by the direction of
# `special` and the improvement direction, or "special_cause_neither" when
# neither direction is an improvement (its side is the sign of `special`).
# NHSRplotthedots' ptd_point_type(), R/ptd_calculate_point_type.R lines
# 111-134, whose "neutral" is "neither" here.
spc_point_type <- function(rules, improvement = c("increase", "decrease", "neither")) {
  improvement <- match_arg(improvement, c("increase", "decrease", "neither"), "improvement")
  type <- spc_variation(rules$special, improvement)
  dim(type) <- dim(rules$special)
  type
}

spc_variation <- function(special, improvement) {
  oriented <- special * switch(improvement, increase = 1L, decrease = -1L, neither = 0L)
  type <- rep(NA_character_, length(special))
  type[special == 0] <- "common_cause"
  type[oriented > 0] <- "special_cause_improvement"
  type[oriented < 0] <- "special_cause_concern"
  type[special != 0 & oriented == 0] <- "special_cause_neither"
  type
}

# The Making Data Count icons of each series, as data: one row per series
# with the last shown period (`period`), the variation icon of its point
# (`variation`, from spc_point_type(); `side` "high" or "low" for special
# causes, which picks the icon's arrow) and the assurance icon where a
# target is given (`assurance`): "consistently_fail" when the target lies
# beyond the upper limit of an "increase" measure (below the lower limit of
# a "decrease" one), "consistently_pass" when it lies beyond the other
# limit, "hit_or_miss" when it lies between (or on) them; NA without a
# target, for improvement "neither" and where the limits are unknown. The
# limits are those at the last shown point. As NHSRplotthedots
# (R/geom_ptd_icon.R lines 148-156: the point type of the last point;
# R/ptd_calculate_assurance_type.R lines 18-33: the comparison is strict),
# whose consistent_fail, consistent_pass and inconsistent are named here
# after the icons. `target` is one number for every series or one per
# series (NA for none). With `band` (a margin of equality, for the gap
# charts), the assurance icon is that of spc_band_assurance() instead.
spc_icons <- function(chart, rules, improvement = c("increase", "decrease", "neither"),
                      target = NULL, band = NULL) {
  improvement <- match_arg(improvement, c("increase", "decrease", "neither"), "improvement")
  ns <- nrow(chart$value)
  np <- ncol(chart$value)
  target <- spc_target(target, ns)
  shown <- !is.na(chart$value)
  last <- max.col(shown * rep(seq_len(np), each = ns), ties.method = "last")
  at <- cbind(seq_len(ns), last)
  last[!shown[at]] <- NA
  at[is.na(last), 2] <- NA
  special <- rules$special[at]
  lcl <- chart$lcl[at]
  ucl <- chart$ucl[at]
  increase <- improvement == "increase"
  assurance <- ifelse(
    target > ucl, if (increase) "consistently_fail" else "consistently_pass",
    ifelse(target < lcl, if (increase) "consistently_pass" else "consistently_fail", "hit_or_miss")
  )
  if (improvement == "neither") assurance[] <- NA_character_
  if (!is.null(band)) assurance <- spc_band_assurance(lcl, ucl, band)
  new_tidy_frame(list(
    series = seq_len(ns), period = last,
    variation = spc_variation(special, improvement),
    side = ifelse(special > 0, "high", ifelse(special < 0, "low", NA_character_)),
    assurance = as.character(assurance)
  ))
}

# The assurance icon of a gap against a margin of equality `band` (its
# lower and upper end, on the chart's scale): "consistently_pass" when both
# limits lie within it (the process reliably keeps the gap within the
# margin), "consistently_fail" when both lie beyond one end (it reliably
# does not), "hit_or_miss" otherwise; NA where the limits are unknown.
spc_band_assurance <- function(lcl, ucl, band) {
  ifelse(lcl >= band[[1]] & ucl <= band[[2]], "consistently_pass",
    ifelse(ucl < band[[1]] | lcl > band[[2]], "consistently_fail", "hit_or_miss")
  )
}

spc_target <- function(target, ns) {
  if (is.null(target)) {
    return(rep(NA_real_, ns))
  }
  if (!is.numeric(target) || is.object(target) || !(length(target) %in% c(1L, ns)) ||
    any(is.infinite(target))) {
    abort_input(
      "argument",
      sprintf("`target` must be NULL, one number or one number per series (%d; NA for none).", ns),
      arg = "target"
    )
  }
  rep_len(as.double(target), ns)
}

# The chart (and its rules) as a data frame with one row per series and
# period, series after series.
spc_points <- function(chart, rules = NULL) {
  shape <- dim(chart$value)
  is_matrix <- function(l) l[vapply(l, is.matrix, logical(1))]
  mats <- c(is_matrix(chart), if (!is.null(rules)) is_matrix(rules))
  new_tidy_frame(c(
    list(
      series = rep(seq_len(shape[[1]]), each = shape[[2]]),
      period = rep.int(seq_len(shape[[2]]), shape[[1]])
    ),
    lapply(mats, function(m) as.vector(t(m)))
  ))
}
