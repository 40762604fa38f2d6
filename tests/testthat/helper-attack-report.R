# Attacks on tables published together: the report's four tables, and
# the inequality measures of a suppressed table (helper-attack.R has the
# model and the solver).

# A random person-level data set and the tables equity_report() publishes
# (with strata = gender, as the demo report has).
report_case <- function(rule) {
  people <- random_people(0.05, 0.04, 0.03)
  d <- people$d
  groups <- people$groups
  # services with and without people of unknown group or gender: the
  # tables must agree in shape either way
  first <- match(unique(d$s), d$s)
  if (stats::runif(1) < 0.5) d$g[first] <- NA
  if (stats::runif(1) < 0.5) d$h[first] <- NA
  ref <- expand.grid(s = people$services, g = c(groups, NA), stringsAsFactors = FALSE)
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
