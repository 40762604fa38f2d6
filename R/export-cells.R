# The cells of each sheet that write_tables() writes (export-xlsx.R): the
# headings, the numbers rounded as printed, the GSS shorthand where a value
# is not shown, and the notes sheet.

# Cells of the table that do not apply to their row ([z]): numbers of the
# unknown group other than its counts, numbers of a row of nobody, a cohort's percentage of all people
# or of a summary row and its summaries of rows that are not summaries,
# and exact p-values where no exact test was needed (`count`: whether the
# column holds counts, which apply to every row).
not_applicable <- function(d, col, kind, count) {
  n <- length(d[[1]])
  z <- rep(FALSE, n)
  if (is.logical(d$missing)) {
    z <- z | (d$missing %in% TRUE & !count)
  }
  # a percentage or interval of nobody
  if (is.numeric(d$n) && !count) z <- z | d$n %in% 0
  if (kind == "cohort" && all(c("variable", "level") %in% names(d))) {
    people <- d$variable == "people"
    summary_row <- is.na(d$level) & !people & !(d$missing %in% TRUE)
    if (col == "pct") z <- z | people | summary_row
    if (col %in% c("mean", "sd", "min", "max")) z <- z | !summary_row
  }
  if (col == "exact_p_value" && "exact_method" %in% names(d)) z <- z | is.na(d$exact_method)
  z
}

# The labels of a cohort's rows that have no level: all people, the
# people whose value is not known, and a summary (such as mean age).
cohort_levels <- function(d) {
  level <- as.character(d$level)
  people <- d$variable == "people"
  none <- is.na(level)
  level[none & people] <- "All people"
  level[none & !people & d$missing %in% TRUE] <- "Not known"
  level[none & !people & !(d$missing %in% TRUE)] <- "Summary of known values"
  level
}

# The columns of a sheet: for each, its heading, its numbers (NULL for a
# text column) and its text (the shorthand or "< 0.001" over a number).
sheet_cells <- function(s) {
  d <- plain_frame(s$table)
  labels <- d
  if (s$kind == "cohort" && !s$part && all(c("variable", "level", "missing") %in% names(d))) {
    labels$level <- cohort_levels(d)
    labels$variable[d$variable == "people"] <- "People"
  }
  cols <- intersect(s$cols, names(d))
  n <- nrow(d)
  spec <- describe_columns(s$result %||% s$table, cols)
  # a missing label of a group or stratum is the unknown group
  unknown <- attr(s$table, "unknown_label") %||% "Not known"
  label_cols <- c(attr(s$table, "by"), attr(s$table, "group"))
  columns <- lapply(seq_along(cols), function(k) {
    col <- cols[[k]]
    v <- d[[col]]
    starred <- seq_len(n) %in% (s$starred[[col]] %||% integer())
    digits <- spec$digits[[k]]
    if (is.numeric(v) && !is.object(v) && spec$value_role[[k]] == "measure" && !is.null(d$measure)) {
      # (a table of no measures keeps the column's digits)
      shown <- measure_digits[as.character(d$measure)]
      if (any(!is.na(shown))) digits <- max(shown, na.rm = TRUE)
    }
    z <- not_applicable(d, col, s$kind, identical(spec$value_role[[k]], "count"))
    if (is.numeric(v) && !is.object(v)) {
      p_value <- identical(spec$value_role[[k]], "p")
      value <- round(as.double(v), digits)
      text <- rep(NA_character_, n)
      if (p_value) text[!is.na(value) & v < 0.001] <- "< 0.001"
      text[is.na(v)] <- ifelse(z[is.na(v)], "[z]", "[x]")
      # no number in a spreadsheet is infinite
      text[is.infinite(v)] <- "[x]"
      text[starred] <- "[c]"
      value[!is.na(text)] <- NA
      format <- if (digits == 0) "#,##0" else paste0("0.", strrep("0", digits))
      empty <- n > 0 && all(is.na(v)) && !any(starred)
      return(list(value = value, text = text, format = format, empty = empty))
    }
    v <- labels[[col]]
    text <- if (is.logical(v)) ifelse(v, "Yes", "No") else cell_text(as.character(v))
    if (col %in% label_cols) text[is.na(text)] <- unknown[[1]]
    text[is.na(text)] <- ifelse(z[is.na(text)], "[z]", "[x]")
    text[starred] <- "[c]"
    empty <- n > 0 && all(is.na(v)) && !any(starred)
    list(value = NULL, text = text, format = NULL, empty = empty)
  })
  keep <- !vapply(columns, `[[`, TRUE, "empty")
  list(headings = cell_text(spec$heading[keep]), columns = columns[keep], n = n)
}

