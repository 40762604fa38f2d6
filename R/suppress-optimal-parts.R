# Independent parts of a table, for the optimal suppression of
# suppress-optimal.R and the exact check of suppress-optimal-certify.R:
# the cells linked by sums (union-find), each part's cells and sums as
# compressed rows, and one part as a spec of its own.

# The part of each cell, labelled by a root cell, by union-find over the
# sums. A cell in no sum is a part of its own.
part_labels <- function(cons, n) {
  parent <- seq_len(n)
  for (con in cons) {
    roots <- con
    for (k in seq_along(roots)) {
      i <- roots[[k]]
      while (parent[[i]] != i) i <- parent[[i]]
      roots[[k]] <- i
    }
    root <- min(roots)
    parent[roots] <- root
    # the sum's own cells point at the root directly (path compression)
    parent[con] <- root
  }
  # pointer jumping: every cell straight to its root, in O(log depth)
  # vectorised steps
  repeat {
    up <- parent[parent]
    if (identical(up, parent)) break
    parent <- up
  }
  parent
}

# The parts as compressed rows: part p has cells
# `cells[(cell_start[p] + 1):cell_start[p + 1]]` and the sums
# `sums[(sum_start[p] + 1):sum_start[p + 1]]`; `part` is each cell's part
# number, `local` its place within its part.
part_index <- function(cons, n) {
  label <- part_labels(cons, n)
  roots <- unique(label)
  part <- match(label, roots)
  n_parts <- length(roots)
  cells <- order(part)
  sizes <- tabulate(part, n_parts)
  local <- integer(n)
  local[cells] <- sequence(sizes)
  firsts <- as.integer(vapply(cons, function(con) con[[1]], 0))
  sum_part <- part[firsts]
  list(
    part = part, local = local, n_parts = n_parts,
    cells = cells, cell_start = c(0L, cumsum(sizes)),
    sums = order(sum_part),
    sum_start = c(0L, cumsum(tabulate(sum_part, n_parts)))
  )
}

part_cells <- function(index, p) {
  index$cells[seq.int(index$cell_start[[p]] + 1L, length.out = index$cell_start[[p + 1L]] - index$cell_start[[p]])]
}

optimal_part_sums <- function(index, p) {
  index$sums[seq.int(index$sum_start[[p]] + 1L, length.out = index$sum_start[[p + 1L]] - index$sum_start[[p]])]
}

# Part p of a spec as a spec of its own, its sums numbered within it;
# `cells` says where its cells are in the whole spec.
optimal_part_spec <- function(spec, index, p) {
  cells <- part_cells(index, p)
  local <- index$local
  out <- list(
    value = spec$value[cells], kind = spec$kind[cells],
    row = spec$row[cells], column = spec$column[cells], table = spec$table[cells],
    cons = lapply(spec$cons[optimal_part_sums(index, p)], function(con) local[con])
  )
  out$sums <- sums_from_list(out$cons)
  out$cells <- cells
  out
}

# Sums as triplets (row, cell, +1 for the total, -1 for each part).
sum_triplets <- function(cons) {
  size <- lengths(cons)
  v <- rep(-1, sum(size))
  v[c(1L, cumsum(size)[-length(size)] + 1L)[size > 0]] <- 1
  list(i = rep(seq_along(cons), size), j = as.integer(unlist(cons)), v = v)
}

# A spec with its sums both as compressed rows (`sums`, read by the
# bounds of disclosure-bounds.R) and as a list (`cons`, read here).
with_cons <- function(spec) {
  if (is.null(spec$cons)) spec$cons <- sums_list(spec$sums)
  if (is.null(spec$sums)) spec$sums <- sums_from_list(spec$cons)
  spec
}
