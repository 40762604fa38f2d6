# Small-number suppression of published tables, and the check that no
# suppressed count can be worked out from what is published.
#
# Every result is first described as a set of count cells with the sums
# that tie them together (a "spec"): cells shown in the result, totals
# that the result publishes implicitly (the denominators of percentages),
# and hidden cells that are never shown but follow from shown ones (the
# people without the outcome are n - events). Bounds on each cell follow by
# interval propagation over the sums (the shuttle algorithm).

#' Suppress small counts before publishing a table
#'
#' Applies a small-number rule to a result of [describe_cohort()],
#' [compare_access()], [compare_outcomes()] or [compare_groups()], or to any
#' other table of counts with a column `n` (such as those of
#' [tabulate_groups()] and [detectable_difference()]), so that the table can
#' be published without identifying anybody. (For the formatted Table 1,
#' suppress the result and then [format()] it.)
#'
#' * `"nhs_digital"`: counts of 1 to 7 are suppressed and every other count
#'   is rounded to the nearest 5 (zeros stay 0); a mean, s.d., minimum or
#'   maximum of age based on 1 to 7 people is suppressed.
#' * `"opensafely"`: counts up to 7 (zeros included) are suppressed and the
#'   rest rounded to the nearest 5.
#' * `"none"`: nothing is suppressed or rounded (unless `threshold` or
#'   `round_to` are given).
#'
#' `threshold` and `round_to` change the rule's numbers.
#'
#' **Secondary suppression.** Within each published table, a suppressed count
#' must not be recoverable from the published totals by subtraction: the
#' people of a stratum, the row and column totals, the `"Total"` stratum,
#' the percentages' denominators, and counts that are not shown but follow
#' from shown ones (people without the outcome are `n - events`, which must
#' not reveal a group of 1 to 7 either). After the primary suppression the
#' range of values consistent with everything published is worked out for
#' every suppressed cell ([disclosure_check()]); while any is known too
#' precisely (see there), the smallest published count that shares a sum
#' with it is suppressed as well, preferring counts that are not themselves
#' totals, one at a time until no cell is at risk.
#'
#' **What changes.** Suppressed counts become `NA` (printed, and formatted
#' by [format()], as `"*"`); other counts are rounded. Percentages are
#' recomputed from the rounded counts. Everything else that is about one
#' suppressed cell (its percentage, interval, residual, ratio or verdict)
#' is suppressed with it. Test statistics, p-values and the intervals of
#' the cells that are shown are computed from the unrounded counts, before
#' suppression; this is the usual practice, and it means that they are not
#' recomputable from the published counts. The result keeps its class (with
#' `"equityaudit_suppressed"` in front) and prints with a footnote naming
#' the rule. `write.csv(format(x))` writes the published table.
#'
#' @param x A result of one of the functions above.
#' @param rule `"nhs_digital"`, `"opensafely"` or `"none"`.
#' @param threshold Largest count suppressed (default 7).
#' @param round_to Counts are rounded to the nearest multiple of this
#'   (default 5; 1 means no rounding).
#' @return `x` with the rule applied, and attribute `"suppression"`
#'   (the rule, threshold and rounding, the published implicit totals and
#'   the cells suppressed).
#' @seealso [disclosure_check()].
#' @export
#' @examples
#' people <- data.frame(
#'   service = rep(c("A", "B"), c(40, 25)),
#'   ethnicity = c(rep(c("White", "Black", "Asian"), c(25, 9, 6)),
#'                 rep(c("White", "Black", "Asian"), c(17, 5, 3)))
#' )
#' cohort <- describe_cohort(people, ethnicity, by = service)
#' suppress_counts(cohort)
#' disclosure_check(suppress_counts(cohort))
suppress_counts <- function(x, rule = c("nhs_digital", "opensafely", "none"),
                            threshold = NULL, round_to = NULL) {
  check_suppressible(x)
  if (inherits(x, "equityaudit_suppressed")) {
    abort_input("argument", "`x` has already been suppressed.", arg = "x")
  }
  if (!inherits(x, "data.frame")) class(x) <- "data.frame"
  r <- suppression_rule(rule, threshold, round_to)
  spec <- count_spec(x)
  res <- protect_cells(spec, r)
  publish_cells(x, spec, res, r)
}

