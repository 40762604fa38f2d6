# Runs the test suite and every example of the installed equityaudit; used
# by `make sanitize` and `make valgrind`. Fails on any test failure or
# example error.
suppressPackageStartupMessages(library(equityaudit))
grDevices::pdf(NULL)

db <- tools::Rd_db("equityaudit")
for (name in names(db)) {
  file <- tempfile(fileext = ".R")
  tools::Rd2ex(db[[name]], file)
  if (file.exists(file)) {
    message("example: ", name)
    source(file, local = new.env(), echo = FALSE)
  }
}

results <- testthat::test_dir("tests/testthat",
  load_package = "none", reporter = "summary", stop_on_failure = TRUE
)
invisible(results)
