# The exact check of a suppression pattern, fast: the same verdicts as
# too_narrow() of exact_bounds() (disclosure-bounds.R), from linear
# programmes where they are exact and integer programmes only where they
# are needed. Used by optimal_pattern() to verify each pattern against the
# integer attacker.
#
# Why linear programmes can be exact here: within a part, copies (sums of
# one part, total = part) are merged into one variable; when every merged
# variable is in at most two sums, with coefficients +-1, and the sums can
# be split in two sets so that the two sums of a variable are in different
# sets where its coefficients have the same sign and in the same set where
# they differ, the matrix is totally unimodular (Heller and Tompkins; such
# a matrix is a network matrix up to the sign of rows). A two-way table
# with its margins and grand total is one: row sums in one set, column sums
# in the other. With whole-number bounds every vertex of the programme is
# then whole, so the linear minimum and maximum of a cell are its integer
# ones, and the simplex's (vertex) solutions are feasible integer tables.
# Where the test fails the linear range is only an outer bound, and integer
# programmes decide.

#' Exact check of a suppression pattern
#'
#' @param spec A spec (see `count_spec()`).
#' @param r A rule from `suppression_rule()`.
#' @param suppressed Logical over the cells: the starred ones.
#' @param ranges `TRUE` for the exact range of every starred or hidden
#'   cell; `FALSE` (the default) to settle only each cell's verdict.
#' @param witnesses `TRUE` to return, for each cell at risk, the starred
#'   or hidden cells that the tables showing it could be small rely on
#'   (used by optimal_pattern() to cut off patterns).
#' @return list(at_risk, open (starred or hidden), lo, hi, exact (whether
#'   lo and hi are the exact limits; else outer bounds, or for a cell
#'   settled as safe two values it can take), tu (per part, whether linear
#'   programmes were exact), relies (with `witnesses`)).
#' @noRd
certify_pattern <- function(spec, r, suppressed, ranges = FALSE, witnesses = FALSE) {
  spec <- with_cons(spec)
  n <- length(spec$value)
  view <- attacker_view(spec, r, suppressed)
  b <- propagated_bounds(view$k, spec$sums)
  if (any(b$lo > b$hi)) {
    abort_internal("the published table is inconsistent with its own sums")
  }
  out <- list(
    at_risk = rep(FALSE, n), open = view$open, lo = b$lo, hi = b$hi,
    exact = rep(FALSE, n), relies = list()
  )
  # a cell whose outer bounds cannot reach a protected count is safe
  todo <- view$open & (ranges | (r$threshold > 0 & could_be_small(b, r)))
  if (!any(todo)) {
    return(out)
  }
  index <- part_index(spec$cons, n)
  for (p in unique(index$part[todo])) {
    cells <- part_cells(index, p)
    if (length(cells) == 1) {
      out$exact[cells] <- TRUE # in no sum: the publication is all there is
      out$at_risk[cells] <- todo[cells] & too_narrow(list(lo = b$lo[cells], hi = b$hi[cells]), r)
      next
    }
    cons <- lapply(spec$cons[optimal_part_sums(index, p)], function(con) index$local[con])
    res <- certify_part(cons, b$lo[cells], b$hi[cells], spec$value[cells], todo[cells], r, ranges)
    out$lo[cells] <- res$lo
    out$hi[cells] <- res$hi
    out$exact[cells] <- res$exact
    out$at_risk[cells] <- todo[cells] & res$at_risk
    if (witnesses) {
      relies <- part_reliance(res, view, cells, spec$value[cells], r)
      out$relies <- c(out$relies, relies)
    }
  }
  out
}

