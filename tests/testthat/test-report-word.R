# equity_report() as a Word document: the same sections, tables and
# suppression as the HTML page, every label literal text.

# The text of each table of a .docx: a list of character matrices.
docx_tables <- function(xml) {
  decode <- function(x) {
    x <- gsub("&lt;", "<", x, fixed = TRUE)
    x <- gsub("&gt;", ">", x, fixed = TRUE)
    x <- gsub("&quot;", "\"", x, fixed = TRUE)
    x <- gsub("&#39;", "'", x, fixed = TRUE)
    gsub("&amp;", "&", x, fixed = TRUE)
  }
  text_of <- function(x) {
    runs <- regmatches(x, gregexpr("<w:t(?: [^>]*)?>[^<]*</w:t>", x, perl = TRUE))[[1]]
    decode(paste(sub("<w:t(?: [^>]*)?>([^<]*)</w:t>", "\\1", runs, perl = TRUE), collapse = ""))
  }
  tables <- regmatches(xml, gregexpr("<w:tbl>.*?</w:tbl>", xml, perl = TRUE))[[1]]
  lapply(tables, function(t) {
    rows <- regmatches(t, gregexpr("<w:tr[ >].*?</w:tr>", t, perl = TRUE))[[1]]
    cells <- lapply(rows, function(r) {
      vapply(regmatches(r, gregexpr("<w:tc>.*?</w:tc>", r, perl = TRUE))[[1]], text_of, "", USE.NAMES = FALSE)
    })
    do.call(rbind, cells)
  })
}

test_that("equity_report() writes a Word document with the HTML report's sections and tables", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  hostile <- c(Mixed = "<script>alert(1)</script>", Other = "=cmd|' /C calc'!A0")
  ips <- ips_synthetic
  ips$ethnicity <- as.character(ips$ethnicity)
  population <- caseload_population()
  for (g in names(hostile)) {
    ips$ethnicity[ips$ethnicity %in% g] <- hostile[[g]]
    population$ethnicity[population$ethnicity == g] <- hostile[[g]]
  }
  out <- tempfile(fileext = ".docx")
  dir <- tempfile()
  on.exit(unlink(c(out, dir), recursive = TRUE))
  path <- equity_report(ips, "ethnicity", "employed",
    reference = population, by = "service", unknown = "Not known",
    path = out, title = "<b>Audit</b> & *x*"
  )
  expect_equal(normalizePath(path), normalizePath(out))
  utils::unzip(out, exdir = dir)
  xml <- paste(readLines(file.path(dir, "word", "document.xml"), warn = FALSE, encoding = "UTF-8"), collapse = "")
  text <- gsub("<[^>]+>", "", xml)
  for (heading in c(
    "Who used the service", "Equality of access", "Equality of outcome",
    "Equal, different, or too few people to tell?", "How unequal are the groups?"
  )) {
    pattern <- paste0("<w:pStyle w:val=\"Heading2\" />(?:(?!</w:p>).)*\\Q", heading, "\\E")
    expect_true(grepl(pattern, xml, perl = TRUE), label = heading)
  }
  # the title and the labels as the literal text they are; no style sheet
  expect_true(grepl("&lt;b&gt;Audit&lt;/b&gt; &amp; *x*", text, fixed = TRUE))
  expect_false(grepl("<script>", xml, fixed = TRUE))
  expect_false(grepl("overflow-x", text, fixed = TRUE))
  expect_true(grepl("NHS Digital rule", text, fixed = TRUE))
  # cohort, access and its tests, outcomes and their tests, verdicts, measures
  tables <- docx_tables(xml)
  # (and the completeness of the group column, in the methods)
  expect_length(tables, 8)
  expect_identical(tables[[1]][1, ], c("ethnicity", "CNWL", "WWT", "Total"))
  cohort_rows <- tables[[1]][, 1]
  expect_true(all(hostile %in% cohort_rows))
  # the outcome table is the published one, cell for cell, stars included
  r <- report_tables(ips, "ethnicity", "employed",
    reference = population, by = "service", unknown = "Not known"
  )
  published <- readable_table(r$tables$outcomes, c("service", "ethnicity", "n", "events", "pct_ci"))
  expect_identical(tables[[4]][1, ], names(published))
  expect_identical(unname(tables[[4]][-1, , drop = FALSE]), unname(as.matrix(published)))
  expect_true(any(tables[[4]] == "*"))
  expect_true(all(hostile %in% tables[[4]][, 2]))
  # the plots are pictures in the document
  expect_gte(length(list.files(file.path(dir, "word", "media"), pattern = "\\.png$")), 2)
})

test_that("equity_report() takes its format from the file name or `format`", {
  expect_identical(report_format(NULL, "a.docx"), "word")
  expect_identical(report_format(NULL, "a.DOCX"), "word")
  expect_identical(report_format(NULL, "a.html"), "html")
  expect_identical(report_format("word", "a.docx"), "word")
  expect_error(report_format("word", "a.html"), class = "equityaudit_error_argument")
  expect_error(report_format("html", "a.docx"), class = "equityaudit_error_argument")
  expect_error(report_format("pdf", "a.pdf"), class = "equityaudit_error_argument")
  expect_error(
    equity_report(ips_synthetic, ethnicity, employed, path = "a.html", format = "word"),
    class = "equityaudit_error_argument"
  )
})
