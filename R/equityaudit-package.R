#' equityaudit: audit equality of access and outcome
#'
#' Tools for asking whether a service is equally open, and equally
#' effective, for people of every ethnicity, sex and age: stratified
#' counting ([tabulate_groups()]) and chi-square tests by stratum
#' ([chisq_strata()]) computed in a compiled core.
#'
#' @keywords internal
#' @useDynLib equityaudit, .registration = TRUE
#' @importFrom stats pchisq qnorm
#' @importFrom utils head
#' @importFrom graphics plot
"_PACKAGE"
