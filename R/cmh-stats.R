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
