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

/* tolerance on the log probability for "no more probable than the
 * observed table": that of fisher.test()'s network algorithm (FEXACT);
 * shared by the exact test and its Monte-Carlo fallback */
#define EA_LOG_TOL 3.4525e-7

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
                 SEXP max_dense, SEXP threads);
SEXP ea_group_moments(SEXP columns, SEXP kinds, SEXP nlevels, SEXP x);
SEXP ea_chisq(SEXP counts, SEXP dims, SEXP correct, SEXP threads);
SEXP ea_chisq_gof(SEXP counts, SEXP probs, SEXP dims);
SEXP ea_exact_2xk(SEXP events, SEXP totals, SEXP dims, SEXP budget);
SEXP ea_monte_carlo(SEXP x, SEXP dims, SEXP B, SEXP by_probability);
SEXP ea_cmh(SEXP x, SEXP dims, SEXP correct);
SEXP ea_first_bad_count(SEXP w);
SEXP ea_interval_bounds(SEXP lo, SEXP hi, SEXP start, SEXP cells, SEXP max_iter);
SEXP ea_simulate_rates(SEXP events, SEXP totals, SEXP sims, SEXP poisson);
SEXP ea_tost_newcombe(SEXP e1, SEXP n1, SEXP e2, SEXP n2, SEXP margin);

#endif
