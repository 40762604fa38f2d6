# The result of compare_services(), from the cells of each group and
# service: its funnels (funnel.R) and rows.

# The result: per group a funnel across the services. `cells` holds the
# matrices [group, service] of counts (`n`), precision (`size`) and
# estimate, each group's target, and the tally rows its groups are.
funnel_result <- function(cells, cols, groups, type, overdispersion) {
  g <- cells$tl$groups
  labels <- g$label[cells$rows]
  keep <- seq_along(labels)
  if (!is.null(groups)) {
    absent <- setdiff(groups, labels)
    if (length(absent) > 0) {
      abort_input(
        "labels",
        sprintf(
          "`groups` names %s, not among the groups (%s).",
          format_values(absent), format_values(labels, 10)
        ),
        arg = "groups"
      )
    }
    keep <- match(groups, labels)
  }
  k <- length(keep)
  n_s <- ncol(cells$n)
  pick <- function(m) m[keep, , drop = FALSE]
  size <- pick(cells$size)
  est <- pick(cells$estimate)
  fit <- funnel_fit(size, est, cells$target[keep], type, overdispersion)
  flat <- function(m) as.vector(m)
  measures <- if (type == "ratio") {
    list(
      service_n = flat(pick(cells$extra$service_n)), ref_n = flat(pick(cells$extra$ref_n)),
      service_ref_n = flat(pick(cells$extra$service_ref_n)),
      expected = flat(size), representation_ratio = flat(est)
    )
  } else {
    list(events = flat(pick(cells$extra$events)), pct = 100 * flat(est))
  }
  rows <- c(
    strata_frame_rep(cells$strata, k),
    group_columns(g, cells$rows[keep], n_s, cells$tl$name),
    list(n = flat(pick(cells$n))),
    measures, fit$columns
  )
  funnel_table <- c(group_columns(g, cells$rows[keep], 1, cells$tl$name), fit$funnels)
  new_result(rows, "services", list(
    by = cols$by, group = cells$tl$name, parts = cells$tl$parts, measure = type,
    unknown_label = cells$tl$unknown_label, unknown = cells$tl$unknown,
    event = cells$tl$event,
    options = list(overdispersion = overdispersion, groups = groups, type = type)
  ), list(funnels = new_tidy_frame(funnel_table), left_out = cells$left_out))
}

#' @export
summary.equityaudit_services <- function(object, ...) {
  df <- plain_frame(object)
  funnels <- plain_frame(result_table(object, "funnels"))
  group <- attr(object, "group")
  key <- as.character(df[[group]])
  flags <- levels(df$flag)
  for (f in flags) {
    funnels[[f]] <- as.vector(tapply(df$flag %in% f, factor(key, levels = unique(as.character(funnels[[group]]))), sum))
  }
  new_summary(funnels)
}

#' @export
display_spec.equityaudit_services <- function(x) {
  ratio <- attr(x, "measure") == "ratio"
  funnels <- result_table(x, "funnels")
  list(
    title = sprintf(
      "%s of each group of %s across %s, with funnel limits",
      if (ratio) "Representation ratio" else paste("Outcome", attr(x, "event") %||% ""),
      attr(x, "group"), paste(attr(x, "by"), collapse = " and ")
    ),
    cols = c(
      attr(x, "by"), attr(x, "group"), "n",
      if (ratio) c("expected", "representation_ratio") else c("events", "pct"),
      "target", "lower_95", "upper_95", "flag"
    ),
    parts = list(funnels = list(title = "Funnels", table = funnels, cols = names(funnels)))
  )
}

#' @export
suppression_cells.equityaudit_services <- function(x) {
  b <- spec_builder()
  d <- unclass(x)
  rows <- seq_along(d$n)
  n <- b$add("shown", rows, "n", d$n)
  unit <- row_group(x, attr(x, "by"))
  # with only some `groups` shown, a unit's total has others in it too
  some <- !is.null(attr(x, "options")$groups)
  if (attr(x, "measure") == "ratio") {
    sn <- b$add("shown", rows, "service_n", d$service_n)
    ref <- b$add("shown", rows, "ref_n", d$ref_n)
    sref <- b$add("shown", rows, "service_ref_n", d$service_ref_n)
    units <- unique(unit)
    first_row <- match(units, unit)
    # a unit's total is one count on each of its rows
    for (pair in list(list(sn, n, d$service_n, d$n, "n"), list(sref, ref, d$service_ref_n, d$ref_n, "ref_n"))) {
      total <- copies_of_first(b, pair[[1]], unit)
      parts <- pair[[2]]
      group <- unit
      if (some) {
        left <- pair[[3]][first_row] - as.vector(rowsum(pair[[4]], unit, reorder = FALSE))
        others <- b$add("hidden", first_row, paste(pair[[5]], "of other groups"), left, whole = TRUE)
        parts <- c(parts, others)
        group <- c(group, units)
      }
      b$sums_grouped(total[first_row], parts, group)
    }
  } else {
    ev <- b$add("shown", rows, "events", d$events)
    split_rest(b, rows, n, ev, d$n - d$events, "n - events")
  }
  finish_spec(b)
}

