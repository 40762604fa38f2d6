# Attacks on sets of tables of the same people suppressed together: a
# cohort table beside a services table (funnels), a periods table, or an
# outcome table of combined groups (helper-attack.R has the model and the
# solver). The attacker links the tables by who they count, as finely as
# the data allow: the people a table leaves out of a place the other shows
# (no date, outcome not known, a combination with an unknown part) are
# hidden counts of their own, tied to every total they belong to.

# A variable the attacker knows exactly (a public reference population).
attack_public <- function(m, truth, label) {
  m$lo <- c(m$lo, truth)
  m$hi <- c(m$hi, truth)
  m$truth <- c(m$truth, truth)
  m$label <- c(m$label, paste0(m$prefix, label))
  m$target <- c(m$target, FALSE)
  length(m$lo)
}

attack_find <- function(m, label) {
  i <- match(label, m$label)
  if (is.na(i)) stop("no variable ", label)
  i
}

# ---- a services table ---------------------------------------------------------

attack_services <- function(s, x, rule, m = attack_model(rule)) {
  f <- attack_frames(s, x)
  d <- f$d
  t <- f$t
  ratio <- identical(attr(s, "measure"), "ratio")
  rows <- seq_len(nrow(d))
  n <- vapply(rows, function(i) attack_var(m, d$n[[i]], t$n[[i]], paste(i, "n")), 0L)
  if (ratio) {
    sn <- vapply(rows, function(i) attack_var(m, d$service_n[[i]], t$service_n[[i]], paste(i, "service_n")), 0L)
    for (i in rows) {
      attack_public(m, t$ref_n[[i]], paste(i, "ref_n"))
      attack_public(m, t$service_ref_n[[i]], paste(i, "service_ref_n"))
    }
    for (s_ in unique(f$stratum)) {
      in_s <- which(f$stratum == s_)
      for (i in in_s) attack_sum(m, sn[[i]], n[in_s])
    }
  } else {
    for (i in rows) {
      e <- attack_var(m, d$events[[i]], t$events[[i]], paste(i, "events"))
      no <- attack_var(m, NA, t$n[[i]] - t$events[[i]], paste(i, "n - events"), hidden = TRUE)
      attack_sum(m, n[[i]], c(e, no))
    }
  }
  attack_result(m, rule, funnel_disagreements(d, attr(s, "group"), ratio))
}

# The funnels of a published services table computed again, by the
# documented method (Spiegelhalter 2005, exact limits), from its published
# counts alone: each z-score, target, limit or flag that differs was
# computed from something else. Returns how many differ.
funnel_disagreements <- function(d, group, ratio) {
  if (ratio) {
    used <- !is.na(d$n) & !is.na(d$service_n) & !is.na(d$ref_n) & !is.na(d$service_ref_n)
    size <- ifelse(used, d$service_n * d$ref_n / d$service_ref_n, NA)
    est <- d$n / size
    target <- rep(1, nrow(d))
    z <- (sqrt(est) - 1) * 2 * sqrt(size)
  } else {
    used <- !is.na(d$n) & !is.na(d$events)
    size <- ifelse(used, d$n, NA)
    est <- d$events / size
    key <- as.character(d[[group]])
    pooled <- tapply(ifelse(used, d$events, 0), key, sum) / tapply(ifelse(used, d$n, 0), key, sum)
    target <- unname(pooled[key])
    z <- (asin(sqrt(est)) - asin(sqrt(target))) * 2 * sqrt(size)
  }
  ok <- is.finite(size) & size > 0 & is.finite(est)
  z[!ok] <- NA
  lim <- t(vapply(seq_len(nrow(d)), function(i) {
    if (!ok[[i]] || !is.finite(target[[i]])) return(rep(NA_real_, 4))
    vapply(c(0.001, 0.025, 0.975, 0.999), function(p) {
      if (ratio) {
        lambda <- size[[i]] * target[[i]]
        r <- stats::qpois(p, lambda)
        a <- (stats::ppois(r, lambda) - p) / stats::dpois(r, lambda)
        max((r - a) / size[[i]], 0)
      } else {
        r <- stats::qbinom(p, size[[i]], target[[i]])
        a <- (stats::pbinom(r, size[[i]], target[[i]]) - p) / stats::dbinom(r, size[[i]], target[[i]])
        min(max((r - a) / size[[i]], 0), 1)
      }
    }, 0)
  }, numeric(4)))
  scale <- if (ratio) 1 else 100
  flag <- ifelse(!ok, NA, ifelse(est < lim[, 1], "low (99.8%)", ifelse(est < lim[, 2], "low (95%)",
    ifelse(est > lim[, 4], "high (99.8%)", ifelse(est > lim[, 3], "high (95%)", "within"))
  )))
  same <- function(u, v) (is.na(u) & is.na(v)) | (!is.na(u) & !is.na(v) & abs(u - v) <= 1e-9 * pmax(1, abs(v)))
  has_target <- ok & is.finite(target)
  sum(!same(d$z_score, z)) +
    sum(!same(d$target[has_target], scale * target[has_target])) +
    sum(!same(d$lower_998, scale * lim[, 1])) + sum(!same(d$lower_95, scale * lim[, 2])) +
    sum(!same(d$upper_95, scale * lim[, 3])) + sum(!same(d$upper_998, scale * lim[, 4])) +
    sum(xor(is.na(d$flag), is.na(flag)) | (!is.na(flag) & as.character(d$flag) != flag), na.rm = TRUE)
}

