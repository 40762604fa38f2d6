# The report's methods and data-quality section, last before the notes:
# the period the records cover, who is counted and who is left out (with
# the published counts), how complete the group column is in each place,
# what a hidden count stands for, what every statistic shown means, and
# the release's contact, source and next release when given. Every number
# comes from the published tables (under a rule, rounded or hidden as
# they are).

report_methods <- function(r) {
  s <- r$settings
  paste0(
    "## Methods and data quality\n\n",
    "### Who is counted\n\n", md_bullets(methods_people(r)), "\n\n",
    methods_completeness(r),
    "### Hidden and rounded counts\n\n", methods_rule(s$suppress), "\n\n",
    "### What the statistics mean\n\n", md_bullets(methods_definitions(r)), "\n\n",
    methods_release(r$publication)
  )
}

md_bullets <- function(lines) paste0("- ", md_literal(lines), collapse = "\n")

# The period covered, the records counted, and the people left out of
# some comparisons, in sentences.
methods_people <- function(r) {
  s <- r$settings
  p <- r$tables$periods
  period <- if (!is.null(p)) {
    periods <- levels(factor(unclass(p)$period))
    unit <- if (s$period == "column") "period" else gsub("_", " ", s$period, fixed = TRUE)
    sprintf(
      "The records cover %s %s%s, from %s to %s (by the date in column %s).",
      format_count(length(periods)), unit, if (length(periods) == 1) "" else "s",
      periods[[1]], periods[[length(periods)]], s$date
    )
  }
  rounded <- s$suppress != "none"
  records <- if (is.na(r$records)) {
    "The tables count every record of the data."
  } else {
    paste0(
      "The tables count every record of the data: ", if (rounded) "about " else "",
      people_count(r$records), "."
    )
  }
  c(period, records, findings_left_out(r))
}

# How complete the group column is in each place: the people, those with a
# group recorded, those recorded as "Not stated" (or another wording of it)
# and those with no group, as counts and percentages of the people, from
# the published cohort table (a value that would let a reader work out a
# hidden count is hidden too).
methods_completeness <- function(r) {
  s <- r$settings
  d <- as.data.frame(unclass(r$tables$cohort), stringsAsFactors = FALSE, optional = TRUE)
  places <- intersect(s$by, names(d))
  where <- if (length(places)) do.call(paste, c(lapply(d[places], as.character), sep = ", ")) else rep("All", nrow(d))
  if (!is.null(d$pooled)) where[d$pooled %in% TRUE] <- "All"
  people <- d$variable == "people"
  mine <- d$variable == s$group
  stated_not <- mine & ethnicity_key(d$level) %in% nhs_unknown_keys(codes = FALSE) & !(d$missing %in% TRUE)
  unknown <- mine & d$missing %in% TRUE
  keys <- unique(where[people])
  total <- function(rows) vapply(keys, function(k) sum(d$n[rows & where == k]), 0)
  n <- total(people)
  not_stated <- total(stated_not)
  not_known <- total(unknown)
  recorded <- n - not_stated - not_known
  digits <- if (rounds_counts(suppression_of(r$tables$cohort))) 0 else 1
  # a percentage only where the count and the place's people are shown
  pct <- function(v) {
    ifelse(is.na(v) | is.na(n) | n %in% 0, "", paste0(" (", format_pct(percent_of(v, n), digits), "%)"))
  }
  count <- function(v) paste0(format_count(v, na = withheld_mark()), pct(v))
  table <- data.frame(
    place = if (length(places)) keys else "All people", people = format_count(n, na = withheld_mark()),
    recorded = count(recorded), not_stated = count(not_stated), not_known = count(not_known),
    check.names = FALSE
  )
  names(table) <- c(
    if (length(places)) paste(places, collapse = ", ") else "People", "People",
    "Group recorded (%)", "Recorded as not stated (%)", "No group recorded (%)"
  )
  if (!any(stated_not)) table[[4]] <- NULL
  paste0(
    "### How complete the group column is\n\n",
    "How many people have their ", md_literal(s$group), " recorded in each place",
    if (any(stated_not)) ", how many are recorded as not stated" else "",
    " and how many have no value (blank or missing",
    if (length(s$unknown)) paste0(", or ", paste(md_literal(s$unknown), collapse = ", ")) else "",
    "). A group column that is less complete in one place than another can make ",
    "its shares differ for that reason alone.\n\n",
    md_table(table, paste("Completeness of", s$group), 1), "\n\n"
  )
}

