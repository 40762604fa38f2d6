# The report as every reader meets it: the demo report and a report of the
# 19 ONS ethnic groups with hostile labels, checked for their structure
# (language, landmarks, headings, captions, row headers, alt text), then
# by axe-core in headless Chromium (no violation of any level), and as a
# Word document read back (A4, en-GB, captions, alt text, its title).

# The 19 groups of the 2021 census, some of them hostile: markup, an
# entity, quotes, a right-to-left override, a very long label (most of
# them early in the groups' order, so that the plots' descriptions, which
# stop at about 700 characters, show them).
a11y_labels <- function() {
  labels <- as.character(ons_ethnicity_2021$detailed)
  labels[2] <- paste0("<b>", labels[2], "</b>")
  labels[5] <- "Asian &amp; other <Asian>"
  labels[7] <- "Caribbean \"Black\" 'British' & <script>alert(1)</script>"
  labels[9] <- "Asian and White \u202eetihW\u202c \u2066x\u2069"
  labels[11] <- paste("Any other ethnic group, described at length:", strrep("long label ", 12))
  labels[13] <- "[link](javascript:alert(1)) *emph* `code` $x$"
  labels
}

# People of five services (so the report compares services), with a
# reference population and dates (so it has every plot).
a11y_people <- function() {
  set.seed(7)
  labels <- a11y_labels()
  n <- 3000
  services <- c("North <i>", "South & East", "West \"A\"", "Central", "Outer")
  d <- data.frame(
    service = sample(services, n, TRUE),
    ethnicity = sample(labels, n, TRUE, prob = seq(3, 1, length.out = length(labels))),
    date_joined = as.Date("2021-01-01") + sample.int(700, n, TRUE),
    stringsAsFactors = FALSE
  )
  d$employed <- stats::runif(n) < 0.25 + 0.15 * (d$service == "Central")
  d$ethnicity[sample.int(n, 60)] <- NA
  population <- stats::aggregate(list(n = rep(10L, n)), d[c("ethnicity", "service")], sum)
  list(people = d, population = population)
}

a11y_title <- "Audit <b>&amp;</b> \"19\" groups"

# The two reports, rendered once for the tests of this file.
a11y_cache <- new.env()
a11y_report <- function(which, ext = "html") {
  key <- paste0(which, ".", ext)
  if (is.null(a11y_cache[[key]])) {
    dir <- Sys.getenv("EQUITYAUDIT_A11Y_KEEP", tempdir())
    path <- file.path(dir, paste0("a11y-", key))
    if (which == "demo") {
      equity_report(ips_synthetic, ethnicity, employed, by = service, path = path)
    } else {
      h <- a11y_people()
      equity_report(h$people, ethnicity, employed,
        by = service, reference = h$population,
        date = date_joined, title = a11y_title, path = path
      )
    }
    a11y_cache[[key]] <- path
  }
  a11y_cache[[key]]
}

skip_without_pandoc <- function() {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
}

