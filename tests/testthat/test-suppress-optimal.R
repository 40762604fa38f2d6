# Optimal secondary suppression (R/suppress-optimal*.R): the exact check
# agrees with exact_bounds(), and the optimal pattern is protected (by the
# package's own exact check and by disclosure_check()) and loses exactly
# as little as a brute-force search over every pattern.

opt_rule <- function(rule) equityaudit:::suppression_rule(rule, NULL, NULL)

# A two-way table of counts with its row, column and grand totals.
opt_two_way <- function(m) {
  nr <- nrow(m)
  nc <- ncol(m)
  inner <- matrix(seq_len(nr * nc), nr)
  row_total <- nr * nc + seq_len(nr)
  col_total <- nr * nc + nr + seq_len(nc)
  grand <- nr * nc + nr + nc + 1L
  cons <- c(
    lapply(seq_len(nr), function(i) c(row_total[[i]], inner[i, ])),
    lapply(seq_len(nc), function(j) c(col_total[[j]], inner[, j])),
    list(c(grand, row_total), c(grand, col_total))
  )
  equityaudit:::with_cons(list(
    value = as.double(c(m, rowSums(m), colSums(m), sum(m))),
    kind = rep("shown", grand), row = seq_len(grand), column = rep("n", grand),
    table = rep("main", grand), cons = lapply(cons, as.integer)
  ))
}

opt_random_matrix <- function(nr, nc) {
  matrix(stats::rpois(nr * nc, exp(stats::rnorm(nr * nc, 1.2, 1.3))), nr)
}

# A small table of outcomes by group and stratum, as compare_outcomes()
# gives it.
opt_outcomes <- function(n_groups, n_strata) {
  d <- data.frame(
    g = rep(paste0("g", seq_len(n_groups)), n_strata),
    s = rep(LETTERS[seq_len(n_strata)], each = n_groups),
    n = stats::rpois(n_groups * n_strata, stats::runif(1, 3, 20)) + 1
  )
  d$e <- stats::rbinom(nrow(d), d$n, stats::runif(1, 0.1, 0.9))
  suppressMessages(compare_outcomes(d, g, by = s, events = e, total = n))
}

# The package's own check of a pattern: the greedy search's
# cells_at_risk(), its exact bounds from integer programmes.
opt_at_risk <- function(spec, r, supp) {
  spec <- equityaudit:::with_cons(spec)
  published <- ifelse(spec$kind == "hidden", NA_real_, equityaudit:::round_count(spec$value, r$round_to))
  table <- equityaudit:::protection_table(spec, r, published)
  equityaudit:::cells_at_risk(table, supp)$at_risk
}

# Brute force: every choice of secondary stars among the cells that may be
# starred, cheapest first, until one the package's check passes. NULL
# when there are too many candidates (or no pattern protects).
opt_brute_force <- function(spec, r, max_candidates = 12) {
  primary <- spec$kind != "hidden" & equityaudit:::is_small(spec$value, r)
  candidates <- which(spec$kind != "hidden" & !primary)
  k <- length(candidates)
  if (k > max_candidates) {
    return(NULL)
  }
  everything <- primary
  everything[candidates] <- TRUE
  if (any(opt_at_risk(spec, r, everything))) {
    return(NULL)
  }
  picks <- if (k == 0) matrix(FALSE, 1, 0) else as.matrix(expand.grid(rep(list(c(FALSE, TRUE)), k)))
  cost <- as.vector(picks %*% (1 + spec$value[candidates]))
  for (s in order(cost)) {
    supp <- primary
    supp[candidates[picks[s, ]]] <- TRUE
    if (!any(opt_at_risk(spec, r, supp))) {
      return(cost[[s]])
    }
  }
  NULL
}