# Text for a cell, as it is: line breaks and tabs as spaces, control and
# bidirectional formatting characters as their code points (XML cannot
# hold most control characters: the file would not open).
cell_text <- function(x) {
  x <- gsub("[\r\n\t\f\v]+", " ", x)
  visible_controls(x)
}

# The rule in one sentence, for the cover sheet.
rule_summary <- function(rule) {
  if (identical(rule$rule, "cell_key")) {
    return(paste("Cell-key method:", cell_key_text(rule), "See the Notes sheet."))
  }
  if (rule$threshold == 0 && rule$round_to == 1) {
    return("None: counts are exact. These tables are for internal use, not for publication.")
  }
  paste0(rule_label(rule), ": ", rule_counts_text(rule), " See the Notes sheet.")
}

# What the cell-key method does to the counts, in words.
cell_key_text <- function(rule) {
  paste0(
    "every count and total is moved by a small amount (at most ", rule$max_perturbation,
    " either way) fixed by the count and by its people's record keys, so the same people",
    " give the same value in every table and release; no count is shown below ",
    rule$smallest, " except 0, which can stand for a few people; a total is perturbed",
    " on its own and need not equal the sum of its parts."
  )
}

rule_counts_text <- function(rule) {
  lowest <- if (rule$zero) 0 else 1
  paste0(
    if (rule$threshold > 0) {
      sprintf(paste(
        "counts of %g to %g people are suppressed (shown as [c]), with any other count",
        "that would reveal them"
      ), lowest, rule$threshold)
    } else {
      "no counts are suppressed"
    },
    if (rule$round_to > 1) sprintf("; other counts are rounded to the nearest %g.", rule$round_to) else "."
  )
}

# The rule's name: a rule's own, or its numbers alone.
rule_label <- function(rule) {
  if (rule$rule == "none") "Suppression" else paste(rule_name(rule$rule), "rule")
}

# Who a table of each kind counts.
population_text <- c(
  cohort = paste(
    "everyone in the data, by each characteristic, within each stratum and in total;",
    "a percentage is of the people whose value is known."
  ),
  access = paste(
    "the people using the service in each group, against the eligible population given",
    "as the reference; a share is of the people whose group is known."
  ),
  outcomes = paste(
    "the people of each group whose outcome is known; people whose outcome is not known",
    "are counted in \"Outcome not known\" and left out of the percentages."
  ),
  groups = paste(
    "the people of each group whose outcome is known, against those of the group it is",
    "compared with (the largest group of its stratum, by published count, unless a",
    "reference was given)."
  ),
  services = paste(
    "the people of each group in each service, against the range expected from the",
    "group across all services."
  ),
  periods = "the people who joined in each period, by group.",
  inequality = "the groups of the published outcome table, from their published counts.",
  counts = "the people counted in each combination of values."
)

