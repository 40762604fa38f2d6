#' A synthetic eligible population by ethnicity, age band and gender
#'
#' A SYNTHETIC table of the people eligible for the two IPS services of the
#' BJPsych study (users of the boroughs' secondary adult community mental
#' health services in 2019), by service, ethnicity, age band and gender, for
#' age-sex adjusted comparisons of access (`compare_access(..., adjust =
#' c(age_band, gender))`).
#'
#' Only the counts by service and ethnicity are published (Table 2 of the
#' paper, `population_n` of [bjpsych_published]); every one of them is
#' reproduced exactly. How they split by age and gender is NOT published:
#' the split here is an assumption made for illustration (an age mix and a
#' share of men for each ethnic group, the same in both services: younger
#' and more often male for the Black/Black British and Mixed groups, older
#' for the White group), rounded so that the published counts add up.
#' Conclusions drawn from the adjusted analysis are therefore about this
#' assumption, not about the real services. The generator is
#' `data-raw/population.R` in the package sources.
#'
#' @format A data frame with 96 rows and 5 columns:
#' \describe{
#'   \item{service}{"CNWL" or "WWT".}
#'   \item{ethnicity}{Factor: the five ethnic groups and "Not known/stated".}
#'   \item{age_band}{Ordered factor with the bands of [age_band()]: "up to
#'     25", "26-40", "41-55", "over 55".}
#'   \item{gender}{"Male" or "Female".}
#'   \item{n}{People eligible.}
#' }
#' @source Synthetic; margins by service and ethnicity from BJPsych Bulletin
#'   (2021), Table 2.
#' @seealso [adjustment], [ips_synthetic].
#' @examples
#' aggregate(n ~ service + ethnicity, ips_population, sum)
"ips_population"
