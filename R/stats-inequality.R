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

# The measures of one set of rates y (percent) with population shares p;
# works on a matrix of simulated rates (one simulation per row).
measure_values <- function(y, p, ref, ordered, favourable) {
  # one pass per quantity over the simulations x groups matrix: with many
  # groups it is large
  if (is.null(dim(y))) y <- matrix(y, nrow = 1)
  mu <- as.vector(y %*% p)
  r <- y / mu
  dev <- abs(y - mu)
  best <- y[, ref]
  log_r <- log(r)
  plogp <- r * log_r
  plogp[!is.na(r) & r <= 0] <- 0
  positive <- rowSums(y <= 0) == 0
  out <- list(
    par = best - mu,
    paf = 100 * (best - mu) / mu,
    idis = 100 * rowMeans(dev) / mu,
    idis_weighted = 100 * as.vector(dev %*% p) / mu,
    bgv = as.vector(dev^2 %*% p),
    theil = as.vector(plogp %*% p),
    mld = ifelse(positive, -as.vector(log_r %*% p), NA_real_)
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
  sim <- simulated_measures(d, sims, poisson, p, ref, ordered, favourable)
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

# The measures of `sims` simulated sets of rates, a block of simulations
# at a time so that the simulations x groups matrix stays small with many
# groups (the draws are made simulation by simulation, so the blocks give
# the same numbers as one matrix).
simulated_measures <- function(d, sims, poisson, p, ref, ordered, favourable) {
  block <- max(1L, as.integer(2e6 %/% max(1, nrow(d))))
  parts <- list()
  done <- 0L
  while (done < sims) {
    b <- min(block, sims - done)
    simulated <- .Call(
      ea_simulate_rates, as.double(d$events), as.double(d$total), as.integer(b), poisson
    )
    parts[[length(parts) + 1]] <- measure_values(simulated, p, ref, ordered, favourable)
    done <- done + b
  }
  do.call(Map, c(list(c), parts))
}