test_that("certify_pattern() agrees with exact_bounds() on random patterns", {
  set.seed(61)
  checked <- 0
  for (i in seq_len(240)) {
    r <- opt_rule(c("nhs_digital", "opensafely")[[i %% 2 + 1]])
    spec <- switch(i %% 3 + 1,
      opt_two_way(opt_random_matrix(sample(2:4, 1), sample(2:5, 1))),
      equityaudit:::count_spec(opt_outcomes(sample(2:4, 1), sample(1:3, 1))),
      {
        m <- opt_random_matrix(2, 3)
        # one count in two tables: the second table's copy of each count
        two <- opt_two_way(m)
        n <- length(two$value)
        copies <- lapply(seq_len(n), function(j) c(j, n + j))
        list(
          value = c(two$value, two$value), kind = rep(two$kind, 2),
          cons = c(two$cons, lapply(two$cons, `+`, n), lapply(copies, as.integer))
        )
      }
    )
    spec <- equityaudit:::with_cons(spec)
    primary <- spec$kind != "hidden" & equityaudit:::is_small(spec$value, r)
    supp <- primary | stats::runif(length(primary)) < 0.3
    view <- equityaudit:::attacker_view(spec, r, supp)
    exact <- equityaudit:::exact_bounds(spec, view$k, view$open, r)
    want <- view$open & equityaudit:::too_narrow(exact, r)
    expect_identical(equityaudit:::certify_pattern(spec, r, supp)$at_risk, want)
    full <- equityaudit:::certify_pattern(spec, r, supp, ranges = TRUE)
    expect_identical(full$at_risk, want)
    expect_equal(full$lo[view$open], exact$lo[view$open])
    expect_equal(full$hi[view$open], exact$hi[view$open])
    checked <- checked + sum(view$open)
  }
  expect_gt(checked, 2000)
})

test_that("the exact check recognises two-way tables as unimodular, and linked ones not", {
  sys <- function(spec) {
    n <- length(spec$value)
    equityaudit:::merged_system(spec$cons, rep(0, n), rep(Inf, n))
  }
  expect_true(sys(opt_two_way(matrix(1:12, 3)))$tu)
  # a three-way table's cells are in three sums each
  three <- list(value = rep(1, 9), cons = list(c(1L, 2L, 3L), c(4L, 2L, 5L), c(6L, 2L, 7L), c(8L, 3L, 9L)))
  expect_false(sys(three)$tu)
  # rows with the same sign twice in an odd cycle cannot be split in two
  odd <- list(value = rep(1, 6), cons = list(c(1L, 4L, 5L), c(2L, 5L, 6L), c(3L, 6L, 4L)))
  expect_false(sys(odd)$tu)
  # copies merge into one variable: a two-way table and its copy is one
  two <- opt_two_way(matrix(1:6, 2))
  n <- length(two$value)
  copied <- list(value = rep(two$value, 2), cons = c(
    two$cons, lapply(two$cons, `+`, n), lapply(seq_len(n), function(j) c(j, n + j))
  ))
  expect_true(sys(copied)$tu)
})

test_that("optimal patterns of two-way tables are protected and lose the least there is", {
  set.seed(7)
  compared <- starred <- 0
  for (i in seq_len(90)) {
    r <- opt_rule(c("nhs_digital", "opensafely")[[i %% 2 + 1]])
    spec <- opt_two_way(opt_random_matrix(sample(2:3, 1), sample(2:3, 1)))
    greedy <- suppressWarnings(equityaudit:::protect_cells(spec, r)$suppressed)
    res <- equityaudit:::optimal_pattern(spec, r, incumbent = greedy)
    expect_equal(res$status, "optimal")
    expect_false(any(opt_at_risk(spec, r, res$suppressed)))
    expect_lte(res$cost, sum((1 + spec$value)[greedy & !equityaudit:::is_small(spec$value, r)]))
    expect_equal(res$lower_bound, res$cost)
    best <- opt_brute_force(spec, r)
    if (!is.null(best)) {
      expect_equal(res$cost, best)
      compared <- compared + 1
      starred <- starred + (best > 0)
    }
  }
  expect_gte(compared, 80)
  # most need secondary stars (rounding alone protects the others)
  expect_gte(starred, 40)
})

test_that("optimal patterns of outcome tables are protected, published and least", {
  set.seed(8)
  compared <- 0
  for (i in seq_len(40)) {
    rule <- c("nhs_digital", "opensafely")[[i %% 2 + 1]]
    r <- opt_rule(rule)
    x <- opt_outcomes(sample(2:3, 1), sample(1:2, 1))
    spec <- equityaudit:::count_spec(x)
    res <- equityaudit:::optimal_pattern(spec, r)
    expect_equal(res$status, "optimal")
    expect_false(any(opt_at_risk(spec, r, res$suppressed)))
    expect_lte(res$cost, res$incumbent_cost)
    # published as suppress_counts() publishes, the attacker of
    # disclosure_check() narrows nothing
    published <- equityaudit:::publish_cells(x, spec, list(
      suppressed = res$suppressed, published = equityaudit:::round_count(spec$value, r$round_to)
    ), r)
    expect_true(attr(disclosure_check(published), "protected"))
    best <- opt_brute_force(spec, r)
    if (!is.null(best)) {
      expect_equal(res$cost, best)
      compared <- compared + 1
    }
  }
  expect_gte(compared, 20)
})

