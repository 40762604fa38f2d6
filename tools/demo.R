# The main job behind `make demo`: a short tour of equityaudit.
library(equityaudit)

set.seed(2019)
people <- data.frame(
  service = sample(c("CNWL", "WWT"), 779, replace = TRUE),
  ethnicity = sample(
    c("White", "Asian/Asian British", "Black/Black British", "Mixed", "Other"),
    779,
    replace = TRUE, prob = c(0.39, 0.27, 0.18, 0.08, 0.08)
  ),
  employed = stats::runif(779) < 0.35
)
cat("Counts by service and ethnicity (synthetic data):\n")
print(tabulate_groups(people, ethnicity, employed, by = service))
cat("\nChi-square test of employment by ethnicity, per service:\n")
print(chisq_strata(people, ethnicity, employed, by = service))
