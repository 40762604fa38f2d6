# Choosing and checking the columns an analysis uses: every column argument
# takes bare names or strings alike (or c() of them, or a variable holding
# strings), resolved here against the data.

# The column arguments `args` of a verb, read unevaluated from its frame
# (`frame`, the verb's environment(); `env`, its caller's), as column names
# of `data`, checked: each names columns of the data, none is used twice,
# those in `single` name at most one column and those in `required` at
# least one. Counts and the outcome are single columns.
columns_of <- function(args, data, frame, env, required = character(),
                       single = c("outcome", "events", "total", "weight", "date", "age"),
                       data_arg = "data") {
  cols <- lapply(stats::setNames(args, args), function(a) {
    column_names(eval(call("substitute", as.name(a)), frame), data, env, a)
  })
  for (a in required) {
    if (length(cols[[a]]) == 0) {
      abort_input("argument", sprintf("Give the `%s` column.", a), arg = a)
    }
  }
  for (a in intersect(single, args)) one_column(cols[[a]], a, allow_none = TRUE)
  check_column_args(cols[lengths(cols) > 0], data, data_arg)
  cols
}

one_column <- function(name, arg, allow_none = FALSE) {
  if (length(name) > 1 || (!allow_none && length(name) != 1)) {
    abort_input("argument", sprintf("`%s` must name one column.", arg), arg = arg)
  }
  name
}

check_data_frame <- function(data, arg = "data") {
  if (!is.data.frame(data)) {
    abort_input(
      "argument",
      sprintf(
        "`%s` must be a data frame, not %s.", arg,
        class(data)[[1]]
      ),
      arg = arg
    )
  }
  check_ungrouped(grouping_columns(data), arg)
  invisible(data)
}

check_ungrouped <- function(groups, arg = "data") {
  if (length(groups) > 0) {
    abort_input(
      "argument",
      sprintf(
        paste0(
          "`%s` is grouped by %s, and equityaudit does not use the grouping. ",
          "Give the grouping columns as `by` (e.g. `by = c(%s)`) and pass ",
          "`dplyr::ungroup(%s)`."
        ),
        arg, format_values(groups), paste(groups, collapse = ", "), arg
      ),
      arg = arg, column = groups
    )
  }
}

# The grouping columns of a grouped data frame (dplyr's grouped_df, or any
# data frame with a "groups" attribute in dplyr's layout).
grouping_columns <- function(data) {
  g <- attr(data, "groups", exact = TRUE)
  if (!is.data.frame(g) || ncol(g) < 1) {
    return(character())
  }
  setdiff(names(g), ".rows")
}

# Turns an unevaluated column specification into column names: a bare name,
# a string, c() of those, or an expression that evaluates to a character
# vector in the caller's environment.
column_names <- function(expr, data, env, arg) {
  if (is.null(expr)) {
    return(character())
  }
  if (identical(expr, quote(expr = ))) {
    abort_input(
      "argument",
      sprintf("`%s` is missing: name a column of the data (bare name or string).", arg),
      arg = arg
    )
  }
  if (is.character(expr)) {
    return(expr)
  }
  if (is.symbol(expr)) {
    name <- as.character(expr)
    if (name %in% names(data) || !exists(name, envir = env)) {
      return(name)
    }
    value <- get(name, envir = env)
    if (is.null(value)) {
      return(character())
    }
    return(if (is.character(value)) value else name)
  }
  if (is.call(expr) && identical(expr[[1]], as.name("c"))) {
    return(unlist(lapply(as.list(expr)[-1], column_names,
      data = data, env = env, arg = arg
    )))
  }
  value <- tryCatch(eval(expr, env), error = function(e) e)
  if (is.null(value)) {
    return(character())
  }
  if (!is.character(value)) {
    abort_input(
      "argument",
      sprintf(
        "`%s` must name columns of the data (bare names or strings).",
        arg
      ),
      arg = arg
    )
  }
  value
}

# Checks that every name is one column of data.
check_columns <- function(names, data, arg, data_arg = "data") {
  if (anyNA(names) || any(names == "")) {
    abort_input("argument", sprintf("`%s` contains an empty column name.", arg),
      arg = arg
    )
  }
  absent <- setdiff(names, names(data))
  if (length(absent) > 0) {
    abort_input(
      "column",
      sprintf(
        "`%s` names %s, not %s of `%s`. Columns are: %s.",
        arg, format_values(absent),
        if (length(absent) == 1) "a column" else "columns", data_arg,
        format_values(names(data), max = 10)
      ),
      arg = arg, column = absent
    )
  }
  twice <- names[names %in% names(data)[duplicated(names(data))]]
  if (length(twice) > 0) {
    abort_input(
      "column",
      sprintf(
        "`%s` has more than one column called %s.", data_arg,
        format_values(twice)
      ),
      arg = arg, column = twice
    )
  }
  used_twice <- unique(names[duplicated(names)])
  if (length(used_twice) > 0) {
    abort_input(
      "column",
      sprintf("Column %s is used twice.", format_values(used_twice)),
      arg = arg, column = used_twice
    )
  }
  invisible(names)
}

# Checks the columns of several arguments (a named list of column names),
# naming the argument at fault, then that no column is used twice.
check_column_args <- function(cols, data, data_arg = "data") {
  for (arg in names(cols)) check_columns(cols[[arg]], data, arg, data_arg)
  if (length(cols) > 0) {
    check_columns(unlist(cols, use.names = FALSE), data, names(cols)[[1]], data_arg)
  }
  invisible(cols)
}

# Validates a count or weight vector: numeric, finite, whole, >= 0.
check_counts <- function(w, column, arg) {
  if (!is.numeric(w) || is.object(w)) {
    abort_input(
      "count",
      sprintf(
        "Column `%s` (`%s`) must hold numeric counts, not %s.", column, arg,
        class(w)[[1]]
      ),
      arg = arg, column = column
    )
  }
  if (.Call(ea_first_bad_count, w) > 0) {
    bad <- is.na(w) | !is.finite(w) | w < 0 | w != trunc(w)
    where <- which(bad)
    abort_input(
      "count",
      sprintf(
        paste0(
          "Column `%s` (`%s`) must hold whole, non-negative counts; ",
          "found %s in row%s %s."
        ),
        column, arg, format_values(w[where]),
        if (length(where) > 1) "s" else "", format_values(where)
      ),
      arg = arg, column = column, rows = where
    )
  }
  # doubles hold whole numbers exactly only up to 2^53: a table whose total
  # is beyond it would not add up
  total <- sum(as.double(w))
  if (total > 2^53) {
    abort_input(
      "count",
      sprintf(
        paste0(
          "Column `%s` (`%s`) adds up to %s, more than 2^53 (9,007,199,254,740,992): ",
          "counts that large cannot be held exactly."
        ),
        column, arg, format(total, big.mark = ",", scientific = TRUE, digits = 3)
      ),
      arg = arg, column = column
    )
  }
  invisible(w)
}
