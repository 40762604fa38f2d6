# Every exported function, fed generated input: it must either return a
# result that accounts for every person, or signal an equityaudit_error
# whose message names what was wrong. Never a crash, never a bare error.
# The number of cases per function is EQUITYAUDIT_FUZZ_N (default 60 under
# R CMD check; `make fuzz` runs 10^4).

fuzz_n <- function() {
  as.integer(Sys.getenv("EQUITYAUDIT_FUZZ_N", "60"))
}

# a random column of n values
fuzz_column <- function(n) {
  utf8 <- "Caf\u00e9"
  latin <- iconv(utf8, "UTF-8", "latin1")
  Encoding(latin) <- "latin1"
  labels <- c("White", "Black", "Asian", utf8, latin, NA, "Not known")
  kind <- sample(c(
    "chr", "chr", "fac", "fac_na_level", "int", "dbl_whole", "dbl_frac",
    "lgl", "lgl", "date", "posix", "list", "many_levels", "nan_inf"
  ), 1)
  switch(kind,
    chr = sample(labels, n, TRUE),
    fac = factor(sample(labels, n, TRUE), levels = c("Unused", unique(stats::na.omit(labels)))),
    fac_na_level = addNA(factor(sample(labels, n, TRUE))),
    int = sample(c(1:4, NA), n, TRUE),
    dbl_whole = as.double(sample(c(1:3, NA), n, TRUE)),
    dbl_frac = stats::runif(n),
    lgl = sample(c(TRUE, FALSE, NA), n, TRUE),
    date = as.Date("2019-01-01") + sample(0:364, n, TRUE),
    posix = as.POSIXct("2019-01-01", tz = "UTC") + sample(0:1e6, n, TRUE),
    list = as.list(seq_len(n)),
    many_levels = sample(sprintf("L%05d", 1:10000), n, TRUE),
    nan_inf = sample(c(NaN, Inf, -Inf, 1, 2), n, TRUE)
  )
}

fuzz_weight <- function(n) {
  switch(sample(c("ok", "ok", "big", "neg", "frac", "na", "chr"), 1),
    ok = as.double(sample(0:20, n, TRUE)),
    big = sample(c(1, 2^31, 2^40, 2^53 / 4), n, TRUE),
    neg = c(-1, rep(1, max(0, n - 1)))[seq_len(n)],
    frac = rep(1.5, n),
    na = c(NA, rep(1, max(0, n - 1)))[seq_len(n)],
    chr = rep("3", n)
  )
}

# a data frame (or tibble, data.table, grouped tibble) with columns a-e, an
# outcome y, weight w and date d
fuzz_data <- function() {
  n <- sample(c(0, 1, 2, 5, 30, 200), 1)
  df <- data.frame(row.names = seq_len(n))
  for (col in c("a", "b", "c")) df[[col]] <- fuzz_column(n)
  df$y <- switch(sample(c("lgl", "lgl", "chr", "num", "three"), 1),
    lgl = sample(c(TRUE, FALSE, NA), n, TRUE),
    chr = sample(c("yes", "no"), n, TRUE),
    num = sample(c(0, 1), n, TRUE),
    three = sample(c("yes", "no", "maybe"), n, TRUE)
  )
  df$w <- fuzz_weight(n)
  df$d <- as.Date("2019-01-01") + sample(c(0:364, NA), n, TRUE)
  if (stats::runif(1) < 0.05) names(df)[2] <- "a"
  kinds <- c(
    "df", "df",
    if (requireNamespace("tibble", quietly = TRUE)) "tbl",
    if (requireNamespace("dplyr", quietly = TRUE) && !anyDuplicated(names(df))) "grouped",
    if (requireNamespace("data.table", quietly = TRUE)) "dt"
  )
  switch(sample(kinds, 1),
    df = df,
    tbl = tibble::as_tibble(df, .name_repair = "minimal"),
    dt = data.table::as.data.table(df),
    grouped = dplyr::group_by(tibble::as_tibble(df), dplyr::across(dplyr::all_of("a")))
  )
}

