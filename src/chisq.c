/* chisq.c: chi-square statistics for a stack of tables.
 *
 * Owns the Pearson X^2 test of independence/homogeneity (with the optional
 * Yates correction for 2 x 2 tables), the likelihood-ratio G^2 statistic,
 * expected counts, Pearson and adjusted (standardised) residuals, and the
 * goodness-of-fit test against given proportions.  The formulas and their
 * order of evaluation follow stats::chisq.test() so that results agree to
 * rounding.  Rows or columns whose total is zero are left out of the test
 * (and out of its degrees of freedom) instead of producing NaN.
 */
#include "equityaudit.h"

typedef struct {
  double statistic, df, p_value, g_statistic, g_p_value, min_expected, n;
  int below_5, rows_used, cols_used;
} chisq_result;

static void margins(const double *x, int nr, int nc, double *sr, double *sc,
                    double *n) {
  long double tot = 0.0;
  for (int i = 0; i < nr; ++i) sr[i] = 0.0;
  for (int j = 0; j < nc; ++j) {
    long double cs = 0.0;
    for (int i = 0; i < nr; ++i) {
      cs += x[i + j * nr];
      sr[i] += x[i + j * nr];
    }
    sc[j] = (double) cs;
    tot += cs;
  }
  *n = (double) tot;
}

static int count_positive(const double *v, int len) {
  int m = 0;
  for (int i = 0; i < len; ++i) m += v[i] > 0;
  return m;
}

/* smallest |x - E| over the used cells, for the Yates correction */
static double yates_shift(const double *x, const double *e, const double *sr,
                          const double *sc, int nr, int nc) {
  double shift = 0.5;
  for (int j = 0; j < nc; ++j) {
    for (int i = 0; i < nr; ++i) {
      if (sr[i] > 0 && sc[j] > 0) {
        double d = fabs(x[i + j * nr] - e[i + j * nr]);
        if (d < shift) shift = d;
      }
    }
  }
  return shift;
}

/* Upper tail of the chi-square distribution with a whole number of
 * degrees of freedom, by the finite series of the Poisson tail: for even
 * df, exp(-h) sum_{i < df/2} h^i / i!; for odd df, erfc(sqrt(h)) + exp(-h)
 * sum_{i = 1}^{(df-1)/2} h^(i - 1/2) / Gamma(i + 1/2), with h = x / 2.
 * Every term is positive, so the sum is exact to a few units in the last
 * place (pchisq() agrees to 1e-13); NaN outside the range where the terms
 * neither underflow nor overflow, and then pchisq() is used.  Needs no R
 * API, so threads may call it. */
static double chisq_upper(double x, double df) {
  if (ISNAN(x) || x < 0 || x > 1000 || df < 1 || df > 100 || df != floor(df)) return NAN;
  double h = x / 2.0, sum = 0.0;
  if (fmod(df, 2.0) == 0.0) {
    double term = 1.0;
    sum = 1.0;
    for (int i = 1; i < (int) df / 2; ++i) {
      term *= h / i;
      sum += term;
    }
    return exp(-h) * sum;
  }
  double term = sqrt(h) / (M_SQRT_PI / 2.0);
  for (int i = 1; i <= ((int) df - 1) / 2; ++i) {
    sum += term;
    term *= h / (i + 0.5);
  }
  return erfc(sqrt(h)) + exp(-h) * sum;
}

/* One r x c table: fills e, res, stdres (NA where the row or column is
 * empty) and the summary. */
