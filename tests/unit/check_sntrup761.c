/*
 * check_sntrup761.c: Streamlined NTRU Prime sntrup761 (protocol/sntrup761.c)
 * and the sntrup761x25519-sha512 key exchange built on it: the arithmetic
 * helpers, the encodings, deterministic known answers, implicit
 * rejection.  The kex method (protocol/kex_hybrid.c) is check_kex_hybrid;
 * interop with OpenSSH and PuTTY is tests/test_kex_sntrup.py.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/sntrup761.h"
#include "protocol/sntrup761_local.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

/* SHA-256 of pk, ct and k from drbg seed 0 (test_known_answer). */
#define KAT_PK	"fb7c1dde6aa87152c544668d715fee9709db00fa539704e7b7debe2691fa0731"
#define KAT_CT	"8af805c6bc284f587900c1d588bbb91b8a41bda19abd7ddabc2ffe4850ed99ad"
#define KAT_K	"3377242193b6683d5ed0a74bfdf59e50f74bc040f17ddccc31d73305a83f410d"

#define P	SNTRUP761_P
#define Q	SNTRUP761_Q

/* A deterministic byte stream: SHA-512(seed || counter) blocks. */
struct drbg {
	uint8_t seed;
	uint32_t ctr;
};

static int
drbg_bytes(void *arg, uint8_t *buf, size_t len)
{
	struct drbg *d = arg;
	uint8_t in[5], out[64];
	size_t n;

	while (len > 0) {
		in[0] = d->seed;
		in[1] = (uint8_t)(d->ctr >> 24);
		in[2] = (uint8_t)(d->ctr >> 16);
		in[3] = (uint8_t)(d->ctr >> 8);
		in[4] = (uint8_t)d->ctr;
		d->ctr++;
		ck_assert(EVP_Q_digest(NULL, "SHA512", NULL, in, sizeof(in),
		    out, NULL));
		n = len < sizeof(out) ? len : sizeof(out);
		memcpy(buf, out, n);
		buf += n;
		len -= n;
	}
	return 0;
}

static void
sha256_hex(const uint8_t *d, size_t len, char hex[65])
{
	uint8_t h[32];
	int i;

	ck_assert(EVP_Q_digest(NULL, "SHA256", NULL, d, len, h, NULL));
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
}

/* Hash_b(x1 || x2) of the specification, computed independently. */
static void
spec_hash(uint8_t out[32], uint8_t b, const uint8_t *x1, size_t l1,
    const uint8_t *x2, size_t l2)
{
	uint8_t *m = malloc(1 + l1 + l2), h[64];

	ck_assert_ptr_nonnull(m);
	m[0] = b;
	memcpy(m + 1, x1, l1);
	if (l2 != 0)
		memcpy(m + 1 + l1, x2, l2);
	ck_assert(EVP_Q_digest(NULL, "SHA512", NULL, m, 1 + l1 + l2, h,
	    NULL));
	memcpy(out, h, 32);
	free(m);
}

START_TEST(test_freeze)
{
	int32_t x, mq, m3;

	for (x = -(1 << 24); x < (1 << 24); x++) {
		mq = ((x % Q) + Q) % Q;
		if (mq > (Q - 1) / 2)
			mq -= Q;
		m3 = ((x % 3) + 3) % 3;
		if (m3 == 2)
			m3 = -1;
		if (sntrup761_fq_freeze(x) != mq || sntrup761_f3_freeze(x) != m3)
			ck_abort_msg("freeze(%d): %d %d, want %d %d", x,
			    sntrup761_fq_freeze(x), sntrup761_f3_freeze(x),
			    mq, m3);
	}
}
END_TEST

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

START_TEST(test_sort)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 16, 17, 100, 761 };
	struct drbg d = { 9, 0 };
	uint32_t x[P], y[P];
	size_t i, k;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		drbg_bytes(&d, (uint8_t *)x, sizeof(x));
		/* Duplicates and extremes too. */
		if (sizes[k] > 4) {
			x[0] = x[1];
			x[2] = 0;
			x[3] = 0xffffffff;
		}
		memcpy(y, x, sizeof(x));
		sntrup761_sort(x, sizes[k]);
		if (sizes[k] > 0)
			qsort(y, sizes[k], sizeof(y[0]), cmp_u32);
		for (i = 0; i < sizes[k]; i++)
			ck_assert_uint_eq(x[i], y[i]);
	}
}
END_TEST

