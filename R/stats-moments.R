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
