# Developer and user entry points; see README.md.
R ?= R
RSCRIPT ?= Rscript
PKG := equityaudit
VERSION := $(shell sed -n 's/^Version: //p' DESCRIPTION)
TARBALL := $(PKG)_$(VERSION).tar.gz
CHECKDIR := check
# Debian packages for the tools and Suggests the targets need.
DEB_PKGS := r-cran-roxygen2 r-cran-knitr r-cran-rmarkdown pandoc \
	r-cran-testthat r-cran-data.table r-cran-collapse r-cran-bench \
	r-cran-ggplot2 r-cran-tibble r-cran-pwr r-cran-covr r-cran-lintr r-cran-pkgbuild tidy qpdf \
	valgrind r-cran-dbi r-cran-dbplyr r-cran-dplyr r-cran-rsqlite r-cran-rpostgresql \
	postgresql r-cran-lpsolve r-cran-generics r-cran-rsymphony r-cran-slam r-cran-openxlsx r-cran-utf8 locales
# The report's accessibility check (tests/testthat/test-report-a11y.R):
# axe-core run by playwright-core in Debian's Chromium, the npm packages in
# tools/node_modules (tools/package.json and its lock; gitignored).
A11Y_DEB_PKGS := chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHECK_ENV := NOT_CRAN=true _R_CHECK_CRAN_INCOMING_=false \
	_R_CHECK_CRAN_INCOMING_REMOTE_=false \
	_R_CHECK_SYSTEM_CLOCK_=false \
	_R_CHECK_COMPILATION_FLAGS_KNOWN_="-Wformat -Werror=format-security -Wdate-time"

.PHONY: deps document build install check layout demo report-shot bench bench-scale data sanitize valgrind fuzz attack coverage lint clean spc-crosscheck bench-suppress rounding

deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
	    --no-install-recommends $$missing; \
	else \
	  echo "All dependencies are installed."; \
	fi
	@# a British locale, so that the tests can check that group order does
	@# not follow the locale's collation
	@locale -a 2>/dev/null | grep -qi '^en_GB.utf8$$' || $(SUDO) localedef -i en_GB -f UTF-8 en_GB.UTF-8
	@# the browser, Node.js and the npm packages of the accessibility check
	@for p in $(A11Y_DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@[ tools/node_modules/.package-lock.json -nt tools/package-lock.json ] || \
	  npm ci --prefix tools --no-audit --no-fund

document:
	$(RSCRIPT) tools/document.R

build: document
	rm -rf $(CHECKDIR) && mkdir -p $(CHECKDIR)
	cd $(CHECKDIR) && $(R) CMD build ..

install: build
	$(R) CMD INSTALL $(CHECKDIR)/$(TARBALL)

# The tests run against a throw-away PostgreSQL server, and must not skip it.
check: deps build
	cd $(CHECKDIR) && EQUITYAUDIT_REQUIRE_PG=1 $(CHECK_ENV) ../tools/with-postgres.sh \
	  $(R) CMD check --as-cran --no-manual $(TARBALL); \
	  echo "R CMD check exited with $$?"
	@if grep -q '^Status: OK$$' $(CHECKDIR)/$(PKG).Rcheck/00check.log; then \
	  echo "R CMD check: 0 errors, 0 warnings, 0 notes"; \
	else \
	  echo "R CMD check found problems:"; \
	  grep -E '(ERROR|WARNING|NOTE)$$' $(CHECKDIR)/$(PKG).Rcheck/00check.log; \
	  exit 1; \
	fi

# Dependencies one way through the layers, no file much over 400 lines.
layout: deps
	$(RSCRIPT) tools/layout.R

demo: deps install
	$(RSCRIPT) tools/demo.R

bench: deps install
	$(RSCRIPT) bench/national.R
	$(RSCRIPT) bench/tabulate.R
	$(RSCRIPT) bench/exact.R
	$(RSCRIPT) bench/services.R
	$(RSCRIPT) bench/tests.R

# Look at the report as a reader would: a headless Chromium screenshot.
# The demo report as a reader sees it: a phone, a laptop and an A4 page
# (794 px at 96 dpi; also printed to PDF).
report-shot: demo
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }
	for w in 390 794 1366; do \
	  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --window-size=$$w,9000 --screenshot=demo-output/equity-report-$$w.png \
	    file://$(CURDIR)/demo-output/equity-report.html 2>/dev/null; \
	done
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	  --print-to-pdf=demo-output/equity-report.pdf \
	  file://$(CURDIR)/demo-output/equity-report.html 2>/dev/null
	@echo "Wrote demo-output/equity-report-{390,794,1366}.png and equity-report.pdf"

# The report as every reader meets it: its structure, axe-core in headless
# Chromium (no violation of any level) on the demo report and a report of
# hostile labels, and the Word document read back; the reports and axe's
# findings are kept in demo-output/.
.PHONY: a11y
a11y: deps install
	mkdir -p demo-output
	EQUITYAUDIT_A11Y_KEEP=$(CURDIR)/demo-output $(RSCRIPT) -e 'testthat::test_file("tests/testthat/test-report-a11y.R", package = "$(PKG)", load_package = "installed", stop_on_failure = TRUE)'

bench-scale: deps install
	$(RSCRIPT) bench/scale.R

# Suppression at national scale beside the analysis, and the optimal
# search against the greedy one (issue 31).
bench-suppress: deps install
	$(RSCRIPT) bench/suppress.R
	$(RSCRIPT) bench/suppress-optimal.R

data:
	$(RSCRIPT) data-raw/bjpsych.R
	$(RSCRIPT) data-raw/ons_ethnicity.R

sanitize: deps
	bash tools/sanitize.sh

valgrind: deps
	bash tools/valgrind.sh

fuzz: deps install
	EQUITYAUDIT_FUZZ_N=10000 $(RSCRIPT) tools/fuzz.R

# Attack suppressed output with an independent attacker (tools/attack.R).
attack: deps install
	$(RSCRIPT) tools/attack.R

# Inference honest under rounding on 1,000 random tables under each
# threshold rule (make check draws 100): no published verdict contradicts
# the records', no interval misses theirs.
rounding: deps install
	EQUITYAUDIT_ROUNDING_TABLES=1000 $(RSCRIPT) -e "testthat::test_file('tests/testthat/test-rounding.R', package = 'equityaudit', load_package = 'installed')"

# The SPC engine against qicharts2 and NHSRplotthedots, installed from CRAN
# into a library of their own (not dependencies of the package).
SPC_LIB ?= $(CURDIR)/check/spc-lib
spc-crosscheck: deps install
	mkdir -p $(SPC_LIB)
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends librsvg2-dev >/dev/null
	R_LIBS=$(SPC_LIB) $(RSCRIPT) -e 'for (p in c("qicharts2", "NHSRplotthedots")) if (!requireNamespace(p, quietly = TRUE)) install.packages(p, lib = Sys.getenv("R_LIBS"), repos = "https://cloud.r-project.org")'
	R_LIBS=$(SPC_LIB) $(RSCRIPT) tools/spc-crosscheck.R

coverage: deps
	$(RSCRIPT) tools/coverage.R

lint: deps
	$(RSCRIPT) tools/lint.R

clean:
	rm -rf $(CHECKDIR) demo-output src/*.o src/*.so
