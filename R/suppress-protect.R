# Secondary suppression: while a starred or hidden count could be small and
# is known too precisely (bounds from disclosure.R), the published count
# sharing a sum with it that widens it most is starred as well; then the
# stars that turn out not to be needed are taken back.

# A cell is safe once two feasible tables show it as wide as the rule's
# range.
wide_enough <- function(r) {
  function(seen_lo, seen_hi, lo, hi) {
    seen_hi - seen_lo >= r$threshold - protected_low(r)
  }
}

# Primary suppression, then secondary: while any starred or hidden count
# could be small and is known too precisely, a published count sharing a
# sum with it is starred as well. Quick outer bounds steer the search;
# exact bounds confirm that the result is safe. Then the secondary stars
# that turn out not to be needed are taken back, largest count first, and
# the costliest are exchanged where the search finds a cheaper choice.
#
# The table's connected parts (cells tied by sums, found by union-find)
# are independent: each is protected on its own, those with nothing at
# risk not at all, and a part of the same shape as one protected already
# (the same cells, sums, published values and primary stars: thousands of
# small groups share a few shapes) takes its pattern without a search.
protect_cells <- function(spec, r) {
  v <- spec$value
  n <- length(v)
  always_hidden <- spec$kind == "hidden"
  published <- ifelse(always_hidden, NA_real_, round_count(v, r$round_to))
  primary <- !always_hidden & is_small(v, r)
  supp <- primary
  part <- connected_parts(spec$sums, n)
  work <- parts_at_risk(spec, r, part, primary, published)
  sum_part <- part[sum_total_cells(spec$sums)]
  members <- split(seq_len(n), part)
  sums_of <- split(seq_len(n_sums(spec$sums)), factor(sum_part, levels = seq_along(members)))
  memo <- new.env(parent = emptyenv())
  budget <- search_budget()
  unsolved <- 0
  for (p in work) {
    cells <- members[[p]]
    local <- part_spec(spec, cells, sums_of[[p]])
    # (small parts only: those are the ones that repeat, and a key must be
    # a name)
    key <- if (length(cells) <= 200) part_shape(local, published[cells], primary[cells])
    found <- if (!is.null(key) && nchar(key) < 9000) memo[[key]]
    if (is.null(found)) {
      found <- protect_part(local, r, published[cells], primary[cells], budget)
      if (!is.null(key) && nchar(key) < 9000) assign(key, found, envir = memo)
    }
    supp[cells] <- found$suppressed
    unsolved <- unsolved + found$unsolved
  }
  warn_exposed(unsolved)
  tell_search(budget)
  list(suppressed = supp, published = published)
}

# The parts of a table with something to protect: a primary star, or a
# hidden count or implicit total whose outer bounds could be small.
parts_at_risk <- function(spec, r, part, primary, published) {
  hidden <- spec$kind == "hidden" | unrevealed_totals(spec, primary, published)
  vals <- ifelse(primary | hidden, NA_real_, published)
  b <- propagated_bounds(knowledge_bounds(vals, primary, hidden, r), spec$sums)
  risky <- primary | (hidden & could_be_small(b, r))
  unique(part[risky])
}

# One part of a spec, its cells numbered 1..length(cells).
part_spec <- function(spec, cells, which_sums) {
  list(
    kind = spec$kind[cells], row = spec$row[cells], column = spec$column[cells],
    value = spec$value[cells], table = spec$table[cells], whole = spec$whole[cells],
    sums = part_sums(spec$sums, cells, which_sums)
  )
}

# A part's shape: everything its protection depends on (its sums, which
# cells are shown, totals or hidden, their published values and the
# primary stars); the true values of its cells rank the candidates only
# through their published values.
part_shape <- function(local, published, primary) {
  paste(
    paste(local$kind, collapse = ","), paste(published, collapse = ","),
    paste(which(primary), collapse = ","), paste(local$sums$start, collapse = ","),
    paste(local$sums$cells, collapse = ","),
    sep = "|"
  )
}

# The protection of one part: the greedy search, then the stars not
# needed taken back and the costliest exchanged (in parts of 40 counts or
# more), then copies of a published count shown.
protect_part <- function(spec, r, published, primary, budget) {
  n <- length(spec$value)
  table <- protection_table(spec, r, published)
  weight <- 1 + pmax(published, 0, na.rm = TRUE)
  found <- greedy_pattern(table, primary, forbid = rep(FALSE, n))
  supp <- found$suppressed
  if (found$unsolved == 0) {
    supp <- release_redundant(table, supp, primary)
    # in small tables the search rarely has a better choice to find
    if (sum(spec$kind == "shown") >= 40) supp <- exchange_stars(table, supp, primary, weight)
    supp <- least_loss(spec, r, primary, supp, published, budget)
  }
  list(suppressed = show_known_copies(table, supp), unsolved = found$unsolved)
}

