# Cuts of the master programme (suppress-optimal-model.R), each a row
# sum(v_j o_j) >= rhs in the open indicators, valid for every pattern that
# protects the part against the integer attacker:
#
# * partner cuts: a hard cell in a sum needs another open cell in it, when
#   the other cells' published ranges are too narrow to widen it;
# * capacity cuts (Fischetti and Salazar), from the dual of the attacker's
#   linear programme;
# * failure cuts, for a pattern the integer attacker breaks.

# Partner cuts. While every other cell of the sum is published, a cell of
# the sum is pinned to the others' total, so its range is at most as wide
# as the sum of their published ranges (rounding gives a published count
# a range of its own: up to round_to - 1 wide). Only where that is
# narrower than the protection width is the cut valid: the hard cell's
# range is then too narrow while its count is small.
partner_cuts <- function(prob) {
  cons <- prob$spec$cons
  room <- prob$shut$hi - prob$shut$lo
  cuts <- list()
  for (con in cons) {
    for (i in con[prob$hard[con]]) {
      others <- con[con != i]
      if (length(others) == 0 || any(prob$fixed_open[others])) next
      if (sum(room[others]) >= prob$width) next
      cuts[[length(cuts) + 1L]] <- list(j = unique(prob$o_col[others]), v = NULL, rhs = 1)
    }
  }
  lapply(cuts, function(cut) {
    cut$v <- rep(1, length(cut$j))
    cut
  })
}

# How far each cell can move up (U) and down (D) from its true count at
# open levels o. Published: its published range. Open: up without limit,
# down to 0. Between (a fractional master point): from the published room
# towards a box of the protection width around the count, which contains
# the published range (a rounded count is within round_to - 1 of it), so
# opening a cell never narrows it.
#
# The box restricts the attacker, and a narrower range is not always the
# safer verdict: a pattern the boxed attacker leaves wide enough is wide
# enough against the real one (its ranges contain the boxed ones), but a
# range the box keeps above the threshold ("cannot be small") may reach
# the protected counts unboxed, and the published ranges of rounded counts
# next to it are not boxed at all. So the box is used only to choose duals
# at fractional points (see capacity_cut()); every pattern is judged by
# the real, unboxed integer attacker (certify_pattern()).
attacker_rooms <- function(prob, o) {
  v <- prob$value
  up0 <- prob$shut$hi - v
  down0 <- v - prob$shut$lo
  open <- o >= 1 - 1e-9
  part <- !open & o > 1e-9
  up <- ifelse(open, Inf, up0)
  down <- ifelse(open, v, down0)
  up[part] <- up0[part] + o[part] * (prob$box - up0[part])
  down[part] <- down0[part] + o[part] * (pmin(v[part], prob$box) - down0[part])
  list(up = up, down = down, up0 = up0, down0 = down0)
}

# The dual of the attacker's programme max (direction +1) or max of minus
# (direction -1) the cell i's move: min sum(U a + D b) subject to
# M' lambda + a - b = direction e_i, a, b >= 0 (a only where U is
# finite). Returns list(value, a, b) per cell, or NULL when the move is
# unbounded (the dual has no solution).
attacker_dual <- function(prob, rooms, i, direction) {
  n <- prob$n
  m <- prob$n_sums
  s <- prob$sums
  up_ok <- which(is.finite(rooms$up))
  n_a <- length(up_ok)
  rows <- list(
    i = c(s$j, s$j, up_ok, seq_len(n)),
    j = c(s$i, m + s$i, 2L * m + seq_len(n_a), 2L * m + n_a + seq_len(n)),
    v = c(s$v, -s$v, rep(1, n_a), rep(-1, n))
  )
  rhs <- numeric(n)
  rhs[[i]] <- direction
  obj <- c(numeric(2L * m), rooms$up[up_ok], rooms$down)
  fit <- run_programme(obj, rows, rep("==", n), rhs)
  if (fit$status != "optimal") {
    return(NULL)
  }
  a <- numeric(n)
  a[up_ok] <- fit$solution[2L * m + seq_len(n_a)]
  list(value = fit$value, a = a, b = fit$solution[2L * m + n_a + seq_len(n)])
}

