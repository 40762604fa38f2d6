# Age-sex (or any other) adjustment of compare_access() and
# compare_outcomes(): indirectly standardised representation ratios and
# directly standardised outcome percentages, with the generalised
# Cochran-Mantel-Haenszel test across the adjustment strata.

#' Adjusted comparisons: is a difference explained by age and sex?
#'
#' With `adjust = c(age_band, gender)` (any columns of the data and, for
#' [compare_access()], of the reference), the two comparison functions add
#' an adjusted analysis to their result: it is printed after the
#' unadjusted table (which is unchanged) and read with `tidy(x,
#' "adjusted")`. People whose value of an `adjust` column is missing (or
#' one of the `unknown` labels) cannot be standardised: they are left out
#' of the adjusted analysis, and a message and `tidy(x, "left_out")` say
#' how many.
#'
#' **Access** (`compare_access(..., adjust = )`): the reference then holds
#' the eligible population by group and the adjustment columns (and `by`).
#' Within each `by` stratum, the service's rate of use in each adjustment
#' stratum k is `r_k` = (users in k) / (eligible people in k), over the
#' groups of known label. A group's expected number of users is
#' `expected = sum_k ref_n[k] * r_k`, and its indirectly standardised
#' representation ratio is `isr = n / expected`, with the exact Poisson
#' interval `qchisq(a / 2, 2 n) / 2 / expected` to `qchisq(1 - a / 2, 2 (n +
#' 1)) / 2 / expected` (as PHEindicatormethods' `calculate_ISRatio()` with
#' exact limits). The test is the generalised Cochran-Mantel-Haenszel test
#' of group by (service, population) across the adjustment strata. The
#' per-stratum expected counts are in `tidy(x, "adjusted_strata")`.
#'
#' **Outcomes** (`compare_outcomes(..., adjust = )`): the directly
#' standardised percentage of each group is `sum_k w_k p_k`, where `p_k` is
#' the group's percentage with the outcome in adjustment stratum k (`o_k`
#' of its `n_k` people) and the standard weights `w_k` are the whole
#' cohort's mix (people with a known group and outcome in all the data,
#' over the adjustment strata; `tidy(x, "standard")`). By default
#' (`std_interval = "dobson"`) its interval is that of Dobson et al.
#' (1991), as Public Health England's Fingertips and PHEindicatormethods'
#' `calculate_dsr()` compute it: the exact Poisson limits of the total
#' count `O = sum(o_k)`, carried to the percentage by `dsr + sqrt(v / O)
#' (limit - O)` with `v = sum((w_k / n_k)^2 o_k)`. With no events at all
#' the scale `sqrt(v / O)` is taken at its limit for events spread evenly,
#' `sum(w_k^2 / n_k)`, so that the upper limit is not 0. `std_interval =
#' "wald"` gives the normal interval from the binomial variance
#' `sum(w_k^2 p_k (1 - p_k) / n_k)`, which covers too rarely when strata
#' are small. Both are cut at 0 and 100. A group with nobody in a stratum
#' of the standard has no standardised percentage (`NA`). The test is the
#' generalised Cochran-Mantel-Haenszel test of group by outcome across the
#' adjustment strata, within each stratum of the result (for the pooled
#' stratum, across the adjustment strata of everybody: not across the
#' services as well).
#'
#' @name adjustment
#' @examples
#' ips <- ips_synthetic[!is.na(ips_synthetic$gender), ]
#' ips$age_band <- age_band(ips$age)
#' access <- compare_access(ips, ethnicity, ips_population,
#'   by = service, unknown = "Not known/stated",
#'   adjust = c(age_band, gender)
#' )
#' tidy(access, "adjusted")
#' outcomes <- compare_outcomes(ips, ethnicity, employed,
#'   by = service, exact = "never", adjust = c(age_band, gender)
#' )
#' outcomes
#' @references Dobson AJ, Kuulasmaa K, Eberle E, Scherer J (1991).
#'   Confidence intervals for weighted sums of Poisson parameters.
#'   Statistics in Medicine 10, 457-462.
NULL


check_adjust <- function(adjust, group, by) {
  clash <- intersect(adjust, c(group, by))
  if (length(clash) > 0) {
    abort_input(
      "argument",
      sprintf("`adjust` must not repeat the `group` or `by` columns (%s).", format_values(clash)),
      arg = "adjust"
    )
  }
  adjust
}

