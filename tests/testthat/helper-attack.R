# An attacker written apart from the package's disclosure code: it reads a
# suppressed result as a reader would (the counts, the percentages and
# their intervals, the "Total" rows, the rule named in the footnote),
# bounds every hidden count by integer programming with lpSolve, and tries
# to recover counts by inverting the published intervals. Used by
# test-attack.R and by tools/attack.R (`make attack`).

# The true counts that a published count v can stand for under the rule.
attack_range <- function(v, rule) {
  low <- if (rule == "opensafely") 0 else 1
  if (is.na(v)) {
    return(c(0, Inf)) # a starred count may be a zero starred to protect another
  }
  t <- max(0, v - 2):(v + 2)
  t <- t[floor(t / 5 + 0.5) * 5 == v & !(t >= low & t <= 7)]
  if (length(t) == 0) stop("the published count ", v, " is impossible under the rule")
  range(t)
}

# A model: variables with bounds and the true value, and equalities.
attack_model <- function(rule) {
  m <- new.env()
  m$rule <- rule
  m$lo <- m$hi <- m$truth <- numeric()
  m$label <- character()
  m$target <- logical()
  m$eqs <- list()
  m$prefix <- ""
  m
}

# A variable for a published (or starred: NA) count; hidden ones have no
# published value at all.
attack_var <- function(m, published, truth, label, hidden = FALSE) {
  r <- if (hidden) c(0, Inf) else attack_range(published, m$rule)
  m$lo <- c(m$lo, r[[1]])
  m$hi <- c(m$hi, r[[2]])
  m$truth <- c(m$truth, truth)
  m$label <- c(m$label, paste0(m$prefix, label))
  m$target <- c(m$target, hidden || is.na(published))
  length(m$lo)
}

# total = sum(parts)
attack_sum <- function(m, total, parts) {
  m$eqs[[length(m$eqs) + 1]] <- c(total, parts)
}

attack_bounds <- function(m) {
  n <- length(m$lo)
  rows <- list()
  k <- 0
  for (e in m$eqs) {
    k <- k + 1
    rows[[k]] <- cbind(k, e, c(1, rep(-1, length(e) - 1)))
  }
  n_eq <- k
  dir <- rep("=", n_eq)
  rhs <- rep(0, n_eq)
  for (i in seq_len(n)) {
    if (m$lo[[i]] > 0) {
      k <- k + 1
      rows[[k]] <- cbind(k, i, 1)
      dir <- c(dir, ">=")
      rhs <- c(rhs, m$lo[[i]])
    }
    if (is.finite(m$hi[[i]])) {
      k <- k + 1
      rows[[k]] <- cbind(k, i, 1)
      dir <- c(dir, "<=")
      rhs <- c(rhs, m$hi[[i]])
    }
  }
  dense <- do.call(rbind, rows)
  idx <- which(m$target)
  if (is.null(dense)) {
    return(data.frame(
      label = m$label[idx], truth = m$truth[idx], low = m$lo[idx],
      high = m$hi[idx], stringsAsFactors = FALSE
    ))
  }
  # every solution is a feasible table: a cell it shows at its own bound
  # needs no programme of its own for that bound (a shortcut shared, on
  # purpose, with disclosure_check(): it is exact, and it makes 10^4
  # report-sized attacks affordable)
  seen_lo <- rep(Inf, n)
  seen_hi <- rep(-Inf, n)
  solve1 <- function(i, direction) {
    bound <- if (direction == "min") m$lo[[i]] else m$hi[[i]]
    if ((direction == "min" && seen_lo[[i]] == bound) ||
        (direction == "max" && seen_hi[[i]] == bound)) {
      return(bound)
    }
    obj <- numeric(n)
    obj[[i]] <- 1
    fit <- lpSolve::lp(direction, obj,
      const.dir = dir, const.rhs = rhs, dense.const = dense, all.int = TRUE
    )
    if (fit$status == 3) {
      return(Inf)
    }
    stopifnot(fit$status == 0)
    if (fit$objval >= 1e29) {
      return(Inf)
    }
    sol <- round(fit$solution)
    seen_lo <<- pmin(seen_lo, sol)
    seen_hi <<- pmax(seen_hi, sol)
    round(fit$objval)
  }
  data.frame(
    label = m$label[idx], truth = m$truth[idx],
    low = vapply(idx, solve1, 0, "min"), high = vapply(idx, solve1, 0, "max"),
    stringsAsFactors = FALSE
  )
}

# Which attacked cells are given away: recovered exactly, or known more
# precisely than the rule's own range while they could be small.
attack_verdict <- function(b, rule) {
  low <- if (rule == "opensafely") 0 else 1
  small <- b$low <= 7 & b$high >= low
  b$exact <- small & b$low == b$high
  b$narrowed <- small & b$high - b$low < 7 - low
  b$inside <- b$truth >= b$low & b$truth <= b$high
  b
}

wilson <- function(e, n, conf = 0.95) {
  z <- stats::qnorm(1 - (1 - conf) / 2)
  p <- e / n
  mid <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
  100 * c(mid - half, mid + half)
}

# Wilson limits that do not fit the published counts were computed from
# other counts: the attacker pins the row to the counts (within the rule's
# ranges) that the limits fit, when only one pair does. Returns how many
# rows were pinned.
rounded_wilson <- function(e, n, rule) {
  r <- equityaudit:::suppression_rule(rule, NULL, NULL)
  if (r$round_to == 1) {
    return(wilson(e, n))
  }
  be <- equityaudit:::knowledge_bounds(e, FALSE, FALSE, r)
  bn <- equityaudit:::knowledge_bounds(n, FALSE, FALSE, r)
  box <- expand.grid(e = be$lo:be$hi, n = bn$lo:bn$hi)
  box <- box[box$e <= box$n & box$n > 0, ]
  limits <- mapply(function(e, n) pmin(pmax(wilson(e, n), 0), 100), box$e, box$n)
  c(min(limits[1, ]), max(limits[2, ]))
}

attack_limits <- function(m, n_var, e_var, n_pub, e_pub, low, high) {
  pinned <- 0
  for (i in seq_along(n_var)) {
    if (is.na(low[[i]]) || is.na(n_pub[[i]]) || is.na(e_pub[[i]])) next
    if (all(abs(wilson(e_pub[[i]], n_pub[[i]]) - c(low[[i]], high[[i]])) < 1e-9)) next
    # limits over every count the rounded ones could stand for (what the
    # published counts and the rule alone give: nothing to invert)
    if (all(abs(rounded_wilson(e_pub[[i]], n_pub[[i]], m$rule) - c(low[[i]], high[[i]])) < 1e-9)) next
    fits <- NULL
    for (n in m$lo[n_var[[i]]]:m$hi[n_var[[i]]]) {
      for (e in m$lo[e_var[[i]]]:min(m$hi[e_var[[i]]], n)) {
        if (all(abs(wilson(e, n) - c(low[[i]], high[[i]])) < 1e-9)) fits <- rbind(fits, c(n, e))
      }
    }
    if (!is.null(fits) && nrow(fits) == 1) {
      m$lo[c(n_var[[i]], e_var[[i]])] <- m$hi[c(n_var[[i]], e_var[[i]])] <- fits[1, ]
      pinned <- pinned + 1
    }
  }
  pinned
}

