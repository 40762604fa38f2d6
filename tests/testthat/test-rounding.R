# Inference honest under rounding: every interval and verdict published
# under a rounding rule covers all the true counts the rounded ones could
# stand for (rounding_envelope(), R/suppress-rounding.R).

rounding_people <- function(seed) {
  local({
    set.seed(seed)
    k <- sample(3:5, 1)
    sites <- sample(1:2, 1)
    n <- sample(40:300, 1)
    labels <- paste("Group", LETTERS[seq_len(k)])
    d <- data.frame(
      site = sample(paste("Site", seq_len(sites)), n, TRUE),
      grp = sample(labels, n, TRUE, prob = stats::runif(k, 0.1, 1))
    )
    # every group in every site
    d$grp[seq_len(k * sites)] <- rep(labels, sites)
    d$site[seq_len(k * sites)] <- rep(paste("Site", seq_len(sites)), each = k)
    p <- stats::runif(k, 0.2, 0.8)
    d$out <- ifelse(stats::runif(n) < p[match(d$grp, labels)], "yes", "no")
    pop <- expand.grid(site = unique(d$site), grp = labels, stringsAsFactors = FALSE)
    pop$n <- sample(20:400, nrow(pop), TRUE)
    list(people = d, population = pop)
  })
}

# Rows of a result by their keys, as a plain data frame.
rounding_rows <- function(x, keys) {
  d <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  d$key <- do.call(paste, c(lapply(d[keys], as.character), sep = "|"))
  d
}

# A published result against the records': the verdicts it publishes
# (firm: "different" or "equivalent"), those that contradict the
# records', and the intervals (columns `<ci>_low`, `<ci>_high`) that do
# not contain the records' interval, of those `checked` (shown in both).
rounding_tally <- function(truth, shown, keys, ci) {
  a <- rounding_rows(truth, keys)
  b <- rounding_rows(shown, keys)
  a <- a[match(b$key, a$key), ]
  low <- paste0(ci, "_low")
  high <- paste0(ci, "_high")
  is_firm <- if (is.null(b$verdict)) FALSE else b$verdict %in% c("different", "equivalent")
  has <- !is.na(b[[low]]) & !is.na(a[[low]])
  c(
    firm = sum(is_firm),
    contradicted = sum(is_firm & b$verdict != a$verdict),
    uncovered = sum(has & (b[[low]] > a[[low]] + 1e-9 | b[[high]] < a[[high]] - 1e-9)),
    checked = sum(has)
  )
}

test_that("a hand-checked comparison: rounding widens the interval and withdraws the verdict", {
  ns <- asNamespace("equityaudit")
  r <- ns$suppression_rule("nhs_digital", NULL, NULL)
  stat <- function(v) ns$pair_statistics(v, 0.1, 0.95, "newcombe")
  published <- list(events = 15, n = 20, ref_events = 50, ref_n = 100)
  plain <- stat(published)
  expect_equal(plain$verdict, "different")
  got <- ns$rounding_envelope(published, r, stat,
    lows = "diff_low", highs = "diff_high", verdict = "verdict",
    valid = function(v) v$events <= v$n
  )
  # the counts behind 15 of 20 and 50 of 100 are 13 to 17 of 18 to 22 and
  # 48 to 52 of 98 to 102: the lowest difference is 13 of 22 against 52
  # of 98, the highest 17 of 18 against 48 of 102
  low <- ns$difference_interval(13, 22, 52, 98, 0.95, "newcombe")$low
  high <- ns$difference_interval(17, 18, 48, 102, 0.95, "newcombe")$high
  expect_equal(got$diff_low, 100 * low)
  expect_equal(got$diff_high, 100 * high)
  expect_equal(round(got$diff_low, 1), -16.5)
  expect_equal(round(got$diff_high, 1), 57.8)
  # the published counts alone would say 1.1 to 41.8 points: "different"
  expect_equal(round(c(plain$diff_low, plain$diff_high), 1), c(1.1, 41.8))
  expect_equal(got$verdict, "inconclusive")
  # the estimate stays that of the published counts
  expect_equal(got$difference, 25)
  # no rounding: the statistics as they are
  none <- ns$suppression_rule("none", NULL, NULL)
  expect_identical(ns$rounding_envelope(published, none, stat, lows = "diff_low"), plain)
})

