# An attacker written apart from the package's disclosure code: it reads a
# suppressed result as a reader would (the counts, the percentages and
# their intervals, the "Total" rows, the rule named in the footnote),
# bounds every hidden count by integer programming with lpSolve, and tries
# to recover counts by inverting the published intervals. Used by
# test-attack.R and by tools/attack.R (`make attack`).

# The true counts that a published count v can stand for under the rule.
attack_range <- function(v, rule) {
  low <- if (rule == "opensafely") 0 else 1
  if (is.na(v)) {
    return(c(0, Inf)) # a starred count may be a zero starred to protect another
  }
  t <- max(0, v - 2):(v + 2)
  t <- t[floor(t / 5 + 0.5) * 5 == v & !(t >= low & t <= 7)]
  if (length(t) == 0) stop("the published count ", v, " is impossible under the rule")
  range(t)
}

# A model: variables with bounds and the true value, and equalities.
attack_model <- function(rule) {
  m <- new.env()
  m$rule <- rule
  m$lo <- m$hi <- m$truth <- numeric()
  m$label <- character()
  m$target <- logical()
  m$eqs <- list()
  m$prefix <- ""
  m
}

# A variable for a published (or starred: NA) count; hidden ones have no
# published value at all.
attack_var <- function(m, published, truth, label, hidden = FALSE) {
  r <- if (hidden) c(0, Inf) else attack_range(published, m$rule)
  m$lo <- c(m$lo, r[[1]])
  m$hi <- c(m$hi, r[[2]])
  m$truth <- c(m$truth, truth)
  m$label <- c(m$label, paste0(m$prefix, label))
  m$target <- c(m$target, hidden || is.na(published))
  length(m$lo)
}

# total = sum(parts)
attack_sum <- function(m, total, parts) {
  m$eqs[[length(m$eqs) + 1]] <- c(total, parts)
}

attack_bounds <- function(m) {
  n <- length(m$lo)
  rows <- list()
  k <- 0
  for (e in m$eqs) {
    k <- k + 1
    rows[[k]] <- cbind(k, e, c(1, rep(-1, length(e) - 1)))
  }
  n_eq <- k
  dir <- rep("=", n_eq)
  rhs <- rep(0, n_eq)
  for (i in seq_len(n)) {
    if (m$lo[[i]] > 0) {
      k <- k + 1
      rows[[k]] <- cbind(k, i, 1)
      dir <- c(dir, ">=")
      rhs <- c(rhs, m$lo[[i]])
    }
    if (is.finite(m$hi[[i]])) {
      k <- k + 1
      rows[[k]] <- cbind(k, i, 1)
      dir <- c(dir, "<=")
      rhs <- c(rhs, m$hi[[i]])
    }
  }
  dense <- do.call(rbind, rows)
  idx <- which(m$target)
  if (is.null(dense)) {
    return(data.frame(
      label = m$label[idx], truth = m$truth[idx], low = m$lo[idx],
      high = m$hi[idx], stringsAsFactors = FALSE
    ))
  }
  # every solution is a feasible table: a cell it shows at its own bound
  # needs no programme of its own for that bound (a shortcut shared, on
  # purpose, with disclosure_check(): it is exact, and it makes 10^4
  # report-sized attacks affordable)
  seen_lo <- rep(Inf, n)
  seen_hi <- rep(-Inf, n)
  solve1 <- function(i, direction) {
    bound <- if (direction == "min") m$lo[[i]] else m$hi[[i]]
    if ((direction == "min" && seen_lo[[i]] == bound) ||
        (direction == "max" && seen_hi[[i]] == bound)) {
      return(bound)
    }
    obj <- numeric(n)
    obj[[i]] <- 1
    fit <- lpSolve::lp(direction, obj,
      const.dir = dir, const.rhs = rhs, dense.const = dense, all.int = TRUE
    )
    if (fit$status == 3) {
      return(Inf)
    }
    stopifnot(fit$status == 0)
    if (fit$objval >= 1e29) {
      return(Inf)
    }
    sol <- round(fit$solution)
    seen_lo <<- pmin(seen_lo, sol)
    seen_hi <<- pmax(seen_hi, sol)
    round(fit$objval)
  }
  data.frame(
    label = m$label[idx], truth = m$truth[idx],
    low = vapply(idx, solve1, 0, "min"), high = vapply(idx, solve1, 0, "max"),
    stringsAsFactors = FALSE
  )
}

