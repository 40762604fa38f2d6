#' @export
summary.equityaudit_power <- function(object, ...) {
  st <- stratum_rows(object)
  new_summary(st$df[st$first, c(st$by, "n_tested", "df", "p_value", "power_w", "label"), drop = FALSE])
}

#' @export
display_spec.equityaudit_power <- function(x) {
  list(
    title = sprintf("Power and detectable differences of the tests of %s", attr(x, "group")),
    cols = setdiff(names(x), c("missing", "pooled")), parts = list()
  )
}

#' @export
glance.equityaudit_power <- function(x, ...) {
  s <- summary(x)
  glance_row(x, list(
    tests = nrow(s), different = sum(s$label %in% "different"),
    inconclusive = sum(s$label %in% "inconclusive"),
    no_difference_detected = sum(s$label %in% "no difference detected")
  ))
}

# The smallest fall and rise each group's test would detect, around no
# change, with the margin that matters marked.
#' @export
plot.equityaudit_power <- function(x, main = "Smallest difference each group's test would detect", ...) {
  check_no_dots(..., fn = "plot")
  d <- plain_frame(x)
  margin <- 100 * (attr(x, "options")$margin %||% 0.1)
  ok <- !is.na(d$detectable_increase) & !is.na(d$detectable_decrease)
  d <- d[ok, , drop = FALSE]
  interval_panels(rep(0, nrow(d)), -d$detectable_decrease, d$detectable_increase,
    d[[attr(x, "group")]], panel_labels(d, unit_columns(x)),
    ref = rep(margin, nrow(d)), xlab = sprintf("Detectable change, points (margin %g)", margin),
    main = main,
    note = if (any(!ok)) sprintf("%d group%s with no detectable change within 0-100%% not shown.", sum(!ok), if (sum(!ok) == 1) "" else "s")
  )
  invisible(x)
}
