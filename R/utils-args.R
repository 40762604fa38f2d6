# Checks of the arguments that are not columns, shared by every verb: one
# helper per kind of argument, so that an argument means and checks the same
# in every function (see ?equityaudit-arguments).

`%||%` <- function(x, y) if (is.null(x)) y else x

check_flag <- function(x, arg) {
  if (!is.logical(x) || length(x) != 1 || is.na(x)) {
    abort_input("argument", sprintf("`%s` must be TRUE or FALSE.", arg), arg = arg)
  }
  invisible(x)
}

# A single number in [lower, upper] (bounds excluded where `open`), whole if
# asked.
check_number <- function(x, arg, lower = -Inf, upper = Inf, open = FALSE,
                         whole = FALSE) {
  ok <- is.numeric(x) && !is.object(x) && length(x) == 1 && !is.na(x) &&
    (if (open) x > lower && x < upper else x >= lower && x <= upper) &&
    (!whole || (is.finite(x) && x == round(x)))
  if (!ok) {
    range <- if (open) "between %s and %s" else "from %s to %s"
    abort_input(
      "argument",
      sprintf(
        "`%s` must be a single %s %s.", arg, if (whole) "whole number" else "number",
        sprintf(range, format_bound(lower), format_bound(upper))
      ),
      arg = arg
    )
  }
  invisible(x)
}

format_bound <- function(x) {
  if (is.infinite(x)) {
    return(if (x > 0) "infinity" else "minus infinity")
  }
  format(x, scientific = FALSE, big.mark = ",", drop0trailing = TRUE)
}

check_conf_level <- function(conf_level) {
  check_number(conf_level, "conf_level", 0, 1, open = TRUE)
  conf_level
}

# Simulated draws (`sims`): a whole number from 10 to 10^7, so that a typo
# such as 1e12 stops at once instead of running for hours.
check_sims <- function(sims) {
  check_number(sims, "sims", 10, 1e7, whole = TRUE)
  as.double(sims)
}

# One of `choices`; the default (the whole vector) means the first.
match_arg <- function(x, choices, arg) {
  if (identical(x, choices)) {
    return(choices[[1]])
  }
  if (!is.character(x) || length(x) != 1 || !(x %in% choices)) {
    abort_input(
      "argument",
      sprintf("`%s` must be one of %s.", arg, format_values(choices)),
      arg = arg
    )
  }
  x
}

# Labels meaning "not known" (see ?equityaudit-arguments).
check_unknown <- function(unknown) {
  if (!is.null(unknown) && (!is.character(unknown) || anyNA(unknown))) {
    abort_input("argument", "`unknown` must be a character vector of labels.",
      arg = "unknown"
    )
  }
  # spelled as the data's labels are once cleaned (clean_labels())
  if (!is.null(unknown)) unknown <- unique(clean_labels(unknown))
  unknown
}

# One group label (a `ref_group`): NULL or a single string.
check_label <- function(x, arg, extra = NULL) {
  if (!is.null(x) && (!is.character(x) || length(x) != 1 || is.na(x))) {
    abort_input(
      "argument",
      sprintf("`%s` must be one group label%s.", arg, extra %||% ""),
      arg = arg
    )
  }
  if (is.null(x)) x else clean_labels(x)
}

# One date: a Date, or a "YYYY-MM-DD" string (nothing else is guessed:
# "31/12/2019" could be read as the year 31 or 20).
check_date <- function(x, arg) {
  ok <- length(x) == 1 && !is.na(x) && (inherits(x, "Date") ||
    (is.character(x) && grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", x)))
  value <- if (ok) as.Date(x, format = "%Y-%m-%d", optional = TRUE) else NA
  if (!ok || is.na(value) || (is.character(x) && format(value) != x)) {
    abort_input(
      "argument",
      sprintf(
        paste0(
          "`%s` must be one date: a Date or a string \"YYYY-MM-DD\" ",
          "(e.g. \"2019-12-31\"), not %s."
        ),
        arg, if (is.character(x) && length(x) == 1) format_values(x) else class(x)[[1]]
      ),
      arg = arg
    )
  }
  as.Date(value)
}

# Evaluates `expr` with the random number stream seeded with `seed`, and
# leaves the caller's stream and generators as they were.
with_local_seed <- function(seed, expr) {
  env <- globalenv()
  had <- exists(".Random.seed", envir = env, inherits = FALSE)
  old <- if (had) get(".Random.seed", envir = env, inherits = FALSE)
  kind <- RNGkind()
  on.exit({
    suppressWarnings(RNGkind(kind[[1]], kind[[2]], kind[[3]]))
    if (had) assign(".Random.seed", old, envir = env) else rm(".Random.seed", envir = env)
  })
  # R's default generators, whatever the session uses, so that the same
  # seed gives the same numbers everywhere
  set.seed(seed, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")
  expr
}

# Arguments that were renamed, by function: the old name and the new one.
renamed_arguments <- list(
  cmh_test = c(by = "across"),
  compare_services = c(by = "unit"),
  detectable_difference = c(conf_level = "sig_level"),
  equity_report = c(output_file = "path")
)

# Every exported function ends with `...`, which must be empty: an
# argument it does not have (a misspelt one, or one that was renamed) is a
# classed error naming the function and, for a renamed one, its new name.
check_no_dots <- function(..., fn) {
  given <- as.list(substitute(list(...)))[-1]
  if (length(given) == 0) {
    return(invisible())
  }
  names <- names(given) %||% rep("", length(given))
  name <- names[[1]]
  new <- if (is.null(renamed_arguments[[fn]])) NA_character_ else renamed_arguments[[fn]][name]
  message <- if (!nzchar(name)) {
    sprintf(
      "`%s()` was given %d more unnamed argument%s than it takes: name the arguments after the first ones.",
      fn, sum(!nzchar(names)), if (sum(!nzchar(names)) == 1) "" else "s"
    )
  } else if (!is.na(new)) {
    sprintf("`%s()` has no argument `%s`: it was renamed `%s`.", fn, name, new)
  } else {
    formals_of <- setdiff(names(formals(get(fn, envir = asNamespace("equityaudit")))), "...")
    near <- formals_of[utils::adist(name, formals_of, ignore.case = TRUE) <= 2]
    sprintf(
      "`%s()` has no argument `%s`%s.", fn, name,
      if (length(near) > 0) sprintf(" (did you mean `%s`?)", near[[1]]) else ""
    )
  }
  abort_input("argument", message, arg = name, new_name = if (!is.na(new)) unname(new))
}

# Called first by every verb with `suppress =`: checks the rule, and
# until the verb returns makes its notes withhold exact counts when a rule
# is on (a verb inside another keeps the outer rule).
withhold_counts <- function(suppress, frame = parent.frame()) {
  rule <- check_suppress(suppress)
  if (rule == "none") {
    return(invisible(rule))
  }
  old <- options(equityaudit.withhold_counts = TRUE)
  do.call(on.exit, list(call("options", old), add = TRUE), envir = frame)
  invisible(rule)
}

# The rule of `suppress =`: one of the rules, or "none" (the one spelling of
# no suppression: NULL is refused, naming it).
check_suppress <- function(suppress, rules = c("none", "nhs_digital", "opensafely", "cell_key")) {
  if (is.null(suppress)) {
    abort_input(
      "argument",
      "`suppress` must be a rule, or \"none\" for no suppression (not NULL).",
      arg = "suppress"
    )
  }
  match_arg(suppress, rules, "suppress")
}
