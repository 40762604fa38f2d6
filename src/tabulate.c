/* tabulate.c: stratified cross-tabulation.
 *
 * Owns ea_tabulate(), which counts the combinations of k columns (coded
 * as slots by columns.c: character and integer columns are first scanned
 * for their distinct values, and the counting pass looks each value up
 * again, so no per-record codes are ever stored), and the check of count
 * columns (ea_first_bad_count()).  Counts go into a dense array when the
 * product of the level counts is small enough, otherwise into a hash table
 * of the cells that occur.  NA codes go to an extra last level
 * of their column, so nobody is dropped.  Counts are doubles, exact to 2^53.
 */
#include "columns.h"

static inline double weight_of(const double *wd, const int *wi, R_xlen_t i) {
  if (wd != NULL) return wd[i];
  if (wi != NULL) return (double) wi[i];
  return 1.0;
}

/* Rows counted by the threads between two interrupt checks, per thread. */
#define EA_BLOCK ((R_xlen_t) 1 << 21)

/* counts rows [from, to) into count; false, with the first bad row, if a
 * factor code is out of range */
static int count_rows(const coded_columns *cc, R_xlen_t from, R_xlen_t to,
                      const double *wd, const int *wi, double *count,
                      R_xlen_t *bad_row, int *bad_col) {
  uint64_t cell[EA_CHUNK];
  for (R_xlen_t at = from; at < to; at += EA_CHUNK) {
    int len = (int) (to - at < EA_CHUNK ? to - at : EA_CHUNK);
    if (!cell_index(cc, at, len, cell, bad_row, bad_col)) return 0;
    if (wd == NULL && wi == NULL) {
      for (int r = 0; r < len; ++r) count[cell[r]] += 1.0;
    } else {
      for (int r = 0; r < len; ++r) count[cell[r]] += weight_of(wd, wi, at + r);
    }
  }
  return 1;
}

/* Threads worth using for a dense array of ncell cells over n rows: each
 * thread but the first counts into an array of its own, added up at the
 * end, so the arrays must be small beside the rows. */
static int dense_threads(int threads, R_xlen_t n, double ncell) {
  if (threads < 2 || n < 4 * EA_CHUNK || ncell > 1 << 24 || 8.0 * ncell > (double) n) return 1;
  return threads;
}

/* Dense counting: count[cell] for every cell of the full array.  Each
 * thread counts a contiguous share of every block of rows; counts are
 * whole numbers (weights are validated as counts), so the sums are exact
 * and the same for any number of threads. */
static int count_dense(coded_columns *cc, R_xlen_t n, const double *wd,
                       const int *wi, double *count, R_xlen_t ncell,
                       int threads) {
  int nt = dense_threads(threads, n, (double) ncell);
  double *part = NULL;
  if (nt > 1) {
    part = (double *) R_alloc((size_t) (nt - 1) * ncell, sizeof(double));
    memset(part, 0, (size_t) (nt - 1) * ncell * sizeof(double));
  }
  for (R_xlen_t block = 0; block < n; block += EA_BLOCK * nt) {
    R_xlen_t end = n - block < EA_BLOCK * nt ? n : block + EA_BLOCK * nt;
    R_xlen_t share = (end - block + nt - 1) / nt;
    R_xlen_t bad_row = -1;
    int bad_col = -1;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static, 1)
#endif
    for (int t = 0; t < nt; ++t) {
      R_xlen_t from = block + t * share;
      R_xlen_t to = end - from < share ? end : from + share;
      R_xlen_t row = -1;
      int col = -1;
      double *mine = t == 0 ? count : part + (size_t) (t - 1) * ncell;
      if (from < to && !count_rows(cc, from, to, wd, wi, mine, &row, &col)) {
#ifdef _OPENMP
#pragma omp critical(ea_bad_row)
#endif
        if (bad_row < 0 || row < bad_row) {
          bad_row = row;
          bad_col = col;
        }
      }
    }
    if (bad_row >= 0) {
      cc->bad_row = bad_row;
      cc->bad_col = bad_col;
      return 0;
    }
    R_CheckUserInterrupt();
  }
  for (int t = 1; t < nt; ++t) {
    const double *p = part + (size_t) (t - 1) * ncell;
    for (R_xlen_t c = 0; c < ncell; ++c) count[c] += p[c];
  }
  return 1;
}

/* sparse counting: the cells that occur, in order of first appearance */
static int count_sparse(coded_columns *cc, R_xlen_t n, const double *wd,
                        const int *wi, key_table *t, double **count,
                        size_t *cap) {
  uint64_t cell[EA_CHUNK];
  for (R_xlen_t from = 0; from < n; from += EA_CHUNK) {
    int len = (int) (n - from < EA_CHUNK ? n - from : EA_CHUNK);
    if (!cell_index(cc, from, len, cell, &cc->bad_row, &cc->bad_col)) return 0;
    for (int r = 0; r < len; ++r) {
      int first;
      int e = key_table_code(t, cell[r], &first);
      if ((size_t) e > *cap) {
        double *bigger = (double *) R_alloc(2 * *cap, sizeof(double));
        memcpy(bigger, *count, *cap * sizeof(double));
        *count = bigger;
        *cap *= 2;
      }
      if (first) (*count)[e - 1] = 0.0;
      (*count)[e - 1] += weight_of(wd, wi, from + r);
    }
    if ((from / EA_CHUNK) % 256 == 255) R_CheckUserInterrupt();
  }
  return 1;
}

