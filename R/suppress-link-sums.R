# The sums of suppress-links.R, found by hash joins on the places of the
# cells: equal descriptions are one count, and a count of a place is the
# sum of another table's counts of the same measure within it (with a
# hidden count of the people that table leaves out, where it leaves some).

# The sums linking the described cells `lc` (link_cells(), with the hidden
# combinations of combination_atoms() among them) whose true values are
# `values` (NA where not known), numbered after the `n_cells` cells of the
# tables. Returns list(sums, extra): `extra` the hidden counts of people a
# table leaves out (list(value, column)), numbered after n_cells.
linking_sums <- function(lc, values, n_cells) {
  cells <- lc$cells
  place <- lc$place
  extra <- list(value = numeric(), column = character())
  status <- place_status(place)
  full <- place_key(place, status)
  # equal descriptions: one count
  ident <- paste(cells$measure, full, sep = "\r")
  same <- match(ident, ident)
  copy <- same != seq_along(same) & !cells$atom
  out <- list(sums_rowwise(cells$cell[same[copy]], cells$cell[copy]))
  # a count of a place: the sum of each other table's counts within it
  targets <- which(!cells$unknown_row & !cells$atom)
  sig <- signature_of(status[targets, , drop = FALSE])
  for (s in unique(sig)) {
    tg <- targets[sig == s]
    cols <- which(status[tg[[1]], ] != "")
    for (b in unique(cells$table)) {
      found <- containment_sums(lc, status, tg, cols, b, values, n_cells + length(extra$value))
      if (is.null(found)) next
      out[[length(out) + 1L]] <- found$sums
      extra$value <- c(extra$value, found$extra$value)
      extra$column <- c(extra$column, found$extra$column)
    }
  }
  list(sums = sums_bind(out), extra = extra)
}

# What a place says of each column: "" (nothing), "v" (a value), "M" (not
# known), "K" (any known value).
place_status <- function(place) {
  st <- matrix("v", nrow(place), ncol(place), dimnames = dimnames(place))
  st[is.na(place)] <- ""
  st[place %in% missing_mark] <- "M"
  st[place %in% known_mark] <- "K"
  st
}

place_key <- function(place, status) {
  if (ncol(place) == 0) {
    return(rep("", nrow(place)))
  }
  # (the marks, not the letters: a value can be "M")
  v <- ifelse(status == "", "", ifelse(status == "v", place, ifelse(status == "M", missing_mark, known_mark)))
  do.call(paste, c(lapply(seq_len(ncol(v)), function(j) v[, j]), sep = "\r"))
}

signature_of <- function(status) {
  if (ncol(status) == 0) {
    return(rep("", nrow(status)))
  }
  # (positional: a column that says nothing is "-", not left out)
  do.call(paste0, lapply(seq_len(ncol(status)), function(j) ifelse(status[, j] == "", "-", status[, j])))
}

# The sums of the targets `tg` (cells sharing the columns `cols` and what
# they say of them) over the members of table `b` within their places.
containment_sums <- function(lc, status, tg, cols, b, values, n_before) {
  cells <- lc$cells
  place <- lc$place
  tg <- tg[cells$table[tg] != b]
  if (length(tg) == 0) {
    return(NULL)
  }
  members <- which(cells$table == b & (cells$part | cells$people_part))
  if (length(members) == 0) {
    return(NULL)
  }
  # a table stratified as a pooled target is tied to its strata already
  wild <- lc$wild[[cells$table[tg[[1]]]]]
  b_cols <- colnames(place)[colSums(status[members, , drop = FALSE] != "") > 0]
  if (any(cells$pooled[tg]) && any(wild %in% b_cols)) tg <- tg[!cells$pooled[tg]]
  if (length(tg) == 0) {
    return(NULL)
  }
  # members restrict every column the targets restrict
  m_status <- status[members, cols, drop = FALSE]
  members <- members[rowSums(m_status == "") == 0]
  if (length(members) == 0) {
    return(NULL)
  }
  want <- status[tg[[1]], cols]
  m_place <- period_in_terms(lc, place[members, cols, drop = FALSE], cells$table[tg[[1]]], b)
  m_key <- member_key(m_place, status[members, cols, drop = FALSE], want)
  t_key <- place_key(place[tg, cols, drop = FALSE], status[tg, cols, drop = FALSE])
  # (one target per place and measure)
  first_tg <- !duplicated(paste(cells$measure[tg], t_key, sep = "\r"))
  tg <- tg[first_tg]
  t_key <- t_key[first_tg]
  sums <- list()
  extra <- list(value = numeric(), column = character())
  for (m in unique(cells$measure[tg])) {
    tm <- tg[cells$measure[tg] == m]
    mm <- members[if (m == "people") cells$people_part[members] else cells$part[members] & cells$measure[members] == m]
    if (length(tm) == 0 || length(mm) == 0) next
    group <- match(m_key[match(mm, members)], t_key[match(tm, tg)])
    has <- tabulate(group[!is.na(group)], length(tm))
    use <- which(has > 0)
    if (length(use) == 0) next
    slack <- needs_slack(lc, status, tm[use], b, m)
    # a single member with the same place and nothing left out is the same
    # count (linked as such already)
    single <- has[use] == 1 & !slack
    if (any(single)) {
      lone <- use[single]
      mine <- mm[match(lone, group)]
      same_place <- place_key(place[tm[lone], , drop = FALSE], status[tm[lone], , drop = FALSE]) ==
        place_key(place[mine, , drop = FALSE], status[mine, , drop = FALSE])
      keep <- !(use %in% lone[same_place])
      use <- use[keep]
      slack <- slack[keep]
    }
    if (length(use) == 0) next
    parts <- cells$cell[mm]
    pgroup <- match(group, use)
    totals <- cells$cell[tm[use]]
    if (any(slack)) {
      left <- which(slack)
      sum_in <- as.vector(rowsum(values[parts[!is.na(pgroup)]], pgroup[!is.na(pgroup)], reorder = TRUE))
      ids <- n_before + length(extra$value) + seq_along(left)
      extra$value <- c(extra$value, values[totals[left]] - sum_in[left])
      extra$column <- c(extra$column, sprintf("%s of table %d's row left out of table %d", m, cells$table[tm[use[left]]], b))
      parts <- c(parts, ids)
      pgroup <- c(pgroup, left)
    }
    sums[[length(sums) + 1L]] <- sums_grouped(totals, parts, pgroup)
  }
  if (length(sums) == 0) {
    return(NULL)
  }
  list(sums = sums_bind(sums), extra = extra)
}

