# Builds the Word reference document of the report template
# (inst/rmarkdown/templates/equity-report/skeleton/equity-report-reference.docx):
# pandoc's own reference document with an A4 page, British English, Arial,
# dark headings, bold captions, and a table style with borders and a shaded
# header row, so that a report can be circulated as it is. Run from the
# repository's root after changing it:
#
#   Rscript tools/make-reference-docx.R
#
# The result is the same bytes each time for one pandoc version (fixed file
# times, no extra zip attributes), so that git sees only real changes.
# The page size and margins must match those of the report's filter
# (equity-report.lua), which starts landscape sections with them.

out <- file.path(
  "inst", "rmarkdown", "templates", "equity-report", "skeleton",
  "equity-report-reference.docx"
)
stopifnot(file.exists("DESCRIPTION"), rmarkdown::pandoc_available("2.11"))

work <- tempfile("reference-docx")
dir.create(work)
on.exit(unlink(work, recursive = TRUE), add = TRUE)
base <- file.path(work, "pandoc-reference.docx")
status <- system2(rmarkdown::pandoc_exec(), c("-o", shQuote(base), "--print-default-data-file", "reference.docx"))
stopifnot(status == 0)
parts <- file.path(work, "parts")
utils::unzip(base, exdir = parts)

read_xml <- function(path) paste(readLines(file.path(parts, path), warn = FALSE, encoding = "UTF-8"), collapse = "\n")
write_xml <- function(text, path) writeLines(enc2utf8(text), file.path(parts, path), useBytes = TRUE)

# Replaces the element matched by `pattern` (one, exactly) with `value`.
replace_one <- function(text, pattern, value) {
  hits <- gregexpr(pattern, text, perl = TRUE)[[1]]
  if (length(hits) != 1 || hits[[1]] < 0) stop("expected one match of ", pattern)
  regmatches(text, list(hits)) <- list(value)
  text
}

# A style element, replacing pandoc's of the same id (or added).
set_style <- function(text, id, xml) {
  pattern <- sprintf('(?s)<w:style [^>]*w:styleId="%s">.*?</w:style>', id)
  if (grepl(pattern, text, perl = TRUE)) {
    replace_one(text, pattern, xml)
  } else {
    sub("</w:styles>", paste0(xml, "\n</w:styles>"), text, fixed = TRUE)
  }
}

arial <- '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial" />'
size <- function(pt) sprintf('<w:sz w:val="%d" /><w:szCs w:val="%d" />', 2 * pt, 2 * pt)
# NHS dark blue: 12.6:1 against white
dark <- '<w:color w:val="003087" />'

heading <- function(level, pt, before) {
  sprintf(paste0(
    '<w:style w:type="paragraph" w:styleId="Heading%1$d"><w:name w:val="Heading %1$d" />',
    '<w:basedOn w:val="Normal" /><w:next w:val="BodyText" /><w:uiPriority w:val="9" />',
    '<w:unhideWhenUsed /><w:qFormat /><w:pPr><w:keepNext /><w:keepLines />',
    '<w:spacing w:before="%3$d" w:after="120" /><w:outlineLvl w:val="%4$d" /></w:pPr>',
    "<w:rPr>%5$s<w:b /><w:bCs />%6$s%2$s</w:rPr></w:style>"
  ), level, size(pt), before, level - 1, arial, dark)
}

border <- function(side, sz = 4, colour = "768692") {
  sprintf('<w:%s w:val="single" w:sz="%d" w:space="0" w:color="%s" />', side, sz, colour)
}

