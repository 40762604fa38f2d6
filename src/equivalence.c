/* equivalence.c: the p-value of the two one-sided tests of equivalence
 * (TOST) of two proportions built on Newcombe's hybrid score interval
 * (method 10) of their difference, as R/stats-intervals.R defines it: for
 * each margin, the normal quantile z at which the interval's limit on the
 * margin's side reaches the margin, found by halving [0, 40] 52 times (the
 * spacing of doubles near z), then the one-sided p-value at z.  The same
 * arithmetic, in the same order, as the R definition, one pair at a time
 * instead of one halving of every pair at a time. */
#include "equityaudit.h"

/* Wilson score limits of k / n at the normal quantile z */
static void wilson(double k, double n, double z, double *low, double *high) {
  double p = k / n;
  double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  double half = z * sqrt(p * (1 - p) / n + z * z / (4 * (n * n))) / (1 + z * z / n);
  *low = fmax(0.0, centre - half);
  *high = fmin(1.0, centre + half);
}

/* Newcombe's limit of p1 - p2 at z: the upper one when up, else the lower */
static double newcombe_limit(double e1, double n1, double e2, double n2,
                             double z, int up) {
  double p1 = e1 / n1, p2 = e2 / n2, d = p1 - p2;
  double l1, h1, l2, h2;
  wilson(e1, n1, z, &l1, &h1);
  wilson(e2, n2, z, &l2, &h2);
  if (up) return d + sqrt((h1 - p1) * (h1 - p1) + (p2 - l2) * (p2 - l2));
  return d - sqrt((p1 - l1) * (p1 - l1) + (h2 - p2) * (h2 - p2));
}

/* p-value against the difference lying beyond `bound` */
static double one_sided(double e1, double n1, double e2, double n2, double bound) {
  double d = e1 / n1 - e2 / n2;
  if (ISNAN(d)) return NA_REAL;
  if (d == bound) return 0.5;
  double towards = bound > d ? 1.0 : -1.0;
  double lo = 0.0, hi = 40.0;
  for (int i = 0; i < 52; ++i) {
    double mid = (lo + hi) / 2;
    double at = newcombe_limit(e1, n1, e2, n2, mid, towards > 0);
    if (towards * (at - bound) >= 0) hi = mid;
    else lo = mid;
  }
  double z = (lo + hi) / 2;
  int inside = (bound > 0 ? 1.0 : (bound < 0 ? -1.0 : 0.0)) * (bound - d) > 0;
  return Rf_pnorm5(z, 0.0, 1.0, inside ? 0 : 1, 0);
}

/* events and sizes of the pairs (doubles, length n each) and the margin:
 * the TOST p-value of each pair, NA where a size is 0 */
SEXP ea_tost_newcombe(SEXP e1, SEXP n1, SEXP e2, SEXP n2, SEXP margin) {
  R_xlen_t n = XLENGTH(e1);
  ea_check_vector(e1, REALSXP, n, "ea_tost_newcombe: e1");
  ea_check_vector(n1, REALSXP, n, "ea_tost_newcombe: n1");
  ea_check_vector(e2, REALSXP, n, "ea_tost_newcombe: e2");
  ea_check_vector(n2, REALSXP, n, "ea_tost_newcombe: n2");
  ea_check_vector(margin, REALSXP, 1, "ea_tost_newcombe: margin");
  double m = REAL_RO(margin)[0];
  SEXP out = PROTECT(Rf_allocVector(REALSXP, n));
  const double *a = REAL_RO(e1), *b = REAL_RO(n1), *c = REAL_RO(e2), *d = REAL_RO(n2);
  double *p = REAL(out);
  for (R_xlen_t i = 0; i < n; ++i) {
    if ((i + 1) % 65536 == 0) R_CheckUserInterrupt();
    double lower = one_sided(a[i], b[i], c[i], d[i], -m);
    double upper = one_sided(a[i], b[i], c[i], d[i], m);
    p[i] = ISNAN(lower) || ISNAN(upper) ? NA_REAL : fmax(lower, upper);
  }
  UNPROTECT(1);
  return out;
}
