# The one result family. Every verb returns a data frame built by
# new_result(): one row per stratum and group (or per stratum, or per
# measure), snake_case columns, the user's factor levels kept. Attributes
# say how it was made (the columns it used, its options); results other
# than the main table (tests, CMH tests, adjusted and pooled estimates,
# funnels, trends, the counts behind a test) are data frames in the
# attribute "tables", read with tidy(x, component = ) and shown by
# print().
#
# Each kind of result (cohort, access, outcomes, groups, services, periods,
# cmh, chisq, inequality, counts, power) owns its behaviour in one file,
# R/kind-<kind>.R: how it is built, shown (display_spec(),
# column_overrides()), summarised (summary(), glance()), plotted, subset
# (table_scope()) and suppressed (suppression_cells(), republish(),
# link_description(), key_sum_columns()). The generics here, in
# columns.R, print.R and the suppression engine (suppress-*.R) call those
# methods; adding a kind is one file plus its name in result_kinds.

# The kinds of result, each with its file R/kind-<kind>.R.
result_kinds <- c(
  "cohort", "access", "outcomes", "groups", "services", "periods", "cmh",
  "chisq", "inequality", "counts", "power", "spc"
)

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

# ---- subsets ---------------------------------------------------------------

# Which of a result's tables hold for any subset of its rows that keeps
# their strata ("stratum": filtered to the strata kept), and which describe
# the whole result ("whole": a test across the strata, pooled estimates, a
# funnel across the units), dropped once rows are.
table_scope <- function(x) UseMethod("table_scope")

#' @export
table_scope.default <- function(x) {
  c(adjusted = "stratum", adjusted_strata = "stratum", left_out = "stratum", cells = "stratum")
}

# The columns without which a selection of a result is no longer one: its
# strata and groups.
identity_columns <- function(x) UseMethod("identity_columns")

#' @export
identity_columns.default <- function(x) {
  intersect(c(attr(x, "by"), attr(x, "group")), names(x))
}

# A selection of a result's rows keeps what still holds: its description,
# the tables of the strata it keeps (a test across strata, a pooled
# estimate or a funnel no longer describes the rows shown and is dropped),
# and, when published, which of its cells are starred. A selection that
# loses the columns identifying its rows is a plain data frame.
#' @export
`[.equityaudit_result` <- function(x, i, j, ...) {
  n <- nrow(x)
  rows <- if (missing(i)) seq_len(n) else seq_len(n)[i]
  attrs <- attributes(x)
  out <- NextMethod()
  if (!is.data.frame(out)) {
    return(out)
  }
  if (!all(identity_columns(x) %in% names(out))) {
    return(plain_frame(out))
  }
  keep <- setdiff(names(attrs), c("names", "row.names", "class"))
  attributes(out)[keep] <- attrs[keep]
  if (!identical(rows, seq_len(n))) {
    # the same rows in another order: every table still holds
    same <- length(rows) == n && !anyDuplicated(rows)
    out <- subset_tables(out, x, rows, same)
  }
  out
}

# The tables and suppression record of `out`, the rows `rows` of `x`.
subset_tables <- function(out, x, rows, same = FALSE) {
  scope <- table_scope(x)
  tables <- attr(x, "tables") %||% list()
  if (same) scope[names(tables)] <- "all"
  by <- unit_columns(x)
  kept <- strata_key(unclass(out)[intersect(by, names(out))], nrow(out))
  for (nm in names(tables)) {
    t <- tables[[nm]]
    cols <- intersect(by, names(t))
    tables[[nm]] <- if (isTRUE(scope[nm] == "all")) {
      t
    } else if (isTRUE(scope[nm] == "stratum")) {
      if (length(cols) == length(by) && length(by) > 0) {
        t[strata_key(unclass(t)[cols], nrow(t)) %in% kept, , drop = FALSE]
      }
    }
  }
  attr(out, "tables") <- tables[!vapply(tables, is.null, TRUE)]
  s <- suppression_of(x)
  if (!is.null(s)) {
    s$starred <- lapply(s$starred[intersect(names(s$starred), names(out))], function(r) {
      which(rows %in% r)
    })
    s$starred_tables <- s$starred_tables[intersect(names(s$starred_tables), names(attr(out, "tables")))]
    s$subset <- TRUE
    attr(out, "suppression") <- s
  }
  out
}
