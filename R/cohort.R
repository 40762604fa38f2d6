# Describing a cohort: the paper's Table 1.

# Moments of the numeric column x within the strata of `by`: a data frame
# with the by columns and n, mean, sd, min, max, n_missing, one row per
# stratum present, in the same order as strata_array().
group_moments <- function(data, by, x, arg = "age") {
  v <- data[[x]]
  if (!is.numeric(v) || is.object(v)) {
    abort_input(
      "column",
      sprintf("Column `%s` (`%s`) must be numeric, not %s.", x, arg, class(v)[[1]]),
      arg = arg, column = x
    )
  }
  enc <- lapply(by, function(col) encode_column(data[[col]], col, "by"))
  res <- .Call(
    ea_group_moments, lapply(enc, `[[`, "x"), vapply(enc, `[[`, 0L, "kind"),
    vapply(enc, function(e) as.integer(e$nlev), 0L), as.double(v)
  )
  if (!is.null(res$bad_row)) {
    abort_input(
      "column",
      sprintf("A column of `by` is a malformed factor (row %s).", format(res$bad_row)),
      arg = "by"
    )
  }
  hashed <- vapply(enc, `[[`, 0L, "kind") == 2L
  nlev <- vapply(seq_along(enc), function(j) {
    if (hashed[[j]]) length(res$levels[[j]]) else as.integer(enc[[j]]$nlev)
  }, 0L)
  present <- if (length(by) == 0) 0 else which(res$n + res$n_missing > 0) - 1
  sorted <- sorted_keys(present, nlev, res$levels, hashed, lapply(enc, `[[`, "values"))
  take <- present + 1
  stats <- merge_moments(
    sorted$key, res$n[take], res$mean[take], res$m2[take],
    res$min[take], res$max[take], res$n_missing[take]
  )
  slots <- key_slots(stats$key, sorted$nlev)
  # strata in strata_array()'s order: the first by column varying slowest
  ord <- if (length(slots)) do.call(order, unname(slots)) else seq_along(stats$key)
  strata <- strata_frame(lapply(slots, `[`, ord), sorted$values, by)
  stats$key <- NULL
  stats <- lapply(stats, `[`, ord)
  stats$sd <- ifelse(stats$n > 1, sqrt(stats$m2 / (stats$n - 1)), NA_real_)
  stats$m2 <- NULL
  stats$min[stats$n == 0] <- NA
  stats$max[stats$n == 0] <- NA
  stats$mean[stats$n == 0] <- NA
  c(strata, stats)
}

# Combines moments of cells that share a key (Chan et al.'s pairwise
# formula), returning them sorted by key.
merge_moments <- function(key, n, mean, m2, min, max, n_missing) {
  g <- factor(key, levels = sort(unique(key)))
  tot_n <- as.vector(rowsum(n, g))
  tot_mean <- as.vector(rowsum(n * mean, g)) / pmax(tot_n, 1)
  dev <- n * (mean - tot_mean[as.integer(g)])^2
  list(
    key = as.numeric(levels(g)), n = tot_n, mean = tot_mean,
    m2 = as.vector(rowsum(m2 + dev, g)),
    min = as.vector(tapply(min, g, min)), max = as.vector(tapply(max, g, max)),
    n_missing = as.vector(rowsum(n_missing, g))
  )
}

