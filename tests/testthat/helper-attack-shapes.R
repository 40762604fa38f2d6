# The shapes in which tables released together once leaked (issue #31):
# marginal and combined groups, periods with an outcome beside the
# outcome table, quarters beside years; and detailed groups beside their
# broad groups (suppress_counts(hierarchy =)). The attacker links them by who
# they count; a person a table leaves out (no date) is a hidden count of
# its own. It may know fewer links than disclosure_check() (a hidden count
# can only be looser for it), so the check must be at least as tight
# wherever both bound a cell ("check_looser" counts where it is not).

shape_case <- function(kind, rule) {
  d <- random_people(0, 0, 0.06, dates = TRUE)$d
  d$dt <- d$dt + sample(c(0, 365), nrow(d), TRUE)
  x <- switch(kind,
    marginal_combined = list(
      marginal = suppressMessages(compare_outcomes(d, g, y, exact = "never")),
      combined = suppressMessages(compare_outcomes(d, c(g, h), y, exact = "never"))
    ),
    periods_outcomes = list(
      periods = suppressMessages(compare_periods(d, g, dt, "quarter", outcome = y)),
      outcomes = suppressMessages(compare_outcomes(d, g, y, exact = "never"))
    ),
    quarter_year = list(
      quarter = suppressMessages(compare_periods(d, g, dt, "quarter")),
      year = suppressMessages(compare_periods(d, g, dt, "year"))
    ),
    detailed_broad = {
      d$b <- shape_broad(d$g)
      list(
        detailed = suppressMessages(compare_outcomes(d, g, y, exact = "never")),
        broad = suppressMessages(compare_outcomes(d, b, y, exact = "never"))
      )
    }
  )
  hierarchy <- if (kind == "detailed_broad") data.frame(g = paste0("g", 1:4), b = shape_broad(paste0("g", 1:4)))
  list(x = x, s = suppress_counts(x, rule, hierarchy = hierarchy), d = d)
}

# The broad group of each detailed group of random_people(): g1 and g2 in
# B1, g3 and g4 in B2.
shape_broad <- function(g) ifelse(g %in% c("g1", "g2"), "B1", ifelse(is.na(g), NA, "B2"))

attack_shape <- function(kind, s, x, d, rule) {
  m <- attack_model(rule)
  m$shared <- TRUE
  tables <- names(s)
  for (tb in tables) {
    m$prefix <- paste0(tb, ":")
    if (inherits(s[[tb]], "equityaudit_periods")) {
      attack_periods(s[[tb]], x[[tb]], rule, m)
    } else {
      attack_outcomes(s[[tb]], x[[tb]], rule, m)
    }
  }
  m$prefix <- "links:"
  p <- lapply(s, function(t) as.data.frame(unclass(t), stringsAsFactors = FALSE))
  var <- function(tb, i, col) attack_find(m, paste0(tb, ":", i, " ", col))
  hidden <- function(truth, label) attack_var(m, NA, truth, label, hidden = TRUE)
  switch(kind,
    marginal_combined = {
      # a known group's counts are those of its known combinations
      mg <- p$marginal
      cb <- p$combined
      for (i in which(!mg$missing)) {
        rows <- which(!cb$missing & cb$g == mg$g[[i]])
        for (col in c("n", "events", "n_outcome_missing")) {
          attack_sum(m, var("marginal", i, col), vapply(rows, var, 0L, tb = "combined", col = col))
        }
      }
    },
    periods_outcomes = {
      # a group's people with a known outcome are those of each period and
      # those with no date (hidden); the same for events and for people of
      # unknown outcome
      pr <- p$periods
      oc <- p$outcomes
      no_date <- d[is.na(d$dt), ]
      for (i in which(!oc$missing)) {
        g <- oc$g[[i]]
        rows <- which(as.character(pr$g) == g)
        nd <- no_date[no_date$g %in% g, ]
        pairs <- list(
          n = c("outcome_n", sum(!is.na(nd$y))), events = c("events", sum(nd$y %in% TRUE)),
          n_outcome_missing = c("n_outcome_missing", sum(is.na(nd$y)))
        )
        for (col in names(pairs)) {
          left <- hidden(as.numeric(pairs[[col]][[2]]), paste(g, col, "no date"))
          attack_sum(m, var("outcomes", i, col), c(vapply(rows, var, 0L, tb = "periods", col = pairs[[col]][[1]]), left))
        }
      }
    },
    detailed_broad = {
      # a broad group's counts are those of its detailed groups
      dt <- p$detailed
      br <- p$broad
      for (i in which(!br$missing)) {
        rows <- which(!dt$missing & shape_broad(dt$g) == br$b[[i]])
        for (col in c("n", "events", "n_outcome_missing")) {
          attack_sum(m, var("broad", i, col), vapply(rows, var, 0L, tb = "detailed", col = col))
        }
      }
    },
    quarter_year = {
      # a year's count of a group is the sum of its quarters'
      q <- p$quarter
      y <- p$year
      # the year of "2021 Q1", or the financial year of "2021-22 Q1"
      q_year <- sub(" Q[1-4]$", "", as.character(q$period))
      for (i in seq_len(nrow(y))) {
        rows <- which(q_year == as.character(y$period[[i]]) & as.character(q$g) == as.character(y$g[[i]]))
        attack_sum(m, var("year", i, "n"), vapply(rows, var, 0L, tb = "quarter", col = "n"))
      }
    }
  )
  attack_verdict(attack_bounds(m), rule)
}

attack_shape_one <- function(kind, rule) {
  case <- tryCatch(shape_case(kind, rule), equityaudit_error = function(e) NULL)
  if (is.null(case)) {
    return(NULL)
  }
  b <- attack_shape(kind, case$s, case$x, case$d, rule)
  chk <- disclosure_check(case$s)
  hit <- match(paste0(chk$table, ":", chk$row, " ", chk$column), b$label)
  on <- !is.na(hit)
  list(
    cells = nrow(b), exact = sum(b$exact), narrowed = sum(b$narrowed),
    outside = sum(!b$inside), limit_leaks = 0,
    disagree = sum(chk$low[on] < b$low[hit[on]] | chk$high[on] > b$high[hit[on]]),
    error = 0, protected = attr(chk, "protected")
  )
}

# Periods of two lengths of the same 40 people (mostly one group),
# suppressed together under opensafely: the attacker narrows nothing, its
# bounds hold the truth, and disclosure_check() is never looser than it
# (the check knows every sum the attacker uses).
expect_periods_linked <- function(seed, short, long) {
  set.seed(seed)
  d <- data.frame(
    g = sample(c("A", "B"), 40, TRUE, prob = c(0.85, 0.15)),
    dt = as.Date("2021-01-01") + sample.int(730, 40, TRUE) - 1
  )
  x <- list(
    quarter = suppressMessages(compare_periods(d, g, dt, short)),
    year = suppressMessages(compare_periods(d, g, dt, long))
  )
  s <- suppress_counts(x, "opensafely")
  b <- attack_shape("quarter_year", s, x, d, "opensafely")
  expect_gt(nrow(b), 0)
  expect_equal(sum(b$narrowed), 0)
  expect_true(all(b$inside))
  chk <- disclosure_check(s)
  hit <- match(paste0(chk$table, ":", chk$row, " ", chk$column), b$label)
  on <- !is.na(hit)
  expect_gt(sum(on), 0)
  expect_equal(sum(chk$low[on] < b$low[hit[on]] | chk$high[on] > b$high[hit[on]]), 0)
}
