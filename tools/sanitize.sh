#!/usr/bin/env bash
# `make sanitize`: builds equityaudit with AddressSanitizer and
# UndefinedBehaviorSanitizer (through a temporary Makevars, not src/Makevars)
# and runs the tests and examples under them, with the ASan runtime
# preloaded into R. Leak detection is off, as in CRAN's gcc-ASAN checks (R
# itself does not free everything at exit). Any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/Makevars" <<'MK'
CC = gcc -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
CFLAGS = -g -O1 -Wall
MK
(cd "$work" && R CMD build --no-build-vignettes --no-manual "$OLDPWD" >/dev/null)
mkdir "$work/lib"
R_MAKEVARS_USER="$work/Makevars" R CMD INSTALL --no-test-load \
  --library="$work/lib" "$work"/equityaudit_*.tar.gz

export LD_PRELOAD
LD_PRELOAD=$(gcc -print-file-name=libasan.so)
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export R_LIBS="$work/lib"
Rscript tools/run-installed.R 2>&1 | tee "$work/log"
if grep -qE "ERROR: AddressSanitizer|runtime error:" "$work/log"; then
  echo "sanitizer reports found"
  exit 1
fi
echo "make sanitize: no sanitizer reports"
