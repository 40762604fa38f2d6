# the paper's Table 2 ----

test_that("compare_access() reproduces Table 2 of the BJPsych study", {
  t2 <- bjpsych_table2()
  a <- compare_access(t2$ips, ethnicity, t2$population,
    by = service, weight = n, unknown = "Not known/stated"
  )
  s <- summary(a)
  expect_equal(round(s$statistic, 2), c(22.05, 34.22))
  expect_equal(s$df, c(4, 4))
  expect_true(all(s$p_value < 0.01))
  expect_equal(
    round(a$access_rate, 1),
    c(4.8, 6.6, 7.9, 4.1, 3.9, 3.5, 16.0, 14.2, 24.3, 34.4, 4.2, 20.0)
  )
  # the paper gives the unknown group's share of everybody in the same
  # column; here it is the stratum's pct_unknown, and its row has no share
  # of the known
  expect_equal(
    round(a$pct, 1),
    c(36.7, 21.1, 17.5, 10.4, 14.2, NA, 41.3, 32.7, 18.1, 6.0, 2.0, NA)
  )
  expect_equal(round(s$pct_unknown, 1), c(11.4, 4.9))
  black <- a[a$ethnicity == "Black/Black British", ]
  expect_equal(round(black$representation_ratio, 2), c(1.52, 1.53))
  expect_true(all(black$ratio_low > 1))
  expect_equal(levels(a$ethnicity), levels(t2$ips$ethnicity))
  expect_equal(a$missing, rep(c(rep(FALSE, 5), TRUE), 2))
  expect_true(all(is.na(a$adj_residual[a$missing])))
})

test_that("the goodness-of-fit method gives the other published-looking numbers", {
  t2 <- bjpsych_table2()
  g <- compare_access(t2$ips, ethnicity, t2$population,
    by = service, weight = n, unknown = "Not known/stated",
    method = "goodness_of_fit"
  )
  expect_equal(round(summary(g)$statistic, 2), c(23.46, 40.61))
  cnwl <- t2$ips[1:5, ]
  ref <- stats::chisq.test(cnwl$n, p = t2$population$n[1:5] / sum(t2$population$n[1:5]))
  expect_equal(summary(g)$statistic[[1]], unname(ref$statistic), tolerance = 1e-10)
})

test_that("gender access matches the paper's gender comparison", {
  ips <- data.frame(service = rep(c("CNWL", "WWT"), each = 2),
                    gender = rep(c("Male", "Female"), 2),
                    n = c(207, 205, 180, 186))
  # the paper does not print the population's gender split; check the
  # test against chisq.test on a plausible one
  pop <- data.frame(service = rep(c("CNWL", "WWT"), each = 2),
                    gender = rep(c("Male", "Female"), 2),
                    n = c(3900, 4463, 1100, 1182))
  a <- compare_access(ips, gender, pop, by = service, weight = n)
  ref <- stats::chisq.test(rbind(c(207, 205), c(3900, 4463)), correct = FALSE)
  expect_equal(summary(a)$statistic[[1]], unname(ref$statistic), tolerance = 1e-10)
})

# missing groups ----

test_that("missing = exclude and include", {
  t2 <- bjpsych_table2()
  expect_message(
    e <- compare_access(t2$ips, ethnicity, t2$population,
      by = service, weight = n, unknown = "Not known/stated", missing = "exclude"
    ),
    "Excluded 65 people"
  )
  expect_equal(nrow(e), 10)
  left <- tidy(e, "left_out")
  expect_equal(left$n, c(47, 18))
  expect_equal(as.character(left$service), c("CNWL", "WWT"))
  i <- compare_access(t2$ips, ethnicity, t2$population,
    by = service, weight = n, unknown = "Not known/stated", missing = "include"
  )
  ref <- stats::chisq.test(rbind(t2$ips$n[1:6], t2$population$n[1:6]))
  expect_equal(summary(i)$statistic[[1]], unname(ref$statistic), tolerance = 1e-10)
  expect_equal(summary(i)$df[[1]], 5)
})

test_that("NA in record-level data pairs with the first unknown label", {
  t2 <- bjpsych_table2()
  cnwl <- t2$ips[t2$ips$service == "CNWL", ]
  people <- data.frame(ethnicity = rep(as.character(cnwl$ethnicity), cnwl$n))
  people$ethnicity[people$ethnicity == "Not known/stated"] <- NA
  pop <- t2$population[t2$population$service == "CNWL", ]
  a <- compare_access(people, ethnicity, pop, unknown = "Not known/stated")
  expect_equal(round(summary(a)$statistic, 2), 22.05)
  expect_equal(a$n[a$missing], 47)
  expect_equal(sum(a$n), 412)
})

