# Invented data as analysts meet it: referrals with the ONS 2021 census's
# 19 ethnic categories, blank cells, NA and "Not stated", three sites, and
# an eligible population by site and ethnicity with its own "Not stated"
# row.
realistic_referrals <- function(n = 2000, seed = 7) {
  withr_seed <- function(code) {
    old <- if (exists(".Random.seed", globalenv())) get(".Random.seed", globalenv())
    on.exit(if (!is.null(old)) assign(".Random.seed", old, globalenv()))
    set.seed(seed)
    code
  }
  withr_seed({
    ons <- as.character(equityaudit::ons_ethnicity_2021$detailed)
    ethnic_group <- sample(c(ons, "Not stated", "", "  "), n, TRUE,
      prob = c(rep(1, 19), 2, 0.5, 0.5)
    )
    ethnic_group[sample(n, 30)] <- NA
    people <- data.frame(
      site = sample(c("North", "South", "East"), n, TRUE),
      ethnic_group = ethnic_group,
      sex = sample(c("F", "M", ""), n, TRUE, prob = c(10, 10, 1)),
      outcome = sample(c("Employed", "Not employed", ""), n, TRUE, prob = c(3, 6, 1)),
      stringsAsFactors = FALSE
    )
    population <- data.frame(
      site = rep(c("North", "South", "East"), each = 20),
      ethnic_group = rep(c(ons, "Not stated"), 3),
      n = stats::rpois(60, 400)
    )
    list(people = people, population = population)
  })
}
