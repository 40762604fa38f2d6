# The seams between verbs: each test is a case where two verbs, or a verb
# and its reference population, once applied different rules.

# missing and unknown values ----

test_that("blanks, NA and `unknown` labels are one unknown group in every table", {
  r <- realistic_referrals()
  p <- r$people
  tabs <- list(
    cohort = describe_cohort(p, c(ethnic_group, sex), by = site, unknown = "Not stated"),
    access = compare_access(p, ethnic_group, r$population, by = site, unknown = "Not stated"),
    outcomes = suppressMessages(compare_outcomes(p, ethnic_group, outcome,
      by = site, strata = sex, event = "Employed", unknown = "Not stated", exact = "never"
    )),
    groups = compare_groups(p, ethnic_group, outcome,
      by = c(site, sex), event = "Employed", unknown = "Not stated"
    )
  )
  unknown <- is.na(p$ethnic_group) | !nzchar(trimws(p$ethnic_group)) | p$ethnic_group == "Not stated"
  by_site <- as.vector(table(factor(p$site[unknown], c("East", "North", "South"))))
  co <- tidy(tabs$cohort)
  expect_equal(co$level[co$variable == "ethnic_group" & co$missing], rep("Not stated", 4))
  expect_equal(co$n[co$variable == "ethnic_group" & co$missing], c(by_site, sum(by_site)))
  acc <- tidy(tabs$access)
  expect_equal(acc$ethnic_group[acc$missing], rep("Not stated", 3))
  expect_equal(acc$n[acc$missing], by_site)
  out <- tidy(tabs$outcomes)
  expect_equal(unique(out$ethnic_group[out$missing]), "Not stated")
  expect_false(any(out$ethnic_group %in% c("", "  ", "Not known")))
  # the blank sex is a stratum of its own, labelled like the unknown group
  expect_equal(sort(unique(out$sex)), c("F", "M", "Not stated"))
  # the README's report suppresses these tables together, which needs them
  # to count the same people (the rule itself is tested elsewhere)
  s <- suppress_counts(tabs, "none")
  expect_equal(tidy(s$cohort)$n, co$n)
})

test_that("a combined group with an unknown part is unknown", {
  set.seed(3)
  d <- data.frame(
    e = sample(c("A", "B", "C", ""), 900, TRUE), s = sample(c("F", "M", NA), 900, TRUE, prob = c(5, 5, 1)),
    site = sample(sprintf("S%d", 1:6), 900, TRUE), y = stats::runif(900) < 0.4,
    when = as.Date("2019-01-01") + sample(0:364, 900, TRUE)
  )
  complete <- d[d$e != "" & !is.na(d$s), ]
  res <- compare_outcomes(d, c(e, s), y, exact = "never")
  want <- stats::chisq.test(table(paste(complete$e, complete$s), complete$y), correct = FALSE)
  expect_equal(summary(res)$statistic, unname(want$statistic), tolerance = 1e-10)
  expect_equal(summary(res)$df, 5)
  expect_equal(sum(res$n[res$missing]), nrow(d) - nrow(complete))
  expect_equal(res$e[!res$missing], rep(c("A", "B", "C"), each = 2))
  svc <- compare_services(d, c(e, s), unit = site, outcome = y)
  expect_false(any(grepl("Not known", svc$e_s)))
  expect_equal(sum(svc$n), nrow(complete))
  per <- compare_periods(d, c(e, s), when)
  q1 <- complete[complete$when < as.Date("2019-04-01"), ]
  expect_equal(unique(per$period_n[per$period == "2019 Q1"]), nrow(q1))
})

test_that("labels of combined groups never collide", {
  d <- data.frame(
    a = c("A, B", "A", "A, B", "A", "A"), b = c("C", "B, C", "C", "B, C", "B, C"),
    y = c(TRUE, FALSE, TRUE, TRUE, FALSE)
  )
  res <- compare_outcomes(d, c(a, b), y, exact = "never")
  known <- res[!res$missing & res$n > 0, ]
  expect_equal(known$n, c(3, 2))
  expect_equal(anyDuplicated(as.character(res$a_b)), 0)
  expect_equal(as.character(known$a), c("A", "A, B"))
  expect_equal(as.character(known$b), c("B, C", "C"))
})

