# The published table: counts starred or rounded, and every other number
# computed again from the published counts (or withheld), so that nothing
# shown carries information the counts do not (see ?suppress_counts).

publish_cells <- function(x, spec, res, r) {
  shown <- which(spec$kind == "shown")
  cls <- class(x)
  y <- unclass(x)
  tabs <- lapply(attr(x, "tables") %||% list(), unclass)
  starred <- list()
  starred_tables <- list()
  for (tb in unique(spec$table[shown])) {
    in_tb <- shown[spec$table[shown] == tb]
    for (col in unique(spec$column[in_tb])) {
      cells <- in_tb[spec$column[in_tb] == col]
      vals <- res$published[cells]
      vals[res$suppressed[cells]] <- NA
      rows <- spec$row[cells]
      if (tb == "main") {
        y[[col]][rows] <- vals
        starred[[col]] <- rows[res$suppressed[cells]]
      } else {
        tabs[[tb]][[col]][rows] <- vals
        starred_tables[[tb]][[col]] <- rows[res$suppressed[cells]]
      }
    }
  }
  totals <- res$published[spec$kind == "total"]
  totals[res$suppressed[spec$kind == "total"] | !revealed_totals(spec, res)] <- NA
  derived <- if (length(y[[1]]) == 0 && length(tabs) == 0) list(data = y) else switch(result_kind(x),
    cohort = derive_cohort(y, spec, totals, x, r),
    access = derive_access(y, spec, totals, starred, x),
    outcomes = derive_outcomes(y, starred, x),
    groups = derive_groups(y, starred, x),
    services = derive_services(y, starred, x),
    periods = derive_periods(y, starred, x),
    cmh = derive_cmh(tabs, x),
    inequality = derive_inequality(tabs, x),
    chisq = derive_chisq(y, tabs, starred_tables, x),
    derive_counts(y, starred)
  )
  out <- derived$data
  # only attributes that describe the table, and tables computed again
  # from its published counts, are kept: others carry counts the table does
  # not publish (adjusted comparisons, the people left out)
  safe <- c(
    "names", "row.names", "by", "group", "parts", "event", "options",
    "pooled_over", "missing_rule", "unknown_label", "unknown", "measure"
  )
  for (a in setdiff(names(attributes(out)), safe)) attr(out, a) <- NULL
  attr(out, "tables") <- derived$tables %||% list()
  # counts moved to other rows (a group table laid out for another
  # reference) are starred where they now are
  starred[names(derived$moved)] <- derived$moved
  starred <- merge_starred(starred, derived$starred)
  attr(out, "suppression") <- list(
    rule = r$rule, threshold = r$threshold, round_to = r$round_to,
    zero = r$zero, totals = totals, starred = starred,
    starred_tables = starred_tables, left_out = derived$left_out %||% 0,
    # what the stars cost, in counts: how many people they hide is not
    # given, as a sum of hidden counts would narrow them
    loss = list(cells = length(shown), starred = sum(res$suppressed[shown]))
  )
  class(out) <- c("equityaudit_suppressed", cls)
  out
}

# An implicit total is published only through the percentages it is the
# denominator of: those of its shown parts with a published count above 0.
revealed_totals <- function(spec, res) {
  total_cells <- which(spec$kind == "total")
  if (length(total_cells) == 0) {
    return(logical())
  }
  out <- rep(FALSE, length(total_cells))
  for (con in spec$cons) {
    t <- match(con[[1]], total_cells)
    if (is.na(t)) next
    parts <- con[-1]
    shown <- spec$kind[parts] == "shown" & !res$suppressed[parts] & res$published[parts] > 0
    out[[t]] <- out[[t]] || any(shown, na.rm = TRUE)
  }
  out
}

