# A hierarchy of groups (detailed -> broad) for tables suppressed
# together (suppress_counts(hierarchy =)): the links of suppress-links.R
# give each detailed place its broad group, so that a broad count is the
# sum of its detailed counts.

# Two columns named as group columns of the tables, one broad group for
# every detailed value they show. Returns the checked hierarchy (unique
# rows, as text) or NULL.
check_hierarchy <- function(hierarchy, results) {
  if (is.null(hierarchy)) {
    return(NULL)
  }
  if (!is.data.frame(hierarchy) || ncol(hierarchy) < 2 || nrow(hierarchy) == 0) {
    abort_hierarchy("`hierarchy` must be a data frame of detailed values and their broad groups (two columns).")
  }
  h <- data.frame(
    detailed = as.character(hierarchy[[1]]), broad = as.character(hierarchy[[2]]),
    stringsAsFactors = FALSE
  )
  names(h) <- names(hierarchy)[1:2]
  groups <- lapply(results, function(x) attr(x, "parts") %||% attr(x, "group"))
  for (j in 1:2) {
    if (!any(vapply(groups, function(g) names(h)[[j]] %in% g, TRUE))) {
      abort_hierarchy(sprintf(
        "The %s column of `hierarchy`, `%s`, is a group column of none of the tables in `x`.",
        c("first", "second")[[j]], names(h)[[j]]
      ))
    }
  }
  if (anyNA(h[[1]]) || anyNA(h[[2]])) {
    abort_hierarchy("`hierarchy` has missing values: every detailed value needs its broad group.")
  }
  h <- unique(h)
  twice <- unique(h[[1]][duplicated(h[[1]])])
  if (length(twice) > 0) {
    abort_hierarchy(sprintf("`hierarchy` gives more than one broad group to %s.", format_values(twice)))
  }
  lost <- setdiff(hierarchy_values(results, names(h)[[1]]), h[[1]])
  if (length(lost) > 0) {
    abort_hierarchy(sprintf(
      "`hierarchy` has no broad group for %s of `%s`.", format_values(lost), names(h)[[1]]
    ))
  }
  h
}

# The known values of column `col` the tables show.
hierarchy_values <- function(results, col) {
  unique(unlist(lapply(results, function(x) {
    d <- unclass(x)
    v <- d[[col]]
    if (is.null(v)) {
      return(character())
    }
    known <- !((d$missing %||% rep(FALSE, length(v))) %in% TRUE) & !is.na(v)
    as.character(v[known])
  })))
}

abort_hierarchy <- function(message) abort_input("argument", message, arg = "hierarchy")
