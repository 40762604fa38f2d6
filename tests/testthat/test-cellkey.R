# The cell-key rule (suppress_counts(rule = "cell_key")): deterministic,
# consistent across tables, zeros kept, perturbation bounded, the
# perturbation table checked.

ck_people <- function(seed = 3, n = 300) {
  set.seed(seed)
  d <- data.frame(
    service = sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2)),
    ethnicity = sample(c("White", "Asian", "Black", "Mixed", NA), n, replace = TRUE,
      prob = c(0.6, 0.2, 0.1, 0.05, 0.05)
    ),
    employed = sample(c("yes", "no"), n, replace = TRUE),
    age = round(runif(n, 18, 65)),
    stringsAsFactors = FALSE
  )
  # nobody of Mixed ethnicity in service C: a zero cell
  d$ethnicity[d$service == "C" & d$ethnicity %in% "Mixed"] <- "White"
  d$key <- record_keys(d, seed = seed)
  d
}

test_that("record keys are reproducible, from 1 to 256, and leave the caller's stream alone", {
  set.seed(42)
  before <- .Random.seed
  k <- record_keys(1000, seed = 7)
  expect_identical(.Random.seed, before)
  expect_identical(k, record_keys(1000, seed = 7))
  expect_false(identical(k, record_keys(1000, seed = 8)))
  expect_type(k, "integer")
  expect_equal(range(k), c(1L, 256L))
  expect_length(record_keys(data.frame(a = 1:5), seed = 1), 5)
  expect_error(record_keys(5), class = "equityaudit_error_argument")
  expect_error(record_keys(5, seed = 1.5), class = "equityaudit_error_argument")
})

test_that("the keyed hash is SipHash-2-4, pinned bit for bit", {
  siphash <- function(key, msg) .Call(equityaudit:::ea_siphash, key, msg)
  # the reference test vectors (Aumasson and Bernstein 2012): key 00..0f,
  # messages of 0 and 15 bytes 00, 01, ...
  expect_identical(siphash(as.raw(0:15), raw(0)), rev(as.raw(c(0x72, 0x6f, 0xdb, 0x47, 0xdd, 0x0e, 0x0e, 0x31))))
  expect_identical(siphash(as.raw(0:15), as.raw(0:14)), rev(as.raw(c(0xa1, 0x29, 0xca, 0x61, 0x49, 0xbe, 0x45, 0xe5))))
  # positions of key sums under a secret, the same on every machine
  pos <- function(sums, secret) equityaudit:::cell_key_positions(sums, charToRaw(secret))
  expect_identical(pos(c(0, 1, 10, 2^40), "a secret of sixteen+"), c(108L, 129L, 106L, 0L))
  expect_false(identical(pos(1:20, "a secret of sixteen+"), pos(1:20, "a secret of sixteen-")))
  # uniform over the 256 positions
  counts <- tabulate(pos(1:25600, ck_secret) + 1, 256)
  expect_gt(stats::chisq.test(counts)$p.value, 0.001)
})

test_that("a count is perturbed by the table's row at the keyed hash of its key sum", {
  one_cell <- function(keys) {
    d <- data.frame(g = c(rep("a", length(keys)), "b"), key = c(keys, 128))
    s <- suppressMessages(describe_cohort(d, g, key = key, suppress = "cell_key"))
    as.data.frame(s)$n[as.data.frame(s)$level %in% "a"]
  }
  position <- function(keys) equityaudit:::cell_key_positions(sum(keys), charToRaw(ck_secret))
  # the row for counts of 6 and more: -3 to 3 for 12, 26, 51, 78, 51, 26
  # and 12 positions of 256
  row6 <- function(p) (-3:3)[findInterval(p, cumsum(c(0, 12, 26, 51, 78, 51, 26)))]
  for (keys in list(rep(1, 10), rep(10, 10), rep(25, 10), rep(256, 10), 1:30)) {
    expect_equal(one_cell(keys), length(keys) + row6(position(keys)))
  }
  # pinned under the tests' secret: 10 people with keys adding to 10, 100,
  # 250, 2560 and 30 people with keys 1 to 30
  expect_equal(
    vapply(list(rep(1, 10), rep(10, 10), rep(25, 10), rep(256, 10), 1:30), one_cell, 0),
    c(8, 8, 11, 10, 28)
  )
  # a count of 1: positions below 171 of 256 give 0, above give 3
  for (k in c(100, 200, 7)) {
    expect_equal(one_cell(k), if (position(k) < 171) 0 else 3)
  }
  # the same people, the same count, under another secret: another count
  # for some cells
  other <- withr_options(list(equityaudit.secret = "another secret, sixteen or more"), {
    vapply(1:40, function(k) one_cell(rep(k, 10)), 0)
  })
  expect_true(any(other != vapply(1:40, function(k) one_cell(rep(k, 10)), 0)))
  m <- equityaudit:::ptable_moments()
  expect_equal(m$mean[m$count >= 3], rep(0, 4))
  expect_equal(m$variance[m$count == 6], 526 / 256)
  expect_equal(max(m$max), 3)
})

