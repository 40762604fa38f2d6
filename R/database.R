# Audits of tables that live in a database: the grouped counts (and age
# sums) are computed there by one GROUP BY query per analysis, only those
# are collected, and the analysis runs on them as on aggregated data.

#' Running an audit inside a database
#'
#' [describe_cohort()], [compare_access()], [compare_outcomes()],
#' [compare_groups()], [cmh_test()] and [tabulate_groups()] accept a lazy
#' database table (a `dbplyr` `tbl_sql`, such as `dplyr::tbl(con,
#' "caseload")`, possibly after `dplyr::filter()` and friends) in place of a
#' data frame. The counts the analysis needs are computed in the database
#' with one `SELECT ... COUNT(*) ... GROUP BY ...` query, only those counts
#' are collected, and the analysis then runs on them exactly as on a data
#' frame of counts: no record leaves the database. Age summaries are
#' computed there as `COUNT`, `SUM`, `SUM` of squares, `MIN` and `MAX`.
#' Any DBI backend with a dbplyr translation works (SQLite, PostgreSQL,
#' SQL Server via odbc, Spark SQL via sparklyr, BigQuery), since the query
#' uses only standard SQL.
#'
#' Differences from a data frame: group labels come back in sorted order,
#' or in the ONS order for ethnic categories (see "Order of groups" in
#' [equityaudit-arguments]; factor level order does not exist in a
#' database: reorder with `factor()` on the result); a weight, `events` or `total` column holding
#' `NULL` or a negative value is an error, as in memory. To see the SQL sent,
#' set `options(equityaudit.show_sql = TRUE)`; in interactive sessions a
#' message says when a query is running.
#'
#' @name database
#' @examples
#' if (requireNamespace("RSQLite", quietly = TRUE) && requireNamespace("dplyr", quietly = TRUE) &&
#'   requireNamespace("dbplyr", quietly = TRUE)) {
#'   con <- DBI::dbConnect(RSQLite::SQLite(), ":memory:")
#'   DBI::dbWriteTable(con, "ips", ips_synthetic[, -6])
#'   ips <- dplyr::tbl(con, "ips")
#'   compare_outcomes(ips, ethnicity, employed, by = service)
#'   DBI::dbDisconnect(con)
#' }
NULL

is_lazy_table <- function(x) inherits(x, "tbl_lazy")

# A zero-row data frame with the table's columns, for resolving column
# names; no query is sent.
lazy_proto <- function(data) {
  if (!requireNamespace("dbplyr", quietly = TRUE) ||
    !requireNamespace("DBI", quietly = TRUE)) {
    abort_input("argument", "Database tables need the DBI and dbplyr packages.", arg = "data")
  }
  # a grouped table would be pooled silently, as a grouped data frame would
  if (requireNamespace("dplyr", quietly = TRUE)) check_ungrouped(dplyr::group_vars(data))
  cols <- colnames(data)
  out <- as.data.frame(stats::setNames(lapply(cols, function(x) logical()), cols))
  names(out) <- cols
  out
}

db_send <- function(con, sql) {
  if (isTRUE(getOption("equityaudit.show_sql"))) message(sql)
  if (interactive()) message("equityaudit: counting in the database ...")
  DBI::dbGetQuery(con, sql)
}

# A function quoting identifiers for the table's connection.
db_quoter <- function(data) {
  con <- dbplyr::remote_con(data)
  # dbplyr's escaping: DBI's quoting on a live connection, and also works on
  # the simulated back ends (dbplyr::simulate_mssql() etc.)
  function(x) as.character(dbplyr::escape(dbplyr::ident(unname(x)), con = con, collapse = NULL))
}

# SELECT by, aggs AS alias FROM (the table's query) GROUP BY by: the one
# query shape every database analysis sends.
grouped_query <- function(data, by, aggs, alias) {
  q <- db_quoter(data)
  sql <- paste0(
    "SELECT ", paste(c(q(by), paste(aggs, "AS", q(alias))), collapse = ", "),
    " FROM (", as.character(dbplyr::sql_render(data)), ") ", q("ea_source"),
    if (length(by) > 0) paste0(" GROUP BY ", paste(q(by), collapse = ", "))
  )
  db_send(dbplyr::remote_con(data), sql)
}

# The data frame the column arguments are resolved against: the data
# itself, or the columns of a database table (no query is sent).
column_frame <- function(data) {
  if (is_lazy_table(data)) lazy_proto(data) else data
}

