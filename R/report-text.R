# Text that comes from the user or the data (titles, group labels,
# levels, column names, the event, unknown labels) made inert before it
# reaches the report. The report is Markdown read by pandoc, which reads a
# numeric character reference ("&#60;") as that character and nothing
# else: writing every ASCII punctuation character so leaves no HTML
# element, attribute or entity, Markdown emphasis, link or table cell
# break, LaTeX math, citation or pandoc attribute for pandoc to interpret,
# and nothing for it to fetch into a self-contained page (a backslash
# escape would not do: with rmarkdown's tex_math_single_backslash, "\("
# starts math). Control and bidirectional formatting characters, which
# would reorder or hide text, are written as their code points.
#
# Tables and figures are marked up here for the report's pandoc filter
# (equity-report.lua, beside the template), which gives them what pipe
# tables and knitr's images cannot carry: captions, row headers, alt text.

# The Markdown of text to be read as it is.
md_literal <- function(x) {
  x <- as.character(x)
  x[is.na(x)] <- ""
  x <- gsub("[\r\n\t\f\v]+", " ", x)
  x <- visible_controls(x)
  hits <- gregexpr("[!-/:-@\\[-`{-~]", x, perl = TRUE)
  regmatches(x, hits) <- lapply(regmatches(x, hits), function(p) {
    sprintf("&#%d;", vapply(p, utf8ToInt, 0L))
  })
  x
}

# Column `x` of a data frame as literal Markdown (the name of a column
# of the data, say).
lit <- function(x) md_literal(x)

# Headings: level-2 section headings of the package's own words.
section <- function(title, ...) paste0("## ", title, "\n\n", paste0(..., collapse = ""), "\n\n")

# A table's caption: its title as print() and write_tables() give it,
# and the part shown.
table_title <- function(x, part = NULL) {
  paste0(spec_of(x)$title, if (!is.null(part)) paste0(": ", part))
}

# A pipe table of a data frame of text, every cell and heading literal,
# with its caption (the table's title, literal) and the number of its
# first columns that label the rows (row headers). The filter numbers the
# caption and marks the headers; the fenced div carries the count, since a
# pipe table has no attributes.
md_table <- function(df, caption, row_headers = 0L, align = "l") {
  if (nrow(df) == 0) {
    return("")
  }
  # a column with nothing in it (no exact p-value was needed, say) is left
  # out rather than shown empty
  keep <- vapply(df, function(v) any(nzchar(v)), TRUE)
  row_headers <- sum(keep[seq_len(min(row_headers, length(keep)))])
  df <- df[keep]
  cells <- lapply(df, function(v) md_literal(v))
  body <- do.call(paste, c(cells, sep = " | "))
  head <- paste(md_literal(names(df)), collapse = " | ")
  rule <- paste(rep(if (align == "l") ":---" else "---:", ncol(df)), collapse = " | ")
  paste0(
    "::: {.ea-table row-headers=\"", row_headers, "\"}\n",
    paste0("| ", c(head, rule, body), " |", collapse = "\n"),
    "\n\nTable: ", md_literal(caption), "\n:::"
  )
}

# The caption, alt text and description of a figure, for the filter to
# give to the image knitr writes just before it (`width`, `height`: its
# size in CSS pixels, so that a high-resolution image is shown at its
# size, and a Word page chosen to hold it). On the page, the alt text is a
# summary in the package's own words and numbers, and the description
# (which names the groups) is text the image refers to: no label is ever
# written into an attribute. In Word, the description is the alt text.
md_figure <- function(caption, alt, width, height, phone_width = NULL) {
  phone <- if (!is.null(phone_width)) paste0(" phone-width=\"", round(phone_width), "\"")
  paste0(
    "::: {.ea-figure width=\"", round(width), "\" height=\"", round(height), "\"", phone, "}\n",
    paste(md_literal(c(caption, alt[["short"]], alt[["long"]])), collapse = "\n\n"), "\n:::"
  )
}

# Alt text: what a plot shows, in words, from the numbers it draws: a
# summary without labels (`short`) and a description (`long`): its
# `intro`, then each value, those of a panel after its heading
# ("CNWL: White 0.94 (0.82 to 1.07), Asian 1.24 (...); WWT: ...", or
# without panels "a; b; c"). A label
# is cut to 40 characters (alt_label()) and the values to about
# `max_chars`, saying how many more there are (the tables give them all).
alt_text <- function(intro, values, panel = NULL, head = NULL, note = NULL, max_chars = 700) {
  if (length(values) == 0) {
    return(paste0(intro, " none.", if (!is.null(note)) paste0(" ", note)))
  }
  first <- if (is.null(panel)) seq_along(values) == 1 else !duplicated(panel)
  heads <- if (is.null(panel)) "" else paste0(head[match(panel, unique(panel))], ": ")
  sep <- ifelse(first | is.null(panel), "; ", ", ")
  sep[[1]] <- " "
  pieces <- paste0(sep, ifelse(first, heads, ""), values)
  fits <- cumsum(nchar(pieces)) <= max_chars - nchar(intro)
  fits[[1]] <- TRUE
  more <- sum(!fits)
  paste0(
    intro, paste(pieces[fits], collapse = ""),
    if (more > 0) sprintf("; and %d more (the table gives every value)", more),
    ".", if (!is.null(note)) paste0(" ", note)
  )
}

