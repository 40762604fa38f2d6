# Benchmark: compare_services() and compare_periods() on 10^7 records
# against the base-R way, measured in the same run. Run with `make bench`.
# 1000 services; the base-R way is table() of the records and then the same
# statistics computed from the table (funnel limits with qbinom()/qpois(),
# shares by quarter with prop.trend.test() per group).
suppressPackageStartupMessages(library(equityaudit))

n <- as.numeric(Sys.getenv("EA_BENCH_N", "1e7"))
n_services <- 1000
groups <- c("White", "Asian", "Black", "Mixed", "Other")
set.seed(1)
df <- data.frame(
  service = factor(sample.int(n_services, n, TRUE), labels = sprintf("S%04d", seq_len(n_services))),
  ethnicity = factor(sample.int(5, n, TRUE, prob = c(0.5, 0.2, 0.15, 0.08, 0.07)), labels = groups),
  date = as.Date("2019-01-01") + sample.int(3 * 365, n, TRUE) - 1L,
  employed = sample(c(TRUE, FALSE), n, TRUE, prob = c(0.35, 0.65))
)
population <- expand.grid(
  ethnicity = factor(groups, levels = groups),
  service = factor(sprintf("S%04d", seq_len(n_services)))
)
population$n <- stats::rpois(nrow(population), 2000 * c(0.45, 0.2, 0.17, 0.1, 0.08))

spiegelhalter <- function(size, target, p, quantile, cdf, density) {
  r <- quantile(p, size, target)
  (r - (cdf(r, size, target) - p) / density(r, size, target)) / size
}
base_services_outcome <- function(df) {
  tab <- table(df$service, df$ethnicity, df$employed)
  yes <- tab[, , "TRUE"]
  size <- yes + tab[, , "FALSE"]
  target <- colSums(yes) / colSums(size)
  lapply(seq_along(target), function(g) {
    lim <- sapply(c(0.001, 0.025, 0.975, 0.999), function(p) {
      spiegelhalter(size[, g], target[[g]], p, stats::qbinom, stats::pbinom, stats::dbinom)
    })
    cbind(pct = yes[, g] / size[, g], lim)
  })
}
base_services_ratio <- function(df) {
  tab <- table(df$service, df$ethnicity)
  ref <- tapply(population$n, list(population$service, population$ethnicity), sum)
  expected <- rowSums(tab) * ref / rowSums(ref)
  lapply(seq_len(ncol(tab)), function(g) {
    lim <- sapply(c(0.001, 0.025, 0.975, 0.999), function(p) {
      e <- expected[, g]
      r <- stats::qpois(p, e)
      (r - (stats::ppois(r, e) - p) / stats::dpois(r, e)) / e
    })
    cbind(ratio = tab[, g] / expected[, g], lim)
  })
}
base_periods <- function(df) {
  q <- paste(format(df$date, "%Y"), quarters(df$date))
  tab <- table(q, df$ethnicity)
  ev <- table(q, df$ethnicity, df$employed)
  lapply(seq_len(ncol(tab)), function(g) {
    list(
      stats::prop.trend.test(tab[, g], rowSums(tab)),
      stats::prop.trend.test(ev[, g, "TRUE"], ev[, g, "TRUE"] + ev[, g, "FALSE"])
    )
  })
}

time_it <- function(expr, times) {
  f <- function() eval(expr, parent.frame(2))
  secs <- vapply(seq_len(times), function(i) system.time(f())[["elapsed"]], 0)
  stats::median(secs)
}
times <- as.integer(Sys.getenv("EA_BENCH_TIMES", "3"))
rows <- list(
  c("compare_services(), outcome %", time_it(quote(compare_services(df, ethnicity, unit = service, outcome = employed)), times),
    time_it(quote(base_services_outcome(df)), times)),
  c("compare_services(), ratio", time_it(quote(compare_services(df, ethnicity, unit = service, reference = population)), times),
    time_it(quote(base_services_ratio(df)), times)),
  c("compare_services(), ratio, overdispersion", time_it(quote(compare_services(df, ethnicity, unit = service,
    reference = population, overdispersion = TRUE)), times), NA),
  c("compare_periods(), quarters, outcome", time_it(quote(compare_periods(df, ethnicity, date,
    outcome = employed)), times), time_it(quote(base_periods(df)), times))
)
out <- data.frame(
  task = vapply(rows, `[[`, "", 1),
  equityaudit_s = round(as.numeric(vapply(rows, `[[`, "", 2)), 3),
  base_r_s = round(as.numeric(vapply(rows, `[[`, "", 3)), 3)
)
out$speedup <- round(out$base_r_s / out$equityaudit_s, 1)
cat(sprintf("%s records, %d services (median of %d runs):\n", format(n, big.mark = ","), n_services, times))
print(out, row.names = FALSE)
