/*
 * check_sig.c: SSH signature blobs (protocol/sig.c): sign/verify round trips
 * for every key and algorithm, malformed blobs, algorithm policy and
 * out-of-range values.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"
#include "tests/unit/sigtest.h"
#include "tests/unit/testutil.h"

static const uint8_t msg[] = "nanossh signature test";

struct kalg {
	enum key_type	 type;
	unsigned int	 bits;
	const char	*alg;		/* passed to sig_sign */
	const char	*name;		/* the name that must appear */
	int		 sha1;
};

static const struct kalg kalgs[] = {
	{ KEY_ED25519,    0,    NULL,                  "ssh-ed25519",         0 },
	{ KEY_ECDSA_P256, 256,  NULL,                  "ecdsa-sha2-nistp256", 0 },
	{ KEY_ECDSA_P384, 384,  NULL,                  "ecdsa-sha2-nistp384", 0 },
	{ KEY_ECDSA_P521, 521,  NULL,                  "ecdsa-sha2-nistp521", 0 },
	{ KEY_RSA,        2048, NULL,                  "rsa-sha2-512",        0 },
	{ KEY_RSA,        2048, "rsa-sha2-256",        "rsa-sha2-256",        0 },
	{ KEY_RSA,        2048, "rsa-sha2-512",        "rsa-sha2-512",        0 },
	{ KEY_RSA,        2048, "ssh-rsa",             "ssh-rsa",             1 },
	{ KEY_ECDSA_P256, 256,  "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", 0 },
};
#define NKALGS	((int)(sizeof(kalgs) / sizeof(kalgs[0])))

static struct sshkey *
gen(enum key_type type, unsigned int bits)
{
	struct sshkey *k = NULL;

	ck_assert_int_eq(key_generate(type, bits, &k), 0);
	ck_assert_ptr_nonnull(k);
	return k;
}

static struct buf *
sign(const struct sshkey *k, const char *alg, const void *data, size_t len)
{
	struct buf *b = buf_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(sig_sign(k, alg, data, len, b), 0);
	return b;
}

static int
verify(const struct sshkey *k, const struct buf *sig, const char *alg,
    int sha1)
{
	return sig_verify(k, buf_ptr(sig), buf_len(sig), msg, sizeof(msg),
	    alg, sha1);
}

/* The inner signature string of a blob, copied into a new buffer. */
static struct buf *
inner_of(const struct buf *blob)
{
	struct buf *b = buf_from(buf_ptr(blob), buf_len(blob));
	struct buf *in = buf_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_get_cstring(b, NULL, NULL), 0);
	ck_assert_int_eq(buf_get_stringb(b, in), 0);
	ck_assert_int_eq(buf_expect_end(b), 0);
	buf_free(b);
	return in;
}

/* Loop tests over kalgs[]: _i is the index. */
START_TEST(test_roundtrip)
{
	const struct kalg *ka = &kalgs[_i];
	struct sshkey *k = gen(ka->type, ka->bits);
	struct buf *sig = sign(k, ka->alg, msg, sizeof(msg));
	struct buf *empty = buf_new();
	char *name = NULL;

	ck_assert_int_eq(sig_get_alg(buf_ptr(sig), buf_len(sig), &name), 0);
	ck_assert_str_eq(name, ka->name);
	ck_assert_int_eq(verify(k, sig, NULL, ka->sha1), 0);
	ck_assert_int_eq(verify(k, sig, ka->name, ka->sha1), 0);
	ck_assert_int_eq(sig_verify(k, buf_ptr(sig), buf_len(sig), msg,
	    sizeof(msg) - 1, NULL, ka->sha1), SSH_ERR_SIGNATURE_INVALID);
	/* Empty data signs and verifies, and is not the same as msg. */
	ck_assert_int_eq(sig_sign(k, ka->alg, NULL, 0, empty), 0);
	ck_assert_int_eq(sig_verify(k, buf_ptr(empty), buf_len(empty), NULL, 0,
	    ka->name, ka->sha1), 0);
	ck_assert_int_eq(verify(k, empty, NULL, ka->sha1),
	    SSH_ERR_SIGNATURE_INVALID);
	free(name);
	buf_free(empty);
	buf_free(sig);
	key_free(k);
}
END_TEST

