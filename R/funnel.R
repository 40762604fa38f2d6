# Funnel-plot control limits (Spiegelhalter 2005), with the additive
# random-effects widening for overdispersion: the statistics behind
# compare_services() and its plots.

# Exact control limits at probability p (a vector of tail probabilities,
# e.g. 0.001, 0.025, 0.975, 0.999) around `target` for a unit of
# precision `size`, interpolated between the discrete quantiles as in
# Spiegelhalter (2005), Appendix A.1.1:
#   r = quantile, alpha = (F(r) - p) / (F(r) - F(r - 1)), limit = (r - alpha) / size.
# type "ratio": observed count ~ Poisson(size * target), size = expected.
# type "proportion": events ~ Binomial(size, target), size = people.
# Returns a matrix [length(size), length(p)] on the scale of the estimate
# (a ratio, or a proportion 0-1).
exact_limits <- function(size, target, p, type) {
  out <- matrix(NA_real_, length(size), length(p))
  target <- rep_len(target, length(size))
  ok <- is.finite(size) & size > 0 & is.finite(target)
  if (type == "proportion") ok <- ok & size == round(size)
  target <- target[ok]
  for (j in seq_along(p)) {
    if (type == "ratio") {
      lambda <- size[ok] * target
      r <- stats::qpois(p[[j]], lambda)
      alpha <- (stats::ppois(r, lambda) - p[[j]]) / stats::dpois(r, lambda)
      lim <- (r - alpha) / size[ok]
      out[ok, j] <- pmax(lim, 0)
    } else {
      n <- size[ok]
      r <- stats::qbinom(p[[j]], n, target)
      alpha <- (stats::pbinom(r, n, target) - p[[j]]) / stats::dbinom(r, n, target)
      out[ok, j] <- pmin(pmax((r - alpha) / n, 0), 1)
    }
  }
  out
}

# The variance-stabilised scale of FunnelPlotR: square root for ratios
# (O / E, with s = 1 / (2 sqrt(E))), arcsine square root for proportions
# (s = 1 / (2 sqrt(n))).
funnel_transform <- function(x, type) {
  if (type == "ratio") sqrt(x) else asin(sqrt(pmin(pmax(x, 0), 1)))
}

funnel_back <- function(y, type) {
  if (type == "ratio") {
    return(ifelse(y < 0, 0, y^2))
  }
  sin(pmin(pmax(y, 0), pi / 2))^2
}

# z-scores of the estimates on the transformed scale.
funnel_z <- function(estimate, size, target, type) {
  (funnel_transform(estimate, type) - funnel_transform(target, type)) * 2 * sqrt(size)
}

# Overdispersion of funnels (Spiegelhalter 2005, "Handling
# over-dispersion of performance indicators"): z-scores winsorised at the
# 10th and 90th percentiles, phi = mean(z^2), and the additive random-effects
# variance tau^2 = (I phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w)),
# w = 1 / s^2, set to 0 when phi <= (I - 1) / I. One funnel per row of
# the matrices z and size, all at once (no loop over groups), the quantiles
# computed as quantile()'s type 7 does. Returns list(phi, tau2, n), one
# value per row.
dispersion_rows <- function(z, size) {
  z <- unname(z)
  size <- unname(size)
  k <- nrow(z)
  ok <- is.finite(z) & is.finite(size) & size > 0
  i <- rowSums(ok)
  row <- row(z)[ok]
  zs <- z[ok][order(row, z[ok])]
  before <- c(0, cumsum(i))[seq_len(k)]
  quantile_rows <- function(p) {
    index <- 1 + pmax(i - 1, 0) * p
    lo <- floor(index)
    hi <- ceiling(index)
    q <- zs[before + lo]
    x_hi <- zs[before + hi]
    h <- index - lo
    mix <- index > lo & x_hi != q
    q[mix] <- (1 - h[mix]) * q[mix] + h[mix] * x_hi[mix]
    q
  }
  enough <- i >= 2
  q_low <- q_high <- rep(NA_real_, k)
  q_low[enough] <- quantile_rows(0.1)[enough]
  q_high[enough] <- quantile_rows(0.9)[enough]
  zw <- matrix(0, k, ncol(z))
  zw[ok] <- pmin(pmax(z[ok], q_low[row]), q_high[row])^2
  w <- matrix(0, k, ncol(z))
  w[ok] <- 4 * size[ok]
  phi <- ifelse(enough, rowSums(zw) / i, NA_real_)
  sw <- rowSums(w)
  tau2 <- ifelse(enough & i * phi > i - 1, (i * phi - (i - 1)) / (sw - rowSums(w^2) / sw), 0)
  list(phi = phi, tau2 = tau2, n = i)
}

