# The statistics of describe_cohort(): the rows of each variable, the age
# moments of each stratum (merged from the cells of the by columns), and
# the result.

# The result from the tally of each variable (`tallies`), the tally of the
# strata (`base`) and the age moments of each stratum (`m`, or NULL).
cohort_result <- function(tallies, base, m, cols, pooled) {
  pieces <- lapply(tallies, function(tl) {
    counts <- matrix(tl$array, nrow = length(tl$groups$label))
    if (pooled) counts <- cbind(counts, rowSums(counts))
    cohort_rows(counts, tl)
  })
  if (!is.null(m)) {
    if (pooled) m <- Map(c, m, pool_moments(m))
    pieces[[length(pieces) + 1]] <- age_rows(m, cols$age)
  }
  cohort_frame(pieces, base, cols$by, pooled)
}

# For the cell-key rule: the key sums of the people whose age is known and
# of those whose age is not, per stratum, as the counts of age moments (no
# age is published under the rule).
age_key_sums <- function(data, cols, by, unknown) {
  data[[".equityaudit_age"]] <- factor(ifelse(is.na(data[[cols$age]]), NA, "known"), levels = "known")
  tl <- tally(data, ".equityaudit_age", by, unknown = unknown, key = cols$key)
  k <- matrix(tl$keys, nrow = length(tl$groups$label))
  n_s <- ncol(k)
  none <- rep(NA_real_, n_s)
  list(n = k[1, ], mean = none, sd = none, min = none, max = none, n_missing = k[2, ])
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
  new_result(out, "cohort", list(by = by, unknown_label = tl$unknown_label, unknown = tl$unknown))
}

#' @export
summary.equityaudit_cohort <- function(object, ...) {
  df <- plain_frame(object)
  keep <- df$variable == "people"
  out <- df[keep, c(unit_columns(object), "n"), drop = FALSE]
  names(out)[names(out) == "n"] <- "people"
  new_summary(out)
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
  # percentages of rounded counts: whole numbers
  if (rounds_counts(suppression_of(x))) digits <- 0
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
  s <- suppression_of(x)
  if (!is.null(s)) cat(suppression_footnote(s), "\n", sep = "")
  invisible(x)
}

#' @rdname plot-methods
#' @export
plot.equityaudit_cohort <- function(x, main = "Who used the service, % of those known", ...) {
  check_no_dots(..., fn = "plot")
  d <- cohort_plot_data(x)
  vars <- unique(d$variable)
  if (length(vars) == 0) {
    graphics::plot.new()
    graphics::title(main = main)
    graphics::text(0.5, 0.5, "No categorical variable to draw.")
    return(invisible(x))
  }
  old <- graphics::par(mfrow = c(1, length(vars)), mar = c(8, 4, 3, 1))
  on.exit(graphics::par(old))
  for (v in vars) {
    dv <- d[d$variable == v, , drop = FALSE]
    m <- tapply(dv$pct, list(factor(dv$level, unique(dv$level)), factor(dv$panel, unique(dv$panel))), sum)
    m[is.na(m)] <- 0
    dimnames(m) <- lapply(dimnames(m), short_label, width = 20)
    graphics::barplot(m,
      beside = TRUE, legend.text = rownames(m), las = 2, ylim = c(0, 100),
      ylab = "%", main = v, args.legend = list(cex = 0.7, bty = "n")
    )
  }
  graphics::mtext(main, side = 3, line = -1.2, outer = TRUE, cex = 0.9)
  invisible(x)
}

# The known levels of each variable of a cohort, with their percentages
# (a starred count draws no bar).
cohort_plot_data <- function(x) {
  d <- plain_frame(x)
  keep <- d$variable != "people" & !d$missing & !is.na(d$level) & !is.na(d$pct)
  d <- d[keep, , drop = FALSE]
  data.frame(
    variable = d$variable, level = d$level, pct = d$pct,
    panel = panel_labels(d, attr(x, "by")), stringsAsFactors = FALSE
  )
}