#' Describe who a service saw
#'
#' Builds the standard description of a cohort (Table 1 of the BJPsych IPS
#' study): for every stratum and overall, the number of people, the count
#' and percentage of each level of each variable, the number with the
#' variable missing, and the mean, standard deviation and range of age.
#'
#' Percentages are of the people whose value is known, as in the study;
#' the missing row gives the count of the others (`NA`, or any of the
#' `unknown` labels). The standard deviation uses the `n - 1` denominator.
#'
#' @param data One row per person.
#' @param vars Categorical columns to describe (bare names, strings or
#'   `c()` of them).
#' @param by Stratifying columns, such as the service. An overall stratum
#'   labelled `"Total"` is added when `total = TRUE`.
#' @param age Optional numeric column summarised by mean, s.d., minimum and
#'   maximum.
#' @param unknown Labels meaning "not known", counted as missing.
#' @param total Add the overall `"Total"` stratum?
#' @param weight Optional column of counts, for a table that is already
#'   aggregated (then `age` cannot be summarised).
#' @param suppress `NULL` for unsuppressed counts, or a rule for
#'   [suppress_counts()] (`"nhs_digital"`, `"opensafely"`) applied to the
#'   result before it is returned.
#' @return A data frame of class `equityaudit_cohort` in long form: the `by`
#'   columns, `variable`, `level`, `missing` (is this the row of people with
#'   the variable missing?), `n`, `pct`, `mean`, `sd`, `min` and `max`. The
#'   first row of each stratum (`variable = "people"`) gives its size.
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
                            total = TRUE, weight = NULL, suppress = NULL) {
  table <- data
  data <- column_frame(table)
  check_data_frame(data)
  env <- parent.frame()
  vars <- column_names(substitute(vars), data, env, "vars")
  by <- column_names(substitute(by), data, env, "by")
  age <- column_names(substitute(age), data, env, "age")
  weight <- column_names(substitute(weight), data, env, "weight")
  if (length(weight) > 0 && length(age) > 0) {
    abort_input(
      "argument",
      "Age can only be summarised from one row per person, not with `weight`.",
      arg = "weight"
    )
  }
  weight <- if (length(weight)) one_column(weight, "weight")
  unknown <- check_unknown(unknown)
  check_flag(total, "total")
  if (length(age) > 1) one_column(age, "age")
  check_column_args(list(vars = vars, by = by, age = age, weight = weight), data)
  if (is_lazy_table(table)) {
    # one query for the joint counts; the age sums in another, below
    data <- db_counts(table, c(by, vars), weight = weight)
    weight <- ".n"
  }
  pieces <- list()
  for (v in vars) {
    gc <- group_counts(data, v, by, weight, arg = "vars")
    counts <- matrix(gc$array, nrow = length(gc$labels))
    if (total && length(by) > 0) counts <- cbind(counts, rowSums(counts))
    pieces[[v]] <- cohort_rows(counts, gc$group_values, v, unknown)
  }
  if (length(age) == 1 && is_lazy_table(table)) {
    pieces[[age]] <- age_rows(db_age_moments(table, by, age, data, total), age)
  } else if (length(age) == 1) {
    m <- group_moments(data, by, age)
    if (total && length(by) > 0) {
      all <- group_moments(data, character(), age)
      m <- Map(c, m[setdiff(names(m), by)], all)
    }
    pieces[[age]] <- age_rows(m, age)
  }
  out <- cohort_frame(pieces, data, by, total, weight)
  apply_suppression(out, suppress)
}

# Rows for one categorical variable: counts [levels (NA last), strata].
cohort_rows <- function(counts, values, variable, unknown) {
  labels <- as.character(values)
  miss <- is_missing_label(labels, unknown)
  known <- counts[!miss, , drop = FALSE]
  pct <- 100 * sweep(known, 2, pmax(colSums(known), 1), "/")
  pct[, colSums(known) == 0] <- NA
  k <- nrow(known)
  n_strata <- ncol(counts)
  level <- c(labels[!miss], NA)
  list(
    variable = variable, level = level, missing = c(rep(FALSE, k), TRUE),
    n = as.vector(rbind(known, colSums(counts[miss, , drop = FALSE]))),
    pct = as.vector(rbind(pct, NA)), per_stratum = k + 1L,
    n_strata = n_strata
  )
}

