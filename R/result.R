# The one result family. Every verb returns a data frame built by
# new_result(): one row per stratum and group (or per stratum, or per
# measure), snake_case columns, the user's factor levels kept. Attributes
# say how it was made (the columns it used, its options); results other
# than the main table (tests, CMH tests, adjusted and pooled estimates,
# funnels, trends, the counts behind a test) are data frames in the
# attribute "tables", read with tidy(x, component = ) and shown by
# print(). Their methods: print and format in print.R, tidy and glance in
# tidy.R, plots in plot*.R, suppression in suppress*.R.

new_result <- function(rows, kind, meta = list(), tables = list()) {
  out <- if (is.data.frame(rows)) rows else new_tidy_frame(rows)
  for (nm in names(meta)) attr(out, nm) <- meta[[nm]]
  attr(out, "tables") <- tables[!vapply(tables, is.null, TRUE)]
  class(out) <- c(paste0("equityaudit_", kind), "equityaudit_result", "data.frame")
  out
}

result_kind <- function(x) {
  cls <- grep("^equityaudit_", class(x), value = TRUE)
  sub("^equityaudit_", "", setdiff(cls, c("equityaudit_result", "equityaudit_suppressed"))[1])
}

# A table a result carries besides its rows (NULL if it has none).
result_table <- function(x, name) attr(x, "tables", exact = TRUE)[[name]]

# Replaces (or, with NULL, drops) a table a result carries.
set_result_table <- function(x, name, value) {
  tables <- attr(x, "tables", exact = TRUE) %||% list()
  tables[[name]] <- value
  attr(x, "tables") <- tables
  x
}

# A result's rows as a plain data frame: no class, no attributes.
plain_frame <- function(x) {
  out <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  attributes(out) <- attributes(out)[c("names", "row.names", "class")]
  rownames(out) <- NULL
  out
}

#' @export
as.data.frame.equityaudit_result <- function(x, row.names = NULL, optional = FALSE, ...) {
  plain_frame(x)
}

# The columns that identify a stratum (test unit) of a result: its `by`
# columns, and `pooled` where it has one (a stratum called "Total" is not
# the pooled one).
unit_columns <- function(x) {
  c(attr(x, "by"), if ("pooled" %in% names(x)) "pooled")
}

# The rows of a result as a plain frame with what one-row-per-stratum
# summaries need: its stratum columns (`by`), each row's stratum (`key`)
# and the first row of each stratum (`first`).
stratum_rows <- function(x) {
  df <- plain_frame(x)
  by <- unit_columns(x)
  key <- strata_key(df[by], nrow(df))
  list(df = df, by = by, key = key, first = !duplicated(key))
}

# A column summed within each stratum of stratum_rows(), in their order.
stratum_sums <- function(st, v) as.vector(rowsum(as.double(v), st$key, reorder = FALSE))

# One row per stratum of a result (summary(), glance()).
new_summary <- function(df) {
  rownames(df) <- NULL
  class(df) <- c("equityaudit_summary", "data.frame")
  df
}