# Limits widened by tau^2 on the transformed scale:
# back(target' +- z_p sqrt(s^2 + tau^2)).
random_effects_limits <- function(size, target, p, type, tau2) {
  s2 <- 1 / (4 * size)
  centre <- funnel_transform(target, type)
  out <- vapply(p, function(pp) {
    funnel_back(centre + stats::qnorm(pp) * sqrt(s2 + tau2), type)
  }, numeric(length(size)))
  matrix(out, length(size), length(p))
}

funnel_probs <- c(0.001, 0.025, 0.975, 0.999)

# Limits for one funnel: exact, or widened when tau2 > 0.
funnel_limits <- function(size, target, type, tau2 = 0) {
  if (tau2 > 0) {
    return(random_effects_limits(size, target, funnel_probs, type, tau2))
  }
  exact_limits(size, target, funnel_probs, type)
}

# Flag of each unit from its estimate and limits (columns as funnel_probs).
funnel_flag <- function(estimate, lim) {
  lv <- c("low (99.8%)", "low (95%)", "within", "high (95%)", "high (99.8%)")
  flag <- ifelse(estimate < lim[, 1], lv[[1]],
    ifelse(estimate < lim[, 2], lv[[2]],
      ifelse(estimate > lim[, 4], lv[[5]],
        ifelse(estimate > lim[, 3], lv[[4]], lv[[3]])
      )
    )
  )
  factor(flag, levels = lv)
}

# Funnel limits, z-scores and flags of k groups (rows) across services
# (columns) from the precision `size` and the estimate `est`, with each
# group's target. Returns list(columns: the result's columns from `target`
# on, funnels: per group the target, phi, tau2, whether widened and the
# services counted).
funnel_fit <- function(size, est, target, type, overdispersion) {
  k <- nrow(size)
  n_s <- ncol(size)
  # every group's funnel at once: target[i] recycles along row i
  z <- matrix(funnel_z(est, size, target, type), k, n_s)
  od <- dispersion_rows(z, size)
  tau2 <- if (overdispersion) od$tau2 else rep(0, k)
  lim <- matrix(NA_real_, k * n_s, 4)
  cells <- rep(is.finite(target), n_s)
  wide <- cells & rep(tau2 > 0, n_s)
  exact <- cells & !wide
  targets <- rep(target, n_s)
  if (any(exact)) lim[exact, ] <- exact_limits(size[exact], targets[exact], funnel_probs, type)
  if (any(wide)) {
    lim[wide, ] <- random_effects_limits(size[wide], targets[wide], funnel_probs, type, rep(tau2, n_s)[wide])
  }
  funnels <- list(
    target = target, phi = od$phi, tau2 = od$tau2,
    widened = overdispersion & od$tau2 > 0, services = as.double(od$n)
  )
  scale <- if (type == "ratio") 1 else 100
  lim_flat <- lim
  list(
    columns = list(
      target = scale * rep(target, n_s),
      lower_998 = scale * lim_flat[, 1], lower_95 = scale * lim_flat[, 2],
      upper_95 = scale * lim_flat[, 3], upper_998 = scale * lim_flat[, 4],
      z_score = as.vector(z), flag = funnel_flag(as.vector(est), lim_flat)
    ),
    funnels = list(
      target = scale * funnels$target, phi = funnels$phi, tau2 = funnels$tau2,
      widened = funnels$widened, services = funnels$services
    )
  )
}