# What the attacker knows of a pattern: which cells are open (starred, or
# hidden: never shown, or an implicit total no shown percentage reveals,
# see unrevealed_totals()) and the knowledge bounds of every cell.
attacker_view <- function(spec, r, suppressed) {
  always_hidden <- spec$kind == "hidden"
  published <- ifelse(always_hidden, NA_real_, round_count(spec$value, r$round_to))
  hidden <- always_hidden | unrevealed_totals(spec, suppressed, published)
  open <- suppressed | hidden
  k <- knowledge_bounds(ifelse(open, NA_real_, published), suppressed, hidden, r)
  # the bounds each cell has while published (for cuts and witnesses)
  shut <- knowledge_bounds(published, rep(FALSE, length(open)), always_hidden, r)
  list(open = open, hidden = hidden, published = published, k = k, shut = shut)
}

# Ranges and verdicts of the cells `todo` of one part (cells numbered
# within it; lo, hi their outer bounds; truth the true counts).
certify_part <- function(cons, lo, hi, truth, todo, r, ranges) {
  sys <- merged_system(cons, lo, hi)
  cls <- sys$class
  targets <- unique(cls[todo])
  olo <- sys$lo[targets]
  ohi <- sys$hi[targets]
  # the true table is feasible unless the pattern leaves a protected count
  # shown (then knowledge_bounds() excludes it): the first witness
  # (the true table is a feasible one, when every count of it is known)
  inside <- !anyNA(truth) && all(truth >= lo & truth <= hi)
  tables <- if (inside) list(sys$truth(truth)) else list()
  ilo <- if (inside) sys$truth(truth)[targets] else rep(Inf, length(targets))
  ihi <- if (inside) ilo else rep(-Inf, length(targets))
  from_lo <- from_hi <- rep(if (inside) 1L else NA_integer_, length(targets))
  witness <- function(y) {
    tables[[length(tables) + 1L]] <<- y
    at <- length(tables)
    lower <- y[targets] < ilo
    upper <- y[targets] > ihi
    ilo[lower] <<- y[targets][lower]
    from_lo[lower] <<- at
    ihi[upper] <<- y[targets][upper]
    from_hi[upper] <<- at
  }
  open_side <- function(side) {
    undecided <- if (ranges) rep(TRUE, length(targets)) else is.na(range_verdict(ilo, ihi, olo, ohi, r))
    if (side == "min") undecided & ilo > olo else undecided & ihi < ohi
  }
  # programmes on the sum of the undecided targets settle many at once
  for (side in c("min", "max")) {
    left <- which(open_side(side))
    while (length(left) > 1) {
      fit <- system_optimum(sys, targets[left], side, integer = !sys$tu)
      if (!is.null(fit$table)) witness(fit$table)
      now <- which(open_side(side))
      if (length(now) == length(left)) break
      left <- now
    }
  }
  # then each cell alone: linear programmes first (exact when the system
  # is unimodular, an outer bound otherwise), integer ones where needed
  for (integer in unique(c(FALSE, !sys$tu))) {
    for (t in seq_along(targets)) {
      for (side in c("min", "max")) {
        if (!open_side(side)[[t]]) next
        fit <- system_optimum(sys, targets[[t]], side, integer)
        if (!is.null(fit$table)) witness(fit$table)
        exact <- integer || sys$tu
        if (side == "min") {
          olo[[t]] <- max(olo[[t]], if (exact) fit$value else ceiling(fit$value - 1e-7))
        } else if (is.infinite(fit$value)) {
          # an unbounded linear programme with a feasible integer point is
          # unbounded over the integers too
          ihi[[t]] <- Inf
        } else {
          ohi[[t]] <- min(ohi[[t]], if (exact) fit$value else floor(fit$value + 1e-7))
        }
      }
    }
  }
  exact <- ilo == olo & ihi == ohi
  verdict <- range_verdict(ilo, ihi, olo, ohi, r)
  if (anyNA(verdict)) abort_internal("a pattern's verdict was left undecided")
  at <- match(cls, targets)
  list(
    lo = ifelse(is.na(at), lo, ilo[at]), hi = ifelse(is.na(at), hi, ihi[at]),
    exact = !is.na(at) & exact[at], at_risk = !is.na(at) & verdict[at],
    tables = lapply(tables, function(y) y[cls]), from_lo = from_lo[at], from_hi = from_hi[at],
    inside = inside
  )
}

