# The report's broad groups (R/report-broad.R): published beside detailed
# ethnic categories under a threshold rule, suppressed together with them
# through a hierarchy, and named in the findings.

broad_report <- local({
  cache <- NULL
  function() {
    if (is.null(cache)) {
      ref <- realistic_referrals(900, seed = 5)
      cache <<- list(
        ref = ref,
        r = report_tables(ref$people, ethnic_group, outcome,
          reference = ref$population, by = site, event = "Employed", broad = TRUE
        )
      )
    }
    cache
  }
})

test_that("detailed categories bring their broad groups, each the ONS one", {
  b <- broad_report()
  r <- b$r
  expect_true(all(c("access_broad", "outcomes_broad", "groups_broad") %in% names(r$tables)))
  h <- r$broad$hierarchy
  expect_identical(names(h), c("ethnic_group", "broad_ethnic_group"))
  ons <- ons_ethnicity_2021
  detailed <- h$ethnic_group %in% as.character(ons$detailed)
  expect_equal(h$broad_ethnic_group[detailed], as.character(ons$broad)[match(h$ethnic_group[detailed], ons$detailed)])
  # "Not stated" is a group of its own at both levels
  expect_equal(h$broad_ethnic_group[h$ethnic_group == "Not stated"], "Not stated")
  # the published broad counts stand for the records' (rounded to 5, or hidden)
  p <- b$ref$people
  p$broad <- as.character(collapse_ethnicity(p$ethnic_group, "broad", unknown = "Not stated"))
  p$broad[trimws(p$ethnic_group) %in% "Not stated"] <- "Not stated"
  o <- as.data.frame(unclass(r$tables$outcomes_broad))
  o <- o[!o$pooled & !o$missing, ]
  # (people with a recorded outcome)
  known <- p$outcome != ""
  truth <- table(factor(paste(p$site, p$broad)[known]))
  true_n <- as.vector(truth[paste(o$site, o$broad_ethnic_group)])
  shown <- !is.na(o$n)
  expect_gt(sum(shown), 10)
  expect_true(all(abs(o$n[shown] - true_n[shown]) <= 2))
  expect_true(all(o$n[shown] %% 5 == 0))
  # far fewer broad counts hidden than detailed ones
  hidden <- function(x) mean(is.na(unclass(x)$events))
  expect_lt(hidden(r$tables$outcomes_broad), hidden(r$tables$outcomes))
  # and nothing a reader can narrow, the levels together
  check <- disclosure_check(r$tables)
  expect_true(attr(check, "protected"))
})

test_that("the findings and the report say which level each statement uses", {
  r <- broad_report()$r
  f <- equityaudit:::report_findings(r)
  levels <- grepl("^(Broad groups|Detailed categories): ", f) |
    grepl("^Too few people to assess (access|the outcome) among the (broad groups|detailed categories)", f)
  statements <- grepl("times as often|percentage points|Too few people", f)
  expect_true(all(levels[statements]))
  expect_true(any(levels))
  md <- equityaudit:::report_broad_section(r)
  expect_match(md, "^## Broad ethnic groups")
  expect_match(md, "suppressed together with the detailed tables", fixed = TRUE)
  expect_equal(lengths(regmatches(md, gregexpr("Table: ", md, fixed = TRUE))), 3)
})

test_that("broad groups only where they add something", {
  # broad groups already (the study's five), no rule, or a column of sites
  r <- report_tables(ips_synthetic, ethnicity, employed, by = service, broad = TRUE)
  expect_null(r$broad)
  expect_false("outcomes_broad" %in% names(r$tables))
  ref <- realistic_referrals(300, seed = 2)
  r <- report_tables(ref$people, ethnic_group, outcome, by = site, event = "Employed", suppress = "none", broad = TRUE)
  expect_null(r$broad)
  expect_identical(equityaudit:::report_broad_section(r), "")
  r <- report_tables(ref$people, site, outcome, event = "Employed", broad = TRUE)
  expect_null(r$broad)
  # not asked for: the groups as they are
  r <- report_tables(ref$people, ethnic_group, outcome, by = site, event = "Employed")
  expect_null(r$broad)
  expect_error(report_tables(ref$people, ethnic_group, outcome, event = "Employed", broad = NA), class = "equityaudit_error_input")
})
