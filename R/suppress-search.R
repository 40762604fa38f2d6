# The search for the least loss inside protect_cells()
# (suppress-protect.R): its budget of effort, the decision to search a
# part (optimal_pattern(), suppress-optimal.R) and the message saying
# where it stopped.

# The effort the search for the least loss may spend in one suppression,
# counted in master programmes weighted by the size of their part
# (effort_unit(), suppress-optimal.R; option equityaudit.search_effort,
# default 3000, about a minute on one core), so that the same data give
# the same stars on every machine; a
# limit of time (option equityaudit.search_seconds, default none) can be
# set on top, at the cost of that. Records what it did: parts stopped at
# a limit (too large to start, among them) and whether the clock stopped
# one.
search_budget <- function() {
  b <- new.env(parent = emptyenv())
  b$effort <- budget_option("search_effort", 3000, "a whole number", whole = TRUE)
  seconds <- budget_option("search_seconds", Inf, "a number of seconds")
  b$deadline <- proc.time()[["elapsed"]] + seconds
  b$stopped <- 0L
  b$too_large <- 0L
  b$clock <- FALSE
  b
}

# One of the search's options, `equityaudit.<name>`: a number, 0 or more
# (and whole, or Inf, where `whole`).
budget_option <- function(name, default, what, whole = FALSE) {
  value <- getOption(paste0("equityaudit.", name), default)
  ok <- is.numeric(value) && length(value) == 1 && !is.na(value) && value >= 0 &&
    !(whole && is.finite(value) && value != round(value))
  if (!ok) {
    opt <- paste0("equityaudit.", name)
    abort_input("argument", sprintf("Option `%s` must be %s, 0 or more.", opt, what), arg = opt)
  }
  value
}

# A part is searched for the least loss when the greedy search starred
# counts to protect others and it has at least `min_cells` shown counts
# (below that the greedy search rarely misses the least loss) and at most
# `max_cells`.
least_loss <- function(spec, r, primary, supp, published, budget, min_cells = 12, max_cells = 4000) {
  shown <- sum(spec$kind == "shown")
  # (its cuts need the true count of every cell: the people of a
  # combination with an unknown part are not counted by any table)
  if (!any(supp & !primary) || shown < min_cells || shown > max_cells || anyNA(spec$value)) {
    return(supp)
  }
  left <- budget$deadline - proc.time()[["elapsed"]]
  if (budget$effort <= 0 || left <= 0) {
    budget$stopped <- budget$stopped + 1L
    budget$clock <- budget$clock || (budget$effort > 0)
    return(supp)
  }
  # a part whose every programme costs a fifth of the effort left would
  # stop before it could improve on the greedy pattern (measured: 90 s a
  # programme on a part of 3,801 counts): not started
  if (5 * effort_unit(length(spec$value)) > budget$effort) {
    budget$stopped <- budget$stopped + 1L
    budget$too_large <- budget$too_large + 1L
    return(supp)
  }
  weight <- 1 + pmax(published, 0, na.rm = TRUE)
  res <- optimal_pattern(spec, r, primary,
    incumbent = supp, time_limit = left, weight = weight,
    max_effort = budget$effort
  )
  budget$effort <- budget$effort - res$effort
  if (res$status != "optimal") budget$stopped <- budget$stopped + 1L
  if (res$status == "time_limit") budget$clock <- TRUE
  res$suppressed | primary
}

tell_search <- function(budget) {
  if (budget$stopped > 0) {
    message(sprintf(
      paste(
        "The search for the fewest people hidden stopped at its limit of %s in %d part%s of the",
        "tables%s: there the greedy pattern is used (protected, perhaps hiding more than it must).",
        "Allow more with %s."
      ),
      if (budget$clock) "time" else "effort",
      budget$stopped, if (budget$stopped == 1) "" else "s",
      if (budget$too_large > 0) {
        sprintf(" (%d not started, too large for the effort left)", budget$too_large)
      } else {
        ""
      },
      if (budget$clock) {
        "options(equityaudit.search_seconds = )"
      } else {
        "options(equityaudit.search_effort = ) (default 3000)"
      }
    ))
  }
}
