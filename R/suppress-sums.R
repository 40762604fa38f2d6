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
