# `make attack`: attacks suppressed output of every kind under both
# threshold rules, and releases under the cell-key rule with the
# differencing attack (kind "differencing", with a year of 12 monthly
# releases) and the key-additivity attack (kind "key_additivity"),
# with random tables (EQUITYAUDIT_ATTACK_N per kind and rule, default
# 10^4; the measures kind checks that inequality_measures() of a suppressed
# table equal those of its published counts typed in again), using the independent attacker of tests/testthat/helper-attack.R,
# and prints the tally with the time it took. Fails if any hidden count is
# recovered, narrowed below the rule's range, or misjudged by
# disclosure_check().
suppressPackageStartupMessages(library(equityaudit))
for (f in Sys.glob("tests/testthat/helper-attack*.R")) source(f)
n <- as.integer(Sys.getenv("EQUITYAUDIT_ATTACK_N", "10000"))
# tables attacked together (the report's four, a cohort with a services,
# periods or combined-group table) cost some 20-60 times a single table
n_report <- as.integer(Sys.getenv("EQUITYAUDIT_ATTACK_REPORT_N", as.character(n)))
joint <- c(
  "report", "services", "periods", "combined",
  "marginal_combined", "periods_outcomes", "quarter_year", "detailed_broad"
)
cores <- max(1L, min(2L, parallel::detectCores()))
kinds <- c("outcomes", "groups", "cohort", "access", "counts", "report", "measures",
  "services", "periods", "combined", "marginal_combined", "periods_outcomes",
  "quarter_year", "detailed_broad", "differencing", "key_additivity")
# EQUITYAUDIT_ATTACK_KINDS="report,measures" runs some of them (same seeds)
only <- strsplit(Sys.getenv("EQUITYAUDIT_ATTACK_KINDS", ""), ",")[[1]]
if (length(only) > 0) {
  unknown <- setdiff(only, kinds)
  if (length(unknown) > 0) stop("unknown kinds in EQUITYAUDIT_ATTACK_KINDS: ", paste(unknown, collapse = ", "))
}
run <- if (length(only) > 0) kinds[kinds %in% only] else kinds
rules <- c("nhs_digital", "opensafely")
rows <- list()
for (kind in setdiff(run, c("differencing", "key_additivity"))) {
  for (rule in rules) {
    started <- proc.time()[["elapsed"]]
    parts <- parallel::mclapply(seq_len(cores), function(core) {
      set.seed(1000 * core + match(kind, kinds) * 10 + match(rule, rules))
      attack_tally(kind, rule, ceiling((if (kind %in% joint) n_report else n) / cores))
    }, mc.cores = cores)
    tally <- do.call(rbind, parts)
    sums <- colSums(tally[, -(1:2)])
    row <- data.frame(kind = kind, rule = rule, t(sums),
      seconds = round(proc.time()[["elapsed"]] - started, 1)
    )
    print(row, row.names = FALSE)
    rows[[length(rows) + 1]] <- row
  }
}
# the differencing attack on the cell-key rule: EQUITYAUDIT_ATTACK_DIFF_N
# attacked pairs per scenario (default 10^3; a monthly series of 6
# releases is 5 pairs). It reports how far a reader who combines releases
# narrows the counts; it fails only if the attacker's bounds miss a true
# count (an error of the attacker).
diff_bad <- 0
if ("differencing" %in% run) {
  n_pairs <- as.integer(Sys.getenv("EQUITYAUDIT_ATTACK_DIFF_N", "1000"))
  diff_rows <- list()
  scenarios <- c("minus_service", "one_added", "monthly", "monthly_year")
  for (scenario in scenarios) {
    started <- proc.time()[["elapsed"]]
    per_run <- switch(scenario, monthly = 5, monthly_year = 11, 1)
    parts <- parallel::mclapply(seq_len(cores), function(core) {
      set.seed(5000 + 100 * core + match(scenario, scenarios))
      ck_attack_tally(scenario, ceiling(n_pairs / per_run / cores))
    }, mc.cores = cores)
    tally <- do.call(rbind, parts)
    w <- tally$cells
    row <- data.frame(
      scenario = scenario, pairs = sum(tally$pairs), cells = sum(w),
      narrowed_below_own = sum(tally$narrowed_below_own),
      narrowed_below_width = sum(tally$narrowed_below_width),
      small_cells = sum(tally$small_cells), small_narrowed = sum(tally$small_narrowed),
      small_below_own = sum(tally$small_below_own), small_exact = sum(tally$small_exact),
      exact = sum(tally$exact), truth_outside = sum(tally$truth_outside),
      mean_width = round(sum(tally$mean_width * w) / sum(w), 2), min_width = min(tally$min_width),
      seconds = round(proc.time()[["elapsed"]] - started, 1)
    )
    print(row, row.names = FALSE)
    diff_rows[[length(diff_rows) + 1]] <- row
  }
  diff <- do.call(rbind, diff_rows)
  cat(
    "\nDifferencing attack on the cell-key rule (default perturbation table): cells whose",
    "range is narrower than a count published alone leaves (own), narrower than 6 = twice",
    "the largest perturbation (width), and recovered exactly\n"
  )
  print(diff, row.names = FALSE)
  diff_bad <- sum(diff$truth_outside)
}
# the key-additivity attack: EQUITYAUDIT_ATTACK_KEYS_N tables (default
# 10^3), each published with the keyed hash and, for comparison, with the
# unkeyed positions (key sum modulo 256) the rule used before. Fails if
# the attack on the unkeyed release ever errs (an error of the attacker).
if ("key_additivity" %in% run) {
  n_keys <- as.integer(Sys.getenv("EQUITYAUDIT_ATTACK_KEYS_N", "1000"))
  started <- proc.time()[["elapsed"]]
  parts <- parallel::mclapply(seq_len(cores), function(core) {
    set.seed(7000 + core)
    ck_additivity_tally(ceiling(n_keys / cores))
  }, mc.cores = cores)
  tally <- do.call(rbind, parts)
  keys <- stats::aggregate(tally[, -1], tally["release"], sum)
  cat(
    "\nKey-additivity attack on the cell-key rule: per release, parts narrowed by the sums of",
    "counts alone, tables contradicting the premise, parts narrowed further (right, wrong) and",
    "pinned to one count;", round(proc.time()[["elapsed"]] - started, 1), "s\n"
  )
  print(keys, row.names = FALSE)
  diff_bad <- diff_bad + sum(keys$wrong[keys$release == "legacy"])
}
if (length(rows) == 0) quit(status = if (diff_bad > 0) 1 else 0)
all <- do.call(rbind, rows)
cat("\nAttack on suppressed output (", n, " random tables per kind and rule requested, ",
  n_report, " for the report's tables)\n", sep = "")
print(all, row.names = FALSE)
bad <- sum(all$recovered_exactly + all$narrowed + all$truth_outside +
  all$limits_inverted + all$check_disagrees + all$errors)
cat(sprintf(
  "\n%d tables, %d hidden cells attacked: %d recovered exactly, %d narrowed below the rule's range, %d misjudged by disclosure_check(), %d errors; %.0f s in all\n",
  sum(all$tables), sum(all$hidden_cells), sum(all$recovered_exactly),
  sum(all$narrowed), sum(all$check_disagrees), sum(all$errors), sum(all$seconds)
))
if (bad + diff_bad > 0) quit(status = 1)
