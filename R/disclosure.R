# What an attacker can work out from a suppressed table: disclosure_check()
# and the rule as the attacker reads it (the bounds themselves are in
# disclosure-bounds.R).
#
# The attacker reads every published count and knows the rule: a published
# count v is a true count that rounds to v and that the rule would not have
# hidden (under the NHS Digital rule a published 0 is a true 0, and any
# other published count is at least 8); a starred count is one the rule hid
# or one hidden to protect another (which may be a zero); a hidden count (such as the people without the outcome, n -
# events) is any count. Every other number of a suppressed result is
# computed from the published counts (see suppress_counts()), so it tells
# the attacker nothing more. The sums that tie the counts together come
# from the result's spec (R/suppress-spec.R). Exact bounds on a count are
# the minimum and maximum of an integer programme over those sums and
# ranges, solved with lpSolve; interval propagation over the sums (the
# shuttle algorithm, src/disclosure.c) gives quick outer bounds.

#' Check that no suppressed count can be recovered
#'
#' For a table returned by [suppress_counts()], works out, from the
#' published figures only, the range of values that each suppressed count
#' (and each count that is not shown but follows from shown ones, such as
#' the people without the outcome) can take. The attacker modelled knows
#' the rule and reads every published number: a published count is any
#' count that rounds to it and that the rule would not have suppressed
#' (under the NHS Digital rule a published 0 is exactly 0 and any other
#' published count is at least 8), a starred count is any count the rule
#' could have starred, and the counts are tied by every sum the table
#' publishes (stratum people, row and column totals, the `"Total"` stratum,
#' the percentages' denominators, `n = events + (n - events)`). Every other
#' number of a suppressed result (percentages, intervals, tests, ratios,
#' verdicts) is computed from the published counts, so it adds nothing.
#' The range of each cell is exact: the smallest and largest whole number
#' the cell can take, from an integer programme solved with the lpSolve
#' package.
#'
#' A cell is `disclosed` when it could be one of the counts the rule
#' protects (its range reaches into 1 to 7 for the NHS Digital rule, 0 to 7
#' for OpenSAFELY) and its range is narrower than that protected range
#' (`high - low` below 6, or 7 for OpenSAFELY): a reader would then know
#' more about it than the rule itself reveals about a starred count.
#'
#' Exact ranges take one or two integer programmes per cell, over the part
#' of the table linked to it by sums; for tables of thousands of rows with
#' a pooled stratum that can take minutes. `bounds = "verdict"` computes
#' the exact range only where the verdict needs it: a cell that two
#' feasible tables already show to be wide enough gets that range
#' (`exact_range` `FALSE`; its exact range is at least as wide), and the
#' verdicts are the same.
#'
#' @param x A result of [suppress_counts()] (or of a function called with
#'   `suppress =`), or a list of tables suppressed together by
#'   `suppress_counts()`, checked together (the result then has a `table`
#'   column and no group columns).
#' @param bounds `"exact"` (the default) for the exact range of every
#'   cell, `"verdict"` to settle each verdict with as little work as it
#'   needs.
#' @inheritParams equityaudit-arguments
#' @return A data frame with one row per suppressed cell, and per hidden
#'   cell that could be small: `part` (`"main"` for the rows of `x`, or the
#'   table of `x` the cell is in, such as `"counts"`), `row` (its row there,
#'   `NA` for an implicit total), the `by` and group columns of that row, `column` (which
#'   count), `kind` (`"shown"`, `"total"` or `"hidden"`), `low` and `high`
#'   (the smallest and largest value consistent with the publication;
#'   `Inf` when there is no upper limit), `exact_range` (whether `low` and
#'   `high` are the exact limits) and `disclosed`. Attribute `"protected"`
#'   is `TRUE` when no cell is disclosed.
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
disclosure_check <- function(x, bounds = c("exact", "verdict"), ...) {
  check_no_dots(..., fn = "disclosure_check")
  exact <- match_arg(bounds, c("exact", "verdict"), "bounds") == "exact"
  if (is.list(x) && !is.data.frame(x)) {
    return(disclosure_check_together(x, exact))
  }
  if (!inherits(x, "equityaudit_suppressed")) {
    abort_input(
      "argument",
      "`x` must be a result of `suppress_counts()` (or of a call with `suppress =`).",
      arg = "x"
    )
  }
  s <- suppression_of(x)
  check_threshold_rule(s)
  if (isTRUE(s$subset)) {
    abort_input(
      "argument",
      "`x` is part of a suppressed table; check the whole table.",
      arg = "x"
    )
  }
  spec <- count_spec(x, totals = s$totals)
  out <- check_frame(x, spec, cell_check(spec, s, exact))
  attr(out, "protected") <- !any(out$disclosed)
  out
}

