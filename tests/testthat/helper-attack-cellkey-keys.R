# The key-additivity attack on the cell-key rule (kind "key_additivity" of
# tools/attack.R; test-attack.R). Were a cell's position in the public
# perturbation table its key sum modulo 256 (the method before the keyed
# hash: ck_legacy_publish(), kept here only for comparison), a total's
# position would be the sum of its parts' positions modulo 256: a reader
# who knows the table enumerates, for each published part, the pairs
# (true count, position) that publish it, and keeps those that add up to
# a pair publishing the total. Under the keyed hash the positions of the
# parts and of the total are unrelated without the secret, so all the
# reader has left is the sum of the counts (ck_count_bounds()).

# The pairs (count 0..cmax, position 0..255) that publish p: a logical
# matrix, row c + 1, column position + 1 (nobody: count 0, key sum 0).
ck_pairs <- function(p, cmax, pt = cell_key_ptable()) {
  out <- matrix(FALSE, cmax + 1, 256)
  if (p == 0) out[1, 1] <- TRUE
  for (c in seq_len(cmax)) {
    out[c + 1, ] <- c + equityaudit:::ptable_perturbation(rep(c, 256), 0:255, pt) == p
  }
  out
}

# The pairs (count a + b, position a + b modulo 256) of two sets of pairs:
# a two-dimensional convolution, circular in the position (by FFT).
ck_convolve <- function(a, b) {
  rows <- nrow(a) + nrow(b) - 1
  pad <- function(x) {
    y <- matrix(0, rows, 256)
    y[seq_len(nrow(x)), ] <- x
    y
  }
  r <- Re(stats::fft(stats::fft(pad(a)) * stats::fft(pad(b)), inverse = TRUE)) / (rows * 256)
  r > 0.5
}

# The counts of each part that key additivity leaves: NA where no pairs of
# the parts add up to a pair publishing the total (the premise is false).
ck_additive_bounds <- function(parts, total, pt = cell_key_ptable()) {
  pairs <- lapply(parts, function(p) ck_pairs(p, p + 3, pt))
  tot <- ck_pairs(total, total + 3, pt)
  one <- matrix(c(TRUE, rep(FALSE, 255)), 1, 256)
  t(vapply(seq_along(parts), function(g) {
    rest <- Reduce(ck_convolve, pairs[-g], one)
    ok <- vapply(seq_len(nrow(pairs[[g]])), function(c) {
      if (!any(pairs[[g]][c, ])) {
        return(FALSE)
      }
      a <- matrix(FALSE, c, 256)
      a[c, ] <- pairs[[g]][c, ]
      s <- ck_convolve(a, rest)
      h <- min(nrow(s), nrow(tot))
      any(s[seq_len(h), ] & tot[seq_len(h), ])
    }, TRUE)
    if (any(ok)) range(which(ok) - 1) else c(NA, NA)
  }, numeric(2)))
}

# The counts of each part that the sum of the counts alone leaves.
ck_count_bounds <- function(parts, total) {
  own <- t(vapply(parts, ck_range, numeric(2)))
  tr <- ck_range(total)
  lo <- pmax(own[, 1], tr[[1]] - (sum(own[, 2]) - own[, 2]))
  hi <- pmin(own[, 2], tr[[2]] - (sum(own[, 1]) - own[, 1]))
  cbind(lo, hi, own = own[, 2] - own[, 1])
}

# The counts of a table published with positions = key sum modulo 256 (the
# method before the keyed hash; for comparison only).
ck_legacy_publish <- function(count, key_sum, pt = cell_key_ptable()) {
  count + equityaudit:::ptable_perturbation(count, key_sum %% 256, pt)
}

# One stratum of a cohort table (2 to 5 groups, 5 to 40 people, random
# keys), published both ways and attacked both ways.
ck_additivity_one <- function() {
  k <- sample(2:5, 1)
  d <- data.frame(g = sample(paste0("g", seq_len(k)), sample(5:40, 1), TRUE, prob = stats::runif(k)))
  d$key <- sample.int(256, nrow(d), TRUE)
  groups <- sort(unique(d$g))
  truth <- as.vector(table(factor(d$g, groups)))
  sums <- as.vector(tapply(d$key, factor(d$g, groups), sum))
  p <- as.data.frame(unclass(suppressMessages(describe_cohort(d, g, key = key, suppress = "cell_key"))))
  keyed <- list(
    parts = p$n[match(groups, p$level)],
    total = p$n[p$variable == "people"]
  )
  legacy <- list(
    parts = ck_legacy_publish(truth, sums),
    total = ck_legacy_publish(sum(truth), sum(d$key))
  )
  one <- function(pub, release) {
    add <- ck_additive_bounds(pub$parts, pub$total)
    cnt <- ck_count_bounds(pub$parts, pub$total)
    data.frame(
      release = release, truth = truth, own = cnt[, "own"], count_lo = cnt[, "lo"],
      count_hi = cnt[, "hi"], add_lo = add[, 1], add_hi = add[, 2]
    )
  }
  rbind(one(keyed, "keyed"), one(legacy, "legacy"))
}

# The tally of n tables: parts attacked; parts the sums of counts alone
# narrow below their own published range; for the additivity attacker,
# tables where the premise fails (no pairs add up), parts narrowed below
# what the sums of counts leave, of them with the true count inside,
# parts whose bounds miss the true count (the premise misled the reader),
# and parts pinned to one count (of them right).
ck_additivity_tally <- function(n) {
  r <- do.call(rbind, lapply(seq_len(n), function(i) cbind(table = i, ck_additivity_one())))
  do.call(rbind, lapply(c("legacy", "keyed"), function(rel) {
    x <- r[r$release == rel, ]
    fails <- is.na(x$add_lo)
    w_count <- x$count_hi - x$count_lo
    w_add <- x$add_hi - x$add_lo
    inside <- !fails & x$truth >= x$add_lo & x$truth <= x$add_hi
    narrowed <- !fails & w_add < w_count
    small <- x$truth >= 1 & x$truth <= 7
    exact <- !fails & w_add == 0
    data.frame(
      release = rel, tables = n, parts = nrow(x), small_parts = sum(small),
      count_narrowed = sum(w_count < x$own),
      premise_fails = length(unique(x$table[fails])),
      narrowed = sum(narrowed), narrowed_right = sum(narrowed & inside),
      wrong = sum(!fails & !inside),
      small_narrowed_right = sum(narrowed & inside & small),
      exact = sum(exact), exact_right = sum(exact & inside),
      small_exact_right = sum(exact & inside & small),
      tables_exact_right = length(unique(x$table[exact & inside & small]))
    )
  }))
}
