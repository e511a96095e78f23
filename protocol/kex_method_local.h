/*
 * kex_method_local.h: the key pair shared by kex_method.c, kex_ecdh.c,
 * kex_dh.c and kex_kem.c.  Not for use outside those files.
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
	uint8_t			*kp_kem_pk;	/* KEM (client): public key */
	uint8_t			*kp_kem_sk;	/* KEM (client): secret key */
};

/* kex_ecdh.c: X25519 and NIST curves through EVP. */
int kex_ecdh_keygen(struct kex_keypair *kp);
int kex_ecdh_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len);
int kex_ecdh_public(const struct kex_keypair *kp, struct buf *out);
int kex_ecdh_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);
/* The raw shared secret (malloc'd, *lenp bytes), all checks of
 * kex_ecdh_shared done; the caller frees it with freezero. */
int kex_ecdh_derive(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, uint8_t **secretp, size_t *lenp);

/* kex_kem.c: sntrup761 + X25519.  The client generates a KEM key pair,
 * the server encapsulates to it (kex_kem_server_reply). */
int kex_kem_keygen(struct kex_keypair *kp);
int kex_kem_public(const struct kex_keypair *kp, struct buf *out);
int kex_kem_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);
int kex_kem_server_reply(const struct kex_alg *alg, const uint8_t *peer,
    size_t peer_len, struct buf *Q_S, struct buf *K);

/* kex_dh.c: finite-field DH; kp_group is set by the caller. */
int kex_dh_keygen(struct kex_keypair *kp);
int kex_dh_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len);
int kex_dh_public(const struct kex_keypair *kp, struct buf *out);
int kex_dh_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);

#endif
