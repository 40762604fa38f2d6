# Reference computations for the SPC charts (R/spc-*.R), one series at a
# time with plain loops, written from the published formulas (Montgomery;
# Laney 2002; NHSRplotthedots' rules stated as windows of points), and
# random inputs for them.

# Every element of `actual` within `tol` (relative) of `expected`, with NA
# in the same places.
expect_close <- function(actual, expected, tol = 1e-10) {
  actual <- as.vector(actual)
  expected <- as.vector(expected)
  expect_identical(is.na(actual), is.na(expected))
  ok <- !is.na(expected)
  err <- abs(actual[ok] - expected[ok]) / pmax(abs(expected[ok]), 1e-300)
  err[actual[ok] == expected[ok]] <- 0
  expect_lte(max(c(0, err)), tol)
}

# Events and denominators of `ns` series over `np` periods: proportions
# from 0.5% to 95%, over-dispersed, denominators from a handful to
# thousands, and about `gaps` of the periods hidden (NA) or empty (n = 0).
random_spc_counts <- function(ns, np, gaps = 0.1) {
  size <- exp(stats::runif(ns, log(2), log(5000)))
  n <- matrix(stats::rpois(ns * np, size) + 1, ns, np)
  p <- stats::plogis(stats::qlogis(stats::runif(ns, 0.005, 0.95)) +
    matrix(stats::rnorm(ns * np, 0, stats::runif(ns, 0, 0.6)), ns, np))
  x <- matrix(stats::rbinom(ns * np, n, p), ns, np)
  hide <- matrix(stats::runif(ns * np) < gaps, ns, np)
  x[hide] <- NA
  n[hide & stats::runif(ns * np) < 0.7] <- NA
  n[!hide & stats::runif(ns * np) < gaps / 5] <- 0
  x[!is.na(n) & n == 0] <- 0
  list(x = x, n = n)
}

# Values with shifts, trends and ties, so that every rule fires somewhere.
random_spc_values <- function(ns, np, gaps = 0.1) {
  walk <- matrix(t(apply(matrix(stats::rnorm(ns * np), ns, np), 1, cumsum)), ns, np)
  y <- stats::rnorm(ns * np) + walk * stats::rbinom(ns, 1, 0.4) +
    outer(stats::rnorm(ns, 0, 2), seq_len(np) > np / 2)
  y <- matrix(y, ns, np)
  ties <- stats::runif(ns) < 0.3
  y[ties, ] <- round(2 * y[ties, ])
  y[matrix(stats::runif(ns * np) < gaps, ns, np)] <- NA
  y
}

# Segment starts of one series: a logical vector.
ref_starts <- function(np, rebase) {
  s <- seq_len(np) %in% c(1, rebase)
  s
}

ref_mean_mr <- function(v, used, screen) {
  mrs <- c()
  for (j in seq_along(v)[-1]) {
    if (used[j] && used[j - 1]) mrs <- c(mrs, abs(v[j] - v[j - 1]))
  }
  if (screen && length(mrs) > 0) {
    amr <- mean(mrs)
    mrs <- mrs[mrs < 3.267 * amr | amr == 0]
  }
  list(mean = if (length(mrs) > 0) mean(mrs) else NA, n = length(mrs))
}

# One series of a p (laney = FALSE) or p' chart.
ref_p_chart <- function(x, n, laney, fix_after = Inf, starts = ref_starts(length(x), NULL),
                        screen = FALSE) {
  np <- length(x)
  out <- list(centre = rep(NA, np), sigma = rep(NA, np), sigma_z = c(), n_mr = c())
  seg <- cumsum(starts)
  for (s in unique(seg)) {
    idx <- which(seg == s)
    base <- seq_along(idx) <= fix_after
    shown <- !is.na(x[idx]) & !is.na(n[idx]) & n[idx] > 0
    sx <- 0
    sn <- 0
    for (k in seq_along(idx)) {
      if (base[k] && shown[k]) {
        sx <- sx + x[idx[k]]
        sn <- sn + n[idx[k]]
      }
    }
    pbar <- if (sn > 0) sx / sn else NA
    sig <- rep(NA, length(idx))
    for (k in seq_along(idx)) {
      if (!is.na(n[idx[k]]) && n[idx[k]] > 0) sig[k] <- sqrt(pbar * (1 - pbar) / n[idx[k]])
    }
    if (laney) {
      used <- base & shown & !is.na(sig) & sig > 0
      z <- (x[idx] / n[idx] - pbar) / sig
      mr <- ref_mean_mr(z, used, screen)
      sz <- mr$mean / 1.128
      for (k in seq_along(idx)) {
        if (!is.na(sig[k]) && sig[k] > 0) sig[k] <- sig[k] * sz
      }
      out$sigma_z <- c(out$sigma_z, sz)
      out$n_mr <- c(out$n_mr, mr$n)
    }
    out$centre[idx] <- pbar
    out$sigma[idx] <- sig
  }
  c(out, ref_limits(out$centre, out$sigma, 0, 1))
}

