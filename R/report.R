# The one-call HTML report.

#' Write an equality audit report
#'
#' Renders the package's parameterised R Markdown report (also available in
#' RStudio under *New File > R Markdown > From Template*): the cohort
#' table, access against the eligible population (when `reference` is
#' given) with its plot, outcomes by group with intervals, exact p-values
#' where counts are small, equality verdicts and inequality measures; and,
#' when the inputs allow it, adjusted comparisons (`adjust`), the services
#' side by side with funnel limits (when `by` is one column with five or
#' more levels) and change over time (`date`).
#' Small counts are suppressed by default, and the report says so.
#'
#' @param data A data frame of one row per person, the path of a CSV file
#'   of them, or a database table (see [database]): then only counts leave
#'   the database.
#' @param group,outcome Names of the group and outcome columns (strings).
#' @param reference Optional eligible population, as for [compare_access()]
#'   (a data frame with the group and `by` columns and a count column `n`).
#' @param by,strata Names of the stratifying columns, as for
#'   [compare_outcomes()].
#' @param output_file Path of the HTML file to write.
#' @param suppress Suppression rule for [suppress_counts()]: `"nhs_digital"`
#'   (the default), `"opensafely"` or `"none"`.
#' @param title Title of the report.
#' @param unknown Labels meaning "not known".
#' @param quiet Passed to [rmarkdown::render()]; by default, progress is
#'   shown in interactive sessions.
#' @param ... Further arguments to [rmarkdown::render()].
#' @param adjust Names of columns (such as age band and gender) to adjust
#'   for: adds a section of adjusted comparisons (see [adjustment]); access
#'   is adjusted when `reference` holds these columns too.
#' @param date Name of a date column: adds a section on change over time
#'   ([compare_periods()]), by `period`.
#' @param period `"quarter"`, `"month"`, `"year"` or `"column"`, as for
#'   [compare_periods()].
#' @return The path of the report, invisibly.
#' @export
#' @examples
#' \donttest{
#' if (rmarkdown::pandoc_available()) {
#'   path <- equity_report(ips_synthetic, "ethnicity", "employed",
#'     by = "service", output_file = tempfile(fileext = ".html")
#'   )
#' }
#' }
equity_report <- function(data, group, outcome, reference = NULL, by = NULL,
                          strata = NULL, output_file = "equity-report.html",
                          suppress = "nhs_digital", title = "Equality audit",
                          unknown = NULL, quiet = !interactive(), ...,
                          adjust = NULL, date = NULL, period = "quarter") {
  if (!requireNamespace("rmarkdown", quietly = TRUE) ||
    !requireNamespace("knitr", quietly = TRUE)) {
    abort_input("argument", "equity_report() needs the rmarkdown and knitr packages.",
      arg = "data"
    )
  }
  if (!rmarkdown::pandoc_available()) {
    abort_input("argument", "equity_report() needs pandoc, which was not found.", arg = "data")
  }
  if (is.character(data) && length(data) == 1) {
    if (!file.exists(data)) {
      abort_input("argument", sprintf("File %s does not exist.", format_values(data)), arg = "data")
    }
    data <- utils::read.csv(data, na.strings = "", stringsAsFactors = TRUE)
  }
  columns <- column_frame(data)
  check_data_frame(columns)
  check_columns(c(group, outcome, by, strata, adjust, date), columns, "group")
  suppress <- match_arg(suppress, c("nhs_digital", "opensafely", "none"), "suppress")
  template <- system.file("rmarkdown", "templates", "equity-report", "skeleton",
    "skeleton.Rmd",
    package = "equityaudit"
  )
  work <- tempfile("equity-report")
  dir.create(work)
  on.exit(unlink(work, recursive = TRUE), add = TRUE)
  file.copy(template, file.path(work, "report.Rmd"))
  file.copy(file.path(dirname(template), "beyond.Rmd"), file.path(work, "beyond.Rmd"))
  output_file <- normalizePath(output_file, mustWork = FALSE)
  rmarkdown::render(file.path(work, "report.Rmd"),
    output_file = basename(output_file), output_dir = dirname(output_file),
    intermediates_dir = work,
    params = list(
      title = title, data = data, group = group, outcome = outcome,
      reference = reference, by = by, strata = strata, suppress = suppress,
      unknown = unknown, adjust = adjust, date = date, period = period
    ),
    envir = new.env(parent = globalenv()), quiet = quiet, ...
  )
  invisible(output_file)
}
