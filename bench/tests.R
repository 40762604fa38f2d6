# Benchmark: the statistical tests at scale, each beside its peers measured
# in the same run (base R's chisq.test(), fisher.test() and
# mantelhaen.test(), and collapse where it applies). Run with `make bench`.
# Prints one row per case: the goal, our median seconds, each peer's, and
# the p-values where they can be compared. EA_BENCH_MAX_RECORDS (default
# 1e8) caps the largest audit; 10^8 records need about 3 GB.
suppressPackageStartupMessages(library(equityaudit))
has_collapse <- requireNamespace("collapse", quietly = TRUE)
max_records <- as.numeric(Sys.getenv("EA_BENCH_MAX_RECORDS", "1e8"))
peer_limit <- as.numeric(Sys.getenv("EA_BENCH_PEER_LIMIT", "120"))

source("bench/timing.R")

rows <- list()
add <- function(case, goal, ours, peers, note = "") {
  peer_txt <- paste(
    vapply(names(peers), function(n) paste0(n, " ", fmt_s(peers[[n]])), ""),
    collapse = "; "
  )
  rows[[length(rows) + 1]] <<- data.frame(
    case = case, goal = goal, ours_s = fmt_s(ours), peers_s = peer_txt, note = note
  )
  print(rows[[length(rows)]], row.names = FALSE, right = FALSE)
}

# ---- compare_outcomes() on 10^7 and 10^8 records, 1000 services --------
make_records <- function(n) {
  set.seed(1)
  data.frame(
    service = factor(sample.int(1000, n, TRUE), labels = sprintf("S%04d", 1:1000)),
    ethnicity = factor(sample.int(5, n, TRUE, prob = c(0.5, 0.2, 0.15, 0.08, 0.07)),
      labels = c("White", "Asian", "Black", "Mixed", "Other")
    ),
    employed = sample(c(TRUE, FALSE), n, TRUE, prob = c(0.35, 0.65))
  )
}
ours_outcomes <- function(df) {
  suppressMessages(compare_outcomes(df, ethnicity, employed, by = service, exact = "never"))
}
base_outcomes <- function(df) {
  tab <- table(df$ethnicity, df$employed, df$service)
  lapply(seq_len(dim(tab)[[3]]), function(s) {
    suppressWarnings(stats::chisq.test(tab[, , s], correct = FALSE)$p.value)
  })
}
split_outcomes <- function(df) {
  lapply(split(df, df$service), function(d) {
    suppressWarnings(stats::chisq.test(table(d$ethnicity, d$employed), correct = FALSE)$p.value)
  })
}
collapse_outcomes <- function(df) {
  cnt <- collapse::fcount(df, service, ethnicity, employed)
  lapply(split(cnt, cnt$service), function(d) {
    x <- stats::xtabs(N ~ ethnicity + employed, d)
    suppressWarnings(stats::chisq.test(x, correct = FALSE)$p.value)
  })
}
mem_peak <- function(f, df) {
  invisible(gc(reset = TRUE))
  before <- sum(gc()[, 2])
  f(df)
  sum(gc()[, 6]) - before
}
for (n in c(1e7, 1e8)) {
  if (n > max_records) next
  df <- make_records(n)
  ours <- timed(function() ours_outcomes(df), times = if (n >= 1e8) 3 else 5)
  peak <- mem_peak(ours_outcomes, df)
  peers <- list(`table+chisq.test` = timed(function() base_outcomes(df), 1, peer_limit))
  if (n <= 1e7) {
    peers$`split+table+chisq.test` <- timed(function() split_outcomes(df), 1, peer_limit)
  }
  if (has_collapse) {
    peers$`collapse::fcount+chisq.test` <- timed(function() collapse_outcomes(df), 3, peer_limit)
  }
  add(
    sprintf("compare_outcomes(), %g records, 1000 services", n),
    if (n >= 1e8) "keep 0.55 s, +3 MB" else "keep 0.064 s", ours, peers,
    sprintf("peak R memory +%.0f MB", peak)
  )
  rm(df)
  invisible(gc())
}

# ---- chisq_strata() on 10^5 2 x 5 strata ----------------------------------
set.seed(3)
K <- 1e5
arr <- array(stats::rpois(2 * 5 * K, 20), c(2, 5, K))
long <- data.frame(
  row = rep(1:2, 5 * K), col = rep(rep(1:5, each = 2), K),
  k = rep(seq_len(K), each = 10), n = as.vector(arr)
)
chisq_loop <- function(m) {
  for (s in seq_len(m)) suppressWarnings(stats::chisq.test(arr[, , s], correct = FALSE))
}
loop <- timed(function() chisq_loop(1e4), 1, peer_limit)
loop$s <- loop$s * K / 1e4
peers <- list(`chisq.test loop (10^4 strata, x10)` = loop)
if (has_collapse) {
  peers$`collapse::fsum+vectorised X^2` <- timed(function() {
    tot <- collapse::fsum(long$n, long$k)
    r <- collapse::fsum(long$n, list(long$k, long$row))
    cc <- collapse::fsum(long$n, list(long$k, long$col))
    e <- r[(long$k - 1) * 2 + long$row] * cc[(long$k - 1) * 5 + long$col] / tot[long$k]
    stats::pchisq(collapse::fsum((long$n - e)^2 / e, long$k), 4, lower.tail = FALSE)
  })
}
add(
  "chisq_strata(df, row, col, by = k), 10^5 2x5 strata", "< 0.1 s",
  timed(function() chisq_strata(long, row, col, by = k)), peers
)
add(
  "chisq_strata() on the same as a 3-d array", "keep 0.084 s",
  timed(function() chisq_strata(arr)), peers[1]
)