# The key of each member of a table on the target's columns, as the target
# reads them: a value, "M" for a missing one, "K" for any known value, and
# "\002" (matching no target) where a member does not fall within.
member_key <- function(m_place, m_status, want) {
  v <- m_place
  for (j in seq_along(want)) {
    w <- want[[j]]
    s <- m_status[, j]
    v[, j] <- switch(w,
      v = ifelse(s == "v", m_place[, j], "\002"),
      M = ifelse(s == "M", missing_mark, "\002"),
      K = ifelse(s == "v", known_mark, "\002")
    )
  }
  if (ncol(v) == 0) {
    return(rep("", nrow(v)))
  }
  do.call(paste, c(lapply(seq_len(ncol(v)), function(j) v[, j]), sep = "\r"))
}

# A table of periods read in another's periods: each of its periods as the
# other's period that holds its days (a quarter within its year), NA where
# none does.
period_in_terms <- function(lc, m_place, a, b) {
  if (!("period" %in% colnames(m_place))) {
    return(m_place)
  }
  pa <- lc$periods[[a]]
  pb <- lc$periods[[b]]
  if (is.null(pa) || is.null(pb) || identical(pa, pb)) {
    return(m_place)
  }
  i <- match(m_place[, "period"], pb$label)
  from <- pb$from[i]
  to <- pb$to[i]
  j <- findInterval(from, pa$from)
  ok <- j > 0 & !is.na(to)
  ok[ok] <- to[ok] <= pa$to[j[ok]]
  m_place[, "period"] <- ifelse(ok, pa$label[pmax(j, 1)], NA_character_)
  m_place
}

# Whether table `b` leaves out some of the people (of measure `m`) of each
# target's place that the target's table counts: those with no date; of
# unknown outcome (for people); of unknown group unless the place is of a
# known group; of unknown stratum unless the place restricts every stratum
# column of `b`.
needs_slack <- function(lc, status, tm, b, m) {
  leaves <- lc$leaves[[b]]
  # people the target's own table leaves out too are in neither
  a <- lc$cells$table[tm]
  also <- function(code) vapply(lc$leaves, function(l) code %in% l, TRUE)[a]
  out <- ("date" %in% leaves & !also("date")) |
    (m == "people" & "outcome" %in% leaves & !also("outcome"))
  known <- function(cl) {
    if (!(cl %in% colnames(status))) {
      return(rep(FALSE, length(tm)))
    }
    status[tm, cl] %in% c("v", "K")
  }
  if ("group" %in% leaves) {
    # (a broad group is known where its detailed group is: the hierarchy
    # maps each known detailed value to one)
    g <- lc$group[[b]]
    known_g <- known(g)
    if (length(lc$hierarchy) == 2 && identical(g, lc$hierarchy[[1]])) known_g <- known_g | known(lc$hierarchy[[2]])
    out <- out | (!known_g & !also("group"))
  }
  if ("by" %in% leaves) {
    for (cl in lc$by[[b]]) out <- out | (!known(cl) & !also("by"))
  }
  out
}
