# The statistics and the result of compare_groups(): the pairs of each
# group with its reference, their differences, ratios and equivalence
# verdicts, and the Mantel-Haenszel estimates pooled across strata.

# The result from the rows of group_pairs().
groups_result <- function(rows, tl, known, options, unknown_by) {
  stats <- pair_statistics(rows, options$margin, options$conf_level, options$interval)
  g <- tl$groups
  cols <- c(
    lapply(tl$strata, function(v) v[rows$stratum]),
    lapply(group_columns(g, known[rows$g], 1, tl$name), unname),
    list(reference = rows$ref_label), stats
  )
  tables <- list()
  if (length(options$by) > 0) {
    informative <- !unknown_by[rows$stratum]
    within <- strata_key(lapply(tl$strata[options$strata], function(v) v[rows$stratum]), nrow(rows))
    tables$pooled <- mantel_haenszel_pairs(
      rows[informative, , drop = FALSE], options$labels, options$conf_level, tl$name,
      within[informative], lapply(tl$strata[options$strata], function(v) v[rows$stratum][informative])
    )
  }
  new_result(cols, "groups", list(
    by = c(options$by, options$strata), group = tl$name, parts = tl$parts,
    unknown_label = tl$unknown_label, unknown = tl$unknown,
    event = tl$event, options = options
  ), tables)
}

#' @export
summary.equityaudit_groups <- function(object, ...) {
  st <- stratum_rows(object)
  out <- st$df[st$first, st$by, drop = FALSE]
  verdict <- st$df$verdict
  out$comparisons <- stratum_sums(st, rep(1, nrow(st$df)))
  for (v in c("different", "equivalent", "inconclusive")) out[[v]] <- stratum_sums(st, verdict %in% v)
  out$not_compared <- stratum_sums(st, is.na(verdict))
  new_summary(out)
}

#' @export
display_spec.equityaudit_groups <- function(x) {
  event <- attr(x, "event")
  pooled <- result_table(x, "pooled")
  list(
    title = sprintf(
      "Each group of %s against its reference%s", attr(x, "group"),
      if (!is.null(event)) paste0(" (outcome ", event, ")") else ""
    ),
    cols = c(
      attr(x, "by"), attr(x, "group"), "reference", "n", "pct", "ref_pct",
      "difference", "diff_low", "diff_high", "verdict"
    ),
    parts = list(pooled = if (!is.null(pooled)) {
      list(
        title = sprintf("Pooled across %s (Mantel-Haenszel)", paste(attr(x, "options")$by, collapse = " and ")),
        table = pooled, cols = setdiff(names(pooled), c("mh_risk_ratio", "mh_rr_low", "mh_rr_high"))
      )
    })
  )
}

#' @rdname plot-methods
#' @export
plot.equityaudit_groups <- function(x, main = "Difference from the reference group, points", ...) {
  check_no_dots(..., fn = "plot")
  d <- groups_plot_data(x)
  interval_panels(d$est, d$low, d$high, d$group, d$panel,
    ref = rep(0, nrow(d)), xlab = "Difference in % with the outcome (points)",
    main = main, note = attr(d, "note")
  )
  invisible(x)
}

#' @rdname plot-methods
#' @exportS3Method ggplot2::autoplot
autoplot.equityaudit_groups <- function(object, ...) { # nolint: object_name_linter.
  gg_intervals(groups_plot_data(object), "Difference in % with the outcome (points)")
}

groups_plot_data <- function(x) {
  shown <- !is.na(x$difference)
  x <- x[shown, , drop = FALSE]
  d <- data.frame(
    group = paste(as.character(x[[attr(x, "group")]]), "vs", x$reference),
    panel = panel_labels(x, attr(x, "by")),
    est = x$difference, low = x$diff_low, high = x$diff_high,
    ref = 0, stringsAsFactors = FALSE
  )
  with_hidden_note(d, sum(!shown))
}

#' @export
suppression_cells.equityaudit_groups <- function(x) {
  s <- spec_rows(x, c("n", "events", "ref_n", "ref_events"))
  b <- s$b
  d <- unclass(x)
  rows <- s$rows
  cells <- s$cells
  split_rest(b, rows, cells$n, cells$events, d$n - d$events, "n - events")
  split_rest(b, rows, cells$ref_n, cells$ref_events, d$ref_n - d$ref_events, "ref_n - ref_events")
  stratum <- row_group(x, unit_columns(x))
  rest <- d$reference == "rest"
  strata <- unique(stratum)
  first_row <- match(strata, stratum)
  for (col in c("n", "events")) {
    own <- cells[[col]]
    ref <- cells[[paste0("ref_", col)]]
    # against the rest of the stratum: each group and its rest add up to
    # the stratum's people (hidden); against one group: the reference's
    # counts are one count on every row of the stratum
    r_strata <- strata[rest[first_row]]
    if (length(r_strata) > 0) {
      in_r <- stratum %in% r_strata
      value <- as.vector(rowsum(d[[col]], stratum, reorder = FALSE))[r_strata]
      total <- b$add("hidden", first_row[r_strata], paste0("stratum ", col), value, whole = TRUE)
      total_of <- rep(NA_integer_, length(strata))
      total_of[r_strata] <- total
      b$sums_grouped(total_of, own[in_r], stratum[in_r])
      b$sums_rowwise(total_of[stratum[in_r]], own[in_r], ref[in_r])
    }
    one <- !(stratum %in% r_strata)
    if (any(one)) copies_of_first(b, ref[one], stratum[one])
  }
  finish_spec(b)
}

