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
    x <- matrix(arr[, , s], dim(arr)[[1]])
    x <- x[rowSums(x) > 0, colSums(x) > 0, drop = FALSE]
    # a stratum with no test has no simulated p-value either
    if (nrow(x) < 2 || ncol(x) < 2) {
      return(NA_real_)
    }
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
  # a stratum with fewer than two rows or columns with anybody has no test
  # (as compare_outcomes() gives it none), and a note says so
  untested <- s$rows_used < 2 | s$cols_used < 2
  if (any(untested)) {
    first <- which(untested)[[1]]
    where <- if (length(strata) == 0) {
      "In the table"
    } else if (sum(untested) == 1) {
      paste("In", stratum_label(strata, first))
    } else {
      sprintf("In %d strata", sum(untested))
    }
    note(paste0(
      where, ", fewer than two rows or columns have anybody: no chi-square test ",
      "(it needs at least two of each)."
    ), published = TRUE)
    for (col in c("statistic", "df", "p_value", "g_statistic", "g_p_value")) s[[col]][untested] <- NA
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
