# Published tables as a spreadsheet that follows the Government Statistical
# Service guidance "Releasing statistics in spreadsheets": a cover sheet, a
# contents sheet and a notes sheet, then one table per sheet, numbers stored
# as numbers and the GSS shorthand where a value is not shown. The cells of
# each table are in export-cells.R.

#' Write published tables to a spreadsheet
#'
#' Writes a result, a list of results suppressed together
#' (`suppress_counts(list(...))`), or the tables of a report
#' ([report_tables()]) to an `.xlsx` workbook laid out as the Government
#' Statistical Service guidance *Releasing statistics in spreadsheets* asks:
#'
#' * a cover sheet (`Cover_sheet`): the title, the source, the date, the
#'   suppression rule applied and a contact;
#' * a contents sheet (`Contents`): one row per table sheet, its name a
#'   link to the sheet, with its title;
#' * a notes sheet (`Notes`): the suppression rule, the rounding, the
#'   shorthand, how unknown groups are treated and who each table counts
#'   (and, for a report, what the analyses left out);
#' * one table per sheet, named after the package's own tables (`cohort`,
#'   `access`, `outcomes`, `groups`, `services`, `periods`, `inequality`
#'   (the measures), `counts`; a second table of a kind gets `_2`), and one
#'   sheet for each of a table's other parts (`outcomes_tests`,
#'   `outcomes_cmh`, `groups_pooled`, `services_funnels`, `periods_trend`,
#'   ...).
#'
#' Every sheet has its title in cell A1 (a heading: bold and larger), then
#' in column A what it holds and which notes apply, then one table from row
#' 4: an Excel table (named `table_` and the sheet's name) with one header
#' row, no filter buttons, no blank rows or columns, no merged cells and
#' nothing below it; the shorthand a table uses is said above it. Panes are
#' not frozen, columns are as wide as their content (headers and labels
#' wrap), the workbook opens on the cover sheet, and its properties give
#' its title, subject and creator.
#'
#' The columns are those printed; an estimate and its interval are three
#' columns (the estimate, its lower and its upper 95% limit). Numbers are
#' stored as numbers, rounded as printed: counts as published, percentages
#' and their limits to 1 decimal place, p-values to 3 (a p-value below
#' 0.001 is the text `"< 0.001"`), other statistics to 2. A value that is
#' not shown is the GSS shorthand in brackets, explained on the notes
#' sheet: `[c]` confidential (withheld by the suppression rule, or computed
#' from a withheld count: every cell printed as `"*"`), `[x]` not available
#' (it cannot be computed from the published counts) and `[z]` not
#' applicable (a percentage of nobody, or of the unknown group in the cohort; an exact
#' p-value where none was needed). A column with no value in any row is
#' left out.
#'
#' Labels, titles and notes are written as literal text: a label that
#' starts with `=` is a string, never a formula, no sheet is named after a
#' label, and control and bidirectional formatting characters are shown as
#' their code points (`"[U+202E]"`), as in [equity_report()]. A missing
#' group or stratum label is the unknown group (`"Not known"`).
#'
#' Results without a suppression rule are written too, with a cover sheet
#' that says they are not suppressed and not for publication. The tables
#' of a list must share one rule (suppress them together). Inequality
#' measures are published as they are: compute them from the published
#' table (as [report_tables()] does).
#'
#' Needs the openxlsx package.
#'
#' @param x A result of the package, a list of results suppressed together,
#'   or an `equityaudit_report` ([report_tables()]).
#' @inheritParams equityaudit-arguments
#' @return `path`, invisibly.
#' @seealso [suppress_counts()]; `options(equityaudit.withheld = "gss")`
#'   ([format_p()]) for the same shorthand in printed tables.
#' @export
#' @examples
#' if (requireNamespace("openxlsx", quietly = TRUE)) {
#'   r <- report_tables(ips_synthetic, ethnicity, employed, by = service)
#'   path <- write_tables(r, tempfile(fileext = ".xlsx"),
#'     title = "Equality of employment outcomes", source = "Synthetic IPS cohort"
#'   )
#'   openxlsx::getSheetNames(path)
#' }
write_tables <- function(x, path, title = "Equality audit tables", source = NULL,
                         contact = NULL, ...) {
  check_no_dots(..., fn = "write_tables")
  if (!requireNamespace("openxlsx", quietly = TRUE)) {
    abort_input("argument",
      "write_tables() needs the openxlsx package: install.packages(\"openxlsx\").",
      arg = "path"
    )
  }
  xlsx <- is.character(path) && length(path) == 1 && !is.na(path) &&
    grepl("\\.xlsx$", path, ignore.case = TRUE)
  if (!xlsx) {
    abort_input("argument", "`path` must be one file name ending in \".xlsx\".", arg = "path")
  }
  if (!dir.exists(dirname(path))) {
    abort_input(
      "argument",
      sprintf("The folder of `path` (%s) does not exist.", format_values(dirname(path))),
      arg = "path"
    )
  }
  text <- list(title = title, source = source %||% "Not given", contact = contact %||% "Not given")
  for (arg in names(text)) {
    v <- text[[arg]]
    if (!is.character(v) || length(v) != 1 || is.na(v)) {
      abort_input("argument", sprintf("`%s` must be one string.", arg), arg = arg)
    }
  }
  text <- lapply(text, cell_text)
  book <- export_book(x)
  sheets <- export_sheets(book$tables)
  # the document's properties (the guidance's "document information")
  wb <- openxlsx::createWorkbook(
    creator = "equityaudit R package", title = text$title,
    subject = "Equality of access and outcome: published tables", category = "Statistics"
  )
  notes <- export_notes(book, sheets)
  write_cover(wb, text, book$rule)
  write_contents(wb, sheets)
  write_notes(wb, notes)
  for (s in sheets) write_table_sheet(wb, s, notes)
  # opened on the cover sheet, at A1
  openxlsx::activeSheet(wb) <- 1
  saved <- tryCatch(
    {
      openxlsx::saveWorkbook(wb, path, overwrite = TRUE)
      file.exists(path)
    },
    error = function(e) FALSE
  )
  if (!saved) {
    abort_input("argument", sprintf("Could not write %s.", format_values(path)), arg = "path")
  }
  invisible(path)
}

