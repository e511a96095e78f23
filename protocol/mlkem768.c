/*
 * mlkem768.c: ML-KEM-768 (FIPS 203), written from the standard's
 * algorithms; the numbers in comments are its algorithm numbers.
 *
 * Coefficients are kept fully reduced in [0, q) as uint16_t.  Every
 * reduction is a multiplication and a masked conditional subtraction, so
 * the time taken depends only on public lengths, never on key, message
 * or ciphertext bytes.  The only data-dependent loop is SampleNTT's
 * rejection sampling, which runs on the public matrix seed rho.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "protocol/mlkem768.h"
#include "protocol/ssherr.h"

#define N		256
#define Q		3329
#define K		3	/* module rank of ML-KEM-768 */
#define ETA		2	/* eta1 = eta2 = 2 for ML-KEM-768 */
#define DU		10
#define DV		4

#define POLY12_LEN	(N * 12 / 8)			/* 384 */
#define PKE_DK_LEN	(K * POLY12_LEN)		/* 1152 */
#define C1_LEN		(K * N * DU / 8)		/* 960 */
#define PRF_LEN		(64 * ETA)			/* 128 */

typedef struct { uint16_t c[N]; } poly;

/* zeta^BitRev7(i) mod q with zeta = 17, for NTT and NTT^-1 (Appendix A). */
static const uint16_t zetas[128] = {
	   1, 1729, 2580, 3289, 2642,  630, 1897,  848,
	1062, 1919,  193,  797, 2786, 3260,  569, 1746,
	 296, 2447, 1339, 1476, 3046,   56, 2240, 1333,
	1426, 2094,  535, 2882, 2393, 2879, 1974,  821,
	 289,  331, 3253, 1756, 1197, 2304, 2277, 2055,
	 650, 1977, 2513,  632, 2865,   33, 1320, 1915,
	2319, 1435,  807,  452, 1438, 2868, 1534, 2402,
	2647, 2617, 1481,  648, 2474, 3110, 1227,  910,
	  17, 2761,  583, 2649, 1637,  723, 2288, 1100,
	1409, 2662, 3281,  233,  756, 2156, 3015, 3050,
	1703, 1651, 2789, 1789, 1847,  952, 1461, 2687,
	 939, 2308, 2437, 2388,  733, 2337,  268,  641,
	1584, 2298, 2037, 3220,  375, 2549, 2090, 1645,
	1063,  319, 2773,  757, 2099,  561, 2466, 2594,
	2804, 1092,  403, 1026, 1143, 2150, 2775,  886,
	1722, 1212, 1874, 1029, 2110, 2935,  885, 2154,
};

/* zeta^(2 BitRev7(i) + 1) mod q, for MultiplyNTTs (Appendix A). */
static const uint16_t gammas[128] = {
	  17, 3312, 2761,  568,  583, 2746, 2649,  680,
	1637, 1692,  723, 2606, 2288, 1041, 1100, 2229,
	1409, 1920, 2662,  667, 3281,   48,  233, 3096,
	 756, 2573, 2156, 1173, 3015,  314, 3050,  279,
	1703, 1626, 1651, 1678, 2789,  540, 1789, 1540,
	1847, 1482,  952, 2377, 1461, 1868, 2687,  642,
	 939, 2390, 2308, 1021, 2437,  892, 2388,  941,
	 733, 2596, 2337,  992,  268, 3061,  641, 2688,
	1584, 1745, 2298, 1031, 2037, 1292, 3220,  109,
	 375, 2954, 2549,  780, 2090, 1239, 1645, 1684,
	1063, 2266,  319, 3010, 2773,  556,  757, 2572,
	2099, 1230,  561, 2768, 2466,  863, 2594,  735,
	2804,  525, 1092, 2237,  403, 2926, 1026, 2303,
	1143, 2186, 2150, 1179, 2775,  554,  886, 2443,
	1722, 1607, 1212, 2117, 1874, 1455, 1029, 2300,
	2110, 1219, 2935,  394,  885, 2444, 2154, 1175,
};

