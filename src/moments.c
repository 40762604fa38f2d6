/* moments.c: the moments of a numeric column (its count, mean, sum of
 * squared deviations, minimum, maximum and missing values) within the
 * cells of k columns, by Welford's update, for the age summaries of
 * describe_cohort(). */
#include "columns.h"

typedef struct {
  double *n, *mean, *m2, *min, *max, *n_missing;
} moments;

/* Welford's update of the cell's running mean and sum of squares */
static inline void add_value(moments *m, uint64_t c, double v) {
  if (ISNAN(v)) {
    m->n_missing[c] += 1.0;
    return;
  }
  m->n[c] += 1.0;
  double d = v - m->mean[c];
  m->mean[c] += d / m->n[c];
  m->m2[c] += d * (v - m->mean[c]);
  if (v < m->min[c]) m->min[c] = v;
  if (v > m->max[c]) m->max[c] = v;
}

/* Like ea_tabulate() (dense only), but for each cell returns the number of
 * non-missing values of x, their mean, sum of squared deviations, minimum,
 * maximum, and the number of missing values. */
SEXP ea_group_moments(SEXP columns, SEXP kinds, SEXP nlevels, SEXP x) {
  int nprot = 0;
  ea_check_vector(x, REALSXP, -1, "ea_group_moments: x");
  int k = Rf_length(columns);
  R_xlen_t n = XLENGTH(x);
  ea_check_columns(columns, kinds, nlevels, n);
  coded_columns cc = {k, (column *) R_alloc(k, sizeof(column)), -1, -1};
  SEXP levels = PROTECT(Rf_allocVector(VECSXP, k)); ++nprot;
  double ncell = setup_columns(columns, kinds, nlevels, &cc, levels, 1);
  /* moments are kept for every combination, in memory */
  if (ncell > 1e8) {
    SEXP out = too_many_cells(ncell, levels);
    UNPROTECT(nprot);
    return out;
  }
  R_xlen_t cells = (R_xlen_t) ncell;
  const char *names[] = {"n", "mean", "m2", "min", "max", "n_missing", "levels",
                         "bad_row", ""};
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, names)); ++nprot;
  double *stat[6];
  for (int s = 0; s < 6; ++s) {
    SET_VECTOR_ELT(out, s, Rf_allocVector(REALSXP, cells));
    stat[s] = REAL(VECTOR_ELT(out, s));
    for (R_xlen_t c = 0; c < cells; ++c) {
      stat[s][c] = s == 3 ? R_PosInf : (s == 4 ? R_NegInf : 0.0);
    }
  }
  SET_VECTOR_ELT(out, 6, levels);
  moments m = {stat[0], stat[1], stat[2], stat[3], stat[4], stat[5]};
  const double *xv = REAL_RO(x);
  uint64_t cell[EA_CHUNK];
  for (R_xlen_t from = 0; from < n; from += EA_CHUNK) {
    int len = (int) (n - from < EA_CHUNK ? n - from : EA_CHUNK);
    if (!cell_index(&cc, from, len, cell, &cc.bad_row, &cc.bad_col)) {
      SET_VECTOR_ELT(out, 7, Rf_ScalarReal((double) cc.bad_row + 1.0));
      break;
    }
    for (int r = 0; r < len; ++r) add_value(&m, cell[r], xv[from + r]);
    if ((from / EA_CHUNK) % 256 == 255) R_CheckUserInterrupt();
  }
  UNPROTECT(nprot);
  return out;
}

