/*
 * kex_method_local.h: the key pair shared by kex_method.c, kex_ecdh.c,
 * kex_dh.c and kex_hybrid.c.  Not for use outside those files.
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
	/* A hybrid KEM method, the client's side (the server's is
	 * kex_hybrid_respond, which keeps no key pair). */
	struct kex_keypair	*kp_x25519;	/* its curve25519-sha256 half */
	uint8_t			*kp_kem_pk;	/* the KEM's public key */
	uint8_t			*kp_kem_sk;	/* and secret key, */
	size_t			 kp_kem_sk_len;	/* of this many bytes */
};

/* kex_ecdh.c: X25519 and NIST curves through EVP. */
int kex_ecdh_keygen(struct kex_keypair *kp);
int kex_ecdh_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len);
int kex_ecdh_public(const struct kex_keypair *kp, struct buf *out);
int kex_ecdh_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);
/* The raw shared secret, checked as for kex_ecdh_shared, in a new
 * allocation of *lenp bytes for the caller to freezero. */
int kex_ecdh_derive(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, uint8_t **secretp, size_t *lenp);

/* kex_dh.c: finite-field DH; kp_group is set by the caller. */
int kex_dh_keygen(struct kex_keypair *kp);
int kex_dh_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len);
int kex_dh_public(const struct kex_keypair *kp, struct buf *out);
int kex_dh_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);

/* kex_hybrid.c: mlkem768x25519-sha256 and sntrup761x25519-sha512; K is
 * string-encoded. */
int kex_hybrid_keygen(struct kex_keypair *kp);
int kex_hybrid_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len);
int kex_hybrid_public(const struct kex_keypair *kp, struct buf *out);
int kex_hybrid_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);
int kex_hybrid_respond(const struct kex_alg *alg, const uint8_t *peer,
    size_t peer_len, struct buf *pub, struct buf *K);

#endif
