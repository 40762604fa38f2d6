# Plots of compare_access() and compare_outcomes() results, in base
# graphics, with autoplot() methods for ggplot2 users.

# One panel per stratum: a point and interval per group, a reference line.
interval_panels <- function(est, low, high, group, panel, ref, xlab, main,
                            log = "", note = NULL) {
  panels <- unique(panel)
  # in the table's order, whichever panel a group first appears in
  groups <- if (is.factor(group)) intersect(levels(group), as.character(group)) else unique(group)
  group <- as.character(group)
  shown <- short_label(groups)
  if (length(groups) == 0) {
    graphics::plot.new()
    graphics::title(main = main)
    graphics::text(0.5, 0.5, note %||% "No group to draw.")
    return(invisible())
  }
  old <- graphics::par(
    mfrow = c(1, length(panels)), mar = c(4.5, 1, 3, 1),
    oma = c(if (is.null(note)) 0 else 1.5, max(nchar(shown)) * 0.45 + 1, 2, 0)
  )
  on.exit(graphics::par(old))
  finite <- c(low, high, est, ref)
  finite <- finite[is.finite(finite) & (log == "" | finite > 0)]
  xlim <- range(finite)
  for (p in panels) {
    sel <- panel == p
    y <- rev(seq_along(groups))[match(group[sel], groups)]
    graphics::plot(est[sel], y,
      xlim = xlim, ylim = c(0.5, length(groups) + 0.5),
      yaxt = "n", pch = 19, xlab = xlab, ylab = "", main = short_label(p), log = log
    )
    graphics::segments(low[sel], y, high[sel], y, lwd = 2)
    graphics::abline(v = ref[sel][1], lty = 2, col = "grey40")
    if (p == panels[[1]]) {
      graphics::axis(2, at = rev(seq_along(groups)), labels = shown, las = 1)
    }
  }
  graphics::mtext(main, outer = TRUE, cex = 1.1, font = 2)
  if (!is.null(note)) graphics::mtext(note, side = 1, outer = TRUE, cex = 0.8, adj = 0)
  invisible()
}

# A label cut to `width` characters for a plot, so that a long group or
# stratum label cannot crowd out the drawing (tables show it in full).
short_label <- function(x, width = 30) {
  x <- as.character(x)
  long <- !is.na(x) & nchar(x, type = "chars") > width
  x[long] <- paste0(substr(x[long], 1, width - 1), "\u2026")
  x
}

# At most `most` of the positions `at`, evenly spaced, first and last kept
# when they fit: axis labels that do not overlap.
thin_ticks <- function(at, most = 8) {
  if (length(at) <= most) {
    return(seq_along(at))
  }
  unique(round(seq(1, length(at), length.out = most)))
}

panel_labels <- function(x, by) {
  if (length(by) == 0) {
    return(rep("All", nrow(x)))
  }
  do.call(paste, c(lapply(by, function(b) as.character(x[[b]])), sep = " / "))
}

#' Plot equality of access or outcome
#'
#' `plot()` on a [compare_access()] result draws each group's
#' representation ratio (its share of the service's users over its share of
#' the eligible population) with its confidence interval, one panel per
#' stratum, on a log scale with a line at 1 (proportional access). On a
#' [compare_outcomes()] result it draws each group's percentage with the
#' outcome and its Wilson interval, one panel per test, with a dashed line
#' at the rate of the whole stratum. Rows for people of unknown group are
#' left out. On a suppressed result ([suppress_counts()]) only the groups
#' whose counts are published are drawn, from the published counts, and a
#' note under the plot says how many were left out. Base graphics only; `autoplot()` gives the same as a ggplot
#' when ggplot2 is installed.
#'
#' @param x,object A result of [compare_access()] or [compare_outcomes()].
#' @param main Title.
#' @param ... Unused.
#' @return `x`, invisibly (`plot()`), or a ggplot (`autoplot()`).
#' @name plot-methods
#' @examples
#' res <- compare_outcomes(ips_synthetic, ethnicity, employed, by = service,
#'   exact = "never"
#' )
#' plot(res)
NULL

#' @rdname plot-methods
#' @export
plot.equityaudit_access <- function(x, main = "Representation in the service", ...) {
  d <- access_plot_data(x)
  interval_panels(d$est, d$low, d$high, d$group, d$panel,
    ref = rep(1, nrow(d)), xlab = "Representation ratio (log scale)",
    main = main, log = "x", note = attr(d, "note")
  )
  invisible(x)
}

#' @rdname plot-methods
#' @export
plot.equityaudit_outcomes <- function(x, main = "People with the outcome, %", ...) {
  d <- outcome_plot_data(x)
  interval_panels(d$est, d$low, d$high, d$group, d$panel,
    ref = d$ref, xlab = "% (Wilson interval)", main = main,
    note = attr(d, "note")
  )
  invisible(x)
}

access_plot_data <- function(x) {
  group_order <- unique(as.character(x[[attr(x, "group")]]))
  x <- x[!x$missing, , drop = FALSE]
  hidden <- is.na(x$n) | (!all(is.na(x$ref_pct)) & is.na(x$ref_pct))
  x <- x[!hidden, , drop = FALSE]
  d <- data.frame(
    group = factor(as.character(x[[attr(x, "group")]]), group_order),
    panel = panel_labels(x, attr(x, "by")),
    est = x$representation_ratio, low = x$ratio_low, high = x$ratio_high,
    ref = rep(1, nrow(x)), stringsAsFactors = FALSE
  )
  with_hidden_note(d, sum(hidden))
}

