# One name, one meaning: every exported function's arguments against
# ?equityaudit-arguments, read from the installed help.

# The \arguments of every help page: a list (by page) of named texts.
help_arguments <- function() {
  text_of <- function(x) {
    if (is.list(x)) paste(vapply(x, text_of, ""), collapse = "") else paste(as.character(x), collapse = "")
  }
  db <- tools::Rd_db("equityaudit")
  exported <- setdiff(getNamespaceExports("equityaudit"), c("tidy", "glance"))
  # the pages of exported functions (not of methods), and the arguments page
  db <- Filter(function(rd) {
    tags <- vapply(rd, function(x) attr(x, "Rd_tag"), "")
    aliases <- vapply(rd[tags == "\\alias"], text_of, "")
    any(aliases %in% c(exported, "equityaudit-arguments"))
  }, db)
  lapply(db, function(rd) {
    tags <- vapply(rd, function(x) attr(x, "Rd_tag"), "")
    args <- rd[tags == "\\arguments"]
    if (length(args) == 0) {
      return(character())
    }
    items <- Filter(function(x) identical(attr(x, "Rd_tag"), "\\item"), args[[1]])
    out <- character()
    for (it in items) {
      names <- trimws(strsplit(text_of(it[[1]]), ",")[[1]])
      out[names] <- gsub("\\s+", " ", trimws(text_of(it[[2]])))
    }
    out
  })
}

exported_functions <- function() {
  ns <- asNamespace("equityaudit")
  names <- setdiff(getNamespaceExports(ns), c("tidy", "glance"))
  names <- names[vapply(names, function(n) is.function(get(n, ns)), TRUE)]
  stats::setNames(lapply(names, get, envir = ns), names)
}

test_that("every argument shared by two help pages is documented once, in ?equityaudit-arguments", {
  pages <- help_arguments()
  shared_doc <- pages[["equityaudit-arguments.Rd"]]
  expect_true(length(shared_doc) > 30)
  others <- pages[names(pages) != "equityaudit-arguments.Rd"]
  uses <- table(unlist(lapply(others, names)))
  # `x` is the object a function works on, whatever it is
  shared <- setdiff(names(uses)[uses >= 2], "x")
  expect_equal(setdiff(shared, names(shared_doc)), character())
  for (page in names(others)) {
    for (arg in intersect(names(others[[page]]), names(shared_doc))) {
      expect_identical(others[[page]][[arg]], shared_doc[[arg]], label = paste(page, arg))
    }
  }
})

test_that("every exported function documents every argument it has, and ends with `...`", {
  pages <- help_arguments()
  documented <- unique(unlist(lapply(pages, names)))
  for (f in names(exported_functions())) {
    args <- names(formals(exported_functions()[[f]]))
    if (f == "cell_key_ptable") next
    expect_true("..." %in% args, label = f)
    expect_equal(setdiff(args, documented), character(), label = f)
  }
})

test_that("an argument a function does not have is a classed error naming it", {
  for (f in names(exported_functions())) {
    if (f == "cell_key_ptable") next
    fun <- exported_functions()[[f]]
    err <- tryCatch(fun(zz_no_such_argument = 1), error = function(e) e)
    expect_s3_class(err, "equityaudit_error_argument")
    expect_match(conditionMessage(err), sprintf("`%s()` has no argument `zz_no_such_argument`", f), fixed = TRUE)
  }
  # a misspelt argument is pointed to the right one
  expect_error(compare_outcomes(ips_synthetic, ethnicity, employed, conf_levle = 0.9),
    "did you mean `conf_level`", class = "equityaudit_error_argument"
  )
})

test_that("renamed arguments name their new name, and one name has one meaning", {
  ips <- ips_synthetic
  expect_error(cmh_test(ips, ethnicity, employed, by = service), "renamed `across`",
    class = "equityaudit_error_argument"
  )
  expect_error(compare_services(ips, ethnicity, by = service, outcome = employed), "renamed `unit`",
    class = "equityaudit_error_argument"
  )
  res <- compare_outcomes(ips, ethnicity, employed, exact = "never")
  expect_error(detectable_difference(res, conf_level = 0.95), "renamed `sig_level`",
    class = "equityaudit_error_argument"
  )
  # a confidence level passed where the significance level goes
  expect_error(detectable_difference(res, 0.3, 0.8, 0.95), "`sig_level`", class = "equityaudit_error_argument")
  expect_error(equity_report(ips, ethnicity, employed, output_file = "x.html"), "renamed `path`",
    class = "equityaudit_error_argument"
  )
  # no suppression is "none", never NULL
  expect_error(compare_outcomes(ips, ethnicity, employed, suppress = NULL), "\"none\"",
    class = "equityaudit_error_argument"
  )
  expect_identical(
    compare_outcomes(ips, ethnicity, employed, exact = "never", suppress = "none"),
    compare_outcomes(ips, ethnicity, employed, exact = "never")
  )
  # the renamed names are no longer arguments of those functions
  for (f in names(equityaudit:::renamed_arguments)) {
    old <- names(equityaudit:::renamed_arguments[[f]])
    expect_false(any(old %in% names(formals(get(f, asNamespace("equityaudit"))))), label = f)
  }
})

test_that("weight is never implicit: a table of counts must say so", {
  counts <- tabulate_groups(ips_synthetic, c(ethnicity, employed), by = service)
  for (f in list(
    function() chisq_strata(counts, ethnicity, employed, by = service),
    function() compare_outcomes(counts, ethnicity, employed, by = service),
    function() describe_cohort(counts, ethnicity, by = service)
  )) {
    expect_error(f(), "weight = n", class = "equityaudit_error_argument")
  }
  by_rows <- summary(compare_outcomes(ips_synthetic, ethnicity, employed, by = service, exact = "never"))
  by_counts <- summary(compare_outcomes(counts, ethnicity, employed, by = service, weight = n, exact = "never"))
  expect_equal(by_counts$statistic, by_rows$statistic)
  expect_equal(by_counts$n, by_rows$n)
})
