# `make lint`: lintr with the checked-in .lintr; fails on any lint.
lints <- lintr::lint_package(".")
print(lints)
if (length(lints) > 0) quit(status = 1)
cat("lint: clean\n")
