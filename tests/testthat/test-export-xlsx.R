# write_tables(): a GSS spreadsheet of the published tables that reads back
# equal to them.

# A table sheet read back: title in A1, what the sheet holds in A2 and A3,
# the header row in row 4.
read_sheet <- function(path, sheet) {
  openxlsx::read.xlsx(path, sheet, startRow = 4, check.names = FALSE, sep.names = " ")
}

# The cells of one worksheet's XML: reference, type attribute and value.
sheet_xml <- function(path, sheet) {
  dir <- tempfile()
  on.exit(unlink(dir, recursive = TRUE))
  index <- match(sheet, openxlsx::getSheetNames(path))
  utils::unzip(path, files = sprintf("xl/worksheets/sheet%d.xml", index), exdir = dir)
  paste(readLines(file.path(dir, sprintf("xl/worksheets/sheet%d.xml", index)), warn = FALSE), collapse = "")
}

# The formulas of a worksheet's XML, unescaped.
sheet_formulas <- function(xml) {
  f <- regmatches(xml, gregexpr("<f>[^<]*</f>", xml))[[1]]
  f <- gsub("^<f>|</f>$", "", f)
  for (e in list(c("&quot;", "\""), c("&apos;", "'"), c("&lt;", "<"), c("&gt;", ">"), c("&amp;", "&"))) {
    f <- gsub(e[[1]], e[[2]], f, fixed = TRUE)
  }
  f
}

cell_types <- function(xml) {
  cells <- regmatches(xml, gregexpr("<c [^>]*>", xml))[[1]]
  ref <- sub('.* r="([A-Z]+[0-9]+)".*', "\\1", cells)
  type <- ifelse(grepl(' t="', cells), sub('.* t="([a-zA-Z]+)".*', "\\1", cells), "n")
  stats::setNames(type, ref)
}

# Published column `col` of `x` against the column read back: "[c]"
# exactly on the starred rows, the other values equal once rounded.
expect_published <- function(got, x, col, digits) {
  v <- unclass(x)[[col]]
  starred <- attr(x, "suppression")$starred[[col]] %||% integer()
  shorthand <- which(as.character(got) == "[c]")
  expect_identical(shorthand, sort(as.integer(starred)), label = col)
  shown <- setdiff(seq_along(v), starred)
  expect_false(anyNA(v[shown]), label = col)
  expect_equal(as.numeric(got[shown]), round(v[shown], digits), label = col, tolerance = 1e-9)
}

