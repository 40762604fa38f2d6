# The accuracy of the cell-key rule under the default perturbation table
# (numbers quoted in ?suppress_counts and vignette("equityaudit")): the
# perturbation's exact mean and variance per count, the same measured on
# the counts of random cohort tables, and how far published totals drift
# from the sum of their published parts. Run from the package directory:
# Rscript tools/cellkey-accuracy.R (EQUITYAUDIT_CK_N tables, default 2000).
if (requireNamespace("pkgload", quietly = TRUE) && file.exists("DESCRIPTION")) {
  pkgload::load_all(".", quiet = TRUE)
} else {
  library(equityaudit)
}
n <- as.integer(Sys.getenv("EQUITYAUDIT_CK_N", "2000"))
# the keyed hash's secret (a fixed one: the figures are reproducible)
options(equityaudit.secret = "cellkey-accuracy.R secret, not for publication")
cat("Exact moments of the default table (cell keys uniform over 0-255):\n")
print(equityaudit:::ptable_moments(), row.names = FALSE)
set.seed(20240)
pert <- numeric()
true <- numeric()
drift <- list()
for (i in seq_len(n)) {
  k <- sample(2:6, 1)
  size <- sample(20:2000, 1)
  d <- data.frame(
    s = sample(LETTERS[1:3], size, TRUE),
    g = sample(paste0("g", seq_len(k)), size, TRUE, prob = stats::runif(k))
  )
  d$key <- sample.int(256, size, TRUE)
  x <- describe_cohort(d, g, by = s, key = key)
  p <- suppress_counts(x, "cell_key")
  pert <- c(pert, p$n - x$n)
  true <- c(true, x$n)
  # a stratum's people against the sum of its published groups (k parts),
  # the Total stratum's group against its services (3 parts)
  for (st in unique(as.character(p$s))) {
    rows <- as.character(p$s) == st
    drift[[length(drift) + 1]] <- c(
      parts = k,
      drift = p$n[rows & p$variable == "people"] - sum(p$n[rows & p$variable == "g"])
    )
  }
  for (g in unique(p$level[p$variable == "g"])) {
    rows <- p$variable == "g" & p$level %in% g
    drift[[length(drift) + 1]] <- c(
      parts = 3, drift = p$n[rows & p$pooled] - sum(p$n[rows & !p$pooled])
    )
  }
}
pos <- true > 0
cat(sprintf(
  paste(
    "\nPerturbation of %d published counts of %d random tables (counts above 0):",
    "mean %.3f, variance %.3f, largest %g; zeros kept %s\n"
  ),
  sum(pos), n, mean(pert[pos]), stats::var(pert[pos]), max(abs(pert)), all(pert[!pos] == 0)
))
dr <- as.data.frame(do.call(rbind, drift))
cat("\nPublished total minus the sum of its published parts, by number of parts:\n")
print(do.call(rbind, lapply(split(dr$drift, dr$parts), function(v) {
  data.frame(totals = length(v), mean = round(mean(v), 2), sd = round(stats::sd(v), 2),
    within_3 = round(mean(abs(v) <= 3), 3), largest = max(abs(v)))
})))