# The capacity cut of cell i at open levels o, or NULL when the linear
# attacker already gives it the protection width there.
#
# Weak duality: for any dual solution (a, b), the cell's linear range at
# every pattern is at most sum(a U + b D), with U, D the rooms of that
# pattern, and dual feasibility does not depend on the pattern. So the
# rooms of a pattern, written in its open indicators with the real bounds
# (open: U unbounded, D the count itself), give a bound on the width
# linear in o; a pattern that protects i against the integer attacker has
# width at least the protection width against the linear one (the integer
# tables are among the linear ones), so it meets the bound. The box used
# to choose the dual at a fractional point only steers that choice: the
# cut's coefficients come from the real bounds, so the box cannot cut off
# a pattern the real attacker leaves protected. Each coefficient is then
# capped at the right-hand side (valid for 0/1 indicators), which is also
# what keeps the coefficients of unbounded cells finite.
capacity_cut <- function(prob, o, i, rooms = attacker_rooms(prob, o), duals = NULL) {
  up <- duals$up %||% attacker_dual(prob, rooms, i, 1)
  down <- duals$down %||% if (!is.null(up)) attacker_dual(prob, rooms, i, -1)
  if (is.null(up) || is.null(down) || up$value + down$value >= prob$width - 1e-7) {
    return(NULL)
  }
  a <- up$a + down$a
  b <- up$b + down$b
  var <- !prob$fixed_open
  # a fixed open cell contributes its real room; a > 0 there cannot
  # happen (its U is unbounded), so only b
  const <- sum(b[!var] * prob$value[!var]) + sum(a[var] * rooms$up0[var] + b[var] * rooms$down0[var])
  rhs <- prob$width - const
  if (rhs <= 1e-7) {
    return(NULL)
  }
  coef <- ifelse(a > 1e-9, Inf, 0) + b * (prob$value - rooms$down0)
  coef <- pmin(1, ceiling(coef[var] / rhs * 1e6) / 1e6)
  keep <- coef > 0
  cut <- list(j = prob$o_col[var][keep], v = coef[keep], rhs = 1)
  if (sum(cut$v * o[var][keep]) >= 1 - 1e-6) NULL else cut
}

# Capacity cuts of hard cells at open levels o. Most cells are wide at
# most points, and showing that takes no dual: feasible tables of the
# linear attacker found before (`pool`, an environment holding them as
# columns of a matrix) that still fit the rooms at o give a cell two
# values; a cell two such tables show wide enough needs nothing. For the
# others the attacker's own programme (maximum and minimum of the cell)
# adds its tables to the pool, and only a cell it leaves too narrow costs
# the two duals of its cut.
capacity_cuts <- function(prob, o, cells, pool) {
  rooms <- attacker_rooms(prob, o)
  wide <- function(cells) pool_widths(pool, rooms, prob$value)[cells] >= prob$width - 1e-7
  # tables maximising and minimising the sum of the cells not yet shown
  # wide spread many cells at once (as part_bounds() does)
  left <- cells[!wide(cells)]
  while (length(left) > 1) {
    for (max in c(TRUE, FALSE)) pool_add(pool, attacker_primal(prob, rooms, left, max)$table)
    now <- left[!wide(left)]
    if (length(now) == length(left)) break
    left <- now
  }
  cuts <- vector("list", length(left))
  for (k in seq_along(left)) {
    i <- left[[k]]
    if (wide(i)) next
    up <- attacker_primal(prob, rooms, i, TRUE, duals = TRUE)
    down <- attacker_primal(prob, rooms, i, FALSE, duals = TRUE)
    pool_add(pool, up$table)
    pool_add(pool, down$table)
    if (is.null(up$table) || is.null(down$table) || up$value + down$value >= prob$width - 1e-7) next
    # the solver's duals where they check out, else the dual programmes
    duals <- if (!is.null(up$a) && !is.null(down$a)) list(up = up, down = down)
    cuts[[k]] <- capacity_cut(prob, o, i, rooms, duals)
  }
  Filter(Negate(is.null), cuts)
}

