# cmh_test(): the Cochran-Mantel-Haenszel test of group by outcome across
# strata (src/cmh.c), with the Mantel-Haenszel odds ratio.

#' Cochran-Mantel-Haenszel test of group by outcome across strata
#'
#' Tests whether the outcome differs between groups while holding the
#' stratum (for example the service) fixed: the generalized
#' Cochran-Mantel-Haenszel statistic with `(groups - 1)` degrees of freedom,
#' equal to [stats::mantelhaen.test()] (which applies a continuity
#' correction to 2 x 2 x K tables by default; set `correct = TRUE` for it).
#' Strata with fewer than two people are skipped. With many groups and few
#' strata the statistic is solved in time linear in the number of groups.
#'
#' With two groups the Mantel-Haenszel common odds ratio is given with the
#' Robins-Breslow-Greenland interval, as [stats::mantelhaen.test()] reports
#' them: the odds of the event in the second group (in the order of the
#' group's levels) over those in the first.
#'
#' @inheritParams compare_outcomes
#' @param strata The columns whose levels are held fixed.
#' @param correct Continuity correction for 2 x 2 x K tables.
#' @param conf_level Confidence level of the interval of the odds ratio.
#' @return A one-row data frame: `statistic`, `df`, `p_value`,
#'   `strata_used` (the number of strata that inform the test: with people
#'   in at least two groups and with both outcomes), and `odds_ratio`,
#'   `or_low`, `or_high` (`NA` unless there are two groups).
#' @export
#' @examples
#' set.seed(1)
#' people <- data.frame(
#'   service = sample(c("A", "B", "C"), 300, TRUE),
#'   group = sample(c("White", "Black", "Asian"), 300, TRUE),
#'   employed = runif(300) < 0.35
#' )
#' cmh_test(people, group, employed, strata = service)
cmh_test <- function(data, group, outcome = NULL, strata, event = NULL,
                     events = NULL, total = NULL, weight = NULL,
                     correct = FALSE, conf_level = 0.95) {
  if (is_lazy_table(data)) {
    return(lazy_call(
      cmh_test, data, match.call(), parent.frame(),
      c("group", "outcome", "strata"), c("events", "total")
    ))
  }
  check_data_frame(data)
  check_flag(correct, "correct")
  check_conf_level(conf_level)
  env <- parent.frame()
  cols <- list(
    group = one_column(column_names(substitute(group), data, env, "group"), "group"),
    outcome = column_names(substitute(outcome), data, env, "outcome"),
    by = character(),
    strata = column_names(substitute(strata), data, env, "strata"),
    events = column_names(substitute(events), data, env, "events"),
    total = column_names(substitute(total), data, env, "total"),
    weight = column_names(substitute(weight), data, env, "weight")
  )
  arr <- outcome_array(data, cols, event)
  known <- !is.na(arr$info$labels)
  a <- arr$array[known, 1:2, , drop = FALSE]
  a <- a[apply(a, 1, sum) > 0, , , drop = FALSE]
  res <- .Call(ea_cmh, a, dim(a), correct)
  or <- mh_odds_ratio(a, conf_level)
  new_tidy_frame(list(
    statistic = res[[1]], df = res[[2]], p_value = res[[3]],
    strata_used = informative_strata(a), odds_ratio = or[[1]], or_low = or[[2]],
    or_high = or[[3]]
  ))
}

# Mantel-Haenszel common odds ratio of a 2 x 2 x K array [group, c(no
# event, event), stratum] with the Robins-Breslow-Greenland interval, as in
# mantelhaen.test(); NA unless there are two groups.
mh_odds_ratio <- function(a, conf_level) {
  if (dim(a)[[1]] != 2) {
    return(rep(NA_real_, 3))
  }
  x <- matrix(a, 4)
  n <- colSums(x)
  keep <- n > 1
  x <- x[, keep, drop = FALSE]
  n <- n[keep]
  x11 <- x[1, ]
  x21 <- x[2, ]
  x12 <- x[3, ]
  x22 <- x[4, ]
  s_diag <- sum(x11 * x22 / n)
  s_offd <- sum(x12 * x21 / n)
  est <- s_diag / s_offd
  sd <- sqrt(
    sum((x11 + x22) * x11 * x22 / n^2) / (2 * s_diag^2) +
      sum(((x11 + x22) * x12 * x21 + (x12 + x21) * x11 * x22) / n^2) /
        (2 * s_diag * s_offd) +
      sum((x12 + x21) * x12 * x21 / n^2) / (2 * s_offd^2)
  )
  z <- stats::qnorm((1 - conf_level) / 2)
  c(est, est * exp(z * sd), est * exp(-z * sd))
}
