/* tabulate.c: stratified cross-tabulation.
 *
 * Owns ea_tabulate(), which counts the combinations of k columns (coded
 * as slots by columns.c: character and integer columns are first scanned
 * for their distinct values, and the counting pass looks each value up
 * again, so no per-record codes are ever stored), and the check of count
 * columns (ea_first_bad_count()).  Counts go into a dense array when the
 * product of the level counts is small enough, otherwise into a hash table
 * of the cells that occur; other columns (record keys) can be summed per
 * cell in the same pass.  NA codes go to an extra last level of their
 * column, so nobody is dropped.  Counts are doubles, exact to 2^53.
 */
#include "columns.h"

static inline double weight_of(const double *wd, const int *wi, R_xlen_t i) {
  if (wd != NULL) return wd[i];
  if (wi != NULL) return (double) wi[i];
  return 1.0;
}

/* Rows counted by the threads between two interrupt checks, per thread. */
#define EA_BLOCK ((R_xlen_t) 1 << 21)

/* What is added up in each cell: the count (rows, or a weight column) and
 * nsum more columns (such as record keys, for the cell-key rule), each in
 * an array of its own, arrays[0] the count. */
typedef struct {
  const double *wd;
  const int *wi;
  int nsum;
  const double *const *sum;
} addends;

/* adds rows [from, to) into arrays[0..nsum] (each of ncell cells); false,
 * with the first bad row, if a factor code is out of range */
static int count_rows(const coded_columns *cc, R_xlen_t from, R_xlen_t to,
                      const addends *a, double *arrays, R_xlen_t ncell,
                      R_xlen_t *bad_row, int *bad_col) {
  uint64_t cell[EA_CHUNK];
  double *count = arrays;
  for (R_xlen_t at = from; at < to; at += EA_CHUNK) {
    int len = (int) (to - at < EA_CHUNK ? to - at : EA_CHUNK);
    if (!cell_index(cc, at, len, cell, bad_row, bad_col)) return 0;
    if (a->wd == NULL && a->wi == NULL) {
      for (int r = 0; r < len; ++r) count[cell[r]] += 1.0;
    } else {
      for (int r = 0; r < len; ++r) count[cell[r]] += weight_of(a->wd, a->wi, at + r);
    }
    for (int j = 0; j < a->nsum; ++j) {
      double *sum = arrays + (size_t) (j + 1) * ncell;
      const double *v = a->sum[j] + at;
      for (int r = 0; r < len; ++r) sum[cell[r]] += v[r];
    }
  }
  return 1;
}

/* Threads worth using for a dense array of ncell cells over n rows: each
 * thread but the first counts into arrays of its own, added up at the
 * end, so the arrays must be small beside the rows. */
static int dense_threads(int threads, R_xlen_t n, double ncell) {
  if (threads < 2 || n < 4 * EA_CHUNK || ncell > 1 << 24 || 8.0 * ncell > (double) n) return 1;
  return threads;
}

/* Dense counting: arrays[0..nsum], each of every cell of the full array.
 * Each thread counts a contiguous share of every block of rows; counts
 * and sums are whole numbers (validated as counts), so the totals are
 * exact and the same for any number of threads. */
