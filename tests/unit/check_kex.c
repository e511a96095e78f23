/*
 * check_kex.c: X25519 and NIST ECDH key agreement through the kex_method API,
 * over RFC 7748 and every Wycheproof case, plus the checks on the peer's
 * public value.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "protocol/buf.h"
#include "protocol/kex_method.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

static const struct kex_alg *
alg(const char *name)
{
	const struct kex_alg *a = kex_alg_by_name(name);

	ck_assert_msg(a != NULL, "%s", name);
	return a;
}

/* K as kex_shared_secret encodes it: the mpint of the raw secret. */
static struct buf *
mpint_of(const uint8_t *raw, size_t len)
{
	struct buf *b = buf_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_put_bignum2_bytes(b, raw, len), 0);
	return b;
}

/* Runs one agreement with a fixed private key; K is appended to *Kp. */
static int
agree(const struct kex_alg *a, const uint8_t *priv, size_t privlen,
    const uint8_t *peer, size_t peerlen, struct buf *K)
{
	struct kex_keypair *kp = NULL;
	int r;

	ck_assert_int_eq(kex_keypair_from_private(a, NULL, priv, privlen,
	    &kp), 0);
	r = kex_shared_secret(kp, peer, peerlen, K);
	kex_keypair_free(kp);
	return r;
}

static void
check_agree_hex(const char *name, const char *priv_hex, const char *pub_hex,
    const char *shared_hex)
{
	uint8_t *priv, *pub, *shared;
	size_t privlen, publen, sharedlen;
	struct buf *K = buf_new(), *want;

	priv = tu_hex(priv_hex, &privlen);
	pub = tu_hex(pub_hex, &publen);
	shared = tu_hex(shared_hex, &sharedlen);
	want = mpint_of(shared, sharedlen);
	ck_assert_int_eq(agree(alg(name), priv, privlen, pub, publen, K), 0);
	ck_assert_msg(buf_equals(K, want) == 0, "%s: wrong K", name);
	buf_free(K);
	buf_free(want);
	free(priv);
	free(pub);
	free(shared);
}

START_TEST(test_x25519_rfc7748)
{
	/* RFC 7748 section 5.2 (the second u has its top bit set: masked). */
	check_agree_hex("curve25519-sha256",
	    "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
	    "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	check_agree_hex("curve25519-sha256",
	    "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
	    "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
	    "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
	/* RFC 7748 section 6.1, both directions. */
	check_agree_hex("curve25519-sha256@libssh.org",
	    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	check_agree_hex("curve25519-sha256@libssh.org",
	    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
	    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
}
END_TEST

/* RFC 7748 section 6.1: the public keys our key pairs announce. */
START_TEST(test_x25519_public_rfc7748)
{
	static const char *priv_hex[] = {
	    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	};
	static const char *pub_hex[] = {
	    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
	    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		struct kex_keypair *kp = NULL;
		struct buf *pub = buf_new();
		uint8_t *priv, *want;
		size_t privlen, wantlen;

		priv = tu_hex(priv_hex[i], &privlen);
		want = tu_hex(pub_hex[i], &wantlen);
		ck_assert_int_eq(kex_keypair_from_private(
		    alg("curve25519-sha256"), NULL, priv, privlen, &kp), 0);
		ck_assert_int_eq(kex_keypair_public(kp, pub), 0);
		ck_assert_uint_eq(buf_len(pub), wantlen);
		ck_assert_mem_eq(buf_ptr(pub), want, wantlen);
		kex_keypair_free(kp);
		buf_free(pub);
		free(priv);
		free(want);
	}
}
END_TEST

/* Left-pads the mpint K back to the 32 raw bytes X25519 produced. */
static void
raw32(const struct buf *K, uint8_t out[32])
{
	struct buf *b = buf_from(buf_ptr(K), buf_len(K));
	const uint8_t *p;
	size_t len;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(b, &p, &len), 0);
	ck_assert_uint_le(len, 32);
	memset(out, 0, 32);
	memcpy(out + 32 - len, p, len);
	buf_free(b);
}

/* RFC 7748 section 5.2: k = X25519(k, u), u = old k, 1 and 1000 times. */
START_TEST(test_x25519_rfc7748_iterated)
{
	uint8_t k[32], u[32], out[32], *want1, *want1000;
	size_t len1, len1000;
	int i;

	want1 = tu_hex(
	    "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
	    &len1);
	want1000 = tu_hex(
	    "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
	    &len1000);
	memset(k, 0, sizeof(k));
	k[0] = 9;
	memcpy(u, k, sizeof(u));
	for (i = 1; i <= 1000; i++) {
		struct buf *K = buf_new();

		ck_assert_int_eq(agree(alg("curve25519-sha256"), k, 32, u, 32,
		    K), 0);
		raw32(K, out);
		buf_free(K);
		memcpy(u, k, 32);
		memcpy(k, out, 32);
		if (i == 1)
			ck_assert_mem_eq(k, want1, 32);
	}
	ck_assert_mem_eq(k, want1000, 32);
	free(want1);
	free(want1000);
}
END_TEST

static int
all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != 0)
			return 0;
	}
	return 1;
}

