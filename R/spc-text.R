# The SPC charts of monitor_equality() in words: each chart's variation
# icon, the rules that signalled and the points they used (alt text, the
# summary and the report).

# A variation icon in words.
spc_variation_words <- function(variation, side) {
  ifelse(is.na(variation), "no point to judge",
    ifelse(variation == "common_cause", "common cause",
      paste0(
        "special cause, ", sub("special_cause_", "", variation),
        ifelse(is.na(side), "", paste0(" (", side, ")"))
      )
    )
  )
}

# Each chart in words (alt text, and the report): its variation, the rules
# that signalled, and the points the rules used.
spc_describe <- function(measure, labels, ch, n_p, min_points = 1) {
  what <- c(
    share = "share of the period's people", access_gap = "access gap to the reference group",
    outcome = "outcome rate", outcome_gap = "outcome gap to the reference group"
  )[[measure]]
  variation <- ifelse(ch$judged,
    paste("latest point:", spc_variation_words(ch$variation, ch$side)),
    sprintf("too few published points to judge (%d; at least %d needed)", ch$n_points, min_points)
  )
  rules <- vapply(seq_along(labels), function(i) {
    n <- c(
      "outside the limits" = ch$n_outside[[i]], "a run of 7 on one side" = ch$n_shift[[i]],
      "7 rising or falling" = ch$n_trend[[i]], "2 of 3 beyond 2 sigma" = ch$n_two_of_three[[i]]
    )
    if (all(n == 0)) {
      "; no signals"
    } else {
      flagged <- sprintf("%s (%d points)", names(n)[n > 0], n[n > 0])
      paste0("; signals: ", paste(flagged, collapse = ", "))
    }
  }, "")
  band <- !is.na(ch$equal_low)
  against <- ifelse(band, paste0(
    "margin of equality (", spc_number(ch$equal_low), " to ", spc_number(ch$equal_high), ")"
  ), "target")
  assurance <- ifelse(is.na(ch$assurance), "", paste0("; ", against, ": ", gsub("_", " ", ch$assurance)))
  hidden <- ifelse(ch$n_hidden > 0, paste0("; hidden: ", ch$hidden_periods), "")
  sprintf(
    "%s, %s: %s%s%s; the rules used %d of %d periods%s.",
    labels, what, variation, rules, assurance, ch$n_points, n_p, hidden
  )
}

# A margin's end as written: "-10", "0.8", "1.25".
spc_number <- function(x) trimws(formatC(x, digits = 3, format = "g"))