test_that("optimal patterns of linked report tables are protected and lose no more than the greedy search", {
  set.seed(9)
  for (i in seq_len(6)) {
    rule <- c("nhs_digital", "opensafely")[[i %% 2 + 1]]
    r <- opt_rule(rule)
    people <- ips_synthetic[sample(nrow(ips_synthetic), sample(60:200, 1)), ]
    tables <- report_tables(people, ethnicity, employed, by = service, suppress = "none")$tables
    tables <- equityaudit:::align_shapes(lapply(tables, equityaudit:::as_suppressible))
    joint <- equityaudit:::joint_spec(tables, lapply(tables, equityaudit:::count_spec))
    greedy <- suppressWarnings(equityaudit:::protect_cells(joint, r)$suppressed)
    res <- equityaudit:::optimal_pattern(joint, r, incumbent = greedy, time_limit = 60)
    expect_equal(res$status, "optimal")
    expect_false(any(opt_at_risk(joint, r, res$suppressed) & !res$exposed))
    expect_lte(res$cost, res$incumbent_cost)
    # published together, the tables pass disclosure_check() together
    published <- Map(function(x, spec, first) {
      cells <- first + seq_along(spec$value)
      equityaudit:::publish_cells(x, spec, list(
        suppressed = res$suppressed[cells],
        published = equityaudit:::round_count(joint$value[cells], r$round_to)
      ), r)
    }, tables, lapply(tables, equityaudit:::count_spec), joint$first)
    if (!any(res$exposed)) expect_true(attr(disclosure_check(published), "protected"))
  }
})

test_that("the time limit falls back to the incumbent and says so", {
  set.seed(10)
  rt <- report_tables(ips_synthetic, ethnicity, employed, by = service, suppress = "none")$tables
  tables <- equityaudit:::align_shapes(lapply(rt, equityaudit:::as_suppressible))
  joint <- equityaudit:::joint_spec(tables, lapply(tables, equityaudit:::count_spec))
  r <- opt_rule("opensafely")
  greedy <- suppressWarnings(equityaudit:::protect_cells(joint, r)$suppressed)
  res <- equityaudit:::optimal_pattern(joint, r, incumbent = greedy, time_limit = 0)
  expect_equal(res$status, "time_limit")
  expect_identical(res$suppressed, greedy)
  expect_equal(res$cost, res$incumbent_cost)
  expect_lte(res$lower_bound, res$cost)
  # a limit of programmes, the same on every machine: the search stops
  # after exactly that many, with the incumbent
  full <- equityaudit:::optimal_pattern(joint, r, incumbent = greedy)
  expect_equal(full$status, "optimal")
  expect_gt(full$iterations, 2)
  unit <- full$effort / full$iterations
  expect_equal(unit, 1 + (full$parts$cells / 100)^2)
  for (k in c(0, 2)) {
    # (a unit short of the next programme)
    res <- equityaudit:::optimal_pattern(joint, r, incumbent = greedy, max_effort = (k + 1) * unit - 1)
    expect_equal(res$status, "effort_limit")
    expect_equal(res$iterations, k)
    expect_identical(res$suppressed, greedy)
  }
  again <- equityaudit:::optimal_pattern(joint, r, incumbent = greedy, max_effort = full$effort)
  expect_identical(again$suppressed, full$suppressed)
})

test_that("suppression's search is bounded by programmes, not time, and says so", {
  tables <- report_tables(ips_synthetic, ethnicity, employed, by = service, suppress = "none")$tables
  old <- options(equityaudit.search_effort = 0)
  on.exit(options(old))
  expect_message(s0 <- suppress_counts(tables, "nhs_digital"), "limit of effort in 1 part")
  expect_message(suppress_counts(tables, "nhs_digital"), "equityaudit.search_effort", fixed = TRUE)
  # a part too large for five programmes of the effort left is not started
  joint <- equityaudit:::joint_spec(
    equityaudit:::align_shapes(lapply(tables, equityaudit:::as_suppressible)),
    lapply(equityaudit:::align_shapes(lapply(tables, equityaudit:::as_suppressible)), equityaudit:::count_spec)
  )
  unit <- equityaudit:::effort_unit(length(joint$value))
  options(equityaudit.search_effort = floor(5 * unit) - 1)
  expect_message(suppress_counts(tables, "nhs_digital"), "(1 not started, too large for the effort left)", fixed = TRUE)
  options(equityaudit.search_effort = 3000)
  expect_no_message(s40 <- suppress_counts(tables, "nhs_digital"))
  expect_true(attr(disclosure_check(s0), "protected"))
  expect_true(attr(disclosure_check(s40), "protected"))
  # a limit of time is still there for whoever wants one, and says so
  options(equityaudit.search_seconds = 0)
  expect_message(suppress_counts(tables, "nhs_digital"), "limit of time")
  options(equityaudit.search_seconds = NULL)
  options(equityaudit.search_effort = -1)
  expect_error(suppress_counts(tables, "nhs_digital"), class = "equityaudit_error_argument")
  options(equityaudit.search_effort = 2.5)
  expect_error(suppress_counts(tables, "nhs_digital"), "whole number")
})

