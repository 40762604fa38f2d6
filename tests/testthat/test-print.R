# What a reader sees: the printed output of every kind of result, and the
# messages of the main errors, as snapshots (tests/testthat/_snaps).

ips_population_frame <- function() {
  pub <- subset(bjpsych_published, characteristic == "ethnicity")
  data.frame(service = pub$service, ethnicity = pub$group, n = pub$population_n)
}

test_that("every kind of result prints as a published table", {
  ips <- ips_synthetic
  pop <- ips_population_frame()
  local_reproducible_output(width = 100)
  expect_snapshot({
    describe_cohort(ips, c(ethnicity, gender), by = service, age = age)
    compare_access(ips, ethnicity, pop, by = service, unknown = "Not known/stated")
    compare_outcomes(ips, ethnicity, employed, by = service, exact = "never")
    compare_groups(ips, ethnicity, employed, by = service)
    cmh_test(ips, ethnicity, employed, across = service)
    chisq_strata(ips, ethnicity, employed, by = service)
    tabulate_groups(ips, gender, by = service)
  })
})

test_that("services, periods, measures and power print as published tables", {
  ips <- ips_synthetic
  pop <- ips_population_frame()
  local_reproducible_output(width = 100)
  expect_snapshot({
    compare_services(ips, ethnicity, unit = service, reference = pop, unknown = "Not known/stated")
    compare_periods(ips, ethnicity, date_joined, period = "year", outcome = employed)
    detectable_difference(compare_outcomes(ips, ethnicity, employed, exact = "never"))
  })
  res <- compare_outcomes(ips, ethnicity, employed, by = service, exact = "never")
  set.seed(1)
  expect_snapshot(inequality_measures(res, sims = 100))
})

test_that("suppressed and adjusted results print with their footnote and tables", {
  ips <- ips_synthetic[!is.na(ips_synthetic$gender), ]
  ips$age_band <- age_band(ips$age)
  local_reproducible_output(width = 100)
  expect_snapshot({
    compare_outcomes(ips, ethnicity, employed, by = service, exact = "never", suppress = "opensafely")
    describe_cohort(ips, ethnicity, by = service, suppress = "nhs_digital")
    compare_access(ips, ethnicity, ips_population,
      by = service, unknown = "Not known/stated", adjust = c(age_band, gender)
    )
    compare_outcomes(ips, ethnicity, employed, exact = "never", adjust = c(age_band, gender))
  })
})

test_that("the main errors say what is wrong, naming the argument", {
  d <- data.frame(g = c("a", "b", "a"), y = c("yes", "no", "maybe"), s = "X")
  expect_snapshot(error = TRUE, {
    compare_outcomes(d, g, nope)
    compare_outcomes(d, g, y)
    compare_outcomes(d, g, y, event = "yes")
    compare_outcomes(d, g, y, event = "YES")
    compare_access(d, g, data.frame(g = c("a", "c"), n = 1:2))
    compare_access(d, g, data.frame(g = c("a", "a", "b"), n = 1:3))
    compare_outcomes(d, g, y, event = "yes", conf_level = 95)
    compare_groups(d[1:2, ], g, y, event = "yes", ref_group = "z")
    cmh_test(d, g, y, event = "yes")
    describe_cohort(d, g, age = y)
    suppress_counts(d)
  })
})

test_that("options(equityaudit.withheld = \"gss\") shows the GSS shorthand instead of stars", {
  ips <- ips_synthetic
  o <- compare_outcomes(ips, ethnicity, employed, by = service, exact = "never", suppress = "nhs_digital")
  cohort <- describe_cohort(ips, ethnicity, by = service, suppress = "nhs_digital")
  starred <- attr(o, "suppression")$starred$n
  expect_identical(format(o)$n[starred], rep("*", length(starred)))
  old <- options(equityaudit.withheld = "gss")
  on.exit(options(old))
  expect_identical(format(o)$n[starred], rep("[c]", length(starred)))
  expect_identical(readable_table(o, c("n", "pct_ci"))[["People"]][starred], rep("[c]", length(starred)))
  printed <- capture.output(print(o))
  expect_true(any(grepl("[c] counts of 1 to 7 suppressed", printed, fixed = TRUE)))
  expect_false(any(grepl("\\*", printed)))
  expect_match(format(cohort)$WWT[format(cohort)[[1]] == "ethnicity: Other"], "^\\[c\\]$")
  options(equityaudit.withheld = "stars")
  expect_error(format(o), class = "equityaudit_error_argument")
})
