/*
 * sntrup761.c: Streamlined NTRU Prime sntrup761, written from the NTRU
 * Prime round 3 specification (sections 3.5 and 4 of "NTRU Prime: round
 * 3", the algorithms of the "sntrup761" parameter set).
 *
 * The ring is R = Z[x]/(x^p - x - 1); Rq = R/q with coefficients kept
 * in [-(q-1)/2, (q-1)/2], R3 = R/3 with coefficients in {-1, 0, 1}.
 * "Small" polynomials have coefficients in {-1, 0, 1}, "short" ones are
 * small with exactly w nonzero coefficients.
 *
 * Everything that touches a secret runs without secret-dependent branches
 * or memory indices: reductions are multiply-and-shift, selections are
 * masks, the short-polynomial sampler sorts with a fixed network, the
 * inversions are Bernstein-Yang divstep loops of a fixed length.  The one
 * data-dependent loop is key generation's retry until g is invertible mod
 * 3, which reveals only that a discarded g was not.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "protocol/sntrup761.h"
#include "protocol/sntrup761_local.h"
#include "protocol/ssherr.h"

#define P		SNTRUP761_P
#define Q		SNTRUP761_Q
#define W		SNTRUP761_W
#define Q12		((Q - 1) / 2)
#define ROUNDED_MOD	((Q + 2) / 3)	/* 1531 values 3k - q12 */
#define SMALL_BYTES	((P + 3) / 4)	/* 191: four coefficients a byte */
#define RQ_BYTES	SNTRUP761_PUBLICKEY_BYTES
#define ROUNDED_BYTES	(SNTRUP761_CIPHERTEXT_BYTES - HASH_BYTES)
#define HASH_BYTES	32

/* Secret key layout: f, 1/g in R3, pk, rho, Hash4(pk). */
#define SK_F		0
#define SK_V		(SK_F + SMALL_BYTES)
#define SK_PK		(SK_V + SMALL_BYTES)
#define SK_RHO		(SK_PK + RQ_BYTES)
#define SK_CACHE	(SK_RHO + SMALL_BYTES)

#if SK_CACHE + HASH_BYTES != SNTRUP761_SECRETKEY_BYTES
#error secret key layout
#endif

/* floor(2^40 / d) + 1: u * M >> 40 == u / d for all u < 2^26. */
#define FQ_RECIP40	239492840ULL
#define F3_RECIP40	366503875926ULL

/* -1 if x != 0, else 0 */
static int16_t
nonzero_mask(int16_t x)
{
	return (int16_t)((int32_t)((((uint32_t)(uint16_t)x) - 1) >> 31) - 1);
}

/* -1 if x < 0, else 0 */
static int16_t
negative_mask(int16_t x)
{
	return (int16_t)-(int16_t)((uint16_t)x >> 15);
}

int16_t
sntrup761_fq_freeze(int32_t x)
{
	/* Shift into [0, 2^26) by a multiple of q, then reduce. */
	uint32_t u = (uint32_t)(x + Q12 + Q * 4096);
	uint32_t quot = (uint32_t)(((uint64_t)u * FQ_RECIP40) >> 40);

	return (int16_t)((int32_t)(u - quot * Q) - Q12);
}

int8_t
sntrup761_f3_freeze(int32_t x)
{
	uint32_t u = (uint32_t)(x + 1 + 3 * (1 << 24));
	uint32_t quot = (uint32_t)(((uint64_t)u * F3_RECIP40) >> 40);

	return (int8_t)((int32_t)(u - quot * 3) - 1);
}

#define fq_freeze	sntrup761_fq_freeze
#define f3_freeze	sntrup761_f3_freeze

/* a^(q-2) = 1/a in Z/q; the exponent is public. */
static int16_t
fq_recip(int16_t a)
{
	int32_t result = 1, base = a;
	unsigned int e = Q - 2;

	for (; e != 0; e >>= 1) {
		if (e & 1)
			result = fq_freeze(result * base);
		base = fq_freeze(base * base);
	}
	return (int16_t)result;
}

