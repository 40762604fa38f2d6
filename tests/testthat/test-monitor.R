# monitor_equality(): the SPC result kind. The charts' formulas are tested
# in test-spc-stats.R; here, that the kind charts the right counts per
# group and period, its gaps, rules, hidden periods and suppression.

# Two groups over 8 months, as counts (weight): group A's people and
# outcome rate fall in the last 4 months.
spc_hand <- function() {
  months <- as.Date(sprintf("2024-%02d-15", 1:8))
  a_n <- 20 * c(40, 42, 38, 41, 20, 22, 19, 21)
  b_n <- 20 * c(60, 58, 62, 59, 60, 61, 58, 60)
  a_e <- 20 * c(20, 22, 19, 20, 5, 6, 4, 5)
  b_e <- 20 * c(30, 29, 31, 30, 30, 31, 29, 30)
  d <- data.frame(
    month = rep(months, 4),
    group = factor(rep(rep(c("B", "A"), each = 8), 2), levels = c("B", "A")),
    employed = rep(c(TRUE, FALSE), each = 16),
    w = c(b_e, a_e, b_n - b_e, a_n - a_e)
  )
  list(data = d, a_n = a_n, b_n = b_n, a_e = a_e, b_e = b_e)
}

test_that("each group's counts, values and limits per period are the p chart's", {
  h <- spc_hand()
  res <- monitor_equality(h$data, group, month, outcome = employed, weight = w, chart = "p")
  expect_s3_class(res, "equityaudit_spc")
  expect_identical(levels(res$measure), c("share", "outcome", "outcome_gap"))
  # the user's order of groups is kept
  expect_identical(levels(res$group)[1:2], c("B", "A"))
  expect_identical(levels(res$period), sprintf("2024-%02d", 1:8))
  a <- res[res$measure == "share" & res$group == "A", ]
  expect_equal(a$numerator, h$a_n)
  expect_equal(a$denominator, h$a_n + h$b_n)
  expect_equal(a$value, 100 * h$a_n / (h$a_n + h$b_n))
  p <- sum(h$a_n) / sum(h$a_n + h$b_n)
  expect_equal(a$centre, rep(100 * p, 8))
  expect_equal(a$ucl, 100 * (p + 3 * sqrt(p * (1 - p) / (h$a_n + h$b_n))))
  o <- res[res$measure == "outcome" & res$group == "A", ]
  expect_equal(o$numerator, h$a_e)
  expect_equal(o$denominator, h$a_n)
  expect_equal(o$centre[[1]], 100 * sum(h$a_e) / sum(h$a_n))
  # the gap: A against B, the larger group, in percentage points
  expect_identical(attr(res, "options")$ref_label, "B")
  g <- res[res$measure == "outcome_gap", ]
  expect_identical(as.character(unique(g$group)), "A")
  expect_equal(g$value, 100 * (h$a_e / h$a_n - h$b_e / h$b_n))
  expect_equal(g$centre[[1]], 100 * (sum(h$a_e) / sum(h$a_n) - sum(h$b_e) / sum(h$b_n)))
})

test_that("the rules, icons and counts of each chart are reported per chart", {
  h <- spc_hand()
  res <- monitor_equality(h$data, group, month, outcome = employed, weight = w, chart = "p", min_points = 1)
  ch <- summary(res)
  expect_identical(
    as.character(ch$measure), c("share", "share", "outcome", "outcome", "outcome_gap")
  )
  gap <- ch[ch$measure == "outcome_gap", ]
  # the gap falls from about 0 to about -25 points: the last 4 below the
  # lower limit, 3 of the first 4 above the upper one (-2.1 is within)
  expect_identical(gap$n_outside, 7)
  expect_identical(gap$n_points, 8)
  expect_identical(gap$variation, "special_cause_neither")
  expect_identical(gap$side, "low")
  expect_match(gap$description,
    "special cause, neither (low); signals: outside the limits (7 points)",
    fixed = TRUE
  )
  # the icons are those of the engine on the same counts
  m <- rbind(h$a_e, deparse.level = 0)
  chart <- equityaudit:::spc_gap_chart(m, rbind(h$a_n), rbind(h$b_e), rbind(h$b_n), laney = FALSE)
  rules <- equityaudit:::spc_rules(chart)
  expect_equal(res$outside[res$measure == "outcome_gap"], as.vector(rules$outside))
  g <- glance(res)
  expect_identical(g$charts, 5L)
  expect_identical(g$charts_with_signals, sum(ch$n_special > 0))
  # signals first in the plot; plotting any measure works
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  for (m in levels(res$measure)) expect_silent(plot(res, m))
})

