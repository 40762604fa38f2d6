# Output a person can read: published-table numbers, real labels, headings.

test_that("numbers are written as published tables write them", {
  expect_equal(
    format_p(c(0.2, 0.0312, 0.0004, 6.7e-07, 0, NA)),
    c("0.200", "0.031", "< 0.001", "< 0.001", "< 0.001", "")
  )
  expect_equal(format_stat(c(22.0468, 1e-8, 123456.789)), c("22.05", "0.00", "123456.79"))
  expect_equal(format_count(c(50000, 7, 1234567, NA)), c("50,000", "7", "1,234,567", ""))
  expect_equal(format_pct(34.94), "34.9")
  # every count column is a count, the reference group's included
  res <- compare_groups(ips_synthetic, ethnicity, employed)
  for (col in c("n", "events", "ref_n", "ref_events")) {
    spec <- equityaudit:::describe_columns(res, col)
    expect_equal(spec$value_role, "count", label = col)
    expect_equal(equityaudit:::readable_values(c(10, 1234), spec), c("10", "1,234"), label = col)
  }
  expect_error(format_p("a"), class = "equityaudit_error_argument")
})

test_that("no scientific notation reaches printed output", {
  res <- suppressMessages(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
  pub <- subset(bjpsych_published, characteristic == "ethnicity")
  pop <- data.frame(service = pub$service, ethnicity = pub$group, n = pub$population_n)
  acc <- compare_access(ips_synthetic, ethnicity, pop, by = service, unknown = "Not known/stated")
  for (out in list(
    capture.output(print(res)), capture.output(print(summary(res))),
    capture.output(print(acc)), capture.output(print(summary(acc))),
    capture.output(print(reproduce_bjpsych())),
    capture.output(print(reproduce_bjpsych(ips_synthetic)))
  )) {
    expect_false(any(grepl("[0-9]e[-+][0-9]", out)))
  }
  out <- capture.output(print(summary(acc)))
  expect_true(any(grepl("< 0.001", out, fixed = TRUE)))
  rep <- format(reproduce_bjpsych())
  expect_equal(rep$reproduced[rep$statistic == "Access X2, CNWL"], "22.05")
  expect_equal(rep$reproduced[rep$statistic == "Access P, WWT"], "< 0.001")
  expect_equal(rep$published[rep$statistic == "Access P, WWT"], "< 0.01")
})

test_that("the unknown group has a label, not NA", {
  res <- suppressMessages(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
  expect_false(anyNA(res$ethnicity))
  expect_equal(unique(as.character(res$ethnicity[res$missing])), "Not known")
  expect_equal(levels(res$ethnicity)[[6]], "Not known")
  # missing values and the `unknown` labels are one group, labelled as the
  # user labels it
  d <- data.frame(g = c("a", "b", NA, "Not known", " "), e = c(TRUE, FALSE, TRUE, FALSE, TRUE))
  r <- compare_outcomes(d, g, e, exact = "never", unknown = "Not known")
  expect_equal(r$g[r$missing], "Not known")
  expect_equal(r$n[r$missing], 3)
  acc <- compare_access(
    data.frame(g = c("a", "b", NA)), g, data.frame(g = c("a", "b"), n = c(10, 10))
  )
  expect_equal(acc$g, c("a", "b", "Not known"))
  out <- capture.output(print(describe_cohort(ips_synthetic, ethnicity)))
  expect_true(any(grepl("ethnicity: Not known ", out)))
})

test_that("report tables have headings a reader understands", {
  res <- compare_outcomes(ips_synthetic, ethnicity, employed, exact = "never")
  t <- readable_table(res, c("ethnicity", "n", "events", "pct_ci"))
  expect_equal(names(t), c("ethnicity", "People", "With the outcome", "% (95% interval)"))
  expect_equal(
    t[[4]][[1]], sprintf("%.1f (%.1f to %.1f)", res$pct[1], res$pct_low[1], res$pct_high[1])
  )
  s <- readable_table(summary(res), c("statistic", "df", "p_value"))
  expect_equal(names(s), c("Chi-square", "df", "p"))
})

test_that("inequality measures use one reference group for every stratum", {
  res <- compare_outcomes(ips_synthetic, ethnicity, employed, by = service, exact = "never")
  expect_message(m <- inequality_measures(res, sims = 20), "\"White\", the largest group")
  expect_equal(unique(m$reference), "White")
  m2 <- inequality_measures(res, sims = 20, ref_group = "Mixed")
  expect_equal(unique(m2$reference), "Mixed")
  d <- as.data.frame(unclass(res))
  cnwl <- d[d$service == "CNWL" & !d$missing, ]
  mu <- sum(cnwl$events) / sum(cnwl$n) * 100
  expect_equal(
    m$value[m$service == "CNWL" & m$measure == "par"],
    cnwl$pct[cnwl$ethnicity == "White"] - mu
  )
})

test_that("describe_cohort() prints rounded ages on one line per row", {
  d <- ips_synthetic
  d$age <- d$age + 0.68652
  out <- capture.output(print(describe_cohort(d, c(ethnicity, gender), by = service, age = age)))
  expect_true(any(grepl("17.7-65.7", out, fixed = TRUE)))
  expect_false(any(grepl("17.68652", out, fixed = TRUE)))
  expect_equal(length(out), 1 + 1 + 6 + 3 + 2)
})

test_that("cmh_test() counts only the strata that inform it", {
  d <- data.frame(
    s = rep(c("A", "B", "C"), each = 20),
    g = c(rep(c("x", "y"), 20), rep("x", 20)),
    e = rep(c(TRUE, FALSE, FALSE, TRUE, TRUE), 12)
  )
  expect_equal(cmh_test(d, g, e, across = s)$strata_used, 2)
  res <- compare_outcomes(d, g, e, by = s, exact = "never")
  expect_equal(tidy(res, "cmh")$strata_used, 2)
  # a group with nobody in it does not make the pooled test NA
  d$g <- factor(d$g, levels = c("x", "y", "nobody"))
  res <- compare_outcomes(d, g, e, by = s, exact = "never")
  want <- stats::mantelhaen.test(table(d$g, d$e, d$s)[1:2, , 1:2], correct = FALSE)
  expect_equal(tidy(res, "cmh")$statistic, unname(want$statistic), tolerance = 1e-10)
  expect_equal(tidy(res, "cmh")$df, 1)
})

test_that("a stratum whose value is missing is labelled, not NA", {
  d <- ips_synthetic
  d$service[1:30] <- NA
  s <- summary(suppressMessages(compare_outcomes(d, ethnicity, employed, by = service)))
  expect_equal(as.character(s$service), c("CNWL", "WWT", "Not known", "Total"))
  out <- capture.output(print(describe_cohort(d, gender, by = service)))
  expect_true(grepl("Not known", out[[1]]))
  pop <- expand.grid(service = c("CNWL", "WWT", NA), ethnicity = levels(d$ethnicity))
  pop$n <- 100
  acc <- compare_access(d, ethnicity, pop, by = service)
  lv <- c("CNWL", "WWT", "Not known")
  expect_equal(summary(acc)$service, factor(lv, levels = lv))
})

test_that("readable_table() refuses a column it does not have, and format_p() impossible p-values", {
  res <- compare_outcomes(ips_synthetic, ethnicity, employed, by = service, exact = "never")
  expect_error(readable_table(res, c("service", "pct", "p_vlaue")), "p_vlaue",
    class = "equityaudit_error_column"
  )
  expect_equal(names(readable_table(res, c("service", "pct_ci"))), c("service", "% (95% interval)"))
  expect_error(format_p(c(-0.2, 0.5)), "-0.2", class = "equityaudit_error_argument")
  expect_error(format_p(1.7), "1.7", class = "equityaudit_error_argument")
  expect_equal(format_p(c(1 + 1e-12, 0.2)), c("1.000", "0.200"))
})