static void chisq_table(const double *x, int nr, int nc, int correct,
                        double *sr, double *sc, double *e, double *res,
                        double *stdres, chisq_result *out) {
  double n;
  margins(x, nr, nc, sr, sc, &n);
  out->n = n;
  out->rows_used = count_positive(sr, nr);
  out->cols_used = count_positive(sc, nc);
  out->min_expected = R_PosInf;
  out->below_5 = 0;
  for (int j = 0; j < nc; ++j) {
    for (int i = 0; i < nr; ++i) {
      int c = i + j * nr;
      int used = sr[i] > 0 && sc[j] > 0;
      e[c] = n > 0 ? sr[i] * sc[j] / n : 0.0;
      if (!used) {
        res[c] = NA_REAL;
        stdres[c] = NA_REAL;
        continue;
      }
      double v = sc[j] * sr[i] * (n - sr[i]) * (n - sc[j]) / (n * n * n);
      res[c] = (x[c] - e[c]) / sqrt(e[c]);
      stdres[c] = (x[c] - e[c]) / sqrt(v);
      if (e[c] < out->min_expected) out->min_expected = e[c];
      out->below_5 += e[c] < 5;
    }
  }
  if (out->rows_used < 2 || out->cols_used < 2) {
    out->statistic = out->g_statistic = NA_REAL;
    out->p_value = out->g_p_value = NA_REAL;
    out->df = 0;
    if (out->rows_used == 0 || out->cols_used == 0) out->min_expected = NA_REAL;
    return;
  }
  double shift = 0.0;
  if (correct && out->rows_used == 2 && out->cols_used == 2) {
    shift = yates_shift(x, e, sr, sc, nr, nc);
  }
  long double stat = 0.0, g = 0.0;
  for (int j = 0; j < nc; ++j) {
    for (int i = 0; i < nr; ++i) {
      int c = i + j * nr;
      if (sr[i] <= 0 || sc[j] <= 0) continue;
      double d = fabs(x[c] - e[c]) - shift;
      stat += d * d / e[c];
      if (x[c] > 0) g += x[c] * log(x[c] / e[c]);
    }
  }
  out->statistic = (double) stat;
  out->g_statistic = 2.0 * (double) g;
  out->df = (double) (out->rows_used - 1) * (out->cols_used - 1);
  /* NaN where the series does not apply: chisq_p_values() then asks Rmath */
  out->p_value = chisq_upper(out->statistic, out->df);
  out->g_p_value = chisq_upper(out->g_statistic, out->df);
}

/* The p-values the series left out, for strata [from, to), from Rmath's
 * pchisq(), which may warn: only the main thread may call it. */
static void chisq_p_values(double **col, R_xlen_t from, R_xlen_t to) {
  for (R_xlen_t k = from; k < to; ++k) {
    if (ISNAN(col[0][k])) continue;
    if (ISNAN(col[2][k])) col[2][k] = Rf_pchisq(col[0][k], col[1][k], 0, 0);
    if (ISNAN(col[4][k])) col[4][k] = Rf_pchisq(col[3][k], col[1][k], 0, 0);
  }
}

static const char *summary_names[] = {
  "statistic", "df", "p_value", "g_statistic", "g_p_value", "min_expected",
  "n_expected_below_5", "n", "rows_used", "cols_used", ""
};
#define N_SUMMARY 10

static SEXP alloc_summary(R_xlen_t nstrata) {
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, summary_names));
  for (int s = 0; s < N_SUMMARY; ++s) {
    SET_VECTOR_ELT(out, s, Rf_allocVector(REALSXP, nstrata));
  }
  UNPROTECT(1);
  return out;
}

/* the summary's columns, so that threads store results without touching R */
static void summary_columns(SEXP summary, double **col) {
  for (int s = 0; s < N_SUMMARY; ++s) col[s] = REAL(VECTOR_ELT(summary, s));
}

static void store_summary(double **col, R_xlen_t k, const chisq_result *r) {
  double v[N_SUMMARY] = {r->statistic, r->df, r->p_value, r->g_statistic,
                         r->g_p_value, r->min_expected, (double) r->below_5,
                         r->n, (double) r->rows_used, (double) r->cols_used};
  for (int s = 0; s < N_SUMMARY; ++s) col[s][k] = v[s];
}

/* list(summary, expected, residuals, stdres) for nstrata strata of
 * `cells` cells each */
static SEXP alloc_result(R_xlen_t nstrata, R_xlen_t cells) {
  const char *names[] = {"summary", "expected", "residuals", "stdres", ""};
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, names));
  SET_VECTOR_ELT(out, 0, alloc_summary(nstrata));
  for (int i = 1; i < 4; ++i) {
    SET_VECTOR_ELT(out, i, Rf_allocVector(REALSXP, cells * nstrata));
  }
  UNPROTECT(1);
  return out;
}

/* strata between two interrupt checks */
#define EA_STRATA_BLOCK ((R_xlen_t) 1 << 16)

/* counts: double array nr x nc x nstrata; dims = c(nr, nc, nstrata);
 * threads: see ea_thread_count().  The strata are independent, so threads
 * take them in turn; each result is the same whichever thread computes it.
 * Returns list(summary, expected, residuals, stdres). */