# Which attacked cells are given away: recovered exactly, or known more
# precisely than the rule's own range while they could be small.
attack_verdict <- function(b, rule) {
  low <- if (rule == "opensafely") 0 else 1
  small <- b$low <= 7 & b$high >= low
  b$exact <- small & b$low == b$high
  b$narrowed <- small & b$high - b$low < 7 - low
  b$inside <- b$truth >= b$low & b$truth <= b$high
  b
}

wilson <- function(e, n, conf = 0.95) {
  z <- stats::qnorm(1 - (1 - conf) / 2)
  p <- e / n
  mid <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
  100 * c(mid - half, mid + half)
}

# Wilson limits that do not fit the published counts were computed from
# other counts: the attacker pins the row to the counts (within the rule's
# ranges) that the limits fit, when only one pair does. Returns how many
# rows were pinned.
attack_limits <- function(m, n_var, e_var, n_pub, e_pub, low, high) {
  pinned <- 0
  for (i in seq_along(n_var)) {
    if (is.na(low[[i]]) || is.na(n_pub[[i]]) || is.na(e_pub[[i]])) next
    if (all(abs(wilson(e_pub[[i]], n_pub[[i]]) - c(low[[i]], high[[i]])) < 1e-9)) next
    fits <- NULL
    for (n in m$lo[n_var[[i]]]:m$hi[n_var[[i]]]) {
      for (e in m$lo[e_var[[i]]]:min(m$hi[e_var[[i]]], n)) {
        if (all(abs(wilson(e, n) - c(low[[i]], high[[i]])) < 1e-9)) fits <- rbind(fits, c(n, e))
      }
    }
    if (!is.null(fits) && nrow(fits) == 1) {
      m$lo[c(n_var[[i]], e_var[[i]])] <- m$hi[c(n_var[[i]], e_var[[i]])] <- fits[1, ]
      pinned <- pinned + 1
    }
  }
  pinned
}

# ---- attacks on each kind of result --------------------------------------

# Solve, unless the model is shared with other tables still to be added.
attack_result <- function(m, rule, leaks = 0) {
  if (isTRUE(m$shared)) {
    return(invisible(leaks))
  }
  list(bounds = attack_verdict(attack_bounds(m), rule), limit_leaks = leaks)
}

# The published table, the true one, and each row's stratum.
attack_frames <- function(s, x) {
  d <- as.data.frame(unclass(s), stringsAsFactors = FALSE)
  list(
    d = d, t = as.data.frame(unclass(x), stringsAsFactors = FALSE),
    by = attr(s, "by"), stratum = attack_strata(d, attr(s, "by"))
  )
}

# A row's stratum: its `by` values, and whether it is a pooled one (a
# stratum may be called "Total" as well).
attack_strata <- function(d, by) {
  cols <- c(lapply(d[by], as.character), if (!is.null(d$pooled)) list(d$pooled))
  if (length(cols) == 0) {
    return(rep("", nrow(d)))
  }
  do.call(paste, c(cols, sep = "\r"))
}