/* the cell keys of a sparse table, in entry order, as doubles */
static void sparse_keys(const key_table *t, double *key) {
  for (size_t s = 0; s <= t->mask; ++s) {
    if (t->value[s] != 0) key[t->value[s] - 1] = (double) t->keys[s];
  }
}

/* columns: list of k vectors; kinds: KIND_* per column; nlevels: levels of
 * code and logical columns (ignored for hashed ones); weights: NULL, integer
 * or double (validated in R); max_dense: largest dense array; threads:
 * the threads to count a dense array with (see ea_thread_count()).
 * Returns list(dense, count, key, levels): with dense = TRUE count is the
 * full array (the NA level last in every dimension) and key is NULL;
 * otherwise count and key (0-based cell index) give the cells that occur.
 * levels holds, for hashed columns, their values in order of first
 * appearance, which is the order of their slots.  For a factor code out of
 * range it returns list(bad_row, bad_col) instead, and for more than 2^52
 * combinations list(too_many, levels). */
SEXP ea_tabulate(SEXP columns, SEXP kinds, SEXP nlevels, SEXP weights,
                 SEXP max_dense, SEXP threads) {
  int nprot = 0;
  ea_check_vector(columns, VECSXP, -1, "ea_tabulate: columns");
  int k = Rf_length(columns);
  R_xlen_t n = k > 0 ? XLENGTH(VECTOR_ELT(columns, 0)) : 0;
  ea_check_columns(columns, kinds, nlevels, n);
  if (weights != R_NilValue && TYPEOF(weights) != INTSXP) {
    ea_check_vector(weights, REALSXP, n, "ea_tabulate: weights");
  }
  if (TYPEOF(weights) == INTSXP) ea_check_vector(weights, INTSXP, n, "ea_tabulate: weights");
  ea_check_vector(max_dense, REALSXP, 1, "ea_tabulate: max_dense");
  coded_columns cc = {k, (column *) R_alloc(k, sizeof(column)), -1, -1};
  SEXP levels = PROTECT(Rf_allocVector(VECSXP, k)); ++nprot;
  int nt = ea_thread_count(threads);
  double ncell = setup_columns(columns, kinds, nlevels, &cc, levels, nt);
  if (ncell > EA_MAX_CELLS) {
    SEXP out = too_many_cells(ncell, levels);
    UNPROTECT(nprot);
    return out;
  }
  const double *wd = TYPEOF(weights) == REALSXP ? REAL_RO(weights) : NULL;
  const int *wi = TYPEOF(weights) == INTSXP ? INTEGER_RO(weights) : NULL;
  int dense = ncell <= REAL_RO(max_dense)[0];

  SEXP count, key = R_NilValue;
  int ok;
  if (dense) {
    count = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) ncell)); ++nprot;
    memset(REAL(count), 0, (size_t) ncell * sizeof(double));
    ok = count_dense(&cc, n, wd, wi, REAL(count), (R_xlen_t) ncell, nt);
  } else {
    key_table t;
    key_table_init(&t, 1024);
    size_t cap = 1024;
    double *cnt = (double *) R_alloc(cap, sizeof(double));
    ok = count_sparse(&cc, n, wd, wi, &t, &cnt, &cap);
    count = PROTECT(Rf_allocVector(REALSXP, t.used)); ++nprot;
    key = PROTECT(Rf_allocVector(REALSXP, t.used)); ++nprot;
    if (t.used > 0) memcpy(REAL(count), cnt, t.used * sizeof(double));
    sparse_keys(&t, REAL(key));
  }
  SEXP out;
  if (ok) {
    const char *names[] = {"dense", "count", "key", "levels", ""};
    out = PROTECT(Rf_mkNamed(VECSXP, names)); ++nprot;
    SET_VECTOR_ELT(out, 0, Rf_ScalarLogical(dense));
    SET_VECTOR_ELT(out, 1, count);
    SET_VECTOR_ELT(out, 2, key);
    SET_VECTOR_ELT(out, 3, levels);
  } else {
    const char *names[] = {"bad_row", "bad_col", ""};
    out = PROTECT(Rf_mkNamed(VECSXP, names)); ++nprot;
    SET_VECTOR_ELT(out, 0, Rf_ScalarReal((double) cc.bad_row + 1.0));
    SET_VECTOR_ELT(out, 1, Rf_ScalarInteger(cc.bad_col + 1));
  }
  UNPROTECT(nprot);
  return out;
}

/* ---- validation of counts --------------------------------------------- */

/* ea_first_bad_count(w): the 1-based position of the first value of a
 * numeric vector that is not a whole, finite, non-negative count, or 0. */
SEXP ea_first_bad_count(SEXP w) {
  R_xlen_t n = XLENGTH(w);
  if (TYPEOF(w) == INTSXP) {
    const int *x = INTEGER(w);
    for (R_xlen_t i = 0; i < n; i++) {
      if (x[i] == NA_INTEGER || x[i] < 0) return Rf_ScalarReal((double) i + 1);
      if ((i & (EA_INTERRUPT_EVERY - 1)) == 0) R_CheckUserInterrupt();
    }
    return Rf_ScalarReal(0);
  }
  if (TYPEOF(w) != REALSXP) ea_internal_error("ea_first_bad_count: numeric input required");
  const double *x = REAL(w);
  for (R_xlen_t i = 0; i < n; i++) {
    double v = x[i];
    if (!R_FINITE(v) || v < 0 || v != floor(v)) return Rf_ScalarReal((double) i + 1);
    if ((i & (EA_INTERRUPT_EVERY - 1)) == 0) R_CheckUserInterrupt();
  }
  return Rf_ScalarReal(0);
}