# A label on one line, cut short with an ellipsis.
alt_label <- function(x, width = 40) {
  x <- gsub("\\s+", " ", as.character(x))
  long <- nchar(x, type = "chars") > width
  x[long] <- paste0(substr(x[long], 1, width - 1), "\u2026")
  x
}

# "1.52 (1.17 to 1.99)", or "33.3% (25.9 to 41.6)"
alt_interval <- function(est, low, high, digits, unit = "") {
  sprintf("%s%s (%s to %s)", fixed(est, digits), unit, fixed(low, digits), fixed(high, digits))
}

# "Representation ratios of 9 groups in 2 panels, from 0.72 to 2.09".
alt_summary <- function(what, d, digits, unit = "") {
  est <- d$est[is.finite(d$est)]
  if (length(est) == 0) {
    why <- "no group is drawn. The description below the figure says why."
    return(paste0(sub(",$", "", what), ": ", why))
  }
  paste0(
    what, " of ", length(unique(d$group)), " groups in ", length(unique(d$panel)), " panels",
    ", from ", fixed(min(est), digits), unit, " to ", fixed(max(est), digits), unit,
    ". Each value is in the description below the figure."
  )
}

alt_access <- function(x) {
  d <- access_plot_data(x)
  values <- paste(alt_label(d$group), alt_interval(d$est, d$low, d$high, 2))
  short <- alt_summary("Representation ratios, with 95% intervals,", d, 2)
  long <- alt_text(
    paste0(
      "Representation ratio of each group of ", attr(x, "group"), " (its share of the ",
      "service over its share of the eligible population)", panel_name(x),
      ", with 95% intervals, on a log scale with a line at 1 (proportional access):"
    ),
    values, d$panel, alt_label(unique(d$panel)), attr(d, "note")
  )
  c(short = short, long = long)
}

alt_outcomes <- function(x) {
  d <- outcome_plot_data(x)
  values <- paste(alt_label(d$group), alt_interval(d$est, d$low, d$high, 1, "%"))
  panels <- unique(d$panel)
  heads <- paste0(alt_label(panels), " (all: ", fixed(d$ref[match(panels, d$panel)], 1), "%)")
  short <- alt_summary("Percentages with the outcome, with 95% intervals,", d, 1, "%")
  long <- alt_text(
    paste0(
      "Percentage of each group of ", attr(x, "group"), " with the outcome (",
      attr(x, "event") %||% "", ")", panel_name(x), ", with 95% Wilson intervals ",
      "and a dashed line at the percentage of all the groups together:"
    ),
    values, d$panel, heads, attr(d, "note")
  )
  c(short = short, long = long)
}

# The points outside the funnels' 95% limits, furthest out first (the
# plot draws the rows with a z-score, as funnel_plot_data() keeps them).
alt_services <- function(x) {
  by <- attr(x, "by")[[1]]
  group <- attr(x, "group")[[1]]
  d <- funnel_plot_data(x)
  rows <- x[is.finite(x$z_score), , drop = FALSE]
  outside <- !as.character(d$flag) %in% "within"
  ratio <- attr(x, "measure") == "ratio"
  items <- paste0(
    alt_label(d$panel), " at ", alt_label(as.character(rows[[by]])), " ",
    if (ratio) fixed(d$est, 2) else paste0(fixed(d$est, 1), "%"), ", ", as.character(d$flag)
  )[outside][order(-abs(rows$z_score[outside]))]
  intro <- paste0(
    "Funnel plots, one for each group of ", group, ": ",
    if (ratio) "the representation ratio" else "the percentage with the outcome",
    " in each ", by, " against ", if (ratio) "its expected users" else "its number of people",
    ", with 95% and 99.8% ",
    "limits around the group's value across all of them. ", nrow(d), " points are drawn; ",
    sum(outside), " are outside the 95% limits", if (any(outside)) ":" else "."
  )
  short <- sprintf(
    "Funnel plots of %d groups: %d points, %d outside the 95%% limits. %s",
    length(unique(d$panel)), nrow(d), sum(outside),
    "Each point outside them is in the description below the figure."
  )
  c(short = short, long = if (any(outside)) alt_text(intro, items) else intro)
}

alt_periods <- function(x) {
  d <- period_plot_data(x, "share")
  d <- d[is.finite(d$est), , drop = FALSE]
  values <- sprintf("%s %s%%", as.character(d$period), fixed(d$est, 1))
  short <- if (nrow(d) == 0) {
    "Shares of the groups among the people who joined in each period: no value is drawn."
  } else {
    sprintf(
      "Shares of %d groups among the people who joined in each of %d periods, %s. %s",
      length(unique(d$panel)), length(unique(d$period)),
      sprintf("from %s%% to %s%%", fixed(min(d$est), 1), fixed(max(d$est), 1)),
      "Each value is in the description below the figure."
    )
  }
  long <- alt_text(
    paste0(
      "Share of each group of ", attr(x, "group"), " among the people who joined in each ",
      "period, with 95% intervals and a dashed line at the group's share ",
      if (any(is.finite(d$ref))) "of the eligible population" else "over all periods", ":"
    ),
    values, d$panel, alt_label(unique(d$panel))
  )
  c(short = short, long = long)
}

# What the panels of a plot are: " by" its stratum columns, or nothing
# (one panel of everyone).
panel_name <- function(x) {
  by <- attr(x, "by")
  if (length(by) == 0) "" else paste(" by", paste(by, collapse = " and "))
}
