# Plain data frames built from lists of columns, without the checks and
# copies of data.frame().

new_tidy_frame <- function(cols) {
  n <- if (length(cols) == 0) 0L else length(cols[[1]])
  structure(cols, class = "data.frame", row.names = .set_row_names(n))
}

# People a verb left out of its analysis: one row per stratum and reason.
# `strata` (a list of stratum columns) and `n` are one element per stratum.
left_out_frame <- function(strata, reason, n) {
  new_tidy_frame(c(strata, list(reason = rep(reason, length(n)), n = as.double(n))))
}

# The same for several reasons: `reasons` is a named list of counts per
# stratum.
left_out_by_stratum <- function(strata, reasons) {
  n_s <- length(reasons[[1]])
  new_tidy_frame(c(
    lapply(strata, function(v) rep(v, times = length(reasons))),
    list(reason = rep(names(reasons), each = n_s), n = as.double(unlist(reasons, use.names = FALSE)))
  ))
}

rbind_left_out <- function(a, b) {
  if (is.null(a) || nrow(a) == 0) {
    return(b)
  }
  if (is.null(b) || nrow(b) == 0) {
    return(a)
  }
  cols <- union(names(a), names(b))
  fill <- function(d) {
    for (cl in setdiff(cols, names(d))) d[[cl]] <- rep(NA, nrow(d))
    d[cols]
  }
  rbind(fill(a), fill(b))
}

# New values for a group column, of its class.
relabel <- function(column, values) {
  if (is.factor(column)) factor(values, levels = levels(column)) else values
}
