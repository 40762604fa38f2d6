# tidy()/glance(), ethnic group collapsing and age at a date.

test_that("tidy() and glance() give plain data frames", {
  res <- compare_outcomes(ips_synthetic, ethnicity, employed, by = service, exact = "never")
  t <- generics::tidy(res)
  expect_identical(class(t), "data.frame")
  expect_equal(t$events, res$events)
  expect_null(attr(t, "tables"))
  # glance(): one row for the whole result, as broom gives
  g <- generics::glance(res)
  expect_identical(class(g), "data.frame")
  expect_equal(nrow(g), 1)
  s <- summary(res)
  expect_equal(g$tests, 3)
  expect_equal(g$tests_significant, sum(s$p_value < 0.05))
  expect_equal(g$smallest_p, min(s$p_value))
  expect_equal(g$people, sum(s$n[!s$pooled]))
  expect_equal(g$people, 714)
  expect_equal(g$cmh_p_value, tidy(res, "cmh")$p_value)
  expect_equal(g$rule, "none")
  pop <- data.frame(ethnicity = levels(ips_synthetic$ethnicity), n = c(100, 50, 40, 30, 20))
  acc <- compare_access(ips_synthetic, ethnicity, pop)
  ga <- generics::glance(acc)
  expect_equal(nrow(ga), 1)
  expect_equal(ga$smallest_p, summary(acc)$p_value)
  expect_equal(ga$different + ga$equivalent + ga$inconclusive, 5)
  expect_identical(class(generics::tidy(acc)), "data.frame")
  cmp <- compare_groups(ips_synthetic, ethnicity, employed)
  gl <- generics::glance(cmp)
  expect_equal(gl$comparisons, 4)
  expect_equal(gl$different + gl$equivalent + gl$inconclusive + gl$not_compared, 4)
  coh <- describe_cohort(ips_synthetic, ethnicity, by = service)
  expect_equal(summary(coh)$people, c(412, 367, 779))
  expect_equal(generics::glance(coh)$people, 779)
  expect_equal(generics::glance(coh)$strata, 2)
  expect_equal(generics::glance(reproduce_bjpsych())$statistics, 38)
  expect_identical(class(generics::tidy(summary(res))), "data.frame")
  im <- suppressMessages(inequality_measures(res, sims = 20))
  expect_identical(class(generics::tidy(im)), "data.frame")
  expect_equal(generics::glance(im)$strata, 3)
  gi <- summary(im)
  expect_equal(as.character(gi$service), c("CNWL", "WWT", "Total"))
  expect_equal(gi$theil, im$value[im$measure == "theil"])
  # every kind of result glances as one row
  published <- suppress_counts(res)
  expect_equal(generics::glance(published)$rule, "nhs_digital")
  expect_output(print(im), "Inequality between the groups of ethnicity")
})

test_that("the ONS 2021 classification has 19 categories in 5 groups", {
  expect_equal(nrow(ons_ethnicity_2021), 19)
  expect_equal(nlevels(ons_ethnicity_2021$broad), 5)
  expect_equal(as.vector(table(ons_ethnicity_2021$broad)), c(5, 3, 4, 5, 2))
})

test_that("collapse_ethnicity() maps what it can and lists the rest", {
  x <- c(
    "Indian", "white british", "Any other Asian background",
    "Black, Black British, Black Welsh, Caribbean or African: African",
    "Not stated", "Martian", NA, "", "White", "Roma", "Martian"
  )
  expect_warning(b <- collapse_ethnicity(x, unknown = "Not stated"), "\"Martian\" \\(2\\)")
  expect_equal(as.character(b), c(
    "Asian, Asian British or Asian Welsh", "White", "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African", NA, NA, NA, NA, "White",
    "White", NA
  ))
  expect_equal(attr(b, "unmapped"), data.frame(value = "Martian", n = 2L))
  expect_equal(levels(b), levels(ons_ethnicity_2021$broad))
  all <- collapse_ethnicity(as.character(ons_ethnicity_2021$detailed))
  expect_equal(as.character(all), as.character(ons_ethnicity_2021$broad))
  expect_equal(nrow(attr(all, "unmapped")), 0)
  d <- collapse_ethnicity(c("White British", "Pakistani"), to = "detailed")
  expect_equal(
    as.character(d), c("English, Welsh, Scottish, Northern Irish or British", "Pakistani")
  )
  expect_error(collapse_ethnicity(1:3), class = "equityaudit_error_argument")
})

test_that("age_at() gives completed years", {
  born <- as.Date(c("1990-06-15", "2000-02-29", NA))
  expect_equal(age_at(born, "2020-06-14"), c(29L, 20L, NA))
  expect_equal(age_at(born, "2020-06-15"), c(30L, 20L, NA))
  expect_equal(age_at(as.Date("2000-02-29"), "2021-02-28"), 20L)
  expect_equal(age_at(as.Date("2000-02-29"), "2021-03-01"), 21L)
  on <- as.Date(c("2020-06-15", "2021-03-01", "2020-01-01"))
  expect_equal(age_at(born, on), c(30L, 21L, NA))
  set.seed(14)
  b <- as.Date("1940-01-01") + sample(0:25000, 200)
  o <- as.Date("2015-01-01") + sample(0:3000, 200)
  want <- vapply(seq_along(b), function(i) {
    length(seq(b[i], o[i], by = "year")) - 1L
  }, 0L)
  ok <- format(b, "%m-%d") != "02-29"
  expect_equal(age_at(b, o)[ok], want[ok])
  expect_error(age_at(born, "15/06/2020"), "YYYY-MM-DD", class = "equityaudit_error_argument")
  expect_error(age_at("1990-01-01", "2020-01-01"), class = "equityaudit_error_argument")
  expect_error(age_at(as.Date("2021-01-01"), "2020-01-01"), "after",
    class = "equityaudit_error_argument")
})

test_that("age_at() says what is wrong with a vector of dates of the wrong length", {
  born <- as.Date(c("1990-06-15", "2000-02-29", "1980-01-01"))
  expect_error(age_at(born, as.Date(c("2020-01-01", "2020-02-01"))),
    "as many dates as `birth` \\(3\\), not 2", class = "equityaudit_error_argument"
  )
  expect_equal(age_at(born, as.Date(c("2020-06-15", "2021-03-01", "2020-01-01"))), c(30L, 21L, 40L))
})
