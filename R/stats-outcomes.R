# The statistics of every group and test unit from the counts with
# (`yes`) and without (`no`) the outcome, groups x units; the groups not
# `tested` (unknown) get intervals but take no part in the tests. Returns
# the result's columns after the counts, and how many exact tests ran.
outcome_statistics <- function(yes, no, tested, exact, conf_level, p_adjust) {
  k <- nrow(yes)
  n_units <- ncol(yes)
  tab <- array(0, c(sum(tested), 2, n_units))
  tab[, 1, ] <- yes[tested, ]
  tab[, 2, ] <- no[tested, ]
  res <- chisq_core(tab)
  s <- res$summary
  untestable <- s$rows_used < 2 | s$cols_used < 2
  exact_p <- rep(NA_real_, n_units)
  exact_method <- rep(NA_character_, n_units)
  exact_se <- rep(NA_real_, n_units)
  want <- switch(exact,
    always = !untestable,
    auto = !untestable & s$min_expected < 5,
    never = rep(FALSE, n_units)
  )
  if (any(want)) {
    ex <- exact_p_values(
      tab[, 1, want, drop = FALSE],
      tab[, 1, want, drop = FALSE] + tab[, 2, want, drop = FALSE]
    )
    exact_p[want] <- ex$p
    exact_se[want] <- ex$se
    exact_method[want] <- ex$method
  }
  adj <- matrix(NA_real_, k, n_units)
  adj[tested, ] <- array(res$stdres, dim(tab))[, 1, ]
  adj[is.nan(adj)] <- NA
  n <- no + yes
  wil <- wilson_interval(yes, n, conf_level)
  p_adj <- stats::p.adjust(s$p_value, method = p_adjust)
  per_unit <- function(v) rep(v, each = k)
  list(n_exact = sum(want), methods = exact_method[want], columns = list(
    pct = as.vector(100 * yes / n),
    pct_low = as.vector(wil$low), pct_high = as.vector(wil$high),
    adj_residual = as.vector(adj),
    statistic = per_unit(s$statistic), df = per_unit(s$df),
    p_value = per_unit(s$p_value),
    g_statistic = per_unit(s$g_statistic),
    exact_p_value = per_unit(exact_p),
    exact_method = per_unit(exact_method),
    exact_p_se = per_unit(exact_se),
    min_expected = per_unit(s$min_expected),
    cramers_v = per_unit(sqrt(s$statistic / s$n)),
    p_adjusted = per_unit(p_adj)
  ))
}

# CMH tests of group by outcome across the `by` levels, within each level
# of the `strata` columns (or across the strata when there is no `by`), of
# an array [group, c(no event, event), stratum] whose strata are described
# by `strata` (neither pooled nor of unknown `by` value). Groups not
# `tested` (the unknown group) take no part.
outcome_cmh <- function(a, strata, tested, options) {
  a <- a[tested, , , drop = FALSE]
  within <- if (length(options$by) > 0) options$strata else character()
  key <- strata_key(strata[within], dim(a)[[3]])
  groups <- unique(key)
  res <- lapply(groups, function(g) cmh_statistic(a[, , key == g, drop = FALSE]))
  first <- match(groups, key)
  out <- lapply(strata[within], function(v) v[first])
  for (col in c("statistic", "df", "p_value", "strata_used")) {
    out[[col]] <- vapply(res, `[[`, 0, col)
  }
  out$across <- rep(
    paste(if (length(options$by) > 0) options$by else options$strata, collapse = ", "),
    length(groups)
  )
  new_tidy_frame(out)
}