# The cells a reader must not narrow down, with their bounds: every
# starred count, and every hidden one that could be small.
cell_check <- function(spec, s, exact) {
  starred <- is.na(spec$value) & spec$kind != "hidden"
  hidden <- spec$kind == "hidden"
  k <- knowledge_bounds(spec$value, starred, hidden, s)
  # a hidden cell whose outer bounds cannot reach a small count is safe
  outer <- propagated_bounds(k, spec$sums)
  if (any(outer$lo > outer$hi)) {
    abort_input(
      "table",
      paste(
        "The published counts of `x` do not add up as suppress_counts() left them:",
        "was the table edited after it was suppressed? Check the table suppress_counts() returned."
      ),
      arg = "x"
    )
  }
  b <- exact_bounds(spec, k, starred | (hidden & could_be_small(outer, s)), s,
    settled = if (!exact) wide_enough(s)
  )
  cells <- which(starred | (hidden & could_be_small(b, s)))
  data.frame(
    cell = cells, low = b$lo[cells], high = b$hi[cells],
    exact_range = if (is.null(b$inner)) rep(TRUE, length(cells)) else !b$inner[cells],
    disclosed = too_narrow(b, s)[cells]
  )
}

check_frame <- function(x, spec, checks) {
  cells <- checks$cell
  where <- spec$table[cells] %||% rep("main", length(cells))
  by <- c(attr(x, "by"), attr(x, "group"))
  if (all(where == "main")) by <- intersect(by, names(x))
  # the labels of each cell's row, in the table it is in
  labels <- lapply(stats::setNames(by, by), function(cl) {
    if (all(where == "main")) {
      return(unclass(x)[[cl]][spec$row[cells]])
    }
    out <- rep(NA_character_, length(cells))
    for (tb in unique(where)) {
      d <- if (tb == "main") unclass(x) else unclass(result_table(x, tb))
      if (!is.null(d[[cl]])) {
        at <- where == tb
        out[at] <- as.character(d[[cl]][spec$row[cells][at]])
      }
    }
    out
  })
  # a count of a whole stratum has no row of its own
  whole <- spec$whole[cells] %||% rep(FALSE, length(cells))
  row <- spec$row[cells]
  row[whole] <- NA_integer_
  group <- attr(x, "group")
  for (cl in intersect(group, names(labels))) labels[[cl]][whole] <- NA
  new_tidy_frame(c(
    list(part = where, row = row), labels,
    list(column = spec$column[cells], kind = spec$kind[cells]),
    as.list(checks[c("low", "high", "exact_range", "disclosed")])
  ))
}

# ---- the rule, as the attacker reads it -----------------------------------

# disclosure_check() of tables published together.
disclosure_check_together <- function(x, exact) {
  if (!all(vapply(x, inherits, TRUE, "equityaudit_suppressed"))) {
    abort_input(
      "argument",
      "Every table in `x` must be a result of `suppress_counts()`.",
      arg = "x"
    )
  }
  s <- suppression_of(x[[1]])
  for (t in x) check_threshold_rule(suppression_of(t))
  specs <- lapply(x, function(t) count_spec(t, totals = suppression_of(t)$totals))
  joint <- joint_spec(x, specs, suppression_of(x[[1]])$hierarchy)
  checks <- cell_check(joint, s, exact)
  n_tables <- sum(lengths(lapply(specs, `[[`, "value")))
  links <- checks$cell > n_tables
  table <- findInterval(checks$cell, joint$first + 1)
  names_of <- names(x) %||% as.character(seq_along(x))
  out <- lapply(seq_along(x), function(t) {
    mine <- checks[table == t & !links, , drop = FALSE]
    mine$cell <- mine$cell - joint$first[[t]]
    check_frame(x[[t]], specs[[t]], mine)
  })
  out <- Map(function(o, nm) cbind(table = rep(nm, nrow(o)), o, stringsAsFactors = FALSE), out, names_of)
  # the people one table leaves out of a place another shows
  extra <- checks[links, , drop = FALSE]
  out[[length(out) + 1]] <- new_tidy_frame(list(
    table = rep("(between tables)", nrow(extra)), row = rep(NA_integer_, nrow(extra)),
    column = joint$column[extra$cell], kind = rep("hidden", nrow(extra)),
    low = extra$low, high = extra$high, exact_range = extra$exact_range, disclosed = extra$disclosed
  ))
  keep <- c("table", "row", "column", "kind", "low", "high", "exact_range", "disclosed")
  out <- new_tidy_frame(lapply(stats::setNames(keep, keep), function(cl) {
    do.call(c, lapply(out, `[[`, cl))
  }))
  attr(out, "protected") <- !any(out$disclosed)
  out
}