test_that("a stratum called \"Total\" is not the pooled stratum", {
  d <- data.frame(
    site = rep(c("Total", "West"), c(50, 50)), g = rep(c("a", "b"), 50),
    y = rep(c(TRUE, FALSE, FALSE, TRUE), 25)
  )
  res <- compare_outcomes(d, g, y, by = site, exact = "never")
  s <- summary(res)
  expect_equal(s$n, c(50, 50, 100))
  expect_equal(as.character(s$site), c("Total", "West", "All"))
  expect_equal(s$pooled, c(FALSE, FALSE, TRUE))
  co <- describe_cohort(d, g, by = site)
  expect_equal(summary(co)$people, c(50, 50, 100))
  expect_equal(glance(co)$people, 100)
})

# reference populations ----

test_that("a reference with two rows for one group is refused everywhere", {
  d <- data.frame(g = c("a", "b", "a"), site = "X")
  pop <- data.frame(g = c("a", "a", "b"), site = "X", n = c(10, 10, 5))
  expect_error(compare_services(d, g, unit = site, reference = pop), "more than one row",
    class = "equityaudit_error_labels"
  )
  expect_error(compare_access(d, g, pop, by = site), "more than one row",
    class = "equityaudit_error_labels"
  )
  expect_error(compare_periods(transform(d, when = as.Date("2019-05-01")), g, when, reference = pop[c("g", "n")]),
    "more than one row",
    class = "equityaudit_error_labels"
  )
})

# tests across strata ----

test_that("cmh_test() leaves out people of unknown stratum, as mantelhaen.test() on complete cases", {
  set.seed(11)
  d <- data.frame(
    s = sample(c("A", "B", "C", NA), 400, TRUE), g = sample(c("x", "y", "z"), 400, TRUE),
    y = stats::runif(400) < 0.3
  )
  res <- cmh_test(d, g, y, across = s)
  cc <- d[!is.na(d$s), ]
  want <- stats::mantelhaen.test(table(cc$g, cc$y, cc$s))
  expect_equal(res$statistic, unname(want$statistic), tolerance = 1e-10)
  left <- tidy(res, "left_out")
  expect_equal(left$n[grepl("`s`", left$reason)], sum(is.na(d$s)))
  expect_equal(sum(tidy(res, "counts")$n) + sum(left$n), nrow(d))
})

test_that("pooled intervals follow conf_level", {
  t3 <- bjpsych_table3("all")
  pooled <- function(level) {
    tidy(compare_groups(t3, ethnicity,
      by = service, events = employed, total = total, ref_group = "White", conf_level = level
    ), "pooled")
  }
  wide <- pooled(0.95)
  narrow <- pooled(0.5)
  expect_equal(narrow$mh_difference, wide$mh_difference)
  z <- stats::qnorm(0.75) / stats::qnorm(0.975)
  expect_equal(narrow$mh_diff_high - narrow$mh_difference,
    z * (wide$mh_diff_high - wide$mh_difference),
    tolerance = 1e-10
  )
})

test_that("the adjusted test of the pooled stratum is across the adjustment strata only", {
  set.seed(8)
  d <- data.frame(
    site = sample(c("A", "B"), 600, TRUE), g = sample(c("x", "y"), 600, TRUE),
    age = sample(c("young", "old"), 600, TRUE)
  )
  d$y <- stats::runif(600) < ifelse(d$site == "A", 0.2, 0.5)
  res <- compare_outcomes(d, g, y, by = site, adjust = age, exact = "never")
  adj <- tidy(res, "adjusted")
  pooled <- adj[adj$pooled, ]
  want <- stats::mantelhaen.test(table(d$g, d$y, d$age), correct = FALSE)
  expect_equal(unique(pooled$statistic), unname(want$statistic), tolerance = 1e-10)
  expect_equal(unique(pooled$df), 1)
})

# results ----

test_that("adjusted ratios are printed and tidied, not left in an attribute", {
  ips <- ips_synthetic[!is.na(ips_synthetic$gender), ]
  ips$age_band <- age_band(ips$age)
  acc <- compare_access(ips, ethnicity, ips_population,
    by = service, unknown = "Not known/stated", adjust = c(age_band, gender)
  )
  out <- capture.output(print(acc))
  expect_true(any(grepl("Adjusted for age_band and gender", out)))
  expect_true(any(grepl("isr", out)))
  adj <- tidy(acc, "adjusted")
  expect_equal(nrow(adj), 10)
  expect_null(attr(acc, "adjusted"))
})

