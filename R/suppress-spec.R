# The cells and sums of each kind of result: what a published table says,
# as count cells (shown, implicit totals, and hidden ones that follow from
# shown ones) and the sums that tie them together.

count_spec <- function(x, totals = NULL) {
  spec <- suppression_cells(x)
  if (!is.null(totals)) spec$value[spec$kind == "total"] <- totals
  spec
}

# The count cells and sums of a result, by its kind (kind-*.R); a table of
# counts of another kind is a table of counts (kind-counts.R).
suppression_cells <- function(x) UseMethod("suppression_cells")

# A result's other numbers computed again from its published counts, by its
# kind: `p` holds the published rows (`data`), its tables (`tables`), the
# starred cells of each (`starred`, `starred_tables`), the cells and sums
# (`spec`), the published implicit totals (`totals`) and the rule. Returns
# list(data, tables, starred, left_out, moved).
republish <- function(x, p) UseMethod("republish")

# A growing list of cells and sums.
spec_builder <- function() {
  env <- new.env(parent = emptyenv())
  env$kind <- character()
  env$row <- integer()
  env$column <- character()
  env$value <- numeric()
  env$table <- character()
  env$cons <- list()
  # a cell of the result's rows ("main") or of one of its tables
  env$add <- function(kind, row, column, value, table = "main") {
    first <- length(env$value) + 1L
    env$kind <- c(env$kind, rep(kind, length(value)))
    env$row <- c(env$row, rep_len(as.integer(row), length(value)))
    env$column <- c(env$column, rep(column, length(value)))
    env$value <- c(env$value, as.double(value))
    env$table <- c(env$table, rep(table, length(value)))
    seq.int(first, length.out = length(value))
  }
  env$sum <- function(total, parts) {
    if (length(parts) > 0) env$cons[[length(env$cons) + 1]] <- c(total, parts)
  }
  env
}

# A builder with a shown cell for every row of x in each of `cols`: list(b,
# cells), cells[[col]] the cells of column col.
spec_rows <- function(x, cols, table = "main") {
  b <- spec_builder()
  rows <- seq_len(nrow(x))
  cells <- lapply(stats::setNames(cols, cols), function(col) b$add("shown", rows, col, x[[col]], table))
  list(b = b, rows = rows, cells = cells)
}

# The hidden rest of each row (total - part, named `name`) and the sums
# total = part + rest; `total` and `part` are cells added already.
split_rest <- function(b, rows, total, part, value, name, table = "main") {
  rest <- b$add("hidden", rows, name, value, table)
  for (i in seq_along(rows)) b$sum(total[[i]], c(part[[i]], rest[[i]]))
  rest
}

finish_spec <- function(b) {
  list(
    kind = b$kind, row = b$row, column = b$column, value = b$value,
    table = b$table, cons = b$cons
  )
}

row_key <- function(x, cols) {
  strata_key(unclass(x)[cols], nrow(x))
}

# A table of counts of people (`total`) and of those of them with the
# event (`part`) on each row; the rest follow from them (unless `rest` is
# FALSE: the two are not nested).
spec_split <- function(counts, total, part, table, rest = TRUE) {
  s <- spec_rows(counts, c(total, part), table)
  if (rest) {
    split_rest(s$b, s$rows, s$cells[[total]], s$cells[[part]],
      counts[[total]] - counts[[part]], paste(total, "-", part), table
    )
  }
  finish_spec(s$b)
}

# The total cell of each sum.
sum_totals <- function(cons) vapply(cons, function(con) con[[1]], 1L)

# For each cell, the constraints it appears in.
cells_constraints <- function(cons, n) {
  idx <- rep(seq_along(cons), lengths(cons))
  split(idx, factor(unlist(cons), levels = seq_len(n)))
}

# A result of the package, or any data frame with a count column `n` (as a
# table of counts), not suppressed already.
as_suppressible <- function(x) {
  if (inherits(x, "equityaudit_suppressed")) {
    abort_input("argument", "`x` has already been suppressed.", arg = "x")
  }
  if (inherits(x, "equityaudit_result") && !inherits(x, "equityaudit_summary")) {
    return(x)
  }
  if (is.data.frame(x) && is.numeric(x[["n"]])) {
    d <- plain_frame(x)
    labels <- names(d)[!vapply(d, is.numeric, TRUE)]
    return(new_result(d, "counts", list(by = character(), group = labels)))
  }
  abort_input(
    "argument",
    "`x` must be a result of an equityaudit function, or a table with a count column `n`.",
    arg = "x"
  )
}