/* Sorting: Knuth's merge exchange (TAOCP 5.2.2, algorithm M), whose
 * compare-exchange positions depend on n only. */
static void
minmax(uint32_t *a, uint32_t *b)
{
	/* All ones if *b < *a: the borrow of a 64-bit subtraction. */
	uint32_t swap = (uint32_t)0 - (uint32_t)(((uint64_t)*b -
	    (uint64_t)*a) >> 63);
	uint32_t t = swap & (*a ^ *b);

	*a ^= t;
	*b ^= t;
}

void
sntrup761_sort(uint32_t *x, size_t n)
{
	size_t t, p, q, r, d, i;

	if (n < 2)
		return;
	for (t = 1; ((size_t)1 << t) < n; t++)
		;
	for (p = (size_t)1 << (t - 1); p > 0; p >>= 1) {
		q = (size_t)1 << (t - 1);
		r = 0;
		d = p;
		for (;;) {
			for (i = 0; i + d < n; i++) {
				if ((i & p) == r)
					minmax(&x[i], &x[i + d]);
			}
			if (q == p)
				break;
			d = q - p;
			q >>= 1;
			r = p;
		}
	}
}

/* Polynomial arithmetic.  Products are reduced with x^p = x + 1. */

/* fg[0..p-1] = f * g over the integers, reduced, not frozen: g small, so
 * every coefficient stays far below 2^31 for f in Rq or R3. */
static void
mult_small(int32_t fg[2 * P - 1], const int16_t *f, const int8_t *g)
{
	int i, j;

	memset(fg, 0, (2 * P - 1) * sizeof(*fg));
	for (i = 0; i < P; i++)
		for (j = 0; j < P; j++)
			fg[i + j] += (int32_t)f[i] * g[j];
	for (i = 2 * P - 2; i >= P; i--) {
		fg[i - P] += fg[i];
		fg[i - P + 1] += fg[i];
	}
}

/* h = f * g in Rq, g small. */
static void
rq_mult_small(int16_t *h, const int16_t *f, const int8_t *g)
{
	int32_t fg[2 * P - 1];
	int i;

	mult_small(fg, f, g);
	for (i = 0; i < P; i++)
		h[i] = fq_freeze(fg[i]);
	explicit_bzero(fg, sizeof(fg));
}

/* h = f * g in R3. */
static void
r3_mult(int8_t *h, const int8_t *f, const int8_t *g)
{
	int32_t fg[2 * P - 1];
	int16_t f16[P];
	int i;

	for (i = 0; i < P; i++)
		f16[i] = f[i];
	mult_small(fg, f16, g);
	for (i = 0; i < P; i++)
		h[i] = f3_freeze(fg[i]);
	explicit_bzero(fg, sizeof(fg));
	explicit_bzero(f16, sizeof(f16));
}

/*
 * The inversions run the constant-time extended gcd of Bernstein and Yang
 * ("Fast constant-time gcd computation and modular inversion", 2019) on
 * the reversed polynomials: f starts as the reversal of x^p - x - 1, g as
 * that of the input, 2p - 1 divsteps; the input is invertible iff delta
 * ends at 0, and then v (reversed, over f[0]) times the initial r[0] is
 * the inverse.
 */

/* The field operations of the two inversions. */
struct field {
	int16_t (*freeze)(int32_t x);	/* x reduced into the field */
	int16_t (*recip)(int16_t a);	/* 1/a, a nonzero */
};

/*
 * out = r0/in in R3 or Rq, as field says; 0, or -1 if in is not
 * invertible.  Each divstep replaces g by f0 g - g0 f (and r by f0 r -
 * g0 v), so no step divides.
 */
