# Benchmark: secondary suppression of least loss (optimal_pattern(),
# R/suppress-optimal.R) against the greedy search (protect_cells()), under
# the NHS Digital and OpenSAFELY rules, on
#
# * 100 random two-way tables (4 x 5 to 6 x 8 counts with their row,
#   column and grand totals; Poisson counts with log-normal means, so many
#   are small or 0);
# * the demo report's linked tables (report_tables() of ips_synthetic:
#   cohort, outcomes and group comparisons, suppressed together through
#   joint_spec());
# * the same report with a realistic 19-category ethnicity (each person's
#   broad group split into the ONS 2021 detailed categories of
#   ons_ethnicity_2021 in fixed London-like shares).
#
# For each set and rule: the loss (sum of 1 + count over secondary stars)
# of the greedy pattern, of the optimal one and the proven lower bound;
# secondary stars of each; how many tables the optimum improved; statuses;
# CPU seconds (median and max). Run from the repository's root:
# `Rscript bench/suppress-optimal.R` (loads the package with pkgload, as
# optimal_pattern() is internal). EA_OPT_TABLES sets the number of random
# tables (default 100), EA_OPT_LIMIT the time limit per table (s, 60).
suppressPackageStartupMessages(pkgload::load_all(".", quiet = TRUE))

n_tables <- as.integer(Sys.getenv("EA_OPT_TABLES", "100"))
limit <- as.numeric(Sys.getenv("EA_OPT_LIMIT", "60"))

cpu <- function(f) {
  t0 <- proc.time()
  value <- f()
  t <- proc.time() - t0
  list(value = value, seconds = t[["user.self"]] + t[["sys.self"]])
}

two_way_spec <- function(m) {
  nr <- nrow(m)
  nc <- ncol(m)
  inner <- matrix(seq_len(nr * nc), nr)
  row_total <- nr * nc + seq_len(nr)
  col_total <- nr * nc + nr + seq_len(nc)
  grand <- nr * nc + nr + nc + 1L
  cons <- c(
    lapply(seq_len(nr), function(i) c(row_total[[i]], inner[i, ])),
    lapply(seq_len(nc), function(j) c(col_total[[j]], inner[, j])),
    list(c(grand, row_total), c(grand, col_total))
  )
  list(
    value = as.double(c(m, rowSums(m), colSums(m), sum(m))), kind = rep("shown", grand),
    row = seq_len(grand), column = rep("n", grand), table = rep("main", grand),
    cons = lapply(cons, as.integer), sums = sums_from_list(lapply(cons, as.integer)),
    whole = rep(FALSE, grand)
  )
}

report_spec <- function(people) {
  tables <- report_tables(people, ethnicity, employed, by = service, suppress = "none")$tables
  tables <- align_shapes(lapply(tables, as_suppressible))
  joint_spec(tables, lapply(tables, count_spec))
}

# ips_synthetic with each broad ethnicity split into its detailed ONS 2021
# categories (shares fixed; the split itself random with a fixed seed).
detailed_ethnicity <- function(people, seed = 2021) {
  set.seed(seed)
  labels <- as.character(ons_ethnicity_2021$detailed)
  split_of <- list(
    "White" = list(at = 13:17, share = c(0.6, 0.05, 0.01, 0.01, 0.33)),
    "Asian/Asian British" = list(at = 1:5, share = c(0.2, 0.1, 0.35, 0.2, 0.15)),
    "Black/Black British" = list(at = 6:8, share = c(0.55, 0.35, 0.1)),
    "Mixed" = list(at = 9:12, share = c(0.3, 0.2, 0.3, 0.2)),
    "Other" = list(at = 18:19, share = c(0.4, 0.6))
  )
  broad <- as.character(people$ethnicity)
  out <- rep(NA_character_, length(broad))
  for (b in names(split_of)) {
    s <- split_of[[b]]
    who <- which(broad == b)
    out[who] <- labels[s$at][sample.int(length(s$at), length(who), replace = TRUE, prob = s$share)]
  }
  people$ethnicity <- factor(out, levels = labels)
  people
}

# One spec under one rule: greedy, then optimal from the greedy pattern.
compare_one <- function(spec, r) {
  primary <- spec$kind != "hidden" & is_small(spec$value, r)
  loss <- function(s) sum((1 + spec$value)[s & !primary])
  greedy <- cpu(function() suppressWarnings(protect_cells(spec, r)$suppressed))
  best <- cpu(function() optimal_pattern(spec, r, incumbent = greedy$value, time_limit = limit))
  safe <- !any(certify_pattern(spec, r, best$value$suppressed)$at_risk & !best$value$exposed)
  data.frame(
    cells = length(spec$value), primary = sum(primary),
    greedy_loss = loss(greedy$value), optimal_loss = best$value$cost,
    lower_bound = best$value$lower_bound,
    greedy_stars = sum(greedy$value & !primary), optimal_stars = sum(best$value$suppressed & !primary),
    status = best$value$status, protected = safe,
    greedy_s = greedy$seconds, optimal_s = best$seconds
  )
}

summarise_set <- function(rows, set, rule) {
  data.frame(
    set = set, rule = rule, tables = nrow(rows),
    greedy_loss = sum(rows$greedy_loss), optimal_loss = sum(rows$optimal_loss),
    lower_bound = sum(rows$lower_bound),
    gap_pct = round(100 * (sum(rows$optimal_loss) - sum(rows$lower_bound)) / max(1, sum(rows$lower_bound)), 2),
    saved_pct = round(100 * (1 - sum(rows$optimal_loss) / max(1, sum(rows$greedy_loss))), 1),
    improved = sum(rows$optimal_loss < rows$greedy_loss),
    worse = sum(rows$optimal_loss > rows$greedy_loss),
    greedy_stars = sum(rows$greedy_stars), optimal_stars = sum(rows$optimal_stars),
    optimal = sum(rows$status == "optimal"), protected = sum(rows$protected),
    greedy_med_s = round(stats::median(rows$greedy_s), 3), greedy_max_s = round(max(rows$greedy_s), 3),
    optimal_med_s = round(stats::median(rows$optimal_s), 3), optimal_max_s = round(max(rows$optimal_s), 3)
  )
}

set.seed(1999)
shapes <- lapply(seq_len(n_tables), function(i) c(sample(4:6, 1), sample(5:8, 1)))
matrices <- lapply(shapes, function(d) {
  matrix(stats::rpois(prod(d), exp(stats::rnorm(prod(d), 1.2, 1.5))), d[[1]])
})
reports <- list(
  "demo report (5 groups)" = report_spec(ips_synthetic),
  "demo report (19 groups)" = report_spec(detailed_ethnicity(ips_synthetic))
)

summary_rows <- list()
detail_rows <- list()
for (rule in c("nhs_digital", "opensafely")) {
  r <- suppression_rule(rule, NULL, NULL)
  rows <- do.call(rbind, lapply(matrices, function(m) compare_one(two_way_spec(m), r)))
  summary_rows[[length(summary_rows) + 1]] <- summarise_set(rows, "two-way tables", rule)
  for (set in names(reports)) {
    one <- compare_one(reports[[set]], r)
    summary_rows[[length(summary_rows) + 1]] <- summarise_set(one, set, rule)
    detail_rows[[length(detail_rows) + 1]] <- cbind(set = set, rule = rule, one)
  }
}
cat("Secondary suppression: greedy against optimal (loss = sum of 1 + count over secondary stars)\n\n")
print(do.call(rbind, summary_rows), row.names = FALSE)
cat("\nThe report tables, one by one:\n\n")
print(do.call(rbind, detail_rows), row.names = FALSE)
