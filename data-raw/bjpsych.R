# Builds the bundled datasets from the figures published in
#   "Individual placement and support: cross-sectional study of equality of
#   access and outcome for Black, Asian and minority ethnic communities",
#   BJPsych Bulletin (2021).
#
# bjpsych_published: the paper's aggregates, typed in, with three
#   corrections (see R/data.R).
# ips_synthetic: a SYNTHETIC record-level cohort of 779 people, built so that
#   every published figure it can carry comes out exactly. It is not the
#   study's data.
#
# Search method. Everything that the published counts fix is laid down
# directly: each service x ethnicity cell gets its number of people, split
# into those who joined by 30 June and later, and within each part its
# number employed by 31 December. What the paper gives only as margins or
# statistics is then found by a seeded stochastic local search (simulated
# annealing) over three moves that keep every fixed count and margin:
#   1. swap the genders of a man and a woman in the same service;
#   2. swap the ages of two people in the same service (keeps each
#      service's age distribution, moves people between age bands);
#   3. move one year of age from one person to another in the same service
#      (keeps each service's mean age, changes its s.d.).
# The three moves touch disjoint targets, so the search runs in three
# stages: move 3 for the age s.d.s, then move 2 for the age-band tests,
# then move 1 for the tests in men and in women. Each stage minimises how
# far its statistics lie outside the interval that rounds to the published
# figure, and stops when all of them round to it. The script then checks every target and only then writes:
#   data/bjpsych_published.rda, data/ips_synthetic.rda,
#   inst/extdata/ips_synthetic.csv
# Run from the package root: Rscript data-raw/bjpsych.R

set.seed(20190101)

ethnicity_levels <- c(
  "White", "Asian/Asian British", "Black/Black British", "Mixed", "Other"
)
services <- c("CNWL", "WWT")

# ---- the published aggregates ------------------------------------------------

published <- data.frame(
  service = rep(services, each = 6),
  characteristic = "ethnicity",
  group = rep(c(ethnicity_levels, "Not known/stated"), 2),
  ips_n = c(134, 77, 64, 38, 52, 47, 144, 114, 63, 21, 7, 18),
  population_n = c(2774, 1158, 810, 936, 1335, 1350, 900, 805, 259, 61, 167, 90),
  employed_all = c(47, 35, 23, 15, 21, NA, 46, 37, 18, 5, 1, NA),
  n_6m = c(46, 20, 20, 15, 26, 12, 63, 33, 22, 9, 1, 7),
  employed_6m = c(18, 8, 6, 10, 13, NA, 29, 13, 10, 2, 0, NA),
  stringsAsFactors = FALSE
)
gender <- data.frame(
  service = rep(services, each = 3),
  characteristic = "gender",
  group = rep(c("Male", "Female", "Not known/stated"), 2),
  ips_n = c(207, 205, 0, 180, 186, 1),
  population_n = NA_real_, employed_all = NA_real_, n_6m = NA_real_,
  employed_6m = NA_real_,
  stringsAsFactors = FALSE
)
bjpsych_published <- rbind(published, gender)
bjpsych_published$service <- factor(bjpsych_published$service, levels = services)
bjpsych_published$characteristic <- factor(bjpsych_published$characteristic,
  levels = c("ethnicity", "gender")
)
bjpsych_published$group <- factor(bjpsych_published$group,
  levels = c(ethnicity_levels, "Male", "Female", "Not known/stated")
)
for (col in c("ips_n", "population_n", "employed_all", "n_6m", "employed_6m")) {
  bjpsych_published[[col]] <- as.integer(bjpsych_published[[col]])
}

# ---- targets the synthetic cohort must reproduce ---------------------------

