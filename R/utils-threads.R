# How many threads the compiled core may use: options(equityaudit.threads),
# 2 by default (as CRAN asks of packages), never more than OMP_THREAD_LIMIT.

thread_count <- function() {
  n <- getOption("equityaudit.threads", 2L)
  ok <- is.numeric(n) && length(n) == 1 && !is.na(n) && n >= 1 && n == trunc(n)
  if (!ok) {
    abort_input(
      "argument",
      sprintf(
        "options(equityaudit.threads = ) must be one whole number of at least 1, not %s.",
        format_values(n)
      ),
      arg = "equityaudit.threads"
    )
  }
  limit <- suppressWarnings(as.numeric(Sys.getenv("OMP_THREAD_LIMIT", "")))
  if (!is.na(limit) && limit >= 1) n <- min(n, limit)
  as.integer(min(n, .Machine$integer.max))
}