#' @export
suppression_cells.equityaudit_cohort <- function(x) {
  b <- spec_builder()
  d <- unclass(x)
  rows <- seq_along(d$n)
  n <- b$add("shown", rows, "n", d$n)
  stratum <- row_group(x, unit_columns(x))
  is_total <- d$pooled %||% rep(FALSE, length(rows))
  people <- d$variable == "people"
  people_cell <- n[people][match(stratum, stratum[people])]
  # each variable of each stratum: its known levels add up to an implicit
  # total (the percentages' denominator) when it has levels; with the
  # people of unknown value, to the stratum's people
  vr <- !people
  block <- match(paste(stratum, d$variable, sep = "\r"), unique(paste(stratum, d$variable, sep = "\r")))
  known <- vr & !d$missing
  miss <- vr & d$missing
  levelled <- as.vector(tapply(known & !is.na(d$level), factor(block), any))
  levelled <- levelled[block] | as.vector(table(factor(block[known], levels = seq_len(max(block))))[block]) > 1
  first_known <- match(seq_len(max(block)), ifelse(known, block, NA))
  with_total <- unique(block[known & levelled])
  k <- b$add("total", first_known[with_total], paste0("known ", d$variable[first_known[with_total]]),
    as.vector(rowsum(d$n[known], block[known], reorder = TRUE))[match(with_total, sort(unique(block[known])))]
  )
  total_of <- rep(NA_integer_, max(block))
  total_of[with_total] <- k
  b$sums_grouped(total_of, n[known & levelled], block[known & levelled])
  miss_of <- rep(NA_integer_, max(block))
  miss_of[block[miss]] <- n[miss]
  b$sums_rowwise(people_cell[first_known[with_total]], k, miss_of[with_total])
  plain <- setdiff(unique(block[vr]), with_total)
  if (length(plain) > 0) {
    plain_known <- n[known][match(plain, block[known])]
    b$sums_rowwise(people_cell[first_known[plain]], plain_known, miss_of[plain])
  }
  if (any(is_total)) {
    # the pooled stratum: each of its rows, and its known totals, add up
    # those of the other strata
    level_key <- paste(d$variable, d$level, d$missing, sep = "\r")
    totals <- which(is_total)
    b$sums_grouped(n[totals], n[!is_total], match(level_key[!is_total], level_key[totals]))
    k_var <- d$variable[first_known[with_total]]
    k_pooled <- is_total[first_known[with_total]]
    b$sums_grouped(k[k_pooled], k[!k_pooled], match(k_var[!k_pooled], k_var[k_pooled]))
  }
  finish_spec(b)
}

#' @export
republish.equityaudit_cohort <- function(x, p) {
  y <- p$data
  spec <- p$spec
  totals <- p$totals
  r <- p$rule
  den <- shown_denominators(spec, totals)
  rows <- spec$row[den$cell]
  k_of_row <- rep(NA_real_, length(y$n))
  k_of_row[rows] <- den$value
  level_rows <- seq_along(y$n) %in% rows
  y$pct[level_rows] <- 100 * y$n[level_rows] / k_of_row[level_rows]
  y$pct[level_rows & !is.na(k_of_row) & k_of_row == 0] <- NA
  # published precision: a mean to a tenth of a year, whole years for the
  # range (unrounded means of strata and their total would give back the
  # ratio of the strata's sizes)
  if (!is.null(y$mean)) {
    y$mean <- round(y$mean, 1)
    y$sd <- round(y$sd, 1)
    y$min <- floor(y$min)
    y$max <- floor(y$max)
  }
  age <- !is.na(x$mean)
  # the cell-key method perturbs counts only: a mean or range of the same
  # people less one would give an age away, so age is not published
  small_age <- if (identical(r$rule, "cell_key")) {
    which(age)
  } else {
    which(age & (is_small(x$n, r) | is.na(y$n)))
  }
  out <- blank(y, small_age, c("mean", "sd", "min", "max"))
  starred_pct <- which(level_rows & is.na(y$n))
  out$starred$pct <- starred_pct
  out$data$pct[starred_pct] <- NA
  out
}

#' @export
link_description.equityaudit_cohort <- function(x) {
  list(measures = list(main = c(n = "people")), partition = character(), leaves = character())
}

#' @export
key_sum_columns.equityaudit_cohort <- function(x) "n"

#' @export
glance.equityaudit_cohort <- function(x, ...) {
  d <- unclass(x)
  people <- d$variable == "people"
  total <- if (any(d$pooled[people] %in% TRUE)) d$n[people & d$pooled %in% TRUE] else d$n[people]
  glance_row(x, list(
    strata = sum(people & !(d$pooled %in% TRUE)),
    people = if (length(total) == 1) total else sum(total),
    variables = length(setdiff(unique(d$variable), "people"))
  ))
}

# A cohort's places: its strata and, but for the rows of all people, the
# variable of the row with its level (missing for the row of people whose
# value is not known, any known value for a known total or an age row).
#' @export
link_places.equityaudit_cohort <- function(x, spec, idx, link) {
  d <- unclass(x)
  by <- attr(x, "by")
  vars <- setdiff(unique(d$variable), "people")
  cols <- c(by, vars)
  r <- spec$row[idx]
  place <- matrix(NA_character_, length(idx), length(cols), dimnames = list(NULL, cols))
  for (cl in by) place[, cl] <- label_text(d[[cl]][r])
  pooled <- (d$pooled %||% rep(FALSE, length(d$n)))[r] %in% TRUE
  if (any(pooled)) place[pooled, by] <- NA
  variable <- d$variable[r]
  value <- ifelse(d$missing[r] %in% TRUE, missing_mark, ifelse(is.na(d$level[r]), known_mark, d$level[r]))
  # a known total counts the people of any known value of its variable
  total <- spec$kind[idx] == "total"
  variable[total] <- sub("^known ", "", spec$column[idx][total])
  value[total] <- known_mark
  var_rows <- variable != "people"
  place[cbind(which(var_rows), match(variable[var_rows], cols))] <- value[var_rows]
  attr(place, "unknown_row") <- logical(length(idx))
  place
}
