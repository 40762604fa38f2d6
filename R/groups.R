# Counting people by group within strata, shared by the compare_*()
# functions.

# Counts data by c(group, inner, by). Returns the array
# [group (NA last), inner dims..., stratum], the group labels (as character,
# NA last), the strata (a list of by columns) and a key per stratum.
group_counts <- function(data, group, by, weight, inner = character(),
                         arg = "group") {
  cc <- count_cells(data, c(group, inner, by), weight = weight, arg = arg)
  sa <- strata_array(cc, 1 + length(inner))
  strata <- strata_frame(sa$by_slots, cc$values[-seq_len(1 + length(inner))], by)
  gv <- slot_values(cc$values[[1]])
  list(
    array = sa$array, group_values = gv, labels = as.character(gv),
    strata = strata, key = strata_key(strata, utils::tail(dim(sa$array), 1)),
    inner_values = lapply(cc$values[1 + seq_along(inner)], slot_values)
  )
}

strata_key <- function(strata, n) {
  if (length(strata) == 0) {
    return(rep("", n))
  }
  do.call(paste, c(lapply(strata, function(v) {
    ifelse(is.na(v), "\u2205NA", as.character(v))
  }), sep = "\r"))
}

# Which group labels count as missing: NA and the user's `unknown` labels.
is_missing_label <- function(labels, unknown) {
  is.na(labels) | labels %in% unknown
}

# Resolves `missing` handling: returns the label of the merged missing row.
check_unknown <- function(unknown) {
  if (!is.null(unknown) && (!is.character(unknown) || anyNA(unknown))) {
    abort_input("argument", "`unknown` must be a character vector of labels.",
      arg = "unknown"
    )
  }
  unknown
}

check_conf_level <- function(conf_level) {
  if (!is.numeric(conf_level) || length(conf_level) != 1 ||
    is.na(conf_level) || conf_level <= 0 || conf_level >= 1) {
    abort_input("argument", "`conf_level` must be a single number between 0 and 1.",
      arg = "conf_level"
    )
  }
  conf_level
}

one_column <- function(name, arg) {
  if (length(name) != 1) {
    abort_input("argument", sprintf("`%s` must name one column.", arg), arg = arg)
  }
  name
}

# Wilson score interval for k events out of n (percent scale).
wilson_interval <- function(k, n, conf_level) {
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  p <- k / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  list(low = 100 * pmax(0, centre - half), high = 100 * pmin(1, centre + half))
}
