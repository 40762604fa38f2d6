# Benchmark: national-scale audits (issue #23), every goal beside its peers
# measured in the same run, with the ratio. Run with `make bench`.
#   1. counting character columns: against reading them once, collapse and
#      data.table;
#   2. threads: one against two, and the 10^8-record audit;
#   3. every verb against the counting itself, from 10^5 to 10^7 records
#      and from 10 to 10^5 groups;
#   4. chi-square of 10^5 strata from a data frame, and exact 2 x k tests,
#      against chisq.test() loops and fisher.test().
# EA_BENCH_MAX_RECORDS (default 1e8) caps the largest data set (10^8
# records need about 3 GB); EA_BENCH_LIMIT (default 60) is the seconds a
# verb may run before it is reported as "timeout".
suppressPackageStartupMessages(library(equityaudit))
has_dt <- requireNamespace("data.table", quietly = TRUE)
has_collapse <- requireNamespace("collapse", quietly = TRUE)
max_records <- as.numeric(Sys.getenv("EA_BENCH_MAX_RECORDS", "1e8"))
limit <- as.numeric(Sys.getenv("EA_BENCH_LIMIT", "60"))

source("bench/timing.R")

rows <- list()
# one line of the table: the goal, our time, the peers' times, and the ratio
# the goal is about (with whether it is met)
add <- function(case, goal, ours, peers = list(), ratio = NA_real_, ratio_of = "", met = NA) {
  peer_txt <- paste(vapply(names(peers), function(n) paste0(n, " ", fmt_s(peers[[n]])), ""),
    collapse = "; "
  )
  row <- data.frame(
    case = case, goal = goal, ours_s = fmt_s(ours), peers_s = peer_txt,
    ratio = if (is.na(ratio)) "" else paste0(formatC(ratio, digits = 3, format = "g"), "x ", ratio_of),
    met = if (is.na(met)) "" else if (met) "yes" else "NO"
  )
  rows[[length(rows) + 1]] <<- row
  print(row, row.names = FALSE, right = FALSE)
}
with_threads <- function(n, f) {
  old <- options(equityaudit.threads = n)
  on.exit(options(old))
  f()
}

# ---- 1. character columns ---------------------------------------------------
n <- min(1e7, max_records)
set.seed(1)
chr <- data.frame(
  service = sample(sprintf("S%02d", 1:50), n, TRUE),
  ethnicity = sample(c("White", "Asian", "Black", "Mixed", "Other", "", " "), n, TRUE),
  gender = sample(c("Male", "Female", "Unknown"), n, TRUE),
  age_band = sample(c("up to 25", "26-40", "41-55", "over 55"), n, TRUE),
  employed = sample(c("yes", "no"), n, TRUE)
)
cols <- names(chr)
floor_read <- timed(function() for (cl in cols) anyNA(chr[[cl]]))
ours <- timed(function() tabulate_groups(chr, cols))
peers <- list(`read once (anyNA)` = floor_read)
if (has_collapse) peers$`collapse::fcount` <- timed(function() collapse::fcount(chr, cols = cols))
if (has_dt) {
  dt <- data.table::as.data.table(chr)
  peers$data.table <- timed(function() dt[, .N, by = c(cols)])
}
peer_best <- min(vapply(peers[-1], function(p) p$s, 0), Inf, na.rm = TRUE)
add(
  sprintf("tabulate_groups(), %g records x 5 character columns", n),
  "<= 5x reading once; ahead of collapse and data.table", ours, peers,
  ours$s / floor_read$s, "reading once",
  ours$s <= 5 * floor_read$s && ours$s < peer_best
)
rm(chr, dt)
invisible(gc())