# ---- exact 2 x 8 tests ----------------------------------------------------
exact_case <- function(ev, tot, label, goal, fisher_times = 1) {
  x <- rbind(ev, tot - ev)
  ours <- timed(function() {
    set.seed(1)
    equityaudit:::exact_p_values(
      array(as.integer(ev), c(length(ev), 1, 1)),
      array(as.integer(tot), c(length(ev), 1, 1))
    )
  })
  fisher <- timed(function() stats::fisher.test(x, workspace = 2e8)$p.value,
    fisher_times, peer_limit
  )
  mc <- timed(function() {
    set.seed(1)
    stats::fisher.test(x, simulate.p.value = TRUE, B = 1e5)$p.value
  }, 1, peer_limit)
  chisq <- timed(function() suppressWarnings(stats::chisq.test(x)$p.value))
  res <- ours$value
  add(label, goal, ours,
    list(
      `fisher.test(workspace = 2e8)` = fisher,
      `fisher.test(simulate, B = 1e5)` = mc, chisq.test = chisq
    ),
    sprintf(
      "%s p %.7g%s; fisher.test p %s; simulated %s; chi-square %.3g",
      res$method, res$p,
      if (!is.na(res$se)) sprintf(" (se %.2g)", res$se) else "",
      if (fisher$status == "ok") sprintf("%.7g", fisher$value) else fisher$status,
      if (mc$status == "ok") sprintf("%.4g", mc$value) else mc$status, chisq$value
    )
  )
}
ev <- seq(10, 80, 10)
exact_case(ev, ev + c(20, 30, 10, 50, 40, 70, 60, 80), "exact 2x8, n = 720", "exact, < 0.1 s")
shape <- c(278, 191, 127, 59, 59, 40, 30, 20)
rate <- c(0.33, 0.38, 0.32, 0.34, 0.37, 0.30, 0.40, 0.25)
tot <- round(shape / sum(shape) * 7140)
exact_case(round(tot * rate), tot, "exact 2x8, n = 7140", "exact or certified to 1e-9, < 2 s")

# ---- many groups -----------------------------------------------------------
set.seed(2)
G <- 1e4
many <- data.frame(
  g = sprintf("g%05d", rep(seq_len(G), each = 5)),
  s = rep(c("a", "b"), length.out = 5 * G),
  o = stats::runif(5 * G) < 0.3
)
tab <- table(many$g, many$o)
add(
  "compare_outcomes(), 10^4 groups, 5x10^4 rows", "< 1 s",
  timed(function() suppressMessages(compare_outcomes(many, g, o))),
  list(chisq.test = timed(function() suppressWarnings(stats::chisq.test(tab)$p.value)),
    `chisq.test(simulate, B = 2000)` = timed(function() {
      suppressWarnings(stats::chisq.test(tab, simulate.p.value = TRUE)$p.value)
    }, 1, peer_limit))
)
tab3 <- table(many$g, many$o, many$s)
ours <- timed(function() cmh_test(many, g, o, across = s))
# mantelhaen.test() spends its time in compiled code that R's time limit
# cannot stop: run it in a child process under `timeout`
in_child <- function(expr_text, data, limit) {
  if (!nzchar(Sys.which("timeout"))) {
    return(list(s = NA_real_, value = "skipped", status = "skipped"))
  }
  input <- tempfile(fileext = ".rds")
  output <- tempfile(fileext = ".rds")
  saveRDS(data, input)
  code <- sprintf(
    paste0(
      "x <- readRDS('%s'); t0 <- proc.time()[[3]]; v <- %s; ",
      "saveRDS(list(s = proc.time()[[3]] - t0, value = v), '%s')"
    ),
    input, expr_text, output
  )
  status <- system2("timeout", c(limit, file.path(R.home("bin"), "Rscript"), "-e", shQuote(code)),
    stdout = FALSE, stderr = FALSE
  )
  if (!file.exists(output)) {
    return(list(s = NA_real_, value = "timeout", status = if (status == 124) "timeout" else "error"))
  }
  res <- readRDS(output)
  list(s = res$s, value = res$value, status = "ok")
}
mh <- in_child("stats::mantelhaen.test(x)$p.value", tab3, peer_limit)
add(
  "cmh_test(), 10^4 groups, 2 strata", "< 1 s, interruptible", ours,
  list(mantelhaen.test = mh),
  sprintf(
    "p %.6g; mantelhaen.test p %s", ours$value$p_value,
    if (mh$status == "ok") sprintf("%.6g", mh$value) else mh$status
  )
)

cat("\nIssue #15 benchmark (median elapsed seconds; peers measured in this run):\n")
print(do.call(rbind, rows), row.names = FALSE, right = FALSE)
