# The one-call report, as an HTML page or a Word document.

#' Write an equality audit report
#'
#' Renders the package's parameterised R Markdown report (also available in
#' RStudio under *New File > R Markdown > From Template*): the cohort
#' table, access against the eligible population (when `reference` is
#' given) with its plot, outcomes by group with intervals, exact p-values
#' where counts are small, equality verdicts and inequality measures; and,
#' when the inputs allow it, adjusted comparisons (`adjust`), the services
#' side by side with funnel limits (when `by` is one column with five or
#' more levels) and change over time (`date`). It writes an HTML page, or
#' a Word document when `path` ends in `.docx` (or with `format =
#' "word"`): the same sections, tables, plots and suppression.
#'
#' `data` is a data frame of one row per person, the path of a CSV file of
#' them (read with blank cells as missing and text kept as text), a
#' database table (see [database]: only counts leave the database), or the
#' tables [report_tables()] returned (then the other arguments but `path`,
#' `title`, `quiet` and `format` are not used): the HTML page, the Word
#' document and a spreadsheet of [write_tables()] made from one
#' `report_tables()` are the same published numbers. `path` is an `.html`
#' page or a `.docx` document.
#'
#' Every table is computed once, by [report_tables()], and suppressed
#' together with the others (by default with `suppress = "nhs_digital"`,
#' and the report says so; for monthly releases, `suppress = "cell_key"`
#' with `key =`, see [report_tables()]); the template only renders them. For a database
#' table, the counts come from one query. `reference` adds the section on
#' access, `adjust` a section of adjusted comparisons (see [adjustment];
#' access is adjusted when `reference` holds these columns too), and `date`
#' a section on change over time ([compare_periods()], by `period`). Labels, column names, the event
#' and the title are shown as the literal text they are: nothing in the
#' data is read as HTML, Markdown or LaTeX, or fetched into the page.
#' Suppressed values are shown as `*`, or as the Government Statistical
#' Service shorthand `[c]` with `options(equityaudit.withheld = "gss")`
#' (see [format_p()]).
#'
#' Both formats are made to be published as they are: the page is in
#' British English (`lang="en-GB"`), with one main landmark, headings in
#' order, a caption on every table and its row labels marked as row
#' headers, and every plot described in words from the numbers it draws
#' (alt text, and a description under the figure); the Word document has
#' the same captions and descriptions (as its pictures' alt text), and its
#' title in its properties. The package's tests check them (axe-core on the
#' page, the document's XML read back).
#'
#' The report ends with its methods and data quality: the period the
#' records cover (from `date`), who is counted and who is left out of
#' which comparisons (with the published counts), how complete the group
#' column is in each place (recorded, recorded as "Not stated", not
#' recorded), what a hidden count stands for, what each statistic shown
#' means, and the release's `source`, `contact` and `next_release` when
#' given.
#'
#' @param next_release When the next release is due, as text, under
#'   "About this release" (`NULL`: not stated). `contact`, `source` and
#'   `next_release` are each one string, shown as literal text.
#' @param quiet Passed to [rmarkdown::render()]; by default, progress is
#'   shown in interactive sessions.
#' @param format `"html"` or `"word"`; by default, `"word"` when
#'   `path` ends in `.docx` and `"html"` otherwise. A Word document
#'   ([rmarkdown::word_document()]) has the same sections, tables, plots
#'   and suppression as the HTML page, without its table of contents (Word
#'   would ask to update it when the document is opened), on A4 pages (a
#'   section with a table too wide for them on landscape pages), with the
#'   template's reference document's heading, caption and table styles.
#' @inheritParams equityaudit-arguments
#' @return The path of the report, invisibly.
#' @export
#' @examples
#' \donttest{
#' if (rmarkdown::pandoc_available()) {
#'   path <- equity_report(ips_synthetic, ethnicity, employed,
#'     by = service, path = tempfile(fileext = ".html")
#'   )
#' }
#' }
equity_report <- function(data, group, outcome, reference = NULL, by = NULL,
                          strata = NULL, event = NULL, unknown = NULL,
                          ref_count = NULL, ref_prop = NULL, weight = NULL,
                          suppress = "nhs_digital", path = "equity-report.html",
                          title = "Equality audit", quiet = !interactive(),
                          adjust = NULL, date = NULL, period = "quarter", format = NULL,
                          key = NULL, contact = NULL, source = NULL, next_release = NULL,
                          broad = FALSE, ...) {
  check_no_dots(..., fn = "equity_report")
  format <- report_format(format, path)
  if (!requireNamespace("rmarkdown", quietly = TRUE) ||
    !requireNamespace("knitr", quietly = TRUE)) {
    abort_input("argument", "equity_report() needs the rmarkdown and knitr packages.",
      arg = "data"
    )
  }
  if (!rmarkdown::pandoc_available()) {
    abort_input("argument", "equity_report() needs pandoc, which was not found.", arg = "data")
  }
  if (!is.character(title) || length(title) != 1 || is.na(title)) {
    abort_input("argument", "`title` must be one string.", arg = "title")
  }
  check_flag(quiet, "quiet")
  # every table, once: the tables of report_tables() as given, or computed
  # here with the user's arguments (errors name them)
  r <- if (inherits(data, "equityaudit_report")) {
    data
  } else {
    report_input(data, reference, environment(), parent.frame(), suppress, period, unknown, event, broad)
  }
  r$publication <- list(
    contact = check_release_text(contact, "contact"), source = check_release_text(source, "source"),
    next_release = check_release_text(next_release, "next_release")
  )
  render_report(r, path, format, title, quiet)
}

