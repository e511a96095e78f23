/*
 * kex_kem.c: sntrup761x25519-sha512, OpenSSH's hybrid of Streamlined NTRU
 * Prime and X25519 (OpenSSH PROTOCOL, draft-josefsson-ntruprime-ssh).
 * The client's Q_C is its sntrup761 public key || its X25519 public value;
 * the server answers Q_S = the sntrup761 ciphertext || its X25519 public
 * value; K = SHA-512(KEM secret || raw X25519 secret), encoded as an SSH
 * string (not an mpint) in the exchange hash and the key derivation.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/kex_method.h"
#include "protocol/kex_method_local.h"
#include "protocol/sntrup761.h"
#include "protocol/ssherr.h"

#define X25519_LEN	32
#define CLIENT_LEN	(SNTRUP761_PUBLICKEY_BYTES + X25519_LEN)
#define SERVER_LEN	(SNTRUP761_CIPHERTEXT_BYTES + X25519_LEN)

int
kex_kem_keygen(struct kex_keypair *kp)
{
	int r;

	if ((kp->kp_kem_pk = malloc(SNTRUP761_PUBLICKEY_BYTES)) == NULL ||
	    (kp->kp_kem_sk = malloc(SNTRUP761_SECRETKEY_BYTES)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = sntrup761_keypair(kp->kp_kem_pk, kp->kp_kem_sk, NULL,
	    NULL)) != 0)
		return r;
	return kex_ecdh_keygen(kp);
}

int
kex_kem_public(const struct kex_keypair *kp, struct buf *out)
{
	int r;

	if ((r = buf_check_reserve(out, CLIENT_LEN)) != 0)
		return r;
	if ((r = buf_put(out, kp->kp_kem_pk, SNTRUP761_PUBLICKEY_BYTES)) != 0)
		return r;
	if ((r = kex_ecdh_public(kp, out)) != 0)
		buf_consume_end(out, SNTRUP761_PUBLICKEY_BYTES);
	return r;
}

/* K = string(SHA-512(kem || X25519 with our key and the peer's value)). */
static int
combine(const struct kex_keypair *kp, const uint8_t kem[SNTRUP761_SHARED_BYTES],
    const uint8_t *peer_x25519, struct buf *K)
{
	EVP_MD_CTX *ctx = NULL;
	uint8_t *secret = NULL, hash[64];
	size_t len = 0;
	unsigned int hlen = 0;
	int r;

	if ((r = kex_ecdh_derive(kp, peer_x25519, X25519_LEN, &secret,
	    &len)) != 0)
		return r;
	r = SSH_ERR_LIBCRYPTO_ERROR;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(ctx, EVP_sha512(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, kem, SNTRUP761_SHARED_BYTES) != 1 ||
	    EVP_DigestUpdate(ctx, secret, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, hash, &hlen) != 1 || hlen != sizeof(hash))
		goto out;
	r = buf_put_string(K, hash, sizeof(hash));
 out:
	explicit_bzero(hash, sizeof(hash));
	freezero(secret, len);
	EVP_MD_CTX_free(ctx);
	return r;
}

int
kex_kem_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K)
{
	uint8_t kem[SNTRUP761_SHARED_BYTES];
	int r;

	if (kp->kp_kem_sk == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (peer_len != SERVER_LEN)
		return SSH_ERR_INVALID_FORMAT;
	if ((r = sntrup761_dec(kem, peer, kp->kp_kem_sk)) == 0)
		r = combine(kp, kem, peer + SNTRUP761_CIPHERTEXT_BYTES, K);
	explicit_bzero(kem, sizeof(kem));
	return r;
}

int
kex_kem_server_reply(const struct kex_alg *alg, const uint8_t *peer,
    size_t peer_len, struct buf *Q_S, struct buf *K)
{
	struct kex_keypair kp;
	uint8_t kem[SNTRUP761_SHARED_BYTES], *ct;
	int r;

	if (peer_len != CLIENT_LEN)
		return SSH_ERR_INVALID_FORMAT;
	memset(&kp, 0, sizeof(kp));
	kp.kp_alg = alg;
	if ((r = buf_check_reserve(Q_S, SERVER_LEN)) != 0 ||
	    (r = kex_ecdh_keygen(&kp)) != 0 ||
	    (r = buf_reserve(Q_S, SNTRUP761_CIPHERTEXT_BYTES, &ct)) != 0)
		goto out;
	if ((r = sntrup761_enc(ct, kem, peer, NULL, NULL)) != 0 ||
	    (r = kex_ecdh_public(&kp, Q_S)) != 0 ||
	    (r = combine(&kp, kem, peer + SNTRUP761_PUBLICKEY_BYTES, K)) != 0)
		goto out;
 out:
	explicit_bzero(kem, sizeof(kem));
	EVP_PKEY_free(kp.kp_pkey);
	return r;
}