/* The fixed sizes of the two wire encodings, and round trips. */
START_TEST(test_encode_roundtrip)
{
	static const uint16_t mods[] = { Q, (Q + 2) / 3 };
	static const size_t lens[] = { 1158, 1007 };
	struct drbg d = { 1, 0 };
	uint16_t R[P], M[P], R2[P];
	uint8_t s[2 * P + 16], rnd[2 * P];
	size_t i, k, n;

	for (k = 0; k < 2; k++) {
		drbg_bytes(&d, rnd, sizeof(rnd));
		for (i = 0; i < P; i++) {
			M[i] = mods[k];
			R[i] = (uint16_t)((rnd[2 * i] | rnd[2 * i + 1] << 8) %
			    M[i]);
		}
		/* the extremes, 0 and M - 1 */
		R[0] = 0;
		R[P - 1] = (uint16_t)(M[0] - 1);
		ck_assert_uint_eq(sntrup761_encode(s, R, M, P), lens[k]);
		ck_assert_uint_eq(sntrup761_decode(R2, s, lens[k], M, P),
		    lens[k]);
		ck_assert_mem_eq(R, R2, sizeof(R));
		/* one byte short is refused, any bytes decode in range */
		ck_assert_uint_eq(sntrup761_decode(R2, s, lens[k] - 1, M, P),
		    0);
		memset(s, 0xff, lens[k]);
		ck_assert_uint_eq(sntrup761_decode(R2, s, lens[k], M, P),
		    lens[k]);
		for (i = 0; i < P; i++)
			ck_assert_uint_lt(R2[i], M[i]);
	}
	/* mixed moduli and lengths, odd and even */
	for (n = 1; n < 40; n++) {
		drbg_bytes(&d, rnd, sizeof(rnd));
		for (i = 0; i < n; i++) {
			M[i] = (uint16_t)(1 + (rnd[2 * i] | rnd[2 * i + 1] << 8) %
			    16383);
			R[i] = (uint16_t)(rnd[i + 100] * 77u % M[i]);
		}
		k = sntrup761_encode(s, R, M, n);
		ck_assert_uint_eq(sntrup761_decode(R2, s, k, M, n), k);
		ck_assert_mem_eq(R, R2, n * sizeof(R[0]));
	}
}
END_TEST

/*
 * Known answers derived with the deterministic source above (seed 0), and
 * checked against OpenSSH 9.2's implementation through the interop test:
 * a regression pin, not the NIST KAT (whose AES-CTR DRBG we do not have).
 */
START_TEST(test_known_answer)
{
	struct drbg d = { 0, 0 };
	uint8_t pk[SNTRUP761_PUBLICKEY_BYTES], sk[SNTRUP761_SECRETKEY_BYTES];
	uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES], k1[32], k2[32];
	char hex[65];

	ck_assert_int_eq(sntrup761_keypair(pk, sk, drbg_bytes, &d), 0);
	ck_assert_int_eq(sntrup761_enc(ct, k1, pk, drbg_bytes, &d), 0);
	ck_assert_int_eq(sntrup761_dec(k2, ct, sk), 0);
	ck_assert_mem_eq(k1, k2, 32);
	sha256_hex(pk, sizeof(pk), hex);
	ck_assert_str_eq(hex, KAT_PK);
	sha256_hex(ct, sizeof(ct), hex);
	ck_assert_str_eq(hex, KAT_CT);
	sha256_hex(k1, sizeof(k1), hex);
	ck_assert_str_eq(hex, KAT_K);
	/* the same seed gives the same key pair */
	{
		struct drbg d2 = { 0, 0 };
		uint8_t pk2[SNTRUP761_PUBLICKEY_BYTES];
		uint8_t sk2[SNTRUP761_SECRETKEY_BYTES];

		ck_assert_int_eq(sntrup761_keypair(pk2, sk2, drbg_bytes, &d2),
		    0);
		ck_assert_mem_eq(pk, pk2, sizeof(pk));
		ck_assert_mem_eq(sk, sk2, sizeof(sk));
	}
}
END_TEST

