# Inference honest under rounding. A rule that rounds counts (nhs_digital,
# opensafely: to the nearest 5) publishes a count r for any true count in
# r - 2 to r + 2 (above the threshold: see knowledge_bounds()). The
# rounding is public, so every interval and verdict shown may, and does,
# cover all the true counts consistent with what is published: an
# interval runs from the least lower limit to the greatest upper limit
# over those counts, and a verdict stands only where it is the same for
# all of them ("inconclusive" otherwise). The kinds call rounding_envelope()
# from their republish() methods; it is the one place this is done.

# The statistics `stat(counts)` (a list of columns) of the published
# `counts` (a named list of count vectors, one element per row), with the
# columns named in `lows` replaced by their least value and those in
# `highs` by their greatest over every set of true counts consistent with
# the published ones; `verdict` (a column name) kept where it is the same
# for every such set and "inconclusive" elsewhere; `p_max` columns (an
# equivalence p-value) replaced by their greatest value, so a printed
# p-value never contradicts the verdict. `fixed` names counts that are not
# rounded (a population share); `valid(counts)` says which rows of a
# candidate set are possible (events no more than people). Each rounded
# count takes every value of its range: with round_to 5, at most 5^m
# evaluations for m counts, each over all rows at once.
rounding_envelope <- function(counts, r, stat, lows = character(), highs = character(),
                              verdict = NULL, p_max = character(), fixed = character(),
                              valid = function(cand) TRUE) {
  base <- stat(counts)
  if (!rounds_counts(r) || length(counts[[1]]) == 0) {
    return(base)
  }
  varied <- setdiff(names(counts), fixed)
  boxes <- lapply(counts[varied], function(v) {
    knowledge_bounds(ifelse(is.na(v), 0, v), FALSE, FALSE, r)
  })
  steps <- seq(-floor(r$round_to / 2), ceiling(r$round_to / 2) - 1)
  grid <- unname(as.matrix(expand.grid(rep(list(steps), length(varied)))))
  out <- base
  firm <- if (!is.null(verdict)) !is.na(base[[verdict]])
  for (i in seq_len(nrow(grid))) {
    cand <- counts
    inside <- rep(TRUE, length(counts[[1]]))
    for (j in seq_along(varied)) {
      b <- boxes[[j]]
      v <- cand[[varied[[j]]]] + grid[i, j]
      inside <- inside & !is.na(v) & v >= b$lo & v <= b$hi
      cand[[varied[[j]]]] <- v
    }
    ok <- inside & (valid(cand) %in% TRUE)
    if (!any(ok)) next
    # (a candidate of nobody gives NaN, and is left out of the limits)
    s <- suppressWarnings(stat(cand))
    for (col in lows) out[[col]] <- ifelse(ok, pmin(out[[col]], s[[col]], na.rm = TRUE), out[[col]])
    for (col in highs) out[[col]] <- ifelse(ok, pmax(out[[col]], s[[col]], na.rm = TRUE), out[[col]])
    for (col in p_max) out[[col]] <- ifelse(ok, pmax(out[[col]], s[[col]], na.rm = TRUE), out[[col]])
    if (!is.null(verdict)) {
      same <- !is.na(s[[verdict]]) & s[[verdict]] == base[[verdict]]
      firm <- firm & !(ok & !(same %in% TRUE))
    }
  }
  if (!is.null(verdict)) {
    out[[verdict]] <- ifelse(is.na(base[[verdict]]), NA_character_,
      ifelse(firm, base[[verdict]], "inconclusive")
    )
  }
  out
}

# Percentages of rounded counts are shown to whole numbers (a decimal
# would claim a precision the counts do not have): describe_columns() and
# format() of a cohort write them so; the published values themselves stay
# the exact ratios of the published counts.

# The sentence the report and the spreadsheet's notes say under a rounding
# rule (NULL under any other).
rounding_note <- function(r) {
  if (!rounds_counts(r)) {
    return(NULL)
  }
  sprintf(paste0(
    "Counts are rounded to the nearest %s, so percentages are shown to whole numbers, ",
    "and every interval and verdict covers all the true counts the rounded ones could ",
    "stand for: where rounding could change a verdict it reads \"inconclusive\"."
  ), format(r$round_to))
}