styles <- read_xml("word/styles.xml")
styles <- replace_one(styles, "(?s)<w:docDefaults>.*?</w:docDefaults>", paste0(
  "<w:docDefaults><w:rPrDefault><w:rPr>", arial, size(12),
  '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA" /></w:rPr></w:rPrDefault>',
  '<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto" /></w:pPr></w:pPrDefault>',
  "</w:docDefaults>"
))
styles <- set_style(styles, "Title", paste0(
  '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title" /><w:basedOn w:val="Normal" />',
  '<w:next w:val="Date" /><w:qFormat /><w:pPr><w:keepNext /><w:keepLines />',
  '<w:spacing w:before="0" w:after="240" /><w:outlineLvl w:val="0" /></w:pPr>',
  "<w:rPr>", arial, "<w:b /><w:bCs />", dark, size(24), "</w:rPr></w:style>"
))
styles <- set_style(styles, "Date", paste0(
  '<w:style w:type="paragraph" w:styleId="Date"><w:name w:val="Date" /><w:basedOn w:val="Normal" />',
  '<w:next w:val="BodyText" /><w:qFormat /><w:pPr><w:keepNext /><w:spacing w:after="240" /></w:pPr></w:style>'
))
styles <- set_style(styles, "Heading1", heading(1, 20, 480))
styles <- set_style(styles, "Heading2", heading(2, 16, 360))
styles <- set_style(styles, "Heading3", heading(3, 13, 240))
styles <- set_style(styles, "BodyText", paste0(
  '<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text" /><w:basedOn w:val="Normal" />',
  '<w:link w:val="BodyTextChar" /><w:qFormat /><w:pPr><w:spacing w:before="120" w:after="120" /></w:pPr></w:style>'
))
# captions in bold, not italics (harder to read), kept with their table
styles <- set_style(styles, "Caption", paste0(
  '<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="Caption" /><w:basedOn w:val="Normal" />',
  '<w:next w:val="BodyText" /><w:qFormat /><w:pPr><w:spacing w:before="240" w:after="120" /></w:pPr>',
  "<w:rPr><w:b /><w:bCs />", size(11), "</w:rPr></w:style>"
))
styles <- set_style(styles, "TableCaption", paste0(
  '<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableCaption"><w:name w:val="Table Caption" />',
  '<w:basedOn w:val="Caption" /><w:qFormat /><w:pPr><w:keepNext /><w:keepLines /></w:pPr></w:style>'
))
styles <- set_style(styles, "ImageCaption", paste0(
  '<w:style w:type="paragraph" w:customStyle="1" w:styleId="ImageCaption"><w:name w:val="Image Caption" />',
  '<w:basedOn w:val="Caption" /><w:qFormat /><w:pPr><w:spacing w:before="60" w:after="240" /></w:pPr></w:style>'
))
# NHS blue links: 5.1:1 against white, and underlined
styles <- set_style(styles, "Hyperlink", paste0(
  '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink" />',
  '<w:basedOn w:val="BodyTextChar" /><w:rPr><w:color w:val="005EB8" /><w:u w:val="single" /></w:rPr></w:style>'
))
# every table: borders, 11-point text, a bold shaded header row (pandoc
# marks it as the first row and repeats it on each page)
styles <- set_style(styles, "Table", paste0(
  '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table" />',
  '<w:basedOn w:val="TableNormal" /><w:uiPriority w:val="59" /><w:qFormat />',
  "<w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\" /></w:pPr>",
  "<w:rPr>", size(11), "</w:rPr>",
  '<w:tblPr><w:tblInd w:w="0" w:type="dxa" /><w:tblBorders>',
  border("top"), border("left"), border("bottom"), border("right"), border("insideH"), border("insideV"),
  "</w:tblBorders><w:tblCellMar>",
  '<w:top w:w="57" w:type="dxa" /><w:left w:w="108" w:type="dxa" />',
  '<w:bottom w:w="57" w:type="dxa" /><w:right w:w="108" w:type="dxa" />',
  "</w:tblCellMar></w:tblPr>",
  '<w:tblStylePr w:type="firstRow"><w:rPr><w:b /><w:bCs /></w:rPr>',
  '<w:tcPr><w:tcBorders>', border("bottom", 12, "425563"), "</w:tcBorders>",
  '<w:shd w:val="clear" w:color="auto" w:fill="E8EDEE" /><w:vAlign w:val="bottom" /></w:tcPr>',
  "</w:tblStylePr></w:style>"
))
write_xml(styles, "word/styles.xml")

# A4 portrait with 2 cm margins (in twentieths of a point)
document <- read_xml("word/document.xml")
document <- replace_one(document, "<w:sectPr\\s*/>|(?s)<w:sectPr>.*?</w:sectPr>", paste0(
  '<w:sectPr><w:pgSz w:w="11906" w:h="16838" />',
  '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0" />',
  "</w:sectPr>"
))
write_xml(document, "word/document.xml")

settings <- read_xml("word/settings.xml")
settings <- replace_one(settings, '<w:themeFontLang w:val="[^"]*"\\s*/>', '<w:themeFontLang w:val="en-GB" />')
write_xml(settings, "word/settings.xml")

# zipped with fixed times and no extra attributes: the same bytes each run
files <- list.files(parts, recursive = TRUE, all.files = TRUE)
files <- c("[Content_Types].xml", sort(setdiff(files, "[Content_Types].xml")))
Sys.setFileTime(file.path(parts, files), as.POSIXct("1980-01-01 00:00:00", tz = "UTC"))
target <- file.path(normalizePath("."), out)
unlink(target)
old <- setwd(parts)
status <- utils::zip(target, files, flags = "-X -q -9")
setwd(old)
stopifnot(status == 0)
cat("Wrote", out, "\n")
