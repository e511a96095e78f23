/*
 * key_evp.c: the OpenSSL side of keys: building EVP_PKEYs from numbers
 * (DSA's here whole, shared by blobs and key files),
 * reading their numbers back, and validating a key from any source.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <bsd/stdlib.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/key_local.h"
#include "protocol/ssherr.h"

/* Takes ownership of pkey. */
int
key_new(enum key_type type, EVP_PKEY *pkey, int priv, struct sshkey **keyp)
{
	struct sshkey *k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	k->k_type = type;
	k->k_pkey = pkey;
	k->k_private = priv;
	*keyp = k;
	return 0;
}

/* Reads a BIGNUM parameter; the caller frees it with BN_clear_free. */
int
key_get_bn(const EVP_PKEY *pkey, const char *name, BIGNUM **bnp)
{
	*bnp = NULL;
	if (EVP_PKEY_get_bn_param(pkey, name, bnp) != 1 || *bnp == NULL) {
		ERR_clear_error();
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

/* Appends bn as an mpint, wiping the temporary copy. */
int
key_put_bn(struct buf *b, const BIGNUM *bn)
{
	uint8_t *d = NULL;
	int len, r = SSH_ERR_INTERNAL_ERROR;

	if ((len = BN_num_bytes(bn)) < 0)
		return SSH_ERR_LIBCRYPTO_ERROR;
	if (len > BUF_MAX_BIGNUM)
		return SSH_ERR_BIGNUM_TOO_LARGE;
	if ((d = malloc((size_t)len + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (BN_bn2bin(bn, d) != len) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = buf_put_bignum2_bytes(b, d, (size_t)len);
 out:
	freezero(d, (size_t)len + 1);
	return r;
}

/* Reads an mpint; secret values go into OpenSSL's secure heap. */
int
key_get_bn_buf(struct buf *b, int secret, BIGNUM **bnp)
{
	const uint8_t *d;
	size_t len;
	BIGNUM *bn;
	int r;

	*bnp = NULL;
	if ((r = buf_get_bignum2_bytes_direct(b, &d, &len)) != 0)
		return r;
	if ((bn = secret ? BN_secure_new() : BN_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (BN_bin2bn(d, (int)len, bn) == NULL) {
		BN_clear_free(bn);
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	*bnp = bn;
	return 0;
}

int
key_fromdata(const char *alg, int selection, OSSL_PARAM_BLD *bld,
    EVP_PKEY **pkeyp)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	*pkeyp = NULL;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	*pkeyp = pkey;
	pkey = NULL;
	r = 0;
 out:
	if (r != 0)
		ERR_clear_error();
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return r;
}

/* ECDSA public point Q as an uncompressed SEC1 octet string. */
int
key_ec_point(const struct sshkey *k, struct buf *out)
{
	enum key_type type = key_type_plain(k->k_type);
	const struct key_info *ki = key_info_by_type(type);
	BIGNUM *x = NULL, *y = NULL;
	size_t flen;
	uint8_t *p;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ki == NULL || !key_type_is_ecdsa(type))
		return SSH_ERR_INTERNAL_ERROR;
	flen = (ki->ki_bits + 7) / 8;
	if ((r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x)) != 0 ||
	    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y)) != 0)
		goto out;
	if ((r = buf_reserve(out, 1 + 2 * flen, &p)) != 0)
		goto out;
	p[0] = 0x04;
	if (BN_bn2binpad(x, p + 1, (int)flen) != (int)flen ||
	    BN_bn2binpad(y, p + 1 + flen, (int)flen) != (int)flen) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = 0;
 out:
	BN_free(x);
	BN_free(y);
	return r;
}

/* Checks an RSA key's numbers; with priv also the private half. */
static int
key_check_rsa(const EVP_PKEY *pkey, int priv)
{
	BIGNUM *n = NULL, *e = NULL, *d = NULL, *p = NULL, *q = NULL;
	BIGNUM *iqmp = NULL, *extra = NULL, *t = NULL;
	BN_CTX *ctx = NULL;
	int bits, r = SSH_ERR_INTERNAL_ERROR;

	if ((r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_N, &n)) != 0 ||
	    (r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_E, &e)) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	bits = BN_num_bits(n);
	if (bits < KEY_RSA_MIN_BITS || bits > KEY_RSA_MAX_BITS) {
		r = SSH_ERR_KEY_LENGTH;
		goto out;
	}
	/* n odd; e odd, at least 3, below n. */
	if (!BN_is_odd(n) || !BN_is_odd(e) || BN_num_bits(e) < 2 ||
	    BN_cmp(e, n) >= 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (!priv) {
		r = 0;
		goto out;
	}
	/* Multi-prime keys cannot be written in SSH's format. */
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR3,
	    &extra) == 1) {
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	ERR_clear_error();
	if ((r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_D, &d)) != 0 ||
	    (r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1, &p)) != 0 ||
	    (r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2, &q)) != 0 ||
	    (r = key_get_bn(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	    &iqmp)) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((ctx = BN_CTX_secure_new()) == NULL || (t = BN_secure_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = SSH_ERR_INVALID_FORMAT;
	if (BN_is_zero(d) || BN_is_one(d) || BN_cmp(d, n) >= 0 ||
	    BN_is_zero(p) || BN_is_zero(q))
		goto out;
	/* n = p * q and iqmp = q^-1 mod p: cheap, and catches swapped or
	 * corrupted fields. */
	if (!BN_mul(t, p, q, ctx) || BN_cmp(t, n) != 0)
		goto out;
	if (!BN_mod_mul(t, iqmp, q, p, ctx) || !BN_is_one(t))
		goto out;
	r = 0;
 out:
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	BN_clear_free(p);
	BN_clear_free(q);
	BN_clear_free(iqmp);
	BN_clear_free(extra);
	BN_clear_free(t);
	BN_CTX_free(ctx);
	return r;
}

static int
key_check_ec(EVP_PKEY *pkey, int priv)
{
	EVP_PKEY_CTX *ctx;
	int r = SSH_ERR_KEY_INVALID_EC_VALUE;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	/* On the curve, not infinity, in the prime-order subgroup; for a
	 * private key also 0 < d < order and Q = d*G. */
	if (EVP_PKEY_public_check(ctx) != 1)
		goto out;
	if (priv && (EVP_PKEY_private_check(ctx) != 1 ||
	    EVP_PKEY_pairwise_check(ctx) != 1))
		goto out;
	r = 0;
 out:
	if (r != 0)
		ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	return r;
}

/* p, q, g, y and, with priv, x of a DSA key, in ssh-dss order. */
int
key_put_dsa(const struct sshkey *k, int priv, struct buf *b)
{
	static const char *const names[] = {
		OSSL_PKEY_PARAM_FFC_P, OSSL_PKEY_PARAM_FFC_Q,
		OSSL_PKEY_PARAM_FFC_G, OSSL_PKEY_PARAM_PUB_KEY,
		OSSL_PKEY_PARAM_PRIV_KEY,
	};
	BIGNUM *bn = NULL;
	size_t i, n = priv ? 5 : 4;
	int r = 0;

	for (i = 0; i < n && r == 0; i++) {
		if ((r = key_get_bn(k->k_pkey, names[i], &bn)) == 0)
			r = key_put_bn(b, bn);
		BN_clear_free(bn);
		bn = NULL;
	}
	return r;
}

/* Reads mpint p, q, g, y (and x with priv); key_from_pkey checks them. */
int
key_get_dsa(struct buf *b, int priv, EVP_PKEY **pkeyp)
{
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *p = NULL, *q = NULL, *g = NULL, *y = NULL, *x = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pkeyp = NULL;
	if ((r = key_get_bn_buf(b, 0, &p)) != 0 ||
	    (r = key_get_bn_buf(b, 0, &q)) != 0 ||
	    (r = key_get_bn_buf(b, 0, &g)) != 0 ||
	    (r = key_get_bn_buf(b, 0, &y)) != 0 ||
	    (priv && (r = key_get_bn_buf(b, 1, &x)) != 0))
		goto out;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_Q, q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) ||
	    (priv && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
	    x))) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = key_fromdata("DSA", priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
	    bld, pkeyp);
 out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(q);
	BN_free(g);
	BN_free(y);
	BN_clear_free(x);
	return r;
}

