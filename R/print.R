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

#' @export
display_spec.equityaudit_outcomes <- function(x) {
  by <- attr(x, "by")
  tests <- summary(x)
  list(
    title = sprintf("Outcome %s by %s%s", attr(x, "event") %||% "", attr(x, "group"), within_text(by)),
    cols = c(by, attr(x, "group"), "n", "events", "pct", "pct_low", "pct_high", "n_outcome_missing"),
    parts = list(
      tests = list(title = "Tests", table = tests, cols = c(by, "n", "statistic", "df", "p_value", "exact_p_value", "cramers_v")),
      cmh = cmh_part(x),
      adjusted = adjusted_part(x, c(attr(x, "by"), attr(x, "group"), "n", "pct", "std_pct", "std_low", "std_high"))
    )
  )
}

#' @export
display_spec.equityaudit_access <- function(x) {
  by <- attr(x, "by")
  list(
    title = sprintf("Access by %s against the eligible population%s", attr(x, "group"), within_text(by)),
    cols = c(
      by, attr(x, "group"), "n", "pct", "ref_n", "ref_pct", "representation_ratio",
      "ratio_low", "ratio_high", "verdict"
    ),
    parts = list(
      tests = list(title = "Tests", table = summary(x), cols = c(by, "n", "ref_n", "statistic", "df", "p_value", "cramers_v")),
      adjusted = adjusted_part(x, c(by, attr(x, "group"), "n", "expected", "isr", "isr_low", "isr_high"))
    )
  )
}

#' @export
display_spec.equityaudit_groups <- function(x) {
  event <- attr(x, "event")
  pooled <- result_table(x, "pooled")
  list(
    title = sprintf(
      "Each group of %s against its reference%s", attr(x, "group"),
      if (!is.null(event)) paste0(" (outcome ", event, ")") else ""
    ),
    cols = c(
      attr(x, "by"), attr(x, "group"), "reference", "n", "pct", "ref_pct",
      "difference", "diff_low", "diff_high", "verdict"
    ),
    parts = list(pooled = if (!is.null(pooled)) {
      list(
        title = sprintf("Pooled across %s (Mantel-Haenszel)", paste(attr(x, "options")$by, collapse = " and ")),
        table = pooled, cols = setdiff(names(pooled), c("mh_risk_ratio", "mh_rr_low", "mh_rr_high"))
      )
    })
  )
}

#' @export
display_spec.equityaudit_services <- function(x) {
  ratio <- attr(x, "measure") == "ratio"
  funnels <- result_table(x, "funnels")
  list(
    title = sprintf(
      "%s of each group of %s across %s, with funnel limits",
      if (ratio) "Representation ratio" else paste("Outcome", attr(x, "event") %||% ""),
      attr(x, "group"), paste(attr(x, "by"), collapse = " and ")
    ),
    cols = c(
      attr(x, "by"), attr(x, "group"), "n",
      if (ratio) c("expected", "representation_ratio") else c("events", "pct"),
      "target", "lower_95", "upper_95", "flag"
    ),
    parts = list(funnels = list(title = "Funnels", table = funnels, cols = names(funnels)))
  )
}

#' @export
display_spec.equityaudit_periods <- function(x) {
  cols <- c("period", attr(x, "group"), "n", "pct", "pct_low", "pct_high")
  if ("representation_ratio" %in% names(x)) cols <- c(cols, "representation_ratio", "ratio_low", "ratio_high")
  if ("outcome_pct" %in% names(x)) cols <- c(cols, "events", "outcome_pct", "outcome_low", "outcome_high")
  trend <- summary(x)
  list(
    title = sprintf("Each group of %s by period", attr(x, "group")),
    cols = cols,
    parts = list(trend = list(title = "Trend tests (1 df)", table = trend, cols = names(trend)))
  )
}

#' @export
display_spec.equityaudit_cmh <- function(x) {
  opt <- attr(x, "options")
  list(
    title = sprintf(
      "Cochran-Mantel-Haenszel test of %s by outcome %s, across %s%s",
      attr(x, "group"), attr(x, "event") %||% "", paste(opt$by, collapse = " and "),
      within_text(opt$strata)
    ),
    cols = names(x), parts = list(),
    note = if (nrow(x) > 0 && all(is.na(x$statistic))) {
      paste(
        "No test: a test needs two groups, and at least one stratum with people",
        "in two of the groups and with both outcomes."
      )
    } else if (anyNA(x$statistic)) {
      "A blank test: no stratum has people in two of the groups and with both outcomes."
    }
  )
}

#' @export
display_spec.equityaudit_chisq <- function(x) {
  vars <- attr(x, "options")$vars
  list(
    title = sprintf(
      "Chi-square tests%s%s",
      if (length(vars) == 2) sprintf(" of %s by %s", vars[[1]], vars[[2]]) else "",
      within_text(attr(x, "by"))
    ),
    cols = names(x), parts = list()
  )
}

#' @export
display_spec.equityaudit_inequality <- function(x) {
  list(
    title = sprintf("Inequality between the groups of %s", attr(x, "group") %||% "the groups"),
    cols = c(attr(x, "by"), "label", "value", "low", "high", "groups", "reference"),
    parts = list()
  )
}

#' @export
display_spec.equityaudit_counts <- function(x) {
  list(
    title = sprintf(
      "People counted by %s%s", paste(attr(x, "group"), collapse = " and "),
      within_text(attr(x, "by"))
    ),
    cols = names(x), parts = list()
  )
}

#' @export
display_spec.equityaudit_power <- function(x) {
  list(
    title = sprintf("Power and detectable differences of the tests of %s", attr(x, "group")),
    cols = setdiff(names(x), c("missing", "pooled")), parts = list()
  )
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
    print_rows(readable_frame(part$table, part$cols), getOption("equityaudit.print_rows", 40))
    if (!is.null(part$note)) cat(part$note, "\n", sep = "")
  }
  tables <- setdiff(names(attr(x, "tables")), "left_out")
  cat(
    "All columns: tidy(x)",
    if (length(tables)) paste0("; also tidy(x, ", paste0("\"", tables, "\"", collapse = "), tidy(x, "), ")"),
    ".\n",
    sep = ""
  )
  s <- attr(x, "suppression")
  if (!is.null(s)) cat(suppression_footnote(s), "\n", sep = "")
  invisible(x)
}

#' @export
format.equityaudit_result <- function(x, columns = c("shown", "all"), ...) {
  columns <- match_arg(columns, c("shown", "all"), "columns")
  cols <- if (columns == "all") names(x) else spec_of(x)$cols
  readable_frame(x, cols, attr(x, "suppression")$starred)
}

# The columns `cols` of a data frame with every number written as a
# published table writes it, and the starred cells (a list: column ->
# rows) as "*" (or "[c]": withheld_mark()). Column names are kept: they
# are what the user indexes by.
readable_frame <- function(x, cols = names(x), starred = list()) {
  df <- plain_frame(x)
  df <- df[intersect(cols, names(df))]
  for (col in names(df)) {
    v <- readable_column(df[[col]], col)
    v[starred[[col]] %||% integer()] <- withheld_mark()
    df[[col]] <- v
  }
  df
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
