# Groups made of two or more columns (e.g. ethnicity and gender): the
# combination is one group, labelled "Black/Black British, Female". Counting
# goes through group_counts() with the extra group columns as inner
# dimensions; the labels are combined afterwards, so no text is pasted per
# record.

# As group_counts(), for one or more group columns. The array is
# [group (combinations; any NA part gives an NA label), inner dims...,
# stratum], rows in the order of the first column, then the second, ...
multi_group_counts <- function(data, group, by, weight, inner = character(),
                               arg = "group") {
  if (length(group) == 1) {
    return(group_counts(data, group, by, weight, inner = inner, arg = arg))
  }
  gc <- group_counts(data, group[[1]], by, weight,
    inner = c(group[-1], inner), arg = arg
  )
  d <- dim(gc$array)
  n_g <- length(group)
  g_dim <- d[seq_len(n_g)]
  parts <- c(list(gc$group_values), gc$inner_values[seq_len(n_g - 1)])
  grid <- expand.grid(lapply(g_dim, seq_len), KEEP.OUT.ATTRS = FALSE)
  labels <- combine_labels(Map(function(v, i) as.character(v)[i], parts, grid))
  # the first column varying slowest
  ord <- do.call(order, unname(as.list(grid)))
  rest <- d[-seq_len(n_g)]
  arr <- array(gc$array, c(prod(g_dim), rest))
  idx <- c(list(ord), lapply(rest, function(x) TRUE))
  arr <- do.call(`[`, c(list(arr), idx, list(drop = FALSE)))
  labels <- labels[ord]
  gc$array <- arr
  gc$labels <- labels
  gc$group_values <- labels
  gc$inner_values <- gc$inner_values[-seq_len(n_g - 1)]
  gc
}

# "a, b" from a list of character vectors; NA when any part is NA.
combine_labels <- function(parts) {
  out <- do.call(paste, c(parts, sep = ", "))
  out[Reduce(`|`, lapply(parts, is.na))] <- NA
  out
}

# The combined group labels of the rows of a data frame (a reference table).
frame_labels <- function(frame, group) {
  if (length(group) == 1) {
    return(as.character(frame[[group]]))
  }
  combine_labels(lapply(frame[group], as.character))
}

# The name of the group column of results: the columns joined by "_".
group_name <- function(group) paste(group, collapse = "_")

# Adds to `frame` one column, named group_name(group), holding the
# combination of the `group` columns as a factor ("a, b"; levels in the
# order of the first column, then the second, ...). A combination with a
# missing or `unknown` part is NA. Integer codes, no text pasted per row.
with_combined_group <- function(frame, group, unknown = NULL) {
  name <- group_name(group)
  if (name %in% names(frame)) {
    abort_input(
      "column",
      sprintf(
        "`group` names several columns, but their combined name `%s` is already a column.", name
      ),
      arg = "group", column = name
    )
  }
  parts <- lapply(group, function(g) {
    v <- frame[[g]]
    f <- if (is.factor(v)) v else factor(v)
    f[as.character(f) %in% unknown] <- NA
    droplevels(f)
  })
  codes <- lapply(parts, as.integer)
  sizes <- vapply(parts, nlevels, 0L)
  stride <- rev(cumprod(rev(c(sizes[-1], 1L))))
  combined <- Reduce(`+`, Map(function(cd, st) (cd - 1L) * st, codes, stride)) + 1L
  grid <- expand.grid(rev(lapply(parts, levels)), KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE)
  labels <- combine_labels(rev(as.list(grid)))
  used <- sort(unique(combined[!is.na(combined)]))
  frame[[name]] <- factor(match(combined, used), levels = seq_along(used), labels = labels[used])
  frame
}
