/*
 * check_kex_dh.c: finite-field Diffie-Hellman: the RFC 3526 groups, the
 * range check on e and f, agreement, moduli(5) parsing and the
 * group-exchange choice.  (The primality proofs are in check_dh_groups.)
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/dh_groups.h"
#include "protocol/kex_method.h"
#include "protocol/moduli.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

static const struct kex_alg *
alg(const char *name)
{
	const struct kex_alg *a = kex_alg_by_name(name);

	ck_assert_msg(a != NULL, "%s", name);
	return a;
}

static struct dh_group *
rfc3526(unsigned int id)
{
	struct dh_group *g = NULL;

	ck_assert_int_eq(dh_group_rfc3526(id, &g), 0);
	ck_assert_ptr_nonnull(g);
	return g;
}

/* Our typed-in primes are OpenSSL's built-in copies of the same RFC. */
START_TEST(test_rfc3526_match_openssl)
{
	static const struct {
		unsigned int id, bits;
		const char *name;
	} groups[] = {
		{ 14, 2048, "modp_2048" }, { 15, 3072, "modp_3072" },
		{ 16, 4096, "modp_4096" }, { 17, 6144, "modp_6144" },
		{ 18, 8192, "modp_8192" },
	};
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		struct dh_group *g = rfc3526(groups[i].id);
		OSSL_PARAM params[2];
		EVP_PKEY_CTX *ctx;
		EVP_PKEY *pkey = NULL;
		BIGNUM *p = NULL, *gen = NULL;

		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_PKEY_PARAM_GROUP_NAME, (char *)groups[i].name, 0);
		params[1] = OSSL_PARAM_construct_end();
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
		ck_assert_ptr_nonnull(ctx);
		ck_assert_int_eq(EVP_PKEY_fromdata_init(ctx), 1);
		ck_assert_int_eq(EVP_PKEY_fromdata(ctx, &pkey,
		    EVP_PKEY_KEY_PARAMETERS, params), 1);
		ck_assert(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_FFC_P,
		    &p));
		ck_assert(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_FFC_G,
		    &gen));
		ck_assert_uint_eq(dh_group_bits(g), groups[i].bits);
		ck_assert_int_eq(BN_cmp(dh_group_p(g), p), 0);
		ck_assert_int_eq(BN_cmp(dh_group_g(g), gen), 0);
		ck_assert(BN_is_word(dh_group_g(g), 2));
		BN_free(p);
		BN_free(gen);
		EVP_PKEY_free(pkey);
		EVP_PKEY_CTX_free(ctx);
		dh_group_free(g);
	}
	ck_assert_int_eq(dh_group_rfc3526(13, NULL), SSH_ERR_INVALID_ARGUMENT);
	{
		struct dh_group *g = (struct dh_group *)&i;

		ck_assert_int_eq(dh_group_rfc3526(5, &g),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_ptr_null(g);
		ck_assert_int_eq(dh_group_rfc3526(19, &g),
		    SSH_ERR_INVALID_ARGUMENT);
	}
}
END_TEST

START_TEST(test_methods_use_their_groups)
{
	static const struct {
		const char *name;
		unsigned int id;
	} m[] = {
		{ "diffie-hellman-group14-sha256", 14 },
		{ "diffie-hellman-group16-sha512", 16 },
		{ "diffie-hellman-group18-sha512", 18 },
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		struct dh_group *g = rfc3526(m[i].id);
		struct kex_keypair *kp = NULL;
		struct buf *pub = buf_new();
		BIGNUM *y;

		ck_assert_uint_eq(alg(m[i].name)->ka_dh_group, m[i].id);
		ck_assert_int_eq(kex_keypair_new(alg(m[i].name), NULL, &kp),
		    0);
		ck_assert_int_eq(kex_keypair_public(kp, pub), 0);
		ck_assert_uint_le(buf_len(pub), dh_group_bits(g) / 8);
		ck_assert_int_ne(buf_ptr(pub)[0], 0);	/* minimal */
		y = BN_bin2bn(buf_ptr(pub), (int)buf_len(pub), NULL);
		ck_assert_int_eq(dh_group_check_public(g, y), 0);
		BN_free(y);
		kex_keypair_free(kp);
		buf_free(pub);
		dh_group_free(g);
	}
}
END_TEST

