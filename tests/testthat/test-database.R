# Audits of database tables: only grouped counts leave the database, and
# the results are those of the same audit in memory.

test_that("SQLite audits equal the in-memory ones", {
  plain <- ips_plain()
  db <- sqlite_table(plain)
  on.exit(DBI::dbDisconnect(db$con))
  ips <- db$tbl
  expect_same_result(
    suppressMessages(compare_outcomes(ips, ethnicity, employed, by = service, strata = gender)),
    suppressMessages(compare_outcomes(plain, ethnicity, employed, by = service, strata = gender))
  )
  expect_same_result(
    describe_cohort(ips, c(ethnicity, gender), by = service, age = age),
    describe_cohort(plain, c(ethnicity, gender), by = service, age = age)
  )
  expect_same_result(
    describe_cohort(ips, gender, age = age, unknown = "Other"),
    describe_cohort(plain, gender, age = age, unknown = "Other")
  )
  pop <- caseload_population()
  want <- compare_access(plain, ethnicity, pop, by = service, unknown = "Not known")
  expect_same_result(compare_access(ips, ethnicity, pop, by = service, unknown = "Not known"), want)
  DBI::dbWriteTable(db$con, "population", pop)
  expect_same_result(
    compare_access(ips, ethnicity, dplyr::tbl(db$con, "population"),
      by = service,
      unknown = "Not known"
    ),
    want
  )
  expect_same_result(
    compare_access(plain, ethnicity, dplyr::tbl(db$con, "population"),
      by = service,
      unknown = "Not known"
    ),
    want
  )
  expect_same_result(
    compare_groups(ips, ethnicity, employed, by = service, ref_group = "rest"),
    compare_groups(plain, ethnicity, employed, by = service, ref_group = "rest")
  )
  expect_same_result(
    cmh_test(ips, ethnicity, employed, across = service),
    cmh_test(plain, ethnicity, employed, across = service)
  )
  expect_equal(
    tabulate_groups(ips, c(ethnicity, gender), by = service),
    tabulate_groups(plain, c(ethnicity, gender), by = service)
  )
  # a filtered table is counted after the filter
  older <- dplyr::filter(ips, age > 40)
  expect_equal(
    summary(compare_outcomes(older, ethnicity, employed))$n,
    sum(plain$age > 40 & !is.na(plain$ethnicity))
  )
})

test_that("only GROUP BY counts are sent and collected", {
  plain <- ips_plain()
  db <- sqlite_table(plain)
  on.exit(DBI::dbDisconnect(db$con))
  old <- options(equityaudit.show_sql = TRUE)
  on.exit(options(old), add = TRUE)
  sql <- character()
  res <- withCallingHandlers(
    describe_cohort(db$tbl, c(ethnicity, gender), by = service, age = age),
    message = function(m) {
      sql <<- c(sql, conditionMessage(m))
      invokeRestart("muffleMessage")
    }
  )
  expect_length(sql, 2)
  expect_match(sql[[1]], "^SELECT `service`, `ethnicity`, `gender`, COUNT\\(\\*\\) AS `.n` FROM")
  expect_match(sql[[1]], "GROUP BY `service`, `ethnicity`, `gender`\n?$")
  expect_match(sql[[2]], "SUM(`age` * `age`)", fixed = TRUE)
  expect_match(sql[[2]], "MIN(`age`)", fixed = TRUE)
  expect_match(sql[[2]], "GROUP BY `service`", fixed = TRUE)
  options(old)
  # what comes back is one row per cell, not per person
  counts <- equityaudit:::db_counts(db$tbl, c("service", "ethnicity"))
  expect_equal(nrow(counts), 12)
  expect_equal(sum(counts$.n), nrow(plain))
})

test_that("bad counts in a database table are refused", {
  d <- data.frame(g = c("a", "b", "a"), n = c(3, NA, 2), e = c(1, 1, -1))
  db <- sqlite_table(d)
  on.exit(DBI::dbDisconnect(db$con))
  expect_error(tabulate_groups(db$tbl, g, weight = n), class = "equityaudit_error_count")
  expect_error(tabulate_groups(db$tbl, g, weight = e), "negative",
    class = "equityaudit_error_count"
  )
  expect_error(tabulate_groups(db$tbl, h), class = "equityaudit_error_column")
  expect_error(compare_outcomes(db$tbl, g, events = e, total = n),
    class = "equityaudit_error_count"
  )
})

test_that("PostgreSQL audits of a 10^6-record caseload equal the in-memory ones", {
  con <- postgres_connection()
  on.exit(DBI::dbDisconnect(con))
  records <- big_caseload(1e6)
  DBI::dbWriteTable(con, "caseload", records, overwrite = TRUE, row.names = FALSE)
  DBI::dbWriteTable(con, "ips", ips_plain(), overwrite = TRUE, row.names = FALSE)
  caseload <- suppressWarnings(dplyr::tbl(con, "caseload"))
  ips <- dplyr::tbl(con, "ips")
  expect_equal(DBI::dbGetQuery(con, "SELECT COUNT(*) AS n FROM caseload")$n, 1e6)
  expect_same_result(
    suppressMessages(compare_outcomes(caseload, ethnicity, employed,
      by = service, strata = gender
    )),
    suppressMessages(compare_outcomes(records, ethnicity, employed, by = service, strata = gender))
  )
  expect_same_result(
    describe_cohort(caseload, c(ethnicity, gender), by = service, age = age),
    describe_cohort(records, c(ethnicity, gender), by = service, age = age)
  )
  population <- big_caseload(3e5)
  population$service <- sort(population$service)
  DBI::dbWriteTable(con, "population", population, overwrite = TRUE, row.names = FALSE)
  expect_same_result(
    compare_access(caseload, ethnicity, dplyr::tbl(con, "population"), by = service),
    compare_access(records, ethnicity,
      tabulate_groups(population, ethnicity, by = service),
      by = service
    )
  )
  plain <- ips_plain()
  expect_same_result(
    compare_groups(ips, ethnicity, employed, by = service),
    compare_groups(plain, ethnicity, employed, by = service)
  )
  expect_same_result(
    describe_cohort(ips, c(ethnicity, gender), by = service, age = age),
    describe_cohort(plain, c(ethnicity, gender), by = service, age = age)
  )
  DBI::dbRemoveTable(con, "caseload")
  DBI::dbRemoveTable(con, "population")
  # .ci/run looks for this line to know the PostgreSQL tests ran
  cat("\nequityaudit: PostgreSQL tests ran against", Sys.getenv("EQUITYAUDIT_PG_SOCKET"), "\n")
})
