# The statistics of compare_periods(): shares, ratios and outcome
# percentages by period with their intervals, the chi-square test for
# linear trend, and the result.

period_result <- function(counts, periods, tl, ref, conf_level) {
  k <- length(counts$rows)
  n_p <- length(periods)
  n <- counts$n
  period_n <- matrix(colSums(n), k, n_p, byrow = TRUE)
  ref_n <- if (!is.null(ref)) matrix(ref$n[counts$rows], k, n_p)
  stats <- period_stats(n, period_n, ref_n, ref$total, counts$events, counts$outcome_n, conf_level)
  rows <- c(
    list(period = factor(rep(periods, each = k), levels = periods)),
    group_columns(tl$groups, counts$rows, n_p, tl$name),
    list(n = as.vector(n), period_n = as.vector(period_n)),
    stats$columns
  )
  trend <- c(group_columns(tl$groups, counts$rows, 1, tl$name), stats$trend)
  new_result(rows, "periods", list(
    by = "period", group = tl$name, parts = tl$parts, event = tl$event,
    unknown_label = tl$unknown_label, unknown = tl$unknown,
    options = list(conf_level = conf_level, reference = !is.null(ref), ref_total = ref$total)
  ), list(trend = new_tidy_frame(trend), left_out = counts$left_out))
}

#' @export
summary.equityaudit_periods <- function(object, ...) {
  new_summary(plain_frame(result_table(object, "trend")))
}

#' @export
display_spec.equityaudit_periods <- function(x) {
  cols <- c("period", attr(x, "group"), "n", "pct", "pct_low", "pct_high")
  if ("representation_ratio" %in% names(x)) cols <- c(cols, "representation_ratio", "ratio_low", "ratio_high")
  if ("outcome_pct" %in% names(x)) cols <- c(cols, "events", "outcome_pct", "outcome_low", "outcome_high")
  trend <- summary(x)
  list(
    title = sprintf("Each group of %s by period", attr(x, "group")),
    cols = cols,
    parts = list(trend = list(title = "Trend tests (1 df)", table = trend, cols = names(trend)))
  )
}

#' @export
suppression_cells.equityaudit_periods <- function(x) {
  s <- spec_rows(x, c("n", "period_n"))
  b <- s$b
  d <- unclass(x)
  rows <- s$rows
  n <- s$cells$n
  period <- as.integer(d$period)
  # a period's people of known group: one count on each of its rows, the
  # sum of its groups
  total <- copies_of_first(b, s$cells$period_n, period)
  periods <- unique(period)
  b$sums_grouped(total[match(periods, period)], n, match(period, periods))
  if (!is.null(d$outcome_n)) {
    known <- b$add("shown", rows, "outcome_n", d$outcome_n)
    ev <- b$add("shown", rows, "events", d$events)
    split_rest(b, rows, known, ev, d$outcome_n - d$events, "outcome_n - events")
    miss <- b$add("shown", rows, "n_outcome_missing", d$n_outcome_missing)
    b$sums_rowwise(n, known, miss)
  }
  finish_spec(b)
}

#' @export
republish.equityaudit_periods <- function(x, p) {
  y <- p$data
  starred <- p$starred
  opt <- attr(x, "options")
  k <- block_size(y, "period")
  hide <- seq_along(y$n) %in% starred_rows(starred, c("n", "period_n"))
  m <- function(v, h) matrix(ifelse(h, NA, v), k)
  ref_n <- if (isTRUE(opt$reference)) matrix(y$ref_pct * opt$ref_total / 100, k)
  outcome <- !is.null(y$outcome_n)
  hide_out <- if (outcome) seq_along(y$n) %in% starred_rows(starred, c("outcome_n", "events"))
  stats <- period_stats(
    m(y$n, hide), m(y$period_n, hide), ref_n, opt$ref_total,
    if (outcome) m(y$events, hide_out), if (outcome) m(y$outcome_n, hide_out), opt$conf_level
  )
  for (col in setdiff(names(stats$columns), c("ref_pct", "outcome_n", "events", "n_outcome_missing"))) {
    y[[col]] <- stats$columns[[col]]
  }
  y <- period_intervals_rounded(y, ref_n, opt, p$rule, hide, hide_out)
  trend <- plain_frame(result_table(x, "trend"))
  for (col in names(stats$trend)) trend[[col]] <- stats$trend[[col]]
  out <- blank(y, which(hide), c("pct", "pct_low", "pct_high", "representation_ratio", "ratio_low", "ratio_high"))
  if (outcome) {
    more <- blank(out$data, which(hide_out), c("outcome_pct", "outcome_low", "outcome_high"))
    out$data <- more$data
    out$starred <- merge_starred(out$starred, more$starred)
  }
  out$tables <- list(trend = new_tidy_frame(as.list(trend)))
  out$left_out <- sum(hide)
  out
}

# Under a rounding rule, the intervals of the shares, ratios and outcomes
# over every true count the published ones could stand for (see
# rounding_envelope()), and their percentages to whole numbers.
period_intervals_rounded <- function(y, ref_n, opt, rule, hide, hide_out) {
  if (!rounds_counts(rule)) {
    return(y)
  }
  na_if <- function(v, h) ifelse(h, NA, v)
  ratio <- !is.null(ref_n)
  share <- rounding_envelope(
    list(n = na_if(y$n, hide), period_n = na_if(y$period_n, hide)), rule,
    function(v) {
      w <- wilson_interval(v$n, v$period_n, opt$conf_level)
      out <- list(pct_low = w$low, pct_high = w$high)
      if (ratio) {
        katz <- katz_ratio(v$n, v$period_n, as.vector(ref_n), opt$ref_total, opt$conf_level)
        out$ratio_low <- katz$low
        out$ratio_high <- katz$high
      }
      out
    },
    lows = c("pct_low", if (ratio) "ratio_low"), highs = c("pct_high", if (ratio) "ratio_high"),
    valid = function(v) v$n <= v$period_n
  )
  for (col in names(share)) y[[col]] <- share[[col]]
  if (!is.null(y$outcome_n)) {
    outcome <- rounding_envelope(
      list(events = na_if(y$events, hide_out), n = na_if(y$outcome_n, hide_out)), rule,
      function(v) wilson_interval(v$events, v$n, opt$conf_level),
      lows = "low", highs = "high", valid = function(v) v$events <= v$n
    )
    y$outcome_low <- outcome$low
    y$outcome_high <- outcome$high
  }
  y
}

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
  check_no_dots(..., fn = "plot")
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
  # panels in the groups' order (ggplot2 would sort text)
  d$panel <- factor(d$panel, levels = unique(d$panel))
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

#' @export
link_description.equityaudit_periods <- function(x) {
  list(
    measures = list(main = c(
      n = "people", period_n = "people", outcome_n = "known", events = "events",
      n_outcome_missing = "outcome_missing"
    )),
    partition = "n", leaves = c(unknown_group_leaves(x), "date"),
    strata = list(main = "period"), known_group = "period_n"
  )
}

#' @export
glance.equityaudit_periods <- function(x, ...) {
  tr <- result_table(x, "trend")
  glance_row(x, list(
    periods = nlevels(unclass(x)$period), groups = nrow(tr),
    share_trends_significant = n_significant(tr$share_p_value, x),
    outcome_trends_significant = if (is.null(tr$outcome_p_value)) NA else n_significant(tr$outcome_p_value, x)
  ))
}