# `s` the published result, `x` the unsuppressed one (only for the truth).
attack_outcomes <- function(s, x, rule, m = attack_model(rule)) {
  d <- as.data.frame(unclass(s), stringsAsFactors = FALSE)
  t <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  rows <- seq_len(nrow(d))
  n <- e <- integer(nrow(d))
  for (i in rows) {
    n[[i]] <- attack_var(m, d$n[[i]], t$n[[i]], paste(i, "n"))
    e[[i]] <- attack_var(m, d$events[[i]], t$events[[i]], paste(i, "events"))
    no <- attack_var(m, NA, t$n[[i]] - t$events[[i]], paste(i, "n - events"), hidden = TRUE)
    attack_sum(m, n[[i]], c(e[[i]], no))
    attack_var(m, d$n_outcome_missing[[i]], t$n_outcome_missing[[i]], paste(i, "n_outcome_missing"))
  }
  pooled <- attr(s, "pooled_over")
  if (length(pooled) > 0) {
    total <- d$pooled
    keep <- setdiff(c(attr(s, "by"), attr(s, "group")), pooled)
    key <- do.call(paste, c(lapply(d[keep], as.character), sep = "\r"))
    for (i in which(total)) {
      parts <- which(!total & key == key[[i]])
      attack_sum(m, n[[i]], n[parts])
      attack_sum(m, e[[i]], e[parts])
    }
  }
  leaks <- attack_limits(m, n, e, d$n, d$events, d$pct_low, d$pct_high)
  attack_result(m, rule, leaks)
}

attack_cohort <- function(s, x, rule, m = attack_model(rule)) {
  f <- attack_frames(s, x)
  d <- f$d
  t <- f$t
  by <- f$by
  stratum <- f$stratum
  var <- rep(NA_integer_, nrow(d))
  for (i in seq_len(nrow(d))) var[[i]] <- attack_var(m, d$n[[i]], t$n[[i]], paste(i, "n"))
  known <- list()
  for (s_ in unique(stratum)) {
    in_s <- which(stratum == s_)
    people <- in_s[d$variable[in_s] == "people"]
    for (v in setdiff(unique(d$variable[in_s]), "people")) {
      lv <- in_s[d$variable[in_s] == v & !d$missing[in_s]]
      miss <- in_s[d$variable[in_s] == v & d$missing[in_s]]
      # the percentages give away their denominator, the known total
      pub <- which(!is.na(d$n[lv]) & !is.na(d$pct[lv]) & d$pct[lv] > 0)
      k_pub <- if (length(pub) > 0) round(100 * d$n[lv][pub[[1]]] / d$pct[lv][pub[[1]]]) else NA
      k <- attack_var(m, k_pub, sum(t$n[lv]), paste(s_, v, "known"), hidden = is.na(k_pub))
      if (!is.na(k_pub)) m$target[[k]] <- FALSE
      attack_sum(m, k, var[lv])
      attack_sum(m, var[[people]], c(k, var[miss]))
      known[[paste(s_, v, sep = "\n")]] <- k
    }
  }
  total <- if (!is.null(d$pooled)) d$pooled else rep(FALSE, nrow(d))
  if (any(total)) {
    key <- paste(d$variable, d$level, d$missing)
    for (i in which(total)) attack_sum(m, var[[i]], var[!total & key == key[[i]]])
    for (v in setdiff(unique(d$variable), "people")) {
      k_all <- unlist(known[grepl(paste0("\n", v, "$"), names(known))])
      k_total <- known[[paste(unique(stratum[total]), v, sep = "\n")]]
      attack_sum(m, k_total, setdiff(k_all, k_total))
    }
  }
  attack_result(m, rule)
}