/* x = 3 against y = 2^2 gives K = 2^6, e = 2^3: the arithmetic itself. */
START_TEST(test_dh_known_answer)
{
	static const uint8_t x[] = { 3 }, y[] = { 4 };
	struct kex_keypair *kp = NULL;
	struct buf *pub = buf_new(), *K = buf_new();

	ck_assert_int_eq(kex_keypair_from_private(
	    alg("diffie-hellman-group14-sha256"), NULL, x, sizeof(x), &kp), 0);
	ck_assert_int_eq(kex_keypair_public(kp, pub), 0);
	ck_assert_uint_eq(buf_len(pub), 1);
	ck_assert_int_eq(buf_ptr(pub)[0], 8);
	ck_assert_int_eq(kex_shared_secret(kp, y, sizeof(y), K), 0);
	ck_assert_uint_eq(buf_len(K), 5);
	ck_assert_mem_eq(buf_ptr(K), "\0\0\0\1\x40", 5);
	kex_keypair_free(kp);
	buf_free(pub);
	buf_free(K);
}
END_TEST

static uint8_t *
bn_bytes(const BIGNUM *bn, size_t *lenp)
{
	int n = BN_num_bytes(bn);
	uint8_t *d = malloc(n > 0 ? (size_t)n + 1 : 1);

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(BN_bn2bin(bn, d), n);
	*lenp = (size_t)n;
	return d;
}

