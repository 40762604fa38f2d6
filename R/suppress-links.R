# The sums that tie the tables of one publication together. Each count
# cell of each table is described by what it counts (its measure: people,
# people with a known outcome, events, people with the outcome missing,
# eligible population) and where (its place: the values of the columns
# that define its row; a combined group by its parts). Then:
#
# * equal descriptions are one count;
# * the people of a place (a cohort cell, say) are the sum of the rows of
#   any table that partitions people (outcomes, services, periods) that
#   fall within it; where that table leaves people out (those with no date,
#   of unknown group or outcome, of a combination with an unknown part),
#   the sum has one more, hidden, count: the people left out.
#
# A reader can use every one of these sums, so suppression protects
# against them and disclosure_check() reads them.

# What each count cell of one result counts: the joint cell number,
# measure, place (a key of "column=value" pairs), `wild` (the place without
# the columns a pooled row pools over, which match any value), whether it
# is a part of a partition of people (`part`: a row of a table whose rows
# partition people), whom that partition leaves out (`leaves`), and for a
# table of combined groups its parts (`parts`, joined by "\r") and whether
# the row is its unknown group (`unknown_row`: the people of the
# combinations with an unknown part, see suppress-combinations.R).
described_cells <- function(x, spec, first, table) {
  d <- unclass(x)
  kind <- result_kind(x)
  link <- link_description(x)
  measure <- link$measures
  described <- spec$kind == "shown" & vapply(seq_along(spec$kind), function(i) {
    tb <- spec$table[[i]]
    !is.null(measure[[tb]]) && spec$column[[i]] %in% names(measure[[tb]])
  }, TRUE)
  shown <- which(described)
  places <- lapply(shown, function(cell) cell_place(x, d, spec, cell, kind))
  totals <- described_totals(x, spec)
  all_places <- c(places, totals$place)
  n_cells <- length(all_places)
  meas <- c(
    vapply(shown, function(cell) measure[[spec$table[[cell]]]][[spec$column[[cell]]]], ""),
    totals$measure
  )
  pooled <- vapply(all_places, function(p) isTRUE(attr(p, "pooled")), TRUE)
  parts <- c(
    spec$table[shown] == "main" & spec$column[shown] %in% link$partition,
    rep(FALSE, length(totals$cell))
  )
  combined <- length(attr(x, "parts")) > 1 && kind %in% c("outcomes", "access", "services", "periods")
  unknown_row <- combined & parts & vapply(all_places, function(p) {
    any(attr(x, "group") %in% names(p))
  }, TRUE)
  data.frame(
    table = rep(table, n_cells),
    cell = first + c(shown, totals$cell),
    measure = meas,
    place = vapply(all_places, place_key, ""),
    wild = vapply(all_places, function(p) place_key(p[setdiff(names(p), attr(p, "wild"))]), ""),
    part = parts & !unknown_row,
    pooled = pooled,
    leaves = rep(paste(link$leaves, collapse = "\r"), n_cells),
    parts = rep(if (combined) paste(attr(x, "parts"), collapse = "\r") else "", n_cells),
    unknown_row = unknown_row,
    combination = rep(FALSE, n_cells),
    stringsAsFactors = FALSE
  )
}

# What the count columns of a result count, by its kind (kind-*.R): a list
# of `measures` (for each table, the measure of each count column:
# "people", "known" (people with a known outcome), "events",
# "outcome_missing", "population"), `partition` (the columns whose cells
# partition the people of a table that partitions people: each person is in
# one row, once) and `leaves` (whom that partition leaves out, as a code
# for needs_slack(): people of unknown group ("group=" and its column),
# unless the table shows them; of unknown `by` values ("by=" and the
# columns); whose outcome is not known ("outcome"); with no date ("date")).
link_description <- function(x) UseMethod("link_description")

#' @export
link_description.default <- function(x) {
  list(measures = list(), partition = character(), leaves = character())
}

# The code of people of unknown group a partition leaves out, unless it
# shows them (`shown`); none for combined groups (suppress-combinations.R).
unknown_group_leaves <- function(x, shown = FALSE) {
  single <- length(attr(x, "parts") %||% attr(x, "group")) < 2
  if (single && !shown) paste0("group=", attr(x, "group"))
}

# Whether the people of place `want` include some a partition leaves out
# (its code from partition_leaves()).
needs_slack <- function(want, leaves) {
  if (!nzchar(leaves)) {
    return(FALSE)
  }
  codes <- place_values(gsub("(^|\r)(outcome|date)($|\r)", "\\1\\2=\\3", leaves))
  if (any(names(codes) %in% c("outcome", "date"))) {
    return(TRUE)
  }
  # people of unknown group: unless the place is of a known group
  group <- codes["group"]
  known_group <- is.na(group) || (group %in% names(want) && !startsWith(want[[group]], "<missing"))
  by <- if (is.na(codes["by"])) character() else strsplit(codes[["by"]], "\t", fixed = TRUE)[[1]]
  known_by <- all(by %in% names(want))
  !(known_group && known_by)
}