outcome_plot_data <- function(x) {
  group_order <- unique(as.character(x[[attr(x, "group")]]))
  x <- x[!x$missing, , drop = FALSE]
  hidden <- is.na(x$n) | is.na(x$events)
  x <- x[!hidden & x$n > 0, , drop = FALSE]
  panel <- panel_labels(x, attr(x, "by"))
  rate <- 100 * tapply(x$events, panel, sum) / tapply(x$n, panel, sum)
  d <- data.frame(
    group = factor(as.character(x[[attr(x, "group")]]), group_order), panel = panel,
    est = x$pct, low = x$pct_low, high = x$pct_high,
    ref = as.vector(rate[panel]), stringsAsFactors = FALSE
  )
  with_hidden_note(d, sum(hidden))
}

# Groups whose counts are suppressed are not drawn; the plot says so.
with_hidden_note <- function(d, n_hidden) {
  if (n_hidden > 0) {
    attr(d, "note") <- sprintf(
      "%d group%s with suppressed counts not shown.",
      n_hidden, if (n_hidden == 1) "" else "s"
    )
  }
  d
}

#' @rdname plot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.equityaudit_access <- function(object, ...) { # nolint: object_name_linter.
  gg_intervals(access_plot_data(object), "Representation ratio", log = TRUE)
}

#' @rdname plot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.equityaudit_outcomes <- function(object, ...) { # nolint: object_name_linter.
  gg_intervals(outcome_plot_data(object), "% with the outcome (Wilson interval)")
}

gg_intervals <- function(d, xlab, log = FALSE) {
  if (!requireNamespace("ggplot2", quietly = TRUE)) {
    abort_input("argument", "autoplot() needs the ggplot2 package.", arg = "object")
  }
  d$group <- factor(d$group, levels = rev(unique(d$group)))
  p <- ggplot2::ggplot(d, ggplot2::aes(
    x = .data$est, y = .data$group,
    xmin = .data$low, xmax = .data$high
  )) +
    ggplot2::geom_vline(ggplot2::aes(xintercept = .data$ref), linetype = 2, colour = "grey40") +
    ggplot2::geom_errorbarh(height = 0.2) +
    ggplot2::geom_point() +
    ggplot2::facet_wrap(ggplot2::vars(.data$panel)) +
    ggplot2::labs(x = xlab, y = NULL, caption = attr(d, "note"))
  if (log) p <- p + ggplot2::scale_x_log10()
  p
}
utils::globalVariables(".data")

#' @rdname plot-methods
#' @export
plot.equityaudit_groups <- function(x, main = "Difference from the reference group, points", ...) {
  d <- groups_plot_data(x)
  interval_panels(d$est, d$low, d$high, d$group, d$panel,
    ref = rep(0, nrow(d)), xlab = "Difference in % with the outcome (points)",
    main = main, note = attr(d, "note")
  )
  invisible(x)
}

#' @rdname plot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.equityaudit_groups <- function(object, ...) { # nolint: object_name_linter.
  gg_intervals(groups_plot_data(object), "Difference in % with the outcome (points)")
}

groups_plot_data <- function(x) {
  shown <- !is.na(x$difference)
  x <- x[shown, , drop = FALSE]
  d <- data.frame(
    group = paste(as.character(x[[attr(x, "group")]]), "vs", x$reference),
    panel = panel_labels(x, attr(x, "by")),
    est = x$difference, low = x$diff_low, high = x$diff_high,
    ref = 0, stringsAsFactors = FALSE
  )
  with_hidden_note(d, sum(!shown))
}

#' @rdname plot-methods
#' @export
plot.equityaudit_cohort <- function(x, main = "Who used the service, % of those known", ...) {
  d <- cohort_plot_data(x)
  vars <- unique(d$variable)
  if (length(vars) == 0) {
    graphics::plot.new()
    graphics::title(main = main)
    graphics::text(0.5, 0.5, "No categorical variable to draw.")
    return(invisible(x))
  }
  old <- graphics::par(mfrow = c(1, length(vars)), mar = c(8, 4, 3, 1))
  on.exit(graphics::par(old))
  for (v in vars) {
    dv <- d[d$variable == v, , drop = FALSE]
    m <- tapply(dv$pct, list(factor(dv$level, unique(dv$level)), factor(dv$panel, unique(dv$panel))), sum)
    m[is.na(m)] <- 0
    dimnames(m) <- lapply(dimnames(m), short_label, width = 20)
    graphics::barplot(m,
      beside = TRUE, legend.text = rownames(m), las = 2, ylim = c(0, 100),
      ylab = "%", main = v, args.legend = list(cex = 0.7, bty = "n")
    )
  }
  graphics::mtext(main, side = 3, line = -1.2, outer = TRUE, cex = 0.9)
  invisible(x)
}

# The known levels of each variable of a cohort, with their percentages
# (a starred count draws no bar).
cohort_plot_data <- function(x) {
  d <- plain_frame(x)
  keep <- d$variable != "people" & !d$missing & !is.na(d$level) & !is.na(d$pct)
  d <- d[keep, , drop = FALSE]
  data.frame(
    variable = d$variable, level = d$level, pct = d$pct,
    panel = panel_labels(d, attr(x, "by")), stringsAsFactors = FALSE
  )
}