# The verdict on a cell from two values it can take (ilo, ihi) and bounds
# it cannot leave (olo, ohi): FALSE when safe whatever its exact range is,
# TRUE when at risk whatever it is, NA when undecided. At the exact range
# it is too_narrow().
range_verdict <- function(ilo, ihi, olo, ohi, r) {
  if (r$threshold <= 0) {
    return(rep(FALSE, length(ilo)))
  }
  low <- protected_low(r)
  width <- r$threshold - low
  safe <- ihi - ilo >= width | olo > r$threshold | ohi < low
  risky <- !safe & ohi - olo < width & ilo <= r$threshold & ihi >= low
  ifelse(safe, FALSE, ifelse(risky, TRUE, NA))
}

# For each cell at risk, the starred or hidden cells that its two
# witnesses (a table where it is at most the threshold, one where it is at
# least the protected low: the true table where the count itself is one)
# take outside the range they have while published. Any pattern that
# keeps those open keeps both tables, so the cell could still be small
# and only a wider range saves it (see add_failure_cuts()).
part_reliance <- function(res, view, cells, truth, r) {
  risky <- which(res$at_risk)
  if (length(risky) == 0) {
    return(list())
  }
  shut_lo <- view$shut$lo[cells]
  shut_hi <- view$shut$hi[cells]
  open <- view$open[cells]
  out <- lapply(risky, function(i) {
    truly <- if (res$inside) 1L else NA_integer_
    low_from <- if (isTRUE(truth[[i]] <= r$threshold)) truly else res$from_lo[[i]]
    high_from <- if (isTRUE(truth[[i]] >= protected_low(r))) truly else res$from_hi[[i]]
    if (is.na(low_from) || is.na(high_from)) {
      return(cells[open]) # no witnesses: every open cell
    }
    y <- cbind(res$tables[[low_from]], res$tables[[high_from]])
    outside <- open & (y[, 1] < shut_lo | y[, 1] > shut_hi | y[, 2] < shut_lo | y[, 2] > shut_hi)
    cells[outside | seq_along(cells) == i]
  })
  stats::setNames(out, cells[risky])
}

# The programme of one part with copies merged: `class` maps each cell to
# its variable; the sums as triplets over the variables (coefficients of
# merged cells added up, zeros dropped); bounds intersected; `tu` whether
# the matrix passes the unimodularity test above.
merged_system <- function(cons, lo, hi) {
  n <- length(lo)
  pairs <- lengths(cons) == 2
  class <- part_labels(cons[pairs], n)
  class <- match(class, unique(class))
  n_class <- max(class)
  c_lo <- as.vector(tapply(lo, class, max))
  c_hi <- as.vector(tapply(hi, class, min))
  if (any(c_lo > c_hi)) {
    abort_internal("the published table is inconsistent with its own sums")
  }
  sums <- sum_triplets(cons[!pairs])
  key <- (sums$i - 1) * n_class + class[sums$j]
  coef <- rowsum(sums$v, key, reorder = TRUE)
  keys <- as.numeric(rownames(coef))
  keep <- coef[, 1] != 0
  rows <- list(
    i = as.integer((keys[keep] - 1) %/% n_class + 1), j = as.integer((keys[keep] - 1) %% n_class + 1),
    v = coef[keep, 1]
  )
  rows <- distinct_rows(rows)
  n_rows <- if (length(rows$i) > 0) max(rows$i) else 0L
  list(
    class = class, lo = c_lo, hi = c_hi, rows = rows, n_rows = n_rows,
    # y = lo + z, z >= 0: each sum's right-hand side
    rhs = row_sums(rows, c_lo, n_rows) * -1,
    tu = is_network_matrix(rows, n_rows, n_class),
    truth = function(values) as.vector(tapply(values, class, function(v) v[[1]]))
  )
}

