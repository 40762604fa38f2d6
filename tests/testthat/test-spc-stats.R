# The SPC engine (R/spc-layout.R, spc-stats.R, spc-gap.R, spc-rules.R)
# against values worked out by hand, against one-series loops written from
# the published formulas (helper-spc.R) on random series, and against
# qicharts2 and NHSRplotthedots in tools/spc-crosscheck.R (`make spc-crosscheck`).

# Configurations of baseline and rebasing for a chart of np periods.
spc_configs <- function(np) {
  list(
    list(fix_after = NULL, rebase = NULL),
    list(fix_after = max(1, np %/% 2), rebase = NULL),
    list(fix_after = NULL, rebase = if (np > 4) c(3, np - 1) else NULL),
    list(fix_after = 3, rebase = if (np > 6) np %/% 2 + 1 else NULL)
  )
}

ref_fix <- function(cfg) cfg$fix_after %||% Inf

test_that("p and p' charts agree with the formulas on random series", {
  set.seed(101)
  for (np in c(1, 2, 5, 13, 24)) {
    counts <- random_spc_counts(40, np)
    for (cfg in spc_configs(np)) {
      for (laney in c(FALSE, TRUE)) {
        screen <- laney && np > 10
        ch <- spc_p_chart(counts$x, counts$n, laney = laney, fix_after = cfg$fix_after,
                          rebase = cfg$rebase, screen_mr = screen)
        expect_identical(ch$kind, if (laney) "pp" else "p")
        ref <- ref_by_row(nrow(counts$x), function(i) {
          ref_p_chart(counts$x[i, ], counts$n[i, ], laney, ref_fix(cfg),
                      ref_starts(np, cfg$rebase), screen)
        })
        for (col in c("centre", "sigma", "lcl", "ucl", "lcl_2sigma", "ucl_2sigma")) {
          expect_close(ch[[col]], ref[[col]])
        }
        if (laney) {
          expect_close(ch$segments$sigma_z, as.vector(t(ref$sigma_z)))
          expect_identical(ch$segments$n_mr, as.integer(t(ref$n_mr)))
        }
        expect_close(ch$value, ifelse(!is.na(counts$n) & counts$n > 0, counts$x / counts$n, NA))
      }
    }
  }
})

test_that("p and p' charts give the values worked out by hand", {
  x <- c(10, 20, 30)
  n <- c(100, 100, 200)
  p <- spc_p_chart(x, n)
  expect_close(p$centre, rep(0.15, 3))
  expect_close(p$sigma, c(0.035707142142714254, 0.035707142142714254, 0.025248762345905194))
  expect_close(p$ucl, c(0.25712142642814273, 0.25712142642814273, 0.22574628703771557))
  expect_close(p$lcl, c(0.04287857357185723, 0.04287857357185723, 0.07425371296228442))
  pp <- spc_p_chart(x, n, laney = TRUE)
  expect_close(pp$z, c(-1.4002800840280094, 1.40028008402801, 0))
  expect_close(pp$segments$sigma_z, 1.8620745798244813)
  expect_close(pp$ucl, c(0.34946808510638305, 0.34946808510638305, 0.2910452356090188))
  # the lower limits of the first two points are clipped at 0
  expect_close(pp$lcl, c(0, 0, 0.008954764390981196))
  expect_identical(pp$segments$n_mr, 2L)
  expect_identical(pp$segments$n_points, 3L)
})

