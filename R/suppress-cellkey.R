# The cell-key method (ONS 2021 Census, ABS TableBuilder): every record
# carries a fixed random key; a count is perturbed by a deterministic
# function of its value and of the sum of its records' keys modulo the key
# range, looked up in a perturbation table. The same people give the same
# published count in every table and every release. The key sums of a
# result are counted by the verb itself, run again with the keys as its
# weights (`key =`); suppress_cell_key() perturbs every count and total of
# the result from them and publish_cells() computes the rest again.

# Keys run from 1 to the key range (a key equal to the range counts as 0
# modulo the range), so that a cell has a positive key sum whenever it has
# anybody, and the keyed run of a verb has the same rows as the plain one.
key_range <- 256

#' Record keys and the perturbation table of the cell-key method
#'
#' `record_keys()` draws a fixed random key for each record, for
#' `suppress = "cell_key"` (see [suppress_counts()]): whole numbers from 1
#' to 256, drawn with `seed` (the same seed and number of records give the
#' same keys; the caller's random number stream is left as it was). Store
#' the keys with the records and use the same key for a person in every
#' later release: the method protects repeated releases only if a person's
#' key never changes. A new record (someone who joins the cohort) gets a
#' key of its own, e.g. `record_keys(1, seed = <a new seed>)`.
#'
#' `cell_key_ptable()` is the default perturbation table. For a count `c`
#' and a cell key `k` (the position, 0 to 255, that the keyed hash below
#' gives the sum of its records' keys), the perturbation is the value of
#' the row for `c` (for counts above 5, the row for 6) whose cumulative
#' probability interval holds `k / 256`. Its properties (cell keys
#' uniform over the 256 positions, as the hash makes them):
#'
#' * the largest perturbation is 3 either way;
#' * a count of 0 (nobody) is published as 0;
#' * counts of 1 and 2 are never published as 1 or 2 (no count is): 1
#'   becomes 0 (171 keys in 256) or 3 (85), 2 becomes 0 (85) or 3 (171);
#'   a published 0 is a true 0, 1, 2 or 3;
#' * counts are unbiased: the mean perturbation is 0 for counts of 3 and
#'   more, and within 1/256 of 0 for counts of 1 and 2;
#' * the variance of the perturbation is 2.05 for counts of 6 and more
#'   (and 2.00, 2.00, 1.56, 0.56 and 1.21 for counts of 1 to 5), so a
#'   published count is within 1 of the true count for 70% of cell keys
#'   and within 2 for 91%.
#'
#' A table of your own has the same columns: `count` (1, 2, ... up to the
#' largest row; its row applies to every larger count), `perturbation`
#' (whole numbers; `count + perturbation` must not be negative) and
#' `probability` (adding up to 1 for each count). Probabilities take
#' effect in steps of 1/256 (the key range).
#'
#' @section The keyed hash:
#' A cell's key sum (the sum of its people's record keys) is the same for
#' the same people in every table and release, but the key sum of a total
#' is the sum of its parts' key sums. Were the position the key sum modulo
#' 256, a reader who knows the public perturbation table could combine a
#' total's perturbation with its parts' and narrow the counts (see below).
#' So the position is a keyed hash of the key sum, under a secret kept
#' with the data (`options(equityaudit.secret = )` or
#' `suppress_counts(secret = )`; without one the rule stops with an error
#' of class `equityaudit_error_secret`):
#'
#' * the secret's bytes (a string in UTF-8, or a raw vector; at least 16
#'   bytes) give a 128-bit key `(k0, k1)`: `k0` is SipHash-2-4 under the
#'   all-zero key of the byte 0x00 followed by the secret, `k1` the same
#'   with 0x01;
#' * the key sum, a whole number (keys are whole numbers, so the sum is
#'   exact), is written as an unsigned 64-bit integer in 8 little-endian
#'   bytes;
#' * the position is the top 8 bits of SipHash-2-4 (Aumasson and
#'   Bernstein, 2012) of those 8 bytes under `(k0, k1)`.
#'
#' So the same people under the same secret get bit-identical positions,
#' and the same published counts, in every release and on every machine;
#' without the secret the positions of a total and of its parts are
#' unrelated. Use one secret for every release of a series (a new secret
#' gives new perturbations, and two releases of the same people under two
#' secrets average the noise away) and never publish it.
#'
#' @section What a reader can still learn:
#' Measured with the attack suite's helpers (`tests/testthat/helper-attack-cellkey*.R`,
#' run by `make attack`; the reader knows the perturbation table and
#' combines every published count by integer programming):
#'
#' * **Key additivity, within one release** (kind `"key_additivity"`:
#'   1,000 tables of 2 to 5 groups and 5 to 40 people, 3,165 counts, 2,002
#'   of them 1 to 7, published both ways). With the position the key sum
#'   modulo 256 (the method before the keyed hash), a reader who uses a
#'   total's key = the sum of its parts' keys narrowed 465 counts (15%)
#'   below what the sums of the counts leave, every one of them for
#'   certain, and recovered 7 counts of 1 to 7 exactly (in 7 tables). With
#'   the keyed hash the premise is false: 43 tables contradicted it, and of
#'   the 541 counts it narrowed, 59 were narrowed to bounds that miss the
#'   true count; of the 20 it pinned to one value, 9 were wrong. The
#'   reasoning is a guess, no longer a certainty; the bounds a reader can
#'   rely on are those of the sums of the counts (154 counts narrowed
#'   below their own published range, against 161 without the hash).
#' * **Differencing, a year of monthly releases** (kind `"differencing"`,
#'   scenario `"monthly_year"`: 120 cohorts of 20 to 150 people in 2 to 4
#'   services and 2 to 4 groups, each published every month for 12
#'   months, each month's people last month's and some more, the same
#'   people with the same keys; 1,320 pairs of successive releases, 18,060
#'   published counts). The true count was always inside the reader's
#'   bounds. 5,716 counts (32%) were narrowed below the range a count
#'   published alone leaves, and 3,208 of the 8,988 counts of 1 to 7
#'   (36%); none was recovered exactly (the narrowest bounds held 2
#'   counts), and the bounds were 4.0 counts wide on average, against 6
#'   for a count of 6 or more published alone. What differencing cannot
#'   learn: a count that did not change between two months is published
#'   the same, so repeating a release adds nothing, and a change is known
#'   only to within the noise of both months. What it can: where a cell
#'   grew by few people the two ranges overlap less and narrow the count;
#'   and a release that differs from the last by one person a reader can
#'   identify can give a count away when the two perturbations are at
#'   opposite extremes.
#'
#' @param n The number of records (or a data frame: one key per row).
#' @param seed A whole number: the seed the keys are drawn with.
#' @inheritParams equityaudit-arguments
#' @return `record_keys()`: an integer vector of `n` keys from 1 to 256.
#'   `cell_key_ptable()`: a data frame with columns `count`,
#'   `perturbation` and `probability`.
#' @seealso [suppress_counts()] (`rule = "cell_key"`).
#' @export
#' @examples
#' people <- data.frame(
#'   service = rep(c("A", "B"), c(40, 25)),
#'   ethnicity = rep(c("White", "Black", "Asian", "White", "Black", "Asian"),
#'                   c(25, 9, 6, 17, 5, 3))
#' )
#' people$key <- record_keys(people, seed = 20240601)
#' # the secret of the keyed hash: your own, kept with the data, never published
#' old <- options(equityaudit.secret = "example secret: use your own, kept with the data")
#' describe_cohort(people, ethnicity, by = service, key = key, suppress = "cell_key")
#' cell_key_ptable()
#' options(old)
record_keys <- function(n, seed, ...) {
  check_no_dots(..., fn = "record_keys")
  if (is.data.frame(n)) n <- nrow(n)
  if (!is_whole_number(n) || n < 0) {
    abort_input("argument", "`n` must be a number of records (or a data frame).", arg = "n")
  }
  if (missing(seed) || !is_whole_number(seed) || abs(seed) > .Machine$integer.max) {
    abort_input(
      "argument",
      sprintf(
        "`seed` must be a whole number from -%s to %s: the keys must be drawn reproducibly.",
        format_count(.Machine$integer.max), format_count(.Machine$integer.max)
      ),
      arg = "seed"
    )
  }
  with_local_seed(seed, sample.int(key_range, n, replace = TRUE))
}

