/*
 * kex_ecdh.c: X25519 (RFC 8731) and ECDH on the NIST curves (RFC 5656)
 * through OpenSSL's EVP interface.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "protocol/buf.h"
#include "protocol/kex_method.h"
#include "protocol/kex_method_local.h"
#include "protocol/ssherr.h"

#define X25519_LEN	32

static int
is_x25519(const struct kex_keypair *kp)
{
	return kp->kp_alg->ka_kind == KEX_KIND_X25519;
}

int
kex_ecdh_keygen(struct kex_keypair *kp)
{
	if (is_x25519(kp))
		kp->kp_pkey = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	else
		kp->kp_pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
		    kp->kp_alg->ka_curve);
	return kp->kp_pkey != NULL ? 0 : SSH_ERR_LIBCRYPTO_ERROR;
}

/* The uncompressed point d*G, for a NIST key given only its scalar. */
static int
ec_public_from_private(const char *curve, const BIGNUM *d, uint8_t *pub,
    size_t publen)
{
	EC_GROUP *group = NULL;
	EC_POINT *point = NULL;
	int nid, r = SSH_ERR_LIBCRYPTO_ERROR;

	nid = EC_curve_nist2nid(curve);
	if (nid == NID_undef ||
	    (group = EC_GROUP_new_by_curve_name_ex(NULL, NULL, nid)) == NULL ||
	    (point = EC_POINT_new(group)) == NULL ||
	    !EC_POINT_mul(group, point, d, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED,
	    pub, publen, NULL) != publen)
		goto out;
	r = 0;
 out:
	EC_POINT_free(point);
	EC_GROUP_free(group);
	return r;
}

static int
ec_from_private(struct kex_keypair *kp, const uint8_t *priv, size_t len)
{
	const struct kex_alg *alg = kp->kp_alg;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *d = NULL;
	uint8_t pub[1 + 2 * 66];
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if (alg->ka_pub_len > sizeof(pub))
		return SSH_ERR_INTERNAL_ERROR;
	if ((d = BN_secure_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	BN_set_flags(d, BN_FLG_CONSTTIME);
	if (BN_bin2bn(priv, (int)len, d) == NULL)
		goto out;
	if (BN_is_zero(d)) {
		r = SSH_ERR_INVALID_ARGUMENT;
		goto out;
	}
	if ((r = ec_public_from_private(alg->ka_curve, d, pub,
	    alg->ka_pub_len)) != 0)
		goto out;
	r = SSH_ERR_LIBCRYPTO_ERROR;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    alg->ka_curve, 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, alg->ka_pub_len) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &kp->kp_pkey, EVP_PKEY_KEYPAIR,
	    params) != 1)
		goto out;
	r = 0;
 out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	return r;
}

int
kex_ecdh_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len)
{
	if (!is_x25519(kp))
		return ec_from_private(kp, priv, len);
	if (len != X25519_LEN)
		return SSH_ERR_INVALID_ARGUMENT;
	kp->kp_pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "X25519", NULL,
	    priv, len);
	return kp->kp_pkey != NULL ? 0 : SSH_ERR_LIBCRYPTO_ERROR;
}

int
kex_ecdh_public(const struct kex_keypair *kp, struct buf *out)
{
	size_t len = kp->kp_alg->ka_pub_len, got = 0;
	uint8_t *d;
	int r;

	if ((r = buf_check_reserve(out, len)) != 0)
		return r;
	if ((r = buf_reserve(out, len, &d)) != 0)
		return r;
	if (is_x25519(kp)) {
		got = len;
		if (EVP_PKEY_get_raw_public_key(kp->kp_pkey, d, &got) != 1)
			got = 0;
	} else if (EVP_PKEY_get_octet_string_param(kp->kp_pkey,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, d, len, &got) != 1)
		got = 0;
	if (got != len || (!is_x25519(kp) &&
	    d[0] != POINT_CONVERSION_UNCOMPRESSED)) {
		buf_consume_end(out, len);
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

/*
 * The peer's point as an EVP_PKEY.  The SSH wire carries only
 * uncompressed NIST points (as OpenSSH); a lone 0x00 (infinity),
 * compressed and hybrid forms fail the length or prefix check, and
 * OpenSSL's import and public check reject coordinates outside the field
 * and points off the curve.
 */
static int
peer_key(const struct kex_alg *alg, const uint8_t *peer, size_t len,
    EVP_PKEY **peerp)
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	EVP_PKEY *key = NULL;
	int r = SSH_ERR_KEY_INVALID_EC_VALUE;

	*peerp = NULL;
	if (len != alg->ka_pub_len)
		return SSH_ERR_KEY_INVALID_EC_VALUE;
	if (alg->ka_kind == KEX_KIND_X25519) {
		*peerp = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL,
		    peer, len);
		return *peerp != NULL ? 0 : SSH_ERR_LIBCRYPTO_ERROR;
	}
	if (peer[0] != POINT_CONVERSION_UNCOMPRESSED)
		return SSH_ERR_KEY_INVALID_EC_VALUE;
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)alg->ka_curve, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	    (void *)peer, len);
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	if ((check = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL)) == NULL) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if (EVP_PKEY_public_check(check) != 1)
		goto out;
	*peerp = key;
	key = NULL;
	r = 0;
 out:
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(key);
	return r;
}

int
kex_ecdh_derive(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, uint8_t **secretp, size_t *lenp)
{
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t *secret = NULL, acc = 0;
	size_t i, len = 0, alloc = 0;
	int r = SSH_ERR_INTERNAL_ERROR;

	*secretp = NULL;
	*lenp = 0;
	if ((r = peer_key(kp->kp_alg, peer, peer_len, &pkey)) != 0)
		goto out;
	r = SSH_ERR_LIBCRYPTO_ERROR;
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, kp->kp_pkey,
	    NULL)) == NULL || EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, pkey, 1) != 1 ||
	    EVP_PKEY_derive(ctx, NULL, &alloc) != 1 || alloc == 0)
		goto out;
	if ((secret = malloc(alloc)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	len = alloc;
	if (EVP_PKEY_derive(ctx, secret, &len) != 1) {
		/*
		 * OpenSSL refuses to return an all-zero X25519 output;
		 * nothing else about a well-formed peer value can fail.
		 */
		if (kp->kp_alg->ka_kind == KEX_KIND_X25519)
			r = SSH_ERR_KEY_INVALID_EC_VALUE;
		goto out;
	}
	/*
	 * RFC 8731 section 3: an all-zero X25519 secret means a low-order
	 * point.  (On the NIST curves x = 0 is a point like any other.)
	 */
	for (i = 0; i < len; i++)
		acc |= secret[i];
	if (kp->kp_alg->ka_kind == KEX_KIND_X25519 && acc == 0) {
		r = SSH_ERR_KEY_INVALID_EC_VALUE;
		goto out;
	}
	*secretp = secret;
	*lenp = len;
	secret = NULL;
	r = 0;
 out:
	freezero(secret, alloc);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return r;
}

int
kex_ecdh_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K)
{
	uint8_t *secret = NULL;
	size_t len = 0;
	int r;

	if ((r = kex_ecdh_derive(kp, peer, peer_len, &secret, &len)) != 0)
		return r;
	r = buf_put_bignum2_bytes(K, secret, len);
	freezero(secret, len);
	return r;
}
