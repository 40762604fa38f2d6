# adjust = : indirectly standardised representation ratios (compare_access)
# and directly standardised percentages (compare_outcomes).

isr_example <- function() {
  list(
    users = data.frame(
      group = c("A", "A", "B", "B"), age = c("young", "old", "young", "old"),
      n = c(30, 10, 20, 40)
    ),
    eligible = data.frame(
      group = c("A", "A", "B", "B"), age = c("young", "old", "young", "old"),
      n = c(300, 200, 100, 800)
    )
  )
}

test_that("indirectly standardised ratio equals the worked example", {
  ex <- isr_example()
  res <- compare_access(ex$users, group, ex$eligible, weight = n, adjust = age)
  adj <- tidy(res, "adjusted")
  # rates of the whole service: young 50 / 400 = 0.125, old 50 / 1000 = 0.05
  # expected A = 300 * 0.125 + 200 * 0.05 = 47.5; B = 100 * 0.125 + 800 * 0.05 = 52.5
  expect_equal(adj$expected, c(47.5, 52.5), tolerance = 1e-10)
  expect_equal(adj$n, c(40, 60))
  expect_equal(adj$isr, c(40 / 47.5, 60 / 52.5), tolerance = 1e-10)
  # exact Poisson limits: gamma quantiles of the observed count
  expect_equal(adj$isr_low, c(qgamma(0.025, 40), qgamma(0.025, 60)) / c(47.5, 52.5), tolerance = 1e-10)
  expect_equal(adj$isr_high, c(qgamma(0.975, 41), qgamma(0.975, 61)) / c(47.5, 52.5), tolerance = 1e-10)
  want <- stats::mantelhaen.test(array(c(30, 20, 300, 100, 10, 40, 200, 800), c(2, 2, 2)), correct = FALSE)
  expect_equal(adj$statistic[[1]], unname(want$statistic), tolerance = 1e-10)
  expect_equal(adj$p_value[[1]], want$p.value, tolerance = 1e-10)
  st <- tidy(res, "adjusted_strata")
  expect_equal(st$expected[st$group == "A" & st$age == "young"], 37.5, tolerance = 1e-10)
  # the unadjusted result is that of the reference summed over the strata
  eligible <- stats::aggregate(n ~ group, ex$eligible, sum)
  crude <- compare_access(ex$users, group, eligible, weight = n)
  expect_equal(tidy(res), tidy(crude), tolerance = 1e-10)
  expect_equal(tidy(res, "tests"), tidy(crude, "tests"), tolerance = 1e-10)
})

test_that("adjusted access on random tables, with by, against a direct computation", {
  set.seed(161)
  for (i in 1:20) {
    grid <- expand.grid(
      group = c("A", "B", "C"), age = c("y", "m", "o"), sex = c("F", "M"),
      service = c("S1", "S2"), stringsAsFactors = FALSE
    )
    users <- grid
    users$n <- stats::rpois(nrow(grid), 20) + 1
    eligible <- grid
    eligible$n <- stats::rpois(nrow(grid), 300) + 1
    res <- compare_access(users, group, eligible, by = service, weight = n, adjust = c(age, sex))
    adj <- tidy(res, "adjusted")
    for (s in c("S1", "S2")) {
      u <- users[users$service == s, ]
      e <- eligible[eligible$service == s, ]
      key <- paste(u$age, u$sex)
      rate <- tapply(u$n, key, sum) / tapply(e$n, key, sum)
      expected <- tapply(e$n * rate[key], u$group, sum)
      got <- adj[adj$service == s, ]
      expect_equal(got$expected, as.vector(expected[got$group]), tolerance = 1e-10)
      arr <- array(0, c(3, 2, 6))
      strata <- unique(key)
      for (k in seq_along(strata)) {
        arr[, 1, k] <- u$n[key == strata[k]][match(c("A", "B", "C"), u$group[key == strata[k]])]
        arr[, 2, k] <- e$n[key == strata[k]][match(c("A", "B", "C"), e$group[key == strata[k]])]
      }
      want <- stats::mantelhaen.test(arr)
      expect_equal(got$statistic[[1]], unname(want$statistic), tolerance = 1e-10)
    }
  }
})

