/* parts.c: the connected parts of published tables.
 *
 * Owns ea_connected_parts(): cells tied by sums (total = parts, held as
 * compressed rows, see R/suppress-sums.R) fall into connected parts, which
 * the suppression engine protects and checks one at a time.  Union-find
 * with path halving and union by size: near linear in the cells of the
 * sums. */
#include "equityaudit.h"

static int find_root(int *parent, int a) {
  while (parent[a] != a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

static void unite(int *parent, int *size, int a, int b) {
  a = find_root(parent, a);
  b = find_root(parent, b);
  if (a == b) return;
  if (size[a] < size[b]) {
    int t = a;
    a = b;
    b = t;
  }
  parent[b] = a;
  size[a] += size[b];
}

/* ea_connected_parts(start, cells, n): sums s = cells[start[s] ..
 * start[s + 1]) (1-based cell numbers), n cells.  Returns the part of each
 * cell, numbered from 1 in order of each part's first cell. */
SEXP ea_connected_parts(SEXP start_, SEXP cells_, SEXP n_) {
  ea_check_vector(start_, INTSXP, -1, "ea_connected_parts: start");
  ea_check_vector(cells_, INTSXP, -1, "ea_connected_parts: cells");
  ea_check_vector(n_, INTSXP, 1, "ea_connected_parts: n");
  int n = INTEGER_RO(n_)[0];
  if (n < 0) ea_internal_error("ea_connected_parts: n");
  R_xlen_t n_sums = XLENGTH(start_) - 1, n_cells = XLENGTH(cells_);
  const int *start = INTEGER_RO(start_), *cells = INTEGER_RO(cells_);
  for (R_xlen_t s = 0; s < n_sums; ++s) {
    if (start[s] < 0 || start[s + 1] < start[s] || start[s + 1] > n_cells)
      ea_internal_error("ea_connected_parts: bad sums");
  }
  for (R_xlen_t k = 0; k < n_cells; ++k) {
    if (cells[k] < 1 || cells[k] > n) ea_internal_error("ea_connected_parts: bad cell");
  }
  int *parent = (int *) R_alloc(n > 0 ? n : 1, sizeof(int));
  int *size = (int *) R_alloc(n > 0 ? n : 1, sizeof(int));
  for (int i = 0; i < n; ++i) {
    parent[i] = i;
    size[i] = 1;
  }
  for (R_xlen_t s = 0; s < n_sums; ++s) {
    if ((s & 65535) == 65535) R_CheckUserInterrupt();
    for (int k = start[s] + 1; k < start[s + 1]; ++k) unite(parent, size, cells[start[s]] - 1, cells[k] - 1);
  }
  SEXP out = PROTECT(Rf_allocVector(INTSXP, n));
  int *part = INTEGER(out);
  /* number the roots in order of their first cell */
  int *label = size; /* reused: the label of each root, 0 when none yet */
  for (int i = 0; i < n; ++i) label[i] = 0;
  int next = 0;
  for (int i = 0; i < n; ++i) {
    int r = find_root(parent, i);
    if (label[r] == 0) label[r] = ++next;
    part[i] = label[r];
  }
  UNPROTECT(1);
  return out;
}