#' Check that no suppressed count can be recovered
#'
#' For a table returned by [suppress_counts()], works out, from the
#' published figures only, the range of values each suppressed count (and
#' each small count that is not shown but follows from shown ones, such as
#' the people without the outcome) can take, by repeated subtraction from
#' the published sums (interval propagation, the "shuttle" algorithm of
#' Buzzigoli and Giusti). Rounded counts are taken to lie anywhere within
#' their rounding interval. A cell is flagged as `disclosed` when its range
#' reaches down to a small count (at most the threshold, so that it may be
#' one of the counts the rule protects) and its width (`high - low`) is
#' narrower than the rule's threshold or, when counts are rounded, narrower
#' than the rounding interval (`round_to - 1`, 4 for rounding to 5) if that
#' is smaller: every published count is itself only
#' known to within that range, so a suppressed count known no better is
#' protected as well as a rounded one. Without rounding the threshold
#' applies in full: a count of 3 whose range is 0 to 6 is disclosed.
#'
#' The bounds are those that subtraction and addition along the published
#' sums give. They can be wider than linear-programming bounds in large
#' tables with many suppressed cells linked in cycles.
#'
#' @param x A result of [suppress_counts()] (or of a function called with
#'   `suppress =`).
#' @return A data frame with one row per suppressed or hidden cell at risk:
#'   `row` (the row of `x`, `NA` for an implicit total), the `by` and group
#'   columns of that row, `column` (which count), `kind` (`"shown"`,
#'   `"total"` or `"hidden"`), `low` and `high` (the range of values
#'   consistent with the publication), and `disclosed` (`high - low` below
#'   the threshold). Attribute `"protected"` is `TRUE` when no cell is
#'   disclosed.
#' @seealso [suppress_counts()].
#' @export
#' @examples
#' outcomes <- data.frame(
#'   group = c("A", "B", "C"), events = c(12, 3, 30), people = c(40, 9, 61)
#' )
#' res <- compare_outcomes(outcomes, group,
#'   events = events, total = people, suppress = "nhs_digital"
#' )
#' disclosure_check(res)
disclosure_check <- function(x) {
  if (!inherits(x, "equityaudit_suppressed")) {
    abort_input(
      "argument",
      "`x` must be a result of `suppress_counts()` (or of a call with `suppress =`).",
      arg = "x"
    )
  }
  s <- attr(x, "suppression")
  if (isTRUE(s$subset)) {
    abort_input(
      "argument",
      "`x` is part of a suppressed table; check the whole table.",
      arg = "x"
    )
  }
  spec <- count_spec(x, totals = s$totals)
  unknown <- is.na(spec$value) | spec$kind == "hidden"
  b <- cell_bounds(spec$value, unknown, sums_csr(spec$cons), s$round_to)
  report <- unknown & (spec$kind != "hidden" | could_be_small(b, s))
  cells <- which(report)
  by <- c(attr(x, "by"), attr(x, "group"))
  by <- intersect(by, names(x))
  labels <- lapply(unclass(x)[by], function(v) v[spec$row[cells]])
  out <- new_tidy_frame(c(
    list(row = spec$row[cells]), labels,
    list(
      column = spec$column[cells], kind = spec$kind[cells],
      low = b$lo[cells], high = b$hi[cells],
      disclosed = could_be_small(b, s)[cells]
    )
  ))
  attr(out, "protected") <- !any(out$disclosed)
  out
}

apply_suppression <- function(x, suppress) {
  if (is.null(suppress)) {
    return(x)
  }
  suppress_counts(x, rule = suppress)
}

