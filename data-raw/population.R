# Builds ips_population: a SYNTHETIC table of the people eligible for the
# two IPS services of the BJPsych study (users of the boroughs' secondary
# adult community mental health services), by service, ethnicity, age band
# and gender.
#
# Published: only the counts by service and ethnicity (Table 2 of the
# paper, `population_n` of bjpsych_published). Not published: how each of
# those counts splits by age and gender. The split below is an ASSUMPTION,
# made up for illustration: an age mix and a share of men for each ethnic
# group (younger and more often male for the Black/Black British and Mixed
# groups, older for the White group, as is common in secondary mental
# health services), the same in both services, age and gender independent
# within a group. Each service x ethnicity count is split by these
# proportions and rounded by the largest-remainder method, so that every
# published count is reproduced exactly; the script checks this before
# writing data/ips_population.rda.
# Run from the package root: Rscript data-raw/population.R

load("data/bjpsych_published.rda")
pub <- bjpsych_published[bjpsych_published$characteristic == "ethnicity", ]

bands <- c("up to 25", "26-40", "41-55", "over 55")
age_mix <- rbind(
  "White" = c(0.08, 0.30, 0.34, 0.28),
  "Asian/Asian British" = c(0.12, 0.36, 0.32, 0.20),
  "Black/Black British" = c(0.14, 0.40, 0.30, 0.16),
  "Mixed" = c(0.20, 0.42, 0.26, 0.12),
  "Other" = c(0.12, 0.38, 0.32, 0.18),
  "Not known/stated" = c(0.12, 0.35, 0.31, 0.22)
)
male_share <- c(
  "White" = 0.48, "Asian/Asian British" = 0.50, "Black/Black British" = 0.58,
  "Mixed" = 0.54, "Other" = 0.52, "Not known/stated" = 0.50
)

# Splits total into length(p) whole numbers proportional to p, summing to total.
largest_remainder <- function(total, p) {
  raw <- total * p / sum(p)
  out <- floor(raw)
  short <- total - sum(out)
  if (short > 0) {
    extra <- order(raw - out, decreasing = TRUE)[seq_len(short)]
    out[extra] <- out[extra] + 1
  }
  out
}

rows <- list()
for (i in seq_len(nrow(pub))) {
  eth <- as.character(pub$group[[i]])
  p <- as.vector(outer(age_mix[eth, ], c(male_share[[eth]], 1 - male_share[[eth]])))
  n <- largest_remainder(pub$population_n[[i]], p)
  rows[[i]] <- data.frame(
    service = as.character(pub$service[[i]]), ethnicity = eth,
    age_band = rep(bands, 2), gender = rep(c("Male", "Female"), each = 4), n = n,
    stringsAsFactors = FALSE
  )
}
ips_population <- do.call(rbind, rows)
ips_population$service <- factor(ips_population$service, levels = c("CNWL", "WWT"))
ips_population$ethnicity <- factor(ips_population$ethnicity, levels = rownames(age_mix))
ips_population$age_band <- factor(ips_population$age_band, levels = bands, ordered = TRUE)
ips_population$gender <- factor(ips_population$gender, levels = c("Male", "Female"))
rownames(ips_population) <- NULL

# every published margin reproduced
margin <- stats::aggregate(n ~ service + ethnicity, ips_population, sum)
want <- pub$population_n[match(
  paste(margin$service, margin$ethnicity),
  paste(pub$service, pub$group)
)]
stopifnot(identical(as.numeric(margin$n), as.numeric(want)), nrow(margin) == 12)
stopifnot(sum(ips_population$n) == sum(pub$population_n))

save(ips_population, file = "data/ips_population.rda", compress = "xz", version = 2)