test_that("every kind of result prints as a published table, tidies and suppresses", {
  ips <- ips_synthetic
  pub <- subset(bjpsych_published, characteristic == "ethnicity")
  pop <- data.frame(service = pub$service, ethnicity = pub$group, n = pub$population_n)
  res <- list(
    services = compare_services(ips, ethnicity, unit = service, reference = pop, unknown = "Not known/stated"),
    periods = compare_periods(ips, ethnicity, date_joined, outcome = employed),
    cmh = cmh_test(ips, ethnicity, employed, across = service),
    chisq = chisq_strata(ips, ethnicity, employed, by = service),
    counts = tabulate_groups(ips, ethnicity, by = service)
  )
  for (nm in names(res)) {
    x <- res[[nm]]
    out <- capture.output(print(x))
    expect_false(any(grepl("[0-9]e[-+][0-9]", out)), label = nm)
    expect_false(any(grepl("\\.[0-9]{4,}", out)), label = nm)
    expect_identical(class(tidy(x)), "data.frame", label = nm)
    expect_identical(class(glance(x)), "data.frame", label = nm)
    s <- suppress_counts(x, "nhs_digital")
    expect_true(inherits(s, "equityaudit_suppressed"), label = nm)
    expect_true(any(grepl("NHS Digital rule", capture.output(print(s)))), label = nm)
  }
  expect_s3_class(summary(res$periods), "equityaudit_summary")
  expect_equal(names(summary(res$periods))[1], "ethnicity")
})

test_that("empty results print, and say there is nobody", {
  d <- data.frame(g = character(), y = logical(), s = character())
  expect_output(print(compare_outcomes(d, g, y, by = s)), "No rows")
  expect_output(print(describe_cohort(d, g, by = s)), "people +0")
  expect_equal(cmh_test(d, g, y, across = s)$df, NA_real_)
})

# one vocabulary ----

test_that("an argument name means one thing in every function", {
  args <- function(f) names(formals(f))
  verbs <- list(
    describe_cohort, compare_access, compare_outcomes, compare_groups, compare_services,
    compare_periods, cmh_test, chisq_strata, tabulate_groups
  )
  for (f in verbs) expect_equal(args(f)[[1]], "data")
  for (f in list(inequality_measures, detectable_difference, suppress_counts, disclosure_check)) {
    expect_equal(args(f)[[1]], "x")
  }
  # a group label is `ref_group`; `reference` is always a population
  expect_true("ref_group" %in% args(compare_groups))
  expect_true("ref_group" %in% args(inequality_measures))
  for (f in c(verbs, inequality_measures, detectable_difference)) {
    expect_false(any(c("B", "total_rows", "service") %in% args(f)))
  }
  # a confidence level is `conf_level`, a significance level `sig_level`
  expect_true("sig_level" %in% args(detectable_difference))
  expect_false("conf_level" %in% args(detectable_difference))
  expect_false("method" %in% args(compare_groups))
  # `exact` is the choice of exact tests, not a flag
  expect_false("exact" %in% args(disclosure_check))
  for (f in verbs) expect_true("suppress" %in% args(f))
})

test_that("every column argument takes a bare name or a string", {
  ex <- list(
    users = data.frame(group = c("A", "A", "B", "B"), age = c("y", "o", "y", "o"), k = c(30, 10, 20, 40)),
    eligible = data.frame(group = c("A", "A", "B", "B"), age = c("y", "o", "y", "o"), pop = c(300, 200, 100, 800))
  )
  bare <- compare_access(ex$users, group, ex$eligible, weight = k, adjust = age, ref_count = pop)
  text <- compare_access(ex$users, "group", ex$eligible, weight = "k", adjust = "age", ref_count = "pop")
  expect_equal(tidy(bare), tidy(text))
  expect_equal(tidy(bare, "adjusted"), tidy(text, "adjusted"))
  d <- data.frame(g = c("a", "b", "a"), when = as.Date(c("2019-01-05", "2019-04-01", "2019-08-30")))
  expect_equal(tidy(compare_periods(d, g, when)), tidy(compare_periods(d, "g", "when")))
})

# intervals and verdicts ----

