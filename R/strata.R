# Strata: the combinations of the stratifying columns, laid out from the
# counts, keyed, described, and the one appender of pooled strata.

# Rearranges a count_cells() result over columns c(inner, by) into an array
# with the inner dimensions (NA level last) and one slice per stratum that
# has anybody in it. Returns list(array, by_slots): by_slots holds the
# 0-based slots of the strata, one vector per by column.
strata_array <- function(cc, n_inner) {
  inner_dim <- cc$nlev[seq_len(n_inner)] + 1L
  by_nlev <- cc$nlev[seq_along(cc$nlev) > n_inner]
  inner_size <- prod(inner_dim)
  if (cc$dense) {
    flat <- matrix(cc$count, nrow = inner_size)
    # without by columns there is one stratum, even with nobody in it
    keep <- if (length(by_nlev) == 0) 1L else which(colSums(flat) > 0)
    lay <- function(v) matrix(v, nrow = inner_size)[, keep, drop = FALSE]
    by_key <- keep - 1
  } else {
    occupied <- cc$count > 0
    key <- cc$key[occupied]
    by_all <- key %/% inner_size
    by_key <- if (length(by_nlev) == 0) 0 else sort(unique(by_all))
    at <- cbind(key %% inner_size + 1, match(by_all, by_key))
    lay <- function(v) {
      arr <- matrix(0, inner_size, length(by_key))
      arr[at] <- v[occupied]
      arr
    }
  }
  arr <- lay(cc$count)
  sums <- lapply(cc$sums, lay)
  # strata in the order of their by columns, the first varying slowest
  by_slots <- key_slots(by_key, by_nlev)
  # by_key is increasing, so one by column is already in order
  ord <- seq_along(by_key)
  if (length(by_slots) > 1) {
    ord <- do.call(order, unname(by_slots))
    by_slots <- lapply(by_slots, `[`, ord)
  }
  shape <- function(m) array(m[, ord, drop = FALSE], c(inner_dim, length(by_key)))
  list(array = shape(arr), by_slots = by_slots, sums = lapply(sums, shape))
}

# The stratum columns (a named list) from their slots, `times` rows each.
strata_frame <- function(by_slots, values, by, times = 1L) {
  out <- Map(
    function(s, v) slot_values(v)[rep(s, each = times) + 1L],
    by_slots, values
  )
  names(out) <- by
  out
}

strata_frame_rep <- function(strata, times) {
  lapply(strata, function(v) rep(v, each = times))
}

# One string per row identifying its stratum (NA kept apart from "NA").
strata_key <- function(strata, n) {
  if (length(strata) == 0) {
    return(rep("", n))
  }
  do.call(paste, c(lapply(strata, function(v) {
    ifelse(is.na(v), "\u2205NA", as.character(v))
  }), sep = "\r"))
}

# Describes stratum s for messages: 'stratum service = "A", sex = "F"'.
stratum_label <- function(strata, s) {
  if (length(strata) == 0) {
    return("the table")
  }
  paste0(
    "stratum ",
    paste(names(strata), vapply(strata, function(v) {
      format_values(as.character(v[[s]]))
    }, character(1)), sep = " = ", collapse = ", ")
  )
}

# The one appender of pooled strata. `arr` has strata in its last
# dimension, described by `strata` (a named list of columns); for each
# combination of the other columns (in order of first appearance), a
# pooled stratum sums the strata over the `by` columns, which it labels
# pooled_label() ("Total", unless a stratum has that label). Returns
# list(array, strata, pooled): `pooled` marks the appended strata, so that
# a stratum that happens to be called "Total" stays itself. With one value
# of `by` a pooled stratum would only repeat it (and count its test twice):
# then none is added, unless `single` (the adjusted analyses pool slices
# of adjustment strata, and decide by their units).
append_pooled <- function(arr, strata, by, single = FALSE) {
  d <- dim(arr)
  n_s <- d[[length(d)]]
  within <- setdiff(names(strata), by)
  key <- strata_key(strata[within], n_s)
  # pooling everything gives one stratum, even of nobody; a pooled stratum
  # of one stratum would only repeat it (and count its test twice)
  groups <- if (length(within) == 0) "" else unique(key)
  if (n_s > 0 && !single && length(unique(strata_key(strata[by], n_s))) < 2) groups <- character()
  flat <- matrix(arr, nrow = prod(d[-length(d)]), ncol = n_s)
  in_group <- key %in% groups
  pooled <- t(rowsum(t(flat[, in_group, drop = FALSE]), factor(key[in_group], levels = groups), reorder = TRUE))
  if (n_s == 0 || length(groups) == 0) pooled <- matrix(0, nrow(flat), length(groups))
  first <- match(groups, key)
  if (length(within) == 0) first <- rep(NA_integer_, length(groups))
  out_strata <- lapply(stats::setNames(names(strata), names(strata)), function(nm) {
    v <- strata[[nm]]
    if (!(nm %in% by)) {
      return(c_values(v, v[first]))
    }
    label <- pooled_label(if (is.factor(v)) levels(v) else v)
    c_values(v, rep(label, length(groups)))
  })
  list(
    array = array(cbind(flat, pooled), c(d[-length(d)], n_s + length(groups))),
    strata = out_strata,
    pooled = c(rep(FALSE, n_s), rep(TRUE, length(groups)))
  )
}

# c() of a column and more values, keeping a factor a factor (new values as
# new last levels) and otherwise turning to text only when needed.
c_values <- function(v, more) {
  if (is.factor(v)) {
    more <- as.character(more)
    lv <- c(levels(v), setdiff(unique(more), levels(v)))
    return(factor(c(as.character(v), more), levels = lv, ordered = is.ordered(v)))
  }
  if (is.character(more) && !is.character(v)) v <- as.character(v)
  c(v, more)
}

# The total of each row (first dimension) of an array, whatever its other
# dimensions (also when one of them is empty).
row_totals <- function(a) rowSums(matrix(a, nrow = dim(a)[[1]]))

first_unused <- function(candidates, used) {
  free <- candidates[!(candidates %in% used)]
  if (length(free) > 0) free[[1]] else make.unique(c(used, candidates[[1]]))[[length(used) + 1]]
}

# The pooled stratum's label: "Total", unless a stratum has that label.
pooled_label <- function(values) {
  first_unused(c("Total", "All", "Total (pooled)"), as.character(values))
}