/* RFC 4253 section 8: e and f must be in [1, p-1]; we also refuse 1 and p-1. */
START_TEST(test_dh_public_range)
{
	const struct kex_alg *a = alg("diffie-hellman-group14-sha256");
	struct dh_group *g = rfc3526(14);
	struct kex_keypair *kp = NULL;
	struct buf *K = buf_new();
	BIGNUM *v = BN_new();
	const int reject[] = { 0, 1, -1, 0x100, 0x101 };	/* p-1: -1 etc. */
	uint8_t *d, big[257];
	size_t i, len;

	ck_assert_int_eq(kex_keypair_new(a, NULL, &kp), 0);
	for (i = 0; i < sizeof(reject) / sizeof(reject[0]); i++) {
		switch (reject[i]) {
		case 0:
		case 1:
			ck_assert(BN_set_word(v, (BN_ULONG)reject[i]));
			break;
		case -1:	/* p - 1 */
			ck_assert(BN_sub(v, dh_group_p(g), BN_value_one()));
			break;
		case 0x100:	/* p */
			ck_assert(BN_copy(v, dh_group_p(g)) != NULL);
			break;
		case 0x101:	/* p + 1 */
			ck_assert(BN_add(v, dh_group_p(g), BN_value_one()));
			break;
		}
		d = bn_bytes(v, &len);
		ck_assert_msg(kex_shared_secret(kp, d, len, K) ==
		    SSH_ERR_INVALID_FORMAT, "case %zu", i);
		ck_assert_int_eq(dh_group_check_public(g, v),
		    SSH_ERR_INVALID_FORMAT);
		free(d);
	}
	/* 1 written with leading zeros is still 1. */
	memset(big, 0, sizeof(big));
	big[255] = 1;
	ck_assert_int_eq(kex_shared_secret(kp, big, 256, K),
	    SSH_ERR_INVALID_FORMAT);
	/* Longer than p: 257 bytes, whatever they hold. */
	big[0] = 0;
	big[256] = 2;
	ck_assert_int_eq(kex_shared_secret(kp, big, 257, K),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_uint_eq(buf_len(K), 0);
	/* 2 and p-2 are fine. */
	ck_assert(BN_set_word(v, 2));
	d = bn_bytes(v, &len);
	ck_assert_int_eq(kex_shared_secret(kp, d, len, K), 0);
	free(d);
	ck_assert(BN_sub(v, dh_group_p(g), BN_value_one()));
	ck_assert(BN_sub(v, v, BN_value_one()));
	d = bn_bytes(v, &len);
	buf_reset(K);
	ck_assert_int_eq(kex_shared_secret(kp, d, len, K), 0);
	free(d);
	kex_keypair_free(kp);
	BN_free(v);
	buf_free(K);
	dh_group_free(g);
}
END_TEST

static void
agree_pair(const struct kex_alg *a, const struct dh_group *group)
{
	struct kex_keypair *c = NULL, *s = NULL;
	struct buf *cpub = buf_new(), *spub = buf_new();
	struct buf *kc = buf_new(), *ks = buf_new();

	ck_assert_int_eq(kex_keypair_new(a, group, &c), 0);
	ck_assert_int_eq(kex_keypair_new(a, group, &s), 0);
	ck_assert_int_eq(kex_keypair_public(c, cpub), 0);
	ck_assert_int_eq(kex_keypair_public(s, spub), 0);
	ck_assert_int_ne(buf_equals(cpub, spub), 0);
	ck_assert_int_eq(kex_shared_secret(c, buf_ptr(spub), buf_len(spub),
	    kc), 0);
	ck_assert_int_eq(kex_shared_secret(s, buf_ptr(cpub), buf_len(cpub),
	    ks), 0);
	ck_assert_int_eq(buf_equals(kc, ks), 0);
	kex_keypair_free(c);
	kex_keypair_free(s);
	buf_free(cpub);
	buf_free(spub);
	buf_free(kc);
	buf_free(ks);
}

START_TEST(test_dh_agree)
{
	struct dh_group *g;

	agree_pair(alg("diffie-hellman-group14-sha256"), NULL);
	agree_pair(alg("diffie-hellman-group16-sha512"), NULL);
	agree_pair(alg("diffie-hellman-group18-sha512"), NULL);
	ck_assert_int_eq(kex_gex_choose(NULL, 2048, 3072, 8192, &g), 0);
	ck_assert_uint_eq(dh_group_bits(g), 3072);
	agree_pair(alg("diffie-hellman-group-exchange-sha256"), g);
	/* The fixed-group methods take no group. */
	{
		struct kex_keypair *kp = NULL;

		ck_assert_int_eq(kex_keypair_new(
		    alg("diffie-hellman-group14-sha256"), g, &kp),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_ptr_null(kp);
	}
	dh_group_free(g);
}
END_TEST

START_TEST(test_dh_exponent_bits)
{
	unsigned int id;

	/* 2 x 256 bits at least (RFC 8268), RFC 3526's estimate above that. */
	for (id = DH_GROUP_RFC3526_FIRST; id <= DH_GROUP_RFC3526_LAST; id++) {
		struct dh_group *g = rfc3526(id);
		unsigned int want = id == 18 ? 620 : id == 17 ? 540 : 512;

		ck_assert_uint_eq(dh_group_exponent_bits(g), want);
		dh_group_free(g);
	}
}
END_TEST

START_TEST(test_dh_group_new_checks)
{
	struct dh_group *g14 = rfc3526(14), *g = NULL;
	BIGNUM *p = BN_new(), *gen = BN_new();
	struct buf *b = buf_new();
	const uint8_t *d;
	size_t len;

	/* Generator 1, p-1, p, 0 refused; 2 and p-2 fine. */
	ck_assert(BN_set_word(gen, 1));
	ck_assert_int_eq(dh_group_new(dh_group_p(g14), gen, &g),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert(BN_sub(gen, dh_group_p(g14), BN_value_one()));
	ck_assert_int_eq(dh_group_new(dh_group_p(g14), gen, &g),
	    SSH_ERR_INVALID_ARGUMENT);
	BN_zero(gen);
	ck_assert_int_eq(dh_group_new(dh_group_p(g14), gen, &g),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert(BN_sub(gen, dh_group_p(g14), BN_value_one()));
	ck_assert(BN_sub(gen, gen, BN_value_one()));
	ck_assert_int_eq(dh_group_new(dh_group_p(g14), gen, &g), 0);
	dh_group_free(g);
	/* Even p, too small, too large. */
	ck_assert(BN_set_word(gen, 2));
	ck_assert(BN_add(p, dh_group_p(g14), BN_value_one()));
	ck_assert_int_eq(dh_group_new(p, gen, &g), SSH_ERR_INVALID_ARGUMENT);
	ck_assert(BN_rshift(p, dh_group_p(g14), 1));
	ck_assert(BN_set_bit(p, 0));
	ck_assert_int_eq(dh_group_new(p, gen, &g), SSH_ERR_INVALID_ARGUMENT);
	ck_assert(BN_lshift(p, dh_group_p(g14), 8192 - 2048 + 1));
	ck_assert(BN_set_bit(p, 0));
	ck_assert_int_eq(dh_group_new(p, gen, &g), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_ptr_null(g);
	/* dh_group_put: mpint p then mpint g, as in KEX_DH_GEX_GROUP. */
	ck_assert_int_eq(dh_group_put(g14, b), 0);
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(b, &d, &len), 0);
	ck_assert_uint_eq(len, 256);
	ck_assert_int_eq(d[0], 0xff);
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(b, &d, &len), 0);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(d[0], 2);
	ck_assert_int_eq(buf_expect_end(b), 0);
	buf_free(b);
	BN_free(p);
	BN_free(gen);
	dh_group_free(g14);
}
END_TEST

/* A moduli(5) line for RFC 3526 group id with the given fields. */
static char *
mline(const char *type, const char *tests, const char *tries,
    long sizeadj, const char *gen, unsigned int id)
{
	struct dh_group *g = rfc3526(id);
	char *hex = BN_bn2hex(dh_group_p(g)), *line = NULL;

	ck_assert(asprintf(&line, "20260101000000 %s %s %s %ld %s %s", type,
	    tests, tries, (long)dh_group_bits(g) - 1 + sizeadj, gen, hex) > 0);
	OPENSSL_free(hex);
	dh_group_free(g);
	return line;
}

static int
parse(const char *line, struct dh_group **gp)
{
	return moduli_parse_line(line, strlen(line), gp);
}

START_TEST(test_moduli_parse_good)
{
	struct dh_group *g = NULL, *g14 = rfc3526(14);
	char *line;

	line = mline("2", "6", "100", 0, "2", 14);
	ck_assert_int_eq(parse(line, &g), 0);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(dh_group_cmp(g, g14), 0);
	dh_group_free(g);
	free(line);
	/* Generator 5, tabs, CR LF, lower-case hex. */
	line = mline("2", "6", "100", 0, "5", 16);
	for (char *c = line; *c != '\0'; c++) {
		if (*c == ' ')
			*c = '\t';
		if (*c >= 'A' && *c <= 'F')
			*c = (char)(*c - 'A' + 'a');
	}
	{
		char *crlf = NULL;

		ck_assert(asprintf(&crlf, "  %s\r\n", line) > 0);
		ck_assert_int_eq(parse(crlf, &g), 0);
		ck_assert_ptr_nonnull(g);
		ck_assert_uint_eq(dh_group_bits(g), 4096);
		ck_assert(BN_is_word(dh_group_g(g), 5));
		dh_group_free(g);
		free(crlf);
	}
	free(line);
	/* Comments and blank lines give no group and no error. */
	g = (struct dh_group *)g14;
	ck_assert_int_eq(parse("# Time Type Tests Tries Size Generator", &g),
	    0);
	ck_assert_ptr_null(g);
	ck_assert_int_eq(parse("   \t ", &g), 0);
	ck_assert_ptr_null(g);
	ck_assert_int_eq(moduli_parse_line("", 0, &g), 0);
	ck_assert_ptr_null(g);
	dh_group_free(g14);
}
END_TEST

START_TEST(test_moduli_parse_bad)
{
	static const struct {
		const char *type, *tests, *tries;
		long sizeadj;
		const char *gen;
		int want;
	} cases[] = {
		/* Entries sshd must skip. */
		{ "4", "6", "100", 0, "2", SSH_ERR_FEATURE_UNSUPPORTED },
		{ "0", "6", "100", 0, "2", SSH_ERR_FEATURE_UNSUPPORTED },
		{ "2", "0", "100", 0, "2", SSH_ERR_FEATURE_UNSUPPORTED },
		{ "2", "1", "100", 0, "2", SSH_ERR_FEATURE_UNSUPPORTED },
		{ "2", "7", "100", 0, "2", SSH_ERR_FEATURE_UNSUPPORTED },
		/* Malformed. */
		{ "2", "6", "0", 0, "2", SSH_ERR_INVALID_FORMAT },
		{ "2", "6", "100", 1, "2", SSH_ERR_INVALID_FORMAT },
		{ "2", "6", "100", -1, "2", SSH_ERR_INVALID_FORMAT },
		{ "2", "6", "100", 0, "1", SSH_ERR_INVALID_FORMAT },
		{ "2", "6", "100", 0, "0", SSH_ERR_INVALID_FORMAT },
		{ "2", "6", "100", 0, "-2", SSH_ERR_INVALID_FORMAT },
		{ "2", "6", "100", 0, "0x2", SSH_ERR_INVALID_FORMAT },
		{ "-2", "6", "100", 0, "2", SSH_ERR_INVALID_FORMAT },
		{ "2", "6x", "100", 0, "2", SSH_ERR_INVALID_FORMAT },
		{ "2", "6", "99999999999", 0, "2", SSH_ERR_INVALID_FORMAT },
		{ "256", "6", "100", 0, "2", SSH_ERR_INVALID_FORMAT },
	};
	struct dh_group *g = NULL;
	char *line, *extra = NULL;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		line = mline(cases[i].type, cases[i].tests, cases[i].tries,
		    cases[i].sizeadj, cases[i].gen, 14);
		ck_assert_msg(parse(line, &g) == cases[i].want, "case %zu",
		    i);
		ck_assert_ptr_null(g);
		free(line);
	}
	/* Too few fields, one field too many, bad hex in the modulus. */
	ck_assert_int_eq(parse("20260101000000 2 6 100 2047 2", &g),
	    SSH_ERR_INVALID_FORMAT);
	line = mline("2", "6", "100", 0, "2", 14);
	ck_assert(asprintf(&extra, "%s 00", line) > 0);
	ck_assert_int_eq(parse(extra, &g), SSH_ERR_INVALID_FORMAT);
	free(extra);
	line[strlen(line) - 3] = 'G';
	ck_assert_int_eq(parse(line, &g), SSH_ERR_INVALID_FORMAT);
	/* An embedded NUL ends nothing: it is a bad character. */
	line[strlen(line) - 3] = 'F';
	ck_assert_int_eq(parse(line, &g), 0);
	dh_group_free(g);
	{
		size_t len = strlen(line);

		line[len - 10] = '\0';
		ck_assert_int_eq(moduli_parse_line(line, len, &g),
		    SSH_ERR_INVALID_FORMAT);
	}
	free(line);
	/* Safe primes below 2048 or above 8192 bits are not used. */
	{
		struct dh_group *g14 = rfc3526(14);
		BIGNUM *small = BN_new();
		char *hex, *l = NULL;

		ck_assert(BN_rshift(small, dh_group_p(g14), 1024));
		hex = BN_bn2hex(small);
		ck_assert(asprintf(&l, "0 2 6 100 1023 2 %s", hex) > 0);
		ck_assert_int_eq(parse(l, &g), SSH_ERR_FEATURE_UNSUPPORTED);
		ck_assert_ptr_null(g);
		OPENSSL_free(hex);
		free(l);
		BN_free(small);
		dh_group_free(g14);
	}
}
END_TEST

/* A moduli file; ids and generators listed as (id, gen) pairs. */
static struct buf *
moduli_text(const char *extra, ...)
{
	struct buf *b = buf_new();
	va_list ap;
	unsigned int id;

	ck_assert_int_eq(buf_putf(b, "# Time Type Tests Tries Size Generator "
	    "Modulus\n%s", extra), 0);
	va_start(ap, extra);
	while ((id = va_arg(ap, unsigned int)) != 0) {
		const char *gen = va_arg(ap, const char *);
		char *line = mline("2", "6", "100", 0, gen, id);

		ck_assert_int_eq(buf_putf(b, "%s\n", line), 0);
		free(line);
	}
	va_end(ap);
	return b;
}

static void
expect_choice(const struct buf *moduli, uint32_t min, uint32_t n,
    uint32_t max, unsigned int bits, BN_ULONG gen)
{
	struct dh_group *g = NULL;

	ck_assert_msg(kex_gex_choose(moduli, min, n, max, &g) == 0,
	    "%u/%u/%u", min, n, max);
	ck_assert_msg(dh_group_bits(g) == bits, "%u/%u/%u: got %u bits", min,
	    n, max, dh_group_bits(g));
	ck_assert_msg(BN_is_word(dh_group_g(g), gen), "%u/%u/%u: generator",
	    min, n, max);
	dh_group_free(g);
}

START_TEST(test_gex_out_of_range)
{
	struct dh_group *g = (struct dh_group *)&g;
	static const uint32_t bad[][3] = {
		{ 3072, 2048, 4096 },	/* n < min */
		{ 2048, 4096, 3072 },	/* n > max */
		{ 4096, 2048, 2048 },	/* min > max */
		{ 1024, 1024, 1024 },	/* nothing we offer */
		{ 1024, 1536, 2047 },
		{ 8193, 9000, 10000 },
		{ 0, 0, 0 },
		{ 2049, 3000, 3071 },	/* no RFC 3526 group inside */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(kex_gex_choose(NULL, bad[i][0], bad[i][1],
		    bad[i][2], &g) == SSH_ERR_DH_GEX_OUT_OF_RANGE,
		    "case %zu", i);
		ck_assert_ptr_null(g);
	}
}
END_TEST

/* No moduli file: the RFC 3526 groups, by the same preference. */
START_TEST(test_gex_fallback)
{
	expect_choice(NULL, 2048, 2048, 8192, 2048, 2);
	expect_choice(NULL, 2048, 3072, 8192, 3072, 2);
	expect_choice(NULL, 2048, 4096, 8192, 4096, 2);
	expect_choice(NULL, 2048, 5000, 8192, 6144, 2);	/* next above */
	expect_choice(NULL, 2048, 8192, 8192, 8192, 2);
	expect_choice(NULL, 2048, 7000, 7000, 6144, 2);	/* largest below */
	expect_choice(NULL, 1024, 1536, 2048, 2048, 2);	/* clamped up */
	expect_choice(NULL, 1024, 4096, 100000, 4096, 2);
	expect_choice(NULL, 4096, 9000, 9000, 8192, 2);	/* clamped down */
}
END_TEST

START_TEST(test_gex_moduli)
{
	struct buf *m;

	m = moduli_text("", 14, "2", 15, "5", 16, "5", 0);
	expect_choice(m, 2048, 2048, 8192, 2048, 2);
	expect_choice(m, 2048, 3072, 8192, 3072, 5);
	expect_choice(m, 2048, 4000, 8192, 4096, 5);	/* next above */
	expect_choice(m, 2048, 8192, 8192, 4096, 5);	/* largest below */
	expect_choice(m, 3000, 3500, 3500, 3072, 5);
	/* Nothing in range in the file: RFC 3526, generator 2. */
	expect_choice(m, 6000, 7000, 8192, 8192, 2);
	buf_free(m);
}
END_TEST

/* Lines sshd skips are never chosen (they carry generator 5 here). */
START_TEST(test_gex_skips_bad_lines)
{
	struct buf *m = buf_new();
	static const char *bad[][3] = {
		{ "4", "6", "100" },	/* Sophie Germain, not safe */
		{ "2", "0", "100" },	/* not tested */
		{ "2", "7", "100" },	/* composite */
		{ "2", "6", "0" },	/* no trials */
	};
	char *line;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		line = mline(bad[i][0], bad[i][1], bad[i][2], 0, "5", 17);
		ck_assert_int_eq(buf_putf(m, "%s\n", line), 0);
		free(line);
	}
	line = mline("2", "6", "100", 1, "5", 17);	/* size mismatch */
	ck_assert_int_eq(buf_putf(m, "%s\ngarbage\n\n# c\n%s", line,
	    "20260101000000 2 6 100 6143 5 FFFF"), 0);
	free(line);
	expect_choice(m, 6144, 6144, 6144, 6144, 2);
	/* A good line after the bad ones is found; no final newline. */
	line = mline("2", "6", "100", 0, "5", 17);
	ck_assert_int_eq(buf_putf(m, "\n%s", line), 0);
	free(line);
	expect_choice(m, 6144, 6144, 6144, 6144, 5);
	buf_free(m);
}
END_TEST

/* Equal-sized candidates are all used: bounded tries until both seen. */
START_TEST(test_gex_random_among_best)
{
	struct buf *m = moduli_text("", 15, "2", 14, "3", 15, "5", 16, "2",
	    0);
	int seen2 = 0, seen5 = 0, i;

	for (i = 0; i < 200 && !(seen2 && seen5); i++) {
		struct dh_group *g = NULL;

		ck_assert_int_eq(kex_gex_choose(m, 2048, 3072, 8192, &g), 0);
		ck_assert_uint_eq(dh_group_bits(g), 3072);
		if (BN_is_word(dh_group_g(g), 2))
			seen2 = 1;
		else if (BN_is_word(dh_group_g(g), 5))
			seen5 = 1;
		else
			ck_abort_msg("unexpected generator");
		dh_group_free(g);
	}
	ck_assert(seen2 && seen5);
	buf_free(m);
}
END_TEST

static Suite *
kex_dh_suite(void)
{
	Suite *s = suite_create("kex_dh");
	TCase *tc;

	tc = tcase_create("groups");
	tcase_add_test(tc, test_rfc3526_match_openssl);
	tcase_add_test(tc, test_methods_use_their_groups);
	tcase_add_test(tc, test_dh_group_new_checks);
	tcase_add_test(tc, test_dh_exponent_bits);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("dh");
	tcase_add_test(tc, test_dh_known_answer);
	tcase_add_test(tc, test_dh_public_range);
	tcase_add_test(tc, test_dh_agree);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("moduli");
	tcase_add_test(tc, test_moduli_parse_good);
	tcase_add_test(tc, test_moduli_parse_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("gex");
	tcase_add_test(tc, test_gex_out_of_range);
	tcase_add_test(tc, test_gex_fallback);
	tcase_add_test(tc, test_gex_moduli);
	tcase_add_test(tc, test_gex_skips_bad_lines);
	tcase_add_test(tc, test_gex_random_among_best);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(kex_dh_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