SEXP ea_chisq(SEXP counts, SEXP dims, SEXP correct, SEXP threads) {
  int nprot = 0;
  ea_check_dims(dims, 3, "ea_chisq: dims");
  ea_check_vector(counts, REALSXP, ea_dims_product(dims), "ea_chisq: counts");
  ea_check_vector(correct, LGLSXP, 1, "ea_chisq: correct");
  int nr = INTEGER_RO(dims)[0], nc = INTEGER_RO(dims)[1];
  R_xlen_t nstrata = (R_xlen_t) INTEGER_RO(dims)[2];
  R_xlen_t cells = (R_xlen_t) nr * nc;
  int corr = LOGICAL_RO(correct)[0] == 1;
  int nt = nstrata >= 1024 ? ea_thread_count(threads) : 1;

  SEXP out = PROTECT(alloc_result(nstrata, cells)); ++nprot;
  double *col[N_SUMMARY];
  summary_columns(VECTOR_ELT(out, 0), col);
  double *e = REAL(VECTOR_ELT(out, 1));
  double *res = REAL(VECTOR_ELT(out, 2));
  double *std = REAL(VECTOR_ELT(out, 3));
  double *sr = (double *) R_alloc((size_t) nt * nr, sizeof(double));
  double *sc = (double *) R_alloc((size_t) nt * nc, sizeof(double));
  const double *x = REAL_RO(counts);
  for (R_xlen_t block = 0; block < nstrata; block += EA_STRATA_BLOCK) {
    R_xlen_t end = nstrata - block < EA_STRATA_BLOCK ? nstrata : block + EA_STRATA_BLOCK;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static)
#endif
    for (R_xlen_t k = block; k < end; ++k) {
      int t = 0;
#ifdef _OPENMP
      t = omp_get_thread_num();
#endif
      chisq_result r;
      R_xlen_t off = k * cells;
      chisq_table(x + off, nr, nc, corr, sr + (size_t) t * nr, sc + (size_t) t * nc,
                  e + off, res + off, std + off, &r);
      store_summary(col, k, &r);
    }
    chisq_p_values(col, block, end);
    R_CheckUserInterrupt();
  }
  UNPROTECT(nprot);
  return out;
}

/* One goodness-of-fit test: observed x[0..k) against proportions p. */
static void gof_table(const double *x, const double *p, int k, double *e,
                      double *res, double *stdres, chisq_result *out) {
  long double tot = 0.0;
  for (int i = 0; i < k; ++i) tot += x[i];
  double n = (double) tot;
  long double stat = 0.0, g = 0.0;
  int used = 0;
  out->min_expected = R_PosInf;
  out->below_5 = 0;
  for (int i = 0; i < k; ++i) {
    e[i] = n * p[i];
    if (p[i] <= 0) {
      res[i] = stdres[i] = NA_REAL;
      continue;
    }
    ++used;
    double d = x[i] - e[i];
    res[i] = d / sqrt(e[i]);
    stdres[i] = d / sqrt(n * p[i] * (1 - p[i]));
    stat += d * d / e[i];
    if (x[i] > 0) g += x[i] * log(x[i] / e[i]);
    if (e[i] < out->min_expected) out->min_expected = e[i];
    out->below_5 += e[i] < 5;
  }
  out->n = n;
  out->rows_used = used;
  out->cols_used = 1;
  out->df = used - 1;
  if (used < 2 || n <= 0) {
    out->statistic = out->g_statistic = out->p_value = out->g_p_value = NA_REAL;
    return;
  }
  out->statistic = (double) stat;
  out->g_statistic = 2.0 * (double) g;
  out->p_value = Rf_pchisq(out->statistic, out->df, 0, 0);
  out->g_p_value = Rf_pchisq(out->g_statistic, out->df, 0, 0);
}

/* counts, probs: double k x nstrata; dims = c(k, nstrata). Categories with
 * probability zero must have zero counts (checked in R). */
SEXP ea_chisq_gof(SEXP counts, SEXP probs, SEXP dims) {
  int nprot = 0;
  ea_check_dims(dims, 2, "ea_chisq_gof: dims");
  ea_check_vector(counts, REALSXP, ea_dims_product(dims), "ea_chisq_gof: counts");
  ea_check_vector(probs, REALSXP, XLENGTH(counts), "ea_chisq_gof: probs");
  int k = INTEGER_RO(dims)[0];
  R_xlen_t nstrata = (R_xlen_t) INTEGER_RO(dims)[1];
  SEXP out = PROTECT(alloc_result(nstrata, k)); ++nprot;
  double *col[N_SUMMARY];
  summary_columns(VECTOR_ELT(out, 0), col);
  double *e = REAL(VECTOR_ELT(out, 1));
  double *res = REAL(VECTOR_ELT(out, 2));
  double *std = REAL(VECTOR_ELT(out, 3));
  for (R_xlen_t s = 0; s < nstrata; ++s) {
    chisq_result r;
    R_xlen_t off = s * k;
    gof_table(REAL_RO(counts) + off, REAL_RO(probs) + off, k, e + off,
              res + off, std + off, &r);
    store_summary(col, s, &r);
  }
  UNPROTECT(nprot);
  return out;
}
