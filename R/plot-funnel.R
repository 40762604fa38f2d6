# Funnel plots of compare_services() results (base graphics and ggplot2).

#' Funnel plot of services
#'
#' `plot()` draws one funnel per group of a [compare_services()] result:
#' each service's representation ratio or outcome percentage against its
#' size (expected users, or the group's users), the target as a solid line
#' and the 95% (dashed) and 99.8% (dotted) limits, with services outside
#' the 95% limits in orange and outside the 99.8% limits in red.
#' `autoplot()` gives the same as a ggplot.
#'
#' @param x,object A result of [compare_services()].
#' @param main Title.
#' @param ... Unused.
#' @return `x`, invisibly (`plot()`), or a ggplot (`autoplot()`).
#' @export
#' @examples
#' set.seed(2)
#' people <- data.frame(
#'   service = sample(sprintf("S%02d", 1:30), 6000, TRUE),
#'   ethnicity = sample(c("White", "Black"), 6000, TRUE),
#'   employed = runif(6000) < 0.4
#' )
#' plot(compare_services(people, ethnicity, service, outcome = employed))
plot.equityaudit_services <- function(x, main = NULL, ...) {
  d <- funnel_plot_data(x)
  curves <- funnel_curves(x)
  panels <- unique(d$panel)
  n_row <- ceiling(sqrt(length(panels)))
  old <- graphics::par(
    mfrow = c(n_row, ceiling(length(panels) / n_row)), mar = c(4.5, 4.5, 3, 1)
  )
  on.exit(graphics::par(old))
  for (p in panels) {
    dp <- d[d$panel == p, , drop = FALSE]
    cp <- curves[curves$panel == p, , drop = FALSE]
    ylim <- range(c(dp$est, cp$lower_998, cp$upper_998), finite = TRUE)
    graphics::plot(dp$size, dp$est,
      type = "n", ylim = ylim, xlab = d$xlab[[1]], ylab = d$ylab[[1]],
      main = if (is.null(main)) short_label(p) else main
    )
    graphics::abline(h = cp$target[[1]], col = "grey30")
    for (col in c("lower_95", "upper_95")) graphics::lines(cp$size, cp[[col]], lty = 2)
    for (col in c("lower_998", "upper_998")) graphics::lines(cp$size, cp[[col]], lty = 3)
    colour <- c("red", "orange", "grey20", "orange", "red")[as.integer(dp$flag)]
    graphics::points(dp$size, dp$est, pch = 19, col = colour)
  }
  invisible(x)
}

#' @rdname plot.equityaudit_services
#' @exportS3Method ggplot2::autoplot
autoplot.equityaudit_services <- function(object, ...) { # nolint: object_name_linter.
  if (!requireNamespace("ggplot2", quietly = TRUE)) {
    abort_input("argument", "autoplot() needs the ggplot2 package.", arg = "object")
  }
  d <- funnel_plot_data(object)
  curves <- funnel_curves(object)
  ggplot2::ggplot(d, ggplot2::aes(x = .data$size, y = .data$est)) +
    ggplot2::geom_hline(data = curves, ggplot2::aes(yintercept = .data$target), colour = "grey30") +
    ggplot2::geom_line(data = curves, ggplot2::aes(y = .data$lower_95), linetype = 2) +
    ggplot2::geom_line(data = curves, ggplot2::aes(y = .data$upper_95), linetype = 2) +
    ggplot2::geom_line(data = curves, ggplot2::aes(y = .data$lower_998), linetype = 3) +
    ggplot2::geom_line(data = curves, ggplot2::aes(y = .data$upper_998), linetype = 3) +
    ggplot2::geom_point(ggplot2::aes(colour = .data$flag)) +
    ggplot2::scale_colour_manual(values = c(
      "low (99.8%)" = "red", "low (95%)" = "orange", within = "grey20",
      "high (95%)" = "orange", "high (99.8%)" = "red"
    ), drop = FALSE) +
    ggplot2::facet_wrap(ggplot2::vars(.data$panel), scales = "free") +
    ggplot2::labs(x = d$xlab[[1]], y = d$ylab[[1]], colour = NULL)
}

funnel_plot_data <- function(x) {
  ratio <- attr(x, "measure") == "ratio"
  x <- x[is.finite(x$z_score), , drop = FALSE]
  data.frame(
    panel = as.character(x[[attr(x, "group")]]),
    size = if (ratio) x$expected else x$n,
    est = if (ratio) x$representation_ratio else x$pct,
    flag = x$flag,
    xlab = if (ratio) "Expected users" else "People in the group",
    ylab = if (ratio) "Representation ratio" else "% with the outcome",
    stringsAsFactors = FALSE
  )
}

# The limits on a grid of sizes, one funnel per group.
funnel_curves <- function(x) {
  type <- attr(x, "measure")
  f <- result_table(x, "funnels")
  d <- funnel_plot_data(x)
  scale <- if (type == "ratio") 1 else 100
  parts <- lapply(seq_len(nrow(f)), function(i) {
    panel <- as.character(f[[attr(x, "group")]][[i]])
    s <- d$size[d$panel == panel & d$size > 0]
    if (length(s) == 0) {
      return(NULL)
    }
    grid <- exp(seq(log(max(min(s), 1)), log(max(s)), length.out = 200))
    if (type == "proportion") grid <- unique(round(grid))
    tau2 <- if (f$widened[[i]]) f$tau2[[i]] else 0
    lim <- scale * funnel_limits(grid, f$target[[i]] / scale, type, tau2)
    data.frame(
      panel = panel, size = grid, target = f$target[[i]],
      lower_998 = lim[, 1], lower_95 = lim[, 2], upper_95 = lim[, 3], upper_998 = lim[, 4],
      stringsAsFactors = FALSE
    )
  })
  do.call(rbind, parts)
}
