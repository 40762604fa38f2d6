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
    expect_equal(equityaudit:::power_2x2(dd$n[[i]], p0 + up, dd$rest_n[[i]], p0, crit), 0.8,
                 tolerance = 1e-6)
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
