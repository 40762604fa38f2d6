# The cell-key rule for monthly releases: the keyed hash (no key
# additivity), the report and spreadsheet under the rule, and what a year
# of monthly releases lets a reader learn (helper-attack-cellkey*.R).

# People of three services, joining over 12 months, with their keys.
ck_year <- function(n = 400, seed = 5) {
  set.seed(seed)
  d <- data.frame(
    service = sample(c("A", "B", "C"), n, TRUE, prob = c(0.5, 0.3, 0.2)),
    ethnicity = sample(c("White", "Asian", "Black", "Mixed", "Other"), n, TRUE,
      prob = c(0.55, 0.2, 0.12, 0.08, 0.05)
    ),
    employed = sample(c("yes", "no"), n, TRUE),
    month = sample.int(12, n, TRUE),
    stringsAsFactors = FALSE
  )
  d$key <- record_keys(d, seed = seed)
  d
}

test_that("a total's position is not the sum of its parts' positions", {
  d <- ck_year()
  x <- describe_cohort(d, ethnicity, by = service, pooled = FALSE, key = key)
  sums <- equityaudit:::row_key_sums(x)$n
  pos <- equityaudit:::cell_key_positions(sums, charToRaw(ck_secret))
  people <- x$variable == "people"
  parts <- !people & !x$missing
  added <- vapply(c("A", "B", "C"), function(s) sum(pos[parts & x$service == s]) %% 256, 0)
  # the key sums add up (the same people); the positions do not
  expect_equal(sums[people], as.vector(tapply(sums[parts], x$service[parts], sum)))
  expect_false(any(added == pos[people]))
  # over many totals, the position of a sum matches the sum of the
  # positions about 1 time in 256 (by chance), not every time
  set.seed(8)
  a <- sample.int(5000, 2560)
  b <- sample.int(5000, 2560)
  match <- (equityaudit:::cell_key_positions(a, charToRaw(ck_secret)) +
    equityaudit:::cell_key_positions(b, charToRaw(ck_secret))) %% 256 ==
    equityaudit:::cell_key_positions(a + b, charToRaw(ck_secret))
  expect_lt(sum(match), 30)
})

test_that("key additivity narrows counts for certain without the keyed hash, and misleads with it", {
  set.seed(33)
  r <- ck_additivity_tally(25)
  legacy <- r[r$release == "legacy", ]
  keyed <- r[r$release == "keyed", ]
  expect_equal(c(legacy$parts, keyed$parts), c(76, 76))
  # the sums of the counts alone narrow a few either way
  expect_equal(c(legacy$count_narrowed, keyed$count_narrowed), c(8, 4))
  # without the keyed hash, the reader's premise holds: every count it
  # narrows is narrowed for certain
  expect_equal(legacy$premise_fails, 0)
  expect_equal(legacy$wrong, 0)
  expect_equal(c(legacy$narrowed, legacy$narrowed_right), c(9, 9))
  # with it, the premise is false: the reader's bounds miss the true count
  # (here once in 25 tables), so no narrowing is certain
  expect_equal(c(keyed$premise_fails, keyed$wrong), c(0, 1))
  expect_equal(c(keyed$narrowed, keyed$narrowed_right), c(11, 10))
  expect_gt(keyed$premise_fails + keyed$wrong, 0)
})

