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

# A table of counts: the column n, and with detectable_difference()'s
# columns, n_tested = n + rest_n on every row.
#' @export
suppression_cells.equityaudit_counts <- function(x) {
  b <- spec_builder()
  rows <- seq_len(nrow(x))
  n <- b$add("shown", rows, "n", x$n)
  if (all(c("rest_n", "n_tested") %in% names(x))) {
    rest <- b$add("shown", rows, "rest_n", x$rest_n)
    tested <- b$add("shown", rows, "n_tested", x$n_tested)
    b$sums_rowwise(tested, n, rest)
  }
  finish_spec(b)
}

# Other tables of counts: their other numbers cannot be worked out again
# from the published counts, so they are withheld on every row.
#' @export
republish.equityaudit_counts <- function(x, p) {
  y <- p$data
  starred <- p$starred
  counts <- c("n", "rest_n", "n_tested")
  other <- names(y)[vapply(y, is.numeric, TRUE) & !(names(y) %in% counts)]
  blank(y, seq_along(y[[1]]), c(other, "label"))
}

#' @export
link_description.equityaudit_counts <- function(x) {
  list(measures = list(main = c(n = "people")), partition = character(), leaves = character())
}

#' @export
glance.equityaudit_counts <- function(x, ...) {
  glance_row(x, list(cells = nrow(x), people = sum(x$n, na.rm = TRUE)))
}

# The people of each combination, one bar chart per stratum.
#' @export
plot.equityaudit_counts <- function(x, main = "People counted", ...) {
  check_no_dots(..., fn = "plot")
  d <- plain_frame(x)
  group <- attr(x, "group")
  label <- if (length(group) > 0) do.call(paste, c(lapply(d[group], as.character), sep = ", ")) else "All"
  panel <- panel_labels(d, attr(x, "by"))
  panels <- unique(panel)
  old <- graphics::par(mfrow = c(1, length(panels)), mar = c(4.5, 1, 3, 1),
    oma = c(0, label_width(short_label(label)) * 0.45 + 1, 2, 0)
  )
  on.exit(graphics::par(old))
  for (p in panels) {
    in_p <- panel == p
    v <- d$n[in_p]
    graphics::barplot(rev(ifelse(is.na(v), 0, v)), horiz = TRUE, names.arg = rev(short_label(label[in_p])),
      las = 1, main = short_label(p), xlab = "People"
    )
  }
  graphics::mtext(main, outer = TRUE, cex = 1.1, font = 2)
  invisible(x)
}

# A table of counts of another kind (any data frame with a count column
# `n`) is suppressed as one.
#' @export
suppression_cells.default <- function(x) suppression_cells.equityaudit_counts(x)

#' @export
republish.default <- function(x, p) republish.equityaudit_counts(x, p)

# A table of counts's places: its `by` columns and each of its group
# columns (a missing value as such).
#' @export
link_places.equityaudit_counts <- function(x, spec, idx, link) {
  d <- unclass(x)
  cols <- intersect(c(attr(x, "by"), attr(x, "group")), names(d))
  r <- spec$row[idx]
  place <- matrix(NA_character_, length(idx), length(cols), dimnames = list(NULL, cols))
  for (cl in cols) place[, cl] <- label_text(d[[cl]][r])
  attr(place, "unknown_row") <- logical(length(idx))
  place
}