static int
recip(int16_t *out, const int8_t *in, int16_t r0, const struct field *F)
{
	int16_t f[P + 1], g[P + 1], v[P + 1], r[P + 1];
	int16_t delta = 1, swap, t, f0, g0, scale;
	int i, loop;

	memset(f, 0, sizeof(f));
	memset(v, 0, sizeof(v));
	memset(r, 0, sizeof(r));
	r[0] = r0;
	f[0] = 1;
	f[P - 1] = f[P] = -1;
	for (i = 0; i < P; i++)
		g[P - 1 - i] = in[i];
	g[P] = 0;
	for (loop = 0; loop < 2 * P - 1; loop++) {
		for (i = P; i > 0; i--)
			v[i] = v[i - 1];
		v[0] = 0;
		swap = negative_mask((int16_t)-delta) & nonzero_mask(g[0]);
		delta ^= swap & (delta ^ (int16_t)-delta);
		delta++;
		for (i = 0; i < P + 1; i++) {
			t = swap & (f[i] ^ g[i]);
			f[i] ^= t;
			g[i] ^= t;
			t = swap & (v[i] ^ r[i]);
			v[i] ^= t;
			r[i] ^= t;
		}
		f0 = f[0];
		g0 = g[0];
		for (i = 0; i < P + 1; i++) {
			g[i] = F->freeze((int32_t)f0 * g[i] -
			    (int32_t)g0 * f[i]);
			r[i] = F->freeze((int32_t)f0 * r[i] -
			    (int32_t)g0 * v[i]);
		}
		for (i = 0; i < P; i++)
			g[i] = g[i + 1];
		g[P] = 0;
	}
	scale = F->recip(f[0]);
	for (i = 0; i < P; i++)
		out[i] = F->freeze((int32_t)scale * v[P - 1 - i]);
	i = nonzero_mask(delta);
	explicit_bzero(f, sizeof(f));
	explicit_bzero(g, sizeof(g));
	explicit_bzero(v, sizeof(v));
	explicit_bzero(r, sizeof(r));
	return i;
}

static int16_t
f3_freeze16(int32_t x)
{
	return f3_freeze(x);
}

/* In Z/3 the only units, 1 and -1, are their own inverses. */
static int16_t
f3_recip(int16_t a)
{
	return a;
}

/* out = 1/in in R3; 0, or -1 if in is not invertible. */
static int
r3_recip(int8_t *out, const int8_t *in)
{
	static const struct field f3 = { f3_freeze16, f3_recip };
	int16_t o[P];
	int i, r;

	r = recip(o, in, 1, &f3);
	for (i = 0; i < P; i++)
		out[i] = (int8_t)o[i];
	explicit_bzero(o, sizeof(o));
	return r;
}

/* out = 1/(3 in) in Rq.  Rq is a field (x^p - x - 1 is irreducible mod
 * q), so every nonzero in has an inverse. */
static void
rq_recip3(int16_t *out, const int8_t *in)
{
	static const struct field fq = { fq_freeze, fq_recip };

	(void)recip(out, in, fq_recip(3), &fq);
}

/* Encode and Decode (specification section 4.4.1).  The byte layout
 * depends on M only; Encode does no division, so it is safe on secrets. */

size_t
sntrup761_encode(uint8_t *out, const uint16_t *R0, const uint16_t *M0,
    size_t n)
{
	uint32_t R[P], M[P], r, m;
	size_t i, len = 0;

	if (n == 0 || n > P)
		return 0;
	for (i = 0; i < n; i++) {
		R[i] = R0[i];
		M[i] = M0[i];
	}
	/* Pairs merge into one value mod M[i]*M[i+1], shedding low bytes
	 * until the modulus is below 2^14; the results form the next level. */
	while (n > 1) {
		for (i = 0; i + 1 < n; i += 2) {
			m = M[i] * M[i + 1];
			r = R[i] + M[i] * R[i + 1];
			while (m >= 16384) {
				out[len++] = (uint8_t)r;
				r >>= 8;
				m = (m + 255) >> 8;
			}
			R[i / 2] = r;
			M[i / 2] = m;
		}
		if (n & 1) {
			R[n / 2] = R[n - 1];
			M[n / 2] = M[n - 1];
		}
		n = (n + 1) / 2;
	}
	for (r = R[0], m = M[0]; m > 1; m = (m + 255) >> 8) {
		out[len++] = (uint8_t)r;
		r >>= 8;
	}
	explicit_bzero(R, sizeof(R));
	return len;
}

