# Timing shared by the benchmarks (sourced from the repository's root, as
# `make bench` runs them).

# median elapsed seconds of up to `times` runs (stopping after 20 s), NA
# with a status when a run fails or takes longer than `limit`
timed <- function(f, times = 5, limit = Inf) {
  secs <- numeric()
  value <- NULL
  for (i in seq_len(times)) {
    setTimeLimit(elapsed = limit, transient = TRUE)
    t0 <- proc.time()[["elapsed"]]
    value <- tryCatch(f(), error = function(e) {
      structure(if (grepl("time limit|elapsed", conditionMessage(e))) "timeout" else "error",
        class = "bench_failure", message = conditionMessage(e)
      )
    })
    secs[i] <- proc.time()[["elapsed"]] - t0
    setTimeLimit(elapsed = Inf)
    if (inherits(value, "bench_failure")) {
      return(list(s = NA_real_, value = value, status = unclass(value)[[1]]))
    }
    if (sum(secs) > 20) break
  }
  list(s = stats::median(secs), value = value, status = "ok")
}

fmt_s <- function(x) if (x$status != "ok") x$status else formatC(x$s, digits = 3, format = "g")

