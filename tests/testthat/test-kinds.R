# Every kind of result behaves the same way: it prints, tidies, glances as
# one row, plots, keeps what still holds when subset, and can be
# suppressed. One example of each kind, unsuppressed and suppressed.

every_kind <- function() {
  ips <- ips_synthetic
  pub <- subset(bjpsych_published, characteristic == "ethnicity")
  pop <- data.frame(service = pub$service, ethnicity = pub$group, n = pub$population_n)
  outcomes <- compare_outcomes(ips, ethnicity, employed, by = service, exact = "never")
  out <- list(
    cohort = describe_cohort(ips, c(ethnicity, gender), by = service, age = age),
    access = compare_access(ips, ethnicity, pop, by = service, unknown = "Not known/stated"),
    outcomes = outcomes,
    groups = compare_groups(ips, ethnicity, employed, by = service),
    services = compare_services(ips, ethnicity, unit = service, outcome = employed),
    periods = compare_periods(ips, ethnicity, date_joined, outcome = employed),
    cmh = cmh_test(ips, ethnicity, employed, across = service),
    chisq = chisq_strata(ips, ethnicity, employed, by = service),
    counts = tabulate_groups(ips, ethnicity, by = service),
    power = detectable_difference(outcomes),
    spc = monitor_equality(ips, ethnicity, date_joined, period = "quarter", outcome = employed)
  )
  out$inequality <- suppressMessages(with_seed(1, inequality_measures(outcomes, sims = 50)))
  out
}

with_seed <- function(seed, expr) {
  old <- if (exists(".Random.seed", globalenv())) get(".Random.seed", globalenv())
  on.exit(if (!is.null(old)) assign(".Random.seed", old, globalenv()))
  set.seed(seed)
  expr
}

test_that("every kind of result is a kind of its own, with all its methods", {
  kinds <- every_kind()
  expect_setequal(names(kinds), equityaudit:::result_kinds)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  for (k in names(kinds)) {
    x <- kinds[[k]]
    expect_s3_class(x, paste0("equityaudit_", k))
    expect_output(print(x), ".", label = k)
    expect_identical(class(tidy(x)), "data.frame", label = k)
    g <- glance(x)
    expect_equal(nrow(g), 1, label = k)
    expect_identical(g$kind, k, label = k)
    expect_identical(g$rule, "none", label = k)
    expect_s3_class(summary(x), "equityaudit_summary")
    expect_silent(plot(x))
    expect_error(plot(x, colour = "red"), "`plot()` has no argument `colour`", fixed = TRUE,
      class = "equityaudit_error_argument"
    )
  }
})

test_that("every kind can be suppressed, and then says so in every method", {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  kinds <- every_kind()
  for (k in setdiff(names(kinds), "inequality")) {
    x <- suppress_counts(kinds[[k]], "nhs_digital")
    expect_s3_class(x, "equityaudit_suppressed")
    expect_identical(glance(x)$rule, "nhs_digital", label = k)
    out <- capture.output(print(x))
    expect_match(out[length(out)], "NHS Digital rule", label = k)
    expect_silent(plot(x))
  }
})

test_that("a subset keeps what still holds and drops what no longer does", {
  o <- compare_outcomes(ips_synthetic, ethnicity, employed, by = service, exact = "never")
  one <- o[o$service == "CNWL", ]
  expect_s3_class(one, "equityaudit_outcomes")
  # a test across the services no longer describes the rows shown
  expect_null(attr(one, "tables")$cmh)
  expect_false(any(grepl("Cochran-Mantel-Haenszel", capture.output(print(one)))))
  expect_equal(nrow(summary(one)), 1)
  # the same rows, reordered: every table still holds
  expect_false(is.null(attr(o[rev(seq_len(nrow(o))), ][order(seq_len(nrow(o))), ], "tables")$cmh))
  # a stratum's own tables are kept for the strata kept
  g <- compare_groups(ips_synthetic, ethnicity, employed, by = service)
  wwt <- g[g$service == "WWT", ]
  expect_null(attr(wwt, "tables")$pooled)
  expect_equal(unique(as.character(tidy(wwt, "left_out")$service)), "WWT")
  # losing the columns that identify the rows makes a plain data frame
  expect_identical(class(o[, c("n", "events")]), "data.frame")
  # a suppressed subset keeps its stars, in their new rows
  s <- suppress_counts(compare_outcomes(
    data.frame(g = c("A", "B", "C"), e = c(12, 3, 30), n = c(41, 59, 61)), g,
    events = e, total = n, exact = "never"
  ))
  expect_equal(format(s[2:3, ])$events, c("*", "30"))
  expect_error(disclosure_check(s[2:3, ]), class = "equityaudit_error_argument")
})

test_that("the columns are described once: the same number is written the same way everywhere", {
  res <- compare_groups(ips_synthetic, ethnicity, employed, by = service, conf_level = 0.9)
  spec <- equityaudit:::describe_columns(res, c("difference", "diff_low", "diff_ci", "ref_n", "p_value"))
  expect_equal(spec$digits, c(1, 1, 1, 0, 3))
  expect_equal(spec$heading[2:3], c("Difference (points), lower 90% limit", "Difference, points (90% interval)"))
  expect_equal(spec$heading[[4]], "People compared with")
  printed <- format(res)$difference
  table <- readable_table(res, c("difference", "diff_ci"))
  expect_equal(table[["Difference (points)"]], printed)
  expect_true(all(startsWith(table[["Difference, points (90% interval)"]], paste0(printed, " ("))))
  # a standardised percentage and its limits alike, to one decimal
  ips <- ips_synthetic[!is.na(ips_synthetic$gender), ]
  adj <- tidy(compare_outcomes(ips, ethnicity, employed, adjust = gender, exact = "never"), "adjusted")
  spec <- equityaudit:::describe_columns(res, c("std_pct", "std_low", "pct_low", "outcome_low"))
  expect_equal(spec$digits, c(1, 1, 1, 1))
})

test_that("a printed p-value is never rounded to the other side of its verdict's level", {
  expect_equal(format_p(c(0.0497, 0.04999, 0.0503, 0.2)), c("0.0497", "0.04999", "0.050", "0.200"))
  expect_equal(format_p(0.0497, alpha = NULL), "0.050")
  expect_equal(format_p(0.0995, alpha = 0.1), "0.0995")
  # the level of a result is its own
  res <- compare_outcomes(ips_synthetic, ethnicity, employed, by = service, exact = "never", conf_level = 0.9)
  expect_equal(equityaudit:::alpha_of(res), 0.1)
})