# The rows numbered 1, 2, ... with repeats left out: a sum that merged
# copies make the same as another (the same sums in two tables), or its
# negative, says nothing more.
distinct_rows <- function(rows) {
  if (length(rows$i) == 0) {
    return(rows)
  }
  o <- order(rows$i, rows$j)
  rows <- lapply(rows, `[`, o)
  first <- !duplicated(rows$i)
  sign <- rows$v[first][match(rows$i, rows$i[first])]
  key <- vapply(split(paste(rows$j, rows$v * sign), rows$i), paste, "", collapse = " ")
  keep <- as.integer(names(key))[!duplicated(key)]
  at <- rows$i %in% keep
  list(i = match(rows$i[at], keep), j = rows$j[at], v = rows$v[at])
}

# Heller and Tompkins' test: every column has at most two nonzeros, each
# +-1, and the rows split in two sets as described at the top of this
# file (a union-find with parity over the rows).
is_network_matrix <- function(rows, n_rows, n_cols) {
  if (any(abs(rows$v) != 1)) {
    return(FALSE)
  }
  per_col <- tabulate(rows$j, n_cols)
  if (any(per_col > 2)) {
    return(FALSE)
  }
  two <- rows$j %in% which(per_col == 2)
  by_col <- order(rows$j[two])
  r <- rows$i[two][by_col]
  v <- rows$v[two][by_col]
  first <- seq_len(length(r) %/% 2) * 2L - 1L
  parent <- seq_len(n_rows)
  parity <- integer(n_rows) # parity to the parent
  root_of <- function(i) {
    p <- 0L
    while (parent[[i]] != i) {
      p <- bitwXor(p, parity[[i]])
      i <- parent[[i]]
    }
    c(i, p)
  }
  for (k in first) {
    # same sign: different sets (parity 1); opposite signs: the same set
    want <- as.integer(v[[k]] == v[[k + 1]])
    a <- root_of(r[[k]])
    b <- root_of(r[[k + 1]])
    if (a[[1]] == b[[1]]) {
      if (bitwXor(a[[2]], b[[2]]) != want) {
        return(FALSE)
      }
    } else {
      parent[[b[[1]]]] <- a[[1]]
      parity[[b[[1]]]] <- bitwXor(bitwXor(a[[2]], b[[2]]), want)
    }
  }
  TRUE
}

# Minimise or maximise the sum of variables `targets` of a merged system.
# Returns list(value, table): the optimum (Inf when unbounded above) and,
# when the solution is a feasible integer table, the table (per variable).
system_optimum <- function(sys, targets, side, integer) {
  n <- length(sys$lo)
  obj <- numeric(n)
  obj[targets] <- 1
  upper <- pmin(sys$hi - sys$lo, optimal_cap)
  fit <- run_programme(obj, sys$rows, rep("==", sys$n_rows), sys$rhs, upper,
    integer = integer, max = side == "max"
  )
  if (fit$status != "optimal") {
    abort_internal(sprintf("the exact check's programme failed (%s)", fit$status))
  }
  y <- sys$lo + fit$solution
  value <- sum(y[targets])
  if (side == "max" && any(fit$solution[targets] >= optimal_cap / 2)) value <- Inf
  whole <- round(y)
  feasible <- all(abs(y - whole) <= 1e-6) && all(whole >= sys$lo & whole <= sys$hi) &&
    all(row_sums(sys$rows, whole, sys$n_rows) == 0)
  list(value = if (integer || sys$tu) round(value) else value, table = if (feasible) whole)
}

# The left-hand side of each row at y.
row_sums <- function(rows, y, n_rows) {
  out <- numeric(n_rows)
  if (n_rows == 0) {
    return(out)
  }
  s <- rowsum(rows$v * y[rows$j], rows$i)
  out[as.integer(rownames(s))] <- s[, 1]
  out
}