/* Fresh keys (RAND_bytes) agree; the secret key embeds pk and Hash4(pk). */
START_TEST(test_roundtrips)
{
	uint8_t pk[SNTRUP761_PUBLICKEY_BYTES], sk[SNTRUP761_SECRETKEY_BYTES];
	uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES], k1[32], k2[32], h[32];
	int i;

	ck_assert_int_eq(sntrup761_keypair(pk, sk, NULL, NULL), 0);
	ck_assert_mem_eq(sk + 382, pk, sizeof(pk));
	spec_hash(h, 4, pk, sizeof(pk), NULL, 0);
	ck_assert_mem_eq(sk + 382 + 1158 + 191, h, 32);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(sntrup761_enc(ct, k1, pk, NULL, NULL), 0);
		ck_assert_int_eq(sntrup761_dec(k2, ct, sk), 0);
		ck_assert_mem_eq(k1, k2, 32);
	}
}
END_TEST

/* The implicit-rejection key of ct: Hash_0(Hash_3(rho) || ct), rho the
 * secret key's last part. */
static void
rejection_key(uint8_t k[32], const uint8_t *sk, const uint8_t *ct)
{
	uint8_t x[32];

	spec_hash(x, 3, sk + 382 + 1158, 191, NULL, 0);
	spec_hash(k, 0, x, 32, ct, SNTRUP761_CIPHERTEXT_BYTES);
}

/*
 * A changed ciphertext decapsulates to Hash_0(Hash_3(rho) || ct'), the
 * implicit-rejection key, whichever part was changed.
 */
START_TEST(test_implicit_rejection)
{
	static const size_t where[] = { 0, 500, 1006, 1007, 1038 };
	struct drbg d = { 2, 0 };
	uint8_t pk[SNTRUP761_PUBLICKEY_BYTES], sk[SNTRUP761_SECRETKEY_BYTES];
	uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES], k1[32], k2[32], want[32];
	size_t i;

	ck_assert_int_eq(sntrup761_keypair(pk, sk, drbg_bytes, &d), 0);
	ck_assert_int_eq(sntrup761_enc(ct, k1, pk, drbg_bytes, &d), 0);
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		ct[where[i]] ^= 0x01;
		ck_assert_int_eq(sntrup761_dec(k2, ct, sk), 0);
		ck_assert_mem_ne(k1, k2, 32);
		rejection_key(want, sk, ct);
		ck_assert_mem_eq(k2, want, 32);
		ct[where[i]] ^= 0x01;
	}
	ck_assert_int_eq(sntrup761_dec(k2, ct, sk), 0);
	ck_assert_mem_eq(k1, k2, 32);
	/* the valid key is Hash_1(Hash_3(r) || ct), not the rejection one */
	rejection_key(want, sk, ct);
	ck_assert_mem_ne(k1, want, 32);
}
END_TEST

/* Any 1158 bytes are a public key: encapsulation to garbage works. */
START_TEST(test_any_public_key)
{
	uint8_t pk[SNTRUP761_PUBLICKEY_BYTES], ct[SNTRUP761_CIPHERTEXT_BYTES];
	uint8_t k[32];

	memset(pk, 0xff, sizeof(pk));
	ck_assert_int_eq(sntrup761_enc(ct, k, pk, NULL, NULL), 0);
	memset(pk, 0, sizeof(pk));
	ck_assert_int_eq(sntrup761_enc(ct, k, pk, NULL, NULL), 0);
}
END_TEST

/* Not a benchmark: the server's cost per exchange, for the record. */
START_TEST(test_encap_timing)
{
	uint8_t pk[SNTRUP761_PUBLICKEY_BYTES], sk[SNTRUP761_SECRETKEY_BYTES];
	uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES], k[32];
	struct timespec t0, t1;
	int i, n = 20;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(sntrup761_keypair(pk, sk, NULL, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "sntrup761: keypair %.2f ms\n", ms);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(sntrup761_enc(ct, k, pk, NULL, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "sntrup761: %.2f ms per encapsulation\n", ms / n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(sntrup761_dec(k, ct, sk), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "sntrup761: %.2f ms per decapsulation\n", ms / n);
}
END_TEST

static Suite *
sntrup_suite(void)
{
	Suite *s = suite_create("sntrup761");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_freeze);
	tcase_add_test(tc, test_sort);
	tcase_add_test(tc, test_encode_roundtrip);
	tcase_add_test(tc, test_known_answer);
	tcase_add_test(tc, test_roundtrips);
	tcase_add_test(tc, test_implicit_rejection);
	tcase_add_test(tc, test_any_public_key);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("timing");
	tcase_add_test(tc, test_encap_timing);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sntrup_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
