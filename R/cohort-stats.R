# The statistics of describe_cohort(): the rows of each variable, the age
# moments of each stratum (merged from the cells of the by columns), and
# the result.

# Age (mean, s.d., range and the number missing) in each stratum of the
# tally `tl` (whose strata fold the `unknown` labels of the `by` columns):
# moments of the cells of the `by` columns as they are, from compiled code,
# then merged into the strata they fall in. A list with one element per
# stratum of `tl`, in its order.
cohort_moments <- function(data, by, age, tl, unknown) {
  v <- data[[age]]
  check_ages(v, age)
  enc <- lapply(by, function(col) encode_column(data[[col]], col, "by"))
  res <- .Call(
    ea_group_moments, lapply(enc, `[[`, "x"), vapply(enc, `[[`, 0L, "kind"),
    vapply(enc, function(e) as.integer(e$nlev), 0L), as.double(v)
  )
  if (!is.null(res$too_many)) abort_too_many(res, enc, by, "by")
  if (!is.null(res$bad_row)) {
    abort_input(
      "column",
      sprintf("A column of `by` is a malformed factor (row %s).", format(res$bad_row)),
      arg = "by"
    )
  }
  values <- lapply(seq_along(enc), function(j) {
    if (enc[[j]]$kind == 2L) res$levels[[j]] else enc[[j]]$values
  })
  nlev <- vapply(values, length, 0L)
  present <- if (length(by) == 0) 0 else which(res$n + res$n_missing > 0) - 1
  slots <- key_slots(present, nlev)
  raw <- Map(function(s, vals) slot_values(vals)[s + 1L], slots, values)
  key <- strata_key(lapply(raw, function(x) as.character(fold_values(x, unknown))), length(present))
  take <- present + 1
  m <- merge_moments(
    key, res$n[take], res$mean[take], res$m2[take], res$min[take], res$max[take],
    res$n_missing[take]
  )
  idx <- match(tally_strata_key(tl, by), m$key)
  finish_moments(lapply(m[setdiff(names(m), "key")], `[`, idx))
}

# Ages must be numbers, finite and not negative.
check_ages <- function(v, age) {
  if (!is.numeric(v) || is.object(v)) {
    abort_input(
      "column",
      sprintf("Column `%s` (`age`) must be numeric, not %s.", age, class(v)[[1]]),
      arg = "age", column = age
    )
  }
  bad <- which(!is.na(v) & (!is.finite(v) | v < 0))
  if (length(bad) > 0) {
    abort_input(
      "column",
      sprintf(
        "Column `%s` (`age`) must hold finite ages of 0 or more; found %s in row%s %s.",
        age, format_values(v[bad]), if (length(bad) > 1) "s" else "", format_values(bad)
      ),
      arg = "age", column = age, rows = bad
    )
  }
}

# Combines moments of cells that share a key (Chan et al.'s pairwise
# formula), in order of the keys' first appearance.
merge_moments <- function(key, n, mean, m2, min, max, n_missing) {
  g <- factor(key, levels = unique(key))
  tot_n <- as.vector(rowsum(as.double(n), g))
  tot_mean <- as.vector(rowsum(as.double(ifelse(n > 0, n * mean, 0)), g)) / pmax(tot_n, 1)
  dev <- ifelse(n > 0, n * (mean - tot_mean[as.integer(g)])^2, 0)
  list(
    key = levels(g), n = tot_n, mean = tot_mean,
    m2 = as.vector(rowsum(as.double(ifelse(n > 0, m2, 0) + dev), g)),
    min = as.vector(tapply(min, g, min)), max = as.vector(tapply(max, g, max)),
    n_missing = as.vector(rowsum(as.double(n_missing), g))
  )
}

# Moments with the s.d. from the sum of squares, and no summary where
# nobody's age is known.
finish_moments <- function(m) {
  m$sd <- ifelse(m$n > 1, sqrt(m$m2 / (m$n - 1)), NA_real_)
  m$m2 <- NULL
  none <- m$n == 0
  m$mean[none] <- NA
  m$min[none] <- NA
  m$max[none] <- NA
  m[c("n", "mean", "sd", "min", "max", "n_missing")]
}

# The moments of all the strata together (the pooled stratum).
pool_moments <- function(m) {
  m2 <- ifelse(m$n > 1, m$sd^2 * (m$n - 1), 0)
  known <- m$n > 0
  pooled <- merge_moments(
    rep("all", sum(known)), m$n[known], m$mean[known], m2[known],
    m$min[known], m$max[known], m$n_missing[known]
  )
  if (!any(known)) {
    pooled <- list(n = 0, mean = NA_real_, m2 = 0, min = NA_real_, max = NA_real_, n_missing = sum(m$n_missing))
  } else {
    pooled$n_missing <- sum(m$n_missing)
  }
  finish_moments(pooled[setdiff(names(pooled), "key")])
}

