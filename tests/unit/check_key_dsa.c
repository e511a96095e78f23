/*
 * check_key_dsa.c: ssh-dss keys (1024-bit DSA, SHA-1), which nanosshd only
 * uses where the configuration names them: the key file ssh-keygen -t dsa
 * writes, the public blob, signatures as r || s, and what must be refused
 * (other sizes, malformed blobs, ssh-dss without allow_sha1).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"
#include "tests/unit/keytest.h"
#include "tests/unit/testutil.h"

static const uint8_t msg[] = "nanossh ssh-dss test";

static struct sshkey *
load_dsa(void)
{
	struct buf *file = read_fixture("keys/dsa_openssh");
	struct sshkey *k = NULL;

	ck_assert_int_eq(key_private_parse(file, NULL, &k, NULL), 0);
	buf_free(file);
	ck_assert_int_eq(key_type(k), KEY_DSA);
	return k;
}

/* A blob "ssh-dss", p, q, g, y with the numbers of key k, one replaced
 * by replace (index 0..3) when it is not NULL. */
static struct buf *
dsa_blob(const struct sshkey *k, int idx, const BIGNUM *replace)
{
	static const char *const names[] = { OSSL_PKEY_PARAM_FFC_P,
	    OSSL_PKEY_PARAM_FFC_Q, OSSL_PKEY_PARAM_FFC_G,
	    OSSL_PKEY_PARAM_PUB_KEY };
	struct buf *b = buf_new();
	uint8_t d[512];
	BIGNUM *bn;
	int i, n;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_put_cstring(b, "ssh-dss"), 0);
	for (i = 0; i < 4; i++) {
		bn = NULL;
		ck_assert_int_eq(EVP_PKEY_get_bn_param(key_evp(k), names[i],
		    &bn), 1);
		n = BN_bn2bin(i == idx && replace != NULL ? replace : bn, d);
		ck_assert_int_eq(buf_put_bignum2_bytes(b, d, (size_t)n), 0);
		BN_free(bn);
	}
	return b;
}

START_TEST(test_dsa_file_and_blob)
{
	struct sshkey *k = load_dsa(), *pub = NULL, *k2 = NULL;
	struct buf *blob = buf_new(), *blob2 = buf_new(), *file = buf_new();
	char *fp = NULL;

	ck_assert_uint_eq(key_bits(k), 1024);
	ck_assert_str_eq(key_type_name(k), "ssh-dss");
	ck_assert_str_eq(key_type_short(k), "DSA");
	ck_assert(key_is_private(k));
	/* ssh-keygen -l -f tests/keys/dsa_openssh */
	ck_assert_int_eq(key_fingerprint(k, &fp), 0);
	ck_assert_str_eq(fp, "SHA256:5muVHnQ8KE1lAAMMOUZDIBGG8QMmOd6NDBcZb5Zz6Ao");
	free(fp);
	/* Blob round trip, and the same blob as ssh-dss, p, q, g, y. */
	ck_assert_int_eq(key_to_blob(k, blob), 0);
	ck_assert_int_eq(key_from_blob(blob, &pub), 0);
	ck_assert(!key_is_private(pub));
	ck_assert_int_eq(key_equal_public(k, pub), 0);
	buf_free(blob2);
	blob2 = dsa_blob(k, -1, NULL);
	ck_assert_int_eq(buf_equals(blob, blob2), 0);
	/* The private file round trip (openssh-key-v1: p, q, g, y, x). */
	ck_assert_int_eq(key_private_to_openssh(k, "", "dsa", file), 0);
	ck_assert_int_eq(key_private_parse(file, NULL, &k2, NULL), 0);
	ck_assert_int_eq(key_type(k2), KEY_DSA);
	ck_assert_int_eq(key_equal_public(k, k2), 0);
	assert_signs_for(k2, pub);
	key_free(k);
	key_free(k2);
	key_free(pub);
	buf_free(blob);
	buf_free(blob2);
	buf_free(file);
}
END_TEST

START_TEST(test_dsa_pem)
{
	struct sshkey *k = NULL;
	struct buf *file;

	file = read_fixture("keys/dsa_pkcs1.pem");
	ck_assert_int_eq(key_private_parse(file, NULL, &k, NULL), 0);
	ck_assert_int_eq(key_type(k), KEY_DSA);
	key_free(k);
	k = NULL;
	buf_free(file);
	/* genpkey's 1024-bit DSA has a q of 224 bits: not ssh-dss. */
	file = read_fixture("keys/dsa_pkcs8.pem");
	ck_assert_int_eq(key_private_parse(file, NULL, &k, NULL),
	    SSH_ERR_KEY_LENGTH);
	ck_assert_ptr_null(k);
	buf_free(file);
}
END_TEST