is_whole_number <- function(v) {
  is.numeric(v) && length(v) == 1 && is.finite(v) && v == round(v)
}

#' @rdname record_keys
#' @export
cell_key_ptable <- function() {
  # keys out of 256 for each perturbation (count 6 holds for larger ones)
  rows <- list(
    `1` = c(`-1` = 171, `2` = 85),
    `2` = c(`-2` = 85, `1` = 171),
    `3` = c(`-3` = 30, `0` = 156, `1` = 50, `2` = 20),
    `4` = c(`-1` = 60, `0` = 148, `1` = 36, `2` = 12),
    `5` = c(`-2` = 26, `-1` = 51, `0` = 102, `1` = 51, `2` = 26),
    `6` = c(`-3` = 12, `-2` = 26, `-1` = 51, `0` = 78, `1` = 51, `2` = 26, `3` = 12)
  )
  data.frame(
    count = rep(as.numeric(names(rows)), lengths(rows)),
    perturbation = as.numeric(unlist(lapply(rows, names))),
    probability = unname(unlist(rows)) / key_range
  )
}

# A perturbation table checked and sorted (count, then perturbation), with
# zero-probability rows dropped.
check_ptable <- function(ptable) {
  bad <- function(why) {
    abort_input("argument", paste0("`ptable` ", why, " (see ?cell_key_ptable)."), arg = "ptable")
  }
  cols <- c("count", "perturbation", "probability")
  if (!is.data.frame(ptable) || !all(cols %in% names(ptable))) {
    bad("must be a data frame with columns `count`, `perturbation` and `probability`")
  }
  pt <- data.frame(lapply(unclass(ptable)[cols], function(v) {
    if (is.numeric(v)) as.double(v) else v
  }))
  finite <- vapply(pt, function(v) is.numeric(v) && all(is.finite(v)), TRUE)
  if (!all(finite)) {
    bad("must hold numbers in `count`, `perturbation` and `probability`, none missing")
  }
  if (nrow(pt) == 0) bad("has no rows")
  if (any(pt$count < 1 | pt$count != round(pt$count))) {
    bad("must have whole counts of at least 1 in `count`")
  }
  if (any(pt$perturbation != round(pt$perturbation))) {
    bad("must have whole numbers in `perturbation`")
  }
  if (any(pt$probability < 0 | pt$probability > 1)) bad("must have probabilities from 0 to 1")
  if (any(pt$count + pt$perturbation < 0)) {
    bad("must not make a count negative (`count + perturbation` below 0)")
  }
  if (anyDuplicated(pt[c("count", "perturbation")])) {
    bad("has two rows for one count and perturbation")
  }
  counts <- sort(unique(pt$count))
  if (!identical(counts, as.double(seq_len(max(counts))))) {
    bad(sprintf("must have rows for every count from 1 to %g", max(counts)))
  }
  sums <- as.vector(rowsum(pt$probability, pt$count))
  if (any(abs(sums - 1) > 1e-9)) {
    bad(sprintf(
      "must have probabilities adding up to 1 for each count (count %s)",
      format_values(counts[abs(sums - 1) > 1e-9])
    ))
  }
  pt <- pt[pt$probability > 0, , drop = FALSE]
  pt <- pt[order(pt$count, pt$perturbation), , drop = FALSE]
  rownames(pt) <- NULL
  pt
}

