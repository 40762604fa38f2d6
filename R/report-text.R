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
md_figure <- function(caption, alt, width, height) {
  paste0(
    "::: {.ea-figure width=\"", round(width), "\" height=\"", round(height), "\"}\n",
    paste(md_literal(c(caption, alt[["short"]], alt[["long"]])), collapse = "\n\n"), "\n:::"
  )
}

# The report's plots: for each, its size in inches (panels wide enough
# for their labels and axis titles, rows tall enough for their groups),
# its caption and alt text (`short` and `long`), described from the
# numbers drawn, and their Markdown for the filter to give to knitr's
# image. In Word (`word`), each fits an A4 page.
report_figures <- function(r, word = FALSE) {
  t <- r$tables
  each <- function(x) paste("each group of", attr(x, "group")[[1]])
  figs <- list(
    access = if (!is.null(t$access)) {
      list(
        size = interval_size(access_plot_data(t$access)), alt = alt_access(t$access),
        caption = paste0("Representation ratio of ", each(t$access), ", with 95% intervals")
      )
    },
    outcomes = list(
      size = interval_size(outcome_plot_data(t$outcomes)), alt = alt_outcomes(t$outcomes),
      caption = paste0("Percentage of ", each(t$outcomes), " with the outcome, with 95% intervals")
    ),
    services = if (!is.null(t$services)) {
      list(
        size = grid_size(length(unique(funnel_plot_data(t$services)$panel))),
        alt = alt_services(t$services),
        caption = paste("Funnel plots of the services for", each(t$services))
      )
    },
    periods = if (!is.null(t$periods)) {
      groups <- unclass(t$periods)[[attr(t$periods, "group")[[1]]]]
      list(
        size = grid_size(length(unique(as.character(groups)))), alt = alt_periods(t$periods),
        caption = paste("Share of", each(t$periods), "among the people who joined in each period")
      )
    },
    spc = if (!is.null(spc <- report_spc(r))) {
      list(
        size = grid_size(length(unique(summary(spc$result)[[attr(spc$result, "group")]]))),
        alt = alt_spc(spc),
        caption = sprintf(
          "SPC charts of the %s of %s, by period",
          if (spc$measure == "share") "share" else "outcome gap to the reference group",
          each(t$periods)
        )
      )
    }
  )
  figs <- Filter(Negate(is.null), figs)
  lapply(figs, function(f) {
    size <- if (word) fit_page(f$size) else f$size
    c(size, list(
      caption = f$caption, alt = f$alt,
      md = md_figure(f$caption, f$alt, 96 * size$width, 96 * size$height)
    ))
  })
}

# A plot's size in Word, where pandoc shrinks a plot wider than a
# portrait A4 page's 6.7 inches to fit it (also on a landscape page): no
# taller than the page (less its caption) once shrunk.
fit_page <- function(size) {
  width <- min(size$width, 10.5)
  list(width = width, height = min(size$height, 9.3 * max(width, 6.7) / 6.7))
}

# The plots' text size, in points: base graphics shrinks text to two
# thirds in a plot of three or more panels, so 14 points are drawn as
# about 9.
report_pointsize <- 14

# One panel per stratum side by side (interval_panels()): the labels'
# margin (a line of text is a fifth of an inch at 12 points), then about
# 1.4 inches a panel; a third of an inch a group.
interval_size <- function(d) {
  line <- 0.2 * report_pointsize / 12
  labels <- nchar(as.character(unique(d$group)), type = "chars")
  label_in <- (min(30, max(c(1, labels))) * 0.45 + 1) * line
  list(
    width = min(10.5, max(6.5, label_in + 1.5 * length(unique(d$panel)) + 0.3)),
    height = min(10, max(4, 1.8 + 0.36 * length(unique(d$group))))
  )
}

# Panels in a square grid (the periods and services plots).
grid_size <- function(panels) {
  rows <- ceiling(sqrt(max(1, panels)))
  cols <- ceiling(max(1, panels) / rows)
  list(width = min(10.5, max(6.5, 2.7 * cols)), height = max(4, 2.7 * rows))
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
    "%s %s (%d of %d points%s)", alt_label(ch[[attr(res, "group")]]),
    spc_variation_words(ch$variation, ch$side), ch$n_points, ch$n_points + ch$n_hidden,
    ifelse(ch$n_special > 0, sprintf(", %d signalling", ch$n_special), "")
  )
  intro <- paste0(
    "SPC charts of the ", what, " of each group of ", attr(res, "group"), " by period, with ",
    "Laney p' limits at 3 sigma, the groups with a signal first; each group's latest point:"
  )
  c(short = short, long = alt_text(intro, values))
}
