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
