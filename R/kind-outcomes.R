# The statistics of compare_outcomes(): per group and test unit, the test
# across the strata, and the summary of a result.

#' @export
summary.equityaudit_outcomes <- function(object, ...) {
  st <- stratum_rows(object)
  df <- st$df
  test_cols <- c(
    "statistic", "df", "p_value", "g_statistic", "exact_p_value",
    "exact_method", "exact_p_se", "min_expected", "cramers_v", "p_adjusted"
  )
  out <- df[st$first, c(st$by, test_cols), drop = FALSE]
  # tested people; on a suppressed result, those of the published groups
  in_test <- !df$missing & !is.na(df$n) & !is.na(df$events)
  out$n <- stratum_sums(st, ifelse(in_test, df$n, 0))
  out$events <- stratum_sums(st, ifelse(in_test, df$events, 0))
  out$pct <- percent_of(out$events, out$n)
  new_summary(out[c(st$by, "n", "events", "pct", test_cols)])
}

# The test units of an outcome tally: its strata, then (with `pooled` and
# `by` columns) the pooled strata. Returns list(array, strata, pooled,
# unknown), `unknown` marking strata whose `by` value is not known (left
# out of the test across the `by` levels).
outcome_units <- function(tl, by, pooled) {
  a <- tl$array
  n_s <- dim(a)[[3]]
  unknown_by <- Reduce(`|`, tl$strata_unknown[by], rep(FALSE, n_s))
  if (!pooled || length(by) == 0) {
    return(list(array = a, strata = tl$strata, pooled = rep(FALSE, n_s), unknown = unknown_by))
  }
  p <- append_pooled(a, tl$strata, by)
  n_p <- length(p$pooled) - n_s
  list(array = p$array, strata = p$strata, pooled = p$pooled, unknown = c(unknown_by, rep(FALSE, n_p)))
}

# The rows of the result: one per unit and group (the unknown group only
# where it has anybody).
outcome_result <- function(tl, cols, options) {
  units <- outcome_units(tl, options$by, options$pooled)
  g <- tl$groups
  a <- units$array
  keep <- !g$unknown | row_totals(a) > 0
  a <- a[keep, , , drop = FALSE]
  miss <- g$unknown[keep]
  k <- sum(keep)
  n_units <- dim(a)[[3]]
  no <- matrix(a[, 1, ], k)
  yes <- matrix(a[, 2, ], k)
  stats <- outcome_statistics(yes, no, !miss, options$exact, options$conf_level, options$p_adjust)
  if (options$exact == "auto" && stats$n_exact > 0) {
    note(sprintf(
      "Exact p-values computed for %d of %d tests with an expected count below 5.",
      stats$n_exact, n_units
    ))
  }
  if (stats$n_exact > 0) exact_messages(stats$methods)
  rows <- c(
    strata_frame_rep(units$strata, k),
    list(pooled = rep(units$pooled, each = k)),
    group_columns(g, keep, n_units, tl$name),
    list(
      missing = rep(miss, n_units),
      n = as.vector(no + yes), events = as.vector(yes)
    ),
    stats$columns
  )
  rows <- append(rows,
    list(n_outcome_missing = as.vector(matrix(a[, 3, ], k))),
    after = match("adj_residual", names(rows))
  )
  tables <- list()
  if (length(options$by) + length(options$strata) > 0) {
    base <- !units$pooled & !units$unknown
    tables$cmh <- outcome_cmh(a[, 1:2, base, drop = FALSE], lapply(units$strata, `[`, base), !miss, options)
  }
  new_result(rows, "outcomes", list(
    by = c(options$by, options$strata), group = tl$name, parts = tl$parts,
    unknown_label = tl$unknown_label, unknown = tl$unknown,
    event = tl$event, pooled_over = if (any(units$pooled)) options$by else character(),
    options = options
  ), tables)
}

#' @export
display_spec.equityaudit_outcomes <- function(x) {
  by <- attr(x, "by")
  tests <- summary(x)
  list(
    title = sprintf("Outcome %s by %s%s", attr(x, "event") %||% "", attr(x, "group"), within_text(by)),
    cols = c(by, attr(x, "group"), "n", "events", "pct", "pct_low", "pct_high", "n_outcome_missing"),
    parts = list(
      tests = list(title = "Tests", table = tests, cols = c(by, "n", "statistic", "df", "p_value", "exact_p_value", "cramers_v")),
      cmh = cmh_part(x),
      adjusted = adjusted_part(x, c(attr(x, "by"), attr(x, "group"), "n", "pct", "std_pct", "std_low", "std_high"))
    )
  )
}

#' @rdname plot-methods
#' @export
plot.equityaudit_outcomes <- function(x, main = "People with the outcome, %", ...) {
  check_no_dots(..., fn = "plot")
  d <- outcome_plot_data(x)
  interval_panels(d$est, d$low, d$high, d$group, d$panel,
    ref = d$ref, xlab = "% (Wilson interval)", main = main,
    note = attr(d, "note")
  )
  invisible(x)
}

