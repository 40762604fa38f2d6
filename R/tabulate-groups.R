# tabulate_groups(): the counting core (tabulate.R, src/tabulate.c) for
# users, one row per combination of groups.

#' Count people by combinations of groups
#'
#' Counts the rows of `data` (or sums a count column, `weight`) for every
#' combination of the `group` columns (factor, character, logical and
#' integer columns, and whole-number doubles), within the `by` columns,
#' which come first in the result, in one pass through compiled code.
#' Missing values are counted as a group of their own, so nobody is
#' dropped. Without `group`, the rows of each `by` stratum are counted.
#'
#' @param complete If `TRUE`, every combination of levels is returned, with
#'   `n = 0` for those that do not occur. Missing values get a row only in
#'   columns that contain any. The default is `TRUE` under a suppression
#'   rule (a combination left out would publish the zero that the rule
#'   hides everywhere else; `complete = FALSE` is refused there) and
#'   `FALSE` otherwise. [suppress_counts()] adds the missing combinations
#'   of a table counted with `complete = FALSE` for the same reason, and
#'   says how many.
#' @inheritParams equityaudit-arguments
#' @return A data frame of class `equityaudit_counts` with one row per
#'   combination present (or every combination with `complete = TRUE`): the
#'   `by` columns, the grouping columns (factors keep their levels in their
#'   order; character columns are sorted, or in the ONS order when they
#'   hold ethnic categories: "Order of groups" in [equityaudit-arguments])
#'   and `n`, the number of people (a
#'   double, so counts beyond 2^31 are exact up to 2^53).
#' @seealso [chisq_strata()] to test the counts.
#' @export
#' @examples
#' people <- data.frame(
#'   service = c("A", "A", "B", "B", "B"),
#'   ethnicity = c("White", NA, "Black", "White", "White")
#' )
#' tabulate_groups(people, ethnicity, by = service)
#' tabulate_groups(people, c(service, ethnicity), complete = TRUE)
tabulate_groups <- function(data, group = NULL, ..., by = NULL, weight = NULL,
                            complete = NULL, suppress = "none") {
  check_no_dots(..., fn = "tabulate_groups")
  withhold_counts(suppress)
  complete <- complete %||% !identical(suppress, "none")
  check_flag(complete, "complete")
  if (!complete && !identical(suppress, "none")) abort_incomplete("complete")
  input <- verb_input(data, c("group", "by", "weight"), environment(), parent.frame(),
    single = "weight"
  )
  cols <- input_columns(input)
  columns <- c(cols$by, cols$group)
  cc <- count_cells(input$data, columns,
    weight = if (length(cols$weight)) cols$weight,
    arg = c(rep("by", length(cols$by)), rep("group", length(cols$group)))
  )
  # ethnic categories in the ONS order, as in every verb (ethnicity_rank())
  cc <- order_ethnic_levels(cc, length(cols$by) + seq_along(cols$group))
  out <- new_result(cells_frame(cc, columns, complete = complete), "counts", list(
    by = cols$by, group = cols$group, unknown = character(), complete = complete
  ))
  apply_suppression(out, suppress)
}