# What the search reads of a part: its spec, rule, published values,
# sums (and each cell's), a pool of feasible tables, its margins, and its
# copies (cells one sum of a single part makes one count).
protection_table <- function(spec, r, published) {
  n <- length(spec$value)
  same_sums <- sums_subset(spec$sums, sum_sizes(spec$sums) == 1)
  list(
    spec = spec, r = r, always_hidden = spec$kind == "hidden", published = published,
    sums = spec$sums, index = cell_sums_index(spec$sums, n), pool = solution_pool(n),
    is_margin = seq_len(n) %in% sum_total_cells(spec$sums),
    same = connected_parts(same_sums, n)
  )
}

# Stars added to `supp` until no starred or hidden count can be narrowed:
# for the first count at risk, the published count sharing a sum with it
# that widens it most (never one in `forbid`). Returns the stars and how
# many counts could not be protected.
greedy_pattern <- function(table, supp, forbid) {
  spec <- table$spec
  unsolved <- rep(FALSE, length(supp))
  repeat {
    risk <- cells_at_risk(table, supp, ignore = unsolved)
    if (!any(risk$at_risk)) break
    cell <- which(risk$at_risk)[[1]]
    pool <- candidate_cells(cell, table, supp | risk$hidden | forbid)
    if (length(pool) == 0) {
      # everything linked to it is hidden already: the shape of the tables
      # gives it away (e.g. a category with no row in another table)
      unsolved[[cell]] <- TRUE
      next
    }
    extra <- best_candidate(cell, pool, risk$vals, supp, risk$hidden, table)
    supp[copies_of(table, extra)] <- TRUE
  }
  list(suppressed = supp, unsolved = sum(unsolved))
}

# The greedy search protects each count in turn and may pay for an early
# choice later (a large total starred where a smaller count would do, once
# other stars are in place). Each secondary star, costliest first, is
# shown and the search run again without it; the result is kept when it
# loses less. At most `tries` stars are tried, in tables of 40 or more
# counts.
exchange_stars <- function(table, supp, primary, weight, tries = 4) {
  cost <- function(s) sum(weight[s])
  secondary <- which(supp & !primary)
  groups <- unique(table$same[secondary])
  group_cost <- vapply(groups, function(g) sum(weight[supp & table$same == g]), 0)
  for (g in utils::head(groups[order(-group_cost)], tries)) {
    forbid <- table$same == g & !primary
    if (!any(supp & forbid)) next
    trial <- greedy_pattern(table, supp & !forbid, forbid)
    if (trial$unsolved > 0) next
    candidate <- release_redundant(table, trial$suppressed, primary)
    if (cost(candidate) < cost(supp)) supp <- candidate
  }
  supp
}

# The starred and hidden counts that a reader can narrow down, given the
# cells starred so far (leaving out those in `ignore`): outer bounds first,
# exact bounds when those find none.
cells_at_risk <- function(table, supp, ignore = FALSE) {
  r <- table$r
  # an implicit total that no published percentage reveals is, to the
  # reader, one more hidden count (see unrevealed_totals())
  hidden <- table$always_hidden | unrevealed_totals(table$spec, supp, table$published)
  vals <- ifelse(supp | hidden, NA_real_, table$published)
  k <- knowledge_bounds(vals, supp, hidden, r)
  b <- propagated_bounds(k, table$sums)
  # narrow outer bounds within the protected range stay so exactly; others
  # (a hidden difference of two rounded copies of one count, say) may turn
  # out to be an exact, published 0 or a count above the range
  at_risk <- (supp | hidden) & too_narrow(b, r) & !ignore &
    b$lo >= protected_low(r) & b$hi <= r$threshold
  if (!any(at_risk)) {
    targets <- (supp | hidden) & could_be_small(b, r)
    b <- exact_bounds(table$spec, k, targets, r, wide_enough(r), table$pool)
    at_risk <- (supp | hidden) & too_narrow(b, r) & !ignore
  }
  list(at_risk = at_risk, hidden = hidden, vals = vals)
}

# The greedy search may star a count that a later star made unnecessary:
# each secondary star, largest count first, is taken back when the table
# stays protected without it, until no more can be. Each trial costs an
# exact check, so tables with more than 60 secondary stars keep them all.
release_redundant <- function(table, supp, primary) {
  secondary <- which(supp & !primary)
  if (length(secondary) == 0 || length(secondary) > 60) {
    return(supp)
  }
  # copies of one count (the same people in two tables) are shown or
  # starred together
  spec <- table$spec
  same <- table$same
  # showing one count may reveal a total and so let another go: sweep
  # again while a sweep shows something
  repeat {
    shown <- FALSE
    for (cell in secondary[order(-table$published[secondary])]) {
      if (!supp[[cell]]) next
      trial <- supp
      trial[same == same[[cell]] & !primary] <- FALSE
      if (!any(cells_at_risk(table, trial)$at_risk)) {
        supp <- trial
        shown <- TRUE
      }
    }
    secondary <- which(supp & !primary)
    if (!shown || length(secondary) == 0) break
  }
  supp
}

