# `make attack`: attacks suppressed output of every kind under both rules
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
joint <- c("report", "services", "periods", "combined")
cores <- max(1L, min(2L, parallel::detectCores()))
kinds <- c("outcomes", "groups", "cohort", "access", "counts", "report", "measures",
  "services", "periods", "combined")
# EQUITYAUDIT_ATTACK_KINDS="report,measures" runs some of them (same seeds)
only <- strsplit(Sys.getenv("EQUITYAUDIT_ATTACK_KINDS", ""), ",")[[1]]
if (length(only) > 0) {
  unknown <- setdiff(only, kinds)
  if (length(unknown) > 0) stop("unknown kinds in EQUITYAUDIT_ATTACK_KINDS: ", paste(unknown, collapse = ", "))
}
run <- if (length(only) > 0) kinds[kinds %in% only] else kinds
rules <- c("nhs_digital", "opensafely")
rows <- list()
for (kind in run) {
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
if (bad > 0) quit(status = 1)
