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
#' @param ref_group Group for `par` and `paf`; `NULL` for the largest group
#'   overall.
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
                                sims = 1000, suppress = NULL) {
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
    # one reference for every stratum: the largest group overall
    sizes <- rowsum(d$weight, d$label, reorder = FALSE)
    ref_group <- rownames(sizes)[which.max(sizes)]
    message(sprintf(
      paste0(
        "PAR and PAF are measured from %s, the largest group of `%s` overall ",
        "(choose another with `ref_group`)."
      ),
      format_values(ref_group), attr(x, "group")
    ))
  }
  options <- list(
    ordered = ordered, ref_group = ref_group, favourable = favourable,
    conf_level = conf_level, sims = sims, poisson = attr(d, "poisson")
  )
  out <- inequality_result(d, unit_columns(x), attr(x, "group"), options)
  apply_suppression(out, suppress)
}

# The measures of every stratum of the counts `d` (see inequality_inputs()).
inequality_result <- function(d, by, group, options) {
  key <- strata_key(d[by], nrow(d))
  pieces <- lapply(unique(key), function(s) {
    rows <- which(key == s)
    m <- stratum_measures(d[rows, ], options$ordered, options$ref_group, options$favourable,
      options$conf_level, options$sims)
    strata <- lapply(d[by], function(v) rep(v[rows[[1]]], nrow(m)))
    c(strata, as.list(m))
  })
  cols <- c(by, "measure", "value", "low", "high", "interval", "groups", "reference")
  out <- lapply(cols, function(cl) do.call(c, lapply(pieces, function(p) p[[cl]])))
  names(out) <- cols
  for (b in by) {
    if (is.factor(d[[b]])) out[[b]] <- factor(as.character(out[[b]]), levels = levels(d[[b]]))
    if (is.null(out[[b]])) out[[b]] <- d[[b]][0]
  }
  if (is.null(out$measure)) {
    out[c("measure", "value", "low", "high", "interval", "groups", "reference")] <- list(
      character(), numeric(), numeric(), numeric(), character(), numeric(), character()
    )
  }
  out <- append(out, list(label = measure_labels(out$measure)), after = match("measure", names(out)))
  new_result(out, "inequality", list(by = setdiff(by, "pooled"), group = group, options = options),
    list(counts = d))
}