test_that("directly standardised percentages equal the worked example", {
  d <- data.frame(
    group = c("A", "A", "B", "B"), stratum = c("s1", "s2", "s1", "s2"),
    events = c(4, 9, 20, 4), total = c(10, 30, 40, 20)
  )
  res <- compare_outcomes(d, group, events = events, total = total, exact = "never", adjust = stratum)
  adj <- tidy(res, "adjusted")
  # standard: 50 people in each stratum, weights 0.5 and 0.5
  expect_equal(tidy(res, "standard")$weight, c(0.5, 0.5))
  expect_equal(adj$pct, c(32.5, 40))
  expect_equal(adj$std_pct, c(35, 35), tolerance = 1e-10)
  # Dobson et al. (1991): the exact Poisson limits of all the events (13
  # and 24), scaled by sqrt(v / O) with v = sum((w / n)^2 o)
  v <- c((0.5 / 10)^2 * 4 + (0.5 / 30)^2 * 9, (0.5 / 40)^2 * 20 + (0.5 / 20)^2 * 4)
  o <- c(13, 24)
  expect_equal(adj$std_low, 100 * (0.35 + sqrt(v / o) * (qchisq(0.025, 2 * o) / 2 - o)), tolerance = 1e-10)
  expect_equal(adj$std_high, 100 * (0.35 + sqrt(v / o) * (qchisq(0.975, 2 * o + 2) / 2 - o)), tolerance = 1e-10)
  # the Wald interval of the binomial variance
  wald <- tidy(compare_outcomes(d, group,
    events = events, total = total, exact = "never", adjust = stratum, std_interval = "wald"
  ), "adjusted")
  v <- c(0.25 * 0.4 * 0.6 / 10 + 0.25 * 0.3 * 0.7 / 30, 0.25 * 0.5 * 0.5 / 40 + 0.25 * 0.2 * 0.8 / 20)
  expect_equal(wald$std_low, 100 * (0.35 - qnorm(0.975) * sqrt(v)), tolerance = 1e-10)
  expect_equal(wald$std_high, 100 * (0.35 + qnorm(0.975) * sqrt(v)), tolerance = 1e-10)
  want <- stats::mantelhaen.test(array(c(4, 20, 6, 20, 9, 4, 21, 16), c(2, 2, 2)), correct = FALSE)
  expect_equal(adj$statistic[[1]], unname(want$statistic), tolerance = 1e-10)
})

test_that("adjusted outcomes on record-level data: by, pooled, missing strata", {
  ips <- equityaudit::ips_synthetic
  ips$age_band <- age_band(ips$age, breaks = 40)
  expect_message(
    res <- compare_outcomes(ips, ethnicity, employed,
      by = service, exact = "never",
      adjust = c(age_band, gender)
    ),
    "left out 1 person"
  )
  adj <- tidy(res, "adjusted")
  expect_equal(unique(as.character(adj$service)), c("CNWL", "WWT", "Total"))
  known <- ips[!is.na(ips$ethnicity) & !is.na(ips$gender), ]
  w <- table(paste(known$age_band, known$gender)) / nrow(known)
  cnwl_white <- known[known$service == "CNWL" & known$ethnicity == "White", ]
  p <- tapply(cnwl_white$employed, paste(cnwl_white$age_band, cnwl_white$gender), mean)
  expect_equal(adj$std_pct[adj$service == "CNWL" & adj$ethnicity == "White"],
    100 * sum(p[names(w)] * w),
    tolerance = 1e-10
  )
  expect_error(
    compare_outcomes(ips, ethnicity, employed, adjust = ethnicity),
    "used twice", class = "equityaudit_error_column"
  )
})

test_that("the bundled population reproduces the published margins", {
  pub <- equityaudit::bjpsych_published
  pub <- pub[pub$characteristic == "ethnicity", ]
  m <- stats::aggregate(n ~ service + ethnicity, equityaudit::ips_population, sum)
  expect_equal(m$n, pub$population_n[match(paste(m$service, m$ethnicity), paste(pub$service, pub$group))])
})

test_that("adjusted analyses of a database table equal the data frame's", {
  d <- ips_plain()
  d$age_band <- as.character(age_band(d$age))
  d <- d[!is.na(d$gender), ]
  db <- sqlite_table(d)
  on.exit(DBI::dbDisconnect(db$con))
  pop <- equityaudit::ips_population
  pop$age_band <- as.character(pop$age_band)
  expect_same_result(
    compare_access(db$tbl, ethnicity, pop,
      by = service, unknown = "Not known/stated", adjust = c(age_band, gender)
    ),
    compare_access(d, ethnicity, pop,
      by = service, unknown = "Not known/stated", adjust = c(age_band, gender)
    )
  )
  DBI::dbWriteTable(db$con, "population", pop)
  expect_same_result(
    compare_access(db$tbl, ethnicity, dplyr::tbl(db$con, "population"),
      by = service, unknown = "Not known/stated", adjust = c(age_band, gender)
    ),
    compare_access(d, ethnicity, pop,
      by = service, unknown = "Not known/stated", adjust = c(age_band, gender)
    )
  )
  expect_same_result(
    compare_outcomes(db$tbl, ethnicity, employed, by = service, exact = "never", adjust = gender),
    compare_outcomes(d, ethnicity, employed, by = service, exact = "never", adjust = gender)
  )
})

test_that("a standardised % is not given for a group with nobody in a stratum of the standard", {
  # every stratum's rate is 50%; service B has nobody in the band "old"
  d <- data.frame(
    service = c(rep("A", 40), rep("B", 20)),
    band = c(rep(c("young", "mid", "old"), c(16, 12, 12)), rep(c("young", "mid"), c(10, 10))),
    g = c(rep(c("X", "Y"), 20), rep(c("X", "Y"), 10)),
    y = rep(c(TRUE, TRUE, FALSE, FALSE), 15)
  )
  adj <- tidy(compare_outcomes(d, g, y, by = service, adjust = band, exact = "never"), "adjusted")
  expect_equal(adj$std_pct[adj$service == "A"], c(50, 50))
  expect_true(all(is.na(adj$std_pct[adj$service == "B"])))
  expect_true(all(is.na(adj$std_low[adj$service == "B"])))
  expect_equal(adj$std_pct[adj$service == "Total"], c(50, 50))
})