#' @export
republish.equityaudit_groups <- function(x, p) {
  y <- p$data
  starred <- p$starred
  opt <- attr(x, "options")
  moved <- NULL
  if (isTRUE(opt$largest)) {
    moved <- largest_published_reference(y, starred, x)
    y <- moved$data
    starred <- moved$starred
  }
  hide <- seq_along(y$n) %in% starred_rows(starred, c("n", "events", "ref_n", "ref_events"))
  shown <- function(v) ifelse(hide, 0, v)
  counts <- list(
    events = shown(y$events), n = shown(y$n),
    ref_events = shown(y$ref_events), ref_n = shown(y$ref_n)
  )
  stats <- suppressWarnings(rounding_envelope(counts, p$rule,
    function(v) pair_statistics(v, opt$margin, opt$conf_level, opt$interval),
    lows = c("diff_low", "rr_low", "or_low"), highs = c("diff_high", "rr_high", "or_high"),
    verdict = "verdict", p_max = "equivalence_p_value",
    valid = function(v) v$events <= v$n & v$ref_events <= v$ref_n
  ))
  for (col in setdiff(names(stats), c("n", "events", "ref_n", "ref_events"))) {
    y[[col]] <- stats[[col]]
  }
  tables <- list()
  if (!is.null(result_table(x, "pooled"))) {
    group <- attr(x, "group")
    labels <- unique(as.character(y[[group]]))
    use <- !hide & !unknown_stratum(y, x)
    rows <- data.frame(
      g = match(as.character(y[[group]]), labels),
      ref_label = y$reference, n = y$n, events = y$events,
      ref_n = y$ref_n, ref_events = y$ref_events, stringsAsFactors = FALSE
    )[use, , drop = FALSE]
    within_cols <- lapply(unclass(x)[opt$strata], function(v) v[use])
    tables$pooled <- mantel_haenszel_pairs(rows, labels, opt$conf_level, group,
      strata_key(within_cols, nrow(rows)), within_cols
    )
  }
  out <- blank(y, which(hide), c(
    "pct", "ref_pct", "difference", "diff_low", "diff_high", "risk_ratio",
    "rr_low", "rr_high", "odds_ratio", "or_low", "or_high", "zero_cell",
    "equivalence_p_value", "verdict"
  ))
  out$left_out <- sum(hide)
  out$tables <- tables
  if (!is.null(moved)) out$moved <- starred[c("n", "events", "ref_n", "ref_events")]
  out
}

# The reference of each stratum (`reference = NULL`) is its largest group;
# chosen from the unrounded counts, the choice would tell a reader that a
# suppressed reference is the largest group, so it is chosen again from the
# published counts (a suppressed count below any shown one, the first of
# equal ones) and the rows of the stratum laid out for it.
largest_published_reference <- function(y, starred, x) {
  labels <- attr(x, "options")$labels
  # the parts of combined groups, in the order of the labels
  opt_parts <- if (length(attr(x, "parts")) > 1) attr(x, "options")$label_parts
  group <- attr(x, "group")
  stratum <- strata_key(y[unit_columns(x)], length(y$n))
  star <- function(col) seq_along(y$n) %in% (starred[[col]] %||% integer())
  cells <- c("n", "events", "ref_n", "ref_events")
  was <- lapply(stats::setNames(cells, cells), star)
  now <- was
  for (s in unique(stratum)) {
    rows <- which(stratum == s)
    g <- match(c(as.character(y[[group]][rows]), y$reference[[rows[[1]]]]), labels)
    pick <- c(rows, rows[[1]])
    own <- c(rep(TRUE, length(rows)), FALSE)
    count <- function(col, ref_col) ifelse(own, y[[col]][pick], y[[ref_col]][pick])
    n <- count("n", "ref_n")[order(g)]
    events <- count("events", "ref_events")[order(g)]
    n_star <- ifelse(own, was$n[pick], was$ref_n[pick])[order(g)]
    e_star <- ifelse(own, was$events[pick], was$ref_events[pick])[order(g)]
    labs <- sort(g)
    ref <- largest_group(ifelse(n_star, NA, n))
    if (labs[[ref]] == g[[length(g)]]) next
    keep <- setdiff(seq_along(labs), ref)
    y$reference[rows] <- labels[labs[[ref]]]
    y[[group]][rows] <- relabel(y[[group]], labels[labs[keep]])
    for (p in names(opt_parts)) y[[p]][rows] <- opt_parts[[p]][labs[keep]]
    y$n[rows] <- n[keep]
    y$events[rows] <- events[keep]
    y$ref_n[rows] <- n[[ref]]
    y$ref_events[rows] <- events[[ref]]
    now$n[rows] <- n_star[keep]
    now$events[rows] <- e_star[keep]
    now$ref_n[rows] <- n_star[[ref]]
    now$ref_events[rows] <- e_star[[ref]]
  }
  for (col in cells) starred[[col]] <- which(now[[col]])
  list(data = y, starred = starred)
}

#' @export
link_description.equityaudit_groups <- function(x) {
  # with "rest" the reference is no one group
  rest <- identical(unclass(x)$reference[1], "rest")
  main <- if (rest) {
    c(n = "known", events = "events")
  } else {
    c(n = "known", events = "events", ref_n = "known", ref_events = "events")
  }
  list(measures = list(main = main), partition = character(), leaves = character(), reference = "reference")
}

#' @export
glance.equityaudit_groups <- function(x, ...) {
  v <- unclass(x)$verdict
  glance_row(x, list(
    comparisons = length(v), different = sum(v %in% "different"),
    equivalent = sum(v %in% "equivalent"), inconclusive = sum(v %in% "inconclusive"),
    not_compared = sum(is.na(v))
  ))
}

#' @export
column_overrides.equityaudit_groups <- function(x) {
  list(
    ref_n = c("count", "People compared with"),
    ref_events = c("count", "Compared with: with the outcome"),
    ref_pct = c("percent", "% compared with")
  )
}
