# tabulate_groups(): the counting core (tabulate.R, src/tabulate.c) for
# users, one row per combination of groups.

#' Count people by combinations of groups
#'
#' Counts the rows of `data` (or sums a count column) for every combination
#' of the grouping columns, in one pass through compiled code. Missing values
#' are counted as a group of their own, so nobody is dropped.
#'
#' @param data A data frame with one row per person, or one row per group
#'   with a count column named in `weight`.
#' @param ... Grouping columns, as bare names or strings. Factor, character,
#'   logical and integer columns are accepted (and whole-number doubles).
#' @param by Stratifying columns (bare names, strings or `c()` of them);
#'   they come first in the result.
#' @param weight Optional column of counts (whole, non-negative numbers), for
#'   data that are already aggregated, such as a published table.
#' @param complete If `TRUE`, every combination of levels is returned, with
#'   `n = 0` for those that do not occur. Missing values get a row only in
#'   columns that contain any.
#' @param suppress `NULL`, or a rule for [suppress_counts()] applied to the
#'   counts.
#' @return A data frame of class `equityaudit_counts` with one row per
#'   combination present (or every combination with `complete = TRUE`): the
#'   `by` columns, the grouping columns (factors keep their levels in their
#'   order; character columns are sorted) and `n`, the number of people (a
#'   double, so counts beyond 2^31 are exact up to 2^53).
#' @seealso [chisq_strata()] to test the counts.
#' @export
#' @examples
#' people <- data.frame(
#'   service = c("A", "A", "B", "B", "B"),
#'   ethnicity = c("White", NA, "Black", "White", "White")
#' )
#' tabulate_groups(people, ethnicity, by = service)
#' tabulate_groups(people, "ethnicity", complete = TRUE)
tabulate_groups <- function(data, ..., by = NULL, weight = NULL,
                            complete = FALSE, suppress = NULL) {
  withhold_counts(suppress)
  table <- data
  data <- check_data_frame(column_frame(table))
  env <- parent.frame()
  group_exprs <- as.list(substitute(list(...)))[-1]
  groups <- unlist(lapply(group_exprs, column_names,
    data = data, env = env, arg = "..."
  ))
  check_flag(complete, "complete")
  cols <- columns_of(c("by", "weight"), data, environment(), env)
  by <- cols$by
  weight <- cols$weight
  check_column_args(list(by = by, "..." = groups, weight = weight), data)
  if (is_lazy_table(table)) {
    counts <- db_counts(table, c(by, groups), weight = if (length(weight)) weight)
    return(do.call(tabulate_groups, c(
      list(counts), as.list(groups),
      list(by = by, weight = ".n", complete = complete, suppress = suppress)
    )))
  }
  columns <- c(by, groups)
  cc <- count_cells(data, columns,
    weight = if (length(weight)) weight,
    arg = c(rep("by", length(by)), rep("...", length(groups)))
  )
  out <- new_result(cells_frame(cc, columns, complete = complete), "counts", list(
    by = by, group = groups, unknown = character()
  ))
  apply_suppression(out, suppress)
}
