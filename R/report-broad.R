# The report's broad groups: when the group column holds detailed ethnic
# categories (ONS 2021 or NHS wordings), the report publishes the broad
# groups of collapse_ethnicity() beside them (access, outcomes and the
# comparisons), suppressed together with the detail through a hierarchy
# (suppress_counts(hierarchy =)), so that a broad count is the sum of its
# detailed counts and no hidden detailed count can be narrowed from the
# broad tables. Under a threshold rule the detail is mostly hidden in a
# trust's data (19 categories by site); the broad groups say what can be
# said.

# The broad groups of the report's data: NULL when they do not apply (no
# threshold rule, a database table, a group column that is not detailed
# ethnic categories, combined groups), otherwise the data with a column of
# broad groups (`column`), the hierarchy of detailed values to broad
# groups, and the function that maps values (for the reference).
report_broad <- function(data, cols, unknown, suppress) {
  group <- cols$group
  if (!suppress %in% c("nhs_digital", "opensafely") || is_lazy_table(data) ||
    length(group) != 1 || length(cols$strata) > 0) {
    return(NULL)
  }
  v <- data[[group]]
  if (!is.character(v)) {
    return(NULL)
  }
  values <- unique(v)
  # the known values, "Not stated" among them (a group of its own in every
  # table, the same at both levels) unless `unknown` names it
  known <- values[!is.na(blank_to_na(values)) & !values %in% unknown]
  to_broad <- function(x) {
    b <- suppressWarnings(as.character(collapse_ethnicity(x, "broad", unknown = unknown)))
    ifelse(is.na(b), x, b)
  }
  broad <- to_broad(known)
  detailed <- !is.na(ethnicity_rank(known)) & broad != known
  if (length(known) == 0 || !all(!is.na(ethnicity_rank(known))) ||
    length(unique(broad)) >= length(known) || !any(detailed)) {
    return(NULL)
  }
  column <- report_broad_name(group, names(data))
  data[[column]] <- to_broad(v)
  hierarchy <- unique(data.frame(known, broad, stringsAsFactors = FALSE))
  names(hierarchy) <- c(group, column)
  list(data = data, column = column, hierarchy = hierarchy, to_broad = to_broad)
}

# The broad groups' column: "broad_" before the group column's name, made
# unique among the data's columns.
report_broad_name <- function(group, taken) {
  name <- paste0("broad_", group)
  while (name %in% taken) name <- paste0(name, "_")
  name
}

# The broad tables: access (with a reference of counts, summed over the
# detailed groups and every other column but the places), outcomes and the
# comparisons with the largest group; named `*_broad`.
report_broad_tables <- function(b, cols, ref, event, unknown) {
  data <- b$data
  out <- list()
  if (!is.null(ref) && !ref$is_prop) {
    reference <- broad_reference(b, ref, cols$group)$reference
    keys <- c(b$column, cols$by)
    counts <- stats::aggregate(list(n = ref$value), reference[keys], sum)
    out$access_broad <- compare_access(data, b$column, counts,
      by = cols$by, unknown = unknown, weight = cols$weight, ref_count = "n"
    )
  }
  out$outcomes_broad <- compare_outcomes(data, b$column, cols$outcome,
    by = cols$by, event = event, unknown = unknown, weight = cols$weight
  )
  out$groups_broad <- compare_groups(data, b$column, cols$outcome,
    by = cols$by, event = event, unknown = unknown, weight = cols$weight
  )
  out
}

# The reference `ref` of report_input() with a column of broad groups.
broad_reference <- function(b, ref, group) {
  if (is.null(ref)) {
    return(NULL)
  }
  ref$reference[[b$column]] <- b$to_broad(as.character(ref$reference[[group]]))
  ref
}

# The report's section of broad groups (none without them).
report_broad_section <- function(r) {
  t <- r$tables
  if (is.null(t$outcomes_broad)) {
    return("")
  }
  s <- r$settings
  o <- t$outcomes_broad
  g <- t$groups_broad
  broad <- attr(o, "group")[[1]]
  units <- s$by
  section(
    "Broad ethnic groups",
    "With ", format_count(length(unique(r$broad$hierarchy[[1]]))), " detailed categories, many ",
    "counts above are too small to publish. The same people in the ",
    format_count(length(unique(r$broad$hierarchy[[2]]))), " broad groups of the ONS 2021 ",
    "classification (each the sum of its detailed categories; \"Not stated\" and \"Not ",
    "known\" as above), suppressed together with the detailed tables, so that no hidden ",
    "detailed count can be worked out from them. Statements in the main findings say which ",
    "level they use.\n\n",
    if (!is.null(t$access_broad)) {
      a <- t$access_broad
      paste0(md_table(
        readable_table(a, c(units, broad, "n", "pct", "ref_n", "ref_pct", "ratio_ci", "verdict")),
        table_title(a), length(units) + 1
      ), "\n\n")
    } else {
      ""
    },
    md_table(
      readable_table(o, c(units, broad, "n", "events", "pct_ci")),
      table_title(o), length(units) + 1
    ),
    "\n\n",
    md_table(
      readable_table(g[!is.na(unclass(g)$difference), ], c(units, broad, "reference", "n", "pct", "ref_pct", "diff_ci", "verdict")),
      table_title(g), length(units) + 1
    )
  )
}