/* Every single-bit change of the blob or of the data is refused. */
START_TEST(test_bitflip)
{
	const struct kalg *ka = &kalgs[_i];
	struct sshkey *k = gen(ka->type, ka->bits);
	struct buf *sig = sign(k, ka->alg, msg, sizeof(msg));
	uint8_t *p = buf_mutable_ptr(sig), m[sizeof(msg)];
	size_t i;
	int bit;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < buf_len(sig); i++) {
		for (bit = 0; bit < 8; bit++) {
			p[i] ^= 1 << bit;
			ck_assert_msg(verify(k, sig, NULL, 1) != 0,
			    "byte %zu bit %d", i, bit);
			p[i] ^= 1 << bit;
		}
	}
	ck_assert_int_eq(verify(k, sig, NULL, ka->sha1), 0);
	memcpy(m, msg, sizeof(m));
	for (i = 0; i < sizeof(m); i++) {
		for (bit = 0; bit < 8; bit++) {
			m[i] ^= 1 << bit;
			ck_assert_int_eq(sig_verify(k, buf_ptr(sig),
			    buf_len(sig), m, sizeof(m), NULL, 1),
			    SSH_ERR_SIGNATURE_INVALID);
			m[i] ^= 1 << bit;
		}
	}
	buf_free(sig);
	key_free(k);
}
END_TEST

START_TEST(test_truncation)
{
	const struct kalg *ka = &kalgs[_i];
	struct sshkey *k = gen(ka->type, ka->bits);
	struct buf *sig = sign(k, ka->alg, msg, sizeof(msg));
	struct buf *inner = inner_of(sig), *b;
	char *name = NULL;
	size_t n;

	/* The outer blob cut short. */
	for (n = 0; n < buf_len(sig); n++) {
		ck_assert_int_eq(sig_verify(k, buf_ptr(sig), n, msg,
		    sizeof(msg), NULL, 1), SSH_ERR_INVALID_FORMAT);
		ck_assert_int_eq(sig_get_alg(buf_ptr(sig), n, &name),
		    SSH_ERR_INVALID_FORMAT);
		ck_assert_ptr_null(name);
	}
	/* A well-formed blob around a shortened signature. */
	for (n = 0; n < buf_len(inner); n++) {
		b = mkblob(ka->name, buf_ptr(inner), n);
		ck_assert_msg(verify(k, b, NULL, 1) != 0, "inner cut at %zu",
		    n);
		buf_free(b);
	}
	buf_free(inner);
	buf_free(sig);
	key_free(k);
}
END_TEST

