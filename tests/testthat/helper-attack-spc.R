# The SPC kind (monitor_equality()): the attacker reads the published
# counts (attacked as a periods table's, helper-attack-joint.R) and every
# number of the charts. Those must follow from the published counts alone:
# `limit_leaks` counts the chart numbers (points, centre lines, limits)
# that differ from the p chart of the published counts, where a hidden
# count is a gap.

attack_spc_one <- function(rule) {
  d <- random_people(0.06, 0.06, 0.05, dates = TRUE)$d
  x <- tryCatch(
    suppressMessages(if (stats::runif(1) < 0.7) {
      monitor_equality(d, g, dt, "quarter", outcome = y, chart = "p")
    } else {
      monitor_equality(d, g, dt, "quarter", chart = "p")
    }),
    equityaudit_error = function(e) NULL
  )
  if (is.null(x)) {
    return(NULL)
  }
  s <- suppress_counts(x, rule)
  a <- attack_periods(tidy(s, "counts"), tidy(x, "counts"), rule)
  b <- a$bounds
  chk <- disclosure_check(s)
  hit <- match(paste(chk$row, chk$column), b$label)
  disagree <- sum(is.na(hit) & !is.na(chk$row)) +
    sum(!is.na(hit) & (chk$low != b$low[hit] | chk$high != b$high[hit]))
  list(
    cells = nrow(b), exact = sum(b$exact), narrowed = sum(b$narrowed),
    outside = sum(!b$inside), limit_leaks = attack_spc_leaks(s), disagree = disagree, error = 0
  )
}

# The p chart of each group's share and outcome, from the published counts
# of tidy(s, "counts") alone, against the published charts.
attack_spc_leaks <- function(s) {
  counts <- as.data.frame(tidy(s, "counts"))
  d <- as.data.frame(tidy(s))
  g <- attr(s, "group")
  pairs <- list(share = c("n", "period_n"), outcome = c("events", "outcome_n"))
  same <- function(a, b) (is.na(a) & is.na(b)) | (!is.na(a) & !is.na(b) & abs(a - b) < 1e-9)
  leaks <- 0
  for (m in intersect(names(pairs), as.character(d$measure))) {
    for (grp in unique(as.character(counts[[g]]))) {
      cr <- counts[as.character(counts[[g]]) == grp, ]
      dr <- d[d$measure == m & as.character(d[[g]]) == grp, ]
      den <- cr[[pairs[[m]][[2]]]]
      num <- pmin(cr[[pairs[[m]][[1]]]], den)
      shown <- !is.na(num) & !is.na(den) & den > 0
      p <- sum(num[shown]) / sum(den[shown])
      value <- ifelse(shown, 100 * num / den, NA)
      centre <- if (any(shown)) rep(100 * p, nrow(cr)) else rep(NA_real_, nrow(cr))
      ucl <- pmin(100, centre + 300 * sqrt(p * (1 - p) / den))
      ucl[is.na(den) | den == 0] <- NA
      leaks <- leaks + sum(!same(dr$numerator, cr[[pairs[[m]][[1]]]])) +
        sum(!same(dr$value, value)) + sum(!same(dr$centre, centre)) + sum(!same(dr$ucl, ucl))
    }
  }
  leaks
}
