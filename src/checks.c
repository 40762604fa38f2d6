/* checks.c: how compiled code checks what R passes to it, and reports a
 * state that should never happen.  Every entry point checks the type and
 * length of its arguments (R builds them, so a mismatch is a bug in the
 * package); the report is raised by the package's R function
 * abort_internal(), so that it is an error of class
 * equityaudit_error_internal like every other classed error. */
#include "equityaudit.h"
#include <stdarg.h>
#include <stdio.h>

void ea_internal_error(const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  SEXP name = PROTECT(Rf_mkString("equityaudit"));
  SEXP ns = PROTECT(R_FindNamespace(name));
  SEXP text = PROTECT(Rf_mkString(msg));
  SEXP call = PROTECT(Rf_lang2(Rf_install("abort_internal"), text));
  Rf_eval(call, ns);
  UNPROTECT(4);
  Rf_error("internal error in equityaudit: %s", msg); /* not reached */
}

/* x must be of `type` and, unless len < 0, of length len */
void ea_check_vector(SEXP x, SEXPTYPE type, R_xlen_t len, const char *what) {
  if (TYPEOF(x) != type) {
    ea_internal_error("%s must be of type %s, not %s", what,
                      Rf_type2char(type), Rf_type2char(TYPEOF(x)));
  }
  if (len >= 0 && XLENGTH(x) != len) {
    ea_internal_error("%s must have length %.0f, not %.0f", what,
                      (double) len, (double) XLENGTH(x));
  }
}

/* dims: an integer vector of n non-negative dimensions */
void ea_check_dims(SEXP dims, int n, const char *what) {
  ea_check_vector(dims, INTSXP, n, what);
  for (int i = 0; i < n; ++i) {
    if (INTEGER_RO(dims)[i] == NA_INTEGER || INTEGER_RO(dims)[i] < 0) {
      ea_internal_error("%s must be non-negative dimensions", what);
    }
  }
}

/* the number of cells of an array of dimensions dims */
R_xlen_t ea_dims_product(SEXP dims) {
  double p = 1.0;
  for (R_xlen_t i = 0; i < XLENGTH(dims); ++i) p *= INTEGER_RO(dims)[i];
  if (p > (double) R_XLEN_T_MAX) ea_internal_error("dimensions too large");
  return (R_xlen_t) p;
}

int ea_thread_count(SEXP threads) {
  ea_check_vector(threads, INTSXP, 1, "threads");
  int t = INTEGER_RO(threads)[0];
  if (t == NA_INTEGER || t < 1) ea_internal_error("threads must be a positive count");
#ifdef _OPENMP
  /* never more threads than the machine has processors: each thread of
   * the counting keeps a count array of its own */
  int limit = omp_get_thread_limit(), procs = omp_get_num_procs();
  if (procs >= 1 && procs < limit) limit = procs;
  return t < limit ? t : limit;
#else
  return 1;
#endif
}
