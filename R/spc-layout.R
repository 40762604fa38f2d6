# The shapes shared by the statistical process control (SPC) charts of
# spc-stats.R and the rules of spc-rules.R: input checks, segments
# (rebasing), baselines (fixed limits) and per-segment sums.
#
# Inputs are matrices with one row per series and one column per period.
# Charts compute on whole matrices: per-segment sums are rowSums() (one per
# segment number), moving ranges are differences of neighbouring columns.
# The rules (spc-rules.R) lay the cells out row by row ("flat": series after
# series, periods in order) so that runs are stretches of one vector. No
# loop runs over series, and loops over periods (segment numbers) work on
# every series at once, so the work is linear in series x periods.
#
# A period whose count or value is NA (hidden, for instance by a disclosure
# rule) or whose denominator is 0 is a gap: it takes no part in a centre,
# a sigma or a moving range, and the rules skip it (see spc-rules.R).

# A numeric matrix [series, period] from a matrix, a data frame of numeric
# columns, or a vector (one series).
spc_matrix <- function(x, arg) {
  if (is.data.frame(x)) x <- as.matrix(x)
  # a matrix of NA alone (every period hidden) is logical
  if (is.logical(x) && all(is.na(x))) storage.mode(x) <- "double"
  if (is.null(dim(x)) && is.numeric(x)) x <- matrix(x, nrow = 1)
  if (!is.numeric(x) || length(dim(x)) != 2 || is.object(x) || ncol(x) == 0) {
    abort_input(
      "argument",
      sprintf(
        "`%s` must be a numeric matrix with one row per series and one column per period.",
        arg
      ),
      arg = arg
    )
  }
  storage.mode(x) <- "double"
  dimnames(x) <- NULL
  x
}

# Counts (events or denominators): finite and non-negative where not NA.
# They need not be whole, so that weighted or standardised counts can be
# charted.
spc_counts <- function(x, arg) {
  x <- spc_matrix(x, arg)
  if (any(x < 0, na.rm = TRUE) || any(is.infinite(x))) {
    bad <- which(!is.na(x) & (!is.finite(x) | x < 0))
    abort_input(
      "count",
      sprintf(
        "`%s` must hold finite, non-negative counts (NA for a hidden period); found %s.",
        arg, format_values(x[bad])
      ),
      arg = arg
    )
  }
  x
}

spc_same_shape <- function(x, y, arg, like) {
  if (!identical(dim(x), dim(y))) {
    abort_input(
      "argument",
      sprintf(
        "`%s` must have the shape of `%s` (%d series by %d periods), not %d by %d.",
        arg, like, nrow(x), ncol(x), nrow(y), ncol(y)
      ),
      arg = arg
    )
  }
  invisible(y)
}

# Events cannot outnumber their denominator.
spc_check_events <- function(x, n, arg) {
  if (any(x > n, na.rm = TRUE)) {
    bad <- which(!is.na(x) & !is.na(n) & x > n)
    abort_input(
      "count",
      sprintf(
        "`%s` must not exceed its denominator; it does in %d cell%s (first: series %d, period %d).",
        arg, length(bad), if (length(bad) > 1) "s" else "",
        (bad[[1]] - 1) %% nrow(x) + 1, (bad[[1]] - 1) %/% nrow(x) + 1
      ),
      arg = arg
    )
  }
  invisible(x)
}

# Where each segment starts, as a logical matrix [series, period]. `rebase`
# is NULL (one segment), the periods (column numbers) at which every series
# starts a new segment, or a logical matrix marking each series' own starts
# (as NHSRplotthedots' rebase, a new segment starts at the marked period).
spc_starts <- function(rebase, shape) {
  starts <- matrix(FALSE, shape[[1]], shape[[2]])
  if (is.null(rebase)) {
    # one segment
  } else if (is.logical(rebase) && identical(dim(rebase), as.integer(shape)) && !anyNA(rebase)) {
    starts <- unname(rebase)
  } else if (is.numeric(rebase) && is.null(dim(rebase)) && !anyNA(rebase) &&
    all(rebase == round(rebase)) && all(rebase >= 1 & rebase <= shape[[2]])) {
    starts[, rebase] <- TRUE
  } else {
    abort_input(
      "argument",
      sprintf(
        paste0(
          "`rebase` must be NULL, period numbers from 1 to %d at which new limits start, ",
          "or a logical matrix of %d series by %d periods marking them."
        ),
        shape[[2]], shape[[1]], shape[[2]]
      ),
      arg = "rebase"
    )
  }
  starts[, 1] <- TRUE
  starts
}