# The implicit totals that are not revealed, as a logical over all cells:
# secondary suppression (protect_cells()) protects them as hidden counts.
unrevealed_totals <- function(spec, suppressed, published) {
  out <- rep(FALSE, length(spec$kind))
  total <- spec$kind == "total"
  if (any(total)) {
    res <- list(suppressed = suppressed, published = published)
    out[total] <- !suppressed[total] & !revealed_totals(spec, res)
  }
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

# Rows of a result come in blocks, one per stratum (test unit), each with
# the same groups in the same order: the number of groups per block
# (`by`: the columns that identify a stratum, see unit_columns()).
block_size <- function(y, by) {
  n <- length(y[[1]])
  if (length(by) == 0 || n == 0) {
    return(n)
  }
  n / length(unique(strata_key(y[by], n)))
}

starred_rows <- function(starred, cols) sort(unique(unlist(starred[cols])))

# The first row of each block of k rows.
block_firsts <- function(n, k) if (n == 0 || k == 0) integer() else seq(1, n, by = k)

derive_cohort <- function(y, spec, totals, x, r) {
  den <- shown_denominators(spec, totals)
  rows <- spec$row[den$cell]
  k_of_row <- rep(NA_real_, length(y$n))
  k_of_row[rows] <- den$value
  level_rows <- seq_along(y$n) %in% rows
  y$pct[level_rows] <- 100 * y$n[level_rows] / k_of_row[level_rows]
  y$pct[level_rows & !is.na(k_of_row) & k_of_row == 0] <- NA
  # published precision: a mean to a tenth of a year, whole years for the
  # range (unrounded means of strata and their total would give back the
  # ratio of the strata's sizes)
  if (!is.null(y$mean)) {
    y$mean <- round(y$mean, 1)
    y$sd <- round(y$sd, 1)
    y$min <- floor(y$min)
    y$max <- floor(y$max)
  }
  age <- !is.na(x$mean)
  # the cell-key method perturbs counts only: a mean or range of the same
  # people less one would give an age away, so age is not published
  small_age <- if (identical(r$rule, "cell_key")) {
    which(age)
  } else {
    which(age & (is_small(x$n, r) | is.na(y$n)))
  }
  out <- blank(y, small_age, c("mean", "sd", "min", "max"))
  starred_pct <- which(level_rows & is.na(y$n))
  out$starred$pct <- starred_pct
  out$data$pct[starred_pct] <- NA
  out
}

derive_access <- function(y, spec, totals, starred, x) {
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

derive_outcomes <- function(y, starred, x) {
  opt <- attr(x, "options")
  hide <- seq_along(y$n) %in% starred_rows(starred, c("n", "events"))
  k <- block_size(y, unit_columns(x))
  yes <- matrix(ifelse(hide, 0, y$events), k)
  # (perturbed counts, cell-key rule: published events can exceed n)
  no <- matrix(ifelse(hide, 0, pmax(y$n - y$events, 0)), k)
  miss <- y$missing[seq_len(k)]
  stats <- outcome_statistics(yes, no, !miss, opt$exact, opt$conf_level, opt$p_adjust)
  for (col in names(stats$columns)) y[[col]] <- stats$columns[[col]]
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

derive_groups <- function(y, starred, x) {
  opt <- attr(x, "options")
  moved <- NULL
  if (isTRUE(opt$largest)) {
    moved <- largest_published_reference(y, starred, x)
    y <- moved$data
    starred <- moved$starred
  }
  hide <- seq_along(y$n) %in% starred_rows(starred, c("n", "events", "ref_n", "ref_events"))
  shown <- function(v) ifelse(hide, 0, v)
  stats <- suppressWarnings(pair_statistics(
    list(
      events = shown(y$events), n = shown(y$n),
      ref_events = shown(y$ref_events), ref_n = shown(y$ref_n)
    ),
    opt$margin, opt$conf_level, opt$interval
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

# New values for a group column, of its class.
relabel <- function(column, values) {
  if (is.factor(column)) factor(values, levels = levels(column)) else values
}

# Other tables of counts: their other numbers cannot be worked out again
# from the published counts, so they are withheld on every row.
derive_counts <- function(y, starred) {
  counts <- c("n", "rest_n", "n_tested")
  other <- names(y)[vapply(y, is.numeric, TRUE) & !(names(y) %in% counts)]
  blank(y, seq_along(y[[1]]), c(other, "label"))
}
