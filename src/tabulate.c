/* tabulate.c: stratified cross-tabulation.
 *
 * Owns two steps.  ea_code_values() turns a character or integer column into
 * dense codes 1..L in order of first appearance (NA stays NA), using an
 * open-addressing hash table keyed on the CHARSXP pointer (R interns strings,
 * so equal strings in one encoding share a pointer) or on the integer value.
 * ea_tabulate() then counts k coded columns in one pass, into a dense count
 * array when the product of the level counts is small enough, otherwise into
 * a hash table of the cells that occur.  NA codes go to an extra last level
 * of their column, so nobody is dropped.  Counts are doubles, exact to 2^53.
 */
#include "equityaudit.h"

#define EA_CHUNK 4096

/* ---- open-addressing hash table on 64-bit keys ------------------------- */

typedef struct {
  uint64_t *keys;   /* key of each slot */
  int *value;       /* 0 = empty, otherwise 1-based entry number */
  size_t mask;      /* size - 1, size a power of two */
  int used;
} key_table;

static inline size_t mix_key(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return (size_t) k;
}

static void key_table_init(key_table *t, size_t size) {
  t->keys = (uint64_t *) R_alloc(size, sizeof(uint64_t));
  t->value = (int *) R_alloc(size, sizeof(int));
  memset(t->value, 0, size * sizeof(int));
  t->mask = size - 1;
  t->used = 0;
}

/* slot holding `key`, or the empty slot where it belongs */
static inline size_t key_table_slot(const key_table *t, uint64_t key) {
  size_t h = mix_key(key) & t->mask;
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

/* ---- coding of character and integer columns --------------------------- */

static inline uint64_t value_key(const SEXP *s, const int *iv,
                                 R_xlen_t i, int *is_na) {
  if (s != NULL) {
    *is_na = s[i] == NA_STRING;
    return (uint64_t) (uintptr_t) s[i];
  }
  *is_na = iv[i] == NA_INTEGER;
  return (uint64_t) (uint32_t) iv[i];
}

SEXP ea_code_values(SEXP x) {
  int nprot = 0;
  R_xlen_t n = XLENGTH(x);
  const SEXP *s = TYPEOF(x) == STRSXP ? STRING_PTR_RO(x) : NULL;
  const int *iv = TYPEOF(x) == INTSXP ? INTEGER_RO(x) : NULL;
  if (s == NULL && iv == NULL) Rf_error("internal error: cannot code this type");

  SEXP codes = PROTECT(Rf_allocVector(INTSXP, n)); ++nprot;
  int *code = INTEGER(codes);
  /* first_at[c - 1] is the first row holding code c */
  R_xlen_t first_cap = 1024;
  R_xlen_t *first_at = (R_xlen_t *) R_alloc(first_cap, sizeof(R_xlen_t));
  key_table t;
  key_table_init(&t, 1024);

  for (R_xlen_t i = 0; i < n; ++i) {
    if ((i + 1) % EA_INTERRUPT_EVERY == 0) R_CheckUserInterrupt();
    int is_na, first;
    uint64_t key = value_key(s, iv, i, &is_na);
    if (is_na) {
      code[i] = NA_INTEGER;
      continue;
    }
    code[i] = key_table_code(&t, key, &first);
    if (!first) continue;
    if (code[i] > first_cap) {
      R_xlen_t *bigger = (R_xlen_t *) R_alloc(2 * first_cap, sizeof(R_xlen_t));
      memcpy(bigger, first_at, first_cap * sizeof(R_xlen_t));
      first_at = bigger;
      first_cap *= 2;
    }
    first_at[code[i] - 1] = i;
  }

  SEXP levels = PROTECT(Rf_allocVector(TYPEOF(x), t.used)); ++nprot;
  for (int l = 0; l < t.used; ++l) {
    if (s != NULL) SET_STRING_ELT(levels, l, s[first_at[l]]);
    else INTEGER(levels)[l] = iv[first_at[l]];
  }
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2)); ++nprot;
  SET_VECTOR_ELT(out, 0, codes);
  SET_VECTOR_ELT(out, 1, levels);
  UNPROTECT(nprot);
  return out;
}

/* ---- counting ----------------------------------------------------------- */

typedef struct {
  int k;               /* number of columns */
  const int **code;    /* code vectors, 1-based, NA allowed */
  const int *nlev;     /* real levels of each column (NA slot is nlev[j]) */
  const int **map;     /* optional recoding of each column, NULL = identity */
  R_xlen_t bad_row;    /* first row with a code out of range, or -1 */
  int bad_col;
} coded_columns;

