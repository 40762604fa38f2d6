#' equityaudit: audit equality of access and outcome
#'
#' Tools for asking whether a service is equally open, and equally
#' effective, for people of every ethnicity, sex and age: stratified
#' counting ([tabulate_groups()]) and chi-square tests by stratum
#' ([chisq_strata()]) computed in a compiled core.
#'
#' @section Options:
#' * `equityaudit.threads`: how many threads the compiled core uses to
#'   count records and to compute the chi-square statistics of many strata
#'   (default 2). It is never more than the environment variable
#'   `OMP_THREAD_LIMIT` allows, and a build without OpenMP uses one. The
#'   results are the same for any number of threads.
#' * `equityaudit.progress`: `FALSE` turns off the progress bar of long
#'   simulations in interactive sessions.
#' * `equityaudit.solver`: the integer-programming solver of the
#'   disclosure checks (see [disclosure_check()]).
#'
#' @keywords internal
#' @useDynLib equityaudit, .registration = TRUE
#' @importFrom stats pchisq qnorm
#' @importFrom utils head
#' @importFrom graphics plot
"_PACKAGE"
