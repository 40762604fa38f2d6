/* columns.c: the columns being counted (see columns.h): the hash table,
 * the discovery of a hashed column's values, the check of what R passes
 * in, and the cell index of each record. */
#include "columns.h"
#include <limits.h>

void key_table_init(key_table *t, size_t size) {
  t->keys = (uint64_t *) R_alloc(size, sizeof(uint64_t));
  t->value = (int *) R_alloc(size, sizeof(int));
  memset(t->value, 0, size * sizeof(int));
  t->mask = size - 1;
  t->shift = 64;
  for (size_t s = size; s > 1; s >>= 1) --t->shift;
  t->used = 0;
}

/* doubles the table; R_alloc memory of the old one is freed after .Call */
void key_table_grow(key_table *t) {
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

/* A blank string: empty or only spaces, tabs, carriage returns and
 * newlines (what trimws() removes), as a CSV's empty cells; missing, never
 * a value of its own.  Checked once per distinct string. */
static int is_blank(SEXP s) {
  for (const char *p = CHAR(s); *p != '\0'; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') return 0;
  }
  return 1;
}

/* Renumbers the table's entries to the values kept (1-based, in order of
 * first appearance); a blank string's entry becomes the NA slot + 1. */
static int drop_blank_levels(column *c, R_xlen_t *first_at) {
  int used = c->table.used;
  int *renum = (int *) R_alloc(used, sizeof(int));
  int kept = 0;
  for (int e = 0; e < used; ++e) {
    if (is_blank(c->sv[first_at[e]])) renum[e] = -1;
    else {
      first_at[kept] = first_at[e];
      renum[e] = ++kept;
    }
  }
  if (kept == used) return kept;
  for (size_t s = 0; s <= c->table.mask; ++s) {
    int v = c->table.value[s];
    if (v != 0) c->table.value[s] = renum[v - 1] < 0 ? kept + 1 : renum[v - 1];
  }
  return kept;
}

/* The levels of a scanned column from the first row of each value, in
 * order of first appearance (blank strings left out: they count as
 * missing). */
static SEXP found_levels(column *c, SEXPTYPE type, R_xlen_t *first_at) {
  c->nlev = c->sv != NULL ? drop_blank_levels(c, first_at) : c->table.used;
  SEXP levels = PROTECT(Rf_allocVector(type, c->nlev));
  for (int l = 0; l < c->nlev; ++l) {
    if (c->sv != NULL) SET_STRING_ELT(levels, l, c->sv[first_at[l]]);
    else INTEGER(levels)[l] = c->iv[first_at[l]];
  }
  UNPROTECT(1);
  return levels;
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
  return found_levels(c, TYPEOF(x), first_at);
}

/* The same scan into a table of fixed size (EA_FIXED_LEVELS values), with
 * no call into R, so that threads can scan different columns at once;
 * false when the column has more values (it is then scanned again by
 * discover_levels(), whose table grows). */
#define EA_FIXED_LEVELS 4096
static int scan_fixed(column *c, R_xlen_t n, R_xlen_t *first_at) {
  for (R_xlen_t i = 0; i < n; ++i) {
    int is_na;
    uint64_t key = hashed_key(c, i, &is_na);
    if (is_na) continue;
    size_t h = key_table_slot(&c->table, key);
    if (c->table.value[h] != 0) continue;
    if (c->table.used == EA_FIXED_LEVELS) return 0;
    c->table.keys[h] = key;
    c->table.value[h] = ++c->table.used;
    first_at[c->table.used - 1] = i;
  }
  return 1;
}

/* Scans the hashed columns marked in scan[] for their values, several at
 * once on `threads` threads, and stores their levels in `levels`. */
static void scan_columns(coded_columns *cc, SEXP columns, const int *scan,
                         SEXP levels, int threads) {
  int k = cc->k, todo = 0;
  R_xlen_t **first_at = (R_xlen_t **) R_alloc(k, sizeof(R_xlen_t *));
  int *ok = (int *) R_alloc(k, sizeof(int));
  for (int j = 0; j < k; ++j) {
    ok[j] = 0;
    if (!scan[j]) continue;
    key_table_init(&cc->col[j].table, 2 * EA_FIXED_LEVELS);
    first_at[j] = (R_xlen_t *) R_alloc(EA_FIXED_LEVELS, sizeof(R_xlen_t));
    ++todo;
  }
  R_xlen_t n = k > 0 ? XLENGTH(VECTOR_ELT(columns, 0)) : 0;
  int nt = todo > 1 && threads > 1 ? threads : 1;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
#endif
  for (int j = 0; j < k; ++j) {
    if (scan[j]) ok[j] = scan_fixed(&cc->col[j], n, first_at[j]);
  }
  for (int j = 0; j < k; ++j) {
    if (!scan[j]) continue;
    SEXP x = VECTOR_ELT(columns, j);
    SET_VECTOR_ELT(levels, j, ok[j] ? found_levels(&cc->col[j], TYPEOF(x), first_at[j])
                                    : discover_levels(&cc->col[j], x));
  }
}

/* An integer column whose values span at most a few times as many
 * integers as it has rows is coded by value - min, without hashing: one
 * pass finds the range, one marks the values present.  Its levels are the
 * values in increasing order.  Returns R_NilValue when the range is too
 * wide (the column is then hashed). */
static SEXP range_levels(column *c, R_xlen_t n) {
  int lo = INT_MAX, hi = INT_MIN;
  for (R_xlen_t i = 0; i < n; ++i) {
    int v = c->iv[i];
    if (v == NA_INTEGER) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  double span = hi >= lo ? (double) hi - (double) lo + 1.0 : 0.0;
  if (span > 4.0 * (double) n + 1024.0 || span > (double) (1 << 26)) return R_NilValue;
  R_xlen_t width = (R_xlen_t) span;
  int *map = (int *) R_alloc(width > 0 ? (size_t) width : 1, sizeof(int));
  memset(map, 0, (size_t) width * sizeof(int));
  for (R_xlen_t i = 0; i < n; ++i) {
    if (c->iv[i] != NA_INTEGER) map[c->iv[i] - lo] = 1;
  }
  int nlev = 0;
  for (R_xlen_t v = 0; v < width; ++v) {
    if (map[v]) map[v] = ++nlev;
  }
  SEXP levels = PROTECT(Rf_allocVector(INTSXP, nlev));
  int *lv = INTEGER(levels);
  for (R_xlen_t v = 0; v < width; ++v) {
    if (map[v]) lv[map[v] - 1] = lo + (int) v;
  }
  c->kind = KIND_RANGE;
  c->map = map;
  c->min = lo;
  c->nlev = nlev;
  UNPROTECT(1);
  return levels;
}

/* The columns, kinds and level counts R passes in: k vectors of one
 * length n, each of the type its kind needs. */
void ea_check_columns(SEXP columns, SEXP kinds, SEXP nlevels, R_xlen_t n) {
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
 * levels, stored in `levels`, on up to `threads` threads); returns the
 * number of cells. */
double setup_columns(SEXP columns, SEXP kinds, SEXP nlevels,
                     coded_columns *cc, SEXP levels, int threads) {
  int *scan = (int *) R_alloc(cc->k > 0 ? cc->k : 1, sizeof(int));
  for (int j = 0; j < cc->k; ++j) {
    SEXP x = VECTOR_ELT(columns, j);
    column *c = &cc->col[j];
    c->kind = INTEGER_RO(kinds)[j];
    c->sv = TYPEOF(x) == STRSXP ? STRING_PTR_RO(x) : NULL;
    c->iv = TYPEOF(x) == STRSXP ? NULL : INTEGER_RO(x);
    c->nlev = INTEGER_RO(nlevels)[j];
    scan[j] = 0;
    if (c->kind != KIND_HASHED) continue;
    SEXP lv = c->sv == NULL ? range_levels(c, XLENGTH(x)) : R_NilValue;
    if (lv != R_NilValue) SET_VECTOR_ELT(levels, j, lv);
    else scan[j] = 1;
  }
  scan_columns(cc, columns, scan, levels, threads);
  double ncell = 1.0;
  for (int j = 0; j < cc->k; ++j) ncell *= (double) cc->col[j].nlev + 1.0;
  return ncell;
}

/* fills cell[] with the cell index of rows [from, from + len); false if a
 * code is out of range (its row and column in *bad_row, *bad_col).  Reads
 * the columns only, so threads may call it on different rows. */
int cell_index(const coded_columns *cc, R_xlen_t from, int len, uint64_t *cell,
               R_xlen_t *bad_row, int *bad_col) {
  for (int r = 0; r < len; ++r) cell[r] = 0;
  uint64_t stride = 1;
  for (int j = 0; j < cc->k; ++j) {
    for (int r = 0; r < len; ++r) {
      int sl = slot_of(&cc->col[j], from + r);
      if (sl < 0) {
        *bad_row = from + r;
        *bad_col = j;
        return 0;
      }
      cell[r] += (uint64_t) sl * stride;
    }
    stride *= (uint64_t) cc->col[j].nlev + 1;
  }
  return 1;
}

/* list(too_many, levels): more combinations than `limit`, with the level
 * counts found (for R's error message) */
SEXP too_many_cells(double ncell, SEXP levels) {
  const char *names[] = {"too_many", "levels", ""};
  SEXP out = PROTECT(Rf_mkNamed(VECSXP, names));
  SET_VECTOR_ELT(out, 0, Rf_ScalarReal(ncell));
  SET_VECTOR_ELT(out, 1, levels);
  UNPROTECT(1);
  return out;
}
