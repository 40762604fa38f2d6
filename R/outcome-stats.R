# The statistics of compare_outcomes(): per group and test unit, the exact
# tests and their fallback, the pooled units and the CMH test attached to a
# result, and its summary().

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

# Exact p-values of 2 x k tables [k, 1, units]. Where the enumeration
# would take more than `budget` steps (about 0.1 microsecond each; tables
# estimated to need far more are not attempted), the Freeman-Halton p-value
# is simulated instead: tables drawn with the observed margins, those no
# more probable than the observed one counted (fisher.test()'s tolerance),
# with its Monte-Carlo standard error; up to 2.5e5 tables, fewer for large
# tables. Where even 10^4 tables would be long (more than `max_cells` cells
# drawn) there is no exact p-value. Returns list(p,
# se, method), method "exact", "monte_carlo" or "not_attempted".
exact_p_values <- function(events, totals, budget = 1e7, max_cells = 1e8) {
  d <- dim(events)
  p <- rep(NA_real_, d[[3]])
  se <- rep(NA_real_, d[[3]])
  method <- rep(NA_character_, d[[3]])
  if (max(totals) > .Machine$integer.max) {
    return(list(p = p, se = se, method = rep("not_attempted", d[[3]])))
  }
  p <- .Call(
    ea_exact_2xk, as.integer(events), as.integer(totals),
    c(d[[1]], d[[3]]), as.double(budget)
  )
  # beyond a few million people the enumeration's tables outgrow memory
  p[colSums(matrix(totals, d[[1]])) > 5e6] <- NA
  method[!is.na(p)] <- "exact"
  for (u in which(is.na(p))) {
    x <- cbind(events[, 1, u], totals[, 1, u] - events[, 1, u])
    x <- x[rowSums(x) > 0, , drop = FALSE]
    if (nrow(x) < 2 || any(colSums(x) == 0)) next
    draws <- min(2.5e5, max(1e4, max_cells / 25 / length(x)))
    if (draws * length(x) > max_cells) {
      method[[u]] <- "not_attempted"
      next
    }
    storage.mode(x) <- "integer"
    p[[u]] <- .Call(ea_monte_carlo, x, dim(x), draws, TRUE)
    se[[u]] <- sqrt(p[[u]] * (1 - p[[u]]) / draws)
    method[[u]] <- "monte_carlo"
  }
  list(p = p, se = se, method = method)
}

# Says which exact p-values were simulated, and which were not attempted.
exact_messages <- function(method) {
  n_mc <- sum(method %in% "monte_carlo")
  n_no <- sum(method %in% "not_attempted")
  if (n_mc > 0) {
    message(sprintf(
      paste0(
        "%d exact p-value%s too long to enumerate %s simulated (Monte-Carlo, ",
        "tables ordered by probability): `exact_method` is \"monte_carlo\" ",
        "and `exact_p_se` gives the standard error."
      ),
      n_mc, if (n_mc > 1) "s" else "", if (n_mc > 1) "were" else "was"
    ))
  }
  if (n_no > 0) {
    message(sprintf(
      paste0(
        "The exact test was not attempted for %d test%s, too large to ",
        "enumerate or simulate (`exact_method` \"not_attempted\"): use the ",
        "chi-square `p_value`."
      ),
      n_no, if (n_no > 1) "s" else ""
    ))
  }
}

# The test units: every by x strata combination present, plus the pooled
# ones (by columns "Total") for each strata combination.
outcome_units <- function(a, strata, by, strata_cols, pooled) {
  n_by <- length(by)
  units <- list(array = a, strata = strata, base = a, base_strata = strata)
  if (!pooled || n_by == 0) {
    return(units)
  }
  key <- strata_key(strata[strata_cols], dim(a)[[3]])
  groups <- unique(key)
  pooled_arr <- array(0, c(dim(a)[1:2], length(groups)))
  for (g in seq_along(groups)) {
    pooled_arr[, , g] <- apply(a[, , key == groups[[g]], drop = FALSE], 1:2, sum)
  }
  first <- match(groups, key)
  total_strata <- lapply(names(strata), function(nm) {
    v <- strata[[nm]]
    if (nm %in% by) {
      return(if (is.factor(v)) {
        factor(c(as.character(v), rep("Total", length(groups))),
          levels = c(levels(v), "Total")
        )
      } else {
        c(as.character(v), rep("Total", length(groups)))
      })
    }
    if (is.factor(v)) {
      return(factor(c(as.character(v), as.character(v[first])), levels = levels(v)))
    }
    c(v, v[first])
  })
  names(total_strata) <- names(strata)
  combined <- array(0, c(dim(a)[1:2], dim(a)[[3]] + length(groups)))
  combined[, , seq_len(dim(a)[[3]])] <- a
  combined[, , dim(a)[[3]] + seq_along(groups)] <- pooled_arr
  units$array <- combined
  units$strata <- total_strata
  units
}

# CMH test of group x outcome across the by levels, within each strata
# level (or across the strata levels when there is no by).
outcome_cmh <- function(units, tested, cols) {
  a <- units$base[tested, 1:2, , drop = FALSE]
  st <- units$base_strata
  within <- if (length(cols$by) > 0) cols$strata else character()
  key <- strata_key(st[within], dim(a)[[3]])
  groups <- unique(key)
  res <- lapply(groups, function(g) {
    # a group with nobody in these strata adds no information, only a
    # singular variance (as in cmh_test())
    sub <- a[, , key == g, drop = FALSE]
    sub <- sub[apply(sub, 1, sum) > 0, , , drop = FALSE]
    .Call(ea_cmh, sub, dim(sub), FALSE)
  })
  first <- match(groups, key)
  out <- lapply(st[within], function(v) v[first])
  out$statistic <- vapply(res, `[[`, 0, 1)
  out$df <- vapply(res, `[[`, 0, 2)
  out$p_value <- vapply(res, `[[`, 0, 3)
  out$strata_used <- vapply(groups, function(g) {
    informative_strata(a[, , key == g, drop = FALSE])
  }, 0, USE.NAMES = FALSE)
  out$across <- rep(
    paste(if (length(cols$by) > 0) cols$by else cols$strata, collapse = ", "),
    length(groups)
  )
  new_tidy_frame(out)
}

#' @export
summary.equityaudit_outcomes <- function(object, ...) {
  by <- attr(object, "by")
  df <- as.data.frame(unclass(object), stringsAsFactors = FALSE, optional = TRUE)
  key <- strata_key(df[by], nrow(df))
  first <- !duplicated(key)
  tested <- !df$missing
  test_cols <- c(
    "statistic", "df", "p_value", "g_statistic", "exact_p_value",
    "exact_method", "exact_p_se", "min_expected", "cramers_v", "p_adjusted"
  )
  out <- df[first, c(by, test_cols), drop = FALSE]
  # tested people; on a suppressed result, those of the published groups
  in_test <- tested & !is.na(df$n) & !is.na(df$events)
  out$n <- as.vector(rowsum(ifelse(in_test, df$n, 0), key, reorder = FALSE))
  out$events <- as.vector(rowsum(ifelse(in_test, df$events, 0), key, reorder = FALSE))
  out$pct <- 100 * out$events / out$n
  out <- out[c(by, "n", "events", "pct", test_cols)]
  rownames(out) <- NULL
  class(out) <- c("equityaudit_summary", "data.frame")
  out
}