static int count_dense(coded_columns *cc, R_xlen_t n, const addends *a,
                       double *arrays, R_xlen_t ncell, int threads) {
  int nt = dense_threads(threads, n, (double) ncell);
  size_t width = (size_t) (a->nsum + 1) * ncell;
  double *part = NULL;
  if (nt > 1) {
    part = (double *) R_alloc((size_t) (nt - 1) * width, sizeof(double));
    memset(part, 0, (size_t) (nt - 1) * width * sizeof(double));
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
      double *mine = t == 0 ? arrays : part + (size_t) (t - 1) * width;
      if (from < to && !count_rows(cc, from, to, a, mine, ncell, &row, &col)) {
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
    const double *p = part + (size_t) (t - 1) * width;
    for (size_t c = 0; c < width; ++c) arrays[c] += p[c];
  }
  return 1;
}

/* sparse counting: the cells that occur, in order of first appearance,
 * their count and sums interleaved (entry e at (*acc)[e * (nsum + 1)]) */
static int count_sparse(coded_columns *cc, R_xlen_t n, const addends *a,
                        key_table *t, double **acc, size_t *cap) {
  uint64_t cell[EA_CHUNK];
  size_t w = (size_t) a->nsum + 1;
  for (R_xlen_t from = 0; from < n; from += EA_CHUNK) {
    int len = (int) (n - from < EA_CHUNK ? n - from : EA_CHUNK);
    if (!cell_index(cc, from, len, cell, &cc->bad_row, &cc->bad_col)) return 0;
    for (int r = 0; r < len; ++r) {
      int first;
      int e = key_table_code(t, cell[r], &first);
      if ((size_t) e > *cap) {
        double *bigger = (double *) R_alloc(2 * *cap * w, sizeof(double));
        memcpy(bigger, *acc, *cap * w * sizeof(double));
        *acc = bigger;
        *cap *= 2;
      }
      double *slot = *acc + (size_t) (e - 1) * w;
      if (first) memset(slot, 0, w * sizeof(double));
      slot[0] += weight_of(a->wd, a->wi, from + r);
      for (int j = 0; j < a->nsum; ++j) slot[j + 1] += a->sum[j][from + r];
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
 * or double (validated in R); sums: a list of double columns (validated in
 * R as counts) summed per cell as well; max_dense: largest dense array;
 * threads: the threads to count a dense array with (see ea_thread_count()).
 * Returns list(dense, count, key, levels, sums): with dense = TRUE count is
 * the full array (the NA level last in every dimension) and key is NULL;
 * otherwise count and key (0-based cell index) give the cells that occur.
 * sums holds one vector per column of `sums`, laid out as count.  levels
 * holds, for hashed columns, their values in order of first appearance,
 * which is the order of their slots.  For a factor code out of range it
 * returns list(bad_row, bad_col) instead, and for more than 2^52
 * combinations list(too_many, levels). */
SEXP ea_tabulate(SEXP columns, SEXP kinds, SEXP nlevels, SEXP weights,
                 SEXP sums, SEXP max_dense, SEXP threads) {
  int nprot = 0;
  ea_check_vector(columns, VECSXP, -1, "ea_tabulate: columns");
  int k = Rf_length(columns);
  R_xlen_t n = k > 0 ? XLENGTH(VECTOR_ELT(columns, 0)) : 0;
  ea_check_columns(columns, kinds, nlevels, n);
  if (weights != R_NilValue && TYPEOF(weights) != INTSXP) {
    ea_check_vector(weights, REALSXP, n, "ea_tabulate: weights");
  }
  if (TYPEOF(weights) == INTSXP) ea_check_vector(weights, INTSXP, n, "ea_tabulate: weights");
  ea_check_vector(sums, VECSXP, -1, "ea_tabulate: sums");
  int nsum = Rf_length(sums);
  const double **sum = (const double **) R_alloc(nsum > 0 ? nsum : 1, sizeof(double *));
  for (int j = 0; j < nsum; ++j) {
    ea_check_vector(VECTOR_ELT(sums, j), REALSXP, n, "ea_tabulate: sums");
    sum[j] = REAL_RO(VECTOR_ELT(sums, j));
  }
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
  addends a = {TYPEOF(weights) == REALSXP ? REAL_RO(weights) : NULL,
               TYPEOF(weights) == INTSXP ? INTEGER_RO(weights) : NULL, nsum, sum};
  int dense = ncell <= REAL_RO(max_dense)[0];

  SEXP count, key = R_NilValue;
  SEXP sum_out = PROTECT(Rf_allocVector(VECSXP, nsum)); ++nprot;
  int ok;
  if (dense) {
    R_xlen_t cells = (R_xlen_t) ncell;
    double *arrays = (double *) R_alloc((size_t) (nsum + 1) * cells, sizeof(double));
    memset(arrays, 0, (size_t) (nsum + 1) * cells * sizeof(double));
    ok = count_dense(&cc, n, &a, arrays, cells, nt);
    count = PROTECT(Rf_allocVector(REALSXP, cells)); ++nprot;
    memcpy(REAL(count), arrays, (size_t) cells * sizeof(double));
    for (int j = 0; j < nsum; ++j) {
      SEXP v = Rf_allocVector(REALSXP, cells);
      SET_VECTOR_ELT(sum_out, j, v);
      memcpy(REAL(v), arrays + (size_t) (j + 1) * cells, (size_t) cells * sizeof(double));
    }
  } else {
    key_table t;
    key_table_init(&t, 1024);
    size_t cap = 1024, w = (size_t) nsum + 1;
    double *acc = (double *) R_alloc(cap * w, sizeof(double));
    ok = count_sparse(&cc, n, &a, &t, &acc, &cap);
    count = PROTECT(Rf_allocVector(REALSXP, t.used)); ++nprot;
    key = PROTECT(Rf_allocVector(REALSXP, t.used)); ++nprot;
    for (int e = 0; e < t.used; ++e) REAL(count)[e] = acc[(size_t) e * w];
    for (int j = 0; j < nsum; ++j) {
      SEXP v = Rf_allocVector(REALSXP, t.used);
      SET_VECTOR_ELT(sum_out, j, v);
      for (int e = 0; e < t.used; ++e) REAL(v)[e] = acc[(size_t) e * w + j + 1];
    }
    sparse_keys(&t, REAL(key));
  }
  SEXP out;
  if (ok) {
    const char *names[] = {"dense", "count", "key", "levels", "sums", ""};
    out = PROTECT(Rf_mkNamed(VECSXP, names)); ++nprot;
    SET_VECTOR_ELT(out, 0, Rf_ScalarLogical(dense));
    SET_VECTOR_ELT(out, 1, count);
    SET_VECTOR_ELT(out, 2, key);
    SET_VECTOR_ELT(out, 3, levels);
    SET_VECTOR_ELT(out, 4, sum_out);
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
