# The differencing attack on the cell-key rule (suppress = "cell_key"): a
# reader with two or more releases of nearly the same people (the cohort
# and the cohort without one service; a release with one known person
# added; monthly releases of a growing cohort) bounds each count by integer
# programming (attack_bounds() of helper-attack.R), knowing the
# perturbation table: a published count p stands for the true counts that
# the table can publish as p. Used by test-attack.R and by tools/attack.R
# (kind "differencing").

# The secret of the keyed hash used by the tests (an analyst sets it with
# options(equityaudit.secret = ); the rule refuses to run without one).
ck_secret <- "equityaudit test secret, not for publication"
options(equityaudit.secret = ck_secret)

# code run with options set, then the options as they were
withr_options <- function(opts, code) {
  old <- options(opts)
  on.exit(options(old))
  code
}

# The true counts a published count p can stand for (an interval for the
# default table; checked).
ck_range <- function(p, pt = cell_key_ptable()) {
  top <- max(pt$count)
  d <- max(abs(pt$perturbation))
  cs <- max(0, p - d):(p + d)
  ok <- vapply(cs, function(c) {
    if (c == 0) {
      return(p == 0)
    }
    (p - c) %in% pt$perturbation[pt$count == min(c, top) & pt$probability > 0]
  }, TRUE)
  r <- cs[ok]
  if (length(r) == 0 || any(diff(r) != 1)) stop("no interval of counts publishes ", p)
  range(r)
}

ck_var <- function(m, p, truth, label, target = FALSE) {
  r <- if (is.na(p)) c(0, Inf) else ck_range(p)
  m$lo <- c(m$lo, r[[1]])
  m$hi <- c(m$hi, r[[2]])
  m$truth <- c(m$truth, truth)
  m$label <- c(m$label, label)
  m$target <- c(m$target, target)
  m$own <- c(m$own, r[[2]] - r[[1]])
  length(m$lo)
}

# People in services s, of groups g (nobody of unknown group), with keys.
ck_people <- function(size = sample(20:150, 1)) {
  services <- LETTERS[seq_len(sample(2:4, 1))]
  groups <- paste0("g", seq_len(sample(2:4, 1)))
  d <- data.frame(
    s = sample(services, size, TRUE, prob = stats::runif(length(services))),
    g = sample(groups, size, TRUE, prob = stats::runif(length(groups))),
    stringsAsFactors = FALSE
  )
  d$key <- sample.int(256, size, TRUE)
  list(d = d, services = services, groups = groups)
}

# One release (the cohort table by service, with its Total stratum) in the
# model: a variable per published count, and the sums a reader knows.
# Returns the variables: x[s, g], people[s], total[g], all.
ck_release <- function(m, d, services, groups, tag, target = FALSE) {
  p <- as.data.frame(suppressMessages(describe_cohort(d, g,
    by = s, key = key, suppress = "cell_key"
  )))
  pub <- function(stratum, variable, level) {
    v <- p$n[as.character(p$s) == stratum & p$variable == variable & p$level %in% level]
    if (length(v) == 0) 0 else v # no row: nobody (the table's shape says so)
  }
  truth <- table(factor(d$s, services), factor(d$g, groups))
  x <- matrix(0L, length(services), length(groups), dimnames = list(services, groups))
  for (s in services) {
    for (g in groups) {
      x[s, g] <- ck_var(m, pub(s, "g", g), truth[s, g], paste(tag, s, g), target)
    }
  }
  people <- vapply(services, function(s) {
    ck_var(m, pub(s, "people", NA), sum(truth[s, ]), paste(tag, s, "people"), target)
  }, 0L)
  # (with one service there is no Total stratum)
  pooled <- length(unique(d$s)) > 1
  total <- vapply(groups, function(g) {
    ck_var(m, if (pooled) pub("Total", "g", g) else NA, sum(truth[, g]), paste(tag, "Total", g))
  }, 0L)
  all <- ck_var(m, if (pooled) pub("Total", "people", NA) else NA, sum(truth),
    paste(tag, "Total people")
  )
  for (s in services) attack_sum(m, people[[s]], x[s, ])
  for (g in groups) attack_sum(m, total[[g]], x[, g])
  attack_sum(m, all, people)
  attack_sum(m, all, total)
  list(x = x, people = people, total = total, all = all)
}

ck_model <- function() {
  m <- attack_model("cell_key")
  m$own <- numeric()
  m
}