#define DECODE_LEVELS	16	/* 761 halves to 1 in 11 levels */

size_t
sntrup761_decode(uint16_t *R, const uint8_t *s, size_t slen,
    const uint16_t *M0, size_t n)
{
	/* Every level's moduli and values, one after the other (n + n/2
	 * rounded up + ... < 2n + levels), and each pair's shed low bytes
	 * (value and bit count) in encoding order. */
	uint32_t M[2 * P + DECODE_LEVELS], V[2 * P + DECODE_LEVELS];
	uint32_t low[P], r, m;
	uint8_t bits[P];
	size_t off[DECODE_LEVELS], cnt[DECODE_LEVELS], pair0[DECODE_LEVELS];
	size_t i, j, k = 0, pos = 0, npairs = 0, cur, nxt, sh;

	if (n == 0 || n > P)
		return 0;
	off[0] = 0;
	cnt[0] = n;
	for (i = 0; i < n; i++)
		M[i] = M0[i];
	while (cnt[k] > 1) {
		cur = off[k];
		nxt = off[k + 1] = cur + cnt[k];
		pair0[k] = npairs;
		for (i = 0; i + 1 < cnt[k]; i += 2) {
			m = M[cur + i] * M[cur + i + 1];
			for (r = 0, sh = 0; m >= 16384; sh += 8) {
				if (pos >= slen)
					return 0;
				r |= (uint32_t)s[pos++] << sh;
				m = (m + 255) >> 8;
			}
			low[npairs] = r;
			bits[npairs++] = (uint8_t)sh;
			M[nxt + i / 2] = m;
		}
		if (cnt[k] & 1)
			M[nxt + cnt[k] / 2] = M[cur + cnt[k] - 1];
		cnt[k + 1] = (cnt[k] + 1) / 2;
		k++;
	}
	cur = off[k];
	for (r = 0, sh = 0, m = M[cur]; m > 1; sh += 8) {
		if (pos >= slen)
			return 0;
		r |= (uint32_t)s[pos++] << sh;
		m = (m + 255) >> 8;
	}
	V[cur] = r % M[cur];
	while (k-- > 0) {
		cur = off[k];
		nxt = off[k + 1];
		for (i = 0, j = pair0[k]; i + 1 < cnt[k]; i += 2, j++) {
			r = low[j] + (V[nxt + i / 2] << bits[j]);
			V[cur + i] = r % M[cur + i];
			V[cur + i + 1] = (r / M[cur + i]) % M[cur + i + 1];
		}
		if (cnt[k] & 1)
			V[cur + cnt[k] - 1] = V[nxt + cnt[k] / 2];
	}
	for (i = 0; i < n; i++)
		R[i] = (uint16_t)V[i];
	return pos;
}

/* The three encodings of section 4.4: small (2 bits a coefficient, for
 * the secret key), Rq (public key) and rounded (ciphertext). */

static void
small_encode(uint8_t *s, const int8_t *f)
{
	int i, j;
	uint8_t x;

	for (i = 0; i < P / 4; i++) {
		for (x = 0, j = 0; j < 4; j++)
			x |= (uint8_t)((f[4 * i + j] + 1) << (2 * j));
		s[i] = x;
	}
	s[i] = (uint8_t)(f[P - 1] + 1);
}

static void
small_decode(int8_t *f, const uint8_t *s)
{
	int i, j;

	for (i = 0; i < P / 4; i++)
		for (j = 0; j < 4; j++)
			f[4 * i + j] = (int8_t)(((s[i] >> (2 * j)) & 3) - 1);
	f[P - 1] = (int8_t)((s[i] & 3) - 1);
}

