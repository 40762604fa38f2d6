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
    oma = c(if (is.null(note)) 0 else 1.5, label_width(shown) * 0.45 + 1, 2, 0)
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

# A long label for a plot, wrapped on two lines of `width` characters, so
# that it cannot crowd out the drawing: when two lines do not hold it, the
# first line and the end of the label, which tells labels that start
# alike apart ("Asian, Asian British or Asian Welsh: Bangladeshi" and
# "...: Chinese"), joined by "..." (tables show labels in full).
short_label <- function(x, width = 30) {
  x <- as.character(x)
  long <- !is.na(x) & nchar(x, type = "chars") > width
  x[long] <- vapply(x[long], function(s) {
    lines <- strwrap(s, width)
    if (length(lines) > 2 || any(nchar(lines, type = "chars") > width)) {
      end <- substring(s, nchar(s, type = "chars") - width + 4)
      lines <- c(if (length(lines) > 1) lines[[1]], paste0("...", trimws(end)))
    }
    paste(lines, collapse = "\n")
  }, "", USE.NAMES = FALSE)
  x
}

# The widest line of labels, in characters (for a plot's margin).
label_width <- function(x) {
  x <- as.character(x)
  if (length(x) == 0) {
    return(1)
  }
  max(1, nchar(unlist(strsplit(x, "\n", fixed = TRUE)), type = "chars"))
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

