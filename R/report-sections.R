# The Markdown of each section of the report, from the tables computed
# once by report_tables(). Every string that comes from the user or the
# data (labels, column names, the event) goes through md_literal() or
# md_table() (report-text.R); the rest is the package's own text.

# The cohort as printed, its first row named for readers, and its first
# column headed (a table header with no text says nothing to a screen
# reader).
cohort_table <- function(x) {
  d <- format(x)
  d[[1]][d[[1]] == "people"] <- "All people"
  if (!nzchar(trimws(names(d)[[1]]))) names(d)[[1]] <- "Group"
  # one column of groups: its name heads the rows, not each row
  vars <- unique(unclass(x)$variable)
  vars <- vars[vars != "people"]
  prefix <- paste0(vars, ": ")
  if (length(vars) == 1 && all(startsWith(d[[1]], prefix) | d[[1]] == "All people")) {
    d[[1]] <- ifelse(d[[1]] == "All people", d[[1]], substring(d[[1]], nchar(prefix) + 1))
    names(d)[[1]] <- vars
  }
  d
}

# The sections: a named list of Markdown strings ("" for a section that
# does not apply).
report_markdown <- function(r) {
  t <- r$tables
  list(
    findings = md_findings(r),
    intro = report_intro(r),
    cohort = md_table(cohort_table(t$cohort), table_title(t$cohort), 1),
    access = if (!is.null(t$access)) report_access(r) else "",
    outcomes = report_outcomes(r),
    verdicts = report_verdicts(r),
    broad = report_broad_section(r),
    measures = report_measures(r),
    adjusted = report_adjusted(r),
    services = if (!is.null(t$services)) report_services(r) else "",
    periods = if (!is.null(t$periods)) report_periods(r) else "",
    spc = if (!is.null(t$periods)) report_spc_section(r) else "",
    methods = report_methods(r),
    notes = report_notes(r)
  )
}

report_intro <- function(r) {
  s <- r$settings
  records <- if (is.na(r$records)) {
    "its records"
  } else if (s$suppress == "none") {
    paste(format_count(r$records), "records")
  } else if (s$suppress == "cell_key") {
    paste("about", format_count(r$records), "records (perturbed, as every count in this report)")
  } else {
    paste("about", format_count(r$records), "records (rounded, as every count in this report)")
  }
  within <- if (length(s$by)) paste0(" within each ", paste(lit(s$by), collapse = " and ")) else ""
  paste0(
    "This report was produced by the equityaudit package (version ",
    utils::packageVersion("equityaudit"), ") from ", records,
    if (isTRUE(s$lazy)) " counted inside the database" else "",
    ", comparing the groups of **", lit(s$group), "**", within,
    ". The outcome counted is ", outcome_text(s), ".\n\n",
    suppression_text(s$suppress)
  )
}

# The event, as "**employed** = TRUE".
outcome_text <- function(s) {
  event <- s$event %||% ""
  prefix <- paste0(s$outcome, " = ")
  value <- if (startsWith(event, prefix)) substring(event, nchar(prefix) + 1) else event
  paste0("**", lit(s$outcome), "** = ", lit(value))
}

suppression_text <- function(rule) {
  if (rule == "none") {
    return("Counts are shown unsuppressed: this report is for internal use.\n\n")
  }
  if (rule == "cell_key") {
    return(paste0(
      "Counts are perturbed by the cell-key method: every count and total is moved by at most 3 ",
      "either way, by an amount fixed by the count and by its people's record keys, so the same ",
      "people give the same count in every table and in every monthly release; 0 stays 0 and no ",
      "count is shown as 1 or 2. A total need not equal the sum of its parts. Every percentage, ",
      "interval, test, plot and measure is computed from the published counts.\n\n"
    ))
  }
  paste0(
    "Small counts are suppressed with the ", rule_name(rule), " rule: counts of ",
    if (rule == "opensafely") 0 else 1, " to 7 people are shown as ", md_literal(withheld_mark()), ", and ",
    "further counts are hidden wherever a reader could ",
    "otherwise narrow a hidden count down, from one table or by combining tables. ",
    "Every percentage, interval, test, plot and measure is computed from the published ",
    "counts; groups whose counts are hidden are left out of the tests, plots and measures. ",
    rounding_note(suppression_rule(rule, NULL, NULL)), "\n\n"
  )
}