# ---- a periods table -----------------------------------------------------------

attack_periods <- function(s, x, rule, m = attack_model(rule)) {
  d <- as.data.frame(unclass(s), stringsAsFactors = FALSE)
  t <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  rows <- seq_len(nrow(d))
  n <- vapply(rows, function(i) attack_var(m, d$n[[i]], t$n[[i]], paste(i, "n")), 0L)
  pn <- vapply(rows, function(i) attack_var(m, d$period_n[[i]], t$period_n[[i]], paste(i, "period_n")), 0L)
  period <- as.character(d$period)
  for (p in unique(period)) {
    in_p <- which(period == p)
    for (i in in_p) attack_sum(m, pn[[i]], n[in_p])
  }
  if (!is.null(d$outcome_n)) {
    for (i in rows) {
      k <- attack_var(m, d$outcome_n[[i]], t$outcome_n[[i]], paste(i, "outcome_n"))
      e <- attack_var(m, d$events[[i]], t$events[[i]], paste(i, "events"))
      no <- attack_var(m, NA, t$outcome_n[[i]] - t$events[[i]], paste(i, "outcome_n - events"), TRUE)
      miss <- attack_var(m, d$n_outcome_missing[[i]], t$n_outcome_missing[[i]], paste(i, "n_outcome_missing"))
      attack_sum(m, k, c(e, no))
      attack_sum(m, n[[i]], c(k, miss))
    }
  }
  attack_result(m, rule)
}

# ---- random sets ----------------------------------------------------------------

# People of 1-3 services in groups g (a share `unknown_group` unknown) and
# genders h (unknown with a chance of 1 in 2, then a share
# `unknown_gender`), with an outcome y (a share `missing_outcome` unknown)
# and, with `dates`, a date dt (some missing). Returns the people, the
# services and the groups.
random_people <- function(unknown_group, unknown_gender, missing_outcome, dates = FALSE) {
  n_s <- sample(1:3, 1)
  groups <- paste0("g", seq_len(sample(2:4, 1)))
  size <- sample(20:150, 1)
  d <- data.frame(
    s = sample(LETTERS[seq_len(n_s)], size, TRUE),
    g = sample(c(groups, NA), size, TRUE, prob = c(stats::runif(length(groups)), unknown_group)),
    h = sample(c("F", "M", NA), size, TRUE, prob = c(0.5, 0.5, sample(c(0, unknown_gender), 1))),
    y = stats::runif(size) < stats::runif(1, 0.1, 0.9)
  )
  if (dates) d$dt <- as.Date("2024-01-01") + sample(0:364, size, TRUE)
  d$y[stats::runif(size) < missing_outcome] <- NA
  if (dates) d$dt[stats::runif(size) < 0.05] <- NA
  list(d = d, services = LETTERS[seq_len(n_s)], groups = groups)
}