attack_groups <- function(s, x, rule, m = attack_model(rule)) {
  f <- attack_frames(s, x)
  d <- f$d
  t <- groups_truth(d, f$t, f$by)
  by <- f$by
  stratum <- f$stratum
  cols <- c("n", "events", "ref_n", "ref_events")
  v <- matrix(0L, nrow(d), 4, dimnames = list(NULL, cols))
  for (i in seq_len(nrow(d))) {
    for (cl in cols) v[i, cl] <- attack_var(m, d[[cl]][[i]], t[[cl]][[i]], paste(i, cl))
    no <- attack_var(m, NA, t$n[[i]] - t$events[[i]], paste(i, "n - events"), TRUE)
    attack_sum(m, v[i, "n"], c(v[i, "events"], no))
    rno <- attack_var(m, NA, t$ref_n[[i]] - t$ref_events[[i]], paste(i, "ref_n - ref_events"), TRUE)
    attack_sum(m, v[i, "ref_n"], c(v[i, "ref_events"], rno))
  }
  for (s_ in unique(stratum)) {
    in_s <- which(stratum == s_)
    if (d$reference[in_s[[1]]] == "rest") {
      for (cl in c("n", "events")) {
        tot <- attack_var(m, NA, sum(t[[cl]][in_s]), paste(s_, "all", cl), TRUE)
        attack_sum(m, tot, v[in_s, cl])
        for (i in in_s) attack_sum(m, tot, c(v[i, cl], v[i, paste0("ref_", cl)]))
      }
    } else {
      for (cl in c("ref_n", "ref_events")) {
        for (i in in_s[-1]) attack_sum(m, v[in_s[[1]], cl], v[i, cl])
      }
    }
  }
  attack_result(m, rule)
}

# The true counts of each published row: a suppressed table's reference is
# chosen again from the published counts, so its rows are found by stratum
# and group, not by position.
groups_truth <- function(d, t, by) {
  if (identical(d$reference[1], "rest")) {
    return(t)
  }
  key <- function(f, g) paste(attack_strata(f, by), g, sep = "\n")
  grp <- names(d)[match("reference", names(d)) - 1]
  true_key <- c(key(t, t[[grp]]), key(t, t$reference))
  true_n <- c(t$n, t$ref_n)
  true_e <- c(t$events, t$ref_events)
  own <- match(key(d, d[[grp]]), true_key)
  ref <- match(key(d, d$reference), true_key)
  data.frame(n = true_n[own], events = true_e[own], ref_n = true_n[ref], ref_events = true_e[ref])
}

attack_access <- function(s, x, rule, m = attack_model(rule)) {
  f <- attack_frames(s, x)
  d <- f$d
  t <- f$t
  by <- f$by
  stratum <- f$stratum
  tested <- !d$missing
  for (side in list(c("n", "pct"), c("ref_n", "ref_pct"))) {
    cl <- side[[1]]
    pc <- side[[2]]
    v <- vapply(seq_len(nrow(d)), function(i) {
      attack_var(m, d[[cl]][[i]], t[[cl]][[i]], paste(i, cl))
    }, 0L)
    for (s_ in unique(stratum)) {
      in_s <- which(stratum == s_)
      denominator <- function(rows) {
        pub <- rows[!is.na(d[[cl]][rows]) & !is.na(d[[pc]][rows]) & d[[pc]][rows] > 0]
        if (length(pub) > 0) round(100 * d[[cl]][[pub[[1]]]] / d[[pc]][[pub[[1]]]]) else NA
      }
      k_pub <- denominator(in_s[tested[in_s]])
      k <- attack_var(m, k_pub, sum(t[[cl]][in_s[tested[in_s]]]), paste(s_, cl, "known"),
        hidden = is.na(k_pub)
      )
      if (!is.na(k_pub)) m$target[[k]] <- FALSE
      attack_sum(m, k, v[in_s[tested[in_s]]])
      miss <- in_s[!tested[in_s]]
      if (length(miss) > 0) {
        a_pub <- denominator(miss)
        a <- attack_var(m, a_pub, sum(t[[cl]][in_s]), paste(s_, cl, "all"), hidden = is.na(a_pub))
        if (!is.na(a_pub)) m$target[[a]] <- FALSE
        attack_sum(m, a, c(k, v[miss]))
      }
    }
  }
  attack_result(m, rule)
}

