# Benchmark: counting 10^7 records by five columns.
# Run with `make bench`. Prints median seconds, ratio to tabulate_groups()
# and memory allocated by R for each method. The floor reads every value
# of every column once: sum() of the factor codes, or anyNA() of the
# character columns (which reads each string pointer without copying).
suppressPackageStartupMessages({
  library(equityaudit)
  library(bench)
})
has_dt <- requireNamespace("data.table", quietly = TRUE)
has_collapse <- requireNamespace("collapse", quietly = TRUE)

n <- as.integer(Sys.getenv("EA_BENCH_N", "1e7"))
set.seed(1)
fac <- data.frame(
  service = factor(sample(sprintf("S%02d", 1:50), n, TRUE)),
  ethnicity = factor(sample(c("White", "Asian", "Black", "Mixed", "Other", "Unknown"), n, TRUE)),
  gender = factor(sample(c("Male", "Female", "Unknown"), n, TRUE)),
  age_band = factor(sample(c("up to 25", "26-40", "41-55", "over 55"), n, TRUE)),
  employed = factor(sample(c("yes", "no"), n, TRUE))
)
chr <- as.data.frame(lapply(fac, as.character))
cols <- names(fac)

run <- function(df, label) {
  dt <- if (has_dt) data.table::as.data.table(df)
  codes <- lapply(df, unclass) # the integer codes, read by the floor
  exprs <- list(
    read_only_floor = if (label == "factor") {
      quote(for (x in codes) sum(x))
    } else {
      quote(for (cl in cols) anyNA(df[[cl]]))
    },
    tabulate_groups = quote(tabulate_groups(df, cols)),
    table = quote(table(df$service, df$ethnicity, df$gender, df$age_band, df$employed)),
    data.table = if (has_dt) quote(dt[, .N, by = c(cols)]),
    collapse = if (has_collapse) quote(collapse::fcount(df, cols = cols))
  )
  exprs <- Filter(Negate(is.null), exprs)
  res <- bench::mark(exprs = exprs, iterations = 5, check = FALSE,
                     filter_gc = FALSE, memory = TRUE)
  out <- data.frame(
    input = label, method = names(exprs),
    median_s = as.numeric(res$median),
    mem_alloc_mb = as.numeric(res$mem_alloc) / 2^20
  )
  out$ratio_to_tabulate <- out$median_s / out$median_s[out$method == "tabulate_groups"]
  out
}

results <- rbind(run(fac, "factor"), run(chr, "character"))
cat(sprintf("Counting %s records by %d columns\n", format(n, big.mark = ","), length(cols)))
print(format(results, digits = 3), row.names = FALSE)