ref_limits <- function(centre, sigma, lower = -Inf, upper = Inf) {
  clip <- function(v) ifelse(v < lower, lower, ifelse(v > upper, upper, v))
  list(
    lcl = clip(centre - 3 * sigma), ucl = clip(centre + 3 * sigma),
    lcl_2sigma = clip(centre - 2 * sigma), ucl_2sigma = clip(centre + 2 * sigma)
  )
}

# One series of an XmR chart: limits mean +/- 2.66 mean moving range.
ref_xmr_chart <- function(y, fix_after = Inf, starts = ref_starts(length(y), NULL),
                          screen = TRUE) {
  np <- length(y)
  out <- list(centre = rep(NA, np), mr_bar = rep(NA, np), n_mr = c())
  seg <- cumsum(starts)
  for (s in unique(seg)) {
    idx <- which(seg == s)
    used <- seq_along(idx) <= fix_after & !is.na(y[idx])
    mr <- ref_mean_mr(y[idx], used, screen)
    out$centre[idx] <- if (any(used)) mean(y[idx][used]) else NA
    out$mr_bar[idx] <- mr$mean
    out$n_mr <- c(out$n_mr, mr$n)
  }
  c(out, list(
    lcl = out$centre - 2.66 * out$mr_bar, ucl = out$centre + 2.66 * out$mr_bar,
    lcl_2sigma = out$centre - 2 * 2.66 / 3 * out$mr_bar,
    ucl_2sigma = out$centre + 2 * 2.66 / 3 * out$mr_bar
  ))
}

# One series of the gap chart between a group (x, n) and its reference.
ref_gap_chart <- function(x, n, xr, nr, scale, laney, fix_after = Inf,
                          starts = ref_starts(length(x), NULL)) {
  np <- length(x)
  out <- list(value = rep(NA, np), centre = rep(NA, np), sigma = rep(NA, np))
  seg <- cumsum(starts)
  for (s in unique(seg)) {
    idx <- which(seg == s)
    known <- !is.na(n[idx]) & n[idx] > 0 & !is.na(nr[idx]) & nr[idx] > 0
    shown <- known & !is.na(x[idx]) & !is.na(xr[idx])
    used <- shown & seq_along(idx) <= fix_after
    pg <- sum(x[idx][used]) / sum(n[idx][used])
    pr <- sum(xr[idx][used]) / sum(nr[idx][used])
    dev <- rep(NA, length(idx))
    se <- rep(NA, length(idx))
    for (k in seq_along(idx)) {
      i <- idx[k]
      if (scale == "difference") {
        centre <- pg - pr
        if (shown[k]) out$value[i] <- x[i] / n[i] - xr[i] / nr[i]
        if (known[k]) se[k] <- sqrt(pg * (1 - pg) / n[i] + pr * (1 - pr) / nr[i])
        dev[k] <- out$value[i] - centre
      } else {
        centre <- if (is.finite(pg) && is.finite(pr) && pg > 0 && pr > 0) pg / pr else NA
        if (shown[k]) {
          out$value[i] <- (max(x[i], 0.5) / n[i]) / (max(xr[i], 0.5) / nr[i])
        }
        if (known[k] && !is.na(centre)) {
          se[k] <- sqrt((1 - pg) / (n[i] * pg) + (1 - pr) / (nr[i] * pr))
        }
        dev[k] <- log(out$value[i]) - log(centre)
      }
    }
    if (laney) {
      ok <- used & !is.na(se) & se > 0
      sz <- ref_mean_mr(dev / se, ok, FALSE)$mean / 1.128
      se <- ifelse(!is.na(se) & se == 0, 0, se * sz)
    }
    out$centre[idx] <- if (is.na(centre) || !is.finite(centre)) NA else centre
    out$sigma[idx] <- se
  }
  lim <- if (scale == "difference") {
    ref_limits(out$centre, out$sigma, -1, 1)
  } else {
    lapply(ref_limits(log(out$centre), out$sigma), exp)
  }
  c(out, lim)
}