test_that("write_tables() writes the report's tables as a GSS workbook that reads back equal", {
  skip_if_not_installed("openxlsx")
  r <- report_tables(ips_synthetic, ethnicity, employed, by = service)
  path <- tempfile(fileext = ".xlsx")
  on.exit(unlink(path))
  expect_identical(
    write_tables(r, path, title = "Employment by ethnicity", source = "IPS extract", contact = "audit@nhs.invalid"),
    path
  )
  sheets <- openxlsx::getSheetNames(path)
  expect_identical(sheets, c(
    "Cover_sheet", "Contents", "Notes", "cohort", "outcomes", "outcomes_tests",
    "outcomes_cmh", "groups", "groups_pooled", "inequality"
  ))
  cover <- openxlsx::read.xlsx(path, "Cover_sheet", colNames = FALSE, skipEmptyRows = FALSE)
  expect_identical(cover[1, 1], "Employment by ethnicity")
  fields <- stats::setNames(cover[[2]], cover[[1]])
  expect_identical(fields[["Source"]], "IPS extract")
  expect_identical(fields[["Contact"]], "audit@nhs.invalid")
  expect_identical(fields[["Date"]], format(Sys.Date(), "%d %B %Y"))
  expect_match(fields[["Suppression"]], "NHS Digital rule: counts of 1 to 7 people are suppressed (shown as [c])", fixed = TRUE)
  contents <- read_sheet(path, "Contents")
  expect_identical(names(contents), c("Sheet name", "Table title"))
  expect_identical(contents[["Table title"]][2], "Outcome employed = TRUE by ethnicity, within service")
  # each sheet name a link to its sheet (a formula has no value until Excel
  # computes it)
  expect_identical(
    sheet_formulas(sheet_xml(path, "Contents")),
    sprintf("HYPERLINK(\"#'%s'!A1\", \"%s\")", sheets[-(1:3)], sheets[-(1:3)])
  )
  notes <- read_sheet(path, "Notes")[["Note text"]]
  expect_match(notes[1], "^Suppression \\(NHS Digital rule\\)")
  # (the rounding, in one sentence, and the decimals it leaves)
  expect_match(notes[1], "so percentages are shown to whole numbers, and every interval and verdict", fixed = TRUE)
  expect_match(notes[2], "Percentages and their 95% limits are rounded to whole numbers", fixed = TRUE)
  expect_true(any(grepl("[c] confidential", notes, fixed = TRUE)))
  expect_true(any(grepl("[x] not available", notes, fixed = TRUE)))
  expect_true(any(grepl("[z] not applicable", notes, fixed = TRUE)))
  expect_true(any(grepl("labelled \"Not known\"", notes, fixed = TRUE)))
  expect_true(any(grepl("about 780 records", notes, fixed = TRUE)))
  for (s in sheets[-(1:3)]) expect_true(any(startsWith(notes, paste0("Sheet ", s, ": "))), label = s)

  # outcomes: every published value, "[c]" exactly where suppressed
  o <- r$tables$outcomes
  got <- read_sheet(path, "outcomes")
  expect_identical(names(got), c(
    "service", "ethnicity", "People", "With the outcome", "%", "%, lower 95% limit",
    "%, upper 95% limit", "Outcome not known"
  ))
  expect_identical(got$service, as.character(unclass(o)$service))
  expect_identical(got$ethnicity, as.character(unclass(o)$ethnicity))
  expect_published(got$People, o, "n", 0)
  expect_published(got[["With the outcome"]], o, "events", 0)
  expect_published(got[["%"]], o, "pct", 0)
  expect_published(got[["%, lower 95% limit"]], o, "pct_low", 0)
  expect_published(got[["%, upper 95% limit"]], o, "pct_high", 0)
  expect_true(is.numeric(got[["Outcome not known"]]))
  expect_equal(got[["Outcome not known"]], unclass(o)$n_outcome_missing)
  expect_true(any(got$People == "[c]"))

  # groups: the differences and verdicts too
  g <- r$tables$groups
  got <- read_sheet(path, "groups")
  expect_published(got$People, g, "n", 0)
  expect_published(got[["Difference (points)"]], g, "difference", 1)
  verdict <- as.character(unclass(g)$verdict)
  verdict[attr(g, "suppression")$starred$verdict] <- "[c]"
  expect_identical(got$Verdict, verdict)

  # cohort: the people row and the unknown group have no percentage ([z])
  k <- r$tables$cohort
  d <- unclass(k)
  got <- read_sheet(path, "cohort")
  expect_identical(names(got), c("service", "Characteristic", "Group", "People", "%"))
  expect_published(got$People, k, "n", 0)
  expect_identical(got$Group[d$variable == "people"], rep("All people", 3))
  expect_identical(got[["%"]][d$variable == "people" | d$missing], rep("[z]", 6))
  pct <- !(d$variable == "people" | d$missing) & !is.na(d$pct)
  # (percentages of rounded counts: whole numbers)
  expect_equal(as.numeric(got[["%"]][pct]), round(d$pct[pct]))

  # tests: p-values as numbers with three decimals
  tests <- summary(o)
  got <- read_sheet(path, "outcomes_tests")
  expect_true(is.numeric(got$p))
  expect_equal(got$p, round(unclass(tests)$p_value, 3))
  expect_equal(got[["Chi-square"]], round(unclass(tests)$statistic, 2))

  # numbers stored as numbers, text as text, no formulas, no merged cells
  types <- cell_types(sheet_xml(path, "outcomes"))
  people <- types[sprintf("C%d", 5:22)]
  expect_identical(unname(people == "n"), unclass(o)$n %in% seq(0, 1e6))
  expect_true(all(types[sprintf("A%d", 5:22)] %in% c("s", "inlineStr", "str")))
  for (s in sheets) {
    xml <- sheet_xml(path, s)
    # no formulas but the contents' links, built from the sheet names
    expect_identical(grepl("<f>|<f ", xml), s == "Contents", label = s)
    expect_false(grepl("mergeCell", xml), label = s)
  }
})