/*
 * Every Wycheproof X25519 case.  "valid" must give the shared secret; an
 * all-zero secret (low-order and small-order points) must be refused.
 * The other "acceptable" cases (twist points, non-canonical u >= p, u
 * with the top bit set) we accept, as RFC 7748 section 5 requires, and
 * they must give the listed secret too.
 */
START_TEST(test_x25519_wycheproof)
{
	json_t *root = tu_wycheproof("x25519_test.json"), *groups, *g;
	size_t gi, ti, ncases = 0, nzero = 0;

	groups = json_object_get(root, "testGroups");
	json_array_foreach(groups, gi, g) {
		json_t *tests = json_object_get(g, "tests"), *t;

		json_array_foreach(tests, ti, t) {
			uint8_t *priv, *pub, *shared;
			size_t privlen, publen, sharedlen;
			struct buf *K = buf_new(), *want;
			int r, expect = tu_expect(t);
			json_int_t id = json_integer_value(
			    json_object_get(t, "tcId"));

			priv = tu_hex(tu_str(t, "private"), &privlen);
			pub = tu_hex(tu_str(t, "public"), &publen);
			shared = tu_hex(tu_str(t, "shared"), &sharedlen);
			want = mpint_of(shared, sharedlen);
			r = agree(alg("curve25519-sha256"), priv, privlen,
			    pub, publen, K);
			if (all_zero(shared, sharedlen)) {
				ck_assert_msg(expect != 1, "tc %lld", (long long)id);
				ck_assert_msg(r == SSH_ERR_KEY_INVALID_EC_VALUE,
				    "tc %lld: zero secret gave %d",
				    (long long)id, r);
				ck_assert_uint_eq(buf_len(K), 0);
				nzero++;
			} else {
				ck_assert_msg(expect != 0, "tc %lld", (long long)id);
				ck_assert_msg(r == 0, "tc %lld: %d",
				    (long long)id, r);
				ck_assert_msg(buf_equals(K, want) == 0,
				    "tc %lld: wrong K", (long long)id);
			}
			ncases++;
			buf_free(K);
			buf_free(want);
			free(priv);
			free(pub);
			free(shared);
		}
	}
	ck_assert_int_eq(ncases, json_integer_value(json_object_get(root,
	    "numberOfTests")));
	ck_assert_uint_gt(nzero, 0);
	json_decref(root);
}
END_TEST

START_TEST(test_x25519_wrong_length)
{
	static const uint8_t priv[32] = { 1, 2, 3 };
	uint8_t peer[33];
	struct buf *K = buf_new();
	size_t len;

	memset(peer, 9, sizeof(peer));
	for (len = 0; len <= sizeof(peer); len++) {
		if (len == 32)
			continue;
		ck_assert_int_eq(agree(alg("curve25519-sha256"), priv, 32,
		    peer, len, K), SSH_ERR_KEY_INVALID_EC_VALUE);
	}
	ck_assert_uint_eq(buf_len(K), 0);
	/* The zero u-coordinate is a low-order point. */
	memset(peer, 0, sizeof(peer));
	ck_assert_int_eq(agree(alg("curve25519-sha256"), priv, 32, peer, 32,
	    K), SSH_ERR_KEY_INVALID_EC_VALUE);
	ck_assert_uint_eq(buf_len(K), 0);
	buf_free(K);
}
END_TEST

/*
 * The point an SSH peer would send for a Wycheproof SubjectPublicKeyInfo,
 * or 0 if that key cannot appear on the SSH wire for this curve at all
 * (undecodable DER, another algorithm or curve, explicit parameters):
 * in SSH the curve is fixed by the method name and only the point travels.
 */
