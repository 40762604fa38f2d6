# compare_services(): funnel limits (Spiegelhalter 2005) and overdispersion.

binom_cdf <- function(r, n, p) {
  if (r < 0) return(0)
  sum(choose(n, 0:r) * p^(0:r) * (1 - p)^(n - 0:r))
}
pois_cdf <- function(r, lambda) if (r < 0) 0 else sum(exp(-lambda) * lambda^(0:r) / factorial(0:r))

test_that("exact binomial limits equal the worked example", {
  # n = 20, target 0.5, p = 0.975: the 0.975 quantile is 14
  f14 <- binom_cdf(14, 20, 0.5)
  f13 <- binom_cdf(13, 20, 0.5)
  expect_true(f13 < 0.975 && f14 >= 0.975)
  alpha <- (f14 - 0.975) / (f14 - f13)
  want <- (14 - alpha) / 20
  got <- exact_limits(20, 0.5, 0.975, "proportion")
  expect_equal(got[1, 1], want, tolerance = 1e-10)
  # lower 0.001 limit, n = 50, target 0.3
  r <- 0
  while (binom_cdf(r, 50, 0.3) < 0.001) r <- r + 1
  a <- (binom_cdf(r, 50, 0.3) - 0.001) / (binom_cdf(r, 50, 0.3) - binom_cdf(r - 1, 50, 0.3))
  expect_equal(exact_limits(50, 0.3, 0.001, "proportion")[1, 1], (r - a) / 50, tolerance = 1e-10)
})

test_that("exact Poisson limits on the ratio equal the worked example", {
  # expected 12.5 users, target ratio 1, p = 0.025 and 0.999
  for (p in c(0.025, 0.999)) {
    r <- 0
    while (pois_cdf(r, 12.5) < p) r <- r + 1
    a <- (pois_cdf(r, 12.5) - p) / (pois_cdf(r, 12.5) - pois_cdf(r - 1, 12.5))
    expect_equal(exact_limits(12.5, 1, p, "ratio")[1, 1], (r - a) / 12.5, tolerance = 1e-10)
  }
})

test_that("overdispersion: winsorised phi and additive tau^2 as in Spiegelhalter 2005", {
  z <- c(-3, -1.5, -0.2, 0.1, 0.4, 0.9, 1.3, 2.2, 2.8, 4.5)
  size <- c(20, 40, 60, 80, 100, 120, 140, 160, 180, 200)
  q <- stats::quantile(z, c(0.1, 0.9), names = FALSE)
  zw <- pmin(pmax(z, q[1]), q[2])
  phi <- sum(zw^2) / 10
  w <- 4 * size
  tau2 <- (10 * phi - 9) / (sum(w) - sum(w^2) / sum(w))
  od <- dispersion_rows(rbind(z, z / 10), rbind(size, size))
  expect_equal(od$phi[[1]], phi, tolerance = 1e-10)
  expect_equal(od$tau2, c(tau2, 0), tolerance = 1e-10)
  # widened limits for a proportion: sin^2(asin(sqrt(t)) +- z sqrt(1/(4n) + tau2))
  lim <- random_effects_limits(100, 0.3, 0.975, "proportion", tau2)
  expect_equal(lim[1, 1], sin(asin(sqrt(0.3)) + qnorm(0.975) * sqrt(1 / 400 + tau2))^2,
    tolerance = 1e-10
  )
  lim <- random_effects_limits(50, 1, 0.001, "ratio", tau2)
  expect_equal(lim[1, 1], (1 + qnorm(0.001) * sqrt(1 / 200 + tau2))^2, tolerance = 1e-10)
})

services_data <- function(n = 20000, n_services = 40, seed = 1) {
  set.seed(seed)
  d <- data.frame(
    service = sprintf("S%02d", sample.int(n_services, n, TRUE)),
    ethnicity = sample(c("White", "Black", "Asian", NA), n, TRUE, prob = c(0.5, 0.2, 0.2, 0.1)),
    gender = sample(c("Male", "Female"), n, TRUE),
    stringsAsFactors = FALSE
  )
  d$employed <- stats::runif(n) < 0.3 + 0.1 * (d$service %in% c("S01", "S02"))
  d
}