# The place of a cell: its row's defining values, named; a combined group
# by its parts. Attributes: `pooled` (a pooled row) and `wild` (the
# columns it pools over).
cell_place <- function(x, d, spec, cell, kind) {
  tb <- spec$table[[cell]]
  col <- spec$column[[cell]]
  i <- spec$row[[cell]]
  src <- if (tb == "main") d else unclass(result_table(x, tb))
  by <- switch(kind,
    periods = "period",
    cmh = ,
    inequality = c(attr(x, "options")$by, attr(x, "options")$strata, attr(x, "by"), "pooled"),
    attr(x, "by")
  )
  by <- setdiff(intersect(unique(by), names(src)), "pooled")
  vals <- vapply(by, function(cl) label_of(src[[cl]][[i]]), "")
  if (kind == "cohort") {
    if (d$variable[[i]] != "people") {
      v <- d$variable[[i]]
      vals[[v]] <- if (d$missing[[i]]) paste0("<missing>", cohort_missing_label(d, v, x)) else label_of(d$level[[i]])
    }
  } else if (kind == "counts") {
    for (cl in attr(x, "group")) vals[[cl]] <- label_of(src[[cl]][[i]])
  } else {
    vals <- c(vals, group_place(x, src, i, col, kind))
  }
  pooled <- isTRUE(src$pooled[[i]])
  wild <- if (pooled) attr(x, "pooled_over") %||% attr(x, "by")
  structure(vals, pooled = pooled, wild = wild)
}

# The group part of a cell's place: the known group of all the service's
# or period's people, the unknown group, the parts of a combined group, or
# its label.
group_place <- function(x, src, i, col, kind) {
  group <- attr(x, "group")
  parts <- attr(x, "parts")
  label <- if (kind == "inequality") src$label[[i]] else src[[group]][[i]]
  missing <- isTRUE(src$missing[[i]])
  if (kind == "groups" && startsWith(col, "ref_")) label <- src$reference[[i]]
  if (col %in% c("service_n", "service_ref_n", "period_n")) {
    return(stats::setNames(paste0("<known>", attr(x, "unknown_label")), group))
  }
  if (missing) {
    return(stats::setNames(paste0("<missing:", label_of(label), ">"), group))
  }
  if (length(parts) > 1) {
    opt <- attr(x, "options")
    at <- match(as.character(label), as.character(opt$labels %||% label))
    values <- if (!is.null(opt$label_parts)) {
      vapply(parts, function(p) label_of(opt$label_parts[[p]][[at]]), "")
    } else {
      vapply(parts, function(p) label_of(src[[p]][[i]]), "")
    }
    return(stats::setNames(values, parts))
  }
  stats::setNames(label_of(label), group)
}

# The implicit totals that count people too: in a cohort, the people of
# known value of a variable in a stratum; in an access table, the people
# of a stratum (its percentages' denominator, with the unknown group) and
# those of known group, and likewise of its population.
described_totals <- function(x, spec) {
  none <- list(cell = integer(), place = list(), measure = character())
  if (!inherits(x, c("equityaudit_cohort", "equityaudit_access"))) {
    return(none)
  }
  d <- unclass(x)
  cells <- which(spec$kind == "total")
  cols <- attr(x, "by")
  places <- lapply(cells, function(cell) {
    i <- total_row(spec, cell)
    if (is.na(i)) {
      return(NULL)
    }
    vals <- vapply(cols, function(cl) label_of(d[[cl]][[i]]), "")
    col <- spec$column[[cell]]
    if (inherits(x, "equityaudit_cohort")) {
      v <- sub("^known ", "", col)
      vals[[v]] <- paste0("<known>", cohort_missing_label(d, v, x))
    } else if (grepl(" known$", col) && !identical(attr(x, "missing_rule"), "include")) {
      vals[[attr(x, "group")]] <- paste0("<known>", attr(x, "unknown_label"))
    }
    pooled <- isTRUE(d$pooled[[i]])
    structure(vals, pooled = pooled, wild = if (pooled) attr(x, "by"))
  })
  keep <- !vapply(places, is.null, TRUE)
  list(
    cell = cells[keep], place = places[keep],
    measure = ifelse(startsWith(spec$column[cells[keep]], "ref_n"), "population", "people")
  )
}

# A row that an implicit total covers (through the sum it is the total of).
total_row <- function(spec, cell) {
  for (con in spec$cons) {
    if (con[[1]] != cell) next
    parts <- con[-1]
    shown <- parts[spec$kind[parts] == "shown"]
    return(if (length(shown) > 0) spec$row[[shown[[1]]]] else total_row(spec, parts[[1]]))
  }
  NA_integer_
}

