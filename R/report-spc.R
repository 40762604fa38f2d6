# The report's section of SPC charts (monitor_equality() of its published
# periods table): the charts, their signals and assurance in words, and
# the figure's alt text.

# The periods as SPC charts (monitor_equality()), from the published
# counts of the periods table: the charts with a signal, in words.
report_spc_section <- function(r) {
  s <- report_spc(r)
  ch <- summary(s$result)
  flagged <- ch$description[ch$n_special > 0 & ch$judged]
  few <- sum(!ch$judged)
  ref <- attr(s$result, "options")$ref_label
  section(
    "Signals over time (SPC charts)",
    "The same periods as statistical process control charts, as NHS boards read monthly ",
    "figures (Making Data Count): each group's share of the people, its percentage with ",
    "the outcome, and the gap between its percentage and that of ", md_literal(ref),
    " (the largest group), with Laney p' limits at 3 sigma. **How to read this:** a point ",
    "outside the limits, a run of 7 on one side of the centre line, 7 rising or falling, ",
    "or 2 of 3 near a limit is a special cause, a change that chance would rarely give; ",
    "anything else is common-cause variation. Each gap chart's assurance says whether its ",
    "limits lie within 10 percentage points either way (the margin of the verdicts above): ",
    "\"consistently pass\" if they do, \"consistently fail\" if they lie beyond it, ",
    "\"hit or miss\" otherwise. Hidden counts are gaps: every line comes from the published ",
    "counts.\n\n",
    if (length(flagged) == 0) {
      if (few > 0) "No chart with enough points shows a special cause." else "No chart shows a special cause."
    } else {
      paste0(
        length(flagged), " of ", nrow(ch), " charts show a special cause:\n\n",
        paste0("- ", md_literal(flagged), collapse = "\n")
      )
    },
    if (few > 0) {
      sprintf(
        paste0(
          "\n\n%s of %s charts have fewer than 12 published points and are not judged: ",
          "too few people in each %s to publish. Longer periods (quarters, say) give them more points."
        ),
        format_count(few), format_count(nrow(ch)), gsub("_", " ", r$settings$period, fixed = TRUE)
      )
    } else {
      ""
    },
    spc_assurance_text(ch)
  )
}

# The gap charts whose assurance is settled, in words.
spc_assurance_text <- function(ch) {
  gap <- ch[grepl("_gap$", ch$measure) & !is.na(ch$assurance), , drop = FALSE]
  g <- names(ch)[[2]]
  words <- function(icon) {
    mine <- which(gap$assurance == icon)
    if (length(mine) == 0) {
      return("none")
    }
    labels <- paste0(gap[[g]][mine], " (", sub("_", " ", gap$measure[mine], fixed = TRUE), ")")
    paste(md_literal(labels), collapse = "; ")
  }
  if (nrow(gap) == 0) {
    return("")
  }
  paste0(
    "\n\nGaps reliably within the margin of equality (consistently pass): ",
    words("consistently_pass"), ". Gaps reliably beyond it (consistently fail): ",
    words("consistently_fail"), "."
  )
}

# The report's SPC charts: those of its published periods table (NULL
# without one), and the measure drawn (the outcome gap where there is one).
report_spc <- function(r) {
  p <- r$tables$periods
  if (is.null(p)) {
    return(NULL)
  }
  s <- spc_of_periods(p)
  have <- levels(droplevels(unclass(s)$measure))
  list(result = s, measure = if ("outcome_gap" %in% have) "outcome_gap" else "share")
}

report_spc_plot <- function(r) {
  s <- report_spc(r)
  plot(s$result, s$measure)
}

alt_spc <- function(s) {
  ch <- summary(s$result)
  ch <- ch[ch$measure == s$measure, , drop = FALSE]
  ch <- ch[order(ch$n_special == 0), , drop = FALSE]
  res <- s$result
  what <- if (s$measure == "share") "share" else "outcome gap to the largest group"
  short <- sprintf(
    "SPC charts of the %s of %d groups over %d periods: %d with a special-cause signal. %s",
    what, nrow(ch), nlevels(unclass(res)$period), sum(ch$n_special > 0),
    "Each chart is described below the figure."
  )
  values <- sprintf(
    "%s %s%s (%d of %d points%s)", alt_label(ch[[attr(res, "group")]]),
    spc_variation_words(ch$variation, ch$side),
    ifelse(is.na(ch$assurance), "", paste0(", margin ", gsub("_", " ", ch$assurance))),
    ch$n_points, ch$n_points + ch$n_hidden,
    ifelse(ch$n_special > 0, sprintf(", %d signalling", ch$n_special), "")
  )
  intro <- paste0(
    "SPC charts of the ", what, " of each group of ", attr(res, "group"), " by period, with ",
    "Laney p' limits at 3 sigma, the groups with a signal first; each group's latest point:"
  )
  c(short = short, long = alt_text(intro, values))
}
