/* tabulate.c: stratified cross-tabulation.
 *
 * Owns ea_tabulate(), which counts the combinations of k columns.  Factor
 * and logical columns are used through their integer codes.  Character and
 * integer columns are first scanned for their distinct values with an
 * open-addressing hash table keyed on the CHARSXP pointer (R interns
 * strings, so equal strings in one encoding share a pointer) or on the
 * integer value; the counting pass looks each value up again, so no
 * per-record codes are ever stored.  Counts go into a dense array when the
 * product of the level counts is small enough, otherwise into a hash table
 * of the cells that occur.  NA codes go to an extra last level
 * of their column, so nobody is dropped.  Counts are doubles, exact to 2^53.
 */
#include "equityaudit.h"

#define EA_CHUNK 4096

/* ---- open-addressing hash table on 64-bit keys ------------------------- */

typedef struct {
  uint64_t *keys;   /* key of each slot */
  int *value;       /* 0 = empty, otherwise 1-based entry number */
  size_t mask;      /* size - 1, size a power of two */
  int shift;        /* 64 - log2(size), for Fibonacci hashing */
  int used;
} key_table;

/* Fibonacci hashing: one multiply, the high bits pick the slot, so the
 * alignment zeros of pointers do not matter. */
static inline size_t slot_hash(const key_table *t, uint64_t k) {
  return (size_t) ((k * 0x9E3779B97F4A7C15ULL) >> t->shift);
}

static void key_table_init(key_table *t, size_t size) {
  t->keys = (uint64_t *) R_alloc(size, sizeof(uint64_t));
  t->value = (int *) R_alloc(size, sizeof(int));
  memset(t->value, 0, size * sizeof(int));
  t->mask = size - 1;
  t->shift = 64;
  for (size_t s = size; s > 1; s >>= 1) --t->shift;
  t->used = 0;
}

/* slot holding `key`, or the empty slot where it belongs */
static inline size_t key_table_slot(const key_table *t, uint64_t key) {
  size_t h = slot_hash(t, key);
  while (t->value[h] != 0 && t->keys[h] != key) h = (h + 1) & t->mask;
  return h;
}

/* doubles the table; R_alloc memory of the old one is freed after .Call */
static void key_table_grow(key_table *t) {
  key_table bigger;
  key_table_init(&bigger, 2 * (t->mask + 1));
  for (size_t s = 0; s <= t->mask; ++s) {
    if (t->value[s] == 0) continue;
    size_t h = key_table_slot(&bigger, t->keys[s]);
    bigger.keys[h] = t->keys[s];
    bigger.value[h] = t->value[s];
  }
  bigger.used = t->used;
  *t = bigger;
}

/* entry number of `key`, adding it if new; *first set to 1 when added */
static inline int key_table_code(key_table *t, uint64_t key, int *first) {
  size_t h = key_table_slot(t, key);
  *first = 0;
  if (t->value[h] != 0) return t->value[h];
  if (2 * (size_t) (t->used + 1) > t->mask + 1) {
    key_table_grow(t);
    h = key_table_slot(t, key);
  }
  t->keys[h] = key;
  t->value[h] = ++t->used;
  *first = 1;
  return t->used;
}

/* ---- the columns being counted ----------------------------------------- */

enum column_kind { KIND_CODES = 0, KIND_LOGICAL = 1, KIND_HASHED = 2 };

typedef struct {
  int kind;
  const int *iv;       /* codes (1-based), logical or integer values */
  const SEXP *sv;      /* strings, for hashed character columns */
  int nlev;            /* levels, the NA slot being nlev */
  key_table table;     /* hashed columns: value -> 1-based level */
} column;

static inline uint64_t hashed_key(const column *c, R_xlen_t i, int *is_na) {
  if (c->sv != NULL) {
    *is_na = c->sv[i] == NA_STRING;
    return (uint64_t) (uintptr_t) c->sv[i];
  }
  *is_na = c->iv[i] == NA_INTEGER;
  return (uint64_t) (uint32_t) c->iv[i];
}

/* First pass over a character or integer column: its distinct values in
 * order of first appearance, returned as an R vector. */
