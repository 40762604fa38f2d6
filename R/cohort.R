# Describing a cohort: the paper's Table 1.

# Age (mean, s.d., range and the number missing) in each stratum of the
# tally `tl` (whose strata fold the `unknown` labels of the `by` columns):
# moments of the cells of the `by` columns as they are, from compiled code,
# then merged into the strata they fall in. A list with one element per
# stratum of `tl`, in its order.
cohort_moments <- function(data, by, age, tl, unknown) {
  v <- data[[age]]
  check_ages(v, age)
  enc <- lapply(by, function(col) encode_column(data[[col]], col, "by"))
  res <- .Call(
    ea_group_moments, lapply(enc, `[[`, "x"), vapply(enc, `[[`, 0L, "kind"),
    vapply(enc, function(e) as.integer(e$nlev), 0L), as.double(v)
  )
  if (!is.null(res$too_many)) abort_too_many(res, enc, by, "by")
  if (!is.null(res$bad_row)) {
    abort_input(
      "column",
      sprintf("A column of `by` is a malformed factor (row %s).", format(res$bad_row)),
      arg = "by"
    )
  }
  values <- lapply(seq_along(enc), function(j) {
    if (enc[[j]]$kind == 2L) res$levels[[j]] else enc[[j]]$values
  })
  nlev <- vapply(values, length, 0L)
  present <- if (length(by) == 0) 0 else which(res$n + res$n_missing > 0) - 1
  slots <- key_slots(present, nlev)
  raw <- Map(function(s, vals) slot_values(vals)[s + 1L], slots, values)
  key <- strata_key(lapply(raw, function(x) as.character(fold_values(x, unknown))), length(present))
  take <- present + 1
  m <- merge_moments(
    key, res$n[take], res$mean[take], res$m2[take], res$min[take], res$max[take],
    res$n_missing[take]
  )
  idx <- match(tally_strata_key(tl, by), m$key)
  finish_moments(lapply(m[setdiff(names(m), "key")], `[`, idx))
}

# Ages must be numbers, finite and not negative.
check_ages <- function(v, age) {
  if (!is.numeric(v) || is.object(v)) {
    abort_input(
      "column",
      sprintf("Column `%s` (`age`) must be numeric, not %s.", age, class(v)[[1]]),
      arg = "age", column = age
    )
  }
  bad <- which(!is.na(v) & (!is.finite(v) | v < 0))
  if (length(bad) > 0) {
    abort_input(
      "column",
      sprintf(
        "Column `%s` (`age`) must hold finite ages of 0 or more; found %s in row%s %s.",
        age, format_values(v[bad]), if (length(bad) > 1) "s" else "", format_values(bad)
      ),
      arg = "age", column = age, rows = bad
    )
  }
}

# The key of each stratum of a tally, unknown values as NA (as
# strata_key() writes raw values folded by fold_values()).
tally_strata_key <- function(tl, by) {
  n_s <- utils::tail(dim(tl$array), 1)
  strata_key(lapply(by, function(b) {
    replace(as.character(tl$strata[[b]]), tl$strata_unknown[[b]], NA)
  }), n_s)
}

# Combines moments of cells that share a key (Chan et al.'s pairwise
# formula), in order of the keys' first appearance.
merge_moments <- function(key, n, mean, m2, min, max, n_missing) {
  g <- factor(key, levels = unique(key))
  tot_n <- as.vector(rowsum(as.double(n), g))
  tot_mean <- as.vector(rowsum(as.double(ifelse(n > 0, n * mean, 0)), g)) / pmax(tot_n, 1)
  dev <- ifelse(n > 0, n * (mean - tot_mean[as.integer(g)])^2, 0)
  list(
    key = levels(g), n = tot_n, mean = tot_mean,
    m2 = as.vector(rowsum(as.double(ifelse(n > 0, m2, 0) + dev), g)),
    min = as.vector(tapply(min, g, min)), max = as.vector(tapply(max, g, max)),
    n_missing = as.vector(rowsum(as.double(n_missing), g))
  )
}

# Moments with the s.d. from the sum of squares, and no summary where
# nobody's age is known.
finish_moments <- function(m) {
  m$sd <- ifelse(m$n > 1, sqrt(m$m2 / (m$n - 1)), NA_real_)
  m$m2 <- NULL
  none <- m$n == 0
  m$mean[none] <- NA
  m$min[none] <- NA
  m$max[none] <- NA
  m[c("n", "mean", "sd", "min", "max", "n_missing")]
}

