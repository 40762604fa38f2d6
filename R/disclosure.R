# What an attacker can work out from a suppressed table: the bounds behind
# disclosure_check() and the secondary suppression of suppress-protect.R.
#
# The attacker reads every published count and knows the rule: a published
# count v is a true count that rounds to v and that the rule would not have
# hidden (under the NHS Digital rule a published 0 is a true 0, and any
# other published count is at least 8); a starred count is one the rule hid
# or one hidden to protect another (which may be a zero); a hidden count (such as the people without the outcome, n -
# events) is any count. Every other number of a suppressed result is
# computed from the published counts (see suppress_counts()), so it tells
# the attacker nothing more. The sums that tie the counts together come
# from the result's spec (R/suppress-spec.R). Exact bounds on a count are
# the minimum and maximum of an integer programme over those sums and
# ranges, solved with lpSolve; interval propagation over the sums (the
# shuttle algorithm, src/disclosure.c) gives quick outer bounds.

#' Check that no suppressed count can be recovered
#'
#' For a table returned by [suppress_counts()], works out, from the
#' published figures only, the range of values that each suppressed count
#' (and each count that is not shown but follows from shown ones, such as
#' the people without the outcome) can take. The attacker modelled knows
#' the rule and reads every published number: a published count is any
#' count that rounds to it and that the rule would not have suppressed
#' (under the NHS Digital rule a published 0 is exactly 0 and any other
#' published count is at least 8), a starred count is any count the rule
#' could have starred, and the counts are tied by every sum the table
#' publishes (stratum people, row and column totals, the `"Total"` stratum,
#' the percentages' denominators, `n = events + (n - events)`). Every other
#' number of a suppressed result (percentages, intervals, tests, ratios,
#' verdicts) is computed from the published counts, so it adds nothing.
#' The range of each cell is exact: the smallest and largest whole number
#' the cell can take, from an integer programme solved with the lpSolve
#' package.
#'
#' A cell is `disclosed` when it could be one of the counts the rule
#' protects (its range reaches into 1 to 7 for the NHS Digital rule, 0 to 7
#' for OpenSAFELY) and its range is narrower than that protected range
#' (`high - low` below 6, or 7 for OpenSAFELY): a reader would then know
#' more about it than the rule itself reveals about a starred count.
#'
#' Exact ranges take one or two integer programmes per cell, over the part
#' of the table linked to it by sums; for tables of thousands of rows with
#' a pooled stratum that can take minutes. `bounds = "verdict"` computes
#' the exact range only where the verdict needs it: a cell that two
#' feasible tables already show to be wide enough gets that range
#' (`exact_range` `FALSE`; its exact range is at least as wide), and the
#' verdicts are the same.
#'
#' @param x A result of [suppress_counts()] (or of a function called with
#'   `suppress =`), or a list of tables suppressed together by
#'   `suppress_counts()`, checked together (the result then has a `table`
#'   column and no group columns).
#' @param bounds `"exact"` (the default) for the exact range of every
#'   cell, `"verdict"` to settle each verdict with as little work as it
#'   needs.
#' @return A data frame with one row per suppressed cell, and per hidden
#'   cell that could be small: `part` (`"main"` for the rows of `x`, or the
#'   table of `x` the cell is in, such as `"counts"`), `row` (its row there,
#'   `NA` for an implicit total), the `by` and group columns of that row, `column` (which
#'   count), `kind` (`"shown"`, `"total"` or `"hidden"`), `low` and `high`
#'   (the smallest and largest value consistent with the publication;
#'   `Inf` when there is no upper limit), `exact_range` (whether `low` and
#'   `high` are the exact limits) and `disclosed`. Attribute `"protected"`
#'   is `TRUE` when no cell is disclosed.
#' @seealso [suppress_counts()].
#' @export
#' @examples
#' outcomes <- data.frame(
#'   group = c("A", "B", "C"), events = c(12, 3, 30), people = c(40, 9, 61)
#' )
#' res <- compare_outcomes(outcomes, group,
#'   events = events, total = people, suppress = "nhs_digital"
#' )
#' disclosure_check(res)
disclosure_check <- function(x, bounds = c("exact", "verdict")) {
  exact <- match_arg(bounds, c("exact", "verdict"), "bounds") == "exact"
  if (is.list(x) && !is.data.frame(x)) {
    return(disclosure_check_together(x, exact))
  }
  if (!inherits(x, "equityaudit_suppressed")) {
    abort_input(
      "argument",
      "`x` must be a result of `suppress_counts()` (or of a call with `suppress =`).",
      arg = "x"
    )
  }
  s <- attr(x, "suppression")
  if (isTRUE(s$subset)) {
    abort_input(
      "argument",
      "`x` is part of a suppressed table; check the whole table.",
      arg = "x"
    )
  }
  spec <- count_spec(x, totals = s$totals)
  out <- check_frame(x, spec, cell_check(spec, s, exact))
  attr(out, "protected") <- !any(out$disclosed)
  out
}

