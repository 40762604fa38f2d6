# Tables published together, suppressed together. The same people are
# counted in several tables of one report (the cohort, access, outcome and
# group tables), so a count starred in one must not be shown in another,
# and the sums that tie counts across tables are sums the reader can use.
# Each count cell is described by what it counts (people, people with a
# known outcome, events, people with the outcome missing) and where (the
# values of the columns that define its row); equal descriptions are one
# count, and the rows of an outcome table, which cover everybody, add up
# to the people of any row of another table that they fall within.

suppress_together <- function(results, rule, threshold, round_to) {
  if (length(results) == 0 || !all(vapply(results, is.data.frame, TRUE))) {
    abort_input("argument", "`x` must be a result, or a list of results.", arg = "x")
  }
  results <- lapply(results, as_suppressible)
  r <- suppression_rule(rule, threshold, round_to)
  results <- align_shapes(results)
  specs <- lapply(results, count_spec)
  joint <- joint_spec(results, specs)
  holds <- vapply(joint$cons, function(con) {
    isTRUE(all.equal(joint$value[[con[[1]]]], sum(joint$value[con[-1]])))
  }, TRUE)
  if (!all(holds)) {
    abort_input(
      "argument",
      paste(
        "The results in `x` do not count the same people: suppress results",
        "of one data set, computed with the same `unknown` labels, together."
      ),
      arg = "x"
    )
  }
  res <- protect_cells(joint, r)
  out <- Map(function(x, spec, first) {
    cells <- first + seq_along(spec$value)
    publish_cells(x, spec, lapply(res, function(v) v[cells]), r)
  }, results, specs, joint$first)
  names(out) <- names(results)
  out
}

# The specs one after the other, with the sums that link them.
joint_spec <- function(results, specs) {
  sizes <- vapply(specs, function(s) length(s$value), 1L)
  first <- c(0L, cumsum(sizes)[-length(sizes)])
  joint <- list(
    kind = unlist(lapply(specs, `[[`, "kind")),
    row = unlist(lapply(specs, `[[`, "row")),
    column = unlist(lapply(specs, `[[`, "column")),
    value = unlist(lapply(specs, `[[`, "value")),
    table = unlist(lapply(specs, `[[`, "table")),
    cons = unlist(Map(function(s, f) lapply(s$cons, `+`, f), specs, first),
      recursive = FALSE
    )
  )
  cells <- do.call(rbind, Map(function(x, s, f, t) {
    described_cells(x, s, f, t)
  }, results, specs, first, seq_along(results)))
  joint$cons <- c(joint$cons, linking_sums(cells, results))
  joint$first <- first
  joint
}

# What each count cell of one result counts: measure, table, the joint
# cell number, and its row's defining values as "column=value" strings.
described_cells <- function(x, spec, first, table) {
  d <- unclass(x)
  measure <- c(
    n = "people", events = "events", ref_n = "known", ref_events = "events",
    n_outcome_missing = "outcome_missing"
  )
  if (inherits(x, c("equityaudit_outcomes", "equityaudit_groups"))) measure[["n"]] <- "known"
  if (inherits(x, "equityaudit_access")) measure <- measure["n"]
  if (inherits(x, "equityaudit_groups") && identical(d$reference[1], "rest")) {
    measure <- measure[c("n", "events")] # the rest is no one group
  }
  shown <- which(spec$kind == "shown" & spec$table == "main" & spec$column %in% names(measure))
  if (inherits(x, "equityaudit_cohort")) {
    cols <- attr(x, "by")
  } else if (inherits(x, c("equityaudit_access", "equityaudit_outcomes", "equityaudit_groups"))) {
    cols <- c(attr(x, "by"), attr(x, "group"))
  } else {
    cols <- setdiff(names(d)[!vapply(d, is.numeric, TRUE)], "missing")
  }
  place <- vapply(shown, function(cell) {
    i <- spec$row[[cell]]
    vals <- vapply(cols, function(cl) label_of(d[[cl]][[i]]), "")
    if (inherits(x, "equityaudit_cohort") && d$variable[[i]] != "people") {
      v <- d$variable[[i]]
      vals[[v]] <- if (d$missing[[i]]) {
        paste0("<missing>", cohort_missing_label(d, v, x))
      } else {
        label_of(d$level[[i]])
      }
    }
    group <- attr(x, "group")
    if (!is.null(d$missing) && !inherits(x, "equityaudit_cohort") && d$missing[[i]]) {
      vals[[group]] <- paste0("<missing:", vals[[group]], ">")
    }
    if (startsWith(spec$column[[cell]], "ref_")) {
      vals[[group]] <- d$reference[[i]]
    }
    place_key(vals)
  }, "")
  totals <- described_totals(x, spec, cols)
  n_cells <- length(shown) + length(totals$cell)
  data.frame(
    table = rep(table, n_cells),
    cell = first + c(shown, totals$cell),
    measure = c(unname(measure[spec$column[shown]]), rep("people", length(totals$cell))),
    place = c(place, totals$place),
    outcome = rep(inherits(x, "equityaudit_outcomes"), n_cells),
    stringsAsFactors = FALSE
  )
}

