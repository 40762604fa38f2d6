# Printing results for people: one print() and format() for every kind of
# result. A heading says what was compared (and which outcome value is the
# event), then the rows and the tables that go with them, every number
# written as a published table writes it (format.R); a suppressed result
# stars its hidden counts and ends with the rule applied.

# What a result of each kind shows: its heading, the columns of its rows,
# and its other tables (title, table, columns), named (the names make the
# sheet names of write_tables()).
display_spec <- function(x) UseMethod("display_spec")

#' @export
display_spec.default <- function(x) {
  list(title = "Result", cols = setdiff(names(x), c("missing", "pooled")), parts = list())
}

within_text <- function(by) {
  if (length(by) == 0) "" else paste0(", within ", paste(by, collapse = " and "))
}

cmh_part <- function(x) {
  cmh <- result_table(x, "cmh")
  if (is.null(cmh) || nrow(cmh) == 0) {
    return(NULL)
  }
  list(
    title = sprintf("Cochran-Mantel-Haenszel test across %s", cmh$across[[1]]),
    table = cmh, cols = setdiff(names(cmh), "across")
  )
}

adjusted_part <- function(x, cols) {
  adj <- result_table(x, "adjusted")
  if (is.null(adj)) {
    return(NULL)
  }
  list(
    title = sprintf("Adjusted for %s", paste(attr(x, "options")$adjust %||% "the adjustment strata", collapse = " and ")),
    table = adj, cols = c(cols, "statistic", "df", "p_value"),
    note = if ("std_pct" %in% names(adj) && anyNA(adj$std_pct)) {
      "A blank standardised % means the group has nobody in a stratum of the standard."
    }
  )
}

# The display of a result; a selection of its rows and columns that lacks
# what the display needs is shown as it is.
spec_of <- function(x) {
  spec <- tryCatch(display_spec(x), error = function(e) NULL)
  if (is.null(spec) || !all(spec$cols %in% names(x))) {
    spec <- list(
      title = "Part of an equityaudit result",
      cols = setdiff(names(x), c("missing", "pooled")), parts = list()
    )
  }
  spec
}

#' @export
print.equityaudit_result <- function(x, ...) {
  spec <- spec_of(x)
  cat(spec$title, "\n", sep = "")
  if (nrow(x) == 0) {
    cat("No rows: nobody to show.\n")
    return(invisible(x))
  }
  print_rows(format(x), getOption("equityaudit.print_rows", 40))
  if (!is.null(spec$note)) cat(spec$note, "\n", sep = "")
  for (part in spec$parts) {
    if (is.null(part) || nrow(part$table) == 0) next
    cat("\n", part$title, ":\n", sep = "")
    print_rows(readable_frame(part$table, part$cols, x = x), getOption("equityaudit.print_rows", 40))
    if (!is.null(part$note)) cat(part$note, "\n", sep = "")
  }
  tables <- setdiff(names(attr(x, "tables")), "left_out")
  cat(
    "All columns: tidy(x)",
    if (length(tables)) paste0("; also tidy(x, ", paste0("\"", tables, "\"", collapse = "), tidy(x, "), ")"),
    ".\n",
    sep = ""
  )
  s <- suppression_of(x)
  if (!is.null(s)) cat(suppression_footnote(s), "\n", sep = "")
  invisible(x)
}

#' @export
format.equityaudit_result <- function(x, columns = c("shown", "all"), ...) {
  columns <- match_arg(columns, c("shown", "all"), "columns")
  cols <- if (columns == "all") names(x) else spec_of(x)$cols
  readable_frame(x, cols, starred_cells(x), x)
}

# Prints at most `max` rows, saying how many more there are.
print_rows <- function(df, max) {
  extra <- nrow(df) - max
  if (extra > 0) df <- df[seq_len(max), , drop = FALSE]
  print(df, right = TRUE, row.names = FALSE)
  if (extra > 0) cat(sprintf("... and %s more rows.\n", format_count(extra)))
}

#' @export
print.equityaudit_summary <- function(x, ...) {
  if (nrow(x) == 0) {
    cat("No rows: nothing to show.\n")
    return(invisible(x))
  }
  print_rows(readable_frame(x), getOption("equityaudit.print_rows", 40))
  invisible(x)
}

#' @export
format.equityaudit_reproduction <- function(x, ...) {
  df <- plain_frame(x)
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
    text <- plain(df$reproduced)
    text[bound] <- format_p(df$reproduced[bound])
    df$reproduced <- text
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

# The rule's name in words.
rule_name <- function(rule) {
  switch(rule,
    nhs_digital = "NHS Digital",
    opensafely = "OpenSAFELY",
    cell_key = "cell-key",
    none = "no suppression"
  )
}

suppression_footnote <- function(s) {
  if (identical(s$rule, "cell_key")) {
    return(cell_key_footnote(s))
  }
  what <- paste(rule_name(s$rule), "rule")
  lowest <- if (s$zero) 0 else 1
  paste0(
    withheld_mark(), " ", if (s$threshold > 0) {
      sprintf("counts of %g to %g suppressed", lowest, s$threshold)
    } else {
      "no counts suppressed"
    },
    ", with any that would reveal them",
    if (s$round_to > 1) sprintf("; other counts rounded to the nearest %g", s$round_to) else "",
    " (", what, "). Every percentage, interval and test is computed from the ",
    "published counts",
    if (!is.null(s$loss) && s$threshold > 0) {
      sprintf("; %d of %d counts starred", s$loss$starred, s$loss$cells)
    } else {
      ""
    },
    if (isTRUE(s$left_out > 0)) {
      sprintf(
        "; %d group%s with a suppressed count %s left out of the tests",
        s$left_out, if (s$left_out == 1) "" else "s", if (s$left_out == 1) "is" else "are"
      )
    } else {
      ""
    },
    "."
  )
}

# The footnote of a table under the cell-key rule.
cell_key_footnote <- function(s) {
  paste0(
    "Counts perturbed by the cell-key method (by at most ", s$max_perturbation,
    "; 0 stays 0",
    if (isTRUE(s$smallest == 2)) "; no count is shown as 1" else "",
    if (isTRUE(s$smallest == 3)) "; no count is shown as 1 or 2" else "",
    if (isTRUE(s$smallest > 3)) sprintf("; no count is shown as 1 to %g", s$smallest - 1) else "",
    "); totals are perturbed on their own and may differ from the sum of their parts. ",
    "Every percentage, interval and test is computed from the published counts."
  )
}