static int
spki_point(const char *hex, int want_nid, uint8_t **pointp, size_t *lenp)
{
	X509_PUBKEY *xpk = NULL;
	ASN1_OBJECT *algoid = NULL;
	const ASN1_OBJECT *curve;
	const unsigned char *pk, *p;
	const void *pval;
	X509_ALGOR *pa = NULL;
	uint8_t *der;
	size_t derlen;
	int pklen, ptype, ok = 0;

	der = tu_hex(hex, &derlen);
	p = der;
	if ((xpk = d2i_X509_PUBKEY(NULL, &p, (long)derlen)) == NULL ||
	    p != der + derlen)
		goto out;
	if (!X509_PUBKEY_get0_param(&algoid, &pk, &pklen, &pa, xpk) ||
	    OBJ_obj2nid(algoid) != NID_X9_62_id_ecPublicKey)
		goto out;
	X509_ALGOR_get0(NULL, &ptype, &pval, pa);
	if (ptype != V_ASN1_OBJECT)
		goto out;
	curve = pval;
	if (OBJ_obj2nid(curve) != want_nid)
		goto out;
	*pointp = malloc(pklen > 0 ? (size_t)pklen : 1);
	ck_assert_ptr_nonnull(*pointp);
	if (pklen > 0)
		memcpy(*pointp, pk, (size_t)pklen);
	*lenp = (size_t)pklen;
	ok = 1;
 out:
	X509_PUBKEY_free(xpk);
	free(der);
	return ok;
}

static int
has_flag(const json_t *t, const char *flag)
{
	json_t *flags = json_object_get(t, "flags"), *f;
	size_t i;

	json_array_foreach(flags, i, f) {
		if (strcmp(json_string_value(f), flag) == 0)
			return 1;
	}
	return 0;
}

static void
ecdh_wycheproof(const char *file, const char *name, int nid)
{
	json_t *root = tu_wycheproof(file), *groups, *g;
	size_t gi, ti, ncases = 0, nvalid = 0, nfed_bad = 0, nunwired = 0;

	groups = json_object_get(root, "testGroups");
	json_array_foreach(groups, gi, g) {
		json_t *tests = json_object_get(g, "tests"), *t;

		json_array_foreach(tests, ti, t) {
			uint8_t *priv, *point = NULL, *shared;
			size_t privlen, pointlen = 0, sharedlen;
			struct buf *K = buf_new(), *want;
			int r, expect = tu_expect(t);
			json_int_t id = json_integer_value(
			    json_object_get(t, "tcId"));

			ncases++;
			priv = tu_hex(tu_str(t, "private"), &privlen);
			shared = tu_hex(tu_str(t, "shared"), &sharedlen);
			want = mpint_of(shared, sharedlen);
			if (!spki_point(tu_str(t, "public"), nid, &point,
			    &pointlen)) {
				ck_assert_msg(expect != 1,
				    "%s tc %lld: valid key not on the wire",
				    file, (long long)id);
				nunwired++;
				goto next;
			}
			/* Points that must reach the check, not the decoder. */
			if (has_flag(t, "InvalidCurveAttack") ||
			    has_flag(t, "ModifiedPublicPoint"))
				ck_assert(expect == 0);
			r = agree(alg(name), priv, privlen, point, pointlen,
			    K);
			if (expect == 1) {
				ck_assert_msg(r == 0, "%s tc %lld: %d", file,
				    (long long)id, r);
				ck_assert_msg(buf_equals(K, want) == 0,
				    "%s tc %lld: wrong K", file,
				    (long long)id);
				nvalid++;
			} else if (expect == 0) {
				ck_assert_msg(r == SSH_ERR_KEY_INVALID_EC_VALUE,
				    "%s tc %lld: invalid point gave %d", file,
				    (long long)id, r);
				ck_assert_uint_eq(buf_len(K), 0);
				nfed_bad++;
			} else if (r == 0) {
				ck_assert_msg(buf_equals(K, want) == 0,
				    "%s tc %lld: wrong K", file,
				    (long long)id);
			}
 next:
			buf_free(K);
			buf_free(want);
			free(point);
			free(priv);
			free(shared);
		}
	}
	ck_assert_int_eq(ncases, json_integer_value(json_object_get(root,
	    "numberOfTests")));
	/* The invalid-curve points really went through our checks. */
	ck_assert_uint_ge(nfed_bad, 16);
	ck_assert_uint_gt(nvalid, 100);
	json_decref(root);
}

START_TEST(test_ecdh_p256_wycheproof)
{
	ecdh_wycheproof("ecdh_secp256r1_test.json", "ecdh-sha2-nistp256",
	    NID_X9_62_prime256v1);
}
END_TEST

