# Checks of the reference population given to compare_access().

# Each stratum and group must have one row of the reference: a repeated
# row would otherwise be summed into the population.
check_reference_keys <- function(ref_key, ref_labels, reference, by, group) {
  twice <- which(duplicated(paste(ref_key, ref_labels, sep = "\r")))
  if (length(twice) == 0) {
    return(invisible())
  }
  shown <- gsub("\r", ", ", paste(ref_key, ref_labels, sep = "\r")[twice])
  abort_input(
    "labels",
    sprintf(
      paste0(
        "`reference` has more than one row for %s (of `%s`) in row%s %s; ",
        "give one population count per group and stratum."
      ),
      format_values(sub("^, ", "", shown)), paste(c(by, group), collapse = "`, `"),
      if (length(twice) > 1) "s" else "", paste(twice, collapse = ", ")
    ),
    arg = "reference", rows = twice
  )
}

# Proportions must add up to 1 in every stratum (to within rounding).
check_prop_sums <- function(value, ref_key, reference, by, tol = 0.01) {
  sums <- tapply(value, ref_key, sum)
  bad <- which(abs(sums - 1) > tol)
  if (length(bad) == 0) {
    return(invisible())
  }
  abort_input(
    "count",
    sprintf(
      paste0(
        "The proportions of `ref_prop` add up to %s%s, not 1; ",
        "give the share of every group (including any unknown group)."
      ),
      paste(signif(unname(sums[bad]), 4), collapse = ", "),
      if (length(by) > 0) paste0(" in ", format_values(gsub("\r", ", ", names(sums)[bad]))) else ""
    ),
    arg = "ref_prop"
  )
}
