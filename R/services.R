# Many services side by side: funnel plots of representation ratios or
# outcome percentages (compare_services()).

#' Which services stand out? Funnel limits for many services
#'
#' For one group or every group, sets each service's representation ratio
#' (with `reference`) or outcome percentage (with `outcome`) against its
#' size, with funnel-plot control limits at 95% and 99.8% (Spiegelhalter,
#' 2005), and flags the services outside them.
#'
#' * Representation ratio (give `reference`, the eligible population by
#'   group and service): for group g in service s, the observed number of
#'   users `n` against the expected number, `expected` = the service's users
#'   of known group times the group's share of the service's eligible
#'   population. The ratio `n / expected` is the representation ratio of
#'   [compare_access()]; the target is 1 and the precision is `expected`;
#'   the limits are exact Poisson limits.
#' * Outcome percentage (give `outcome`): the percentage of the group's
#'   users in the service with the event, against the group's percentage in
#'   all services together; the precision is the group's users in the
#'   service; the limits are exact binomial limits.
#'
#' Exact limits interpolate between the discrete quantiles (Spiegelhalter
#' 2005, appendix A.1.1), so they are smooth in the size. With
#' `overdispersion = TRUE`, each group's funnel is widened by the additive
#' random-effects method, as FunnelPlotR does: z-scores on the
#' variance-stabilising scale (square root for ratios, arcsine square root
#' for proportions), winsorised at the 10th and 90th percentiles, give the
#' dispersion factor `phi = mean(z^2)` and the between-service variance
#' `tau2 = (I phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w))` (`w` = 1 /
#' variance; 0 when `phi` is at most `(I - 1) / I`); the limits are then
#' `target +- z sqrt(s^2 + tau2)` on that scale, transformed back. Both
#' estimates are in the attribute `"funnels"`.
#'
#' People of unknown group (`NA` or one of `unknown`) are left out of the
#' services' totals and shares; people with a missing outcome are left out
#' of the percentages. `group` may name two or more columns: each
#' combination is then one group, labelled like `"Black/Black British,
#' Female"`.
#'
#' @inheritParams compare_access
#' @param group The column(s) of groups, in `data` (and `reference`).
#' @param service The column(s) naming the service, in `data` (and
#'   `reference`).
#' @param reference The eligible population, for representation ratios: a
#'   data frame (or database table) with the `group` and `service` columns
#'   and a count column (`ref_count`, default `"n"`).
#' @param outcome The outcome column, for outcome percentages, as in
#'   [compare_outcomes()]; `event` says which value is the event.
#' @param ref_count Name of the column of `reference` holding the population
#'   counts (default `"n"`).
#' @param groups Labels of the groups to show; `NULL` for every known group.
#' @param overdispersion Widen the limits for overdispersion?
#' @param event The value of `outcome` that counts as the event.
#' @return A data frame of class `equityaudit_services`, one row per service
#'   and group: the `service` columns, the group, `n` (the group's users of
#'   the service), then for ratios `service_n`, `ref_n`, `expected` and
#'   `representation_ratio`, or for outcomes `events` and `pct`; then
#'   `target`, the limits `lower_998`, `lower_95`, `upper_95`, `upper_998`
#'   (on the scale of the estimate), `z_score` (on the variance-stabilising
#'   scale, before any widening) and `flag` (a factor: `"low (99.8%)"`,
#'   `"low (95%)"`, `"within"`, `"high (95%)"`, `"high (99.8%)"`).
#'   Attribute `"funnels"`: per group the target, `phi`, `tau2` and whether
#'   the limits were widened.
#' @references Spiegelhalter DJ (2005). Funnel plots for comparing
#'   institutional performance. Statistics in Medicine 24, 1185-1202.
#'   Spiegelhalter DJ (2005). Handling over-dispersion of performance
#'   indicators. Quality and Safety in Health Care 14, 347-351.
#' @seealso [plot.equityaudit_services()] for the funnel plot.
#' @export
#' @examples
#' set.seed(1)
#' people <- data.frame(
#'   service = sample(sprintf("S%02d", 1:20), 5000, TRUE),
#'   ethnicity = sample(c("White", "Black", "Asian"), 5000, TRUE),
#'   employed = runif(5000) < 0.35
#' )
#' res <- compare_services(people, ethnicity, service, outcome = employed)
#' head(res)
#' plot(res)
compare_services <- function(data, group, service, reference = NULL,
                             outcome = NULL, groups = NULL,
                             overdispersion = FALSE, event = NULL,
                             weight = NULL, ref_count = NULL, unknown = NULL) {
  if (is_lazy_table(data)) {
    call <- match.call()
    env <- parent.frame()
    if (is_lazy_table(reference)) {
      proto <- lazy_proto(data)
      keys <- list(
        group = column_names(call$group, proto, env, "group"),
        by = column_names(call$service, proto, env, "service")
      )
      lazy <- lazy_reference(list(reference = reference, ref_count = ref_count), keys)
      call$reference <- lazy$reference
      call$ref_count <- lazy$ref_count
    }
    return(lazy_call(compare_services, data, call, env, c("group", "service", "outcome")))
  }
  check_data_frame(data)
  check_flag(overdispersion, "overdispersion")
  unknown <- check_unknown(unknown)
  env <- parent.frame()
  group <- column_names(substitute(group), data, env, "group")
  service <- column_names(substitute(service), data, env, "service")
  outcome <- column_names(substitute(outcome), data, env, "outcome")
  weight <- column_names(substitute(weight), data, env, "weight")
  if (length(group) == 0 || length(service) == 0) {
    abort_input("argument", "Give the `group` and `service` columns.", arg = "group")
  }
  check_columns(c(group, service, outcome, weight), data, "group")
  if (is.null(reference) == (length(outcome) == 0)) {
    abort_input(
      "argument",
      "Give either `reference` (for representation ratios) or `outcome` (for outcome percentages).",
      arg = "reference"
    )
  }
  weight <- if (length(weight)) one_column(weight, "weight")
  if (length(outcome)) {
    one_column(outcome, "outcome")
    cells <- service_outcome_cells(data, group, service, outcome, event, weight, unknown)
    type <- "proportion"
  } else {
    if (is_lazy_table(reference)) {
      reference <- lazy_reference(
        list(reference = reference, ref_count = ref_count),
        list(group = group, by = service)
      )
      ref_count <- reference$ref_count
      reference <- reference$reference
    }
    cells <- service_ratio_cells(data, group, service, reference, ref_count, weight, unknown)
    type <- "ratio"
  }
  funnel_result(cells, group, service, groups, type, overdispersion)
}

