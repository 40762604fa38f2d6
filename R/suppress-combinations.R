# The people of a table of combined groups (c(eth, sex)) whose combination
# has an unknown part. The table shows one row for all of them (or none),
# while a table of one of the parts (a cohort's rows of eth and of sex, an
# outcome table by eth) counts them by the part they have: the people of
# eth "A" are those of every combination ("A", sex) and those of "A" whose
# sex is not known. So that suppression and disclosure_check() see what a
# reader can work out, each combination of known values and unknown parts
# in each stratum is a hidden count of its own (its true value is not in
# the tables: NA), for each measure the table counts, and the unknown row
# is their sum.

# The described cells `lc` (link_cells()) with the hidden combinations of
# every table of combined groups added (flagged `atom`), numbered after
# the `n_cells` cells so far. Returns list(lc, sums, extra): the unknown
# rows as sums of their combinations, and the combinations as hidden counts
# (list(value, column)).
combination_atoms <- function(lc, n_cells) {
  sums <- list()
  extra <- list(value = numeric(), column = character())
  for (t in which(!vapply(lc$parts, is.null, TRUE))) {
    found <- table_atoms(lc, t, n_cells + length(extra$value))
    if (is.null(found)) next
    lc$cells <- rbind(lc$cells, found$cells)
    lc$place <- rbind(lc$place, found$place)
    sums[[length(sums) + 1L]] <- found$sums
    extra$value <- c(extra$value, rep(NA_real_, nrow(found$cells)))
    extra$column <- c(extra$column, found$column)
  }
  list(lc = lc, sums = sums_bind(sums), extra = extra)
}

table_atoms <- function(lc, t, n_before) {
  cells <- lc$cells
  parts <- lc$parts[[t]]
  unknown <- which(cells$table == t & cells$unknown_row)
  if (length(unknown) == 0) {
    return(NULL)
  }
  mine <- which(cells$table == t & cells$part)
  strata_cols <- setdiff(colnames(lc$place), parts)
  stratum_key <- function(rows) {
    p <- lc$place[rows, strata_cols, drop = FALSE]
    if (ncol(p) == 0) {
      return(rep("", length(rows)))
    }
    do.call(paste, c(lapply(seq_len(ncol(p)), function(j) p[, j]), sep = "\r"))
  }
  # every combination of known values and missing parts, some part missing
  levels <- lapply(parts, function(p) c(unique(stats::na.omit(lc$place[mine, p])), missing_mark))
  combos <- as.matrix(expand.grid(levels, stringsAsFactors = FALSE, KEEP.OUT.ATTRS = FALSE))
  colnames(combos) <- parts
  combos <- combos[rowSums(combos == missing_mark) > 0, , drop = FALSE]
  # one set of combinations for each unknown row (a stratum and measure)
  k <- nrow(combos)
  row_of <- rep(unknown, each = k)
  place <- lc$place[row_of, , drop = FALSE]
  place[, parts] <- combos[rep(seq_len(k), length(unknown)), , drop = FALSE]
  new <- data.frame(
    table = t, cell = n_before + seq_along(row_of), measure = cells$measure[row_of],
    people_part = FALSE, part = TRUE, pooled = cells$pooled[row_of], unknown_row = FALSE, atom = TRUE,
    stringsAsFactors = FALSE
  )
  # a combination counts people wherever its unknown row is a part of the
  # table's partition of people
  new$people_part <- rep(unknown_people_part(lc, unknown, t), each = k)
  label <- apply(combos, 1, function(v) paste(ifelse(v == missing_mark, "not known", v), collapse = ", "))
  where <- stratum_key(row_of)
  where[is.na(where) | grepl("^NA(\r|$)", where)] <- "all"
  column <- sprintf("%s of table %d of %s (%s)", cells$measure[row_of], t, rep(label, length(unknown)), where)
  sums <- list(
    sums_grouped(cells$cell[unknown], new$cell, rep(seq_along(unknown), each = k)),
    pooled_atom_sums(new, k)
  )
  people <- people_atoms(new, k, t, label, where, n_before + nrow(new))
  if (!is.null(people)) {
    new <- rbind(new, people$cells)
    place <- rbind(place, place[people$like, , drop = FALSE])
    sums[[3]] <- people$sums
    column <- c(column, people$column)
  }
  list(cells = new, place = place, sums = sums_bind(sums), column = column)
}

# Where a table counts people in more than one column (known outcome and
# outcome missing), the people of a combination are a count a reader can
# bound too: one more hidden count, the sum of its parts (not itself a
# part of any place, so never counted twice).
people_atoms <- function(new, k, t, label, where, n_before) {
  pp <- which(new$people_part)
  if (length(unique(new$measure[pp])) < 2) {
    return(NULL)
  }
  combo <- rep_len(seq_len(k), nrow(new))[pp]
  key <- paste(where[pp], combo, sep = "\r")
  first <- pp[!duplicated(key)]
  cells <- new[first, , drop = FALSE]
  cells$cell <- n_before + seq_along(first)
  cells$measure <- "people"
  cells$part <- FALSE
  cells$people_part <- FALSE
  list(
    cells = cells, like = first,
    sums = sums_grouped(cells$cell, new$cell[pp], match(key, key[!duplicated(key)])),
    column = sprintf("people of table %d of %s (%s)", t, label[rep_len(seq_len(k), nrow(new))[first]], where[first])
  )
}

# A pooled stratum's combination is the sum of the same combination in
# each stratum (so a count of, say, women of unknown ethnicity in all
# services is protected as well as each service's).
pooled_atom_sums <- function(new, k) {
  combo <- rep_len(seq_len(k), nrow(new))
  key <- paste(new$measure, combo, sep = "\r")
  pooled <- which(new$pooled)
  if (length(pooled) == 0) {
    return(empty_sums())
  }
  strata <- which(!new$pooled)
  sums_grouped(new$cell[pooled], new$cell[strata], match(key[strata], key[pooled]))
}

# Whether the unknown rows `rows` of table t are in its partition of people
# (their column is a partition column: set by table_cells() before the row
# was marked unknown).
unknown_people_part <- function(lc, rows, t) {
  lc$cells$measure[rows] %in% lc$people_measures[[t]]
}
