/* exact.h: the state of the exact 2 x k enumeration (exact-2xk.c), shared
 * with the lists of tail tables it looks its head paths up in
 * (exact-tail.c). */
#ifndef EQUITYAUDIT_EXACT_H
#define EQUITYAUDIT_EXACT_H
#include "equityaudit.h"

/* The tables of the tail columns (t0 .. k-1) with r events: those that may
 * matter, sorted by their log probability g, after the lumped mass of those
 * that count whatever the head columns hold.  cum[i] = lumped + sum of
 * exp(g[0..i) - gref). */
typedef struct {
  int len, cap;
  double gref;
  double *g;
  double *cum;
  /* buckets of equal width over [g[0], g[len - 1]]: bucket b holds the
   * entries bstart[b] .. bstart[b + 1] - 1, so a look-up is one bucket */
  int nb;
  double b0, bscale;
  int *bstart;
} tail_sums;

typedef struct {
  int k;               /* columns with people, sorted by size */
  int t0;              /* first column of the tail */
  const int *c;        /* column totals */
  const double *lf;    /* lf[i] = log(i!) for i = 0..N */
  const int *crest;    /* crest[j] = c[j] + ... + c[k-1] */
  double **maxlog;     /* maxlog[j][r]: largest log prod C over completions */
  const double *headmax; /* headmax[s]: largest log prod C of the head with s */
  int m;               /* events */
  double thr;          /* log probability threshold (times C(N, m)) */
  double lnorm;        /* log C(N, m) */
  long double p;       /* accumulated p-value */
  double nodes;        /* work since the last interrupt check */
  double budget;       /* work allowed before giving up */
  tail_sums **tail;    /* tail[r]: the tail columns with r events */
  double **leaf;       /* leaf[r]: log values of head paths waiting for */
  int *nleaf, *capleaf; /* the tail with r events, looked up in batches */
  int pending;         /* head paths waiting */
} exact_state;

static inline double log_choose(const double *lf, int n, int x) {
  return lf[n] - lf[x] - lf[n - x];
}

/* the values column j can take with r events left for columns j.. */
static inline void column_range(const exact_state *st, int j, int r, int *lo, int *hi) {
  int rest = st->crest[j + 1];
  *lo = r - rest > 0 ? r - rest : 0;
  *hi = st->c[j] < r ? st->c[j] : r;
}

/* counts a unit of work; every 2^16 units checks for an interrupt (and
 * R's time limits) and charges the budget */
static inline void count_work(exact_state *st) {
  if (++st->nodes >= 65536) {
    st->budget -= st->nodes;
    st->nodes = 0;
    R_CheckUserInterrupt();
  }
}

void visit_tail(exact_state *st, int r, double lp);

#endif
