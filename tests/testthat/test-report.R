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
    path = out
  )
  expect_equal(normalizePath(path), normalizePath(out))
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  for (heading in c(
    "Who used the service", "Equality of access", "Equality of outcome",
    "Equal, different, or too few people to tell?", "How unequal are the groups?"
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
  equity_report(csv, "ethnicity", "employed", suppress = "none", path = out)
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
    by = "service", strata = "gender", path = out
  )
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("Strata\\s+with\\s+nobody\\s+in\\s+them\\s+are\\s+left\\s+out", html))
  rows <- regmatches(html, gregexpr("(?s)<tr[^>]*>.*?</tr>", html, perl = TRUE))[[1]]
  # (the first cell of a row is its header: <th scope="row">)
  cell <- "<t[dh][^>]*>"
  cnwl_unknown <- grepl(paste0(cell, "CNWL</t[dh]>\\s*", cell, "Not known</t[dh]>"), rows)
  expect_false(any(cnwl_unknown))
  wwt_unknown <- grepl(paste0(cell, "WWT</t[dh]>\\s*", cell, "Not known</t[dh]>"), rows)
  expect_true(any(wwt_unknown))
})

test_that("equity_report() works from a database table", {
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  db <- sqlite_table(ips_plain())
  on.exit(DBI::dbDisconnect(db$con))
  out <- tempfile(fileext = ".html")
  on.exit(unlink(out), add = TRUE)
  equity_report(db$tbl, "ethnicity", "employed", by = "service", path = out)
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
    equity_report(csv, "ethnic group", "outcome", by = "site", path = out),
    "event", class = "equityaudit_error_argument"
  )
  equity_report(csv, "ethnic group", "outcome", by = "site", event = "Employed",
    suppress = "none", path = out
  )
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("<strong>outcome</strong> = &quot;Employed&quot;", html, fixed = TRUE))
  known <- d[d$outcome != "" & d$`ethnic group` != "", ]
  white <- known[known$`ethnic group` == "White", ]
  pct <- sprintf("%.1f", 100 * mean(white$outcome == "Employed"))
  expect_true(grepl(paste0(">", pct, " \\("), html))
  expect_false(grepl("[0-9]e-[0-9]", gsub("data:image/png;base64,[^\"]*", "", html)))
  # a column called `outcome` does not shadow the argument; bare names work
  d$employed <- d$outcome == "Employed"
  d$employed[d$outcome == ""] <- NA
  equity_report(d, `ethnic group`, employed, by = site, suppress = "none", path = out)
  html2 <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_true(grepl("<strong>employed</strong> = TRUE", html2, fixed = TRUE))
  expect_true(grepl(paste0(">", pct, " \\("), html2))
})

test_that("equity_report() stops early on data it cannot report", {
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  d <- data.frame(g = c("a", "b"), y = c(TRUE, FALSE))
  out <- tempfile(fileext = ".html")
  expect_error(equity_report(d[0, ], g, y, path = out), "no rows",
    class = "equityaudit_error_argument")
  d$y <- NA
  expect_error(equity_report(d, g, y, path = out), "missing or unknown for everybody",
    class = "equityaudit_error_column"
  )
  expect_error(equity_report(d, g, y, by = site, path = out), "`by` names",
    class = "equityaudit_error_column"
  )
  d$y <- TRUE
  expect_error(equity_report(d, g, y, unknown = c("a", "b"), path = out),
    "`g` \\(`group`\\) is missing or unknown",
    class = "equityaudit_error_column"
  )
  expect_false(file.exists(out))
})

test_that("the report's tables are computed once, with one query of a database", {
  skip_if_not_installed("RSQLite")
  db <- sqlite_table(ips_plain())
  on.exit(DBI::dbDisconnect(db$con))
  counter <- new.env()
  counter$queries <- 0
  suppressMessages(trace("grouped_query",
    tracer = bquote(assign("queries", get("queries", envir = .(counter)) + 1, envir = .(counter))),
    where = asNamespace("equityaudit"), print = FALSE
  ))
  on.exit(suppressMessages(untrace("grouped_query", where = asNamespace("equityaudit"))), add = TRUE)
  r <- report_tables(db$tbl, "ethnicity", "employed", by = "service", strata = "gender")
  expect_equal(counter$queries, 1)
  expect_setequal(names(r$tables), c("cohort", "outcomes", "groups"))
  # the same tables as from the data in memory, suppressed together
  local <- report_tables(ips_plain(), "ethnicity", "employed", by = "service", strata = "gender")
  for (t in names(r$tables)) {
    expect_equal(as.data.frame(unclass(r$tables[[t]]))$n, as.data.frame(unclass(local$tables[[t]]))$n)
  }
})

test_that("the report leaves the user's random numbers as they were", {
  set.seed(99)
  before <- .Random.seed
  r <- report_tables(ips_synthetic, "ethnicity", "employed", by = "service")
  expect_identical(.Random.seed, before)
  # and its simulated intervals are the same each time
  again <- report_tables(ips_synthetic, "ethnicity", "employed", by = "service")
  expect_identical(r$measures$value_low, again$measures$value_low)
  expect_false(anyNA(r$measures$value_low[r$measures$measure == "difference"]))
})

test_that("messages under a suppression rule give no count", {
  d <- ips_plain()
  d$ethnicity[1:3] <- NA
  d$employed[4:5] <- NA
  said <- character()
  keep <- function(m) {
    said <<- c(said, conditionMessage(m))
    invokeRestart("muffleMessage")
  }
  withCallingHandlers({
    compare_outcomes(d, ethnicity, employed, by = service, suppress = "nhs_digital")
    compare_access(d, ethnicity, caseload_population(), by = service,
      unknown = "Not known", missing = "exclude", suppress = "nhs_digital")
    compare_periods(ips_synthetic, ethnicity, date_joined, suppress = "nhs_digital")
    report_tables(d, "ethnicity", "employed", by = "service")
  }, message = keep)
  expect_gt(length(said), 0)
  expect_false(any(grepl("[0-9]", said)), label = paste(said, collapse = " | "))
  # without a rule the analyst is told how many
  said <- character()
  withCallingHandlers(
    compare_access(d, ethnicity, caseload_population(), by = service,
      unknown = "Not known", missing = "exclude"),
    message = keep
  )
  expect_true(any(grepl("Excluded [0-9]+ people", said)))
})

test_that("the report's tables and text use the GSS shorthand when asked", {
  r <- report_tables(ips_synthetic, ethnicity, employed, by = service)
  md <- report_markdown(r)
  expect_match(md$intro, "shown as &#42;", fixed = TRUE)
  expect_match(md$outcomes, "| &#42; |", fixed = TRUE)
  old <- options(equityaudit.withheld = "gss")
  on.exit(options(old))
  md <- report_markdown(r)
  expect_match(md$intro, "shown as &#91;c&#93;", fixed = TRUE)
  expect_match(md$outcomes, "| &#91;c&#93; |", fixed = TRUE)
  expect_false(grepl("&#42;", md$outcomes, fixed = TRUE))
  expect_match(md$cohort, "| &#91;c&#93; |", fixed = TRUE)
})