test_that("edge cases: nothing sensitive, a cell in no sum, unbounded hidden cells, copies", {
  r <- opt_rule("nhs_digital")
  # nothing small: nothing starred, at once
  calm <- opt_two_way(matrix(c(20, 30, 40, 50), 2))
  res <- equityaudit:::optimal_pattern(calm, r)
  expect_false(any(res$suppressed))
  expect_equal(c(res$cost, res$lower_bound, res$iterations), c(0, 0, 0))
  # a small count in no sum is starred and safe on its own
  lone <- list(value = c(3, 50, 20, 30), kind = rep("shown", 4), cons = list(c(2L, 3L, 4L)))
  res <- equityaudit:::optimal_pattern(lone, r)
  expect_identical(res$suppressed, c(TRUE, FALSE, FALSE, FALSE))
  # a hidden count with no upper limit (a total nobody publishes): the
  # small count beside it is safe
  open_total <- list(value = c(23, 3, 20), kind = c("hidden", "shown", "shown"), cons = list(c(1L, 2L, 3L)))
  res <- equityaudit:::optimal_pattern(open_total, r)
  expect_identical(res$suppressed, c(FALSE, TRUE, FALSE))
  expect_false(any(equityaudit:::certify_pattern(open_total, r, res$suppressed)$at_risk))
  # a small count whose copy is published elsewhere must be starred there
  # too (a sum of one part), and the cheapest partner of each is chosen
  m <- matrix(c(3, 40, 25, 30, 12, 50), 2)
  two <- opt_two_way(m)
  n <- length(two$value)
  copied <- list(
    value = rep(two$value, 2), kind = rep("shown", 2 * n),
    cons = c(two$cons, lapply(two$cons, `+`, n), lapply(seq_len(n), function(j) as.integer(c(j, n + j))))
  )
  res <- equityaudit:::optimal_pattern(copied, r)
  expect_equal(res$status, "optimal")
  expect_true(all(res$suppressed[c(1, n + 1)]))
  expect_false(any(opt_at_risk(copied, r, res$suppressed)))
  expect_identical(res$suppressed[seq_len(n)], res$suppressed[n + seq_len(n)])
})

test_that("lpSolve alone finds the same least loss as with SYMPHONY", {
  skip_if_not_installed("Rsymphony")
  set.seed(12)
  x <- opt_outcomes(3, 2)
  spec <- equityaudit:::count_spec(x)
  for (rule in c("nhs_digital", "opensafely")) {
    r <- opt_rule(rule)
    with_symphony <- equityaudit:::optimal_pattern(spec, r)
    old <- options(equityaudit.solver = "lpSolve")
    with_lpsolve <- equityaudit:::optimal_pattern(spec, r)
    options(old)
    expect_equal(with_lpsolve$cost, with_symphony$cost)
    expect_equal(with_lpsolve$status, "optimal")
  }
})

test_that("the greedy pattern stars a count with its copies and never one another table publishes", {
  # the search given no effort: the greedy pattern alone. Starring one copy
  # of a count (the outcome table's n) while the group table published
  # the other protected nothing, and the greedy search went on starring
  # (187 counts, every access count of East while the cohort published
  # them)
  old <- options(equityaudit.search_effort = 0)
  on.exit(options(old))
  d <- realistic_referrals()
  r <- suppressMessages(report_tables(d$people, ethnic_group, outcome,
    reference = d$population, by = site, event = "Employed"
  ))
  access <- as.data.frame(r$tables$access)
  cohort <- as.data.frame(r$tables$cohort)
  expect_lte(sum(is.na(access$n[access$site == "East"])), 2)
  expect_lte(sum(is.na(access$n)), 4)
  rows <- cohort[cohort$variable == "ethnic_group" & cohort$site != "Total", ]
  at <- match(paste(rows$site, rows$level), paste(access$site, access$ethnic_group))
  shown <- !is.na(rows$n) & !is.na(at)
  expect_gt(sum(shown), 50)
  expect_identical(access$n[at[shown]], rows$n[shown])
  expect_identical(is.na(access$n[at]), is.na(rows$n))
  expect_true(attr(disclosure_check(r$tables), "protected"))
})
