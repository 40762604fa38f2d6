# Benchmark: a full equality audit of 1000 services at 10^5 to 10^8
# records. Run with `make bench-scale` (10^8 records need about 3 GB).
# For each size: seconds, records per second and peak R memory of the
# audit (tabulation; access per service against the eligible population;
# outcomes by service within men and women, with the CMH test across
# services), and the same audit the base-R way (split + table +
# chisq.test per service) up to 10^7 records. Then 10^5 strata of
# chi-square in one stacked call.
suppressPackageStartupMessages(library(equityaudit))

sizes <- as.numeric(strsplit(Sys.getenv("EA_SCALE_SIZES", "1e5,1e6,1e7,1e8"), ",")[[1]])
base_max <- as.numeric(Sys.getenv("EA_SCALE_BASE_MAX", "1e7"))
n_services <- 1000
groups <- c("White", "Asian", "Black", "Mixed", "Other")

make_records <- function(n) {
  set.seed(1)
  data.frame(
    service = factor(sample.int(n_services, n, TRUE), labels = sprintf("S%04d", seq_len(n_services))),
    ethnicity = factor(sample.int(5, n, TRUE, prob = c(0.5, 0.2, 0.15, 0.08, 0.07)), labels = groups),
    gender = factor(sample.int(2, n, TRUE), labels = c("Male", "Female")),
    employed = sample(c(TRUE, FALSE), n, TRUE, prob = c(0.35, 0.65))
  )
}

population <- expand.grid(
  ethnicity = factor(groups, levels = groups),
  service = factor(sprintf("S%04d", seq_len(n_services)))
)
set.seed(2)
population$n <- stats::rpois(nrow(population), 2000 * c(0.45, 0.2, 0.17, 0.1, 0.08))

audit <- function(df) {
  counts <- tabulate_groups(df, c("service", "ethnicity", "gender", "employed"))
  access <- compare_access(df, ethnicity, population, by = service)
  outcomes <- suppressMessages(compare_outcomes(df, ethnicity, employed,
    by = service, strata = gender, exact = "never"
  ))
  list(counts, access, outcomes, tidy(outcomes, "cmh"))
}

base_audit <- function(df) {
  parts <- split(df, df$service)
  lapply(names(parts), function(s) {
    d <- parts[[s]]
    pop <- population$n[population$service == s]
    acc <- suppressWarnings(stats::chisq.test(rbind(table(d$ethnicity), pop), correct = FALSE))
    out <- lapply(split(d, d$gender), function(g) {
      suppressWarnings(stats::chisq.test(table(g$ethnicity, g$employed), correct = FALSE))
    })
    mh <- tryCatch(stats::mantelhaen.test(table(d$ethnicity, d$employed, d$gender)),
      error = function(e) NULL
    )
    list(acc, out, mh)
  })
}

# seconds (median of `times`) and peak R memory above the start, in MB
measure <- function(f, df, times) {
  secs <- numeric(times)
  peak <- 0
  for (t in seq_len(times)) {
    invisible(gc(reset = TRUE))
    before <- sum(gc()[, 2])
    secs[t] <- system.time(res <- f(df))[["elapsed"]]
    rm(res)
    peak <- max(peak, sum(gc()[, 6]) - before)
  }
  c(seconds = stats::median(secs), peak_mb = peak)
}

rows <- list()
for (n in sizes) {
  df <- make_records(n)
  input_mb <- as.numeric(utils::object.size(df)) / 2^20
  times <- if (n >= 1e8) 3 else 5
  m <- measure(audit, df, times)
  b <- if (n <= base_max) measure(base_audit, df, if (n >= 1e7) 1 else 3) else c(NA, NA)
  rows[[length(rows) + 1]] <- data.frame(
    records = format(n, scientific = TRUE), input_mb = round(input_mb),
    audit_s = round(m[["seconds"]], 3),
    records_per_s = format(n / m[["seconds"]], digits = 3, scientific = TRUE),
    peak_mb = round(m[["peak_mb"]], 1), peak_pct_of_input = round(100 * m[["peak_mb"]] / input_mb, 1),
    base_r_s = round(b[[1]], 2), speedup = round(b[[1]] / m[["seconds"]], 1)
  )
  print(rows[[length(rows)]], row.names = FALSE)
  rm(df)
  invisible(gc())
}
cat("\nFull audit of", n_services, "services:\n")
print(do.call(rbind, rows), row.names = FALSE)

# 10^5 strata of 2 x 5 chi-square tests in one stacked call
set.seed(3)
arr <- array(stats::rpois(2 * 5 * 1e5, 20), c(2, 5, 1e5))
res <- chisq_strata(arr)
st <- vapply(1:10, function(i) system.time(chisq_strata(arr))[["elapsed"]], 0)
cat(sprintf(
  "\n10^5 strata of 2 x 5 chi-square in one call: median %.3f s (min %.3f, max %.3f)\n",
  stats::median(st), min(st), max(st)
))

# Publishing the outcomes of 1000 services with small counts suppressed
# (primary and secondary suppression, then the disclosure check)
df <- make_records(as.numeric(Sys.getenv("EA_SCALE_SUPPRESS_N", "1e6")))
res <- suppressMessages(compare_outcomes(df, ethnicity, employed,
  by = service, strata = gender, exact = "never"
))
ss <- system.time(published <- suppress_counts(res))[["elapsed"]]
# the verdicts only: exact ranges of every cell take an integer programme
# each over the whole linked table (see ?disclosure_check)
sc <- system.time(chk <- disclosure_check(published, bounds = "verdict"))[["elapsed"]]
cat(sprintf(
  "\nsuppress_counts() on %d rows (%d starred): %.2f s; disclosure_check(bounds = "verdict"): %.2f s, protected: %s\n",
  nrow(res), sum(is.na(published$n) | is.na(published$events)), ss, sc, attr(chk, "protected")
))
