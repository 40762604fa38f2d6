# Checks the layout of the package (run by `make layout`, and by .ci/run):
#
# * every file of R/ is assigned to a layer on purpose, in the table below
#   (a new file must be added to it);
# * a function calls only functions of its own layer and those below;
# * no file calls another that calls it back (no cycle between files, in
#   any layer), so each layer reads one way too (the suppression engine
#   runs rule -> cells and sums -> links -> bounds -> protect -> publish);
# * no function runs a verb again through eval() or do.call() (a verb
#   re-entering itself, or another, with a rebuilt call);
# * no source file is much over 400 lines.
#
# Layers, lowest first:
#   0 utilities      conditions, arguments, numbers, text, the package file
#   1 input          the front end, counting (tabulate.c), strata, databases
#   2 statistics     intervals, tests, funnels, standardisation, SPC
#   3 grammar        results, columns, formatting, printing, tidying,
#                    plotting helpers, the suppression record
#   4 suppression    the engine, one way: cells, links, bounds, protection,
#                    publication, the entry points
#   5 kinds          one file per kind of result (R/kind-*.R)
#   6 verbs          the exported analyses and the spreadsheet
#   7 report         the report
suppressWarnings(suppressMessages(pkgload::load_all(".", quiet = TRUE, compile = FALSE, helpers = FALSE)))
ns <- asNamespace("equityaudit")

layers <- list(
  `0` = c(
    "equityaudit-package.R", "arguments.R", "data.R", "data-population.R",
    "utils-args.R", "utils-columns.R", "utils-conditions.R", "utils-frames.R",
    "utils-numbers.R", "utils-text.R", "utils-threads.R"
  ),
  `1` = c(
    "input-front.R", "input-groups.R", "input-outcome.R", "input-reference.R",
    "tabulate.R", "strata.R", "database.R", "helpers.R", "ethnicity.R"
  ),
  `2` = c(
    "stats-access.R", "stats-chisq.R", "stats-cmh.R", "stats-exact.R", "stats-groups.R",
    "stats-inequality.R", "stats-intervals.R", "stats-moments.R", "stats-outcomes.R",
    "stats-periods.R", "funnel.R", "standardise.R", "spc-layout.R", "spc-stats.R",
    "spc-gap.R", "spc-rules.R"
  ),
  `3` = c(
    "result.R", "columns.R", "format.R", "print.R", "tidy.R", "plot.R", "suppress-record.R",
    "spc-text.R"
  ),
  `4` = c(
    "suppress-rule.R", "suppress-sums.R", "suppress-spec.R", "suppress-links.R",
    "suppress-combinations.R", "suppress-link-sums.R", "suppress-hierarchy.R",
    "suppress-shape.R", "disclosure-bounds.R", "suppress-optimal-parts.R",
    "suppress-optimal-solver.R", "suppress-optimal-certify.R", "suppress-optimal-model.R",
    "suppress-optimal-cuts.R", "suppress-optimal.R", "suppress-search.R", "suppress-protect.R", "suppress-rounding.R",
    "suppress-publish.R", "suppress-joint.R", "disclosure.R", "suppress-cellkey-hash.R",
    "suppress-cellkey.R", "suppress.R"
  ),
  `5` = NULL, # every R/kind-*.R
  `6` = c(
    "access.R", "outcome.R", "cohort.R", "groups-compare.R", "services.R", "periods.R",
    "cmh.R", "chisq.R", "monitor.R", "tabulate-groups.R", "inequality.R", "power.R", "bjpsych.R",
    "export-cells.R", "export-xlsx.R"
  ),
  `7` = c("report.R", "report-tables.R", "report-sections.R", "report-text.R", "report-findings.R", "report-methods.R", "report-spc.R", "report-figures.R", "report-broad.R")
)

