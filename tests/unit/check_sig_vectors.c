/*
 * check_sig_vectors.c: SSH signature verification (protocol/sig.c) over the
 * Wycheproof vectors and RFC 8032.
 *
 * ECDSA vectors carry DER signatures, the SSH wire carries "mpint r, mpint
 * s".  The test converts: a DER signature that OpenSSL does not parse, or
 * that is not the canonical DER of the values it holds (BER lengths,
 * missing or extra zero bytes, trailing bytes...), cannot be written on the
 * SSH wire, so the case counts as rejected at the conversion step and must
 * not be a "valid" one.  The counts are printed.  Canonical DER integers
 * are copied byte for byte into mpints (both are minimal two's complement),
 * so negative and oversized r and s reach sig_verify as they are
 * (see der_to_ssh).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssherr.h"
#include "tests/unit/sigtest.h"
#include "tests/unit/testutil.h"

static struct sshkey *
pub_ecdsa(enum key_type type, const uint8_t *q, size_t len)
{
	struct buf *b = buf_new();
	const char *curve = type == KEY_ECDSA_P256 ? "nistp256" :
	    type == KEY_ECDSA_P384 ? "nistp384" : "nistp521";

	ck_assert_int_eq(buf_put_cstring(b, sig_algs_for_type(type, 0)), 0);
	ck_assert_int_eq(buf_put_cstring(b, curve), 0);
	ck_assert_int_eq(buf_put_string(b, q, len), 0);
	return key_from(b);
}

static struct sshkey *
pub_rsa(const uint8_t *n, size_t nlen, const uint8_t *e, size_t elen)
{
	struct buf *b = buf_new();

	ck_assert_int_eq(buf_put_cstring(b, "ssh-rsa"), 0);
	ck_assert_int_eq(buf_put_bignum2_bytes(b, e, elen), 0);
	ck_assert_int_eq(buf_put_bignum2_bytes(b, n, nlen), 0);
	return key_from(b);
}

static struct sshkey *
wp_key(const json_t *group, enum key_type type)
{
	const json_t *pk = json_object_get(group, "publicKey");
	struct sshkey *k;
	uint8_t *a, *b;
	size_t alen, blen;

	ck_assert_ptr_nonnull(pk);
	switch (type) {
	case KEY_ED25519:
		a = tu_hex(tu_str(pk, "pk"), &alen);
		k = pub_ed25519(a, alen);
		free(a);
		return k;
	case KEY_RSA:
		a = tu_hex(tu_str(pk, "modulus"), &alen);
		b = tu_hex(tu_str(pk, "publicExponent"), &blen);
		k = pub_rsa(a, alen, b, blen);
		free(a);
		free(b);
		return k;
	default:
		a = tu_hex(tu_str(pk, "uncompressed"), &alen);
		k = pub_ecdsa(type, a, alen);
		free(a);
		return k;
	}
}

/* One DER header of the given tag with a minimally encoded length. */
static int
der_hdr(const uint8_t **p, const uint8_t *end, uint8_t tag, size_t *lenp)
{
	size_t n, len = 0;

	if (end - *p < 2 || (*p)[0] != tag)
		return -1;
	n = (*p)[1];
	*p += 2;
	if (n & 0x80) {
		n &= 0x7f;
		if (n == 0 || n > 2 || (size_t)(end - *p) < n || (*p)[0] == 0)
			return -1;
		while (n-- > 0)
			len = len << 8 | *(*p)++;
		if (len < 0x80)
			return -1;
	} else
		len = n;
	if ((size_t)(end - *p) < len)
		return -1;
	*lenp = len;
	return 0;
}

/* A minimal DER INTEGER (negative ones included); its content bytes. */
static int
der_int(const uint8_t **p, const uint8_t *end, const uint8_t **valp,
    size_t *lenp)
{
	const uint8_t *c;
	size_t len;

	if (der_hdr(p, end, 0x02, &len) != 0 || len == 0)
		return -1;
	c = *p;
	if (len > 1 && ((c[0] == 0x00 && (c[1] & 0x80) == 0) ||
	    (c[0] == 0xff && (c[1] & 0x80) != 0)))
		return -1;
	*valp = c;
	*lenp = len;
	*p += len;
	return 0;
}

