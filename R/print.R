# Printing results for people: a header saying what was compared (and which
# outcome value is the event), then the rows with published-table numbers.

#' @export
print.equityaudit_outcomes <- function(x, ...) {
  by <- attr(x, "by")
  cat(sprintf(
    "Outcome %s by %s%s\n", attr(x, "event") %||% "", attr(x, "group"),
    if (length(by)) paste0(", within ", paste(by, collapse = " and ")) else ""
  ))
  print_result(
    x, c(by, attr(x, "group"), "n", "events", "pct", "pct_low", "pct_high"),
    c(by, "statistic", "df", "p_value", "exact_p_value", "cramers_v")
  )
}

#' @export
print.equityaudit_access <- function(x, ...) {
  by <- attr(x, "by")
  cat(sprintf(
    "Access by %s against the eligible population%s\n", attr(x, "group"),
    if (length(by)) paste0(", within ", paste(by, collapse = " and ")) else ""
  ))
  print_result(
    x, c(
      by, attr(x, "group"), "n", "pct", "ref_n", "ref_pct", "representation_ratio",
      "ratio_low", "ratio_high", "verdict"
    ),
    c(by, "statistic", "df", "p_value", "cramers_v")
  )
}

#' @export
print.equityaudit_groups <- function(x, ...) {
  cat(sprintf(
    "Each group of %s against its reference%s\n", attr(x, "group"),
    if (!is.null(attr(x, "event"))) paste0(" (outcome ", attr(x, "event"), ")") else ""
  ))
  print_result(x, c(
    attr(x, "by"), attr(x, "group"), "reference", "n", "pct", "ref_pct",
    "difference", "diff_low", "diff_high", "verdict"
  ))
}

# The main columns of a whole result, then its tests; a result cut down to
# some columns is shown as it is.
print_result <- function(x, cols, test_cols = NULL) {
  whole <- all(c(cols, test_cols) %in% c(names(x), attr(x, "by")))
  if (!whole) {
    print_readable(x, names(x))
    return(invisible(x))
  }
  print_readable(x, cols)
  if (length(test_cols) > 0) {
    cat("\nTests:\n")
    print_readable(summary(x), test_cols)
  }
  cat("All columns: as.data.frame(x)",
    if (length(test_cols)) "; one row per test: summary(x)", ".\n",
    sep = ""
  )
  invisible(x)
}

# The rows with every number written as a published table would, keeping
# the column names (they are what the user indexes by).
print_readable <- function(x, cols) {
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  attributes(df) <- attributes(df)[c("names", "row.names", "class")]
  df <- df[intersect(cols, names(df))]
  for (col in names(df)) df[[col]] <- readable_column(df[[col]], col)
  print(df, right = TRUE, row.names = FALSE)
}

#' @export
format.equityaudit_reproduction <- function(x, ...) {
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  attributes(df) <- attributes(df)[c("names", "row.names", "class")]
  plain <- function(v) {
    out <- vapply(v, function(e) {
      if (is.na(e)) "" else format(e, scientific = FALSE, digits = 15, drop0trailing = TRUE)
    }, "")
    unname(out)
  }
  bound <- if (is.null(df$note)) FALSE else df$note %in% "published as P < 0.01"
  if (!is.null(df$published)) {
    df$published <- ifelse(bound, paste("<", plain(df$published)), plain(df$published))
  }
  if (!is.null(df$reproduced)) {
    df$reproduced <- ifelse(bound, format_p(df$reproduced), plain(df$reproduced))
  }
  if (is.logical(df$match)) df$match <- ifelse(is.na(df$match), "", ifelse(df$match, "yes", "no"))
  if (!is.null(df$note)) df$note[is.na(df$note)] <- ""
  df
}

#' @export
print.equityaudit_reproduction <- function(x, ...) {
  print(format(x), right = FALSE, row.names = FALSE)
  invisible(x)
}

#' @export
print.equityaudit_summary <- function(x, ...) {
  print_readable(x, names(x))
  invisible(x)
}

#' @export
print.equityaudit_inequality <- function(x, ...) {
  cat(sprintf("Inequality between the groups of %s\n", attr(x, "group") %||% "the groups"))
  print_readable(x, names(x))
  invisible(x)
}
