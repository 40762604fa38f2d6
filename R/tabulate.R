# Stratified counting: R side of src/tabulate.c.

# Largest dense count array (cells); beyond it the C core counts only the
# cells that occur.
max_dense_cells <- function(n) max(1e6, min(2^27, 4 * n))

# Prepares one grouping column for the C core: the vector to pass, its kind
# (0 = factor codes, 1 = logical, 2 = values hashed in C) and, for the first
# two, the number of levels and the level values.
encode_column <- function(x, column, arg) {
  if (is.list(x) || !is.null(dim(x))) {
    abort_input(
      "column",
      sprintf(
        "Column `%s` (`%s`) is a %s; it must be a plain vector.", column, arg,
        if (is.list(x)) "list column" else "matrix column"
      ),
      arg = arg, column = column
    )
  }
  # blank strings of a character column become missing in the C encoder,
  # once per distinct string, and the rest are cleaned once counted
  # (sort_hashed_levels()); a factor's levels here
  if (is.factor(x) || is.logical(x)) x <- blank_to_na(x)
  if (is.factor(x)) {
    merged <- attr(x, "merged")
    attr(x, "merged") <- NULL
    return(list(
      x = x, kind = 0L, nlev = length(levels(x)), merged = merged,
      values = structure(seq_along(levels(x)),
        levels = levels(x),
        class = class(x)
      )
    ))
  }
  if (is.logical(x) && !is.object(x)) {
    return(list(x = x, kind = 1L, nlev = 2L, values = c(FALSE, TRUE)))
  }
  if (is.double(x) && !is.object(x)) {
    whole <- is.na(x) | (is.finite(x) & x == trunc(x) & abs(x) < 2^31)
    if (!all(whole)) {
      abort_input(
        "column",
        sprintf(
          paste0(
            "Column `%s` (`%s`) holds numbers that are not whole (%s); ",
            "group by bands instead, e.g. with age_band()."
          ),
          column, arg, format_values(x[!whole])
        ),
        arg = arg, column = column
      )
    }
    x <- as.integer(x)
  }
  if (!(is.character(x) || is.integer(x)) || is.object(x)) {
    abort_input(
      "column",
      sprintf(
        paste0(
          "Column `%s` (`%s`) must be a factor, character, logical or ",
          "integer vector, not %s."
        ),
        column, arg, class(x)[[1]]
      ),
      arg = arg, column = column
    )
  }
  list(x = x, kind = 2L, nlev = 0L, values = NULL)
}

# Labels cleaned (clean_labels(): one spelling of spaces, invisible
# characters and Unicode forms), and blank ones ("" or spaces only, as a
# CSV's empty cells) missing, never a category of their own. Attribute
# "merged": the lines of a note when two spellings became one label.
blank_to_na <- function(x) {
  if (is.factor(x)) {
    # a level that is NA itself (addNA()) holds missing values
    if (anyNA(levels(x))) {
      lv <- levels(x)
      x <- factor(as.character(x), levels = lv[!is.na(lv)], ordered = is.ordered(x))
    }
    cl <- clean_levels(levels(x))
    # levels that become the same label are merged by `levels<-`
    if (!identical(cl$values, levels(x))) levels(x) <- cl$values
    if (length(cl$merged) > 0) attr(x, "merged") <- cl$merged
  } else if (is.character(x)) {
    u <- unique(x)
    cl <- clean_levels(u)
    if (!identical(cl$values, u)) x <- cl$values[match(x, u)]
    if (length(cl$merged) > 0) attr(x, "merged") <- cl$merged
  } else if (is.logical(x) && !is.object(x) && !any(!is.na(x))) {
    # a column of nothing but blanks, as read.csv() reads it, has no values
    # (not the groups FALSE and TRUE)
    x <- factor(x, levels = character())
  }
  x
}

