# Benchmark: suppression at national scale (issue #31), each case beside
# the analysis it suppresses, CPU seconds in the same run. Run with
# `make bench-suppress`.
#   1. compare_outcomes() of 1,000 services x 2 strata x 5 groups at 10^5
#      and 10^6 records, with even and with skewed group shares;
#   2. 2 services x 10^4 and 10^5 groups (10^6 records);
#   3. report_tables() of 10^3 groups at 10^5 records, every table
#      suppressed together;
#   4. describe_cohort() of 4,000 and 47,000 one-person groups;
#   5. compare_outcomes(exact = "auto") of 2 x 10^4 and 10^5 one-person
#      groups against exact = "never".
# The goal: suppression at most 20 times the analysis (cases 1-2), the
# report in under 60 s, the cohort of 47,000 one-person groups in under
# 10 s. EA_BENCH_LIMIT (default 600) is the seconds a step may run before
# it is reported as "timeout"; EA_BENCH_CASES ("1,2,3,4,5") picks cases.
suppressPackageStartupMessages(library(equityaudit))
limit <- as.numeric(Sys.getenv("EA_BENCH_LIMIT", "600"))
cases <- as.integer(strsplit(Sys.getenv("EA_BENCH_CASES", "1,2,3,4,5"), ",")[[1]])

# CPU seconds of f() (user + system of this process), or NA on timeout
cpu <- function(f) {
  setTimeLimit(cpu = limit, elapsed = limit * 2, transient = TRUE)
  on.exit(setTimeLimit(cpu = Inf, elapsed = Inf))
  t0 <- proc.time()
  value <- tryCatch(f(), error = function(e) structure(conditionMessage(e), class = "bench_failure"))
  t <- proc.time() - t0
  list(s = if (inherits(value, "bench_failure")) NA_real_ else t[["user.self"]] + t[["sys.self"]],
       value = value, status = if (inherits(value, "bench_failure")) unclass(value) else "ok")
}

rows <- list()
report <- function(case, analysis, suppression, goal, met) {
  fmt <- function(x) if (is.na(x$s)) substr(x$status, 1, 30) else formatC(x$s, digits = 3, format = "g")
  row <- data.frame(
    case = case, analysis_s = fmt(analysis), suppression_s = fmt(suppression),
    ratio = if (is.na(analysis$s) || is.na(suppression$s)) "" else
      paste0(formatC(suppression$s / max(analysis$s, 1e-3), digits = 3, format = "g"), "x"),
    goal = goal, met = if (isTRUE(met)) "yes" else "NO"
  )
  rows[[length(rows) + 1]] <<- row
  print(row, row.names = FALSE, right = FALSE)
}

services_records <- function(n, shares, n_services = 1000) {
  set.seed(31)
  groups <- c("White", "Asian", "Black", "Mixed", "Other")
  data.frame(
    service = sprintf("S%04d", sample.int(n_services, n, TRUE)),
    ethnicity = factor(sample.int(5, n, TRUE, prob = shares), levels = 1:5, labels = groups),
    sex = sample(c("Female", "Male"), n, TRUE),
    employed = stats::runif(n) < 0.35
  )
}

if (1 %in% cases) {
  for (n in c(1e5, 1e6)) {
    for (shares in list(even = rep(0.2, 5), skewed = c(0.6, 0.2, 0.1, 0.07, 0.03))) {
      d <- services_records(n, shares)
      label <- sprintf("outcomes 1000 services x 2 strata x 5 groups, %g records, %s",
        n, if (shares[[1]] == 0.2) "even" else "skewed")
      a <- cpu(function() suppressMessages(compare_outcomes(d, ethnicity, employed,
        by = c(service, sex), exact = "never")))
      s <- cpu(function() suppress_counts(a$value, "nhs_digital"))
      report(label, a, s, "<= 20x", !is.na(s$s) && s$s <= 20 * max(a$s, 0.05))
    }
  }
}

if (2 %in% cases) {
  for (g in c(1e4, 1e5)) {
    set.seed(32)
    n <- 1e6
    d <- data.frame(
      service = sample(c("A", "B"), n, TRUE),
      group = sprintf("G%06d", sample.int(g, n, TRUE)),
      employed = stats::runif(n) < 0.4
    )
    a <- cpu(function() suppressMessages(compare_outcomes(d, group, employed, by = service, exact = "never")))
    s <- cpu(function() suppress_counts(a$value, "nhs_digital"))
    report(sprintf("outcomes 2 services x %g groups, 10^6 records", g), a, s,
      "<= 20x", !is.na(s$s) && s$s <= 20 * max(a$s, 0.05))
  }
}

if (3 %in% cases) {
  set.seed(33)
  n <- 1e5
  groups <- sprintf("G%04d", 1:1000)
  d <- data.frame(
    service = sample(c("North", "South"), n, TRUE),
    group = factor(sample(groups, n, TRUE, prob = stats::rexp(1000)), levels = groups),
    sex = sample(c("Female", "Male"), n, TRUE),
    start = as.Date("2024-04-01") + sample.int(365, n, TRUE) - 1L,
    employed = stats::runif(n) < 0.35
  )
  pop <- expand.grid(service = c("North", "South"), group = groups, stringsAsFactors = FALSE)
  pop$n <- stats::rpois(nrow(pop), 400)
  a <- cpu(function() suppressMessages(report_tables(d, group, employed,
    by = service, reference = pop, ref_count = n, date = start, suppress = "none")))
  s <- cpu(function() suppressMessages(report_tables(d, group, employed,
    by = service, reference = pop, ref_count = n, date = start, suppress = "nhs_digital")))
  report("report_tables() 10^3 groups, 10^5 records (suppressed run in total)", a, s,
    "< 60 s", !is.na(s$s) && s$s < 60)
}

if (4 %in% cases) {
  for (g in c(4000, 47000)) {
    d <- data.frame(group = sprintf("P%06d", seq_len(g)), service = rep(c("A", "B"), length.out = g))
    a <- cpu(function() describe_cohort(d, group))
    s <- cpu(function() suppress_counts(a$value, "nhs_digital"))
    report(sprintf("describe_cohort() of %d one-person groups", g), a, s,
      if (g > 10000) "< 10 s" else "", g < 10000 || (!is.na(s$s) && s$s < 10))
  }
}

if (5 %in% cases) {
  for (g in c(2e4, 1e5)) {
    set.seed(35)
    d <- data.frame(group = sprintf("P%06d", seq_len(g)), y = stats::runif(g) < 0.5)
    never <- cpu(function() suppressMessages(compare_outcomes(d, group, y, exact = "never")))
    auto <- cpu(function() suppressMessages(compare_outcomes(d, group, y)))
    report(sprintf("compare_outcomes() %g one-person groups: exact = \"auto\" against \"never\"", g),
      never, auto, "<= 20x", !is.na(auto$s) && auto$s <= 20 * max(never$s, 0.05))
  }
}

cat("\nSuppression beside the analysis (CPU seconds):\n")
print(do.call(rbind, rows), row.names = FALSE, right = FALSE)
