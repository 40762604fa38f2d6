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
#' The 16 categories of the NHS Data Dictionary's ETHNIC CATEGORY (the
#' 2001 census classification that NHS data sets record) are recognised by
#' their code, their wording, or both (`"R"`, `"Other Ethnic Groups -
#' Chinese"`, `"R - Chinese"`):
#'
#' | Code | NHS Data Dictionary | ONS 2021 detailed category |
#' |---|---|---|
#' | A | White - British | English, Welsh, Scottish, Northern Irish or British |
#' | B | White - Irish | Irish |
#' | C | White - Any other White background | Other White |
#' | D | Mixed - White and Black Caribbean | White and Black Caribbean |
#' | E | Mixed - White and Black African | White and Black African |
#' | F | Mixed - White and Asian | White and Asian |
#' | G | Mixed - Any other mixed background | Other Mixed or Multiple ethnic groups |
#' | H | Asian or Asian British - Indian | Indian |
#' | J | Asian or Asian British - Pakistani | Pakistani |
#' | K | Asian or Asian British - Bangladeshi | Bangladeshi |
#' | L | Asian or Asian British - Any other Asian background | Other Asian |
#' | M | Black or Black British - Caribbean | Caribbean |
#' | N | Black or Black British - African | African |
#' | P | Black or Black British - Any other Black background | Other Black |
#' | R | Other Ethnic Groups - Chinese | Chinese |
#' | S | Other Ethnic Groups - Any other ethnic group | Any other ethnic group |
#' | Z | Not stated | (unknown: `NA`) |
#' | 99 | Not known | (unknown: `NA`) |
#'
#' The broad groups are those of the ONS 2021 classification: Chinese is
#' in "Asian, Asian British or Asian Welsh", as in the 2011 and 2021
#' censuses, although the 2001 classification the NHS codes come from put
#' it in "Other ethnic groups" (so code R counts as Asian, and code S, "Any
#' other ethnic group", as "Other ethnic group"). The NHS codes Z (not
#' stated: asked, and chose not to say) and 99 (not known: not asked)
#' become `NA` without a warning, as do their wordings, whether or not
#' they are given in `unknown`. Codes are read only as a whole value (the
#' letter alone, or followed by the wording); the two-character local
#' codes some trusts use (such as `"CA"`) are not guessed at and are listed
#' as unmapped.
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
  lookup <- ethnicity_lookup(codes = TRUE)
  values <- as.character(blank_to_na(as.character(x)))
  values[values %in% unknown | key(values) %in% nhs_unknown_keys()] <- NA
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

# The NHS Data Dictionary's ETHNIC CATEGORY (national codes, 2001 census
# classification): code, wording, and the ONS 2021 detailed category it
# maps to (Chinese, R, is Asian in the ONS 2021 broad groups).
nhs_ethnic_category <- data.frame(
  code = c("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S"),
  label = c(
    "White - British", "White - Irish", "White - Any other White background",
    "Mixed - White and Black Caribbean", "Mixed - White and Black African",
    "Mixed - White and Asian", "Mixed - Any other mixed background",
    "Asian or Asian British - Indian", "Asian or Asian British - Pakistani",
    "Asian or Asian British - Bangladeshi",
    "Asian or Asian British - Any other Asian background",
    "Black or Black British - Caribbean", "Black or Black British - African",
    "Black or Black British - Any other Black background",
    "Other Ethnic Groups - Chinese", "Other Ethnic Groups - Any other ethnic group"
  ),
  ons = c(
    "English, Welsh, Scottish, Northern Irish or British", "Irish", "Other White",
    "White and Black Caribbean", "White and Black African", "White and Asian",
    "Other Mixed or Multiple ethnic groups", "Indian", "Pakistani", "Bangladeshi",
    "Other Asian", "Caribbean", "African", "Other Black", "Chinese", "Any other ethnic group"
  ),
  stringsAsFactors = FALSE
)

