# Summary measures of inequality across groups (the WHO Health Equity
# Assessment Toolkit's), with intervals.

#' Summary measures of inequality between groups
#'
#' Summarises, for every stratum of a [compare_outcomes()] or
#' [compare_access()] result, how unequal the groups are, with the measures
#' of the WHO Health Equity Assessment Toolkit (HEAT). For outcomes the
#' indicator `y` of each group is the percentage with the outcome and the
#' group's weight `p` its share of the people in the stratum; for access,
#' `y` is the access rate (service users per 100 eligible) and `p` the
#' group's share of the eligible population. `mu = sum(p * y)` is the
#' stratum's mean. Rows of unknown group are left out.
#'
#' Any dimension:
#' * `difference`: `max(y) - min(y)` (percentage points);
#' * `ratio`: `max(y) / min(y)` (`NA` when the lowest is 0);
#' * `par`: population attributable risk, `y_ref - mu`, where the reference
#'   group is the one the user names (`ref_group`) or, by default, the
#'   largest group overall (most people; for access, the largest eligible
#'   population), the same group in every stratum, kept fixed in the
#'   simulations and named in a message and in the result. Name the best
#'   group to follow the convention of HEAT;
#' * `paf`: population attributable fraction, `100 * par / mu`.
#'
#' Unordered dimensions (such as ethnicity):
#' * `idis`: index of disparity, `100 * mean(abs(y - mu)) / mu`;
#' * `idis_weighted`: `100 * sum(p * abs(y - mu)) / mu`;
#' * `bgv`: between-group variance, `sum(p * (y - mu)^2)`;
#' * `theil`: Theil index, `sum(p * r * log(r))` with ratio `r` equal to `y / mu`;
#' * `mld`: mean log deviation, `sum(p * -log(r))` (`NA` when a group's `y`
#'   is 0).
#'
#' Ordered dimensions (`ordered = TRUE`, groups in their level order, lowest
#' first, such as age bands or deprivation quintiles), with the ridit
#' `x` of each group the midpoint of its cumulative share:
#' * `sii`: slope index of inequality, the slope of the least-squares line
#'   of `y` on `x` weighted by `p`;
#' * `rii`: relative index of inequality, that line's value at `x = 1`
#'   divided by its value at `x = 0`;
#' * `aci`: absolute concentration index, `sum(p * (2 * x - 1) * y)`;
#' * `rci`: relative concentration index, `aci / mu`.
#'
#' Intervals: `difference` and `ratio` have analytic intervals (normal, and
#' normal on the log scale) from the binomial standard errors of the two
#' groups' percentages (Poisson for access rates). All other measures have
#' percentile intervals from `sims` parametric simulations: each group's
#' count is drawn again (binomial of its size and observed share, or
#' Poisson for access) with R's random number generator, in C, and the
#' measure recomputed; `set.seed()` makes them reproducible.
#'
#' @param x A result of [compare_outcomes()] or [compare_access()].
#' @param ordered Are the groups ordered (age bands, quintiles)? Adds the
#'   slope and concentration indices.
#' @param favourable Is a higher `y` better (as getting a job is)?
#' @inheritParams equityaudit-arguments
#' @return A data frame of class `equityaudit_inequality` with one row per
#'   stratum and measure: the stratum columns of `x`, `measure` (the code
#'   above), `label` (its name in words), `value`, `low`, `high`,
#'   `interval` (`"analytic"` or `"simulation"`), `groups` (how many groups)
#'   and `reference` (the group `par` and `paf` are measured from). The
#'   counts the measures come from are `tidy(m, "counts")`.
#' On a suppressed result ([suppress_counts()], or `suppress =`), the
#' measures and their intervals are computed from the published counts,
#' leaving out the groups whose counts are suppressed (`groups` says how
#' many were used), so that they reveal no hidden count.
#' @references World Health Organization (2017). Health Equity Assessment
#'   Toolkit (HEAT): technical notes. Geneva: WHO.
#' @export
#' @examples
#' table3 <- data.frame(
#'   service = rep(c("CNWL", "WWT"), each = 5),
#'   ethnicity = rep(c("White", "Asian", "Black", "Mixed", "Other"), 2),
#'   employed = c(47, 35, 23, 15, 21, 46, 37, 18, 5, 1),
#'   people = c(134, 77, 64, 38, 52, 144, 114, 63, 21, 7)
#' )
#' res <- compare_outcomes(table3, ethnicity,
#'   by = service, events = employed, total = people
#' )
#' set.seed(1)
#' inequality_measures(res, sims = 500)
inequality_measures <- function(x, ordered = FALSE, ref_group = NULL,
                                favourable = TRUE, conf_level = 0.95,
                                sims = 1000, suppress = "none", ...) {
  check_no_dots(..., fn = "inequality_measures")
  withhold_counts(suppress)
  ref_group <- check_label(ref_group, "ref_group")
  check_inequality_args(x, ordered, ref_group, favourable, conf_level)
  sims <- check_sims(sims)
  d <- inequality_inputs(x)
  if (!is.null(ref_group) && !(ref_group %in% d$label)) {
    abort_input(
      "argument",
      sprintf(
        "`ref_group` is %s, which is not a group of `%s` (%s).",
        format_values(ref_group), attr(x, "group"), format_values(unique(d$label))
      ),
      arg = "ref_group"
    )
  }
  if (is.null(ref_group) && nrow(d) > 0) {
    # one reference for every stratum: the largest group overall, by the
    # published counts when a rule is on (the true order is not published)
    sizes <- if (identical(suppress, "none") || inherits(x, "equityaudit_suppressed")) {
      rowsum(d$weight, d$label, reorder = FALSE)
    } else {
      published <- inequality_inputs(suppress_counts(x, suppress))
      rowsum(published$weight, published$label, reorder = FALSE)
    }
    if (length(sizes) > 0) {
      ref_group <- rownames(sizes)[which.max(sizes)]
      note(sprintf(
        paste0(
          "PAR and PAF are measured from %s, the largest group of `%s` overall ",
          "(choose another with `ref_group`)."
        ),
        format_values(ref_group), attr(x, "group")
      ), published = TRUE)
    }
  }
  options <- list(
    ordered = ordered, ref_group = ref_group, favourable = favourable,
    conf_level = conf_level, sims = sims, poisson = attr(d, "poisson")
  )
  out <- inequality_result(d, unit_columns(x), attr(x, "group"), options)
  # measures of a published table belong to its release
  if (inherits(x, "equityaudit_suppressed")) attr(out, "published_from") <- release_of(x)
  apply_suppression(out, suppress)
}

check_inequality_args <- function(x, ordered, ref_group, favourable, conf_level) {
  if (!inherits(x, c("equityaudit_outcomes", "equityaudit_access"))) {
    abort_input(
      "argument",
      "`x` must be a result of compare_outcomes() or compare_access().",
      arg = "x"
    )
  }
  check_flag(ordered, "ordered")
  check_flag(favourable, "favourable")
  check_conf_level(conf_level)
  check_label(ref_group, "ref_group")
}
