# compare_periods(): periods, shares, outcomes and the trend test.

test_that("trend test equals prop.trend.test() on random tables", {
  set.seed(16)
  for (i in 1:200) {
    k <- sample(3:12, 1)
    n <- stats::rpois(k, stats::runif(1, 5, 300)) + 1
    x <- stats::rbinom(k, n, stats::runif(1, 0.05, 0.95))
    if (sum(x) == 0 || sum(x) == sum(n)) next
    score <- if (i %% 2) seq_len(k) else sort(stats::runif(k, 0, 10))
    want <- suppressWarnings(stats::prop.trend.test(x, n, score))
    got <- trend_test(matrix(x, 1), matrix(n, 1), score)
    expect_equal(got$statistic, unname(want$statistic), tolerance = 1e-10)
    expect_equal(got$p_value, want$p.value, tolerance = 1e-10)
  }
})

periods_data <- function(n = 5000, seed = 3) {
  set.seed(seed)
  d <- data.frame(
    date = as.Date("2020-01-01") + sample.int(3 * 365, n, TRUE) - 1,
    ethnicity = sample(c("White", "Black", "Asian", NA), n, TRUE),
    stringsAsFactors = FALSE
  )
  d$employed <- stats::runif(n) < 0.2 + 0.1 * as.numeric(d$date - min(d$date)) / 1000
  d
}

test_that("quarters: counts, shares and both trend tests against base R", {
  d <- periods_data()
  res <- compare_periods(d, ethnicity, date, period = "quarter", outcome = employed)
  expect_s3_class(res, "equityaudit_periods")
  q <- paste0(format(d$date, "%Y"), " Q", (as.integer(format(d$date, "%m")) - 1) %/% 3 + 1)
  expect_equal(levels(res$period), sort(unique(q)))
  known <- !is.na(d$ethnicity)
  tab <- table(q[known], d$ethnicity[known])
  b <- res[res$ethnicity == "Black", ]
  expect_equal(b$n, as.vector(tab[, "Black"]))
  expect_equal(b$period_n, as.vector(rowSums(tab)))
  w <- wilson_interval(tab[, "Black"], rowSums(tab), 0.95)
  expect_equal(b$pct_low, as.vector(w$low), tolerance = 1e-10)
  tr <- summary(res)
  want <- stats::prop.trend.test(tab[, "Black"], rowSums(tab))
  expect_equal(tr$share_statistic[tr$ethnicity == "Black"], unname(want$statistic), tolerance = 1e-10)
  # every quarter with people in it took part
  expect_equal(tr$share_periods[tr$ethnicity == "Black"], sum(rowSums(tab) > 0))
  ev <- table(q[known & d$ethnicity %in% "Black"], d$employed[known & d$ethnicity %in% "Black"])
  want <- stats::prop.trend.test(ev[, "TRUE"], rowSums(ev))
  expect_equal(tr$outcome_p_value[tr$ethnicity == "Black"], want$p.value, tolerance = 1e-10)
  expect_equal(b$events, as.vector(ev[, "TRUE"]))
})

test_that("months include empty periods; years; period column; reference ratios", {
  d <- periods_data(400)
  d <- d[!(format(d$date, "%Y-%m") %in% "2021-03"), ]
  res <- compare_periods(d, ethnicity, date, period = "month")
  expect_equal(nlevels(res$period), 36)
  expect_true(all(res$n[res$period == "2021-03"] == 0))
  yr <- compare_periods(d, ethnicity, date, period = "year")
  expect_equal(levels(yr$period), c("2020", "2021", "2022"))
  d$year <- format(d$date, "%Y")
  col <- compare_periods(d, ethnicity, year, period = "column")
  expect_equal(col$n, yr$n)
  pop <- data.frame(ethnicity = c("White", "Black", "Asian"), n = c(500, 300, 200))
  r <- compare_periods(d, ethnicity, date, period = "year", reference = pop)
  expect_equal(r$ref_pct[r$ethnicity == "Black"], rep(30, 3))
  expect_equal(r$representation_ratio, r$pct / r$ref_pct, tolerance = 1e-10)
  d$text <- format(d$date)
  expect_equal(compare_periods(d, ethnicity, text, period = "year")$n, yr$n)
  d$bad <- format(d$date, "%d/%m/%Y")
  expect_error(compare_periods(d, ethnicity, bad), class = "equityaudit_error_column")
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(r))
})

test_that("a date typed wrongly is named, not turned into centuries of empty periods", {
  people <- data.frame(
    g = rep(c("A", "B"), 20),
    d = as.Date("2019-01-01") + seq(0, 380, length.out = 40)
  )
  people$d[[17]] <- as.Date("2204-01-03")
  expect_error(compare_periods(people, g, d), "2204-01-03.*row 17", class = "equityaudit_error_column")
  expect_error(compare_periods(people, g, d, period = "month"), class = "equityaudit_error_column")
  # dates close together are fine, with empty periods between them
  people$d[[17]] <- as.Date("2020-09-01")
  res <- compare_periods(people, g, d)
  expect_equal(levels(res$period)[c(1, length(levels(res$period)))], c("2019 Q1", "2020 Q3"))
})

test_that("each trend test says how many periods it used, hidden ones left out", {
  d <- periods_data(300)
  res <- compare_periods(d, ethnicity, date, period = "quarter", outcome = employed, suppress = "nhs_digital")
  x <- as.data.frame(unclass(res))
  tr <- summary(res)
  for (g in unique(as.character(x$ethnicity))) {
    mine <- x[x$ethnicity == g, ]
    share <- sum(!is.na(mine$n) & !is.na(mine$period_n) & mine$period_n > 0)
    outcome <- sum(!is.na(mine$events) & !is.na(mine$outcome_n) & mine$outcome_n > 0)
    expect_equal(tr$share_periods[tr$ethnicity == g], share)
    expect_equal(tr$outcome_periods[tr$ethnicity == g], outcome)
  }
  # the rule hid some: fewer periods than there are
  expect_true(any(tr$outcome_periods < nlevels(res$period)))
})
