# The cells and sums of each kind of result: what a published table says,
# as count cells (shown, implicit totals, and hidden ones that follow from
# shown ones) and the sums that tie them together.

count_spec <- function(x, totals = NULL) {
  spec <- switch(result_kind(x),
    cohort = spec_cohort(x),
    access = spec_access(x),
    outcomes = spec_outcomes(x),
    groups = spec_groups(x),
    services = spec_services(x),
    periods = spec_periods(x),
    cmh = spec_cmh(x),
    inequality = spec_inequality(x),
    chisq = spec_chisq(x),
    spec_counts(x)
  )
  if (!is.null(totals)) spec$value[spec$kind == "total"] <- totals
  spec
}

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

spec_cohort <- function(x) {
  b <- spec_builder()
  n <- b$add("shown", seq_len(nrow(x)), "n", x$n)
  stratum <- row_key(x, unit_columns(x))
  is_total <- x$pooled %||% rep(FALSE, nrow(x))
  level_key <- paste(x$variable, x$level, x$missing, sep = "\r")
  known_cells <- integer()
  known_var <- character()
  known_in_total <- logical()
  for (s in unique(stratum)) {
    rows <- which(stratum == s)
    people <- rows[x$variable[rows] == "people"]
    for (v in setdiff(unique(x$variable[rows]), "people")) {
      vr <- rows[x$variable[rows] == v]
      miss <- vr[x$missing[vr]]
      known <- vr[!x$missing[vr]]
      if (length(known) > 1 || !is.na(x$level[known[1]])) {
        k <- b$add("total", NA, paste0("known ", v), sum(x$n[known]))
        b$sum(k, n[known])
        known_cells <- c(known_cells, k)
        known_var <- c(known_var, v)
        known_in_total <- c(known_in_total, is_total[[people]])
        b$sum(n[people], c(k, n[miss]))
      } else {
        b$sum(n[people], n[c(known, miss)])
      }
    }
  }
  if (any(is_total)) {
    for (t in which(is_total)) {
      b$sum(n[t], n[!is_total & level_key == level_key[[t]]])
    }
    for (v in unique(known_var[known_in_total])) {
      b$sum(
        known_cells[known_in_total & known_var == v],
        known_cells[!known_in_total & known_var == v]
      )
    }
  }
  finish_spec(b)
}

spec_access <- function(x) {
  b <- spec_builder()
  rows <- seq_len(nrow(x))
  stratum <- row_key(x, unit_columns(x))
  include <- identical(attr(x, "missing_rule"), "include")
  tested <- if (include) rep(TRUE, nrow(x)) else !x$missing
  sides <- list(n = x$n)
  if (!all(is.na(x$ref_n))) sides$ref_n <- x$ref_n
  for (col in names(sides)) {
    cells <- b$add("shown", rows, col, sides[[col]])
    for (s in unique(stratum)) {
      in_s <- stratum == s
      known <- b$add("total", NA, paste0(col, " known"), sum(sides[[col]][in_s & tested]))
      b$sum(known, cells[in_s & tested])
      if (any(in_s & !tested)) {
        all <- b$add("total", NA, paste0(col, " all"), sum(sides[[col]][in_s]))
        b$sum(all, c(known, cells[in_s & !tested]))
      }
    }
  }
  finish_spec(b)
}

spec_outcomes <- function(x) {
  s <- spec_rows(x, c("n", "events", "n_outcome_missing"))
  b <- s$b
  n <- s$cells$n
  ev <- s$cells$events
  miss <- s$cells$n_outcome_missing
  split_rest(b, s$rows, n, ev, x$n - x$events, "n - events")
  is_total <- x$pooled %||% rep(FALSE, nrow(x))
  if (any(is_total)) {
    within <- setdiff(c(attr(x, "by"), attr(x, "group")), attr(x, "pooled_over"))
    key <- row_key(x, within)
    for (t in which(is_total)) {
      parts <- which(!is_total & key == key[[t]])
      b$sum(n[[t]], n[parts])
      b$sum(ev[[t]], ev[parts])
      b$sum(miss[[t]], miss[parts])
    }
  }
  finish_spec(b)
}

spec_groups <- function(x) {
  s <- spec_rows(x, c("n", "events", "ref_n", "ref_events"))
  b <- s$b
  rows <- s$rows
  cells <- s$cells
  split_rest(b, rows, cells$n, cells$events, x$n - x$events, "n - events")
  split_rest(b, rows, cells$ref_n, cells$ref_events, x$ref_n - x$ref_events, "ref_n - ref_events")
  stratum <- row_key(x, unit_columns(x))
  for (s in unique(stratum)) {
    in_s <- which(stratum == s)
    rest <- x$reference[in_s[[1]]] == "rest"
    for (col in c("n", "events")) {
      own <- cells[[col]][in_s]
      ref <- cells[[paste0("ref_", col)]][in_s]
      if (rest) {
        total <- b$add("hidden", NA, paste0("stratum ", col), sum(x[[col]][in_s]))
        b$sum(total, own)
        for (j in seq_along(in_s)) b$sum(total, c(own[[j]], ref[[j]]))
      } else {
        for (j in seq_along(ref)[-1]) b$sum(ref[[1]], ref[[j]])
      }
    }
  }
  finish_spec(b)
}

# A table of counts: the column n, and with detectable_difference()'s
# columns, n_tested = n + rest_n on every row.
spec_counts <- function(x) {
  b <- spec_builder()
  rows <- seq_len(nrow(x))
  n <- b$add("shown", rows, "n", x$n)
  if (all(c("rest_n", "n_tested") %in% names(x))) {
    rest <- b$add("shown", rows, "rest_n", x$rest_n)
    tested <- b$add("shown", rows, "n_tested", x$n_tested)
    for (i in rows) b$sum(tested[[i]], c(n[[i]], rest[[i]]))
  }
  finish_spec(b)
}