test_that("the reference group, baselines and rebasing are the user's", {
  h <- spc_hand()
  res <- monitor_equality(h$data, group, month, outcome = employed, weight = w,
    ref_group = "A", gap = "ratio", rebase = "2024-05"
  )
  g <- res[res$measure == "outcome_gap", ]
  expect_identical(as.character(unique(g$group)), "B")
  expect_equal(g$segment, rep(1:2, each = 4))
  early <- sum(h$b_e[1:4]) / sum(h$b_n[1:4]) / (sum(h$a_e[1:4]) / sum(h$a_n[1:4]))
  expect_equal(g$centre[[1]], early)
  by_date <- monitor_equality(h$data, group, month, outcome = employed, weight = w,
    ref_group = "A", gap = "ratio", rebase = as.Date("2024-05-20")
  )
  expect_equal(by_date$centre, res$centre)
  fixed <- monitor_equality(h$data, group, month, outcome = employed, weight = w, baseline = 4)
  o <- fixed[fixed$measure == "outcome" & fixed$group == "A", ]
  expect_equal(o$centre[[8]], 100 * sum(h$a_e[1:4]) / sum(h$a_n[1:4]))
  expect_identical(o$baseline, rep(c(TRUE, FALSE), each = 4))
  expect_error(
    monitor_equality(h$data, group, month, weight = w, ref_group = "C"),
    class = "equityaudit_error_argument"
  )
  expect_error(
    monitor_equality(h$data, group, month, weight = w, rebase = "2025-01"),
    class = "equityaudit_error_argument"
  )
})

test_that("a target gives the outcome charts their assurance icon", {
  h <- spc_hand()
  res <- monitor_equality(h$data, group, month, outcome = employed, weight = w, target = 90, min_points = 1)
  ch <- summary(res)
  out <- ch[ch$measure == "outcome", ]
  expect_equal(out$target, c(90, 90))
  # 90% lies above every upper limit of a measure that should increase
  expect_identical(out$assurance, c("consistently_fail", "consistently_fail"))
  expect_true(all(is.na(ch$assurance[ch$measure != "outcome"])))
})

test_that("a chart of fewer points than min_points has no icons, and says so", {
  h <- spc_hand()
  few <- summary(monitor_equality(h$data, group, month, outcome = employed, weight = w, target = 90))
  all <- summary(monitor_equality(h$data, group, month, outcome = employed, weight = w, target = 90, min_points = 8))
  # 8 months: judged with min_points = 8, not with the default 12
  expect_true(all(all$judged))
  expect_false(any(few$judged))
  expect_true(all(is.na(few$variation) & is.na(few$assurance)))
  expect_false(anyNA(all$variation))
  # the rules are still counted; the words say why there is no icon
  expect_identical(few$n_special, all$n_special)
  expect_match(few$description, "too few published points to judge (8; at least 12 needed)", fixed = TRUE)
  expect_error(
    monitor_equality(h$data, group, month, weight = w, min_points = 0),
    class = "equityaudit_error_input"
  )
})

