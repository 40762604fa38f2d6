# The published table: counts starred or rounded, and every other number
# computed again from the published counts (or withheld), so that nothing
# shown carries information the counts do not (see ?suppress_counts).

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
  totals[res$suppressed[spec$kind == "total"] | !revealed_totals(spec, res)] <- NA
  derived <- if (length(y[[1]]) == 0) list(data = y) else switch(cls[[1]],
    equityaudit_cohort = derive_cohort(y, spec, totals, x, r),
    equityaudit_access = derive_access(y, spec, totals, starred, x),
    equityaudit_outcomes = derive_outcomes(y, starred, x),
    equityaudit_groups = derive_groups(y, starred, x),
    derive_counts(y, starred)
  )
  out <- derived$data
  # only attributes that describe the table, or were computed again from
  # its published counts, are kept: others carry counts the table does not
  # publish (adjusted comparisons, the people compare_access() excluded,
  # compare_services()'s funnels and exclusions)
  safe <- c(
    "names", "row.names", "by", "group", "event", "options", "total_rows",
    "pooled_over", "missing_rule", "cmh", "pooled"
  )
  for (a in setdiff(names(attributes(out)), safe)) attr(out, a) <- NULL
  # counts moved to other rows (a group table laid out for another
  # reference) are starred where they now are
  starred[names(derived$moved)] <- derived$moved
  starred <- merge_starred(starred, derived$starred)
  attr(out, "suppression") <- list(
    rule = r$rule, threshold = r$threshold, round_to = r$round_to,
    zero = r$zero, totals = totals, starred = starred,
    left_out = derived$left_out %||% 0
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
# the same groups in the same order: the number of groups per block.
block_size <- function(y, by) {
  n <- length(y[[1]])
  if (length(by) == 0) {
    return(n)
  }
  n / length(unique(strata_key(y[by], n)))
}

starred_rows <- function(starred, cols) sort(unique(unlist(starred[cols])))

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
  small_age <- which(age & (is_small(x$n, r) | is.na(y$n)))
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
  k <- block_size(y, attr(x, "by"))
  tested <- if (identical(attr(x, "missing_rule"), "include")) {
    rep(TRUE, k)
  } else {
    !y$missing[seq_len(k)]
  }
  shown <- function(v) matrix(ifelse(hide, 0, v), k)
  ref <- if (opt$ref_is_prop) y$ref_pct / 100 else y$ref_n
  if (opt$ref_is_prop) denom$ref_n <- rep(1, length(y$n))
  strata <- lapply(unclass(x)[attr(x, "by")], function(v) v[seq(1, length(v), by = k)])
  stats <- access_statistics(shown(y$n), shown(ref), tested,
    matrix(denom$n, k), matrix(denom$ref_n, k),
    method = opt$method, ref_is_prop = opt$ref_is_prop,
    conf_level = opt$conf_level, ratio_margin = opt$ratio_margin,
    strata = strata
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
  k <- block_size(y, attr(x, "by"))
  yes <- matrix(ifelse(hide, 0, y$events), k)
  no <- matrix(ifelse(hide, 0, y$n - y$events), k)
  miss <- y$missing[seq_len(k)]
  stats <- outcome_statistics(yes, no, !miss, opt$exact, opt$conf_level, opt$p_adjust)
  for (col in names(stats$columns)) y[[col]] <- stats$columns[[col]]
  if (!is.null(attr(x, "cmh"))) {
    y <- published_cmh(y, x, yes, no, !miss, k)
  }
  out <- blank(y, which(hide), c("pct", "pct_low", "pct_high", "adj_residual"))
  out$left_out <- sum(hide & !y$missing)
  out
}

# The CMH test of the published counts of the strata (not the pooled
# "Total" ones).
published_cmh <- function(y, x, yes, no, tested, k) {
  opt <- attr(x, "options")
  base <- which(!attr(x, "total_rows")[seq(1, length(y$n), by = k)])
  a <- array(0, c(k, 2, length(base)))
  a[, 1, ] <- no[, base]
  a[, 2, ] <- yes[, base]
  first <- (base - 1) * k + 1
  units <- list(base = a, base_strata = lapply(unclass(x)[attr(x, "by")], function(v) v[first]))
  attr(y, "cmh") <- outcome_cmh(units, tested, opt[c("by", "strata")])
  y
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
    opt$margin, opt$conf_level, opt$method
  ))
  for (col in setdiff(names(stats), c("n", "events", "ref_n", "ref_events"))) {
    y[[col]] <- stats[[col]]
  }
  if (!is.null(attr(x, "pooled"))) {
    labels <- unique(as.character(y[[attr(x, "group")]]))
    rows <- data.frame(
      g = match(as.character(y[[attr(x, "group")]]), labels),
      ref_label = y$reference, n = y$n, events = y$events,
      ref_n = y$ref_n, ref_events = y$ref_events, stringsAsFactors = FALSE
    )[!hide, , drop = FALSE]
    attr(y, "pooled") <- if (nrow(rows) > 0) mantel_haenszel_pairs(rows, labels)
  }
  out <- blank(y, which(hide), c(
    "pct", "ref_pct", "difference", "diff_low", "diff_high", "risk_ratio",
    "rr_low", "rr_high", "odds_ratio", "or_low", "or_high", "zero_cell",
    "equivalence_p_value", "verdict"
  ))
  out$left_out <- sum(hide)
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
  group <- attr(x, "group")
  stratum <- strata_key(y[attr(x, "by")], length(y$n))
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
