# The result of monitor_equality(): SPC charts of each group's share and
# outcome over periods and of its gap to the reference group, with the
# Making Data Count rules and icons (the charts: spc-stats.R, spc-gap.R,
# spc-rules.R), built from the counts [group, period] of the table
# "counts", those of the data or, under a rule, the published ones.

# The measures, in the order they are shown.
spc_measures <- c("share", "access_gap", "outcome", "outcome_gap")

# The result from a table of counts by period and group (rows period after
# period, as compare_periods() gives them: `period`, the group, `n`,
# `period_n`; with an outcome `outcome_n`, `events`, `n_outcome_missing`).
# A count that is not published (NA) is a gap in every chart it is part of.
spc_result <- function(counts, meta, left_out = NULL) {
  opt <- meta$options
  d <- unclass(counts)
  periods <- levels(d$period)
  n_p <- length(periods)
  k <- if (n_p == 0) 0L else length(d$n) %/% n_p
  groups <- d[[meta$group]][seq_len(k)]
  m <- function(v) matrix(as.double(v), k, n_p)
  n <- m(d$n)
  pn <- m(d$period_n)
  r <- spc_reference_row(n, groups, opt$ref_group)
  others <- setdiff(seq_len(k), r)
  laney <- opt$chart == "pp"
  p_chart <- function(x, total) {
    # rounded counts can make a part exceed its total
    spc_p_chart(pmin(x, total), total, laney, opt$fix_after, opt$rebase)
  }
  gap_chart <- function(x, total) {
    x <- pmin(x, total)
    spc_gap_chart(x[others, , drop = FALSE], total[others, , drop = FALSE],
      x[r, , drop = FALSE], total[r, , drop = FALSE], opt$gap, laney, opt$fix_after, opt$rebase
    )
  }
  all_rows <- seq_len(k)
  ms <- list(share = list(chart = p_chart(n, pn), x = n, total = pn, rows = all_rows,
    target = if (!is.null(opt$ref_n)) opt$ref_n / opt$ref_total, improvement = "neither"
  ))
  if (!is.null(opt$ref_n) && isTRUE(opt$ref_counts) && length(others) > 0) {
    pop <- m(rep(opt$ref_n, n_p))
    ms$access_gap <- list(chart = gap_chart(n, pop), x = n, total = pop, ref_x = n[r, ],
      ref_total = pop[r, ], rows = others, improvement = "neither", band = spc_equal_band(opt)
    )
  }
  if (!is.null(d$events)) {
    ev <- m(d$events)
    on <- m(d$outcome_n)
    ms$outcome <- list(chart = p_chart(ev, on), x = ev, total = on, rows = all_rows,
      target = if (!is.null(opt$target)) opt$target / 100, improvement = opt$improvement
    )
    if (length(others) > 0) {
      ms$outcome_gap <- list(chart = gap_chart(ev, on), x = ev, total = on, ref_x = ev[r, ],
        ref_total = on[r, ], rows = others, improvement = "neither", band = spc_equal_band(opt)
      )
    }
  }
  levels_m <- intersect(spc_measures, names(ms))
  parts <- lapply(names(ms), function(nm) {
    spc_measure_rows(nm, ms[[nm]], groups, periods, opt$gap, opt$min_points %||% 1)
  })
  # the group column, and those of its parts (group = c(ethnicity, sex))
  id_cols <- intersect(unique(c(meta$group, meta$parts)), names(d))
  pick <- function(what) {
    cols <- names(parts[[1]][[what]])
    out <- lapply(stats::setNames(cols, cols), function(cl) {
      unlist(lapply(parts, function(p) p[[what]][[cl]]), use.names = FALSE)
    })
    out$measure <- factor(out$measure, levels = levels_m)
    each <- if (what == "rows") n_p else 1
    gi <- unlist(lapply(parts, function(p) rep(p$series, each = each)), use.names = FALSE)
    ids <- lapply(stats::setNames(id_cols, id_cols), function(cl) d[[cl]][seq_len(k)][gi])
    out <- c(out["measure"], ids, out[setdiff(cols, "measure")])
    if (what == "rows") out$period <- factor(out$period, levels = periods)
    out
  }
  rows <- pick("rows")
  opt$ref_label <- if (length(r)) as.character(groups[[r]]) else NA_character_
  meta$options <- opt
  new_result(rows, "spc", meta, list(
    charts = new_tidy_frame(pick("charts")), counts = counts, left_out = left_out
  ))
}