static void
rq_encode(uint8_t *s, const int16_t *h)
{
	uint16_t R[P], M[P];
	int i;

	for (i = 0; i < P; i++) {
		R[i] = (uint16_t)(h[i] + Q12);
		M[i] = Q;
	}
	sntrup761_encode(s, R, M, P);
}

static void
rq_decode(int16_t *h, const uint8_t *s)
{
	uint16_t R[P], M[P];
	int i;

	for (i = 0; i < P; i++)
		M[i] = Q;
	sntrup761_decode(R, s, RQ_BYTES, M, P);
	for (i = 0; i < P; i++)
		h[i] = (int16_t)(R[i] - Q12);
}

static void
rounded_encode(uint8_t *s, const int16_t *c)
{
	uint16_t R[P], M[P];
	int i;

	/* (c + q12) / 3 without a division: exact below 2^15 */
	for (i = 0; i < P; i++) {
		R[i] = (uint16_t)(((uint32_t)(c[i] + Q12) * 10923) >> 15);
		M[i] = ROUNDED_MOD;
	}
	sntrup761_encode(s, R, M, P);
	explicit_bzero(R, sizeof(R));
}

static void
rounded_decode(int16_t *c, const uint8_t *s)
{
	uint16_t R[P], M[P];
	int i;

	for (i = 0; i < P; i++)
		M[i] = ROUNDED_MOD;
	sntrup761_decode(R, s, ROUNDED_BYTES, M, P);
	for (i = 0; i < P; i++)
		c[i] = (int16_t)(R[i] * 3 - Q12);
}

/* Hash_b(x) = the first 32 bytes of SHA-512(b || x), x in two parts. */
static int
hash_prefix(uint8_t out[HASH_BYTES], uint8_t b, const uint8_t *x1,
    size_t len1, const uint8_t *x2, size_t len2)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	uint8_t h[64];
	unsigned int hlen = 0;
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if ((md = EVP_MD_fetch(NULL, "SHA512", NULL)) == NULL ||
	    (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, &b, 1) != 1 ||
	    EVP_DigestUpdate(ctx, x1, len1) != 1 ||
	    (len2 != 0 && EVP_DigestUpdate(ctx, x2, len2) != 1) ||
	    EVP_DigestFinal_ex(ctx, h, &hlen) != 1 || hlen != sizeof(h))
		goto out;
	memcpy(out, h, HASH_BYTES);
	r = 0;
 out:
	explicit_bzero(h, sizeof(h));
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return r;
}

/* HashConfirm = Hash_2(Hash_3(r) || Hash_4(pk)), Hash_4(pk) cached. */
static int
hash_confirm(uint8_t out[HASH_BYTES], const uint8_t r_enc[SMALL_BYTES],
    const uint8_t cache[HASH_BYTES])
{
	uint8_t x[HASH_BYTES];
	int r;

	if ((r = hash_prefix(x, 3, r_enc, SMALL_BYTES, NULL, 0)) == 0)
		r = hash_prefix(out, 2, x, sizeof(x), cache, HASH_BYTES);
	explicit_bzero(x, sizeof(x));
	return r;
}

/* HashSession = Hash_b(Hash_3(y) || ct): b = 1 for a valid ciphertext
 * (y = r), b = 0 for a rejected one (y = rho). */
static int
hash_session(uint8_t out[HASH_BYTES], uint8_t b,
    const uint8_t y[SMALL_BYTES], const uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES])
{
	uint8_t x[HASH_BYTES];
	int r;

	if ((r = hash_prefix(x, 3, y, SMALL_BYTES, NULL, 0)) == 0)
		r = hash_prefix(out, b, x, sizeof(x), ct,
		    SNTRUP761_CIPHERTEXT_BYTES);
	explicit_bzero(x, sizeof(x));
	return r;
}

static int
random_bytes(sntrup761_rng_fn *rng, void *arg, uint8_t *buf, size_t len)
{
	if (rng != NULL)
		return rng(arg, buf, len);
	return RAND_bytes(buf, (int)len) == 1 ? 0 : SSH_ERR_LIBCRYPTO_ERROR;
}

