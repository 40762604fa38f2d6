# The independent attacker's attacks on each kind of result (see
# helper-attack.R for the model and the solver), and the random tables
# of each kind it attacks.

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
  n <- e <- miss <- integer(nrow(d))
  for (i in rows) {
    n[[i]] <- attack_var(m, d$n[[i]], t$n[[i]], paste(i, "n"))
    e[[i]] <- attack_var(m, d$events[[i]], t$events[[i]], paste(i, "events"))
    no <- attack_var(m, NA, t$n[[i]] - t$events[[i]], paste(i, "n - events"), hidden = TRUE)
    attack_sum(m, n[[i]], c(e[[i]], no))
    miss[[i]] <- attack_var(m, d$n_outcome_missing[[i]], t$n_outcome_missing[[i]], paste(i, "n_outcome_missing"))
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
      attack_sum(m, miss[[i]], miss[parts])
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
    counts = tabulate_groups(d, c(g, s), weight = n, complete = TRUE)
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
  if (kind == "spc") {
    return(attack_spc_one(rule))
  }
  if (kind %in% c("services", "periods", "combined")) {
    return(attack_joint_one(kind, rule))
  }
  if (kind %in% c("marginal_combined", "periods_outcomes", "quarter_year", "detailed_broad")) {
    return(attack_shape_one(kind, rule))
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
  res <- do.call(rbind, lapply(Filter(Negate(is.null), res), function(r) as.data.frame(r[c(
    "cells", "exact", "narrowed", "outside", "limit_leaks", "disagree", "error"
  )])))
  data.frame(
    kind = kind, rule = rule, tables = nrow(res), hidden_cells = sum(res$cells),
    recovered_exactly = sum(res$exact), narrowed = sum(res$narrowed),
    truth_outside = sum(res$outside), limits_inverted = sum(res$limit_leaks),
    check_disagrees = sum(res$disagree), errors = sum(res$error, na.rm = TRUE)
  )
}