# `contact`, `source` or `next_release` of equity_report(): NULL or one
# string (shown as literal text).
check_release_text <- function(x, arg) {
  if (is.null(x)) {
    return(NULL)
  }
  if (!is.character(x) || length(x) != 1 || is.na(x) || !nzchar(trimws(x))) {
    abort_input("argument", sprintf("`%s` must be one string of text, or NULL.", arg), arg = arg)
  }
  x
}

# Renders the report's template with the tables `r` of report_tables().
render_report <- function(r, path, format, title, quiet) {
  skeleton <- system.file("rmarkdown", "templates", "equity-report", "skeleton",
    package = "equityaudit"
  )
  work <- tempfile("equity-report")
  dir.create(work)
  on.exit(unlink(work, recursive = TRUE), add = TRUE)
  # the template with its pandoc filter and Word reference document, which
  # its formats name relative to it
  file.copy(file.path(skeleton, "skeleton.Rmd"), file.path(work, "report.Rmd"))
  file.copy(file.path(skeleton, report_resources), work)
  path <- normalizePath(path, mustWork = FALSE)
  if (!dir.exists(dirname(path))) {
    abort_input(
      "argument",
      sprintf("The folder of `path` (%s) does not exist.", format_values(dirname(path))),
      arg = "path"
    )
  }
  rmarkdown::render(file.path(work, "report.Rmd"),
    output_format = report_output_format(format),
    output_file = basename(path), output_dir = dirname(path),
    intermediates_dir = work, params = list(title = title, report = r),
    envir = new.env(parent = globalenv()), quiet = quiet
  )
  invisible(path)
}

# The files beside the template that it needs (and that RStudio copies
# with it): the filter that gives tables captions and row headers and
# figures alt text (equity-report.lua), and the Word reference document
# (A4, en-GB, heading, caption and table styles; tools/make-reference-docx.R).
report_resources <- c("equity-report.lua", "equity-report-reference.docx")

# "html" or "word": as asked, or from the extension of the output file.
report_format <- function(format, path) {
  if (!is.character(path) || length(path) != 1 || is.na(path)) {
    abort_input("argument", "`path` must be one file name.", arg = "path")
  }
  docx <- grepl("\\.docx$", path, ignore.case = TRUE)
  if (!docx && !grepl("\\.html?$", path, ignore.case = TRUE)) {
    abort_input(
      "argument",
      sprintf(
        paste(
          "`path` must end in \".html\" (a web page) or \".docx\" (a Word document),",
          "not %s."
        ),
        format_values(path)
      ),
      arg = "path"
    )
  }
  if (is.null(format)) {
    return(if (docx) "word" else "html")
  }
  format <- match_arg(format, c("html", "word"), "format")
  if (format == "word" && !docx) {
    abort_input("argument", "A Word report (`format = \"word\"`) needs a `path` ending in \".docx\".",
      arg = "path"
    )
  }
  if (format == "html" && docx) {
    abort_input("argument", "An HTML report (`format = \"html\"`) cannot be written to a \".docx\" file.",
      arg = "path"
    )
  }
  format
}

# The rmarkdown format of the report, as the template's YAML sets it
# (NULL: its first, the HTML page).
report_output_format <- function(format) {
  if (format == "word") "word_document"
}

