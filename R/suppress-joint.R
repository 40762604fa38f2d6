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
  for (res in results) check_suppressible(res)
  if (any(vapply(results, inherits, TRUE, "equityaudit_suppressed"))) {
    abort_input("argument", "`x` has already been suppressed.", arg = "x")
  }
  r <- suppression_rule(rule, threshold, round_to)
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
    if (!inherits(x, "data.frame")) class(x) <- "data.frame"
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
  shown <- which(spec$kind == "shown" & spec$column %in% names(measure))
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
      vals[[d$variable[[i]]]] <- if (d$missing[[i]]) "<missing>" else label_of(d$level[[i]])
    }
    group <- attr(x, "group")
    if (!is.null(d$missing) && !inherits(x, "equityaudit_cohort") && d$missing[[i]]) {
      vals[[group]] <- paste0("<missing:", vals[[group]], ">")
    }
    if (startsWith(spec$column[[cell]], "ref_")) {
      vals[[group]] <- d$reference[[i]]
    }
    paste(paste0(names(vals), "=", vals)[order(names(vals))], collapse = "\r")
  }, "")
  data.frame(
    table = rep(table, length(shown)), cell = first + shown,
    measure = unname(measure[spec$column[shown]]), place = place,
    outcome = rep(inherits(x, "equityaudit_outcomes"), length(shown)),
    stringsAsFactors = FALSE
  )
}

label_of <- function(v) if (is.na(v)) "<NA>" else as.character(v)

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

# A cohort's one row of missing values holds every unknown label.
place_matches <- function(want, have) {
  want == have || (want == "<missing>" && startsWith(have, "<missing:"))
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