/* slot of row i in column j: 0..nlev-1, nlev for NA, -1 if out of range */
static inline int slot_of(const coded_columns *cc, int j, R_xlen_t i) {
  int c = cc->code[j][i];
  if (c == NA_INTEGER) return cc->nlev[j];
  /* mapped columns were coded by ea_code_values(), so their codes are valid */
  if (cc->map[j] != NULL) return cc->map[j][c - 1];
  if (c < 1 || c > cc->nlev[j]) return -1;
  return c - 1;
}

/* fills cell[] with the cell index of rows [from, from + len); false if a
 * code is out of range (the position is recorded in cc) */
static int cell_index(coded_columns *cc, R_xlen_t from, int len,
                      uint64_t *cell) {
  for (int r = 0; r < len; ++r) cell[r] = 0;
  uint64_t stride = 1;
  for (int j = 0; j < cc->k; ++j) {
    for (int r = 0; r < len; ++r) {
      int sl = slot_of(cc, j, from + r);
      if (sl < 0) {
        cc->bad_row = from + r;
        cc->bad_col = j;
        return 0;
      }
      cell[r] += (uint64_t) sl * stride;
    }
    stride *= (uint64_t) cc->nlev[j] + 1;
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

/* codes: list of k integer vectors (1-based codes, NA allowed), all of one
 * length; nlevels: real levels per column; maps: list of NULL or integer
 * vectors giving the 0-based output level of each code; weights: NULL,
 * integer or double (validated in R); max_dense: largest dense array.
 * Returns list(dense = TRUE, count) with the full array (the NA level last
 * in every dimension), or list(dense = FALSE, count, key) for the cells that
 * occur, or list(bad_row, bad_col) for a code out of range. */
SEXP ea_tabulate(SEXP codes, SEXP nlevels, SEXP maps, SEXP weights,
                 SEXP max_dense) {
  int nprot = 0;
  int k = Rf_length(codes);
  R_xlen_t n = k > 0 ? XLENGTH(VECTOR_ELT(codes, 0)) : 0;
  coded_columns cc;
  cc.k = k;
  cc.code = (const int **) R_alloc(k, sizeof(int *));
  cc.map = (const int **) R_alloc(k, sizeof(int *));
  cc.nlev = INTEGER_RO(nlevels);
  cc.bad_row = -1;
  cc.bad_col = -1;
  double ncell = 1.0;
  for (int j = 0; j < k; ++j) {
    cc.code[j] = INTEGER_RO(VECTOR_ELT(codes, j));
    SEXP m = VECTOR_ELT(maps, j);
    cc.map[j] = Rf_isNull(m) ? NULL : INTEGER_RO(m);
    ncell *= (double) cc.nlev[j] + 1.0;
  }
  const double *wd = TYPEOF(weights) == REALSXP ? REAL_RO(weights) : NULL;
  const int *wi = TYPEOF(weights) == INTSXP ? INTEGER_RO(weights) : NULL;
  int dense = ncell <= Rf_asReal(max_dense);

  SEXP out;
  int ok;
  if (dense) {
    SEXP count = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t) ncell)); ++nprot;
    memset(REAL(count), 0, (size_t) ncell * sizeof(double));
    ok = count_dense(&cc, n, wd, wi, REAL(count));
    out = PROTECT(Rf_allocVector(VECSXP, 2)); ++nprot;
    SET_VECTOR_ELT(out, 0, Rf_ScalarLogical(1));
    SET_VECTOR_ELT(out, 1, count);
  } else {
    key_table t;
    key_table_init(&t, 1024);
    size_t cap = 1024;
    double *cnt = (double *) R_alloc(cap, sizeof(double));
    ok = count_sparse(&cc, n, wd, wi, &t, &cnt, &cap);
    SEXP count = PROTECT(Rf_allocVector(REALSXP, t.used)); ++nprot;
    SEXP key = PROTECT(Rf_allocVector(REALSXP, t.used)); ++nprot;
    if (t.used > 0) memcpy(REAL(count), cnt, t.used * sizeof(double));
    sparse_keys(&t, REAL(key));
    out = PROTECT(Rf_allocVector(VECSXP, 3)); ++nprot;
    SET_VECTOR_ELT(out, 0, Rf_ScalarLogical(0));
    SET_VECTOR_ELT(out, 1, count);
    SET_VECTOR_ELT(out, 2, key);
  }
  if (!ok) {
    out = PROTECT(Rf_allocVector(VECSXP, 2)); ++nprot;
    SET_VECTOR_ELT(out, 0, Rf_ScalarReal((double) cc.bad_row + 1.0));
    SET_VECTOR_ELT(out, 1, Rf_ScalarInteger(cc.bad_col + 1));
  }
  UNPROTECT(nprot);
  return out;
}
