# Small-number suppression and the disclosure check.

# people in services A and B by ethnicity, as one row per person
small_cohort <- function(counts, groups = c("White", "Black", "Asian")) {
  nr <- nrow(counts)
  data.frame(
    service = rep(rep(LETTERS[seq_len(ncol(counts))], each = nr), as.vector(counts)),
    ethnicity = factor(rep(rep(groups[seq_len(nr)], ncol(counts)), as.vector(counts)),
      levels = groups[seq_len(nr)]
    )
  )
}

# Every sum with exactly one member not published exactly reveals that
# member: an independent check, by plain subtraction, of unrounded tables.
# The true counts in the published layout: a suppressed group table
# chooses its largest reference again from the published counts, so its
# rows may be laid out differently from the unsuppressed table's.
true_counts_as_published <- function(s, x) {
  if (!inherits(x, "equityaudit_groups")) {
    return(x)
  }
  t <- groups_truth(
    as.data.frame(unclass(s), stringsAsFactors = FALSE),
    as.data.frame(unclass(x), stringsAsFactors = FALSE), attr(s, "by")
  )
  y <- s
  class(y) <- class(x)
  for (cl in names(t)) y[[cl]] <- t[[cl]]
  y
}

recoverable_by_subtraction <- function(spec, published) {
  unknown <- is.na(published) | spec$kind == "hidden"
  hits <- integer()
  for (con in spec$cons) {
    if (sum(unknown[con]) == 1) hits <- c(hits, con[unknown[con]])
  }
  unique(hits)
}

test_that("the NHS Digital rule stars 1 to 7 and rounds the rest to 5", {
  people <- small_cohort(cbind(c(25, 9, 6), c(17, 5, 0)))
  cohort <- describe_cohort(people, ethnicity, by = service)
  s <- suppress_counts(cohort)
  expect_s3_class(s, "equityaudit_suppressed")
  expect_s3_class(s, "equityaudit_cohort")
  d <- as.data.frame(unclass(s))
  raw <- as.data.frame(unclass(cohort))
  small <- raw$n >= 1 & raw$n <= 7
  expect_true(all(is.na(d$n[small])))
  shown <- !is.na(d$n)
  expect_equal(d$n[shown] %% 5, rep(0, sum(shown)))
  expect_true(all(abs(d$n[shown] - raw$n[shown]) <= 2))
  # a zero stays a zero under NHS Digital, is starred by OpenSAFELY
  zero <- which(raw$n == 0 & !raw$missing)
  expect_equal(d$n[zero], 0)
  o <- as.data.frame(unclass(suppress_counts(cohort, "opensafely")))
  expect_true(is.na(o$n[zero]))
  out <- capture.output(print(s))
  expect_match(out[length(out)], "NHS Digital rule", fixed = TRUE)
  expect_true(any(grepl("*", out[-length(out)], fixed = TRUE)))
})

test_that("percentages are recomputed from the published counts", {
  res <- compare_outcomes(
    data.frame(g = c("A", "B", "C"), e = c(12, 33, 30), n = c(41, 59, 61)),
    g,
    events = e, total = n
  )
  s <- suppress_counts(res)
  d <- as.data.frame(unclass(s))
  expect_equal(d$n, c(40, 60, 60))
  expect_equal(d$events, c(10, 35, 30))
  expect_equal(d$pct, 100 * d$events / d$n)
  # shown to whole numbers: the counts are rounded
  expect_equal(format(s)$pct, c("25", "58", "50"))
  # the test comes from the published counts, not the unrounded ones
  published <- cbind(d$events, d$n - d$events)
  expect_equal(d$statistic[[1]], unname(stats::chisq.test(published)$statistic))
  expect_false(isTRUE(all.equal(d$statistic, as.data.frame(unclass(res))$statistic)))
})

