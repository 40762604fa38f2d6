# Bounds on the counts of a published table, as an attacker who knows the
# rule can work them out: quick outer bounds by interval propagation over
# the table's sums (the shuttle algorithm, src/disclosure.c), and exact
# bounds from integer programmes solved with lpSolve, over the connected
# part of the table that holds each cell. Used by disclosure_check() and by
# the secondary suppression of suppress-protect.R.

# Outer bounds: interval propagation along each sum (total = parts).
propagated_bounds <- function(k, sums) {
  res <- .Call(
    ea_interval_bounds, as.double(k$lo), as.double(k$hi), as.integer(sums$start),
    as.integer(sums$cells) - 1L, 1000L
  )
  list(lo = res[[1]], hi = res[[2]])
}



# Exact bounds of the cells in `targets` (logical); the others keep their
# propagated bounds. Bounds come from integer programmes over the connected
# part of the table that holds each target. Every solution found is a
# feasible table, so it shows values a cell can take: where one of them
# already reaches a cell's propagated (outer) bound, that bound is exact and
# no programme of its own is needed. Two programmes on the sum of all
# targets usually settle most of them.
#
# With `settled` (a function of the witnessed low and high values and the
# outer bounds, TRUE where they already decide the question asked), cells
# so decided keep their witnessed range instead of being solved exactly.
exact_bounds <- function(spec, k, targets, r, settled = NULL, pool = NULL) {
  b <- propagated_bounds(k, spec$sums)
  if (any(b$lo > b$hi)) {
    abort_internal("the published table is inconsistent with its own sums")
  }
  todo <- which(targets)
  if (length(todo) == 0) {
    return(b)
  }
  part <- connected_parts(spec$sums, length(spec$value))
  sum_part <- part[sum_total_cells(spec$sums)]
  for (p in unique(part[todo])) {
    cells <- which(part == p)
    if (length(cells) == 1) next # in no sum: known as the publication says
    model <- integer_model(part_sums(spec$sums, cells, sum_part == p), b$lo[cells], b$hi[cells])
    j <- match(intersect(todo, cells), cells)
    bounds <- part_bounds(model, j, b$lo[cells[j]], b$hi[cells[j]], settled,
      prior = pooled_tables(pool, cells, b),
      record = function(sol) pool_table(pool, cells, sol)
    )
    b$lo[cells[j]] <- bounds$lo
    b$hi[cells[j]] <- bounds$hi
    if (any(bounds$inner)) {
      if (is.null(b$inner)) b$inner <- rep(FALSE, length(b$lo))
      b$inner[cells[j]] <- bounds$inner
    }
  }
  b
}

# Exact bounds of the variables j of one part, given outer bounds lo, hi.
# Programmes on the sum of the unsettled variables first, while they
# settle some; then one programme per variable left.
part_bounds <- function(model, j, lo, hi, settled = NULL, prior = NULL,
                        record = function(sol) NULL) {
  seen <- list(min = rep(Inf, length(j)), max = rep(-Inf, length(j)))
  orbit <- interchangeable(model, j, lo, hi)
  witness <- function(sol, new = TRUE) {
    if (is.null(sol)) {
      return()
    }
    seen$min <<- pmin(seen$min, sol[j])
    seen$max <<- pmax(seen$max, sol[j])
    if (!is.null(orbit)) {
      seen$min <<- as.vector(tapply(seen$min, orbit, min))[orbit]
      seen$max <<- as.vector(tapply(seen$max, orbit, max))[orbit]
    }
    if (new) record(sol)
  }
  for (i in seq_len(NROW(prior))) witness(prior[i, ], new = FALSE)
  open <- function(direction) {
    if (direction == "min") which(seen$min > lo) else which(seen$max < hi & is.finite(hi))
  }
  for (direction in c("min", "max")) {
    left <- open(direction)
    while (length(left) > 0) {
      witness(solve_programme(model, j[left], direction)$solution)
      now <- open(direction)
      if (length(now) == length(left)) break
      left <- now
    }
  }
  undecided <- rep(TRUE, length(j))
  inner <- rep(FALSE, length(j))
  if (!is.null(settled)) {
    undecided <- !settled(seen$min, seen$max, lo, hi)
    inner <- !undecided & (seen$min > lo | seen$max < hi)
    lo[!undecided] <- seen$min[!undecided]
    hi[!undecided] <- seen$max[!undecided]
  }
  for (i in intersect(open("min"), which(undecided))) {
    sol <- solve_programme(model, j[[i]], "min")$solution
    record(sol)
    lo[[i]] <- sol[j[[i]]]
  }
  for (i in intersect(union(open("max"), which(!is.finite(hi))), which(undecided))) {
    sol <- solve_programme(model, j[[i]], "max")$solution
    if (!is.null(sol)) {
      record(sol)
      hi[[i]] <- sol[j[[i]]]
    } # else unbounded: stays Inf
  }
  list(lo = lo, hi = hi, inner = inner)
}