# The strata of a tally whose adjustment value is known (people in the
# others cannot be standardised: they are left out, with a message).
adjustable_strata <- function(tl, adjust, counts, by) {
  na <- Reduce(`|`, tl$strata_unknown[adjust], rep(FALSE, length(counts)))
  left <- rowsum(counts[na], strata_key(lapply(tl$strata[by], `[`, na), sum(na)), reorder = FALSE)
  if (sum(counts[na]) > 0) {
    what <- paste0("`", adjust, "`", collapse = " or ")
    note(
      sprintf("Adjusted analysis: left out %s with a missing or unknown %s.", people_count(sum(counts[na])), what),
      sprintf("Adjusted analysis: left out the people with a missing or unknown %s", what)
    )
  }
  first <- match(rownames(left), strata_key(tl$strata[by], length(counts)))
  list(
    keep = !na,
    left_out = if (sum(counts[na]) > 0) {
      left_out_frame(lapply(tl$strata[by], `[`, first),
        paste0("adjusted analysis: ", paste0("`", adjust, "`", collapse = " or "), " not known"),
        left[, 1]
      )
    }
  )
}

# The adjusted access analysis (indirect standardisation).
adjusted_access <- function(data, cols, reference, ref, unknown, conf_level) {
  by <- cols$by
  adjust <- check_adjust(cols$adjust, cols$group, by)
  split <- c(stats::setNames(by, rep("by", length(by))), stats::setNames(adjust, rep("adjust", length(adjust))))
  tl <- tally(data, cols$group, split, cols$weight, unknown = unknown)
  r_all <- align_reference(reference, tl, cols$group, split, ref$value, all_strata = FALSE)
  known <- !tl$groups$unknown
  n <- matrix(tl$array, nrow = length(known))[known, , drop = FALSE]
  r <- r_all[known, , drop = FALSE]
  adj <- adjustable_strata(tl, adjust, colSums(n), by)
  # people of unknown service have no population to be compared with
  keep <- adj$keep & !Reduce(`|`, tl$strata_unknown[by], rep(FALSE, ncol(n)))
  n <- n[, keep, drop = FALSE]
  r <- r[, keep, drop = FALSE]
  strata <- lapply(tl$strata, `[`, keep)
  no_ref <- colSums(n) > 0 & colSums(r) == 0
  if (any(no_ref)) {
    abort_input(
      "labels",
      sprintf(
        "For the adjustment, %s has people using the service but nobody in `reference`.",
        stratum_label(strata, which(no_ref)[[1]])
      ),
      arg = "reference"
    )
  }
  rate <- ifelse(colSums(r) > 0, colSums(n) / colSums(r), 0)
  expected <- sweep(r, 2, rate, "*")
  unit <- strata_key(strata[by], length(rate))
  units <- unique(unit)
  k <- nrow(n)
  per_unit <- function(m) matrix(vapply(units, function(u) rowSums(m[, unit == u, drop = FALSE]), numeric(k)), k)
  o <- per_unit(n)
  e <- per_unit(expected)
  ci <- poisson_exact(o, conf_level)
  tests <- lapply(units, function(u) {
    s <- unit == u
    a <- array(0, c(k, 2, sum(s)))
    a[, 1, ] <- n[, s]
    a[, 2, ] <- r[, s]
    cmh_statistic(a)
  })
  first <- match(units, unit)
  g_keep <- which(known)
  rows <- c(
    strata_frame_rep(lapply(strata[by], `[`, first), k),
    group_columns(tl$groups, g_keep, length(units), tl$name),
    list(
      n = as.vector(o), expected = as.vector(e),
      isr = as.vector(o / e), isr_low = as.vector(ci$low / e), isr_high = as.vector(ci$high / e)
    ),
    test_columns(tests, k)
  )
  detail <- c(
    strata_frame_rep(strata, k),
    group_columns(tl$groups, g_keep, ncol(n), tl$name),
    list(
      n = as.vector(n), ref_n = as.vector(r),
      rate = rep(rate, each = k), expected = as.vector(expected)
    )
  )
  list(adjusted = new_tidy_frame(rows), strata = new_tidy_frame(detail), left_out = adj$left_out)
}

# statistic, df and p_value of tests (one per unit), `k` rows per unit.
test_columns <- function(tests, k) {
  list(
    statistic = rep(vapply(tests, `[[`, 0, "statistic"), each = k),
    df = rep(vapply(tests, `[[`, 0, "df"), each = k),
    p_value = rep(vapply(tests, `[[`, 0, "p_value"), each = k)
  )
}

