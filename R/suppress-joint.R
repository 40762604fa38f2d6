# Tables published together, suppressed together. The same people are
# counted in several tables of one report (the cohort, access, outcome,
# group, services and periods tables), so a count starred in one must not
# be shown in another, and the sums that tie counts across tables (found
# in suppress-links.R) are sums the reader can use.

suppress_together <- function(results, rule, threshold, round_to, hierarchy = NULL) {
  if (length(results) == 0 || !all(vapply(results, is.data.frame, TRUE))) {
    abort_input("argument", "`x` must be a result, or a list of results.", arg = "x")
  }
  results <- lapply(results, as_suppressible)
  check_same_unknown(results)
  hierarchy <- check_hierarchy(hierarchy, results)
  r <- suppression_rule(rule, threshold, round_to)
  results <- align_shapes(results)
  specs <- lapply(results, count_spec)
  joint <- joint_spec(results, specs, hierarchy)
  # (a sum with a count the tables do not give, NA, cannot be checked)
  if (!sums_hold(joint$sums, joint$value) || any(joint$value < 0, na.rm = TRUE)) {
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
  # disclosure_check() links them the same way
  if (!is.null(hierarchy)) out <- lapply(out, set_suppression, hierarchy = hierarchy)
  out
}

# Tables suppressed together count the same people under the same rule for
# unknown values: a label that one calls unknown and another tests as a
# group would make their counts disagree.
check_same_unknown <- function(results) {
  unknown <- lapply(results, function(x) attr(x, "unknown") %||% attr(x, "options")$unknown)
  given <- !vapply(unknown, is.null, TRUE)
  sets <- unique(lapply(unknown[given], function(u) sort(unique(u))))
  if (length(sets) > 1) {
    shown <- vapply(sets, function(u) if (length(u)) format_values(u) else "none", "")
    abort_input(
      "argument",
      sprintf(
        paste(
          "The results in `x` were computed with different `unknown` labels (%s):",
          "compute them with the same `unknown` and suppress them together."
        ),
        paste(shown, collapse = "; ")
      ),
      arg = "x"
    )
  }
  invisible(results)
}

# The specs one after the other, with the sums that link them (and the
# hierarchy of groups, if any: see suppress-links.R).
joint_spec <- function(results, specs, hierarchy = NULL) {
  sizes <- vapply(specs, function(s) length(s$value), 1L)
  first <- c(0L, cumsum(sizes)[-length(sizes)])
  field <- function(f) unlist(lapply(specs, `[[`, f), use.names = FALSE)
  joint <- list(
    kind = field("kind"), row = field("row"), column = field("column"),
    value = field("value"), table = field("table"), whole = field("whole"),
    sums = sums_bind(lapply(specs, `[[`, "sums"), first)
  )
  lc <- link_cells(results, specs, first, hierarchy)
  # people of combinations with an unknown part, then the people a table
  # leaves out of a place another shows: hidden counts
  combos <- combination_atoms(lc, length(joint$value))
  joint <- add_hidden(joint, combos)
  links <- linking_sums(combos$lc, joint$value, length(joint$value))
  joint <- add_hidden(joint, links)
  joint$first <- first
  joint
}

# Hidden counts between tables (list(value, column) in `more$extra`) and
# their sums added to the joint spec.
add_hidden <- function(joint, more) {
  n_extra <- length(more$extra$value)
  joint$sums <- sums_bind(list(joint$sums, more$sums))
  joint$kind <- c(joint$kind, rep("hidden", n_extra))
  joint$row <- c(joint$row, rep(NA_integer_, n_extra))
  joint$whole <- c(joint$whole, rep(TRUE, n_extra))
  joint$column <- c(joint$column, more$extra$column)
  joint$value <- c(joint$value, more$extra$value)
  joint$table <- c(joint$table, rep("links", n_extra))
  joint
}