joint_case <- function(kind, rule) {
  d <- random_people(0.06, 0.06, 0.05, dates = TRUE)$d
  by <- if (length(unique(d$s)) > 1 && stats::runif(1) < 0.7) "s"
  x <- switch(kind,
    services = {
      cohort <- describe_cohort(d, g, by = s)
      services <- if (stats::runif(1) < 0.5) {
        ref <- expand.grid(s = unique(d$s), g = unique(stats::na.omit(d$g)), stringsAsFactors = FALSE)
        ref$n <- stats::rpois(nrow(ref), 200) + 1
        compare_services(d, g, unit = s, reference = ref, ref_count = n)
      } else {
        compare_services(d, g, unit = s, outcome = y)
      }
      list(cohort = cohort, services = services)
    },
    periods = list(
      cohort = describe_cohort(d, g, by = by),
      periods = if (stats::runif(1) < 0.5) {
        compare_periods(d, g, dt, "quarter")
      } else {
        compare_periods(d, g, dt, "quarter", outcome = y)
      }
    ),
    combined = list(
      cohort = describe_cohort(d, c(g, h), by = by),
      outcomes = suppressMessages(compare_outcomes(d, c(g, h), y, by = by, exact = "never"))
    )
  )
  x <- equityaudit:::align_shapes(x)
  list(x = x, s = suppress_counts(x, rule), d = d)
}

# The stratum of each cohort row, as the cohort's attacker labels it.
cohort_stratum <- function(co) attack_strata(co, intersect("s", names(co)))

# The stratum of a row of another table, labelled as the cohort's.
joint_stratum <- function(o, co) {
  if ("s" %in% names(co)) attack_strata(o, "s") else rep(cohort_stratum(co)[[1]], nrow(o))
}

# The people of the person-level data `d` in cohort row j's stratum.
stratum_people <- function(d, co, j) {
  if (!"s" %in% names(co) || isTRUE(co$pooled[[j]])) d else d[d$s == co$s[[j]], , drop = FALSE]
}

attack_joint <- function(kind, s, x, d, rule) {
  m <- attack_model(rule)
  m$shared <- TRUE
  m$prefix <- "cohort:"
  attack_cohort(s$cohort, x$cohort, rule, m)
  other <- setdiff(names(s), "cohort")
  m$prefix <- paste0(other, ":")
  leaks <- switch(kind,
    services = attack_services(s[[other]], x[[other]], rule, m),
    periods = attack_periods(s[[other]], x[[other]], rule, m),
    combined = attack_outcomes(s[[other]], x[[other]], rule, m)
  )
  m$prefix <- "links:"
  co <- as.data.frame(unclass(s$cohort), stringsAsFactors = FALSE)
  o <- as.data.frame(unclass(s[[other]]), stringsAsFactors = FALSE)
  var <- function(t, i, col) attack_find(m, paste0(t, ":", i, " ", col))
  known <- function(i, v) attack_find(m, paste0("cohort:", cohort_stratum(co)[[i]], " ", v, " known"))
  switch(kind,
    services = link_services(m, co, o, d, var, known),
    periods = link_periods(m, co, o, d, var, known),
    combined = link_combined(m, co, o, d, var)
  )
  list(bounds = attack_verdict(attack_bounds(m), rule), limit_leaks = leaks)
}

# Each cohort row of a service and known group is that group's row of the
# services table: the same people (ratio), or those of them whose outcome
# is known and those whose outcome is not (hidden).
link_services <- function(m, co, o, d, var, known) {
  ratio <- !is.null(o$service_n)
  for (i in seq_len(nrow(o))) {
    j <- which(co$s == o$s[[i]] & !co$pooled & co$variable == "g" & !co$missing & co$level == o$g[[i]])
    if (length(j) != 1) stop("no cohort row for services row ", i)
    if (ratio) {
      attack_sum(m, var("cohort", j, "n"), var("services", i, "n"))
      attack_sum(m, known(j, "g"), var("services", i, "service_n"))
    } else {
      truth <- sum(d$s == o$s[[i]] & d$g %in% o$g[[i]] & is.na(d$y))
      rest <- attack_var(m, NA, truth, paste(i, "outcome missing"), hidden = TRUE)
      attack_sum(m, var("cohort", j, "n"), c(var("services", i, "n"), rest))
    }
  }
}

