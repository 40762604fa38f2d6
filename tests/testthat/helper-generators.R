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