# The tables to write, their rule (NULL: not suppressed), and what else
# the notes say.
export_book <- function(x) {
  notes <- character()
  records <- NA_real_
  if (inherits(x, "equityaudit_report")) {
    notes <- x$notes
    records <- x$records
    rule <- x$settings$suppress
    x <- c(x$tables, list(measures = x$measures))
  } else {
    rule <- NULL
  }
  if (is.data.frame(x)) x <- list(x)
  results <- vapply(x, inherits, TRUE, c("equityaudit_result", "equityaudit_summary"))
  if (!is.list(x) || length(x) == 0 || !all(results)) {
    abort_input(
      "argument",
      "`x` must be a result of an equityaudit function, a list of them, or report_tables().",
      arg = "x"
    )
  }
  rules <- lapply(x, suppression_of)
  kinds <- vapply(x, table_kind, "")
  # inequality measures carry no rule of their own
  ruled <- rules[kinds != "inequality"]
  names_of <- unique(vapply(ruled, function(s) if (is.null(s)) "none" else s$rule, ""))
  if (length(names_of) > 1) {
    abort_input(
      "argument",
      paste(
        "The tables of `x` are not suppressed by one rule:",
        "suppress them together with suppress_counts(list(...))."
      ),
      arg = "x"
    )
  }
  found <- Filter(Negate(is.null), ruled)
  rule <- if (length(found)) found[[1]] else suppression_rule(rule %||% "none", NULL, NULL)
  check_one_release(x, kinds, found)
  unknown <- unique(unlist(lapply(x, function(t) attr(t, "unknown_label"))))
  list(tables = unname(x), rule = rule, notes = notes, records = records, unknown = unknown)
}