test_that("a count is not left recoverable from its row total", {
  # 9 people, 8 employed: the one without a job must be protected
  res <- compare_outcomes(
    data.frame(g = c("A", "B"), e = c(8, 20), n = c(9, 50)),
    g,
    events = e, total = n, exact = "never"
  )
  s <- suppress_counts(res, "none", threshold = 7)
  d <- as.data.frame(unclass(s))
  expect_equal(d$n, c(9, 50))
  expect_true(is.na(d$events[[1]]))
  expect_true(is.na(d$pct[[1]]))
  expect_equal(d$events[[2]], 20)
  chk <- disclosure_check(s)
  expect_true(attr(chk, "protected"))
  expect_equal(chk$low[chk$column == "events"], 0)
  expect_equal(chk$high[chk$column == "events"], 9)
})

test_that("secondary suppression protects a lone starred cell in a stratum", {
  people <- small_cohort(cbind(c(30, 3, 20), c(25, 12, 14)))
  cohort <- describe_cohort(people, ethnicity, by = service)
  s <- suppress_counts(cohort, "none", threshold = 7)
  d <- as.data.frame(unclass(s))
  # Black in A (3) is starred; so must be one more count of service A and
  # one more Black count, else subtraction from the totals gives it back
  a <- d$service == "A" & d$variable == "ethnicity" & !d$missing
  black <- d$variable == "ethnicity" & d$level %in% "Black"
  expect_true(sum(is.na(d$n[a])) >= 2)
  expect_true(sum(is.na(d$n[black])) >= 2)
  expect_true(attr(disclosure_check(s), "protected"))
})

test_that("no suppressed count is recoverable in random tables", {
  set.seed(2071)
  protected <- inside <- by_subtraction <- logical()
  # each table costs exact integer programmes; `make attack` runs thousands
  n_tables <- reps(300)
  for (i in seq_len(n_tables)) {
    nr <- sample(2:4, 1)
    nc <- sample(1:3, 1)
    counts <- matrix(stats::rpois(nr * nc, stats::runif(1, 1, 25)), nr, nc)
    if (sum(counts) == 0) next
    rule <- sample(c("nhs_digital", "opensafely", "none"), 1)
    thr <- if (rule == "none") 5 else NULL
    kind <- i %% 3
    x <- if (kind == 0) {
      describe_cohort(small_cohort(counts), ethnicity, by = service)
    } else {
      d <- data.frame(
        g = rep(paste0("g", seq_len(nr)), nc), s = rep(LETTERS[seq_len(nc)], each = nr),
        n = as.vector(counts) + sample(0:9, nr * nc, replace = TRUE)
      )
      d$e <- pmin(d$n, as.vector(counts))
      d <- d[d$n > 0, ]
      if (nrow(d) < 2) next
      if (kind == 1) {
        suppressMessages(compare_outcomes(d, g, by = s, events = e, total = n))
      } else {
        ref <- sample(list(NULL, "rest"), 1)[[1]]
        compare_groups(d, g, by = s, events = e, total = n, ref_group = ref)
      }
    }
    s <- suppress_counts(x, rule, threshold = thr)
    chk <- disclosure_check(s)
    protected[[paste("table", i, rule)]] <- attr(chk, "protected")
    # the true counts lie within the reported ranges
    spec <- equityaudit:::count_spec(true_counts_as_published(s, x))
    pub <- equityaudit:::count_spec(s, totals = attr(s, "suppression")$totals)
    cells <- match(paste(chk$row, chk$column), paste(pub$row, pub$column))
    shown_cells <- !is.na(chk$row)
    inside <- c(inside, chk$low[shown_cells] <= spec$value[cells[shown_cells]] &
      spec$value[cells[shown_cells]] <= chk$high[shown_cells])
    if (rule == "none") {
      small <- spec$value >= 1 & spec$value <= 5
      hit <- recoverable_by_subtraction(pub, pub$value)
      by_subtraction[[paste("table", i)]] <- any(small[hit])
    }
  }
  expect_gt(length(protected), 0.9 * n_tables)
  expect_equal(names(protected)[!protected], character())
  expect_gt(length(inside), 1000)
  expect_true(all(inside))
  expect_equal(names(by_subtraction)[by_subtraction], character())
})