# The moments of all the strata together (the pooled stratum).
pool_moments <- function(m) {
  m2 <- ifelse(m$n > 1, m$sd^2 * (m$n - 1), 0)
  known <- m$n > 0
  pooled <- merge_moments(
    rep("all", sum(known)), m$n[known], m$mean[known], m2[known],
    m$min[known], m$max[known], m$n_missing[known]
  )
  if (!any(known)) {
    pooled <- list(n = 0, mean = NA_real_, m2 = 0, min = NA_real_, max = NA_real_, n_missing = sum(m$n_missing))
  } else {
    pooled$n_missing <- sum(m$n_missing)
  }
  finish_moments(pooled[setdiff(names(pooled), "key")])
}

#' Describe who a service saw
#'
#' Builds the standard description of a cohort (Table 1 of the BJPsych IPS
#' study): for every stratum and overall, the number of people, the count
#' and percentage of each level of each variable, the number with the
#' variable missing, and the mean, standard deviation and range of age.
#'
#' Percentages are of the people whose value is known, as in the study;
#' the missing row of each variable (`missing = TRUE`, labelled as
#' [equityaudit-arguments] says: the first `unknown` label, or "Not
#' known") gives the count of the others (missing, blank or one of the
#' `unknown` labels). The standard deviation uses the `n - 1` denominator;
#' a stratum in which nobody's age is known shows no age summary. Ages must
#' be finite and not negative.
#'
#' @inheritParams equityaudit-arguments
#' @param data One row per person.
#' @param vars Categorical columns to describe (bare names, strings or
#'   `c()` of them).
#' @param by Stratifying columns, such as the service. A pooled stratum
#'   (`pooled = TRUE`, labelled `"Total"`) is added when `pooled = TRUE`.
#' @param age Optional numeric column summarised by mean, s.d., minimum and
#'   maximum.
#' @param pooled Add the pooled stratum of everybody?
#' @param weight Optional column of counts, for a table that is already
#'   aggregated (then `age` cannot be summarised).
#' @return A data frame of class `equityaudit_cohort` in long form: the `by`
#'   columns, `pooled`, `variable`, `level`, `missing` (is this the row of
#'   people with the variable missing?), `n`, `pct`, `mean`, `sd`, `min`
#'   and `max`. The first row of each stratum (`variable = "people"`) gives
#'   its size.
#'   [format()] (and printing) lays it out as Table 1 does, strata side by
#'   side with "n (pct)" cells.
#' @export
#' @examples
#' people <- data.frame(
#'   service = rep(c("CNWL", "WWT"), c(6, 4)),
#'   ethnicity = c("White", "Black", NA, "Asian", "White", "Mixed",
#'                 "Black", "White", "Other", "White"),
#'   gender = rep(c("Male", "Female"), 5),
#'   age = c(23, 45, 37, 61, 30, 52, 19, 44, 38, 29)
#' )
#' cohort <- describe_cohort(people, c(ethnicity, gender), by = service, age = age)
#' cohort
#' as.data.frame(cohort)[1:6, ]
describe_cohort <- function(data, vars, by = NULL, age = NULL, unknown = NULL,
                            pooled = TRUE, weight = NULL, suppress = NULL) {
  table <- data
  data <- check_data_frame(column_frame(table))
  unknown <- check_unknown(unknown)
  check_flag(pooled, "pooled")
  cols <- columns_of(c("vars", "by", "age", "weight"), data, environment(), parent.frame())
  if (length(cols$weight) > 0 && length(cols$age) > 0) {
    abort_input(
      "argument",
      "Age can only be summarised from one row per person, not with `weight`.",
      arg = "weight"
    )
  }
  weight <- cols$weight
  if (is_lazy_table(table)) {
    # one query for the joint counts; the age sums in another, below
    data <- db_counts(table, c(cols$by, cols$vars), weight = weight)
    weight <- ".n"
  }
  by <- split_columns(cols, "by")
  tallies <- lapply(cols$vars, function(v) {
    tally(data, v, by, weight, unknown = unknown, group_arg = "vars")
  })
  pieces <- lapply(tallies, function(tl) {
    counts <- matrix(tl$array, nrow = length(tl$groups$label))
    if (pooled && length(cols$by) > 0) counts <- cbind(counts, rowSums(counts))
    cohort_rows(counts, tl)
  })
  # the strata and their people (everybody is in each variable's tally)
  base <- if (length(tallies) > 0) {
    tallies[[1]]
  } else {
    data[[".equityaudit_all"]] <- rep(TRUE, nrow(data))
    tally(data, ".equityaudit_all", by, weight, unknown = unknown)
  }
  if (length(cols$age) == 1) {
    m <- if (is_lazy_table(table)) {
      db_age_moments(table, cols$by, cols$age, base, unknown)
    } else {
      cohort_moments(data, cols$by, cols$age, base, unknown)
    }
    if (pooled && length(cols$by) > 0) m <- Map(c, m, pool_moments(m))
    pieces[[length(pieces) + 1]] <- age_rows(m, cols$age)
  }
  out <- cohort_frame(pieces, base, cols$by, pooled)
  apply_suppression(out, suppress)
}