# What a hidden or rounded count stands for, in words.
methods_rule <- function(rule) {
  mark <- md_literal(withheld_mark())
  switch(rule,
    none = "No count is hidden or rounded: the report is for internal use, not for publication.",
    cell_key = paste(
      "Every count is perturbed by the cell-key method: each is moved by at most 3, by an",
      "amount fixed by its people's record keys and a secret kept with the data, so that",
      "the same people give the same count in every table and every release. A total need",
      "not equal the sum of its parts."
    ),
    paste0(
      "Under the ", rule_name(rule), " rule, counts of ", if (rule == "opensafely") 0 else 1,
      " to 7 people are shown as ", mark, ". So that no such count can be worked out from ",
      "the totals and other tables beside it, some larger counts are shown as ", mark,
      " too: a ", mark, " stands for a count of any size. Other counts are rounded to the ",
      "nearest 5, and percentages, intervals and verdicts are worked out from the ",
      "published counts, allowing for every true count the rounding could hide; a group ",
      "with a hidden count is left out of its stratum's test."
    )
  )
}

# Definitions of the statistics the report shows (those of the sections
# it has).
methods_definitions <- function(r) {
  t <- r$tables
  level <- level_text(t$outcomes)
  c(
    paste0(
      "%: a group's share of the people whose value is known, or the share of a group ",
      "with the outcome. ", level, "% interval: the range of values consistent with the ",
      "data at that level (Wilson's score interval for a percentage)."
    ),
    if (!is.null(t$access)) {
      paste(
        "Representation ratio: a group's share of the people using the service divided by",
        "its share of the eligible population (Katz's log interval)."
      )
    },
    if (!is.null(t$groups)) {
      paste(
        "Difference: a group's percentage with the outcome minus that of the reference",
        "group, in percentage points (Newcombe's hybrid score interval)."
      )
    },
    paste0(
      "Verdict: \"different\" when the interval excludes no difference; \"equivalent\" when ",
      "it lies within the margin of equality (",
      if (!is.null(t$access)) "a representation ratio of 0.8 to 1.25; " else "",
      "a difference within 10 percentage points); \"inconclusive\" when it does neither."
    ),
    paste(
      "Chi-square test (statistic and p): whether the groups' shares differ by more than",
      "chance would explain; df, its degrees of freedom, is the number of groups tested",
      "minus 1; p is the chance of a statistic at least that",
      "large if the groups did not differ; the exact p is computed from every table with",
      "the same totals where expected counts are small."
    ),
    "Cram\u00e9r's V: the strength of the difference between groups, from 0 (none) to 1.",
    if (!is.null(t$services)) {
      "Funnel limits: the range within which a service's percentage would fall by chance, given its size."
    },
    if (!is.null(t$periods)) {
      paste(
        "Trend test: the chi-square test for a linear trend across periods (1 df);",
        "SPC limits: 3-sigma limits of a Laney p' chart of the published counts."
      )
    }
  )
}

# The release's contact, source and next release, when given.
methods_release <- function(p) {
  lines <- c(
    if (!is.null(p$source)) paste("Source of the data:", p$source),
    if (!is.null(p$contact)) paste("Contact:", p$contact),
    if (!is.null(p$next_release)) paste("Next release:", p$next_release),
    paste0(
      "Produced with the equityaudit R package, version ",
      utils::packageVersion("equityaudit"), "."
    )
  )
  paste0("### About this release\n\n", md_bullets(lines), "\n\n")
}
