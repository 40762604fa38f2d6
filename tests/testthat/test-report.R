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

test_that("equity_report() leaves out a stratum with nobody in it", {
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  out <- tempfile(fileext = ".html")
  on.exit(unlink(out))
  # nobody of unknown gender in CNWL: suppressed together with the cohort
  # table, the outcome and group tables get an empty stratum for it (so
  # that their shape gives no count away), which the report does not show
  equity_report(ips_synthetic, "ethnicity", "employed",
    by = "service", strata = "gender", output_file = out
  )
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("Strata\\s+with\\s+nobody\\s+in\\s+them\\s+are\\s+left\\s+out", html))
  rows <- regmatches(html, gregexpr("(?s)<tr[^>]*>.*?</tr>", html, perl = TRUE))[[1]]
  cnwl_unknown <- grepl("<td[^>]*>CNWL</td>\\s*<td[^>]*>Not known</td>", rows)
  expect_false(any(cnwl_unknown))
  wwt_unknown <- grepl("<td[^>]*>WWT</td>\\s*<td[^>]*>Not known</td>", rows)
  expect_true(any(wwt_unknown))
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
  # with suppression on (the default) the text gives the rounded headcount,
  # never the exact 779
  expect_true(grepl("about\\s+780\\s+records\\s+\\(rounded", html))
  expect_true(grepl("counted\\s+inside\\s+the\\s+database", html))
  expect_false(grepl("779\\s+records", html))
  expect_gte(lengths(regmatches(html, gregexpr("<table", html))), 4)
})

test_that("equity_report() checks its input", {
  expect_error(equity_report("/no/such/file.csv", "g", "y"), class = "equityaudit_error_input")
  expect_error(equity_report(ips_synthetic, "race", "employed"), class = "equityaudit_error_input")
})

test_that("equity_report() from a CSV counts the event the user names", {
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  d <- data.frame(
    site = rep(c("North", "South"), each = 60),
    `ethnic group` = rep(c("White", "Asian", "Black", ""), 30),
    outcome = rep(
      c("Employed", "Not employed", "Not employed", "", "Employed", "Not employed"), 20
    ),
    check.names = FALSE
  )
  csv <- tempfile(fileext = ".csv")
  out <- tempfile(fileext = ".html")
  on.exit(unlink(c(csv, out)))
  utils::write.csv(d, csv, row.names = FALSE, na = "")
  # the event is never taken from level order: without it, a clear error
  expect_error(
    equity_report(csv, "ethnic group", "outcome", by = "site", output_file = out),
    "event", class = "equityaudit_error_argument"
  )
  equity_report(csv, "ethnic group", "outcome", by = "site", event = "Employed",
    suppress = "none", output_file = out
  )
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("outcome\\s+=\\s+\\S{1,6}Employed", html))
  known <- d[d$outcome != "" & d$`ethnic group` != "", ]
  white <- known[known$`ethnic group` == "White", ]
  pct <- sprintf("%.1f", 100 * mean(white$outcome == "Employed"))
  expect_true(grepl(paste0(">", pct, " \\("), html))
  expect_false(grepl("[0-9]e-[0-9]", gsub("data:image/png;base64,[^\"]*", "", html)))
  # a column called `outcome` does not shadow the argument; bare names work
  d$employed <- d$outcome == "Employed"
  d$employed[d$outcome == ""] <- NA
  equity_report(d, `ethnic group`, employed, by = site, suppress = "none", output_file = out)
  html2 <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("employed\\s+=\\s+TRUE", html2))
  expect_true(grepl(paste0(">", pct, " \\("), html2))
})

test_that("equity_report() stops early on data it cannot report", {
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  d <- data.frame(g = c("a", "b"), y = c(TRUE, FALSE))
  out <- tempfile(fileext = ".html")
  expect_error(equity_report(d[0, ], g, y, output_file = out), "no rows",
    class = "equityaudit_error_argument")
  d$y <- NA
  expect_error(equity_report(d, g, y, output_file = out), "missing or unknown for everybody",
    class = "equityaudit_error_column"
  )
  expect_error(equity_report(d, g, y, by = site, output_file = out), "`by` names",
    class = "equityaudit_error_column"
  )
  d$y <- TRUE
  expect_error(equity_report(d, g, y, unknown = c("a", "b"), output_file = out),
    "`g` \\(`group`\\) is missing or unknown",
    class = "equityaudit_error_column"
  )
  expect_false(file.exists(out))
})