test_that("outcome funnels: percentages, targets and limits against a direct computation", {
  d <- services_data()
  res <- compare_services(d, ethnicity, unit = service, outcome = employed)
  expect_s3_class(res, "equityaudit_services")
  known <- d[!is.na(d$ethnicity), ]
  tab <- table(known$service, known$ethnicity, known$employed)
  black <- res[res$ethnicity == "Black", ]
  n <- tab[, "Black", "TRUE"] + tab[, "Black", "FALSE"]
  expect_equal(black$n, as.vector(n))
  expect_equal(black$pct, as.vector(100 * tab[, "Black", "TRUE"] / n), tolerance = 1e-10)
  target <- sum(tab[, "Black", "TRUE"]) / sum(n)
  expect_equal(black$target, rep(100 * target, 40), tolerance = 1e-10)
  expect_equal(black$upper_95, 100 * exact_limits(as.vector(n), target, 0.975, "proportion")[, 1],
    tolerance = 1e-10
  )
  lim <- cbind(black$lower_998, black$lower_95, black$upper_95, black$upper_998)
  expect_true(all(lim[, 1] <= lim[, 2] & lim[, 2] <= lim[, 3] & lim[, 3] <= lim[, 4]))
  flag_high <- black$pct > black$upper_95
  expect_equal(as.character(black$flag) %in% c("high (95%)", "high (99.8%)"), flag_high)
  f <- tidy(res, "funnels")
  expect_equal(f$ethnicity, c("Asian", "Black", "White"))
  expect_false(any(f$widened))
})

test_that("ratio funnels: expected users from the reference shares", {
  d <- services_data()
  set.seed(2)
  pop <- expand.grid(
    ethnicity = c("White", "Black", "Asian"), service = sprintf("S%02d", 1:40),
    stringsAsFactors = FALSE
  )
  pop$n <- stats::rpois(nrow(pop), 300)
  res <- compare_services(d, ethnicity, unit = service, reference = pop, overdispersion = TRUE)
  acc <- compare_access(d[!is.na(d$ethnicity), ], ethnicity, pop, by = service)
  key <- paste(res$service, res$ethnicity)
  m <- match(paste(acc$service, acc$ethnicity), key)
  expect_equal(res$representation_ratio[m], acc$representation_ratio, tolerance = 1e-10)
  expect_equal(res$expected, res$service_n * res$ref_n /
    ave(res$ref_n, res$service, FUN = sum), tolerance = 1e-10)
  f <- tidy(res, "funnels")
  for (g in f$ethnicity) {
    r <- res[res$ethnicity == g, ]
    od <- dispersion_rows(rbind(2 * (sqrt(r$n) - sqrt(r$expected))), rbind(r$expected))
    expect_equal(f$phi[f$ethnicity == g], od$phi, tolerance = 1e-10)
    want <- if (od$tau2 > 0) {
      (1 + qnorm(0.975) * sqrt(1 / (4 * r$expected) + od$tau2))^2
    } else {
      exact_limits(r$expected, 1, 0.975, "ratio")[, 1]
    }
    expect_equal(r$upper_95, want, tolerance = 1e-10)
  }
})

test_that("one group, intersections, and errors", {
  d <- services_data()
  one <- compare_services(d, c(ethnicity, gender), service,
    outcome = employed, groups = "Black, Female"
  )
  expect_equal(as.character(unique(one$ethnicity_gender)), "Black, Female")
  expect_equal(as.character(unique(one$ethnicity)), "Black")
  expect_equal(as.character(unique(one$gender)), "Female")
  sel <- d[d$ethnicity %in% "Black" & d$gender == "Female", ]
  expect_equal(one$n, as.vector(table(sel$service)))
  expect_error(compare_services(d, ethnicity, unit = service), class = "equityaudit_error_argument")
  expect_error(compare_services(d, ethnicity, unit = service, outcome = employed, groups = "Blak"),
    class = "equityaudit_error_labels"
  )
})