/* p random little-endian 32-bit words */
static int
random_words(sntrup761_rng_fn *rng, void *arg, uint32_t L[P])
{
	uint8_t b[4 * P];
	int i, r;

	if ((r = random_bytes(rng, arg, b, sizeof(b))) == 0) {
		for (i = 0; i < P; i++)
			L[i] = (uint32_t)b[4 * i] |
			    (uint32_t)b[4 * i + 1] << 8 |
			    (uint32_t)b[4 * i + 2] << 16 |
			    (uint32_t)b[4 * i + 3] << 24;
	}
	explicit_bzero(b, sizeof(b));
	return r;
}

/* A uniform small polynomial: each word's top 30 bits scaled to 0..2. */
static int
small_random(sntrup761_rng_fn *rng, void *arg, int8_t *g)
{
	uint32_t L[P];
	int i, r;

	if ((r = random_words(rng, arg, L)) == 0) {
		for (i = 0; i < P; i++)
			g[i] = (int8_t)((((L[i] & 0x3fffffff) * 3) >> 30) - 1);
	}
	explicit_bzero(L, sizeof(L));
	return r;
}

/*
 * A uniform short polynomial: w words tagged +-1 (low bits 00 or 10) and
 * p - w tagged 0 (low bits 01), sorted by their random high bits, which
 * shuffles the tags without secret indices.
 */
static int
short_random(sntrup761_rng_fn *rng, void *arg, int8_t *f)
{
	uint32_t L[P];
	int i, r;

	if ((r = random_words(rng, arg, L)) == 0) {
		for (i = 0; i < W; i++)
			L[i] &= ~(uint32_t)1;
		for (; i < P; i++)
			L[i] = (L[i] & ~(uint32_t)3) | 1;
		sntrup761_sort(L, P);
		for (i = 0; i < P; i++)
			f[i] = (int8_t)((L[i] & 3) - 1);
	}
	explicit_bzero(L, sizeof(L));
	return r;
}

int
sntrup761_keypair(uint8_t pk[SNTRUP761_PUBLICKEY_BYTES],
    uint8_t sk[SNTRUP761_SECRETKEY_BYTES], sntrup761_rng_fn *rng, void *arg)
{
	int8_t f[P], g[P], v[P];
	int16_t finv[P], h[P];
	int r;

	do {
		if ((r = small_random(rng, arg, g)) != 0)
			goto out;
	} while (r3_recip(v, g) != 0);
	if ((r = short_random(rng, arg, f)) != 0)
		goto out;
	rq_recip3(finv, f);
	rq_mult_small(h, finv, g);	/* h = g / (3f) */
	rq_encode(pk, h);
	small_encode(sk + SK_F, f);
	small_encode(sk + SK_V, v);
	memcpy(sk + SK_PK, pk, RQ_BYTES);
	if ((r = random_bytes(rng, arg, sk + SK_RHO, SMALL_BYTES)) != 0 ||
	    (r = hash_prefix(sk + SK_CACHE, 4, pk, RQ_BYTES, NULL, 0)) != 0)
		goto out;
 out:
	if (r != 0)
		explicit_bzero(sk, SNTRUP761_SECRETKEY_BYTES);
	explicit_bzero(f, sizeof(f));
	explicit_bzero(g, sizeof(g));
	explicit_bzero(v, sizeof(v));
	explicit_bzero(finv, sizeof(finv));
	return r;
}

/* Hide: ct = Rounded(Round(h r)) || HashConfirm(r, pk). */
static int
hide(uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES], const int8_t *r,
    const uint8_t r_enc[SMALL_BYTES], const uint8_t *pk,
    const uint8_t cache[HASH_BYTES])
{
	int16_t h[P], c[P];
	int i;

	rq_decode(h, pk);
	rq_mult_small(c, h, r);
	for (i = 0; i < P; i++)	/* the nearest multiple of 3 */
		c[i] = (int16_t)(c[i] - f3_freeze(c[i]));
	rounded_encode(ct, c);
	explicit_bzero(c, sizeof(c));
	return hash_confirm(ct + ROUNDED_BYTES, r_enc, cache);
}

