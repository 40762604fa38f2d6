# The input layer of every analysis verb: people counted by group (one
# column, or several whose combination is the group), an optional inner
# column (the outcome) and the strata, under one rule for missing values.
#
# The rule (documented in ?equityaudit-arguments): NA, blank or
# whitespace-only strings, and the values named in `unknown` are not known.
# In the group columns they make one unknown group, last (a combination with
# any unknown part is unknown); in a stratum column, one stratum of its
# own. Both are labelled by unknown_label(): the first of `unknown`, else
# "Not known" (unless a value of the column has that label). Everything
# here works on the counts of the distinct combinations, never per record.

# Counts of `data` by the group column(s), the `inner` column and the
# `split` (stratum) columns (and, with `key`, the sums of that column of
# record keys, counted in the same pass). Returns a tally:
#   array   [group row, inner slot (NA last)..., stratum]; the group rows
#           are every combination of the parts' known values (the first
#           part varying slowest), then the unknown group;
#   groups  the rows: label, unknown (logical), parts (a list of part
#           values per row, NA on the unknown row) and column (the label
#           column for results: a factor when a part is one, in level
#           order);
#   strata  the stratum columns (unknown values labelled), one element per
#           stratum with anybody, in level order; strata_unknown: which are
#           the unknown stratum of each column;
#   keys    the key sums, laid out as `array` (NULL without `key`);
#   inner   the values of the inner column, NA last;
#   name    the name of the group column of results; parts: the columns.
tally <- function(data, group, split = character(), weight = NULL,
                  inner = character(), unknown = NULL, group_arg = "group",
                  inner_arg = "outcome", key = NULL) {
  # the names of `split`, if any, are the arguments its columns came from
  arg <- c(
    rep(group_arg, length(group)), rep(inner_arg, length(inner)),
    if (is.null(names(split))) rep("by", length(split)) else names(split)
  )
  split <- unname(split)
  cc <- count_cells(data, c(group, inner, split), weight = weight, arg = arg, sums = key)
  folded <- c(seq_along(group), length(group) + length(inner) + seq_along(split))
  cc <- fold_unknown(cc, folded, unknown)
  # ethnic categories in the ONS order (the rule: ethnicity_rank())
  cc <- order_ethnic_levels(cc, seq_along(group))
  n_head <- length(group) + length(inner)
  sa <- strata_array(cc, n_head)
  g_nlev <- cc$nlev[seq_along(group)]
  array <- merge_group_dims(sa$array, g_nlev)
  # the sums of the records' keys, laid out as the counts (cell-key rule)
  keys <- if (length(key) > 0) merge_group_dims(sa$sums[[1]], g_nlev)
  groups <- group_rows(lapply(seq_along(group), function(j) {
    known_values(cc$values[[j]], g_nlev[[j]])
  }), group, unknown)
  strata <- strata_frame(sa$by_slots, cc$values[n_head + seq_along(split)], split)
  list(
    array = array, keys = keys, groups = groups,
    strata = lapply(strata, label_unknown, unknown = unknown),
    strata_unknown = lapply(strata, is.na),
    inner = lapply(cc$values[length(group) + seq_along(inner)], slot_values),
    name = group_name(group), parts = group, unknown = unknown,
    unknown_label = groups$label[[length(groups$label)]]
  )
}

# The split columns of a verb, named by the argument each came from.
split_columns <- function(cols, args = c("by", "strata")) {
  out <- unlist(lapply(args, function(a) {
    stats::setNames(cols[[a]], rep(a, length(cols[[a]])))
  }))
  if (is.null(out)) character() else out
}

# The known values of one counted column (its first nlev slots).
known_values <- function(values, nlev) slot_values(values)[seq_len(nlev)]

# Folds the levels named in `unknown` of the columns `which` into their NA
# slot.
fold_unknown <- function(cc, which, unknown) {
  if (length(unknown) == 0) {
    return(cc)
  }
  maps <- vector("list", length(cc$nlev))
  for (j in which) {
    nlev <- cc$nlev[[j]]
    drop <- as.character(known_values(cc$values[[j]], nlev)) %in% unknown
    if (!any(drop)) next
    keep <- which(!drop)
    map <- rep(length(keep), nlev + 1L)
    map[keep] <- seq_along(keep) - 1L
    maps[[j]] <- list(map = map, values = keep_levels(cc$values[[j]], keep))
  }
  remap_levels(cc, maps)
}

# The level values `keep` of a counted column's values, of the same kind.
keep_levels <- function(values, keep) {
  if (is.factor(values)) {
    lv <- levels(values)[keep]
    return(structure(seq_along(lv), levels = lv, class = class(values)))
  }
  values[keep]
}

# Merges the leading group dimensions of a [parts..., rest...] array into
# one dimension of rows: every combination of known values (the first part
# varying slowest), then one unknown row for every combination with a
# missing part.
merge_group_dims <- function(arr, g_nlev) {
  d <- dim(arr)
  n_parts <- length(g_nlev)
  rest <- d[-seq_len(n_parts)]
  if (n_parts == 1) {
    return(arr)
  }
  row <- group_row_map(g_nlev)
  flat <- matrix(arr, length(row))
  merged <- rowsum(flat, row, reorder = TRUE)
  array(merged, c(prod(g_nlev) + 1, rest))
}

