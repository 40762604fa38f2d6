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
  broad <- !is.null(t$groups_broad)
  if (broad) {
    # each statement says which level it uses
    access <- findings_level(access, "Detailed categories: ", "among the detailed categories")
    outcome <- findings_level(outcome, "Detailed categories: ", "among the detailed categories")
    b_access <- if (!is.null(t$access_broad)) access_findings(t$access_broad, s) else list()
    b_outcome <- outcome_findings(t$groups_broad, s)
    b_access <- findings_level(b_access, "Broad groups: ", "among the broad groups")
    b_outcome <- findings_level(b_outcome, "Broad groups: ", "among the broad groups")
    # a group the same at both levels ("Not stated") is stated once, broad
    same <- function(detail, broad) detail[!sub("^[^:]*: ", "", detail) %in% sub("^[^:]*: ", "", broad)]
    access$lines <- same(access$lines, b_access$lines)
    outcome$lines <- same(outcome$lines, b_outcome$lines)
  } else {
    b_access <- b_outcome <- list()
  }
  differences <- c(b_access$lines, b_outcome$lines, access$lines, outcome$lines)
  if (length(differences) == 0) {
    differences <- paste0(
      "No comparison shows a difference between groups: every interval is consistent ",
      "with no difference, or there were too few people to tell."
    )
  }
  c(
    differences, b_outcome$equivalent, outcome$equivalent, b_access$untold, b_outcome$untold,
    access$untold, outcome$untold, findings_caveats(r)
  )
}

# Findings of one level of groups (detailed or broad) saying so: each
# difference after `prefix`, and "Too few people to assess access among
# the broad groups in ...".
findings_level <- function(f, prefix, among) {
  if (length(f$lines)) f$lines <- paste0(prefix, f$lines)
  if (length(f$equivalent)) f$equivalent <- paste0(prefix, f$equivalent)
  if (length(f$untold)) {
    f$untold <- sub("^(Too few people to assess (access|the outcome))", paste("\\1", among), f$untold)
  }
  f
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
  paste0("In ", findings_stratum(d, cols), ", ")
}

# A stratum as a reader names it: "WWT", or "WWT (Male, 18-24)".
findings_stratum <- function(d, cols) {
  first <- as.character(d[[cols[[1]]]])
  if (length(cols) == 1) {
    return(first)
  }
  rest <- do.call(paste, c(lapply(d[cols[-1]], as.character), sep = ", "))
  paste0(first, " (", rest, ")")
}

# The people of a group in a sentence: "Bangladeshi people", but people
# recorded as "Not stated" for a label that is not the name of a people
# (an unknown, an "Other ..." category, a code of one or two characters, a
# label that already ends in "group" or "people").
findings_people <- function(label) {
  label <- as.character(label)
  bare <- trimws(label)
  odd <- ethnicity_key(label) %in% nhs_unknown_keys(codes = FALSE) |
    grepl("^(any )?other\\b|\\b(groups?|people|persons?)$|^(not |unknown|prefer not|refused)",
      bare,
      ignore.case = TRUE
    ) |
    nchar(bare) <= 2
  ifelse(odd, paste0("people recorded as \u201c", label, "\u201d"), paste(label, "people"))
}

# The known groups too few to assess, as sentences: one per stratum ("in
# East: every group", or the groups by name), or past five strata one
# sentence that counts them (the tables show which).
findings_untold <- function(d, untold, assessable, group, cols, what) {
  if (!any(untold)) {
    return(NULL)
  }
  cols <- intersect(cols, names(d))
  head <- paste("Too few people to assess", what)
  label <- as.character(d[[group]])
  if (length(cols) == 0) {
    return(paste0(head, ": ", paste(unique(label[untold]), collapse = "; "), "."))
  }
  where <- findings_stratum(d, cols)
  strata <- unique(where[untold])
  if (length(strata) > 5) {
    return(sprintf(
      "%s for %s of %s groups, in %s of %s places: the tables show which.", head,
      format_count(sum(untold)), format_count(sum(assessable)),
      format_count(length(strata)), format_count(length(unique(where[assessable])))
    ))
  }
  vapply(strata, function(w) {
    here <- untold & where == w
    names <- if (sum(here) == sum(assessable & where == w)) "every group" else paste(unique(label[here]), collapse = "; ")
    paste0(head, " in ", w, ": ", names, ".")
  }, "", USE.NAMES = FALSE)
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
      findings_where(w, s$by), findings_people(w[[group]]), " used the service ",
      findings_number(w$representation_ratio, 2), " times as often as their share of the ",
      "eligible population would suggest (", level_text(a), "% interval ",
      findings_number(w$ratio_low, 2), " to ", findings_number(w$ratio_high, 2), ")."
    )
  }
  assessable <- known & !(d$n %in% 0)
  untold <- assessable & is.na(d$verdict)
  list(lines = lines, untold = findings_untold(d, untold, assessable, group, s$by, "access"))
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
      findings_where(w, units), pct(w$pct), " of ", findings_people(w[[group]]),
      " had the outcome ", event, ", against ", pct(w$ref_pct), " of ",
      findings_people(w$reference), ": ", findings_number(abs(w$difference), 1), " percentage points ",
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
  list(lines = lines, equivalent = equivalent, untold = findings_untold(
    d, untold, !nobody, group, units, "the outcome"
  ))
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
  rule <- if (s$suppress == "none") {
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
  c(rule, findings_left_out(r))
}

# The people left out of some comparisons, with how many: the sum of the
# published counts (of the pooled rows, where a table has them), people
# with no group from the cohort table, people with no outcome from the
# outcomes table.
findings_left_out <- function(r) {
  s <- r$settings
  rounded <- s$suppress != "none"
  people <- function(v) {
    total <- sum(v, na.rm = TRUE)
    if (total == 0 && anyNA(v)) {
      return("how many is hidden by the rule")
    }
    paste0(
      if (rounded) "about " else "", people_count(total),
      if (anyNA(v)) ", and more in hidden counts" else ""
    )
  }
  co <- pooled_rows(r$tables$cohort)
  unknown <- co$variable %in% s$group & co$missing %in% TRUE
  group_text <- if (any(unknown)) {
    paste0(
      "People whose group is not recorded are counted in a group of their own and left out ",
      "of the comparisons between groups: ", people(co$n[unknown]), "."
    )
  }
  o <- pooled_rows(r$tables$outcomes)
  outcome_text <- if (!is.null(o$n_outcome_missing) && any(!(o$n_outcome_missing %in% 0))) {
    paste0(
      "People with no recorded outcome are counted in the tables but left out of the ",
      "outcome comparisons: ", people(o$n_outcome_missing), "."
    )
  }
  c(group_text, outcome_text)
}

# The rows of a table as a data frame: its pooled rows where it has them
# (the totals over places), all of them otherwise.
pooled_rows <- function(x) {
  d <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  if (is.null(d$pooled) || !any(d$pooled %in% TRUE)) {
    return(d)
  }
  d[d$pooled %in% TRUE, , drop = FALSE]
}
