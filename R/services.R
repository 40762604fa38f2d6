# Many services side by side: funnel plots of representation ratios or
# outcome percentages (compare_services()).

#' Which services stand out? Funnel limits for many services
#'
#' For one group or every group, sets each service's (each `unit`'s)
#' representation ratio (with `reference`, which has the `group` and `unit`
#' columns too) or outcome percentage (with `outcome`) against its size, with funnel-plot control limits at 95% and 99.8% (Spiegelhalter,
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
#' estimates are in `tidy(x, "funnels")`.
#'
#' Groups and unknown values follow the rules of [equityaudit-arguments]:
#' people of unknown group, of unknown service and (for outcomes) with a
#' missing outcome are left out of the services' totals and shares, and
#' counted in `tidy(x, "left_out")`. `group` may name two or more columns:
#' each combination is then one group (a combination with an unknown part
#' is unknown).
#'
#' @inheritParams equityaudit-arguments
#' @param groups Labels of the groups to show; `NULL` for every known group.
#' @param overdispersion Widen the limits for overdispersion?
#' @return A data frame of class `equityaudit_services`, one row per service
#'   and group: the `unit` columns, the group, `n` (the group's users of
#'   the service), then for ratios `service_n` (the service's users of
#'   known group), `ref_n` (the group's eligible population),
#'   `service_ref_n` (the service's eligible population), `expected` and
#'   `representation_ratio`, or for outcomes `events` and `pct`; then
#'   `target`, the limits `lower_998`, `lower_95`, `upper_95`, `upper_998`
#'   (on the scale of the estimate), `z_score` (on the variance-stabilising
#'   scale, before any widening) and `flag` (a factor: `"low (99.8%)"`,
#'   `"low (95%)"`, `"within"`, `"high (95%)"`, `"high (99.8%)"`).
#'   `tidy(x, "funnels")`: per group the target, `phi`, `tau2` and whether
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
#' res <- compare_services(people, ethnicity, unit = service, outcome = employed)
#' res
#' plot(res)
compare_services <- function(data, group, unit, reference = NULL,
                             outcome = NULL, event = NULL, unknown = NULL,
                             groups = NULL, overdispersion = FALSE,
                             ref_count = NULL, weight = NULL, suppress = "none", ...) {
  check_no_dots(..., fn = "compare_services")
  withhold_counts(suppress)
  check_flag(overdispersion, "overdispersion")
  unknown <- check_unknown(unknown)
  env <- parent.frame()
  input <- verb_input(data, c("group", "unit", "outcome", "weight"), environment(), env,
    required = c("group", "unit")
  )
  cols <- input_columns(input)
  # the units compared are the strata the counts are split by
  cols$by <- cols$unit
  data <- input$data
  if (is.null(reference) == (length(cols$outcome) == 0)) {
    abort_input(
      "argument",
      "Give either `reference` (for representation ratios) or `outcome` (for outcome percentages).",
      arg = "reference"
    )
  }
  if (length(cols$outcome) > 0) {
    cells <- service_outcome_cells(data, cols, event, unknown)
    type <- "proportion"
  } else {
    ref <- reference_input(reference, environment(), env, c(cols$group, cols$unit))
    cells <- service_ratio_cells(data, cols, ref$reference, ref$value, unknown)
    type <- "ratio"
  }
  out <- funnel_result(cells, cols, groups, type, overdispersion)
  apply_suppression(out, suppress)
}

# People a funnel analysis leaves out, by reason.
service_left_out <- function(tl, by, outcome = FALSE) {
  people <- people_by_stratum(tl)
  s_unknown <- Reduce(`|`, tl$strata_unknown[by], rep(FALSE, ncol(people)))
  g_unknown <- tl$groups$unknown
  n <- c(
    sum(people[g_unknown, ]),
    sum(people[!g_unknown, s_unknown]),
    if (outcome) sum(tl$array[!g_unknown, 3, !s_unknown])
  )
  reasons <- c(
    sprintf("`%s` not known", tl$name),
    sprintf("`%s` not known", paste(by, collapse = "`, `")),
    if (outcome) "outcome not known"
  )
  new_tidy_frame(list(reason = reasons, n = n))
}

# Representation ratios by group (rows) and service (columns).
service_ratio_cells <- function(data, cols, reference, values, unknown) {
  tl <- tally(data, cols$group, split_columns(cols, "unit"), cols$weight, unknown = unknown)
  ref_mat <- align_reference(reference, tl, cols$group, cols$by, values, all_strata = FALSE)
  known_s <- !Reduce(`|`, tl$strata_unknown[cols$by])
  n_all <- matrix(tl$array, nrow = length(tl$groups$label))
  # every known group, those with nobody too: the rows do not depend on
  # the counts (a missing row would say "nobody" under suppression)
  rows <- which(!tl$groups$unknown)
  n <- n_all[rows, known_s, drop = FALSE]
  ref_mat <- ref_mat[rows, known_s, drop = FALSE]
  service_n <- matrix(colSums(n), nrow(n), ncol(n), byrow = TRUE)
  service_ref_n <- matrix(colSums(ref_mat), nrow(n), ncol(n), byrow = TRUE)
  expected <- service_n * ref_mat / service_ref_n
  list(
    tl = tl, rows = rows, strata = lapply(tl$strata, `[`, known_s), n = n,
    extra = list(service_n = service_n, ref_n = ref_mat, service_ref_n = service_ref_n),
    size = expected, estimate = n / expected, target = rep(1, nrow(n)),
    left_out = service_left_out(tl, cols$by)
  )
}

# Outcome proportions by group (rows) and service (columns).
service_outcome_cells <- function(data, cols, event, unknown) {
  tl <- outcome_tally(data, cols, split_columns(cols, "unit"), event, unknown)
  known_s <- !Reduce(`|`, tl$strata_unknown[cols$by])
  yes <- matrix(tl$array[, 2, known_s], nrow = length(tl$groups$label))
  total <- yes + matrix(tl$array[, 1, known_s], nrow = length(tl$groups$label))
  rows <- which(!tl$groups$unknown)
  yes <- yes[rows, , drop = FALSE]
  total <- total[rows, , drop = FALSE]
  list(
    tl = tl, rows = rows, strata = lapply(tl$strata, `[`, known_s), n = total,
    extra = list(events = yes),
    size = total, estimate = yes / total, target = rowSums(yes) / rowSums(total),
    left_out = service_left_out(tl, cols$by, outcome = TRUE)
  )
}
