# The statistics of compare_access(): shares, representation ratios with
# their intervals and verdicts, the test of each stratum, and summary().

#' @export
summary.equityaudit_access <- function(object, ...) {
  out <- stratum_summary(object, c("statistic", "df", "p_value", "method", "cramers_v"),
    tested = access_tested(object)
  )
  # how complete the group column is: the people whose group is not known,
  # and their share of everybody in the stratum
  st <- stratum_rows(object)
  unknown <- st$df$missing & !access_tested(object)
  n_all <- stratum_sums(st, st$df$n)
  out$n_unknown <- stratum_sums(st, ifelse(unknown, st$df$n, 0))
  out$pct_unknown <- percent_of(out$n_unknown, n_all)
  first <- c(setdiff(names(out), c("n_unknown", "pct_unknown", "statistic", "df", "p_value", "method", "cramers_v")))
  new_summary(out[c(first, "n_unknown", "pct_unknown", "statistic", "df", "p_value", "method", "cramers_v")])
}

# The rows of an access result that take part in its tests.
access_tested <- function(x) {
  if (identical(attr(x, "missing_rule"), "include")) rep(TRUE, nrow(x)) else !unclass(x)$missing
}

# One row per stratum: the stratum columns, people counted and the test
# columns.
stratum_summary <- function(object, test_cols, tested = rep(TRUE, nrow(object))) {
  st <- stratum_rows(object)
  out <- st$df[st$first, c(st$by, test_cols), drop = FALSE]
  n_cols <- intersect(c("n", "ref_n"), names(st$df))
  # the people tested
  # (on a suppressed result, of the published counts the test used)
  for (col in n_cols) {
    v <- st$df[[col]]
    out[[col]] <- stratum_sums(st, ifelse(tested & !is.na(v), v, 0))
  }
  new_summary(out[c(st$by, n_cols, test_cols)])
}

# The rows of the result from the tally and the aligned reference.
access_result <- function(tl, ref, cols, options) {
  g <- tl$groups
  n <- matrix(tl$array, nrow = length(g$label))
  # every known group shows (a factor's unused levels too); the unknown
  # group when anybody has it on either side
  keep <- !g$unknown | rowSums(n) + rowSums(ref) > 0
  n <- n[keep, , drop = FALSE]
  ref <- ref[keep, , drop = FALSE]
  is_miss <- g$unknown[keep]
  k <- sum(keep)
  n_strata <- ncol(n)
  tested <- if (options$missing == "include") rep(TRUE, k) else !is_miss
  stats <- access_statistics(n, ref, tested,
    access_denominators(n, tested), access_denominators(ref, tested),
    options = options, strata = tl$strata
  )
  rows <- c(
    strata_frame_rep(tl$strata, k),
    group_columns(g, keep, n_strata, tl$name),
    list(missing = rep(is_miss, n_strata), n = as.vector(n)),
    stats
  )
  out <- new_tidy_frame(rows)
  tables <- list()
  if (options$missing == "exclude") {
    dropped <- colSums(n[is_miss, , drop = FALSE])
    out <- out[!out$missing, , drop = FALSE]
    rownames(out) <- NULL
    tables$left_out <- left_out_frame(tl$strata, sprintf("`%s` not known", tl$name), dropped)
    if (sum(dropped) > 0) {
      note(
        sprintf("Excluded %s whose `%s` is missing or unknown.", people_count(sum(dropped)), tl$name),
        sprintf("Excluded the people whose `%s` is missing or unknown", tl$name)
      )
    }
  }
  new_result(out, "access", list(
    by = cols$by, group = tl$name, parts = tl$parts, missing_rule = options$missing,
    unknown_label = tl$unknown_label, unknown = tl$unknown,
    options = c(options[c("method", "conf_level", "ratio_margin", "ref_is_prop")], list(adjust = cols$adjust))
  ), tables)
}