/* a - q if a >= q, for a < 2q: the borrow of a - q becomes the mask. */
static uint16_t
csubq(uint32_t a)
{
	uint32_t t = a - Q;

	return (uint16_t)(t + ((0U - (t >> 31)) & Q));
}

/*
 * a mod q for any 32-bit a, by Barrett: m = floor(2^36 / q) makes the
 * quotient estimate at most one too small (a / 2^36 < 1), so the
 * remainder is below 2q before csubq.
 */
static uint16_t
reduce(uint32_t a)
{
	uint32_t quot = (uint32_t)(((uint64_t)a * 20642678U) >> 36);

	return csubq(a - quot * Q);
}

static uint16_t
fadd(uint16_t a, uint16_t b)
{
	return csubq((uint32_t)a + b);
}

static uint16_t
fsub(uint16_t a, uint16_t b)
{
	return csubq((uint32_t)a + Q - b);
}

static uint16_t
fmul(uint16_t a, uint16_t b)
{
	return reduce((uint32_t)a * b);
}

/*
 * Compress_d (4.7): round(2^d x / q) mod 2^d, computed as
 * floor((x 2^(d+1) + q) / 2q).  The numerator is below 2^24, and for
 * those floor(n / 2q) = (n * ceil(2^38 / 2q)) >> 38 exactly (checked for
 * every x and d used), so no division instruction sees the value.
 */
static uint16_t
compress(uint16_t x, unsigned int d)
{
	uint64_t n = ((uint64_t)x << (d + 1)) + Q;

	return (uint16_t)(((n * 41285358U) >> 38) & ((1U << d) - 1));
}

/* Decompress_d (4.8): round(q y / 2^d). */
static uint16_t
decompress(uint16_t y, unsigned int d)
{
	return (uint16_t)(((uint32_t)y * Q + (1U << (d - 1))) >> d);
}

/* ByteEncode_d (Algorithm 5): 256 d-bit values, little-endian bits. */
static void
byte_encode(uint8_t *out, const poly *f, unsigned int d)
{
	uint32_t acc = 0;
	unsigned int bits = 0, i;

	for (i = 0; i < N; i++) {
		acc |= (uint32_t)f->c[i] << bits;
		for (bits += d; bits >= 8; bits -= 8) {
			*out++ = (uint8_t)acc;
			acc >>= 8;
		}
	}
}

/*
 * ByteDecode_d (Algorithm 6).  For d = 12 the values are taken mod q,
 * as the standard says; a 12-bit value is below 2q, so csubq suffices.
 */
static void
byte_decode(poly *f, const uint8_t *in, unsigned int d)
{
	uint32_t acc = 0, mask = (1U << d) - 1;
	unsigned int bits = 0, i;

	for (i = 0; i < N; i++) {
		for (; bits < d; bits += 8)
			acc |= (uint32_t)*in++ << bits;
		f->c[i] = (uint16_t)(acc & mask);
		if (d == 12)
			f->c[i] = csubq(f->c[i]);
		acc >>= d;
		bits -= d;
	}
}

/* NTT (Algorithm 9), in place. */
static void
ntt(poly *f)
{
	unsigned int len, start, j, i = 1;
	uint16_t zeta, t;

	for (len = 128; len >= 2; len /= 2) {
		for (start = 0; start < N; start += 2 * len) {
			zeta = zetas[i++];
			for (j = start; j < start + len; j++) {
				t = fmul(zeta, f->c[j + len]);
				f->c[j + len] = fsub(f->c[j], t);
				f->c[j] = fadd(f->c[j], t);
			}
		}
	}
}

/* NTT^-1 (Algorithm 10), in place; 3303 = 128^-1 mod q. */
static void
ntt_inverse(poly *f)
{
	unsigned int len, start, j, i = 127;
	uint16_t zeta, t;

	for (len = 2; len <= 128; len *= 2) {
		for (start = 0; start < N; start += 2 * len) {
			zeta = zetas[i--];
			for (j = start; j < start + len; j++) {
				t = f->c[j];
				f->c[j] = fadd(t, f->c[j + len]);
				f->c[j + len] = fmul(zeta,
				    fsub(f->c[j + len], t));
			}
		}
	}
	for (j = 0; j < N; j++)
		f->c[j] = fmul(f->c[j], 3303);
}