/*
 * A DSA key from any source: only FIPS 186-2 sizes, as OpenSSH's ssh-dss
 * (p of 1024 bits, q of 160); 1 < g, y < p; for a private key 0 < x < q
 * and y = g^x mod p.
 */
static int
key_check_dsa(EVP_PKEY *pkey, int priv)
{
	BIGNUM *p = NULL, *q = NULL, *g = NULL, *y = NULL, *x = NULL;
	BIGNUM *t = NULL;
	BN_CTX *ctx = NULL;
	int r = SSH_ERR_INVALID_FORMAT;

	if (key_get_bn(pkey, OSSL_PKEY_PARAM_FFC_P, &p) != 0 ||
	    key_get_bn(pkey, OSSL_PKEY_PARAM_FFC_Q, &q) != 0 ||
	    key_get_bn(pkey, OSSL_PKEY_PARAM_FFC_G, &g) != 0 ||
	    key_get_bn(pkey, OSSL_PKEY_PARAM_PUB_KEY, &y) != 0)
		goto out;
	if (BN_num_bits(p) != KEY_DSA_P_BITS ||
	    BN_num_bits(q) != KEY_DSA_Q_BITS) {
		r = SSH_ERR_KEY_LENGTH;
		goto out;
	}
	if (BN_cmp(g, BN_value_one()) <= 0 || BN_cmp(g, p) >= 0 ||
	    BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, p) >= 0)
		goto out;
	if (!priv) {
		r = 0;
		goto out;
	}
	if (key_get_bn(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &x) != 0 ||
	    BN_is_zero(x) || BN_cmp(x, q) >= 0)
		goto out;
	if ((ctx = BN_CTX_secure_new()) == NULL ||
	    (t = BN_secure_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if (!BN_mod_exp(t, g, x, p, ctx) || BN_cmp(t, y) != 0)
		goto out;
	r = 0;
 out:
	BN_free(p);
	BN_free(q);
	BN_free(g);
	BN_free(y);
	BN_clear_free(x);
	BN_clear_free(t);
	BN_CTX_free(ctx);
	return r;
}

/*
 * Classifies and validates an EVP_PKEY from any source and wraps it in a
 * key; takes ownership of pkey on success.  want is KEY_UNSPEC or the type
 * the caller expects.
 */
int
key_from_pkey(EVP_PKEY *pkey, int priv, enum key_type want,
    struct sshkey **keyp)
{
	enum key_type type = KEY_UNSPEC;
	char group[64];
	uint8_t raw[ED25519_SEED_LEN];
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	*keyp = NULL;
	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		type = KEY_ED25519;
		len = sizeof(raw);
		if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1 ||
		    len != ED25519_PK_LEN) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		/* Asked for as a parameter, not exported: OpenSSL 3.0's
		 * export (EVP_PKEY_get_raw_private_key) leaves a copy of
		 * the seed in freed memory, which every later fork of the
		 * monitor would carry (common/secrets.h). */
		len = sizeof(raw);
		if (priv && (EVP_PKEY_get_octet_string_param(pkey,
		    OSSL_PKEY_PARAM_PRIV_KEY, raw, sizeof(raw), &len) != 1 ||
		    len != ED25519_SEED_LEN)) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	} else if (EVP_PKEY_is_a(pkey, "EC")) {
		if (EVP_PKEY_get_utf8_string_param(pkey,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
		    NULL) != 1) {
			r = SSH_ERR_KEY_TYPE_UNKNOWN;
			goto out;
		}
		if ((type = key_type_from_group(group)) == KEY_UNSPEC) {
			r = SSH_ERR_KEY_TYPE_UNKNOWN;
			goto out;
		}
		if ((r = key_check_ec(pkey, priv)) != 0)
			goto out;
	} else if (EVP_PKEY_is_a(pkey, "RSA")) {
		type = KEY_RSA;
		if ((r = key_check_rsa(pkey, priv)) != 0)
			goto out;
	} else if (EVP_PKEY_is_a(pkey, "DSA")) {
		type = KEY_DSA;
		if ((r = key_check_dsa(pkey, priv)) != 0)
			goto out;
	} else {
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		goto out;
	}
	if (want != KEY_UNSPEC && want != type) {
		r = key_type_is_ecdsa(want) && key_type_is_ecdsa(type) ?
		    SSH_ERR_EC_CURVE_MISMATCH : SSH_ERR_KEY_TYPE_MISMATCH;
		goto out;
	}
	r = key_new(type, pkey, priv, keyp);
 out:
	ERR_clear_error();
	explicit_bzero(raw, sizeof(raw));
	return r;
}