test_that("the report and the spreadsheet publish the same people's counts alike month after month", {
  skip_if_not_installed("openxlsx")
  d <- ck_year()
  release <- function(month) {
    report_tables(d[d$month <= month, ], ethnicity, employed, by = service,
      event = "yes", suppress = "cell_key", key = key
    )
  }
  may <- release(5)
  june <- release(6)
  expect_equal(names(may$tables), c("cohort", "outcomes"))
  expect_match(paste(may$notes, collapse = " "), "cell-key rule")
  expect_equal(may$settings$suppress, "cell_key")
  cells <- function(r) {
    o <- as.data.frame(unclass(r$tables$outcomes))
    o[!o$pooled, c("service", "ethnicity", "n", "events")]
  }
  a <- cells(may)
  b <- cells(june)
  joined <- merge(a, b, by = c("service", "ethnicity"), suffixes = c(".may", ".june"))
  new <- d[d$month == 6, ]
  grew <- paste(joined$service, joined$ethnicity) %in% paste(new$service, new$ethnicity)
  # nobody joined these cells in June: the same published counts
  expect_gt(sum(!grew), 0)
  expect_equal(joined$n.june[!grew], joined$n.may[!grew])
  # the same people in a table of their own give the same count
  alone <- suppressMessages(compare_outcomes(d[d$month <= 5, ], ethnicity, employed,
    by = service, event = "yes", key = key, suppress = "cell_key"
  ))
  expect_equal(as.data.frame(unclass(alone))$n[!alone$pooled], a$n)
  # the spreadsheet of the report
  f <- tempfile(fileext = ".xlsx")
  on.exit(unlink(f))
  expect_equal(write_tables(may, f), f)
  sheet <- openxlsx::read.xlsx(f, sheet = "Notes", colNames = FALSE)
  expect_match(paste(unlist(sheet), collapse = " "), "Cell-key method")
})

test_that("equity_report() renders a cell-key release with access, and says how counts are published", {
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  d <- ck_year()
  pop <- expand.grid(service = c("A", "B", "C"), ethnicity = c("White", "Asian", "Black", "Mixed", "Other"),
    stringsAsFactors = FALSE
  )
  pop$n <- seq(2000, by = 150, length.out = nrow(pop))
  r <- report_tables(d, ethnicity, employed, reference = pop, by = service, event = "yes",
    suppress = "cell_key", key = key
  )
  expect_equal(names(r$tables), c("cohort", "access", "outcomes"))
  # access counts are the cohort's, perturbed alike; the reference as given
  a <- as.data.frame(unclass(r$tables$access))
  co <- as.data.frame(unclass(r$tables$cohort))
  white_a <- co$n[co$service %in% "A" & co$level %in% "White"]
  expect_equal(a$n[a$service == "A" & a$ethnicity == "White"], white_a)
  expect_equal(sort(a$ref_n), sort(pop$n))
  out <- tempfile(fileext = ".html")
  on.exit(unlink(out))
  equity_report(r, path = out)
  html <- paste(readLines(out, warn = FALSE), collapse = "\n")
  expect_match(html, "perturbed\\s+by\\s+the\\s+cell-key\\s+method")
  expect_match(html, "Equality of access", fixed = TRUE)
  expect_false(grepl("Equal, different, or too few people to tell", html, fixed = TRUE))
})

test_that("the report under the cell-key rule needs keys and a secret, and keys need the rule", {
  d <- ck_year()
  expect_error(report_tables(d, ethnicity, employed, event = "yes", suppress = "cell_key"),
    "`key =`", class = "equityaudit_error_argument"
  )
  expect_error(report_tables(d, ethnicity, employed, event = "yes", key = key),
    "only by the cell-key rule", class = "equityaudit_error_argument"
  )
  withr_options(list(equityaudit.secret = NULL), {
    expect_error(report_tables(d, ethnicity, employed, event = "yes", suppress = "cell_key", key = key),
      class = "equityaudit_error_secret"
    )
  })
})

test_that("a year of monthly releases narrows the counts by the amounts measured", {
  set.seed(12)
  r <- ck_attack_tally("monthly_year", 2)
  # two cohorts, 12 cumulative releases each: 11 pairs of successive months
  expect_equal(c(r$pairs, r$cells), c(22, 324))
  # the reader's bounds hold the true counts; none is recovered exactly
  expect_equal(c(r$truth_outside, r$exact, r$small_exact), c(0, 0, 0))
  # narrower than a count published alone: 81 counts, 44 of the 181 of 1 to 7
  expect_equal(c(r$narrowed_below_own, r$small_cells, r$small_below_own), c(81, 181, 44))
  expect_equal(r$min_width, 2)
})
