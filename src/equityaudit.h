/* equityaudit.h: shared includes and the prototypes of every .Call entry
 * point; the registration table lives in init.c. */
#ifndef EQUITYAUDIT_H
#define EQUITYAUDIT_H

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <Rmath.h>
#include <stdint.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* how many records are processed between two interrupt checks */
#define EA_INTERRUPT_EVERY ((R_xlen_t) 1 << 20)

/* the largest matrix of a Cochran-Mantel-Haenszel test, in doubles (2^25:
 * 256 MB); R's cmh_statistic() refuses larger tables with a classed error */
#define EA_CMH_MAX_CELLS 33554432.0

/* tolerance on the log probability for "no more probable than the
 * observed table": that of fisher.test()'s network algorithm (FEXACT);
 * shared by the exact test and its Monte-Carlo fallback */
#define EA_LOG_TOL 3.4525e-7

/* log(i!) for i = 0..n into lf: lgammafn() every 256 entries and
 * compensated (Kahan) sums of logs between them, so the error never builds
 * up over millions of terms (a running sum alone drifts by parts in 10^7
 * at n = 4 million); each entry is then within a few units in the last
 * place, as lgammafn() is */
static inline void ea_log_factorials(double *lf, R_xlen_t n) {
  double sum = 0.0, carry = 0.0;
  lf[0] = 0.0;
  for (R_xlen_t i = 1; i <= n; ++i) {
    if ((i & 255) == 0) {
      sum = lgammafn((double) i + 1.0);
      carry = 0.0;
    } else {
      double y = log((double) i) - carry;
      double t = sum + y;
      carry = (t - sum) - y;
      sum = t;
    }
    lf[i] = sum;
  }
}

/* checks.c: the one report of a state that should never happen (an error
 * of class equityaudit_error_internal), and checks of what R passes in */
void ea_internal_error(const char *fmt, ...);
void ea_check_vector(SEXP x, SEXPTYPE type, R_xlen_t len, const char *what);
void ea_check_dims(SEXP dims, int n, const char *what);
/* the number of threads to use: `threads` (from R's
 * options(equityaudit.threads)) within the OpenMP thread limit; 1 in a
 * build without OpenMP */
int ea_thread_count(SEXP threads);
R_xlen_t ea_dims_product(SEXP dims);

SEXP ea_tabulate(SEXP columns, SEXP kinds, SEXP nlevels, SEXP weights,
                 SEXP sums, SEXP max_dense, SEXP threads);
SEXP ea_group_moments(SEXP columns, SEXP kinds, SEXP nlevels, SEXP x);
SEXP ea_chisq(SEXP counts, SEXP dims, SEXP correct, SEXP threads);
SEXP ea_chisq_gof(SEXP counts, SEXP probs, SEXP dims);
SEXP ea_exact_2xk(SEXP events, SEXP totals, SEXP dims, SEXP budget);
SEXP ea_monte_carlo(SEXP x, SEXP dims, SEXP B, SEXP by_probability);
SEXP ea_cmh(SEXP x, SEXP dims, SEXP correct);
SEXP ea_first_bad_count(SEXP w);
SEXP ea_interval_bounds(SEXP lo, SEXP hi, SEXP start, SEXP cells, SEXP max_iter);
SEXP ea_connected_parts(SEXP start, SEXP cells, SEXP n);
SEXP ea_simulate_rates(SEXP events, SEXP totals, SEXP sims, SEXP poisson);
SEXP ea_tost_newcombe(SEXP e1, SEXP n1, SEXP e2, SEXP n2, SEXP margin);
SEXP ea_siphash(SEXP key, SEXP msg);
SEXP ea_cell_key_hash(SEXP sums, SEXP secret);

#endif