report_access <- function(r) {
  s <- r$settings
  a <- r$tables$access
  tests <- summary(a)
  section(
    "Equality of access",
    "The mix of people using the service against the eligible population. ",
    "**How to read this:** a representation ratio of 1 means a group's share of the service ",
    "equals its share of the eligible population; above 1 it is over-represented, below 1 ",
    "under-represented. The verdict says whether the interval shows a difference, shows ",
    "equal representation (a ratio within 0.8 to 1.25), or cannot tell. The % of each known ",
    "group is its share of the people whose group is known.\n\n",
    md_table(
      readable_table(a, c(s$by, attr(a, "group"), "n", "pct", "ref_n", "ref_pct", "ratio_ci", "verdict")),
      table_title(a), length(s$by) + 1
    ),
    "\n\n", test_note(a, s$by), "\n\n",
    md_table(
      readable_table(tests[!is.na(tests$statistic), ], c(s$by, "statistic", "df", "p_value", "cramers_v")),
      table_title(a, "tests"), length(s$by)
    ),
    if (anyNA(tests$statistic)) "\n\nStrata with fewer than two groups with published counts have no test." else ""
  )
}

report_outcomes <- function(r) {
  s <- r$settings
  o <- r$tables$outcomes
  empty <- nobody_in(o, c("n", "events", "n_outcome_missing"), c(s$by, s$strata))
  tests <- summary(o)
  keep <- !row_stratum(tests, c(s$by, s$strata)) %in% row_stratum(o, c(s$by, s$strata))[empty]
  untested <- keep & is.na(tests$statistic)
  keep <- keep & !untested
  section(
    "Equality of outcome",
    "The share of each group with the outcome (", outcome_text(s),
    "), with 95% Wilson intervals, then one test per stratum (Pearson's chi-square; where an ",
    "expected count is below 5, the exact p-value as well). **How to read this:** a small p ",
    "(below 0.05) means the shares differ between the groups by more than chance would explain.\n\n",
    md_table(
      readable_table(o[!empty, ], c(s$by, s$strata, attr(o, "group"), "n", "events", "pct_ci")),
      table_title(o), length(c(s$by, s$strata)) + 1
    ),
    "\n\n", test_note(o, c(s$by, s$strata)), "\n\n",
    md_table(
      readable_table(tests[keep, ], c(s$by, s$strata, "statistic", "df", "p_value", "exact_p_value", "cramers_v")),
      table_title(o, "tests"), length(c(s$by, s$strata))
    ),
    if (any(untested)) "\n\nStrata with fewer than two groups with published counts have no test." else "",
    if (any(empty)) "\n\nStrata with nobody in them are left out of the tables above." else ""
  )
}

report_verdicts <- function(r) {
  s <- r$settings
  g <- r$tables$groups
  if (is.null(g)) {
    return("")
  }
  g <- g[!nobody_in(g, c("n", "ref_n"), c(s$by, s$strata)), ]
  # comparisons that cannot be made (a count starred, or nobody in the
  # group) are counted, not listed row by row
  compared <- !is.na(unclass(g)$difference)
  untold <- sum(!compared)
  g <- g[compared, ]
  section(
    "Equal, different, or too few people to tell?",
    "Each group against the largest group of its stratum (with suppression, the group with ",
    "the largest published count): the difference in percentage points with its Newcombe ",
    "interval, and a verdict against an equivalence margin of 10 points. **How to read ",
    "this:** \"different\" means the interval of the difference excludes zero; ",
    "\"equivalent\" that the difference is shown to be within 10 points; \"inconclusive\" ",
    "that there are too few people to tell. ", md_literal(withheld_mark("x")), ": no interval can be computed.\n\n",
    md_table(
      readable_table(g, c(s$by, s$strata, attr(g, "group"), "reference", "n", "pct", "ref_pct", "diff_ci", "verdict")),
      table_title(g), length(c(s$by, s$strata)) + 1
    ),
    if (untold > 0) {
      sprintf(
        "\n\n%s other comparison%s cannot be made: a count is starred, or nobody is in the group.",
        format_count(untold), if (untold == 1) "" else "s"
      )
    } else {
      ""
    }
  )
}

