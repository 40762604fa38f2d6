# Random inputs for the reference comparisons.

random_table <- function(nr, nc, lambda = stats::runif(1, 0.5, 30)) {
  repeat {
    x <- matrix(stats::rpois(nr * nc, lambda), nr, nc)
    if (all(rowSums(x) > 0) && all(colSums(x) > 0)) {
      return(x)
    }
  }
}

random_column <- function(n, type, k = 4) {
  lv <- c("White", "Asian", "Black", "Mixed", "Other", "Not known")[seq_len(k)]
  x <- sample(lv, n, replace = TRUE)
  x[stats::runif(n) < 0.1] <- NA
  switch(type,
    character = x,
    factor = factor(x, levels = rev(c(lv, "Unused"))),
    integer = match(x, lv) * 10L,
    logical = as.logical(match(x, lv) %% 2),
    stop("unknown type")
  )
}

# table() with NA counted, as a data frame comparable to tabulate_groups().
table_frame <- function(df, cols, weight = NULL) {
  args <- lapply(cols, function(cl) {
    v <- df[[cl]]
    if (!is.factor(v)) v <- factor(v, levels = sort(unique(v)))
    addNA(v, ifany = TRUE)
  })
  names(args) <- cols
  tab <- if (is.null(weight)) {
    do.call(table, args)
  } else {
    stats::xtabs(df[[weight]] ~ ., data = as.data.frame(args))
  }
  out <- as.data.frame(tab, stringsAsFactors = FALSE, responseName = "n")
  out[out$n > 0, , drop = FALSE]
}

# Loop sizes of the reference comparisons; EQUITYAUDIT_QUICK cuts them
# down for slow runs such as `make valgrind`.
reps <- function(n) {
  if (nzchar(Sys.getenv("EQUITYAUDIT_QUICK"))) max(2L, as.integer(n %/% 50)) else n
}

# equal to a reference implementation's value, to 1e-10 relative
expect_rel <- function(got, want, tol = 1e-10) {
  testthat::expect_equal(unname(got), unname(want), tolerance = tol)
}

# The Newcombe TOST p-value as R/stats-intervals.R defined it before it
# moved to compiled code: every pair's halving at once, in R.
tost_newcombe_reference <- function(e1, n1, e2, n2, margin) {
  d <- e1 / n1 - e2 / n2
  limits <- function(z) equityaudit:::difference_limits(e1, n1, e2, n2, z, "newcombe")
  # one-sided p-value against delta beyond `bound`: find z where the limit
  # on the side of the bound reaches it (limits widen with z)
  one_sided <- function(bound) {
    towards <- sign(bound - d) # the limit moving towards the bound
    up <- which(towards > 0)
    lo <- rep(0, length(d))
    hi <- rep(40, length(d))
    # 52 halvings of [0, 40] reach the spacing of doubles near z
    for (i in 1:52) {
      mid <- (lo + hi) / 2
      lim <- limits(mid)
      at <- lim$low
      at[up] <- lim$high[up]
      reached <- towards * (at - bound) >= 0
      reached[is.na(reached)] <- FALSE # a group with nobody: NA either way
      hi[reached] <- mid[reached]
      lo[!reached] <- mid[!reached]
    }
    z <- (lo + hi) / 2
    # inside the margin: H0 is rejected at the level where the inner limit
    # reaches the margin; outside it, at one minus that
    inside <- sign(bound) * (bound - d) > 0
    out <- ifelse(inside, stats::pnorm(z, lower.tail = FALSE), stats::pnorm(z))
    ifelse(d == bound, 0.5, out)
  }
  pmax(one_sided(-margin), one_sided(margin))
}

# The reference for detectable differences: the power of the 1-df test
# from the expected 2 x 2 table and R's noncentral chi-square.
power_2x2 <- function(n1, p1, n0, p0, crit) {
  x <- matrix(c(n1 * p1, n1 * (1 - p1), n0 * p0, n0 * (1 - p0)), 2, byrow = TRUE)
  e <- outer(rowSums(x), colSums(x)) / sum(x)
  ncp <- sum((x - e)^2 / e)
  stats::pchisq(crit, 1, ncp = ncp, lower.tail = FALSE)
}

