# Verdict on a ratio from its log-scale estimate and standard error: TOST
# against the ratio margins, and the conf_level interval against 1.
ratio_verdict <- function(ratio, log_se, conf_level, ratio_margin) {
  z <- z_of(conf_level)
  lr <- log(ratio)
  lower <- stats::pnorm((lr - log(ratio_margin[[1]])) / log_se, lower.tail = FALSE)
  upper <- stats::pnorm((lr - log(ratio_margin[[2]])) / log_se)
  eq_p <- pmax(lower, upper)
  z_eq <- stats::qnorm(1 - (1 - conf_level))
  verdict <- ifelse(lr - z * log_se > 0 | lr + z * log_se < 0, "different",
    ifelse(lr - z_eq * log_se > log(ratio_margin[[1]]) &
      lr + z_eq * log_se < log(ratio_margin[[2]]), "equivalent", "inconclusive")
  )
  ok <- is.finite(lr) & is.finite(log_se)
  list(p = ifelse(ok, eq_p, NA_real_), verdict = ifelse(ok, verdict, NA_character_))
}

# Each cell's percentage denominator: the known total of its stratum for
# the tested groups, the whole stratum for the others.
access_denominators <- function(m, tested) {
  ifelse(tested, 1, 0) %o% colSums(m[tested, , drop = FALSE]) +
    ifelse(tested, 0, 1) %o% colSums(m)
}

# The columns of a result after the counts n: shares, ratios with their
# intervals and verdicts, residuals and the test of each stratum (groups
# not `tested` take no part in it).
access_statistics <- function(n, ref, tested, denom_n, denom_ref, options, strata) {
  k <- nrow(n)
  ref_is_prop <- options$ref_is_prop
  method <- options$method
  test <- access_test(n[tested, , drop = FALSE], ref[tested, , drop = FALSE],
    method, ref_is_prop,
    strata = strata
  )
  # a share of the people whose group is known: the unknown group (when
  # not tested) has none; its share of everybody is in summary()
  pct <- 100 * n / denom_n
  ref_pct <- 100 * ref / denom_ref
  pct[!tested, ] <- NA
  ref_pct[!tested, ] <- NA
  katz <- katz_ratio(n, denom_n, ref, denom_ref, options$conf_level, b_known = ref_is_prop)
  # (a ratio of shares of the known: none for the unknown group)
  ratio <- katz$ratio
  ratio[!(ref > 0)] <- NA
  ratio[!tested, ] <- NA
  katz$low[!tested, ] <- NA
  katz$high[!tested, ] <- NA
  ok <- n > 0 & ref > 0
  eq <- ratio_verdict(ratio, katz$log_se, options$conf_level, options$ratio_margin)
  eq$p[!ok | !tested] <- NA
  eq$verdict[!ok | !tested] <- NA
  adj <- matrix(NA_real_, k, ncol(n))
  adj[tested, ] <- test$adj_residual
  per_stratum <- function(v) rep(v, each = k)
  list(
    pct = as.vector(pct),
    ref_n = if (ref_is_prop) NA_real_ else as.vector(ref),
    ref_pct = as.vector(ref_pct),
    # users per 100 eligible: none where nobody is eligible
    access_rate = if (ref_is_prop) NA_real_ else as.vector(ifelse(ref > 0, 100 * n / ref, NA)),
    representation_ratio = as.vector(ratio),
    ratio_low = as.vector(katz$low), ratio_high = as.vector(katz$high),
    equivalence_p_value = as.vector(eq$p), verdict = as.vector(eq$verdict),
    adj_residual = as.vector(adj),
    statistic = per_stratum(test$statistic), df = per_stratum(test$df),
    p_value = per_stratum(test$p_value), method = method,
    cramers_v = per_stratum(test$cramers_v)
  )
}

access_test <- function(n, ref, method, ref_is_prop, strata) {
  if (method == "homogeneity") {
    k <- nrow(n)
    arr <- array(0, c(2, k, ncol(n)))
    arr[1, , ] <- n
    arr[2, , ] <- ref
    res <- chisq_core(arr)
    s <- res$summary
    total <- colSums(n) + colSums(ref)
    v <- sqrt(s$statistic / (total * (pmin(2, s$cols_used) - 1)))
    adj <- matrix(res$stdres, nrow = 2)[1, ]
    # nobody in the service, or one group only: nothing to test
    untestable <- s$rows_used < 2 | s$cols_used < 2
    na <- function(v) replace(v, untestable, NA)
    return(list(
      statistic = na(s$statistic), df = na(s$df), p_value = na(s$p_value),
      cramers_v = na(v), adj_residual = matrix(adj, nrow = k)
    ))
  }
  probs <- sweep(ref, 2, colSums(ref), "/")
  impossible <- which(probs == 0 & n > 0, arr.ind = TRUE)
  if (nrow(impossible) > 0) {
    abort_input(
      "table",
      sprintf(
        paste0(
          "In %s, a group has people in the service but none in the ",
          "reference population, so the goodness-of-fit test is infinite."
        ),
        stratum_label(strata, impossible[1, 2])
      ),
      arg = "reference"
    )
  }
  res <- .Call(ea_chisq_gof, as.double(n), as.double(probs), dim(n))
  s <- res$summary
  list(
    statistic = s$statistic, df = s$df, p_value = s$p_value,
    cramers_v = sqrt(s$statistic / (s$n * pmax(s$df, 1))),
    adj_residual = matrix(res$stdres, nrow = nrow(n))
  )
}
