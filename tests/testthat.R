library(testthat)
library(equityaudit)

test_check("equityaudit")
