# The statistics of compare_outcomes(): per group and test unit, the test
# across the strata, and the summary of a result.

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

#' @export
summary.equityaudit_outcomes <- function(object, ...) {
  st <- stratum_rows(object)
  df <- st$df
  test_cols <- c(
    "statistic", "df", "p_value", "g_statistic", "exact_p_value",
    "exact_method", "exact_p_se", "min_expected", "cramers_v", "p_adjusted"
  )
  out <- df[st$first, c(st$by, test_cols), drop = FALSE]
  # tested people; on a suppressed result, those of the published groups
  in_test <- !df$missing & !is.na(df$n) & !is.na(df$events)
  out$n <- stratum_sums(st, ifelse(in_test, df$n, 0))
  out$events <- stratum_sums(st, ifelse(in_test, df$events, 0))
  out$pct <- percent_of(out$events, out$n)
  new_summary(out[c(st$by, "n", "events", "pct", test_cols)])
}

# The test units of an outcome tally: its strata, then (with `pooled` and
# `by` columns) the pooled strata. Returns list(array, strata, pooled,
# unknown), `unknown` marking strata whose `by` value is not known (left
# out of the test across the `by` levels).
outcome_units <- function(tl, by, pooled) {
  a <- tl$array
  n_s <- dim(a)[[3]]
  unknown_by <- Reduce(`|`, tl$strata_unknown[by], rep(FALSE, n_s))
  if (!pooled || length(by) == 0) {
    return(list(array = a, strata = tl$strata, pooled = rep(FALSE, n_s), unknown = unknown_by))
  }
  p <- append_pooled(a, tl$strata, by)
  n_p <- length(p$pooled) - n_s
  list(array = p$array, strata = p$strata, pooled = p$pooled, unknown = c(unknown_by, rep(FALSE, n_p)))
}

# The rows of the result: one per unit and group (the unknown group only
# where it has anybody).
outcome_result <- function(tl, cols, options) {
  units <- outcome_units(tl, options$by, options$pooled)
  g <- tl$groups
  a <- units$array
  keep <- !g$unknown | row_totals(a) > 0
  a <- a[keep, , , drop = FALSE]
  miss <- g$unknown[keep]
  k <- sum(keep)
  n_units <- dim(a)[[3]]
  no <- matrix(a[, 1, ], k)
  yes <- matrix(a[, 2, ], k)
  stats <- outcome_statistics(yes, no, !miss, options$exact, options$conf_level, options$p_adjust)
  if (options$exact == "auto" && stats$n_exact > 0) {
    note(sprintf(
      "Exact p-values computed for %d of %d tests with an expected count below 5.",
      stats$n_exact, n_units
    ))
  }
  if (stats$n_exact > 0) exact_messages(stats$methods)
  rows <- c(
    strata_frame_rep(units$strata, k),
    list(pooled = rep(units$pooled, each = k)),
    group_columns(g, keep, n_units, tl$name),
    list(
      missing = rep(miss, n_units),
      n = as.vector(no + yes), events = as.vector(yes)
    ),
    stats$columns
  )
  rows <- append(rows,
    list(n_outcome_missing = as.vector(matrix(a[, 3, ], k))),
    after = match("adj_residual", names(rows))
  )
  tables <- list()
  if (length(options$by) + length(options$strata) > 0) {
    base <- !units$pooled & !units$unknown
    tables$cmh <- outcome_cmh(a[, 1:2, base, drop = FALSE], lapply(units$strata, `[`, base), !miss, options)
  }
  new_result(rows, "outcomes", list(
    by = c(options$by, options$strata), group = tl$name, parts = tl$parts,
    unknown_label = tl$unknown_label, unknown = tl$unknown,
    event = tl$event, pooled_over = if (any(units$pooled)) options$by else character(),
    options = options
  ), tables)
}