# The package's own name of a table's kind ("outcomes", "cohort", ...).
table_kind <- function(t) {
  kinds <- sub("^equityaudit_", "", grep("^equityaudit_", class(t), value = TRUE))
  kinds <- setdiff(kinds, c("suppressed", "result"))
  if (length(kinds)) kinds[[1]] else "table"
}

# One entry per sheet: its name (from the package's table names only),
# title, kind, the table, the columns shown and its starred cells.
export_sheets <- function(tables) {
  sheets <- list()
  seen <- character()
  for (t in tables) {
    kind <- table_kind(t)
    seen <- c(seen, kind)
    k <- sum(seen == kind)
    name <- if (k == 1) kind else paste0(kind, "_", k)
    spec <- if (inherits(t, "equityaudit_summary")) {
      list(title = "Summary", cols = names(t), parts = list())
    } else {
      spec_of(t)
    }
    sheets[[length(sheets) + 1]] <- list(
      name = name, title = cell_text(spec$title), kind = kind, table = t, cols = spec$cols,
      starred = starred_cells(t), part = FALSE, result = t
    )
    for (p in names(spec$parts)) {
      part <- spec$parts[[p]]
      if (is.null(part) || is.null(part$table) || nrow(part$table) == 0) next
      sheets[[length(sheets) + 1]] <- list(
        name = paste0(name, "_", p), title = cell_text(paste0(spec$title, ": ", part$title)),
        kind = kind, table = part$table, cols = part$cols, starred = list(), part = TRUE,
        of = name, result = t
      )
    }
  }
  sheets
}

write_cover <- function(wb, text, rule) {
  openxlsx::addWorksheet(wb, "Cover_sheet")
  rows <- data.frame(
    field = c("Source", "Date", "Suppression", "Contact", "Produced by"),
    value = c(
      text$source, format(Sys.Date(), "%d %B %Y"), rule_summary(rule), text$contact,
      paste("The equityaudit R package, version", utils::packageVersion("equityaudit"))
    ),
    stringsAsFactors = FALSE
  )
  openxlsx::writeData(wb, "Cover_sheet", text$title, startRow = 1)
  openxlsx::writeData(wb, "Cover_sheet", paste(
    "This workbook has one table per sheet. The Contents sheet lists them; the Notes sheet",
    "explains the suppression, the rounding and the shorthand for values not shown",
    "([c] confidential, [x] not available, [z] not applicable)."
  ), startRow = 2)
  openxlsx::writeData(wb, "Cover_sheet", rows, startRow = 3, colNames = FALSE)
  openxlsx::addStyle(wb, "Cover_sheet", title_style(), rows = 1, cols = 1)
  fields <- 2 + seq_len(nrow(rows))
  openxlsx::addStyle(wb, "Cover_sheet", openxlsx::createStyle(textDecoration = "bold"), rows = fields, cols = 1)
  openxlsx::addStyle(wb, "Cover_sheet", openxlsx::createStyle(wrapText = TRUE), rows = fields, cols = 2)
  openxlsx::setColWidths(wb, "Cover_sheet", 1:2, c(16, 100))
}

write_contents <- function(wb, sheets) {
  openxlsx::addWorksheet(wb, "Contents")
  names <- vapply(sheets, `[[`, "", "name")
  d <- data.frame(
    `Sheet name` = names, `Table title` = vapply(sheets, `[[`, "", "title"),
    check.names = FALSE, stringsAsFactors = FALSE
  )
  write_sheet_table(wb, "Contents", "Table of contents", c(
    "This worksheet contains one table: the workbook's tables, one a sheet.",
    "Each sheet name is a link to its sheet."
  ), d, "table_contents")
  # links to the sheets: formulas built from the package's own sheet names
  # (a label is never a formula), as openxlsx writes a link within the book
  links <- vapply(names, function(n) {
    sub("^=", "", openxlsx::makeHyperlinkString(sheet = n, row = 1, col = 1, text = n))
  }, "")
  for (i in seq_along(links)) {
    openxlsx::writeFormula(wb, "Contents", links[[i]], startCol = 1, startRow = table_row + i)
  }
  link <- openxlsx::createStyle(fontColour = "#005EB8", textDecoration = "underline")
  openxlsx::addStyle(wb, "Contents", link, rows = table_row + seq_along(links), cols = 1)
}

