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
#' a Word document when `output_file` ends in `.docx` (or with `format =
#' "word"`): the same sections, tables, plots and suppression.
#'
#' Every table is computed once, by [report_tables()], and suppressed
#' together with the others (small counts are suppressed by default, and
#' the report says so); the template only renders them. For a database
#' table, the counts come from one query. Labels, column names, the event
#' and the title are shown as the literal text they are: nothing in the
#' data is read as HTML, Markdown or LaTeX, or fetched into the page.
#' Suppressed values are shown as `*`, or as the Government Statistical
#' Service shorthand `[c]` with `options(equityaudit.withheld = "gss")`
#' (see [format_p()]).
#'
#' @param data A data frame of one row per person, the path of a CSV file
#'   of them (read with blank cells as missing and text kept as text), or a
#'   database table (see [database]): then only counts leave the database.
#' @param group,outcome The group and outcome columns (bare names or
#'   strings), as for [compare_outcomes()].
#' @param reference Optional eligible population, as for [compare_access()]
#'   (a data frame with the group and `by` columns and a column of counts).
#' @param by,strata The stratifying columns, as for [compare_outcomes()].
#' @param event The value of `outcome` that counts as the event, as for
#'   [compare_outcomes()]: needed unless the outcome is logical or 0/1.
#' @param unknown Labels of `group` meaning "not known".
#' @param ref_count,ref_prop The column of `reference` holding population
#'   counts (default `"n"`) or proportions, as for [compare_access()].
#' @param weight Column of counts, for aggregated data.
#' @param suppress Suppression rule for [suppress_counts()]: `"nhs_digital"`
#'   (the default), `"opensafely"` or `"none"`.
#' @param output_file Path of the file to write: an HTML page, or a Word
#'   document when it ends in `.docx` (see `format`).
#' @param title Title of the report (shown as it is written).
#' @param quiet Passed to [rmarkdown::render()]; by default, progress is
#'   shown in interactive sessions.
#' @param ... Further arguments to [rmarkdown::render()].
#' @param adjust Columns (such as age band and gender) to adjust for:
#'   adds a section of adjusted comparisons (see [adjustment]); access is
#'   adjusted when `reference` holds these columns too.
#' @param date A date column: adds a section on change over time
#'   ([compare_periods()]), by `period`.
#' @param period `"quarter"`, `"month"`, `"year"` or `"column"`, as for
#'   [compare_periods()].
#' @param format `"html"` or `"word"`; by default, `"word"` when
#'   `output_file` ends in `.docx` and `"html"` otherwise. A Word document
#'   ([rmarkdown::word_document()]) has the same sections, tables, plots
#'   and suppression as the HTML page, without its table of contents (Word
#'   would ask to update it when the document is opened); the page's style
#'   sheet (tables that scroll sideways on a phone) has no part in it, and
#'   its tables take Word's default table style.
#' @return The path of the report, invisibly.
#' @export
#' @examples
#' \donttest{
#' if (rmarkdown::pandoc_available()) {
#'   path <- equity_report(ips_synthetic, ethnicity, employed,
#'     by = service, output_file = tempfile(fileext = ".html")
#'   )
#' }
#' }
equity_report <- function(data, group, outcome, reference = NULL, by = NULL,
                          strata = NULL, event = NULL, unknown = NULL,
                          ref_count = NULL, ref_prop = NULL, weight = NULL,
                          suppress = "nhs_digital", output_file = "equity-report.html",
                          title = "Equality audit", quiet = !interactive(), ...,
                          adjust = NULL, date = NULL, period = "quarter", format = NULL) {
  format <- report_format(format, output_file)
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
  # every table, once, with the user's arguments (errors name them)
  call <- match.call(expand.dots = FALSE)
  call <- call[setdiff(names(call), c("output_file", "title", "quiet", "...", "format"))]
  call[[1]] <- report_tables
  r <- eval(call, parent.frame())
  template <- system.file("rmarkdown", "templates", "equity-report", "skeleton",
    "skeleton.Rmd",
    package = "equityaudit"
  )
  work <- tempfile("equity-report")
  dir.create(work)
  on.exit(unlink(work, recursive = TRUE), add = TRUE)
  file.copy(template, file.path(work, "report.Rmd"))
  output_file <- normalizePath(output_file, mustWork = FALSE)
  rmarkdown::render(file.path(work, "report.Rmd"),
    output_format = report_output_format(format),
    output_file = basename(output_file), output_dir = dirname(output_file),
    intermediates_dir = work, params = list(title = title, report = r),
    envir = new.env(parent = globalenv()), quiet = quiet, ...
  )
  invisible(output_file)
}

# "html" or "word": as asked, or from the extension of the output file.
report_format <- function(format, output_file) {
  if (!is.character(output_file) || length(output_file) != 1 || is.na(output_file)) {
    abort_input("argument", "`output_file` must be one file name.", arg = "output_file")
  }
  docx <- grepl("\\.docx$", output_file, ignore.case = TRUE)
  if (!docx && !grepl("\\.html?$", output_file, ignore.case = TRUE)) {
    abort_input(
      "argument",
      sprintf(
        paste(
          "`output_file` must end in \".html\" (a web page) or \".docx\" (a Word document),",
          "not %s."
        ),
        format_values(output_file)
      ),
      arg = "output_file"
    )
  }
  if (is.null(format)) {
    return(if (docx) "word" else "html")
  }
  format <- match_arg(format, c("html", "word"), "format")
  if (format == "word" && !docx) {
    abort_input("argument", "A Word report (`format = \"word\"`) needs an `output_file` ending in \".docx\".",
      arg = "output_file"
    )
  }
  if (format == "html" && docx) {
    abort_input("argument", "An HTML report (`format = \"html\"`) cannot be written to a \".docx\" file.",
      arg = "output_file"
    )
  }
  format
}

# The rmarkdown format of the report, as the template's YAML sets it
# (NULL: its first, the HTML page).
report_output_format <- function(format) {
  if (format == "word") "word_document"
}

# Reads a CSV of people: blank cells are missing, text stays text (so that
# no event is taken from factor level order) and names stay as written.
read_people <- function(path) {
  if (!file.exists(path)) {
    abort_input("argument", sprintf("File %s does not exist.", format_values(path)), arg = "data")
  }
  utils::read.csv(path,
    na.strings = c("", "NA"), stringsAsFactors = FALSE,
    check.names = FALSE, strip.white = TRUE
  )
}

# A report needs people, and people whose group and outcome are known.
check_report_data <- function(data, cols, unknown = NULL) {
  if (nrow(data) == 0) {
    abort_input("argument", "`data` has no rows: there is nobody to report on.", arg = "data")
  }
  for (arg in c("group", "outcome")) {
    v <- blank_to_na(data[[cols[[arg]]]])
    if (arg == "group") v[as.character(v) %in% unknown] <- NA
    if (all(is.na(v))) {
      abort_input(
        "column",
        sprintf(
          "Column `%s` (`%s`) is missing or unknown for everybody: there is nothing to compare.",
          cols[[arg]], arg
        ),
        arg = arg, column = cols[[arg]]
      )
    }
  }
  invisible(data)
}

# The adjustment columns that a reference population is broken down by (its
# rows are then summed over them for the unadjusted comparison).
reference_adjust <- function(reference, adjust) {
  if (length(adjust) > 0 && all(adjust %in% names(reference))) adjust
}
