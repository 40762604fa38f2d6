# The rule, as the suppression engine applies it and as an attacker reads
# it: which counts it hides, how it rounds, and what a published count says
# about the true one. The first step of the engine's one-way pipeline:
# rule (here) -> cells and sums (suppress-spec.R, the kinds' methods) ->
# links between tables (suppress-links.R, suppress-combinations.R,
# suppress-shape.R) -> bounds (disclosure-bounds.R) -> protection
# (suppress-protect.R) -> publication (suppress-publish.R), with the entry
# points in suppress.R, suppress-joint.R, disclosure.R and
# suppress-cellkey.R.

suppression_rule <- function(rule, threshold, round_to) {
  rule <- match_arg(rule, c("nhs_digital", "opensafely", "none"), "rule")
  base <- switch(rule,
    nhs_digital = list(threshold = 7, round_to = 5, zero = FALSE),
    opensafely = list(threshold = 7, round_to = 5, zero = TRUE),
    none = list(threshold = 0, round_to = 1, zero = FALSE)
  )
  whole <- function(v, arg, min) {
    if (!is.numeric(v) || length(v) != 1 || is.na(v) || v < min ||
      v != round(v) || !is.finite(v)) {
      abort_input("argument", sprintf("`%s` must be a whole number of at least %d.", arg, min),
        arg = arg
      )
    }
    as.double(v)
  }
  base$threshold <- whole(threshold %||% base$threshold, "threshold", 0)
  base$round_to <- whole(round_to %||% base$round_to, "round_to", 1)
  base$rule <- rule
  base
}

is_small <- function(v, r) {
  !is.na(v) & v <= r$threshold & (v >= 1 | (r$zero & v == 0))
}

round_count <- function(v, round_to) floor(v / round_to + 0.5) * round_to

protected_low <- function(r) if (r$zero) 0 else 1

# The range that may reach into the protected counts
could_be_small <- function(b, r) {
  r$threshold > 0 & b$lo <= r$threshold & b$hi >= protected_low(r)
}

# Could be small, and known more precisely than the rule's own range.
too_narrow <- function(b, r) {
  could_be_small(b, r) & b$hi - b$lo < r$threshold - protected_low(r)
}

# What the publication alone says about each cell. `value` holds the
# published counts (NA where starred or hidden).
knowledge_bounds <- function(value, starred, hidden, r) {
  lo <- pmax(0, value - floor(r$round_to / 2))
  hi <- value + ceiling(r$round_to / 2) - 1
  if (r$threshold > 0) {
    low <- protected_low(r)
    overlap <- !is.na(value) & lo <= r$threshold & hi >= low
    below <- overlap & lo < low
    above <- overlap & hi > r$threshold
    # a published count is not one the rule hides; a published 0 with room
    # above the threshold as well keeps its whole range (rounding coarser
    # than the threshold, which no standard rule uses)
    lo[above & !below] <- r$threshold + 1
    hi[below & !above] <- low - 1
  }
  # a starred count may be a zero starred to protect another
  lo[starred] <- 0
  lo[hidden] <- 0
  hi[starred | hidden] <- Inf
  list(lo = lo, hi = hi)
}