# disclosure_check() against the attacker: the same range for every cell
# both report. Returns the number of cells on which they disagree.
attack_agreement <- function(s, b) {
  chk <- disclosure_check(s)
  lab <- paste(chk$row, chk$column)
  hit <- match(lab, b$label)
  sum(is.na(hit) & !is.na(chk$row)) +
    sum(!is.na(hit) & (chk$low != b$low[hit] | chk$high != b$high[hit]))
}

# Random inputs for each kind ------------------------------------------------

attack_case <- function(kind, rule) {
  n_s <- sample(1:3, 1)
  n_g <- sample(2:4, 1)
  lambda <- stats::runif(1, 2, 40)
  groups <- paste0("g", seq_len(n_g))
  d <- expand.grid(g = groups, s = LETTERS[seq_len(n_s)], stringsAsFactors = FALSE)
  d$n <- stats::rpois(nrow(d), lambda)
  d$e <- stats::rbinom(nrow(d), d$n, stats::runif(1, 0.05, 0.95))
  strata <- if (n_s > 1) "s"
  x <- switch(kind,
    outcomes = suppressMessages(compare_outcomes(d[d$n > 0, ], g,
      by = strata, events = e, total = n, exact = "never"
    )),
    groups = compare_groups(d[d$n > 0, ], g,
      by = strata, events = e, total = n,
      ref_group = sample(list(NULL, "rest"), 1)[[1]]
    ),
    cohort = {
      d$g[sample(nrow(d), 1)] <- NA
      describe_cohort(d, g, by = strata, weight = n)
    },
    access = {
      ref <- d
      ref$n <- stats::rpois(nrow(d), lambda * 10)
      compare_access(d, g, ref, by = strata, weight = n, ref_count = "n")
    },
    counts = tabulate_groups(d, g, s, weight = n)
  )
  list(x = x, s = suppress_counts(x, rule))
}

attack_one <- function(kind, rule) {
  if (kind == "report") {
    return(attack_report_one(rule))
  }
  if (kind == "measures") {
    return(attack_measures_one(rule))
  }
  case <- tryCatch(attack_case(kind, rule), equityaudit_error = function(e) NULL)
  if (is.null(case)) {
    return(NULL)
  }
  fun <- switch(kind,
    outcomes = attack_outcomes, groups = attack_groups, cohort = attack_cohort,
    access = attack_access, counts = function(s, x, rule) {
      m <- attack_model(rule)
      for (i in seq_len(nrow(s))) attack_var(m, s$n[[i]], x$n[[i]], paste(i, "n"))
      list(bounds = attack_verdict(attack_bounds(m), rule), limit_leaks = 0)
    }
  )
  a <- fun(case$s, case$x, rule)
  b <- a$bounds
  list(
    cells = nrow(b), exact = sum(b$exact), narrowed = sum(b$narrowed),
    outside = sum(!b$inside), limit_leaks = a$limit_leaks,
    disagree = attack_agreement(case$s, b), error = 0
  )
}

attack_tally <- function(kind, rule, n) {
  res <- lapply(seq_len(n), function(i) {
    tryCatch(attack_one(kind, rule), error = function(e) {
      message(kind, " ", rule, ": ", conditionMessage(e))
      list(cells = 0, exact = 0, narrowed = 0, outside = 0, limit_leaks = 0, disagree = 0, error = 1)
    })
  })
  res <- do.call(rbind, lapply(Filter(Negate(is.null), res), as.data.frame))
  data.frame(
    kind = kind, rule = rule, tables = nrow(res), hidden_cells = sum(res$cells),
    recovered_exactly = sum(res$exact), narrowed = sum(res$narrowed),
    truth_outside = sum(res$outside), limits_inverted = sum(res$limit_leaks),
    check_disagrees = sum(res$disagree), errors = sum(res$error, na.rm = TRUE)
  )
}

# ---- the report's tables, attacked together --------------------------------