# The margin of equality of the gap charts, on their scale (a difference
# in proportions, or a ratio): from `margin` or `ratio_margin`, NULL when
# none was given.
spc_equal_band <- function(opt) {
  if (identical(opt$gap, "ratio")) opt$ratio_margin else if (!is.null(opt$margin)) c(-1, 1) * opt$margin
}

# The reference group's row: the one named, or the largest over all periods.
spc_reference_row <- function(n, groups, ref_group) {
  if (length(groups) == 0) {
    return(integer())
  }
  if (is.null(ref_group)) {
    return(which.max(rowSums(n, na.rm = TRUE)))
  }
  r <- match(ref_group, as.character(groups))
  if (is.na(r)) {
    abort_input(
      "argument",
      sprintf("`ref_group` must be one of the groups: %s.", format_values(as.character(groups))),
      arg = "ref_group"
    )
  }
  r
}

# The rows (series after series, periods in order) and the one row per
# series of the charts table of one measure.
spc_measure_rows <- function(name, ms, groups, periods, gap, min_points = 1) {
  ch <- ms$chart
  rules <- spc_rules(ch)
  icons <- spc_icons(ch, rules, ms$improvement, ms$target, ms$band)
  n_s <- length(ms$rows)
  n_p <- length(periods)
  scale <- if (grepl("_gap$", name) && gap == "ratio") 1 else 100
  flat <- function(mat) as.vector(t(mat))
  x <- ms$x[ms$rows, , drop = FALSE]
  total <- ms$total[ms$rows, , drop = FALSE]
  hidden <- is.na(x) | is.na(total)
  if (!is.null(ms$ref_x)) {
    ref_hidden <- is.na(ms$ref_x) | is.na(ms$ref_total)
    hidden <- hidden | matrix(ref_hidden, n_s, n_p, byrow = TRUE)
  }
  type <- spc_point_type(rules, ms$improvement)
  rows <- list(
    measure = rep(name, n_s * n_p), period = rep(periods, n_s),
    numerator = flat(x), denominator = flat(total),
    value = scale * flat(ch$value), centre = scale * flat(ch$centre),
    lcl = scale * flat(ch$lcl), ucl = scale * flat(ch$ucl),
    lcl_2sigma = scale * flat(ch$lcl_2sigma), ucl_2sigma = scale * flat(ch$ucl_2sigma),
    segment = flat(ch$segment), baseline = flat(ch$baseline), hidden = flat(hidden),
    outside = flat(rules$outside), shift = flat(rules$shift), trend = flat(rules$trend),
    two_of_three = flat(rules$two_of_three), variation = flat(type)
  )
  counts <- rules$segments
  by_series <- function(v) as.vector(rowsum(as.double(v), counts$series, reorder = TRUE))[seq_len(n_s)]
  last_seg <- !duplicated(ch$segments$series, fromLast = TRUE)
  centre <- rep(NA_real_, n_s)
  centre[ch$segments$series[last_seg]] <- scale * ch$segments$centre[last_seg]
  hidden_periods <- vapply(seq_len(n_s), function(s) paste(periods[hidden[s, ]], collapse = ", "), "")
  # a chart of too few published points has no icons: its limits and runs
  # say little (Making Data Count)
  n_points <- by_series(counts$n_points)
  judged <- n_points >= min_points
  icons$variation[!judged] <- NA
  icons$side[!judged] <- NA
  icons$assurance[!judged] <- NA
  charts <- list(
    measure = rep(name, n_s), centre = centre,
    n_points = n_points, judged = judged, n_hidden = as.integer(rowSums(hidden)),
    hidden_periods = hidden_periods,
    n_outside = by_series(counts$n_outside), n_shift = by_series(counts$n_shift),
    n_trend = by_series(counts$n_trend), n_two_of_three = by_series(counts$n_two_of_three),
    n_special = by_series(counts$n_special), variation = icons$variation, side = icons$side,
    target = if (is.null(ms$target)) rep(NA_real_, n_s) else 100 * rep_len(ms$target, length(groups))[ms$rows],
    equal_low = rep(if (is.null(ms$band)) NA_real_ else scale * ms$band[[1]], n_s),
    equal_high = rep(if (is.null(ms$band)) NA_real_ else scale * ms$band[[2]], n_s),
    assurance = icons$assurance
  )
  charts$description <- spc_describe(name, as.character(groups[ms$rows]), charts, n_p, min_points)
  list(rows = rows, charts = charts, series = ms$rows)
}