#' @export
republish.equityaudit_services <- function(x, p) {
  y <- p$data
  starred <- p$starred
  opt <- attr(x, "options")
  ratio <- attr(x, "measure") == "ratio"
  k <- block_size(y, attr(x, "by"))
  counts <- if (ratio) c("n", "service_n", "ref_n", "service_ref_n") else c("n", "events")
  hide <- seq_along(y$n) %in% starred_rows(starred, counts)
  m <- function(v) matrix(ifelse(hide, NA, v), k)
  if (ratio) {
    size <- m(y$service_n * y$ref_n / y$service_ref_n)
    est <- m(y$n) / size
    target <- rep(1, k)
    y$expected <- as.vector(size)
    y$representation_ratio <- as.vector(est)
  } else {
    size <- m(y$n)
    est <- m(y$events) / size
    target <- rowSums(m(y$events), na.rm = TRUE) / rowSums(size, na.rm = TRUE)
    y$pct <- 100 * as.vector(est)
    y$pct[is.nan(y$pct)] <- NA_real_
  }
  fit <- funnel_fit(size, est, target, opt$type, opt$overdispersion)
  for (col in names(fit$columns)) y[[col]] <- fit$columns[[col]]
  funnels <- plain_frame(result_table(x, "funnels"))
  for (col in names(fit$funnels)) funnels[[col]] <- fit$funnels[[col]]
  derived <- c(
    if (ratio) c("expected", "representation_ratio") else "pct",
    "lower_998", "lower_95", "upper_95", "upper_998", "z_score", "flag"
  )
  out <- blank(y, which(hide | is.na(est)), derived)
  out$tables <- list(funnels = new_tidy_frame(as.list(funnels)))
  out$left_out <- sum(hide)
  out
}

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
  check_no_dots(..., fn = "plot")
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
  # panels in the groups' order (ggplot2 would sort text)
  panels <- unique(c(as.character(d$panel), as.character(curves$panel)))
  d$panel <- factor(d$panel, levels = panels)
  curves$panel <- factor(curves$panel, levels = panels)
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

#' @export
link_description.equityaudit_services <- function(x) {
  ratio <- identical(attr(x, "measure"), "ratio")
  main <- if (ratio) {
    c(n = "people", service_n = "people", ref_n = "population", service_ref_n = "population")
  } else {
    c(n = "known", events = "events")
  }
  list(
    measures = list(main = main), partition = "n",
    leaves = c(unknown_group_leaves(x), "by", if (!ratio) "outcome"),
    known_group = c("service_n", "service_ref_n")
  )
}

#' @export
glance.equityaudit_services <- function(x, ...) {
  d <- unclass(x)
  flag <- as.character(d$flag)
  glance_row(x, list(
    units = length(unique(strata_key(d[attr(x, "by")], length(flag)))),
    groups = nrow(result_table(x, "funnels")),
    outside_95 = sum(!is.na(flag) & flag != "within"),
    outside_998 = sum(flag %in% c("low (99.8%)", "high (99.8%)")),
    widened = sum(result_table(x, "funnels")$widened %in% TRUE)
  ))
}

#' @export
column_overrides.equityaudit_services <- function(x) {
  # the target and limits are on the scale of the estimate: a ratio, or a
  # percentage
  role <- if (identical(attr(x, "measure"), "ratio")) "ratio" else "percent"
  what <- if (role == "ratio") "Expected ratio" else "Expected %"
  list(
    target = c(role, what),
    lower_95 = c(role, "Lower 95% limit"), upper_95 = c(role, "Upper 95% limit"),
    lower_998 = c(role, "Lower 99.8% limit"), upper_998 = c(role, "Upper 99.8% limit")
  )
}
