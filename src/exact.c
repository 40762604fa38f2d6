/* exact.c: conditional tests for tables with fixed margins.
 *
 * Owns the exact (Freeman-Halton) p-value of a 2 x k table and the
 * Monte-Carlo p-value of the Pearson statistic for an r x c table.
 *
 * Exact 2 x k test.  With column totals c_j and first-row total m, the
 * tables are the vectors x with 0 <= x_j <= c_j and sum x_j = m, each with
 * probability prod_j C(c_j, x_j) / C(N, m).  The p-value sums the
 * probabilities of the tables no more probable than the observed one.  The
 * columns are enumerated depth first, as in the network algorithm of Mehta
 * and Patel (1983): at a node (column j, r events left) two bounds decide
 * whether the subtree need be visited.  The largest completion probability
 * comes from the max-plus convolution of the concave sequences
 * log C(c_l, .), computed exactly by merging their decreasing increments.
 * When even it is no larger than the observed probability, the whole
 * subtree counts and its total is the closed form C(c_j + ... + c_k, r)
 * (Vandermonde's identity).  When a lower bound of the smallest completion
 * exceeds the observed probability, the subtree is skipped.  The last two
 * columns are handled by a table per number of events r: their log
 * probabilities sorted (the sequence is unimodal, so a merge from both
 * ends sorts it) with prefix sums, so each visit is one bisection.
 *
 * Monte-Carlo test.  Random tables with the observed margins are drawn by
 * sequential conditional hypergeometric sampling (each cell given the
 * cells before it, the decomposition behind Patefield's AS 159), using R's
 * random number generator, so set.seed() reproduces the result.  The
 * p-value is (1 + #{X^2_b >= X^2_obs}) / (B + 1), as in
 * stats::chisq.test(simulate.p.value = TRUE).
 */
#include "equityaudit.h"
#include <float.h>

/* relative tolerance for "no more probable than the observed table" */
#define EA_REL_TOL 1e-7

/* The tables of the last two columns with r events, sorted by their log
 * probability g, with prefix sums of exp(g - gmax) in that order. */
typedef struct {
  int len;
  double gmax;
  double *g;
  double *cum;  /* cum[i] = sum of exp(g[0..i) - gmax) */
} pair_sums;

typedef struct {
  int k;               /* columns with people, sorted by size */
  const int *c;        /* column totals */
  const double *lf;    /* lf[i] = log(i!) for i = 0..N */
  const int *crest;    /* crest[j] = c[j] + ... + c[k-1] */
  double **maxlog;     /* maxlog[j][r]: largest log prod C over completions */
  double thr;          /* log probability threshold (times C(N, m)) */
  double lnorm;        /* log C(N, m) */
  long double p;       /* accumulated p-value */
  double nodes;        /* work since the last interrupt check */
  double budget;       /* work allowed before giving up */
  pair_sums **last;    /* last[r]: the last two columns with r events */
} exact_state;

static inline double log_choose(const double *lf, int n, int x) {
  return lf[n] - lf[x] - lf[n - x];
}

/* maxlog for columns j.. from maxlog for columns j+1..: merge the
 * decreasing increments of log C(c_j, .) and of the next sequence */
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

/* builds the sorted list for r events in the last two columns: g(x) is
 * unimodal in x, so merging inwards from both ends sorts it ascending */
static pair_sums *last_two_sums(const exact_state *st, int r) {
  int a = st->c[st->k - 2], b = st->c[st->k - 1];
  int lo = r - b > 0 ? r - b : 0;
  int hi = a < r ? a : r;
  pair_sums *ps = (pair_sums *) R_alloc(1, sizeof(pair_sums));
  ps->len = hi - lo + 1;
  ps->g = (double *) R_alloc(ps->len, sizeof(double));
  ps->cum = (double *) R_alloc(ps->len + 1, sizeof(double));
  int left = lo, right = hi;
  for (int i = 0; i < ps->len; ++i) {
    double gl = log_choose(st->lf, a, left) + log_choose(st->lf, b, r - left);
    double gr = log_choose(st->lf, a, right) + log_choose(st->lf, b, r - right);
    if (gl <= gr) {
      ps->g[i] = gl;
      ++left;
    } else {
      ps->g[i] = gr;
      --right;
    }
  }
  ps->gmax = ps->g[ps->len - 1];
  long double acc = 0.0;
  ps->cum[0] = 0.0;
  for (int i = 0; i < ps->len; ++i) {
    acc += exp(ps->g[i] - ps->gmax);
    ps->cum[i + 1] = (double) acc;
  }
  return ps;
}

/* counts a unit of work; every 2^16 units checks for an interrupt (and
 * R's time limits) and charges the budget */