# The grouped counts of `cols`: COUNT(*) of records, or SUM of `weight`,
# and SUM of each of `sums`, with NULL and negative values refused.
db_counts <- function(data, cols, sums = character(), weight = NULL,
                      count_name = ".n") {
  q <- db_quoter(data)
  summed <- c(weight, sums)
  aggs <- c(
    if (length(weight) == 0) "COUNT(*)" else sprintf("SUM(%s)", q(weight)),
    sprintf("SUM(%s)", q(sums)),
    sprintf("SUM(CASE WHEN %s IS NULL THEN 1 ELSE 0 END)", q(summed)),
    sprintf("MIN(%s)", q(summed))
  )
  prefixed <- function(prefix) if (length(summed) > 0) paste0(prefix, summed) else character()
  alias <- c(count_name, sums, prefixed(".null_"), prefixed(".min_"))
  out <- grouped_query(data, cols, aggs, alias)
  for (col in summed) {
    nulls <- sum(as.double(out[[paste0(".null_", col)]]), na.rm = TRUE)
    low <- suppressWarnings(min(as.double(out[[paste0(".min_", col)]]), na.rm = TRUE))
    if (nulls > 0 || low < 0) {
      abort_input(
        "count",
        sprintf(
          "Column `%s` of the database table holds %s.", col,
          if (nulls > 0) sprintf("%s NULL values", format(nulls)) else "negative values"
        ),
        arg = col, column = col
      )
    }
  }
  out <- out[c(cols, count_name, sums)]
  for (col in c(count_name, sums)) out[[col]] <- as.double(out[[col]])
  as.data.frame(out, stringsAsFactors = FALSE)
}

# Sums of x (count, sum, sum of squares, min, max, missing) within `by`.
db_moments <- function(data, by, x) {
  v <- db_quoter(data)(x)
  aggs <- c(
    sprintf("COUNT(%s)", v), sprintf("SUM(%s)", v), sprintf("SUM(%s * %s)", v, v),
    sprintf("MIN(%s)", v), sprintf("MAX(%s)", v),
    sprintf("SUM(CASE WHEN %s IS NULL THEN 1 ELSE 0 END)", v)
  )
  alias <- c(".n", ".s", ".ss", ".min", ".max", ".n_missing")
  out <- grouped_query(data, by, aggs, alias)
  for (col in alias) out[[col]] <- as.double(out[[col]])
  out
}

# Moments from the columns of db_moments() (one stratum per element).
moments_from_sums <- function(sums) {
  n <- sums$.n
  mean <- ifelse(n > 0, sums$.s / pmax(n, 1), NA_real_)
  m2 <- pmax(sums$.ss - n * mean^2, 0)
  list(
    n = n, mean = mean, sd = ifelse(n > 1, sqrt(m2 / (n - 1)), NA_real_),
    min = ifelse(n > 0, sums$.min, NA_real_), max = ifelse(n > 0, sums$.max, NA_real_),
    n_missing = sums$.n_missing
  )
}

# Age moments of a database table in each stratum of the tally `tl` of
# its counts: sums by the `by` columns as they are, from one query, merged
# into the strata they fall in (folding the `unknown` labels).
db_age_moments <- function(table, by, age, tl, unknown) {
  sums <- db_moments(table, by, age)
  low <- suppressWarnings(min(sums$.min, na.rm = TRUE))
  high <- suppressWarnings(max(sums$.max, na.rm = TRUE))
  if (low < 0 || is.infinite(high)) {
    abort_input(
      "column",
      sprintf(
        "Column `%s` (`age`) of the database table must hold finite ages of 0 or more; found %s.",
        age, format_values(if (low < 0) low else high)
      ),
      arg = "age", column = age
    )
  }
  key <- strata_key(lapply(sums[by], function(v) as.character(fold_values(v, unknown))), nrow(sums))
  g <- factor(key, levels = unique(key))
  add <- function(col) as.vector(rowsum(sums[[col]], g, reorder = FALSE))
  pick <- function(f, col) {
    v <- ifelse(sums$.n > 0, sums[[col]], NA)
    as.vector(tapply(v, g, function(x) if (all(is.na(x))) NA_real_ else f(x, na.rm = TRUE)))
  }
  merged <- list(
    .n = add(".n"), .s = add(".s"), .ss = add(".ss"),
    .min = pick(min, ".min"), .max = pick(max, ".max"), .n_missing = add(".n_missing")
  )
  idx <- match(tally_strata_key(tl, by), levels(g))
  moments_from_sums(lapply(merged, `[`, idx))
}