# A random person-level data set and the tables equity_report() publishes
# (with strata = gender, as the demo report has).
report_case <- function(rule) {
  n_s <- sample(1:3, 1)
  groups <- paste0("g", seq_len(sample(2:4, 1)))
  size <- sample(20:150, 1)
  d <- data.frame(
    s = sample(LETTERS[seq_len(n_s)], size, TRUE),
    g = sample(c(groups, NA), size, TRUE, prob = c(stats::runif(length(groups)), 0.05)),
    h = sample(c("F", "M", NA), size, TRUE, prob = c(0.5, 0.5, sample(c(0, 0.04), 1))),
    y = stats::runif(size) < stats::runif(1, 0.1, 0.9)
  )
  d$y[stats::runif(size) < 0.03] <- NA
  # services with and without people of unknown group or gender: the
  # tables must agree in shape either way
  first <- match(unique(d$s), d$s)
  if (stats::runif(1) < 0.5) d$g[first] <- NA
  if (stats::runif(1) < 0.5) d$h[first] <- NA
  ref <- expand.grid(s = LETTERS[seq_len(n_s)], g = c(groups, NA), stringsAsFactors = FALSE)
  ref$n <- stats::rpois(nrow(ref), 200) + 1
  x <- list(
    cohort = describe_cohort(d, c(g, h), by = s),
    access = compare_access(d, g, ref, by = s),
    outcomes = suppressMessages(compare_outcomes(d, g, y, by = s, strata = h, exact = "never")),
    groups = compare_groups(d, g, y, by = c(s, h))
  )
  # the true tables in the published shape (empty rows where another
  # table shows a stratum or group with nobody)
  x <- equityaudit:::align_shapes(x)
  list(x = x, s = suppress_counts(x, rule))
}

attack_report <- function(s, x, rule) {
  m <- attack_model(rule)
  m$shared <- TRUE
  funs <- list(cohort = attack_cohort, access = attack_access,
               outcomes = attack_outcomes, groups = attack_groups)
  leaks <- 0
  for (t in names(s)) {
    m$prefix <- paste0(t, ":")
    leaks <- leaks + funs[[t]](s[[t]], x[[t]], rule, m)
  }
  var <- function(t, i, col) match(paste0(t, ":", i, " ", col), m$label)
  d <- lapply(s, function(t) as.data.frame(unclass(t), stringsAsFactors = FALSE))
  lab <- function(v) ifelse(is.na(v), "<NA>", as.character(v))
  o <- d$outcomes
  # a missing gender is a stratum labelled "Not known" in the outcome table
  h_unknown <- setdiff(unique(o$h), c("F", "M"))
  people <- function(rows) c(vapply(rows, var, 0L, t = "outcomes", col = "n"),
                             vapply(rows, var, 0L, t = "outcomes", col = "n_outcome_missing"))
  co <- d$cohort
  for (i in seq_len(nrow(co))) {
    in_s <- o$s == co$s[[i]]
    rows <- which(in_s & switch(co$variable[[i]],
      people = TRUE,
      g = if (co$missing[[i]]) o$missing else lab(o$g) == co$level[[i]] & !o$missing,
      h = if (co$missing[[i]]) o$h %in% h_unknown else o$h == co$level[[i]]
    ))
    # no rows: the outcome table's shape says nobody
    attack_sum(m, var("cohort", i, "n"), people(rows))
  }
  ac <- d$access
  for (i in seq_len(NROW(ac))) {
    rows <- which(o$s == ac$s[[i]] & lab(o$g) == lab(ac$g[[i]]))
    attack_sum(m, var("access", i, "n"), people(rows))
  }
  gr <- d$groups
  o_key <- paste(o$s, o$h, lab(o$g))
  for (i in seq_len(nrow(gr))) {
    own <- which(o_key == paste(gr$s[[i]], gr$h[[i]], gr$g[[i]]))
    ref <- which(o_key == paste(gr$s[[i]], gr$h[[i]], gr$reference[[i]]))
    attack_sum(m, var("groups", i, "n"), var("outcomes", own, "n"))
    attack_sum(m, var("groups", i, "events"), var("outcomes", own, "events"))
    attack_sum(m, var("groups", i, "ref_n"), var("outcomes", ref, "n"))
    attack_sum(m, var("groups", i, "ref_events"), var("outcomes", ref, "events"))
  }
  # a known group of a stratum that the group table does not compare (as
  # itself or as the reference) would be a group with nobody in it
  g_keys <- c(paste(gr$s, gr$h, gr$g), paste(gr$s, gr$h, gr$reference))
  for (i in which(!o$missing & !o$pooled & !o_key %in% g_keys)) {
    attack_sum(m, var("outcomes", i, "n"), integer())
  }
  list(bounds = attack_verdict(attack_bounds(m), rule), limit_leaks = leaks)
}

