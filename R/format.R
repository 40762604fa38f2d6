# Results for people to read: every number written as the description of
# its column says (columns.R, utils-numbers.R), with the headings a reader
# understands, estimates with their intervals, and the withheld values
# marked. print(), format(), readable_table(), write_tables() and the report
# all write numbers through readable_values().

#' @rdname format_p
#' @param cols Columns to show, in order; an interval column name
#'   (`"pct_ci"`, `"ratio_ci"`, `"diff_ci"`, `"value_ci"`, ...) shows an
#'   estimate with its interval.
#' @export
readable_table <- function(x, cols = names(x), ...) {
  check_no_dots(..., fn = "readable_table")
  starred <- starred_cells(x)
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  check_table_columns(cols, df)
  spec <- describe_columns(x, cols)
  out <- lapply(seq_along(cols), function(i) {
    col <- cols[[i]]
    if (col %in% names(interval_columns)) {
      return(interval_text(df, interval_columns[[col]]$parts, spec[i, ], starred))
    }
    v <- readable_values(df[[col]], spec[i, ], df, alpha_of(x))
    v[starred[[col]] %||% integer()] <- withheld_mark()
    v
  })
  out <- as.data.frame(stats::setNames(out, cols), stringsAsFactors = FALSE, optional = TRUE)
  names(out) <- spec$heading
  out
}

# Every column asked for is a column of the table, or an interval whose
# columns it has: a misspelt name is an error, never a column left out.
check_table_columns <- function(cols, df) {
  if (!is.character(cols) || anyNA(cols)) {
    abort_input("argument", "`cols` must be column names.", arg = "cols")
  }
  complete <- vapply(interval_columns, function(iv) all(iv$parts[!is.na(iv$parts)] %in% names(df)), TRUE)
  unknown <- setdiff(cols, c(names(df), names(interval_columns)[complete]))
  if (length(unknown) > 0) {
    abort_input(
      "column",
      sprintf(
        "`cols` names %s, not %s of `x`. Its columns are: %s.",
        format_values(unknown), if (length(unknown) == 1) "a column" else "columns",
        format_values(c(names(df), names(interval_columns)[complete]), max = 40)
      ),
      arg = "cols", column = unknown
    )
  }
}

# "estimate (low to high)"; an estimate without both limits is withheld
# ("n/a", or "[x]"), never shown with an empty interval.
interval_text <- function(df, parts, spec, starred) {
  if (nrow(df) == 0) {
    return(character())
  }
  digits_of <- function(v) readable_values(v, spec, df)
  est <- if (is.na(parts[[1]])) rep(0, nrow(df)) else df[[parts[[1]]]]
  lo <- df[[parts[[2]]]]
  hi <- df[[parts[[3]]]]
  limits <- paste(digits_of(lo), "to", digits_of(hi))
  v <- if (is.na(parts[[1]])) limits else paste0(digits_of(est), " (", limits, ")")
  v[is.na(est) | is.na(lo) | is.na(hi)] <- withheld_mark("x")
  v[is.na(est) & !is.na(parts[[1]])] <- ""
  have <- parts[!is.na(parts)]
  v[unique(unlist(starred[have]))] <- withheld_mark()
  v
}

# The values of one column as text, as its description (one row of
# describe_columns()) says: counts whole with thousands separators,
# percentages and points to one decimal, p-values as format_p() writes
# them (never rounded across `alpha`), inequality measures to the decimals
# of their measure (the `measure` column of `df`).
readable_values <- function(v, spec, df = NULL, alpha = 0.05) {
  if (is.factor(v) || is.character(v) || is.logical(v) || !is.numeric(v)) {
    v <- if (is.logical(v)) ifelse(v, "Yes", "No") else as.character(v)
    v[is.na(v)] <- ""
    return(v)
  }
  role <- spec$value_role
  if (role %in% c("label", "flag")) {
    # numbers that label groups (a stratum number): as they are
    out <- format(v, scientific = FALSE, trim = TRUE, drop0trailing = TRUE)
    out[is.na(v)] <- ""
    return(out)
  }
  if (role == "p") {
    return(format_p(pmax(pmin(v, 1), 0), alpha = alpha))
  }
  if (role == "count") {
    return(format_count(v))
  }
  digits <- if (role == "measure" && !is.null(df$measure)) {
    d <- unname(measure_digits[as.character(df$measure)])
    ifelse(is.na(d), 2, d)
  } else {
    spec$digits
  }
  out <- vapply(seq_along(v), function(i) format_stat(v[[i]], digits[[min(i, length(digits))]]), "")
  out[is.na(v)] <- ""
  out
}

# How a value that is not shown is marked: `"c"` a value withheld by the
# suppression rule ("*"), `"x"` one that cannot be computed ("n/a"); with
# options(equityaudit.withheld = "gss"), the Government Statistical
# Service shorthand "[c]" and "[x]".
withheld_mark <- function(what = c("c", "x")) {
  what <- what[[1]]
  style <- getOption("equityaudit.withheld", "star")
  if (!is.character(style) || length(style) != 1 || !style %in% c("star", "gss")) {
    abort_input(
      "argument",
      "`options(equityaudit.withheld =)` must be \"star\" (the default) or \"gss\".",
      arg = "equityaudit.withheld"
    )
  }
  if (style == "gss") {
    return(paste0("[", what, "]"))
  }
  if (what == "c") "*" else "n/a"
}

# The columns `cols` of a data frame with every number written as its
# description says, and the starred cells (a list: column -> rows) as "*"
# (or "[c]": withheld_mark()). Column names are kept: they are what the
# user indexes by. `x` is the result the table belongs to (its kind and
# confidence level decide the descriptions).
readable_frame <- function(df, cols = names(df), starred = list(), x = df) {
  df <- plain_frame(df)
  df <- df[intersect(cols, names(df))]
  spec <- describe_columns(x, names(df))
  alpha <- alpha_of(x)
  for (i in seq_along(df)) {
    col <- names(df)[[i]]
    v <- readable_values(df[[col]], spec[i, ], df, alpha)
    v[starred[[col]] %||% integer()] <- withheld_mark()
    df[[col]] <- v
  }
  df
}
