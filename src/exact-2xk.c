/* exact-2xk.c: the exact (Freeman-Halton) p-value of 2 x k tables with
 * fixed margins (the Monte-Carlo fallback is in monte-carlo.c).
 *
 * Exact 2 x k test.  With column totals c_j and first-row total m, the
 * tables are the vectors x with 0 <= x_j <= c_j and sum x_j = m, each with
 * probability prod_j C(c_j, x_j) / C(N, m).  The p-value sums the
 * probabilities of the tables no more probable than the observed one.  The
 * columns (sorted by size) are split into a head and a tail.  The head is
 * enumerated depth first, as in the network algorithm of Mehta and Patel
 * (1983): at a node (column j, r events left) the largest completion
 * probability comes from the max-plus convolution of the concave sequences
 * log C(c_l, .), computed exactly by merging their decreasing increments;
 * when even it is no larger than the observed probability the whole
 * subtree counts, its total being the closed form C(c_j + ... + c_k, r)
 * (Vandermonde's identity), and when a lower bound of the smallest
 * completion exceeds it the subtree is skipped.  Each head path ends in one
 * look-up (batched by r, so that each list is read while in cache) in a
 * list, built once per number of events r left for the tail,
 * of the tail's log probabilities sorted with prefix sums: the tail tables
 * that count whatever the head holds (below the threshold minus the head's
 * largest value) are lumped into the first prefix, by the same closed form
 * for whole subtrees.  The split minimises the estimated work (the tables
 * near the ellipsoid of the observed Pearson statistic); a table whose
 * estimate is far beyond the budget is not attempted.
 */
#include "exact.h"

/* max-plus convolution of the concave sequence log C(cj, .) with the
 * concave sequence next: merge their decreasing increments */
static void max_plus_concave(const double *lf, int cj, const double *next,
                             int next_len, double *out, int out_len) {
  int a = 0, b = 0;
  out[0] = 0.0;
  for (int r = 1; r < out_len; ++r) {
    double da = a < cj ? log_choose(lf, cj, a + 1) - log_choose(lf, cj, a) : R_NegInf;
    double db = b + 1 < next_len ? next[b + 1] - next[b] : R_NegInf;
    if (da >= db) ++a;
    else ++b;
    out[r] = log_choose(lf, cj, a) + next[b];
  }
}

/* lower bound of log prod C over completions of columns j.. with r events:
 * each column alone at the worse end of its own feasible range */
static double min_bound(const exact_state *st, int j, int r) {
  double s = 0.0;
  for (int l = j; l < st->k; ++l) {
    int others = st->crest[j] - st->c[l];
    int lo = r - others > 0 ? r - others : 0;
    int hi = st->c[l] < r ? st->c[l] : r;
    double a = log_choose(st->lf, st->c[l], lo);
    double b = log_choose(st->lf, st->c[l], hi);
    s += a < b ? a : b;
  }
  return s;
}

/* looks up the waiting head paths, list by list (the lists stay in cache) */
static void flush_leaves(exact_state *st) {
  for (int r = 0; r <= st->m; ++r) {
    for (int i = 0; i < st->nleaf[r]; ++i) {
      visit_tail(st, r, st->leaf[r][i]);
      if (st->budget < 0) return;
    }
    st->nleaf[r] = 0;
  }
  st->pending = 0;
}

/* a head path of log value lp leaving r events to the tail */
static void add_leaf(exact_state *st, int r, double lp) {
  if (st->nleaf[r] == st->capleaf[r]) {
    int cap = st->capleaf[r] < 16 ? 16 : 2 * st->capleaf[r];
    double *bigger = (double *) R_alloc(cap, sizeof(double));
    if (st->nleaf[r] > 0) memcpy(bigger, st->leaf[r], st->nleaf[r] * sizeof(double));
    st->leaf[r] = bigger;
    st->capleaf[r] = cap;
  }
  st->leaf[r][st->nleaf[r]++] = lp;
  if (++st->pending >= (1 << 18)) flush_leaves(st);
}

static void visit(exact_state *st, int j, int r, double lp) {
  if (j == st->t0) {
    visit_tail(st, r, lp);
    return;
  }
  if (st->budget < 0) return;
  count_work(st);
  int cj = st->c[j], rest = st->crest[j + 1], lo, hi;
  column_range(st, j, r, &lo, &hi);
  for (int x = lo; x <= hi; ++x) {
    double lp2 = lp + log_choose(st->lf, cj, x);
    int r2 = r - x;
    if (j + 1 == st->t0) {
      if (lp2 + st->maxlog[j + 1][r2] <= st->thr) {
        st->p += exp(lp2 + log_choose(st->lf, rest, r2) - st->lnorm);
      } else {
        add_leaf(st, r2, lp2);
      }
    } else if (lp2 + st->maxlog[j + 1][r2] <= st->thr) {
      st->p += exp(lp2 + log_choose(st->lf, rest, r2) - st->lnorm);
    } else if (lp2 + min_bound(st, j + 1, r2) <= st->thr) {
      visit(st, j + 1, r2, lp2);
    }
    if (st->budget < 0) return;
  }
}