# One count in two places (a sum of one part: the same people in two
# tables, or a total revealed by a percentage): where one copy is
# published, a starred copy hides nothing the reader does not know, and
# would only make the tables disagree (one place, one status). It is
# shown as well. Where showing it would reveal a total through a
# percentage, that total, hidden from the reader until then (no copy of
# it published), is starred instead: the reader learns nothing new, and
# its percentages (withheld already, every part of it above 0 being
# starred) stay withheld.
show_known_copies <- function(table, supp) {
  spec <- table$spec
  shown <- spec$kind == "shown"
  same <- table$same
  hidden_totals <- unrevealed_totals(spec, supp, table$published)
  revealed <- spec$kind == "total" & !supp & !hidden_totals
  known <- same[(shown & !supp) | revealed]
  for (cell in which(supp & shown & same %in% known)) {
    supp[[cell]] <- FALSE
    revealing <- hidden_totals & !unrevealed_totals(spec, supp, table$published)
    supp[revealing & !(same %in% known)] <- TRUE
    hidden_totals <- unrevealed_totals(spec, supp, table$published)
  }
  supp
}

warn_exposed <- function(exposed) {
  if (exposed == 0) {
    return(invisible())
  }
  message <- sprintf(
    paste(
      "%d count%s cannot be protected by suppression: the shape of the",
      "tables gives %s away (see disclosure_check())."
    ),
    exposed, if (exposed == 1) "" else "s", if (exposed == 1) "it" else "them"
  )
  cnd <- structure(
    class = c("equityaudit_warning_exposed", "warning", "condition"),
    list(message = message, call = NULL)
  )
  warning(cnd)
}

# The cells that could be suppressed to protect `cell`, best first: the
# published cells that share a sum with it, counts that are not totals of
# a sum before totals, then implicit totals, zeros last, each smallest
# first; when all its neighbours are suppressed already, the search goes
# on from them.
candidate_cells <- function(cell, table, unavailable) {
  kind <- table$spec$kind
  # candidates are ranked by what the reader sees (their published
  # counts), never by the hidden counts themselves
  v <- table$published
  seen <- cell
  frontier <- cell
  while (length(frontier) > 0) {
    near <- setdiff(cells_of_sums(table$sums, unique(unlist(lapply(frontier, function(c) {
      sums_of_cell(table$index, c)
    })))), seen)
    pool <- near[!unavailable[near]]
    if (length(pool) > 0) {
      rank <- ifelse(kind[pool] != "shown", 3, ifelse(table$is_margin[pool], 2, 1)) +
        3 * (v[pool] %in% 0)
      return(pool[order(rank, v[pool])])
    }
    seen <- c(seen, near)
    frontier <- near
  }
  integer()
}

# A count and its copies (the same people in other tables, a total a
# percentage reveals): starred together, since a star on one copy hides
# nothing while another is published.
copies_of <- function(table, cell) {
  which(table$same == table$same[[cell]] & !table$always_hidden)
}

# The first candidate whose suppression leaves `cell` protected by
# propagation, or else the one that widens its range most (the first of
# them on ties); when propagation leaves every candidate the same range,
# the one the exact check widens most. At most 25 candidates are tried.
best_candidate <- function(cell, pool, vals, supp, hidden, table) {
  pool <- pool[seq_len(min(length(pool), 25))]
  width <- vapply(pool, candidate_width, 0, cell, vals, supp, hidden, table, exact = FALSE)
  # where propagation cannot tell the candidates apart, the exact bounds
  # do (else the first, the smallest count, is starred again and again)
  if (length(pool) > 1 && length(unique(width)) == 1) {
    width <- vapply(pool, candidate_width, 0, cell, vals, supp, hidden, table, exact = TRUE)
  }
  pool[[which.max(width)]]
}

# The width the cell at risk would have with candidate `j` starred (with
# its copies): Inf when wide enough; from the bounds the sums propagate,
# or with `exact` from the exact check's.
candidate_width <- function(j, cell, vals, supp, hidden, table, exact) {
  r <- table$r
  s <- supp
  s[copies_of(table, j)] <- TRUE
  v <- vals
  v[s] <- NA
  k <- knowledge_bounds(v, s, hidden, r)
  b <- if (exact) {
    exact_bounds(table$spec, k, seq_along(s) == cell, r, wide_enough(r), table$pool)
  } else {
    propagated_bounds(k, table$sums)
  }
  here <- list(lo = b$lo[[cell]], hi = b$hi[[cell]])
  if (!too_narrow(here, r)) Inf else here$hi - here$lo
}