# How another table labels the people whose value of cohort variable v is
# missing, when v is one of its strata: the label of the cohort's row of
# them (age has none: the cohort's label of unknown values).
cohort_missing_label <- function(d, v, x) {
  lab <- d$level[d$variable == v & d$missing]
  if (length(lab) == 0 || is.na(lab[[1]])) attr(x, "unknown_label") else lab[[1]]
}

label_of <- function(v) if (is.na(v)) "<NA>" else as.character(v)

# A row's defining values as one key: "column=value" pairs in column order.
place_key <- function(vals) {
  if (length(vals) == 0) {
    return("")
  }
  paste(paste0(names(vals), "=", vals)[order(names(vals))], collapse = "\r")
}

place_values <- function(key) {
  pairs <- strsplit(key, "\r", fixed = TRUE)[[1]]
  if (length(pairs) == 0 || identical(pairs, "")) {
    return(character())
  }
  eq <- regexpr("=", pairs, fixed = TRUE)
  stats::setNames(substring(pairs, eq + 1), substring(pairs, 1, eq - 1))
}

# The sums that link the tables: list(cons, extra), `extra` the hidden
# counts of people a partition leaves out (list(value, column)), numbered
# after the `n_cells` cells of the tables; `values` the cells' values.
linking_sums <- function(cells, values, n_cells) {
  cons <- list()
  key <- paste(cells$measure, cells$place, sep = "\n")
  for (k in unique(key)) {
    same <- which(key == k)
    for (j in same[-1]) cons[[length(cons) + 1]] <- c(cells$cell[same[[1]]], cells$cell[[j]])
  }
  extra <- list(value = numeric(), column = character())
  # (not the hidden counts of combinations: they are parts only)
  people <- which(cells$measure == "people" & !cells$combination)
  parts <- which(cells$part)
  part_places <- lapply(cells$place[parts], place_values)
  for (p in people) {
    want <- place_values(cells$place[[p]])
    # each other table's partition of the people of this place (its own
    # table's rows are tied by its own sums already): its rows within the
    # place (pooled rows within a pooled one); for a pooled place that
    # table has no pooled rows for, its other rows within the place
    # without the columns pooled over (a table of periods within the
    # cohort's "Total")
    for (t in setdiff(unique(cells$table[parts]), cells$table[[p]])) {
      in_t <- which(cells$table[parts] == t)
      within <- want
      inside <- in_t[vapply(part_places[in_t], function(have) place_within(within, have), TRUE)]
      if (length(inside) == 0 && cells$pooled[[p]]) {
        within <- place_values(cells$wild[[p]])
        # a table stratified as this one is tied to its strata already
        pooled_over <- setdiff(names(want), names(within))
        if (any(pooled_over %in% names(part_places[in_t][[1]]))) next
        base <- in_t[!cells$pooled[parts[in_t]]]
        inside <- base[vapply(part_places[base], function(have) place_within(within, have), TRUE)]
      }
      if (length(inside) == 0) next
      members <- cells$cell[parts[inside]]
      slack <- needs_slack(within, cells$leaves[parts[inside[[1]]]])
      # the same count described alike is one count already
      if (!slack && length(inside) == 1 && cells$place[parts[inside]] == cells$place[[p]]) next
      if (slack) {
        extra$value <- c(extra$value, values[cells$cell[[p]]] - sum(values[members]))
        extra$column <- c(extra$column, sprintf(
          "people of table %d's row %s left out of table %d", cells$table[[p]],
          gsub("\r", ", ", cells$place[[p]]), t
        ))
        members <- c(members, n_cells + length(extra$value))
      }
      cons[[length(cons) + 1]] <- c(cells$cell[[p]], members)
    }
  }
  list(cons = cons, extra = extra)
}

# Whether the place `have` lies within `want`: every column of want has a
# matching value in have.
place_within <- function(want, have) {
  if (length(want) == 0) {
    return(TRUE)
  }
  all(names(want) %in% names(have)) && all(mapply(place_matches, want, have[names(want)]))
}

# A cohort's one row of missing values holds every unknown label of the
# group, or the "Not known" stratum of another table ("<missing>" and that
# label); its implicit total of known values, the others ("<known>" and
# the label).
place_matches <- function(want, have) {
  if (want == have) {
    return(TRUE)
  }
  if (startsWith(want, "<missing>")) {
    return(startsWith(have, "<missing:") || have == substring(want, 10))
  }
  if (startsWith(want, "<known>")) {
    return(!startsWith(have, "<missing:") && have != substring(want, 8))
  }
  FALSE
}