/* h += f * g in the NTT domain (MultiplyNTTs, Algorithms 11 and 12). */
static void
ntt_mul_acc(poly *h, const poly *f, const poly *g)
{
	unsigned int i;
	uint16_t a0, a1, b0, b1;

	for (i = 0; i < N / 2; i++) {
		a0 = f->c[2 * i];
		a1 = f->c[2 * i + 1];
		b0 = g->c[2 * i];
		b1 = g->c[2 * i + 1];
		h->c[2 * i] = fadd(h->c[2 * i], reduce((uint32_t)a0 * b0 +
		    (uint32_t)fmul(a1, b1) * gammas[i]));
		h->c[2 * i + 1] = fadd(h->c[2 * i + 1],
		    reduce((uint32_t)a0 * b1 + (uint32_t)a1 * b0));
	}
}

static void
poly_add(poly *h, const poly *f)
{
	unsigned int i;

	for (i = 0; i < N; i++)
		h->c[i] = fadd(h->c[i], f->c[i]);
}

/* Hash or XOF of the concatenation a || b, outlen bytes, through EVP. */
static int
hash2(const char *name, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, uint8_t *out, size_t outlen)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned int got = 0;
	int xof = strncmp(name, "SHAKE", 5) == 0, r = SSH_ERR_LIBCRYPTO_ERROR;

	if ((md = EVP_MD_fetch(NULL, name, NULL)) == NULL ||
	    (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, a, alen) != 1 ||
	    (blen != 0 && EVP_DigestUpdate(ctx, b, blen) != 1))
		goto out;
	if (xof ? EVP_DigestFinalXOF(ctx, out, outlen) != 1 :
	    (size_t)EVP_MD_get_size(md) != outlen ||
	    EVP_DigestFinal_ex(ctx, out, &got) != 1)
		goto out;
	r = 0;
 out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return r;
}

/* PRF_eta(s, b) = SHAKE256(s || b, 64 eta) and SamplePolyCBD_eta
 * (Algorithm 8) for eta = 2: each coefficient is x - y, x and y the sums
 * of two bits. */
