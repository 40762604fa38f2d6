# Checks the layout of the package (run by `make layout`, and by .ci/run):
# dependencies go one way through the layers, and no source file is much
# over 400 lines. Layers, lowest first (a function may call its own layer
# and those below):
#   0 utilities          utils-*.R, arguments.R, data*.R, the package file
#   1 input, counting    input-*.R, tabulate.R, strata.R, database.R,
#                        helpers.R, ethnicity.R
#   2 statistics         stats-*.R, funnel.R, standardise.R
#   3 results            *-stats.R (each verb's statistics and result),
#                        result.R, tidy.R
#   4 presentation       print*.R, format.R, plot*.R
#   5 suppression        suppress*.R, disclosure*.R
#   6 verbs              the exported analyses (access.R, outcome.R, ...)
#   7 report             report*.R
suppressWarnings(suppressMessages(pkgload::load_all(".", quiet = TRUE, compile = FALSE, helpers = FALSE)))
ns <- asNamespace("equityaudit")
files <- list.files("R", pattern = "\\.R$", full.names = TRUE)
layer_of <- function(f) {
  b <- basename(f)
  rules <- list(
    `0` = "^utils-|^equityaudit-package|^arguments|^data(\\.R|-)",
    `1` = "^input-|^tabulate\\.R$|^strata|^database|^helpers|^ethnicity",
    `2` = "^stats-|^funnel|^standardise|^spc-",
    `3` = "-stats\\.R$|^result|^tidy",
    `4` = "^print|^format|^plot",
    `5` = "^suppress|^disclosure",
    `7` = "^report"
  )
  for (l in names(rules)) if (grepl(rules[[l]], b)) return(as.integer(l))
  6L
}
defined_in <- list()
for (f in files) {
  for (e in parse(f, keep.source = FALSE)) {
    if (is.call(e) && identical(e[[1]], as.name("<-")) && is.call(e[[3]]) &&
      identical(e[[3]][[1]], as.name("function"))) {
      defined_in[[as.character(e[[2]])]] <- f
    }
  }
}
problems <- character()
for (fn in names(defined_in)) {
  obj <- get0(fn, ns)
  if (!is.function(obj)) next
  lf <- layer_of(defined_in[[fn]])
  for (g in intersect(codetools::findGlobals(obj, merge = FALSE)$functions, names(defined_in))) {
    lg <- layer_of(defined_in[[g]])
    if (lg > lf) {
      problems <- c(problems, sprintf(
        "%s (%s, layer %d) calls %s (%s, layer %d)", fn, basename(defined_in[[fn]]), lf,
        g, basename(defined_in[[g]]), lg
      ))
    }
  }
}
sources <- c(files, list.files("src", pattern = "\\.[ch]$", full.names = TRUE))
lengths <- vapply(sources, function(f) length(readLines(f)), 0L)
long <- lengths[lengths > 420]
if (length(long) > 0) problems <- c(problems, sprintf("%s has %d lines", names(long), long))
if (length(problems) > 0) {
  writeLines(problems)
  stop(length(problems), " layout problem(s)", call. = FALSE)
}
cat(sprintf(
  "layout: %d functions in %d files, dependencies one way through the layers; longest file %d lines\n",
  length(defined_in), length(sources), max(lengths)
))
