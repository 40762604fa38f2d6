# Cross-checks the SPC engine (R/spc-*.R) against qicharts2 (p and Laney
# p' charts) and NHSRplotthedots (XmR charts, the Making Data Count rules
# and icons) on random series. They are not dependencies of the package:
# `make spc-crosscheck` installs them into a library of their own and runs
# this script against the installed equityaudit. The package's tests check
# the same values against the published formulas (test-spc-stats.R).
library(testthat)
library(equityaudit)
env <- new.env(parent = asNamespace("equityaudit"))
sys.source("tests/testthat/helper-spc.R", envir = env)
attach(env, name = "spc_helpers")
spc_p_chart <- equityaudit:::spc_p_chart
spc_xmr_chart <- equityaudit:::spc_xmr_chart
spc_rules <- equityaudit:::spc_rules
spc_point_type <- equityaudit:::spc_point_type
spc_icons <- equityaudit:::spc_icons
test_that("p and p' charts match qicharts2", {
    set.seed(108)
  compared <- 0
  for (case in 1:150) {
    np <- sample(2:30, 1)
    counts <- random_spc_counts(1, np, gaps = stats::runif(1, 0, 0.2))
    x <- counts$x[1, ]
    n <- counts$n[1, ]
    x[is.na(n)] <- NA
    n[is.na(x)] <- NA
    # qicharts2 gives NA limits where the centre is 0 or 1 (tested above)
    centre <- sum(x, na.rm = TRUE) / sum(n, na.rm = TRUE)
    if (centre %in% c(0, 1) || sum(!is.na(x) & n > 0, na.rm = TRUE) < 2) next
    chart <- sample(c("p", "pp"), 1)
    mode <- sample(c("all", "freeze", "part"), 1)
    screen <- chart == "pp" && stats::runif(1) < 0.5
    args <- list()
    fix <- NULL
    rebase <- NULL
    if (mode == "freeze" && np > 4) {
      fix <- sample(3:(np - 1), 1)
      args$freeze <- fix
    }
    if (mode == "part" && np > 9) {
      rebase <- sample(5:(np - 3), 1)
      args$part <- rebase - 1
    }
    d <- data.frame(i = seq_len(np), xx = x, nn = n)
    old <- options(qic.screenedmr = screen)
    q <- suppressWarnings(do.call(
      qicharts2::qic,
      c(list(x = quote(i), y = quote(xx), n = quote(nn), data = d, chart = chart,
             return.data = TRUE), args)
    ))
    options(old)
    # skip segments whose own centre is 0 or 1
    if (anyNA(q$cl) || any(q$cl %in% c(0, 1))) next
    ours <- spc_p_chart(x, n, laney = chart == "pp", fix_after = fix, rebase = rebase,
                        screen_mr = screen)
    expect_close(ours$centre, q$cl)
    expect_close(ours$lcl, q$lcl)
    expect_close(ours$ucl, q$ucl)
    expect_close(ours$lcl_2sigma, q$lcl.95)
    expect_close(ours$ucl_2sigma, q$ucl.95)
    compared <- compared + 1
  }
  expect_gt(compared, 100)
})

test_that("XmR limits, point types and icons match NHSRplotthedots", {
    set.seed(109)
  compared <- 0
  for (case in 1:150) {
    np <- sample(2:40, 1)
    y <- random_spc_values(1, np, gaps = 0)[1, ]
    fix <- if (stats::runif(1) < 0.3 && np > 13) sample(12:np, 1)
    rebase <- if (stats::runif(1) < 0.3 && np > 8) sample(3:(np - 2), 1)
    improvement <- sample(c("increase", "decrease", "neither"), 1)
    target <- if (stats::runif(1) < 0.6) mean(y) + stats::rnorm(1, 0, 3)
    d <- data.frame(date = as.Date("2020-01-01") + seq_len(np) - 1, y = y)
    args <- list(
      .data = d, value_field = "y", date_field = "date", fix_after_n_points = fix,
      improvement_direction = if (improvement == "neither") "neutral" else improvement,
      target = target
    )
    if (!is.null(rebase)) args$rebase <- d$date[rebase]
    theirs <- suppressWarnings(do.call(NHSRplotthedots::ptd_spc, args))
    df <- as.data.frame(theirs)
    ch <- spc_xmr_chart(y, fix_after = fix, rebase = rebase)
    rules <- spc_rules(ch)
    expect_close(ch$centre, df$mean_col)
    expect_close(ch$lcl, df$lpl)
    expect_close(ch$ucl, df$upl)
    their_type <- sub("neutral_(high|low)$", "neither", df$point_type)
    expect_identical(as.vector(spc_point_type(rules, improvement)), their_type)
    side <- ifelse(grepl("Above|Increasing", df$special_cause_type), 1L,
                   ifelse(grepl("Below|Decreasing", df$special_cause_type), -1L, 0L))
    expect_identical(as.vector(rules$special), side)
    icons <- spc_icons(ch, rules, improvement, target)
    expect_identical(icons$variation, their_type[[np]])
    if (!is.null(target)) {
      summary <- NULL
      utils::capture.output(summary <- utils::tail(suppressWarnings(summary(theirs)), 1))
      named <- c(consistent_fail = "consistently_fail", consistent_pass = "consistently_pass",
                 inconsistent = "hit_or_miss")
      expect_identical(icons$assurance, unname(named[summary$assurance_type]))
    }
    compared <- compared + 1
  }
  expect_identical(compared, 150)
})

cat("SPC cross-checks against qicharts2 and NHSRplotthedots: done\n")