export_notes <- function(book, sheets) {
  rule <- book$rule
  cell_key <- identical(rule$rule, "cell_key")
  none <- !cell_key && rule$threshold == 0 && rule$round_to == 1
  unknown <- if (length(book$unknown)) book$unknown[[1]] else "Not known"
  # the notes of every table first (unnamed), then each sheet's own (named
  # by its sheet), then what the report's analyses left out
  notes <- c(
    if (cell_key) {
      paste0(
        "Cell-key method: ", cell_key_text(rule),
        " Every percentage, interval, test and measure is computed from the published",
        " counts; age summaries are withheld ([c])."
      )
    } else if (none) {
      paste(
        "No suppression rule was applied: counts are exact. These tables are for internal",
        "use, not for publication."
      )
    } else {
      paste0(
        "Suppression", if (rule$rule != "none") paste0(" (", rule_label(rule), ")"), ": ",
        rule_counts_text(rule),
        " Every percentage, interval, test and measure is computed from the published",
        " counts; groups with a suppressed count are left out of the tests.",
        if (rounds_counts(rule)) paste0(" ", rounding_note(rule))
      )
    },
    paste0(
      if (rule$round_to > 1 || cell_key) "Counts are published as note 1 says. " else "Counts are whole numbers. ",
      "Percentages and their 95% limits are rounded to ",
      if (rounds_counts(rule)) "whole numbers" else "1 decimal place", ", p-values to 3",
      " (a p-value below 0.001 is shown as \"< 0.001\"), and ratios, test statistics,",
      " expected percentages with their ranges and other measures to 2."
    ),
    paste(
      "Shorthand: [c] confidential, withheld under the suppression rule (note 1) or",
      "computed from a withheld count; [x] not available, cannot be computed from the",
      "published counts (such as an interval for nobody, or a test of a stratum with fewer",
      "than two groups with published counts); [z] not applicable, the value does not",
      "apply to the row (such as a percentage of nobody, the cohort's percentage of the",
      "unknown group, or an exact p-value where no expected count is below 5)."
    ),
    paste0(
      "Unknown groups: blank and missing values, and the labels given as unknown, are one",
      " unknown group, labelled \"", unknown, "\", shown in a row of its own and left out",
      " of the tests and of the known groups' percentages. A blank stratum is a stratum of",
      " its own, left out of the tests across strata. A blank outcome is counted as not",
      " known, never as not having the outcome."
    ),
    if (!is.na(book$records)) {
      paste0(
        "The tables rest on ", if (none) "" else "about ", format_count(book$records),
        " records", if (none) "." else " (rounded)."
      )
    }
  )
  for (s in sheets) {
    who <- if (s$part) {
      paste0("the strata of sheet ", s$of, ", from its published counts.")
    } else if (s$kind %in% names(population_text)) {
      population_text[[s$kind]]
    } else {
      "the people counted in the table."
    }
    notes <- c(notes, stats::setNames(paste0("Sheet ", s$name, ": ", who), s$name))
  }
  c(notes, stats::setNames(book$notes, rep("report", length(book$notes))))
}

# Widths from content: a column as wide as its longest cell (text wraps
# beyond 50 characters), never narrower than its header's longest word.
column_widths <- function(d) {
  vapply(seq_along(d), function(j) {
    v <- d[[j]]
    shown <- if (is.numeric(v)) format(v, big.mark = ",", scientific = FALSE) else as.character(v)
    longest <- max(c(0, nchar(shown[!is.na(v)], type = "chars")))
    word <- max(nchar(strsplit(names(d)[[j]], "\\s+")[[1]], type = "chars"))
    min(60, max(10, word + 2, min(longest, 50) + 2))
  }, 0)
}

# An Excel table's headers are text, and unique whatever their case: a
# repeated heading gets " (2)", a blank one its column's number.
unique_headings <- function(x) {
  x[!nzchar(trimws(x))] <- paste("Column", which(!nzchar(trimws(x))))
  seen <- stats::ave(seq_along(x), tolower(x), FUN = seq_along)
  ifelse(seen > 1, paste0(x, " (", seen, ")"), x)
}

# The two lines above a table: the notes that apply to it (by number), and
# the shorthand it uses.
sheet_about <- function(s, cells, notes) {
  named <- names(notes) %||% rep("", length(notes))
  general <- seq_len(sum(cumprod(named == "")))
  own <- which(named == s$name)
  used <- unique(unlist(lapply(cells$columns, function(col) col$text)))
  marks <- c(c = "[c] confidential", x = "[x] not available", z = "[z] not applicable")
  used <- marks[paste0("[", names(marks), "]") %in% used]
  c(
    paste0(
      "This worksheet contains one table. Notes ", min(general), " to ", max(general),
      " on the Notes sheet apply to every table",
      if (length(own)) paste0(", and note ", own, " to this one"), "."
    ),
    if (length(used)) {
      paste0(
        "Some cells show shorthand for a value not shown: ", paste(used, collapse = ", "),
        " (note ", grep("^Shorthand", notes)[[1]], ")."
      )
    } else {
      "No cell of this table shows shorthand: every value is shown."
    }
  )
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