static int
sample_cbd(poly *f, const uint8_t seed[32], uint8_t nonce)
{
	uint8_t buf[PRF_LEN];
	unsigned int i, b, x, y;
	int r;

	if ((r = hash2("SHAKE256", seed, 32, &nonce, 1, buf,
	    sizeof(buf))) != 0)
		return r;
	for (i = 0; i < N; i++) {
		b = (buf[i / 2] >> (4 * (i % 2))) & 0xf;
		x = (b & 1) + ((b >> 1) & 1);
		y = ((b >> 2) & 1) + ((b >> 3) & 1);
		f->c[i] = csubq(x + Q - y);
	}
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

/*
 * SampleNTT (Algorithm 7) of rho || j || i.  OpenSSL 3.0 has no
 * incremental squeeze (EVP_DigestSqueeze is 3.3), so the XOF output is
 * asked for at once: 5 SHAKE128 blocks give 560 candidates for the 256
 * coefficients, of which about 455 are accepted on average; failing that
 * (never seen for a random rho) the output is asked for again, four
 * times longer each time, which extends the same stream.  The bound
 * stops a loop forever on a broken XOF.
 */
static int
sample_ntt(poly *a, const uint8_t rho[32], uint8_t j, uint8_t i)
{
	const uint8_t ji[2] = { j, i };
	size_t len, pos, n;
	uint8_t *buf = NULL;
	uint16_t d1, d2;
	int r = SSH_ERR_INTERNAL_ERROR;

	for (len = 5 * 168; len <= 5 * 168 * 64; len *= 4) {
		free(buf);
		if ((buf = malloc(len)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		if ((r = hash2("SHAKE128", rho, 32, ji, 2, buf, len)) != 0)
			break;
		for (n = 0, pos = 0; n < N && pos + 3 <= len; pos += 3) {
			d1 = buf[pos] | (uint16_t)(buf[pos + 1] & 0xf) << 8;
			d2 = buf[pos + 1] >> 4 | (uint16_t)buf[pos + 2] << 4;
			if (d1 < Q)
				a->c[n++] = d1;
			if (d2 < Q && n < N)
				a->c[n++] = d2;
		}
		if (n == N)
			break;
		r = SSH_ERR_INTERNAL_ERROR;
	}
	free(buf);
	return r;
}

/* The matrix A-hat (or its transpose) from rho (Algorithms 13, 14). */
static int
expand_matrix(poly a[K][K], const uint8_t rho[32], int transpose)
{
	unsigned int i, j;
	int r;

	for (i = 0; i < K; i++) {
		for (j = 0; j < K; j++) {
			if ((r = sample_ntt(transpose ? &a[j][i] : &a[i][j],
			    rho, (uint8_t)j, (uint8_t)i)) != 0)
				return r;
		}
	}
	return 0;
}

/* The state of one K-PKE operation: big, so on the heap and wiped. */
struct pke {
	poly	a[K][K];
	poly	s[K];	/* s-hat, or y-hat in Encrypt */
	poly	e[K];	/* e, or e1; u in Decrypt */
	poly	t[K];	/* t-hat; u in Encrypt */
	poly	v;	/* v, or w */
	poly	p;	/* scratch */
};

static int
pke_new(struct pke **pp)
{
	return (*pp = calloc(1, sizeof(**pp))) == NULL ? SSH_ERR_ALLOC_FAIL : 0;
}

static void
pke_free(struct pke *p)
{
	freezero(p, sizeof(*p));
}

/* K-PKE.KeyGen (Algorithm 13): ek_pke (1184 bytes), dk_pke (1152). */
static int
pke_keygen(const uint8_t d[32], uint8_t *ek, uint8_t *dk)
{
	struct pke *p = NULL;
	uint8_t rhosigma[64], k = K;
	unsigned int i, j;
	int r;

	if ((r = pke_new(&p)) != 0)
		return r;
	if ((r = hash2("SHA3-512", d, 32, &k, 1, rhosigma,
	    sizeof(rhosigma))) != 0 ||
	    (r = expand_matrix(p->a, rhosigma, 0)) != 0)
		goto out;
	for (i = 0; i < K; i++) {
		if ((r = sample_cbd(&p->s[i], rhosigma + 32, i)) != 0 ||
		    (r = sample_cbd(&p->e[i], rhosigma + 32, K + i)) != 0)
			goto out;
		ntt(&p->s[i]);
		ntt(&p->e[i]);
	}
	for (i = 0; i < K; i++) {
		p->t[i] = p->e[i];
		for (j = 0; j < K; j++)
			ntt_mul_acc(&p->t[i], &p->a[i][j], &p->s[j]);
		byte_encode(ek + i * POLY12_LEN, &p->t[i], 12);
		byte_encode(dk + i * POLY12_LEN, &p->s[i], 12);
	}
	memcpy(ek + PKE_DK_LEN, rhosigma, 32);
 out:
	explicit_bzero(rhosigma, sizeof(rhosigma));
	pke_free(p);
	return r;
}

/* K-PKE.Encrypt (Algorithm 14) of the 32-byte m with randomness rnd. */
static int
pke_encrypt(const uint8_t *ek, const uint8_t m[32], const uint8_t rnd[32],
    uint8_t *ct)
{
	struct pke *p = NULL;
	unsigned int i, j;
	int r;

	if ((r = pke_new(&p)) != 0)
		return r;
	if ((r = expand_matrix(p->a, ek + PKE_DK_LEN, 1)) != 0)
		goto out;
	for (i = 0; i < K; i++) {
		byte_decode(&p->t[i], ek + i * POLY12_LEN, 12);
		if ((r = sample_cbd(&p->s[i], rnd, i)) != 0 ||
		    (r = sample_cbd(&p->e[i], rnd, K + i)) != 0)
			goto out;
		ntt(&p->s[i]);
	}
	if ((r = sample_cbd(&p->v, rnd, 2 * K)) != 0)
		goto out;
	/* u = NTT^-1(A-hat^T y-hat) + e1, into e. */
	for (i = 0; i < K; i++) {
		memset(&p->p, 0, sizeof(p->p));
		for (j = 0; j < K; j++)
			ntt_mul_acc(&p->p, &p->a[i][j], &p->s[j]);
		ntt_inverse(&p->p);
		poly_add(&p->e[i], &p->p);
		for (j = 0; j < N; j++)
			p->p.c[j] = compress(p->e[i].c[j], DU);
		byte_encode(ct + i * (N * DU / 8), &p->p, DU);
	}
	/* v = NTT^-1(t-hat^T y-hat) + e2 + Decompress_1(m). */
	memset(&p->p, 0, sizeof(p->p));
	for (j = 0; j < K; j++)
		ntt_mul_acc(&p->p, &p->t[j], &p->s[j]);
	ntt_inverse(&p->p);
	poly_add(&p->v, &p->p);
	for (j = 0; j < N; j++)
		p->p.c[j] = decompress((m[j / 8] >> (j % 8)) & 1, 1);
	poly_add(&p->v, &p->p);
	for (j = 0; j < N; j++)
		p->p.c[j] = compress(p->v.c[j], DV);
	byte_encode(ct + C1_LEN, &p->p, DV);
 out:
	pke_free(p);
	return r;
}

/* K-PKE.Decrypt (Algorithm 15): the 32-byte message m. */
static int
pke_decrypt(const uint8_t *dk, const uint8_t *ct, uint8_t m[32])
{
	struct pke *p = NULL;
	unsigned int i, j;
	int r;

	if ((r = pke_new(&p)) != 0)
		return r;
	memset(&p->p, 0, sizeof(p->p));
	for (i = 0; i < K; i++) {
		byte_decode(&p->e[i], ct + i * (N * DU / 8), DU);
		for (j = 0; j < N; j++)
			p->e[i].c[j] = decompress(p->e[i].c[j], DU);
		ntt(&p->e[i]);
		byte_decode(&p->s[i], dk + i * POLY12_LEN, 12);
		ntt_mul_acc(&p->p, &p->s[i], &p->e[i]);
	}
	ntt_inverse(&p->p);
	byte_decode(&p->v, ct + C1_LEN, DV);
	memset(m, 0, 32);
	for (j = 0; j < N; j++) {
		p->v.c[j] = fsub(decompress(p->v.c[j], DV), p->p.c[j]);
		m[j / 8] |= (uint8_t)(compress(p->v.c[j], 1) << (j % 8));
	}
	pke_free(p);
	return 0;
}

int
mlkem768_keygen(const uint8_t d[MLKEM768_SEED_LEN],
    const uint8_t z[MLKEM768_SEED_LEN], uint8_t ek[MLKEM768_EK_LEN],
    uint8_t dk[MLKEM768_DK_LEN])
{
	int r;

	if (d == NULL || z == NULL || ek == NULL || dk == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	/* dk = dk_pke || ek || H(ek) || z (Algorithm 16). */
	if ((r = pke_keygen(d, ek, dk)) != 0 ||
	    (r = hash2("SHA3-256", ek, MLKEM768_EK_LEN, NULL, 0,
	    dk + PKE_DK_LEN + MLKEM768_EK_LEN, 32)) != 0) {
		explicit_bzero(dk, MLKEM768_DK_LEN);
		return r;
	}
	memcpy(dk + PKE_DK_LEN, ek, MLKEM768_EK_LEN);
	memcpy(dk + MLKEM768_DK_LEN - 32, z, 32);
	return 0;
}

int
mlkem768_check_ek(const uint8_t *ek, size_t eklen)
{
	poly t;
	uint8_t again[POLY12_LEN];
	unsigned int i;

	if (ek == NULL || eklen != MLKEM768_EK_LEN)
		return SSH_ERR_INVALID_FORMAT;
	for (i = 0; i < K; i++) {
		byte_decode(&t, ek + i * POLY12_LEN, 12);
		byte_encode(again, &t, 12);
		if (memcmp(again, ek + i * POLY12_LEN, POLY12_LEN) != 0)
			return SSH_ERR_INVALID_FORMAT;
	}
	return 0;
}

int
mlkem768_encaps(const uint8_t *ek, size_t eklen,
    const uint8_t m[MLKEM768_SEED_LEN], uint8_t ct[MLKEM768_CT_LEN],
    uint8_t ss[MLKEM768_SS_LEN])
{
	uint8_t h[32], kr[64];
	int r;

	if (m == NULL || ct == NULL || ss == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = mlkem768_check_ek(ek, eklen)) != 0)
		return r;
	/* (K, r) = G(m || H(ek)); c = K-PKE.Encrypt(ek, m, r). */
	if ((r = hash2("SHA3-256", ek, eklen, NULL, 0, h, sizeof(h))) != 0 ||
	    (r = hash2("SHA3-512", m, 32, h, sizeof(h), kr,
	    sizeof(kr))) != 0 ||
	    (r = pke_encrypt(ek, m, kr + 32, ct)) != 0)
		goto out;
	memcpy(ss, kr, MLKEM768_SS_LEN);
 out:
	explicit_bzero(kr, sizeof(kr));
	return r;
}

int
mlkem768_decaps(const uint8_t *dk, size_t dklen, const uint8_t *ct,
    size_t ctlen, uint8_t ss[MLKEM768_SS_LEN])
{
	const uint8_t *ek = dk + PKE_DK_LEN, *h = ek + MLKEM768_EK_LEN;
	const uint8_t *z = h + 32;
	uint8_t hek[32], m[32], kr[64], reject[32], *again = NULL;
	uint8_t diff = 0, mask;
	size_t i;
	int r;

	if (dk == NULL || ct == NULL || ss == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (dklen != MLKEM768_DK_LEN || ctlen != MLKEM768_CT_LEN)
		return SSH_ERR_INVALID_FORMAT;
	/* Section 7.3's hash check: H(ek) as stored in dk. */
	if ((r = hash2("SHA3-256", ek, MLKEM768_EK_LEN, NULL, 0, hek,
	    sizeof(hek))) != 0)
		return r;
	if (CRYPTO_memcmp(hek, h, sizeof(hek)) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if ((again = malloc(MLKEM768_CT_LEN)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	/* m' = Decrypt(dk_pke, c); (K', r') = G(m' || h); K-bar = J(z || c);
	 * c' = Encrypt(ek_pke, m', r'). */
	if ((r = pke_decrypt(dk, ct, m)) != 0 ||
	    (r = hash2("SHA3-512", m, sizeof(m), h, 32, kr,
	    sizeof(kr))) != 0 ||
	    (r = hash2("SHAKE256", z, 32, ct, ctlen, reject,
	    sizeof(reject))) != 0 ||
	    (r = pke_encrypt(ek, m, kr + 32, again)) != 0)
		goto out;
	/* K' if c' == c, else K-bar: compared and selected by masks. */
	for (i = 0; i < MLKEM768_CT_LEN; i++)
		diff |= again[i] ^ ct[i];
	mask = (uint8_t)((0U - (uint32_t)diff) >> 8);	/* 0xff iff diff != 0 */
	for (i = 0; i < MLKEM768_SS_LEN; i++)
		ss[i] = (uint8_t)((kr[i] & ~mask) | (reject[i] & mask));
 out:
	explicit_bzero(m, sizeof(m));
	explicit_bzero(kr, sizeof(kr));
	explicit_bzero(reject, sizeof(reject));
	freezero(again, MLKEM768_CT_LEN);
	return r;
}