static void count_work(exact_state *st) {
  if (++st->nodes >= 65536) {
    st->budget -= st->nodes;
    st->nodes = 0;
    R_CheckUserInterrupt();
  }
}

/* the last two columns: the tables with lp + g <= thr */
static void visit_last_two(exact_state *st, int r, double lp) {
  count_work(st);
  if (st->last[r] == NULL) st->last[r] = last_two_sums(st, r);
  const pair_sums *ps = st->last[r];
  double limit = st->thr - lp;
  if (ps->gmax <= limit) {
    int a = st->c[st->k - 2], b = st->c[st->k - 1];
    st->p += exp(lp + log_choose(st->lf, a + b, r) - st->lnorm);
    return;
  }
  /* number of g values <= limit */
  int L = 0, U = ps->len;
  while (L < U) {
    int mid = L + (U - L) / 2;
    if (ps->g[mid] <= limit) L = mid + 1;
    else U = mid;
  }
  if (L > 0) st->p += ps->cum[L] * exp(ps->gmax + lp - st->lnorm);
}

static void visit(exact_state *st, int j, int r, double lp) {
  if (j == st->k - 2) {
    visit_last_two(st, r, lp);
    return;
  }
  if (st->budget < 0) return;
  count_work(st);
  int cj = st->c[j], rest = st->crest[j + 1];
  int lo = r - rest > 0 ? r - rest : 0;
  int hi = cj < r ? cj : r;
  for (int x = lo; x <= hi; ++x) {
    double lp2 = lp + log_choose(st->lf, cj, x);
    int r2 = r - x;
    if (j + 1 == st->k - 2) {
      visit_last_two(st, r2, lp2);
    } else if (lp2 + st->maxlog[j + 1][r2] <= st->thr) {
      st->p += exp(lp2 + log_choose(st->lf, rest, r2) - st->lnorm);
    } else if (lp2 + min_bound(st, j + 1, r2) <= st->thr) {
      visit(st, j + 1, r2, lp2);
    }
  }
}

static int compare_int(const void *a, const void *b) {
  return *(const int *) a - *(const int *) b;
}

/* p-value of the 2 x k table with first row x and column totals c
 * (columns with c_j = 0 already removed, k >= 2) */
static double exact_2xk(int k, const int *x, const int *c_in, double budget) {
  int m = 0, N = 0;
  for (int j = 0; j < k; ++j) {
    m += x[j];
    N += c_in[j];
  }
  double *lf = (double *) R_alloc((size_t) N + 1, sizeof(double));
  lf[0] = 0.0;
  for (int i = 1; i <= N; ++i) lf[i] = lf[i - 1] + log((double) i);
  double lobs = 0.0;
  for (int j = 0; j < k; ++j) lobs += log_choose(lf, c_in[j], x[j]);

  int *c = (int *) R_alloc(k, sizeof(int));
  memcpy(c, c_in, k * sizeof(int));
  qsort(c, k, sizeof(int), compare_int);
  int *crest = (int *) R_alloc(k + 1, sizeof(int));
  crest[k] = 0;
  for (int j = k - 1; j >= 0; --j) crest[j] = crest[j + 1] + c[j];

  double **maxlog = (double **) R_alloc(k, sizeof(double *));
  for (int j = k - 1; j >= 1; --j) {
    int len = (crest[j] < m ? crest[j] : m) + 1;
    maxlog[j] = (double *) R_alloc(len, sizeof(double));
    if (j == k - 1) {
      for (int r = 0; r < len; ++r) maxlog[j][r] = log_choose(lf, c[j], r);
    } else {
      int next_len = (crest[j + 1] < m ? crest[j + 1] : m) + 1;
      max_plus_concave(lf, c[j], maxlog[j + 1], next_len, maxlog[j], len);
    }
  }
  pair_sums **last = (pair_sums **) R_alloc((size_t) m + 1, sizeof(pair_sums *));
  for (int r = 0; r <= m; ++r) last[r] = NULL;
  exact_state st = {k, c, lf, crest, maxlog, lobs + log1p(EA_REL_TOL),
                    log_choose(lf, N, m), 0.0, 0, budget, last};
  visit(&st, 0, m, 0.0);
  if (st.budget < 0) return NA_REAL;
  double p = (double) st.p;
  return p > 1.0 ? 1.0 : p;
}

/* events, totals: integer k x nstrata; budget: nodes of the enumeration
 * allowed per table. Returns the exact p-value of each stratum's 2 x k
 * table (events vs non-events), NA where fewer than two groups have people,
 * nobody or everybody had the event, or the budget ran out. */
