/* columns.h: the columns being counted, as slots.  Factor and logical
 * columns are used through their integer codes; character and integer
 * columns through an open-addressing hash table keyed on the CHARSXP
 * pointer (R interns strings, so equal strings in one encoding share a
 * pointer) or on the integer value.  Shared by tabulate.c (counting) and
 * moments.c; columns.c holds the functions. */
#ifndef EQUITYAUDIT_COLUMNS_H
#define EQUITYAUDIT_COLUMNS_H
#include "equityaudit.h"

/* records coded at a time */
#define EA_CHUNK 4096
/* cell keys are doubles, exact below 2^52 cells */
#define EA_MAX_CELLS 4503599627370496.0

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

/* slot holding `key`, or the empty slot where it belongs */
static inline size_t key_table_slot(const key_table *t, uint64_t key) {
  size_t h = slot_hash(t, key);
  while (t->value[h] != 0 && t->keys[h] != key) h = (h + 1) & t->mask;
  return h;
}

void key_table_init(key_table *t, size_t size);
void key_table_grow(key_table *t);

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

/* ---- the columns ----------------------------------------------------------- */

/* KIND_RANGE: an integer column passed as hashed whose values span a
 * short range, coded through a table indexed by value - min */
enum column_kind { KIND_CODES = 0, KIND_LOGICAL = 1, KIND_HASHED = 2, KIND_RANGE = 3 };

typedef struct {
  int kind;
  const int *iv;       /* codes (1-based), logical or integer values */
  const SEXP *sv;      /* strings, for hashed character columns */
  int nlev;            /* levels, the NA slot being nlev */
  key_table table;     /* hashed columns: value -> 1-based level */
  const int *map;      /* range columns: value - min -> 1-based level */
  int min;
} column;

static inline uint64_t hashed_key(const column *c, R_xlen_t i, int *is_na) {
  if (c->sv != NULL) {
    *is_na = c->sv[i] == NA_STRING;
    return (uint64_t) (uintptr_t) c->sv[i];
  }
  *is_na = c->iv[i] == NA_INTEGER;
  return (uint64_t) (uint32_t) c->iv[i];
}

/* slot of row i: 0..nlev-1, nlev for NA, -1 for a factor code out of range */
static inline int slot_of(const column *c, R_xlen_t i) {
  switch (c->kind) {
  case KIND_HASHED: {
    int is_na;
    uint64_t key = hashed_key(c, i, &is_na);
    return is_na ? c->nlev : c->table.value[key_table_slot(&c->table, key)] - 1;
  }
  case KIND_RANGE:
    return c->iv[i] == NA_INTEGER ? c->nlev : c->map[c->iv[i] - c->min] - 1;
  case KIND_LOGICAL:
    return c->iv[i] == NA_LOGICAL ? 2 : c->iv[i];
  default: {
    int v = c->iv[i];
    if (v == NA_INTEGER) return c->nlev;
    return (v < 1 || v > c->nlev) ? -1 : v - 1;
  }
  }
}

typedef struct {
  int k;
  column *col;
  R_xlen_t bad_row;    /* first row with a factor code out of range, or -1 */
  int bad_col;
} coded_columns;

void ea_check_columns(SEXP columns, SEXP kinds, SEXP nlevels, R_xlen_t n);
double setup_columns(SEXP columns, SEXP kinds, SEXP nlevels, coded_columns *cc,
                     SEXP levels, int threads);
int cell_index(const coded_columns *cc, R_xlen_t from, int len, uint64_t *cell,
               R_xlen_t *bad_row, int *bad_col);
SEXP too_many_cells(double ncell, SEXP levels);

#endif
