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
