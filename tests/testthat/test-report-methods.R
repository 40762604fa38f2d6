# The report's methods and data-quality section (R/report-methods.R): the
# period, who is counted and left out, the completeness of the group
# column from the published cohort, the rule in words, definitions, and
# the release's contact, source and next release.

methods_cells <- function(md) {
  rows <- regmatches(md, gregexpr("\n\\| [^\n]*\\|", md))[[1]]
  cells <- lapply(strsplit(sub("^\n\\| ", "", rows), " | ", fixed = TRUE), function(v) sub(" \\|$", "", v))
  decode <- function(x) gsub("&#46;", ".", gsub("&#40;", "(", gsub("&#41;", ")", gsub("&#37;", "%", gsub("&#42;", "*", gsub("&#44;", ",", x))))))
  lapply(cells, decode)
}

test_that("the completeness of the group column is the published cohort's, place by place", {
  ref <- realistic_referrals(600, seed = 11)
  people <- ref$people
  people$referred <- as.Date("2023-04-01") + (seq_len(nrow(people)) * 7L) %% 365L
  r <- report_tables(people, ethnic_group, outcome,
    by = site, event = "Employed", suppress = "none", date = referred, period = "financial_quarter"
  )
  md <- equityaudit:::report_methods(r)
  cells <- methods_cells(md)
  expect_equal(cells[[1]], c("site", "People", "Group recorded (%)", "Recorded as not stated (%)", "No group recorded (%)"))
  site <- people$site
  g <- trimws(people$ethnic_group)
  for (row in cells[-(1:2)]) {
    mine <- if (row[[1]] == "All") rep(TRUE, nrow(people)) else site == row[[1]]
    n <- sum(mine)
    none <- sum(mine & (is.na(g) | g == ""))
    stated <- sum(mine & g %in% "Not stated")
    pct <- function(k) sprintf("%s (%.1f%%)", format(k, big.mark = ","), 100 * k / n)
    expect_equal(row[-1], c(format(n, big.mark = ","), pct(n - none - stated), pct(stated), pct(none)))
  }
  expect_length(cells, 2 + 4)
  # the period, from the periods the table has
  expect_match(md, "The records cover 4 financial quarters&#44; from 2023&#45;24 Q1 to 2023&#45;24 Q4", fixed = TRUE)
  expect_match(md, paste0("every record of the data&#58; ", format(nrow(people), big.mark = "&#44;"), " people&#46;"), fixed = TRUE)
  left <- sum(is.na(g) | g == "")
  expect_match(md, paste0("left out of the comparisons between groups&#58; ", left, " people&#46;"), fixed = TRUE)
  missing_outcome <- sum(people$outcome == "")
  expect_match(md, paste0("outcome comparisons&#58; ", missing_outcome, " people&#46;"), fixed = TRUE)
  # exact counts: no rule, and percentages to one decimal
  expect_match(md, "No count is hidden or rounded", fixed = TRUE)
})

test_that("under a rule the completeness table hides what would give a hidden count away", {
  ref <- realistic_referrals(600, seed = 11)
  r <- report_tables(ref$people, ethnic_group, outcome, by = site, event = "Employed")
  md <- equityaudit:::report_methods(r)
  cells <- methods_cells(md)
  co <- as.data.frame(unclass(r$tables$cohort))
  for (row in cells[-(1:2)]) {
    here <- if (row[[1]] == "All") co$pooled else co$site == row[[1]] & !co$pooled
    n <- co$n[here & co$variable == "people"]
    none <- co$n[here & co$missing]
    stated <- co$n[here & co$level %in% "Not stated"]
    shown <- function(k) {
      if (is.na(k)) {
        return("*")
      }
      # no percentage of a hidden total
      if (is.na(n)) format(k, big.mark = ",") else sprintf("%s (%.0f%%)", format(k, big.mark = ","), 100 * k / n)
    }
    people <- if (is.na(n)) "*" else format(n, big.mark = ",")
    expect_equal(row[-1], c(people, shown(n - none - stated), shown(stated), shown(none)))
  }
  # a * stands for a count of any size, in words
  expect_match(md, "stands for a count of any size", fixed = TRUE)
  expect_false(grepl("[0-9]\\.[0-9]&#37;", md))
})

test_that("the report ends with its methods, and the release's contact, source and next release as text", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  r <- report_tables(ips_synthetic, ethnicity, employed, by = service)
  html <- tempfile(fileext = ".html")
  on.exit(unlink(html))
  equity_report(r,
    path = html, contact = "<a href='x'>equality@trust</a>", source = "*Referrals* system",
    next_release = "July 2027"
  )
  page <- paste(readLines(html, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  # the last section but the notes, and its subsections in order
  h2 <- gsub("<[^>]+>", "", regmatches(page, gregexpr("<h2[^>]*>.*?</h2>", page))[[1]])
  expect_true("Methods and data quality" %in% utils::tail(h2, 2))
  h3 <- gsub("<[^>]+>", "", regmatches(page, gregexpr("<h3[^>]*>.*?</h3>", page))[[1]])
  expect_equal(utils::tail(h3, 5), c(
    "Who is counted", "How complete the group column is", "Hidden and rounded counts",
    "What the statistics mean", "About this release"
  ))
  expect_false(grepl("<a href='x'>", page, fixed = TRUE))
  expect_false(grepl("<em>Referrals</em>", page, fixed = TRUE))
  expect_match(page, "Next release: July 2027", fixed = TRUE)
  expect_error(equity_report(r, path = html, contact = c("a", "b")), class = "equityaudit_error_input")
  expect_error(equity_report(r, path = html, next_release = 2027), "`next_release` must be one string")
})