# The perturbation of each count (0 for a count of 0) given its cell key
# (key sum modulo the key range).
ptable_perturbation <- function(count, cell_key, pt) {
  out <- numeric(length(count))
  row_of <- pmin(count, max(pt$count))
  for (c in unique(row_of[count > 0])) {
    i <- which(row_of == c & count > 0)
    p <- pt[pt$count == c, , drop = FALSE]
    lower <- c(0, cumsum(p$probability))[seq_len(nrow(p))]
    out[i] <- p$perturbation[findInterval(cell_key[i] / key_range, lower)]
  }
  out
}

# The exact mean and variance of the perturbation of each count of a table
# (cell keys uniform over the key range).
ptable_moments <- function(pt = cell_key_ptable()) {
  pt <- check_ptable(pt)
  counts <- sort(unique(pt$count))
  k <- seq(0, key_range - 1)
  moments <- vapply(counts, function(c) {
    v <- ptable_perturbation(rep(c, key_range), k, pt)
    c(mean = mean(v), variance = mean(v^2) - mean(v)^2, max = max(abs(v)))
  }, numeric(3))
  data.frame(count = counts, t(moments))
}

# ---- the keys of a result --------------------------------------------------

# The count columns the cell-key rule perturbs, by kind (kind-*.R): NULL
# for the kinds it does not support.
key_sum_columns <- function(x) UseMethod("key_sum_columns")

#' @export
key_sum_columns.default <- function(x) NULL

