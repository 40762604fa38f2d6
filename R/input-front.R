# The front end of every verb: what it was given, resolved once. The data
# (a data frame of people or of counts, or a database table counted by one
# GROUP BY query), the columns each column argument names, the weights
# (never implicit), the record keys and the reference population. Every
# verb calls verb_input() (and reference_input() when it takes a
# population) first, then counts with tally() (input-groups.R); none
# resolves its arguments another way, and none calls itself again.

# The verb's column arguments `args`, read unevaluated from `frame` (the
# verb's environment) and evaluated in `env` (its caller's), resolved
# against `data`. `summed`: the arguments whose columns are counts (summed
# by a database rather than grouped by), `measured`: those summarised by
# their moments (age), neither grouped by. Returns a verb input:
#   data    the rows: people, or counts in the column `weight`; for a
#           database table, its counts by every grouping column
#   cols    the columns of each argument (character() when not given)
#   weight  the count column of `data`, or NULL: every row is one person
#   key     the column of record keys, or NULL
#   table   the database table, or NULL
verb_input <- function(data, args, frame, env, required = character(),
                       single = c("outcome", "events", "total", "weight", "date", "age", "key"),
                       summed = c("events", "total", "weight", "key"),
                       measured = "age") {
  lazy <- is_lazy_table(data)
  proto <- column_frame(data)
  check_data_frame(proto)
  cols <- columns_of(args, proto, frame, env, required = required, single = single)
  check_weight_given(data, cols)
  check_keys_usable(data, cols, lazy)
  input <- list(data = proto, cols = cols, weight = null_if_empty(cols$weight),
    key = null_if_empty(cols$key), table = NULL
  )
  if (!lazy) {
    input$data <- data
    if (!is.null(input$key)) check_record_keys(data[[input$key]], input$key)
    return(input)
  }
  counts_of <- unlist(cols[intersect(c("events", "total"), names(cols))], use.names = FALSE)
  # strata first, as a reader of the query expects
  split <- intersect(c("by", "strata", "across", "unit"), names(cols))
  grouped <- unique(unlist(cols[c(split, setdiff(names(cols), c(split, summed, measured)))], use.names = FALSE))
  input$data <- db_counts(data, grouped,
    sums = counts_of,
    weight = if (length(counts_of) == 0) input$weight
  )
  if (length(counts_of) == 0) input$weight <- ".n"
  input$table <- data
  input
}

null_if_empty <- function(x) if (length(x) == 0) NULL else x

# A table of counts (tabulate_groups()) counts its people in `n`: without
# `weight`, each of its rows would count as one person.
check_weight_given <- function(data, cols) {
  counted <- length(c(cols$weight, cols$events, cols$total)) > 0
  if (!counted && inherits(data, "equityaudit_counts")) {
    abort_input(
      "argument",
      paste(
        "`data` is a table of counts (from tabulate_groups()): give `weight = n`,",
        "so that each row counts its people rather than one."
      ),
      arg = "weight"
    )
  }
}

# Record keys are per person: one row per person, in memory.
check_keys_usable <- function(data, cols, lazy) {
  if (length(cols$key) == 0) {
    return(invisible())
  }
  if (lazy) {
    abort_input(
      "argument",
      "`key` needs a data frame with one row per person, not a database table.",
      arg = "key"
    )
  }
  if (length(cols$weight) > 0) {
    abort_input(
      "argument",
      "Record keys need one row per person: `key` cannot be used with `weight`.",
      arg = "key"
    )
  }
  if (length(c(cols$events, cols$total)) > 0) {
    abort_input(
      "argument",
      "Record keys need one row per person: `key` cannot be used with `events` and `total`.",
      arg = "key"
    )
  }
}

# Record keys: whole numbers from 1 to the key range, none missing.
check_record_keys <- function(k, column) {
  if (!is.numeric(k) || anyNA(k) || any(k < 1 | k > key_range | k != round(k))) {
    abort_input(
      "column",
      sprintf(
        paste(
          "Column `%s` (`key`) must hold record keys: whole numbers from 1 to %d,",
          "none missing (see `record_keys()`)."
        ),
        column, key_range
      ),
      arg = "key", column = column
    )
  }
}

# The reference population of a verb: a data frame (or a database table,
# counted by the `keys` columns: the group, `by` and `adjust` columns), and
# its counts (`ref_count`, default the column "n") or proportions
# (`ref_prop`), both read unevaluated from `frame` and evaluated in `env`.
# Returns list(reference, value, is_prop, column): the reference as a data
# frame, and its counts or proportions.
reference_input <- function(reference, frame, env, keys, method = "homogeneity") {
  ref_count <- eval(quote(substitute(ref_count)), frame)
  ref_prop <- if (exists("ref_prop", envir = frame, inherits = FALSE)) {
    eval(quote(substitute(ref_prop)), frame)
  }
  if (is_lazy_table(reference)) {
    proto <- lazy_proto(reference)
    if (length(column_names(ref_prop, proto, env, "ref_prop")) > 0) {
      abort_input("argument", "Give proportions (`ref_prop`) in a data frame, not a database table.",
        arg = "ref_prop"
      )
    }
    check_columns(keys, proto, "reference", "reference")
    column <- one_column(column_names(ref_count, proto, env, "ref_count"), "ref_count", TRUE)
    if (length(column) == 0) column <- "n"
    reference <- collect_reference(reference, keys, column, proto)
    ref_count <- column
    ref_prop <- NULL
  }
  c(list(reference = reference), reference_values(reference, ref_count, ref_prop, method, env))
}

# A database table of the population collected: its counts by `keys`,
# summing `column` when it has one (refusing two rows for one group and
# stratum) and counting records otherwise.
collect_reference <- function(table, keys, column, proto) {
  if (!(column %in% names(proto))) {
    return(db_counts(table, keys, count_name = column))
  }
  counts <- db_counts(table, keys, sums = column)
  twice <- which(counts$.n > 1)
  if (length(twice) > 0) {
    abort_input(
      "labels",
      sprintf(
        "The database table `reference` has more than one row for %s (of `%s`).",
        format_values(gsub(
          "\r", ", ", strata_key(counts[twice, keys, drop = FALSE], length(twice))
        )),
        paste(keys, collapse = "`, `")
      ),
      arg = "reference"
    )
  }
  counts[c(keys, column)]
}

# The columns of a verb input, with its count column as counted (".n" for
# the counts of a database table).
input_columns <- function(input) {
  cols <- input$cols
  cols$weight <- input$weight %||% character()
  cols
}