maybe <- function(x, p = 0.5) if (stats::runif(1) < p) x

# people in the input: rows, or the sum of the weights
people_in <- function(df, weight) {
  if (is.null(weight)) nrow(df) else sum(df[[weight]])
}

# People of compare_groups() in a stratum with no row: one whose only known
# group (with a known outcome) is its reference.
unseen_reference <- function(df, res, by) {
  t <- suppressMessages(compare_outcomes(df, a, y,
    by = by, event = if (is.character(df$y)) "yes", exact = "never", pooled = FALSE
  ))
  known <- t[!t$missing & t$n > 0, ]
  key <- if (is.null(by)) rep("", nrow(known)) else as.character(known[[by]])
  have <- if (is.null(by)) rep("", nrow(res)) else as.character(res[[by]])
  lone <- setdiff(unique(key), unique(have))
  sum(known$n[key %in% lone])
}

# runs one call; returns NULL if fine, or a description of the failure. A
# result must account for every person (`count`), and print, format,
# tidy (every table it has) and glance without error.
fuzz_check <- function(case) {
  warned <- character()
  res <- tryCatch(
    withCallingHandlers(eval(case$call, case$env), warning = function(w) {
      warned <<- c(warned, conditionMessage(w))
      invokeRestart("muffleWarning")
    }),
    equityaudit_error = function(e) e,
    error = function(e) structure(list(e = e), class = "bare_error")
  )
  if (length(warned) > 0) {
    return(paste("warning:", warned[[1]]))
  }
  if (inherits(res, "bare_error")) {
    return(paste("bare error:", conditionMessage(res$e)))
  }
  if (inherits(res, "equityaudit_error")) {
    msg <- conditionMessage(res)
    if (!grepl("`", msg) || !inherits(res, "equityaudit_error_input")) {
      return(paste("error without a named argument:", msg))
    }
    return("error")
  }
  got <- case$count(res)
  if (!isTRUE(all.equal(got$out, got$in_))) {
    return(sprintf("people lost: %s in, %s out", got$in_, got$out))
  }
  if (inherits(res, "equityaudit_result")) {
    shown <- tryCatch(
      {
        utils::capture.output(print(res), format(res))
        for (t in c("main", "tests", "left_out", names(attr(res, "tables")))) tidy(res, t)
        glance(res)
        NULL
      },
      error = function(e) conditionMessage(e)
    )
    if (!is.null(shown)) {
      return(paste("printing or tidying failed:", shown))
    }
  }
  NULL
}

# people counted in a result, and those it reports left out
left_out_n <- function(res) sum(tidy(res, "left_out")$n)
not_pooled <- function(res) if (is.null(res$pooled)) rep(TRUE, nrow(res)) else !res$pooled

