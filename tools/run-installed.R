# Runs the test suite and every example of the installed equityaudit; used
# by `make sanitize` and `make valgrind`. Fails on any test failure or
# example error.
suppressPackageStartupMessages(library(equityaudit))
# snapshot tests compare printed output, as under make check
Sys.setenv(NOT_CRAN = "true")
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

# run in the package's namespace, as R CMD check runs them (tests may use
# internal functions)
results <- testthat::test_dir("tests/testthat",
  package = "equityaudit", load_package = "installed", reporter = "summary",
  stop_on_failure = TRUE
)
invisible(results)