test_that("write_tables() writes hostile labels as text and names sheets itself", {
  skip_if_not_installed("openxlsx")
  hostile <- c("=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@HYPERLINK(\"http://x\")", "[c]:*?/\\ sheet")
  set.seed(24)
  people <- data.frame(
    site = rep(c("=A1", "B"), each = 100),
    eth = sample(rep(hostile, 40)),
    out = sample(c(TRUE, FALSE), 200, replace = TRUE),
    stringsAsFactors = FALSE
  )
  res <- suppress_counts(list(
    cohort = describe_cohort(people, eth, by = site),
    `=evil` = compare_outcomes(people, eth, out, by = site)
  ))
  path <- tempfile(fileext = ".xlsx")
  on.exit(unlink(path))
  write_tables(res, path, title = "=1+1", source = "@source", contact = "-contact")
  sheets <- openxlsx::getSheetNames(path)
  expect_identical(sheets, c("Cover_sheet", "Contents", "Notes", "cohort", "outcomes", "outcomes_tests", "outcomes_cmh"))
  cover <- openxlsx::read.xlsx(path, "Cover_sheet", colNames = FALSE)
  expect_identical(cover[1, 1], "=1+1")
  expect_true(all(c("@source", "-contact") %in% cover[[2]]))
  got <- read_sheet(path, "outcomes")
  expect_setequal(got$eth, c(hostile, "Not known"))
  expect_setequal(got$site, c("=A1", "B", "Total"))
  for (s in sheets[-2]) expect_false(grepl("<f>|<f ", sheet_xml(path, s)), label = s)
  expect_identical(
    sheet_formulas(sheet_xml(path, "Contents")),
    sprintf("HYPERLINK(\"#'%s'!A1\", \"%s\")", sheets[-(1:3)], sheets[-(1:3)])
  )
})

test_that("write_tables() writes one result, says when it is not suppressed, and checks its input", {
  skip_if_not_installed("openxlsx")
  path <- tempfile(fileext = ".xlsx")
  on.exit(unlink(path))
  o <- compare_outcomes(ips_synthetic, ethnicity, employed)
  write_tables(o, path)
  expect_identical(openxlsx::getSheetNames(path)[-(1:3)], c("outcomes", "outcomes_tests"))
  cover <- openxlsx::read.xlsx(path, "Cover_sheet", colNames = FALSE)
  expect_true(any(grepl("not for publication", cover[[2]], fixed = TRUE)))
  got <- read_sheet(path, "outcomes")
  expect_true(is.numeric(got$People))
  expect_equal(got$People, unclass(o)$n)
  expect_false(any(got == "[c]"))
  # control characters as code points (the file stays valid XML), a
  # missing group label as the unknown group, an empty table its header
  d <- data.frame(g = rep(c("a\x01b", "c\u202Ed", "e"), each = 30), o = rep(c(TRUE, FALSE), 45))
  write_tables(compare_outcomes(d, g, o), path)
  expect_identical(read_sheet(path, "outcomes")$g, c("a[U+0001]b", "c[U+202E]d", "e"))
  write_tables(tabulate_groups(ips_synthetic, ethnicity), path)
  expect_identical(read_sheet(path, "counts")$ethnicity[6], "Not known")
  # a percentage of nobody does not apply
  nobody <- data.frame(g = c("a", "b", "c"), e = c(10, 5, 0), t = c(20, 30, 0))
  write_tables(compare_outcomes(nobody, g, events = e, total = t), path)
  expect_identical(read_sheet(path, "outcomes")[["%"]], c("50", "16.7", "[z]"))
  write_tables(o[0, ], path)
  empty <- openxlsx::read.xlsx(path, "outcomes", colNames = FALSE)
  expect_identical(dim(empty), c(4L, 7L))
  expect_identical(empty[4, 2], "People")
  # tables of one list must share one rule
  mixed <- list(suppress_counts(o), compare_outcomes(ips_synthetic, ethnicity, employed))
  expect_error(write_tables(mixed, path), class = "equityaudit_error_argument")
  expect_error(write_tables(data.frame(n = 1), path), class = "equityaudit_error_argument")
  expect_error(write_tables(o, "tables.csv"), class = "equityaudit_error_argument")
  expect_error(write_tables(o, path, contact = c("a", "b")), class = "equityaudit_error_argument")
})