# The layout of a chart's cells [series, period]: `number`, each cell's
# segment number within its series; `id`, its segment's index in the
# per-segment vectors, (number - 1) * series + row, so that a per-segment
# vector is a matrix [series, segment number] and a cell's value is
# v[id]; `baseline`, whether the cell is in its segment's baseline, the
# first `fix_after` periods of the segment (all of it when NULL). Counting
# periods rather than shown points keeps a baseline a fixed stretch of
# time, as fix_after_n_points does in NHSRplotthedots (R/ptd_spc_standard.R,
# line 67: row_number()) and freeze in qicharts2; the points it used are
# reported. `rows` lists the segments that exist, series by series.
spc_layout <- function(shape, rebase = NULL, fix_after = NULL) {
  if (!is.null(fix_after)) check_number(fix_after, "fix_after", 1, Inf, whole = TRUE)
  ns <- shape[[1]]
  np <- shape[[2]]
  starts <- spc_starts(rebase, shape)
  number <- matrix(1L, ns, np)
  position <- matrix(rep(seq_len(np), each = ns), ns, np)
  # a loop over periods, each step over every series at once
  for (j in which(colSums(starts) > 0)[-1]) {
    later <- j:np
    number[, later] <- number[, later] + starts[, j]
    position[starts[, j], later] <- rep(seq_along(later), each = sum(starts[, j]))
  }
  n_segments <- number[, np]
  k <- max(n_segments, 1L)
  first <- which(starts)
  seg_of_first <- number[first]
  row_of_first <- (first - 1L) %% ns + 1L
  first_period <- rep(NA_integer_, ns * k)
  first_period[(seg_of_first - 1L) * ns + row_of_first] <- (first - 1L) %/% ns + 1L
  last_period <- c(first_period[-seq_len(ns)] - 1L, rep(NA_integer_, ns))
  last_period[is.na(last_period)] <- np
  rows <- which(t(outer(n_segments, seq_len(k), ">=")))
  rows <- ((rows - 1L) %% k) * ns + (rows - 1L) %/% k + 1L
  list(
    shape = c(ns, np), n_segment = k, number = number,
    id = (number - 1L) * ns + seq_len(ns),
    baseline = if (is.null(fix_after)) matrix(TRUE, ns, np) else position <= fix_after,
    rows = rows,
    segments = list(
      series = (rows - 1L) %% ns + 1L, segment = (rows - 1L) %/% ns + 1L,
      first_period = first_period[rows], last_period = last_period[rows]
    )
  )
}

# Sum of v (a matrix [series, period]) over the cells of each segment
# where `use` is TRUE: a vector indexed by segment id. `number` is the
# segment number of each cell of v (that of the later period for moving
# ranges). Sums are rowSums(), one pass per segment number: fast, and exact
# in the order of the periods, unlike differences of a cumulative sum.
spc_segment_sum <- function(v, use, layout, number = layout$number) {
  v[!use] <- 0
  if (layout$n_segment == 1) {
    return(rowSums(v))
  }
  as.vector(vapply(seq_len(layout$n_segment), function(k) {
    rowSums(v * (number == k))
  }, numeric(layout$shape[[1]])))
}

spc_segment_count <- function(use, layout, number = layout$number) {
  if (layout$n_segment == 1) {
    return(as.integer(rowSums(use)))
  }
  as.vector(vapply(seq_len(layout$n_segment), function(k) {
    as.integer(rowSums(use & number == k))
  }, integer(layout$shape[[1]])))
}

# A per-segment vector spread over the cells [series, period].
spc_cells <- function(per_segment, layout) {
  m <- per_segment[layout$id]
  dim(m) <- layout$shape
  m
}

# Mean moving range of v per segment, over pairs of neighbouring periods
# of one segment that are both used (`use`). A range never spans a hidden
# period: that difference would cover two intervals and any drift between
# them, and qicharts2 (R/helper.functions.R, qic.i lines 145-146, qic.pp
# lines 342-343) and NHSRplotthedots (R/ptd_spc_standard.R, lines 69-70)
# drop it too (diff() gives NA, then mean(na.rm = TRUE)).
# `screen` drops ranges not below 3.267 times the first mean and takes the
# mean again (Nelson 1982), as NHSRplotthedots' screen_outliers (lines
# 73-78) and qicharts2's option qic.screenedmr (lines 346-352). A segment
# whose ranges are all 0 keeps them: strict screening would drop every range
# and leave no mean (NHSRplotthedots then gives NaN limits).
spc_mean_mr <- function(v, use, layout, screen) {
  ns <- layout$shape[[1]]
  np <- layout$shape[[2]]
  # cells and their predecessors in the previous period, as vector indices
  later <- seq_len(ns * (np - 1L)) + ns
  earlier <- seq_len(ns * (np - 1L))
  mr <- abs(v[later] - v[earlier])
  ok <- use[later] & use[earlier]
  number <- layout$number[later]
  if (layout$n_segment > 1) ok <- ok & number == layout$number[earlier]
  dim(mr) <- dim(ok) <- dim(number) <- c(ns, np - 1L)
  count <- spc_segment_count(ok, layout, number)
  mean <- spc_segment_sum(mr, ok, layout, number) / count
  screened <- integer(length(count))
  if (screen) {
    limit <- 3.267 * mean[layout$id[later]]
    kept <- ok & (mr < limit | limit == 0)
    kept_count <- spc_segment_count(kept, layout, number)
    screened <- count - kept_count
    count <- kept_count
    mean <- spc_segment_sum(mr, kept, layout, number) / count
  }
  mean[count == 0] <- NA
  list(mean = mean, n_mr = count, n_mr_screened = screened)
}

# Control limits at 3 sigma and warning limits at 2 sigma, kept within
# [lower, upper] where the measure is bounded (qicharts2 clips p and p'
# limits to [0, 1]: R/helper.functions.R, lines 316-319 and 363-366). A
# lower limit cannot pass the upper bound, nor an upper limit the lower.
spc_limits <- function(centre, sigma, lower = -Inf, upper = Inf) {
  low <- function(l) {
    l[which(l < lower)] <- lower
    l
  }
  high <- function(l) {
    l[which(l > upper)] <- upper
    l
  }
  list(
    lcl = low(centre - 3 * sigma), ucl = high(centre + 3 * sigma),
    lcl_2sigma = low(centre - 2 * sigma), ucl_2sigma = high(centre + 2 * sigma)
  )
}

# The chart as returned by every spc_*_chart(): the matrices [series,
# period] of `points`, the segment numbers and baselines, and one row per
# segment of the per-segment vectors in `segments`.
spc_chart <- function(kind, layout, points, segments) {
  per_segment <- lapply(segments, function(v) v[layout$rows])
  c(
    list(kind = kind), points, list(segment = layout$number, baseline = layout$baseline),
    list(segments = new_tidy_frame(c(layout$segments, per_segment)))
  )
}
