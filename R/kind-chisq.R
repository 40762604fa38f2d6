# The chi-square statistics of chisq_strata() (src/chisq.c) and their
# Monte-Carlo p-values (src/monte-carlo.c), and its result.

# Runs the core on arr and assembles the tidy result.
chisq_frame <- function(arr, strata, n_missing, labels, correct) {
  res <- chisq_core(arr, correct)
  s <- res$summary
  # a stratum with fewer than two rows or columns with anybody has no test
  # (as compare_outcomes() gives it none), and a note says so
  untested <- s$rows_used < 2 | s$cols_used < 2
  if (any(untested)) {
    first <- which(untested)[[1]]
    where <- if (length(strata) == 0) {
      "In the table"
    } else if (sum(untested) == 1) {
      paste("In", stratum_label(strata, first))
    } else {
      sprintf("In %d strata", sum(untested))
    }
    note(paste0(
      where, ", fewer than two rows or columns have anybody: no chi-square test ",
      "(it needs at least two of each)."
    ), published = TRUE)
    for (col in c("statistic", "df", "p_value", "g_statistic", "g_p_value")) s[[col]][untested] <- NA
  }
  out <- c(strata, list(
    statistic = s$statistic, df = s$df, p_value = s$p_value,
    g_statistic = s$g_statistic, g_p_value = s$g_p_value,
    min_expected = s$min_expected,
    n_expected_below_5 = as.integer(s$n_expected_below_5),
    n = s$n, n_missing = as.double(n_missing),
    rows_used = as.integer(s$rows_used), cols_used = as.integer(s$cols_used)
  ))
  new_result(out, "chisq", list(by = names(strata), options = list(correct = correct, vars = names(labels))),
    list(cells = chisq_cells(arr, res, strata, labels))
  )
}

chisq_cells <- function(arr, res, strata, labels) {
  d <- dim(arr)
  if (is.null(labels)) {
    labels <- list(row = seq_len(d[[1]]), col = seq_len(d[[2]]))
  }
  per <- d[[1]] * d[[2]]
  cells <- strata_frame_rep(strata, per)
  cells[[names(labels)[[1]]]] <- rep(labels[[1]], times = d[[2]] * d[[3]])
  cells[[names(labels)[[2]]]] <- rep(rep(labels[[2]], each = d[[1]]), d[[3]])
  cells$observed <- as.double(arr)
  cells$expected <- res$expected
  cells$residual <- res$residuals
  cells$std_residual <- res$stdres
  new_tidy_frame(cells)
}

#' @export
display_spec.equityaudit_chisq <- function(x) {
  vars <- attr(x, "options")$vars
  list(
    title = sprintf(
      "Chi-square tests%s%s",
      if (length(vars) == 2) sprintf(" of %s by %s", vars[[1]], vars[[2]]) else "",
      within_text(attr(x, "by"))
    ),
    cols = names(x), parts = list()
  )
}

# The cells of the tables tested (tidy(x, "cells")), and the people tested
# in each stratum.
#' @export
suppression_cells.equityaudit_chisq <- function(x) {
  cells <- result_table(x, "cells")
  b <- spec_builder()
  obs <- b$add("shown", seq_len(nrow(cells)), "observed", cells$observed, table = "cells")
  n <- b$add("shown", seq_len(nrow(x)), "n", x$n)
  b$add("shown", seq_len(nrow(x)), "n_missing", x$n_missing)
  per <- nrow(cells) / max(nrow(x), 1)
  b$sums_grouped(n, obs, rep(seq_len(nrow(x)), each = per))
  finish_spec(b)
}

#' @export
republish.equityaudit_chisq <- function(x, p) {
  y <- p$data
  tabs <- p$tables
  starred_tables <- p$starred_tables
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

#' @export
glance.equityaudit_chisq <- function(x, ...) {
  glance_row(x, list(
    strata = nrow(x), tests_significant = n_significant(x$p_value, x),
    smallest_p = smallest_p(x$p_value), people = sum(x$n, na.rm = TRUE)
  ))
}

# The adjusted residual of every cell of every stratum's table: which cells
# the test's difference comes from (beyond +-1.96, at the 5% level).
#' @export
plot.equityaudit_chisq <- function(x, main = "Adjusted residuals of each cell", ...) {
  check_no_dots(..., fn = "plot")
  cells <- unclass(result_table(x, "cells"))
  vars <- attr(x, "options")$vars %||% c("row", "col")
  label <- paste(cells[[vars[[1]]]], cells[[vars[[2]]]], sep = ": ")
  ok <- !is.na(cells$std_residual)
  panel <- panel_labels(lapply(cells, `[`, ok), attr(x, "by"))
  r <- cells$std_residual[ok]
  interval_panels(r, r, r, label[ok], panel,
    ref = rep(0, sum(ok)), xlab = "Adjusted residual (beyond 1.96: a difference at the 5% level)",
    main = main,
    note = if (any(!ok)) sprintf("%d cell%s with no residual not shown.", sum(!ok), if (sum(!ok) == 1) "" else "s")
  )
  invisible(x)
}