#' @export
summary.equityaudit_spc <- function(object, ...) {
  new_summary(plain_frame(result_table(object, "charts")))
}

#' @export
display_spec.equityaudit_spc <- function(x) {
  opt <- attr(x, "options")
  g <- attr(x, "group")
  charts <- summary(x)
  list(
    title = sprintf(
      "SPC charts of %s by period: %s charts with 3-sigma limits; gaps to %s as %s",
      g, if (opt$chart == "pp") "Laney p'" else "p", opt$ref_label, opt$gap
    ),
    cols = c("measure", "period", g, "value", "centre", "lcl", "ucl", "variation"),
    note = spc_hidden_note(x),
    parts = list(charts = list(
      title = "Charts: points used by the rules, signals and icons", table = charts,
      cols = c("measure", g, "n_points", "n_hidden", "n_special", "variation", "assurance")
    ))
  )
}

# The periods hidden by the rule, named (NULL when none is).
spc_hidden_note <- function(x) {
  d <- unclass(x)
  if (!any(d$hidden)) {
    return(NULL)
  }
  per <- levels(d$period)[levels(d$period) %in% d$period[d$hidden]]
  sprintf(
    "Hidden by the suppression rule, shown as gaps and left out of every limit and rule: %d point%s in %s.",
    sum(d$hidden), if (sum(d$hidden) == 1) "" else "s", paste(per, collapse = ", ")
  )
}

# The counts the charts are computed from are those of compare_periods():
# the same cells and sums, in the table "counts".
spc_counts_as_periods <- function(x) {
  new_result(result_table(x, "counts"), "periods", list(
    by = "period", group = attr(x, "group"), parts = attr(x, "parts"),
    event = attr(x, "event"), unknown = attr(x, "unknown")
  ))
}

#' @export
suppression_cells.equityaudit_spc <- function(x) {
  spec <- suppression_cells(spc_counts_as_periods(x))
  spec$table[spec$table == "main"] <- "counts"
  spec
}

#' @export
republish.equityaudit_spc <- function(x, p) {
  counts <- p$tables$counts
  counts <- new_tidy_frame(counts[setdiff(names(counts), c("row.names", "names"))])
  keep <- c("group", "parts", "event", "unknown_label", "unknown", "options", "period_days")
  meta <- attributes(x)[intersect(keep, names(attributes(x)))]
  meta$by <- character()
  res <- spc_result(counts, meta, result_table(x, "left_out"))
  list(
    data = unclass(res), tables = attr(res, "tables")[c("charts", "counts")],
    # hidden points are named by print() and counted by glance(), not as
    # groups left out of tests (the footnote's words for other kinds)
    left_out = 0
  )
}

#' @export
link_description.equityaudit_spc <- function(x) {
  d <- link_description(spc_counts_as_periods(x))
  list(
    measures = list(counts = d$measures$main), partition = d$partition, leaves = d$leaves,
    strata = list(counts = "period"), known_group = d$known_group
  )
}