# Representation ratios by group (rows) and service (columns).
service_ratio_cells <- function(data, group, service, reference, ref_count,
                                weight, unknown) {
  check_data_frame(reference, "reference")
  check_columns(c(group, service), reference, "reference", "reference")
  ref <- reference_values(reference, ref_count, NULL, "homogeneity")
  dc <- multi_group_counts(data, group, service, weight)
  n <- rowsum_matrix(matrix(dc$array, nrow = length(dc$labels)), recode_na(dc$labels, unknown))
  ref_labels <- recode_na(frame_labels(reference, group), unknown)
  ref_key <- strata_key(lapply(reference[service], identity), nrow(reference))
  used <- rownames(n)[rowSums(n) > 0]
  check_labels(
    setdiff(used, ref_labels), setdiff(unique(ref_labels[ref$value > 0]), rownames(n)),
    group, "group labels", unknown
  )
  check_labels(setdiff(dc$key, ref_key), character(), service, "services")
  labels <- ordered_labels(rownames(n)[rownames(n) %in% c(used, ref_labels)], ref_labels, unknown)
  n <- align_rows(n, labels)
  ref_mat <- matrix(align_rows(
    rowsum_matrix(matrix(ref$value), paste(ref_key, ref_labels, sep = "\r")),
    paste(rep(dc$key, each = length(labels)), labels, sep = "\r")
  ), nrow = length(labels))
  known <- !is_missing_label(labels, unknown)
  n <- n[known, , drop = FALSE]
  ref_mat <- ref_mat[known, , drop = FALSE]
  service_n <- matrix(colSums(n), nrow(n), ncol(n), byrow = TRUE)
  ref_share <- sweep(ref_mat, 2, colSums(ref_mat), "/")
  expected <- service_n * ref_share
  list(
    labels = labels[known], strata = dc$strata, n = n,
    extra = list(service_n = service_n, ref_n = ref_mat, expected = expected),
    size = expected, estimate = n / expected, target = rep(1, nrow(n)),
    excluded = sum(dc$array) - sum(n)
  )
}