test_that("access tables blank everything about a starred cell", {
  ips <- data.frame(g = c("W", "B", "A", "M"), n = c(134, 5, 77, 38))
  pop <- data.frame(g = c("W", "B", "A", "M"), n = c(2774, 810, 1158, 936))
  s <- compare_access(ips, g, pop, weight = n, suppress = "nhs_digital")
  d <- as.data.frame(unclass(s))
  b <- d$g == "B"
  expect_true(is.na(d$n[b]))
  for (col in c("pct", "access_rate", "representation_ratio", "ratio_low", "verdict")) {
    expect_true(is.na(d[[col]][b]), label = col)
  }
  w <- d$g == "W"
  expect_equal(d$n[w], 135)
  expect_equal(d$ref_n[w], 2775)
  expect_equal(d$access_rate[w], 100 * 135 / 2775)
  f <- format(s)
  expect_equal(f$n[b], "*")
  expect_true(attr(disclosure_check(s), "protected"))
})

test_that("age summaries of 1 to 7 people are starred", {
  people <- data.frame(service = rep(c("A", "B"), c(30, 5)), age = 20:54)
  s <- describe_cohort(people, by = service, age = age, vars = NULL, suppress = "nhs_digital")
  d <- as.data.frame(unclass(s))
  b_age <- d$service == "B" & d$variable == "age" & !d$missing
  expect_true(is.na(d$mean[b_age]))
  a_age <- d$service == "A" & d$variable == "age" & !d$missing
  expect_equal(d$mean[a_age], mean(20:49))
  expect_match(format(s)$B[[2]], "*", fixed = TRUE)
})

test_that("suppression arguments are checked", {
  x <- describe_cohort(small_cohort(cbind(c(10, 9))), ethnicity)
  expect_error(suppress_counts(x, "hipaa"), class = "equityaudit_error_argument")
  expect_error(suppress_counts(x, threshold = -1), class = "equityaudit_error_argument")
  expect_error(suppress_counts(x, round_to = 0), class = "equityaudit_error_argument")
  expect_error(suppress_counts(data.frame(count = 1)), class = "equityaudit_error_argument")
  expect_error(suppress_counts(suppress_counts(x)), class = "equityaudit_error_argument")
  expect_error(disclosure_check(x), class = "equityaudit_error_argument")
})

test_that("a subset of a suppressed table keeps its stars and footnote", {
  res <- compare_outcomes(
    data.frame(g = c("A", "B", "C"), e = c(12, 3, 30), n = c(41, 59, 61)),
    g,
    events = e, total = n, suppress = "nhs_digital"
  )
  part <- res[2:3, c("g", "n", "events", "pct")]
  f <- format(part)
  expect_equal(f$events, c("*", "30"))
  out <- capture.output(print(part))
  expect_match(out[length(out)], "NHS Digital", fixed = TRUE)
  expect_error(disclosure_check(part), class = "equityaudit_error_argument")
})

