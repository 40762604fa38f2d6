# The reference population, lined up in one place with the groups and
# strata of a tally (input-groups.R), under the same rule for missing
# values: for compare_access(), compare_services(), compare_periods() and
# the adjusted access analysis.

# The population counts (or proportions) `values` of the rows of
# `reference` as a matrix [group row, stratum] matching the tally `tl`
# (counted by `group` within `split`). Every group and stratum is on at
# most one row of the reference (a repeated row would be summed into the
# population); a group of the reference with anybody in it must be a group
# of the data, and a group with people in a stratum of the data must have a
# row there (the unknown group only when `unknown_needed`); the strata of
# the data must be in the reference (bar the unknown stratum, which is then
# left without a population) and, with `all_strata`, the other way round.
align_reference <- function(reference, tl, group, split, values,
                            unknown_needed = FALSE, all_strata = TRUE) {
  split <- unname(split)
  check_data_frame(reference, "reference")
  check_columns(c(group, split), reference, "reference", "reference")
  raw <- lapply(reference[c(split, group)], blank_to_na)
  check_reference_keys(raw, split, group)
  row <- reference_rows(raw[group], tl)
  check_group_labels(tl, row, raw[group], values)
  n_s <- utils::tail(dim(tl$array), 1)
  data_key <- strata_key(lapply(split, function(s) {
    replace(as.character(tl$strata[[s]]), tl$strata_unknown[[s]], NA)
  }), n_s)
  ref_key <- strata_key(lapply(raw[split], function(v) {
    as.character(fold_values(v, tl$unknown))
  }), nrow(reference))
  col <- match(ref_key, data_key)
  unknown_stratum <- Reduce(`|`, tl$strata_unknown[split], rep(FALSE, n_s))
  only_data <- data_key[!(data_key %in% ref_key) & !unknown_stratum]
  only_ref <- if (all_strata) setdiff(ref_key[is.na(col)], data_key) else character()
  check_labels(only_data, only_ref, split, "strata")
  used <- !is.na(col)
  m <- matrix(0, length(tl$groups$label), n_s)
  cell <- (col[used] - 1) * nrow(m) + row[used]
  m[unique(cell)] <- as.vector(rowsum(values[used], cell, reorder = FALSE))
  present <- matrix(FALSE, nrow(m), n_s)
  present[cell] <- TRUE
  check_group_rows(tl, present, split, group, unknown_needed, unknown_stratum)
  m
}

# The strata of the reference that the data has nobody in (a service with
# eligible people but no users) added to the tally as strata of nobody, so
# that they are shown, with no test, rather than refused as a mismatch.
add_reference_strata <- function(tl, reference, split, unknown) {
  split <- unname(split)
  if (length(split) == 0) {
    return(tl)
  }
  raw <- lapply(reference[split], function(v) fold_values(v, unknown))
  n_s <- utils::tail(dim(tl$array), 1)
  data_key <- tally_strata_key(tl, split)
  ref_key <- strata_key(lapply(raw, as.character), nrow(reference))
  known <- Reduce(`&`, lapply(raw, function(v) !is.na(v)))
  new <- which(known & !duplicated(ref_key) & !(ref_key %in% data_key))
  if (length(new) == 0) {
    return(tl)
  }
  d <- dim(tl$array)
  flat <- matrix(tl$array, ncol = n_s)
  flat <- cbind(flat, matrix(0, nrow(flat), length(new)))
  for (cl in split) {
    tl$strata[[cl]] <- c_values(tl$strata[[cl]], typed_like(tl$strata[[cl]], raw[[cl]][new]))
    tl$strata_unknown[[cl]] <- c(tl$strata_unknown[[cl]], rep(FALSE, length(new)))
  }
  # in the order of the stratum columns, the first varying slowest
  keys <- unlist(lapply(split, function(cl) {
    list(tl$strata_unknown[[cl]], sort_key(tl$strata[[cl]]))
  }), recursive = FALSE)
  ord <- do.call(order, c(keys, list(method = "radix")))
  tl$array <- array(flat[, ord], c(d[-length(d)], n_s + length(new)))
  tl$strata <- lapply(tl$strata, `[`, ord)
  tl$strata_unknown <- lapply(tl$strata_unknown, `[`, ord)
  tl
}

