# Suppression of the results that are not tables of one group per row
# with its counts: funnels of many services, change over time, CMH tests,
# inequality measures and chi-square tests by stratum. As for the others
# (suppress-spec.R, suppress-publish.R), their count cells and sums are
# described, the counts published under the rule, and every other number
# computed again from the published counts: a test or measure from the
# counts it rests on, with the groups whose counts are hidden left out.

spec_services <- function(x) {
  b <- spec_builder()
  rows <- seq_len(nrow(x))
  n <- b$add("shown", rows, "n", x$n)
  service <- row_key(x, attr(x, "by"))
  # with only some `groups` shown, a service's total has others in it too
  some <- !is.null(attr(x, "options")$groups)
  if (attr(x, "measure") == "ratio") {
    sn <- b$add("shown", rows, "service_n", x$service_n)
    ref <- b$add("shown", rows, "ref_n", x$ref_n)
    sref <- b$add("shown", rows, "service_ref_n", x$service_ref_n)
    for (s in unique(service)) {
      in_s <- which(service == s)
      first <- in_s[[1]]
      others <- if (some) b$add("hidden", NA, "n of other groups", x$service_n[[first]] - sum(x$n[in_s]))
      ref_others <- if (some) {
        b$add("hidden", NA, "ref_n of other groups", x$service_ref_n[[first]] - sum(x$ref_n[in_s]))
      }
      for (i in in_s) {
        b$sum(sn[[i]], c(n[in_s], others))
        b$sum(sref[[i]], c(ref[in_s], ref_others))
      }
    }
  } else {
    ev <- b$add("shown", rows, "events", x$events)
    split_rest(b, rows, n, ev, x$n - x$events, "n - events")
  }
  finish_spec(b)
}

spec_periods <- function(x) {
  s <- spec_rows(x, c("n", "period_n"))
  b <- s$b
  rows <- s$rows
  n <- s$cells$n
  total <- s$cells$period_n
  period <- as.character(x$period)
  for (p in unique(period)) {
    in_p <- which(period == p)
    for (i in in_p) b$sum(total[[i]], n[in_p])
  }
  if (!is.null(x$outcome_n)) {
    known <- b$add("shown", rows, "outcome_n", x$outcome_n)
    ev <- b$add("shown", rows, "events", x$events)
    split_rest(b, rows, known, ev, x$outcome_n - x$events, "outcome_n - events")
    miss <- b$add("shown", rows, "n_outcome_missing", x$n_outcome_missing)
    for (i in rows) b$sum(n[[i]], c(known[[i]], miss[[i]]))
  }
  finish_spec(b)
}

# A table of counts of people (`total`) and of those of them with the
# event (`part`) on each row; the rest follow from them (unless `rest` is
# FALSE: the two are not nested).
spec_split <- function(counts, total, part, table, rest = TRUE) {
  s <- spec_rows(counts, c(total, part), table)
  if (rest) {
    split_rest(s$b, s$rows, s$cells[[total]], s$cells[[part]],
      counts[[total]] - counts[[part]], paste(total, "-", part), table
    )
  }
  finish_spec(s$b)
}

# The counts a CMH test is computed from (tidy(x, "counts")).
spec_cmh <- function(x) spec_split(result_table(x, "counts"), "n", "events", "counts")

# The counts inequality measures are computed from: people with the
# outcome of each group, or for access its users (not nested in) its
# eligible population.
spec_inequality <- function(x) {
  spec_split(result_table(x, "counts"), "total", "events", "counts",
    rest = !isTRUE(attr(x, "options")$poisson)
  )
}

# The cells of the tables tested (tidy(x, "cells")), and the people tested
# in each stratum.
spec_chisq <- function(x) {
  cells <- result_table(x, "cells")
  b <- spec_builder()
  obs <- b$add("shown", seq_len(nrow(cells)), "observed", cells$observed, table = "cells")
  n <- b$add("shown", seq_len(nrow(x)), "n", x$n)
  b$add("shown", seq_len(nrow(x)), "n_missing", x$n_missing)
  per <- nrow(cells) / max(nrow(x), 1)
  for (s in seq_len(nrow(x))) b$sum(n[[s]], obs[(s - 1) * per + seq_len(per)])
  finish_spec(b)
}

derive_services <- function(y, starred, x) {
  opt <- attr(x, "options")
  ratio <- attr(x, "measure") == "ratio"
  k <- block_size(y, attr(x, "by"))
  counts <- if (ratio) c("n", "service_n", "ref_n", "service_ref_n") else c("n", "events")
  hide <- seq_along(y$n) %in% starred_rows(starred, counts)
  m <- function(v) matrix(ifelse(hide, NA, v), k)
  if (ratio) {
    size <- m(y$service_n * y$ref_n / y$service_ref_n)
    est <- m(y$n) / size
    target <- rep(1, k)
    y$expected <- as.vector(size)
    y$representation_ratio <- as.vector(est)
  } else {
    size <- m(y$n)
    est <- m(y$events) / size
    target <- rowSums(m(y$events), na.rm = TRUE) / rowSums(size, na.rm = TRUE)
    y$pct <- 100 * as.vector(est)
    y$pct[is.nan(y$pct)] <- NA_real_
  }
  fit <- funnel_fit(size, est, target, opt$type, opt$overdispersion)
  for (col in names(fit$columns)) y[[col]] <- fit$columns[[col]]
  funnels <- plain_frame(result_table(x, "funnels"))
  for (col in names(fit$funnels)) funnels[[col]] <- fit$funnels[[col]]
  derived <- c(
    if (ratio) c("expected", "representation_ratio") else "pct",
    "lower_998", "lower_95", "upper_95", "upper_998", "z_score", "flag"
  )
  out <- blank(y, which(hide | is.na(est)), derived)
  out$tables <- list(funnels = new_tidy_frame(as.list(funnels)))
  out$left_out <- sum(hide)
  out
}