targets <- list(
  age = data.frame(
    service = c("CNWL", "WWT", "Total"), n = c(412, 367, 779),
    mean = c(37.73, 34.39, 36.16), sd = c(12.02, 10.74, 11.55),
    min = c(17, 18, 17), max = c(65, 69, 69)
  ),
  gender_x2 = c(Male = 7.62, Female = 2.84),
  band_x2 = c("up to 25" = 1.62, "26-40" = 4.38, "41-55" = 0.50, "over 55" = 2.93),
  # the printed p-value (4 df) narrows one of them: women P = 0.59 needs
  # X2 < 2.8397 (for up to 25, 1.62 gives P = 0.805, which rounds either
  # way, so it is not used)
  gender_search = list(Male = 7.62, Female = c(2.8352, 2.8395)),
  band_search = list("up to 25" = 1.62, "26-40" = 4.38, "41-55" = 0.50, "over 55" = 2.93),
  p_values = c(Male = 0.11, Female = 0.59, "41-55" = 0.97),
  # employed among people of unknown ethnicity is not published; the
  # synthetic cohort uses these values (all who joined / joined by 30 June)
  unknown_employed_all = c(CNWL = 16, WWT = 6),
  unknown_employed_6m = c(CNWL = 5, WWT = 3)
)

# ---- lay down the fixed structure --------------------------------------------

cells <- published
cells$employed_all[cells$group == "Not known/stated"] <- targets$unknown_employed_all
cells$employed_6m[cells$group == "Not known/stated"] <- targets$unknown_employed_6m
people <- do.call(rbind, lapply(seq_len(nrow(cells)), function(i) {
  cl <- cells[i, ]
  early <- cl$n_6m
  later <- cl$ips_n - early
  data.frame(
    service = cl$service,
    ethnicity = if (cl$group == "Not known/stated") NA_character_ else cl$group,
    early = rep(c(TRUE, FALSE), c(early, later)),
    employed = c(
      rep(c(TRUE, FALSE), c(cl$employed_6m, early - cl$employed_6m)),
      rep(
        c(TRUE, FALSE),
        c(cl$employed_all - cl$employed_6m, later - (cl$employed_all - cl$employed_6m))
      )
    ),
    stringsAsFactors = FALSE
  )
}))
people <- people[sample(nrow(people)), ]
people <- people[order(match(people$service, services)), ]
rownames(people) <- NULL
n <- nrow(people)
stopifnot(n == 779)

# genders: the published margins, at random within each service
people$gender <- NA_character_
for (s in services) {
  idx <- which(people$service == s)
  g <- gender[gender$service == s, ]
  people$gender[idx] <- sample(rep(g$group, g$ips_n))
}
people$gender[people$gender == "Not known/stated"] <- NA

# ages: integers with each service's published mean, minimum and maximum
people$age <- NA_real_
for (s in services) {
  idx <- which(people$service == s)
  tg <- targets$age[targets$age$service == s, ]
  a <- round(stats::rnorm(length(idx), tg$mean, tg$sd))
  a <- pmin(pmax(a, tg$min + 1), tg$max - 1)
  a[1:2] <- c(tg$min, tg$max)
  want <- round(tg$mean * tg$n)
  while (sum(a) != want) {
    j <- sample(3:length(a), 1)
    step <- sign(want - sum(a))
    if (a[j] + step > tg$min && a[j] + step < tg$max) a[j] <- a[j] + step
  }
  people$age[idx] <- a
}

# ---- the search --------------------------------------------------------------

band_of <- function(age) {
  findInterval(age, c(25, 40, 55), left.open = TRUE) + 1L
}
x2 <- function(tab) {
  tab <- tab[rowSums(tab) > 0, , drop = FALSE]
  e <- outer(rowSums(tab), colSums(tab)) / sum(tab)
  sum((tab - e)^2 / e)
}
eth_code <- match(people$ethnicity, ethnicity_levels)
emp_code <- people$employed + 1L
known <- !is.na(eth_code)

# Simulated annealing on an L1 "distance outside the rounding interval":
# zero exactly when every statistic rounds to its target.
# A target is either a published value (which the statistic must round to)
# or an interval c(low, high) where the printed p-value narrows it further.
miss_by <- function(st, target) {
  if (is.list(target)) {
    low <- vapply(target, function(t) if (length(t) == 2) t[[1]] else t - 0.004, 0)
    high <- vapply(target, function(t) if (length(t) == 2) t[[2]] else t + 0.004, 0)
  } else {
    low <- target - 0.004
    high <- target + 0.004
  }
  sum(pmax(0, low - st) + pmax(0, st - high))
}

