# Reproducing the BJPsych IPS equality study, statistic by statistic.

# Every statistic the paper publishes that the package recomputes: where
# it is printed, the printed value, its decimals, whether it is an upper
# bound ("P < 0.01"), and for the figures that disagree with the paper's own
# numbers, the value those numbers imply and why.
bjpsych_targets <- function() {
  row <- function(source, statistic, published, digits = 2, bound = FALSE,
                  implied = NA_real_, note = "") {
    data.frame(
      source = source, statistic = statistic, published = published,
      digits = digits, bound = bound, implied = implied, note = note,
      stringsAsFactors = FALSE
    )
  }
  homogeneity <- "2 x k homogeneity test (the paper says goodness of fit)"
  p_slip <- "printed P does not follow from the printed X2 with 4 df"
  rbind(
    row("Table 2", "Access X2, CNWL", 22.05, note = homogeneity),
    row("Table 2", "Access P, CNWL", 0.01, bound = TRUE),
    row("Table 2", "Access X2, WWT", 34.22, note = homogeneity),
    row("Table 2", "Access P, WWT", 0.01, bound = TRUE),
    row("Text", "Black/Black British representation ratio, CNWL", 1.52),
    row("Text", "Black/Black British representation ratio, WWT", 1.52,
      implied = 1.53,
      note = "'52% greater' uses the rounded shares 18.0 / 11.8; the counts give 1.528"
    ),
    row("Text", "Gender access X2, CNWL", 2.61,
      note = "population gender counts not published"
    ),
    row("Text", "Gender access X2, WWT", 0.14,
      note = "population gender counts not published"
    ),
    row("Table 3", "Outcome X2, all, CNWL", 2.50),
    row("Table 3", "Outcome P, all, CNWL", 0.64),
    row("Table 3", "Outcome X2, all, WWT", 1.76),
    row("Table 3", "Outcome P, all, WWT", 0.78),
    row("Table 3", "Outcome X2, all, Total", 1.46),
    row("Table 3", "Outcome P, all, Total", 0.84, implied = 0.83, note = p_slip),
    row("Table 3", "Employed %, all, CNWL", 38.6, 1),
    row("Table 3", "Employed %, all, WWT", 30.7, 1),
    row("Table 3", "Employed %, all, Total", 34.7, 1),
    row("Table 3", "Outcome X2, 6 months, CNWL", 5.66,
      implied = 5.67,
      note = "the counts give 5.6665"
    ),
    row("Table 3", "Outcome P, 6 months, CNWL", 0.22, implied = 0.23, note = p_slip),
    row("Table 3", "Outcome X2, 6 months, WWT", 2.78),
    row("Table 3", "Outcome P, 6 months, WWT", 0.59),
    row("Table 3", "Outcome X2, 6 months, Total", 1.43),
    row("Table 3", "Outcome P, 6 months, Total", 0.84),
    row("Table 3", "Employed %, 6 months, CNWL", 43.3, 1),
    row("Table 3", "Employed %, 6 months, WWT", 42.2, 1),
    row("Table 3", "Employed %, 6 months, Total", 42.7, 1),
    row("Text", "Outcome X2, men", 7.62),
    row("Text", "Outcome P, men", 0.11),
    row("Text", "Outcome X2, women", 2.84),
    row("Text", "Outcome P, women", 0.59),
    row("Text", "Outcome X2, age up to 25", 1.62),
    row("Text", "Outcome P, age up to 25", 0.81,
      implied = 0.80,
      note = "X2 = 1.62 gives P = 0.805, which rounds either way"
    ),
    row("Text", "Outcome X2, age 26-40", 4.38),
    row("Text", "Outcome P, age 26-40", 0.38, implied = 0.36, note = p_slip),
    row("Text", "Outcome X2, age 41-55", 0.50),
    row("Text", "Outcome P, age 41-55", 0.97),
    row("Text", "Outcome X2, age over 55", 2.93),
    row("Text", "Outcome P, age over 55", 0.60, implied = 0.57, note = p_slip)
  )
}