test_that("plain count tables and power tables can be suppressed", {
  counts <- tabulate_groups(ips_synthetic, ethnicity, by = service, complete = TRUE)
  s <- suppress_counts(counts)
  d <- as.data.frame(unclass(s))
  small <- counts$n >= 1 & counts$n <= 7
  expect_true(all(is.na(d$n[small])))
  expect_equal(d$n[!small] %% 5, rep(0, sum(!small)))
  expect_equal(format(s)$n[small], rep("*", sum(small)))
  res <- suppressMessages(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
  dd <- detectable_difference(res)
  # without rounding, n = n_tested - rest_n must not give the 7 back
  exact <- suppress_counts(dd, "none", threshold = 7)
  sd <- as.data.frame(unclass(exact))
  other <- which(dd$service == "WWT" & dd$ethnicity == "Other")
  expect_true(is.na(sd$n[other]))
  expect_true(is.na(sd$pct[other]))
  expect_true(is.na(sd$rest_n[other]) || is.na(sd$n_tested[other]))
  expect_true(attr(disclosure_check(exact), "protected"))
  expect_true(attr(disclosure_check(suppress_counts(dd)), "protected"))
})

withr_search_effort <- function(effort, code) {
  old <- options(equityaudit.search_effort = effort)
  on.exit(options(old))
  code
}

test_that("counts starred only to protect others are shown again when not needed", {
  people <- read.csv(
    system.file("extdata", "ips_synthetic.csv", package = "equityaudit"),
    stringsAsFactors = FALSE, na.strings = ""
  )
  tables <- list(
    cohort = describe_cohort(people, c(ethnicity, gender),
      by = service,
      unknown = "Not known/stated"
    ),
    outcomes = suppressMessages(compare_outcomes(people, ethnicity, employed,
      by = service, strata = gender, event = TRUE, unknown = "Not known/stated"
    ))
  )
  s <- suppress_counts(tables, "nhs_digital")
  expect_true(attr(disclosure_check(s), "protected"))
  cohort <- as.data.frame(unclass(s$cohort))
  # the greedy search once starred CNWL's 412 people; nothing needs it
  cnwl <- cohort$service == "CNWL" & cohort$variable == "people"
  expect_equal(cohort$n[cnwl], 410)
  # the loss says how many counts are starred
  expect_equal(attr(s$cohort, "suppression")$loss, list(cells = 30L, starred = sum(is.na(cohort$n))))
  # the search for the least loss hides fewer people than the greedy one
  # (1 + count per secondary star: 1,226 against 1,333 here)
  hidden_people <- function(s) {
    total <- 0
    for (t in names(s)) {
      p <- as.data.frame(unclass(s[[t]]))
      u <- as.data.frame(unclass(equityaudit:::align_shapes(tables)[[t]]))
      for (col in intersect(c("n", "events", "n_outcome_missing"), names(p))) {
        sec <- is.na(p[[col]]) & !is.na(u[[col]]) & (u[[col]] == 0 | u[[col]] > 7)
        total <- total + sum(1 + u[[col]][sec])
      }
    }
    total
  }
  greedy <- withr_search_effort(0, suppressMessages(suppress_counts(tables, "nhs_digital")))
  expect_lt(hidden_people(s), hidden_people(greedy))
  # and the attacker, reading both tables (the outcome table with its
  # empty stratum of unknown gender in CNWL), still narrows nothing
  tables <- equityaudit:::align_shapes(tables)
  expect_equal(nrow(s$outcomes), nrow(tables$outcomes))
  for (t in names(tables)) {
    attack <- if (t == "cohort") attack_cohort else attack_outcomes
    b <- attack(s[[t]], tables[[t]], "nhs_digital")$bounds
    expect_gt(nrow(b), 0)
    expect_equal(sum(b$narrowed), 0)
    expect_true(all(b$inside))
  }
})

test_that("a total one table reveals is the same count another table stars", {
  # the demo report once starred WWT's people in the cohort table while the
  # access table's "Not known" share (20 of 365) gave the rounded headcount
  # away, and with it the 1 person of unknown gender (a reader's attack)
  people <- read.csv(
    system.file("extdata", "ips_synthetic.csv", package = "equityaudit"),
    stringsAsFactors = FALSE, na.strings = ""
  )
  pub <- subset(bjpsych_published, characteristic == "ethnicity")
  population <- data.frame(
    service = pub$service, ethnicity = as.character(pub$group),
    n = pub$population_n
  )
  tables <- list(
    cohort = describe_cohort(people, c(ethnicity, gender),
      by = service, unknown = "Not known/stated"
    ),
    access = compare_access(people, ethnicity, population,
      by = service, unknown = "Not known/stated"
    ),
    outcomes = suppressMessages(compare_outcomes(people, ethnicity, employed,
      by = service, strata = gender, event = TRUE, unknown = "Not known/stated"
    ))
  )
  s <- suppress_counts(tables, "nhs_digital")
  chk <- disclosure_check(s)
  expect_true(attr(chk, "protected"))
  acc <- as.data.frame(unclass(s$access))
  co <- as.data.frame(unclass(s$cohort))
  # the denominator the shares reveal is the headcount the cohort shows:
  # CNWL's is shown in both tables, WWT's starred in both
  # where the cohort stars a headcount, no share gives it away
  for (svc in c("CNWL", "WWT")) {
    headcount <- co$n[co$service == svc & co$variable == "people"]
    shares <- acc$service == svc & acc$missing & !is.na(acc$pct)
    if (is.na(headcount)) expect_false(any(shares))
    if (any(shares)) expect_equal(100 * acc$n[shares] / acc$pct[shares], headcount)
  }
  # the unknown gender in WWT (1 person) is starred, with its full range
  unknown <- chk[chk$table == "cohort" & chk$row %in% which(
    co$service == "WWT" & co$variable == "gender" & co$missing
  ), ]
  expect_equal(nrow(unknown), 1)
  expect_gte(unknown$high - unknown$low, 6)
})

test_that("a count published in one table is not starred in another", {
  # a reader attacking the OpenSAFELY report found counts the comparison
  # table printed and the outcome table starred (and a headcount starred in
  # the cohort that an access share gave away): tables that disagree
  people <- read.csv(
    system.file("extdata", "ips_synthetic.csv", package = "equityaudit"),
    stringsAsFactors = FALSE, na.strings = ""
  )
  pub <- subset(bjpsych_published, characteristic == "ethnicity")
  population <- data.frame(
    service = pub$service, ethnicity = as.character(pub$group),
    n = pub$population_n
  )
  tabs <- list(
    cohort = describe_cohort(people, c(ethnicity, gender), by = service, unknown = "Not known/stated"),
    access = compare_access(people, ethnicity, population, by = service, unknown = "Not known/stated"),
    outcomes = suppressMessages(compare_outcomes(people, ethnicity, employed,
      by = service, strata = gender, event = TRUE, unknown = "Not known/stated"
    )),
    groups = compare_groups(people, ethnicity, employed,
      by = c(service, gender), event = TRUE, unknown = "Not known/stated"
    )
  )
  for (rule in c("nhs_digital", "opensafely")) {
    s <- suppress_counts(tabs, rule)
    expect_true(attr(disclosure_check(s), "protected"), label = rule)
    specs <- lapply(s, function(t) equityaudit:::count_spec(t, totals = attr(t, "suppression")$totals))
    joint <- equityaudit:::joint_spec(s, specs)
    # copies: cells tied by a sum of one part
    same <- equityaudit:::connected_parts(
      joint$cons[lengths(joint$cons) == 2], length(joint$value)
    )
    shown <- joint$kind == "shown"
    published <- same[shown & !is.na(joint$value)]
    starred <- same[shown & is.na(joint$value)]
    expect_length(intersect(published, starred), 0)
    # in the comparison table, as in the outcome table
    o <- as.data.frame(unclass(s$outcomes), stringsAsFactors = FALSE)
    g <- as.data.frame(unclass(s$groups), stringsAsFactors = FALSE)
    key <- function(f, grp) paste(f$service, f$gender, grp)
    at <- match(key(g, g$ethnicity), key(o, o$ethnicity))
    expect_equal(g$n, o$n[at], label = rule)
    expect_equal(g$events, o$events[at], label = rule)
  }
})

test_that("tables that carry unpublished counts are dropped, the others computed again", {
  d <- data.frame(s = rep(c("A", "B"), each = 40), g = rep(c("x", "y"), 40))
  d$g[c(1, 41, 43, 45)] <- NA
  pop <- expand.grid(s = c("A", "B"), g = c("x", "y"), stringsAsFactors = FALSE)
  pop$n <- 100
  a <- suppressMessages(compare_access(d, g, pop, by = s, missing = "exclude"))
  # the people excluded for an unknown group: 1 in A and 3 in B
  expect_equal(tidy(a, "left_out")$n, c(1, 3))
  s <- suppress_counts(a, "nhs_digital")
  expect_equal(nrow(tidy(s, "left_out")), 0)
  expect_equal(attr(s, "by"), "s")
  svc <- suppressWarnings(compare_services(ips_synthetic, ethnicity, unit = service, outcome = employed))
  s2 <- suppress_counts(svc, "nhs_digital")
  # the funnels of the published counts: WWT's Other (7 people) is hidden,
  # so Other's target is CNWL's published rate
  f <- tidy(s2, "funnels")
  other <- s2[s2$ethnicity == "Other", ]
  expect_true(is.na(other$n[other$service == "WWT"]))
  expect_equal(f$target[f$ethnicity == "Other"], 100 * other$events[[1]] / other$n[[1]])
  expect_equal(f$services[f$ethnicity == "Other"], 1)
  expect_true(is.na(other$flag[other$service == "WWT"]))
  expect_equal(nrow(tidy(s2, "left_out")), 0)
})

test_that("SYMPHONY and lpSolve give the same stars and the same exact bounds", {
  skip_if_not_installed("Rsymphony")
  skip_if_not_installed("slam")
  set.seed(5520)
  same_stars <- same_bounds <- logical()
  for (i in seq_len(reps(60))) {
    counts <- matrix(stats::rpois(12, stats::runif(1, 1, 15)), 4, 3)
    if (sum(counts) == 0) next
    x <- describe_cohort(small_cohort(counts), ethnicity, by = service)
    rule <- sample(c("nhs_digital", "opensafely"), 1)
    run <- function(solver) {
      old <- options(equityaudit.solver = solver)
      on.exit(options(old))
      s <- suppress_counts(x, rule)
      list(s = s, chk = disclosure_check(s))
    }
    a <- run("lpSolve")
    b <- run("symphony")
    same_stars[[i]] <- identical(attr(a$s, "suppression")$starred, attr(b$s, "suppression")$starred)
    same_bounds[[i]] <- identical(a$chk$low, b$chk$low) && identical(a$chk$high, b$chk$high)
  }
  expect_gt(length(same_stars), 0.9 * reps(60))
  expect_true(all(same_stars))
  expect_true(all(same_bounds))
  # where SYMPHONY stops without a solution, lpSolve solves the programme
  x <- describe_cohort(small_cohort(matrix(c(20, 3, 9, 14, 2, 11), 3)), ethnicity, by = service)
  s <- suppress_counts(x, "opensafely")
  want <- disclosure_check(s)
  ns <- asNamespace("equityaudit")
  real <- get("symphony_fit", ns)
  failing <- function(...) list(status = 5L, solution = NULL, objval = NA)
  unlockBinding("symphony_fit", ns)
  assign("symphony_fit", failing, ns)
  on.exit({
    assign("symphony_fit", real, ns)
    lockBinding("symphony_fit", ns)
  })
  got <- disclosure_check(s)
  expect_identical(got$low, want$low)
  expect_identical(got$high, want$high)
})

test_that("tables computed with different `unknown` labels are not suppressed together", {
  people <- data.frame(
    s = rep(c("A", "B"), each = 30),
    g = rep(c("W", "B", "Not stated"), 20), y = rep(c(TRUE, FALSE), 30)
  )
  cohort <- describe_cohort(people, g, by = s, unknown = "Not stated")
  outcomes <- compare_outcomes(people, g, y, by = s, exact = "never")
  expect_error(suppress_counts(list(cohort, outcomes)), "different `unknown` labels",
    class = "equityaudit_error_argument"
  )
  same <- compare_outcomes(people, g, y, by = s, exact = "never", unknown = "Not stated")
  expect_length(suppress_counts(list(cohort, same)), 2)
})