test_that("a hidden period is a gap for centres, limits and moving ranges", {
  # p chart: the hidden period counts in no sum; its limits, which need
  # only its denominator, are still given when the denominator is known.
  p <- spc_p_chart(c(10, NA, 30, 5), c(100, 100, 200, NA))
  expect_close(p$centre, rep(40 / 300, 4))
  expect_identical(as.vector(is.na(p$value)), c(FALSE, TRUE, FALSE, TRUE))
  expect_false(is.na(p$ucl[2]))
  expect_true(is.na(p$ucl[4]))
  expect_identical(p$segments$n_points, 2L)
  # a denominator of 0 is a gap too
  p0 <- spc_p_chart(c(10, 0, 30), c(100, 0, 200))
  expect_close(p0$centre, rep(40 / 300, 3))
  expect_true(is.na(p0$value[2]) && is.na(p0$ucl[2]))
  # XmR: the moving ranges are |3 - 1| and |11 - 10|; none spans the gap
  xmr <- spc_xmr_chart(c(1, 3, NA, 10, 11))
  expect_close(xmr$segments$mr_bar, 1.5)
  expect_close(xmr$centre, rep(6.25, 5))
  expect_close(xmr$ucl, rep(6.25 + 2.66 * 1.5, 5))
  expect_close(xmr$lcl_2sigma, rep(6.25 - 2 * 2.66 / 3 * 1.5, 5))
  expect_identical(xmr$segments$n_mr, 2L)
  expect_identical(xmr$segments$n_baseline, 4L)
  # p': the z-score of a hidden period makes no moving range either
  pp <- spc_p_chart(c(10, 20, NA, 30, 12), c(100, 100, NA, 200, 90), laney = TRUE)
  expect_identical(pp$segments$n_mr, 2L)
})

test_that("rebased segments are charted as if each were alone", {
  set.seed(102)
  counts <- random_spc_counts(30, 20)
  starts <- matrix(FALSE, 30, 20)
  starts[cbind(1:30, sample(2:20, 30, replace = TRUE))] <- TRUE
  ch <- spc_p_chart(counts$x, counts$n, laney = TRUE, rebase = starts, fix_after = 4)
  for (i in 1:30) {
    s <- which(starts[i, ])
    left <- spc_p_chart(counts$x[i, 1:(s - 1)], counts$n[i, 1:(s - 1)], laney = TRUE, fix_after = 4)
    right <- spc_p_chart(counts$x[i, s:20], counts$n[i, s:20], laney = TRUE, fix_after = 4)
    expect_close(ch$ucl[i, ], c(left$ucl, right$ucl))
    expect_close(ch$centre[i, ], c(left$centre, right$centre))
    expect_identical(ch$segment[i, ], rep(1:2, c(s - 1, 21 - s)))
    expect_identical(ch$baseline[i, ], c(seq_len(s - 1) <= 4, seq_len(21 - s) <= 4))
    rows <- ch$segments[ch$segments$series == i, ]
    expect_identical(rows$first_period, c(1L, s))
    expect_identical(rows$last_period, c(s - 1L, 20L))
  }
  # a rebase at period 1 changes nothing; repeated periods count once
  expect_identical(spc_p_chart(counts$x, counts$n, rebase = c(1, 5, 5)),
                   spc_p_chart(counts$x, counts$n, rebase = 5))
})

test_that("a centre of 0 or 1 collapses the limits without NaN or warnings", {
  for (laney in c(FALSE, TRUE)) {
    expect_no_warning(zero <- spc_p_chart(matrix(0, 2, 6), matrix(c(50, 80), 2, 6), laney = laney))
    expect_identical(zero$lcl, matrix(0, 2, 6))
    expect_identical(zero$ucl, matrix(0, 2, 6))
    expect_identical(zero$ucl_2sigma, matrix(0, 2, 6))
    all <- spc_p_chart(matrix(40, 1, 6), matrix(40, 1, 6), laney = laney)
    expect_identical(all$lcl, matrix(1, 1, 6))
    expect_identical(all$ucl, matrix(1, 1, 6))
    expect_false(any(is.nan(c(zero$sigma, all$sigma, zero$lcl, all$ucl))))
    if (laney) expect_true(all(is.na(zero$segments$sigma_z)))
  }
  # an event after a baseline of none lies above the collapsed limit
  ch <- spc_p_chart(c(0, 0, 0, 0, 3), rep(30, 5), laney = TRUE, fix_after = 4)
  rules <- spc_rules(ch)
  expect_identical(rules$outside[1, ], c(0L, 0L, 0L, 0L, 1L))
  # a constant XmR baseline keeps its moving ranges of 0 (no NaN limits)
  expect_no_warning(flat <- spc_xmr_chart(rep(3, 8)))
  expect_identical(flat$ucl, matrix(3, 1, 8))
  expect_identical(flat$segments$n_mr_screened, 0L)
})

