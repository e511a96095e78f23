/*
 * kex_dh.c: finite-field Diffie-Hellman over a safe-prime group
 * (RFC 4253 section 8, RFC 4419, RFC 8268) with OpenSSL BIGNUMs.
 */
#include <stdlib.h>

#include <bsd/stdlib.h>
#include <openssl/bn.h>

#include "protocol/buf.h"
#include "protocol/dh_groups.h"
#include "protocol/kex_method.h"
#include "protocol/kex_method_local.h"
#include "protocol/ssherr.h"

/* pub = g^priv mod p, with priv already set. */
static int
dh_compute_public(struct kex_keypair *kp)
{
	BN_CTX *ctx = NULL;
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if ((ctx = BN_CTX_secure_new()) == NULL ||
	    (kp->kp_pub = BN_new()) == NULL ||
	    !BN_mod_exp_mont_consttime(kp->kp_pub, dh_group_g(kp->kp_group),
	    kp->kp_priv, dh_group_p(kp->kp_group), ctx, NULL))
		goto out;
	/* Cannot happen with a proper group and exponent; cheap to check. */
	if ((r = dh_group_check_public(kp->kp_group, kp->kp_pub)) != 0) {
		r = SSH_ERR_INTERNAL_ERROR;
		goto out;
	}
	r = 0;
 out:
	BN_CTX_free(ctx);
	return r;
}

int
kex_dh_keygen(struct kex_keypair *kp)
{
	int bits = (int)dh_group_exponent_bits(kp->kp_group);

	if ((kp->kp_priv = BN_secure_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	BN_set_flags(kp->kp_priv, BN_FLG_CONSTTIME);
	/* Top bit set: exactly bits bits, far below p, never 0 or 1. */
	if (!BN_priv_rand_ex(kp->kp_priv, bits, BN_RAND_TOP_ONE,
	    BN_RAND_BOTTOM_ANY, 0, NULL))
		return SSH_ERR_LIBCRYPTO_ERROR;
	return dh_compute_public(kp);
}

int
kex_dh_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len)
{
	int r;

	if ((kp->kp_priv = BN_secure_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	BN_set_flags(kp->kp_priv, BN_FLG_CONSTTIME);
	if (len > BUF_MAX_BIGNUM ||
	    BN_bin2bn(priv, (int)len, kp->kp_priv) == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	/* The same bounds as a public value: 1 < x < p-1. */
	if ((r = dh_group_check_public(kp->kp_group, kp->kp_priv)) != 0)
		return SSH_ERR_INVALID_ARGUMENT;
	return dh_compute_public(kp);
}

/* Appends bn's magnitude, big-endian, without leading zeros. */
static int
put_magnitude(struct buf *out, const BIGNUM *bn)
{
	uint8_t *d;
	int len = BN_num_bytes(bn), r;

	if (len <= 0 || (size_t)len > BUF_MAX_BIGNUM)
		return SSH_ERR_INTERNAL_ERROR;
	if ((r = buf_reserve(out, (size_t)len, &d)) != 0)
		return r;
	if (BN_bn2bin(bn, d) != len) {
		buf_consume_end(out, (size_t)len);
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

int
kex_dh_public(const struct kex_keypair *kp, struct buf *out)
{
	return put_magnitude(out, kp->kp_pub);
}

int
kex_dh_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K)
{
	const BIGNUM *p = dh_group_p(kp->kp_group);
	BIGNUM *y = NULL, *k = NULL;
	BN_CTX *ctx = NULL;
	uint8_t *secret = NULL;
	size_t plen = (size_t)BN_num_bytes(p);
	int r = SSH_ERR_INTERNAL_ERROR;

	/* A longer value is >= p whatever its leading bytes. */
	if (peer_len == 0 || peer_len > plen)
		return SSH_ERR_INVALID_FORMAT;
	if ((y = BN_bin2bn(peer, (int)peer_len, NULL)) == NULL)
		return SSH_ERR_LIBCRYPTO_ERROR;
	if ((r = dh_group_check_public(kp->kp_group, y)) != 0)
		goto out;
	r = SSH_ERR_LIBCRYPTO_ERROR;
	if ((ctx = BN_CTX_secure_new()) == NULL ||
	    (k = BN_secure_new()) == NULL ||
	    !BN_mod_exp_mont_consttime(k, y, kp->kp_priv, p, ctx, NULL))
		goto out;
	/* Only a non-prime p or a y in a tiny subgroup get here with k = 1. */
	if (BN_is_one(k)) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((secret = malloc(plen)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (BN_bn2binpad(k, secret, (int)plen) != (int)plen)
		goto out;
	r = buf_put_bignum2_bytes(K, secret, plen);
 out:
	freezero(secret, plen);
	BN_CTX_free(ctx);
	BN_clear_free(k);
	BN_free(y);
	return r;
}
