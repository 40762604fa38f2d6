/* cellkey.c: the keyed hash of the cell-key rule (R/suppress-cellkey.R).
 *
 * A cell's position in the perturbation table is SipHash-2-4 (Aumasson
 * and Bernstein 2012, the reference algorithm) of its key sum under a
 * 128-bit key derived from the secret:
 *
 *   k0 = SipHash-2-4(key 0, 0x00 || secret), k1 = SipHash-2-4(key 0, 0x01 || secret)
 *   h  = SipHash-2-4(key (k0, k1), the key sum as an unsigned 64-bit
 *        integer, 8 bytes little-endian)
 *   position = the top 8 bits of h (0 to 255)
 *
 * The key sum is a whole number (record keys are whole numbers from 1 to
 * 256), so the message is exact: the same people give bit-identical
 * positions on every machine. No state is kept between calls. */
#include "equityaudit.h"

#define ROTL(x, b) (uint64_t) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                   \
  do {                                             \
    v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
    v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;         \
    v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;         \
    v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
  } while (0)

static uint64_t read_le64(const unsigned char *p) {
  uint64_t x = 0;
  for (int i = 7; i >= 0; --i) x = (x << 8) | (uint64_t) p[i];
  return x;
}

/* SipHash-2-4 of msg[0..len) under the key (k0, k1) */
static uint64_t siphash24(uint64_t k0, uint64_t k1, const unsigned char *msg, size_t len) {
  uint64_t v0 = k0 ^ UINT64_C(0x736f6d6570736575);
  uint64_t v1 = k1 ^ UINT64_C(0x646f72616e646f6d);
  uint64_t v2 = k0 ^ UINT64_C(0x6c7967656e657261);
  uint64_t v3 = k1 ^ UINT64_C(0x7465646279746573);
  size_t whole = len - len % 8;
  for (size_t i = 0; i < whole; i += 8) {
    uint64_t m = read_le64(msg + i);
    v3 ^= m;
    SIPROUND;
    SIPROUND;
    v0 ^= m;
  }
  uint64_t b = ((uint64_t) len) << 56;
  for (size_t i = 0; i < len % 8; ++i) b |= ((uint64_t) msg[whole + i]) << (8 * i);
  v3 ^= b;
  SIPROUND;
  SIPROUND;
  v0 ^= b;
  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

/* one 64-bit half of the key: SipHash-2-4 under key 0 of tag || secret */
static uint64_t derive_half(unsigned char tag, SEXP secret) {
  R_xlen_t n = XLENGTH(secret);
  unsigned char *buf = (unsigned char *) R_alloc((size_t) n + 1, 1);
  buf[0] = tag;
  for (R_xlen_t i = 0; i < n; ++i) buf[i + 1] = RAW(secret)[i];
  return siphash24(0, 0, buf, (size_t) n + 1);
}

static SEXP as_raw8(uint64_t h) {
  SEXP out = PROTECT(Rf_allocVector(RAWSXP, 8));
  for (int i = 0; i < 8; ++i) RAW(out)[i] = (Rbyte) ((h >> (8 * i)) & 0xff);
  UNPROTECT(1);
  return out;
}

/* SipHash-2-4 of a raw message under a raw 16-byte key, as 8 raw bytes
 * (little-endian): for checking the implementation against the reference
 * test vectors */
SEXP ea_siphash(SEXP key, SEXP msg) {
  ea_check_vector(key, RAWSXP, 16, "key");
  ea_check_vector(msg, RAWSXP, -1, "msg");
  uint64_t k0 = read_le64(RAW(key)), k1 = read_le64(RAW(key) + 8);
  return as_raw8(siphash24(k0, k1, RAW(msg), (size_t) XLENGTH(msg)));
}

/* the position (0 to 255) of each key sum, under the secret (raw bytes) */
SEXP ea_cell_key_hash(SEXP sums, SEXP secret) {
  ea_check_vector(sums, REALSXP, -1, "sums");
  ea_check_vector(secret, RAWSXP, -1, "secret");
  if (XLENGTH(secret) == 0) ea_internal_error("the secret is empty");
  uint64_t k0 = derive_half(0, secret), k1 = derive_half(1, secret);
  R_xlen_t n = XLENGTH(sums);
  SEXP out = PROTECT(Rf_allocVector(INTSXP, n));
  const double *s = REAL(sums);
  int *pos = INTEGER(out);
  for (R_xlen_t i = 0; i < n; ++i) {
    double v = s[i];
    if (!(v >= 0 && v <= 9007199254740992.0) || v != floor(v)) {
      UNPROTECT(1);
      ea_internal_error("key sum %.17g is not a whole number from 0 to 2^53", v);
    }
    uint64_t u = (uint64_t) v;
    unsigned char msg[8];
    for (int j = 0; j < 8; ++j) msg[j] = (unsigned char) ((u >> (8 * j)) & 0xff);
    pos[i] = (int) (siphash24(k0, k1, msg, 8) >> 56);
  }
  UNPROTECT(1);
  return out;
}
