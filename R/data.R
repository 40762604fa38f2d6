#' Published aggregates of the BJPsych IPS equality study
#'
#' The counts published in the cross-sectional study of equality of access
#' and outcome in two London individual placement and support (IPS)
#' services in 2019, in tidy form: one row per service and group, for
#' ethnicity and for gender.
#'
#' Three misprints in the paper are corrected here: Table 1 prints the
#' number of White people using the WWT service as 114, but Table 2, the
#' column totals and the percentages all imply 144 (stored); Table 2 prints
#' the WWT White access rate as 1.6, but 144 / 900 is 16.0 (the rate is
#' computed, not stored); Table 2 prints the WWT Mixed population share as
#' 2.3%, but 61 / 2,192 is 2.8% (again computed from the stored counts).
#' The group sizes of those who joined by 30 June (`n_6m`) are not printed
#' in Table 3 but follow from its percentages (e.g. 18 employed = 39.1% of
#' 46); for WWT "Other" they give 1 person (0 employed), which makes the
#' printed total of 128 add up.
#'
#' @format A data frame with 18 rows and 8 columns:
#' \describe{
#'   \item{service}{IPS service: factor, "CNWL" (Central and North West
#'     London NHS Foundation Trust) or "WWT" (Working Well Trust).}
#'   \item{characteristic}{"ethnicity" or "gender".}
#'   \item{group}{The ethnic group, gender, or "Not known/stated".}
#'   \item{ips_n}{People who accessed IPS between 1 January and 31 December
#'     2019 (Tables 1 and 2).}
#'   \item{population_n}{People using the boroughs' secondary adult
#'     community mental health services (Table 2); not published for
#'     gender.}
#'   \item{employed_all}{Of `ips_n`, people who gained paid work by 31
#'     December 2019 (Table 3); not published for unknown ethnicity.}
#'   \item{n_6m}{People who accessed IPS by 30 June 2019 (at least six
#'     months of support).}
#'   \item{employed_6m}{Of `n_6m`, people employed by 31 December 2019.}
#' }
#' @source BJPsych Bulletin (2021), "Individual placement and support:
#'   cross-sectional study of equality of access and outcome for Black,
#'   Asian and minority ethnic communities", Tables 1 to 3.
#' @seealso [ips_synthetic] for a record-level cohort consistent with it.
#' @examples
#' eth <- subset(bjpsych_published, characteristic == "ethnicity")
#' compare_access(eth, group, eth,
#'   by = service, weight = ips_n,
#'   ref_count = "population_n", unknown = "Not known/stated"
#' )
"bjpsych_published"

#' A synthetic record-level IPS cohort
#'
#' A SYNTHETIC cohort of 779 people, one row each, built so that every
#' figure of the BJPsych IPS equality study that record-level data can carry
#' comes out exactly when the package's functions are run on it. It is NOT
#' the study's data, which are not public: the individual people, ages and
#' dates are invented.
#'
#' Reproduced exactly: the counts by service and ethnicity and by service
#' and gender, the numbers missing, the mean and standard deviation of age
#' (to two decimals) and its range by service and overall (Table 1); the IPS
#' side of Table 2; the employed counts by service and ethnicity for
#' everybody and for those who joined by 30 June, with the six-month group
#' sizes (Table 3); and the chi-square statistics of ethnicity against
#' employment in the text, pooled over both services: 7.62 for men, 2.84 for
#' women, and 1.62, 4.38, 0.50 and 2.93 in the age bands up to 25, 26-40,
#' 41-55 and over 55. How many of the people of unknown ethnicity were
#' employed is not published; the cohort uses 16 of 47 (CNWL) and 6 of 18
#' (WWT), and 5 of 12 and 3 of 7 among those who joined by 30 June.
#'
#' The generator, `data-raw/bjpsych.R` in the package sources, lays down the
#' fixed counts and finds ages and genders by a seeded local search; it
#' checks every target before writing. The same data are shipped as a CSV
#' file, `system.file("extdata", "ips_synthetic.csv", package =
#' "equityaudit")`, to start from a file as with a real extract.
#'
#' @format A data frame with 779 rows and 7 columns:
#' \describe{
#'   \item{id}{Person number.}
#'   \item{service}{"CNWL" or "WWT".}
#'   \item{ethnicity}{Factor with levels "White", "Asian/Asian British",
#'     "Black/Black British", "Mixed" and "Other"; `NA` when not known.}
#'   \item{gender}{"Male" or "Female"; `NA` for one person.}
#'   \item{age}{Age in years.}
#'   \item{date_joined}{Date of accessing the IPS service in 2019.}
#'   \item{employed}{Gained paid work by 31 December 2019.}
#' }
#' @source Synthetic, constructed from the published figures of BJPsych
#'   Bulletin (2021), "Individual placement and support: cross-sectional
#'   study of equality of access and outcome for Black, Asian and minority
#'   ethnic communities".
#' @examples
#' summary(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
"ips_synthetic"

#' Ethnic groups of the 2021 Census of England and Wales
#'
#' The Office for National Statistics' classification of ethnic group used
#' in the 2021 Census of England and Wales: 19 detailed categories in 5
#' broad groups, in the order the ONS publishes them. [collapse_ethnicity()]
#' uses it to map a column of detailed categories to the broad groups.
#'
#' @format A data frame with 19 rows and 3 columns:
#' \describe{
#'   \item{detailed}{Factor: the detailed category, as the ONS words it
#'     (e.g. "Bangladeshi", "English, Welsh, Scottish, Northern Irish or
#'     British").}
#'   \item{broad}{Factor: its broad group, one of "Asian, Asian British or
#'     Asian Welsh"; "Black, Black British, Black Welsh, Caribbean or
#'     African"; "Mixed or Multiple ethnic groups"; "White"; "Other ethnic
#'     group".}
#'   \item{other_labels}{Other wordings of the same category, separated by
#'     "; " (earlier census and NHS data dictionary labels, such as "White
#'     British" or "Any other Asian background"), also recognised by
#'     [collapse_ethnicity()].}
#' }
#' @source Office for National Statistics, "Ethnic group, national identity,
#'   language and religion variables: Census 2021 dictionary"; table TS021.
#'   Built by `data-raw/ons_ethnicity.R` in the package sources.
#' @examples
#' ons_ethnicity_2021
#' table(ons_ethnicity_2021$broad)
"ons_ethnicity_2021"