# ---- 2. threads --------------------------------------------------------------
n <- min(3e7, max_records)
set.seed(2)
fac <- data.frame(
  service = factor(sample.int(50, n, TRUE)),
  ethnicity = factor(sample.int(6, n, TRUE)),
  gender = factor(sample.int(3, n, TRUE)),
  age_band = factor(sample.int(4, n, TRUE)),
  employed = sample(c(TRUE, FALSE), n, TRUE)
)
one <- with_threads(1, function() timed(function() tabulate_groups(fac, names(fac))))
two <- with_threads(2, function() timed(function() tabulate_groups(fac, names(fac))))
peers <- list(`1 thread` = one)
if (has_collapse) peers$`collapse::fcount` <- timed(function() collapse::fcount(fac, cols = names(fac)))
add(
  sprintf("tabulate_groups(), %g records x 5 factors, 2 threads", n),
  ">= 1.5x faster than 1 thread", two, peers, one$s / two$s, "speed-up",
  one$s / two$s >= 1.5
)
rm(fac)
invisible(gc())

audit_records <- function(n) {
  set.seed(1)
  data.frame(
    service = factor(sample.int(1000, n, TRUE), labels = sprintf("S%04d", 1:1000)),
    ethnicity = factor(sample.int(5, n, TRUE, prob = c(0.5, 0.2, 0.15, 0.08, 0.07)),
      labels = c("White", "Asian", "Black", "Mixed", "Other")
    ),
    employed = sample(c(TRUE, FALSE), n, TRUE, prob = c(0.35, 0.65))
  )
}
n <- min(1e8, max_records)
df <- audit_records(n)
audit <- function() suppressMessages(compare_outcomes(df, ethnicity, employed, by = service, exact = "never"))
ours <- timed(audit, 3)
peers <- list(`1 thread` = with_threads(1, function() timed(audit, 3)))
if (has_collapse) {
  peers$`collapse::fcount (counting only)` <- timed(function() {
    collapse::fcount(df, cols = c("service", "ethnicity", "employed"))
  }, 3)
}
add(
  sprintf("compare_outcomes(), %g records, 1000 services, 2 threads", n),
  "< 0.3 s", ours, peers, ours$s / peers[[1]]$s, "of 1 thread", ours$s < 0.3
)
rm(df)
invisible(gc())

# ---- 3. every verb against counting ------------------------------------------
people <- function(n, groups) {
  set.seed(3)
  data.frame(
    g = factor(sample.int(groups, n, TRUE)),
    e = sample(c(TRUE, FALSE), n, TRUE, prob = c(0.35, 0.65)),
    s = factor(sample(c("A", "B"), n, TRUE)),
    date = as.Date("2019-01-01") + sample.int(365, n, TRUE)
  )
}
verbs <- list(
  compare_outcomes = function(d) compare_outcomes(d, g, e, by = s, exact = "never"),
  compare_groups = function(d) compare_groups(d, g, e, by = s),
  compare_periods = function(d) compare_periods(d, g, date, period = "month", outcome = e),
  compare_services = function(d) compare_services(d, g, unit = s, outcome = e),
  detectable_difference = function(d) detectable_difference(compare_outcomes(d, g, e, exact = "never")),
  inequality_measures = function(d) inequality_measures(compare_outcomes(d, g, e, exact = "never")),
  suppress_counts = function(d) suppress_counts(compare_outcomes(d, g, e, by = s, exact = "never")),
  report_tables = function(d) report_tables(d, g, e, by = s, date = date)
)
grid <- data.frame(
  records = c(1e5, 1e6, 1e7, 1e6, 1e6),
  groups = c(1e3, 1e3, 1e3, 10, 1e5)
)
grid <- grid[grid$records <= max_records, ]
growth <- list()
for (i in seq_len(nrow(grid))) {
  d <- people(grid$records[[i]], grid$groups[[i]])
  count <- timed(function() tabulate_groups(d, c(g, e), by = s), 3)
  times <- vapply(names(verbs), function(v) {
    r <- timed(function() suppressMessages(verbs[[v]](d)), 1, limit)
    if (r$status == "ok") r$s else NA_real_
  }, 0)
  growth[[i]] <- data.frame(
    records = format(grid$records[[i]], scientific = TRUE),
    groups = format(grid$groups[[i]], scientific = TRUE),
    verb = c("counting", names(verbs)), seconds = c(count$s, times),
    ratio_to_counting = c(1, times / count$s)
  )
}
growth <- do.call(rbind, growth)
cat("\nEvery verb against counting the same records (seconds; NA: over", limit, "s)\n")
growth$at <- paste0(growth$records, " x ", growth$groups)
wide <- reshape(growth[, c("verb", "at", "seconds")],
  idvar = "verb", timevar = "at", direction = "wide"
)
names(wide) <- sub("^seconds\\.", "", names(wide))
print(format(wide, digits = 3), row.names = FALSE)
at_goal <- growth[growth$records == "1e+06" & growth$groups == "1e+05" & growth$verb != "counting", ]
for (j in seq_len(nrow(at_goal))) {
  r <- at_goal[j, ]
  add(
    sprintf("%s, 10^6 records, 10^5 groups", r$verb), "<= 40x counting",
    list(s = r$seconds, status = if (is.na(r$seconds)) "timeout" else "ok"),
    ratio = r$ratio_to_counting, ratio_of = "counting",
    met = !is.na(r$ratio_to_counting) && r$ratio_to_counting <= 40
  )
}