test_that("tables suppressed separately, or measures of unpublished counts, are refused", {
  skip_if_not_installed("openxlsx")
  d <- data.frame(g = rep(c("A", "B", "C"), c(40, 30, 50)))
  d$y <- c(rep(c(TRUE, FALSE), 20), rep(c(TRUE, FALSE), 15), rep(c(TRUE, FALSE), 25))
  d$y[1:5] <- NA
  path <- tempfile(fileext = ".xlsx")
  on.exit(unlink(path))
  cs <- suppress_counts(describe_cohort(d, g), "nhs_digital", round_to = 1)
  os <- suppress_counts(compare_outcomes(d, g, y), "nhs_digital", round_to = 1)
  expect_error(write_tables(list(cs, os), path), "suppressed separately",
    class = "equityaudit_error_argument"
  )
  expect_false(file.exists(path))
  together <- suppress_counts(list(describe_cohort(d, g), compare_outcomes(d, g, y)), "nhs_digital")
  expect_no_error(write_tables(together, path))
  # measures from the unsuppressed table, or from another release
  oc <- compare_outcomes(d, g, y)
  expect_error(write_tables(list(suppress_counts(oc), inequality_measures(oc)), path),
    "not computed from the published tables",
    class = "equityaudit_error_argument"
  )
  pub <- suppress_counts(oc)
  m <- suppressMessages(inequality_measures(pub))
  expect_no_error(write_tables(list(pub, m), path))
  expect_error(write_tables(list(suppress_counts(oc), m), path), "suppressed separately")
  expect_error(write_tables(pub, file.path(tempfile(), "no-such-folder", "a.xlsx")),
    "does not exist", class = "equityaudit_error_argument"
  )
})

test_that("a cell-key workbook describes the cell-key method, and U+FFFF stays readable", {
  skip_if_not_installed("openxlsx")
  d <- ips_synthetic
  d$key <- record_keys(d, seed = 1)
  path <- tempfile(fileext = ".xlsx")
  on.exit(unlink(path))
  write_tables(describe_cohort(d, ethnicity, key = key, suppress = "cell_key"), path)
  cover <- openxlsx::read.xlsx(path, "Cover_sheet", colNames = FALSE)
  notes <- openxlsx::read.xlsx(path, "Notes", colNames = FALSE)
  text <- paste(c(unlist(cover), unlist(notes)), collapse = " ")
  expect_match(text, "Cell-key method")
  expect_match(text, "at most 3 either way")
  expect_no_match(text, "not for publication|No suppression rule")
  weird <- data.frame(g = rep(c("x\uFFFF", "B"), 20))
  write_tables(suppress_counts(describe_cohort(weird, g)), path)
  back <- openxlsx::read.xlsx(path, "cohort", startRow = 4, check.names = FALSE)
  expect_true(any(grepl("[U+FFFF]", unlist(back), fixed = TRUE)))
})
