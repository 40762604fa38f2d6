# The bundled data reproduce every published figure ----

test_that("the targets are the paper's numbers", {
  t <- equityaudit:::bjpsych_targets()
  x2 <- function(src) t$published[grepl("X2", t$statistic) & t$source == src]
  expect_equal(x2("Table 2"), c(22.05, 34.22))
  expect_equal(x2("Table 3"), c(2.50, 1.76, 1.46, 5.66, 2.78, 1.43))
  expect_equal(x2("Text"), c(2.61, 0.14, 7.62, 2.84, 1.62, 4.38, 0.50, 2.93))
  p <- t$published[grepl("Outcome P", t$statistic)]
  expect_equal(p, c(0.64, 0.78, 0.84, 0.22, 0.59, 0.84, 0.11, 0.59, 0.81, 0.38, 0.97, 0.60))
  # every "implied" value follows from the paper's own numbers
  implied <- t[!is.na(t$implied) & grepl("Outcome P", t$statistic) &
    t$statistic != "Outcome P, age up to 25", ]
  printed_x2 <- t$published[match(sub("Outcome P", "Outcome X2", implied$statistic), t$statistic)]
  printed_x2[implied$statistic == "Outcome P, 6 months, CNWL"] <- 5.6665
  expect_equal(round(stats::pchisq(printed_x2, 4, lower.tail = FALSE), 2), implied$implied)
})

test_that("bjpsych_published reproduces Tables 2 and 3", {
  res <- reproduce_bjpsych()
  needs_records <- grepl("men|women|age|Gender", res$statistic)
  expect_true(all(res$status[!needs_records] %in% c("reproduced", "misprint")))
  expect_true(all(res$status[needs_records] == "not computable"))
  expect_equal(res$reproduced[res$statistic == "Outcome X2, 6 months, CNWL"], 5.67)
  expect_equal(sum(res$status == "misprint"), 4)
})

test_that("bjpsych_published holds the corrected counts", {
  eth <- bjpsych_published[bjpsych_published$characteristic == "ethnicity", ]
  expect_equal(eth$ips_n[eth$service == "WWT" & eth$group == "White"], 144L)
  expect_equal(sum(eth$ips_n), 779L)
  expect_equal(sum(eth$n_6m), 274L)
  expect_equal(sum(eth$employed_all, na.rm = TRUE), 248L)
  expect_equal(sum(eth$employed_6m, na.rm = TRUE), 109L)
  wwt <- eth[eth$service == "WWT", ]
  expect_equal(round(100 * wwt$population_n[wwt$group == "Mixed"] /
    sum(wwt$population_n[wwt$group != "Not known/stated"]), 1), 2.8)
})

test_that("ips_synthetic reproduces every published statistic", {
  res <- reproduce_bjpsych(ips_synthetic)
  gender_access <- grepl("Gender access", res$statistic)
  expect_true(all(res$status[!gender_access] %in% c("reproduced", "misprint")))
  expect_gte(sum(res$status == "reproduced"), 29)
  expect_true(all(is.na(res$match[gender_access])))
})

test_that("ips_synthetic reproduces Table 1", {
  co <- as.data.frame(describe_cohort(ips_synthetic, c(ethnicity, gender),
    by = service, age = age
  ))
  people <- co[co$variable == "people", ]
  expect_equal(people$n, c(412, 367, 779))
  eth <- co[co$variable == "ethnicity" & !co$missing, ]
  expect_equal(eth$n, c(134, 77, 64, 38, 52, 144, 114, 63, 21, 7, 278, 191, 127, 59, 59))
  expect_equal(round(eth$pct, 1), c(
    36.7, 21.1, 17.5, 10.4, 14.2, 41.3, 32.7, 18.1, 6.0, 2.0,
    38.9, 26.8, 17.8, 8.3, 8.3
  ))
  expect_equal(co$n[co$variable == "ethnicity" & co$missing], c(47, 18, 65))
  sex <- co[co$variable == "gender" & !co$missing, ]
  expect_equal(sex$n, c(207, 205, 180, 186, 387, 391))
  expect_equal(co$n[co$variable == "gender" & co$missing], c(0, 1, 1))
  age <- co[co$variable == "age" & !co$missing, ]
  expect_equal(round(age$mean, 2), c(37.73, 34.39, 36.16))
  expect_equal(round(age$sd, 2), c(12.02, 10.74, 11.55))
  expect_equal(age$min, c(17, 18, 17))
  expect_equal(age$max, c(65, 69, 69))
})

test_that("the CSV file holds the same cohort", {
  path <- system.file("extdata", "ips_synthetic.csv", package = "equityaudit")
  csv <- utils::read.csv(path, stringsAsFactors = FALSE, na.strings = "")
  expect_equal(nrow(csv), 779)
  expect_equal(csv$age, ips_synthetic$age)
  expect_equal(csv$employed, ips_synthetic$employed)
  expect_equal(as.Date(csv$date_joined), ips_synthetic$date_joined)
  expect_equal(csv$ethnicity, as.character(ips_synthetic$ethnicity))
})