# Counts the combinations of `columns` (names) of data, weighted by the
# column `weight` if given, and sums each of the columns named in `sums`
# (such as record keys) per cell in the same pass; `arg` names the argument
# of each column, for errors. Returns list(count, dense, key, nlev, values,
# sums): with dense = TRUE count is the full array with dim nlev + 1 (the
# last level of every dimension is NA); otherwise count and key give the
# cells that occur, key being the 0-based index into that array; sums, one
# element per column of `sums` (named as it), laid out as count.
count_cells <- function(data, columns, weight = NULL, arg = "...", sums = character()) {
  n <- nrow(data)
  arg <- rep_len(arg, length(columns))
  enc <- Map(function(col, a) encode_column(data[[col]], col, a), columns, arg)
  w <- NULL
  if (length(weight) > 0) {
    w <- data[[weight]]
    check_counts(w, weight, "weight")
  }
  summed <- lapply(stats::setNames(sums, sums), function(s) as.double(data[[s]]))
  if (length(columns) == 0) {
    return(list(
      count = if (is.null(w)) as.double(n) else sum(w), dense = TRUE,
      nlev = integer(), values = list(), sums = lapply(summed, sum)
    ))
  }
  res <- .Call(
    ea_tabulate, lapply(enc, `[[`, "x"), vapply(enc, `[[`, 0L, "kind"),
    vapply(enc, function(e) as.integer(e$nlev), 0L), w, unname(summed),
    max_dense_cells(n), thread_count()
  )
  if (!is.null(res$too_many)) abort_too_many(res, enc, columns, arg)
  if (!is.null(res$bad_row)) {
    col <- columns[[res$bad_col]]
    abort_input(
      "column",
      sprintf(
        "Column `%s` (`%s`) is a malformed factor: row %s has code %s.",
        col, arg[[res$bad_col]], format(res$bad_row, scientific = FALSE),
        unclass(data[[col]])[[res$bad_row]]
      ),
      arg = arg[[res$bad_col]], column = col
    )
  }
  hashed <- vapply(enc, `[[`, 0L, "kind") == 2L
  first_seen <- res$levels
  nlev <- vapply(seq_along(enc), function(j) {
    if (hashed[[j]]) length(first_seen[[j]]) else as.integer(enc[[j]]$nlev)
  }, 0L)
  out <- list(
    count = res$count, dense = res$dense, key = res$key, nlev = nlev,
    values = lapply(enc, `[[`, "values"), sums = stats::setNames(res$sums, sums)
  )
  if (out$dense) {
    dim(out$count) <- nlev + 1L
    for (j in seq_along(out$sums)) dim(out$sums[[j]]) <- nlev + 1L
  }
  out$merged <- lapply(enc, `[[`, "merged")
  if (any(hashed)) out <- sort_hashed_levels(out, first_seen, hashed)
  note_merged_labels(out$merged, columns, arg)
  out$merged <- NULL
  out
}

# Says which labels of each column were counted as one (blank_to_na()).
note_merged_labels <- function(merged, columns, arg) {
  for (j in which(lengths(merged) > 0)) {
    note(sprintf(
      paste0(
        "Column `%s` (`%s`): counted %s, as labels that differ only in spaces, ",
        "invisible characters or Unicode form are one label."
      ),
      columns[[j]], arg[[j]], paste(merged[[j]], collapse = "; ")
    ), published = TRUE)
  }
}

# More combinations of values than can be counted at once: the columns
# and how many values each has.
abort_too_many <- function(res, enc, columns, arg) {
  nlev <- vapply(seq_along(enc), function(j) {
    if (enc[[j]]$kind == 2L) length(res$levels[[j]]) else as.integer(enc[[j]]$nlev)
  }, 0L)
  abort_input(
    "table",
    sprintf(
      paste0(
        "The columns %s (`%s`) have %s values, about %s combinations: too many ",
        "to count at once. Count fewer columns at a time, or group their values ",
        "into fewer categories."
      ),
      paste0("`", columns, "`", collapse = ", "), paste(unique(arg), collapse = "`, `"),
      paste(format_count(nlev + 1), collapse = " x "),
      format(res$too_many, digits = 2, scientific = TRUE)
    ),
    arg = arg[[1]], column = columns, cells = res$too_many
  )
}

# Puts the levels of hashed columns (found in order of first appearance) in
# sorted order, merging values that are the same text in different
# encodings. Works on the cells that occur.
sort_hashed_levels <- function(cc, first_seen, hashed) {
  maps <- vector("list", length(cc$nlev))
  for (j in which(hashed)) {
    lv <- first_seen[[j]]
    blank <- rep(FALSE, length(lv))
    if (is.character(lv)) {
      cl <- clean_levels(lv)
      cc$merged[[j]] <- cl$merged
      blank <- is.na(cl$values)
      lv <- cl$values
    }
    # levels first seen in sorted order (such as stratum numbers) keep
    # their keys: nothing to re-key
    if (!any(blank) && in_c_order(lv)) {
      cc$values[[j]] <- lv
      next
    }
    # C-locale (byte) order, the same on every machine whatever its locale
    sorted <- sort(unique(lv[!blank]), method = "radix")
    slot <- match(lv, sorted)
    slot[blank] <- length(sorted) + 1L
    maps[[j]] <- list(map = c(slot, length(sorted) + 1L) - 1L, values = sorted)
  }
  remap_levels(cc, maps)
}

# Strictly increasing in C-locale order (numbers as numbers).
in_c_order <- function(v) {
  if (!is.character(v)) {
    return(isFALSE(is.unsorted(v, strictly = TRUE)))
  }
  !anyDuplicated(v) && identical(order(v, method = "radix"), seq_along(v))
}

