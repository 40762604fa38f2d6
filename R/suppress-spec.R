# The cells and sums of each kind of result: what a published table says,
# as count cells (shown, implicit totals, and hidden ones that follow from
# shown ones) and the sums that tie them together.

# The count cells of a result and the sums that tie them: list(kind, row,
# column, value, table, sums), sums as compressed rows (suppress-sums.R).
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

# The cells and sums of a table, built in vectorised passes: cells are
# added a column at a time (`add`, returning their numbers), sums many at
# a time (`sums_rowwise`: one sum per row; `sums_grouped`: parts grouped
# into totals), and joined once at the end (finish_spec()). An implicit
# total ("total") or hidden count takes the row it describes (the first of
# them), so that the links between tables can read its strata.
spec_builder <- function() {
  env <- new.env(parent = emptyenv())
  env$chunks <- list()
  env$sums <- list()
  env$n <- 0L
  # a cell of the result's rows ("main") or of one of its tables
  # (`whole`: the cell is a count of a whole stratum, not of its row)
  env$add <- function(kind, row, column, value, table = "main", whole = kind == "total") {
    m <- length(value)
    env$chunks[[length(env$chunks) + 1L]] <- list(
      kind = rep_len(kind, m), row = rep_len(as.integer(row), m), column = rep_len(column, m),
      value = as.double(value), table = rep_len(table, m), whole = rep_len(whole, m)
    )
    first <- env$n + 1L
    env$n <- env$n + m
    seq.int(first, length.out = m)
  }
  env$sums_rowwise <- function(totals, ...) {
    env$sums[[length(env$sums) + 1L]] <- sums_rowwise(totals, ...)
  }
  env$sums_grouped <- function(totals, parts, group) {
    env$sums[[length(env$sums) + 1L]] <- sums_grouped(totals, parts, group)
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
  b$sums_rowwise(total, part, rest)
  rest
}

finish_spec <- function(b) {
  field <- function(f) unlist(lapply(b$chunks, `[[`, f), use.names = FALSE)
  list(
    kind = field("kind") %||% character(), row = field("row") %||% integer(),
    column = field("column") %||% character(), value = field("value") %||% numeric(),
    table = field("table") %||% character(), whole = field("whole") %||% logical(),
    sums = sums_bind(b$sums)
  )
}

# The stratum of each row, as an integer (in order of first appearance).
row_group <- function(x, cols) {
  key <- row_key(x, cols)
  match(key, unique(key))
}

# Cells that are one count (a total shown on every row of its block): the
# first of each block is the count, the others are its copies.
copies_of_first <- function(b, cells, block) {
  first <- cells[match(block, block)]
  copy <- cells != first
  b$sums_rowwise(first[copy], cells[copy])
  first
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

# A result of the package, or any data frame with a count column `n` (as a
# table of counts), not suppressed already.
as_suppressible <- function(x) {
  if (inherits(x, "equityaudit_suppressed")) {
    abort_input("argument", "`x` has already been suppressed.", arg = "x")
  }
  if (inherits(x, "equityaudit_result") && !inherits(x, "equityaudit_summary")) {
    if (isFALSE(attr(x, "complete"))) x <- complete_counts(x)
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



# A table of counts that leaves out its empty combinations (such as
# tabulate_groups() gives by default) gets them, with a message: a missing
# row would publish the zero the rule hides everywhere else.
complete_counts <- function(x) {
  d <- unclass(x)
  cols <- c(attr(x, "by"), attr(x, "group"))
  values <- lapply(d[cols], function(v) {
    u <- if (is.factor(v)) levels(v) else sort(unique(v[!is.na(v)]), method = "radix")
    if (anyNA(v)) c(u, NA) else u
  })
  grid <- expand.grid(values, KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE)
  for (cl in cols) {
    if (is.factor(d[[cl]])) grid[[cl]] <- factor(grid[[cl]], levels = levels(d[[cl]]))
  }
  grid <- grid[do.call(order, unname(as.list(grid))), , drop = FALSE]
  added <- nrow(grid) - nrow(x)
  if (added == 0) {
    attr(x, "complete") <- TRUE
    return(x)
  }
  key <- function(f) strata_key(lapply(f[cols], as.character), nrow(f))
  n <- d$n[match(key(grid), key(as.data.frame(d[cols], stringsAsFactors = FALSE)))]
  n[is.na(n)] <- 0
  message(sprintf(
    paste(
      "Added %s combination%s with nobody (n = 0) to the table of counts: a combination",
      "left out would publish the 0 that the rule hides everywhere else."
    ),
    format_count(added), if (added == 1) "" else "s"
  ))
  rows <- c(as.list(grid), list(n = as.double(n)))
  out <- new_result(new_tidy_frame(rows), "counts", list(
    by = attr(x, "by"), group = attr(x, "group"), unknown = attr(x, "unknown"), complete = TRUE
  ))
  out
}

# A table of counts that leaves out its empty combinations cannot be
# suppressed: the missing rows would publish the zeros the rule hides.
abort_incomplete <- function(arg) {
  abort_input(
    "argument",
    paste(
      "A table of counts without its empty combinations cannot be suppressed:",
      "a combination left out publishes the 0 that the rule hides everywhere else.",
      "Count with `tabulate_groups(complete = TRUE)`."
    ),
    arg = arg
  )
}
