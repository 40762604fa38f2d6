# `make coverage`: line coverage of the R and C code by the tests (covr),
# with every uncovered line listed.
cov <- covr::package_coverage(".", type = "tests", quiet = TRUE)
lines <- covr::tally_coverage(cov, by = "line")
lines$language <- ifelse(grepl("^src/", lines$filename), "C", "R")
summary <- do.call(rbind, lapply(split(lines, lines$language), function(d) {
  data.frame(
    language = d$language[[1]], lines = nrow(d),
    covered = sum(d$value > 0), percent = round(100 * mean(d$value > 0), 1)
  )
}))
print(summary, row.names = FALSE)
missed <- lines[lines$value == 0, c("filename", "line")]
missed <- missed[order(missed$filename, missed$line), ]
cat("\nUncovered lines:\n")
for (f in unique(missed$filename)) {
  cat(sprintf("  %s: %s\n", f, paste(missed$line[missed$filename == f], collapse = ", ")))
}
