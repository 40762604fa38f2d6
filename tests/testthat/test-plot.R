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