# How many random tables the verdict test draws under each rule: 100 in
# `make check`, or EQUITYAUDIT_ROUNDING_TABLES (`make rounding` runs
# 1,000 under each rule and prints the counts).
rounding_tables <- function() {
  n <- Sys.getenv("EQUITYAUDIT_ROUNDING_TABLES")
  if (nzchar(n)) as.integer(n) else reps(100)
}

test_that("published verdicts never contradict the records', intervals contain the records'", {
  for (rule in c("nhs_digital", "opensafely")) {
    firm <- 0
    contradicted <- 0
    uncovered <- 0
    tables <- rounding_tables()
    for (seed in seq_len(tables)) {
      d <- rounding_people(seed)$people
      truth <- compare_groups(d, grp, out, by = site, event = "yes", ref_group = "Group A")
      shown <- compare_groups(d, grp, out,
        by = site, event = "yes", ref_group = "Group A",
        suppress = rule
      )
      tally <- rounding_tally(truth, shown, c("site", "grp"), "diff")
      firm <- firm + tally[["firm"]]
      contradicted <- contradicted + tally[["contradicted"]]
      uncovered <- uncovered + tally[["uncovered"]]
      # published percentages are shown as whole numbers
      pct <- readable_table(shown, "pct")[[1]]
      expect_true(all(grepl("^([0-9]+|\\*|)$", pct)))
    }
    if (nzchar(Sys.getenv("EQUITYAUDIT_ROUNDING_TABLES"))) {
      message(sprintf(
        "rounding, %s rule: %d tables, %d firm verdicts published, %d contradicting the records, %d intervals not covering the records'",
        rule, tables, firm, contradicted, uncovered
      ))
    }
    expect_gt(firm, 0)
    expect_equal(contradicted, 0)
    expect_equal(uncovered, 0)
  }
})

test_that("access ratios and outcome intervals under rounding contain the records'", {
  firm <- 0
  contradicted <- 0
  uncovered <- 0
  for (seed in seq_len(30)) {
    d <- rounding_people(seed)
    truth <- compare_access(d$people, grp, d$population, by = site, ref_count = "n")
    shown <- compare_access(d$people, grp, d$population,
      by = site, ref_count = "n", suppress = "nhs_digital"
    )
    tally <- rounding_tally(truth, shown, c("site", "grp"), "ratio")
    firm <- firm + tally[["firm"]]
    contradicted <- contradicted + tally[["contradicted"]]
    uncovered <- uncovered + tally[["uncovered"]]
    truth <- suppressMessages(compare_outcomes(d$people, grp, out, by = site, event = "yes"))
    shown <- suppressMessages(
      compare_outcomes(d$people, grp, out, by = site, event = "yes", suppress = "nhs_digital")
    )
    uncovered <- uncovered + rounding_tally(truth, shown, c("site", "grp"), "pct")[["uncovered"]]
  }
  expect_gt(firm, 0)
  expect_equal(contradicted, 0)
  expect_equal(uncovered, 0)
})

test_that("the notes sheet and the report say percentages are whole numbers under rounding", {
  ns <- asNamespace("equityaudit")
  r <- ns$suppression_rule("nhs_digital", NULL, NULL)
  expect_match(ns$rounding_note(r), "nearest 5, so percentages are shown to whole numbers")
  expect_null(ns$rounding_note(ns$suppression_rule("none", NULL, NULL)))
  expect_match(ns$suppression_text("nhs_digital"), "whole numbers", fixed = TRUE)
})

test_that("shares and outcomes over time under rounding contain the records' intervals", {
  uncovered <- 0
  checked <- 0
  for (seed in seq_len(20)) {
    d <- rounding_people(seed)$people
    set.seed(seed)
    d$date <- as.Date("2024-04-01") + sample(0:364, nrow(d), TRUE)
    truth <- compare_periods(d, grp, date, outcome = out, event = "yes")
    shown <- compare_periods(d, grp, date, outcome = out, event = "yes", suppress = "nhs_digital")
    for (ci in c("pct", "outcome")) {
      tally <- rounding_tally(truth, shown, c("period", "grp"), ci)
      checked <- checked + tally[["checked"]]
      uncovered <- uncovered + tally[["uncovered"]]
    }
    expect_true(all(grepl("^([0-9]+|\\*|)$", readable_table(shown, "pct")[[1]])))
  }
  expect_gt(checked, 0)
  expect_equal(uncovered, 0)
})