# ---- 4. strata and exact tests ------------------------------------------------
set.seed(4)
K <- 1e5
arr <- array(stats::rpois(2 * 5 * K, 20), c(2, 5, K))
long <- data.frame(
  row = rep(1:2, 5 * K), col = rep(rep(1:5, each = 2), K),
  k = rep(seq_len(K), each = 10), n = as.vector(arr)
)
loop <- timed(function() {
  for (s in seq_len(1e4)) suppressWarnings(stats::chisq.test(arr[, , s], correct = FALSE))
}, 1)
loop$s <- loop$s * K / 1e4
ours <- timed(function() chisq_strata(long, row, col, by = k))
add(
  "chisq_strata(df, row, col, by = k), 10^5 2x5 strata", "< 0.1 s and >= 50x a chisq.test() loop",
  ours, list(`chisq.test loop (10^4 strata, x10)` = loop), loop$s / ours$s, "faster than the loop",
  ours$s < 0.1 && loop$s / ours$s >= 50
)

exact_case <- function(ev, tot, label, goal, seconds) {
  x <- rbind(ev, tot - ev)
  ours <- timed(function() {
    set.seed(1)
    equityaudit:::exact_p_values(
      array(as.integer(ev), c(length(ev), 1, 1)),
      array(as.integer(tot), c(length(ev), 1, 1))
    )
  }, 3)
  fisher <- timed(function() stats::fisher.test(x, workspace = 2e8)$p.value, 1, limit)
  res <- ours$value
  add(label, sprintf("%s; method: %s, p %.7g%s; fisher.test p %s", goal, res$method, res$p,
    if (!is.na(res$se)) sprintf(" (se %.2g)", res$se) else "",
    if (fisher$status == "ok") sprintf("%.7g", fisher$value) else fisher$status
  ), ours, list(`fisher.test(workspace = 2e8)` = fisher),
  fisher$s / ours$s, "faster than fisher.test",
  ours$s < seconds && res$method == "exact"
  )
}
tot <- c(6, 3000, 3000, 3000, 3000, 3000)
set.seed(5)
exact_case(c(3, stats::rbinom(5, 3000, 0.3)), tot, "exact 2x6, a group of 6 beside five of 3,000", "< 1 s", 1)
ev <- seq(10, 80, 10)
exact_case(ev, ev + c(20, 30, 10, 50, 40, 70, 60, 80), "exact 2x8, n = 720", "< 0.1 s", 0.1)
shape <- c(278, 191, 127, 59, 59, 40, 30, 20)
rate <- c(0.33, 0.38, 0.32, 0.34, 0.37, 0.30, 0.40, 0.25)
tot <- round(shape / sum(shape) * 7140)
exact_case(round(tot * rate), tot, "exact 2x8, n = 7140", "exact or certified to 1e-9 in < 2 s, else simulated", 2)

cat("\nIssue #23 benchmark (median elapsed seconds; peers measured in this run):\n")
print(do.call(rbind, rows), row.names = FALSE, right = FALSE)