int
sntrup761_enc(uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES],
    uint8_t k[SNTRUP761_SHARED_BYTES],
    const uint8_t pk[SNTRUP761_PUBLICKEY_BYTES], sntrup761_rng_fn *rng,
    void *arg)
{
	int8_t r[P];
	uint8_t r_enc[SMALL_BYTES], cache[HASH_BYTES];
	int ret;

	if ((ret = short_random(rng, arg, r)) != 0 ||
	    (ret = hash_prefix(cache, 4, pk, RQ_BYTES, NULL, 0)) != 0)
		goto out;
	small_encode(r_enc, r);
	if ((ret = hide(ct, r, r_enc, pk, cache)) != 0 ||
	    (ret = hash_session(k, 1, r_enc, ct)) != 0)
		goto out;
 out:
	if (ret != 0)
		explicit_bzero(k, SNTRUP761_SHARED_BYTES);
	explicit_bzero(r, sizeof(r));
	explicit_bzero(r_enc, sizeof(r_enc));
	return ret;
}

/* r = the short polynomial in c, or (1, ..., 1, 0, ..., 0) with w ones if
 * decryption did not give weight w. */
static void
decrypt(int8_t *r, const int16_t *c, const int8_t *f, const int8_t *v)
{
	int16_t cf[P];
	int8_t e[P], ev[P];
	int16_t weight = 0, mask;
	int i;

	rq_mult_small(cf, c, f);
	for (i = 0; i < P; i++)	/* 3fc in Rq, then mod 3 */
		e[i] = f3_freeze(fq_freeze(3 * (int32_t)cf[i]));
	r3_mult(ev, e, v);
	for (i = 0; i < P; i++)
		weight += ev[i] & 1;
	mask = nonzero_mask((int16_t)(weight - W));
	for (i = 0; i < P; i++)
		r[i] = (int8_t)((ev[i] & ~mask) | ((i < W) & mask));
	explicit_bzero(cf, sizeof(cf));
	explicit_bzero(e, sizeof(e));
	explicit_bzero(ev, sizeof(ev));
}

int
sntrup761_dec(uint8_t k[SNTRUP761_SHARED_BYTES],
    const uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES],
    const uint8_t sk[SNTRUP761_SECRETKEY_BYTES])
{
	int8_t f[P], v[P], r[P];
	int16_t c[P];
	uint8_t r_enc[SMALL_BYTES], ct2[SNTRUP761_CIPHERTEXT_BYTES];
	uint8_t diff = 0, mask;
	int i, ret;

	small_decode(f, sk + SK_F);
	small_decode(v, sk + SK_V);
	rounded_decode(c, ct);
	decrypt(r, c, f, v);
	small_encode(r_enc, r);
	if ((ret = hide(ct2, r, r_enc, sk + SK_PK, sk + SK_CACHE)) != 0)
		goto out;
	for (i = 0; i < SNTRUP761_CIPHERTEXT_BYTES; i++)
		diff |= ct[i] ^ ct2[i];
	/* 0xff if the ciphertext differs from its re-encryption */
	mask = (uint8_t)(((((uint32_t)diff - 1) >> 8) & 1) - 1);
	for (i = 0; i < SMALL_BYTES; i++)
		r_enc[i] ^= mask & (r_enc[i] ^ sk[SK_RHO + i]);
	ret = hash_session(k, (uint8_t)(1 + (int8_t)mask), r_enc, ct);
 out:
	if (ret != 0)
		explicit_bzero(k, SNTRUP761_SHARED_BYTES);
	explicit_bzero(f, sizeof(f));
	explicit_bzero(v, sizeof(v));
	explicit_bzero(r, sizeof(r));
	explicit_bzero(r_enc, sizeof(r_enc));
	explicit_bzero(ct2, sizeof(ct2));
	return ret;
}