anneal <- function(state, propose, stats_of, target, label, max_iter = 300000) {
  st <- stats_of(state)
  e <- miss_by(st, target)
  temp0 <- 0.05
  for (iter in seq_len(max_iter)) {
    if (e == 0) {
      message(sprintf("%s: all targets met after %d moves", label, iter - 1))
      return(state)
    }
    temp <- temp0 * 0.9995^(iter %% 10000) + 1e-5
    cand <- propose(state)
    if (is.null(cand)) next
    st_new <- stats_of(cand)
    e_new <- miss_by(st_new, target)
    if (e_new <= e || stats::runif(1) < exp((e - e_new) / temp)) {
      state <- cand
      e <- e_new
    }
  }
  stop(label, ": the search did not converge; change the seed")
}

by_service <- split(seq_len(n), people$service)

# stage 1: each service's age s.d. (the total's follows), by moving a year
# of age between two people of one service; mean and range are kept
sd_stats <- function(age) {
  c(
    stats::sd(age[by_service$CNWL]), stats::sd(age[by_service$WWT]),
    stats::sd(age)
  )
}
people$age <- anneal(people$age, function(age) {
  s <- sample(services, 1)
  tg <- targets$age[targets$age$service == s, ]
  idx <- by_service[[s]]
  ij <- idx[sample.int(length(idx), 2)]
  age[ij] <- age[ij] + c(1, -1)
  a <- age[idx]
  if (any(a < tg$min | a > tg$max) || !(tg$min %in% a) || !(tg$max %in% a)) {
    return(NULL)
  }
  age
}, sd_stats, targets$age$sd, "age s.d.")

# Stages 2 and 3 work on counts: for the tests, people are exchangeable
# within their (service, ethnicity, employed) type, so the state is the
# table T[service, slot, type] of how many people of each type are in each
# age band (stage 2) or gender (stage 3); type 11 is "ethnicity not known",
# which is in no test. A move exchanges the slots of one person of type c1
# in slot a and one of type c2 in slot b of the same service, which keeps
# every margin. Each step takes the best of all moves (steepest descent);
# at a local minimum three random moves are made and the descent resumes.
person_type <- ifelse(known, eth_code + 5L * (emp_code - 1L), 11L)
service_code <- match(people$service, services)

# chi-square of many 5 x 2 tables at once: M has one row per table, the
# counts of "not employed" in columns 1-5 and of "employed" in 6-10
x2_many <- function(M) {
  no <- M[, 1:5, drop = FALSE]
  yes <- M[, 6:10, drop = FALSE]
  r <- no + yes
  n <- rowSums(r)
  e1 <- r * rowSums(no) / n
  e2 <- r * rowSums(yes) / n
  t1 <- ifelse(e1 > 0, (no - e1)^2 / e1, 0)
  t2 <- ifelse(e2 > 0, (yes - e2)^2 / e2, 0)
  rowSums(t1 + t2)
}

target_bounds <- function(target) {
  low <- vapply(target, function(t) if (length(t) == 2) t[[1]] else t - 0.004, 0)
  high <- vapply(target, function(t) if (length(t) == 2) t[[2]] else t + 0.004, 0)
  list(low = low, high = high)
}

