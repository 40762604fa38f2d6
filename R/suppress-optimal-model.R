# The master programme of one part for optimal_pattern(): its columns,
# its fixed rows, and a store of the cuts found.
#
# Columns: x_j, one per cell that may be starred (a shown count or an
# implicit total that is not primary), costing weight_j; then s_t, one per
# such total, which is 1 when the total is open to the attacker: starred,
# or no longer revealed by any percentage because every shown part that
# would reveal it (a part with a published count above 0) is starred
# (unrevealed_totals()). The attacker reads only which cells are open, so
# cuts are written in the open indicators: o_j = x_j for a shown count,
# o_t = s_t for a total, and 1 for a cell that is always open (hidden,
# primary, or a total nothing can reveal).

# Everything about one part that does not depend on the pattern.
part_problem <- function(spec, r, primary, weight) {
  n <- length(spec$value)
  v <- spec$value
  hidden <- spec$kind == "hidden"
  published <- ifelse(hidden, NA_real_, round_count(v, r$round_to))
  # the range each cell has while it is published
  shut <- knowledge_bounds(published, rep(FALSE, n), hidden, r)
  reveal <- revealing_parts(spec, primary, published)
  total <- spec$kind == "total" & !primary & !hidden
  var_total <- total & lengths(reveal) > 0
  star <- !hidden & !primary & (spec$kind != "total" | var_total)
  x_cells <- which(star)
  s_cells <- which(var_total)
  n_cols <- length(x_cells) + length(s_cells)
  x_col <- rep(NA_integer_, n)
  x_col[x_cells] <- seq_along(x_cells)
  o_col <- x_col
  o_col[s_cells] <- length(x_cells) + seq_along(s_cells)
  fixed_open <- is.na(o_col)
  low <- protected_low(r)
  prob <- list(
    spec = spec, r = r, n = n, value = v, primary = primary, weight = weight,
    width = r$threshold - low, box = max(r$threshold - low, r$round_to),
    shut = shut, published = published, x_cells = x_cells, s_cells = s_cells,
    x_col = x_col, o_col = o_col, n_cols = n_cols, fixed_open = fixed_open,
    # cells that must be wide whatever the pattern: always open, and the
    # count itself could be small, so its range always could be
    hard = fixed_open & v >= low & v <= r$threshold & r$threshold > 0,
    obj = c(weight[x_cells], numeric(length(s_cells))),
    sums = sum_triplets(spec$cons), n_sums = length(spec$cons)
  )
  prob$links <- total_links(prob, reveal)
  prob
}

# For each cell, the shown parts that reveal it when it is an implicit
# total (revealed_totals()): shown, never primary, published above 0.
revealing_parts <- function(spec, primary, published) {
  n <- length(spec$value)
  firsts <- vapply(spec$cons, function(con) con[[1]], 0)
  of_total <- spec$kind[firsts] == "total"
  parts <- lapply(spec$cons[of_total], function(con) con[-1])
  owner <- rep(firsts[of_total], lengths(parts))
  parts <- unlist(parts)
  ok <- spec$kind[parts] == "shown" & !primary[parts] & published[parts] > 0
  out <- split(as.integer(parts[ok]), factor(owner[ok], levels = seq_len(n)))
  lapply(out, unique)
}

# The rows that make s_t = x_t OR (x_p for every revealing part p):
# s_t >= x_t; s_t >= sum(x_p) - (k - 1); x_t + x_p >= s_t for each p.
total_links <- function(prob, reveal) {
  rows <- lapply(prob$s_cells, function(t) {
    s <- prob$o_col[[t]]
    x <- prob$x_col[[t]]
    p <- prob$x_col[reveal[[t]]]
    k <- length(p)
    list(
      i = c(1L, 1L, rep(2L, k + 1L), rep(2L + seq_len(k), each = 3L)),
      j = c(s, x, s, p, as.vector(rbind(x, p, s))),
      v = c(1, -1, 1, rep(-1, k), rep(c(1, 1, -1), k)),
      rhs = c(0, 1 - k, rep(0, k))
    )
  })
  cut_batch(rows)
}

# Cuts given as a list of list(i, j, v, rhs) (rows numbered within each),
# as one batch of rows: all ">=".
cut_batch <- function(cuts) {
  if (length(cuts) == 0) {
    return(list(i = integer(), j = integer(), v = numeric(), rhs = numeric()))
  }
  n_rows <- vapply(cuts, function(cut) length(cut$rhs), 1L)
  offset <- c(0L, cumsum(n_rows)[-length(n_rows)])
  list(
    i = unlist(Map(function(cut, o) cut$i + o, cuts, offset)),
    j = unlist(lapply(cuts, `[[`, "j")), v = unlist(lapply(cuts, `[[`, "v")),
    rhs = unlist(lapply(cuts, `[[`, "rhs"))
  )
}

# The store of the master's rows: a batch is appended per round (never a
# row at a time); a cut already held is not added again.
master_store <- function(prob) {
  store <- new.env(parent = emptyenv())
  store$i <- prob$links$i
  store$j <- prob$links$j
  store$v <- prob$links$v
  store$rhs <- prob$links$rhs
  store$seen <- new.env(hash = TRUE, parent = emptyenv())
  store
}

# Adds cuts (list of list(j, v, rhs), one row each); returns how many
# were new.
add_cuts <- function(store, cuts) {
  keys <- vapply(cuts, function(cut) {
    o <- order(cut$j)
    paste(c(cut$j[o], signif(cut$v[o], 8), signif(cut$rhs, 8)), collapse = " ")
  }, "")
  fresh <- !duplicated(keys) & !vapply(keys, exists, TRUE, envir = store$seen, inherits = FALSE)
  cuts <- cuts[fresh]
  for (k in keys[fresh]) assign(k, TRUE, envir = store$seen)
  if (length(cuts) == 0) {
    return(0L)
  }
  batch <- cut_batch(lapply(cuts, function(cut) {
    list(i = rep(1L, length(cut$j)), j = cut$j, v = cut$v, rhs = cut$rhs)
  }))
  n_rows <- length(store$rhs)
  store$i <- c(store$i, batch$i + n_rows)
  store$j <- c(store$j, batch$j)
  store$v <- c(store$v, batch$v)
  store$rhs <- c(store$rhs, batch$rhs)
  length(cuts)
}

# The master over the rows held: minimum loss, 0 <= x, s <= 1 (integer
# or not). Returns list(status, value, x (per column)).
# (lpSolve, which runs each programme to its end: the same cuts give the
# same choice on every machine)
solve_master <- function(prob, store, integer) {
  rows <- list(i = store$i, j = store$j, v = store$v)
  fit <- run_programme(prob$obj, rows, rep(">=", length(store$rhs)), store$rhs,
    upper = 1, integer = integer, solver = "lpSolve"
  )
  list(status = fit$status, value = fit$value, x = pmin(pmax(fit$solution, 0), 1))
}

# The open level of every cell at a master point (1 for cells always
# open), and the pattern (starred cells) it stands for when whole.
open_levels <- function(prob, x) {
  o <- rep(1, prob$n)
  var <- !prob$fixed_open
  o[var] <- x[prob$o_col[var]]
  o
}

pattern_of <- function(prob, x) {
  supp <- prob$primary
  supp[prob$x_cells] <- x[seq_along(prob$x_cells)] > 0.5
  supp
}
