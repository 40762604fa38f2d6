# The main job behind `make demo`: reproduce the BJPsych IPS equality study
# from the bundled record-level extract, as a user would from their own.
suppressPackageStartupMessages(library(equityaudit))
options(width = 150)

out_dir <- "demo-output"
dir.create(out_dir, showWarnings = FALSE)
rule <- function(title) cat("\n", strrep("=", 72), "\n", title, "\n", strrep("=", 72), "\n", sep = "")

path <- system.file("extdata", "ips_synthetic.csv", package = "equityaudit")
cat("Reading the extract:", path, "\n")
cohort <- read.csv(path, stringsAsFactors = FALSE, na.strings = "")
cohort$date_joined <- as.Date(cohort$date_joined)
eth_levels <- c("White", "Asian/Asian British", "Black/Black British", "Mixed", "Other")
cohort$ethnicity <- factor(cohort$ethnicity, levels = eth_levels)
cat(nrow(cohort), "people (a synthetic cohort, not the study's data)\n")

rule("Table 1: people accessing IPS in 2019, by ethnicity, gender and age")
print(describe_cohort(cohort, c(ethnicity, gender), by = service, age = age))

rule("Table 2: access compared with the community mental health caseload")
pub <- subset(bjpsych_published, characteristic == "ethnicity")
population <- data.frame(service = pub$service, ethnicity = as.character(pub$group),
                         n = pub$population_n)
access <- compare_access(cohort, ethnicity, population, by = service,
                         unknown = "Not known/stated")
print(access[, c("service", "ethnicity", "n", "pct", "ref_n", "ref_pct",
                 "access_rate", "representation_ratio")], digits = 3)
print(summary(access), digits = 4)

rule("Table 3: employed by 31 December 2019, by ethnicity")
all_year <- compare_outcomes(cohort, ethnicity, employed, by = service)
print(all_year[, c("service", "ethnicity", "n", "events", "pct", "pct_low", "pct_high")],
      digits = 3)
print(summary(all_year), digits = 3)
cat("\nThose who joined by 30 June (at least six months of support):\n")
early <- follow_up(cohort, date_joined, census = "2019-12-31", min_months = 6)
print(summary(compare_outcomes(early, ethnicity, employed, by = service)), digits = 3)

rule("Published against reproduced")
check <- reproduce_bjpsych(cohort)
check$result <- ifelse(is.na(check$match), "n/a", ifelse(check$match, "PASS", "FAIL"))
print(check[, c("source", "statistic", "published", "reproduced", "result", "status", "note")],
      right = FALSE, row.names = FALSE)
cat(sprintf(
  paste0("\n%d of %d published statistics reproduced exactly, %d more are misprints ",
         "explained by the paper's own numbers, %d cannot be computed ",
         "(population gender counts are not published), %d differ.\n"),
  sum(check$status == "reproduced"), nrow(check), sum(check$status == "misprint"),
  sum(check$status == "not computable"), sum(check$status == "differs")))

rule("Figures and report")
png(file.path(out_dir, "access.png"), width = 900, height = 420, res = 100)
plot(access)
invisible(dev.off())
png(file.path(out_dir, "outcomes.png"), width = 900, height = 420, res = 100)
plot(all_year)
invisible(dev.off())
vignette_src <- system.file("doc", "bjpsych-ips-equality.Rmd", package = "equityaudit")
html <- file.path(out_dir, "bjpsych-ips-equality.html")
if (nzchar(vignette_src) && rmarkdown::pandoc_available()) {
  rmarkdown::render(vignette_src, output_dir = normalizePath(out_dir),
                    intermediates_dir = tempdir(), quiet = TRUE,
                    envir = new.env(parent = globalenv()))
} else {
  html <- NA
}
report <- file.path(out_dir, "equity-report.html")
if (rmarkdown::pandoc_available()) {
  equity_report(cohort, "ethnicity", "employed",
    reference = population, by = "service", strata = "gender",
    unknown = "Not known/stated", path = report,
    title = "Equality audit of two IPS services (synthetic cohort)"
  )
} else {
  report <- NA
}
for (f in c(file.path(out_dir, c("access.png", "outcomes.png")), html, report)) {
  if (!is.na(f)) cat("Wrote", normalizePath(f), "\n")
}
if (any(check$match %in% FALSE)) {
  stop("some published statistics were not reproduced")
}