test_that("a series of one point, or of none, has a centre but no spread", {
  one <- spc_p_chart(5, 50, laney = TRUE)
  expect_close(one$centre, 0.1)
  expect_true(is.na(one$ucl) && is.na(one$segments$sigma_z))
  expect_identical(one$segments$n_mr, 0L)
  expect_close(spc_p_chart(5, 50)$ucl, 0.1 + 3 * sqrt(0.1 * 0.9 / 50))
  xmr <- spc_xmr_chart(7)
  expect_identical(c(xmr$centre, xmr$ucl), c(7, NA))
  none <- spc_xmr_chart(matrix(NA_real_, 2, 5))
  expect_true(all(is.na(none$centre)))
  expect_identical(none$segments$n_points, c(0L, 0L))
  rules <- spc_rules(none)
  expect_true(all(is.na(rules$special)))
  icons <- spc_icons(none, rules, "increase", target = 1)
  expect_identical(icons$variation, c(NA_character_, NA_character_))
  expect_identical(icons$period, c(NA_integer_, NA_integer_))
})

test_that("XmR charts agree with the formulas on random series", {
  set.seed(103)
  for (np in c(1, 3, 12, 24, 40)) {
    y <- random_spc_values(40, np)
    for (cfg in spc_configs(np)) {
      for (screen in c(TRUE, FALSE)) {
        ch <- spc_xmr_chart(y, fix_after = cfg$fix_after, rebase = cfg$rebase, screen_mr = screen)
        ref <- ref_by_row(nrow(y), function(i) {
          ref_xmr_chart(y[i, ], ref_fix(cfg), ref_starts(np, cfg$rebase), screen)
        })
        for (col in c("centre", "lcl", "ucl", "lcl_2sigma", "ucl_2sigma")) {
          expect_close(ch[[col]], ref[[col]])
        }
        expect_close(ch$sigma, 2.66 * ref$mr_bar / 3)
        expect_identical(ch$segments$n_mr, as.integer(t(ref$n_mr)))
      }
    }
  }
  # screening drops the range that is not below 3.267 mean ranges
  y <- c(0, 1, 0, 1, 0, 1, 0, 1, 0, 20, 20)
  ch <- spc_xmr_chart(y)
  expect_identical(ch$segments$n_mr_screened, 1L)
  expect_close(ch$segments$mr_bar, 8 / 9)
  expect_close(spc_xmr_chart(y, screen_mr = FALSE)$segments$mr_bar, 28 / 10)
})

test_that("gap charts agree with the formulas on random series", {
  set.seed(104)
  for (np in c(1, 4, 18)) {
    g <- random_spc_counts(40, np)
    r <- random_spc_counts(40, np)
    for (cfg in spc_configs(np)) {
      for (scale in c("difference", "ratio")) {
        for (laney in c(TRUE, FALSE)) {
          ch <- spc_gap_chart(g$x, g$n, r$x, r$n, scale = scale, laney = laney,
                              fix_after = cfg$fix_after, rebase = cfg$rebase)
          expect_identical(ch$kind, scale)
          ref <- ref_by_row(nrow(g$x), function(i) {
            ref_gap_chart(g$x[i, ], g$n[i, ], r$x[i, ], r$n[i, ], scale, laney,
                          ref_fix(cfg), ref_starts(np, cfg$rebase))
          })
          for (col in c("value", "centre", "sigma", "lcl", "ucl", "lcl_2sigma", "ucl_2sigma")) {
            expect_close(ch[[col]], ref[[col]])
          }
        }
      }
    }
  }
})