#' @export
display_spec.equityaudit_access <- function(x) {
  by <- attr(x, "by")
  list(
    title = sprintf("Access by %s against the eligible population%s", attr(x, "group"), within_text(by)),
    cols = c(
      by, attr(x, "group"), "n", "pct", "ref_n", "ref_pct", "representation_ratio",
      "ratio_low", "ratio_high", "verdict"
    ),
    parts = list(
      tests = list(title = "Tests", table = summary(x), cols = c(by, "n", "ref_n", "statistic", "df", "p_value", "cramers_v")),
      adjusted = adjusted_part(x, c(by, attr(x, "group"), "n", "expected", "isr", "isr_low", "isr_high"))
    )
  )
}

#' @rdname plot-methods
#' @export
plot.equityaudit_access <- function(x, main = "Representation in the service", ...) {
  check_no_dots(..., fn = "plot")
  d <- access_plot_data(x)
  interval_panels(d$est, d$low, d$high, d$group, d$panel,
    ref = rep(1, nrow(d)), xlab = "Representation ratio (log scale)",
    main = main, log = "x", note = attr(d, "note")
  )
  invisible(x)
}

#' @rdname plot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.equityaudit_access <- function(object, ...) { # nolint: object_name_linter.
  gg_intervals(access_plot_data(object), "Representation ratio", log = TRUE)
}

access_plot_data <- function(x) {
  group_order <- unique(as.character(x[[attr(x, "group")]]))
  x <- x[!x$missing, , drop = FALSE]
  hidden <- is.na(x$n) | (!all(is.na(x$ref_pct)) & is.na(x$ref_pct))
  x <- x[!hidden, , drop = FALSE]
  d <- data.frame(
    group = factor(as.character(x[[attr(x, "group")]]), group_order),
    panel = panel_labels(x, attr(x, "by")),
    est = x$representation_ratio, low = x$ratio_low, high = x$ratio_high,
    ref = rep(1, nrow(x)), stringsAsFactors = FALSE
  )
  with_hidden_note(d, sum(hidden))
}

#' @export
suppression_cells.equityaudit_access <- function(x) {
  b <- spec_builder()
  d <- unclass(x)
  rows <- seq_along(d$n)
  stratum <- row_group(x, unit_columns(x))
  include <- identical(attr(x, "missing_rule"), "include")
  tested <- if (include) rep(TRUE, length(rows)) else !d$missing
  sides <- list(n = d$n)
  if (!all(is.na(d$ref_n))) sides$ref_n <- d$ref_n
  strata <- unique(stratum)
  first_row <- match(strata, stratum)
  for (col in names(sides)) {
    cells <- b$add("shown", rows, col, sides[[col]])
    # the people of known group in each stratum: the shares' denominator
    value <- as.vector(rowsum(ifelse(tested, sides[[col]], 0), stratum, reorder = FALSE))
    known <- b$add("total", first_row, paste0(col, " known"), value)
    b$sums_grouped(known, cells[tested], stratum[tested])
    untested <- strata[strata %in% stratum[!tested]]
    if (length(untested) > 0) {
      everybody <- as.vector(rowsum(sides[[col]], stratum, reorder = FALSE))[untested]
      all <- b$add("total", first_row[untested], paste0(col, " all"), everybody)
      parts_of <- rep(NA_integer_, length(strata))
      parts_of[untested] <- all
      b$sums_grouped(parts_of, c(known[untested], cells[!tested]), c(untested, stratum[!tested]))
    }
  }
  finish_spec(b)
}

