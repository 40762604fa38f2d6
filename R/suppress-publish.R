# The published table: counts starred or rounded, and every other number
# computed again from the published counts (or withheld), so that nothing
# shown carries information the counts do not (see ?suppress_counts).

publish_cells <- function(x, spec, res, r) {
  shown <- which(spec$kind == "shown")
  cls <- class(x)
  y <- unclass(x)
  tabs <- lapply(attr(x, "tables") %||% list(), unclass)
  starred <- list()
  starred_tables <- list()
  for (tb in unique(spec$table[shown])) {
    in_tb <- shown[spec$table[shown] == tb]
    for (col in unique(spec$column[in_tb])) {
      cells <- in_tb[spec$column[in_tb] == col]
      vals <- res$published[cells]
      vals[res$suppressed[cells]] <- NA
      rows <- spec$row[cells]
      if (tb == "main") {
        y[[col]][rows] <- vals
        starred[[col]] <- rows[res$suppressed[cells]]
      } else {
        tabs[[tb]][[col]][rows] <- vals
        starred_tables[[tb]][[col]] <- rows[res$suppressed[cells]]
      }
    }
  }
  totals <- res$published[spec$kind == "total"]
  totals[res$suppressed[spec$kind == "total"] | !revealed_totals(spec, res)] <- NA
  derived <- if (length(y[[1]]) == 0 && length(tabs) == 0) {
    list(data = y)
  } else {
    republish(x, list(
      data = y, tables = tabs, starred = starred, starred_tables = starred_tables,
      spec = spec, totals = totals, rule = r
    ))
  }
  out <- derived$data
  # only attributes that describe the table, and tables computed again
  # from its published counts, are kept: others carry counts the table does
  # not publish (adjusted comparisons, the people left out)
  safe <- c(
    "names", "row.names", "by", "group", "parts", "event", "options",
    "pooled_over", "missing_rule", "unknown_label", "unknown", "measure", "period_days"
  )
  for (a in setdiff(names(attributes(out)), safe)) attr(out, a) <- NULL
  attr(out, "tables") <- derived$tables %||% list()
  # counts moved to other rows (a group table laid out for another
  # reference) are starred where they now are
  starred[names(derived$moved)] <- derived$moved
  starred <- merge_starred(starred, derived$starred)
  attr(out, "suppression") <- new_suppression_record(r,
    totals = totals, starred = starred,
    starred_tables = starred_tables, left_out = derived$left_out %||% 0,
    # what the stars cost, in counts: how many people they hide is not
    # given, as a sum of hidden counts would narrow them
    loss = list(cells = length(shown), starred = sum(res$suppressed[shown]))
  )
  class(out) <- c("equityaudit_suppressed", cls)
  out
}

# An implicit total is published only through the percentages it is the
# denominator of: those of its shown parts with a published count above 0.
revealed_totals <- function(spec, res) {
  total_cells <- which(spec$kind == "total")
  if (length(total_cells) == 0) {
    return(logical())
  }
  # each entry of each sum whose total is an implicit total: a shown part
  # with a published count above 0 reveals it
  sums <- spec$sums
  id <- sum_of_entry(sums)
  total_of_entry <- sum_total_cells(sums)[id]
  part <- !entry_is_total(sums) & total_of_entry %in% total_cells
  cells <- sums$cells[part]
  reveals <- spec$kind[cells] == "shown" & !res$suppressed[cells] & res$published[cells] > 0
  revealed <- unique(total_of_entry[part][reveals %in% TRUE])
  total_cells %in% revealed
}

# The implicit totals that are not revealed, as a logical over all cells:
# secondary suppression (protect_cells()) protects them as hidden counts.
unrevealed_totals <- function(spec, suppressed, published) {
  out <- rep(FALSE, length(spec$kind))
  total <- spec$kind == "total"
  if (any(total)) {
    res <- list(suppressed = suppressed, published = published)
    out[total] <- !suppressed[total] & !revealed_totals(spec, res)
  }
  out
}

merge_starred <- function(a, b) {
  for (col in names(b)) a[[col]] <- sort(unique(c(a[[col]], b[[col]])))
  a
}

blank <- function(y, rows, cols) {
  starred <- list()
  for (col in intersect(cols, names(y))) {
    y[[col]][rows] <- NA
    starred[[col]] <- rows
  }
  list(data = y, starred = starred)
}

# The shown cells that add up to an implicit total (a percentage's
# denominator), with the published value of that total.
shown_denominators <- function(spec, totals) {
  total_cells <- which(spec$kind == "total")
  sums <- spec$sums
  total_of_entry <- sum_total_cells(sums)[sum_of_entry(sums)]
  part <- !entry_is_total(sums) & total_of_entry %in% total_cells
  cells <- sums$cells[part]
  shown <- spec$kind[cells] == "shown"
  list(cell = cells[shown], value = totals[match(total_of_entry[part][shown], total_cells)])
}

# Rows of a result come in blocks, one per stratum (test unit), each with
# the same groups in the same order: the number of groups per block
# (`by`: the columns that identify a stratum, see unit_columns()).
block_size <- function(y, by) {
  n <- length(y[[1]])
  if (length(by) == 0 || n == 0) {
    return(n)
  }
  n / length(unique(strata_key(y[by], n)))
}

starred_rows <- function(starred, cols) sort(unique(unlist(starred[cols])))

# The first row of each block of k rows.
block_firsts <- function(n, k) if (n == 0 || k == 0) integer() else seq(1, n, by = k)

