# The published counts of the BJPsych IPS study (Tables 2 and 3), typed in
# for the tests; WWT White is 144 (Table 1 misprints 114).
bjpsych_ethnicity <- c(
  "White", "Asian/Asian British", "Black/Black British", "Mixed", "Other"
)

bjpsych_table2 <- function() {
  eth <- c(bjpsych_ethnicity, "Not known/stated")
  list(
    ips = data.frame(
      service = rep(c("CNWL", "WWT"), each = 6),
      ethnicity = factor(rep(eth, 2), levels = eth),
      n = c(134, 77, 64, 38, 52, 47, 144, 114, 63, 21, 7, 18)
    ),
    population = data.frame(
      service = rep(c("CNWL", "WWT"), each = 6),
      ethnicity = rep(eth, 2),
      n = c(2774, 1158, 810, 936, 1335, 1350, 900, 805, 259, 61, 167, 90)
    )
  )
}

# Employed / not employed by service and ethnicity: all who joined in 2019
# and those who joined by 30 June.
bjpsych_table3 <- function(window = c("all", "six_months")) {
  window <- match.arg(window)
  if (window == "all") {
    total <- c(134, 77, 64, 38, 52, 144, 114, 63, 21, 7)
    employed <- c(47, 35, 23, 15, 21, 46, 37, 18, 5, 1)
  } else {
    total <- c(46, 20, 20, 15, 26, 63, 33, 22, 9, 1)
    employed <- c(18, 8, 6, 10, 13, 29, 13, 10, 2, 0)
  }
  data.frame(
    service = rep(c("CNWL", "WWT"), each = 5),
    ethnicity = factor(rep(bjpsych_ethnicity, 2), levels = bjpsych_ethnicity),
    employed = employed, total = total
  )
}