# Percentages, points and ratios share the value columns: two decimals
# (a ratio's) where the gaps are ratios, one otherwise.
#' @export
column_overrides.equityaudit_spc <- function(x) {
  role <- if (identical(attr(x, "options")$gap, "ratio")) "ratio" else "points"
  out <- list(
    value = c(role, "Value"), centre = c(role, "Centre line"),
    lcl = c(role, "Lower limit (3 sigma)"), ucl = c(role, "Upper limit (3 sigma)"),
    lcl_2sigma = c(role, "Lower warning limit (2 sigma)"),
    ucl_2sigma = c(role, "Upper warning limit (2 sigma)"),
    numerator = c("count", "Numerator"), denominator = c("count", "Denominator"),
    target = c("percent", "Target %"), equal_low = c(role, "Margin of equality, from"),
    equal_high = c(role, "Margin of equality, to"), variation = c("label", "Variation"),
    assurance = c("label", "Assurance"), n_points = c("count", "Points the rules used"),
    n_hidden = c("count", "Points hidden"), n_special = c("count", "Points signalling"),
    n_outside = c("count", "Outside the limits"), n_shift = c("count", "In a run of 7"),
    n_trend = c("count", "In a trend of 7"), n_two_of_three = c("count", "2 of 3 beyond 2 sigma"),
    segment = c("count", "Segment")
  )
  out
}

#' @export
table_scope.equityaudit_spc <- function(x) {
  c(charts = "all", counts = "all", left_out = "all")
}

#' @export
glance.equityaudit_spc <- function(x, ...) {
  ch <- result_table(x, "charts")
  d <- unclass(x)
  glance_row(x, list(
    periods = nlevels(d$period), groups = length(unique(d[[attr(x, "group")]])),
    charts = nrow(ch), charts_with_signals = sum(ch$n_special > 0),
    special_cause_concern = sum(ch$variation == "special_cause_concern", na.rm = TRUE),
    hidden_points = sum(d$hidden), reference_group = attr(x, "options")$ref_label
  ))
}