# For every combination of slots of the parts (the first part varying
# fastest, as in an array), its group row.
group_row_map <- function(g_nlev) {
  grid <- expand.grid(lapply(g_nlev + 1L, seq_len), KEEP.OUT.ATTRS = FALSE)
  known <- Reduce(`&`, Map(function(s, n) s <= n, grid, g_nlev))
  stride <- rev(cumprod(rev(c(g_nlev[-1], 1))))
  row <- Reduce(`+`, Map(function(s, st) (s - 1) * st, grid, stride)) + 1
  ifelse(known, row, prod(g_nlev) + 1)
}

# The group rows from the known values of each part: labels, the part
# values per row and the label column of results.
group_rows <- function(part_values, group, unknown) {
  grid <- rev(expand.grid(rev(lapply(part_values, seq_along)), KEEP.OUT.ATTRS = FALSE))
  parts <- Map(function(v, i) v[i], part_values, grid)
  names(parts) <- group
  labels <- combined_labels(lapply(parts, as.character))
  missing_label <- unknown_label(unknown, labels)
  parts <- lapply(parts, function(v) c(v, v[NA_integer_]))
  column <- if (length(group) == 1 && is.factor(part_values[[1]])) {
    v <- part_values[[1]]
    factor(c(labels, missing_label), levels = c(labels, missing_label), ordered = is.ordered(v))
  } else if (length(group) > 1) {
    factor(c(labels, missing_label), levels = c(labels, missing_label))
  } else {
    c(labels, missing_label)
  }
  list(
    label = c(labels, missing_label), unknown = c(rep(FALSE, length(labels)), TRUE),
    parts = parts, column = column
  )
}

# Labels of combined groups: the parts joined by a separator that occurs in
# none of them (", ", else " / ", ...), so that two different combinations
# never share a label.
combined_labels <- function(parts) {
  if (length(parts) == 1) {
    return(parts[[1]])
  }
  values <- unlist(parts)
  for (sep in c(", ", " / ", " | ", "; ", " + ")) {
    if (!any(grepl(sep, values, fixed = TRUE))) {
      return(do.call(paste, c(unname(parts), sep = sep)))
    }
  }
  make.unique(do.call(paste, c(unname(parts), sep = ", ")), sep = " #")
}

# The name of the group column of results: the columns joined by "_".
group_name <- function(group) paste(group, collapse = "_")

# The label of the unknown group or stratum: the first of the user's
# `unknown` labels, else "Not known" (or another label no value has).
unknown_label <- function(unknown, labels) {
  if (length(unknown) > 0) {
    return(unknown[[1]])
  }
  first_unused(c("Not known", "Not known (missing)", "(missing)"), labels)
}

# A stratum column with its missing values labelled (see unknown_label()),
# keeping a factor a factor (the label as its last level).
label_unknown <- function(v, unknown = NULL) {
  if (!anyNA(v)) {
    return(v)
  }
  if (is.factor(v)) {
    lab <- unknown_label(unknown, levels(v))
    levels(v) <- c(levels(v), lab)
    v[is.na(v)] <- lab
    return(v)
  }
  v <- as.character(v)
  v[is.na(v)] <- unknown_label(unknown, v)
  v
}

# The labels of the unknown strata of the `by` columns of a tally (a named
# list; columns without one are left out).
unknown_strata_labels <- function(tl, by) {
  out <- list()
  for (cl in by) {
    u <- tl$strata_unknown[[cl]]
    if (any(u)) out[[cl]] <- unique(as.character(tl$strata[[cl]][u]))
  }
  out
}

# The group columns of result rows (`times` blocks of the rows `keep`):
# the label column named `name`, and for combined groups each part first.
group_columns <- function(groups, keep, times, name) {
  out <- list()
  if (length(groups$parts) > 1) {
    out <- lapply(groups$parts, function(v) rep(v[keep], times))
  }
  out[[name]] <- rep(groups$column[keep], times)
  out
}

# The key of each stratum of a tally, unknown values as NA (as
# strata_key() writes raw values folded by fold_values()).
tally_strata_key <- function(tl, by) {
  n_s <- utils::tail(dim(tl$array), 1)
  strata_key(lapply(by, function(b) {
    replace(as.character(tl$strata[[b]]), tl$strata_unknown[[b]], NA)
  }), n_s)
}

# The tally with its key sums in place of its counts, so that a result built
# from it holds the key sums of its counts (the cell-key rule).
keyed_tally <- function(tl) {
  if (is.null(tl$keys)) abort_internal("a tally without record keys")
  tl$array <- tl$keys
  tl$keys <- NULL
  tl
}

# Applies `f` to the counts of a tally and to its key sums alike.
map_tally <- function(tl, f) {
  tl$array <- f(tl$array)
  if (!is.null(tl$keys)) tl$keys <- f(tl$keys)
  tl
}