test_that("gap charts give the values worked out by hand", {
  x <- c(5, 0, 10)
  n <- c(100, 50, 100)
  xr <- c(20, 30, 25)
  nr <- c(200, 300, 250)
  ratio <- spc_gap_chart(x, n, xr, nr, scale = "ratio", laney = FALSE)
  expect_close(ratio$centre, rep(0.6, 3))
  # the zero count of period 2 is taken as 0.5: (0.5 / 50) / (30 / 300)
  expect_close(ratio$value, c(0.5, 0.1, 1))
  expect_identical(as.vector(ratio$corrected), c(FALSE, TRUE, FALSE))
  expect_close(ratio$sigma, c(0.4490731195102493, 0.5859465277082315, 0.4389381125701739))
  expect_close(ratio$ucl, c(2.3080285873394732, 3.479936196776576, 2.238909045445664))
  expect_close(ratio$lcl, c(0.1559772708079763, 0.10345017254438854, 0.16079259706074414))
  expect_close(ratio$segments$p_group, 0.06)
  expect_close(ratio$segments$p_reference, 0.1)
  diff <- spc_gap_chart(x, n, xr, nr)
  expect_close(diff$value, c(-0.05, -0.1, 0))
  expect_close(diff$centre, rep(-0.04, 3))
  expect_close(diff$segments$sigma_z, 1.8516857214355735)
  expect_close(diff$ucl, c(0.13689172207906575, 0.16991942887919073, 0.1288591185906555))
  expect_close(diff$lcl, c(-0.21689172207906576, -0.24991942887919075, -0.2088591185906555))
  # one reference row serves every series
  two <- spc_gap_chart(rbind(x, x), rbind(n, n), xr, nr)
  expect_close(two$ucl, rbind(diff$ucl, diff$ucl))
  # a reference with no events has no ratio; a group equal to it, no gap
  expect_true(all(is.na(spc_gap_chart(x, n, c(0, 0, 0), nr, scale = "ratio")$ucl)))
  same <- spc_gap_chart(x, n, x, n)
  expect_identical(as.vector(same$ucl), c(0, 0, 0))
})

test_that("the rules agree with window-by-window definitions on random series", {
  set.seed(105)
  for (np in c(2, 9, 24, 40)) {
    y <- random_spc_values(60, np, gaps = if (np > 9) 0.1 else 0)
    for (cfg in spc_configs(np)[c(1, 3, 4)]) {
      ch <- spc_xmr_chart(y, fix_after = cfg$fix_after, rebase = cfg$rebase)
      for (params in list(c(7, 7), c(8, 6), c(2, 3))) {
        rules <- spc_rules(ch, run = params[[1]], trend = params[[2]])
        ref <- ref_by_row(nrow(y), function(i) ref_rules_row(ch, i, params[[1]], params[[2]]))
        for (rule in names(ref)) expect_identical(rules[[rule]], ref[[rule]])
        # the counts per segment: flags and shown points in the segment's periods
        seg <- rules$segments
        in_segment <- function(k) ch$segment[seg$series[k], ] == seg$segment[k]
        flagged <- vapply(seq_len(nrow(seg)), function(k) {
          sum(rules$special[seg$series[k], in_segment(k)] != 0, na.rm = TRUE)
        }, integer(1))
        shown <- vapply(seq_len(nrow(seg)), function(k) {
          sum(!is.na(y[seg$series[k], in_segment(k)]))
        }, integer(1))
        expect_identical(seg$n_special, flagged)
        expect_identical(seg$n_points, shown)
        expect_identical(seg$n_points, ch$segments$n_points)
      }
    }
  }
  counts <- random_spc_counts(80, 24)
  ch <- spc_p_chart(counts$x, counts$n, laney = TRUE, rebase = 13)
  rules <- spc_rules(ch)
  ref <- ref_by_row(nrow(counts$x), function(i) ref_rules_row(ch, i))
  for (rule in names(ref)) expect_identical(rules[[rule]], ref[[rule]])
  # random walks make every rule fire, both ways
  xmr_rules <- spc_rules(spc_xmr_chart(random_spc_values(200, 40)))
  for (rule in c("outside", "shift", "trend", "two_of_three")) {
    expect_true(all(c(-1L, 1L) %in% xmr_rules[[rule]]))
  }
})

