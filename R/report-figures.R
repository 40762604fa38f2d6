# The report's figures: each plot's size (on the page, and fitted to an A4
# Word page), caption and alt text, from the alt text of report-text.R and
# report-spc.R.

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
      panels <- length(unique(summary(spc$result)[[attr(spc$result, "group")]]))
      list(
        size = grid_size(panels), phone = phone_size(panels),
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
    # (a phone's version on the web page only)
    phone <- if (!word) f$phone
    c(size, list(
      caption = f$caption, alt = f$alt, phone = phone,
      md = md_figure(f$caption, f$alt, 96 * size$width, 96 * size$height, 96 * phone$width)
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

# A grid of many panels drawn again for a phone (below 600 CSS pixels),
# two panels a row at about its screen's width, so that their titles,
# axes and icons are read at the size they are drawn (the SPC charts:
# scaled to a phone's width, the grid's text was too small to read).
phone_size <- function(panels) {
  cols <- min(2, max(1, panels))
  list(width = 4, height = 0.9 + 2.4 * ceiling(max(1, panels) / cols))
}

# Panels in a square grid (the periods and services plots).
grid_size <- function(panels) {
  rows <- ceiling(sqrt(max(1, panels)))
  cols <- ceiling(max(1, panels) / rows)
  list(width = min(10.5, max(6.5, 2.7 * cols)), height = max(4, 2.7 * rows))
}