# Steepest descent on tab[service, slot, type]. Moves change the pooled
# table (summed over services) in two slots only, so all of them are
# scored at once; a move is possible where some service has the people.
descend <- function(tab, target, label, max_steps = 20000) {
  bounds <- target_bounds(target)
  n_slot <- dim(tab)[[2]]
  n_type <- dim(tab)[[3]]
  moves <- expand.grid(a = seq_len(n_slot), b = seq_len(n_slot),
                       c1 = seq_len(n_type), c2 = seq_len(n_type))
  moves <- moves[moves$a < moves$b & moves$c1 != moves$c2, ]
  miss_of <- function(st) {
    low <- matrix(bounds$low, nrow(st), ncol(st), byrow = TRUE)
    high <- matrix(bounds$high, nrow(st), ncol(st), byrow = TRUE)
    rowSums(pmax(low - st, 0) + pmax(st - high, 0))
  }
  for (step in seq_len(max_steps)) {
    pooled <- apply(tab, 2:3, sum)
    st <- x2_many(pooled[, 1:10, drop = FALSE])
    e <- miss_of(matrix(st, 1))
    if (e == 0) {
      message(sprintf("%s: all targets met after %d steps", label, step - 1))
      return(tab)
    }
    possible <- vapply(seq_len(nrow(moves)), function(i) {
      m <- moves[i, ]
      any(tab[, m$a, m$c1] > 0 & tab[, m$b, m$c2] > 0)
    }, TRUE)
    mv <- moves[possible, ]
    new_st <- matrix(st, nrow(mv), n_slot, byrow = TRUE)
    rows_a <- x2_many(delta_rows(pooled, mv, "a")[, 1:10, drop = FALSE])
    rows_b <- x2_many(delta_rows(pooled, mv, "b")[, 1:10, drop = FALSE])
    new_st[cbind(seq_len(nrow(mv)), mv$a)] <- rows_a
    new_st[cbind(seq_len(nrow(mv)), mv$b)] <- rows_b
    es <- miss_of(new_st)
    picks <- if (min(es) < e) {
      best <- which(es == min(es))
      best[sample.int(length(best), 1)]
    } else {
      sample.int(nrow(mv), 3, replace = TRUE)
    }
    for (pick in picks) {
      m <- mv[pick, ]
      who <- which(tab[, m$a, m$c1] > 0 & tab[, m$b, m$c2] > 0)
      if (length(who) == 0) next
      s <- who[sample.int(length(who), 1)]
      tab[s, m$a, m$c1] <- tab[s, m$a, m$c1] - 1
      tab[s, m$b, m$c1] <- tab[s, m$b, m$c1] + 1
      tab[s, m$b, m$c2] <- tab[s, m$b, m$c2] - 1
      tab[s, m$a, m$c2] <- tab[s, m$a, m$c2] + 1
    }
  }
  stop(label, ": the search did not converge; change the seed")
}

# The pooled rows of slot a (or b) after each move.
delta_rows <- function(pooled, mv, which) {
  slot <- mv[[which]]
  out <- pooled[slot, , drop = FALSE]
  sgn <- if (which == "a") -1 else 1
  i <- seq_len(nrow(mv))
  out[cbind(i, mv$c1)] <- out[cbind(i, mv$c1)] + sgn
  out[cbind(i, mv$c2)] <- out[cbind(i, mv$c2)] - sgn
  out
}

# Gives each person a slot so that the counts match tab.
realise_slots <- function(tab, eligible) {
  slot <- rep(NA_integer_, n)
  for (s in seq_along(services)) {
    for (c in seq_len(dim(tab)[[3]])) {
      who <- which(service_code == s & person_type == c & eligible)
      who <- who[sample.int(length(who))]
      counts <- tab[s, , c]
      slot[who] <- rep(seq_along(counts), counts)
    }
  }
  slot
}

# stage 2: age bands
band_now <- band_of(people$age)
band_tab <- table(factor(service_code, 1:2), factor(band_now, 1:4), factor(person_type, 1:11))
band_tab <- descend(unclass(band_tab), targets$band_search, "age bands")
new_band <- realise_slots(band_tab, rep(TRUE, n))
old_age <- people$age
for (s in seq_along(services)) {
  for (b in 1:4) {
    pool <- old_age[service_code == s & band_now == b]
    who <- which(service_code == s & new_band == b)
    people$age[who] <- pool[sample.int(length(pool))]
  }
}

# stage 3: genders (the person of unknown gender keeps it)
has_gender <- !is.na(people$gender)
sex_code <- match(people$gender, c("Male", "Female"))
gender_tab <- table(factor(service_code[has_gender], 1:2), factor(sex_code[has_gender], 1:2),
                    factor(person_type[has_gender], 1:11))
gender_tab <- descend(unclass(gender_tab), targets$gender_search, "gender")
new_sex <- realise_slots(gender_tab, has_gender)
people$gender[has_gender] <- c("Male", "Female")[new_sex[has_gender]]

# dates joined: by 30 June for the early group, later otherwise
days_early <- seq(as.Date("2019-01-01"), as.Date("2019-06-30"), by = "day")
days_late <- seq(as.Date("2019-07-01"), as.Date("2019-12-31"), by = "day")
people$date_joined <- as.Date(NA)
people$date_joined[people$early] <- sample(days_early, sum(people$early), TRUE)
people$date_joined[!people$early] <- sample(days_late, sum(!people$early), TRUE)

