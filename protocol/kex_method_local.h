/*
 * kex_method_local.h: the key pair shared by kex_method.c, kex_ecdh.c and
 * kex_dh.c.  Not for use outside those files.
 */
#ifndef NANOSSH_KEX_METHOD_LOCAL_H
#define NANOSSH_KEX_METHOD_LOCAL_H

#include <openssl/bn.h>
#include <openssl/evp.h>

struct buf;
struct dh_group;
struct kex_alg;

struct kex_keypair {
	const struct kex_alg	*kp_alg;
	EVP_PKEY		*kp_pkey;	/* X25519 and ECDH */
	struct dh_group		*kp_group;	/* DH and GEX */
	BIGNUM			*kp_priv;	/* DH: exponent x */
	BIGNUM			*kp_pub;	/* DH: g^x mod p */
};

/* kex_ecdh.c: X25519 and NIST curves through EVP. */
int kex_ecdh_keygen(struct kex_keypair *kp);
int kex_ecdh_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len);
int kex_ecdh_public(const struct kex_keypair *kp, struct buf *out);
int kex_ecdh_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);

/* kex_dh.c: finite-field DH; kp_group is set by the caller. */
int kex_dh_keygen(struct kex_keypair *kp);
int kex_dh_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len);
int kex_dh_public(const struct kex_keypair *kp, struct buf *out);
int kex_dh_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);

#endif