# The result from the tally of each variable (`tallies`), the tally of the
# strata (`base`) and the age moments of each stratum (`m`, or NULL).
cohort_result <- function(tallies, base, m, cols, pooled) {
  pieces <- lapply(tallies, function(tl) {
    counts <- matrix(tl$array, nrow = length(tl$groups$label))
    if (pooled) counts <- cbind(counts, rowSums(counts))
    cohort_rows(counts, tl)
  })
  if (!is.null(m)) {
    if (pooled) m <- Map(c, m, pool_moments(m))
    pieces[[length(pieces) + 1]] <- age_rows(m, cols$age)
  }
  cohort_frame(pieces, base, cols$by, pooled)
}

# For the cell-key rule: the key sums of the people whose age is known and
# of those whose age is not, per stratum, as the counts of age moments (no
# age is published under the rule).
age_key_sums <- function(data, cols, by, unknown) {
  data[[".equityaudit_age"]] <- factor(ifelse(is.na(data[[cols$age]]), NA, "known"), levels = "known")
  tl <- tally(data, ".equityaudit_age", by, unknown = unknown, key = cols$key)
  k <- matrix(tl$keys, nrow = length(tl$groups$label))
  n_s <- ncol(k)
  none <- rep(NA_real_, n_s)
  list(n = k[1, ], mean = none, sd = none, min = none, max = none, n_missing = k[2, ])
}

# Rows for one categorical variable: counts [levels (unknown last), strata].
cohort_rows <- function(counts, tl) {
  g <- tl$groups
  known <- counts[!g$unknown, , drop = FALSE]
  pct <- 100 * sweep(known, 2, pmax(colSums(known), 1), "/")
  pct[, colSums(known) == 0] <- NA
  k <- nrow(known)
  list(
    variable = tl$name, level = g$label, missing = g$unknown,
    n = as.vector(rbind(known, counts[g$unknown, ])),
    pct = as.vector(rbind(pct, NA)), per_stratum = k + 1L
  )
}

age_rows <- function(m, variable) {
  list(
    variable = variable, level = c(NA, NA), missing = c(FALSE, TRUE),
    n = as.vector(rbind(m$n, m$n_missing)), pct = NA_real_,
    mean = as.vector(rbind(m$mean, NA)), sd = as.vector(rbind(m$sd, NA)),
    min = as.vector(rbind(m$min, NA)), max = as.vector(rbind(m$max, NA)),
    per_stratum = 2L
  )
}

cohort_frame <- function(pieces, tl, by, pooled) {
  people <- colSums(matrix(tl$array, nrow = length(tl$groups$label)))
  strata <- tl$strata
  is_pooled <- rep(FALSE, length(people))
  if (length(by) > 0 && pooled) {
    p <- append_pooled(matrix(people, 1), strata, by)
    strata <- p$strata
    is_pooled <- p$pooled
    people <- as.vector(p$array)
  }
  n_strata <- length(people)
  sizes <- 1L + sum(vapply(pieces, `[[`, 0L, "per_stratum"))
  block <- function(s) {
    rows <- lapply(pieces, function(p) {
      idx <- (s - 1) * p$per_stratum + seq_len(p$per_stratum)
      pick <- function(x) if (length(x) > 1) x[idx] else rep(x, p$per_stratum)
      list(
        variable = rep(p$variable, p$per_stratum), level = as.character(p$level),
        missing = p$missing, n = pick(p$n), pct = pick(p$pct),
        mean = pick(p$mean %||% NA_real_), sd = pick(p$sd %||% NA_real_),
        min = pick(p$min %||% NA_real_), max = pick(p$max %||% NA_real_)
      )
    })
    head_row <- list(
      variable = "people", level = NA_character_, missing = FALSE, n = people[[s]],
      pct = NA_real_, mean = NA_real_, sd = NA_real_, min = NA_real_, max = NA_real_
    )
    do.call(Map, c(list(c), list(head_row), rows))
  }
  body <- do.call(Map, c(list(c), lapply(seq_len(n_strata), block)))
  out <- c(
    lapply(strata, function(v) rep(v, each = sizes)),
    if (length(by) > 0) list(pooled = rep(is_pooled, each = sizes)),
    body
  )
  new_result(out, "cohort", list(by = by, unknown_label = tl$unknown_label, unknown = tl$unknown))
}
