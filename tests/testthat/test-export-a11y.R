# write_tables() against the Analysis Function's checklist for releasing
# statistics in spreadsheets ("Making spreadsheets accessible: a brief
# checklist of the basics"), read back from the workbook's XML: each point
# of the checklist that a program can settle is one expectation below.

# The parts of a workbook: its sheets' names and XML (in order), each
# sheet's tables' XML, its styles, shared strings and core properties.
xlsx_parts <- function(path) {
  dir <- tempfile("xlsx")
  on.exit(unlink(dir, recursive = TRUE))
  utils::unzip(path, exdir = dir)
  read <- function(p) {
    if (!file.exists(file.path(dir, p))) {
      return("")
    }
    paste(readLines(file.path(dir, p), warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  }
  workbook <- read("xl/workbook.xml")
  names <- xml_unescape(attr_of(all_of(workbook, "<sheet [^>]*>"), "name"))
  sheets <- lapply(seq_along(names), function(i) read(sprintf("xl/worksheets/sheet%d.xml", i)))
  tables <- lapply(seq_along(names), function(i) {
    rels <- read(sprintf("xl/worksheets/_rels/sheet%d.xml.rels", i))
    targets <- basename(attr_of(all_of(rels, "<Relationship [^>]*/tables/[^>]*>"), "Target"))
    vapply(targets, function(t) read(file.path("xl/tables", t)), "", USE.NAMES = FALSE)
  })
  strings <- read("xl/sharedStrings.xml")
  list(
    names = names, sheets = stats::setNames(sheets, names), tables = stats::setNames(tables, names),
    workbook = workbook, styles = read("xl/styles.xml"), core = read("docProps/core.xml"),
    strings = xml_unescape(gsub("<[^>]+>", "", all_of(strings, "(?s)<si>.*?</si>")))
  )
}

xml_unescape <- function(x) {
  entities <- c("&quot;" = "\"", "&apos;" = "'", "&lt;" = "<", "&gt;" = ">", "&amp;" = "&")
  for (e in names(entities)) x <- gsub(e, entities[[e]], x, fixed = TRUE)
  x
}

all_of <- function(x, pattern) regmatches(x, gregexpr(pattern, x, perl = TRUE))[[1]]

attr_of <- function(x, name) {
  sub(paste0("(?s).*\\b", name, "=\"([^\"]*)\".*"), "\\1", x, perl = TRUE)
}

# The cells of a sheet: reference, row, column, style, whether they hold
# anything, and their text (shared strings resolved).
sheet_cells_of <- function(xml, strings) {
  cells <- all_of(xml, "<c [^>]*/>|<c [^>]*[^/]>.*?</c>")
  ref <- attr_of(cells, "r")
  col <- vapply(strsplit(sub("[0-9]+$", "", ref), ""), function(l) {
    sum(match(l, LETTERS) * 26^rev(seq_along(l) - 1))
  }, 0)
  type <- ifelse(grepl(" t=\"", cells), attr_of(cells, "t"), "n")
  value <- ifelse(grepl("<v>", cells), sub(".*<v>([^<]*)</v>.*", "\\1", cells), NA)
  text <- xml_unescape(value)
  shared <- type == "s"
  text[shared] <- strings[as.integer(value[shared]) + 1]
  inline <- type == "inlineStr"
  text[inline] <- xml_unescape(gsub("<[^>]+>", "", sub(".*?<is>(.*)</is>.*", "\\1", cells[inline])))
  data.frame(
    ref = ref, row = as.integer(sub("^[A-Z]+", "", ref)), col = as.integer(col),
    style = as.integer(ifelse(grepl(" s=\"", cells), attr_of(cells, "s"), "0")),
    filled = grepl("<v>|<is>|<f>", cells), formula = grepl("<f>", cells), text = text,
    stringsAsFactors = FALSE
  )
}

# The cell formats (cellXfs) of a workbook: font size, bold, wrap, fill.
cell_formats <- function(styles) {
  fonts <- all_of(styles, "(?s)<font>.*?</font>|<font/>")
  size <- attr_of(sub(".*(<sz [^>]*>).*", "\\1", fonts), "val")
  size <- as.numeric(ifelse(grepl("<sz ", fonts), size, "11"))
  xfs <- sub("(?s).*<cellXfs[^>]*>(.*?)</cellXfs>.*", "\\1", styles, perl = TRUE)
  xf <- all_of(xfs, "<xf [^>]*/>|<xf [^>]*[^/]>.*?</xf>")
  font <- as.integer(attr_of(xf, "fontId")) + 1
  data.frame(
    size = size[font], bold = grepl("<b/>|<b val=\"1\"/>", fonts)[font],
    wrap = grepl("wrapText=\"1\"", xf), fill = as.integer(attr_of(xf, "fillId"))
  )
}

# Every point of the checklist a program can settle, for the workbook at
# `path` titled `title`.
expect_gss_workbook <- function(path, title) {
  x <- xlsx_parts(path)
  formats <- cell_formats(x$styles)
  # structure: the cover, contents and notes first; names unique, no blank
  # sheet; the workbook opens on the first sheet at A1
  expect_identical(x$names[1:3], c("Cover_sheet", "Contents", "Notes"))
  expect_false(anyDuplicated(tolower(x$names)) > 0)
  expect_match(x$workbook, "activeTab=\"0\"")
  expect_match(x$sheets[[1]], "tabSelected=\"(true|1)\"")
  contents <- sheet_cells_of(x$sheets[["Contents"]], x$strings)
  for (s in x$names) {
    xml <- x$sheets[[s]]
    cells <- sheet_cells_of(xml, x$strings)
    expect_true(any(cells$filled), label = s)
    # a title in A1, as a heading (bold, larger than the text)
    a1 <- cells[cells$ref == "A1", ]
    a1_format <- formats[a1$style + 1, ]
    expect_true(nzchar(a1$text) && a1_format$bold && a1_format$size > 11, label = s)
    # no merged cells, frozen panes, filters, hidden rows or columns,
    # headers and footers, drawings or pictures
    unwanted <- c(
      "<mergeCell", "<pane ", "<autoFilter", "hidden=\"(1|true)\"", "<headerFooter",
      "<drawing ", "<picture "
    )
    expect_false(grepl(paste(unwanted, collapse = "|"), xml), label = s)
    # the selection, if any, at A1
    expect_false(grepl("<selection [^>]*activeCell=\"(?!A1\")", xml, perl = TRUE), label = s)
    if (s == "Cover_sheet") next
    # one marked-up table a sheet, named after it, from A4 at the sheet's
    # left edge, with one header row and no filter buttons
    expect_length(x$tables[[s]], 1)
    table <- x$tables[[s]]
    name <- attr_of(sub("<tableColumns.*", "", table), "name")
    expect_identical(name, paste0("table_", tolower(s)), label = s)
    expect_match(name, "^[A-Za-z_][A-Za-z0-9_]*$")
    expect_false(grepl("headerRowCount=\"0\"|<autoFilter", table), label = s)
    ref <- attr_of(table, "ref")
    first <- sub(":.*", "", ref)
    last <- sub(".*:", "", ref)
    expect_identical(first, "A4", label = s)
    last_row <- as.integer(sub("^[A-Z]+", "", last))
    last_col <- cells$col[match(last, cells$ref)]
    inside <- cells$row >= 4 & cells$row <= last_row & cells$col <= last_col
    # no blank cell within the table: shorthand where a value is not shown
    expect_identical(sum(inside & cells$filled), (last_row - 3L) * last_col, label = s)
    # the header: unique text, bold and wrapped
    header <- cells[cells$row == 4 & inside, ]
    expect_false(anyDuplicated(tolower(header$text)) > 0, label = s)
    header_format <- formats[header$style + 1, ]
    expect_true(all(nzchar(header$text) & header_format$bold & header_format$wrap), label = s)
    columns <- xml_unescape(attr_of(all_of(table, "<tableColumn [^>]*>"), "name"))
    expect_identical(columns, header$text[order(header$col)], label = s)
    # nothing beside or below it, nothing but column A above it
    expect_false(any(cells$filled & (cells$row > last_row | cells$col > last_col)), label = s)
    expect_true(all(cells$col[cells$filled & cells$row < 4] == 1), label = s)
    expect_identical(sort(cells$row[cells$filled & cells$row < 4]), 1:3, label = s)
    # no background fill on the table's cells; columns wide enough for
    # their headers' words
    expect_true(all(formats$fill[cells$style[inside] + 1] <= 1), label = s)
    widths <- as.numeric(attr_of(regmatches(xml, gregexpr("<col [^>]*>", xml))[[1]], "width"))
    words <- vapply(strsplit(header$text[order(header$col)], "\\s+"), function(w) max(nchar(w)), 0)
    expect_true(length(widths) >= last_col && all(widths[seq_len(last_col)] >= words), label = s)
    # only the contents' links are formulas
    expect_identical(any(cells$formula), s == "Contents", label = s)
    if (s %in% c("Contents", "Notes")) next
    # the contents link to the sheet, and say its title
    row <- 4 + match(s, x$names[-(1:3)])
    listed <- contents$text[contents$col == 2 & contents$row == row]
    expect_identical(listed, cells$text[cells$ref == "A1"])
    link <- sprintf("HYPERLINK(\"#'%s'!A1\", \"%s\")", s, s)
    expect_match(xml_unescape(x$sheets[["Contents"]]), link, fixed = TRUE)
    # its notes by number, in words, and the shorthand it uses said above it
    notes <- sheet_cells_of(x$sheets[["Notes"]], x$strings)
    note_text <- notes$text[notes$col == 2 & notes$row > 4]
    own <- grep(paste0("^Sheet ", s, ": "), note_text)
    expect_length(own, 1)
    expect_match(cells$text[cells$ref == "A2"], paste0("and note ", own, " to this one\\.$"))
    used <- unique(cells$text[inside & cells$text %in% c("[c]", "[x]", "[z]")])
    said <- all_of(cells$text[cells$ref == "A3"], "\\[[cxz]\\]")
    expect_setequal(said, used)
  }
  # no superscript note markers anywhere
  expect_false(grepl("<vertAlign", x$styles))
  # the document's properties
  expect_identical(xml_unescape(sub(".*<dc:title>(.*)</dc:title>.*", "\\1", x$core)), title)
  subject <- "<dc:subject>Equality of access and outcome: published tables</dc:subject>"
  expect_match(x$core, subject, fixed = TRUE)
  expect_match(x$core, "<dc:creator>equityaudit R package</dc:creator>", fixed = TRUE)
  x
}

test_that("a report's workbook meets the checklist for releasing statistics in spreadsheets", {
  skip_if_not_installed("openxlsx")
  r <- report_tables(ips_synthetic, ethnicity, employed,
    reference = caseload_population(), by = service, unknown = "Not known", date = date_joined
  )
  path <- tempfile(fileext = ".xlsx")
  on.exit(unlink(path))
  write_tables(r, path, title = "Employment by ethnicity & service", source = "IPS extract")
  x <- expect_gss_workbook(path, "Employment by ethnicity & service")
  expect_setequal(x$names[-(1:3)], c(
    "cohort", "access", "access_tests", "outcomes", "outcomes_tests", "outcomes_cmh",
    "groups", "groups_pooled", "periods", "periods_trend", "inequality"
  ))
  # the shorthand said where it is used, and that none is where none is
  outcomes <- sheet_cells_of(x$sheets[["outcomes"]], x$strings)
  expect_identical(
    outcomes$text[outcomes$ref == "A3"],
    "Some cells show shorthand for a value not shown: [c] confidential (note 3)."
  )
  tests <- sheet_cells_of(x$sheets[["outcomes_tests"]], x$strings)
  expect_match(tests$text[tests$ref == "A3"], "^No cell of this table shows shorthand")
})

test_that("a workbook of hostile labels and names meets the checklist too", {
  skip_if_not_installed("openxlsx")
  hostile <- c("=cmd|' /C calc'!A0", "<b>bold</b>", "a & b", "\"quoted\"", "x\u202ey", "+SUM(1,2)")
  set.seed(3)
  people <- data.frame(
    site = rep(c("=A1", "<i>B</i>"), each = 120),
    eth = sample(rep(hostile, 40)),
    out = sample(c(TRUE, FALSE), 240, replace = TRUE),
    stringsAsFactors = FALSE
  )
  names(people)[2] <- "<ethnic> group & \"x\""
  res <- suppress_counts(list(
    describe_cohort(people, "<ethnic> group & \"x\"", by = site),
    compare_outcomes(people, "<ethnic> group & \"x\"", out, by = site)
  ))
  path <- tempfile(fileext = ".xlsx")
  on.exit(unlink(path))
  write_tables(res, path, title = "=1+1 <title> & \"more\"")
  x <- expect_gss_workbook(path, "=1+1 <title> & \"more\"")
  outcomes <- sheet_cells_of(x$sheets[["outcomes"]], x$strings)
  header <- outcomes$text[outcomes$row == 4]
  expect_true("<ethnic> group & \"x\"" %in% header)
  expect_true(all(c("x[U+202E]y", "<b>bold</b>", "=cmd|' /C calc'!A0") %in% outcomes$text))
})
