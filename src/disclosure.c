/* disclosure.c: bounds on the cells of a published table.
 *
 * Owns ea_interval_bounds(), the interval propagation ("shuttle"
 * algorithm) behind suppress_counts() and disclosure_check(): every cell
 * has a range [lo, hi]; each sum total = part_1 + ... + part_m narrows the
 * total to the sum of its parts' ranges and each part to the total's range
 * minus the other parts', until nothing changes.  Counts are whole numbers
 * held as doubles, so the arithmetic is exact; hi may be +Inf. */
#include "equityaudit.h"

/* One pass over one sum; returns 1 if a range changed. */
static int narrow_sum(double *lo, double *hi, const int *cells, int m) {
  int t = cells[0];
  double sum_lo = 0, fin_hi = 0;
  int n_inf = 0;
  for (int k = 1; k < m; ++k) {
    int p = cells[k];
    sum_lo += lo[p];
    if (R_FINITE(hi[p])) fin_hi += hi[p]; else ++n_inf;
  }
  double t_lo = fmax(lo[t], sum_lo);
  double t_hi = fmin(hi[t], n_inf > 0 ? R_PosInf : fin_hi);
  int changed = t_lo != lo[t] || t_hi != hi[t];
  for (int k = 1; k < m; ++k) {
    int p = cells[k];
    double others_lo = sum_lo - lo[p];
    double others_hi;
    if (!R_FINITE(hi[p])) {
      others_hi = n_inf > 1 ? R_PosInf : fin_hi;
    } else {
      others_hi = n_inf > 0 ? R_PosInf : fin_hi - hi[p];
    }
    double p_lo = fmax(lo[p], t_lo - others_hi);
    double p_hi = fmin(hi[p], t_hi - others_lo);
    if (p_lo != lo[p] || p_hi != hi[p]) {
      changed = 1;
      lo[p] = p_lo;
      hi[p] = p_hi;
    }
  }
  lo[t] = t_lo;
  hi[t] = t_hi;
  return changed;
}

/* ea_interval_bounds(lo, hi, start, cells, max_iter): sums given in CSR
 * form, sum s being cells[start[s] .. start[s + 1]) (0-based cell numbers,
 * its total first).  Returns list(lo, hi), the narrowed ranges. */
SEXP ea_interval_bounds(SEXP lo_, SEXP hi_, SEXP start_, SEXP cells_,
                        SEXP max_iter_) {
  ea_check_vector(lo_, REALSXP, -1, "ea_interval_bounds: lo");
  R_xlen_t n = XLENGTH(lo_);
  ea_check_vector(hi_, REALSXP, n, "ea_interval_bounds: hi");
  ea_check_vector(start_, INTSXP, -1, "ea_interval_bounds: start");
  ea_check_vector(cells_, INTSXP, -1, "ea_interval_bounds: cells");
  ea_check_vector(max_iter_, INTSXP, 1, "ea_interval_bounds: max_iter");
  R_xlen_t n_sums = XLENGTH(start_) - 1;
  if (n_sums < 0) ea_internal_error("ea_interval_bounds: no sums");
  const int *start = INTEGER_RO(start_), *cells = INTEGER_RO(cells_);
  R_xlen_t n_cells = XLENGTH(cells_);
  for (R_xlen_t s = 0; s < n_sums; ++s) {
    if (start[s] < 0 || start[s + 1] < start[s] || start[s + 1] > n_cells)
      ea_internal_error("ea_interval_bounds: bad sums");
  }
  for (R_xlen_t k = 0; k < n_cells; ++k) {
    if (cells[k] < 0 || cells[k] >= n) ea_internal_error("ea_interval_bounds: bad cell");
  }
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SEXP lo = SET_VECTOR_ELT(out, 0, Rf_duplicate(lo_));
  SEXP hi = SET_VECTOR_ELT(out, 1, Rf_duplicate(hi_));
  double *l = REAL(lo), *h = REAL(hi);
  int max_iter = INTEGER_RO(max_iter_)[0];
  for (int iter = 0; iter < max_iter; ++iter) {
    int changed = 0;
    for (R_xlen_t s = 0; s < n_sums; ++s) {
      int m = start[s + 1] - start[s];
      if (m > 1) changed |= narrow_sum(l, h, cells + start[s], m);
    }
    R_CheckUserInterrupt();
    if (!changed) break;
  }
  UNPROTECT(1);
  return out;
}