# The four tables of people, or any other data frame of the package with a
# count column `n` (tabulate_groups(), detectable_difference()).
check_suppressible <- function(x) {
  ok <- c(
    "equityaudit_cohort", "equityaudit_access", "equityaudit_outcomes",
    "equityaudit_groups"
  )
  if (!inherits(x, ok) && !(is.data.frame(x) && is.numeric(x[["n"]]))) {
    abort_input(
      "argument",
      sprintf(
        "`x` must be a result of describe_cohort(), compare_access(), %s",
        "compare_outcomes(), compare_groups(), or a table with a count column `n`."
      ),
      arg = "x"
    )
  }
}

suppression_rule <- function(rule, threshold, round_to) {
  rule <- match_arg(rule, c("nhs_digital", "opensafely", "none"), "rule")
  base <- switch(rule,
    nhs_digital = list(threshold = 7, round_to = 5, zero = FALSE),
    opensafely = list(threshold = 7, round_to = 5, zero = TRUE),
    none = list(threshold = 0, round_to = 1, zero = FALSE)
  )
  whole <- function(v, arg, min) {
    if (!is.numeric(v) || length(v) != 1 || is.na(v) || v < min ||
      v != round(v) || !is.finite(v)) {
      abort_input("argument", sprintf("`%s` must be a whole number of at least %d.", arg, min),
        arg = arg
      )
    }
    as.double(v)
  }
  base$threshold <- whole(threshold %||% base$threshold, "threshold", 0)
  base$round_to <- whole(round_to %||% base$round_to, "round_to", 1)
  base$rule <- rule
  base
}

is_small <- function(v, r) {
  !is.na(v) & v <= r$threshold & (v >= 1 | (r$zero & v == 0))
}

round_count <- function(v, round_to) floor(v / round_to + 0.5) * round_to

# How wide the range of a suppressed count must be: the threshold when the
# published counts are exact; with rounding, every published count is only
# known to within round_to - 1, and a suppressed count known no better than
# that is as well protected as a rounded one.
required_width <- function(r) {
  if (r$round_to > 1) min(r$threshold, r$round_to - 1) else r$threshold
}

could_be_small <- function(b, r) {
  b$lo <= r$threshold & b$hi >= (if (r$zero) 0 else 1) &
    b$hi - b$lo < required_width(r)
}

# ---- bounds ---------------------------------------------------------------

# Bounds of every cell: published ones within their rounding interval,
# unknown ones from 0 to Inf, narrowed along each sum (total = parts, given
# by sums_csr()) until nothing changes.
cell_bounds <- function(value, unknown, sums, round_to) {
  lo <- pmax(0, value - floor(round_to / 2))
  hi <- value + ceiling(round_to / 2) - 1
  lo[unknown] <- 0
  hi[unknown] <- Inf
  res <- .Call(
    ea_interval_bounds, as.double(lo), as.double(hi), sums$start, sums$cells,
    1000L
  )
  list(lo = res[[1]], hi = res[[2]])
}

# The sums as 0-based compressed rows for the C code.
sums_csr <- function(cons) {
  list(
    start = as.integer(c(0, cumsum(lengths(cons)))),
    cells = as.integer(unlist(cons)) - 1L
  )
}

# ---- protection -----------------------------------------------------------

protect_cells <- function(spec, r) {
  v <- spec$value
  hidden <- spec$kind == "hidden"
  published <- ifelse(hidden, NA_real_, round_count(v, r$round_to))
  supp <- !hidden & is_small(v, r)
  members <- cells_constraints(spec$cons, length(v))
  is_margin <- seq_along(v) %in% sum_totals(spec$cons)
  sums <- sums_csr(spec$cons)
  repeat {
    b <- cell_bounds(published, supp | hidden, sums, r$round_to)
    at_risk <- (supp | hidden) & could_be_small(b, r)
    if (!any(at_risk)) break
    extra <- integer()
    for (cell in which(at_risk)) {
      extra <- next_cell(cell, members, spec$cons, v, supp | hidden, spec$kind, is_margin)
      if (length(extra) > 0) break
    }
    if (length(extra) == 0) break
    supp[extra] <- TRUE
  }
  list(suppressed = supp, published = published)
}

