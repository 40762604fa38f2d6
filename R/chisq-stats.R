# The chi-square statistics of chisq_strata() (src/chisq.c) and their
# Monte-Carlo p-values (src/monte-carlo.c), and its result.

# The C core on a 3-d array [row, col, stratum] with no NA levels.
chisq_core <- function(arr, correct = FALSE) {
  d <- dim(arr)
  if (!is.double(arr)) arr <- as.double(arr)
  .Call(ea_chisq, arr, as.integer(d), correct, thread_count())
}

# Adds the Monte-Carlo p-value of every stratum of arr.
add_monte_carlo <- function(out, arr, sims) {
  if (length(arr) > 0 && max(colSums(matrix(arr, ncol = dim(arr)[[3]]))) > .Machine$integer.max) {
    abort_input("argument", "`simulate = TRUE` needs tables of fewer than 2^31 people.",
      arg = "simulate"
    )
  }
  n_strata <- dim(arr)[[3]]
  progress <- show_progress(sims * length(arr))
  chunks <- if (progress) 20 else 1
  if (progress) {
    bar <- utils::txtProgressBar(max = n_strata * chunks, style = 3)
    on.exit(close(bar))
  }
  out$mc_p_value <- vapply(seq_len(n_strata), function(s) {
    x <- arr[, , s]
    x <- x[rowSums(x) > 0, colSums(x) > 0, drop = FALSE]
    storage.mode(x) <- "integer"
    monte_carlo_p(x, sims, chunks, function(k) {
      if (progress) utils::setTxtProgressBar(bar, (s - 1) * chunks + k)
    })
  }, 0)
  out
}

# Long work shows a progress bar in interactive sessions (unless the
# option equityaudit.progress is FALSE).
show_progress <- function(work, interactive = base::interactive()) {
  interactive && work >= 1e8 && !isFALSE(getOption("equityaudit.progress"))
}

# The Monte-Carlo p-value from `sims` tables drawn in `chunks` calls (the
# draws, and so the p-value, are those of a single call), calling tick(k)
# after chunk k.
monte_carlo_p <- function(x, sims, chunks, tick) {
  if (chunks <= 1) {
    return(.Call(ea_monte_carlo, x, dim(x), as.double(sims), FALSE))
  }
  sizes <- diff(round(seq(0, sims, length.out = chunks + 1)))
  hits <- 0
  for (k in seq_along(sizes)) {
    if (sizes[[k]] > 0) {
      p <- .Call(ea_monte_carlo, x, dim(x), as.double(sizes[[k]]), FALSE)
      hits <- hits + round(p * (sizes[[k]] + 1) - 1)
    }
    tick(k)
  }
  (1 + hits) / (sims + 1)
}

# Runs the core on arr and assembles the tidy result.
chisq_frame <- function(arr, strata, n_missing, labels, correct) {
  res <- chisq_core(arr, correct)
  s <- res$summary
  bad <- which(s$rows_used < 2 | s$cols_used < 2)
  if (length(bad) > 0) {
    abort_input(
      "table",
      sprintf(
        paste0(
          "In %s, fewer than two rows or columns of the table of %s have ",
          "anybody (%s people in %s row(s) and %s column(s)); a chi-square ",
          "test needs at least two of each.%s"
        ),
        stratum_label(strata, bad[[1]]),
        if (is.null(labels)) "`data`" else paste0("`", names(labels), "`", collapse = " by "),
        format(s$n[[bad[[1]]]]),
        s$rows_used[[bad[[1]]]], s$cols_used[[bad[[1]]]],
        if (length(bad) > 1) sprintf(" %d strata are affected.", length(bad)) else ""
      ),
      arg = "data", strata = bad
    )
  }
  out <- c(strata, list(
    statistic = s$statistic, df = s$df, p_value = s$p_value,
    g_statistic = s$g_statistic, g_p_value = s$g_p_value,
    min_expected = s$min_expected,
    n_expected_below_5 = as.integer(s$n_expected_below_5),
    n = s$n, n_missing = as.double(n_missing),
    rows_used = as.integer(s$rows_used), cols_used = as.integer(s$cols_used)
  ))
  new_result(out, "chisq", list(by = names(strata), options = list(correct = correct, vars = names(labels))),
    list(cells = chisq_cells(arr, res, strata, labels))
  )
}

chisq_cells <- function(arr, res, strata, labels) {
  d <- dim(arr)
  if (is.null(labels)) {
    labels <- list(row = seq_len(d[[1]]), col = seq_len(d[[2]]))
  }
  per <- d[[1]] * d[[2]]
  cells <- strata_frame_rep(strata, per)
  cells[[names(labels)[[1]]]] <- rep(labels[[1]], times = d[[2]] * d[[3]])
  cells[[names(labels)[[2]]]] <- rep(rep(labels[[2]], each = d[[1]]), d[[3]])
  cells$observed <- as.double(arr)
  cells$expected <- res$expected
  cells$residual <- res$residuals
  cells$std_residual <- res$stdres
  new_tidy_frame(cells)
}