# The cells a reader must not narrow down, with their bounds: every
# starred count, and every hidden one that could be small.
cell_check <- function(spec, s, exact) {
  starred <- is.na(spec$value) & spec$kind != "hidden"
  hidden <- spec$kind == "hidden"
  k <- knowledge_bounds(spec$value, starred, hidden, s)
  # a hidden cell whose outer bounds cannot reach a small count is safe
  outer <- propagated_bounds(k, sums_csr(spec$cons))
  b <- exact_bounds(spec, k, starred | (hidden & could_be_small(outer, s)), s,
    settled = if (!exact) wide_enough(s)
  )
  cells <- which(starred | (hidden & could_be_small(b, s)))
  data.frame(
    cell = cells, low = b$lo[cells], high = b$hi[cells],
    exact_range = if (is.null(b$inner)) rep(TRUE, length(cells)) else !b$inner[cells],
    disclosed = too_narrow(b, s)[cells]
  )
}

check_frame <- function(x, spec, checks) {
  cells <- checks$cell
  where <- spec$table[cells] %||% rep("main", length(cells))
  by <- c(attr(x, "by"), attr(x, "group"))
  if (all(where == "main")) by <- intersect(by, names(x))
  # the labels of each cell's row, in the table it is in
  labels <- lapply(stats::setNames(by, by), function(cl) {
    if (all(where == "main")) {
      return(unclass(x)[[cl]][spec$row[cells]])
    }
    out <- rep(NA_character_, length(cells))
    for (tb in unique(where)) {
      d <- if (tb == "main") unclass(x) else unclass(result_table(x, tb))
      if (!is.null(d[[cl]])) {
        at <- where == tb
        out[at] <- as.character(d[[cl]][spec$row[cells][at]])
      }
    }
    out
  })
  new_tidy_frame(c(
    list(part = where, row = spec$row[cells]), labels,
    list(column = spec$column[cells], kind = spec$kind[cells]),
    as.list(checks[c("low", "high", "exact_range", "disclosed")])
  ))
}

# ---- the rule, as the attacker reads it -----------------------------------

protected_low <- function(r) if (r$zero) 0 else 1

# The range that may reach into the protected counts
could_be_small <- function(b, r) {
  r$threshold > 0 & b$lo <= r$threshold & b$hi >= protected_low(r)
}

# Could be small, and known more precisely than the rule's own range.
too_narrow <- function(b, r) {
  could_be_small(b, r) & b$hi - b$lo < r$threshold - protected_low(r)
}

# What the publication alone says about each cell. `value` holds the
# published counts (NA where starred or hidden).
knowledge_bounds <- function(value, starred, hidden, r) {
  lo <- pmax(0, value - floor(r$round_to / 2))
  hi <- value + ceiling(r$round_to / 2) - 1
  if (r$threshold > 0) {
    low <- protected_low(r)
    overlap <- !is.na(value) & lo <= r$threshold & hi >= low
    below <- overlap & lo < low
    above <- overlap & hi > r$threshold
    # a published count is not one the rule hides; a published 0 with room
    # above the threshold as well keeps its whole range (rounding coarser
    # than the threshold, which no standard rule uses)
    lo[above & !below] <- r$threshold + 1
    hi[below & !above] <- low - 1
  }
  # a starred count may be a zero starred to protect another
  lo[starred] <- 0
  lo[hidden] <- 0
  hi[starred | hidden] <- Inf
  list(lo = lo, hi = hi)
}

# ---- bounds ---------------------------------------------------------------

# Outer bounds: interval propagation along each sum (total = parts).
propagated_bounds <- function(k, sums) {
  res <- .Call(
    ea_interval_bounds, as.double(k$lo), as.double(k$hi), sums$start,
    sums$cells, 1000L
  )
  list(lo = res[[1]], hi = res[[2]])
}

