# The result of cmh_test(): its tests, from the counts of each stratum and
# group (those of the data, or the published ones of a suppressed result).

# The tests from the counts (one row per stratum and group): used on the
# data's counts and, by suppress_counts(), on the published ones (a count
# that is not published, NA, takes no part).
cmh_result <- function(counts, name, options, left_out, event, parts, unknown_label) {
  within <- options$strata
  by <- options$by
  unit <- strata_key(counts[within], nrow(counts))
  # one test without `strata`, even of nobody
  units <- if (length(within) == 0) "" else unique(unit)
  tests <- lapply(units, function(u) {
    d <- counts[unit == u, , drop = FALSE]
    ok <- !is.na(d$n) & !is.na(d$events)
    s_key <- strata_key(d[by], nrow(d))
    stratum <- factor(s_key, levels = unique(s_key))
    grp <- factor(as.character(d[[name]]), levels = unique(as.character(d[[name]])))
    a <- array(0, c(nlevels(grp), 2, nlevels(stratum)))
    a[cbind(as.integer(grp)[ok], 1, as.integer(stratum)[ok])] <- (d$n - d$events)[ok]
    a[cbind(as.integer(grp)[ok], 2, as.integer(stratum)[ok])] <- d$events[ok]
    test <- if (length(a) > 0) cmh_statistic(a, options$correct) else cmh_statistic(array(0, c(0, 2, 0)))
    or <- if (length(a) > 0) mh_odds_ratio(a[row_totals(a) > 0, , , drop = FALSE], options$conf_level) else rep(NA_real_, 3)
    c(test, list(odds_ratio = or[[1]], or_low = or[[2]], or_high = or[[3]]))
  })
  cols <- c("statistic", "df", "p_value", "strata_used", "odds_ratio", "or_low", "or_high")
  first <- match(units, unit)
  out <- c(
    lapply(counts[within], function(v) v[first]),
    lapply(stats::setNames(cols, cols), function(nm) vapply(tests, function(r) as.double(r[[nm]]), 0))
  )
  new_result(out, "cmh", list(
    by = within, group = name, parts = parts, event = event, options = options,
    unknown_label = unknown_label
  ), list(counts = counts, left_out = left_out))
}

#' @export
display_spec.equityaudit_cmh <- function(x) {
  opt <- attr(x, "options")
  list(
    title = sprintf(
      "Cochran-Mantel-Haenszel test of %s by outcome %s, across %s%s",
      attr(x, "group"), attr(x, "event") %||% "", paste(opt$by, collapse = " and "),
      within_text(opt$strata)
    ),
    cols = names(x), parts = list(),
    note = if (nrow(x) > 0 && all(is.na(x$statistic))) {
      paste(
        "No test: a test needs two groups, and at least one stratum with people",
        "in two of the groups and with both outcomes."
      )
    } else if (anyNA(x$statistic)) {
      "A blank test: no stratum has people in two of the groups and with both outcomes."
    }
  )
}

# The counts a CMH test is computed from (tidy(x, "counts")).
#' @export
suppression_cells.equityaudit_cmh <- function(x) spec_split(result_table(x, "counts"), "n", "events", "counts")

#' @export
republish.equityaudit_cmh <- function(x, p) {
  tabs <- p$tables
  counts <- new_tidy_frame(tabs$counts[setdiff(names(tabs$counts), c("row.names", "names"))])
  res <- cmh_result(counts, attr(x, "group"), attr(x, "options"), NULL, attr(x, "event"),
    attr(x, "parts"), attr(x, "unknown_label")
  )
  list(
    data = unclass(res), tables = list(counts = counts),
    left_out = sum(is.na(counts$n) | is.na(counts$events))
  )
}

#' @export
link_description.equityaudit_cmh <- function(x) {
  opt <- attr(x, "options")
  list(
    measures = list(counts = c(n = "known", events = "events")), partition = character(),
    leaves = character(), strata = list(counts = c(opt$by, opt$strata))
  )
}

#' @export
glance.equityaudit_cmh <- function(x, ...) {
  one <- nrow(x) == 1
  glance_row(x, list(
    tests = nrow(x), statistic = if (one) x$statistic else NA_real_,
    df = if (one) x$df else NA_real_, p_value = if (one) x$p_value else NA_real_,
    tests_significant = n_significant(x$p_value, x), smallest_p = smallest_p(x$p_value)
  ))
}

# The percentage with the outcome of each group in each stratum of the
# test, with Wilson intervals, from the counts the test rests on (on a
# suppressed result, the published ones).
#' @export
plot.equityaudit_cmh <- function(x, main = NULL, ...) {
  check_no_dots(..., fn = "plot")
  counts <- unclass(result_table(x, "counts"))
  opt <- attr(x, "options")
  ok <- !is.na(counts$n) & !is.na(counts$events) & counts$n > 0
  wil <- wilson_interval(counts$events[ok], counts$n[ok], opt$conf_level)
  panel <- panel_labels(lapply(counts, `[`, ok), c(opt$strata, opt$by))
  p <- x$p_value
  interval_panels(100 * counts$events[ok] / counts$n[ok], 100 * wil$low, 100 * wil$high,
    counts[[attr(x, "group")]][ok], panel,
    ref = rep(NA_real_, sum(ok)), xlab = "% with the outcome (Wilson interval)",
    main = main %||% sprintf(
      "Cochran-Mantel-Haenszel test across %s: p %s", paste(opt$by, collapse = " and "),
      paste(format_p(p[!is.na(p)], alpha = alpha_of(x)), collapse = ", ")
    ),
    note = if (any(!ok)) sprintf("%d group%s with suppressed or no counts not shown.", sum(!ok), if (sum(!ok) == 1) "" else "s")
  )
  invisible(x)
}