# agreement with chisq.test ----

test_that("random caseloads and references agree with chisq.test()", {
  set.seed(21)
  for (rep in seq_len(reps(200))) {
    k <- sample(2:7, 1)
    n_strata <- sample(1:4, 1)
    lab <- paste0("g", seq_len(k))
    ips <- expand.grid(group = lab, s = paste0("S", seq_len(n_strata)),
                       stringsAsFactors = FALSE)
    ips$n <- stats::rpois(nrow(ips), 15)
    pop <- ips
    pop$n <- stats::rpois(nrow(pop), 200) + 1
    a <- compare_access(ips, group, pop, by = s, weight = n)
    s <- summary(a)
    for (j in seq_len(n_strata)) {
      sel <- ips$s == s$s[[j]]
      x <- rbind(ips$n[sel], pop$n[sel])
      x <- x[, colSums(x) > 0, drop = FALSE]
      ref <- suppressWarnings(stats::chisq.test(x, correct = FALSE))
      expect_equal(s$statistic[[j]], unname(ref$statistic), tolerance = 1e-10)
      expect_equal(s$p_value[[j]], ref$p.value, tolerance = 1e-10)
      rows <- a[a$s == s$s[[j]], ]
      expect_equal(rows$adj_residual[rows$n + pop$n[sel] > 0], unname(ref$stdres[1, ]),
                   tolerance = 1e-10)
    }
  }
})

test_that("a zero-count group and 1000 strata", {
  pop <- data.frame(g = c("a", "b", "c"), n = c(100, 50, 30))
  ips <- data.frame(g = factor(c("a", "b"), levels = c("a", "b", "c")), n = c(10, 5))
  a <- compare_access(ips, g, pop, weight = n)
  expect_equal(a$n, c(10, 5, 0))
  expect_equal(a$access_rate[[3]], 0)
  ref <- suppressWarnings(stats::chisq.test(rbind(c(10, 5, 0), c(100, 50, 30))))
  expect_equal(summary(a)$statistic, unname(ref$statistic), tolerance = 1e-10)

  set.seed(4)
  big_ips <- expand.grid(g = c("a", "b", "c"), s = sprintf("s%04d", 1:1000),
                         stringsAsFactors = FALSE)
  big_ips$n <- stats::rpois(3000, 20) + 1
  big_pop <- big_ips
  big_pop$n <- stats::rpois(3000, 300) + 1
  res <- summary(compare_access(big_ips, g, big_pop, by = s, weight = n))
  expect_equal(nrow(res), 1000)
  pick <- 777
  sel <- big_ips$s == res$s[[pick]]
  ref <- stats::chisq.test(rbind(big_ips$n[sel], big_pop$n[sel]))
  expect_equal(res$statistic[[pick]], unname(ref$statistic), tolerance = 1e-10)
})

# label mismatches and bad input ----

test_that("mismatched labels list both sides", {
  t2 <- bjpsych_table2()
  pop <- t2$population
  pop$ethnicity[pop$ethnicity == "Asian/Asian British"] <- "Asian"
  err <- expect_error(
    compare_access(t2$ips, ethnicity, pop, by = service, weight = n,
                   unknown = "Not known/stated"),
    class = "equityaudit_error_labels"
  )
  expect_match(conditionMessage(err), "Only in data: \"Asian/Asian British\"")
  expect_match(conditionMessage(err), "Only in reference: \"Asian\"")
  pop2 <- t2$population[t2$population$service == "CNWL", ]
  expect_error(
    compare_access(t2$ips, ethnicity, pop2, by = service, weight = n,
                   unknown = "Not known/stated"),
    "WWT"
  )
})

test_that("bad arguments give classed errors", {
  t2 <- bjpsych_table2()
  expect_error(compare_access(t2$ips, ethnicity, t2$population, weight = n,
                              method = "exact"),
               class = "equityaudit_error_argument")
  expect_error(compare_access(t2$ips, ethnicity, t2$population, weight = n,
                              conf_level = 2),
               class = "equityaudit_error_argument")
  prop <- data.frame(ethnicity = c("a", "b"), p = c(0.5, 0.5))
  ips <- data.frame(ethnicity = c("a", "b", "b"))
  expect_error(compare_access(ips, ethnicity, prop, ref_prop = "p"),
               "goodness_of_fit")
  g <- compare_access(ips, ethnicity, prop, ref_prop = "p", method = "goodness_of_fit")
  expect_equal(g$statistic[[1]], unname(suppressWarnings(stats::chisq.test(c(1, 2)))$statistic))
  expect_true(all(is.na(g$ref_n)))
  neg <- t2$population
  neg$n[[1]] <- -4
  expect_error(compare_access(t2$ips, ethnicity, neg, by = service, weight = n),
               class = "equityaudit_error_count")
})

