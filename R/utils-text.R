# Text from the user or the data made visible as it is: used by the report
# (report-text.R) and the spreadsheet (export-cells.R), where a control
# character would reorder or hide text, or make the file unreadable.

# Control characters and the Unicode bidirectional formatting characters
# as "[U+202E]".
visible_controls <- function(x) {
  pattern <- "(*UTF)[\\x{0000}-\\x{0008}\\x{000E}-\\x{001F}\\x{007F}-\\x{009F}\\x{061C}\\x{200B}-\\x{200F}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}\\x{FEFF}\\x{FFFE}\\x{FFFF}]"
  hit <- grepl(pattern, x, perl = TRUE)
  if (!any(hit)) {
    return(x)
  }
  x[hit] <- vapply(x[hit], function(s) {
    chars <- strsplit(enc2utf8(s), "")[[1]]
    bad <- grepl(pattern, chars, perl = TRUE)
    chars[bad] <- sprintf("[U+%04X]", vapply(chars[bad], utf8ToInt, 0L))
    paste(chars, collapse = "")
  }, "", USE.NAMES = FALSE)
  x
}

# Labels as one spelling, so that what a reader sees as one label is one
# group: Unicode normal form C ("Café" typed either way), every kind of
# space (no-break, thin, ideographic...) a plain space, runs of spaces
# one, none at either end, and invisible formatting characters removed
# (zero-width space, word joiner, byte-order mark, soft hyphen and the
# left-to-right and right-to-left marks; zero-width joiners only at the
# ends, where they join nothing). Bidirectional embeddings, overrides and
# isolates, which reorder what follows, stay: every output shows them as
# "[U+202E]" (visible_controls()), so that a reader sees them. "" is a
# blank: missing. NA stays NA.
clean_labels <- function(x) {
  x <- enc2utf8(as.character(x))
  out <- x
  ok <- !is.na(x)
  plain <- ok & !grepl("[^\x20-\x7e]", x, useBytes = TRUE)
  # printable ASCII only needs its spaces tidied
  out[plain] <- squash_spaces(x[plain])
  wide <- which(ok & !plain)
  if (length(wide) > 0) {
    v <- utf8::utf8_normalize(x[wide])
    v <- gsub(
      "(*UTF)[\\x{00AD}\\x{061C}\\x{180E}\\x{200B}\\x{200E}\\x{200F}\\x{2060}-\\x{2064}\\x{FEFF}]",
      "", v,
      perl = TRUE
    )
    v <- gsub("(*UTF)(*UCP)\\s", " ", v, perl = TRUE)
    v <- gsub("(*UTF)^[\\x{200C}\\x{200D} ]+|[\\x{200C}\\x{200D} ]+$", "", v, perl = TRUE)
    out[wide] <- squash_spaces(v)
  }
  out
}

squash_spaces <- function(x) {
  x <- gsub("[\t\n\v\f\r ]+", " ", x, perl = TRUE)
  gsub("^ | $", "", x, perl = TRUE)
}

# The distinct values of a label column cleaned (clean_labels()): the
# cleaned value of each, blanks NA, and for every cleaned label that two or
# more raw spellings share, a line for the note that says so.
clean_levels <- function(values) {
  cleaned <- clean_labels(values)
  cleaned[!is.na(cleaned) & !nzchar(cleaned)] <- NA
  known <- !is.na(cleaned)
  twice <- unique(cleaned[known][duplicated(cleaned[known])])
  merged <- vapply(twice, function(v) {
    raw <- values[known & cleaned == v]
    paste0(paste0("\"", visible_spaces(raw), "\"", collapse = " and "), " as \"", v, "\"")
  }, "")
  list(values = cleaned, merged = unname(merged))
}

# Spaces other than the plain one, and invisible characters, as "[U+00A0]",
# so that a message can show how two labels differ.
visible_spaces <- function(x) {
  pattern <- "(*UTF)(*UCP)[^\\S ]|[\\x{00AD}\\x{061C}\\x{180E}\\x{200B}-\\x{200F}\\x{202A}-\\x{202E}\\x{2060}-\\x{2064}\\x{2066}-\\x{2069}\\x{FEFF}]"
  x <- visible_controls(x)
  hit <- grepl(pattern, x, perl = TRUE)
  x[hit] <- vapply(x[hit], function(s) {
    chars <- strsplit(s, "")[[1]]
    bad <- grepl(pattern, chars, perl = TRUE)
    chars[bad] <- sprintf("[U+%04X]", vapply(chars[bad], utf8ToInt, 0L))
    paste(chars, collapse = "")
  }, "", USE.NAMES = FALSE)
  x
}