static SEXP discover_levels(column *c, SEXP x) {
  R_xlen_t n = XLENGTH(x);
  R_xlen_t cap = 64;
  R_xlen_t *first_at = (R_xlen_t *) R_alloc(cap, sizeof(R_xlen_t));
  key_table_init(&c->table, 1024);
  for (R_xlen_t i = 0; i < n; ++i) {
    if ((i + 1) % EA_INTERRUPT_EVERY == 0) R_CheckUserInterrupt();
    int is_na, first;
    uint64_t key = hashed_key(c, i, &is_na);
    if (is_na) continue;
    int code = key_table_code(&c->table, key, &first);
    if (!first) continue;
    if (code > cap) {
      R_xlen_t *bigger = (R_xlen_t *) R_alloc(2 * cap, sizeof(R_xlen_t));
      memcpy(bigger, first_at, cap * sizeof(R_xlen_t));
      first_at = bigger;
      cap *= 2;
    }
    first_at[code - 1] = i;
  }
  c->nlev = c->table.used;
  SEXP levels = PROTECT(Rf_allocVector(TYPEOF(x), c->nlev));
  for (int l = 0; l < c->nlev; ++l) {
    if (c->sv != NULL) SET_STRING_ELT(levels, l, c->sv[first_at[l]]);
    else INTEGER(levels)[l] = c->iv[first_at[l]];
  }
  UNPROTECT(1);
  return levels;
}

/* slot of row i: 0..nlev-1, nlev for NA, -1 for a factor code out of range */
static inline int slot_of(const column *c, R_xlen_t i) {
  switch (c->kind) {
  case KIND_HASHED: {
    int is_na;
    uint64_t key = hashed_key(c, i, &is_na);
    return is_na ? c->nlev : c->table.value[key_table_slot(&c->table, key)] - 1;
  }
  case KIND_LOGICAL:
    return c->iv[i] == NA_LOGICAL ? 2 : c->iv[i];
  default: {
    int v = c->iv[i];
    if (v == NA_INTEGER) return c->nlev;
    return (v < 1 || v > c->nlev) ? -1 : v - 1;
  }
  }
}

/* ---- counting ----------------------------------------------------------- */

typedef struct {
  int k;
  column *col;
  R_xlen_t bad_row;    /* first row with a factor code out of range, or -1 */
  int bad_col;
} coded_columns;

/* The columns, kinds and level counts R passes in: k vectors of one
 * length n, each of the type its kind needs. */
static void check_columns(SEXP columns, SEXP kinds, SEXP nlevels, R_xlen_t n) {
  ea_check_vector(columns, VECSXP, -1, "columns");
  int k = Rf_length(columns);
  ea_check_vector(kinds, INTSXP, k, "kinds");
  ea_check_vector(nlevels, INTSXP, k, "nlevels");
  for (int j = 0; j < k; ++j) {
    SEXP x = VECTOR_ELT(columns, j);
    int kind = INTEGER_RO(kinds)[j];
    int ok = (kind == KIND_CODES && TYPEOF(x) == INTSXP) ||
             (kind == KIND_LOGICAL && TYPEOF(x) == LGLSXP) ||
             (kind == KIND_HASHED && (TYPEOF(x) == INTSXP || TYPEOF(x) == STRSXP));
    if (!ok) ea_internal_error("column %d is of type %s for kind %d", j + 1, Rf_type2char(TYPEOF(x)), kind);
    if (XLENGTH(x) != n) ea_internal_error("column %d has length %.0f, not %.0f", j + 1, (double) XLENGTH(x), (double) n);
    if (kind != KIND_HASHED && INTEGER_RO(nlevels)[j] < 0) ea_internal_error("column %d has a negative number of levels", j + 1);
  }
}

/* Prepares the k columns for counting (scanning hashed ones for their
 * levels, stored in `levels`); returns the number of cells. */
static double setup_columns(SEXP columns, SEXP kinds, SEXP nlevels,
                            coded_columns *cc, SEXP levels) {
  double ncell = 1.0;
  for (int j = 0; j < cc->k; ++j) {
    SEXP x = VECTOR_ELT(columns, j);
    column *c = &cc->col[j];
    c->kind = INTEGER_RO(kinds)[j];
    c->sv = TYPEOF(x) == STRSXP ? STRING_PTR_RO(x) : NULL;
    c->iv = TYPEOF(x) == STRSXP ? NULL : INTEGER_RO(x);
    c->nlev = INTEGER_RO(nlevels)[j];
    if (c->kind == KIND_HASHED) SET_VECTOR_ELT(levels, j, discover_levels(c, x));
    ncell *= (double) c->nlev + 1.0;
  }
  return ncell;
}

/* fills cell[] with the cell index of rows [from, from + len); false if a
 * code is out of range (the position is recorded in cc) */