START_TEST(test_ecdh_p384_wycheproof)
{
	ecdh_wycheproof("ecdh_secp384r1_test.json", "ecdh-sha2-nistp384",
	    NID_secp384r1);
}
END_TEST

START_TEST(test_ecdh_p521_wycheproof)
{
	ecdh_wycheproof("ecdh_secp521r1_test.json", "ecdh-sha2-nistp521",
	    NID_secp521r1);
}
END_TEST

/*
 * Wire forms of a point that is valid as 04||x||y: compressed, hybrid,
 * infinity, truncated, extended, off the curve, coordinates >= p.
 */
START_TEST(test_ecdh_bad_points)
{
	static const char *names[] = {
	    "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
	};
	size_t i;

	for (i = 0; i < 3; i++) {
		const struct kex_alg *a = alg(names[i]);
		struct kex_keypair *us = NULL, *them = NULL;
		struct buf *pub = buf_new(), *K = buf_new();
		size_t n = a->ka_pub_len, flen = (n - 1) / 2;
		uint8_t *q = malloc(n + 1), *bad = malloc(n + 1);
		uint8_t zero = 0;

		ck_assert_int_eq(kex_keypair_new(a, NULL, &us), 0);
		ck_assert_int_eq(kex_keypair_new(a, NULL, &them), 0);
		ck_assert_int_eq(kex_keypair_public(them, pub), 0);
		ck_assert_uint_eq(buf_len(pub), n);
		memcpy(q, buf_ptr(pub), n);
		ck_assert_int_eq(q[0], 0x04);
		/* Sanity: the genuine point works. */
		ck_assert_int_eq(kex_shared_secret(us, q, n, K), 0);
		buf_reset(K);

		/* Compressed: 02/03 || x, with either parity. */
		memcpy(bad, q, 1 + flen);
		bad[0] = 0x02;
		ck_assert_int_eq(kex_shared_secret(us, bad, 1 + flen, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		bad[0] = 0x03;
		ck_assert_int_eq(kex_shared_secret(us, bad, 1 + flen, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		/* Hybrid 06/07 with the full length. */
		memcpy(bad, q, n);
		bad[0] = 0x06;
		ck_assert_int_eq(kex_shared_secret(us, bad, n, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		bad[0] = 0x07;
		ck_assert_int_eq(kex_shared_secret(us, bad, n, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		/* Infinity, empty, truncated, one byte too many. */
		ck_assert_int_eq(kex_shared_secret(us, &zero, 1, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		ck_assert_int_eq(kex_shared_secret(us, NULL, 0, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		ck_assert_int_eq(kex_shared_secret(us, q, n - 1, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		memcpy(bad, q, n);
		bad[n] = 0;
		ck_assert_int_eq(kex_shared_secret(us, bad, n + 1, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		/* Off the curve: flip the lowest bit of y. */
		memcpy(bad, q, n);
		bad[n - 1] ^= 1;
		ck_assert_int_eq(kex_shared_secret(us, bad, n, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		/* All-zero coordinates, all-ones coordinates (>= p). */
		memset(bad, 0, n);
		bad[0] = 0x04;
		ck_assert_int_eq(kex_shared_secret(us, bad, n, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		memset(bad, 0xff, n);
		bad[0] = 0x04;
		ck_assert_int_eq(kex_shared_secret(us, bad, n, K),
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		ck_assert_uint_eq(buf_len(K), 0);

		kex_keypair_free(us);
		kex_keypair_free(them);
		buf_free(pub);
		buf_free(K);
		free(q);
		free(bad);
	}
}
END_TEST

/*
 * y + p is the same field element as y but not a valid encoding.  On
 * P-521 the 66-byte coordinate has room for it.
 */
START_TEST(test_ecdh_coordinate_plus_p)
{
	const struct kex_alg *a = alg("ecdh-sha2-nistp521");
	struct kex_keypair *us = NULL, *them = NULL;
	struct buf *pub = buf_new(), *K = buf_new();
	EC_GROUP *group;
	BIGNUM *p = BN_new(), *y = BN_new();
	uint8_t q[133];

	group = EC_GROUP_new_by_curve_name(NID_secp521r1);
	ck_assert_ptr_nonnull(group);
	ck_assert(EC_GROUP_get_curve(group, p, NULL, NULL, NULL));
	ck_assert_int_eq(kex_keypair_new(a, NULL, &us), 0);
	ck_assert_int_eq(kex_keypair_new(a, NULL, &them), 0);
	ck_assert_int_eq(kex_keypair_public(them, pub), 0);
	ck_assert_uint_eq(buf_len(pub), sizeof(q));
	memcpy(q, buf_ptr(pub), sizeof(q));
	ck_assert_int_eq(kex_shared_secret(us, q, sizeof(q), K), 0);
	buf_reset(K);
	ck_assert_ptr_nonnull(BN_bin2bn(q + 67, 66, y));
	ck_assert(BN_add(y, y, p));
	ck_assert_int_eq(BN_bn2binpad(y, q + 67, 66), 66);
	ck_assert_int_eq(kex_shared_secret(us, q, sizeof(q), K),
	    SSH_ERR_KEY_INVALID_EC_VALUE);
	ck_assert_uint_eq(buf_len(K), 0);
	kex_keypair_free(us);
	kex_keypair_free(them);
	EC_GROUP_free(group);
	BN_free(p);
	BN_free(y);
	buf_free(pub);
	buf_free(K);
}
END_TEST

/* For every method: two fresh key pairs reach the same K. */
START_TEST(test_keypairs_agree)
{
	static const char *names[] = {
	    "curve25519-sha256", "curve25519-sha256@libssh.org",
	    "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
	    "diffie-hellman-group14-sha256",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct kex_alg *a = alg(names[i]);
		struct kex_keypair *c = NULL, *s = NULL;
		struct buf *cpub = buf_new(), *spub = buf_new();
		struct buf *kc = buf_new(), *ks = buf_new();

		ck_assert_int_eq(kex_keypair_new(a, NULL, &c), 0);
		ck_assert_int_eq(kex_keypair_new(a, NULL, &s), 0);
		ck_assert_ptr_eq(kex_keypair_alg(c), a);
		ck_assert_int_eq(kex_keypair_public(c, cpub), 0);
		ck_assert_int_eq(kex_keypair_public(s, spub), 0);
		ck_assert_int_ne(buf_equals(cpub, spub), 0);
		ck_assert_int_eq(kex_shared_secret(c, buf_ptr(spub),
		    buf_len(spub), kc), 0);
		ck_assert_int_eq(kex_shared_secret(s, buf_ptr(cpub),
		    buf_len(cpub), ks), 0);
		ck_assert_int_eq(buf_equals(kc, ks), 0);
		ck_assert_uint_gt(buf_len(kc), 4);
		kex_keypair_free(c);
		kex_keypair_free(s);
		buf_free(cpub);
		buf_free(spub);
		buf_free(kc);
		buf_free(ks);
	}
}
END_TEST

START_TEST(test_alg_table)
{
	static const struct {
		const char *name;
		enum kex_kind kind;
		size_t hlen;
	} want[] = {
		{ "mlkem768x25519-sha256", KEX_KIND_MLKEM768_X25519, 32 },
		{ "sntrup761x25519-sha512", KEX_KIND_SNTRUP761_X25519, 64 },
		{ "sntrup761x25519-sha512@openssh.com",
		    KEX_KIND_SNTRUP761_X25519, 64 },
		{ "curve25519-sha256", KEX_KIND_X25519, 32 },
		{ "curve25519-sha256@libssh.org", KEX_KIND_X25519, 32 },
		{ "ecdh-sha2-nistp256", KEX_KIND_ECDH, 32 },
		{ "ecdh-sha2-nistp384", KEX_KIND_ECDH, 48 },
		{ "ecdh-sha2-nistp521", KEX_KIND_ECDH, 64 },
		{ "diffie-hellman-group14-sha256", KEX_KIND_DH, 32 },
		{ "diffie-hellman-group16-sha512", KEX_KIND_DH, 64 },
		{ "rsa2048-sha256", KEX_KIND_RSA, 32 },
		{ "rsa1024-sha1", KEX_KIND_RSA, 20 },
		{ "diffie-hellman-group18-sha512", KEX_KIND_DH, 64 },
		{ "diffie-hellman-group-exchange-sha256", KEX_KIND_GEX, 32 },
	};
	char *names, *tok, *save = NULL;
	size_t i, n = 0;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct kex_alg *a = alg(want[i].name);

		ck_assert_str_eq(a->ka_name, want[i].name);
		ck_assert_int_eq(a->ka_kind, want[i].kind);
		ck_assert_uint_eq(a->ka_hash_len, want[i].hlen);
	}
	ck_assert_ptr_null(kex_alg_by_name("diffie-hellman-group1-sha1"));
	ck_assert_ptr_null(kex_alg_by_name("diffie-hellman-group14-sha1"));
	ck_assert_ptr_null(kex_alg_by_name("curve25519-sha256 "));
	ck_assert_ptr_null(kex_alg_by_name(""));
	ck_assert_ptr_null(kex_alg_by_name(NULL));
	/* The advertised list names exactly the table. */
	names = strdup(kex_alg_names());
	for (tok = strtok_r(names, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		ck_assert_ptr_nonnull(kex_alg_by_name(tok));
		n++;
	}
	ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
	free(names);
}
END_TEST

START_TEST(test_keypair_misuse)
{
	const struct kex_alg *x = alg("curve25519-sha256");
	const struct kex_alg *gex = alg("diffie-hellman-group-exchange-sha256");
	struct kex_alg fake = *x;
	struct kex_keypair *kp = (struct kex_keypair *)&fake;
	static const uint8_t priv[32] = { 1 };

	ck_assert_int_eq(kex_keypair_new(NULL, NULL, &kp),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_ptr_null(kp);
	/* Only kex_alg_by_name's entries are accepted. */
	ck_assert_int_eq(kex_keypair_new(&fake, NULL, &kp),
	    SSH_ERR_INVALID_ARGUMENT);
	/* Group exchange needs a group. */
	ck_assert_int_eq(kex_keypair_new(gex, NULL, &kp),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(kex_keypair_from_private(x, NULL, priv, 31, &kp),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(kex_keypair_from_private(
	    alg("ecdh-sha2-nistp256"), NULL, (const uint8_t *)"\0", 1, &kp),
	    SSH_ERR_INVALID_ARGUMENT);
	kex_keypair_free(NULL);
}
END_TEST

/* The wire type of the public value: string for ECDH, mpint for DH. */
START_TEST(test_public_wire_types)
{
	static const uint8_t v[] = { 0x80, 0x01 };
	const struct kex_alg *ec = alg("ecdh-sha2-nistp256");
	const struct kex_alg *dh = alg("diffie-hellman-group14-sha256");
	struct buf *b = buf_new();
	const uint8_t *p;
	size_t len;

	ck_assert_int_eq(kex_put_public(ec, b, v, sizeof(v)), 0);
	ck_assert_uint_eq(buf_len(b), 4 + 2);
	ck_assert_int_eq(kex_get_public(ec, b, &p, &len), 0);
	ck_assert_uint_eq(len, 2);
	ck_assert_mem_eq(p, v, 2);
	ck_assert_int_eq(buf_expect_end(b), 0);

	ck_assert_int_eq(kex_put_public(dh, b, v, sizeof(v)), 0);
	ck_assert_uint_eq(buf_len(b), 4 + 1 + 2);	/* sign byte added */
	ck_assert_int_eq(kex_get_public(dh, b, &p, &len), 0);
	ck_assert_uint_eq(len, 2);
	ck_assert_mem_eq(p, v, 2);
	ck_assert_int_eq(buf_expect_end(b), 0);

	/* A negative mpint is no DH public value. */
	ck_assert_int_eq(buf_put_string(b, v, sizeof(v)), 0);
	ck_assert_int_eq(kex_get_public(dh, b, &p, &len),
	    SSH_ERR_BIGNUM_IS_NEGATIVE);
	buf_free(b);
}
END_TEST

static Suite *
kex_suite(void)
{
	Suite *s = suite_create("kex");
	TCase *tc;

	tc = tcase_create("x25519");
	tcase_add_test(tc, test_x25519_rfc7748);
	tcase_add_test(tc, test_x25519_public_rfc7748);
	tcase_add_test(tc, test_x25519_rfc7748_iterated);
	tcase_add_test(tc, test_x25519_wycheproof);
	tcase_add_test(tc, test_x25519_wrong_length);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("ecdh");
	tcase_add_test(tc, test_ecdh_p256_wycheproof);
	tcase_add_test(tc, test_ecdh_p384_wycheproof);
	tcase_add_test(tc, test_ecdh_p521_wycheproof);
	tcase_add_test(tc, test_ecdh_bad_points);
	tcase_add_test(tc, test_ecdh_coordinate_plus_p);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_test(tc, test_alg_table);
	tcase_add_test(tc, test_keypairs_agree);
	tcase_add_test(tc, test_keypair_misuse);
	tcase_add_test(tc, test_public_wire_types);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(kex_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
