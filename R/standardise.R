# Age-sex (or any other) adjustment of compare_access() and
# compare_outcomes(): indirectly standardised representation ratios and
# directly standardised outcome percentages, with the generalised
# Cochran-Mantel-Haenszel test across the adjustment strata.

#' Adjusted comparisons: is a difference explained by age and sex?
#'
#' With `adjust = c(age_band, gender)` (any columns of the data and, for
#' [compare_access()], of the reference), the two comparison functions add
#' an adjusted analysis in the attribute `"adjusted"` of their result; the
#' unadjusted result is unchanged. People whose value of an `adjust` column
#' is missing cannot be standardised: they are left out of the adjusted
#' analysis, and a message says how many.
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
#' per-stratum expected counts are in the attribute `"adjusted_strata"`.
#'
#' **Outcomes** (`compare_outcomes(..., adjust = )`): the directly
#' standardised percentage of each group is `sum_k w_k p_k`, where `p_k` is
#' the group's percentage with the outcome in adjustment stratum k and the
#' standard weights `w_k` are the whole cohort's mix (people with a known
#' group and outcome in all the data, over the adjustment strata). Its
#' interval is the normal (Wald) interval from the binomial variance: the
#' sum over the strata of the squared weight times the stratum's binomial
#' variance of `p_k`. This is the method of PHEindicatormethods'
#' `calculate_dsr()` with binomial in place of Poisson variance, and the
#' normal in place of Dobson's gamma-based limits; it is cut at 0 and 100. A
#' group with nobody in a stratum of the standard has no standardised
#' percentage (`NA`). The test is the generalised Cochran-Mantel-Haenszel
#' test of group by outcome across the adjustment strata, within each test
#' unit.
#'
#' @name adjustment
#' @examples
#' ips <- ips_synthetic[!is.na(ips_synthetic$gender), ]
#' ips$age_band <- age_band(ips$age)
#' access <- compare_access(ips, ethnicity, ips_population,
#'   by = service, unknown = "Not known/stated",
#'   adjust = c(age_band, gender)
#' )
#' attr(access, "adjusted")
#' outcomes <- compare_outcomes(ips, ethnicity, employed,
#'   by = service, exact = "never", adjust = c(age_band, gender)
#' )
#' attr(outcomes, "adjusted")
NULL

# Exact Poisson interval for observed count o (chi-square form).
poisson_exact <- function(o, conf_level) {
  a <- 1 - conf_level
  list(
    low = ifelse(o > 0, stats::qchisq(a / 2, 2 * o) / 2, 0),
    high = stats::qchisq(1 - a / 2, 2 * (o + 1)) / 2
  )
}

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

# Leaves out strata of the adjustment columns with a missing value; says
# how many people were in them.
drop_missing_adjust <- function(strata_na, adjust, counts) {
  na <- Reduce(`|`, strata_na[adjust])
  if (is.null(na)) na <- rep(FALSE, length(counts))
  if (sum(counts[na]) > 0) {
    left <- sum(counts[na])
    message(sprintf(
      "Adjusted analysis: left out %s %s with a missing %s.",
      format(left, big.mark = ","), if (left == 1) "person" else "people",
      paste0("`", adjust, "`", collapse = " or ")
    ))
  }
  !na
}

# The adjusted access analysis (indirect standardisation).
adjusted_access <- function(data, group, reference, by, adjust, weight, ref,
                            unknown, conf_level) {
  check_columns(adjust, data, "adjust")
  check_columns(adjust, reference, "adjust", "reference")
  split <- c(by, adjust)
  dc <- group_counts(data, group, split, weight)
  labels <- recode_na(dc$labels, unknown)
  n <- rowsum_matrix(matrix(dc$array, nrow = length(labels)), labels)
  ref_labels <- recode_na(as.character(reference[[group]]), unknown)
  ref_key <- strata_key(lapply(reference[split], identity), nrow(reference))
  labels <- ordered_labels(rownames(n), ref_labels, unknown)
  labels <- labels[!is_missing_label(labels, unknown)]
  n <- align_rows(n, labels)
  r <- align_rows(
    rowsum_matrix(matrix(ref$value), paste(ref_key, ref_labels, sep = "\r")),
    paste(rep(dc$key, each = length(labels)), labels, sep = "\r")
  )
  r <- matrix(r, nrow = length(labels))
  keep <- drop_missing_adjust(dc$strata_na, adjust, colSums(n))
  n <- n[, keep, drop = FALSE]
  r <- r[, keep, drop = FALSE]
  strata <- lapply(dc$strata, `[`, keep)
  rate <- colSums(n) / colSums(r)
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
  rate[!is.finite(rate)] <- 0
  expected <- sweep(r, 2, rate, "*")
  unit <- strata_key(strata[by], length(rate))
  units <- unique(unit)
  k <- length(labels)
  o <- vapply(units, function(u) rowSums(n[, unit == u, drop = FALSE]), numeric(k))
  e <- vapply(units, function(u) rowSums(expected[, unit == u, drop = FALSE]), numeric(k))
  o <- matrix(o, k)
  e <- matrix(e, k)
  ci <- poisson_exact(o, conf_level)
  tests <- lapply(units, function(u) {
    s <- unit == u
    a <- array(0, c(k, 2, sum(s)))
    a[, 1, ] <- n[, s]
    a[, 2, ] <- r[, s]
    a <- a[apply(a, 1, sum) > 0, , , drop = FALSE]
    .Call(ea_cmh, a, dim(a), FALSE)
  })
  first <- match(units, unit)
  rows <- c(
    strata_frame_rep(lapply(strata[by], `[`, first), k),
    list(
      group = rep(labels, length(units)), n = as.vector(o), expected = as.vector(e),
      isr = as.vector(o / e), isr_low = as.vector(ci$low / e), isr_high = as.vector(ci$high / e),
      statistic = rep(vapply(tests, `[[`, 0, 1), each = k),
      df = rep(vapply(tests, `[[`, 0, 2), each = k),
      p_value = rep(vapply(tests, `[[`, 0, 3), each = k)
    )
  )
  names(rows)[names(rows) == "group"] <- group
  detail <- c(
    strata_frame_rep(strata, k),
    list(
      group = rep(labels, ncol(n)), n = as.vector(n), ref_n = as.vector(r),
      rate = rep(rate, each = k), expected = as.vector(expected)
    )
  )
  names(detail)[names(detail) == "group"] <- group
  list(adjusted = new_tidy_frame(rows), strata = new_tidy_frame(detail))
}

