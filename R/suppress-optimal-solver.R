# One linear or integer programme for the optimal suppression (the
# attacker's ranges, the separation of cuts, the master programme):
# integer ones by SYMPHONY (Rsymphony) when installed and chosen
# (model_solver(), disclosure-bounds.R), everything else by lpSolve, which
# the package always has.

# Counts above this are "no upper limit": both solvers are given it as
# the bound of a cell with none, and a value of half of it or more is read
# back as unbounded.
optimal_cap <- 1e9

# Minimise (or maximise) obj'x subject to the rows (triplets i, j, v),
# `dir` ("<=", ">=", "==") and `rhs`, and 0 <= x <= upper (Inf: no
# bound). Returns list(status = "optimal", "infeasible" or "failed",
# value, solution). Each runs to its end: no limit of time, so that the
# same programme has the same answer on every machine.
run_programme <- function(obj, rows, dir, rhs, upper = Inf, integer = FALSE,
                          max = FALSE, solver = model_solver()) {
  n <- length(obj)
  upper <- rep_len(as.double(upper), n)
  if (length(rhs) == 0) {
    # no row: 0 <= x_1 keeps both solvers' inputs well formed
    rows <- list(i = 1L, j = 1L, v = 1)
    dir <- ">="
    rhs <- 0
  }
  # SYMPHONY for integer programmes only: its linear solver (CLP) has
  # aborted the R process on a run of these small linear programmes
  # (an assertion in ClpNonLinearCost), which lpSolve solves as fast
  if (integer && solver == "symphony") {
    return(run_symphony(obj, rows, dir, rhs, upper, integer, max))
  }
  run_lpsolve(obj, rows, dir, rhs, upper, integer, max)
}

run_symphony <- function(obj, rows, dir, rhs, upper, integer, max) {
  n <- length(obj)
  mat <- structure(
    list(
      i = as.integer(rows$i), j = as.integer(rows$j), v = as.double(rows$v),
      nrow = length(rhs), ncol = n, dimnames = NULL
    ),
    class = "simple_triplet_matrix"
  )
  finite <- which(is.finite(upper))
  fit <- Rsymphony::Rsymphony_solve_LP(obj, mat, dir, rhs,
    bounds = list(upper = list(ind = finite, val = upper[finite])),
    types = if (integer) rep("I", n) else rep("C", n), max = max
  )
  status <- switch(names(fit$status),
    TM_OPTIMAL_SOLUTION_FOUND = ,
    PREP_OPTIMAL_SOLUTION_FOUND = "optimal",
    TM_NO_SOLUTION = ,
    PREP_NO_SOLUTION = "infeasible",
    "failed"
  )
  if (status != "optimal") {
    # SYMPHONY can stop without a solution to a feasible programme;
    # lpSolve settles it
    return(run_lpsolve(obj, rows, dir, rhs, upper, integer, max))
  }
  list(status = status, value = fit$objval, solution = fit$solution)
}

run_lpsolve <- function(obj, rows, dir, rhs, upper, integer, max) {
  finite <- which(is.finite(upper))
  n_rows <- length(rhs)
  dense <- cbind(
    c(rows$i, n_rows + seq_along(finite)), c(rows$j, finite),
    c(rows$v, rep(1, length(finite)))
  )
  dirs <- c(sub("==", "=", dir, fixed = TRUE), rep("<=", length(finite)))
  all_rhs <- c(rhs, upper[finite])
  solve <- function(dense, dirs, all_rhs) {
    lpSolve::lp(if (max) "max" else "min", obj,
      const.dir = dirs, const.rhs = all_rhs, dense.const = dense,
      all.int = integer
    )
  }
  fit <- solve(dense, dirs, all_rhs)
  if (fit$status == 2 && any(dirs == "=")) {
    # lpSolve can call a feasible programme infeasible; stated with each
    # equality as two inequalities it solves
    eq <- which(dirs == "=")
    again <- dense[dense[, 1] %in% eq, , drop = FALSE]
    again[, 1] <- length(all_rhs) + match(again[, 1], eq)
    fit <- solve(rbind(dense, again), c(replace(dirs, eq, "<="), rep(">=", length(eq))), c(all_rhs, all_rhs[eq]))
  }
  status <- switch(as.character(fit$status), "0" = "optimal", "2" = "infeasible", "failed")
  list(status = status, value = fit$objval, solution = fit$solution)
}
