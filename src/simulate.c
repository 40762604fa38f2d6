/* simulate.c: parametric simulation of group rates, for the intervals of
 * inequality measures. Counts are drawn from R's RNG (binomial for shares
 * of a group, Poisson for rates per population), so set.seed() reproduces
 * every interval. */
#include "equityaudit.h"

/* One draw of a group's count. */
static double draw_count(double events, double total, int poisson) {
  if (poisson) return Rf_rpois(events);
  if (total <= 0) return 0;
  return Rf_rbinom(total, events / total);
}

/* ea_simulate_rates(events, totals, sims, poisson): a sims x k matrix of
 * simulated rates per 100 (events / totals), k groups. */
SEXP ea_simulate_rates(SEXP events, SEXP totals, SEXP sims, SEXP poisson) {
  ea_check_vector(events, REALSXP, -1, "ea_simulate_rates: events");
  R_xlen_t k = XLENGTH(events);
  ea_check_vector(totals, REALSXP, k, "ea_simulate_rates: totals");
  ea_check_vector(sims, INTSXP, 1, "ea_simulate_rates: sims");
  ea_check_vector(poisson, LGLSXP, 1, "ea_simulate_rates: poisson");
  int b = INTEGER_RO(sims)[0];
  int pois = LOGICAL_RO(poisson)[0] == 1;
  if (b < 1 || b == NA_INTEGER) ea_internal_error("ea_simulate_rates: sims must be positive");
  const double *e = REAL(events), *t = REAL(totals);
  SEXP out = PROTECT(Rf_allocMatrix(REALSXP, b, (int) k));
  double *o = REAL(out);
  GetRNGstate();
  for (int s = 0; s < b; s++) {
    if ((s & 1023) == 1023) R_CheckUserInterrupt();
    for (R_xlen_t j = 0; j < k; j++) {
      double draw = draw_count(e[j], t[j], pois);
      o[s + (R_xlen_t) b * j] = t[j] > 0 ? 100.0 * draw / t[j] : NA_REAL;
    }
  }
  PutRNGstate();
  UNPROTECT(1);
  return out;
}