test_that("the rules flag whole runs, skip gaps and break at the centre line", {
  # seven points above the centre with a hidden period among them: a run
  y <- c(5, -5, 1, 1, 1, NA, 1, 1, 1, 1, -5, 5, -5, 5, -5)
  ch <- spc_xmr_chart(y)
  rules <- spc_rules(ch)
  expect_true(all(ch$centre < 1))
  expect_identical(rules$shift[1, 3:10], c(1L, 1L, 1L, NA, 1L, 1L, 1L, 1L))
  expect_identical(sum(rules$shift[1, ] != 0, na.rm = TRUE), 7L)
  # a point exactly on the centre line breaks the run
  chart <- list(
    value = matrix(c(1, 1, 1, 0, 1, 1, 1, 1), 1), centre = matrix(0, 1, 8),
    lcl = matrix(-10, 1, 8), ucl = matrix(10, 1, 8), lcl_2sigma = matrix(-9, 1, 8),
    ucl_2sigma = matrix(9, 1, 8), segment = matrix(1L, 1, 8),
    segments = data.frame(series = 1L, segment = 1L)
  )
  expect_identical(spc_rules(chart)$shift[1, ], rep(0L, 8))
  chart$value[1, 4] <- 2
  expect_identical(spc_rules(chart)$shift[1, ], rep(1L, 8))
  # six rises make a trend of 7 points; a tie breaks it
  chart$value[1, ] <- c(9, 1, 2, 3, 4, 5, 6, 7)
  expect_identical(spc_rules(chart)$trend[1, ], c(0L, rep(1L, 7)))
  chart$value[1, 5] <- 3
  expect_identical(spc_rules(chart)$trend[1, ], rep(0L, 8))
  # a segment boundary breaks a trend and a run
  chart$value[1, ] <- 1:8
  chart$segment[1, ] <- rep(1:2, c(4, 4))
  chart$segments <- data.frame(series = c(1L, 1L), segment = 1:2)
  rules <- spc_rules(chart)
  expect_identical(rules$trend[1, ], rep(0L, 8))
  expect_identical(rules$shift[1, ], rep(0L, 8))
  expect_identical(rules$segments$n_points, c(4L, 4L))
})

test_that("a peak shared by two trends takes the later one's direction", {
  v <- c(1:7, 6:0)
  chart <- list(
    value = matrix(v, 1), centre = matrix(3.5, 1, 14), lcl = matrix(-99, 1, 14),
    ucl = matrix(99, 1, 14), lcl_2sigma = matrix(-98, 1, 14), ucl_2sigma = matrix(98, 1, 14),
    segment = matrix(1L, 1, 14), segments = data.frame(series = 1L, segment = 1L)
  )
  expect_identical(spc_rules(chart)$trend[1, ], rep(c(1L, -1L), c(6, 8)))
  # a tie between a rising trend and a falling one: the last rising point
  # stays rising (NHSRplotthedots reads the tie as a fall)
  chart$value <- matrix(c(1:7, 7:1), 1)
  expect_identical(spc_rules(chart)$trend[1, ], rep(c(1L, -1L), c(7, 7)))
})

test_that("2 of 3 counts points between the 2- and 3-sigma limits only", {
  chart <- list(
    value = matrix(c(0, 2.5, 2.5, 1, 0, 3.5, 2.5, 1, 0, 2.5, -2.5, 2.5, 0, 2.5, NA, 0.5, 2.8), 1),
    centre = matrix(0, 1, 17), lcl = matrix(-3, 1, 17), ucl = matrix(3, 1, 17),
    lcl_2sigma = matrix(-2, 1, 17), ucl_2sigma = matrix(2, 1, 17),
    segment = matrix(1L, 1, 17), segments = data.frame(series = 1L, segment = 1L)
  )
  rules <- spc_rules(chart)
  # periods 2-3: two close points; 6-7: one beyond 3 sigma and one close
  # (not 2 of 3); 10-12: sides differ; 14, 16, 17 across the gap: a window
  expect_identical(rules$two_of_three[1, ], c(0L, 1L, 1L, rep(0L, 10), 1L, NA, 0L, 1L))
  expect_identical(rules$outside[1, 6], 1L)
  expect_identical(rules$special[1, c(2, 6, 7)], c(1L, 1L, 0L))
})

