# The keyed hash of the cell-key rule (see ?record_keys for the
# construction): a cell's position in the perturbation table is derived
# from its key sum under a secret kept with the data (src/cellkey.c), so
# that the position of a total is unrelated to its parts' positions.

# The secret of the keyed hash as raw bytes: `secret`, else the option
# equityaudit.secret; a classed error (equityaudit_error_secret) if there
# is none or it is too short to be a secret.
check_secret <- function(secret = NULL) {
  secret <- secret %||% getOption("equityaudit.secret")
  how <- paste(
    "Set one with `options(equityaudit.secret = \"<at least 16 random characters>\")`",
    "(or `suppress_counts(x, \"cell_key\", secret = )`), keep it with the data,",
    "never publish it, and use the same secret in every release (see ?record_keys)."
  )
  if (is.null(secret)) {
    abort_input("secret", paste(
      "The cell-key rule needs a secret: each cell's perturbation is looked up from a",
      "keyed hash of its key sum, so that a total's perturbation says nothing about its parts'.",
      how
    ), arg = "secret")
  }
  bytes <- if (is.raw(secret)) {
    secret
  } else if (is.character(secret) && length(secret) == 1 && !is.na(secret)) {
    charToRaw(enc2utf8(secret))
  }
  if (is.null(bytes) || length(bytes) < 16) {
    abort_input("secret", paste(
      "The secret of the cell-key rule must be a string of at least 16 bytes (or a raw",
      "vector of at least 16): a short secret can be guessed.", how
    ), arg = "secret")
  }
  bytes
}

# Each key sum's position in the perturbation table, 0 to 255: the top 8
# bits of SipHash-2-4 of the key sum (a whole number, as an unsigned 64-bit
# integer, little-endian) under a key derived from the secret
# (src/cellkey.c).
cell_key_positions <- function(sums, secret) {
  .Call(ea_cell_key_hash, as.double(sums), secret)
}
