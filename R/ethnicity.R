# Collapsing detailed ethnic categories into the ONS 2021 broad groups.

#' Collapse detailed ethnic categories into broad groups
#'
#' Maps each value of `x` to its broad group of the ONS 2021 Census
#' classification ([ons_ethnicity_2021]), or to the detailed category
#' itself with `to = "detailed"` (to tidy differently worded labels).
#' Values are recognised as the ONS words the detailed category (e.g.
#' `"Pakistani"`), as the full census label (`"Asian, Asian British or
#' Asian Welsh: Pakistani"`), as a broad group's own name, or as one of
#' the other wordings listed in `ons_ethnicity_2021$other_labels` (e.g.
#' `"White British"`, `"Any other Asian background"`); case, punctuation
#' and spacing are ignored. Missing values, blanks and the `unknown`
#' labels become `NA`, without a warning.
#'
#' Nothing is guessed: values that match no category also become `NA`, and
#' are listed, with how many people have each, in a warning and in the
#' attribute `"unmapped"` of the result. Map them yourself (e.g. with
#' `ifelse()`) before collapsing, or add them to `unknown`.
#'
#' @param x A character or factor vector of ethnic categories.
#' @param to `"broad"` (the 5 broad groups) or `"detailed"` (the 19
#'   categories).
#' @inheritParams equityaudit-arguments
#' @return A factor with the levels in the ONS order, and attribute
#'   `"unmapped"`: a data frame of the values not recognised (`value`,
#'   `n`), with no rows when all were.
#' @export
#' @examples
#' x <- c("Indian", "White British", "Any other Asian background",
#'        "Black, Black British, Black Welsh, Caribbean or African: African",
#'        "Not stated", "Martian", NA)
#' collapse_ethnicity(x, unknown = "Not stated")
collapse_ethnicity <- function(x, to = c("broad", "detailed"), unknown = NULL, ...) {
  check_no_dots(..., fn = "collapse_ethnicity")
  to <- match_arg(to, c("broad", "detailed"), "to")
  unknown <- check_unknown(unknown)
  if (!(is.character(x) || is.factor(x))) {
    abort_input(
      "argument",
      sprintf(
        "`x` must be a character or factor vector of ethnic categories, not %s.",
        class(x)[[1]]
      ),
      arg = "x"
    )
  }
  ons <- equityaudit::ons_ethnicity_2021
  key <- ethnicity_key
  detailed <- as.character(ons$detailed)
  broad <- as.character(ons$broad)
  others <- strsplit(ons$other_labels, "; ", fixed = TRUE)
  lookup <- c(
    stats::setNames(seq_along(detailed), key(detailed)),
    stats::setNames(seq_along(detailed), key(paste0(broad, ": ", detailed))),
    stats::setNames(rep(seq_along(detailed), lengths(others)), key(unlist(others)))
  )
  values <- as.character(blank_to_na(as.character(x)))
  values[values %in% unknown] <- NA
  row <- unname(lookup[key(values)])
  out <- if (to == "broad") broad[row] else detailed[row]
  if (to == "broad") {
    is_broad <- is.na(row) & key(values) %in% key(levels(ons$broad))
    out[is_broad] <- levels(ons$broad)[match(key(values[is_broad]), key(levels(ons$broad)))]
  }
  out <- factor(out, levels = if (to == "broad") levels(ons$broad) else levels(ons$detailed))
  lost <- !is.na(values) & is.na(out)
  counts <- table(values[lost])
  unmapped <- data.frame(
    value = as.character(names(counts) %||% character()), n = as.vector(counts),
    stringsAsFactors = FALSE
  )
  if (nrow(unmapped) > 0) {
    warning(sprintf(
      "%s value%s of `x` %s no ONS 2021 category and became NA: %s.",
      format_count(sum(lost)), if (sum(lost) > 1) "s" else "",
      if (sum(lost) > 1) "match" else "matches",
      paste0(encodeString(unmapped$value, quote = "\""), " (", unmapped$n, ")", collapse = ", ")
    ), call. = FALSE)
  }
  attr(out, "unmapped") <- unmapped
  out
}

# Labels compared without case, punctuation or spacing.
ethnicity_key <- function(x) {
  x <- tolower(x)
  x <- gsub("&", " and ", x, fixed = TRUE)
  gsub("[^a-z0-9]+", "", x)
}
