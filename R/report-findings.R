# The report's main findings, first in every report (HTML and Word): each
# comparison that shows a difference in words with its interval, the
# groups too few to assess, and the caveats that apply. report_findings()
# writes them as plain sentences from the report's tables (one place,
# tested); md_findings() makes them the report's first section, every
# sentence literal text (labels are data: see md_literal()).

# The findings of a report (the object report_tables() returns): a
# character vector of sentences, in plain English with the groups' labels.
report_findings <- function(r) {
  t <- r$tables
  s <- r$settings
  access <- if (!is.null(t$access)) access_findings(t$access, s) else list()
  outcome <- outcome_findings(t$groups, s)
  differences <- c(access$lines, outcome$lines)
  if (length(differences) == 0) {
    differences <- paste0(
      "No comparison shows a difference between groups: every interval is consistent ",
      "with no difference, or there were too few people to tell."
    )
  }
  c(differences, outcome$equivalent, access$untold, outcome$untold, findings_caveats(r))
}

# The Markdown of the findings: a section with one bullet per sentence.
md_findings <- function(r) {
  paste0("## Main findings\n\n", paste0("- ", md_literal(report_findings(r)), collapse = "\n"), "\n\n")
}

# "In Site 1, " from the stratum columns `cols` of rows of `d` ("" when
# there are none).
findings_where <- function(d, cols) {
  cols <- intersect(cols, names(d))
  if (length(cols) == 0 || length(d[[1]]) == 0) {
    return(rep("", length(d[[1]])))
  }
  paste0("In ", do.call(paste, c(lapply(d[cols], as.character), sep = ", ")), ", ")
}

# Groups of rows as "Group C (Site 2)" for a list of groups too few to assess.
findings_groups <- function(d, group, cols) {
  cols <- intersect(cols, names(d))
  label <- as.character(d[[group]])
  if (length(cols) == 0) {
    return(unique(label))
  }
  unique(paste0(label, " (", do.call(paste, c(lapply(d[cols], as.character), sep = ", ")), ")"))
}

findings_number <- function(v, digits) formatC(as.double(v), format = "f", digits = digits)

# Representation ratios whose verdict is "different", and the known groups
# whose ratio cannot be assessed.
access_findings <- function(a, s) {
  d <- as.data.frame(unclass(a), stringsAsFactors = FALSE, optional = TRUE)
  group <- attr(a, "group")[[1]]
  known <- !(d$missing %in% TRUE)
  diff <- known & d$verdict %in% "different"
  w <- d[diff, , drop = FALSE]
  lines <- if (nrow(w) > 0) {
    paste0(
      findings_where(w, s$by), as.character(w[[group]]), " people used the service ",
      findings_number(w$representation_ratio, 2), " times as often as their share of the ",
      "eligible population would suggest (", level_text(a), "% interval ",
      findings_number(w$ratio_low, 2), " to ", findings_number(w$ratio_high, 2), ")."
    )
  }
  untold <- known & is.na(d$verdict) & !(d$n %in% 0)
  list(lines = lines, untold = if (any(untold)) {
    paste0(
      "Too few people to assess access: ",
      paste(findings_groups(d[untold, , drop = FALSE], group, s$by), collapse = "; "), "."
    )
  })
}

# Differences in the share with the outcome whose verdict is "different",
# the count of those shown equivalent, and the groups too few to assess.
outcome_findings <- function(g, s) {
  d <- as.data.frame(unclass(g), stringsAsFactors = FALSE, optional = TRUE)
  group <- attr(g, "group")[[1]]
  units <- c(s$by, s$strata)
  event <- findings_event(s)
  pct_digits <- if (rounds_counts(suppression_of(g))) 0 else 1
  pct <- function(v) paste0(findings_number(v, pct_digits), "%")
  diff <- d$verdict %in% "different"
  w <- d[diff, , drop = FALSE]
  lines <- if (nrow(w) > 0) {
    paste0(
      findings_where(w, units), pct(w$pct), " of ", as.character(w[[group]]),
      " people had the outcome ", event, ", against ", pct(w$ref_pct), " of ",
      w$reference, " people: ", findings_number(abs(w$difference), 1), " percentage points ",
      ifelse(w$difference > 0, "higher", "lower"), " (", level_text(g), "% interval ",
      findings_number(w$diff_low, 1), " to ", findings_number(w$diff_high, 1), ")."
    )
  }
  n_eq <- sum(d$verdict %in% "equivalent")
  margin <- 100 * (attr(g, "options")$margin %||% 0.1)
  equivalent <- if (n_eq > 0) {
    sprintf(
      "%s shown to be within %s percentage points of %s reference group (equivalent).",
      if (n_eq == 1) "One group's share with the outcome was" else paste(n_eq, "groups' shares with the outcome were"),
      format(margin), if (n_eq == 1) "its" else "their"
    )
  }
  nobody <- d$n %in% 0 | d$ref_n %in% 0
  untold <- is.na(d$verdict) & !nobody
  list(lines = lines, equivalent = equivalent, untold = if (any(untold)) {
    paste0(
      "Too few people to assess the outcome: ",
      paste(findings_groups(d[untold, , drop = FALSE], group, units), collapse = "; "), "."
    )
  })
}

# The event as a reader names it: "Employed", not "outcome = Employed".
findings_event <- function(s) {
  event <- s$event %||% ""
  prefix <- paste0(s$outcome, " = ")
  value <- if (startsWith(event, prefix)) substring(event, nchar(prefix) + 1) else event
  # a yes/no outcome is named by its column
  if (value %in% c("TRUE", "")) value <- s$outcome
  paste0("\u201c", value, "\u201d")
}

# The caveats: the rule in force, and the people whose group or outcome is
# not known (counted, with how many).
findings_caveats <- function(r) {
  s <- r$settings
  o <- as.data.frame(unclass(r$tables$outcomes), stringsAsFactors = FALSE, optional = TRUE)
  if (!is.null(o$pooled)) o <- o[!(o$pooled %in% TRUE), , drop = FALSE]
  rounded <- s$suppress != "none"
  people <- function(v) {
    total <- sum(v, na.rm = TRUE)
    if (total == 0 && anyNA(v)) {
      return("how many is hidden by the rule")
    }
    paste0(
      if (rounded) "about " else "", format_count(total), if (total == 1) " person" else " people",
      if (anyNA(v)) ", and more in hidden counts" else ""
    )
  }
  rule <- if (!rounded) {
    "Counts are exact and not suppressed: this report is for internal use, not for publication."
  } else if (s$suppress == "cell_key") {
    paste(
      "Counts are perturbed by the cell-key method: each is changed by a small amount that is",
      "the same for the same people in every release, so no count, and no small count in",
      "particular, can be taken as exact."
    )
  } else {
    paste0(
      "Counts of ", if (s$suppress == "opensafely") 0 else 1, " to 7 people are hidden (",
      rule_name(s$suppress), " rule). ", rounding_note(suppression_rule(s$suppress, NULL, NULL))
    )
  }
  unknown <- o$missing %in% TRUE
  group_text <- if (any(unknown)) {
    paste0(
      "People whose group is not recorded are counted in a group of their own and left out ",
      "of the comparisons between groups: ", people(o$n[unknown] + o$n_outcome_missing[unknown]), "."
    )
  }
  outcome_text <- if (!is.null(o$n_outcome_missing) && any(!(o$n_outcome_missing %in% 0))) {
    paste0(
      "People with no recorded outcome are counted in the tables but left out of the ",
      "outcome comparisons: ", people(o$n_outcome_missing), "."
    )
  }
  c(rule, group_text, outcome_text)
}
