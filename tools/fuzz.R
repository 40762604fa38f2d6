# `make fuzz`: the fuzz test with 10^4 cases for every exported function.
suppressPackageStartupMessages(library(equityaudit))
n <- as.integer(Sys.getenv("EQUITYAUDIT_FUZZ_N", "10000"))
Sys.setenv(EQUITYAUDIT_FUZZ_N = n)
t0 <- Sys.time()
testthat::test_file("tests/testthat/test-fuzz.R",
  package = "equityaudit", load_package = "none", stop_on_failure = TRUE
)
cat(sprintf(
  "fuzz: %d cases for each exported function, %s\n", n,
  format(round(Sys.time() - t0))
))