#' Plot SPC charts of equality
#'
#' Draws one chart per group of a [monitor_equality()] result for one
#' measure, in a grid with one y scale, the groups with special-cause
#' signals first: the points (special causes coloured as in Making Data
#' Count: blue an improvement, orange a concern, purple neither), the centre
#' line, the 3-sigma limits (dashed) and, where given, the target (dotted).
#' Hidden periods are gaps and are named under the charts. The words of
#' each chart, for alt text, are in `summary(x)$description`.
#'
#' @param x A result of [monitor_equality()].
#' @param measure `"share"`, `"access_gap"`, `"outcome"` or `"outcome_gap"`
#'   (those the result has).
#' @param main Title.
#' @param ... Unused.
#' @return `x`, invisibly.
#' @export
#' @examples
#' res <- monitor_equality(ips_synthetic, ethnicity, date_joined, outcome = employed)
#' plot(res, "outcome_gap")
plot.equityaudit_spc <- function(x, measure = NULL, main = NULL, ...) {
  check_no_dots(..., fn = "plot")
  d <- unclass(x)
  have <- levels(droplevels(d$measure))
  measure <- match_arg(measure %||% have[[1]], have, "measure")
  g <- attr(x, "group")
  ch <- summary(x)
  ch <- ch[ch$measure == measure, , drop = FALSE]
  ch <- ch[order(ch$n_special == 0), , drop = FALSE]
  sel <- d$measure == measure
  pts <- lapply(d, `[`, sel)
  ylim <- range(c(pts$value, pts$lcl, pts$ucl, ch$target, ch$equal_low, ch$equal_high), finite = TRUE)
  if (!all(is.finite(ylim))) ylim <- c(0, 1)
  # as many columns as the device's shape suits: fewer on a phone
  din <- grDevices::dev.size("in")
  n_pan <- max(1, nrow(ch))
  n_col <- min(n_pan, max(1, round(sqrt(n_pan * din[[1]] / din[[2]]))))
  width <- max(12, floor(9 * din[[1]] / n_col))
  hidden <- spc_hidden_note(x[sel, , drop = FALSE])
  old <- graphics::par(
    mfrow = c(ceiling(n_pan / n_col), n_col), mar = c(3.5, 3, 3.2, 0.5),
    oma = c(if (is.null(hidden)) 1 else 3, 0, 2, 0), mgp = c(2, 0.6, 0)
  )
  on.exit(graphics::par(old))
  colours <- c(
    common_cause = "grey40", special_cause_improvement = "#289de0",
    special_cause_concern = "#fab428", special_cause_neither = "#361475"
  )
  for (i in seq_len(nrow(ch))) {
    p <- as.character(pts[[g]]) == as.character(ch[[g]][[i]])
    xs <- as.integer(pts$period[p])
    graphics::plot(xs, pts$value[p],
      type = "l", ylim = ylim, xaxt = "n", xlab = "", ylab = "", col = "grey60", main = "",
      log = spc_plot_log(x, measure)
    )
    graphics::title(short_label(ch[[g]][[i]], width), line = 1, cex.main = 0.9,
      col.main = if (is.na(ch$variation[[i]])) "grey40" else colours[[ch$variation[[i]]]]
    )
    for (line in c("lcl", "ucl")) graphics::lines(xs, pts[[line]][p], lty = 2, col = "grey40")
    graphics::lines(xs, pts$centre[p])
    if (!is.na(ch$target[[i]])) graphics::abline(h = ch$target[[i]], lty = 3, col = "#361475")
    band <- c(ch$equal_low[[i]], ch$equal_high[[i]])
    if (!anyNA(band)) graphics::abline(h = band, lty = 3, col = "#361475")
    # a chart too short to judge: every point grey, none a signal
    colour <- if (ch$judged[[i]]) colours[pts$variation[p]] else ifelse(is.na(pts$value[p]), NA, "grey40")
    graphics::points(xs, pts$value[p], pch = 19, col = ifelse(is.na(colour), NA, colour))
    # hidden periods: a cross on the axis
    gone <- pts$hidden[p]
    if (any(gone)) {
      graphics::points(xs[gone], rep(ylim[[1]], sum(gone)), pch = 4, col = "grey30", cex = 0.8)
    }
    words <- if (ch$judged[[i]]) spc_variation_words(ch$variation[[i]], ch$side[[i]]) else "too few points to judge"
    if (!is.na(ch$assurance[[i]])) {
      against <- if (anyNA(band)) "; target " else "; margin "
      words <- paste0(words, against, gsub("_", " ", ch$assurance[[i]]))
    }
    graphics::mtext(words, side = 3, line = 0.1, cex = 0.6)
    tick <- thin_ticks(xs, 6)
    graphics::axis(1,
      at = xs[tick], labels = as.character(pts$period[p])[tick], las = 2, cex.axis = 0.7
    )
  }
  graphics::mtext(main %||% sprintf("%s by %s", sub("_", " ", measure), g), outer = TRUE, font = 2)
  if (!is.null(hidden)) {
    chars <- floor(14 * din[[1]])
    text <- strwrap(paste(hidden, "A cross on the axis marks each."), chars)
    if (length(text) > 2) {
      rest <- substr(text[[2]], 1, max(10, chars - 40))
      text <- c(text[[1]], paste(rest, "... (all in each chart's description)"))
    }
    graphics::mtext(text, side = 1, outer = TRUE, cex = 0.7, adj = 0, line = seq_along(text) - 1)
  }
  invisible(x)
}

spc_plot_log <- function(x, measure) {
  if (grepl("_gap$", measure) && attr(x, "options")$gap == "ratio") "y" else ""
}
