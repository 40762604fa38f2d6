# Benchmark: the exact 2 x k test against fisher.test() on 2 x 5 and 2 x 8
# tables of n = 100 to 100,000 with the paper's proportions. Prints median
# seconds of each (3 runs), and "error" where fisher.test() fails with its
# default workspace. Each call is limited to 20 seconds.
suppressPackageStartupMessages(library(equityaudit))

exact_p <- function(ev, tot) {
  .Call(equityaudit:::ea_exact_2xk, as.integer(ev), as.integer(tot),
        c(length(ev), 1L), 1e12)
}
time_it <- function(f) {
  times <- numeric(3)
  value <- NA
  for (i in 1:3) {
    setTimeLimit(elapsed = 20, transient = TRUE)
    t0 <- proc.time()[["elapsed"]]
    value <- tryCatch(f(), error = function(e) {
      if (grepl("time limit", conditionMessage(e))) "timeout" else "error"
    })
    times[i] <- proc.time()[["elapsed"]] - t0
    setTimeLimit(elapsed = Inf)
    if (is.character(value)) break
  }
  list(seconds = if (is.character(value)) NA else stats::median(times), value = value)
}

# the paper's pooled table (groups' sizes and employed), and an 8-group one
shapes <- list(
  "2 x 5" = list(size = c(278, 191, 127, 59, 59), rate = c(93, 72, 41, 20, 22) / c(278, 191, 127, 59, 59)),
  "2 x 8" = list(size = c(278, 191, 127, 59, 59, 40, 30, 20), rate = c(0.33, 0.38, 0.32, 0.34, 0.37, 0.30, 0.40, 0.25))
)
rows <- list()
for (shape in names(shapes)) {
  for (n in c(100, 714, 1000, 7140, 10000, 100000)) {
    sh <- shapes[[shape]]
    tot <- pmax(1, round(sh$size / sum(sh$size) * n))
    ev <- round(tot * sh$rate)
    ours <- time_it(function() exact_p(ev, tot))
    fisher <- time_it(function() stats::fisher.test(rbind(ev, tot - ev))$p.value)
    rows[[length(rows) + 1]] <- data.frame(
      table = shape, n = sum(tot),
      exact_s = ours$seconds, fisher_s = fisher$seconds,
      exact_p = if (is.numeric(ours$value)) signif(ours$value, 6) else NA,
      fisher_p = if (is.numeric(fisher$value)) signif(fisher$value, 6) else NA,
      fisher_status = if (is.character(fisher$value)) fisher$value else "ok",
      exact_status = if (is.character(ours$value)) ours$value else "ok"
    )
  }
}
print(do.call(rbind, rows), row.names = FALSE)
