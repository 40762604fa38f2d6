# The sums that tie the count cells of published tables together, held as
# compressed rows: sum s is cells[start[s] + 1] (its total) =
# cells[start[s] + 2] + ... + cells[start[s + 1]] (its parts), `start`
# 0-based offsets and `cells` 1-based cell numbers. Everything here is built
# and read in vectorised passes, linear in the number of cells, so that a
# table of a million cells costs seconds, not hours.

# Sums from their totals and parts given as parallel vectors: sum i is
# totals[i] = parts_1[i] + parts_2[i] + ... (an NA part is no part).
sums_rowwise <- function(totals, ...) {
  parts <- list(...)
  m <- length(totals)
  if (m == 0) {
    return(empty_sums())
  }
  mat <- do.call(cbind, c(list(totals), lapply(parts, rep_len, length.out = m)))
  keep <- !is.na(mat)
  sizes <- rowSums(keep)
  new_sums(sizes, t(mat)[t(keep)])
}

# Sums of parts grouped into totals: sum g is totals[g] = the parts whose
# `group` is g (groups with no part make no sum).
sums_grouped <- function(totals, parts, group) {
  ok <- !is.na(parts) & !is.na(group)
  parts <- parts[ok]
  group <- group[ok]
  if (length(parts) == 0) {
    return(empty_sums())
  }
  ord <- order(group, method = "radix")
  counts <- tabulate(group, length(totals))
  used <- which(counts > 0)
  first <- c(0L, cumsum(counts[used] + 1L))
  cells <- integer(sum(counts[used] + 1L))
  cells[first[-length(first)] + 1L] <- totals[used]
  # each part after its total: the offset of its group plus its rank within
  rank_in <- sequence(counts[used])
  slot <- rep(first[-length(first)], counts[used]) + 1L + rank_in
  cells[slot] <- parts[ord]
  list(start = as.integer(first), cells = as.integer(cells))
}

new_sums <- function(sizes, cells) {
  list(start = as.integer(c(0L, cumsum(sizes))), cells = as.integer(cells))
}

empty_sums <- function() list(start = 0L, cells = integer())

n_sums <- function(sums) length(sums$start) - 1L

# Sums one after the other, the cell numbers of each shifted by `offset`.
sums_bind <- function(list_of_sums, offsets = rep(0L, length(list_of_sums))) {
  list_of_sums <- Filter(function(s) n_sums(s) > 0, list_of_sums)
  if (length(list_of_sums) == 0) {
    return(empty_sums())
  }
  sizes <- unlist(lapply(list_of_sums, function(s) diff(s$start)))
  cells <- unlist(Map(function(s, o) s$cells + as.integer(o), list_of_sums,
    offsets[seq_along(list_of_sums)]
  ))
  new_sums(sizes, cells)
}

# The total cell of each sum, and each sum's number of parts.
sum_total_cells <- function(sums) sums$cells[sums$start[-length(sums$start)] + 1L]
sum_sizes <- function(sums) diff(sums$start) - 1L

# The sum each entry of `cells` belongs to, and whether it is a total.
sum_of_entry <- function(sums) rep.int(seq_len(n_sums(sums)), diff(sums$start))
entry_is_total <- function(sums) {
  out <- logical(length(sums$cells))
  out[sums$start[-length(sums$start)] + 1L] <- TRUE
  out
}

# The sums `which` (logical or indices) alone.
sums_subset <- function(sums, which) {
  if (is.logical(which)) which <- which(which)
  if (length(which) == 0) {
    return(empty_sums())
  }
  sizes <- diff(sums$start)[which]
  from <- sums$start[which]
  idx <- rep(from, sizes) + sequence(sizes)
  new_sums(sizes, sums$cells[idx])
}

# The sums as a list of vectors (total first), for a small part.
sums_list <- function(sums) {
  if (n_sums(sums) == 0) {
    return(list())
  }
  unname(split(sums$cells, sum_of_entry(sums)))
}

# Sums from a list of vectors (total first).
sums_from_list <- function(cons) {
  if (length(cons) == 0) {
    return(empty_sums())
  }
  new_sums(lengths(cons), unlist(cons, use.names = FALSE))
}

