test_that("plot methods draw without error and return their input", {
  res <- suppressMessages(compare_outcomes(ips_synthetic, ethnicity, employed, by = service))
  pub <- bjpsych_published[bjpsych_published$characteristic == "ethnicity", ]
  pop <- data.frame(service = pub$service, ethnicity = as.character(pub$group),
                    n = pub$population_n)
  acc <- compare_access(ips_synthetic, ethnicity, pop, by = service,
                        unknown = "Not known/stated")
  file <- tempfile(fileext = ".png")
  grDevices::png(file)
  expect_identical(plot(res), res)
  expect_identical(plot(acc), acc)
  grDevices::dev.off()
  expect_gt(file.size(file), 1000)
  skip_if_not_installed("ggplot2")
  expect_s3_class(ggplot2::autoplot(res), "ggplot")
  expect_s3_class(ggplot2::autoplot(acc), "ggplot")
})

test_that("plots of suppressed results with every group hidden draw a note", {
  d <- data.frame(
    svc = rep(c("A", "B"), 15), eth = rep(c("W", "B", "A"), 10),
    y = rep(c(TRUE, FALSE, FALSE), 10)
  )
  pop <- expand.grid(svc = c("A", "B"), eth = c("W", "B", "A"), stringsAsFactors = FALSE)
  pop$n <- 100
  r <- report_tables(d, eth, y, pop, by = svc, suppress = "opensafely")
  # 5 people per cell: every count is starred under OpenSAFELY's rule
  expect_true(all(is.na(unclass(r$tables$access)$n)))
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(r$tables$access))
  expect_invisible(plot(r$tables$outcomes))
  expect_equal(nrow(equityaudit:::access_plot_data(r$tables$access)), 0)
})