# Values of another column in the type of `v` where they are of it (a
# number in a numeric column), otherwise as text.
typed_like <- function(v, values) {
  if (is.numeric(v) && !is.factor(v)) {
    typed <- suppressWarnings(as.numeric(as.character(values)))
    if (!anyNA(typed)) {
      return(if (is.integer(v)) as.integer(typed) else typed)
    }
  }
  as.character(values)
}

# A key that sorts a stratum column in its order: factor levels, numbers,
# or text in C-locale order.
sort_key <- function(v) {
  if (is.factor(v)) as.integer(v) else v
}

# Values with the `unknown` labels made missing (blank strings are missing
# already).
fold_values <- function(v, unknown) {
  v <- blank_to_na(v)
  if (length(unknown) > 0) v[as.character(v) %in% unknown] <- NA
  v
}

# The tally row of each reference row: its group's row, the unknown row
# when any part is missing or unknown, NA for a label the data does not
# have.
reference_rows <- function(parts, tl) {
  g <- tl$groups
  n_known <- sum(!g$unknown)
  levels <- lapply(g$parts, function(v) unique(as.character(v[!g$unknown])))
  values <- lapply(parts, function(v) as.character(fold_values(v, tl$unknown)))
  missing <- Reduce(`|`, lapply(values, is.na))
  idx <- Map(match, values, levels)
  stride <- rev(cumprod(rev(c(lengths(levels)[-1], 1))))
  row <- Reduce(`+`, Map(function(i, st) (i - 1) * st, idx, stride)) + 1
  row[missing] <- n_known + 1
  row
}

# A group of the reference with anybody in it must be a group of the data,
# and the data's groups with people must be in the reference.
check_group_labels <- function(tl, row, parts, values) {
  g <- tl$groups
  people <- apply(tl$array, 1, sum) > 0
  only_data <- g$label[!g$unknown & people & !(seq_along(g$label) %in% row)]
  absent <- is.na(row) & values > 0
  only_ref <- unique(combined_labels(lapply(parts, function(v) as.character(v[absent]))))
  check_labels(only_data, only_ref, names(parts), "group labels")
}

# Every group with people in a stratum of the data needs a row of the
# reference there.
check_group_rows <- function(tl, present, split, group, unknown_needed, unknown_stratum) {
  g <- tl$groups
  needed <- people_by_stratum(tl) > 0 & !present
  if (!unknown_needed) needed[g$unknown, ] <- FALSE
  needed[, unknown_stratum & colSums(present) == 0] <- FALSE
  absent <- which(needed, arr.ind = TRUE)
  if (nrow(absent) == 0) {
    return(invisible())
  }
  s <- absent[1, 2]
  in_s <- g$label[absent[absent[, 2] == s, 1]]
  abort_input(
    "labels",
    sprintf(
      paste0(
        "In %s, `data` has people in %s of `%s` but `reference` has no row ",
        "for %s there."
      ),
      stratum_label(tl$strata[split], s), format_values(in_s),
      paste(group, collapse = "`, `"), if (length(in_s) == 1) "it" else "them"
    ),
    arg = "reference"
  )
}

# People per group row and stratum of a tally (summing any inner slots).
people_by_stratum <- function(tl) {
  d <- dim(tl$array)
  if (length(d) == 2) {
    return(tl$array)
  }
  inner <- prod(d[-c(1, length(d))])
  a <- array(tl$array, c(d[[1]], inner, d[[length(d)]]))
  out <- matrix(0, d[[1]], d[[length(d)]])
  for (j in seq_len(inner)) out <- out + a[, j, ]
  out
}

# Each stratum and group on one row of the reference.
check_reference_keys <- function(raw, split, group) {
  key <- strata_key(raw, length(raw[[1]]))
  twice <- which(duplicated(key))
  if (length(twice) == 0) {
    return(invisible())
  }
  shown <- gsub("\u2205NA", "NA", gsub("\r", ", ", key[twice]))
  abort_input(
    "labels",
    sprintf(
      paste0(
        "`reference` has more than one row for %s (of `%s`) in row%s %s; ",
        "give one population count per group and stratum."
      ),
      format_values(shown), paste(c(split, group), collapse = "`, `"),
      if (length(twice) > 1) "s" else "", paste(twice, collapse = ", ")
    ),
    arg = "reference", rows = twice
  )
}

