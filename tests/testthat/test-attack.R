# Attacks on suppressed output with everything it publishes (helper-attack.R
# is the attacker). `make attack` runs the same with 10^4 tables per kind.

# the issue's cases ----

test_that("interval limits no longer give back the counts of a hidden cell", {
  d <- data.frame(
    svc = rep(c("A", "B", "C"), each = 4), g = rep(paste0("g", 1:4), 3),
    e = c(3, 20, 9, 1, 12, 30, 2, 40, 5, 6, 15, 0),
    t = c(12, 40, 30, 6, 25, 70, 9, 90, 11, 13, 33, 4)
  )
  x <- suppressMessages(compare_outcomes(d, g, by = svc, events = e, total = t))
  s <- suppress_counts(x, "nhs_digital")
  p <- as.data.frame(unclass(s))
  b_g3 <- which(p$svc == "B" & p$g == "g3")
  expect_true(is.na(p$events[[b_g3]]))
  shown <- which(!is.na(p$pct_low))
  for (i in shown) {
    # the limits over every true count the rounded ones could stand for
    # (a published 0 is exact, others 2 either way): from what is published
    near <- function(v) if (v == 0) 0 else v + -2:2
    box <- expand.grid(e = near(p$events[[i]]), n = near(p$n[[i]]))
    box <- box[box$e <= box$n, ]
    limits <- mapply(function(e, n) pmin(pmax(wilson(e, n), 0), 100), box$e, box$n)
    expect_equal(c(p$pct_low[[i]], p$pct_high[[i]]), c(min(limits[1, ]), max(limits[2, ])))
  }
  a <- attack_outcomes(s, x, "nhs_digital")
  expect_equal(a$limit_leaks, 0)
  expect_equal(sum(a$bounds$exact), 0)
  expect_equal(sum(a$bounds$narrowed), 0)
  expect_true(all(a$bounds$inside))
  cell <- a$bounds[a$bounds$label == paste(b_g3, "events"), ]
  expect_true(cell$high - cell$low >= 6)
  expect_equal(attack_agreement(s, a$bounds), 0)
  # the statistic is that of the published counts of the groups shown
  rows <- p$svc == "B" & !is.na(p$n) & !is.na(p$events)
  published <- cbind(p$events[rows], p$n[rows] - p$events[rows])
  expect_equal(p$statistic[rows][[1]],
    unname(suppressWarnings(stats::chisq.test(published, correct = FALSE))$statistic),
    tolerance = 1e-10
  )
})

test_that("a published 0 and a published count of at least 8 are read as the rule means", {
  d <- data.frame(
    svc = rep(c("s1", "s2", "s3"), each = 4), eth = rep(c("l1", "l2", "l3", NA), 3),
    n = c(1, 7, 1, 65, 145, 5, 118, 20, 0, 97, 102, 135)
  )
  x <- describe_cohort(d, eth, by = svc, weight = n)
  s <- suppress_counts(x, "nhs_digital")
  chk <- disclosure_check(s)
  expect_true(attr(chk, "protected"))
  small <- chk$low <= 7
  expect_true(all(chk$high[small] - chk$low[small] >= 6))
  a <- attack_cohort(s, x, "nhs_digital")
  expect_equal(sum(a$bounds$narrowed), 0)
  expect_equal(attack_agreement(s, a$bounds), 0)
  # a published 0 is exactly 0 to the attacker and to the check
  expect_equal(attack_range(0, "nhs_digital"), c(0, 0))
  expect_equal(attack_range(10, "nhs_digital"), c(8, 12))
})

test_that("a total no percentage reveals is protected like any hidden count", {
  # every share of service A's people of known group is starred, so that
  # number is not published; from the people, the missing and the Total
  # stratum a reader could once narrow it to 6-9 (make attack, 10^4 tables)
  d <- data.frame(
    s = rep(c("A", "B"), each = 4), g = rep(c("g1", "g2", "g3", NA), 2),
    n = c(1, 0, 7, 11, 2, 9, 8, 0)
  )
  x <- describe_cohort(d, g, by = s, weight = n)
  s <- suppress_counts(x, "nhs_digital")
  chk <- disclosure_check(s)
  expect_true(attr(chk, "protected"))
  known_a <- chk[chk$kind == "total" & is.na(chk$row), ]
  expect_gt(nrow(known_a), 0)
  expect_true(all(known_a$high - known_a$low >= 6 | known_a$low > 7))
  a <- attack_cohort(s, x, "nhs_digital")
  expect_equal(sum(a$bounds$narrowed), 0)
  expect_equal(sum(a$bounds$exact), 0)
  expect_true(all(a$bounds$inside))
})