# Called by a verb given `key =`: `keyed` is the same result built from
# the sums of the record keys of the same cells (counted in the same pass
# as the counts: tally()), so its count columns are the key sums of the
# result's counts. They are kept with the result, in attribute "key_sums",
# with the identity of each row ("key_rows"), so that a result whose rows
# were reordered or dropped is not perturbed with another row's keys.
attach_key_sums <- function(out, keyed) {
  ids <- c(attr(out, "by"), attr(out, "options")$strata, "pooled", attr(out, "group"))
  ids <- intersect(c(ids, "variable", "level", "missing"), names(out))
  row <- key_row_id(out, ids)
  if (!identical(row, key_row_id(keyed, ids))) {
    abort_internal("the result built from the key sums has other rows")
  }
  cols <- key_sum_columns(out)
  attr(out, "key_sums") <- lapply(stats::setNames(cols, cols), function(cl) as.double(unclass(keyed)[[cl]]))
  attr(out, "key_rows") <- list(ids = ids, row = row)
  out
}

# A row's identity: its stratum, group and level columns, as one string.
key_row_id <- function(d, ids) {
  do.call(paste, c(lapply(unclass(d)[ids], as.character), sep = "\r"))
}

# The key sums of x's rows, in x's order (NULL without keys).
row_key_sums <- function(x) {
  sums <- attr(x, "key_sums", exact = TRUE)
  rows <- attr(x, "key_rows", exact = TRUE)
  if (is.null(sums) || is.null(rows)) {
    return(sums)
  }
  at <- match(key_row_id(x, rows$ids), rows$row)
  if (anyNA(at) || length(at) != length(rows$row)) {
    abort_input(
      "argument",
      "`x` has lost rows since its record keys were counted: apply the rule to the whole result.",
      arg = "x"
    )
  }
  lapply(sums, function(v) v[at])
}

# ---- the rule ---------------------------------------------------------------

# suppress_counts(x, "cell_key"): every count and total perturbed from the
# keyed hash of its own key sum; ref_n (the reference population, an input table with no
# records) as given; the rest computed again from the published counts.
suppress_cell_key <- function(x, ptable, secret = NULL) {
  x <- as_suppressible(x)
  kind <- result_kind(x)
  if (is.null(key_sum_columns(x))) {
    abort_input(
      "argument",
      paste0(
        "The cell-key rule applies to results of describe_cohort(), compare_access() ",
        "and compare_outcomes(), not to a result of kind \"", kind, "\"."
      ),
      arg = "rule", kind = kind
    )
  }
  sums <- row_key_sums(x)
  if (is.null(sums)) {
    abort_input(
      "argument",
      paste(
        "`x` has no record keys: compute it with `key =` (a column of `record_keys()`)",
        "to use the cell-key rule."
      ),
      arg = "x"
    )
  }
  if (any(lengths(sums) != nrow(x))) {
    abort_input(
      "argument",
      "`x` has lost rows since its record keys were counted: apply the rule to the whole result.",
      arg = "x"
    )
  }
  pt <- check_ptable(ptable %||% cell_key_ptable())
  secret <- check_secret(secret)
  spec <- count_spec(x)
  xk <- unclass(x)
  for (cl in names(sums)) xk[[cl]] <- sums[[cl]]
  attributes(xk) <- attributes(x)
  keyed <- count_spec(xk)
  shape <- c("kind", "row", "column", "sums")
  if (!identical(keyed[shape], spec[shape])) {
    abort_internal("the key sums do not match the cells of the result")
  }
  perturbed <- spec$kind != "hidden" & !startsWith(spec$column, "ref_n")
  published <- spec$value
  published[perturbed] <- spec$value[perturbed] +
    ptable_perturbation(
      spec$value[perturbed], cell_key_positions(keyed$value[perturbed], secret), pt
    )
  published[spec$kind == "hidden"] <- NA
  shown <- pt$count + pt$perturbation
  r <- list(
    rule = "cell_key", threshold = 0, round_to = 1, zero = FALSE,
    max_perturbation = max(abs(pt$perturbation)), smallest = min(shown[shown > 0])
  )
  res <- list(suppressed = rep(FALSE, length(published)), published = published)
  out <- publish_cells(x, spec, res, r)
  out
}

# disclosure_check() bounds counts hidden by a threshold rule.
check_threshold_rule <- function(s) {
  if (identical(s$rule, "cell_key")) {
    abort_input(
      "argument",
      paste(
        "`x` is published under the cell-key rule, which hides no count:",
        "disclosure_check() bounds counts hidden by a threshold rule",
        "(see ?suppress_counts for what the cell-key method protects)."
      ),
      arg = "x"
    )
  }
}
