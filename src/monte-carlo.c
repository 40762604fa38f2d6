/* monte-carlo.c: Monte-Carlo p-values of r x c tables with fixed margins:
 * of the Pearson statistic (chisq.test(simulate.p.value = TRUE)), or of
 * the table probability (the simulated Freeman-Halton p-value, the
 * fallback of exact tests too long to enumerate).
 *
 * Monte-Carlo test.  Random tables with the observed margins are drawn by
 * sequential conditional hypergeometric sampling (each cell given the
 * cells before it, the decomposition behind Patefield's AS 159), using R's
 * random number generator, so set.seed() reproduces the result.  The
 * p-value is (1 + #{X^2_b >= X^2_obs}) / (B + 1), as in
 * stats::chisq.test(simulate.p.value = TRUE).
 */
#include "equityaudit.h"
#include <float.h>
#include <limits.h>

/* one random table with row totals sr and column totals sc into tab */
static void random_table(int nr, int nc, const int *sr, const int *sc,
                         int *col_left, int *tab) {
  memcpy(col_left, sc, nc * sizeof(int));
  int rest_total = 0;
  for (int j = 0; j < nc; ++j) rest_total += sc[j];
  for (int i = 0; i < nr - 1; ++i) {
    int need = sr[i], pool = rest_total;
    for (int j = 0; j < nc - 1; ++j) {
      pool -= col_left[j];
      int v = need == 0 ? 0 : (int) Rf_rhyper(col_left[j], pool, need);
      tab[i + j * nr] = v;
      need -= v;
      col_left[j] -= v;
    }
    tab[i + (nc - 1) * nr] = need;
    col_left[nc - 1] -= need;
    rest_total -= sr[i];
  }
  for (int j = 0; j < nc; ++j) tab[nr - 1 + j * nr] = col_left[j];
}

static double pearson_stat(int nr, int nc, const int *tab, const double *e) {
  double s = 0.0;
  for (int c = 0; c < nr * nc; ++c) {
    if (e[c] > 0) {
      double d = tab[c] - e[c];
      s += d * d / e[c];
    }
  }
  return s;
}

/* sum of log(x!) over the cells: minus the log probability of the table,
 * up to a constant given the margins */
static double sum_log_factorial(int cells, const int *tab, const double *lf) {
  double s = 0.0;
  for (int c = 0; c < cells; ++c) s += lf != NULL ? lf[tab[c]] : lgammafn(tab[c] + 1.0);
  return s;
}

/* x: integer nr x nc table with no empty row or column, of fewer than
 * 2^31 people (checked in R); B draws.
 * by_probability FALSE: tables at least as extreme in the Pearson
 * statistic (chisq.test()); TRUE: tables no more probable than the
 * observed one, with fisher.test()'s relative tolerance (the Monte-Carlo
 * Freeman-Halton p-value). */
SEXP ea_monte_carlo(SEXP x, SEXP dims, SEXP B_, SEXP by_probability) {
  ea_check_dims(dims, 2, "ea_monte_carlo: dims");
  ea_check_vector(x, INTSXP, ea_dims_product(dims), "ea_monte_carlo: x");
  ea_check_vector(B_, REALSXP, 1, "ea_monte_carlo: B");
  ea_check_vector(by_probability, LGLSXP, 1, "ea_monte_carlo: by_probability");
  int nr = INTEGER_RO(dims)[0], nc = INTEGER_RO(dims)[1];
  double B = REAL_RO(B_)[0];
  const int *obs = INTEGER_RO(x);
  int *sr = (int *) R_alloc(nr, sizeof(int));
  int *sc = (int *) R_alloc(nc, sizeof(int));
  double n = 0;
  for (R_xlen_t c = 0; c < (R_xlen_t) nr * nc; ++c) {
    if (obs[c] < 0) ea_internal_error("ea_monte_carlo: negative count");
    n += obs[c];
  }
  /* the margins, and the running totals of random_table(), are ints */
  if (n > INT_MAX) ea_internal_error("ea_monte_carlo: 2^31 people or more");
  memset(sr, 0, nr * sizeof(int));
  memset(sc, 0, nc * sizeof(int));
  for (int j = 0; j < nc; ++j) {
    for (int i = 0; i < nr; ++i) {
      sr[i] += obs[i + j * nr];
      sc[j] += obs[i + j * nr];
    }
  }
  double *e = (double *) R_alloc((size_t) nr * nc, sizeof(double));
  for (int j = 0; j < nc; ++j) {
    for (int i = 0; i < nr; ++i) e[i + j * nr] = (double) sr[i] * sc[j] / n;
  }
  int *tab = (int *) R_alloc((size_t) nr * nc, sizeof(int));
  int *col_left = (int *) R_alloc(nc, sizeof(int));
  int by_prob = LOGICAL_RO(by_probability)[0] == 1;
  double *lf = NULL;
  if (by_prob && n <= 1e7) {
    lf = (double *) R_alloc((size_t) n + 1, sizeof(double));
    ea_log_factorials(lf, (R_xlen_t) n);
  }
  double stat_obs = by_prob ? sum_log_factorial(nr * nc, obs, lf) - EA_LOG_TOL
                            : pearson_stat(nr, nc, obs, e);
  double almost_one = 1.0 - 64.0 * DBL_EPSILON;
  double hits = 0;
  GetRNGstate();
  for (double b = 0; b < B; ++b) {
    if (((R_xlen_t) b + 1) % 1024 == 0) {
      PutRNGstate();
      R_CheckUserInterrupt();
      GetRNGstate();
    }
    random_table(nr, nc, sr, sc, col_left, tab);
    if (by_prob) {
      if (sum_log_factorial(nr * nc, tab, lf) >= stat_obs) ++hits;
    } else if (pearson_stat(nr, nc, tab, e) >= almost_one * stat_obs) {
      ++hits;
    }
  }
  PutRNGstate();
  return Rf_ScalarReal((1.0 + hits) / (B + 1.0));
}