age_rows <- function(m, variable) {
  n_strata <- length(m$n)
  list(
    variable = variable, level = c(NA, NA), missing = c(FALSE, TRUE),
    n = as.vector(rbind(m$n, m$n_missing)), pct = NA_real_,
    mean = as.vector(rbind(m$mean, NA)), sd = as.vector(rbind(m$sd, NA)),
    min = as.vector(rbind(m$min, NA)), max = as.vector(rbind(m$max, NA)),
    per_stratum = 2L, n_strata = n_strata
  )
}

cohort_frame <- function(pieces, data, by, total, weight) {
  base <- count_cells(data, by, weight = weight, arg = "by")
  people <- as.double(base$count)
  strata <- list()
  if (length(by) > 0) {
    sa <- strata_array(base, 0)
    strata <- lapply(strata_frame(sa$by_slots, base$values, by), label_not_known)
    people <- as.vector(sa$array)
    if (total) people <- c(people, sum(people))
  }
  n_strata <- length(people)
  blocks <- lapply(seq_len(n_strata), function(s) {
    rows <- lapply(pieces, function(p) {
      idx <- (s - 1) * p$per_stratum + seq_len(p$per_stratum)
      pick <- function(x) if (length(x) > 1) x[idx] else rep(x, p$per_stratum)
      data.frame(
        variable = p$variable, level = rep(p$level, length.out = p$per_stratum),
        missing = p$missing, n = pick(p$n), pct = pick(p$pct),
        mean = pick(p$mean %||% NA_real_), sd = pick(p$sd %||% NA_real_),
        min = pick(p$min %||% NA_real_), max = pick(p$max %||% NA_real_),
        stringsAsFactors = FALSE
      )
    })
    head_row <- data.frame(
      variable = "people", level = NA_character_, missing = FALSE,
      n = people[[s]], pct = NA_real_, mean = NA_real_, sd = NA_real_,
      min = NA_real_, max = NA_real_, stringsAsFactors = FALSE
    )
    do.call(rbind, c(list(head_row), unname(rows)))
  })
  sizes <- vapply(blocks, nrow, 0L)
  body <- do.call(rbind, blocks)
  labels <- stratum_labels(strata, by, total)
  out <- c(lapply(labels, function(v) rep(v, sizes)), as.list(body))
  out <- new_tidy_frame(out)
  attr(out, "by") <- by
  attr(out, "total_rows") <- rep(
    seq_len(n_strata) == n_strata & total & length(by) > 0, sizes
  )
  class(out) <- c("equityaudit_cohort", "data.frame")
  out
}

# The by columns of the strata, with a "Total" stratum appended.
stratum_labels <- function(strata, by, total) {
  if (length(by) == 0) {
    return(list())
  }
  lapply(strata, function(v) {
    if (!total) {
      return(v)
    }
    if (is.factor(v)) {
      return(factor(c(as.character(v), "Total"), levels = c(levels(v), "Total")))
    }
    c(as.character(v), "Total")
  })
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
      "%.2f (%.2f), %s-%s", df$mean, df$sd, age_limit(df$min), age_limit(df$max)
    ),
    ifelse(is.na(df$pct), count, sprintf("%s (%.*f)", count, digits, df$pct))
  )
  if (inherits(x, "equityaudit_suppressed")) {
    cell[age_row & is.na(df$mean) & (is.na(df$n) | df$n > 0)] <- "*"
  }
  row_label <- ifelse(df$missing, paste0(df$variable, ": not known"),
    ifelse(is.na(df$level), df$variable, paste0(df$variable, ": ", df$level))
  )
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
  f <- format(x, ...)
  # one line per row, however wide: a table split across blocks is unreadable
  cells <- rbind(names(f), as.matrix(f))
  cells[is.na(cells)] <- ""
  padded <- vapply(seq_len(ncol(cells)), function(j) {
    w <- max(nchar(cells[, j], type = "width"))
    formatC(cells[, j], width = if (j == 1) -w else w)
  }, character(nrow(cells)))
  writeLines(apply(matrix(padded, nrow(cells)), 1, paste, collapse = "  "))
  invisible(x)
}
