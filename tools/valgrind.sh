#!/usr/bin/env bash
# `make valgrind`: runs the tests and examples under valgrind's memcheck and
# fails on any invalid read or write or use of uninitialised values in the
# package. The loops of the reference comparisons are cut down with
# EQUITYAUDIT_QUICK so that the run takes minutes, not hours.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && R CMD build --no-build-vignettes --no-manual "$OLDPWD" >/dev/null)
mkdir "$work/lib"
R CMD INSTALL --library="$work/lib" "$work"/equityaudit_*.tar.gz >/dev/null
export R_LIBS="$work/lib" EQUITYAUDIT_QUICK=1 EQUITYAUDIT_FUZZ_N=10
R -d "valgrind --error-exitcode=1 --track-origins=yes --leak-check=no" \
  --vanilla -f tools/run-installed.R 2>&1 | tee "$work/log"
if grep -qE "Invalid (read|write)|uninitialised|Conditional jump" "$work/log"; then
  echo "valgrind reports found"
  exit 1
fi
echo "make valgrind: no memory errors"