# One attacked pair or series; returns the bounds of the targets with the
# width of each target's own published range.
ck_attack_one <- function(scenario) {
  m <- ck_model()
  people <- ck_people()
  attack <- switch(scenario,
    minus_service = ck_minus_service,
    one_added = ck_one_added,
    monthly = ck_monthly,
    monthly_year = function(...) ck_monthly(..., months = 12)
  )
  pairs <- attack(m, people$d, people$services, people$groups)
  b <- attack_bounds(m)
  b$own <- m$own[m$target]
  list(bounds = b, pairs = pairs)
}

# The cohort, then the cohort without one service.
ck_minus_service <- function(m, d, sv, gr) {
  gone <- sample(unique(d$s), 1)
  r1 <- ck_release(m, d, sv, gr, "1", target = TRUE)
  rest <- setdiff(sv, gone)
  r2 <- ck_release(m, d[d$s != gone, ], rest, gr, "2")
  for (s in rest) {
    for (g in gr) attack_sum(m, r2$x[s, g], r1$x[s, g])
  }
  1
}

# A release with one known person added (the reader knows their service
# and group, not their key).
ck_one_added <- function(m, d, sv, gr) {
  r1 <- ck_release(m, d, sv, gr, "1", target = TRUE)
  new <- data.frame(s = sample(sv, 1), g = sample(gr, 1), key = sample.int(256, 1))
  r2 <- ck_release(m, rbind(d, new), sv, gr, "2")
  one <- ck_var(m, NA, 1, "the person")
  m$lo[[one]] <- m$hi[[one]] <- 1
  for (s in sv) {
    for (g in gr) {
      joined <- s == new$s && g == new$g
      attack_sum(m, r2$x[s, g], c(r1$x[s, g], if (joined) one))
    }
  }
  1
}

# Monthly releases of a growing cohort: each month's people are last
# month's and some more (how many is not published).
ck_monthly <- function(m, d, sv, gr, months = 6) {
  d$month <- sample.int(months, nrow(d), TRUE)
  last <- NULL
  for (t in seq_len(months)) {
    r <- ck_release(m, d[d$month <= t, ], sv, gr, paste0("m", t), target = TRUE)
    if (!is.null(last)) {
      for (s in sv) {
        for (g in gr) {
          grew <- ck_var(m, NA, sum(d$month == t & d$s == s & d$g == g), paste("new", t, s, g))
          attack_sum(m, r$x[s, g], c(last$x[s, g], grew))
        }
      }
    }
    last <- r
  }
  months - 1
}

# The tally of n attacks of a scenario: pairs, cells attacked, cells
# narrowed below the rule's width (2 x the largest perturbation: the range
# a single published count of 6 or more leaves), below their own published
# range, recovered exactly, and true counts outside the bounds (an error
# of the attacker).
ck_attack_tally <- function(scenario, n) {
  width <- 2 * max(abs(cell_key_ptable()$perturbation))
  rows <- lapply(seq_len(n), function(i) {
    a <- ck_attack_one(scenario)
    b <- a$bounds
    w <- b$high - b$low
    data.frame(
      pairs = a$pairs, cells = nrow(b), narrowed_below_width = sum(w < width),
      narrowed_below_own = sum(w < b$own), small_cells = sum(b$truth >= 1 & b$truth <= 7),
      small_narrowed = sum(b$truth >= 1 & b$truth <= 7 & w < width),
      small_below_own = sum(b$truth >= 1 & b$truth <= 7 & w < b$own),
      small_exact = sum(b$truth >= 1 & b$truth <= 7 & w == 0),
      exact = sum(w == 0), truth_outside = sum(b$truth < b$low | b$truth > b$high),
      mean_width = mean(w), min_width = min(w)
    )
  })
  r <- do.call(rbind, rows)
  data.frame(
    scenario = scenario, pairs = sum(r$pairs), cells = sum(r$cells),
    narrowed_below_width = sum(r$narrowed_below_width),
    narrowed_below_own = sum(r$narrowed_below_own), small_cells = sum(r$small_cells),
    small_narrowed = sum(r$small_narrowed), small_below_own = sum(r$small_below_own),
    small_exact = sum(r$small_exact), exact = sum(r$exact),
    truth_outside = sum(r$truth_outside),
    mean_width = round(sum(r$mean_width * r$cells) / sum(r$cells), 2),
    min_width = min(r$min_width)
  )
}