# The implicit totals that count people too: in a cohort, the people of
# known value of a variable in a stratum; in an access table, the people
# of a stratum (its percentages' denominator, with the unknown group) and
# those of known group.
described_totals <- function(x, spec, cols) {
  none <- list(cell = integer(), place = character())
  if (!inherits(x, c("equityaudit_cohort", "equityaudit_access"))) {
    return(none)
  }
  d <- unclass(x)
  cells <- which(spec$kind == "total" & !startsWith(spec$column, "ref_n"))
  if (inherits(x, "equityaudit_access")) cols <- attr(x, "by")
  place <- vapply(cells, function(cell) {
    i <- total_row(spec, cell)
    if (is.na(i)) {
      return(NA_character_)
    }
    vals <- vapply(cols, function(cl) label_of(d[[cl]][[i]]), "")
    col <- spec$column[[cell]]
    if (inherits(x, "equityaudit_cohort")) {
      v <- sub("^known ", "", col)
      vals[[v]] <- paste0("<known>", cohort_missing_label(d, v, x))
    } else if (col == "n known" && !identical(attr(x, "missing_rule"), "include")) {
      vals[[attr(x, "group")]] <- paste0("<known>", attr(x, "unknown_label"))
    }
    place_key(vals)
  }, "")
  list(cell = cells[!is.na(place)], place = place[!is.na(place)])
}

# A row that an implicit total covers (through the sum it is the total of).
total_row <- function(spec, cell) {
  for (con in spec$cons) {
    if (con[[1]] != cell) next
    parts <- con[-1]
    shown <- parts[spec$kind[parts] == "shown"]
    return(if (length(shown) > 0) spec$row[[shown[[1]]]] else total_row(spec, parts[[1]]))
  }
  NA_integer_
}

# How another table labels the people whose value of cohort variable v is
# missing, when v is one of its strata: the label of the cohort's row of
# them (age has none: the cohort's label of unknown values).
cohort_missing_label <- function(d, v, x) {
  lab <- d$level[d$variable == v & d$missing]
  if (length(lab) == 0 || is.na(lab[[1]])) attr(x, "unknown_label") else lab[[1]]
}

label_of <- function(v) if (is.na(v)) "<NA>" else as.character(v)

# A row's defining values as one key: "column=value" pairs in column order.
place_key <- function(vals) {
  paste(paste0(names(vals), "=", vals)[order(names(vals))], collapse = "\r")
}

# Equal descriptions are one count (one sum per pair; within one table they
# are the reference group's counts, repeated on each row); the people of a row equal the known and missing outcomes of the
# outcome-table rows within it.
linking_sums <- function(cells, results) {
  cons <- list()
  key <- paste(cells$measure, cells$place, sep = "\n")
  for (k in unique(key)) {
    same <- which(key == k)
    for (j in same[-1]) cons[[length(cons) + 1]] <- c(cells$cell[same[[1]]], cells$cell[[j]])
  }
  people <- which(cells$measure == "people")
  parts <- which(cells$outcome & cells$measure %in% c("known", "outcome_missing"))
  if (length(people) == 0 || length(parts) == 0) {
    return(cons)
  }
  part_pairs <- lapply(strsplit(cells$place[parts], "\r"), place_values)
  for (p in people) {
    want <- place_values(strsplit(cells$place[[p]], "\r")[[1]])
    inside <- vapply(part_pairs, function(have) {
      all(names(want) %in% names(have)) &&
        all(mapply(place_matches, want, have[names(want)]))
    }, TRUE)
    if (any(inside)) cons[[length(cons) + 1]] <- c(cells$cell[[p]], cells$cell[parts[inside]])
  }
  cons
}

place_values <- function(pairs) {
  if (length(pairs) == 0 || identical(pairs, "")) {
    return(character())
  }
  eq <- regexpr("=", pairs, fixed = TRUE)
  stats::setNames(substring(pairs, eq + 1), substring(pairs, 1, eq - 1))
}

# A cohort's one row of missing values holds every unknown label of the
# group, or the "Not known" stratum of another table ("<missing>" and that
# label); its implicit total of known values, the others ("<known>" and
# the label).
place_matches <- function(want, have) {
  if (want == have) {
    return(TRUE)
  }
  if (startsWith(want, "<missing>")) {
    return(startsWith(have, "<missing:") || have == substring(want, 10))
  }
  if (startsWith(want, "<known>")) {
    return(!startsWith(have, "<missing:") && have != substring(want, 8))
  }
  FALSE
}

# disclosure_check() of tables published together.
disclosure_check_together <- function(x, exact) {
  if (!all(vapply(x, inherits, TRUE, "equityaudit_suppressed"))) {
    abort_input(
      "argument",
      "Every table in `x` must be a result of `suppress_counts()`.",
      arg = "x"
    )
  }
  s <- attr(x[[1]], "suppression")
  specs <- lapply(x, function(t) count_spec(t, totals = attr(t, "suppression")$totals))
  joint <- joint_spec(x, specs)
  checks <- cell_check(joint, s, exact)
  table <- findInterval(checks$cell, joint$first + 1)
  names_of <- names(x) %||% as.character(seq_along(x))
  out <- lapply(seq_along(x), function(t) {
    mine <- checks[table == t, , drop = FALSE]
    mine$cell <- mine$cell - joint$first[[t]]
    check_frame(x[[t]], specs[[t]], mine)
  })
  out <- Map(function(o, nm) cbind(table = rep(nm, nrow(o)), o, stringsAsFactors = FALSE), out, names_of)
  keep <- c("table", "row", "column", "kind", "low", "high", "exact_range", "disclosed")
  out <- new_tidy_frame(lapply(stats::setNames(keep, keep), function(cl) {
    do.call(c, lapply(out, `[[`, cl))
  }))
  attr(out, "protected") <- !any(out$disclosed)
  out
}