# A known group's people in the cohort (of all services) are its people of
# each period and those with no date (hidden); the people of known group,
# each period's people and the no-date people of every group.
link_periods <- function(m, co, o, d, var, known) {
  all <- if ("s" %in% names(co)) which(co$pooled) else seq_len(nrow(co))
  no_date <- integer()
  for (lv in unique(o$g)) {
    j <- all[co$variable[all] == "g" & !co$missing[all] & co$level[all] == lv]
    rows <- which(o$g == lv)
    nd <- attack_var(m, NA, sum(d$g %in% lv & is.na(d$dt)), paste(lv, "no date"), hidden = TRUE)
    no_date <- c(no_date, nd)
    attack_sum(m, var("cohort", j, "n"), c(vapply(rows, var, 0L, t = "periods", col = "n"), nd))
  }
  first <- match(unique(as.character(o$period)), as.character(o$period))
  people <- all[co$variable[all] == "people"]
  attack_sum(m, known(people, "g"), c(vapply(first, var, 0L, t = "periods", col = "period_n"), no_date))
}

# The combinations of two variables against their margins, stratum by
# stratum: the people of a known value of one are those of its
# combinations with a known value of the other, and those with the other
# unknown; the attacker gives each combination with an unknown part a
# hidden count of its own, so that the outcome table's "not known" row
# holds them all and each cohort row of a missing value those with that
# part unknown.
link_combined <- function(m, co, o, d, var) {
  stratum <- cohort_stratum(co)
  o_stratum <- joint_stratum(o, co)
  people <- function(r) c(vapply(r, var, 0L, t = "outcomes", col = "n"),
                          vapply(r, var, 0L, t = "outcomes", col = "n_outcome_missing"))
  for (st in unique(stratum)) {
    rows_c <- which(stratum == st)
    rows_o <- which(o_stratum == st)
    p <- stratum_people(d, co, rows_c[[1]])
    lv <- function(v) co$level[rows_c][co$variable[rows_c] == v & !co$missing[rows_c]]
    cells <- rbind(
      data.frame(g = lv("g"), h = rep(NA, length(lv("g")))),
      data.frame(g = rep(NA, length(lv("h"))), h = lv("h")),
      data.frame(g = NA, h = NA)
    )
    hidden <- vapply(seq_len(nrow(cells)), function(k) {
      has <- function(v) if (is.na(cells[[v]][[k]])) is.na(p[[v]]) else p[[v]] %in% cells[[v]][[k]]
      truth <- sum(has("g") & has("h"))
      attack_var(m, NA, truth, paste(st, cells$g[[k]], cells$h[[k]]), hidden = TRUE)
    }, 0L)
    unknown_row <- rows_o[o$missing[rows_o]]
    known_rows <- rows_o[!o$missing[rows_o]]
    all_unknown <- attack_var(m, NA, sum(m$truth[hidden]), paste(st, "unknown part"), hidden = TRUE)
    attack_sum(m, all_unknown, hidden)
    attack_sum(m, all_unknown, people(unknown_row))
    for (j in rows_c[co$variable[rows_c] %in% c("g", "h")]) {
      v <- co$variable[[j]]
      w <- setdiff(c("g", "h"), v)
      mine <- if (co$missing[[j]]) {
        is.na(cells[[v]])
      } else {
        cells[[v]] %in% co$level[[j]] & is.na(cells[[w]])
      }
      rows <- if (co$missing[[j]]) integer() else known_rows[o[[v]][known_rows] %in% co$level[[j]]]
      attack_sum(m, var("cohort", j, "n"), c(people(rows), hidden[mine]))
    }
    people_row <- rows_c[co$variable[rows_c] == "people"]
    attack_sum(m, var("cohort", people_row, "n"), people(rows_o))
  }
}

attack_joint_one <- function(kind, rule) {
  case <- tryCatch(joint_case(kind, rule), equityaudit_error = function(e) NULL)
  if (is.null(case)) {
    return(NULL)
  }
  a <- attack_joint(kind, case$s, case$x, case$d, rule)
  b <- a$bounds
  chk <- disclosure_check(case$s)
  # the reference population is public: the attacker knows it exactly
  chk <- chk[!chk$column %in% c("ref_n", "service_ref_n"), ]
  hit <- match(paste0(chk$table, ":", chk$row, " ", chk$column), b$label)
  disagree <- sum(is.na(hit) & !is.na(chk$row)) +
    sum(!is.na(hit) & (chk$low != b$low[hit] | chk$high != b$high[hit]))
  list(
    cells = nrow(b), exact = sum(b$exact), narrowed = sum(b$narrowed),
    outside = sum(!b$inside), limit_leaks = a$limit_leaks, disagree = disagree, error = 0
  )
}
