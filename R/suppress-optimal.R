# Secondary suppression of least loss, by branch and cut in the manner of
# Fischetti and Salazar (1999, 2001; Salazar-Gonzalez 2005 for linked
# tables): a master 0/1 programme chooses which counts to star at least
# cost; cuts that every protected pattern satisfies are added until the
# master's choice is protected against the integer attacker of
# disclosure.R, checked exactly by certify_pattern(). protect_cells()
# (suppress-protect.R) calls it on each part of report size, with the
# greedy search's pattern as the incumbent.
#
# The loss of a pattern is the weight (by default 1 + the count) of its
# secondary stars. Parts of the table that no sum links are independent
# problems, solved one by one; a part whose cells are safe with nothing
# starred but its primary counts needs nothing more.

#' Secondary suppression of least loss
#'
#' @param spec A spec (see `count_spec()`, `joint_spec()`).
#' @param r A rule from `suppression_rule()`.
#' @param primary Logical over the cells: counts that must be starred
#'   (default: the counts the rule hides).
#' @param incumbent Logical over the cells: a protected pattern to start
#'   from and fall back to (protect_cells() gives the greedy search's;
#'   default: every count that may be starred).
#' @param time_limit Seconds (elapsed) for the whole search; past it the
#'   best protected pattern known is returned (default none: a limit of
#'   time makes the result depend on the machine's speed).
#' @param max_effort The work the whole search may do, in units of
#'   `effort_unit()`: each master programme (linear or integer) of a part
#'   costs its part's unit; past it the best protected pattern known is
#'   returned. A limit that does not depend on the machine.
#' @param weight The loss of starring each cell (default 1 + its count).
#' @return list(suppressed, status ("optimal"; "time_limit" or
#'   "effort_limit" when a limit stopped the search of some part; "fallback" when a part could not be
#'   solved and kept the incumbent), cost (the loss), lower_bound (no
#'   pattern loses less), incumbent_cost, iterations (master programmes
#'   solved), effort (their units), cuts, exposed (cells no pattern can protect), parts (one row
#'   per part searched)).
#' @noRd
optimal_pattern <- function(spec, r, primary = NULL, incumbent = NULL, time_limit = Inf,
                            weight = NULL, max_effort = Inf) {
  started <- proc.time()[["elapsed"]]
  deadline <- started + time_limit
  spec <- with_cons(spec)
  n <- length(spec$value)
  primary <- primary %||% (spec$kind != "hidden" & is_small(spec$value, r))
  weight <- weight %||% (1 + pmax(spec$value, 0))
  if (length(primary) != n || length(weight) != n) {
    abort_internal("optimal_pattern(): `primary` and `weight` must have one value per cell")
  }
  if (is.null(incumbent)) {
    # every count that may be starred: protected if anything is
    incumbent <- spec$kind != "hidden"
  }
  incumbent <- incumbent | primary
  cost_of <- function(s) sum(weight[s & !primary])
  out <- list(
    suppressed = primary, status = "optimal", cost = 0, lower_bound = 0,
    incumbent_cost = cost_of(incumbent), iterations = 0L, effort = 0, cuts = 0L,
    exposed = rep(FALSE, n), parts = part_summary()
  )
  if (r$threshold <= 0) {
    out$suppressed <- incumbent
    out$cost <- out$lower_bound <- cost_of(incumbent)
    return(out)
  }
  index <- part_index(spec$cons, n)
  # a part needs a search only where something is open to the attacker
  open_now <- attacker_view(spec, r, primary)$open
  for (p in unique(index$part[open_now])) {
    pspec <- optimal_part_spec(spec, index, p)
    cells <- pspec$cells
    if (length(cells) == 1) next # in no sum: nothing links it to others
    limit <- list(deadline = deadline, effort = max_effort - out$effort)
    res <- solve_part(pspec, r, primary[cells], weight[cells], incumbent[cells], limit)
    out$suppressed[cells] <- res$suppressed
    out$exposed[cells] <- res$exposed
    out$iterations <- out$iterations + res$iterations
    out$effort <- out$effort + res$iterations * effort_unit(length(cells))
    out$cuts <- out$cuts + res$cuts
    out$lower_bound <- out$lower_bound + res$lower_bound
    out$parts <- rbind(out$parts, part_summary(
      p, length(cells), res$status, cost_of_part(res$suppressed, primary[cells], weight[cells]),
      res$lower_bound, res$iterations
    ))
    if (res$status != "optimal" && out$status != "fallback") out$status <- res$status
  }
  out$cost <- cost_of(out$suppressed)
  out$seconds <- proc.time()[["elapsed"]] - started
  out
}

cost_of_part <- function(supp, primary, weight) sum(weight[supp & !primary])