write_notes <- function(wb, notes) {
  openxlsx::addWorksheet(wb, "Notes")
  d <- data.frame(
    `Note number` = seq_along(notes), `Note text` = cell_text(unname(notes)),
    check.names = FALSE, stringsAsFactors = FALSE
  )
  write_sheet_table(wb, "Notes", "Notes", c(
    "This worksheet contains one table: the notes of the workbook's tables.",
    "Each table sheet says which notes apply to it."
  ), d, "table_notes", widths = c(14, 110))
}

# The row of every sheet's table header: the title in A1, then two lines
# on what the sheet holds (in column A, as the guidance asks).
table_row <- 4

title_style <- function() openxlsx::createStyle(fontSize = 16, textDecoration = "bold")

# A sheet of one table: its title (a heading) in A1, the two lines `about`
# below it, and the data frame `d` as an Excel table with one header row and
# no filter buttons from row 4 (a table of no rows as its header alone:
# Excel has no empty tables). Columns as wide as their content, or `widths`.
write_sheet_table <- function(wb, sheet, title, about, d, name, widths = NULL) {
  openxlsx::writeData(wb, sheet, c(title, about), startRow = 1)
  openxlsx::addStyle(wb, sheet, title_style(), rows = 1, cols = 1)
  header <- openxlsx::createStyle(textDecoration = "bold", wrapText = TRUE, valign = "bottom")
  if (nrow(d) == 0) {
    openxlsx::writeData(wb, sheet, as.data.frame(as.list(names(d))),
      startRow = table_row, colNames = FALSE
    )
    openxlsx::addStyle(wb, sheet, header, rows = table_row, cols = seq_along(d))
  } else {
    openxlsx::writeDataTable(wb, sheet, d,
      startRow = table_row, tableName = name, tableStyle = "none", withFilter = FALSE,
      headerStyle = header, keepNA = FALSE, bandedRows = FALSE
    )
  }
  text <- !vapply(d, is.numeric, TRUE)
  if (any(text) && nrow(d) > 0) {
    openxlsx::addStyle(wb, sheet, openxlsx::createStyle(wrapText = TRUE, valign = "top"),
      rows = table_row + seq_len(nrow(d)), cols = which(text), gridExpand = TRUE, stack = TRUE
    )
  }
  openxlsx::setColWidths(wb, sheet, seq_along(d), widths %||% column_widths(d))
}

# A table sheet: numbers written as numbers, then the text cells (labels
# are whole text columns; shorthand and "< 0.001" over the numbers).
write_table_sheet <- function(wb, s, notes) {
  cells <- sheet_cells(s)
  sheet <- s$name
  openxlsx::addWorksheet(wb, sheet)
  d <- as.data.frame(
    lapply(cells$columns, function(col) if (is.numeric(col$value)) col$value else col$text),
    stringsAsFactors = FALSE
  )
  names(d) <- unique_headings(cells$headings)
  write_sheet_table(wb, sheet, s$title, sheet_about(s, cells, notes), d, paste0("table_", sheet))
  rows <- table_row + seq_len(cells$n)
  for (j in seq_along(cells$columns)) {
    col <- cells$columns[[j]]
    if (!is.numeric(col$value)) next
    openxlsx::addStyle(wb, sheet, openxlsx::createStyle(numFmt = col$format), rows = rows, cols = j)
    # shorthand (and "< 0.001") among the numbers, aligned with them
    text <- which(!is.na(col$text))
    for (i in text) {
      openxlsx::writeData(wb, sheet, col$text[[i]], startCol = j, startRow = table_row + i)
    }
    if (length(text)) {
      openxlsx::addStyle(wb, sheet, openxlsx::createStyle(halign = "right"),
        rows = table_row + text, cols = j, stack = TRUE
      )
    }
  }
}