# What each measure shown says, for readers.
measure_reading <- c(
  difference = "the gap in percentage points between the groups with the highest and the lowest share.",
  ratio = "the highest share divided by the lowest (1: no gap).",
  par = "how many percentage points the stratum's share would change if every group did as well as the reference group.",
  paf = "that change as a percentage of the stratum's share.",
  idis = "the average gap between each group and the stratum as a whole, as a percentage of the stratum's share (0: all equal).",
  theil = "how unequally the outcome is spread across the groups, allowing for their sizes (0: all equal)."
)

report_measures <- function(r) {
  s <- r$settings
  m <- r$measures
  m <- m[m$measure %in% names(measure_reading), ]
  reading <- paste0("- **", measure_labels(names(measure_reading)), "**: ", measure_reading, collapse = "\n")
  section(
    "How unequal are the groups?",
    "Summary measures of the WHO Health Equity Assessment Toolkit, with 95% intervals ",
    "(simulated from 1,000 draws, with a fixed seed so that the report is the same each ",
    "time). The reference group is the largest group.\n\n", reading, "\n\n",
    md_table(
      readable_table(m, c(s$by, s$strata, "label", "value_ci", "groups", "reference")),
      table_title(r$measures), length(c(s$by, s$strata)) + 1
    )
  )
}

report_adjusted <- function(r) {
  s <- r$settings
  if (length(s$adjust) == 0) {
    return("")
  }
  what <- paste(lit(s$adjust), collapse = " and ")
  if (s$suppress != "none") {
    return(section(
      paste("Adjusted for", what),
      "Adjusted comparisons rest on counts by ", what, ", which this report's tables do ",
      "not publish; they are left out of a report with small counts suppressed. Make the ",
      "report with `suppress = \"none\"` for internal use."
    ))
  }
  acc <- r$adjusted$access
  out <- r$adjusted$outcomes
  part <- paste("adjusted for", paste(s$adjust, collapse = " and "))
  section(
    paste("Adjusted for", what),
    "Do the differences remain once each group's mix of ", what, " is taken into account? ",
    "Representation ratios adjusted by indirect standardisation (observed over expected users, ",
    "with exact Poisson intervals) and outcome percentages adjusted by direct standardisation ",
    "(to the whole cohort's mix, with Dobson intervals).\n\n",
    if (!is.null(acc)) {
      paste0(md_table(
        readable_table(acc, c(s$by, s$group, "n", "expected", "isr_ci", "p_value")),
        table_title(r$tables$access, part), length(s$by) + 1
      ), "\n\n")
    } else {
      ""
    },
    if (!is.null(out)) {
      md_table(
        readable_table(out, c(s$by, s$strata, s$group, "n", "pct", "std_ci", "p_value")),
        table_title(r$tables$outcomes, part), length(c(s$by, s$strata)) + 1
      )
    } else {
      ""
    },
    if (!is.null(out) && anyNA(out$std_pct)) "\n\nA blank standardised % means the group has nobody in a stratum of the standard." else ""
  )
}