ips_synthetic <- data.frame(
  id = seq_len(n),
  service = factor(people$service, levels = services),
  ethnicity = factor(people$ethnicity, levels = ethnicity_levels),
  gender = factor(people$gender, levels = c("Male", "Female")),
  age = as.integer(people$age),
  date_joined = people$date_joined,
  employed = people$employed
)

# ---- verify every target before writing ---------------------------------------

check <- function(ok, what) if (!isTRUE(ok)) stop("target not met: ", what)
for (s in services) {
  sub <- ips_synthetic[ips_synthetic$service == s, ]
  pub <- published[published$service == s, ]
  count_eth <- function(d) c(table(d$ethnicity)[ethnicity_levels], sum(is.na(d$ethnicity)))
  check(all(count_eth(sub) == pub$ips_n), paste(s, "ethnicity"))
  g <- gender[gender$service == s, ]
  check(all(c(sum(sub$gender == "Male", na.rm = TRUE), sum(sub$gender == "Female", na.rm = TRUE), sum(is.na(sub$gender))) == g$ips_n), paste(s, "gender"))
  tg <- targets$age[targets$age$service == s, ]
  check(round(mean(sub$age), 2) == tg$mean && round(stats::sd(sub$age), 2) == tg$sd &&
    min(sub$age) == tg$min && max(sub$age) == tg$max, paste(s, "age"))
  emp <- tapply(sub$employed, sub$ethnicity, sum)
  check(all(emp[ethnicity_levels] == pub$employed_all[1:5]), paste(s, "employed"))
  early <- sub[sub$date_joined <= as.Date("2019-06-30"), ]
  check(all(count_eth(early) == pub$n_6m), paste(s, "6-month sizes"))
  check(all(tapply(early$employed, early$ethnicity, sum)[ethnicity_levels] == pub$employed_6m[1:5]), paste(s, "6-month employed"))
}
tg <- targets$age[targets$age$service == "Total", ]
check(round(mean(ips_synthetic$age), 2) == tg$mean && round(stats::sd(ips_synthetic$age), 2) == tg$sd &&
  min(ips_synthetic$age) == tg$min && max(ips_synthetic$age) == tg$max, "total age")
known_eth <- ips_synthetic[!is.na(ips_synthetic$ethnicity), ]
for (sx in c("Male", "Female")) {
  sub <- known_eth[known_eth$gender %in% sx, ]
  stat <- stats::chisq.test(table(sub$ethnicity, sub$employed), correct = FALSE)$statistic
  check(round(stat, 2) == targets$gender_x2[[sx]], paste(sx, "chi-square"))
  check(round(stats::pchisq(stat, 4, lower.tail = FALSE), 2) == targets$p_values[[sx]], paste(sx, "p-value"))
}
bands <- cut(known_eth$age, c(-Inf, 25, 40, 55, Inf), labels = names(targets$band_x2))
for (b in names(targets$band_x2)) {
  sub <- known_eth[bands == b, ]
  stat <- suppressWarnings(stats::chisq.test(table(sub$ethnicity, sub$employed), correct = FALSE))$statistic
  check(round(stat, 2) == targets$band_x2[[b]], paste(b, "chi-square"))
  if (b %in% names(targets$p_values)) {
    check(round(stats::pchisq(stat, 4, lower.tail = FALSE), 2) == targets$p_values[[b]], paste(b, "p-value"))
  }
}
message("all targets met")

# ---- write ---------------------------------------------------------------------

dir.create("data", showWarnings = FALSE)
dir.create(file.path("inst", "extdata"), recursive = TRUE, showWarnings = FALSE)
save(bjpsych_published, file = file.path("data", "bjpsych_published.rda"), compress = "xz")
save(ips_synthetic, file = file.path("data", "ips_synthetic.rda"), compress = "xz")
utils::write.csv(ips_synthetic, file.path("inst", "extdata", "ips_synthetic.csv"),
  row.names = FALSE, na = ""
)
