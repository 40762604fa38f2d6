test_that("power of each test equals the noncentral chi-square (pwr)", {
  res <- suppressMessages(compare_outcomes(bjpsych_table3("all"), ethnicity,
    by = service, events = employed, total = total
  ))
  dd <- detectable_difference(res, w = 0.2)
  first <- dd[!duplicated(dd$service), ]
  direct <- stats::pchisq(stats::qchisq(0.95, 4), 4, ncp = first$n_tested * 0.2^2,
                          lower.tail = FALSE)
  expect_equal(first$power_w, direct)
  skip_if_not_installed("pwr")
  for (i in seq_len(nrow(first))) {
    ref <- pwr::pwr.chisq.test(w = 0.2, N = first$n_tested[[i]], df = 4, sig.level = 0.05)
    expect_equal(first$power_w[[i]], ref$power, tolerance = 1e-10)
  }
})

test_that("detectable differences reach the stated power, and small groups are inconclusive", {
  res <- suppressMessages(compare_outcomes(bjpsych_table3("all"), ethnicity,
    by = service, events = employed, total = total
  ))
  dd <- detectable_difference(res)
  crit <- stats::qchisq(0.95, 1)
  for (i in c(1, 7, 10)) {
    p0 <- dd$rest_pct[[i]] / 100
    up <- dd$detectable_increase[[i]] / 100
    expect_equal(power_2x2(dd$n[[i]], p0 + up, dd$rest_n[[i]], p0, crit), 0.8,
                 tolerance = 1e-6)
  }
  # many random groups, both directions, against the noncentral chi-square
  set.seed(81)
  k <- 400
  n1 <- sample(c(5, 30, 200, 5000), k, TRUE)
  n0 <- sample(c(10, 100, 2000, 50000), k, TRUE)
  p0 <- stats::runif(k, 0.01, 0.99)
  for (direction in c(1, -1)) {
    d <- equityaudit:::detectable_shift(n1, n0, p0, direction, 0.8, crit)
    ok <- !is.na(d)
    expect_gt(sum(ok), k / 2)
    got <- mapply(function(a, b, c, e) power_2x2(a, c + direction * e, b, c, crit), n1[ok], n0[ok], p0[ok], d[ok])
    expect_equal(got, rep(0.8, sum(ok)), tolerance = 1e-9)
    # none detectable: even the largest change has too little power
    room <- if (direction > 0) 1 - p0 else p0
    top <- mapply(function(a, b, c, r) power_2x2(a, c + direction * r, b, c, crit), n1, n0, p0, room)
    expect_equal(!ok, top < 0.8)
  }
  other <- dd[dd$service == "WWT" & dd$ethnicity == "Other", ]
  expect_gt(other$detectable_increase, 40)
  expect_true(all(dd$label == "inconclusive"))
  expect_error(detectable_difference(data.frame()), class = "equityaudit_error_argument")
  expect_error(detectable_difference(res, power = 2), "`power`")
})

test_that("a significant test is labelled different, a big equal one no difference", {
  d <- data.frame(g = c("a", "b"), ev = c(100, 300), tot = c(1000, 1000))
  res <- compare_outcomes(d, g, events = ev, total = tot, exact = "never")
  expect_equal(unique(detectable_difference(res)$label), "different")
  e <- data.frame(g = c("a", "b"), ev = c(3000, 3010), tot = c(10000, 10000))
  res2 <- compare_outcomes(e, g, events = ev, total = tot, exact = "never")
  expect_equal(unique(detectable_difference(res2)$label), "no difference detected")
})