/* 1 if OpenSSL parses der and writes it back byte for byte. */
static int
der_openssl_canonical(const uint8_t *der, size_t derlen)
{
	const unsigned char *p = der;
	unsigned char *re = NULL;
	ECDSA_SIG *esig;
	int relen, ok;

	if ((esig = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL)
		return 0;
	relen = i2d_ECDSA_SIG(esig, &re);
	ECDSA_SIG_free(esig);
	ok = p == der + derlen && relen > 0 && (size_t)relen == derlen &&
	    memcmp(re, der, derlen) == 0;
	OPENSSL_free(re);
	return ok;
}

/*
 * DER ECDSA-Sig-Value to the SSH "mpint r, mpint s" in out; -1 if the DER
 * is not canonical, so it has no SSH form.  A minimal DER INTEGER's
 * content is exactly an mpint's (two's complement, no redundant bytes),
 * except zero: DER 00, mpint empty.  OpenSSL's d2i_ECDSA_SIG refuses
 * negative integers, which are canonical DER and do have an SSH form, so
 * the conversion parses the DER itself and only cross-checks OpenSSL.
 */
static int
der_to_ssh(const uint8_t *der, size_t derlen, struct buf *out)
{
	const uint8_t *q = der, *end = der + derlen, *v[2];
	size_t len, vlen[2];
	int i, ossl = der_openssl_canonical(der, derlen);

	if (der_hdr(&q, end, 0x30, &len) != 0 || q + len != end ||
	    der_int(&q, end, &v[0], &vlen[0]) != 0 ||
	    der_int(&q, end, &v[1], &vlen[1]) != 0 || q != end) {
		ck_assert_msg(!ossl, "OpenSSL finds canonical DER we refuse");
		return -1;
	}
	ck_assert_msg(ossl || (v[0][0] & 0x80) || (v[1][0] & 0x80),
	    "OpenSSL refuses DER with non-negative integers");
	for (i = 0; i < 2; i++) {
		if (vlen[i] == 1 && v[i][0] == 0)
			ck_assert_int_eq(buf_put_string(out, NULL, 0), 0);
		else
			ck_assert_int_eq(buf_put_string(out, v[i], vlen[i]),
			    0);
	}
	return 0;
}

/* Counts the Wycheproof flags of a test case into counts. */
static void
count_flags(json_t *counts, const json_t *tc)
{
	const json_t *fl;
	size_t i;

	json_array_foreach(json_object_get(tc, "flags"), i, fl) {
		const char *f = json_string_value(fl);
		json_int_t n;

		ck_assert_ptr_nonnull(f);
		n = json_integer_value(json_object_get(counts, f));
		ck_assert_int_eq(json_object_set_new(counts, f,
		    json_integer(n + 1)), 0);
	}
}

static void
wp_run(const char *file, enum key_type type, const char *name)
{
	json_t *root = tu_wycheproof(file);
	const json_t *groups = json_object_get(root, "testGroups");
	const json_t *group, *tests, *tc;
	size_t gi, ti, total = 0, valid = 0, rejected = 0, der = 0, acc = 0;
	json_t *derflags = json_object();
	char *flags;

	ck_assert(json_array_size(groups) > 0);
	json_array_foreach(groups, gi, group) {
		struct sshkey *k = wp_key(group, type);

		tests = json_object_get(group, "tests");
		json_array_foreach(tests, ti, tc) {
			int expect = tu_expect(tc), r;
			int id = (int)json_integer_value(json_object_get(tc,
			    "tcId"));
			uint8_t *m, *s;
			size_t mlen, slen;
			struct buf *inner = buf_new(), *blob;

			m = tu_hex(tu_str(tc, "msg"), &mlen);
			s = tu_hex(tu_str(tc, "sig"), &slen);
			total++;
			if (type == KEY_ED25519 || type == KEY_RSA)
				ck_assert_int_eq(buf_put(inner, s, slen), 0);
			else if (der_to_ssh(s, slen, inner) != 0) {
				ck_assert_msg(expect != 1,
				    "%s tcId %d: valid DER not converted",
				    file, id);
				if (expect == 0)
					der++;
				else
					acc++;
				count_flags(derflags, tc);
				goto next;
			}
			blob = mkblob(name, buf_ptr(inner), buf_len(inner));
			r = sig_verify(k, buf_ptr(blob), buf_len(blob), m,
			    mlen, name, 0);
			buf_free(blob);
			if (expect == 1) {
				ck_assert_msg(r == 0, "%s tcId %d: valid: %s",
				    file, id, ssh_err(r));
				valid++;
			} else if (expect == 0) {
				ck_assert_msg(r != 0,
				    "%s tcId %d: invalid accepted", file, id);
				rejected++;
			} else
				acc++;
 next:
			buf_free(inner);
			free(m);
			free(s);
		}
		key_free(k);
	}
	printf("%s: %zu cases: %zu valid verified, %zu invalid rejected by "
	    "sig_verify, %zu invalid only as DER (no SSH form), "
	    "%zu acceptable\n", file, total, valid, rejected, der, acc);
	if (der > 0) {
		flags = json_dumps(derflags, JSON_COMPACT | JSON_SORT_KEYS);
		ck_assert_ptr_nonnull(flags);
		printf("  flags of the DER-only cases: %s\n", flags);
		free(flags);
	}
	json_decref(derflags);
	ck_assert_uint_eq(total, valid + rejected + der + acc);
	ck_assert_uint_eq(total, (size_t)json_integer_value(json_object_get(root,
	    "numberOfTests")));
	json_decref(root);
}

START_TEST(test_wp_ed25519)
{
	wp_run("ed25519_test.json", KEY_ED25519, "ssh-ed25519");
}
END_TEST

START_TEST(test_wp_ecdsa_p256)
{
	wp_run("ecdsa_secp256r1_sha256_test.json", KEY_ECDSA_P256,
	    "ecdsa-sha2-nistp256");
}
END_TEST

START_TEST(test_wp_ecdsa_p384)
{
	wp_run("ecdsa_secp384r1_sha384_test.json", KEY_ECDSA_P384,
	    "ecdsa-sha2-nistp384");
}
END_TEST

START_TEST(test_wp_ecdsa_p521)
{
	wp_run("ecdsa_secp521r1_sha512_test.json", KEY_ECDSA_P521,
	    "ecdsa-sha2-nistp521");
}
END_TEST

START_TEST(test_wp_rsa_2048_sha256)
{
	wp_run("rsa_signature_2048_sha256_test.json", KEY_RSA, "rsa-sha2-256");
}
END_TEST

START_TEST(test_wp_rsa_2048_sha512)
{
	wp_run("rsa_signature_2048_sha512_test.json", KEY_RSA, "rsa-sha2-512");
}
END_TEST

START_TEST(test_wp_rsa_4096_sha512)
{
	wp_run("rsa_signature_4096_sha512_test.json", KEY_RSA, "rsa-sha2-512");
}
END_TEST

/* RFC 8032 section 7.1, TEST 1 and TEST 2, verified through the SSH
 * encoding (string "ssh-ed25519", string 64-byte signature). */
START_TEST(test_rfc8032_ed25519)
{
	static const struct {
		const char *pub, *data, *sig;
	} v[] = {
		{ "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		  "",
		  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
		{ "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		  "72",
		  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
	};
	size_t i, plen, mlen, slen;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t *pub = tu_hex(v[i].pub, &plen);
		uint8_t *data = tu_hex(v[i].data, &mlen);
		uint8_t *sig = tu_hex(v[i].sig, &slen);
		struct buf *blob = buf_new(), *sb = buf_new();
		struct sshkey *k = NULL;
		uint8_t *p;

		ck_assert_int_eq(buf_put_cstring(blob, "ssh-ed25519"), 0);
		ck_assert_int_eq(buf_put_string(blob, pub, plen), 0);
		ck_assert_int_eq(key_from_blob(blob, &k), 0);
		ck_assert_int_eq(buf_put_cstring(sb, "ssh-ed25519"), 0);
		ck_assert_int_eq(buf_put_string(sb, sig, slen), 0);
		ck_assert_int_eq(sig_verify(k, buf_ptr(sb), buf_len(sb), data, mlen,
		    "ssh-ed25519", 0), 0);
		/* One flipped bit of the signature is refused. */
		p = buf_mutable_ptr(sb);
		p[buf_len(sb) - 1] ^= 1;
		ck_assert_int_eq(sig_verify(k, buf_ptr(sb), buf_len(sb), data,
		    mlen, "ssh-ed25519", 0), SSH_ERR_SIGNATURE_INVALID);
		key_free(k);
		buf_free(blob);
		buf_free(sb);
		free(pub);
		free(data);
		free(sig);
	}
}
END_TEST

static Suite *
sig_vectors_suite(void)
{
	Suite *s = suite_create("sig_vectors");
	struct {
		const char *name;
		const TTest *fn;
	} cases[] = {
		{ "rfc8032_ed25519", test_rfc8032_ed25519 },
		{ "wycheproof_ed25519", test_wp_ed25519 },
		{ "wycheproof_ecdsa_p256", test_wp_ecdsa_p256 },
		{ "wycheproof_ecdsa_p384", test_wp_ecdsa_p384 },
		{ "wycheproof_ecdsa_p521", test_wp_ecdsa_p521 },
		{ "wycheproof_rsa_2048_sha256", test_wp_rsa_2048_sha256 },
		{ "wycheproof_rsa_2048_sha512", test_wp_rsa_2048_sha512 },
		{ "wycheproof_rsa_4096_sha512", test_wp_rsa_4096_sha512 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		/* RSA key generation and 4096-bit vectors under ASan. */
		tcase_set_timeout(tc, 120);
		tcase_add_test(tc, cases[i].fn);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	return tu_run(sig_vectors_suite());
}
