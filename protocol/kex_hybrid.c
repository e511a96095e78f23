/*
 * kex_hybrid.c: mlkem768x25519-sha256 (draft-ietf-sshm-mlkem-hybrid-kex,
 * as OpenSSH implements it).  The client's value Q_C is an ML-KEM-768
 * encapsulation key followed by an X25519 public key; the server's Q_S
 * is the ML-KEM ciphertext for that key followed by its own X25519
 * public key.  K = SHA-256(ML-KEM shared secret || X25519 shared secret),
 * entered into H and the key derivation as a string, not an mpint.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "protocol/buf.h"
#include "protocol/kex_method.h"
#include "protocol/kex_method_local.h"
#include "protocol/mlkem768.h"
#include "protocol/ssherr.h"

#define X25519_LEN	32
#define HYBRID_K_LEN	32	/* SHA-256 */
/* kex_keypair_from_private: the ML-KEM seeds d and z, then X25519's. */
#define HYBRID_PRIV_LEN	(2 * MLKEM768_SEED_LEN + X25519_LEN)

static const struct kex_alg *
x25519_alg(void)
{
	return kex_alg_by_name("curve25519-sha256");
}

/* K = string(SHA-256(kem || ecdh)), appended to K. */
static int
combine(const uint8_t kem[MLKEM768_SS_LEN], const uint8_t *ecdh,
    size_t ecdh_len, struct buf *K)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	uint8_t hash[HYBRID_K_LEN];
	unsigned int len = 0;
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if ((md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
	    (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, kem, MLKEM768_SS_LEN) != 1 ||
	    EVP_DigestUpdate(ctx, ecdh, ecdh_len) != 1 ||
	    EVP_DigestFinal_ex(ctx, hash, &len) != 1 || len != sizeof(hash))
		goto out;
	r = buf_put_string(K, hash, sizeof(hash));
 out:
	explicit_bzero(hash, sizeof(hash));
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return r;
}

/* The X25519 half: the shared secret of ours and the peer's 32 bytes,
 * combined with the ML-KEM secret into K. */
static int
finish(const struct kex_keypair *x25519, const uint8_t *peer,
    const uint8_t kem[MLKEM768_SS_LEN], struct buf *K)
{
	uint8_t *ecdh = NULL;
	size_t len = 0;
	int r;

	if ((r = kex_ecdh_derive(x25519, peer, X25519_LEN, &ecdh,
	    &len)) != 0)
		return r;
	r = combine(kem, ecdh, len, K);
	freezero(ecdh, len);
	return r;
}

static int
keypair_from_seeds(struct kex_keypair *kp, const uint8_t *d,
    const uint8_t *z)
{
	if ((kp->kp_mlkem_ek = malloc(MLKEM768_EK_LEN)) == NULL ||
	    (kp->kp_mlkem_dk = malloc(MLKEM768_DK_LEN)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	return mlkem768_keygen(d, z, kp->kp_mlkem_ek, kp->kp_mlkem_dk);
}

int
kex_hybrid_keygen(struct kex_keypair *kp)
{
	uint8_t seeds[2 * MLKEM768_SEED_LEN];
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if (RAND_priv_bytes(seeds, sizeof(seeds)) == 1 &&
	    (r = keypair_from_seeds(kp, seeds,
	    seeds + MLKEM768_SEED_LEN)) == 0)
		r = kex_keypair_new(x25519_alg(), NULL, &kp->kp_x25519);
	explicit_bzero(seeds, sizeof(seeds));
	return r;
}

int
kex_hybrid_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len)
{
	int r;

	if (len != HYBRID_PRIV_LEN)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = keypair_from_seeds(kp, priv,
	    priv + MLKEM768_SEED_LEN)) != 0)
		return r;
	return kex_keypair_from_private(x25519_alg(), NULL,
	    priv + 2 * MLKEM768_SEED_LEN, X25519_LEN, &kp->kp_x25519);
}

int
kex_hybrid_public(const struct kex_keypair *kp, struct buf *out)
{
	size_t before = buf_len(out);
	int r;

	if ((r = buf_put(out, kp->kp_mlkem_ek, MLKEM768_EK_LEN)) != 0 ||
	    (r = kex_keypair_public(kp->kp_x25519, out)) != 0) {
		buf_consume_end(out, buf_len(out) - before);
		return r;
	}
	return 0;
}

/* The client's side: Q_S is ciphertext || X25519 public key. */
int
kex_hybrid_shared(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K)
{
	uint8_t kem[MLKEM768_SS_LEN];
	int r;

	if (peer_len != MLKEM768_CT_LEN + X25519_LEN)
		return SSH_ERR_INVALID_FORMAT;
	if ((r = mlkem768_decaps(kp->kp_mlkem_dk, MLKEM768_DK_LEN, peer,
	    MLKEM768_CT_LEN, kem)) == 0)
		r = finish(kp->kp_x25519, peer + MLKEM768_CT_LEN, kem, K);
	explicit_bzero(kem, sizeof(kem));
	return r;
}

/* The server's side: Q_C is encapsulation key || X25519 public key. */
int
kex_hybrid_respond(const uint8_t *peer, size_t peer_len, struct buf *pub,
    struct buf *K)
{
	struct kex_keypair *x25519 = NULL;
	uint8_t m[MLKEM768_SEED_LEN], kem[MLKEM768_SS_LEN], *ct;
	int r;

	if (peer_len != MLKEM768_EK_LEN + X25519_LEN)
		return SSH_ERR_INVALID_FORMAT;
	if ((r = mlkem768_check_ek(peer, MLKEM768_EK_LEN)) != 0)
		return r;
	if (RAND_priv_bytes(m, sizeof(m)) != 1)
		return SSH_ERR_LIBCRYPTO_ERROR;
	if ((r = buf_reserve(pub, MLKEM768_CT_LEN, &ct)) != 0)
		goto out;
	/* ct is written before the buffer grows (and may move) again. */
	if ((r = mlkem768_encaps(peer, MLKEM768_EK_LEN, m, ct, kem)) == 0 &&
	    (r = kex_keypair_new(x25519_alg(), NULL, &x25519)) == 0 &&
	    (r = kex_keypair_public(x25519, pub)) == 0)
		r = finish(x25519, peer + MLKEM768_EK_LEN, kem, K);
 out:
	explicit_bzero(m, sizeof(m));
	explicit_bzero(kem, sizeof(kem));
	kex_keypair_free(x25519);
	return r;
}