files <- list.files("R", pattern = "\\.R$", full.names = TRUE)
problems <- character()
layer_of <- function(f) {
  b <- basename(f)
  if (grepl("^kind-.*\\.R$", b)) {
    return(5L)
  }
  for (l in names(layers)) if (b %in% layers[[l]]) return(as.integer(l))
  NA_integer_
}
unassigned <- files[is.na(vapply(files, layer_of, 0L))]
if (length(unassigned) > 0) {
  problems <- c(problems, sprintf("%s is not assigned to a layer in tools/layout.R", basename(unassigned)))
}
gone <- setdiff(unlist(layers), basename(files))
if (length(gone) > 0) problems <- c(problems, sprintf("tools/layout.R lists %s, which is not a file of R/", gone))

defined_in <- list()
bodies <- list()
for (f in files) {
  for (e in parse(f, keep.source = FALSE)) {
    if (is.call(e) && identical(e[[1]], as.name("<-")) && is.call(e[[3]]) &&
      identical(e[[3]][[1]], as.name("function"))) {
      name <- as.character(e[[2]])
      defined_in[[name]] <- f
      bodies[[name]] <- e[[3]]
    }
  }
}

# the calls of one function to the package's own functions
calls_of <- function(fn) {
  obj <- get0(fn, ns)
  if (!is.function(obj)) {
    return(character())
  }
  intersect(codetools::findGlobals(obj, merge = FALSE)$functions, names(defined_in))
}

edges <- list()
for (fn in names(defined_in)) {
  from <- defined_in[[fn]]
  lf <- layer_of(from)
  for (g in calls_of(fn)) {
    to <- defined_in[[g]]
    lg <- layer_of(to)
    if (!is.na(lf) && !is.na(lg) && lg > lf) {
      problems <- c(problems, sprintf(
        "%s (%s, layer %d) calls %s (%s, layer %d)", fn, basename(from), lf, g, basename(to), lg
      ))
    }
    if (from != to) edges[[basename(from)]] <- union(edges[[basename(from)]], basename(to))
  }
}

# no cycle between files: depth-first search for a back edge
state <- list()
path <- character()
find_cycle <- function(node) {
  state[[node]] <<- "open"
  path <<- c(path, node)
  for (nxt in edges[[node]]) {
    if (identical(state[[nxt]], "open")) {
      return(c(path[match(nxt, path):length(path)], nxt))
    }
    if (is.null(state[[nxt]])) {
      found <- find_cycle(nxt)
      if (!is.null(found)) return(found)
    }
  }
  state[[node]] <<- "done"
  path <<- path[-length(path)]
  NULL
}
for (node in names(edges)) {
  if (is.null(state[[node]])) {
    cycle <- find_cycle(node)
    if (!is.null(cycle)) {
      problems <- c(problems, paste("files call each other in a cycle:", paste(cycle, collapse = " -> ")))
      break
    }
  }
}

# no verb run again by eval() or do.call()
verbs <- getNamespaceExports(ns)
walk <- function(e, visit) {
  if (is.call(e)) {
    visit(e)
    for (part in as.list(e)[-1]) if (!missing(part)) walk(part, visit)
  }
}
for (fn in names(bodies)) {
  body <- bodies[[fn]]
  uses_match_call <- FALSE
  uses_eval <- FALSE
  walk(body, function(e) {
    head <- if (is.symbol(e[[1]])) as.character(e[[1]]) else ""
    if (head %in% c("match.call", "sys.call")) uses_match_call <<- TRUE
    if (head %in% c("eval", "evalq")) uses_eval <<- TRUE
    if (head == "do.call" && length(e) > 1) {
      target <- e[[2]]
      name <- if (is.symbol(target)) as.character(target) else if (is.character(target)) target else ""
      if (name %in% verbs) {
        problems <<- c(problems, sprintf("%s (%s) runs the verb %s through do.call()", fn, basename(defined_in[[fn]]), name))
      }
    }
  })
  if (uses_match_call && uses_eval) {
    problems <- c(problems, sprintf("%s (%s) evaluates a call it rebuilt from its own (match.call/sys.call)", fn, basename(defined_in[[fn]])))
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
  paste0(
    "layout: %d functions in %d files, every file in its layer, dependencies one way ",
    "through the layers and no cycle between files, no verb re-run; longest file %d lines\n"
  ),
  length(defined_in), length(sources), max(lengths)
))
