/* cmh.c: the Cochran-Mantel-Haenszel test across strata.
 *
 * Owns the generalized CMH statistic for an I x J x K table (Landis, Heyman
 * and Koch 1978), as in stats::mantelhaen.test(): the observed counts of
 * the first (I-1)(J-1) cells summed over strata, their expectations and
 * covariance under conditional independence given each stratum's margins,
 * and the quadratic form solved by a Cholesky factorisation.  For 2 x 2 x K
 * tables the optional continuity correction is that of mantelhaen.test().
 * Strata with fewer than two people carry no information and are skipped.
 *
 * With two outcome columns (I x 2 x K) the covariance is a diagonal minus
 * one rank-one term per stratum, V = A - sum_k w_k u_k u_k' (u_k the
 * stratum's group sizes), so with many groups and few strata the quadratic
 * form is solved by the Woodbury identity in O(I K^2 + K^3) instead of
 * factorising the I x I matrix.  The sums O - E are accumulated in long
 * double, as R's sum() does, and the continuity correction of a 2 x 2 x K
 * table is applied when |O - E| >= 0.5 up to the rounding of the sum, so
 * that a difference of exactly 0.5 is corrected in either orientation.
 */
#include "equityaudit.h"
#include <stdint.h>
#include <float.h>

/* adds stratum x (I x J) to the sums d = O - E and the covariance V */
static void add_stratum(const double *x, int I, int J, double *sr,
                        double *sc, long double *d, double *V) {
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
  R_xlen_t D = (R_xlen_t) (I - 1) * (J - 1);
  double denom = n * n * (n - 1);
  for (int j = 0; j < J - 1; ++j) {
    for (int i = 0; i < I - 1; ++i) {
      R_xlen_t a = i + (R_xlen_t) j * (I - 1);
      d[a] += x[i + j * I] - sr[i] * sc[j] / n;
      for (int j2 = 0; j2 < J - 1; ++j2) {
        for (int i2 = 0; i2 < I - 1; ++i2) {
          R_xlen_t b = i2 + (R_xlen_t) j2 * (I - 1);
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
static int cholesky_solve(double *V, double *d, R_xlen_t D) {
  double scale = 0;
  for (R_xlen_t a = 0; a < D; ++a) scale = fmax(scale, V[a + a * D]);
  for (R_xlen_t j = 0; j < D; ++j) {
    if (j % 64 == 63) R_CheckUserInterrupt();
    double s = V[j + j * D];
    for (R_xlen_t l = 0; l < j; ++l) s -= V[j + l * D] * V[j + l * D];
    if (!(s > 1e-10 * scale)) return 0;
    V[j + j * D] = sqrt(s);
    for (R_xlen_t i = j + 1; i < D; ++i) {
      double t = V[i + j * D];
      for (R_xlen_t l = 0; l < j; ++l) t -= V[i + l * D] * V[j + l * D];
      V[i + j * D] = t / V[j + j * D];
    }
  }
  for (R_xlen_t i = 0; i < D; ++i) {
    double t = d[i];
    for (R_xlen_t l = 0; l < i; ++l) t -= V[i + l * D] * d[l];
    d[i] = t / V[i + i * D];
  }
  for (R_xlen_t i = D - 1; i >= 0; --i) {
    double t = d[i];
    for (R_xlen_t l = i + 1; l < D; ++l) t -= V[l + i * D] * d[l];
    d[i] = t / V[i + i * D];
  }
  return 1;
}

/* I x 2 x K by the Woodbury identity. x: the strata; d: O - E of the
 * first D = I - 1 groups, filled here. Returns the statistic, or NA when
 * V is singular. */
static double cmh_woodbury(const double *x, int I, R_xlen_t K,
                           long double *d, double *used) {
  int D = I - 1;
  double *A = (double *) R_alloc(D, sizeof(double));
  memset(A, 0, D * sizeof(double));
  /* informative strata (n >= 2 and both outcomes present), by index: their
   * group sizes u_k are read from x, not copied */
  R_xlen_t Kw = 0;
  for (R_xlen_t k = 0; k < K; ++k) {
    const double *xs = x + k * 2 * (R_xlen_t) I;
    double c0 = 0, c1 = 0;
    for (int i = 0; i < I; ++i) {
      c0 += xs[i];
      c1 += xs[i + I];
    }
    if (c0 + c1 >= 2) *used += 1;
    if (c0 + c1 >= 2 && c0 > 0 && c1 > 0) ++Kw;
  }
  R_xlen_t *at = (R_xlen_t *) R_alloc(Kw > 0 ? Kw : 1, sizeof(R_xlen_t));
  double *w = (double *) R_alloc(Kw > 0 ? Kw : 1, sizeof(double));
  R_xlen_t col = 0;
  for (R_xlen_t k = 0; k < K; ++k) {
    if (k % 1024 == 1023) R_CheckUserInterrupt();
    const double *xs = x + k * 2 * (R_xlen_t) I;
    double c0 = 0, c1 = 0;
    for (int i = 0; i < I; ++i) {
      c0 += xs[i];
      c1 += xs[i + I];
    }
    double n = c0 + c1;
    if (n < 2) continue;
    for (int i = 0; i < D; ++i) d[i] += xs[i] - (xs[i] + xs[i + I]) * c0 / n;
    if (c0 <= 0 || c1 <= 0) continue;
    double wk = c0 * c1 / (n * n * (n - 1));
    w[col] = wk;
    at[col] = k;
    for (int i = 0; i < D; ++i) A[i] += wk * n * (xs[i] + xs[i + I]);
    ++col;
  }
  double *z = (double *) R_alloc(D, sizeof(double));
  long double q = 0;
  for (int i = 0; i < D; ++i) {
    if (!(A[i] > 0)) return NA_REAL;
    z[i] = (double) d[i] / A[i];
    q += (long double) d[i] * z[i];
  }
  if (Kw == 0) return (double) q;
  /* M = diag(1/w) - U' A^-1 U and b = U' A^-1 d, U's columns the group
   * sizes of the informative strata */
  double *M = (double *) R_alloc((size_t) Kw * Kw, sizeof(double));
  double *b = (double *) R_alloc(Kw, sizeof(double));
  for (R_xlen_t a = 0; a < Kw; ++a) {
    R_CheckUserInterrupt();
    const double *xa = x + at[a] * 2 * (R_xlen_t) I;
    long double sb = 0;
    for (int i = 0; i < D; ++i) sb += (xa[i] + xa[i + I]) * z[i];
    b[a] = (double) sb;
    for (R_xlen_t c = a; c < Kw; ++c) {
      const double *xc = x + at[c] * 2 * (R_xlen_t) I;
      long double s = 0;
      for (int i = 0; i < D; ++i) s += (xa[i] + xa[i + I]) * (xc[i] + xc[i + I]) / A[i];
      double v = (a == c ? 1.0 / w[a] : 0.0) - (double) s;
      M[a + c * Kw] = M[c + a * Kw] = v;
    }
  }
  double *y = (double *) R_alloc(Kw, sizeof(double));
  memcpy(y, b, Kw * sizeof(double));
  if (!cholesky_solve(M, y, Kw)) return NA_REAL;
  for (R_xlen_t a = 0; a < Kw; ++a) q += (long double) b[a] * y[a];
  return (double) q;
}

/* R_alloc() memory is aligned for doubles only; long double needs 16. */
static long double *aligned_long_doubles(int n) {
  char *raw = R_alloc((size_t) n * sizeof(long double) + 16, 1);
  return (long double *) (((uintptr_t) raw + 15) & ~(uintptr_t) 15);
}

/* x: double I x J x K; correct: continuity correction for 2 x 2 x K.
 * Returns c(statistic, df, p_value, strata_used). */
SEXP ea_cmh(SEXP x, SEXP dims, SEXP correct) {
  ea_check_dims(dims, 3, "ea_cmh: dims");
  ea_check_vector(x, REALSXP, ea_dims_product(dims), "ea_cmh: x");
  ea_check_vector(correct, LGLSXP, 1, "ea_cmh: correct");
  int I = INTEGER_RO(dims)[0], J = INTEGER_RO(dims)[1];
  R_xlen_t K = INTEGER_RO(dims)[2];
  /* the dense covariance is D x D, the Woodbury matrix one row and column
   * per informative stratum: cmh_statistic() in R refuses a table whose
   * matrix would exceed EA_CMH_MAX_CELLS doubles (it mirrors this test) */
  int woodbury = J == 2 && I > 2 && (double) K < (double) (I - 1);
  if (!woodbury && (double) (I - 1) * (J - 1) * (I - 1) * (J - 1) > EA_CMH_MAX_CELLS)
    ea_internal_error("ea_cmh: table too large");
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
  long double *d = aligned_long_doubles(D);
  for (int a = 0; a < D; ++a) d[a] = 0;
  if (woodbury) {
    res[0] = cmh_woodbury(REAL_RO(x), I, K, d, &res[3]);
    if (!ISNAN(res[0])) res[2] = Rf_pchisq(res[0], res[1], 0, 0);
    UNPROTECT(1);
    return out;
  }
  double *V = (double *) R_alloc((size_t) D * D, sizeof(double));
  double *sr = (double *) R_alloc(I, sizeof(double));
  double *sc = (double *) R_alloc(J, sizeof(double));
  memset(V, 0, (size_t) D * D * sizeof(double));
  for (R_xlen_t k = 0; k < K; ++k) {
    if (k % 256 == 255) R_CheckUserInterrupt();
    const double *xs = REAL_RO(x) + k * (R_xlen_t) I * J;
    double n = 0;
    for (R_xlen_t c = 0; c < (R_xlen_t) I * J; ++c) n += xs[c];
    if (n < 2) continue;
    add_stratum(xs, I, J, sr, sc, d, V);
    res[3] += 1;
  }
  if (D == 1) {
    double delta = fabs((double) d[0]);
    /* |O - E| is a multiple of 1/n_k per stratum: a sum that is 0.5 in
     * exact arithmetic can land either side of it in floating point, so
     * compare within the rounding error of the sum */
    double scale = 0;
    for (R_xlen_t k = 0; k < K; ++k) {
      const double *xs = REAL_RO(x) + k * 4;
      double n = xs[0] + xs[1] + xs[2] + xs[3];
      if (n >= 2) scale += xs[0] + (xs[0] + xs[2]) * (xs[0] + xs[1]) / n;
    }
    double tol = 64 * DBL_EPSILON * scale;
    int yates = LOGICAL_RO(correct)[0] == 1 && delta >= 0.5 - tol;
    double dev = yates ? fmax(delta - 0.5, 0.0) : delta;
    if (V[0] > 0) res[0] = dev * dev / V[0];
  } else {
    double *y = (double *) R_alloc(D, sizeof(double));
    for (int a = 0; a < D; ++a) y[a] = (double) d[a];
    if (cholesky_solve(V, y, D)) {
      double s = 0;
      for (int a = 0; a < D; ++a) s += (double) d[a] * y[a];
      res[0] = s;
    }
  }
  if (!ISNAN(res[0])) res[2] = Rf_pchisq(res[0], res[1], 0, 0);
  UNPROTECT(1);
  return out;
}