test_that("funnel plots draw", {
  d <- services_data(5000, 20)
  res <- compare_services(d, ethnicity, unit = service, outcome = employed)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(res))
  skip_if_not_installed("ggplot2")
  expect_s3_class(ggplot2::autoplot(res), "ggplot")
})

test_that("intersections in compare_access() and compare_outcomes()", {
  ips <- equityaudit::ips_synthetic
  res <- compare_outcomes(ips, c(ethnicity, gender), employed, by = service, exact = "never")
  expect_true("Black/Black British, Female" %in% res$ethnicity_gender)
  sel <- ips[ips$service == "CNWL" & ips$ethnicity %in% "Black/Black British" & ips$gender %in% "Female", ]
  row <- res[res$service == "CNWL" & res$ethnicity_gender %in% "Black/Black British, Female", ]
  expect_equal(c(row$n, row$events), c(nrow(sel), sum(sel$employed)))
  ips$combo <- ifelse(is.na(ips$ethnicity) | is.na(ips$gender), NA,
    paste(ips$ethnicity, ips$gender, sep = ", ")
  )
  want <- compare_outcomes(ips, combo, employed, by = service, exact = "never")
  expect_equal(res$statistic, want$statistic[match(
    paste(res$service, res$ethnicity_gender), paste(want$service, want$combo)
  )], tolerance = 1e-10)
  pop <- stats::aggregate(n ~ service + ethnicity + gender, equityaudit::ips_population, sum)
  acc <- compare_access(ips, c(ethnicity, gender), pop, by = service, unknown = "Not known/stated")
  expect_equal(
    acc$ref_n[acc$service == "WWT" & acc$ethnicity_gender %in% "Black/Black British, Male"],
    sum(pop$n[pop$service == "WWT" & pop$ethnicity == "Black/Black British" & pop$gender == "Male"])
  )
  expect_equal(sum(acc$n), nrow(ips))
  expect_equal(sum(acc$ref_n), sum(pop$n))
})

test_that("overdispersion of many funnels at once equals the formula funnel by funnel", {
  set.seed(21)
  k <- 300
  m <- sample(0:12, k, TRUE)
  z <- matrix(NA_real_, k, 12)
  size <- matrix(NA_real_, k, 12)
  for (i in seq_len(k)) {
    z[i, seq_len(m[[i]])] <- round(stats::rnorm(m[[i]], 0, sample(c(0.5, 1, 3), 1)), sample(1:3, 1))
    size[i, seq_len(m[[i]])] <- sample(c(0, 5:500), m[[i]], TRUE)
  }
  z[sample(length(z), 40)] <- Inf
  od <- dispersion_rows(z, size)
  want <- t(vapply(seq_len(k), function(i) {
    ok <- is.finite(z[i, ]) & is.finite(size[i, ]) & size[i, ] > 0
    zi <- z[i, ok]
    w <- 4 * size[i, ok]
    n <- length(zi)
    if (n < 2) {
      return(c(NA, 0, n))
    }
    q <- stats::quantile(zi, c(0.1, 0.9), names = FALSE)
    phi <- mean(pmin(pmax(zi, q[[1]]), q[[2]])^2)
    tau2 <- if (n * phi > n - 1) (n * phi - (n - 1)) / (sum(w) - sum(w^2) / sum(w)) else 0
    c(phi, tau2, n)
  }, numeric(3)))
  expect_equal(od$phi, want[, 1], tolerance = 1e-12)
  expect_equal(od$tau2, want[, 2], tolerance = 1e-12)
  expect_equal(od$n, want[, 3])
  expect_true(any(od$tau2 > 0) && any(is.na(od$phi)))
})
