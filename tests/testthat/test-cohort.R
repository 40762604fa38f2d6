test_that("describe_cohort() counts, percentages of known, and age", {
  set.seed(8)
  people <- data.frame(
    service = sample(c("CNWL", "WWT"), 300, TRUE),
    ethnicity = sample(c(bjpsych_ethnicity, NA), 300, TRUE),
    gender = sample(c("Male", "Female"), 300, TRUE),
    age = round(stats::runif(300, 17, 69))
  )
  people$age[c(5, 9)] <- NA
  co <- describe_cohort(people, c(ethnicity, gender), by = service, age = age)
  df <- as.data.frame(co)
  expect_equal(levels(factor(df$service)), c("CNWL", "Total", "WWT"))
  for (s in c("CNWL", "WWT", "Total")) {
    sub <- if (s == "Total") people else people[people$service == s, ]
    rows <- df[df$service == s, ]
    expect_equal(rows$n[rows$variable == "people"], nrow(sub))
    eth <- rows[rows$variable == "ethnicity" & !rows$missing, ]
    tab <- table(sub$ethnicity)
    expect_equal(eth$n, as.vector(tab[eth$level]))
    expect_equal(eth$pct, as.vector(100 * tab[eth$level] / sum(tab)))
    expect_equal(rows$n[rows$variable == "ethnicity" & rows$missing], sum(is.na(sub$ethnicity)))
    age <- rows[rows$variable == "age" & !rows$missing, ]
    expect_equal(age$mean, mean(sub$age, na.rm = TRUE), tolerance = 1e-12)
    expect_equal(age$sd, stats::sd(sub$age, na.rm = TRUE), tolerance = 1e-12)
    expect_equal(c(age$min, age$max), range(sub$age, na.rm = TRUE))
    expect_equal(rows$n[rows$variable == "age" & rows$missing], sum(is.na(sub$age)))
  }
  text <- format(co)
  expect_equal(names(text), c(" ", "CNWL", "WWT", "Total"))
  expect_match(text$CNWL[[2]], "^[0-9]+ \\([0-9.]+\\)$")
})

test_that("describe_cohort() errors name the column", {
  expect_error(describe_cohort(data.frame(a = 1), nope), class = "equityaudit_error_column")
  expect_error(describe_cohort(data.frame(a = "x", age = "old"), a, age = age),
               class = "equityaudit_error_column")
})

test_that("age summaries line up with their strata when there are two by columns", {
  d <- ips_synthetic
  d$age[c(3, 500)] <- NA
  x <- as.data.frame(unclass(describe_cohort(d, ethnicity, by = c(service, gender), age = age)))
  got <- x[x$variable == "age" & !x$missing & x$service != "Total" &
    x$gender != "Not known", ]
  for (i in seq_len(nrow(got))) {
    ages <- d$age[as.character(d$service) == as.character(got$service[[i]]) &
      as.character(d$gender) %in% as.character(got$gender[[i]])]
    expect_equal(got$n[[i]], sum(!is.na(ages)))
    expect_equal(got$mean[[i]], mean(ages, na.rm = TRUE), tolerance = 1e-12)
    expect_equal(got$sd[[i]], stats::sd(ages, na.rm = TRUE), tolerance = 1e-12)
    expect_equal(got$max[[i]], max(ages, na.rm = TRUE))
  }
  expect_equal(nrow(got), 4)
})

test_that("a selection of a cohort's columns prints as a plain table", {
  x <- describe_cohort(ips_synthetic, ethnicity, by = service)
  part <- x[, c("service", "variable", "level", "n")]
  out <- format(part)
  expect_equal(names(out), c("service", "variable", "level", "n"))
  expect_equal(nrow(out), nrow(x))
  expect_output(print(part), "White")
})
