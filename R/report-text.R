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

# A pipe table of a data frame of text, every cell and heading literal.
md_table <- function(df, align = "l") {
  if (nrow(df) == 0) {
    return("")
  }
  # a column with nothing in it (no exact p-value was needed, say) is left
  # out rather than shown empty
  df <- df[vapply(df, function(v) any(nzchar(v)), TRUE)]
  cells <- lapply(df, function(v) md_literal(v))
  body <- do.call(paste, c(cells, sep = " | "))
  head <- paste(md_literal(names(df)), collapse = " | ")
  rule <- paste(rep(if (align == "l") ":---" else "---:", ncol(df)), collapse = " | ")
  paste0("| ", c(head, rule, body), " |", collapse = "\n")
}
