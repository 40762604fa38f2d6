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
  strata_na <- lapply(strata, is.na)
  strata <- lapply(strata, label_not_known)
  gv <- slot_values(cc$values[[1]])
  list(
    array = sa$array, group_values = gv, labels = as.character(gv),
    strata = strata, strata_na = strata_na,
    key = strata_key(strata, utils::tail(dim(sa$array), 1)),
    inner_values = lapply(cc$values[1 + seq_along(inner)], slot_values)
  )
}

# A stratum whose value is missing is labelled "Not known" (or another
# label no stratum has), as the group of unknown people is.
label_not_known <- function(v) {
  if (!anyNA(v)) {
    return(v)
  }
  if (is.factor(v)) {
    lab <- not_known_label(levels(v))
    levels(v) <- c(levels(v), lab)
    v[is.na(v)] <- lab
    return(v)
  }
  v <- as.character(v)
  v[is.na(v)] <- not_known_label(v)
  v
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

# Strata of a [group, outcome, stratum] array that inform a CMH test: a
# stratum with one group, or one outcome, adds nothing to it.
informative_strata <- function(a) {
  if (length(a) == 0) {
    return(0)
  }
  groups <- apply(a, 3, function(s) sum(rowSums(s) > 0))
  outcomes <- apply(a, 3, function(s) sum(colSums(s) > 0))
  sum(groups >= 2 & outcomes >= 2)
}