# The rules for one series, as windows of consecutive shown points of one
# segment (NHSRplotthedots' formulation): returns a list of integer vectors.
ref_rules <- function(v, centre, lcl, ucl, lcl2, ucl2, segment, run = 7, trend = 7) {
  np <- length(v)
  res <- lapply(c(outside = 1, shift = 1, trend = 1, two_of_three = 1, special = 1), function(i) {
    r <- rep(NA_integer_, np)
    r[!is.na(v)] <- 0L
    r
  })
  for (s in unique(segment)) {
    idx <- which(segment == s & !is.na(v))
    m <- length(idx)
    if (m == 0) next
    y <- v[idx]
    side <- sign(y - centre[idx])
    side[is.na(side)] <- 0
    out <- rep(0, m)
    close <- rep(FALSE, m)
    for (k in seq_len(m)) {
      i <- idx[k]
      if (!is.na(ucl[i]) && y[k] > ucl[i]) out[k] <- 1
      if (!is.na(lcl[i]) && y[k] < lcl[i]) out[k] <- -1
      close[k] <- out[k] == 0 && ((!is.na(ucl2[i]) && y[k] > ucl2[i]) ||
        (!is.na(lcl2[i]) && y[k] < lcl2[i]))
    }
    shift <- rep(0, m)
    rising <- rep(FALSE, m)
    falling <- rep(FALSE, m)
    two <- rep(0, m)
    for (a in seq_len(m)) {
      w <- a:(a + run - 1)
      if (max(w) <= m && side[a] != 0 && all(side[w] == side[a])) shift[w] <- side[a]
      w <- a:(a + trend - 1)
      if (max(w) <= m && all(diff(y[w]) > 0)) rising[w] <- TRUE
      if (max(w) <= m && all(diff(y[w]) < 0)) falling[w] <- TRUE
      w <- a:(a + 2)
      if (max(w) <= m && side[a] != 0 && all(side[w] == side[a]) && sum(close[w]) >= 2) {
        two[w[close[w]]] <- side[a]
      }
    }
    tr <- rep(0, m)
    for (k in seq_len(m)) {
      if (rising[k] && falling[k]) {
        tr[k] <- sign(y[k + 1] - y[k])
      } else if (rising[k]) {
        tr[k] <- 1
      } else if (falling[k]) {
        tr[k] <- -1
      }
    }
    special <- ifelse(out != 0, out, ifelse(tr != 0, tr, ifelse(two != 0, two, shift)))
    res$outside[idx] <- as.integer(out)
    res$shift[idx] <- as.integer(shift)
    res$trend[idx] <- as.integer(tr)
    res$two_of_three[idx] <- as.integer(two)
    res$special[idx] <- as.integer(special)
  }
  res
}

# f(i) for every row i, its results stacked into matrices [row, period],
# one per name (a list of the rows' vectors where their lengths differ).
ref_by_row <- function(rows, f) {
  each <- lapply(seq_len(rows), f)
  stats::setNames(lapply(names(each[[1]]), function(nm) {
    parts <- lapply(each, function(e) e[[nm]])
    if (length(unique(lengths(parts))) > 1) parts else do.call(rbind, parts)
  }), names(each[[1]]))
}

# ref_rules() on row i of a chart.
ref_rules_row <- function(chart, i, run = 7, trend = 7) {
  ref_rules(
    chart$value[i, ], chart$centre[i, ], chart$lcl[i, ], chart$ucl[i, ],
    chart$lcl_2sigma[i, ], chart$ucl_2sigma[i, ], chart$segment[i, ], run, trend
  )
}

# The icons of one series from its rules, by the definitions.
ref_icons_row <- function(chart, rules, i, improvement, target) {
  shown <- which(!is.na(chart$value[i, ]))
  if (length(shown) == 0) {
    return(list(period = NA_integer_, variation = NA_character_, side = NA_character_,
                assurance = NA_character_))
  }
  j <- max(shown)
  sp <- rules$special[i, j]
  dir <- c(increase = 1, decrease = -1, neither = 0)[[improvement]]
  variation <- if (sp == 0) {
    "common_cause"
  } else if (dir == 0) {
    "special_cause_neither"
  } else if (sp * dir > 0) {
    "special_cause_improvement"
  } else {
    "special_cause_concern"
  }
  lcl <- chart$lcl[i, j]
  ucl <- chart$ucl[i, j]
  assurance <- NA_character_
  if (!is.na(target) && improvement != "neither" && !is.na(lcl) && !is.na(ucl)) {
    assurance <- if (target > ucl) {
      if (improvement == "increase") "consistently_fail" else "consistently_pass"
    } else if (target < lcl) {
      if (improvement == "increase") "consistently_pass" else "consistently_fail"
    } else {
      "hit_or_miss"
    }
  }
  list(
    period = j, variation = variation,
    side = if (sp > 0) "high" else if (sp < 0) "low" else NA_character_,
    assurance = assurance
  )
}