# The adjusted outcome analysis (direct standardisation).
adjusted_outcomes <- function(data, cols, event, unknown, conf_level, pooled,
                              std_interval) {
  adjust <- check_adjust(cols$adjust, cols$group, c(cols$by, cols$strata))
  split <- c(split_columns(cols), stats::setNames(adjust, rep("adjust", length(adjust))))
  tl <- outcome_tally(data, cols, split, event, unknown)
  g <- tl$groups
  yes <- matrix(tl$array[, 2, ], length(g$label))
  tot <- yes + matrix(tl$array[, 1, ], length(g$label))
  rows_kept <- which(!g$unknown & rowSums(tot) > 0)
  yes <- yes[rows_kept, , drop = FALSE]
  tot <- tot[rows_kept, , drop = FALSE]
  adj <- adjustable_strata(tl, adjust, colSums(tot), c(cols$by, cols$strata))
  strata <- lapply(tl$strata, `[`, adj$keep)
  a <- array(0, c(length(rows_kept), 2, sum(adj$keep)))
  a[, 1, ] <- yes[, adj$keep]
  a[, 2, ] <- tot[, adj$keep]
  adj_key <- function(st) strata_key(st[adjust], length(st[[1]]))
  std <- rowsum(colSums(matrix(a[, 2, ], nrow = dim(a)[[1]])), adj_key(strata), reorder = FALSE)
  std <- stats::setNames(std[, 1] / sum(std), rownames(std))
  units <- if (pooled && length(cols$by) > 0) {
    pool_units(a, strata, cols$by)
  } else {
    list(array = a, strata = strata, pooled = rep(FALSE, dim(a)[[3]]))
  }
  unit_cols <- c(cols$by, cols$strata)
  unit <- strata_key(c(units$strata[unit_cols], list(units$pooled)), length(units$pooled))
  ids <- unique(unit)
  parts <- lapply(ids, function(u) {
    s <- unit == u
    dsr_unit(units$array[, , s, drop = FALSE], std[adj_key(lapply(units$strata, `[`, s))],
      conf_level, std_interval
    )
  })
  k <- length(rows_kept)
  first <- match(ids, unit)
  take <- function(nm) unlist(lapply(parts, `[[`, nm))
  rows <- c(
    strata_frame_rep(lapply(units$strata[unit_cols], `[`, first), k),
    list(pooled = rep(units$pooled[first], each = k)),
    group_columns(g, rows_kept, length(ids), tl$name),
    list(
      n = take("n"), events = take("events"), pct = percent_of(take("events"), take("n")),
      std_pct = 100 * take("dsr"), std_low = 100 * take("low"), std_high = 100 * take("high")
    ),
    test_columns(lapply(parts, `[[`, "cmh"), k)
  )
  first_adj <- match(names(std), adj_key(strata))
  standard <- c(lapply(strata[adjust], function(v) v[first_adj]), list(weight = unname(std)))
  list(adjusted = new_tidy_frame(rows), standard = new_tidy_frame(standard), left_out = adj$left_out)
}

# The standardised percentages of one unit: `a` is [group, c(events,
# people), adjustment stratum] and `w` the standard weight of each slice.
# Slices of one adjustment stratum (several services of a pooled unit) are
# added up first, so that the test is across the adjustment strata only.
dsr_unit <- function(a, w, conf_level, method) {
  key <- names(w)
  ys <- t(rowsum(t(matrix(a[, 1, ], dim(a)[[1]])), key, reorder = FALSE))
  ts <- t(rowsum(t(matrix(a[, 2, ], dim(a)[[1]])), key, reorder = FALSE))
  w <- w[!duplicated(key)]
  # a group must have people in every stratum of the whole standard (whose
  # weights add up to 1), not only in those its unit has anybody in
  covered <- rowSums(sweep(ts > 0, 2, w, "*")) >= 1 - 1e-12
  p <- ifelse(ts > 0, ys / ts, 0)
  dsr <- as.vector(p %*% w)
  ci <- if (method == "dobson") {
    c_w <- sweep(1 / pmax(ts, 1), 2, w, "*")
    dobson_interval(dsr, rowSums(c_w^2 * ys), rowSums(ys),
      as.vector((1 / pmax(ts, 1)) %*% w^2), conf_level
    )
  } else {
    se <- sqrt(as.vector(((p * (1 - p)) / pmax(ts, 1)) %*% w^2))
    z <- z_of(conf_level)
    list(low = pmax(0, dsr - z * se), high = pmin(1, dsr + z * se))
  }
  test <- array(0, c(nrow(ys), 2, ncol(ys)))
  test[, 1, ] <- ys
  test[, 2, ] <- ts - ys
  na_unless <- function(v) ifelse(covered, v, NA)
  list(
    n = rowSums(ts), events = rowSums(ys), dsr = na_unless(dsr),
    low = na_unless(ci$low), high = na_unless(ci$high), cmh = cmh_statistic(test)
  )
}

# The adjustment slices of every unit pooled across `by` within each level
# of the other columns, when `by` has two or more values (a pooled unit
# would otherwise repeat the only one).
pool_units <- function(a, strata, by) {
  n_s <- dim(a)[[3]]
  if (length(unique(strata_key(strata[by], n_s))) < 2) {
    return(list(array = a, strata = strata, pooled = rep(FALSE, n_s)))
  }
  append_pooled(a, strata, by, single = TRUE)
}
