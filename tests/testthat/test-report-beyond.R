# The report's sections on adjustment, many services and change over time.

test_that("equity_report() adds the adjusted, services and over-time sections", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  ips <- ips_synthetic
  ips$age_band <- age_band(ips$age)
  out <- tempfile(fileext = ".html")
  on.exit(unlink(out))
  equity_report(ips, "ethnicity", "employed",
    reference = ips_population, by = "service", unknown = "Not known/stated",
    adjust = c("age_band", "gender"), date = "date_joined", path = out,
    suppress = "none"
  )
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("Adjusted for age_band and gender", html, fixed = TRUE))
  expect_true(grepl("Change over time", html, fixed = TRUE))
  expect_false(grepl("Services side by side", html, fixed = TRUE))
  expect_true(grepl("2019 Q3", html, fixed = TRUE))
  # suppressed: the adjusted comparisons (which rest on counts by the
  # adjustment strata) are left out, and the report says so; the periods
  # are suppressed together with the other tables
  equity_report(ips, "ethnicity", "employed",
    reference = ips_population, by = "service", unknown = "Not known/stated",
    adjust = c("age_band", "gender"), date = "date_joined", path = out
  )
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("Adjusted for age_band and gender", html, fixed = TRUE))
  expect_true(grepl("Adjusted\\s+comparisons\\s+rest\\s+on\\s+counts", html))
  expect_false(grepl("Adjusted ratio", html, fixed = TRUE))
  expect_true(grepl("2019 Q3", html, fixed = TRUE))
  expect_true(grepl("Trend in share: p", html, fixed = TRUE))
  set.seed(5)
  n <- 6000
  many <- data.frame(
    service = sprintf("S%02d", sample.int(12, n, TRUE)),
    ethnicity = sample(c("White", "Black", "Asian"), n, TRUE),
    employed = stats::runif(n) < 0.3
  )
  many$employed[many$service == "S01"] <- stats::runif(sum(many$service == "S01")) < 0.6
  equity_report(many, "ethnicity", "employed", by = "service", suppress = "none", path = out)
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("Services side by side", html, fixed = TRUE))
  expect_true(grepl("high (99.8%)", html, fixed = TRUE))
  # and with the default rule, suppressed together with the other tables
  equity_report(many, "ethnicity", "employed", by = "service", path = out)
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("Services side by side", html, fixed = TRUE))
  expect_true(grepl("high (99.8%)", html, fixed = TRUE))
})