static int cell_index(coded_columns *cc, R_xlen_t from, int len,
                      uint64_t *cell) {
  for (int r = 0; r < len; ++r) cell[r] = 0;
  uint64_t stride = 1;
  for (int j = 0; j < cc->k; ++j) {
    for (int r = 0; r < len; ++r) {
      int sl = slot_of(&cc->col[j], from + r);
      if (sl < 0) {
        cc->bad_row = from + r;
        cc->bad_col = j;
        return 0;
      }
      cell[r] += (uint64_t) sl * stride;
    }
    stride *= (uint64_t) cc->col[j].nlev + 1;
  }
  return 1;
}

static inline double weight_of(const double *wd, const int *wi, R_xlen_t i) {
  if (wd != NULL) return wd[i];
  if (wi != NULL) return (double) wi[i];
  return 1.0;
}

/* dense counting: count[cell] for every cell of the full array */
static int count_dense(coded_columns *cc, R_xlen_t n, const double *wd,
                       const int *wi, double *count) {
  uint64_t cell[EA_CHUNK];
  for (R_xlen_t from = 0; from < n; from += EA_CHUNK) {
    int len = (int) (n - from < EA_CHUNK ? n - from : EA_CHUNK);
    if (!cell_index(cc, from, len, cell)) return 0;
    if (wd == NULL && wi == NULL) {
      for (int r = 0; r < len; ++r) count[cell[r]] += 1.0;
    } else {
      for (int r = 0; r < len; ++r) count[cell[r]] += weight_of(wd, wi, from + r);
    }
    if ((from / EA_CHUNK) % 256 == 255) R_CheckUserInterrupt();
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
    if (!cell_index(cc, from, len, cell)) return 0;
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

/* list(too_many, levels): more combinations than `limit`, with the level
 * counts found (for R's error message) */
static SEXP too_many_cells(double ncell, SEXP levels) {
  const char *names[] = {"too_many", "levels", ""};
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, names));
  SET_VECTOR_ELT(out, 0, Rf_ScalarReal(ncell));
  SET_VECTOR_ELT(out, 1, levels);
  UNPROTECT(1);
  return out;
}

/* Cell keys are doubles, exact below 2^52 cells. */
#define EA_MAX_CELLS 4503599627370496.0

/* columns: list of k vectors; kinds: KIND_* per column; nlevels: levels of
 * code and logical columns (ignored for hashed ones); weights: NULL, integer
 * or double (validated in R); max_dense: largest dense array.
 * Returns list(dense, count, key, levels): with dense = TRUE count is the
 * full array (the NA level last in every dimension) and key is NULL;
 * otherwise count and key (0-based cell index) give the cells that occur.
 * levels holds, for hashed columns, their values in order of first
 * appearance, which is the order of their slots.  For a factor code out of
 * range it returns list(bad_row, bad_col) instead, and for more than 2^52
 * combinations list(too_many, levels). */
SEXP ea_tabulate(SEXP columns, SEXP kinds, SEXP nlevels, SEXP weights,
                 SEXP max_dense) {
  int nprot = 0;
  ea_check_vector(columns, VECSXP, -1, "ea_tabulate: columns");
  int k = Rf_length(columns);
  R_xlen_t n = k > 0 ? XLENGTH(VECTOR_ELT(columns, 0)) : 0;
  check_columns(columns, kinds, nlevels, n);
  if (weights != R_NilValue && TYPEOF(weights) != INTSXP) {
    ea_check_vector(weights, REALSXP, n, "ea_tabulate: weights");
  }
  if (TYPEOF(weights) == INTSXP) ea_check_vector(weights, INTSXP, n, "ea_tabulate: weights");
  ea_check_vector(max_dense, REALSXP, 1, "ea_tabulate: max_dense");
  coded_columns cc = {k, (column *) R_alloc(k, sizeof(column)), -1, -1};
  SEXP levels = PROTECT(Rf_allocVector(VECSXP, k)); ++nprot;
  double ncell = setup_columns(columns, kinds, nlevels, &cc, levels);
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
    ok = count_dense(&cc, n, wd, wi, REAL(count));
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

/* ---- moments of a numeric column within cells ---------------------------- */

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
  check_columns(columns, kinds, nlevels, n);
  coded_columns cc = {k, (column *) R_alloc(k, sizeof(column)), -1, -1};
  SEXP levels = PROTECT(Rf_allocVector(VECSXP, k)); ++nprot;
  double ncell = setup_columns(columns, kinds, nlevels, &cc, levels);
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
    if (!cell_index(&cc, from, len, cell)) {
      SET_VECTOR_ELT(out, 7, Rf_ScalarReal((double) cc.bad_row + 1.0));
      break;
    }
    for (int r = 0; r < len; ++r) add_value(&m, cell[r], xv[from + r]);
    if ((from / EA_CHUNK) % 256 == 255) R_CheckUserInterrupt();
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