SEXP ea_exact_2xk(SEXP events, SEXP totals, SEXP dims, SEXP budget) {
  int k = INTEGER_RO(dims)[0];
  R_xlen_t nstrata = (R_xlen_t) INTEGER_RO(dims)[1];
  SEXP out = PROTECT(Rf_allocVector(REALSXP, nstrata));
  int *x = (int *) R_alloc(k > 0 ? k : 1, sizeof(int));
  int *c = (int *) R_alloc(k > 0 ? k : 1, sizeof(int));
  for (R_xlen_t s = 0; s < nstrata; ++s) {
    const int *ev = INTEGER_RO(events) + s * k;
    const int *tot = INTEGER_RO(totals) + s * k;
    int used = 0, m = 0, N = 0;
    for (int j = 0; j < k; ++j) {
      if (tot[j] <= 0) continue;
      x[used] = ev[j];
      c[used] = tot[j];
      m += ev[j];
      N += tot[j];
      ++used;
    }
    if (used < 2 || m == 0 || m == N) {
      REAL(out)[s] = NA_REAL;
      continue;
    }
    /* the test is symmetric in the two rows; enumerate the smaller one */
    if (2 * m > N) {
      for (int j = 0; j < used; ++j) x[j] = c[j] - x[j];
    }
    REAL(out)[s] = exact_2xk(used, x, c, Rf_asReal(budget));
  }
  UNPROTECT(1);
  return out;
}

/* ---- Monte-Carlo p-value ------------------------------------------------- */

/* one random table with row totals sr and column totals sc into tab */
static void random_table(int nr, int nc, const int *sr, const int *sc,
                         int *col_left, int *tab) {
  memcpy(col_left, sc, nc * sizeof(int));
  int rest_total = 0;
  for (int j = 0; j < nc; ++j) rest_total += sc[j];
  for (int i = 0; i < nr - 1; ++i) {
    int need = sr[i], pool = rest_total;
    for (int j = 0; j < nc - 1; ++j) {
      pool -= col_left[j];
      int v = need == 0 ? 0 : (int) Rf_rhyper(col_left[j], pool, need);
      tab[i + j * nr] = v;
      need -= v;
      col_left[j] -= v;
    }
    tab[i + (nc - 1) * nr] = need;
    col_left[nc - 1] -= need;
    rest_total -= sr[i];
  }
  for (int j = 0; j < nc; ++j) tab[nr - 1 + j * nr] = col_left[j];
}

static double pearson_stat(int nr, int nc, const int *tab, const double *e) {
  double s = 0.0;
  for (int c = 0; c < nr * nc; ++c) {
    if (e[c] > 0) {
      double d = tab[c] - e[c];
      s += d * d / e[c];
    }
  }
  return s;
}

/* x: integer nr x nc table with no empty row or column; B draws. */
SEXP ea_monte_carlo(SEXP x, SEXP dims, SEXP B_) {
  int nr = INTEGER_RO(dims)[0], nc = INTEGER_RO(dims)[1];
  double B = Rf_asReal(B_);
  const int *obs = INTEGER_RO(x);
  int *sr = (int *) R_alloc(nr, sizeof(int));
  int *sc = (int *) R_alloc(nc, sizeof(int));
  double n = 0;
  memset(sr, 0, nr * sizeof(int));
  memset(sc, 0, nc * sizeof(int));
  for (int j = 0; j < nc; ++j) {
    for (int i = 0; i < nr; ++i) {
      sr[i] += obs[i + j * nr];
      sc[j] += obs[i + j * nr];
      n += obs[i + j * nr];
    }
  }
  double *e = (double *) R_alloc((size_t) nr * nc, sizeof(double));
  for (int j = 0; j < nc; ++j) {
    for (int i = 0; i < nr; ++i) e[i + j * nr] = (double) sr[i] * sc[j] / n;
  }
  int *tab = (int *) R_alloc((size_t) nr * nc, sizeof(int));
  int *col_left = (int *) R_alloc(nc, sizeof(int));
  double stat_obs = pearson_stat(nr, nc, obs, e);
  double almost_one = 1.0 - 64.0 * DBL_EPSILON;
  double hits = 0;
  GetRNGstate();
  for (double b = 0; b < B; ++b) {
    if (((R_xlen_t) b + 1) % 1024 == 0) {
      PutRNGstate();
      R_CheckUserInterrupt();
      GetRNGstate();
    }
    random_table(nr, nc, sr, sc, col_left, tab);
    if (pearson_stat(nr, nc, tab, e) >= almost_one * stat_obs) ++hits;
  }
  PutRNGstate();
  return Rf_ScalarReal((1.0 + hits) / (B + 1.0));
}