# The total cell of each sum.
sum_totals <- function(cons) vapply(cons, function(con) con[[1]], 1L)

# For each cell, the constraints it appears in.
cells_constraints <- function(cons, n) {
  idx <- rep(seq_along(cons), lengths(cons))
  split(idx, factor(unlist(cons), levels = seq_len(n)))
}

# The cell to suppress next to protect `cell`: among the published cells
# that share a sum with it, the smallest, preferring counts that are not
# totals of a sum, then totals, then implicit totals, then zeros (which
# hide little); when all its neighbours are suppressed already, the search
# goes on from them.
next_cell <- function(cell, members, cons, v, unavailable, kind, is_margin) {
  seen <- cell
  frontier <- cell
  while (length(frontier) > 0) {
    near <- setdiff(unique(unlist(cons[unlist(members[frontier])])), seen)
    pool <- near[!unavailable[near]]
    if (length(pool) > 0) {
      rank <- ifelse(kind[pool] != "shown", 3, ifelse(is_margin[pool], 2, 1)) +
        3 * (v[pool] == 0)
      return(pool[order(rank, v[pool])[[1]]])
    }
    seen <- c(seen, near)
    frontier <- near
  }
  integer()
}

# ---- specs: the cells and sums of each kind of result -----------------------

count_spec <- function(x, totals = NULL) {
  spec <- if (inherits(x, "equityaudit_cohort")) {
    spec_cohort(x)
  } else if (inherits(x, "equityaudit_access")) {
    spec_access(x)
  } else if (inherits(x, "equityaudit_outcomes")) {
    spec_outcomes(x)
  } else if (inherits(x, "equityaudit_groups")) {
    spec_groups(x)
  } else {
    spec_counts(x)
  }
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
  env$cons <- list()
  env$add <- function(kind, row, column, value) {
    first <- length(env$value) + 1L
    env$kind <- c(env$kind, rep(kind, length(value)))
    env$row <- c(env$row, rep_len(as.integer(row), length(value)))
    env$column <- c(env$column, rep(column, length(value)))
    env$value <- c(env$value, as.double(value))
    seq.int(first, length.out = length(value))
  }
  env$sum <- function(total, parts) {
    if (length(parts) > 0) env$cons[[length(env$cons) + 1]] <- c(total, parts)
  }
  env
}

finish_spec <- function(b) {
  list(kind = b$kind, row = b$row, column = b$column, value = b$value, cons = b$cons)
}

row_key <- function(x, cols) {
  strata_key(unclass(x)[cols], nrow(x))
}

spec_cohort <- function(x) {
  b <- spec_builder()
  by <- attr(x, "by")
  n <- b$add("shown", seq_len(nrow(x)), "n", x$n)
  stratum <- row_key(x, by)
  is_total <- attr(x, "total_rows") %||% rep(FALSE, nrow(x))
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
  by <- attr(x, "by")
  rows <- seq_len(nrow(x))
  stratum <- row_key(x, by)
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
  b <- spec_builder()
  rows <- seq_len(nrow(x))
  n <- b$add("shown", rows, "n", x$n)
  ev <- b$add("shown", rows, "events", x$events)
  b$add("shown", rows, "n_outcome_missing", x$n_outcome_missing)
  no <- b$add("hidden", rows, "n - events", x$n - x$events)
  for (i in rows) b$sum(n[[i]], c(ev[[i]], no[[i]]))
  is_total <- attr(x, "total_rows") %||% rep(FALSE, nrow(x))
  if (any(is_total)) {
    within <- setdiff(c(attr(x, "by"), attr(x, "group")), attr(x, "pooled_over"))
    key <- row_key(x, within)
    for (t in which(is_total)) {
      parts <- which(!is_total & key == key[[t]])
      b$sum(n[[t]], n[parts])
      b$sum(ev[[t]], ev[parts])
    }
  }
  finish_spec(b)
}