check_labels <- function(only_data, only_ref, column, what) {
  if (length(only_data) + length(only_ref) == 0) {
    return(invisible())
  }
  show <- function(x) {
    if (length(x) == 0) {
      return("none")
    }
    format_values(gsub("\u2205NA", "NA", gsub("\r", ", ", x)), max = 10)
  }
  abort_input(
    "labels",
    sprintf(
      paste0(
        "The %s of `%s` differ between `data` and `reference`.\n",
        "Only in data: %s.\nOnly in reference: %s.\n",
        "Check the spelling, or use `unknown` for labels meaning ",
        "\"not known\".%s"
      ),
      what, paste(column, collapse = "`, `"), show(only_data), show(only_ref),
      if (length(only_ref) > 0 && length(only_data) == 0) {
        paste0(
          "\nIf those groups are eligible but nobody in `data` used the service, give `",
          column[[1]], "` as a factor with them among its levels."
        )
      } else {
        ""
      }
    ),
    arg = "reference", only_in_data = only_data, only_in_reference = only_ref
  )
}

# The reference's population: counts (`ref_count`, default the column
# "n") or proportions (`ref_prop`), named by bare names or strings.
reference_values <- function(reference, ref_count, ref_prop, method, env) {
  check_data_frame(reference, "reference")
  ref_count <- one_column(column_names(ref_count, reference, env, "ref_count"), "ref_count", TRUE)
  ref_prop <- one_column(column_names(ref_prop, reference, env, "ref_prop"), "ref_prop", TRUE)
  if (length(ref_count) > 0 && length(ref_prop) > 0) {
    abort_input("argument", "Give `ref_count` or `ref_prop`, not both.", arg = "ref_prop")
  }
  if (length(ref_prop) > 0) {
    check_columns(ref_prop, reference, "ref_prop", "reference")
    v <- reference[[ref_prop]]
    if (!is.numeric(v) || anyNA(v) || any(v < 0 | v > 1)) {
      abort_input(
        "count",
        sprintf("Column `%s` (`ref_prop`) must hold proportions between 0 and 1.", ref_prop),
        arg = "ref_prop", column = ref_prop
      )
    }
    if (method == "homogeneity") {
      abort_input(
        "argument",
        paste0(
          "A reference of proportions allows only ",
          "`method = \"goodness_of_fit\"`; give population counts for the ",
          "homogeneity test."
        ),
        arg = "method"
      )
    }
    return(list(value = as.double(v), is_prop = TRUE, column = ref_prop))
  }
  if (length(ref_count) == 0) ref_count <- "n"
  check_columns(ref_count, reference, "ref_count", "reference")
  check_counts(reference[[ref_count]], ref_count, "ref_count")
  list(value = as.double(reference[[ref_count]]), is_prop = FALSE, column = ref_count)
}

# The reference summed over the columns not in `keep` (such as the
# adjustment columns, for the unadjusted comparison).
collapse_reference <- function(reference, keep, value) {
  raw <- lapply(reference[keep], blank_to_na)
  key <- strata_key(raw, nrow(reference))
  first <- !duplicated(key)
  list(
    reference = reference[first, keep, drop = FALSE],
    value = as.vector(rowsum(value, key, reorder = FALSE))
  )
}

# Proportions must add up to 1 in every stratum (to within rounding).
check_prop_sums <- function(value, strata, by, tol = 0.01) {
  key <- strata_key(lapply(strata, blank_to_na), length(value))
  sums <- tapply(value, key, sum)
  bad <- which(abs(sums - 1) > tol)
  if (length(bad) == 0) {
    return(invisible())
  }
  abort_input(
    "count",
    sprintf(
      paste0(
        "The proportions of `ref_prop` add up to %s%s, not 1; ",
        "give the share of every group (including any unknown group)."
      ),
      paste(signif(unname(sums[bad]), 4), collapse = ", "),
      if (length(by) > 0) paste0(" in ", format_values(gsub("\r", ", ", names(sums)[bad]))) else ""
    ),
    arg = "ref_prop"
  )
}