#' @export
republish.equityaudit_access <- function(x, p) {
  y <- p$data
  spec <- p$spec
  totals <- p$totals
  starred <- p$starred
  opt <- attr(x, "options")
  den <- shown_denominators(spec, totals)
  denom <- list(n = rep(NA_real_, length(y$n)), ref_n = rep(NA_real_, length(y$n)))
  for (col in names(denom)) {
    pick <- spec$column[den$cell] == col
    denom[[col]][spec$row[den$cell[pick]]] <- den$value[pick]
  }
  hide <- seq_along(y$n) %in% starred_rows(starred, c("n", "ref_n"))
  k <- block_size(y, unit_columns(x))
  tested <- if (identical(attr(x, "missing_rule"), "include")) {
    rep(TRUE, k)
  } else {
    !y$missing[seq_len(k)]
  }
  shown <- function(v) matrix(ifelse(hide, 0, v), k)
  ref <- if (opt$ref_is_prop) y$ref_pct / 100 else y$ref_n
  if (opt$ref_is_prop) denom$ref_n <- rep(1, length(y$n))
  strata <- lapply(unclass(x)[attr(x, "by")], function(v) v[block_firsts(length(v), k)])
  stats <- access_statistics(shown(y$n), shown(ref), tested,
    matrix(denom$n, k), matrix(denom$ref_n, k),
    options = opt, strata = strata
  )
  for (col in setdiff(names(stats), c("ref_n", "method"))) y[[col]] <- stats[[col]]
  tested_row <- rep(tested, length.out = length(y$n))
  honest <- rounding_envelope(
    list(a = as.vector(shown(y$n)), n1 = denom$n, b = as.vector(shown(ref)), n2 = denom$ref_n),
    p$rule, function(v) access_cell_statistics(v, tested_row, opt),
    lows = "ratio_low", highs = "ratio_high", verdict = "verdict", p_max = "equivalence_p_value",
    fixed = if (opt$ref_is_prop) c("b", "n2"), valid = function(v) v$a <= v$n1 & v$b <= v$n2
  )
  for (col in c("ratio_low", "ratio_high", "verdict", "equivalence_p_value")) y[[col]] <- honest[[col]]
  per_cell <- c(
    "pct", "ref_pct", "access_rate", "representation_ratio", "ratio_low",
    "ratio_high", "adj_residual", "equivalence_p_value", "verdict"
  )
  # a share whose denominator is not published is withheld too
  withheld <- hide | (!is.na(y$n) & is.na(y$pct))
  out <- blank(y, which(withheld), per_cell)
  if (opt$ref_is_prop) out$data$ref_pct <- x$ref_pct
  out$left_out <- sum(hide & !y$missing)
  out
}

# The ratio, its interval and verdict of each cell from its counts (a of
# n1 in the service, b of n2 in the reference), as access_statistics()
# gives them: rounding_envelope() varies the counts.
access_cell_statistics <- function(v, tested, opt) {
  katz <- katz_ratio(v$a, v$n1, v$b, v$n2, opt$conf_level, b_known = opt$ref_is_prop)
  ratio <- ifelse(v$b > 0 & tested, katz$ratio, NA)
  eq <- ratio_verdict(ratio, katz$log_se, opt$conf_level, opt$ratio_margin)
  ok <- v$a > 0 & v$b > 0 & tested
  list(
    ratio_low = ifelse(tested, katz$low, NA), ratio_high = ifelse(tested, katz$high, NA),
    verdict = ifelse(ok, eq$verdict, NA), equivalence_p_value = ifelse(ok, eq$p, NA)
  )
}

#' @export
link_description.equityaudit_access <- function(x) {
  list(
    measures = list(main = c(n = "people", ref_n = "population")), partition = "n",
    leaves = unknown_group_leaves(x, shown = any(unclass(x)$missing))
  )
}

#' @export
key_sum_columns.equityaudit_access <- function(x) "n"

#' @export
glance.equityaudit_access <- function(x, ...) {
  s <- summary(x)
  v <- unclass(x)$verdict
  glance_row(x, list(
    strata = nrow(s), people = sum(s$n), eligible = sum(s$ref_n),
    n_unknown = sum(s$n_unknown), tests_significant = n_significant(s$p_value, x),
    smallest_p = smallest_p(s$p_value), different = sum(v %in% "different"),
    equivalent = sum(v %in% "equivalent"), inconclusive = sum(v %in% "inconclusive")
  ))
}