test_that("a margin of equality gives the gap charts their assurance icon", {
  # the icon from the limits at the latest point, by hand
  band_icon <- function(lcl, ucl, low, high) {
    if (lcl >= low && ucl <= high) "consistently_pass" else if (ucl < low || lcl > high) "consistently_fail" else "hit_or_miss"
  }
  check <- function(res, low, high) {
    ch <- summary(res)
    gap <- ch[ch$measure == "outcome_gap", ]
    pts <- as.data.frame(res)
    pts <- pts[pts$measure == "outcome_gap", ]
    for (i in seq_len(nrow(gap))) {
      mine <- pts[pts$ethnicity == gap$ethnicity[[i]] & !is.na(pts$value), ]
      last <- mine[nrow(mine), ]
      expect_identical(gap$assurance[[i]], band_icon(last$lcl, last$ucl, low, high))
    }
    expect_equal(gap$equal_low, rep(low, nrow(gap)))
    expect_equal(gap$equal_high, rep(high, nrow(gap)))
    expect_true(all(is.na(ch$assurance[ch$measure %in% c("share", "outcome")])))
    gap
  }
  res <- monitor_equality(ips_synthetic, ethnicity, date_joined,
    period = "financial_quarter", outcome = employed, margin = 0.1, min_points = 1
  )
  gap <- check(res, -10, 10)
  # both icons occur here: the data are not hand-picked to give one
  expect_setequal(gap$assurance, c("hit_or_miss", "consistently_pass"))
  expect_match(gap$description[[1]], "margin of equality (-10 to 10): ", fixed = TRUE)
  # financial-year quarters: April to June 2019 is 2019-20 Q1
  expect_identical(levels(as.data.frame(res)$period), c("2018-19 Q4", "2019-20 Q1", "2019-20 Q2", "2019-20 Q3"))
  wide <- monitor_equality(ips_synthetic, ethnicity, date_joined,
    period = "quarter", outcome = employed, gap = "ratio", ratio_margin = c(0.5, 3), min_points = 1
  )
  check(wide, 0.5, 3)
  # without a margin, no gap chart has an assurance icon
  plain <- summary(monitor_equality(ips_synthetic, ethnicity, date_joined, outcome = employed))
  expect_true(all(is.na(plain$assurance)))
  expect_error(
    monitor_equality(ips_synthetic, ethnicity, date_joined, outcome = employed, margin = 10),
    class = "equityaudit_error_input"
  )
  expect_error(
    monitor_equality(ips_synthetic, ethnicity, date_joined, outcome = employed, gap = "ratio", ratio_margin = 1.2),
    "ratio_margin"
  )
})

test_that("under a rule, the charts come from the published counts, gaps named", {
  ips <- ips_synthetic
  s <- monitor_equality(ips, ethnicity, date_joined, period = "quarter", outcome = employed,
    suppress = "nhs_digital"
  )
  p <- compare_periods(ips, ethnicity, date_joined, period = "quarter", outcome = employed,
    suppress = "nhs_digital"
  )
  counts <- tidy(s, "counts")
  for (col in c("n", "period_n", "outcome_n", "events")) {
    expect_equal(counts[[col]], p[[col]], label = col)
  }
  expect_identical(glance(s)$rule, "nhs_digital")
  d <- tidy(s)
  o <- d[d$measure == "outcome", ]
  expect_identical(o$hidden, is.na(o$numerator) | is.na(o$denominator))
  expect_true(any(o$hidden))
  expect_true(all(is.na(o$value[o$hidden])))
  # each centre line is the published events over the published people of
  # the periods shown
  for (g in unique(o$ethnicity)) {
    r <- o[o$ethnicity == g & !o$hidden, ]
    if (nrow(r) == 0) next
    expect_equal(r$centre[[1]], 100 * sum(r$numerator) / sum(r$denominator))
  }
  ch <- summary(s)
  expect_equal(ch$n_points + ch$n_hidden, rep(4, nrow(ch)))
  expect_match(ch$description[ch$n_hidden > 0][[1]], "hidden: 20")
  out <- capture.output(print(s))
  expect_true(any(grepl("Hidden by the suppression rule", out)))
  opensafely <- monitor_equality(ips, ethnicity, date_joined, period = "quarter",
    outcome = employed, suppress = "opensafely"
  )
  q <- suppress_counts(compare_periods(ips, ethnicity, date_joined, period = "quarter",
    outcome = employed
  ), "opensafely")
  expect_equal(tidy(opensafely, "counts")$events, q$events)
})

