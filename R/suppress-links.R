# The sums that tie the tables of one publication together. Each count
# cell of each table is described by what it counts (its measure: people,
# people with a known outcome ("known"), events, people whose outcome is
# not known ("outcome_missing"), eligible population) and where (its
# place: the values of the columns that define its row; a combined group by
# its parts; a known or missing value as such). Then:
#
# * equal descriptions are one count;
# * a count of a place is the sum of the counts of the same measure (for
#   people: of the partition of people) of every other table whose rows fall
#   within it; where that table leaves some of them out (those with no
#   date, of unknown group or unit, of unknown outcome), the sum has one
#   more, hidden, count: the people left out.
#
# A reader can use every one of these sums, so suppression protects
# against them and disclosure_check() reads them. Places are compared as
# keys in hash joins (match()), never one against another, so the links of
# tables of a million rows cost seconds. Periods are compared by their
# days (a quarter lies within its year), and a hierarchy of groups (ONS
# detailed categories within broad groups) adds the broad group to the
# place of each detailed row.

missing_mark <- "\001M"
known_mark <- "\001K"

# What the count columns of a result count, by its kind (kind-*.R): a list
# of `measures` (for each of its tables, the measure of each count column),
# `partition` (the columns whose cells partition the people of a table that
# partitions people: each person in one row, once), `leaves` (whom that
# partition leaves out: "group" (people of unknown group, unless the table
# shows them), "by" (of unknown stratum or unit), "outcome" (of unknown
# outcome), "date" (with no date)), `strata` (for each table, the columns
# of its places besides the group), `group` (for each table, the column of
# its group labels), `known_group` (columns counting the people of known
# group of a stratum) and `reference` (the column naming the group that
# columns starting "ref_" count).
link_description <- function(x) UseMethod("link_description")

#' @export
link_description.default <- function(x) {
  list(measures = list(), partition = character(), leaves = character())
}

# The code of people of unknown group a partition leaves out, unless it
# shows them (`shown`); none for combined groups (their unknown row is
# split into the combinations with a missing part, suppress-combinations.R).
unknown_group_leaves <- function(x, shown = FALSE) {
  single <- length(attr(x, "parts") %||% attr(x, "group")) < 2
  if (single && !shown) "group"
}

# The count cells of every table that the links describe, with their
# places: a list of `cells` (a data frame: table, cell (in the joint
# numbering), measure, part (in its table's partition of its measure),
# pooled, unknown_row) and `place` (a character matrix, one column per
# column of any place; NA where a cell's place does not restrict it).
link_cells <- function(results, specs, first, hierarchy = NULL) {
  per <- Map(function(x, spec, f, t) table_cells(x, spec, f, t), results, specs, first, seq_along(results))
  cols <- unique(unlist(lapply(per, function(p) colnames(p$place))))
  place <- do.call(rbind, lapply(per, function(p) {
    m <- matrix(NA_character_, nrow(p$place), length(cols), dimnames = list(NULL, cols))
    m[, colnames(p$place)] <- p$place
    m
  }))
  cells <- do.call(rbind, lapply(per, `[[`, "cells"))
  place <- mark_missing_labels(place, results)
  if (!is.null(hierarchy)) place <- add_hierarchy(place, hierarchy)
  list(
    cells = cells, place = place, hierarchy = names(hierarchy)[1:2],
    leaves = lapply(results, function(x) link_description(x)$leaves),
    periods = lapply(results, function(x) attr(x, "period_days")),
    group = lapply(results, function(x) attr(x, "group")),
    by = lapply(results, function(x) attr(x, "by")),
    wild = lapply(results, function(x) attr(x, "pooled_over") %||% attr(x, "by")),
    parts = lapply(results, function(x) if (length(attr(x, "parts")) > 1) attr(x, "parts")),
    people_measures = lapply(results, function(x) {
      l <- link_description(x)
      unname(l$measures$main[l$partition])
    })
  )
}

# The described cells of one result: its shown counts of a measure, and
# its implicit totals.
table_cells <- function(x, spec, first, table) {
  link <- link_description(x)
  described <- spec$kind %in% c("shown", "total") &
    !is.na(measure_of_cells(spec, link$measures)) & !is.na(spec$row)
  idx <- which(described)
  place <- link_places(x, spec, idx, link)
  d_rows <- spec$row[idx]
  src_pooled <- function(tb, r) {
    d <- if (tb == "main") unclass(x) else unclass(result_table(x, tb))
    (d$pooled %||% rep(FALSE, length(d[[1]])))[r]
  }
  pooled <- logical(length(idx))
  for (tb in unique(spec$table[idx])) {
    at <- spec$table[idx] == tb
    pooled[at] <- src_pooled(tb, d_rows[at]) %in% TRUE
  }
  measure <- measure_of_cells(spec, link$measures)[idx]
  part <- spec$table[idx] == "main" & spec$kind[idx] == "shown" & length(link$partition) > 0
  unknown_row <- part & attr(place, "unknown_row")
  cells <- data.frame(
    table = rep(table, length(idx)), cell = first + idx, measure = measure,
    people_part = part & spec$column[idx] %in% link$partition & !pooled & !unknown_row,
    part = part & !pooled & !unknown_row, pooled = pooled, unknown_row = unknown_row,
    atom = rep(FALSE, length(idx)), stringsAsFactors = FALSE
  )
  attr(place, "unknown_row") <- NULL
  list(cells = cells, place = place)
}