fuzz_cases <- list(
  tabulate_groups = function(df) {
    weight <- maybe("w", 0.3)
    by <- maybe("c", 0.3)
    list(
      call = quote(tabulate_groups(df, c(a, b), by = by, weight = weight,
                                   complete = stats::runif(1) < 0.2)),
      env = environment(),
      count = function(res) list(in_ = people_in(df, weight), out = sum(res$n))
    )
  },
  chisq_strata = function(df) {
    weight <- maybe("w", 0.3)
    by <- maybe("c", 0.3)
    list(
      call = quote(chisq_strata(df, a, b, by = by, weight = weight,
                                simulate = stats::runif(1) < 0.1, sims = 50)),
      env = environment(),
      count = function(res) {
        list(in_ = people_in(df, weight), out = sum(res$n) + sum(res$n_missing))
      }
    )
  },
  compare_access = function(df) {
    ref <- data.frame(a = c("White", "Black", "Asian", "Caf\u00e9"), n = c(100, 50, 30, 10))
    if (stats::runif(1) < 0.3) ref$a[[2]] <- "Blak"
    weight <- maybe("w", 0.3)
    method <- sample(c("homogeneity", "goodness_of_fit"), 1)
    missing <- sample(c("report", "include", "exclude"), 1)
    list(
      call = quote(suppressMessages(compare_access(df, a, ref,
        weight = weight, method = method, missing = missing,
        unknown = "Not known"
      ))),
      env = environment(),
      count = function(res) list(in_ = people_in(df, weight), out = sum(res$n) + left_out_n(res))
    )
  },
  describe_cohort = function(df) {
    by <- maybe("c", 0.5)
    age <- maybe("w", 0.3)
    list(
      call = quote(describe_cohort(df, c(a, b), by = by, age = age)),
      env = environment(),
      count = function(res) {
        people <- res$variable == "people" & not_pooled(res)
        list(in_ = nrow(df), out = sum(res$n[people]))
      }
    )
  },
  compare_outcomes = function(df) {
    by <- maybe("c", 0.4)
    strata <- maybe("b", 0.3)
    event <- if (is.character(df$y)) "yes"
    weight <- maybe("w", 0.2)
    list(
      call = quote(suppressMessages(compare_outcomes(df, a, y,
        by = by, strata = strata, event = event, weight = weight,
        exact = sample(c("auto", "always", "never"), 1)
      ))),
      env = environment(),
      count = function(res) {
        base <- not_pooled(res)
        list(
          in_ = people_in(df, weight),
          out = sum(res$n[base]) + sum(res$n_outcome_missing[base]) + left_out_n(res)
        )
      }
    )
  },
  compare_groups = function(df) {
    event <- if (is.character(df$y)) "yes"
    by <- maybe("c", 0.4)
    reference <- sample(list(NULL, "rest", "White", "nobody"), 1)[[1]]
    list(
      call = quote(compare_groups(df, a, y, by = by, event = event, ref_group = reference)),
      env = environment(),
      count = function(res) {
        # each stratum's compared groups and its reference (once), or with
        # "rest" its first row's group and rest
        key <- if (is.null(by)) rep("", nrow(res)) else as.character(res[[by]])
        first <- !duplicated(key)
        people <- if (identical(reference, "rest")) {
          sum(res$n[first] + res$ref_n[first])
        } else {
          sum(res$n) + sum(res$ref_n[first])
        }
        # a stratum whose only known group is its reference has no row
        list(in_ = people_in(df, NULL), out = people + left_out_n(res) + unseen_reference(df, res, by))
      }
    )
  },
  compare_services = function(df) {
    event <- if (is.character(df$y)) "yes"
    ref <- if (stats::runif(1) < 0.5) {
      expand.grid(a = c("White", "Black", "Asian", "Caf\u00e9"), c = unique(df$c), stringsAsFactors = FALSE)
    }
    if (!is.null(ref)) ref$n <- sample(0:200, nrow(ref), TRUE)
    list(
      call = quote(suppressMessages(if (is.null(ref)) {
        compare_services(df, a, unit = c, outcome = y, event = event, unknown = "Not known")
      } else {
        compare_services(df, a, unit = c, reference = ref, unknown = "Not known")
      })),
      env = environment(),
      count = function(res) list(in_ = nrow(df), out = sum(res$n) + left_out_n(res))
    )
  },
  compare_periods = function(df) {
    event <- if (is.character(df$y)) "yes"
    outcome <- maybe("y", 0.5)
    list(
      call = quote(suppressMessages(compare_periods(df, a, d,
        period = sample(c("month", "quarter", "year"), 1), outcome = outcome, event = event
      ))),
      env = environment(),
      count = function(res) list(in_ = nrow(df), out = sum(res$n) + left_out_n(res))
    )
  },
  monitor_equality = function(df) {
    event <- if (is.character(df$y)) "yes"
    outcome <- maybe("y", 0.5)
    list(
      call = quote(suppressMessages(monitor_equality(df, a, d,
        period = sample(c("month", "quarter", "year"), 1), outcome = outcome, event = event,
        chart = sample(c("pp", "p"), 1), gap = sample(c("difference", "ratio"), 1)
      ))),
      env = environment(),
      count = function(res) list(in_ = nrow(df), out = sum(tidy(res, "counts")$n) + left_out_n(res))
    )
  },
  detectable_difference = function(df) {
    event <- if (is.character(df$y)) "yes"
    list(
      call = quote(detectable_difference(suppressMessages(
        compare_outcomes(df, a, y, event = event, exact = "never")
      ))),
      env = environment(),
      count = function(res) {
        # the people of the known groups with a known outcome
        src <- suppressMessages(compare_outcomes(df, a, y, event = event, exact = "never"))
        list(in_ = sum(src$n[!src$missing]), out = sum(res$n))
      }
    )
  },
  inequality_measures = function(df) {
    event <- if (is.character(df$y)) "yes"
    by <- maybe("c", 0.4)
    ordered <- sample(c(TRUE, FALSE, NA), 1, prob = c(0.45, 0.45, 0.1))
    reference <- sample(list(NULL, "White", "nobody"), 1)[[1]]
    list(
      call = quote(suppressMessages(inequality_measures(
        compare_outcomes(df, a, y, by = by, event = event, exact = "never"),
        ordered = ordered, ref_group = reference, sims = 20
      ))),
      env = environment(),
      count = function(res) {
        src <- suppressMessages(compare_outcomes(df, a, y, by = by, event = event, exact = "never"))
        list(in_ = sum(src$n[!src$missing]), out = sum(tidy(res, "counts")$total))
      }
    )
  },
  suppress_counts = function(df) {
    event <- if (is.character(df$y)) "yes"
    by <- maybe("c", 0.5)
    rule <- sample(c("nhs_digital", "opensafely", "none", "bad"), 1, prob = c(3, 3, 3, 1))
    threshold <- sample(list(NULL, 3, 10, -1), 1)[[1]]
    list(
      call = quote({
        res <- suppressMessages(compare_outcomes(df, a, y,
          by = by, event = event, exact = "never"
        ))
        s <- suppress_counts(res, rule, threshold = threshold)
        chk <- disclosure_check(s, bounds = sample(c("exact", "verdict"), 1))
        if (!attr(chk, "protected")) stop("a suppressed count is recoverable")
        s
      }),
      env = environment(),
      count = function(res) list(in_ = 0, out = 0)
    )
  },
  cmh_test = function(df) {
    event <- if (is.character(df$y)) "yes"
    list(
      call = quote(cmh_test(df, a, y, across = c, event = event)),
      env = environment(),
      count = function(res) list(in_ = nrow(df), out = sum(tidy(res, "counts")$n) + left_out_n(res))
    )
  },
  age_at = function(df) {
    on <- sample(list("2020-01-01", as.Date("2019-06-30"), "31/12/2019", df$d), 1)[[1]]
    birth <- if (stats::runif(1) < 0.8) df$d - sample(0:30000, nrow(df), TRUE) else df$a
    list(
      call = quote(age_at(birth, on)),
      env = environment(),
      count = function(res) list(in_ = length(birth), out = length(res))
    )
  },
  collapse_ethnicity = function(df) {
    x <- df$a
    list(
      call = quote(suppressWarnings(collapse_ethnicity(x, to = sample(c("broad", "detailed"), 1),
        unknown = "Not known"
      ))),
      env = environment(),
      count = function(res) list(in_ = length(x), out = length(res))
    )
  },
  format_numbers = function(df) {
    x <- sample(list(df$w, df$a, c(1e-9, 2.5e7, NA)), 1)[[1]]
    list(
      call = quote(list(format_p(x), format_stat(x), format_count(x), format_pct(x))),
      env = environment(),
      count = function(res) list(in_ = 4 * length(x), out = sum(lengths(res)))
    )
  },
  readable_table = function(df) {
    event <- if (is.character(df$y)) "yes"
    list(
      call = quote(readable_table(
        suppressMessages(compare_outcomes(df, a, y, event = event, exact = "never")),
        c("a", "n", "events", "pct_ci")
      )),
      env = environment(),
      count = function(res) list(in_ = 0, out = 0)
    )
  },
  equity_report = function(df) {
    event <- if (is.character(df$y)) "yes"
    out <- tempfile(fileext = ".html")
    list(
      # rendering costs seconds: generated data that passes the checks is
      # reported on only now and then
      call = quote(if (stats::runif(1) < 0.03 && rmarkdown::pandoc_available()) {
        equity_report(df, a, y, event = event, path = out, quiet = TRUE)
      } else {
        equityaudit:::check_report_data(as.data.frame(df), list(group = "a", outcome = "y"))
      }),
      env = environment(),
      count = function(res) list(in_ = 0, out = 0)
    )
  },
  report_tables = function(df) {
    event <- if (is.character(df$y)) "yes"
    list(
      call = quote(report_tables(df, a, y, event = event)),
      env = environment(),
      count = function(res) list(in_ = 0, out = 0)
    )
  },
  record_keys = function(df) {
    seed <- sample(list(1, 2.5, NA, "a", 7L), 1)[[1]]
    list(
      call = quote(record_keys(df, seed = seed)),
      env = environment(),
      count = function(res) list(in_ = nrow(df), out = length(res))
    )
  },
  cell_key_ptable = function(df) {
    list(
      call = quote(cell_key_ptable()),
      env = environment(),
      count = function(res) list(in_ = 0, out = 0)
    )
  },
  write_tables = function(df) {
    out <- tempfile(fileext = ".xlsx")
    list(
      # writing a workbook costs a fraction of a second: now and then
      call = quote(if (stats::runif(1) < 0.2 && requireNamespace("openxlsx", quietly = TRUE)) {
        on.exit(unlink(out))
        write_tables(suppress_counts(describe_cohort(df, a)), out)
      } else {
        suppress_counts(describe_cohort(df, a))
      }),
      env = environment(),
      count = function(res) list(in_ = 0, out = 0)
    )
  },
  age_band = function(df) {
    x <- df[["w"]]
    list(
      call = quote(age_band(x)),
      env = environment(),
      count = function(res) list(in_ = length(x), out = length(res))
    )
  },
  reproduce_bjpsych = function(df) {
    list(
      call = quote(reproduce_bjpsych(df)),
      env = environment(),
      count = function(res) list(in_ = 0, out = 0)
    )
  },
  follow_up = function(df) {
    col <- sample(c("d", "a"), 1)
    list(
      call = quote(suppressMessages(follow_up(df, col, census = "2019-12-31",
                                              min_months = sample(c(0, 6, -1, 1.5), 1)))),
      env = environment(),
      count = function(res) {
        fu <- attr(res, "follow_up")
        list(in_ = nrow(df), out = fu$n_kept + fu$n_too_recent + fu$n_missing_start)
      }
    )
  }
)

test_that("every exported function survives generated input", {
  set.seed(20191231)
  failures <- character()
  answered <- stats::setNames(integer(length(fuzz_cases)), names(fuzz_cases))
  for (name in names(fuzz_cases)) {
    for (i in seq_len(fuzz_n())) {
      df <- fuzz_data()
      case <- fuzz_cases[[name]](df)
      problem <- fuzz_check(case)
      if (is.null(problem)) {
        answered[[name]] <- answered[[name]] + 1L
      } else if (!identical(problem, "error")) {
        failures <- c(failures, sprintf("%s case %d: %s", name, i, problem))
      }
    }
  }
  expect_equal(failures, character())
  # every exported function is exercised, and answers generated input
  # (not only refuses it)
  exported <- setdiff(getNamespaceExports("equityaudit"), c("tidy", "glance"))
  covered <- c(names(fuzz_cases), "disclosure_check", "format_p", "format_stat", "format_count", "format_pct")
  expect_equal(setdiff(exported, covered), character())
  expect_true(all(answered[setdiff(names(answered), "reproduce_bjpsych")] > 0), label = paste(
    names(answered)[answered == 0], collapse = ", "
  ))
})