#' @rdname plot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.equityaudit_outcomes <- function(object, ...) { # nolint: object_name_linter.
  gg_intervals(outcome_plot_data(object), "% with the outcome (Wilson interval)")
}

outcome_plot_data <- function(x) {
  group_order <- unique(as.character(x[[attr(x, "group")]]))
  x <- x[!x$missing, , drop = FALSE]
  hidden <- is.na(x$n) | is.na(x$events)
  x <- x[!hidden & x$n > 0, , drop = FALSE]
  panel <- panel_labels(x, attr(x, "by"))
  rate <- 100 * tapply(x$events, panel, sum) / tapply(x$n, panel, sum)
  d <- data.frame(
    group = factor(as.character(x[[attr(x, "group")]]), group_order), panel = panel,
    est = x$pct, low = x$pct_low, high = x$pct_high,
    ref = as.vector(rate[panel]), stringsAsFactors = FALSE
  )
  with_hidden_note(d, sum(hidden))
}

#' @export
suppression_cells.equityaudit_outcomes <- function(x) {
  s <- spec_rows(x, c("n", "events", "n_outcome_missing"))
  b <- s$b
  d <- unclass(x)
  n <- s$cells$n
  ev <- s$cells$events
  miss <- s$cells$n_outcome_missing
  split_rest(b, s$rows, n, ev, d$n - d$events, "n - events")
  is_total <- d$pooled %||% rep(FALSE, length(n))
  if (any(is_total)) {
    # each pooled row adds up the rows of its group in the strata pooled
    within <- setdiff(c(attr(x, "by"), attr(x, "group")), attr(x, "pooled_over"))
    key <- row_key(x, within)
    totals <- which(is_total)
    group <- match(key[!is_total], key[totals])
    for (cells in list(n, ev, miss)) b$sums_grouped(cells[totals], cells[!is_total], group)
  }
  finish_spec(b)
}

#' @export
republish.equityaudit_outcomes <- function(x, p) {
  y <- p$data
  starred <- p$starred
  opt <- attr(x, "options")
  hide <- seq_along(y$n) %in% starred_rows(starred, c("n", "events"))
  k <- block_size(y, unit_columns(x))
  yes <- matrix(ifelse(hide, 0, y$events), k)
  # (perturbed counts, cell-key rule: published events can exceed n)
  no <- matrix(ifelse(hide, 0, pmax(y$n - y$events, 0)), k)
  miss <- y$missing[seq_len(k)]
  stats <- outcome_statistics(yes, no, !miss, opt$exact, opt$conf_level, opt$p_adjust)
  for (col in names(stats$columns)) y[[col]] <- stats$columns[[col]]
  honest <- rounding_envelope(list(yes = as.vector(yes), n = as.vector(yes + no)), p$rule,
    function(v) wilson_interval(v$yes, v$n, opt$conf_level),
    lows = "low", highs = "high", valid = function(v) v$yes <= v$n
  )
  y$pct_low <- honest$low
  y$pct_high <- honest$high
  out <- blank(y, which(hide), c("pct", "pct_low", "pct_high", "adj_residual"))
  if (!is.null(result_table(x, "cmh"))) {
    # the test across the strata, of their published counts
    first <- block_firsts(length(y$n), k)
    base <- !y$pooled[first] & !unknown_stratum(y, x)[first]
    a <- array(0, c(k, 2, sum(base)))
    a[, 1, ] <- no[, base]
    a[, 2, ] <- yes[, base]
    strata <- lapply(unclass(x)[opt$by_cols %||% attr(x, "by")], function(v) v[first][base])
    out$tables <- list(cmh = outcome_cmh(a, strata, !miss, opt))
  }
  out$left_out <- sum(hide & !y$missing)
  out
}

# The rows of a result in a stratum whose `by` value is not known (they
# are left out of tests across the strata).
unknown_stratum <- function(y, x) {
  labels <- attr(x, "options")$unknown_strata %||% list()
  Reduce(`|`, lapply(names(labels), function(cl) as.character(y[[cl]]) %in% labels[[cl]]),
    rep(FALSE, length(y[[1]]))
  )
}

#' @export
link_description.equityaudit_outcomes <- function(x) {
  list(
    measures = list(main = c(n = "known", events = "events", n_outcome_missing = "outcome_missing")),
    partition = c("n", "n_outcome_missing"), leaves = character()
  )
}

#' @export
key_sum_columns.equityaudit_outcomes <- function(x) c("n", "events", "n_outcome_missing")

#' @export
glance.equityaudit_outcomes <- function(x, ...) {
  s <- summary(x)
  cmh <- result_table(x, "cmh")
  one_cmh <- !is.null(cmh) && nrow(cmh) == 1
  glance_row(x, list(
    tests = nrow(s), tests_significant = n_significant(s$p_value, x),
    smallest_p = smallest_p(s$p_value),
    people = sum(s$n[!(unclass(s)$pooled %in% TRUE)]),
    groups = length(unique(as.character(unclass(x)[[attr(x, "group")]][!unclass(x)$missing]))),
    cmh_statistic = if (one_cmh) cmh$statistic else NA_real_,
    cmh_p_value = if (one_cmh) cmh$p_value else NA_real_
  ))
}