derive_periods <- function(y, starred, x) {
  opt <- attr(x, "options")
  k <- block_size(y, "period")
  hide <- seq_along(y$n) %in% starred_rows(starred, c("n", "period_n"))
  m <- function(v, h) matrix(ifelse(h, NA, v), k)
  ref_n <- if (isTRUE(opt$reference)) matrix(y$ref_pct * opt$ref_total / 100, k)
  outcome <- !is.null(y$outcome_n)
  hide_out <- if (outcome) seq_along(y$n) %in% starred_rows(starred, c("outcome_n", "events"))
  stats <- period_stats(
    m(y$n, hide), m(y$period_n, hide), ref_n, opt$ref_total,
    if (outcome) m(y$events, hide_out), if (outcome) m(y$outcome_n, hide_out), opt$conf_level
  )
  for (col in setdiff(names(stats$columns), c("ref_pct", "outcome_n", "events", "n_outcome_missing"))) {
    y[[col]] <- stats$columns[[col]]
  }
  trend <- plain_frame(result_table(x, "trend"))
  for (col in names(stats$trend)) trend[[col]] <- stats$trend[[col]]
  out <- blank(y, which(hide), c("pct", "pct_low", "pct_high", "representation_ratio", "ratio_low", "ratio_high"))
  if (outcome) {
    more <- blank(out$data, which(hide_out), c("outcome_pct", "outcome_low", "outcome_high"))
    out$data <- more$data
    out$starred <- merge_starred(out$starred, more$starred)
  }
  out$tables <- list(trend = new_tidy_frame(as.list(trend)))
  out$left_out <- sum(hide)
  out
}

derive_cmh <- function(tabs, x) {
  counts <- new_tidy_frame(tabs$counts[setdiff(names(tabs$counts), c("row.names", "names"))])
  res <- cmh_result(counts, attr(x, "group"), attr(x, "options"), NULL, attr(x, "event"),
    attr(x, "parts"), attr(x, "unknown_label")
  )
  list(
    data = unclass(res), tables = list(counts = counts),
    left_out = sum(is.na(counts$n) | is.na(counts$events))
  )
}

derive_inequality <- function(tabs, x) {
  d <- new_tidy_frame(tabs$counts[setdiff(names(tabs$counts), c("row.names", "names"))])
  opt <- attr(x, "options")
  used <- !is.na(d$events) & !is.na(d$total) & d$total > 0
  published <- d[used, , drop = FALSE]
  attr(published, "poisson") <- opt$poisson
  res <- inequality_result(published, unit_columns(x), attr(x, "group"), opt)
  list(data = unclass(res), tables = list(counts = d), left_out = sum(!used))
}

derive_chisq <- function(y, tabs, starred_tables, x) {
  cells <- tabs$cells
  starred <- seq_along(cells$observed) %in% unlist(starred_tables$cells)
  n_s <- length(y$n)
  labels <- names(cells)[!(names(cells) %in% c(attr(x, "by"), "observed", "expected", "residual", "std_residual"))]
  nr <- length(unique(cells[[labels[[1]]]]))
  nc <- length(cells$observed) / max(n_s, 1) / nr
  arr <- array(ifelse(starred, 0, cells$observed), c(nr, nc, n_s))
  # a row of a table with a hidden cell takes no part in its test
  hidden_row <- array(starred, c(nr, nc, n_s))
  for (s in seq_len(n_s)) arr[rowSums(matrix(hidden_row[, , s], nr)) > 0, , s] <- 0
  res <- chisq_core(arr, attr(x, "options")$correct)
  sm <- res$summary
  for (col in c("statistic", "df", "p_value", "g_statistic", "min_expected")) y[[col]] <- sm[[col]]
  y$g_p_value <- sm$g_p_value
  y$n_expected_below_5 <- as.integer(sm$n_expected_below_5)
  y$rows_used <- as.integer(sm$rows_used)
  y$cols_used <- as.integer(sm$cols_used)
  untested <- sm$rows_used < 2 | sm$cols_used < 2
  y$df[untested] <- NA
  cells$expected <- ifelse(starred, NA, res$expected)
  cells$residual <- ifelse(starred, NA, res$residuals)
  cells$std_residual <- ifelse(starred, NA, res$stdres)
  list(data = y, tables = list(cells = new_tidy_frame(cells[setdiff(names(cells), c("row.names", "names"))])),
    left_out = sum(starred)
  )
}