test_that("the same data give the same published table, whatever the order of the rows", {
  d <- ck_people()
  a <- suppressMessages(compare_outcomes(d, ethnicity, employed, by = service, event = "yes",
    key = key, suppress = "cell_key"
  ))
  b <- suppressMessages(compare_outcomes(d[rev(seq_len(nrow(d))), ], ethnicity, employed,
    by = service, event = "yes", key = key, suppress = "cell_key"
  ))
  expect_identical(as.data.frame(a), as.data.frame(b))
  x <- suppressMessages(compare_outcomes(d, ethnicity, employed,
    by = service, event = "yes", key = key
  ))
  expect_identical(as.data.frame(suppress_counts(x, "cell_key")), as.data.frame(a))
  # the published counts differ from the true ones, by at most 3
  diff <- c(a$n - x$n, a$events - x$events)
  expect_true(any(diff != 0))
  expect_lte(max(abs(diff)), 3)
  expect_false(any(c(a$n, a$events) %in% c(1, 2)))
  # percentages and tests are those of the published counts
  p <- as.data.frame(a)
  expect_equal(p$pct, 100 * pmin(p$events, p$n) / p$n)
  rows <- p$service == "A" & !p$missing
  published <- cbind(p$events[rows], p$n[rows] - p$events[rows])
  expect_equal(p$statistic[rows][[1]],
    unname(suppressWarnings(stats::chisq.test(published, correct = FALSE))$statistic),
    tolerance = 1e-10
  )
})

test_that("the same people give the same published count in every table", {
  d <- ck_people()
  cohort <- as.data.frame(suppressMessages(describe_cohort(d, ethnicity,
    by = service, age = age, key = key, suppress = "cell_key"
  )))
  outcomes <- as.data.frame(suppressMessages(compare_outcomes(d, ethnicity, employed,
    by = service, event = "yes", key = key, suppress = "cell_key"
  )))
  # the people of service A alone, in a table of their own
  only_a <- as.data.frame(suppressMessages(describe_cohort(d[d$service == "A", ], ethnicity,
    key = key, suppress = "cell_key"
  )))
  for (g in c("White", "Asian", "Black", "Mixed")) {
    in_cohort <- cohort$n[cohort$service == "A" & cohort$level %in% g]
    expect_equal(outcomes$n[outcomes$service == "A" & outcomes$ethnicity == g], in_cohort)
    expect_equal(only_a$n[only_a$level %in% g], in_cohort)
  }
  expect_equal(
    cohort$n[cohort$service == "A" & cohort$variable == "people"],
    only_a$n[only_a$variable == "people"]
  )
  # everybody's age is known: the age row is the people row
  people <- cohort$n[cohort$variable == "people"]
  expect_equal(cohort$n[cohort$variable == "age" & !cohort$missing], people)
  # age is not published under the rule
  expect_true(all(is.na(cohort$mean)))
  # zeros stay zero
  expect_equal(cohort$n[cohort$service == "C" & cohort$level %in% "Mixed"], 0)
  # the Total stratum is perturbed on its own: close to, not always, the
  # sum of the services
  total <- cohort$n[cohort$pooled & cohort$variable == "people"]
  expect_lte(abs(total - sum(people[!cohort$pooled[cohort$variable == "people"]])), 12)
})

test_that("access tables publish perturbed counts and the reference as given", {
  d <- ck_people()
  ref <- expand.grid(service = c("A", "B", "C"), ethnicity = c("White", "Asian", "Black", "Mixed"),
    stringsAsFactors = FALSE
  )
  ref$n <- seq(1000, by = 100, length.out = nrow(ref))
  x <- suppressMessages(compare_access(d, ethnicity, ref, by = service, key = key))
  s <- suppress_counts(x, "cell_key")
  expect_equal(s$ref_n, x$ref_n)
  expect_lte(max(abs(s$n - x$n)), 3)
  cohort <- suppressMessages(describe_cohort(d, ethnicity, by = service, key = key,
    pooled = FALSE, suppress = "cell_key"
  ))
  white_a <- cohort$n[cohort$service == "A" & cohort$level %in% "White"]
  expect_equal(s$n[s$service == "A" & s$ethnicity == "White"], white_a)
})

test_that("a perturbation table of one's own is used and checked", {
  d <- ck_people()
  x <- suppressMessages(describe_cohort(d, ethnicity, by = service, key = key))
  identity <- data.frame(count = 1, perturbation = 0, probability = 1)
  expect_equal(suppress_counts(x, "cell_key", ptable = identity)$n, x$n)
  up_one <- data.frame(count = c(1, 2, 2), perturbation = c(1, 1, 2), probability = c(1, 0.5, 0.5))
  s <- suppress_counts(x, "cell_key", ptable = up_one)
  expect_true(all((s$n[x$n > 0] - x$n[x$n > 0]) %in% c(1, 2)))
  expect_equal(s$n[x$n == 0], x$n[x$n == 0])
  bad <- list(
    "columns" = data.frame(count = 1, change = 0, probability = 1),
    "sum to 1" = data.frame(count = 1, perturbation = c(0, 1), probability = c(0.5, 0.4)),
    "negative" = data.frame(count = 1, perturbation = -2, probability = 1),
    "every count" = data.frame(count = c(1, 3), perturbation = 0, probability = 1),
    "whole" = data.frame(count = 1, perturbation = 0.5, probability = 1),
    "missing" = data.frame(count = 1, perturbation = NA, probability = 1),
    "twice" = data.frame(count = 1, perturbation = c(0, 0), probability = c(0.5, 0.5))
  )
  for (b in names(bad)) {
    expect_error(suppress_counts(x, "cell_key", ptable = bad[[b]]),
      class = "equityaudit_error_argument", info = b
    )
  }
  expect_error(suppress_counts(x, "cell_key", ptable = bad$negative), "negative")
})