static int compare_int(const void *a, const void *b) {
  return *(const int *) a - *(const int *) b;
}

/* The tables that matter lie near the ellipsoid of radius R (in standard
 * deviations, R^2 about twice the log probability ratio of the mode to the
 * observed table): a column of total c_j spans about 2 R sd_j + 1 values,
 * and the ellipsoid fills a fraction of that box (the unit ball's volume
 * over 2^d, but at least 2^-d: lattice points, not volume).  lw[j] is the
 * log span of column j; the estimated log number of tables of d columns
 * whose log spans sum to sum_lw is returned. */
static double log_extent(double sum_lw, int d) {
  if (d == 0) return 0.0;
  double ball = 0.5 * d * log(M_PI) - lgammafn(0.5 * d + 1) - d * M_LN2;
  return sum_lw + (ball > -d * M_LN2 ? ball : -d * M_LN2);
}

/* p-value of the 2 x k table with first row x and column totals c
 * (columns with c_j = 0 already removed, k >= 2); NA if the work would
 * exceed the budget. */
static double exact_2xk(int k, const int *x, const int *c_in, double budget) {
  int m = 0, N = 0;
  for (int j = 0; j < k; ++j) {
    m += x[j];
    N += c_in[j];
  }
  /* Pearson X^2 approximates twice the log probability ratio of the mode
   * to the observed table: estimate the work before allocating anything */
  double pm = (double) m / N, x2 = 0.0;
  for (int j = 0; j < k; ++j) {
    double e = c_in[j] * pm;
    x2 += (x[j] - e) * (x[j] - e) / (e * (1 - pm));
  }
  double R = sqrt(x2 + 4.0);
  int *c = (int *) R_alloc(k, sizeof(int));
  memcpy(c, c_in, k * sizeof(int));
  qsort(c, k, sizeof(int), compare_int);
  /* the split into head and tail with the least estimated work; give up
   * at once when even that is far beyond the budget */
  double *lw_head = (double *) R_alloc(k + 1, sizeof(double));
  lw_head[0] = 0.0;
  for (int j = 0; j < k; ++j) {
    double sd = sqrt(c[j] * pm * (1 - pm) * (double) (N - c[j]) / (N > 1 ? N - 1 : 1));
    double w = 2 * R * sd + 1;
    lw_head[j + 1] = lw_head[j] + log(w < c[j] + 1 ? w : c[j] + 1);
  }
  int t0 = k - 2 > 0 ? k - 2 : 0;
  double best = R_PosInf;
  for (int t = 0; t < k; ++t) {
    double h = log_extent(lw_head[t], t);
    double tl = log_extent(lw_head[k] - lw_head[t], k - t);
    double hi = h > tl + M_LN2 ? h : tl + M_LN2;
    double w = hi + log(exp(h - hi) + 2 * exp(tl - hi));
    if (w < best) {
      best = w;
      t0 = t;
    }
  }
  if (best > log(budget) + log(10.0)) return NA_REAL;
  /* the bounds below take a pass over every column for every possible
   * number of events: k (m + 1) steps before any table is visited, more
   * than the enumeration itself for thousands of small columns */
  if ((double) k * (m + 1) > 2 * budget) return NA_REAL;

  double *lf = (double *) R_alloc((size_t) N + 1, sizeof(double));
  ea_log_factorials(lf, N);
  double lobs = 0.0;
  for (int j = 0; j < k; ++j) lobs += log_choose(lf, c_in[j], x[j]);

  int *crest = (int *) R_alloc(k + 1, sizeof(int));
  crest[k] = 0;
  for (int j = k - 1; j >= 0; --j) crest[j] = crest[j + 1] + c[j];

  double **maxlog = (double **) R_alloc(k, sizeof(double *));
  for (int j = k - 1; j >= 0; --j) {
    int len = (crest[j] < m ? crest[j] : m) + 1;
    maxlog[j] = (double *) R_alloc(len, sizeof(double));
    if (j == k - 1) {
      for (int r = 0; r < len; ++r) maxlog[j][r] = log_choose(lf, c[j], r);
    } else {
      int next_len = (crest[j + 1] < m ? crest[j + 1] : m) + 1;
      max_plus_concave(lf, c[j], maxlog[j + 1], next_len, maxlog[j], len);
    }
  }
  /* headmax[s]: the largest log prod C of the head columns 0..t0-1 with s
   * events (-Inf where impossible) */
  double *headmax = (double *) R_alloc((size_t) m + 1, sizeof(double));
  for (int s = 0; s <= m; ++s) headmax[s] = s == 0 ? 0.0 : R_NegInf;
  int head_total = 0;
  for (int j = 0; j < t0; ++j) {
    int len_prev = (head_total < m ? head_total : m) + 1;
    head_total += c[j];
    int len = (head_total < m ? head_total : m) + 1;
    double *prev = (double *) R_alloc(len_prev, sizeof(double));
    memcpy(prev, headmax, len_prev * sizeof(double));
    max_plus_concave(lf, c[j], prev, len_prev, headmax, len);
  }
  tail_sums **tail = (tail_sums **) R_alloc((size_t) m + 1, sizeof(tail_sums *));
  for (int r = 0; r <= m; ++r) tail[r] = NULL;
  double **leaf = (double **) R_alloc((size_t) m + 1, sizeof(double *));
  int *nleaf = (int *) R_alloc((size_t) m + 1, sizeof(int));
  int *capleaf = (int *) R_alloc((size_t) m + 1, sizeof(int));
  for (int r = 0; r <= m; ++r) {
    leaf[r] = NULL;
    nleaf[r] = capleaf[r] = 0;
  }
  exact_state st = {k, t0, c, lf, crest, maxlog, headmax, m,
                    lobs + EA_LOG_TOL, log_choose(lf, N, m), 0.0, 0,
                    budget, tail, leaf, nleaf, capleaf, 0};
  visit(&st, 0, m, 0.0);
  if (st.budget >= 0) flush_leaves(&st);
  if (st.budget < 0) return NA_REAL;
  double p = (double) st.p;
  return p > 1.0 ? 1.0 : p;
}