#' Reproduce the published statistics of the BJPsych IPS study
#'
#' Recomputes, with the package's own functions, every chi-square
#' statistic, p-value and key percentage that the study publishes, and sets
#' them beside the printed values. With `data = NULL` the tables are
#' computed from the published counts ([bjpsych_published]); the tests in
#' men, women and age bands need record-level data and are then `NA`. Given
#' a record-level cohort with the columns of [ips_synthetic] (for example
#' that data set, or the CSV file shipped with the package), everything is
#' computed from the records, with the population side of Table 2 taken
#' from [bjpsych_published].
#'
#' Some published figures disagree with the paper's own numbers (a
#' statistic printed as 5.66 where the counts give 5.6665, p-values that do
#' not follow from the printed statistics, a ratio computed from rounded
#' percentages). For those the result compares the recomputed value with
#' the value the paper's numbers imply, and says so in `note`. The
#' population's gender split is not published, so the gender access tests
#' cannot be recomputed.
#'
#' @inheritParams equityaudit-arguments
#' @return A data frame with one row per published statistic: `source`
#'   (table or text), `statistic`, `published`, `reproduced` (rounded as
#'   published), `status` (`"reproduced"`; `"misprint"` when the published
#'   figure disagrees with the paper's own numbers and the recomputed value
#'   equals what they imply; `"not computable"` from this input; or
#'   `"differs"`), `match` (`TRUE` for the first two, `NA` for the third) and
#'   `note`.
#' @export
#' @examples
#' reproduce_bjpsych()
reproduce_bjpsych <- function(data = NULL, ...) {
  check_no_dots(..., fn = "reproduce_bjpsych")
  cohort <- data
  pub <- equityaudit::bjpsych_published
  eth <- pub[pub$characteristic == "ethnicity", ]
  eth$group <- droplevels(eth$group)
  population <- eth[c("service", "group", "population_n")]
  unknown <- "Not known/stated"
  quiet <- function(expr) suppressMessages(expr)
  if (is.null(cohort)) {
    access <- compare_access(eth, "group", population,
      by = "service", weight = "ips_n",
      ref_count = "population_n", unknown = unknown
    )
    known <- eth[eth$group != unknown, ]
    all <- quiet(compare_outcomes(known, "group",
      by = "service", events = "employed_all", total = "ips_n", exact = "never"
    ))
    six <- quiet(compare_outcomes(known, "group",
      by = "service", events = "employed_6m", total = "n_6m", exact = "never"
    ))
    sex <- NULL
    bands_res <- NULL
  } else {
    check_data_frame(cohort, "data")
    check_columns(c("service", "ethnicity", "gender", "age", "date_joined", "employed"),
      cohort, "data", "data"
    )
    cohort$group <- cohort$ethnicity
    access <- compare_access(cohort, "group", population,
      by = "service",
      ref_count = "population_n", unknown = unknown
    )
    all <- quiet(compare_outcomes(cohort, "ethnicity", "employed", by = "service", exact = "never"))
    early <- quiet(follow_up(cohort, "date_joined", census = "2019-12-31", min_months = 6))
    six <- quiet(compare_outcomes(early, "ethnicity", "employed", by = "service", exact = "never"))
    cohort$age_band <- age_band(cohort$age)
    sex <- summary(quiet(compare_outcomes(cohort, "ethnicity", "employed",
      strata = "gender", exact = "never"
    )))
    bands_res <- summary(quiet(compare_outcomes(cohort, "ethnicity", "employed",
      strata = "age_band", exact = "never"
    )))
  }
  sa <- summary(access)
  s_all <- summary(all)
  s_six <- summary(six)
  black <- access$representation_ratio[access$group %in% "Black/Black British"]
  pick <- function(s, col, level) {
    if (is.null(s)) {
      return(NA_real_)
    }
    v <- s[[col]][which(as.character(s[[1]]) == level)]
    if (length(v) == 1) v else NA_real_
  }
  bands <- c("up to 25", "26-40", "41-55", "over 55")
  reproduced <- c(
    sa$statistic[[1]], sa$p_value[[1]], sa$statistic[[2]], sa$p_value[[2]],
    black, NA, NA,
    as.vector(rbind(s_all$statistic, s_all$p_value)), s_all$pct,
    as.vector(rbind(s_six$statistic, s_six$p_value)), s_six$pct,
    pick(sex, "statistic", "Male"), pick(sex, "p_value", "Male"),
    pick(sex, "statistic", "Female"), pick(sex, "p_value", "Female"),
    as.vector(rbind(
      vapply(bands, function(b) pick(bands_res, "statistic", b), 0),
      vapply(bands, function(b) pick(bands_res, "p_value", b), 0)
    ))
  )
  out <- bjpsych_targets()
  rounded <- round(reproduced, out$digits)
  same <- ifelse(out$bound, reproduced < out$published, rounded == out$published)
  implied <- !is.na(out$implied) & rounded == out$implied
  out$reproduced <- ifelse(out$bound, signif(reproduced, 2), rounded)
  out$status <- ifelse(is.na(reproduced), "not computable",
    ifelse(same, "reproduced", ifelse(implied, "misprint", "differs"))
  )
  out$match <- ifelse(is.na(reproduced), NA, same | implied)
  out$note[out$bound] <- "published as P < 0.01"
  out <- out[c("source", "statistic", "published", "reproduced", "status", "match", "note")]
  class(out) <- c("equityaudit_reproduction", "data.frame")
  out
}
