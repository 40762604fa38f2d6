# The report's main findings (report_findings(), R/report-findings.R):
# first in every report, the same sentences in HTML and Word, labels as
# literal text.

findings_tables <- function(suppress = "nhs_digital", labels = NULL) {
  ips <- ips_synthetic
  ips$ethnicity <- as.character(ips$ethnicity)
  population <- caseload_population()
  for (g in names(labels)) {
    ips$ethnicity[ips$ethnicity %in% g] <- labels[[g]]
    population$ethnicity[population$ethnicity == g] <- labels[[g]]
  }
  report_tables(ips, "ethnicity", "employed",
    reference = population, by = "service", unknown = "Not known", suppress = suppress
  )
}

test_that("the findings state each difference with its interval, in words", {
  r <- findings_tables("none")
  f <- equityaudit:::report_findings(r)
  expect_equal(
    f[[1]],
    paste(
      "In CNWL, Asian/Asian British people used the service 1.28 times as often as their",
      "share of the eligible population would suggest (95% interval 1.04 to 1.57)."
    )
  )
  a <- as.data.frame(unclass(r$tables$access))
  expect_equal(sum(grepl("times as often", f)), sum(a$verdict %in% "different"))
  expect_true(any(grepl("^In CNWL, Black/Black British people used the service 1\\.52 times", f)))
  expect_true(any(grepl("^In WWT, Black/Black British people used the service 1\\.53 times", f)))
  expect_true("Counts are exact and not suppressed: this report is for internal use, not for publication." %in% f)
  # no column names, no codes
  expect_false(any(grepl("ethnicity|representation_ratio|verdict|NA", f)))
})

test_that("under a rule the findings say what is hidden, rounded and too few to assess", {
  r <- findings_tables()
  f <- equityaudit:::report_findings(r)
  expect_equal(
    f[[1]],
    paste(
      "In CNWL, Black/Black British people used the service 1.54 times as often as their",
      "share of the eligible population would suggest (95% interval 1.17 to 2.01)."
    )
  )
  expect_true(any(startsWith(f, "Counts of 1 to 7 people are hidden (NHS Digital rule). Counts are rounded to the nearest 5")))
  expect_true(any(grepl("whole numbers", f, fixed = TRUE)))
  expect_true(any(startsWith(f, "People whose group is not recorded are counted in a group of their own")))
  g <- as.data.frame(unclass(r$tables$groups))
  untold <- is.na(g$verdict) & !(g$n %in% 0 | g$ref_n %in% 0)
  if (any(untold)) {
    line <- f[startsWith(f, paste0("Too few people to assess the outcome in ", g$service[untold][[1]], ": "))]
    expect_length(line, 1)
    expect_match(line, g$ethnicity[untold][[1]], fixed = TRUE)
  }
  # every percentage in the findings is a whole number
  expect_false(any(grepl("[0-9]\\.[0-9]+%", f)))
})

test_that("groups are named as people, and the groups too few to assess stratum by stratum", {
  people <- equityaudit:::findings_people
  expect_equal(
    people(c("Bangladeshi", "Not stated", "Other White", "Any other ethnic group", "F", "Z Not stated")),
    c(
      "Bangladeshi people", "people recorded as \u201cNot stated\u201d",
      "people recorded as \u201cOther White\u201d", "people recorded as \u201cAny other ethnic group\u201d",
      "people recorded as \u201cF\u201d", "people recorded as \u201cZ Not stated\u201d"
    )
  )
  d <- data.frame(site = rep(c("East", "North"), each = 3), g = rep(c("A1", "B, C", "D"), 2))
  untold <- c(TRUE, TRUE, TRUE, FALSE, TRUE, FALSE)
  expect_equal(
    equityaudit:::findings_untold(d, untold, rep(TRUE, 6), "g", "site", "access"),
    c("Too few people to assess access in East: every group.", "Too few people to assess access in North: B, C.")
  )
  d$sex <- "F"
  expect_equal(
    equityaudit:::findings_where(d[1, ], c("site", "sex")), "In East (F), "
  )
  many <- data.frame(site = rep(sprintf("S%02d", 1:8), each = 2), g = c("A", "B"))
  expect_equal(
    equityaudit:::findings_untold(many, rep(c(TRUE, FALSE), 8), rep(TRUE, 16), "g", "site", "the outcome"),
    "Too few people to assess the outcome for 8 of 16 groups, in 8 of 8 places: the tables show which."
  )
  expect_null(equityaudit:::findings_untold(many, rep(FALSE, 16), rep(TRUE, 16), "g", "site", "access"))
})

test_that("labels in the findings are literal text in the Markdown", {
  r <- findings_tables(labels = c("Black/Black British" = "<b>Black</b> & *x* [y](z)"))
  f <- equityaudit:::report_findings(r)
  expect_true(any(startsWith(f, "In CNWL, <b>Black</b> & *x* [y](z) people used the service")))
  md <- equityaudit:::md_findings(r)
  expect_true(startsWith(md, "## Main findings\n\n- "))
  expect_false(grepl("<b>", md, fixed = TRUE))
  expect_false(grepl("*x*", md, fixed = TRUE))
  expect_match(md, "&#60;b&#62;Black&#60;&#47;b&#62; &#38; &#42;x&#42;", fixed = TRUE)
})

test_that("the findings open the HTML and the Word report, in the same words", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  r <- findings_tables(labels = c("Black/Black British" = "<script>x</script>"))
  f <- equityaudit:::report_findings(r)
  html <- tempfile(fileext = ".html")
  docx <- tempfile(fileext = ".docx")
  dir <- tempfile()
  on.exit(unlink(c(html, docx, dir), recursive = TRUE))
  equity_report(r, path = html)
  equity_report(r, path = docx)
  page <- paste(readLines(html, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  # the first section heading of the page is the findings
  headings <- regmatches(page, gregexpr("<h2[^>]*>[^<]*</h2>", page))[[1]]
  expect_match(headings[[1]], "Main findings", fixed = TRUE)
  expect_false(grepl("<script>x</script>", page, fixed = TRUE))
  utils::unzip(docx, exdir = dir)
  xml <- paste(readLines(file.path(dir, "word", "document.xml"), warn = FALSE, encoding = "UTF-8"), collapse = "")
  text <- gsub("<[^>]+>", "", xml)
  decode <- function(x) {
    x <- gsub("&lt;", "<", x, fixed = TRUE)
    x <- gsub("&gt;", ">", x, fixed = TRUE)
    x <- gsub("&quot;", "\"", x, fixed = TRUE)
    gsub("&amp;", "&", x, fixed = TRUE)
  }
  word <- decode(text)
  # (in the page, the text as the browser reads it)
  page_text <- decode(gsub("&#39;", "'", gsub("<[^>]+>", "", page), fixed = TRUE))
  for (sentence in f) {
    expect_true(grepl(sentence, page_text, fixed = TRUE), label = sentence)
    expect_true(grepl(sentence, word, fixed = TRUE), label = sentence)
  }
  expect_lt(regexpr("Main findings", word), regexpr("This report was produced", word))
})