# Targets that can trade values: in the same sums with the same signs and
# between the same outer bounds, two such cells can swap their values in
# any solution, so a value one takes the other can take too (a thousand
# one-person groups under one total are settled by one programme, not a
# thousand). Returns an orbit number per target, or NULL when none share.
interchangeable <- function(model, j, lo, hi) {
  eq <- if (is.null(model$n_eq)) which(model$dir == "=") else seq_len(model$n_eq)
  d <- model$dense[model$dense[, 1] %in% eq & model$dense[, 2] %in% j, , drop = FALSE]
  d <- d[order(d[, 2], d[, 1], method = "radix"), , drop = FALSE]
  where <- vapply(split(paste(d[, 1], d[, 3], sep = ":"), factor(d[, 2], levels = j)), paste, "", collapse = ",")
  key <- paste(lo, hi, where, sep = "|")
  orbit <- match(key, key)
  if (!anyDuplicated(orbit)) {
    return(NULL)
  }
  as.integer(factor(orbit))
}

# Feasible tables found so far. Every solution satisfies the sums, which
# do not change while one table is suppressed; a later check whose bounds a
# solution also satisfies (such as a trial with fewer stars) can use it as
# a witness of the values cells can take, without solving again. The most
# recent 64 are kept.
solution_pool <- function(n) {
  pool <- new.env(parent = emptyenv())
  # each solution with the cells it covers (one part of the table), so that
  # keeping one costs its part's size, not the table's
  pool$entries <- list()
  pool
}

pool_table <- function(pool, cells, sol) {
  if (is.null(pool) || is.null(sol) || any(!is.finite(sol))) {
    return(invisible())
  }
  kept <- pool$entries[seq_len(min(63, length(pool$entries)))]
  pool$entries <- c(list(list(cells = cells, sol = sol)), kept)
  invisible()
}

# The pooled tables that cover `cells` and lie within bounds b there, most
# recent first.
pooled_tables <- function(pool, cells, b) {
  if (is.null(pool) || length(pool$entries) == 0) {
    return(NULL)
  }
  lo <- b$lo[cells]
  hi <- b$hi[cells]
  rows <- lapply(pool$entries, function(e) {
    m <- match(cells, e$cells)
    if (anyNA(m)) {
      return(NULL)
    }
    t <- e$sol[m]
    if (any(t < lo | t > hi)) NULL else t
  })
  rows <- Filter(Negate(is.null), rows)
  if (length(rows) == 0) {
    return(matrix(NA_real_, 0, length(cells)))
  }
  do.call(rbind, rows)
}



# The integer programme of one part: its sums (`sums`, cells numbered
# 1..n within the part) with each cell between its outer bounds lo, hi:
# x = lo + y with 0 <= y <= hi - lo, each sum an equality.
integer_model <- function(sums, lo, hi) {
  n <- length(lo)
  span <- hi - lo
  id <- sum_of_entry(sums)
  total <- entry_is_total(sums)
  coef <- ifelse(total, 1, -1)
  n_eq <- n_sums(sums)
  # each sum's right-hand side: the parts' lower bounds less the total's
  rhs <- as.vector(rowsum(-coef * lo[sums$cells], id, reorder = TRUE))
  capped <- which(is.finite(span))
  dense <- rbind(
    cbind(id, sums$cells, coef),
    cbind(n_eq + seq_along(capped), capped, rep(1, length(capped)))
  )
  model <- list(
    dense = unname(dense), n = n, lo = lo, unimodular = sums_unimodular(sums, n),
    dir = c(rep("=", n_eq), rep("<=", length(capped))),
    rhs = c(rhs, span[capped])
  )
  if (model_solver() == "symphony" && n_eq > 0) {
    return(symphony_model(model, n_eq))
  }
  # small parts as a plain matrix: lpSolve's sparse input costs more to set up
  if (as.double(length(model$rhs)) * model$n <= 40000) {
    model$mat <- matrix(0, length(model$rhs), model$n)
    model$mat[model$dense[, 1:2, drop = FALSE]] <- model$dense[, 3]
  }
  model
}

