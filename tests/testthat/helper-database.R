# Database fixtures: an in-memory SQLite database, and the throw-away
# PostgreSQL server that `make check` starts (tools/with-postgres.sh).

# ips_synthetic with character columns (a database has no factor levels)
ips_plain <- function() {
  d <- equityaudit::ips_synthetic
  d$date_joined <- NULL
  for (col in c("service", "ethnicity", "gender")) d[[col]] <- as.character(d[[col]])
  d
}

# the eligible population of the two synthetic services, "Not known"
# standing for an unknown ethnicity
caseload_population <- function() {
  data.frame(
    service = rep(c("CNWL", "WWT"), each = 6),
    ethnicity = rep(c(
      "White", "Asian/Asian British", "Black/Black British", "Mixed", "Other",
      "Not known"
    ), 2),
    n = c(2774, 1158, 810, 936, 1335, 1350, 900, 805, 259, 61, 170, 480)
  )
}

# a caseload of n records with 1000 services
big_caseload <- function(n) {
  set.seed(20261125)
  data.frame(
    service = sprintf("S%04d", sample.int(1000, n, TRUE)),
    ethnicity = sample(c("White", "Asian", "Black", "Mixed", "Other", NA), n, TRUE,
      prob = c(0.5, 0.2, 0.15, 0.07, 0.05, 0.03)
    ),
    gender = sample(c("Male", "Female"), n, TRUE),
    age = sample(c(16:70, NA), n, TRUE),
    employed = sample(c(TRUE, FALSE), n, TRUE, prob = c(0.35, 0.65)),
    stringsAsFactors = FALSE
  )
}

sqlite_table <- function(data, name = "records") {
  testthat::skip_if_not_installed("RSQLite")
  testthat::skip_if_not_installed("dbplyr")
  testthat::skip_if_not_installed("dplyr")
  con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
  DBI::dbWriteTable(con, name, data)
  list(con = con, tbl = dplyr::tbl(con, name))
}

# The PostgreSQL connection, or a skip (a failure when make check asked
# for the server with EQUITYAUDIT_REQUIRE_PG=1).
postgres_connection <- function() {
  socket <- Sys.getenv("EQUITYAUDIT_PG_SOCKET")
  required <- nzchar(Sys.getenv("EQUITYAUDIT_REQUIRE_PG"))
  pkgs <- c("RPostgreSQL", "dbplyr", "DBI")
  missing_pkg <- !all(vapply(pkgs, requireNamespace, TRUE, quietly = TRUE))
  if (!nzchar(socket) || missing_pkg) {
    why <- if (missing_pkg) "the RPostgreSQL, DBI or dbplyr package is missing" else
      "no PostgreSQL server (EQUITYAUDIT_PG_SOCKET is unset; `make check` starts one)"
    if (required) testthat::fail(paste("PostgreSQL tests required but", why))
    testthat::skip(why)
  }
  DBI::dbConnect(RPostgreSQL::PostgreSQL(),
    host = socket, port = as.integer(Sys.getenv("EQUITYAUDIT_PG_PORT", "5432")),
    user = "postgres", dbname = "postgres"
  )
}

# results equal to 1e-10: their rows, and every other table they carry
# (tests, CMH tests, adjusted and pooled estimates, funnels, trends, the
# people left out)
expect_same_result <- function(got, want) {
  testthat::expect_equal(
    as.data.frame(unclass(got), stringsAsFactors = FALSE),
    as.data.frame(unclass(want), stringsAsFactors = FALSE),
    tolerance = 1e-10
  )
  tables <- names(attr(want, "tables"))
  testthat::expect_equal(names(attr(got, "tables")), tables)
  for (t in c("tests", tables)) {
    testthat::expect_equal(generics::tidy(got, t), generics::tidy(want, t),
      tolerance = 1e-10, label = paste("tidy(got, ", t, ")")
    )
  }
  testthat::expect_equal(attr(got, "by"), attr(want, "by"))
  testthat::expect_equal(attr(got, "group"), attr(want, "group"))
}
