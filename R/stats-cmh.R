# The Cochran-Mantel-Haenszel test (src/cmh.c), entered in one place, with
# the Mantel-Haenszel odds ratio: used by cmh_test(), compare_outcomes()'s
# test across its strata and the adjusted analyses.

# The generalised CMH test of an array [group, outcome (or side), stratum].
# A group with nobody in any stratum adds no information, only a singular
# variance, and is left out. Returns list(statistic, df, p_value,
# strata_used), strata_used counting the strata that inform the test
# (people in at least two groups and both columns).
cmh_statistic <- function(a, correct = FALSE) {
  if (length(dim(a)) != 3) abort_internal("cmh_statistic() needs a 3-dimensional array")
  a <- a[row_totals(a) > 0, , , drop = FALSE]
  storage.mode(a) <- "double"
  used <- informative_strata(a)
  if (dim(a)[[1]] < 2 || dim(a)[[2]] < 2 || used == 0) {
    # fewer than two groups, or no stratum with both: nothing to test
    return(list(statistic = NA_real_, df = NA_real_, p_value = NA_real_, strata_used = used))
  }
  d <- dim(a)
  check_cmh_size(d, cmh_matrix_cells(a))
  res <- .Call(ea_cmh, a, d, correct)
  list(statistic = res[[1]], df = res[[2]], p_value = res[[3]], strata_used = used)
}

# The largest matrix the test may build (EA_CMH_MAX_CELLS of src/cmh.c).
cmh_max_cells <- 2^25

# A test whose matrix would exceed `limit` numbers is refused, saying why.
check_cmh_size <- function(d, cells, limit = cmh_max_cells) {
  if (cells <= limit) {
    return(invisible())
  }
  abort_input(
    "table",
    sprintf(
      paste0(
        "A Cochran-Mantel-Haenszel test of %s groups by %s outcome values in %s strata ",
        "needs a matrix of %s numbers (more than %s); group the values into fewer categories."
      ),
      format_count(d[[1]]), format_count(d[[2]]), format_count(d[[3]]),
      format(cells, big.mark = ",", scientific = FALSE), format_count(limit)
    ),
    arg = "data", cells = cells
  )
}

# The numbers of the matrix src/cmh.c builds for array `a` (groups with
# nobody already dropped): D x D for the covariance of the (I - 1)(J - 1)
# sums, or with two outcome columns and fewer strata than groups (the
# Woodbury path), one row and column per stratum with both outcomes.
cmh_matrix_cells <- function(a) {
  d <- dim(a)
  if (d[[2]] == 2 && d[[1]] > 2 && d[[3]] < d[[1]] - 1) {
    per <- matrix(a, ncol = d[[3]])
    i <- d[[1]]
    no <- colSums(per[seq_len(i), , drop = FALSE])
    yes <- colSums(per[i + seq_len(i), , drop = FALSE])
    kw <- sum(no + yes >= 2 & no > 0 & yes > 0)
    return(as.double(kw)^2)
  }
  (as.double(d[[1]] - 1) * (d[[2]] - 1))^2
}

# Strata of a [group, outcome, stratum] array that inform a CMH test: a
# stratum with one group, or one outcome, adds nothing to it.
informative_strata <- function(a) {
  if (length(a) == 0 || dim(a)[[3]] == 0) {
    return(0)
  }
  groups <- apply(a, 3, function(s) sum(rowSums(s) > 0))
  outcomes <- apply(a, 3, function(s) sum(colSums(s) > 0))
  sum(groups >= 2 & outcomes >= 2)
}

# Mantel-Haenszel common odds ratio of a 2 x 2 x K array [group, c(no
# event, event), stratum] with the Robins-Breslow-Greenland interval, as in
# mantelhaen.test(): the odds of the event in the second group over those
# in the first. NA unless there are two groups.
mh_odds_ratio <- function(a, conf_level) {
  if (dim(a)[[1]] != 2) {
    return(rep(NA_real_, 3))
  }
  x <- matrix(a, 4)
  n <- colSums(x)
  keep <- n > 1
  x <- x[, keep, drop = FALSE]
  n <- n[keep]
  x11 <- x[1, ]
  x21 <- x[2, ]
  x12 <- x[3, ]
  x22 <- x[4, ]
  s_diag <- sum(x11 * x22 / n)
  s_offd <- sum(x12 * x21 / n)
  est <- s_diag / s_offd
  sd <- sqrt(
    sum((x11 + x22) * x11 * x22 / n^2) / (2 * s_diag^2) +
      sum(((x11 + x22) * x12 * x21 + (x12 + x21) * x11 * x22) / n^2) /
        (2 * s_diag * s_offd) +
      sum((x12 + x21) * x12 * x21 / n^2) / (2 * s_offd^2)
  )
  z <- z_of(conf_level)
  c(est, est * exp(-z * sd), est * exp(z * sd))
}