read_text <- function(path) {
  paste(readLines(path, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
}

all_matches <- function(x, pattern) regmatches(x, gregexpr(pattern, x, perl = TRUE))[[1]]

# The text of the element of id `id` (a figure's description).
description_of <- function(id, html) {
  sub(paste0("(?s).*<div id=\"", id, "\">\\s*<p>(.*?)</p>.*"), "\\1", html, perl = TRUE)
}

# The page without its scripts and style sheets (whose strings hold tags).
page_body <- function(html) {
  gsub("(?s)<script.*?</script>|<style.*?</style>", "", html, perl = TRUE)
}

# The parts of a .docx: its XML as text.
docx_parts <- function(path) {
  dir <- tempfile("docx")
  on.exit(unlink(dir, recursive = TRUE))
  utils::unzip(path, exdir = dir)
  parts <- c("word/document.xml", "word/styles.xml", "docProps/core.xml")
  stats::setNames(lapply(file.path(dir, parts), read_text), basename(parts))
}

# The text of each paragraph of a style.
styled_paragraphs <- function(doc, style) {
  pattern <- paste0("<w:p>(?:(?!</w:p>).)*<w:pStyle w:val=\"", style, "\" ?/>.*?</w:p>")
  paras <- all_matches(doc, pattern)
  xml_text(gsub("<[^>]+>", "", paras))
}

xml_text <- function(x) {
  x <- gsub("&lt;", "<", x, fixed = TRUE)
  x <- gsub("&gt;", ">", x, fixed = TRUE)
  x <- gsub("&quot;", "\"", x, fixed = TRUE)
  x <- gsub("&#39;", "'", x, fixed = TRUE)
  gsub("&amp;", "&", x, fixed = TRUE)
}

test_that("the page has a language, one main landmark, headings in order, captions, row headers", {
  skip_without_pandoc()
  for (which in c("demo", "hostile")) {
    html <- read_text(a11y_report(which))
    body <- page_body(html)
    expect_match(html, "<html[^>]* lang=\"en-GB\"", label = which)
    expect_length(all_matches(body, "role=\"main\"|<main[ >]"), 1)
    levels <- as.integer(sub("<h", "", all_matches(body, "<h[1-6](?=[ >])")))
    expect_identical(levels[[1]], 1L, label = which)
    expect_identical(sum(levels == 1L), 1L, label = which)
    expect_true(all(diff(levels) <= 1), label = paste(which, paste(levels, collapse = " ")))
    tables <- all_matches(body, "(?s)<table>.*?</table>")
    captions <- sub("(?s)^<table>\\s*<caption>(.*?)</caption>.*", "\\1", tables, perl = TRUE)
    expect_true(all(captions != tables), label = which)
    expect_identical(
      sub("(?s).*?(Table [0-9]+):.*", "\\1", captions, perl = TRUE),
      paste("Table", seq_along(tables))
    )
    # no header without text; every header cell scoped
    expect_false(grepl("<th[^>]*>\\s*</th>", body))
    expect_false(grepl("<th(?=[ >])(?![^>]*scope=\"(row|col)\")[^>]*>", body, perl = TRUE))
  }
  # the demo's tables label their rows: the cohort by group, outcomes and
  # comparisons by service and group, the tests by service, the
  # completeness of the group column by service
  body <- page_body(read_text(a11y_report("demo")))
  tables <- all_matches(body, "(?s)<table>.*?</table>")
  row_headers <- vapply(tables, function(t) {
    rows <- all_matches(sub("(?s).*<tbody>", "", t, perl = TRUE), "(?s)<tr[^>]*>.*?</tr>")
    counts <- lengths(regmatches(rows, gregexpr("<th [^>]*scope=\"row\"", rows)))
    if (length(unique(counts)) == 1) counts[[1]] else NA_integer_
  }, 1L, USE.NAMES = FALSE)
  expect_identical(row_headers, c(1L, 2L, 1L, 2L, 2L, 1L))
  row_header <- function(x) paste0("<th align=\"left\" scope=\"row\">", x, "</th>")
  expect_match(body, paste0(row_header("CNWL"), "\\s*", row_header("White")))
  # the scrolling regions are named by their captions, by reference
  regions <- all_matches(body, "<div class=\"ea-table-scroll\"[^>]*>")
  expect_length(regions, length(tables))
  expect_true(all(grepl("tabindex=\"0\"", regions)))
  expect_true(all(grepl("aria-labelledby=\"ea-table-[0-9]+\"", regions)))
})

test_that("every plot has alt text and a description of its numbers, labels as literal text", {
  skip_without_pandoc()
  r <- report_tables(ips_synthetic, ethnicity, employed, by = service)
  body <- page_body(read_text(a11y_report("demo")))
  images <- all_matches(body, "<img [^>]*>")
  expect_length(images, 1)
  alt <- sub(".* alt=\"([^\"]*)\".*", "\\1", images)
  d <- outcome_plot_data(r$tables$outcomes)
  expect_identical(alt, sprintf(
    paste(
      "Percentages with the outcome, with 95%% intervals, of %d groups in %d panels,",
      "from %.1f%% to %.1f%%. Each value is in the description below the figure."
    ),
    length(unique(d$group)), length(unique(d$panel)), min(d$est), max(d$est)
  ))
  id <- sub(".*aria-describedby=\"([^\"]+)\".*", "\\1", images)
  description <- description_of(id, body)
  first <- sprintf("White %.1f%% (%.1f to %.1f)", d$est[[1]], d$low[[1]], d$high[[1]])
  cnwl <- sprintf("CNWL (all: %.1f%%): ", d$ref[[1]])
  expect_match(description, paste0(cnwl, first), fixed = TRUE)
  expect_match(description, "3 groups with suppressed counts not shown.", fixed = TRUE)
  expect_match(body, "<figcaption>\\s*Figure 1: Percentage of each group of ethnicity with the")

  # the hostile report: five plots, each described; labels only as
  # escaped text, never in an attribute
  body <- page_body(read_text(a11y_report("hostile")))
  images <- all_matches(body, "<img [^>]*>")
  # the SPC charts drawn twice: a grid, and two to a row for a phone,
  # shown in its place below 600 pixels, with the same alt text and
  # description
  phone <- grepl("class=\"ea-phone\"", images, fixed = TRUE)
  wide <- grepl("class=\"ea-wide\"", images, fixed = TRUE)
  expect_equal(c(sum(phone), sum(wide)), c(1, 1))
  expect_equal(which(phone), which(wide) + 1)
  strip <- function(x) sub(" class=\"ea-(phone|wide)\"", "", sub(" width=\"[0-9]+\"", "", sub("src=\"[^\"]*\"", "", x)))
  expect_identical(strip(images[phone]), strip(images[wide]))
  expect_match(images[phone], "width=\"384\"", fixed = TRUE)
  expect_match(read_text(a11y_report("hostile")), "@media (max-width: 600px)", fixed = TRUE)
  images <- images[!phone]
  expect_length(images, 5)
  alts <- sub(".* alt=\"([^\"]*)\".*", "\\1", images)
  expect_true(all(nchar(alts) > 40))
  expect_false(any(grepl("Chinese|Caribbean|&lt;|&amp;|U\\+202E", alts)))
  ids <- sub(".*aria-describedby=\"([^\"]+)\".*", "\\1", images)
  descriptions <- vapply(ids, description_of, "", html = body)
  # about 700 characters of values, then how many more and the plot's note
  lengths <- nchar(xml_text(descriptions))
  expect_true(all(lengths < 850), label = paste(lengths, collapse = " "))
  d <- descriptions[[1]]
  expect_match(d, "Central: &lt;b&gt;Chinese&lt;/b&gt; [0-9.]+ \\([0-9.]+ to [0-9.]+\\), African")
  expect_match(d, "; and [0-9]+ more \\(the table gives every value\\)\\.")
  expect_match(d, ", Asian &amp;amp; other &lt;Asian&gt; [0-9.]+ \\(")
  caribbean <- ", Caribbean &quot;Black&quot; &#39;British&#39; &amp; &lt;script&gt;a\u2026 1"
  expect_match(d, caribbean, fixed = TRUE)
  expect_match(d, ", Asian and White [U+202E]etihW[U+202C] [U+2066]x[U+2069] ", fixed = TRUE)
  expect_match(d, ", Any other ethnic group, described at le\u2026 [0-9.]+ \\(")
  expect_false(any(grepl("\u202e|<b>|<script", descriptions)))
  expect_match(descriptions[[3]], "^Funnel plots, one for each group of ethnicity")
})

test_that("a plot with every group suppressed says so in its alt text and description", {
  set.seed(1)
  d <- data.frame(
    g = sample(c("a", "b", "c"), 15, TRUE), y = stats::runif(15) < 0.5,
    date = as.Date("2020-01-01") + sample.int(400, 15)
  )
  population <- data.frame(g = c("a", "b", "c"), n = c(100, 200, 300))
  r <- report_tables(d, g, y, reference = population, date = date)
  figures <- report_figures(r)
  expect_named(figures, c("access", "outcomes", "periods", "spc"))
  expect_match(figures$spc$alt[["short"]], "^SPC charts of the outcome gap to the largest group of 2 groups")
  expect_identical(
    figures$outcomes$alt[["short"]],
    paste(
      "Percentages with the outcome, with 95% intervals: no group is drawn.",
      "The description below the figure says why."
    )
  )
  none <- "together: none. 3 groups with suppressed counts not shown.$"
  expect_match(figures$outcomes$alt[["long"]], none)
  expect_match(figures$periods$alt[["long"]], "over all periods: none.$")
  # one panel of everyone: no "by"
  expect_match(figures$outcomes$alt[["long"]], "(y = TRUE), with 95% Wilson", fixed = TRUE)
})

# Where the repository's tools are (tools/axe.js and its node_modules):
# beside the tests in a source tree, four folders up in R CMD check's
# (check/equityaudit.Rcheck/tests/testthat), or EQUITYAUDIT_TOOLS.
a11y_tools <- function() {
  given <- Sys.getenv("EQUITYAUDIT_TOOLS")
  if (nzchar(given)) {
    return(given)
  }
  dir <- normalizePath(getwd(), mustWork = FALSE)
  for (i in 1:6) {
    if (file.exists(file.path(dir, "tools", "axe.js"))) {
      return(file.path(dir, "tools"))
    }
    dir <- dirname(dir)
  }
  ""
}

# Runs tools/axe.js on pages: its table of results, one row per page and
# window width, and its exit status (its findings in full are kept in
# EQUITYAUDIT_A11Y_KEEP, when set, as axe.json).
run_axe <- function(tools, pages) {
  keep <- Sys.getenv("EQUITYAUDIT_A11Y_KEEP")
  json <- if (nzchar(keep)) c("--json", shQuote(file.path(keep, "axe.json")))
  args <- c(shQuote(file.path(tools, "axe.js")), json, shQuote(pages))
  # (the browser runs without the sanitizer's library, which `make
  # sanitize` preloads into R and every child: Chromium does not start with it)
  out <- suppressWarnings(system2("node", args,
    stdout = TRUE, stderr = TRUE, timeout = 300, env = "LD_PRELOAD="
  ))
  status <- attr(out, "status") %||% 0L
  table <- out[grepl("\t", out)]
  if (length(table) < 2) {
    stop("axe.js gave no results (status ", status, "):\n", paste(out, collapse = "\n"))
  }
  d <- utils::read.delim(text = table, colClasses = "character", na.strings = NULL)
  d$status <- status
  d
}

test_that("axe-core finds no violation of any level in the demo and the hostile report", {
  skip_without_pandoc()
  tools <- a11y_tools()
  missing <- c(
    "Node.js (node)"[!nzchar(Sys.which("node"))],
    "Chromium (/usr/bin/chromium)"[!file.exists(Sys.getenv("CHROMIUM", "/usr/bin/chromium"))],
    "the repository's tools/axe.js"[!file.exists(file.path(tools, "axe.js"))],
    "axe-core and playwright-core in tools/node_modules"[
      !all(dir.exists(file.path(tools, "node_modules", c("axe-core", "playwright-core"))))
    ]
  )
  skip_if_not(length(missing) == 0, paste(
    "the axe-core check needs", paste(missing, collapse = ", "),
    "(`make deps` installs Debian's chromium and runs `npm ci --prefix tools`)"
  ))
  # a page with known faults first: the check finds what it should
  bad <- file.path(tempdir(), "a11y-bad.html")
  writeLines(c(
    "<!DOCTYPE html><html><head><title>Bad</title></head><body>",
    "<h1>Title</h1><h4>Skipped</h4><img src=\"data:image/png;base64,iVBORw0KGgo=\">",
    "<table><tr><th></th><th>n</th></tr><tr><td>a</td><td>1</td></tr></table>",
    "</body></html>"
  ), bad)
  pages <- c(bad, a11y_report("demo"), a11y_report("hostile"))
  results <- run_axe(tools, pages)
  expect_identical(results$status[[1]], 1L)
  expect_setequal(results$file, pages)
  expect_identical(as.integer(results$width), rep(c(390L, 1280L), 3))
  found <- results$violations[results$file == bad]
  faults <- c(
    "html-has-lang", "image-alt", "empty-table-header", "heading-order", "landmark-one-main"
  )
  for (rule in faults) {
    expect_true(all(grepl(paste0("(^|,)", rule, ":"), found)), label = rule)
  }
  reports <- results[results$file != bad, ]
  # every rule axe runs by default, WCAG 2.0 to 2.2 A and AA and best
  # practices: none violated, at either width
  found <- paste(reports$violations, collapse = ";")
  expect_identical(reports$violations, rep("", 4), label = found)
  expect_true(all(as.integer(reports$passes) >= 30))
  # what axe cannot decide is only the contrast of text scrolled out of
  # its table's view on a phone (the same colours it passes in view), some
  # of it too short for axe to call text (a star, a one-digit count)
  undecided <- unlist(strsplit(reports$incomplete[nzchar(reports$incomplete)], ","))
  reason <- "(elmPartiallyObscured|shortTextContent)"
  expect_true(all(grepl(paste0("^color-contrast:[0-9]+:", reason, "(\\|", reason, ")*$"), undecided)),
    label = paste(undecided, collapse = " ")
  )
  expect_identical(reports$incomplete[reports$width == "1280"], c("", ""))
})

test_that("the Word report is A4 in en-GB, with captions, alt text from the data and its title", {
  skip_without_pandoc()
  path <- a11y_report("hostile", "docx")
  x <- docx_parts(path)
  doc <- x[["document.xml"]]
  # A4 on every page, portrait at the end, landscape for the wide tables
  sizes <- all_matches(doc, "<w:pgSz [^>]*>")
  w <- as.integer(sub(".*w:w=\"([0-9]+)\".*", "\\1", sizes))
  h <- as.integer(sub(".*w:h=\"([0-9]+)\".*", "\\1", sizes))
  expect_true(all(paste(pmin(w, h), pmax(w, h)) == "11906 16838"))
  expect_identical(w[[length(w)]], 11906L)
  expect_true(any(grepl("w:orient=\"landscape\"", sizes) & w == 16838L))
  expect_match(x[["styles.xml"]], "<w:lang [^>]*w:val=\"en-GB\"")
  expect_match(x[["core.xml"]], "<dc:language>en-GB</dc:language>", fixed = TRUE)
  expect_identical(
    xml_text(sub(".*<dc:title>(.*)</dc:title>.*", "\\1", x[["core.xml"]])),
    a11y_title
  )
  # the table style has borders; every table its caption, before it
  table_style <- all_matches(
    x[["styles.xml"]], "(?s)<w:style [^>]*w:styleId=\"Table\"[^>]*>.*?</w:style>"
  )
  expect_match(table_style, "<w:tblBorders>")
  expect_match(table_style, "w:type=\"firstRow\"")
  n_tables <- length(all_matches(doc, "<w:tbl>"))
  captions <- styled_paragraphs(doc, "TableCaption")
  expect_gte(n_tables, 10)
  expect_identical(sub(":.*", "", captions), paste("Table", seq_len(n_tables)))
  expect_identical(captions[[1]], "Table 1: People by ethnicity, within service")
  expect_length(all_matches(doc, "<w:tblCaption w:val=\"Table [0-9]+: "), n_tables)
  expect_length(all_matches(doc, "<w:tblHeader"), n_tables)
  # every picture described by the report's description of its numbers,
  # never a file's path; and captioned
  h_data <- a11y_people()
  r <- report_tables(h_data$people, ethnicity, employed,
    by = service, reference = h_data$population, date = date_joined
  )
  figures <- report_figures(r, word = TRUE)
  descr <- xml_text(sub(".* descr=\"([^\"]*)\".*", "\\1", all_matches(doc, "<wp:docPr [^>]*>")))
  described <- vapply(figures, function(f) visible_controls(f$alt[["long"]]), "", USE.NAMES = FALSE)
  expect_identical(descr, described)
  expect_match(descr[[1]], "<b>Chinese</b> [0-9.]+ \\(", perl = TRUE)
  expect_false(any(grepl("^/|^[A-Za-z]:[/\\\\]|\\.png|figure-docx", descr)))
  names <- sub(".* descr=\"([^\"]*)\".*", "\\1", all_matches(doc, "<pic:cNvPr [^>]*>"))
  expect_identical(names, paste0("figure-", seq_along(figures), ".png"))
  expect_false(grepl(basename(tempdir()), paste(x, collapse = ""), fixed = TRUE))
  image_captions <- styled_paragraphs(doc, "ImageCaption")
  expect_identical(sub(":.*", "", image_captions), paste("Figure", seq_along(figures)))
  expect_identical(
    sub("^Figure [0-9]+: ", "", image_captions),
    unname(vapply(figures, `[[`, "", "caption"))
  )
  expect_true("Who used the service" %in% styled_paragraphs(doc, "Heading2"))
})