# Outcome proportions by group (rows) and service (columns).
service_outcome_cells <- function(data, group, service, outcome, event,
                                  weight, unknown) {
  info <- multi_group_counts(data, group, service, weight, inner = outcome)
  levels_y <- info$inner_values[[1]]
  is_event <- event_slots(data[[outcome]], levels_y, event, outcome)
  d <- dim(info$array)
  labels <- recode_na(info$labels, unknown)
  yes <- rowsum_matrix(sum_outcome_levels(info$array, is_event & !is.na(levels_y)), labels)
  no <- rowsum_matrix(sum_outcome_levels(info$array, !is_event & !is.na(levels_y)), labels)
  labels <- rownames(yes)
  known <- !is_missing_label(labels, unknown) & rowSums(yes + no) > 0
  yes <- yes[known, , drop = FALSE]
  total <- yes + no[known, , drop = FALSE]
  list(
    labels = labels[known], strata = info$strata, n = total,
    extra = list(events = yes),
    size = total, estimate = yes / total, target = rowSums(yes) / rowSums(total),
    excluded = sum(info$array) - sum(total)
  )
}

funnel_result <- function(cells, group, service, groups, type, overdispersion) {
  keep <- seq_along(cells$labels)
  if (!is.null(groups)) {
    absent <- setdiff(groups, cells$labels)
    if (length(absent) > 0) {
      abort_input(
        "labels",
        sprintf(
          "`groups` names %s, not among the groups (%s).",
          format_values(absent), format_values(cells$labels, 10)
        ),
        arg = "groups"
      )
    }
    keep <- match(groups, cells$labels)
  }
  k <- length(keep)
  n_s <- ncol(cells$n)
  pick <- function(m) m[keep, , drop = FALSE]
  size <- pick(cells$size)
  est <- pick(cells$estimate)
  lim <- array(NA_real_, c(k, n_s, 4))
  z <- matrix(NA_real_, k, n_s)
  funnels <- vector("list", k)
  for (i in seq_len(k)) {
    target <- cells$target[keep[[i]]]
    z[i, ] <- funnel_z(est[i, ], size[i, ], target, type)
    od <- dispersion_estimate(z[i, ], size[i, ])
    tau2 <- if (overdispersion) od$tau2 else 0
    lim[i, , ] <- funnel_limits(size[i, ], target, type, tau2)
    funnels[[i]] <- list(
      target = target, phi = od$phi, tau2 = od$tau2,
      widened = overdispersion && od$tau2 > 0, services = od$n
    )
  }
  scale <- if (type == "ratio") 1 else 100
  flat <- function(m) as.vector(m)
  lim_flat <- matrix(lim, k * n_s, 4)
  measures <- if (type == "ratio") {
    list(
      service_n = flat(pick(cells$extra$service_n)), ref_n = flat(pick(cells$extra$ref_n)),
      expected = flat(size), representation_ratio = flat(est)
    )
  } else {
    list(events = flat(pick(cells$extra$events)), pct = 100 * flat(est))
  }
  rows <- c(
    strata_frame_rep(cells$strata, k),
    list(group = rep(cells$labels[keep], n_s), n = flat(pick(cells$n))),
    measures,
    list(
      target = scale * rep(vapply(funnels, `[[`, 0, "target"), n_s),
      lower_998 = scale * lim_flat[, 1], lower_95 = scale * lim_flat[, 2],
      upper_95 = scale * lim_flat[, 3], upper_998 = scale * lim_flat[, 4],
      z_score = flat(z), flag = funnel_flag(flat(est), lim_flat)
    )
  )
  gname <- group_name(group)
  names(rows)[names(rows) == "group"] <- gname
  out <- new_tidy_frame(rows)
  attr(out, "funnels") <- new_tidy_frame(c(
    stats::setNames(list(cells$labels[keep]), gname),
    list(
      target = scale * vapply(funnels, `[[`, 0, "target"),
      phi = vapply(funnels, `[[`, 0, "phi"),
      tau2 = vapply(funnels, `[[`, 0, "tau2"),
      widened = vapply(funnels, `[[`, TRUE, "widened"),
      services = vapply(funnels, `[[`, 0L, "services")
    )
  ))
  attr(out, "group") <- gname
  attr(out, "by") <- service
  attr(out, "measure") <- type
  attr(out, "n_excluded") <- cells$excluded
  class(out) <- c("equityaudit_services", "data.frame")
  out
}