test_that("point types and icons agree with their definitions", {
  set.seed(106)
  y <- random_spc_values(300, 24, gaps = 0.1)
  y[1:10, 20:24] <- NA
  ch <- spc_xmr_chart(y, rebase = 13)
  rules <- spc_rules(ch)
  for (improvement in c("increase", "decrease", "neither")) {
    target <- stats::rnorm(300, 0, 4)
    target[1:20] <- NA
    icons <- spc_icons(ch, rules, improvement, target)
    types <- spc_point_type(rules, improvement)
    expect_identical(is.na(types), is.na(ch$value))
    ref <- lapply(seq_len(nrow(y)), function(i) {
      ref_icons_row(ch, rules, i, improvement, target[[i]])
    })
    for (col in c("period", "variation", "side", "assurance")) {
      expect_identical(icons[[col]], vapply(ref, function(r) r[[col]], icons[[col]][1]))
    }
    expect_setequal(unique(as.vector(types[!is.na(types)])), switch(improvement,
      neither = c("common_cause", "special_cause_neither"),
      c("common_cause", "special_cause_improvement", "special_cause_concern")
    ))
  }
  expect_true(all(c("consistently_pass", "consistently_fail", "hit_or_miss") %in%
    spc_icons(ch, rules, "decrease", stats::rnorm(300, 0, 4))$assurance))
  # a single target serves every series; the limits are the last point's
  icons <- spc_icons(ch, rules, "increase", target = 0)
  last <- cbind(1:300, icons$period)
  expect_identical(icons$assurance == "consistently_fail", 0 > ch$ucl[last])
  expect_true(all(is.na(spc_icons(ch, rules, "increase")$assurance)))
})

test_that("the long data frame holds every matrix, series after series", {
  ch <- spc_p_chart(matrix(c(1, 2, 3, 4, 5, 6), 2), matrix(10, 2, 3))
  rules <- spc_rules(ch)
  df <- spc_points(ch, rules)
  expect_identical(df$series, rep(1:2, each = 3))
  expect_identical(df$period, rep(1:3, 2))
  expect_identical(df$value, c(0.1, 0.3, 0.5, 0.2, 0.4, 0.6))
  expect_identical(df$special, as.vector(t(rules$special)))
  expect_identical(df$ucl_2sigma, as.vector(t(ch$ucl_2sigma)))
  expect_identical(df$baseline, rep(TRUE, 6))
})

test_that("ten thousand series are each charted as if alone", {
  set.seed(107)
  counts <- random_spc_counts(1e4, 24)
  ch <- spc_p_chart(counts$x, counts$n, laney = TRUE, rebase = 13, fix_after = 9)
  rules <- spc_rules(ch)
  icons <- spc_icons(ch, rules, "increase", target = 0.5)
  expect_identical(nrow(ch$segments), 2e4L)
  expect_identical(dim(rules$special), c(1e4L, 24L))
  for (i in sample(1e4, 25)) {
    alone <- spc_p_chart(counts$x[i, ], counts$n[i, ], laney = TRUE, rebase = 13, fix_after = 9)
    for (col in c("centre", "lcl", "ucl", "lcl_2sigma", "ucl_2sigma", "z")) {
      expect_identical(ch[[col]][i, ], alone[[col]][1, ])
    }
    alone_rules <- spc_rules(alone)
    expect_identical(rules$special[i, ], alone_rules$special[1, ])
    expect_identical(
      as.list(icons[i, -1]),
      as.list(spc_icons(alone, alone_rules, "increase", target = 0.5)[1, -1])
    )
    ref <- ref_rules_row(ch, i)
    expect_identical(rules$special[i, ], ref$special)
  }
  y <- random_spc_values(1e4, 24)
  xmr <- spc_xmr_chart(y)
  for (i in sample(1e4, 25)) {
    expect_close(xmr$ucl[i, ], ref_xmr_chart(y[i, ])$ucl)
  }
})