START_TEST(test_trailing)
{
	const struct kalg *ka = &kalgs[_i];
	struct sshkey *k = gen(ka->type, ka->bits);
	struct buf *sig = sign(k, ka->alg, msg, sizeof(msg));
	struct buf *inner = inner_of(sig), *b;
	char *name = NULL;

	/* After the blob. */
	ck_assert_int_eq(buf_put_u8(sig, 0), 0);
	ck_assert_int_eq(verify(k, sig, NULL, 1), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(sig_get_alg(buf_ptr(sig), buf_len(sig), &name),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(buf_consume_end(sig, 1), 0);
	ck_assert_int_eq(verify(k, sig, NULL, 1), 0);
	/* Inside the signature string: a zero byte, then a whole string. */
	ck_assert_int_eq(buf_put_u8(inner, 0), 0);
	b = mkblob(ka->name, buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(k, b, NULL, 1), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	ck_assert_int_eq(buf_consume_end(inner, 1), 0);
	ck_assert_int_eq(buf_put_u32(inner, 0), 0);
	b = mkblob(ka->name, buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(k, b, NULL, 1), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	buf_free(inner);
	buf_free(sig);
	key_free(k);
}
END_TEST

START_TEST(test_alg_constraint)
{
	struct sshkey *rsa = gen(KEY_RSA, 2048);
	struct sshkey *ec = gen(KEY_ECDSA_P256, 256);
	struct buf *s256 = sign(rsa, "rsa-sha2-256", msg, sizeof(msg));
	struct buf *s512 = sign(rsa, "rsa-sha2-512", msg, sizeof(msg));
	struct buf *ssig = sign(ec, NULL, msg, sizeof(msg));
	struct buf *relabeled, *inner;

	ck_assert_int_eq(verify(rsa, s256, "rsa-sha2-256", 0), 0);
	ck_assert_int_eq(verify(rsa, s256, "rsa-sha2-512", 0),
	    SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(verify(rsa, s512, "rsa-sha2-256", 0),
	    SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(verify(rsa, s256, "ssh-rsa", 1),
	    SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(verify(rsa, s256, "ssh-ed25519", 0),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(verify(rsa, s256, "no-such-alg", 0),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(verify(ec, ssig, "ecdsa-sha2-nistp384", 0),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	/* A SHA-256 signature under the SHA-512 name: the hash decides. */
	inner = inner_of(s256);
	relabeled = mkblob("rsa-sha2-512", buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(rsa, relabeled, NULL, 0),
	    SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(verify(rsa, relabeled, "rsa-sha2-512", 0),
	    SSH_ERR_SIGNATURE_INVALID);
	buf_free(relabeled);
	buf_free(inner);
	buf_free(ssig);
	buf_free(s256);
	buf_free(s512);
	key_free(ec);
	key_free(rsa);
}
END_TEST

START_TEST(test_sha1_policy)
{
	struct sshkey *rsa = gen(KEY_RSA, 2048);
	struct buf *s1 = sign(rsa, "ssh-rsa", msg, sizeof(msg));
	struct buf *inner = inner_of(s1), *relabeled;

	ck_assert_int_eq(verify(rsa, s1, NULL, 0),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(verify(rsa, s1, "ssh-rsa", 0),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(verify(rsa, s1, NULL, 1), 0);
	ck_assert_int_eq(verify(rsa, s1, "ssh-rsa", 1), 0);
	ck_assert_int_eq(verify(rsa, s1, "rsa-sha2-256", 1),
	    SSH_ERR_SIGNATURE_INVALID);
	/* The SHA-1 signature under a SHA-2 name does not verify either. */
	relabeled = mkblob("rsa-sha2-256", buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(rsa, relabeled, NULL, 0),
	    SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(sig_check_alg(rsa, "ssh-rsa", 0),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(sig_check_alg(rsa, "ssh-rsa", 1), 0);
	buf_free(relabeled);
	buf_free(inner);
	buf_free(s1);
	key_free(rsa);
}
END_TEST

/* Signatures of one key type or curve never check against another. */
START_TEST(test_key_type_mismatch)
{
	struct sshkey *ed = gen(KEY_ED25519, 0);
	struct sshkey *p256 = gen(KEY_ECDSA_P256, 256);
	struct sshkey *p384 = gen(KEY_ECDSA_P384, 384);
	struct sshkey *rsa = gen(KEY_RSA, 2048);
	struct buf *sed = sign(ed, NULL, msg, sizeof(msg));
	struct buf *s256 = sign(p256, NULL, msg, sizeof(msg));
	struct buf *s384 = sign(p384, NULL, msg, sizeof(msg));
	struct buf *srsa = sign(rsa, NULL, msg, sizeof(msg));
	struct buf *inner, *b, *out = buf_new();

	ck_assert_int_eq(verify(ed, s256, NULL, 1), SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(verify(p256, s384, NULL, 1),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(verify(p384, s256, NULL, 1),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(verify(rsa, sed, NULL, 1), SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(verify(ed, srsa, NULL, 1), SSH_ERR_KEY_TYPE_MISMATCH);
	/* A P-256 signature relabeled as P-384 for the P-256 key. */
	inner = inner_of(s256);
	b = mkblob("ecdsa-sha2-nistp384", buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(p256, b, NULL, 1), SSH_ERR_KEY_TYPE_MISMATCH);
	buf_free(b);
	buf_free(inner);
	/* An Ed25519 signature relabeled for an ECDSA key. */
	inner = inner_of(sed);
	b = mkblob("ecdsa-sha2-nistp256", buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(p256, b, NULL, 1), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(verify(ed, b, NULL, 1), SSH_ERR_KEY_TYPE_MISMATCH);
	buf_free(b);
	buf_free(inner);
	/* Signing refuses another type's algorithm and leaves out alone. */
	ck_assert_int_eq(sig_sign(ed, "ecdsa-sha2-nistp256", msg, sizeof(msg),
	    out), SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(sig_sign(p256, "ecdsa-sha2-nistp384", msg,
	    sizeof(msg), out), SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(sig_sign(rsa, "ssh-ed25519", msg, sizeof(msg), out),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(sig_sign(rsa, "rsa-sha2-1024", msg, sizeof(msg), out),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_uint_eq(buf_len(out), 0);
	buf_free(out);
	buf_free(sed);
	buf_free(s256);
	buf_free(s384);
	buf_free(srsa);
	key_free(ed);
	key_free(p256);
	key_free(p384);
	key_free(rsa);
}
END_TEST

START_TEST(test_unknown_alg)
{
	static const uint8_t nul_name[] = {
		0, 0, 0, 12, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1',
		'9', 0, 0, 0, 0, 0
	};
	struct sshkey *ed = gen(KEY_ED25519, 0);
	struct buf *sed = sign(ed, NULL, msg, sizeof(msg));
	struct buf *inner = inner_of(sed), *b;
	char *name = NULL;

	b = mkblob("ssh-dsa", buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(ed, b, NULL, 1), SSH_ERR_SIGN_ALG_UNSUPPORTED);
	/* sig_get_alg reports a name it does not know. */
	ck_assert_int_eq(sig_get_alg(buf_ptr(b), buf_len(b), &name), 0);
	ck_assert_str_eq(name, "ssh-dsa");
	free(name);
	buf_free(b);
	b = mkblob("", buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(ed, b, NULL, 1), SSH_ERR_SIGN_ALG_UNSUPPORTED);
	buf_free(b);
	b = mkblob("SSH-ED25519", buf_ptr(inner), buf_len(inner));
	ck_assert_int_eq(verify(ed, b, NULL, 1), SSH_ERR_SIGN_ALG_UNSUPPORTED);
	buf_free(b);
	/* "ssh-ed25519\0" with an embedded NUL is a format error. */
	ck_assert_int_eq(sig_verify(ed, nul_name, sizeof(nul_name), msg,
	    sizeof(msg), NULL, 1), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(sig_get_alg(nul_name, sizeof(nul_name), &name),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(sig_verify(ed, NULL, 0, msg, sizeof(msg), NULL, 1),
	    SSH_ERR_INVALID_FORMAT);
	buf_free(inner);
	buf_free(sed);
	key_free(ed);
}
END_TEST

START_TEST(test_ed25519_length)
{
	struct sshkey *ed = gen(KEY_ED25519, 0);
	struct buf *sed = sign(ed, NULL, msg, sizeof(msg));
	struct buf *inner = inner_of(sed), *b;
	uint8_t big[65];

	ck_assert_uint_eq(buf_len(inner), 64);
	memcpy(big, buf_ptr(inner), 64);
	big[64] = 0;
	b = mkblob("ssh-ed25519", big, sizeof(big));
	ck_assert_int_eq(verify(ed, b, NULL, 0), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	b = mkblob("ssh-ed25519", buf_ptr(inner), 63);
	ck_assert_int_eq(verify(ed, b, NULL, 0), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	buf_free(inner);
	buf_free(sed);
	key_free(ed);
}
END_TEST

/* A P-256 blob "mpint r, mpint s" from raw mpint contents. */
static int
ecdsa_try_raw(const struct sshkey *k, const void *r, size_t rlen,
    const void *s, size_t slen)
{
	struct buf *inner = buf_new(), *b;
	int ret;

	ck_assert_int_eq(buf_put_string(inner, r, rlen), 0);
	ck_assert_int_eq(buf_put_string(inner, s, slen), 0);
	b = mkblob("ecdsa-sha2-nistp256", buf_ptr(inner), buf_len(inner));
	ret = verify(k, b, NULL, 0);
	buf_free(b);
	buf_free(inner);
	return ret;
}

/* The same with r and s as non-negative integers, encoded minimally. */
static int
ecdsa_try(const struct sshkey *k, const BIGNUM *r, const BIGNUM *s)
{
	struct buf *inner = buf_new(), *b;
	uint8_t tmp[80];
	int n, ret;

	n = BN_bn2bin(r, tmp);
	ck_assert(n >= 0 && (size_t)n <= sizeof(tmp));
	ck_assert_int_eq(buf_put_bignum2_bytes(inner, tmp, (size_t)n), 0);
	n = BN_bn2bin(s, tmp);
	ck_assert(n >= 0 && (size_t)n <= sizeof(tmp));
	ck_assert_int_eq(buf_put_bignum2_bytes(inner, tmp, (size_t)n), 0);
	b = mkblob("ecdsa-sha2-nistp256", buf_ptr(inner), buf_len(inner));
	ret = verify(k, b, NULL, 0);
	buf_free(b);
	buf_free(inner);
	return ret;
}

/* r and s outside [1, n-1] or badly encoded never reach a valid result. */
START_TEST(test_ecdsa_range)
{
	struct sshkey *k = gen(KEY_ECDSA_P256, 256);
	struct buf *sig = sign(k, NULL, msg, sizeof(msg));
	struct buf *inner = inner_of(sig);
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	const BIGNUM *n;
	const uint8_t *rp, *sp;
	size_t rlen, slen;
	BIGNUM *r, *s, *zero, *np1, *rpn;
	uint8_t neg[32], nonmin[33], rraw[33], sraw[33], zbyte = 0;
	int top;

	ck_assert_ptr_nonnull(g);
	n = EC_GROUP_get0_order(g);
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(inner, &rp, &rlen), 0);
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(inner, &sp, &slen), 0);
	r = BN_bin2bn(rp, (int)rlen, NULL);
	s = BN_bin2bn(sp, (int)slen, NULL);
	zero = BN_new();
	np1 = BN_dup(n);
	rpn = BN_new();
	ck_assert(r != NULL && s != NULL && zero != NULL && np1 != NULL &&
	    rpn != NULL);
	BN_zero(zero);
	ck_assert_int_eq(BN_add_word(np1, 1), 1);
	ck_assert_int_eq(BN_add(rpn, r, n), 1);

	ck_assert_int_eq(ecdsa_try(k, r, s), 0);
	ck_assert_int_eq(ecdsa_try(k, zero, s), SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(ecdsa_try(k, r, zero), SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(ecdsa_try(k, n, s), SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(ecdsa_try(k, r, n), SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(ecdsa_try(k, np1, s), SSH_ERR_SIGNATURE_INVALID);
	ck_assert_int_eq(ecdsa_try(k, r, np1), SSH_ERR_SIGNATURE_INVALID);
	/* r + n is r modulo n: a verifier that reduces would accept it. */
	ck_assert_int_eq(ecdsa_try(k, rpn, s), SSH_ERR_SIGNATURE_INVALID);
	/* Zero written as a single zero byte, with s as signed. */
	sraw[0] = 0;
	memcpy(sraw + 1, sp, slen);
	top = (sp[0] & 0x80) != 0;
	rraw[0] = 0;
	memcpy(rraw + 1, rp, rlen);
	ck_assert_int_eq(ecdsa_try_raw(k, rraw + !(rp[0] & 0x80),
	    rlen + !!(rp[0] & 0x80), sraw + !top, slen + top), 0);
	ck_assert_int_ne(ecdsa_try_raw(k, &zbyte, 1, sraw + !top, slen + top),
	    0);
	/* Negative: top bit set without a sign byte. */
	memset(neg, 0xff, sizeof(neg));
	ck_assert_int_eq(ecdsa_try_raw(k, neg, sizeof(neg), neg, sizeof(neg)),
	    SSH_ERR_INVALID_FORMAT);
	/* Non-minimal: a needless zero byte before a small top byte. */
	nonmin[0] = 0;
	nonmin[1] = 0x01;
	memset(nonmin + 2, 0x55, sizeof(nonmin) - 2);
	ck_assert_int_eq(ecdsa_try_raw(k, nonmin, sizeof(nonmin), nonmin + 1,
	    sizeof(nonmin) - 1), SSH_ERR_INVALID_FORMAT);
	BN_free(r);
	BN_free(s);
	BN_free(zero);
	BN_free(np1);
	BN_free(rpn);
	EC_GROUP_free(g);
	buf_free(inner);
	buf_free(sig);
	key_free(k);
}
END_TEST

/*
 * RSA signature length: exactly the modulus length is what signers send;
 * a shorter one (leading zeros stripped) is the same integer and is
 * accepted after left-padding, as OpenSSH does; longer or empty is refused.
 */
START_TEST(test_rsa_length)
{
	struct sshkey *k = gen(KEY_RSA, 2048);
	struct buf *sig = NULL, *inner = NULL, *b;
	uint8_t data[16], longer[257];
	int i, found = 0;

	/* PKCS#1 v1.5 is deterministic: vary the data until the signature
	 * starts with a zero byte (chance 1/256 each; 2^-46 to miss). */
	for (i = 0; i < 8192 && !found; i++) {
		snprintf((char *)data, sizeof(data), "d%d", i);
		buf_free(sig);
		buf_free(inner);
		sig = sign(k, "rsa-sha2-256", data, sizeof(data));
		inner = inner_of(sig);
		ck_assert_uint_eq(buf_len(inner), 256);
		found = buf_ptr(inner)[0] == 0;
	}
	ck_assert(found);
	b = mkblob("rsa-sha2-256", buf_ptr(inner) + 1, 255);
	ck_assert_int_eq(sig_verify(k, buf_ptr(b), buf_len(b), data,
	    sizeof(data), NULL, 0), 0);
	buf_free(b);
	/* A leading zero added: same integer, but longer than the modulus. */
	longer[0] = 0;
	memcpy(longer + 1, buf_ptr(inner), 256);
	b = mkblob("rsa-sha2-256", longer, sizeof(longer));
	ck_assert_int_eq(sig_verify(k, buf_ptr(b), buf_len(b), data,
	    sizeof(data), NULL, 0), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	b = mkblob("rsa-sha2-256", NULL, 0);
	ck_assert_int_eq(sig_verify(k, buf_ptr(b), buf_len(b), data,
	    sizeof(data), NULL, 0), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	buf_free(inner);
	buf_free(sig);
	key_free(k);
}
END_TEST

START_TEST(test_sign_public_key)
{
	static const uint8_t pk[32] = { 0x7d, 0x4d, 0x0e, 0x7f };
	struct buf *out = buf_new();
	struct sshkey *k;
	uint8_t *p;
	size_t len;

	p = tu_hex("7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae36"
	    "9ef549fa", &len);
	k = pub_ed25519(p, len);
	ck_assert_int_eq(sig_sign(k, NULL, msg, sizeof(msg), out),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(buf_len(out), 0);
	ck_assert_int_eq(sig_sign(k, NULL, NULL, 1, out),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(sig_verify(k, pk, sizeof(pk), NULL, 1, NULL, 0),
	    SSH_ERR_INVALID_ARGUMENT);
	free(p);
	key_free(k);
	buf_free(out);
}
END_TEST

START_TEST(test_alg_lists)
{
	static const enum key_type types[] = {
		KEY_ED25519, KEY_ECDSA_P256, KEY_ECDSA_P384, KEY_ECDSA_P521,
		KEY_RSA
	};
	size_t i;
	int sha1;

	ck_assert_ptr_null(sig_algs_for_type(KEY_UNSPEC, 1));
	ck_assert_str_eq(sig_algs_for_type(KEY_RSA, 0),
	    "rsa-sha2-512,rsa-sha2-256");
	ck_assert_str_eq(sig_algs_for_type(KEY_RSA, 1),
	    "rsa-sha2-512,rsa-sha2-256,ssh-rsa");
	ck_assert_int_eq(sig_alg_key_type("ssh-rsa"), KEY_RSA);
	ck_assert_int_eq(sig_alg_key_type("rsa-sha2-256"), KEY_RSA);
	ck_assert_int_eq(sig_alg_key_type("ecdsa-sha2-nistp521"),
	    KEY_ECDSA_P521);
	ck_assert_int_eq(sig_alg_key_type("ssh-dss"), KEY_DSA);
	ck_assert_int_eq(sig_alg_key_type("ssh-dsa"), KEY_UNSPEC);
	ck_assert_int_eq(sig_alg_key_type(NULL), KEY_UNSPEC);
	/* Every listed name maps back to its type. */
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		for (sha1 = 0; sha1 <= 1; sha1++) {
			char *list = strdup(sig_algs_for_type(types[i], sha1));
			char *cp = list, *name;

			ck_assert_ptr_nonnull(list);
			while ((name = strsep(&cp, ",")) != NULL)
				ck_assert_int_eq(sig_alg_key_type(name),
				    types[i]);
			free(list);
		}
	}
}
END_TEST

START_TEST(test_check_alg)
{
	struct sshkey *ed = gen(KEY_ED25519, 0);
	struct sshkey *p384 = gen(KEY_ECDSA_P384, 384);

	ck_assert_int_eq(sig_check_alg(ed, "ssh-ed25519", 0), 0);
	ck_assert_int_eq(sig_check_alg(ed, "rsa-sha2-256", 0),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(sig_check_alg(ed, "ssh-ed448", 0),
	    SSH_ERR_SIGN_ALG_UNSUPPORTED);
	ck_assert_int_eq(sig_check_alg(p384, "ecdsa-sha2-nistp384", 0), 0);
	ck_assert_int_eq(sig_check_alg(p384, "ecdsa-sha2-nistp256", 0),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(sig_check_alg(p384, NULL, 0),
	    SSH_ERR_INVALID_ARGUMENT);
	key_free(ed);
	key_free(p384);
}
END_TEST

static Suite *
sig_suite(void)
{
	Suite *s = suite_create("sig");
	struct {
		const char *name;
		const TTest *fn;
		int loop;
	} cases[] = {
		{ "roundtrip", test_roundtrip, 1 },
		{ "bitflip", test_bitflip, 1 },
		{ "truncation", test_truncation, 1 },
		{ "trailing", test_trailing, 1 },
		{ "alg_constraint", test_alg_constraint, 0 },
		{ "sha1_policy", test_sha1_policy, 0 },
		{ "key_type_mismatch", test_key_type_mismatch, 0 },
		{ "unknown_alg", test_unknown_alg, 0 },
		{ "ed25519_length", test_ed25519_length, 0 },
		{ "ecdsa_range", test_ecdsa_range, 0 },
		{ "rsa_length", test_rsa_length, 0 },
		{ "sign_public_key", test_sign_public_key, 0 },
		{ "alg_lists", test_alg_lists, 0 },
		{ "check_alg", test_check_alg, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		/* RSA key generation and 4096-bit vectors under ASan. */
		tcase_set_timeout(tc, 120);
		if (cases[i].loop)
			tcase_add_loop_test(tc, cases[i].fn, 0, NKALGS);
		else
			tcase_add_test(tc, cases[i].fn);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	return tu_run(sig_suite());
}