# Keys (ethnicity_key()) of the NHS codes and wordings of an unknown ethnic
# category: Z "Not stated" and the default code 99 "Not known".
nhs_unknown_keys <- function(codes = TRUE) {
  words <- c("Not stated", "Not known")
  c(
    ethnicity_key(c(words, paste("Z", words[[1]]), paste("99", words[[2]]))),
    if (codes) ethnicity_key(c("Z", "99"))
  )
}

# Every recognised wording of a detailed category (keys of ethnicity_key())
# to its row of ons_ethnicity_2021: the ONS words, the full census label,
# the other labels, the NHS wordings and, with `codes`, the NHS codes
# alone (with `codes`) and before a wording (the code's own wording, or the
# short one: "R Chinese").
ethnicity_lookup <- function(codes = TRUE) {
  ons <- equityaudit::ons_ethnicity_2021
  detailed <- as.character(ons$detailed)
  broad <- as.character(ons$broad)
  others <- strsplit(ons$other_labels, "; ", fixed = TRUE)
  key <- ethnicity_key
  nhs <- nhs_ethnic_category
  nhs_row <- match(nhs$ons, detailed)
  # the NHS wording after its dash ("Chinese" of "Other Ethnic Groups - Chinese")
  nhs_short <- sub("^.* - ", "", nhs$label)
  out <- c(
    stats::setNames(seq_along(detailed), key(detailed)),
    stats::setNames(seq_along(detailed), key(paste0(broad, ": ", detailed))),
    stats::setNames(rep(seq_along(detailed), lengths(others)), key(unlist(others))),
    stats::setNames(nhs_row, key(nhs$label))
  )
  out <- c(
    out, stats::setNames(nhs_row, key(paste(nhs$code, nhs$label))),
    stats::setNames(nhs_row, key(paste(nhs$code, nhs_short))),
    if (codes) stats::setNames(nhs_row, key(nhs$code))
  )
  out[!duplicated(names(out))]
}

# The rule for the order of groups (documented in ?equityaudit-arguments):
# a group column of text (not a factor, whose levels keep the user's order)
# whose every known value is a recognised ethnic category, detailed or
# broad (any wording collapse_ethnicity() reads, but not a bare NHS code:
# a column of "A", "B" and "C" may be sites), is put in the ONS 2021 order:
# the broad groups Asian, Black, Mixed, White, Other, each broad group's
# name just before its detailed categories, then "Not stated" and "Not
# known" last; labels of one category (such as "White British" and
# "British") in C-locale order. Other columns keep the C-locale order of
# count_cells(). Returns the ranks of `values`, NA for a value not
# recognised.
ethnicity_rank <- function(values) {
  ons <- equityaudit::ons_ethnicity_2021
  k <- ethnicity_key(values)
  rank <- as.numeric(ethnicity_lookup(codes = FALSE)[k])
  # a broad group's name just before its first detailed category
  first <- match(levels(ons$broad), ons$broad)
  broad <- match(k, ethnicity_key(levels(ons$broad)))
  rank[is.na(rank)] <- first[broad[is.na(rank)]] - 0.5
  # "Not stated" (or "Z Not stated") then "Not known" (or "99 Not known")
  unknown <- (match(k, nhs_unknown_keys(codes = FALSE)) - 1) %% 2 + 1
  rank[is.na(rank)] <- nrow(ons) + unknown[is.na(rank)]
  rank
}

# Puts the known levels of the counted columns `which` (of count_cells())
# in the ONS order where ethnicity_rank() recognises every one of them.
order_ethnic_levels <- function(cc, which) {
  maps <- vector("list", length(cc$nlev))
  for (j in which) {
    values <- cc$values[[j]]
    nlev <- cc$nlev[[j]]
    if (!is.character(values) || is.object(values) || nlev < 2) next
    known <- values[seq_len(nlev)]
    # most columns are no ethnic categories: the first value says so
    if (is.na(ethnicity_rank(known[[1]]))) next
    rank <- ethnicity_rank(known)
    if (anyNA(rank)) next
    ord <- order(rank, known, method = "radix")
    if (identical(ord, seq_len(nlev))) next
    maps[[j]] <- list(map = c(match(seq_len(nlev), ord), nlev + 1L) - 1L, values = known[ord])
  }
  remap_levels(cc, maps)
}