test_that("plots leave out the groups whose counts are hidden, and say so", {
  x <- suppressMessages(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
  s <- suppress_counts(x)
  d <- equityaudit:::outcome_plot_data(s)
  p <- as.data.frame(unclass(s))
  hidden <- !p$missing & (is.na(p$n) | is.na(p$events))
  expect_equal(nrow(d), sum(!p$missing & !hidden))
  expect_match(attr(d, "note"), paste(sum(hidden), "groups with suppressed counts"))
  expect_false(any(is.na(d$est)))
  pop <- subset(bjpsych_published, characteristic == "ethnicity")
  population <- data.frame(service = pop$service, ethnicity = pop$group, n = pop$population_n)
  acc <- compare_access(ips_synthetic, ethnicity, population,
    by = service, unknown = "Not known/stated", suppress = "nhs_digital"
  )
  a <- equityaudit:::access_plot_data(acc)
  wwt_other <- a$panel == "WWT" & a$group == "Other"
  expect_false(any(wwt_other))
  expect_match(attr(a, "note"), "suppressed counts not shown")
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_silent(plot(acc))
})

test_that("the footnote says that every number comes from the published counts", {
  x <- suppressMessages(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
  out <- capture.output(print(suppress_counts(x)))
  foot <- out[length(out)]
  expect_match(foot, "computed from the published counts", fixed = TRUE)
  expect_match(foot, "left out of the tests", fixed = TRUE)
})

# random tables of every kind, both rules ----

test_that("no hidden count is recovered or narrowed in random tables", {
  set.seed(1313)
  # a sample for every check; `make attack` attacks 10^3 to 10^4 per kind
  n <- as.integer(Sys.getenv("EQUITYAUDIT_ATTACK_N", "12"))
  # with the shapes that once leaked together (helper-attack-shapes.R)
  joint <- c(
    "report", "services", "periods", "combined", "spc",
    "marginal_combined", "periods_outcomes", "quarter_year", "detailed_broad"
  )
  for (kind in c("outcomes", "groups", "cohort", "access", "counts", "measures", joint)) {
    for (rule in c("nhs_digital", "opensafely")) {
      # tables attacked together cost some 20 times a single one
      tally <- attack_tally(kind, rule, if (kind %in% joint) max(1, n %/% 6) else n)
      label <- paste(kind, rule)
      expect_gt(tally$tables, 0)
      expect_equal(tally$recovered_exactly, 0, label = label)
      expect_equal(tally$narrowed, 0, label = label)
      expect_equal(tally$truth_outside, 0, label = label)
      expect_equal(tally$limits_inverted, 0, label = label)
      expect_equal(tally$check_disagrees, 0, label = label)
      expect_equal(tally$errors, 0, label = label)
    }
  }
})

test_that("tables agree in shape when only the cohort shows a value", {
  # nobody anywhere has an unknown group or gender, and a gender level is
  # unused: only the cohort's rows (protected zeros under OpenSAFELY) say
  # so, and the other tables get empty rows for them
  set.seed(4)
  d <- data.frame(
    s = rep(c("A", "B"), each = 30), g = sample(c("g1", "g2"), 60, TRUE),
    h = factor(sample(c("F", "M"), 60, TRUE), levels = c("F", "M", "X")),
    y = stats::runif(60) < 0.5
  )
  pop <- expand.grid(s = c("A", "B"), g = c("g1", "g2"), stringsAsFactors = FALSE)
  pop$n <- c(100, 120, 90, 80)
  tabs <- list(
    cohort = describe_cohort(d, c(g, h), by = s),
    access = compare_access(d, g, pop, by = s),
    outcomes = suppressMessages(compare_outcomes(d, g, y, by = s, strata = h, exact = "never")),
    groups = compare_groups(d, g, y, by = c(s, h))
  )
  expect_false(any(tabs$access$missing))
  expect_no_warning(s <- suppress_counts(tabs, "opensafely"))
  o <- as.data.frame(unclass(s$outcomes), stringsAsFactors = FALSE)
  expect_equal(unique(paste(o$s, o$h)), paste(
    rep(c("A", "B", "Total"), each = 4), rep(c("F", "M", "X", "Not known"), 3)
  ))
  expect_equal(levels(s$outcomes$h), c("F", "M", "X", "Not known"))
  expect_equal(sum(o$missing), 12)
  acc <- as.data.frame(unclass(s$access), stringsAsFactors = FALSE)
  expect_equal(acc$g[acc$missing], rep("Not known", 2))
  expect_true(all(is.na(acc$n[acc$missing])))
  expect_true(attr(disclosure_check(s), "protected"))
})

test_that("tables with two `by` columns and a pooled stratum are aligned", {
  set.seed(5)
  d <- data.frame(
    s = sample(c("A", "B"), 200, TRUE), r = sample(c("N", "S"), 200, TRUE),
    g = sample(c("g1", "g2", "g3"), 200, TRUE), y = stats::runif(200) < 0.4
  )
  tabs <- list(
    cohort = describe_cohort(d, g, by = c(s, r)),
    outcomes = suppressMessages(compare_outcomes(d, g, y, by = c(s, r), exact = "never"))
  )
  s <- suppress_counts(tabs, "opensafely")
  o <- as.data.frame(unclass(s$outcomes), stringsAsFactors = FALSE)
  expect_equal(unique(paste(o$s, o$r)), c("A N", "A S", "B N", "B S", "Total Total"))
  expect_equal(o$pooled, o$s == "Total")
  expect_true(attr(disclosure_check(s), "protected"))
})

test_that("tables published together agree in shape, so no missing row gives a count away", {
  # nobody has an unknown group, and only service B has people of unknown
  # gender: the cohort shows (protected) zeros for them, which an outcome
  # or group table without those rows would pin to 0
  set.seed(2)
  d <- data.frame(
    s = rep(c("A", "B"), each = 40), g = sample(c("g1", "g2", "g3"), 80, TRUE),
    h = sample(c("F", "M"), 80, TRUE), y = stats::runif(80) < 0.4
  )
  d$h[41:43] <- NA
  tabs <- list(
    cohort = describe_cohort(d, c(g, h), by = s),
    outcomes = suppressMessages(compare_outcomes(d, g, y, by = s, strata = h, exact = "never")),
    groups = compare_groups(d, g, y, by = c(s, h))
  )
  expect_false(any(tabs$outcomes$missing))
  expect_false(any(tabs$outcomes$s == "A" & tabs$outcomes$h == "Not known"))
  expect_no_warning(s <- suppress_counts(tabs, "opensafely"))
  o <- as.data.frame(unclass(s$outcomes), stringsAsFactors = FALSE)
  # every service x gender stratum, the unknown ones included, in order,
  # each with a row for the unknown group
  blocks <- unique(paste(o$s, o$h))
  expect_equal(blocks, paste(
    rep(c("A", "B", "Total"), each = 3), rep(c("F", "M", "Not known"), 3)
  ))
  expect_equal(o$g[o$missing], rep("Not known", 9))
  expect_true(all(is.na(o$n[o$missing])))
  a_unknown <- o$s == "A" & o$h == "Not known"
  expect_equal(sum(a_unknown), 4)
  expect_true(all(is.na(o$n[a_unknown])))
  g <- as.data.frame(unclass(s$groups), stringsAsFactors = FALSE)
  expect_equal(unique(paste(g$s, g$h)), blocks[1:6])
  expect_true(attr(disclosure_check(s), "protected"))
  # the independent attacker, who reads a missing row as nobody, agrees
  x <- equityaudit:::align_shapes(tabs)
  a <- attack_report(s, x, "opensafely")
  expect_equal(sum(a$bounds$exact), 0)
  expect_equal(sum(a$bounds$narrowed), 0)
  expect_true(all(a$bounds$inside))
})

# the cell-key rule against differencing (helper-attack-cellkey.R; `make
# attack` runs 10^3 pairs per scenario) ----

test_that("differencing releases under the cell-key rule narrows counts by the amounts measured", {
  set.seed(24)
  r <- rbind(
    ck_attack_tally("minus_service", 4), ck_attack_tally("one_added", 4),
    ck_attack_tally("monthly", 2)
  )
  expect_equal(r$pairs, c(4, 4, 10))
  expect_equal(r$cells, c(46, 54, 186))
  # the attacker's bounds always hold the true count
  expect_equal(r$truth_outside, c(0, 0, 0))
  # narrower than the count published alone says, and recovered exactly
  expect_equal(r$narrowed_below_own, c(4, 8, 42))
  expect_equal(r$exact, c(0, 0, 0))
  expect_equal(r$min_width, c(3, 1, 1))
})

test_that("a known person added can give a count away when both perturbations are extreme", {
  # 10 people with keys adding to 35 (under the tests' secret, position 11
  # of 256: perturbation -3, published 7), then one more with key 1 (sum
  # 36, position 248: +3, published 14)
  position <- function(s) equityaudit:::cell_key_positions(s, charToRaw(ck_secret))
  expect_equal(position(c(35, 36)), c(11L, 248L))
  d <- data.frame(s = "A", g = rep(c("a", "b"), c(10, 20)), key = c(rep(1, 9), 26, rep(100, 20)))
  one <- function(d) {
    p <- as.data.frame(describe_cohort(d, g, key = key, suppress = "cell_key"))
    p$n[p$level %in% "a"]
  }
  before <- one(d)
  after <- one(rbind(d, data.frame(s = "A", g = "a", key = 1)))
  expect_equal(c(before, after), c(7, 14))
  # 7 stands for 5 to 10 people, 14 for 11 to 17 (before: 10 to 16): the
  # reader who knows that the person joined group a knows that it had 10
  expect_equal(ck_range(before), c(5, 10))
  expect_equal(ck_range(after) - 1, c(10, 16))
})

# the shapes in which tables released together once leaked ----

test_that("marginal and combined groups together narrow no hidden complement", {
  cells <- data.frame(
    g = c("E1", "E1", "E2", "E2"), h = c("F", "M", "F", "M"),
    e = c(40, 38, 13, 9), ne = c(52, 61, 12, 5)
  )
  d <- do.call(rbind, lapply(seq_len(nrow(cells)), function(i) {
    data.frame(g = cells$g[[i]], h = cells$h[[i]], y = rep(c(TRUE, FALSE), c(cells$e[[i]], cells$ne[[i]])))
  }))
  x <- list(
    marginal = suppressMessages(compare_outcomes(d, g, y, exact = "never")),
    combined = suppressMessages(compare_outcomes(d, c(g, h), y, exact = "never"))
  )
  s <- suppress_counts(x, "nhs_digital")
  # E2 M's 5 non-events were once narrowed to [4, 9]; now a count is starred
  expect_gt(sum(is.na(s$combined$events) | is.na(s$combined$n)), 0)
  b <- attack_shape("marginal_combined", s, x, d, "nhs_digital")
  e2m <- b[b$label == "combined:4 n - events", ]
  expect_equal(nrow(e2m), 1)
  expect_gte(e2m$high - e2m$low, 6)
  expect_equal(sum(b$narrowed), 0)
  expect_true(all(b$inside))
  expect_true(attr(disclosure_check(s), "protected"))
})

test_that("quarters beside years are one set of sums", {
  expect_periods_linked(11, "quarter", "year")
})

test_that("a table of counts under a rule shows the combinations with nobody", {
  people <- data.frame(
    service = rep(c("A", "B"), c(20, 15)),
    ethnicity = c(rep(c("W", "B", "A"), c(12, 5, 3)), rep("W", 15))
  )
  t <- tabulate_groups(people, ethnicity, by = service, suppress = "opensafely")
  expect_equal(nrow(t), 6)
  expect_equal(t$n, c(NA, NA, 10, NA, NA, 15))
  expect_error(
    tabulate_groups(people, ethnicity, by = service, complete = FALSE, suppress = "opensafely"),
    class = "equityaudit_error_argument"
  )
  expect_message(
    s <- suppress_counts(tabulate_groups(people, ethnicity, by = service), "opensafely"),
    "Added 2 combinations with nobody"
  )
  expect_equal(as.data.frame(unclass(s))[1:3], as.data.frame(unclass(t))[1:3])
  expect_equal(nrow(tabulate_groups(people, ethnicity, by = service)), 4)
})

test_that("measures of unperturbed counts are refused beside cell-key tables", {
  skip_if_not_installed("openxlsx")
  ips <- ips_synthetic
  ips$key <- record_keys(ips, seed = 1)
  x <- suppressMessages(compare_outcomes(ips, ethnicity, employed, by = service, key = key))
  s <- suppress_counts(x, "cell_key")
  f <- tempfile(fileext = ".xlsx")
  on.exit(unlink(f))
  m <- suppressMessages(inequality_measures(x))
  expect_error(write_tables(list(outcomes = s, measures = m), f),
    "not computed from the published tables", class = "equityaudit_error_argument"
  )
  expect_false(file.exists(f))
  m <- suppressMessages(inequality_measures(s))
  expect_equal(write_tables(list(outcomes = s, measures = m), f), f)
})