# The work of one master programme (and the exact check of its choice)
# over a part of `cells` counts, in units of a part of about 100: a
# constant, then growing with the square of the part (measured: about 10
# ms a programme of 26 counts, 0.2 s of 412, 2 s of 839, 6 s of 1,375; 10
# to 30 ms a unit on one core).
effort_unit <- function(cells) 1 + (cells / 100)^2

part_summary <- function(part = integer(), cells = integer(), status = character(),
                         cost = numeric(), lower_bound = numeric(), iterations = integer()) {
  data.frame(
    part = part, cells = cells, status = status, cost = cost,
    lower_bound = lower_bound, iterations = iterations, stringsAsFactors = FALSE
  )
}

# One part, within `limit` (list(deadline (elapsed seconds), effort
# (units of effort_unit()))): returns list(suppressed, status, lower_bound,
# iterations, cuts, exposed).
solve_part <- function(spec, r, primary, weight, incumbent, limit) {
  prob <- part_problem(spec, r, primary, weight)
  check <- function(supp) certify_pattern(spec, r, supp, witnesses = TRUE)
  result <- function(supp, status, bound, exposed = rep(FALSE, prob$n)) {
    list(
      suppressed = supp, status = status, lower_bound = bound, iterations = iterations,
      cuts = length(store$rhs) - length(prob$links$rhs), exposed = exposed
    )
  }
  iterations <- 0L
  store <- master_store(prob)
  # nothing starred but the primary counts: the least loss there is
  none <- check(primary)
  if (!any(none$at_risk)) {
    return(result(primary, "optimal", 0))
  }
  # cells still at risk with everything open are given away by the shape
  # of the tables whatever is starred (warn_exposed()): a cell always open
  # can only narrow as cells close, so none can protect it
  everything <- primary
  everything[prob$x_cells] <- TRUE
  exposed <- check(everything)$at_risk & prob$fixed_open
  ok <- function(cert) !any(cert$at_risk & !exposed)
  inc_ok <- ok(check(incumbent))
  inc_cost <- if (inc_ok) cost_of_part(incumbent, primary, weight) else Inf
  fallback <- if (inc_ok) incumbent else everything
  hard <- which(prob$hard & !exposed)
  add_cuts(store, partner_cuts(prob))
  pool <- new.env(parent = emptyenv())
  bound <- 0
  # the limit reached, if any: the count of programmes first, so that a
  # search that ends within it gives the same pattern on every machine
  stop_reason <- function() {
    if ((iterations + 1) * effort_unit(prob$n) > limit$effort) {
      "effort_limit"
    } else if (proc.time()[["elapsed"]] >= limit$deadline) {
      "time_limit"
    }
  }
  # the linear relaxation first: capacity cuts at its fractional points
  for (round in seq_len(50)) {
    if (!is.null(why <- stop_reason())) {
      return(result(fallback, why, bound, exposed))
    }
    fit <- solve_master(prob, store, integer = FALSE)
    iterations <- iterations + 1L
    if (fit$status != "optimal") break
    bound <- max(bound, fit$value)
    if (bound >= inc_cost - 1e-9) {
      return(result(incumbent, "optimal", inc_cost, exposed))
    }
    if (add_cuts(store, capacity_cuts(prob, open_levels(prob, fit$x), hard, pool)) == 0) break
  }
  # then whole patterns: the exact check, and for each cell it finds at
  # risk a capacity or failure cut (a hard cell the linear attacker leaves
  # too narrow is at risk against the integer one too, so checking first
  # misses no capacity cut)
  repeat {
    if (!is.null(why <- stop_reason())) {
      return(result(fallback, why, bound, exposed))
    }
    fit <- solve_master(prob, store, integer = TRUE)
    iterations <- iterations + 1L
    if (fit$status != "optimal") {
      return(result(fallback, "fallback", bound, exposed))
    }
    bound <- max(bound, ceiling_cost(fit$value, weight))
    if (bound >= inc_cost - 1e-9) {
      return(result(incumbent, "optimal", inc_cost, exposed))
    }
    o <- round(open_levels(prob, fit$x))
    supp <- pattern_of(prob, fit$x)
    cert <- check(supp)
    failing <- cert$relies[cert$at_risk[as.integer(names(cert$relies))] &
      !exposed[as.integer(names(cert$relies))]]
    if (length(failing) == 0) {
      return(result(supp, "optimal", cost_of_part(supp, primary, weight), exposed))
    }
    if (add_cuts(store, failure_cuts(prob, o, failing)) == 0) {
      abort_internal("optimal_pattern(): a broken pattern gave no new cut")
    }
  }
}

# With whole-number weights the least loss is a whole number, so the
# master's bound rounds up.
ceiling_cost <- function(value, weight) {
  if (all(weight == round(weight))) ceiling(value - 1e-6) else value
}