# The linear attacker's table maximising (or minimising) the sum of cells
# i within the rooms, a cell with no upper limit capped at optimal_cap so
# that the programme is bounded. With `duals` (one cell), also the dual
# solution (a, b) of capacity_cut() read from lpSolve's sensitivity
# output: for a maximum, a_j the dual of cell j's upper row and b_j minus
# its reduced cost; kept only when it is dual feasible, leaves the cells
# always open out, and its value matches the primal one (else NULL, and
# the dual programme is solved instead). `value` is the cell's move from
# its true count.
attacker_primal <- function(prob, rooms, i, max, duals = FALSE) {
  n <- prob$n
  m <- prob$n_sums
  s <- prob$sums
  lo <- prob$value - rooms$down
  upper <- pmin(rooms$up + rooms$down, optimal_cap)
  obj <- numeric(n)
  obj[i] <- if (max) 1 else -1
  dense <- cbind(c(s$i, m + seq_len(n)), c(s$j, seq_len(n)), c(s$v, rep(1, n)))
  fit <- lpSolve::lp("max", obj,
    const.dir = c(rep("=", m), rep("<=", n)), const.rhs = c(-row_sums(s, lo, m), upper),
    dense.const = dense, compute.sens = duals
  )
  if (fit$status != 0) {
    return(list(table = NULL))
  }
  y <- lo + fit$solution
  out <- list(table = matrix(y), value = sum(obj * (y - prob$value)))
  if (!duals) {
    return(out)
  }
  lambda <- fit$duals[seq_len(m)]
  a <- pmax(0, fit$duals[m + seq_len(n)])
  b <- pmax(0, -fit$duals[m + n + seq_len(n)])
  u <- upper - rooms$down
  residual <- row_sums(list(i = s$j, j = s$i, v = s$v), lambda, n) + a - b - obj
  ok <- all(abs(residual) <= 1e-7) && all(a[prob$fixed_open] <= 1e-9) &&
    abs(sum(a * u + b * rooms$down) - out$value) <= 1e-6 * max(1, abs(out$value))
  if (ok) {
    out$a <- a
    out$b <- b
  }
  out
}

# For each cell, the widest spread two pooled tables that fit the rooms
# show (-Inf with fewer than two).
pool_widths <- function(pool, rooms, value) {
  y <- pool$tables
  if (is.null(y)) {
    return(rep(-Inf, length(value)))
  }
  fits <- colSums(y < value - rooms$down - 1e-9 | y > value + rooms$up + 1e-9) == 0
  if (sum(fits) < 2) {
    return(rep(-Inf, length(value)))
  }
  y <- y[, fits, drop = FALSE]
  do.call(pmax, unname(as.data.frame(y))) - do.call(pmin, unname(as.data.frame(y)))
}

# The most recent 64 tables are kept.
pool_add <- function(pool, tables) {
  if (is.null(tables)) {
    return(invisible())
  }
  y <- cbind(tables, pool$tables)
  pool$tables <- y[, seq_len(min(ncol(y), 64)), drop = FALSE]
  invisible()
}

# Cuts for a whole pattern (open levels o, 0 or 1) that the integer
# attacker breaks: for each cell at risk, `relies` holds the open cells
# its witnesses need (certify_pattern()). Any pattern that keeps those
# open and opens cell i still lets it be small, so it must make i wide:
# at least one of them is closed, or the width condition holds. The width
# condition is the capacity cut at this pattern where the linear attacker
# is too narrow as well; else, since opening cells only widens ranges, it
# is that some cell closed here is opened.
failure_cuts <- function(prob, o, relies) {
  rooms <- attacker_rooms(prob, o)
  var <- !prob$fixed_open
  lapply(names(relies), function(cell) {
    i <- as.integer(cell)
    keep <- relies[[cell]]
    keep <- keep[var[keep]]
    wide <- capacity_cut(prob, o, i, rooms)
    if (is.null(wide)) {
      grow <- which(var & o < 0.5)
      wide <- list(j = prob$o_col[grow], v = rep(1, length(grow)), rhs = 1)
    }
    j <- c(wide$j, prob$o_col[keep])
    v <- c(wide$v, rep(-1, length(keep)))
    s <- rowsum(v, j)
    list(j = as.integer(rownames(s)), v = s[, 1], rhs = 1 - length(keep))
  })
}
