# Printing a cohort as Table 1 of the study: strata side by side, n (%)
# cells, age as mean (s.d.), range.

#' @export
format.equityaudit_cohort <- function(x, digits = 1, ...) {
  by <- attr(x, "by")
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  if (!all(c(by, "variable", "level", "missing", "n", "pct", "mean") %in% names(df))) {
    # a selection of columns is no longer Table 1: shown as the plain table
    attributes(df) <- attributes(df)[c("names", "row.names", "class")]
    return(format(df, ...))
  }
  stratum <- if (length(by)) do.call(paste, c(df[by], sep = " / ")) else "All"
  age_row <- df$variable != "people" & is.na(df$level) & !df$missing
  count <- ifelse(is.na(df$n), withheld_mark(), format(df$n, trim = TRUE, big.mark = ","))
  cell <- ifelse(
    !is.na(df$mean),
    sprintf(
      "%.2f (%s), %s-%s", df$mean, ifelse(is.na(df$sd), "-", sprintf("%.2f", df$sd)),
      age_limit(df$min), age_limit(df$max)
    ),
    ifelse(is.na(df$pct), count, sprintf("%s (%.*f)", count, digits, df$pct))
  )
  # nobody's age known: no summary to show
  cell[age_row & is.na(df$mean) & df$n %in% 0] <- "-"
  if (inherits(x, "equityaudit_suppressed")) {
    cell[age_row & is.na(df$mean) & (is.na(df$n) | df$n > 0)] <- withheld_mark()
  }
  row_label <- ifelse(is.na(df$level), df$variable, paste0(df$variable, ": ", df$level))
  row_label[df$missing & is.na(df$level)] <- paste0(df$variable[df$missing & is.na(df$level)], ": not known")
  row_label[age_row] <- paste0(df$variable[age_row], ": mean (s.d.), range")
  rows <- unique(row_label)
  cols <- unique(stratum)
  out <- matrix("", length(rows), length(cols), dimnames = list(NULL, cols))
  out[cbind(match(row_label, rows), match(stratum, cols))] <- cell
  data.frame(` ` = rows, out, check.names = FALSE, stringsAsFactors = FALSE)
}

# What a cohort shows, for write_tables(): its rows in long form.
#' @export
display_spec.equityaudit_cohort <- function(x) {
  d <- unclass(x)
  vars <- setdiff(unique(as.character(d$variable)), "people")
  list(
    title = sprintf(
      "People by %s%s", if (length(vars)) paste(vars, collapse = ", ") else "stratum",
      within_text(attr(x, "by"))
    ),
    cols = intersect(c(attr(x, "by"), "variable", "level", "n", "pct", "mean", "sd", "min", "max"), names(x)),
    parts = list()
  )
}

# Whole ages as they are, fractional ones to one decimal.
age_limit <- function(v) {
  ifelse(is.na(v), "", ifelse(v == round(v), sprintf("%.0f", v), sprintf("%.1f", v)))
}

#' @export
print.equityaudit_cohort <- function(x, ...) {
  if (nrow(x) == 0) {
    cat("No rows: nobody to show.\n")
    return(invisible(x))
  }
  f <- format(x, ...)
  # one line per row, however wide: a table split across blocks is unreadable
  cells <- rbind(names(f), as.matrix(f))
  cells[is.na(cells)] <- ""
  padded <- vapply(seq_len(ncol(cells)), function(j) {
    w <- max(nchar(cells[, j], type = "width"))
    formatC(cells[, j], width = if (j == 1) -w else w)
  }, character(nrow(cells)))
  writeLines(apply(matrix(padded, nrow(cells)), 1, paste, collapse = "  "))
  s <- attr(x, "suppression")
  if (!is.null(s)) cat(suppression_footnote(s), "\n", sep = "")
  invisible(x)
}
