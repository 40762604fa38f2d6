# The record a suppression rule leaves on the table it publishes, made in
# one place, and the accessors that printing, plots, spreadsheets and the
# report read it through (they never read its fields directly).

# The record: the rule (`rule`, with its `threshold`, `round_to`, `zero`
# and, for the cell-key rule, `max_perturbation` and `smallest`), the
# published implicit totals (`totals`: NA where not published), the starred
# cells of the rows (`starred`: column -> rows) and of the other tables
# (`starred_tables`: table -> column -> rows), how many groups with a
# suppressed count the tests leave out (`left_out`), what the stars cost
# in counts (`loss`), the release the table belongs to (`release`) and
# whether the table is part of one (`subset`).
new_suppression_record <- function(rule, totals = numeric(), starred = list(),
                                   starred_tables = list(), left_out = 0,
                                   loss = NULL, release = NULL, subset = FALSE) {
  rule_fields <- rule[intersect(
    c("rule", "threshold", "round_to", "zero", "max_perturbation", "smallest"),
    names(rule)
  )]
  c(rule_fields, list(
    totals = totals, starred = starred, starred_tables = starred_tables,
    left_out = left_out, loss = loss, release = release, subset = subset
  ))
}

# The record of a published table (NULL for a table no rule was applied to).
suppression_of <- function(x) attr(x, "suppression", exact = TRUE)

# Does the rule (or a table's suppression record) round counts, so that
# a published count stands for a range of true ones (see
# rounding_envelope())?
rounds_counts <- function(r) {
  !is.null(r) && isTRUE(r$round_to > 1) && !identical(r$rule, "cell_key")
}

is_published <- function(x) !is.null(suppression_of(x))

# The starred cells of a table: column -> rows; of one of its other
# tables with `table`.
starred_cells <- function(x, table = "main") {
  s <- suppression_of(x)
  if (is.null(s)) {
    return(list())
  }
  if (table == "main") s$starred %||% list() else s$starred_tables[[table]] %||% list()
}

# The rule a table was published under: "none" when none was applied.
published_rule <- function(x) suppression_of(x)$rule %||% "none"

# The release of a published table (each call of suppress_counts() is one),
# or of measures computed from one.
release_of <- function(x) suppression_of(x)$release %||% attr(x, "published_from")

# Sets fields of a table's record.
set_suppression <- function(x, ...) {
  s <- suppression_of(x)
  fields <- list(...)
  s[names(fields)] <- fields
  attr(x, "suppression") <- s
  x
}