test_that("directly standardised intervals cover (Dobson), where Wald's do not", {
  # 4 strata of 10 people, 10% with the outcome: 4000 simulated groups
  set.seed(91)
  k <- 4000
  n <- matrix(10, k, 4)
  p <- 0.1
  o <- matrix(stats::rbinom(length(n), 10, p), k)
  w <- stats::setNames(rep(0.25, 4), letters[1:4])
  a <- array(0, c(k, 2, 4))
  a[, 1, ] <- o
  a[, 2, ] <- n
  cover <- function(method) {
    ci <- equityaudit:::dsr_unit(a, w, 0.95, method)
    mean(ci$low <= p & ci$high >= p)
  }
  expect_gt(cover("dobson"), 0.94)
  expect_lt(cover("wald"), 0.92)
  # no events at all still has an upper limit
  zero <- equityaudit:::dsr_unit(array(c(0, 11), c(1, 2, 1)), c(a = 1), 0.95, "dobson")
  expect_equal(zero$low, 0)
  expect_equal(zero$high, -log(0.025) / 11, tolerance = 1e-10)
})

test_that("Wald equivalence with no events in either group shows nothing", {
  d <- data.frame(g = c("a", "b"), e = c(0, 0), n = c(5, 6))
  res <- compare_groups(d, g, events = e, total = n, interval = "wald", ref_group = "b", margin = 0.1)
  expect_equal(res$verdict, "inconclusive")
  expect_equal(res$equivalence_p_value, 1)
})

# errors ----

test_that("errors that were cryptic are classed and say what is wrong", {
  expect_error(compare_periods(data.frame(g = "a", when = as.Date(NA)), g, when),
    "has no dates", class = "equityaudit_error_column"
  )
  expect_error(compare_outcomes(data.frame(g = "a", y = as.Date("2019-01-01")), g, y),
    "(`outcome`)", fixed = TRUE, class = "equityaudit_error_column"
  )
  expect_error(compare_access(data.frame(g = character()), g, data.frame(g = c("a", "b"), n = 1:2)),
    "nobody", class = "equityaudit_error_argument"
  )
  expect_error(describe_cohort(data.frame(v = "x", age = c(30, Inf)), v, age = age),
    "finite ages", class = "equityaudit_error_column"
  )
  expect_error(chisq_strata(matrix(1:4, 2), simulate = TRUE, sims = 1e12),
    "`sims`", class = "equityaudit_error_argument"
  )
  # six columns of 1,500 values each: more combinations than can be counted
  many <- as.data.frame(replicate(6, sprintf("v%04d", sample(1500)), simplify = FALSE))
  names(many) <- letters[1:6]
  expect_error(tabulate_groups(many, c(a, b, c, d, e, f)), "too many", class = "equityaudit_error_table")
  # a suppressed table edited by hand no longer adds up
  s <- suppress_counts(describe_cohort(ips_synthetic, ethnicity, by = service))
  s$n[[1]] <- s$n[[1]] + 100
  expect_error(disclosure_check(s), "edited", class = "equityaudit_error_table")
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_silent(plot(describe_cohort(ips_synthetic, c(ethnicity, gender), by = service)))
})

test_that("counts past 2^31 people neither overflow nor crash", {
  d <- data.frame(g = c("a", "b"), e = c(1.2e9, 1.1e9), n = c(2.1e9, 2.0e9))
  res <- suppressMessages(compare_outcomes(d, g, events = e, total = n, exact = "always"))
  expect_equal(res$exact_method[[1]], "not_attempted")
  want <- stats::chisq.test(matrix(c(1.2e9, 1.1e9, 0.9e9, 0.9e9), 2), correct = FALSE)
  expect_equal(summary(res)$statistic, unname(want$statistic), tolerance = 1e-10)
  res <- cmh_test(transform(d, s = "A"), g, across = s, events = e, total = n)
  expect_true(is.finite(res$statistic))
  expect_error(chisq_strata(matrix(c(1.2e9, 1.1e9, 0.9e9, 0.9e9), 2), simulate = TRUE),
    "2^31", fixed = TRUE, class = "equityaudit_error_argument"
  )
})

test_that("compiled code checks what it is given, with a classed error", {
  expect_error(.Call(equityaudit:::ea_chisq, 1, 2L, TRUE, 2L), class = "equityaudit_error_internal")
  expect_error(.Call(equityaudit:::ea_cmh, c(1, 2), c(2L, 2L, 2L), FALSE), "ea_cmh: x",
    class = "equityaudit_error_internal"
  )
  expect_error(
    .Call(equityaudit:::ea_tabulate, list(c("a", "b")), 0L, 1L, NULL, list(), 1e6, 2L),
    class = "equityaudit_error_internal"
  )
  expect_error(equityaudit:::abort_internal("a state that cannot happen"), "please report",
    class = "equityaudit_error"
  )
})
