# compare_services() and compare_periods() on database tables: only GROUP BY
# counts leave the database, the result equals the data frame's, and the
# SQL sent also runs for the warehouse back ends (simulated by dbplyr).

db_people <- function() {
  d <- ips_plain()
  d$date_joined <- format(equityaudit::ips_synthetic$date_joined)
  d$age <- NULL
  d$id <- NULL
  d
}

test_that("compare_services() and compare_periods() of an SQLite table equal the data frame's", {
  d <- db_people()
  db <- sqlite_table(d)
  on.exit(DBI::dbDisconnect(db$con))
  expect_same_result(
    compare_services(db$tbl, ethnicity, unit = service, outcome = employed),
    compare_services(d, ethnicity, unit = service, outcome = employed)
  )
  pop <- caseload_population()
  DBI::dbWriteTable(db$con, "population", pop)
  expect_same_result(
    compare_services(db$tbl, ethnicity, unit = service,
      reference = dplyr::tbl(db$con, "population"), unknown = "Not known"
    ),
    compare_services(d, ethnicity, unit = service, reference = pop, unknown = "Not known")
  )
  expect_same_result(
    compare_periods(db$tbl, c(ethnicity, gender), date_joined, period = "month", outcome = employed),
    compare_periods(d, c(ethnicity, gender), date_joined, period = "month", outcome = employed)
  )
})

# The SQL a call sends, from a table whose connection is simulated (the
# query itself then fails, as there is no database).
sent_sql <- function(expr) {
  sql <- character()
  withCallingHandlers(
    try(expr, silent = TRUE),
    message = function(m) {
      sql <<- c(sql, conditionMessage(m))
      invokeRestart("muffleMessage")
    }
  )
  sql <- grep("SELECT", sql, value = TRUE)
  trimws(sql[[1]])
}

test_that("the SQL sent also translates for SQL Server, Spark SQL and Snowflake", {
  skip_if_not_installed("dbplyr")
  skip_if_not_installed("RSQLite")
  d <- db_people()
  backends <- list(
    sql_server = dbplyr::simulate_mssql(),
    spark_sql = if (exists("simulate_spark_sql", asNamespace("dbplyr"))) {
      getExportedValue("dbplyr", "simulate_spark_sql")()
    } else {
      dbplyr::simulate_hive()
    },
    snowflake = dbplyr::simulate_snowflake()
  )
  con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  on.exit(DBI::dbDisconnect(con))
  DBI::dbWriteTable(con, "df", d)
  old <- options(equityaudit.show_sql = TRUE)
  on.exit(options(old), add = TRUE)
  for (b in names(backends)) {
    lf <- dbplyr::lazy_frame(d, con = backends[[b]], .name = "df")
    services <- sent_sql(compare_services(lf, ethnicity, unit = service, outcome = employed))
    periods <- sent_sql(compare_periods(lf, ethnicity, date_joined, outcome = employed))
    for (sql in list(services, periods)) {
      expect_match(sql, "GROUP BY", info = b)
      expect_false(grepl("LIMIT|TOP", sql), info = b)
      # the query is plain SQL with quoted identifiers: it runs as it stands
      got <- DBI::dbGetQuery(con, sql)
      expect_equal(sum(got[[".n"]]), nrow(d), info = b)
    }
    got <- DBI::dbGetQuery(con, services)
    expect_equal(nrow(got), nrow(unique(d[c("ethnicity", "service", "employed")])), info = b)
  }
})
