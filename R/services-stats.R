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
