# compare_periods(): financial years (1 April to 31 March) and their quarters.

fy_people <- function() {
  data.frame(
    group = c("A", "B", "A", "A", "B", "B", "A", "B", "A", "A"),
    date = as.Date(c(
      "2021-03-31", "2021-04-01", "2021-06-30", "2021-07-01", "2021-09-30",
      "2021-12-31", "2022-01-01", "2022-03-31", "2022-04-01", "2022-04-01"
    )),
    stringsAsFactors = FALSE
  )
}

test_that("financial years run 1 April to 31 March and are labelled 2021-22", {
  d <- fy_people()
  res <- compare_periods(d, group, date, period = "financial_year")
  expect_equal(levels(res$period), c("2020-21", "2021-22", "2022-23"))
  a <- res[res$group == "A", ]
  b <- res[res$group == "B", ]
  # 31 March 2021 is the last day of 2020-21; 1 April 2021 the first of 2021-22
  expect_equal(a$n, c(1, 3, 2))
  expect_equal(b$n, c(0, 4, 0))
  expect_equal(res$period_n[res$group == "A"], c(1, 7, 2))
  days <- attr(res, "period_days")
  expect_equal(days$label, c("2020-21", "2021-22", "2022-23"))
  day <- function(x) format(as.Date(x, origin = "1970-01-01"))
  expect_equal(day(days$from), c("2020-04-01", "2021-04-01", "2022-04-01"))
  expect_equal(day(days$to), c("2021-03-31", "2022-03-31", "2023-03-31"))
})

test_that("financial quarters: Q1 is April to June, Q4 January to March", {
  d <- fy_people()
  res <- compare_periods(d, group, date, period = "financial_quarter")
  expect_equal(levels(res$period), c(
    "2020-21 Q4", "2021-22 Q1", "2021-22 Q2", "2021-22 Q3", "2021-22 Q4", "2022-23 Q1"
  ))
  expect_equal(res$n[res$group == "A"], c(1, 1, 1, 0, 1, 2))
  expect_equal(res$n[res$group == "B"], c(0, 1, 1, 1, 1, 0))
  days <- attr(res, "period_days")
  expect_equal(
    format(as.Date(days$from, origin = "1970-01-01")),
    c("2021-01-01", "2021-04-01", "2021-07-01", "2021-10-01", "2022-01-01", "2022-04-01")
  )
  expect_equal(
    format(as.Date(days$to, origin = "1970-01-01")),
    c("2021-03-31", "2021-06-30", "2021-09-30", "2021-12-31", "2022-03-31", "2022-06-30")
  )
  # the calendar quarter is unchanged: 31 March is 2021 Q1, 1 April 2021 Q2
  cal <- compare_periods(d, group, date, period = "quarter")
  expect_equal(
    levels(cal$period),
    c("2021 Q1", "2021 Q2", "2021 Q3", "2021 Q4", "2022 Q1", "2022 Q2")
  )
  expect_equal(cal$n[cal$group == "A"], c(1, 1, 1, 0, 1, 2))
})

test_that("financial periods agree with the dates cut by hand, across centuries", {
  set.seed(2122)
  d <- data.frame(
    group = sample(c("A", "B", "C"), 3000, TRUE),
    date = as.Date("1998-01-01") + sample.int(4 * 365, 3000, TRUE),
    stringsAsFactors = FALSE
  )
  y <- as.integer(format(d$date, "%Y"))
  m <- as.integer(format(d$date, "%m"))
  start <- ifelse(m >= 4, y, y - 1)
  fy <- sprintf("%d-%02d", start, (start + 1) %% 100)
  fq <- sprintf("%s Q%d", fy, ((m - 4) %% 12) %/% 3 + 1)
  res <- compare_periods(d, group, date, period = "financial_year")
  expect_true("1999-00" %in% levels(res$period))
  expect_equal(levels(res$period), sort(unique(fy)))
  expect_equal(res$n[res$group == "B"], as.vector(table(fy[d$group == "B"])))
  q <- compare_periods(d, group, date, period = "financial_quarter")
  expect_equal(levels(q$period), sort(unique(fq)))
  expect_equal(q$n[q$group == "C"], as.vector(table(factor(fq[d$group == "C"], levels(q$period)))))
  # the trend test uses one score per financial quarter
  tab <- table(factor(fq, levels(q$period)), d$group)
  want <- stats::prop.trend.test(tab[, "A"], rowSums(tab))
  tr <- summary(q)
  expect_equal(tr$share_statistic[tr$group == "A"], unname(want$statistic), tolerance = 1e-10)
  expect_error(
    compare_periods(d, group, date, period = "fiscal"),
    class = "equityaudit_error_argument"
  )
})

test_that("financial quarters beside financial years are one set of sums", {
  expect_periods_linked(12, "financial_quarter", "financial_year")
})