# The adjusted outcome analysis (direct standardisation).
adjusted_outcomes <- function(data, cols, adjust, event, unknown, conf_level, pooled) {
  check_adjust(adjust, cols$group, c(cols$by, cols$strata))
  cols2 <- cols
  cols2$strata <- c(cols$strata, adjust)
  arr <- outcome_array(data, cols2, event)
  info <- arr$info
  miss <- is_missing_label(info$labels, unknown)
  yes <- matrix(arr$array[!miss, 2, ], sum(!miss))
  tot <- yes + matrix(arr$array[!miss, 1, ], sum(!miss))
  labels <- info$labels[!miss]
  present <- rowSums(tot) > 0
  yes <- yes[present, , drop = FALSE]
  tot <- tot[present, , drop = FALSE]
  labels <- labels[present]
  keep <- drop_missing_adjust(info$strata_na, adjust, colSums(tot))
  yes <- yes[, keep, drop = FALSE]
  tot <- tot[, keep, drop = FALSE]
  strata <- lapply(info$strata, `[`, keep)
  adj_key <- strata_key(strata[adjust], ncol(tot))
  std <- rowsum(colSums(tot), adj_key, reorder = FALSE)
  std <- std[, 1] / sum(std)
  unit_cols <- c(cols$by, cols$strata)
  unit <- strata_key(strata[unit_cols], ncol(tot))
  units <- unique(unit)
  unit_strata <- lapply(strata[unit_cols], function(v) v[match(units, unit)])
  unit_list <- lapply(units, function(u) unit == u)
  if (pooled && length(cols$by) > 0) {
    pooled_key <- strata_key(strata[cols$strata], ncol(tot))
    pools <- unique(pooled_key)
    unit_list <- c(unit_list, lapply(pools, function(p) pooled_key == p))
    first <- match(pools, pooled_key)
    unit_strata <- lapply(unit_cols, function(nm) {
      v <- unit_strata[[nm]]
      add <- if (nm %in% cols$by) rep("Total", length(pools)) else as.character(strata[[nm]][first])
      if (is.factor(v)) {
        return(factor(c(as.character(v), add), levels = unique(c(levels(v), add))))
      }
      c(v, add)
    })
    names(unit_strata) <- unit_cols
  }
  k <- length(labels)
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  parts <- lapply(unit_list, function(s) {
    ys <- t(rowsum(t(yes[, s, drop = FALSE]), adj_key[s]))
    ts <- t(rowsum(t(tot[, s, drop = FALSE]), adj_key[s]))
    w <- std[colnames(ts)]
    w_all <- sum(std)
    p <- ys / ts
    covered <- rowSums(sweep(ts > 0, 2, w, "*")) >= w_all - 1e-12
    p[ts == 0] <- 0
    dsr <- as.vector(p %*% w)
    v <- as.vector(((p * (1 - p)) / pmax(ts, 1)) %*% w^2)
    a <- array(0, c(k, 2, sum(s)))
    a[, 1, ] <- yes[, s]
    a[, 2, ] <- tot[, s] - yes[, s]
    a <- a[apply(a, 1, sum) > 0, , , drop = FALSE]
    cmh <- .Call(ea_cmh, a, dim(a), FALSE)
    list(
      n = rowSums(ts), events = rowSums(ys), dsr = ifelse(covered, dsr, NA),
      low = ifelse(covered, pmax(0, dsr - z * sqrt(v)), NA),
      high = ifelse(covered, pmin(1, dsr + z * sqrt(v)), NA), cmh = cmh
    )
  })
  take <- function(nm) unlist(lapply(parts, `[[`, nm))
  rows <- c(
    strata_frame_rep(unit_strata, k),
    list(
      group = rep(labels, length(parts)), n = take("n"), events = take("events"),
      pct = 100 * take("events") / take("n"), std_pct = 100 * take("dsr"),
      std_low = 100 * take("low"), std_high = 100 * take("high"),
      statistic = rep(vapply(parts, function(x) x$cmh[[1]], 0), each = k),
      df = rep(vapply(parts, function(x) x$cmh[[2]], 0), each = k),
      p_value = rep(vapply(parts, function(x) x$cmh[[3]], 0), each = k)
    )
  )
  names(rows)[names(rows) == "group"] <- cols$group
  out <- new_tidy_frame(rows)
  attr(out, "standard") <- new_tidy_frame(c(
    lapply(strata[adjust], function(v) v[match(names(std), adj_key)]),
    list(weight = unname(std))
  ))
  out
}