# The sums as 0-based compressed rows for the C code.
sums_csr <- function(cons) {
  list(
    start = as.integer(c(0, cumsum(lengths(cons)))),
    cells = as.integer(unlist(cons)) - 1L
  )
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
  b <- propagated_bounds(k, sums_csr(spec$cons))
  if (any(b$lo > b$hi)) {
    stop("internal error: the published table is inconsistent with its own sums")
  }
  todo <- which(targets)
  if (length(todo) == 0) {
    return(b)
  }
  part <- connected_parts(spec$cons, length(spec$value))
  for (p in unique(part[todo])) {
    cells <- which(part == p)
    if (length(cells) == 1) next # in no sum: known as the publication says
    model <- integer_model(spec$cons, cells, b)
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
  witness <- function(sol, new = TRUE) {
    if (is.null(sol)) {
      return()
    }
    seen$min <<- pmin(seen$min, sol[j])
    seen$max <<- pmax(seen$max, sol[j])
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

# Feasible tables found so far. Every solution satisfies the sums, which
# do not change while one table is suppressed; a later check whose bounds a
# solution also satisfies (such as a trial with fewer stars) can use it as
# a witness of the values cells can take, without solving again. The most
# recent 64 are kept.
solution_pool <- function(n) {
  pool <- new.env(parent = emptyenv())
  pool$tables <- matrix(NA_real_, 0, n)
  pool
}

pool_table <- function(pool, cells, sol) {
  if (is.null(pool) || is.null(sol) || any(!is.finite(sol))) {
    return(invisible())
  }
  row <- rep(NA_real_, ncol(pool$tables))
  row[cells] <- sol
  pool$tables <- rbind(row, pool$tables[seq_len(min(63, nrow(pool$tables))), , drop = FALSE])
  invisible()
}

# The pooled tables that cover `cells` and lie within bounds b there.
pooled_tables <- function(pool, cells, b) {
  if (is.null(pool) || nrow(pool$tables) == 0) {
    return(NULL)
  }
  t <- pool$tables[, cells, drop = FALSE]
  lo <- matrix(b$lo[cells], nrow(t), length(cells), byrow = TRUE)
  hi <- matrix(b$hi[cells], nrow(t), length(cells), byrow = TRUE)
  ok <- rowSums(is.na(t) | t < lo | t > hi) == 0
  t[ok, , drop = FALSE]
}

# Connected parts of the table: cells linked through shared sums.
connected_parts <- function(cons, n) {
  label <- seq_len(n)
  if (length(cons) == 0) {
    return(label)
  }
  members <- unlist(cons)
  sum_id <- rep(seq_along(cons), lengths(cons))
  cells <- sort(unique(members))
  repeat {
    low <- vapply(split(label[members], sum_id), min, 0L)
    new <- label
    new[cells] <- pmin(label[cells], vapply(split(low[sum_id], members), min, 0L))
    new <- new[new]
    if (identical(new, label)) break
    label <- new
  }
  label
}

# The integer programme of one part: x = lo + y with 0 <= y <= hi - lo,
# each sum an equality.
integer_model <- function(cons, cells, b) {
  in_part <- vapply(cons, function(con) con[[1]] %in% cells, TRUE)
  part_cons <- cons[in_part]
  lo <- b$lo[cells]
  span <- b$hi[cells] - lo
  rows <- rep(seq_along(part_cons), lengths(part_cons))
  cols <- match(unlist(part_cons), cells)
  coef <- unlist(lapply(part_cons, function(con) c(1, rep(-1, length(con) - 1))))
  rhs <- vapply(part_cons, function(con) {
    j <- match(con, cells)
    sum(lo[j[-1]]) - lo[j[[1]]]
  }, 0)
  capped <- which(is.finite(span))
  n_eq <- length(part_cons)
  dense <- rbind(
    cbind(rows, cols, coef),
    cbind(n_eq + seq_along(capped), capped, rep(1, length(capped)))
  )
  model <- list(
    dense = unname(dense), n = length(cells), lo = lo,
    dir = c(rep("=", n_eq), rep("<=", length(capped))),
    rhs = c(rhs, span[capped])
  )
  # small parts as a plain matrix: lpSolve's sparse input costs more to set up
  if (length(model$rhs) * model$n <= 40000) {
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
  if (fit$status == 2) {
    # lpSolve can call a feasible programme (the published table is one
    # solution) infeasible; stated with each equality as two inequalities
    # it solves
    fit <- lp_fit(split_equalities(model), obj, direction)
  }
  if (fit$status == 3) {
    return(list(solution = NULL))
  }
  if (fit$status != 0) {
    stop(sprintf("internal error: the disclosure solver failed (lpSolve status %d)", fit$status))
  }
  sol <- model$lo + round(fit$solution)
  sol[fit$solution >= 1e29] <- Inf # lpSolve's infinity
  list(solution = sol)
}

lp_fit <- function(model, obj, direction) {
  if (is.null(model$mat)) {
    lpSolve::lp(direction, obj,
      const.dir = model$dir, const.rhs = model$rhs,
      dense.const = model$dense, all.int = TRUE
    )
  } else {
    lpSolve::lp(direction, obj, model$mat, model$dir, model$rhs, all.int = TRUE)
  }
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