test_that("inputs may be data frames, vectors or matrices of NA; no series is no rows", {
  y <- data.frame(a = c(1, 4), b = c(2, 5), c = c(6, 9))
  expect_identical(spc_xmr_chart(y), spc_xmr_chart(as.matrix(y)))
  expect_identical(spc_xmr_chart(c(1, 2, 6))$ucl, spc_xmr_chart(matrix(c(1, 2, 6), 1))$ucl)
  hidden <- spc_p_chart(matrix(NA, 2, 3), matrix(NA, 2, 3), laney = TRUE)
  expect_true(all(is.na(hidden$centre)))
  expect_identical(hidden$segments$n_points, c(0L, 0L))
  none <- spc_p_chart(matrix(0, 0, 5), matrix(0, 0, 5), laney = TRUE)
  expect_identical(dim(none$ucl), c(0L, 5L))
  expect_identical(nrow(none$segments), 0L)
  rules <- spc_rules(none)
  expect_identical(nrow(rules$segments), 0L)
  expect_identical(nrow(spc_icons(none, rules)), 0L)
})

test_that("per-series rebasing works for XmR charts and their rules", {
  set.seed(110)
  y <- random_spc_values(50, 30)
  starts <- matrix(stats::runif(50 * 30) < 0.08, 50, 30)
  ch <- spc_xmr_chart(y, rebase = starts, fix_after = 12)
  rules <- spc_rules(ch)
  ref <- ref_by_row(50, function(i) ref_xmr_chart(y[i, ], 12, starts[i, ] | seq_len(30) == 1))
  for (col in c("centre", "lcl", "ucl", "lcl_2sigma", "ucl_2sigma")) {
    expect_close(ch[[col]], ref[[col]])
  }
  expect_identical(ch$segment, t(apply(starts | col(starts) == 1, 1, cumsum)))
  expect_identical(nrow(ch$segments), as.integer(sum(starts[, -1]) + 50))
  ref_rules <- ref_by_row(50, function(i) ref_rules_row(ch, i))
  for (rule in names(ref_rules)) expect_identical(rules[[rule]], ref_rules[[rule]])
})

test_that("bad input is refused with classed errors naming the argument", {
  expect_error(spc_p_chart(c(1, -1), c(5, 5)), class = "equityaudit_error_count")
  expect_error(spc_p_chart(c(6, 1), c(5, 5)), "must not exceed", class = "equityaudit_error_count")
  expect_error(spc_p_chart(c(1, 1), c(5, 5, 5)), "shape of `x`",
               class = "equityaudit_error_argument")
  expect_error(spc_p_chart(matrix(0, 2, 0), matrix(0, 2, 0)), class = "equityaudit_error_argument")
  expect_error(spc_xmr_chart(as.Date("2020-01-01")), class = "equityaudit_error_argument")
  expect_error(spc_p_chart("a", 5), class = "equityaudit_error_argument")
  expect_error(spc_p_chart(1, 5, rebase = 2), class = "equityaudit_error_argument")
  expect_error(spc_p_chart(1:3, c(5, 5, 5), fix_after = 0), "fix_after")
  expect_error(spc_p_chart(1:3, c(5, 5, 5), laney = NA), "laney")
  expect_error(spc_xmr_chart(c(1, Inf)), class = "equityaudit_error_argument")
  expect_error(spc_gap_chart(1, 5, 1:2, c(5, 5)), "x_ref", class = "equityaudit_error_argument")
  expect_error(spc_gap_chart(1, 5, 1, 5, scale = "odds"), "scale")
  ch <- spc_xmr_chart(1:10)
  expect_error(spc_rules(ch, run = 1), "run")
  expect_error(spc_rules(ch, trend = 2.5), "trend")
  expect_error(spc_icons(ch, spc_rules(ch), "up"), "improvement")
  expect_error(spc_icons(ch, spc_rules(ch), target = c(1, 2)), "target")
  err <- tryCatch(spc_p_chart(c(1, -1), c(5, 5)), error = identity)
  expect_identical(err$arg, "x")
})