test_that("the rule says clearly what it cannot do", {
  d <- ck_people()
  plain <- suppressMessages(describe_cohort(d, ethnicity, by = service))
  expect_error(suppress_counts(plain, "cell_key"), "`key =`", class = "equityaudit_error_argument")
  groups <- suppressMessages(compare_groups(d, ethnicity, employed, event = "yes"))
  expect_error(suppress_counts(groups, "cell_key"), "kind \"groups\"",
    class = "equityaudit_error_argument"
  )
  agg <- data.frame(g = c("a", "b"), n = c(10, 20), key = c(3, 4))
  expect_error(describe_cohort(agg, g, weight = n, key = key), class = "equityaudit_error_argument")
  d$bad <- d$key
  d$bad[[1]] <- 0
  expect_error(describe_cohort(d, ethnicity, key = bad), class = "equityaudit_error_column")
  x <- suppressMessages(describe_cohort(d, ethnicity, key = key))
  expect_error(suppress_counts(x[1:3, ], "cell_key"), "lost rows", class = "equityaudit_error_argument")
  expect_error(suppress_counts(x, "cell_key", threshold = 10), class = "equityaudit_error_argument")
  expect_error(suppress_counts(x, "nhs_digital", ptable = cell_key_ptable()),
    class = "equityaudit_error_argument"
  )
  expect_error(disclosure_check(suppress_counts(x, "cell_key")),
    class = "equityaudit_error_argument"
  )
  # tables published together: each perturbed from its own keys
  both <- suppress_counts(list(a = x, b = x), "cell_key")
  expect_identical(as.data.frame(both$a), as.data.frame(both$b))
  expect_match(
    paste(capture.output(print(both$a)), collapse = " "),
    "cell-key method \\(by at most 3; 0 stays 0; no count is shown as 1 or 2\\)"
  )
})

test_that("reordered rows keep their own keys, and keys do not depend on the RNG kind", {
  d <- ips_synthetic
  d$key <- record_keys(d, seed = 1)
  x <- describe_cohort(d, ethnicity, by = service, key = key)
  a <- as.data.frame(unclass(suppress_counts(x, "cell_key")))
  o <- order(x$level)
  b <- as.data.frame(unclass(suppress_counts(x[o, ], "cell_key")))
  expect_equal(b$n, a$n[o])
  expect_error(suppress_counts(x[-1, ], "cell_key"), "lost rows", class = "equityaudit_error_argument")
  old <- RNGkind()
  on.exit(suppressWarnings(RNGkind(old[[1]], old[[2]], old[[3]])))
  want <- record_keys(50, seed = 7)
  suppressWarnings(RNGkind("L'Ecuyer-CMRG", sample.kind = "Rounding"))
  expect_equal(record_keys(50, seed = 7), want)
  expect_equal(RNGkind()[c(1, 3)], c("L'Ecuyer-CMRG", "Rounding"))
})

test_that("a seed R cannot use is a classed error", {
  expect_error(record_keys(3, seed = 1e20), "whole number from", class = "equityaudit_error_argument")
  expect_error(record_keys(3, seed = -2^31), class = "equityaudit_error_argument")
  expect_length(record_keys(3, seed = .Machine$integer.max), 3)
})

test_that("the rule needs a secret, given or set as an option, and says how to set one", {
  d <- ck_people()
  x <- suppressMessages(describe_cohort(d, ethnicity, by = service, key = key))
  withr_options(list(equityaudit.secret = NULL), {
    expect_error(suppress_counts(x, "cell_key"), "options\\(equityaudit.secret = ",
      class = "equityaudit_error_secret"
    )
    expect_error(describe_cohort(d, ethnicity, key = key, suppress = "cell_key"),
      class = "equityaudit_error_secret"
    )
    expect_error(suppress_counts(x, "cell_key", secret = "too short"), "at least 16",
      class = "equityaudit_error_secret"
    )
    expect_error(suppress_counts(x, "cell_key", secret = NA_character_), class = "equityaudit_error_secret")
    given <- suppress_counts(x, "cell_key", secret = ck_secret)
    raw <- suppress_counts(x, "cell_key", secret = charToRaw(ck_secret))
    expect_identical(as.data.frame(given), as.data.frame(raw))
  })
  expect_identical(as.data.frame(suppress_counts(x, "cell_key")), as.data.frame(given))
  expect_error(suppress_counts(x, "nhs_digital", secret = ck_secret), "only by the cell-key rule",
    class = "equityaudit_error_argument"
  )
})