# The measures in words.
measure_labels <- function(code) {
  words <- c(
    difference = "Difference (best minus worst)", ratio = "Ratio (best over worst)",
    par = "Population attributable risk", paf = "Population attributable fraction (%)",
    idis = "Index of disparity (%)", idis_weighted = "Weighted index of disparity (%)",
    bgv = "Between-group variance", theil = "Theil index", mld = "Mean log deviation",
    sii = "Slope index of inequality", rii = "Relative index of inequality",
    aci = "Absolute concentration index", rci = "Relative concentration index"
  )
  unname(words[code])
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

# Per group: label, events and total behind the indicator, its weight, and
# whether counts are Poisson (access rates).
inequality_inputs <- function(x) {
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  df <- df[!df$missing, , drop = FALSE]
  group <- attr(x, "group")
  if (inherits(x, "equityaudit_access")) {
    if (all(is.na(df$ref_n))) {
      abort_input(
        "argument",
        "Access rates need population counts; `x` was computed from proportions.",
        arg = "x"
      )
    }
    out <- data.frame(
      label = as.character(df[[group]]), events = df$n, total = df$ref_n,
      weight = df$ref_n, stringsAsFactors = FALSE
    )
    poisson <- TRUE
  } else {
    out <- data.frame(
      label = as.character(df[[group]]), events = df$events, total = df$n,
      weight = df$n, stringsAsFactors = FALSE
    )
    poisson <- FALSE
  }
  out <- cbind(df[unit_columns(x)], out)
  # a suppressed result: only the published counts are used
  out <- out[!is.na(out$events) & !is.na(out$total) & out$total > 0, , drop = FALSE]
  attr(out, "poisson") <- poisson
  out
}

# The measures of one set of rates y (percent) with population shares p;
# works on a matrix of simulated rates (one simulation per row).
measure_values <- function(y, p, ref, ordered, favourable) {
  y <- rbind(y)
  mu <- as.vector(y %*% p)
  r <- y / mu
  dev <- y - mu
  best <- y[, ref]
  plogp <- ifelse(r > 0, r * log(r), 0)
  out <- list(
    par = best - mu,
    paf = 100 * (best - mu) / mu,
    idis = 100 * rowMeans(abs(dev)) / mu,
    idis_weighted = 100 * as.vector(abs(dev) %*% p) / mu,
    bgv = as.vector(dev^2 %*% p),
    theil = as.vector(plogp %*% p),
    mld = ifelse(apply(y, 1, min) > 0, as.vector(-log(r) %*% p), NA_real_)
  )
  if (ordered) {
    ridit <- cumsum(p) - p / 2
    xc <- ridit - sum(p * ridit)
    slope <- as.vector(y %*% (p * xc)) / sum(p * xc^2)
    intercept <- mu - slope * sum(p * ridit)
    aci <- as.vector(y %*% (p * (2 * ridit - 1)))
    out <- c(out, list(
      sii = slope,
      rii = (intercept + slope) / intercept,
      aci = aci,
      rci = aci / mu
    ))
  }
  out
}

stratum_measures <- function(d, ordered, reference, favourable, conf_level, sims) {
  poisson <- attr(d, "poisson") %||% FALSE
  y <- 100 * d$events / d$total
  p <- d$weight / sum(d$weight)
  k <- length(y)
  # the reference group is fixed at the observed best one, also in the
  # simulations
  ref <- if (is.null(reference)) {
    if (favourable) which.max(y) else which.min(y)
  } else {
    match(reference, d$label)
  }
  ref_label <- d$label[ref]
  if (k < 2 || is.na(ref)) {
    names_m <- c(
      "difference", "ratio",
      names(measure_values(rep(1, 2), c(0.5, 0.5), 1L, ordered, TRUE))
    )
    return(data.frame(
      measure = names_m, value = NA_real_, low = NA_real_, high = NA_real_,
      interval = NA_character_, groups = k, reference = NA_character_,
      stringsAsFactors = FALSE
    ))
  }
  se <- if (poisson) 100 * sqrt(d$events) / d$total else sqrt(y * (100 - y) / d$total)
  hi <- which.max(y)
  lo <- which.min(y)
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  diff <- y[[hi]] - y[[lo]]
  diff_se <- sqrt(se[[hi]]^2 + se[[lo]]^2)
  ratio <- y[[hi]] / y[[lo]]
  log_se <- sqrt((se[[hi]] / y[[hi]])^2 + (se[[lo]] / y[[lo]])^2)
  point <- measure_values(y, p, ref, ordered, favourable)
  simulated <- .Call(
    ea_simulate_rates, as.double(d$events), as.double(d$total),
    as.integer(sims), poisson
  )
  sim <- measure_values(simulated, p, ref, ordered, favourable)
  probs <- c((1 - conf_level) / 2, 1 - (1 - conf_level) / 2)
  bounds <- vapply(sim, function(v) {
    if (all(is.na(v))) c(NA_real_, NA_real_) else unname(stats::quantile(v, probs, na.rm = TRUE))
  }, numeric(2))
  finite_ratio <- is.finite(ratio) && y[[lo]] > 0
  ratio_low <- if (finite_ratio) ratio * exp(-z * log_se) else NA_real_
  ratio_high <- if (finite_ratio) ratio * exp(z * log_se) else NA_real_
  data.frame(
    measure = c("difference", "ratio", names(point)),
    value = c(diff, if (finite_ratio) ratio else NA_real_, unlist(point)),
    low = c(diff - z * diff_se, ratio_low, bounds[1, ]),
    high = c(diff + z * diff_se, ratio_high, bounds[2, ]),
    interval = c("analytic", "analytic", rep("simulation", length(point))),
    groups = k, reference = ref_label, stringsAsFactors = FALSE
  )
}

# Simulated rates, exposed for the tests.
simulate_rates <- function(events, totals, sims, poisson = FALSE) {
  .Call(ea_simulate_rates, as.double(events), as.double(totals), as.integer(sims), poisson)
}
