/* exact-tail.c: the tail of the exact 2 x k enumeration (exact-2xk.c
 * describes the algorithm): for each number r of events left to the tail
 * columns, the list of the tail's tables that may matter, sorted by log
 * probability with prefix sums (after the lumped mass of those that count
 * whatever the head holds), and the look-up of a head path in it. */
#include "exact.h"
#include <R_ext/Utils.h>

static void tail_push(tail_sums *ts, double g) {
  if (ts->len == ts->cap) {
    int cap = ts->cap < 64 ? 64 : 2 * ts->cap;
    double *g2 = (double *) R_alloc(cap, sizeof(double));
    if (ts->len > 0) memcpy(g2, ts->g, ts->len * sizeof(double));
    ts->g = g2;
    ts->cap = cap;
  }
  ts->g[ts->len++] = g;
}

/* depth first over the tail columns: tables with g <= lo count for every
 * head, and whole subtrees of them are lumped in closed form */
static void tail_walk(exact_state *st, tail_sums *ts, long double *lumped,
                      int j, int r, double g, double lo) {
  if (st->budget < 0) return;
  count_work(st);
  if (j == st->k - 1) {
    double g2 = g + log_choose(st->lf, st->c[j], r);
    if (g2 <= lo) *lumped += exp(g2 - ts->gref);
    else tail_push(ts, g2);
    return;
  }
  int cj = st->c[j], rest = st->crest[j + 1], xlo, xhi;
  column_range(st, j, r, &xlo, &xhi);
  for (int x = xlo; x <= xhi; ++x) {
    double g2 = g + log_choose(st->lf, cj, x);
    int r2 = r - x;
    if (g2 + st->maxlog[j + 1][r2] <= lo) {
      *lumped += exp(g2 + log_choose(st->lf, rest, r2) - ts->gref);
    } else {
      tail_walk(st, ts, lumped, j + 1, r2, g2, lo);
    }
  }
}

static inline int bucket_of(const tail_sums *ts, double g) {
  double b = (g - ts->b0) * ts->bscale;
  if (!(b > 0)) return 0;
  return b >= ts->nb ? ts->nb - 1 : (int) b;
}

/* sorts ts->g by distributing it into about len buckets of equal width
 * (counting sort), then sorting each bucket (insertion sort when small) */
static void bucket_sort(tail_sums *ts) {
  int n = ts->len;
  ts->nb = n > 0 ? n : 1;
  ts->bstart = (int *) R_alloc(ts->nb + 1, sizeof(int));
  memset(ts->bstart, 0, (ts->nb + 1) * sizeof(int));
  ts->b0 = 0.0;
  ts->bscale = 0.0;
  if (n < 2) {
    ts->bstart[1] = n;
    return;
  }
  double lo = ts->g[0], hi = ts->g[0];
  for (int i = 1; i < n; ++i) {
    if (ts->g[i] < lo) lo = ts->g[i];
    if (ts->g[i] > hi) hi = ts->g[i];
  }
  ts->b0 = lo;
  ts->bscale = hi > lo ? ts->nb / (hi - lo) : 0.0;
  for (int i = 0; i < n; ++i) ++ts->bstart[bucket_of(ts, ts->g[i]) + 1];
  for (int b = 0; b < ts->nb; ++b) ts->bstart[b + 1] += ts->bstart[b];
  int *next = (int *) R_alloc(ts->nb, sizeof(int));
  memcpy(next, ts->bstart, ts->nb * sizeof(int));
  double *out = (double *) R_alloc(n, sizeof(double));
  for (int i = 0; i < n; ++i) out[next[bucket_of(ts, ts->g[i])]++] = ts->g[i];
  for (int b = 0; b < ts->nb; ++b) {
    int from = ts->bstart[b], to = ts->bstart[b + 1];
    if (to - from > 32) {
      R_qsort(out, (size_t) from + 1, (size_t) to);
      continue;
    }
    for (int i = from + 1; i < to; ++i) {
      double v = out[i];
      int j = i - 1;
      while (j >= from && out[j] > v) {
        out[j + 1] = out[j];
        --j;
      }
      out[j + 1] = v;
    }
  }
  ts->g = out;
}

static tail_sums *tail_build(exact_state *st, int r) {
  tail_sums *ts = (tail_sums *) R_alloc(1, sizeof(tail_sums));
  ts->len = ts->cap = 0;
  ts->g = NULL;
  ts->gref = st->maxlog[st->t0][r];
  long double lumped = 0.0;
  double lo = st->thr - st->headmax[st->m - r];
  tail_walk(st, ts, &lumped, st->t0, r, 0.0, lo);
  if (st->budget < 0) return ts;
  bucket_sort(ts);
  ts->cum = (double *) R_alloc(ts->len + 1, sizeof(double));
  long double acc = lumped;
  ts->cum[0] = (double) acc;
  for (int i = 0; i < ts->len; ++i) {
    acc += exp(ts->g[i] - ts->gref);
    ts->cum[i + 1] = (double) acc;
  }
  return ts;
}

/* the tail columns with r events after a head of log value lp: the tables
 * with lp + g <= thr */
void visit_tail(exact_state *st, int r, double lp) {
  count_work(st);
  if (st->tail[r] == NULL) st->tail[r] = tail_build(st, r);
  if (st->budget < 0) return;
  const tail_sums *ts = st->tail[r];
  double limit = st->thr - lp;
  if (ts->len == 0 || ts->g[ts->len - 1] <= limit) {
    st->p += exp(lp + log_choose(st->lf, st->crest[st->t0], r) - st->lnorm);
    return;
  }
  /* number of g values <= limit: all before limit's bucket, then those
   * of the bucket */
  int b = bucket_of(ts, limit);
  int L = ts->bstart[b], U = ts->bstart[b + 1];
  if (limit < ts->g[0]) U = 0;
  while (L < U) {
    int mid = L + (U - L) / 2;
    if (ts->g[mid] <= limit) L = mid + 1;
    else U = mid;
  }
  if (ts->cum[L] > 0) st->p += ts->cum[L] * exp(ts->gref + lp - st->lnorm);
}