/* The largest table enumerated: its log factorials are held in memory, so
 * a table of more people than this is left to simulation (in R). */
#define EA_EXACT_MAX_N 5e6

/* events, totals: integer k x nstrata; budget: nodes of the enumeration
 * allowed per table. Returns the exact p-value of each stratum's 2 x k
 * table (events vs non-events), NA where fewer than two groups have people,
 * nobody or everybody had the event, the table has more than
 * EA_EXACT_MAX_N people, or the budget ran out. Sums of counts are held
 * as doubles, so no table overflows an int. */
SEXP ea_exact_2xk(SEXP events, SEXP totals, SEXP dims, SEXP budget) {
  ea_check_dims(dims, 2, "ea_exact_2xk: dims");
  ea_check_vector(events, INTSXP, ea_dims_product(dims), "ea_exact_2xk: events");
  ea_check_vector(totals, INTSXP, XLENGTH(events), "ea_exact_2xk: totals");
  ea_check_vector(budget, REALSXP, 1, "ea_exact_2xk: budget");
  int k = INTEGER_RO(dims)[0];
  R_xlen_t nstrata = (R_xlen_t) INTEGER_RO(dims)[1];
  SEXP out = PROTECT(Rf_allocVector(REALSXP, nstrata));
  int *x = (int *) R_alloc(k > 0 ? k : 1, sizeof(int));
  int *c = (int *) R_alloc(k > 0 ? k : 1, sizeof(int));
  for (R_xlen_t s = 0; s < nstrata; ++s) {
    /* each stratum's scratch memory is freed before the next one's */
    const void *vmax = vmaxget();
    const int *ev = INTEGER_RO(events) + s * k;
    const int *tot = INTEGER_RO(totals) + s * k;
    int used = 0;
    double m = 0, N = 0;
    for (int j = 0; j < k; ++j) {
      if (tot[j] <= 0) continue;
      if (ev[j] < 0 || ev[j] > tot[j]) ea_internal_error("ea_exact_2xk: events outside 0..total");
      x[used] = ev[j];
      c[used] = tot[j];
      m += ev[j];
      N += tot[j];
      ++used;
    }
    if (used < 2 || m == 0 || m == N || N > EA_EXACT_MAX_N) {
      REAL(out)[s] = NA_REAL;
      vmaxset(vmax);
      continue;
    }
    /* the test is symmetric in the two rows; enumerate the smaller one */
    if (2 * m > N) {
      for (int j = 0; j < used; ++j) x[j] = c[j] - x[j];
    }
    REAL(out)[s] = exact_2xk(used, x, c, REAL_RO(budget)[0]);
    vmaxset(vmax);
  }
  UNPROTECT(1);
  return out;
}

