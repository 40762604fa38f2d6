# Tables published together share one shape. A cohort table shows a row
# for every value of each variable in each stratum, missing values
# included, even when nobody has it; an outcome or group table has blocks
# only for the strata that have people, and a row for the unknown group
# only when somebody's group is unknown. Published side by side, the
# missing block or row would tell a reader that the cohort's (suppressed)
# count is 0, a protected count under the OpenSAFELY rule. So before
# tables are suppressed together, each outcome and group table gets empty
# rows for every stratum and group another table of the list describes.

align_shapes <- function(results) {
  lapply(results, function(x) {
    if (inherits(x, c("equityaudit_outcomes", "equityaudit_groups"))) {
      x <- complete_strata(x, wanted_strata(x, results))
    }
    if (inherits(x, "equityaudit_outcomes") ||
      (inherits(x, "equityaudit_access") && identical(attr(x, "missing_rule"), "report"))) {
      x <- complete_unknown_group(x, results)
    }
    x
  })
}

# The values each stratum column of x should have: its own, those another
# table shows in the same column (not in its pooled strata, which have
# blocks of their own), and a cohort's values of that variable with its
# missing ones.
wanted_strata <- function(x, results) {
  by <- attr(x, "by")
  d <- unclass(x)
  not_pooled <- function(r) !(unclass(r)$pooled %||% FALSE)
  lapply(stats::setNames(by, by), function(cl) {
    more <- unlist(lapply(results, function(r) {
      cohort <- inherits(r, "equityaudit_cohort")
      by_r <- attr(r, "by")
      d_r <- unclass(r)
      vals <- if (cl %in% by_r) as.character(d_r[[cl]][not_pooled(r)])
      if (cohort && cl %in% d_r$variable) {
        vals <- c(vals, as.character(d_r$level[d_r$variable == cl & !d_r$missing]),
                  cohort_missing_label(d_r, cl, r))
      }
      vals
    }))
    unique(c(as.character(d[[cl]][not_pooled(x)]), more[!is.na(more)]))
  })
}

# Adds an empty block for every combination of the wanted values that x
# has no block for, after the last block that shares most of its values.
complete_strata <- function(x, wanted) {
  by <- attr(x, "by")
  if (length(by) == 0) {
    return(x)
  }
  d <- unclass(x)
  n_rows <- length(d$n)
  if (n_rows == 0) {
    return(x)
  }
  is_pooled <- d$pooled %||% rep(FALSE, n_rows)
  key <- strata_key(c(lapply(d[by], as.character), list(is_pooled)), n_rows)
  blocks <- unique(key)
  grid <- rev(expand.grid(rev(wanted), stringsAsFactors = FALSE))
  grid$.pooled <- rep(FALSE, nrow(grid))
  pooled <- intersect(attr(x, "pooled_over"), by)
  if (length(pooled) > 0 && any(is_pooled)) {
    # the pooled blocks: the pooled label in every pooled column at once
    others <- setdiff(by, pooled)
    totals <- if (length(others) > 0) {
      rev(expand.grid(rev(wanted[others]), stringsAsFactors = FALSE))
    } else {
      data.frame(row.names = 1L)
    }
    for (cl in pooled) totals[[cl]] <- rep(as.character(d[[cl]][is_pooled][[1]]), nrow(totals))
    totals$.pooled <- rep(TRUE, nrow(totals))
    grid <- rbind(grid, totals[c(by, ".pooled")])
  }
  new <- which(!strata_key(grid, nrow(grid)) %in% blocks)
  if (length(new) == 0) {
    return(x)
  }
  first <- match(blocks, key)
  have <- lapply(by, function(cl) as.character(d[[cl]][first]))
  is_total <- is_pooled[first]
  after <- vapply(new, function(i) {
    shared <- rep(0L, length(blocks))
    alive <- rep(TRUE, length(blocks))
    for (j in seq_along(by)) {
      alive <- alive & have[[j]] %in% grid[[j]][[i]]
      shared <- shared + alive
    }
    # a new value of the first column goes before the pooled blocks
    if (max(shared) == 0) max(0L, which(!is_total)) else max(which(shared == max(shared)))
  }, 1L)
  template <- which(key == blocks[[1]])
  parts <- c(
    lapply(blocks, function(b) list(rows = which(key == b))),
    lapply(new, function(i) list(rows = template, values = grid[i, , drop = FALSE]))
  )
  place <- order(c(seq_along(blocks), after), c(rep(0, length(blocks)), seq_along(new)))
  rebuild_blocks(x, parts[place])
}