# Gives columns new levels: maps[[j]] (NULL for a column left as it is)
# holds `map`, the new 0-based slot of each old slot (NA slot last), and
# `values`, the new level values. Cells that map to one cell are added up.
remap_levels <- function(cc, maps) {
  touched <- which(!vapply(maps, is.null, TRUE))
  if (length(touched) == 0) {
    return(cc)
  }
  key <- if (cc$dense) which(cc$count > 0) - 1 else cc$key
  # each cell's count and sums, as the columns of one matrix
  at <- if (cc$dense) key + 1 else seq_along(key)
  vals <- cbind(cc$count[at], do.call(cbind, lapply(cc$sums, function(v) v[at])))
  slots <- key_slots(key, cc$nlev)
  for (j in touched) {
    slots[[j]] <- as.integer(maps[[j]]$map[slots[[j]] + 1L])
    cc$nlev[[j]] <- length(maps[[j]]$values)
    cc$values[[j]] <- maps[[j]]$values
  }
  new_key <- slot_key(slots, cc$nlev)
  if (anyDuplicated(new_key)) {
    vals <- rowsum(vals, new_key, reorder = FALSE)
    new_key <- unique(new_key)
  }
  n_sums <- length(cc$sums)
  if (prod(cc$nlev + 1) <= max_dense_cells(0)) {
    filled <- function(v) {
      arr <- array(0, dim = cc$nlev + 1L)
      arr[new_key + 1] <- v
      arr
    }
    cc$count <- filled(vals[, 1])
    cc$sums[seq_len(n_sums)] <- lapply(seq_len(n_sums), function(j) filled(vals[, j + 1]))
    cc$dense <- TRUE
    cc$key <- NULL
  } else {
    cc$count <- as.vector(vals[, 1])
    cc$sums[seq_len(n_sums)] <- lapply(seq_len(n_sums), function(j) as.vector(vals[, j + 1]))
    cc$key <- new_key
    cc$dense <- FALSE
  }
  cc
}

# The level values of one column with NA appended, indexable by slot + 1.
slot_values <- function(values) {
  if (is.factor(values)) {
    return(structure(c(unclass(values), NA_integer_),
      levels = levels(values), class = class(values)
    ))
  }
  c(values, NA)
}

# Turns 0-based cell keys into 0-based slots per column (a list).
key_slots <- function(key, nlev) {
  stride <- cumprod(c(1, nlev + 1))
  lapply(seq_along(nlev), function(j) {
    as.integer((key %/% stride[[j]]) %% (nlev[[j]] + 1))
  })
}

# 0-based cell keys from 0-based slots per column.
slot_key <- function(slots, nlev) {
  stride <- cumprod(c(1, nlev + 1))
  Reduce(`+`, Map(function(s, st) s * st, slots, stride[seq_along(slots)]))
}

# Every combination of values, one row each: refused beyond 10^7 rows.
check_complete_size <- function(sizes, columns) {
  rows <- prod(as.double(sizes))
  if (rows > 1e7) {
    abort_input(
      "table",
      sprintf(
        paste0(
          "`complete = TRUE` would make a row for each of the %s combinations of %s ",
          "(%s values): too many. Use `complete = FALSE`, or fewer columns."
        ),
        format(rows, big.mark = ",", scientific = rows >= 1e15),
        paste0("`", columns, "`", collapse = ", "), paste(format_count(sizes), collapse = " x ")
      ),
      arg = "complete", column = columns, cells = rows
    )
  }
}

# Tidy data frame of the cells (one row each, the first column varying
# slowest) from a count_cells() result.
cells_frame <- function(cc, columns, complete = FALSE) {
  if (length(columns) == 0) {
    return(new_tidy_frame(list(n = as.double(cc$count))))
  }
  present <- if (cc$dense) which(cc$count > 0) - 1 else cc$key[cc$count > 0]
  n <- if (cc$dense) cc$count[present + 1] else cc$count[cc$count > 0]
  slots <- key_slots(present, cc$nlev)
  if (complete) {
    grid <- lapply(seq_along(columns), function(j) {
      has_na <- any(slots[[j]] == cc$nlev[[j]])
      seq_len(cc$nlev[[j]] + has_na) - 1L
    })
    check_complete_size(lengths(grid), columns)
    all_slots <- as.list(expand.grid(grid, KEEP.OUT.ATTRS = FALSE))
    n <- n[match(slot_key(all_slots, cc$nlev), present)]
    n[is.na(n)] <- 0
    slots <- all_slots
  }
  ord <- do.call(order, unname(slots))
  out <- Map(function(s, v) slot_values(v)[s[ord] + 1L], slots, cc$values)
  names(out) <- columns
  out$n <- as.double(n[ord])
  new_tidy_frame(out)
}