report_services <- function(r) {
  s <- r$settings
  v <- r$tables$services
  flag <- as.character(v$flag)
  outside <- v[!is.na(flag) & flag != "within", , drop = FALSE]
  text <- if (nrow(outside) == 0) {
    "No service is outside the expected range for any group."
  } else {
    if (nrow(outside) > 30) {
      outside <- outside[order(-abs(outside$z_score))[1:30], , drop = FALSE]
    }
    paste0(
      "The services and groups outside the expected range", if (nrow(outside) == 30) " (the 30 furthest out)" else "",
      ":\n\n", md_table(
        readable_table(outside, c(s$by, s$group, "n", "pct", "target", "limits_95", "flag")),
        table_title(v, "outside the expected range"), 2
      )
    )
  }
  section(
    "Services side by side",
    "Each group's percentage with the outcome in each of the ", length(unique(v[[s$by]])),
    " services, against the range expected from the group's percentage across all of them ",
    "and the service's size (funnel limits at 95% and 99.8%, Spiegelhalter 2005, widened ",
    "where the services vary more than chance allows). **How to read this:** a service ",
    "outside the range for a group differs from the other services by more than chance ",
    "would explain; inside, it does not.\n\n", text
  )
}

report_periods <- function(r) {
  s <- r$settings
  p <- r$tables$periods
  tr <- summary(p)
  unit <- if (s$period == "column") "period" else gsub("_", " ", s$period, fixed = TRUE)
  section(
    "Change over time",
    "Each group's share of the people who joined in each ", unit, ", and its percentage with ",
    "the outcome, then the chi-square test for a linear trend across the ", unit, "s. **How ",
    "to read this:** a small trend p (below 0.05) means the share (or the outcome) rose or ",
    "fell steadily over time by more than chance would explain. Each test says how many ",
    unit, "s it used: a ", unit, " whose counts are hidden takes no part.\n\n",
    md_table(
      readable_table(p, c("period", attr(p, "group"), "n", "share_ci", "outcome_ci")),
      table_title(p), 2
    ),
    "\n\n",
    md_table(
      readable_table(tr, c(
        attr(p, "group"), "share_periods", "share_statistic", "share_p_value",
        "outcome_periods", "outcome_statistic", "outcome_p_value"
      )),
      table_title(p, "trend tests"), 1
    )
  )
}

report_notes <- function(r) {
  if (length(r$notes) == 0) {
    return("")
  }
  section("Notes", paste0("- ", md_literal(r$notes), collapse = "\n"))
}

# Tests of strata with a known group left out because its counts are
# starred say which groups, stratum by stratum.
test_note <- function(x, units) {
  d <- unclass(x)
  counts <- intersect(c("n", "events"), names(d))
  hidden <- Reduce(`|`, lapply(counts, function(cl) is.na(d[[cl]])))
  if (!is.null(d$missing)) hidden <- hidden & !d$missing
  if (!any(hidden)) {
    return("")
  }
  cols <- intersect(units, names(d))
  where <- if (length(cols)) do.call(paste, c(lapply(d[cols], as.character), sep = ", ")) else ""
  group <- as.character(d[[attr(x, "group")[[1]]]])
  lines <- vapply(unique(where[hidden]), function(w) {
    left <- md_literal(group[hidden & where == w])
    paste0("- ", if (nzchar(w)) paste0(md_literal(w), ": ") else "", paste(left, collapse = "; "))
  }, "")
  paste0(
    "Groups with a starred count are left out of the test of their stratum:\n\n",
    paste(lines, collapse = "\n")
  )
}

# Strata whose counts are all published 0 (nobody in them: possible only
# under the NHS Digital rule, where 0 is public) have nothing to show.
nobody_in <- function(x, counts, units) {
  d <- unclass(x)
  zero <- Reduce(`&`, lapply(counts, function(cl) !is.na(d[[cl]]) & d[[cl]] == 0))
  as.logical(stats::ave(zero, row_stratum(x, units), FUN = all))
}

row_stratum <- function(x, units) {
  d <- unclass(x)
  cols <- intersect(units, names(d))
  if (length(cols) == 0) {
    return(rep("", length(d[[1]])))
  }
  do.call(paste, c(lapply(d[cols], as.character), sep = "\r"))
}
