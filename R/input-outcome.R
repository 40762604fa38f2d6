# The outcome side of the input layer: which value is the event (never
# guessed), and counts of people with and without it by group and stratum,
# from record-level data or from columns of event and group counts.

# The column arguments of every verb comparing outcomes.
outcome_args <- c("group", "outcome", "by", "strata", "events", "total", "weight")

# Counts by group, outcome and the `split` columns: a tally (see tally())
# whose array is [group row, c(no event, event, outcome missing), stratum],
# with `event`, a description of the event ("employed = TRUE").
outcome_tally <- function(data, cols, split, event, unknown) {
  if (length(cols$events) + length(cols$total) > 0) {
    return(counted_outcome_tally(data, cols, split, unknown))
  }
  if (length(cols$outcome) != 1) {
    abort_input(
      "argument",
      "Give the `outcome` column (one column), or both `events` and `total`.",
      arg = "outcome"
    )
  }
  tl <- tally(data, cols$group, split, cols$weight,
    inner = cols$outcome, unknown = unknown, key = cols$key
  )
  y <- data[[cols$outcome]]
  levels_y <- tl$inner[[1]]
  is_event <- event_slots(y, levels_y, event, cols$outcome)
  known <- !is.na(levels_y)
  tl <- map_tally(tl, function(a) {
    out <- array(0, c(dim(a)[[1]], 3, dim(a)[[3]]))
    out[, 1, ] <- sum_slots(a, !is_event & known)
    out[, 2, ] <- sum_slots(a, is_event & known)
    out[, 3, ] <- sum_slots(a, !known)
    out
  })
  ev <- levels_y[is_event & known]
  tl$event <- paste(
    cols$outcome, "=",
    if (is.character(ev) || is.factor(ev)) format_values(ev) else paste(ev, collapse = ", ")
  )
  tl
}

# The people of an outcome tally left out of a comparison of the known
# groups, per stratum: those of unknown group and those whose outcome is
# not known.
outcome_left_out <- function(tl) {
  a <- tl$array
  n_s <- dim(a)[[3]]
  unknown <- tl$groups$unknown
  left_out_by_stratum(tl$strata, stats::setNames(
    list(
      colSums(matrix(a[unknown, , ], ncol = n_s)),
      colSums(matrix(a[!unknown, 3, ], ncol = n_s))
    ),
    c(sprintf("`%s` not known", tl$name), "outcome not known")
  ))
}

# Sums arr[, which, ] over its second dimension, as a matrix.
sum_slots <- function(arr, which) {
  d <- dim(arr)
  out <- matrix(0, d[[1]], d[[3]])
  for (j in which(which)) out <- out + arr[, j, ]
  out
}

# The same from columns of events and group sizes (`events`, `total`): one
# pass over the rows twice, once weighted by the events and once by the
# rest.
counted_outcome_tally <- function(data, cols, split, unknown) {
  if (length(cols$events) != 1 || length(cols$total) != 1 || length(cols$outcome) > 0) {
    abort_input(
      "argument",
      "Give either `outcome`, or both `events` and `total` (one column each).",
      arg = "events"
    )
  }
  ev <- data[[cols$events]]
  tot <- data[[cols$total]]
  check_counts(ev, cols$events, "events")
  check_counts(tot, cols$total, "total")
  over <- which(ev > tot)
  if (length(over) > 0) {
    abort_input(
      "count",
      sprintf(
        "Column `%s` (`events`) exceeds `%s` (`total`) in row%s %s.",
        cols$events, cols$total, if (length(over) > 1) "s" else "",
        format_values(over)
      ),
      arg = "events", column = cols$events
    )
  }
  keys <- data[c(cols$group, split)]
  long <- rbind(keys, keys)
  long[[".equityaudit_event"]] <- rep(c(FALSE, TRUE), each = nrow(data))
  long[[".equityaudit_n"]] <- c(tot - ev, ev)
  tl <- tally(long, cols$group, split, ".equityaudit_n",
    inner = ".equityaudit_event", unknown = unknown
  )
  a <- tl$array
  out <- array(0, c(dim(a)[[1]], 3, dim(a)[[3]]))
  out[, 1:2, ] <- a[, 1:2, , drop = FALSE]
  tl$array <- out
  tl$event <- cols$events
  tl
}

# Which outcome levels (values, NA last) are the event.
event_slots <- function(y, values, event, column) {
  if (is.null(event)) {
    # never guessed from level order: only TRUE and 1 are self-evident
    event <- if (is.logical(y)) {
      TRUE
    } else if (is.numeric(y) && !is.object(y) && all(values %in% c(0, 1, NA))) {
      1
    } else {
      abort_input(
        "argument",
        sprintf(
          paste0(
            "Say which value of `%s` is the event with `event` ",
            "(its values are %s), e.g. `event = %s`."
          ),
          column, format_values(values[!is.na(values)]),
          encodeString(as.character(values[!is.na(values)][1]), quote = "\"")
        ),
        arg = "event"
      )
    }
  }
  if (length(event) != 1 || is.na(event)) {
    abort_input("argument", "`event` must be a single value.", arg = "event")
  }
  known <- values[!is.na(values)]
  if (is.character(event)) event <- clean_labels(event)
  if (is.factor(y) || is.character(y)) {
    if (!(as.character(event) %in% c(as.character(known), levels(y)))) {
      abort_input(
        "argument",
        sprintf(
          "`event` is %s, which is not a value of `%s` (%s).",
          format_values(event), column, format_values(known)
        ),
        arg = "event"
      )
    }
    out <- as.character(values) == as.character(event)
  } else {
    out <- values == event
  }
  others <- unique(known[!(out[!is.na(values)] %in% TRUE)])
  if (length(others) > 1) {
    abort_input(
      "column",
      sprintf(
        paste0(
          "Column `%s` (`outcome`) must have two values (the event and one ",
          "other); it has %s. Recode it, or give the event and the rest as ",
          "`events` and `total` counts."
        ),
        column, format_values(known)
      ),
      arg = "outcome", column = column
    )
  }
  out %in% TRUE
}
