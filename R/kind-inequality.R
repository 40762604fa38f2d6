# The statistics of inequality_measures(): the counts behind each
# indicator, the measures of one stratum with their analytic or simulated
# intervals, and the result.

# The measures of every stratum of the counts `d` (see inequality_inputs()).
inequality_result <- function(d, by, group, options) {
  key <- strata_key(d[by], nrow(d))
  pieces <- lapply(unique(key), function(s) {
    rows <- which(key == s)
    m <- stratum_measures(d[rows, ], options$ordered, options$ref_group, options$favourable,
      options$conf_level, options$sims)
    strata <- lapply(d[by], function(v) rep(v[rows[[1]]], nrow(m)))
    c(strata, as.list(m))
  })
  cols <- c(by, "measure", "value", "low", "high", "interval", "groups", "reference")
  out <- lapply(cols, function(cl) do.call(c, lapply(pieces, function(p) p[[cl]])))
  names(out) <- cols
  for (b in by) {
    if (is.factor(d[[b]])) out[[b]] <- factor(as.character(out[[b]]), levels = levels(d[[b]]))
    if (is.null(out[[b]])) out[[b]] <- d[[b]][0]
  }
  if (is.null(out$measure)) {
    out[c("measure", "value", "low", "high", "interval", "groups", "reference")] <- list(
      character(), numeric(), numeric(), numeric(), character(), numeric(), character()
    )
  }
  out <- append(out, list(label = measure_labels(out$measure)), after = match("measure", names(out)))
  new_result(out, "inequality", list(by = setdiff(by, "pooled"), group = group, options = options),
    list(counts = d))
}

#' @export
summary.equityaudit_inequality <- function(object, ...) {
  st <- stratum_rows(object)
  df <- st$df
  out <- df[st$first, c(st$by, "groups", "reference"), drop = FALSE]
  for (m in unique(df$measure)) {
    out[[m]] <- df$value[df$measure == m][match(st$key[st$first], st$key[df$measure == m])]
  }
  new_summary(out)
}

#' @export
display_spec.equityaudit_inequality <- function(x) {
  list(
    title = sprintf("Inequality between the groups of %s", attr(x, "group") %||% "the groups"),
    cols = c(attr(x, "by"), "label", "value", "low", "high", "groups", "reference"),
    parts = list()
  )
}

# The counts inequality measures are computed from: people with the
# outcome of each group, or for access its users (not nested in) its
# eligible population.
#' @export
suppression_cells.equityaudit_inequality <- function(x) {
  spec_split(result_table(x, "counts"), "total", "events", "counts",
    rest = !isTRUE(attr(x, "options")$poisson)
  )
}

#' @export
republish.equityaudit_inequality <- function(x, p) {
  tabs <- p$tables
  d <- new_tidy_frame(tabs$counts[setdiff(names(tabs$counts), c("row.names", "names"))])
  opt <- attr(x, "options")
  used <- !is.na(d$events) & !is.na(d$total) & d$total > 0
  published <- d[used, , drop = FALSE]
  attr(published, "poisson") <- opt$poisson
  res <- inequality_result(published, unit_columns(x), attr(x, "group"), opt)
  list(data = unclass(res), tables = list(counts = d), left_out = sum(!used))
}

#' @export
link_description.equityaudit_inequality <- function(x) {
  counts <- if (isTRUE(attr(x, "options")$poisson)) {
    c(events = "people", total = "population")
  } else {
    c(events = "events", total = "known")
  }
  opt <- attr(x, "options")
  list(
    measures = list(counts = counts), partition = character(), leaves = character(),
    strata = list(counts = intersect(c(opt$by, opt$strata, attr(x, "by")), names(result_table(x, "counts")))),
    group = list(counts = "label")
  )
}

#' @export
glance.equityaudit_inequality <- function(x, ...) {
  d <- unclass(x)
  glance_row(x, list(
    strata = length(unique(strata_key(d[unit_columns(x)], length(d$measure)))),
    measures = length(unique(d$measure))
  ))
}

# Each measure with its interval, one panel per stratum.
#' @export
plot.equityaudit_inequality <- function(x, main = "Inequality between the groups", ...) {
  check_no_dots(..., fn = "plot")
  d <- plain_frame(x)
  ok <- !is.na(d$value)
  d <- d[ok, , drop = FALSE]
  interval_panels(d$value, ifelse(is.na(d$low), d$value, d$low), ifelse(is.na(d$high), d$value, d$high),
    factor(d$label, unique(d$label)), panel_labels(d, unit_columns(x)),
    ref = rep(NA_real_, nrow(d)), xlab = "Value (interval)", main = main,
    note = if (any(!ok)) sprintf("%d measure%s that cannot be computed not shown.", sum(!ok), if (sum(!ok) == 1) "" else "s")
  )
  invisible(x)
}

# Per group: label, events and total behind the indicator, its weight, and
# whether counts are Poisson (access rates).
inequality_inputs <- function(x) {
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE, optional = TRUE)
  df <- df[!df$missing, , drop = FALSE]
  group <- attr(x, "group")
  if (inherits(x, "equityaudit_access")) {
    if (all(is.na(df$ref_n))) {
      abort_input(
        "argument",
        "Access rates need population counts; `x` was computed from proportions.",
        arg = "x"
      )
    }
    out <- data.frame(
      label = as.character(df[[group]]), events = df$n, total = df$ref_n,
      weight = df$ref_n, stringsAsFactors = FALSE
    )
    poisson <- TRUE
  } else {
    out <- data.frame(
      label = as.character(df[[group]]), events = df$events, total = df$n,
      weight = df$n, stringsAsFactors = FALSE
    )
    poisson <- FALSE
  }
  out <- cbind(df[unit_columns(x)], out)
  # a suppressed result: only the published counts are used
  out <- out[!is.na(out$events) & !is.na(out$total) & out$total > 0, , drop = FALSE]
  attr(out, "poisson") <- poisson
  out
}
