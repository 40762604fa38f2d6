/* cmh.c: the Cochran-Mantel-Haenszel test across strata.
 *
 * Owns the generalized CMH statistic for an I x J x K table (Landis, Heyman
 * and Koch 1978), as in stats::mantelhaen.test(): the observed counts of
 * the first (I-1)(J-1) cells summed over strata, their expectations and
 * covariance under conditional independence given each stratum's margins,
 * and the quadratic form solved by a Cholesky factorisation.  For 2 x 2 x K
 * tables the optional continuity correction is that of mantelhaen.test().
 * Strata with fewer than two people carry no information and are skipped.
 */
#include "equityaudit.h"

/* adds stratum x (I x J) to the sums d = O - E and the covariance V */
static void add_stratum(const double *x, int I, int J, double *sr,
                        double *sc, double *d, double *V) {
  double n = 0;
  for (int i = 0; i < I; ++i) sr[i] = 0;
  for (int j = 0; j < J; ++j) {
    sc[j] = 0;
    for (int i = 0; i < I; ++i) {
      sr[i] += x[i + j * I];
      sc[j] += x[i + j * I];
      n += x[i + j * I];
    }
  }
  int D = (I - 1) * (J - 1);
  double denom = n * n * (n - 1);
  for (int j = 0; j < J - 1; ++j) {
    for (int i = 0; i < I - 1; ++i) {
      int a = i + j * (I - 1);
      d[a] += x[i + j * I] - sr[i] * sc[j] / n;
      for (int j2 = 0; j2 < J - 1; ++j2) {
        for (int i2 = 0; i2 < I - 1; ++i2) {
          int b = i2 + j2 * (I - 1);
          double vr = sr[i] * ((i == i2) * n - sr[i2]);
          double vc = sc[j] * ((j == j2) * n - sc[j2]);
          V[a + b * D] += vr * vc / denom;
        }
      }
    }
  }
}

/* solves V y = d in place of d by Cholesky; returns 0 if V is not
 * positive definite (to a relative tolerance) */
static int cholesky_solve(double *V, double *d, int D) {
  double scale = 0;
  for (int a = 0; a < D; ++a) scale = fmax(scale, V[a + a * D]);
  for (int j = 0; j < D; ++j) {
    double s = V[j + j * D];
    for (int l = 0; l < j; ++l) s -= V[j + l * D] * V[j + l * D];
    if (!(s > 1e-10 * scale)) return 0;
    V[j + j * D] = sqrt(s);
    for (int i = j + 1; i < D; ++i) {
      double t = V[i + j * D];
      for (int l = 0; l < j; ++l) t -= V[i + l * D] * V[j + l * D];
      V[i + j * D] = t / V[j + j * D];
    }
  }
  for (int i = 0; i < D; ++i) {
    double t = d[i];
    for (int l = 0; l < i; ++l) t -= V[i + l * D] * d[l];
    d[i] = t / V[i + i * D];
  }
  for (int i = D - 1; i >= 0; --i) {
    double t = d[i];
    for (int l = i + 1; l < D; ++l) t -= V[l + i * D] * d[l];
    d[i] = t / V[i + i * D];
  }
  return 1;
}

/* x: double I x J x K; correct: continuity correction for 2 x 2 x K.
 * Returns c(statistic, df, p_value, strata_used). */
SEXP ea_cmh(SEXP x, SEXP dims, SEXP correct) {
  int I = INTEGER_RO(dims)[0], J = INTEGER_RO(dims)[1];
  R_xlen_t K = INTEGER_RO(dims)[2];
  int D = (I - 1) * (J - 1);
  SEXP out = PROTECT(Rf_allocVector(REALSXP, 4));
  double *res = REAL(out);
  res[0] = res[2] = NA_REAL;
  res[1] = D;
  res[3] = 0;
  if (D < 1) {
    UNPROTECT(1);
    return out;
  }
  double *d = (double *) R_alloc(D, sizeof(double));
  double *V = (double *) R_alloc((size_t) D * D, sizeof(double));
  double *sr = (double *) R_alloc(I, sizeof(double));
  double *sc = (double *) R_alloc(J, sizeof(double));
  memset(d, 0, D * sizeof(double));
  memset(V, 0, (size_t) D * D * sizeof(double));
  for (R_xlen_t k = 0; k < K; ++k) {
    const double *xs = REAL_RO(x) + k * I * J;
    double n = 0;
    for (int c = 0; c < I * J; ++c) n += xs[c];
    if (n < 2) continue;
    add_stratum(xs, I, J, sr, sc, d, V);
    res[3] += 1;
  }
  if (D == 1) {
    double delta = fabs(d[0]);
    double yates = (Rf_asLogical(correct) == 1 && delta >= 0.5) ? 0.5 : 0.0;
    if (V[0] > 0) res[0] = (delta - yates) * (delta - yates) / V[0];
  } else {
    double *y = (double *) R_alloc(D, sizeof(double));
    memcpy(y, d, D * sizeof(double));
    if (cholesky_solve(V, y, D)) {
      double s = 0;
      for (int a = 0; a < D; ++a) s += d[a] * y[a];
      res[0] = s;
    }
  }
  if (!ISNAN(res[0])) res[2] = Rf_pchisq(res[0], res[1], 0, 0);
  UNPROTECT(1);
  return out;
}