attack_report_one <- function(rule) {
  case <- tryCatch(report_case(rule), equityaudit_error = function(e) NULL)
  if (is.null(case)) {
    return(NULL)
  }
  a <- attack_report(case$s, case$x, rule)
  b <- a$bounds
  chk <- disclosure_check(case$s)
  hit <- match(paste0(chk$table, ":", chk$row, " ", chk$column), b$label)
  disagree <- sum(is.na(hit) & !is.na(chk$row)) +
    sum(!is.na(hit) & (chk$low != b$low[hit] | chk$high != b$high[hit]))
  list(
    cells = nrow(b), exact = sum(b$exact), narrowed = sum(b$narrowed),
    outside = sum(!b$inside), limit_leaks = a$limit_leaks, disagree = disagree, error = 0
  )
}

# ---- inequality measures ----------------------------------------------------

# The measures of a suppressed outcome table, against those of a table
# typed in from its published counts: equal measures and intervals carry
# nothing the counts do not, so the counts' attack bounds every cell. Any
# number that differs is counted with the inverted limits.
attack_measures_one <- function(rule) {
  case <- tryCatch(attack_case("outcomes", rule), equityaudit_error = function(e) NULL)
  if (is.null(case)) {
    return(NULL)
  }
  s <- case$s
  pub <- as.data.frame(unclass(s), stringsAsFactors = FALSE)
  pub <- pub[!pub$missing & !is.na(pub$n) & !is.na(pub$events), ]
  by <- if ("s" %in% names(pub)) "s"
  typed <- if (nrow(pub) > 0) {
    suppressMessages(compare_outcomes(pub, g,
      by = by, events = events, total = n, exact = "never", pooled = FALSE
    ))
  }
  seed <- sample.int(1e6, 1)
  measures <- function(x) {
    set.seed(seed)
    suppressMessages(suppressWarnings(inequality_measures(x, sims = 20)))
  }
  m_s <- measures(s)
  a <- attack_outcomes(s, case$x, rule)
  b <- a$bounds
  differ <- if (is.null(typed)) {
    nrow(m_s)
  } else {
    m_t <- measures(typed)
    key <- function(m) paste(if (is.null(by)) "" else m[[by]], m$measure)
    hit <- match(key(m_s), key(m_t))
    equal <- function(u, v) {
      (is.na(u) & is.na(v)) | (!is.na(u) & !is.na(v) & (u == v | abs(u - v) <= 1e-9))
    }
    same <- !is.na(hit) & equal(m_s$value, m_t$value[hit]) &
      equal(m_s$low, m_t$low[hit]) & equal(m_s$high, m_t$high[hit])
    sum(!same) + sum(!key(m_t) %in% key(m_s))
  }
  list(
    cells = nrow(b), exact = sum(b$exact), narrowed = sum(b$narrowed),
    outside = sum(!b$inside), limit_leaks = a$limit_leaks + differ,
    disagree = attack_agreement(s, b), error = 0
  )
}