test_that("no chart narrows a hidden count (the attacker's kind `spc`)", {
  set.seed(33)
  for (rule in c("nhs_digital", "opensafely")) {
    tally <- attack_tally("spc", rule, 3)
    expect_gt(tally$hidden_cells, 0)
    expect_equal(tally$recovered_exactly + tally$narrowed + tally$truth_outside, 0, label = rule)
    expect_equal(tally$limits_inverted, 0, label = rule)
    expect_equal(tally$check_disagrees + tally$errors, 0, label = rule)
  }
})

test_that("a reference population gives the share its target and the access gap", {
  pop <- data.frame(
    ethnicity = c("White", "Asian/Asian British", "Black/Black British", "Mixed", "Other"),
    n = c(4000, 2000, 1000, 1000, 2000)
  )
  res <- monitor_equality(ips_synthetic, ethnicity, date_joined,
    reference = pop, period = "quarter"
  )
  expect_identical(levels(res$measure), c("share", "access_gap"))
  ch <- summary(res)
  expect_equal(ch$target[ch$measure == "share"], c(40, 20, 10, 10, 20))
  a <- res[res$measure == "access_gap" & res$ethnicity == "Mixed", ]
  w <- res[res$measure == "share" & res$ethnicity == "White", ]
  expect_equal(a$denominator, rep(1000, 4))
  expect_equal(a$value, 100 * (a$numerator / 1000 - w$numerator / 4000))
  # a subset keeps its kind and its charts
  sub <- res[res$measure == "share", ]
  expect_s3_class(sub, "equityaudit_spc")
  expect_output(print(sub), "SPC charts")
})

test_that("the charts go into a workbook like any result", {
  s <- monitor_equality(ips_synthetic, ethnicity, date_joined, period = "quarter",
    outcome = employed, suppress = "nhs_digital"
  )
  f <- tempfile(fileext = ".xlsx")
  on.exit(unlink(f))
  write_tables(list(spc = s), f)
  sheets <- utils::unzip(f, list = TRUE)$Name
  expect_true(sum(grepl("^xl/worksheets/sheet[0-9]+\\.xml$", sheets)) >= 5)
})

test_that("combined groups are charted with a column for each part", {
  s <- monitor_equality(ips_synthetic, c(ethnicity, gender), date_joined, period = "quarter",
    outcome = employed, suppress = "opensafely"
  )
  expect_identical(names(s)[2:4], c("ethnicity_gender", "ethnicity", "gender"))
  expect_identical(names(summary(s))[2:4], c("ethnicity_gender", "ethnicity", "gender"))
  p <- compare_periods(ips_synthetic, c(ethnicity, gender), date_joined, period = "quarter",
    outcome = employed, suppress = "opensafely"
  )
  expect_equal(tidy(s, "counts")$n, p$n)
  expect_equal(tidy(s, "counts")$events, p$events)
  rows <- s[s$measure == "share" & s$ethnicity_gender == "White, Male", ]
  expect_identical(as.character(unique(rows$gender)), "Male")
})

test_that("a database table gives the charts of its data frame", {
  d <- ips_synthetic
  d$date_joined <- as.character(d$date_joined)
  for (col in c("service", "ethnicity", "gender")) d[[col]] <- as.character(d[[col]])
  db <- sqlite_table(d)
  on.exit(DBI::dbDisconnect(db$con))
  a <- monitor_equality(db$tbl, ethnicity, date_joined, period = "quarter", outcome = employed)
  b <- monitor_equality(d, ethnicity, date_joined, period = "quarter", outcome = employed)
  expect_equal(tidy(a)$value, tidy(b)$value)
  expect_equal(summary(a)$n_special, summary(b)$n_special)
})
