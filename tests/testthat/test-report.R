# The HTML report renders and holds its tables and figures.

test_that("equity_report() writes the tables and figures", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  population <- caseload_population()
  out <- tempfile(fileext = ".html")
  on.exit(unlink(out))
  path <- equity_report(ips_synthetic, "ethnicity", "employed",
    reference = population, by = "service", unknown = "Not known",
    output_file = out
  )
  expect_equal(normalizePath(path), normalizePath(out))
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  for (heading in c(
    "Who used the service", "Equality of access", "Equality of outcome",
    "Equal, different, or too small to tell?", "Inequality measures"
  )) {
    expect_true(grepl(heading, html, fixed = TRUE), label = heading)
  }
  expect_gte(lengths(regmatches(html, gregexpr("<table", html))), 6)
  expect_gte(lengths(regmatches(html, gregexpr("<img src=\"data:image/png", html))), 2)
  expect_true(grepl("NHS\\s+Digital", html))
  # the suppressed counts are starred
  expect_true(grepl("<td[^>]*>\\*</td>", html))
  # from a CSV file, without suppression
  csv <- tempfile(fileext = ".csv")
  on.exit(unlink(csv), add = TRUE)
  utils::write.csv(ips_synthetic, csv, row.names = FALSE, na = "")
  equity_report(csv, "ethnicity", "employed", suppress = "none", output_file = out)
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("Counts\\s+are\\s+shown\\s+unsuppressed", html))
  expect_false(grepl("Equality of access", html, fixed = TRUE))
})

test_that("equity_report() works from a database table", {
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  db <- sqlite_table(ips_plain())
  on.exit(DBI::dbDisconnect(db$con))
  out <- tempfile(fileext = ".html")
  on.exit(unlink(out), add = TRUE)
  equity_report(db$tbl, "ethnicity", "employed", by = "service", output_file = out)
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("779\\s+records\\s+counted\\s+inside\\s+the\\s+database", html))
  expect_gte(lengths(regmatches(html, gregexpr("<table", html))), 4)
})

test_that("equity_report() checks its input", {
  expect_error(equity_report("/no/such/file.csv", "g", "y"), class = "equityaudit_error_input")
  expect_error(equity_report(ips_synthetic, "race", "employed"), class = "equityaudit_error_input")
})