# Rows of x block by block; a block with `values` is an empty copy of its
# rows in those strata (`.pooled` saying whether it is a pooled one).
rebuild_blocks <- function(x, parts) {
  d <- unclass(x)
  by <- attr(x, "by")
  rows <- unlist(lapply(parts, `[[`, "rows"))
  out <- lapply(d, function(v) v[rows])
  pooled_over <- intersect(attr(x, "pooled_over"), by)
  pooled_levels <- lapply(stats::setNames(by, by), function(cl) {
    if (cl %in% pooled_over) unique(as.character(d[[cl]][d$pooled %||% FALSE]))
  })
  at <- 0L
  for (p in parts) {
    idx <- at + seq_along(p$rows)
    at <- at + length(p$rows)
    if (is.null(p$values)) next
    for (cl in by) out[[cl]] <- set_value(out[[cl]], idx, p$values[[cl]], pooled_levels[[cl]])
    if (!is.null(out$pooled)) out$pooled[idx] <- isTRUE(p$values$.pooled)
    out <- empty_rows(out, idx, x)
  }
  keep <- attributes(x)[setdiff(names(attributes(x)), c("names", "row.names"))]
  res <- new_tidy_frame(out)
  attributes(res)[names(keep)] <- keep
  res
}

# Sets v[idx] to value (a string), keeping v's type where the value is one
# of it (a number in a numeric column), otherwise as text. A new factor
# level goes before the pooled strata's levels (`last`).
set_value <- function(v, idx, value, last = character()) {
  if (is.factor(v)) {
    if (!(value %in% levels(v))) {
      lv <- levels(v)
      total <- lv %in% last
      v <- factor(as.character(v), levels = c(lv[!total], value, lv[total]), ordered = is.ordered(v))
    }
  } else if (is.numeric(v) || is.logical(v)) {
    typed <- suppressWarnings(switch(typeof(v),
      integer = as.integer(value), logical = as.logical(value), as.double(value)
    ))
    if (is.na(typed)) v <- as.character(v) else value <- typed
  }
  v[idx] <- value
  v
}

# Rows with nobody: counts 0, everything else not computed (suppression
# computes the statistics again from the published counts). A group
# table's empty stratum is laid out for the reference a stratum of nobody
# would have.
empty_rows <- function(out, idx, x) {
  fixed <- c(attr(x, "by"), attr(x, "group"), attr(x, "parts"), "missing", "reference", "pooled")
  counts <- c("n", "events", "n_outcome_missing", "ref_n", "ref_events")
  for (cl in setdiff(names(out), fixed)) {
    # a count column that is all NA (an access reference given as shares)
    # stays NA
    count <- cl %in% counts && !all(is.na(out[[cl]][-idx]))
    out[[cl]][idx] <- if (count) 0 else NA
  }
  if (inherits(x, "equityaudit_groups")) {
    opt <- attr(x, "options")
    ref <- out$reference[[idx[[1]]]]
    if (isTRUE(opt$largest)) ref <- opt$labels[[1]]
    others <- if (ref == "rest") opt$labels else setdiff(opt$labels, ref)
    out$reference[idx] <- ref
    out <- set_groups(out, idx, x, others)
  }
  out
}

# Gives rows idx the group labels `labels` (and, for combined groups, the
# parts of those labels, as other rows of x have them).
set_groups <- function(out, idx, x, labels) {
  group <- attr(x, "group")
  d <- unclass(x)
  at <- match(labels, as.character(d[[group]]))
  out[[group]][idx] <- relabel(out[[group]], labels)
  parts <- attr(x, "parts")
  if (length(parts) > 1) {
    for (p in parts) out[[p]][idx] <- d[[p]][at]
  }
  out
}

# An outcome or access table with no row for the unknown group gets one
# (of nobody) in every block, when a cohort table shows how many people's
# group is unknown.
complete_unknown_group <- function(x, results) {
  d <- unclass(x)
  group <- attr(x, "group")
  # a cohort of a combined group's parts shows their unknown values
  parts <- c(group, attr(x, "parts"))
  shown <- vapply(results, function(r) {
    inherits(r, "equityaudit_cohort") && any(parts %in% unclass(r)$variable)
  }, TRUE)
  if (any(d$missing) || !any(shown) || length(d$n) == 0) {
    return(x)
  }
  k <- block_size(d, unit_columns(x))
  blocks <- length(d$n) / k
  label <- attr(x, "unknown_label")
  parts <- lapply(seq_len(blocks), function(b) list(rows = (b - 1) * k + c(seq_len(k), 1)))
  y <- rebuild_blocks(x, parts)
  extra <- seq_len(blocks) * (k + 1)
  keep <- attributes(y)[setdiff(names(attributes(y)), c("names", "row.names"))]
  y <- unclass(y)
  y[[group]] <- set_value(y[[group]], extra, label)
  if (length(attr(x, "parts")) > 1) {
    for (p in attr(x, "parts")) y[[p]][extra] <- NA
  }
  y$missing[extra] <- TRUE
  out <- new_tidy_frame(empty_rows(y, extra, x))
  attributes(out)[names(keep)] <- keep
  out
}

# How another table labels the people whose value of cohort variable v is
# missing, when v is one of its strata: the label of the cohort's row of
# them (age has none: the cohort's label of unknown values).
cohort_missing_label <- function(d, v, x) {
  lab <- d$level[d$variable == v & d$missing]
  if (length(lab) == 0 || is.na(lab[[1]])) attr(x, "unknown_label") else lab[[1]]
}