# Minimise or maximise the sum of variables j. Returns the solution (the
# values of all the part's cells), or NULL solution when unbounded.
solve_programme <- function(model, j, direction) {
  obj <- numeric(model$n)
  obj[j] <- 1
  fit <- lp_fit(model, obj, direction)
  if (model$unimodular && fit$status == 0 && any(abs(fit$solution - round(fit$solution)) > 1e-7)) {
    # (a vertex of a unimodular programme is integral: a solver that did
    # not return one solves the integer programme instead)
    model$unimodular <- FALSE
    fit <- lp_fit(model, obj, direction)
  }
  if (!fit$status %in% c(0, 3) && !is.null(model$stm)) {
    # SYMPHONY can stop without a solution to a feasible programme (the
    # published table is one solution); lpSolve solves it instead
    model$stm <- NULL
    fit <- lp_fit(model, obj, direction)
  }
  if (fit$status == 2) {
    # lpSolve can call a feasible programme infeasible; stated with each
    # equality as two inequalities it solves
    fit <- lp_fit(split_equalities(model), obj, direction)
  }
  if (fit$status == 3) {
    return(list(solution = NULL))
  }
  if (fit$status != 0) {
    abort_internal(sprintf("the disclosure solver failed (lpSolve status %d)", fit$status))
  }
  sol <- model$lo + round(fit$solution)
  sol[fit$solution >= 1e29] <- Inf # lpSolve's infinity
  list(solution = sol)
}

# The solver: SYMPHONY (Rsymphony), several times faster on these
# programmes, when it is installed; else lpSolve. Both solve the same
# integer programme exactly; options(equityaudit.solver = "lpSolve" or
# "symphony") chooses one.
lp_fit <- function(model, obj, direction) {
  if (!is.null(model$stm)) {
    return(symphony_fit(model, obj, direction))
  }
  if (is.null(model$mat)) {
    lpSolve::lp(direction, obj,
      const.dir = model$dir, const.rhs = model$rhs,
      dense.const = model$dense, all.int = !model$unimodular
    )
  } else {
    lpSolve::lp(direction, obj, model$mat, model$dir, model$rhs, all.int = !model$unimodular)
  }
}

model_solver <- function() {
  choice <- getOption("equityaudit.solver", "auto")
  have <- requireNamespace("Rsymphony", quietly = TRUE) && requireNamespace("slam", quietly = TRUE)
  if (identical(choice, "symphony") && !have) {
    abort_input("argument", "options(equityaudit.solver = \"symphony\") needs the Rsymphony and slam packages.",
      arg = "equityaudit.solver"
    )
  }
  if (identical(choice, "lpSolve") || !have) "lpSolve" else "symphony"
}

# The programme for SYMPHONY, built once per part: the sums as equalities
# (a sparse matrix, made directly: slam's constructor checks for
# duplicates, which costs more than the solve), the caps as bounds (a cell
# with no cap at 10^12, read back as unbounded).
symphony_model <- function(model, n_eq) {
  eq <- model$dense[, 1] <= n_eq
  d <- model$dense[eq, , drop = FALSE]
  caps <- model$dense[!eq, , drop = FALSE]
  model$stm <- structure(
    list(i = as.integer(d[, 1]), j = as.integer(d[, 2]), v = as.double(d[, 3]),
      nrow = as.integer(n_eq), ncol = as.integer(model$n), dimnames = NULL),
    class = "simple_triplet_matrix"
  )
  model$upper <- rep(1e12, model$n)
  model$upper[caps[, 2]] <- model$rhs[caps[, 1]]
  model$n_eq <- n_eq
  model
}

# Statuses as lpSolve's (0 solved, 2 infeasible, 3 unbounded).
symphony_fit <- function(model, obj, direction) {
  eq <- seq_len(model$n_eq)
  fit <- Rsymphony::Rsymphony_solve_LP(obj, model$stm, rep("==", model$n_eq), model$rhs[eq],
    bounds = list(upper = list(ind = seq_len(model$n), val = model$upper)),
    types = rep(if (model$unimodular) "C" else "I", model$n), max = direction == "max"
  )
  status <- switch(names(fit$status), TM_OPTIMAL_SOLUTION_FOUND = 0L, TM_NO_SOLUTION = 2L, 5L)
  solution <- fit$solution
  unbounded <- solution >= 1e11
  if (status == 0 && any(unbounded[obj != 0])) status <- 3L
  solution[unbounded] <- 1e30
  list(status = status, solution = solution, objval = fit$objval)
}

# The same programme with each equality a <= and a >= row.
split_equalities <- function(model) {
  eq <- which(model$dir == "=")
  n_rows <- length(model$rhs)
  again <- model$dense[model$dense[, 1] %in% eq, , drop = FALSE]
  again[, 1] <- n_rows + match(again[, 1], eq)
  out <- model
  out$dense <- rbind(model$dense, again)
  out$dir <- c(ifelse(model$dir == "=", "<=", model$dir), rep(">=", length(eq)))
  out$rhs <- c(model$rhs, model$rhs[eq])
  if (!is.null(model$mat)) out$mat <- rbind(model$mat, model$mat[eq, , drop = FALSE])
  out
}
