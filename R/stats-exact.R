# Exact conditional tests of 2 x k tables (src/exact-2xk.c) with their
# simulated fallback (src/monte-carlo.c), and the messages that say which
# were simulated or not attempted.

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
  # counts are passed to C as integers: beyond 2^31 people in a table the
  # chi-square p-value is the answer
  too_big <- colSums(matrix(totals, d[[1]])) > .Machine$integer.max
  if (all(too_big)) {
    return(list(p = p, se = se, method = rep("not_attempted", d[[3]])))
  }
  if (any(too_big)) {
    out <- exact_p_values(events[, , !too_big, drop = FALSE], totals[, , !too_big, drop = FALSE], budget, max_cells)
    p[!too_big] <- out$p
    se[!too_big] <- out$se
    method[!too_big] <- out$method
    method[too_big] <- "not_attempted"
    return(list(p = p, se = se, method = method))
  }
  p <- .Call(
    ea_exact_2xk, as.integer(events), as.integer(totals),
    as.integer(c(d[[1]], d[[3]])), as.double(budget)
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
    note(sprintf(
      paste0(
        "%d exact p-value%s too long to enumerate %s simulated (Monte-Carlo, ",
        "tables ordered by probability): `exact_method` is \"monte_carlo\" ",
        "and `exact_p_se` gives the standard error."
      ),
      n_mc, if (n_mc > 1) "s" else "", if (n_mc > 1) "were" else "was"
    ))
  }
  if (n_no > 0) {
    note(sprintf(
      paste0(
        "The exact test was not attempted for %d test%s, too large to ",
        "enumerate or simulate (`exact_method` \"not_attempted\"): use the ",
        "chi-square `p_value`."
      ),
      n_no, if (n_no > 1) "s" else ""
    ))
  }
}