test_that("representation ratios get equivalence verdicts on the log scale", {
  ips <- data.frame(g = c("W", "B", "A", "M"), n = c(1340, 480, 560, 450))
  pop <- data.frame(g = c("W", "B", "A", "M"), n = c(27740, 8100, 11580, 9360))
  res <- as.data.frame(unclass(compare_access(ips, g, pop, weight = n)))
  lr <- log(res$representation_ratio)
  se <- sqrt(1 / res$n - 1 / sum(res$n) + 1 / res$ref_n - 1 / sum(res$ref_n))
  p_eq <- pmax(
    stats::pnorm((lr - log(0.8)) / se, lower.tail = FALSE),
    stats::pnorm((lr - log(1.25)) / se)
  )
  expect_rel(res$equivalence_p_value, p_eq)
  z <- stats::qnorm(0.975)
  z_eq <- stats::qnorm(0.95)
  want <- ifelse(abs(lr) > z * se, "different",
    ifelse(lr - z_eq * se > log(0.8) & lr + z_eq * se < log(1.25), "equivalent", "inconclusive")
  )
  expect_equal(res$verdict, want)
  expect_true(all(c("different", "equivalent") %in% res$verdict))
  small <- compare_access(ips[1:2, ], g, pop[1:2, ], weight = n, ratio_margin = c(0.99, 1.01))
  expect_false("equivalent" %in% small$verdict)
  expect_error(compare_access(ips, g, pop, weight = n, ratio_margin = c(1.2, 0.8)),
    class = "equityaudit_error_argument"
  )
})

# section: the people each number counts ----

test_that("tests count the people tested, and the unknown group has no share of the known", {
  pub <- subset(bjpsych_published, characteristic == "ethnicity")
  pop <- data.frame(service = pub$service, ethnicity = pub$group, n = pub$population_n)
  res <- compare_access(ips_synthetic, ethnicity, pop, by = service, unknown = "Not known/stated")
  s <- summary(res)
  d <- as.data.frame(res)
  known <- !d$missing
  expect_equal(s$n, as.vector(tapply(d$n[known], d$service[known], sum)))
  expect_equal(s$ref_n, as.vector(tapply(d$ref_n[known], d$service[known], sum)))
  expect_equal(s$n, c(365, 349))
  expect_equal(s$ref_n, c(7013, 2192))
  expect_equal(s$n_unknown, c(47, 18))
  expect_equal(s$pct_unknown, 100 * c(47 / 412, 18 / 367))
  expect_true(all(is.na(d$pct[d$missing])))
  expect_true(all(is.na(d$ref_pct[d$missing])))
  expect_equal(sum(d$pct[known & d$service == "CNWL"]), 100)
})

test_that("a service with eligible people but no users is shown, with no test", {
  people <- data.frame(s = rep(c("A", "B"), c(30, 20)), g = rep(c("W", "B"), 25))
  pop <- data.frame(
    s = rep(c("A", "B", "C"), each = 2), g = rep(c("W", "B"), 3),
    n = c(100, 50, 80, 40, 60, 30)
  )
  res <- compare_access(people, g, pop, by = s)
  expect_equal(as.character(res$s), rep(c("A", "B", "C"), each = 2))
  expect_equal(res$n, c(15, 15, 10, 10, 0, 0))
  expect_equal(res$ref_n, c(50, 100, 40, 80, 30, 60))
  s <- summary(res)
  expect_equal(s$n, c(30, 20, 0))
  expect_true(is.na(s$statistic[[3]]) && is.na(s$df[[3]]))
  expect_equal(s$statistic[1:2], unname(vapply(c("A", "B"), function(v) {
    suppressWarnings(stats::chisq.test(rbind(c(15, 15, 10, 10)[res$s == v], res$ref_n[res$s == v]),
      correct = FALSE
    )$statistic)
  }, 0)))
  expect_true(all(is.na(res$representation_ratio[5:6])))
})

test_that("an access rate or ratio with nobody eligible is not computed, under any rule", {
  people <- data.frame(g = c(rep("W", 40), rep("B", 30), rep("X", 12)))
  people$key <- record_keys(people, seed = 4)
  pop <- data.frame(g = c("W", "B", "X"), n = c(400, 300, 0))
  res <- compare_access(people, g, pop, key = key, suppress = "cell_key")
  expect_false(any(is.infinite(res$access_rate)))
  expect_true(is.na(res$access_rate[res$g == "X"]))
  expect_true(is.na(res$representation_ratio[res$g == "X"]))
  expect_true(all(is.finite(res$access_rate[res$g != "X"])))
})
