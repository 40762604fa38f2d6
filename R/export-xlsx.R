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
#' * a contents sheet (`Contents`): one row per table sheet, with its title;
#' * a notes sheet (`Notes`): the suppression rule, the rounding, the
#'   shorthand, how unknown groups are treated and who each table counts
#'   (and, for a report, what the analyses left out);
#' * one table per sheet, named after the package's own tables (`cohort`,
#'   `access`, `outcomes`, `groups`, `services`, `periods`, `inequality`
#'   (the measures), `counts`; a second table of a kind gets `_2`), and one
#'   sheet for each of a table's other parts (`outcomes_tests`,
#'   `outcomes_cmh`, `groups_pooled`, `services_funnels`, `periods_trend`,
#'   ...): a plain title in cell A1, one header row in row 2 and the rows
#'   below it, with no blank rows or columns and no merged cells.
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
#' @param source Where the data come from, on the cover sheet (`NULL`: "Not
#'   given").
#' @param contact Who to contact about the tables, on the cover sheet
#'   (`NULL`: "Not given").
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
  wb <- openxlsx::createWorkbook()
  write_cover(wb, text, book$rule)
  write_contents(wb, sheets)
  write_notes(wb, export_notes(book, sheets))
  for (s in sheets) write_table_sheet(wb, s)
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
  d <- data.frame(
    `Sheet name` = vapply(sheets, `[[`, "", "name"),
    `Table title` = vapply(sheets, `[[`, "", "title"),
    check.names = FALSE, stringsAsFactors = FALSE
  )
  write_plain_table(wb, "Contents", "Table of contents", d, c(24, 100))
}

write_notes <- function(wb, notes) {
  openxlsx::addWorksheet(wb, "Notes")
  d <- data.frame(
    `Note number` = seq_along(notes), `Note text` = cell_text(notes),
    check.names = FALSE, stringsAsFactors = FALSE
  )
  write_plain_table(wb, "Notes", "Notes", d, c(14, 120))
  openxlsx::addStyle(wb, "Notes", openxlsx::createStyle(wrapText = TRUE),
    rows = 2 + seq_along(notes), cols = 2
  )
}

# A title in A1, the header row in row 2, the rows below.
write_plain_table <- function(wb, sheet, title, d, widths) {
  openxlsx::writeData(wb, sheet, title, startRow = 1)
  openxlsx::writeData(wb, sheet, d,
    startRow = 2, headerStyle = openxlsx::createStyle(textDecoration = "bold")
  )
  openxlsx::addStyle(wb, sheet, title_style(), rows = 1, cols = 1)
  openxlsx::setColWidths(wb, sheet, seq_along(widths), widths)
}

title_style <- function() openxlsx::createStyle(fontSize = 14, textDecoration = "bold")

# A table sheet: numbers written as numbers, then the text cells (labels
# are whole text columns; shorthand and "< 0.001" over the numbers).
write_table_sheet <- function(wb, s) {
  cells <- sheet_cells(s)
  sheet <- s$name
  openxlsx::addWorksheet(wb, sheet)
  openxlsx::writeData(wb, sheet, s$title, startRow = 1)
  openxlsx::addStyle(wb, sheet, title_style(), rows = 1, cols = 1)
  openxlsx::writeData(wb, sheet, as.data.frame(as.list(cells$headings), stringsAsFactors = FALSE),
    startRow = 2, colNames = FALSE
  )
  openxlsx::addStyle(wb, sheet, openxlsx::createStyle(textDecoration = "bold", wrapText = TRUE),
    rows = 2, cols = seq_along(cells$headings)
  )
  rows <- 2 + seq_len(cells$n)
  for (j in seq_along(cells$columns)) {
    col <- cells$columns[[j]]
    if (is.numeric(col$value)) {
      openxlsx::writeData(wb, sheet, col$value, startCol = j, startRow = 3, keepNA = FALSE)
      openxlsx::addStyle(wb, sheet, openxlsx::createStyle(numFmt = col$format),
        rows = rows, cols = j
      )
    }
    if (!is.numeric(col$value)) {
      openxlsx::writeData(wb, sheet, col$text, startCol = j, startRow = 3)
      next
    }
    # shorthand (and "< 0.001") among the numbers, aligned with them
    text <- which(!is.na(col$text))
    for (i in text) openxlsx::writeData(wb, sheet, col$text[[i]], startCol = j, startRow = 2 + i)
    if (length(text)) {
      openxlsx::addStyle(wb, sheet, openxlsx::createStyle(halign = "right"),
        rows = 2 + text, cols = j, stack = TRUE
      )
    }
  }
  widths <- pmin(40, pmax(10, nchar(cells$headings) + 2))
  openxlsx::setColWidths(wb, sheet, seq_along(widths), widths)
  openxlsx::freezePane(wb, sheet, firstActiveRow = 3)
}

# Suppressed tables are safe together only when their stars were chosen
# together: every table of a suppressed book must come from one call of
# suppress_counts() (one release), and inequality measures from a table
# of that release (not from the unsuppressed counts). The cell-key rule
# gives the same people the same value in any table, so its tables may
# come from separate calls; but measures of the unperturbed counts beside
# them would give the true counts back, under every rule.
check_one_release <- function(x, kinds, found) {
  if (length(found) == 0) {
    return(invisible())
  }
  releases <- lapply(x, release_of)
  unmarked <- vapply(releases, is.null, TRUE)
  if (any(unmarked)) {
    abort_input(
      "argument",
      sprintf(
        paste(
          "The %s table of `x` was not computed from the published tables: compute",
          "inequality measures from a suppressed result (inequality_measures(published))."
        ),
        kinds[unmarked][[1]]
      ),
      arg = "x"
    )
  }
  if (!identical(found[[1]]$rule, "cell_key") && length(unique(unlist(releases))) > 1) {
    abort_input(
      "argument",
      paste(
        "The tables of `x` were suppressed separately, so a count starred in one may be",
        "shown, or given back by subtraction, in another: suppress them together with",
        "suppress_counts(list(...)) and write that list."
      ),
      arg = "x"
    )
  }
  invisible()
}