# Whether every sum holds for values `v` (NA where a value is not known:
# such a sum is not checked).
sums_hold <- function(sums, v, tolerance = 1e-9) {
  if (n_sums(sums) == 0) {
    return(TRUE)
  }
  sign <- ifelse(entry_is_total(sums), -1, 1)
  vals <- v[sums$cells]
  id <- sum_of_entry(sums)
  unknown <- rowsum(as.integer(is.na(vals)), id, reorder = FALSE)[, 1] > 0
  total <- abs(rowsum(sign * ifelse(is.na(vals), 0, vals), id, reorder = FALSE)[, 1])
  scale <- rowsum(abs(ifelse(is.na(vals), 0, vals)), id, reorder = FALSE)[, 1]
  all(unknown | total <= tolerance * pmax(1, scale))
}

# For each cell (1..n), the sums it is in, as compressed rows (start,
# sums) of the inverse.
cell_sums_index <- function(sums, n) {
  id <- sum_of_entry(sums)
  ord <- order(sums$cells, method = "radix")
  counts <- tabulate(sums$cells, n)
  list(start = as.integer(c(0L, cumsum(counts))), sums = id[ord])
}

# The sums cell `cell` is in (from cell_sums_index()).
sums_of_cell <- function(index, cell) {
  index$sums[seq.int(index$start[[cell]] + 1L, length.out = index$start[[cell + 1L]] - index$start[[cell]])]
}

# The cells of the sums `which`, each once.
cells_of_sums <- function(sums, which) {
  if (length(which) == 0) {
    return(integer())
  }
  sizes <- diff(sums$start)[which]
  unique(sums$cells[rep(sums$start[which], sizes) + sequence(sizes)])
}

# Connected parts: cells linked through shared sums, by union-find in
# compiled code (src/sums.c). Returns the part of each cell, numbered from
# 1 in order of each part's first cell.
connected_parts <- function(sums, n) {
  .Call(ea_connected_parts, as.integer(sums$start), as.integer(sums$cells), as.integer(n))
}

# The sums of one part and its cells renumbered 1..length(cells).
part_sums <- function(sums, cells, which) {
  s <- sums_subset(sums, which)
  s$cells <- match(s$cells, cells)
  s
}

# Whether the equalities of `sums` over cells 1..n (total +1, parts -1),
# with any bounds on the cells, form a totally unimodular matrix, by the
# sufficient condition of Heller and Tompkins (1956): every cell in at most
# two sums, and the sums split in two sets such that a cell's two sums are
# in different sets when its coefficients have the same sign and in the
# same set when they differ. A two-way table with its margins is one (each
# count in its row's sum and its column's). Then every vertex of the
# linear programme is integral, and linear programmes give the exact
# integer bounds.
sums_unimodular <- function(sums, n) {
  count <- tabulate(sums$cells, n)
  if (any(count > 2)) {
    return(FALSE)
  }
  twice <- which(count == 2)
  if (length(twice) == 0) {
    return(TRUE)
  }
  id <- sum_of_entry(sums)
  sign <- ifelse(entry_is_total(sums), 1, -1)
  at <- which(sums$cells %in% twice)
  at <- at[order(sums$cells[at], method = "radix")]
  first <- at[c(TRUE, FALSE)]
  second <- at[c(FALSE, TRUE)]
  if (any(id[first] == id[second])) {
    return(FALSE)
  }
  # 0 the same set, 1 the other: each edge's parity
  parity <- as.integer(sign[first] == sign[second])
  two_colourable(id[first], id[second], parity, n_sums(sums))
}

# Whether the nodes 1..m can take colours 0/1 with colour[a] xor colour[b]
# equal to parity on every edge (a, b): a breadth-first search.
two_colourable <- function(a, b, parity, m) {
  from <- c(a, b)
  to <- c(b, a)
  par <- c(parity, parity)
  ord <- order(from, method = "radix")
  start <- c(0L, cumsum(tabulate(from, m)))
  to <- to[ord]
  par <- par[ord]
  colour <- rep(NA_integer_, m)
  for (root in seq_len(m)) {
    if (!is.na(colour[[root]])) next
    colour[[root]] <- 0L
    queue <- root
    while (length(queue) > 0) {
      node <- queue
      idx <- unlist(lapply(node, function(v) seq.int(start[[v]] + 1L, length.out = start[[v + 1L]] - start[[v]])))
      src <- rep(node, diff(start)[node])
      want <- bitwXor(colour[src], par[idx])
      nb <- to[idx]
      clash <- !is.na(colour[nb]) & colour[nb] != want
      if (any(clash)) {
        return(FALSE)
      }
      new <- is.na(colour[nb])
      fresh <- nb[new]
      w <- want[new]
      colour[fresh] <- w
      # (two routes to one new node must agree)
      if (any(colour[fresh] != w)) {
        return(FALSE)
      }
      queue <- unique(fresh)
    }
  }
  TRUE
}