# The measure of each cell of a spec (NA where its column counts none).
measure_of_cells <- function(spec, measures) {
  out <- rep(NA_character_, length(spec$kind))
  for (tb in names(measures)) {
    m <- measures[[tb]]
    at <- spec$table == tb & spec$column %in% names(m)
    out[at] <- unname(m[spec$column[at]])
  }
  # implicit totals: the people (or population) of their place
  total <- spec$kind == "total"
  out[total] <- ifelse(startsWith(spec$column[total], "ref_n"), "population", "people")
  out
}

# The places of the cells `idx` of a result (kind-*.R may describe them
# otherwise: the cohort does).
link_places <- function(x, spec, idx, link) UseMethod("link_places")

#' @export
link_places.default <- function(x, spec, idx, link) {
  group <- attr(x, "group")
  parts <- attr(x, "parts") %||% group
  combined <- length(parts) > 1
  tables <- unique(spec$table[idx])
  strata <- unique(unlist(lapply(tables, function(tb) link$strata[[tb]] %||% attr(x, "by"))))
  cols <- unique(c(strata, if (combined) parts else group))
  place <- matrix(NA_character_, length(idx), length(cols), dimnames = list(NULL, cols))
  unknown_row <- logical(length(idx))
  for (tb in tables) {
    at <- which(spec$table[idx] == tb)
    d <- if (tb == "main") unclass(x) else unclass(result_table(x, tb))
    r <- spec$row[idx][at]
    column <- spec$column[idx][at]
    for (cl in intersect(link$strata[[tb]] %||% attr(x, "by"), names(d))) {
      place[at, cl] <- label_text(d[[cl]][r])
    }
    pooled <- (d$pooled %||% rep(FALSE, length(d[[1]])))[r] %in% TRUE
    wild <- intersect(attr(x, "pooled_over") %||% attr(x, "by"), cols)
    if (any(pooled)) place[at[pooled], wild] <- NA
    gcol <- link$group[[tb]] %||% group
    label <- as.character(d[[gcol]][r])
    ref <- startsWith(column, "ref_") & !is.null(link$reference)
    if (any(ref)) label[ref] <- as.character(d[[link$reference]][r][ref])
    missing <- (d$missing %||% rep(FALSE, length(d[[1]])))[r] %in% TRUE & !ref
    known <- column %in% (link$known_group %||% character()) | spec$kind[idx][at] == "total"
    if (combined) {
      opt <- attr(x, "options")
      lab_at <- match(label, as.character(opt$labels %||% label))
      for (p in parts) {
        v <- if (!is.null(opt$label_parts)) as.character(opt$label_parts[[p]])[lab_at] else as.character(d[[p]][r])
        place[at, p] <- v
        place[at[known], p] <- known_mark
      }
      unknown_row[at] <- missing
      place[at[missing], parts] <- NA
    } else {
      place[at, group] <- label_text(label)
      place[at[missing], group] <- missing_mark
      place[at[known], group] <- known_mark
    }
    # a total of a stratum, not of its known group (access: everybody)
    everybody <- spec$kind[idx][at] == "total" & grepl(" all$", column)
    place[at[everybody], if (combined) parts else group] <- NA
  }
  attr(place, "unknown_row") <- unknown_row
  place
}

label_text <- function(v) ifelse(is.na(v), missing_mark, as.character(v))

# Stratum values that name the unknown stratum (such as "Not known"): as
# missing values. Their labels are those a table gives its unknown values
# (its unknown_label, a cohort's label of its missing row, the unknown
# strata of an outcome table).
mark_missing_labels <- function(place, results) {
  labels <- list()
  for (x in results) {
    opt <- attr(x, "options")
    for (cl in names(opt$unknown_strata)) labels[[cl]] <- c(labels[[cl]], opt$unknown_strata[[cl]])
    d <- unclass(x)
    if (inherits(x, "equityaudit_cohort")) {
      miss <- d$missing %in% TRUE & d$variable != "people"
      for (v in unique(d$variable[miss])) {
        labels[[v]] <- c(labels[[v]], stats::na.omit(d$level[miss & d$variable == v]), attr(x, "unknown_label"))
      }
    }
  }
  for (cl in intersect(names(labels), colnames(place))) {
    place[place[, cl] %in% labels[[cl]], cl] <- missing_mark
  }
  place
}

# Adds the broad group of each detailed value to every place that has the
# detailed column: `hierarchy` is a data frame whose first column is named
# as the detailed column and holds its values, and whose second is named
# as the broad column and holds each value's broad group.
add_hierarchy <- function(place, hierarchy) {
  detailed <- names(hierarchy)[[1]]
  broad <- names(hierarchy)[[2]]
  if (!(detailed %in% colnames(place))) {
    return(place)
  }
  if (!(broad %in% colnames(place))) {
    place <- cbind(place, matrix(NA_character_, nrow(place), 1, dimnames = list(NULL, broad)))
  }
  have <- !is.na(place[, detailed]) & is.na(place[, broad])
  v <- place[have, detailed]
  mapped <- as.character(hierarchy[[2]])[match(v, as.character(hierarchy[[1]]))]
  mapped[v %in% c(missing_mark, known_mark)] <- v[v %in% c(missing_mark, known_mark)]
  place[have, broad] <- mapped
  place
}