spec_groups <- function(x) {
  b <- spec_builder()
  rows <- seq_len(nrow(x))
  cells <- list()
  for (col in c("n", "events", "ref_n", "ref_events")) {
    cells[[col]] <- b$add("shown", rows, col, x[[col]])
  }
  no <- b$add("hidden", rows, "n - events", x$n - x$events)
  ref_no <- b$add("hidden", rows, "ref_n - ref_events", x$ref_n - x$ref_events)
  for (i in rows) {
    b$sum(cells$n[[i]], c(cells$events[[i]], no[[i]]))
    b$sum(cells$ref_n[[i]], c(cells$ref_events[[i]], ref_no[[i]]))
  }
  stratum <- row_key(x, attr(x, "by"))
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

# ---- publishing -----------------------------------------------------------

publish_cells <- function(x, spec, res, r) {
  shown <- which(spec$kind == "shown")
  cls <- class(x)
  y <- unclass(x)
  starred <- list()
  for (col in unique(spec$column[shown])) {
    cells <- shown[spec$column[shown] == col]
    vals <- res$published[cells]
    vals[res$suppressed[cells]] <- NA
    y[[col]][spec$row[cells]] <- vals
    starred[[col]] <- spec$row[cells][res$suppressed[cells]]
  }
  totals <- res$published[spec$kind == "total"]
  totals[res$suppressed[spec$kind == "total"]] <- NA
  derived <- switch(cls[[1]],
    equityaudit_cohort = derive_cohort(y, spec, totals, x, r),
    equityaudit_access = derive_access(y, spec, totals, starred),
    equityaudit_outcomes = derive_outcomes(y, starred),
    equityaudit_groups = derive_groups(y, starred),
    derive_counts(y, starred)
  )
  out <- derived$data
  starred <- merge_starred(starred, derived$starred)
  attr(out, "suppression") <- list(
    rule = r$rule, threshold = r$threshold, round_to = r$round_to,
    zero = r$zero, totals = totals, starred = starred
  )
  class(out) <- c("equityaudit_suppressed", cls)
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
  firsts <- sum_totals(spec$cons)
  of_total <- firsts %in% total_cells
  parts <- lapply(spec$cons[of_total], function(con) con[-1])
  total_of <- rep(firsts[of_total], lengths(parts))
  parts <- unlist(parts)
  shown <- spec$kind[parts] == "shown"
  list(cell = parts[shown], value = totals[match(total_of[shown], total_cells)])
}

derive_cohort <- function(y, spec, totals, x, r) {
  den <- shown_denominators(spec, totals)
  rows <- spec$row[den$cell]
  k_of_row <- rep(NA_real_, length(y$n))
  k_of_row[rows] <- den$value
  level_rows <- seq_along(y$n) %in% rows
  y$pct[level_rows] <- 100 * y$n[level_rows] / k_of_row[level_rows]
  y$pct[level_rows & !is.na(k_of_row) & k_of_row == 0] <- NA
  age <- !is.na(x$mean)
  small_age <- which(age & (is_small(x$n, r) | is.na(y$n)))
  out <- blank(y, small_age, c("mean", "sd", "min", "max"))
  starred_pct <- which(level_rows & is.na(y$n))
  out$starred$pct <- starred_pct
  out$data$pct[starred_pct] <- NA
  out
}

derive_access <- function(y, spec, totals, starred) {
  den <- shown_denominators(spec, totals)
  for (col in c("n", "ref_n")) {
    pick <- spec$column[den$cell] == col
    rows <- spec$row[den$cell[pick]]
    pct_col <- if (col == "n") "pct" else "ref_pct"
    y[[pct_col]][rows] <- 100 * y[[col]][rows] / den$value[pick]
  }
  if ("ref_n" %in% spec$column) y$access_rate <- 100 * y$n / y$ref_n
  per_cell <- c(
    "access_rate", "representation_ratio", "ratio_low", "ratio_high",
    "adj_residual", "equivalence_p_value", "verdict"
  )
  out_n <- blank(y, starred$n, c("pct", per_cell))
  out_ref <- blank(out_n$data, starred$ref_n %||% integer(), c("ref_pct", per_cell))
  list(data = out_ref$data, starred = merge_starred(out_n$starred, out_ref$starred))
}

derive_outcomes <- function(y, starred) {
  y$pct <- 100 * y$events / y$n
  rows <- sort(unique(c(starred$n, starred$events)))
  blank(y, rows, c("pct", "pct_low", "pct_high", "adj_residual"))
}

derive_groups <- function(y, starred) {
  y$pct <- 100 * y$events / y$n
  y$ref_pct <- 100 * y$ref_events / y$ref_n
  rows <- sort(unique(unlist(starred[c("n", "events", "ref_n", "ref_events")])))
  blank(y, rows, c(
    "pct", "ref_pct", "difference", "diff_low", "diff_high", "risk_ratio",
    "rr_low", "rr_high", "odds_ratio", "or_low", "or_high",
    "equivalence_p_value", "verdict"
  ))
}

# Other tables: every other number about a row with a starred count is
# starred with it.
derive_counts <- function(y, starred) {
  rows <- sort(unique(unlist(starred)))
  counts <- c("n", "rest_n", "n_tested")
  other <- names(y)[vapply(y, is.double, TRUE) & !(names(y) %in% counts)]
  blank(y, rows, other)
}

# ---- printing -------------------------------------------------------------

suppression_footnote <- function(s) {
  what <- switch(s$rule,
    nhs_digital = "NHS Digital rule",
    opensafely = "OpenSAFELY rule",
    none = "no suppression rule"
  )
  lowest <- if (s$zero) 0 else 1
  paste0(
    "* ", if (s$threshold > 0) {
      sprintf("counts of %g to %g suppressed", lowest, s$threshold)
    } else {
      "no counts suppressed"
    },
    ", with any that would reveal them",
    if (s$round_to > 1) sprintf("; other counts rounded to the nearest %g", s$round_to) else "",
    " (", what, "). Percentages are from the published counts; tests and ",
    "intervals from the unrounded counts."
  )
}

#' @export
format.equityaudit_suppressed <- function(x, digits = NULL, ...) {
  if (inherits(x, "equityaudit_cohort")) {
    return(NextMethod())
  }
  starred <- attr(x, "suppression")$starred
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  attributes(df) <- attributes(df)[c("names", "row.names", "class")]
  for (col in names(df)) {
    v <- df[[col]]
    rows <- starred[[col]] %||% integer()
    if (length(rows) == 0 && (is.null(digits) || !is.double(v))) next
    if (is.double(v) && !is.null(digits)) v <- round(v, digits)
    v <- format(v, trim = TRUE)
    v[rows] <- "*"
    df[[col]] <- v
  }
  df
}

#' @export
print.equityaudit_suppressed <- function(x, ...) {
  if (inherits(x, "equityaudit_cohort")) {
    NextMethod()
  } else {
    print(format(x), ...)
  }
  cat(suppression_footnote(attr(x, "suppression")), "\n", sep = "")
  invisible(x)
}

#' @export
`[.equityaudit_suppressed` <- function(x, i, j, ...) {
  s <- attr(x, "suppression")
  rows <- if (missing(i)) seq_len(nrow(x)) else seq_len(nrow(x))[i]
  out <- NextMethod()
  if (!is.data.frame(out)) {
    return(out)
  }
  s$starred <- lapply(s$starred[intersect(names(s$starred), names(out))], function(r) {
    which(rows %in% r)
  })
  s$subset <- TRUE
  attr(out, "suppression") <- s
  out
}
