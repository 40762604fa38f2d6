# Regenerates man/ and NAMESPACE with roxygen2 (called by `make document`).
# The R code is sourced rather than compiled, and the data sets are loaded
# beside it so that their documentation can be written.
load_with_data <- function(path) {
  env <- roxygen2::load_source(path)
  for (f in list.files(file.path(path, "data"), pattern = "\\.rda$", full.names = TRUE)) {
    load(f, envir = env)
  }
  env
}
roxygen2::roxygenise(load_code = load_with_data)