# Rows for one categorical variable: counts [levels (unknown last), strata].
cohort_rows <- function(counts, tl) {
  g <- tl$groups
  known <- counts[!g$unknown, , drop = FALSE]
  pct <- 100 * sweep(known, 2, pmax(colSums(known), 1), "/")
  pct[, colSums(known) == 0] <- NA
  k <- nrow(known)
  list(
    variable = tl$name, level = g$label, missing = g$unknown,
    n = as.vector(rbind(known, counts[g$unknown, ])),
    pct = as.vector(rbind(pct, NA)), per_stratum = k + 1L
  )
}

age_rows <- function(m, variable) {
  list(
    variable = variable, level = c(NA, NA), missing = c(FALSE, TRUE),
    n = as.vector(rbind(m$n, m$n_missing)), pct = NA_real_,
    mean = as.vector(rbind(m$mean, NA)), sd = as.vector(rbind(m$sd, NA)),
    min = as.vector(rbind(m$min, NA)), max = as.vector(rbind(m$max, NA)),
    per_stratum = 2L
  )
}

cohort_frame <- function(pieces, tl, by, pooled) {
  people <- colSums(matrix(tl$array, nrow = length(tl$groups$label)))
  strata <- tl$strata
  is_pooled <- rep(FALSE, length(people))
  if (length(by) > 0 && pooled) {
    p <- append_pooled(matrix(people, 1), strata, by)
    strata <- p$strata
    is_pooled <- p$pooled
    people <- as.vector(p$array)
  }
  n_strata <- length(people)
  sizes <- 1L + sum(vapply(pieces, `[[`, 0L, "per_stratum"))
  block <- function(s) {
    rows <- lapply(pieces, function(p) {
      idx <- (s - 1) * p$per_stratum + seq_len(p$per_stratum)
      pick <- function(x) if (length(x) > 1) x[idx] else rep(x, p$per_stratum)
      list(
        variable = rep(p$variable, p$per_stratum), level = as.character(p$level),
        missing = p$missing, n = pick(p$n), pct = pick(p$pct),
        mean = pick(p$mean %||% NA_real_), sd = pick(p$sd %||% NA_real_),
        min = pick(p$min %||% NA_real_), max = pick(p$max %||% NA_real_)
      )
    })
    head_row <- list(
      variable = "people", level = NA_character_, missing = FALSE, n = people[[s]],
      pct = NA_real_, mean = NA_real_, sd = NA_real_, min = NA_real_, max = NA_real_
    )
    do.call(Map, c(list(c), list(head_row), rows))
  }
  body <- do.call(Map, c(list(c), lapply(seq_len(n_strata), block)))
  out <- c(
    lapply(strata, function(v) rep(v, each = sizes)),
    if (length(by) > 0) list(pooled = rep(is_pooled, each = sizes)),
    body
  )
  new_result(out, "cohort", list(by = by, unknown_label = tl$unknown_label))
}

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
  count <- ifelse(is.na(df$n), "*", format(df$n, trim = TRUE, big.mark = ","))
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
    cell[age_row & is.na(df$mean) & (is.na(df$n) | df$n > 0)] <- "*"
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
