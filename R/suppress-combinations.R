# The people of a table of combined groups (c(eth, sex)) whose combination
# has an unknown part. The table shows one row for all of them (or none),
# while a table of one of the parts (a cohort's rows of eth and of sex)
# counts them by the part they have: the people of eth "A" are those of
# every combination ("A", sex) and those of "A" whose sex is not known. So
# that suppression and disclosure_check() see what a reader can work out,
# each combination of known values and unknown parts in each stratum is a
# hidden count of its own (its true value is not in the tables: NA); the
# unknown row is their sum, and a pooled stratum's are the sums of its
# strata's.

# The hidden counts of the combined-group tables among `cells` (from
# described_cells()), numbered after the n_cells cells so far. Returns
# list(cells: rows to add to `cells`, cons, extra: list(value, column)).
combination_cells <- function(cells, n_cells) {
  out <- list(cells = cells[0, ], cons = list(), extra = list(value = numeric(), column = character()))
  for (t in unique(cells$table[cells$parts != ""])) {
    out <- table_combinations(cells, t, n_cells, out)
  }
  out
}

table_combinations <- function(cells, t, n_cells, out) {
  mine <- which(cells$table == t & cells$part)
  parts <- strsplit(cells$parts[mine[[1]]], "\r", fixed = TRUE)[[1]]
  places <- lapply(cells$place[mine], place_values)
  stratum <- vapply(places, function(p) place_key(p[setdiff(names(p), parts)]), "")
  levels <- lapply(stats::setNames(parts, parts), function(v) unique(vapply(places, `[[`, "", v)))
  combos <- expand.grid(lapply(levels, function(l) c(l, NA)), stringsAsFactors = FALSE, KEEP.OUT.ATTRS = FALSE)
  combos <- combos[!stats::complete.cases(combos), , drop = FALSE]
  unknown <- which(cells$table == t & cells$unknown_row)
  unknown_stratum <- vapply(cells$place[unknown], function(k) {
    p <- place_values(k)
    place_key(p[setdiff(names(p), names(p)[startsWith(p, "<missing:")])])
  }, "")
  first <- !duplicated(stratum)
  atoms_of <- list()
  for (i in which(first)) {
    wild <- place_values(cells$wild[mine[[i]]])
    wild <- wild[setdiff(names(wild), parts)]
    vals <- places[[i]][setdiff(names(places[[i]]), parts)]
    atoms <- integer()
    for (k in seq_len(nrow(combos))) {
      combo <- vapply(combos[k, , drop = FALSE], function(v) if (is.na(v)) "<missing:?>" else v, "")
      n <- n_cells + length(out$extra$value) + 1L
      atoms <- c(atoms, n)
      out$extra$value <- c(out$extra$value, NA_real_)
      out$extra$column <- c(out$extra$column, sprintf(
        "people of table %d of %s", t, combination_label(c(vals, combo))
      ))
      out$cells <- rbind(out$cells, data.frame(
        table = t, cell = n, measure = "people", place = place_key(c(vals, combo)),
        wild = place_key(c(wild, combo)), part = TRUE, pooled = cells$pooled[mine[[i]]],
        leaves = cells$leaves[mine[[i]]], parts = cells$parts[mine[[i]]], unknown_row = FALSE, combination = TRUE,
        stringsAsFactors = FALSE
      ))
    }
    atoms_of[[stratum[[i]]]] <- atoms
    # the unknown row: all of them (of its known and missing outcomes)
    row <- unknown[unknown_stratum == stratum[[i]]]
    if (length(row) > 0) {
      n <- n_cells + length(out$extra$value) + 1L
      out$extra$value <- c(out$extra$value, NA_real_)
      out$extra$column <- c(out$extra$column, sprintf(
        "people of table %d of %s with an unknown part", t, combination_label(vals)
      ))
      out$cons <- c(out$cons, list(c(n, cells$cell[row]), c(n, atoms)))
    }
  }
  pooled_sums(cells, mine, first, stratum, atoms_of, out)
}

# A pooled stratum's hidden counts are the sums of those of the strata it
# pools (the strata whose places fall within its `wild` place).
pooled_sums <- function(cells, mine, first, stratum, atoms_of, out) {
  pooled <- which(first & cells$pooled[mine])
  base <- which(first & !cells$pooled[mine])
  for (i in pooled) {
    want <- place_values(cells$wild[mine[[i]]])
    want <- want[intersect(names(want), names(place_values(stratum[[i]])))]
    within <- base[vapply(base, function(j) place_within(want, place_values(stratum[[j]])), TRUE)]
    if (length(within) == 0) next
    for (k in seq_along(atoms_of[[stratum[[i]]]])) {
      parts <- vapply(within, function(j) atoms_of[[stratum[[j]]]][[k]], 1L)
      out$cons[[length(out$cons) + 1]] <- c(atoms_of[[stratum[[i]]]][[k]], parts)
    }
  }
  out
}

combination_label <- function(vals) {
  vals <- sub("^<missing:.*>$", "not known", vals)
  paste(paste0(names(vals), " ", vals), collapse = ", ")
}