START_TEST(test_dsa_sign_verify)
{
	struct sshkey *k = load_dsa(), *pub = NULL;
	struct buf *sig = buf_new(), *b = NULL;
	const uint8_t *inner;
	uint8_t *copy;
	size_t innerlen;
	char *name = NULL;

	ck_assert_int_eq(key_demote(k, &pub), 0);
	ck_assert_int_eq(sig_sign(k, NULL, msg, sizeof(msg), sig), 0);
	/* string "ssh-dss", string r || s of 20 bytes each */
	ck_assert_ptr_nonnull(b = buf_from(buf_ptr(sig), buf_len(sig)));
	ck_assert_int_eq(buf_get_cstring(b, &name, NULL), 0);
	ck_assert_str_eq(name, "ssh-dss");
	ck_assert_int_eq(buf_get_string_direct(b, &inner, &innerlen), 0);
	ck_assert_uint_eq(innerlen, 40);
	ck_assert_int_eq(buf_expect_end(b), 0);
	free(name);
	ck_assert_int_eq(sig_verify(pub, buf_ptr(sig), buf_len(sig), msg,
	    sizeof(msg), "ssh-dss", 1), 0);
	ck_assert_int_eq(sig_verify(pub, buf_ptr(sig), buf_len(sig), msg,
	    sizeof(msg) - 1, "ssh-dss", 1), SSH_ERR_SIGNATURE_INVALID);
	/* SHA-1: never without the caller's allow_sha1. */
	ck_assert_int_eq(sig_verify(pub, buf_ptr(sig), buf_len(sig), msg,
	    sizeof(msg), NULL, 0), SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(sig_check_alg(pub, "ssh-dss", 0),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(sig_check_alg(pub, "ssh-dss", 1), 0);
	ck_assert_ptr_null(sig_algs_for_type(KEY_DSA, 0));
	ck_assert_str_eq(sig_algs_for_type(KEY_DSA, 1), "ssh-dss");
	/* A flipped bit in r or s, and r = 0. */
	ck_assert_ptr_nonnull(copy = malloc(buf_len(sig)));
	memcpy(copy, buf_ptr(sig), buf_len(sig));
	copy[buf_len(sig) - 1] ^= 1;
	ck_assert_int_eq(sig_verify(pub, copy, buf_len(sig), msg,
	    sizeof(msg), NULL, 1), SSH_ERR_SIGNATURE_INVALID);
	memcpy(copy, buf_ptr(sig), buf_len(sig));
	memset(copy + buf_len(sig) - 40, 0, 20);
	ck_assert_int_eq(sig_verify(pub, copy, buf_len(sig), msg,
	    sizeof(msg), NULL, 1), SSH_ERR_SIGNATURE_INVALID);
	free(copy);
	buf_free(b);
	buf_free(sig);
	key_free(k);
	key_free(pub);
}
END_TEST

/* r || s must be exactly 40 bytes. */
START_TEST(test_dsa_sig_length)
{
	struct sshkey *k = load_dsa();
	struct buf *b;
	uint8_t rs[41];
	size_t lens[] = { 0, 39, 41 };
	size_t i;

	memset(rs, 1, sizeof(rs));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		ck_assert_ptr_nonnull(b = buf_new());
		ck_assert_int_eq(buf_put_cstring(b, "ssh-dss"), 0);
		ck_assert_int_eq(buf_put_string(b, rs, lens[i]), 0);
		ck_assert_int_eq(sig_verify(k, buf_ptr(b), buf_len(b), msg,
		    sizeof(msg), NULL, 1), SSH_ERR_INVALID_FORMAT);
		buf_free(b);
	}
	key_free(k);
}
END_TEST

START_TEST(test_dsa_blob_refused)
{
	struct sshkey *k = load_dsa(), *out = NULL;
	struct buf *good = dsa_blob(k, -1, NULL), *b;
	BIGNUM *big, *one;
	size_t n;

	/* Every truncation, and a trailing byte. */
	for (n = 0; n < buf_len(good); n++) {
		ck_assert_ptr_nonnull(b = buf_from(buf_ptr(good), n));
		ck_assert_int_ne(key_from_blob(b, &out), 0);
		ck_assert_ptr_null(out);
		buf_free(b);
	}
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_putb(b, good), 0);
	ck_assert_int_eq(buf_put_u8(b, 0), 0);
	ck_assert_int_eq(key_from_blob(b, &out),
	    SSH_ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(b);
	/* p of 2048 bits, q of 256 bits: not ssh-dss sizes. */
	ck_assert_ptr_nonnull(big = BN_new());
	ck_assert_int_eq(BN_set_bit(big, 2047), 1);
	ck_assert_int_eq(BN_set_bit(big, 0), 1);
	b = dsa_blob(k, 0, big);
	ck_assert_int_eq(key_from_blob(b, &out), SSH_ERR_KEY_LENGTH);
	buf_free(b);
	BN_zero(big);
	ck_assert_int_eq(BN_set_bit(big, 255), 1);
	ck_assert_int_eq(BN_set_bit(big, 0), 1);
	b = dsa_blob(k, 1, big);
	ck_assert_int_eq(key_from_blob(b, &out), SSH_ERR_KEY_LENGTH);
	buf_free(b);
	/* g = 1 and y = 1. */
	ck_assert_ptr_nonnull(one = BN_new());
	ck_assert_int_eq(BN_one(one), 1);
	b = dsa_blob(k, 2, one);
	ck_assert_int_eq(key_from_blob(b, &out), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	b = dsa_blob(k, 3, one);
	ck_assert_int_eq(key_from_blob(b, &out), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	ck_assert_ptr_null(out);
	BN_free(big);
	BN_free(one);
	buf_free(good);
	key_free(k);
}
END_TEST

static Suite *
key_dsa_suite(void)
{
	Suite *s = suite_create("key_dsa");
	TCase *tc = tcase_create("dsa");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dsa_file_and_blob);
	tcase_add_test(tc, test_dsa_pem);
	tcase_add_test(tc, test_dsa_sign_verify);
	tcase_add_test(tc, test_dsa_sig_length);
	tcase_add_test(tc, test_dsa_blob_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(key_dsa_suite());
}
