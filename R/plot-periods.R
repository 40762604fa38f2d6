# Plots of compare_periods() results (base graphics and ggplot2).

#' Plot shares or outcomes over time
#'
#' Draws, for each group of a [compare_periods()] result, its share of the
#' people in each period (or, with `what = "outcome"`, the percentage with
#' the outcome) with the Wilson interval, and a dashed line at the group's
#' share of the eligible population (or its outcome percentage over all
#' periods). `autoplot()` gives the same as a ggplot.
#'
#' @param x,object A result of [compare_periods()].
#' @param what `"share"` or `"outcome"`.
#' @param main Title.
#' @param ... Unused.
#' @return `x`, invisibly (`plot()`), or a ggplot (`autoplot()`).
#' @export
#' @examples
#' res <- compare_periods(ips_synthetic, ethnicity, date_joined, outcome = employed)
#' plot(res)
plot.equityaudit_periods <- function(x, what = c("share", "outcome"), main = NULL, ...) {
  d <- period_plot_data(x, what)
  panels <- unique(d$panel)
  n_row <- ceiling(sqrt(length(panels)))
  old <- graphics::par(mfrow = c(n_row, ceiling(length(panels) / n_row)), mar = c(4.5, 4.5, 3, 1))
  on.exit(graphics::par(old))
  for (p in panels) {
    dp <- d[d$panel == p, , drop = FALSE]
    xs <- as.integer(dp$period)
    ylim <- range(c(dp$low, dp$high, dp$ref), finite = TRUE)
    graphics::plot(xs, dp$est,
      type = "b", pch = 19, ylim = ylim, xaxt = "n", xlab = "",
      ylab = dp$ylab[[1]], main = if (is.null(main)) short_label(p) else main
    )
    tick <- thin_ticks(xs)
    graphics::axis(1, at = xs[tick], labels = as.character(dp$period)[tick], las = 2, cex.axis = 0.8)
    graphics::segments(xs, dp$low, xs, dp$high)
    if (any(is.finite(dp$ref))) graphics::abline(h = dp$ref[[1]], lty = 2, col = "grey40")
  }
  invisible(x)
}

#' @rdname plot.equityaudit_periods
#' @exportS3Method ggplot2::autoplot
autoplot.equityaudit_periods <- function(object, # nolint: object_name_linter.
                                         what = c("share", "outcome"), ...) {
  if (!requireNamespace("ggplot2", quietly = TRUE)) {
    abort_input("argument", "autoplot() needs the ggplot2 package.", arg = "object")
  }
  d <- period_plot_data(object, what)
  ggplot2::ggplot(d, ggplot2::aes(x = .data$period, y = .data$est, group = 1)) +
    ggplot2::geom_hline(ggplot2::aes(yintercept = .data$ref), linetype = 2, colour = "grey40") +
    ggplot2::geom_errorbar(ggplot2::aes(ymin = .data$low, ymax = .data$high), width = 0.2) +
    ggplot2::geom_line() +
    ggplot2::geom_point() +
    ggplot2::facet_wrap(ggplot2::vars(.data$panel)) +
    ggplot2::labs(x = NULL, y = d$ylab[[1]])
}

period_plot_data <- function(x, what) {
  what <- match_arg(what, c("share", "outcome"), "what")
  if (what == "outcome" && is.null(x$outcome_pct)) {
    abort_input("argument", "`what = \"outcome\"` needs a result with `outcome`.", arg = "what")
  }
  panel <- as.character(x[[attr(x, "group")]])
  if (what == "share") {
    ref <- if (is.null(x$ref_pct)) rep(NA_real_, nrow(x)) else x$ref_pct
    return(data.frame(
      panel = panel, period = x$period, est = x$pct, low = x$pct_low, high = x$pct_high,
      ref = ref, ylab = "% of the period", stringsAsFactors = FALSE
    ))
  }
  overall <- tapply(x$events, panel, sum) / tapply(x$outcome_n, panel, sum)
  data.frame(
    panel = panel, period = x$period, est = x$outcome_pct, low = x$outcome_low,
    high = x$outcome_high, ref = 100 * as.vector(overall[panel]),
    ylab = "% with the outcome", stringsAsFactors = FALSE
  )
}
