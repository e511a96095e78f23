/*
 * kex_hybrid.c: the hybrid post-quantum methods, a KEM plus X25519, as
 * OpenSSH implements them: mlkem768x25519-sha256 (ML-KEM-768,
 * draft-ietf-sshm-mlkem-hybrid-kex) and sntrup761x25519-sha512 (Streamlined
 * NTRU Prime, draft-josefsson-ntruprime-ssh).  The client's value Q_C is
 * its KEM public key followed by an X25519 public key; the server's Q_S
 * is the KEM ciphertext for that key followed by its own X25519 public
 * key.  K = HASH(KEM shared secret || X25519 shared secret) with the
 * method's hash (SHA-256 or SHA-512), entered into H and the key
 * derivation as a string, not an mpint.  Only the KEM differs between the
 * methods: a descriptor each below.
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
#include "protocol/sntrup761.h"
#include "protocol/ssherr.h"

#define X25519_LEN	32
#define KEM_SS_LEN	32	/* both KEMs' shared secret */
#define HYBRID_K_MAX	64	/* SHA-512 */

struct kem {
	enum kex_kind	 kind;
	size_t		 pk_len, sk_len, ct_len;
	/* kex_keypair_from_private's KEM part; 0 if the KEM has none. */
	size_t		 seed_len;
	int (*keygen)(uint8_t *pk, uint8_t *sk);
	int (*from_seed)(const uint8_t *seed, uint8_t *pk, uint8_t *sk);
	/* checks pk; a bad one is SSH_ERR_INVALID_FORMAT */
	int (*encaps)(const uint8_t *pk, uint8_t *ct, uint8_t ss[KEM_SS_LEN]);
	int (*decaps)(const uint8_t *sk, const uint8_t *ct,
	    uint8_t ss[KEM_SS_LEN]);
};

/* ML-KEM-768 takes its randomness from the caller: the seeds d and z. */
static int
mlkem_from_seed(const uint8_t *seed, uint8_t *pk, uint8_t *sk)
{
	return mlkem768_keygen(seed, seed + MLKEM768_SEED_LEN, pk, sk);
}

static int
mlkem_keygen(uint8_t *pk, uint8_t *sk)
{
	uint8_t seed[2 * MLKEM768_SEED_LEN];
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if (RAND_priv_bytes(seed, sizeof(seed)) == 1)
		r = mlkem_from_seed(seed, pk, sk);
	explicit_bzero(seed, sizeof(seed));
	return r;
}

static int
mlkem_encaps(const uint8_t *pk, uint8_t *ct, uint8_t ss[KEM_SS_LEN])
{
	uint8_t m[MLKEM768_SEED_LEN];
	int r;

	/* FIPS 203's modulus check first: no randomness for a bad key. */
	if ((r = mlkem768_check_ek(pk, MLKEM768_EK_LEN)) != 0)
		return r;
	if (RAND_priv_bytes(m, sizeof(m)) != 1)
		return SSH_ERR_LIBCRYPTO_ERROR;
	r = mlkem768_encaps(pk, MLKEM768_EK_LEN, m, ct, ss);
	explicit_bzero(m, sizeof(m));
	return r;
}

static int
mlkem_decaps(const uint8_t *sk, const uint8_t *ct, uint8_t ss[KEM_SS_LEN])
{
	return mlkem768_decaps(sk, MLKEM768_DK_LEN, ct, MLKEM768_CT_LEN, ss);
}

/* sntrup761 draws its own randomness (NULL: RAND_bytes); every byte
 * string of the right length is a public key. */
static int
sntrup_keygen(uint8_t *pk, uint8_t *sk)
{
	return sntrup761_keypair(pk, sk, NULL, NULL);
}

static int
sntrup_encaps(const uint8_t *pk, uint8_t *ct, uint8_t ss[KEM_SS_LEN])
{
	return sntrup761_enc(ct, ss, pk, NULL, NULL);
}

static int
sntrup_decaps(const uint8_t *sk, const uint8_t *ct, uint8_t ss[KEM_SS_LEN])
{
	return sntrup761_dec(ss, ct, sk);
}

static const struct kem kems[] = {
	{ KEX_KIND_MLKEM768_X25519, MLKEM768_EK_LEN, MLKEM768_DK_LEN,
	    MLKEM768_CT_LEN, 2 * MLKEM768_SEED_LEN, mlkem_keygen,
	    mlkem_from_seed, mlkem_encaps, mlkem_decaps },
	{ KEX_KIND_SNTRUP761_X25519, SNTRUP761_PUBLICKEY_BYTES,
	    SNTRUP761_SECRETKEY_BYTES, SNTRUP761_CIPHERTEXT_BYTES, 0,
	    sntrup_keygen, NULL, sntrup_encaps, sntrup_decaps },
};

static const struct kem *
kem_of(const struct kex_alg *alg)
{
	size_t i;

	for (i = 0; i < sizeof(kems) / sizeof(kems[0]); i++)
		if (kems[i].kind == alg->ka_kind)
			return &kems[i];
	return NULL;
}

static const struct kex_alg *
x25519_alg(void)
{
	return kex_alg_by_name("curve25519-sha256");
}

/* K = string(HASH(kem || ecdh)), appended to K. */
static int
combine(const struct kex_alg *alg, const uint8_t kem[KEM_SS_LEN],
    const uint8_t *ecdh, size_t ecdh_len, struct buf *K)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	uint8_t hash[HYBRID_K_MAX];
	unsigned int len = 0;
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if (alg->ka_hash_len > sizeof(hash))
		return SSH_ERR_INTERNAL_ERROR;
	if ((md = EVP_MD_fetch(NULL, alg->ka_hash, NULL)) == NULL ||
	    (ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, kem, KEM_SS_LEN) != 1 ||
	    EVP_DigestUpdate(ctx, ecdh, ecdh_len) != 1 ||
	    EVP_DigestFinal_ex(ctx, hash, &len) != 1 ||
	    len != alg->ka_hash_len)
		goto out;
	r = buf_put_string(K, hash, len);
 out:
	explicit_bzero(hash, sizeof(hash));
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return r;
}

/* The X25519 half: the shared secret of ours and the peer's 32 bytes,
 * combined with the KEM secret into K. */
static int
finish(const struct kex_alg *alg, const struct kex_keypair *x25519,
    const uint8_t *peer, const uint8_t kem[KEM_SS_LEN], struct buf *K)
{
	uint8_t *ecdh = NULL;
	size_t len = 0;
	int r;

	if ((r = kex_ecdh_derive(x25519, peer, X25519_LEN, &ecdh,
	    &len)) != 0)
		return r;
	r = combine(alg, kem, ecdh, len, K);
	freezero(ecdh, len);
	return r;
}

/* Room for the KEM's key pair in kp, freed by kex_keypair_free. */
static int
kem_alloc(struct kex_keypair *kp, const struct kem *kem)
{
	if ((kp->kp_kem_pk = malloc(kem->pk_len)) == NULL ||
	    (kp->kp_kem_sk = malloc(kem->sk_len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	kp->kp_kem_sk_len = kem->sk_len;
	return 0;
}

int
kex_hybrid_keygen(struct kex_keypair *kp)
{
	const struct kem *kem = kem_of(kp->kp_alg);
	int r;

	if (kem == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if ((r = kem_alloc(kp, kem)) != 0 ||
	    (r = kem->keygen(kp->kp_kem_pk, kp->kp_kem_sk)) != 0)
		return r;
	return kex_keypair_new(x25519_alg(), NULL, &kp->kp_x25519);
}

int
kex_hybrid_from_private(struct kex_keypair *kp, const uint8_t *priv,
    size_t len)
{
	const struct kem *kem = kem_of(kp->kp_alg);
	int r;

	if (kem == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if (kem->from_seed == NULL || len != kem->seed_len + X25519_LEN)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = kem_alloc(kp, kem)) != 0 ||
	    (r = kem->from_seed(priv, kp->kp_kem_pk, kp->kp_kem_sk)) != 0)
		return r;
	return kex_keypair_from_private(x25519_alg(), NULL,
	    priv + kem->seed_len, X25519_LEN, &kp->kp_x25519);
}

int
kex_hybrid_public(const struct kex_keypair *kp, struct buf *out)
{
	const struct kem *kem = kem_of(kp->kp_alg);
	size_t before = buf_len(out);
	int r;

	if (kem == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if ((r = buf_put(out, kp->kp_kem_pk, kem->pk_len)) != 0 ||
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
	const struct kem *kem = kem_of(kp->kp_alg);
	uint8_t ss[KEM_SS_LEN];
	int r;

	if (kem == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if (peer_len != kem->ct_len + X25519_LEN)
		return SSH_ERR_INVALID_FORMAT;
	if ((r = kem->decaps(kp->kp_kem_sk, peer, ss)) == 0)
		r = finish(kp->kp_alg, kp->kp_x25519, peer + kem->ct_len, ss,
		    K);
	explicit_bzero(ss, sizeof(ss));
	return r;
}

/* The server's side: Q_C is KEM public key || X25519 public key. */
int
kex_hybrid_respond(const struct kex_alg *alg, const uint8_t *peer,
    size_t peer_len, struct buf *pub, struct buf *K)
{
	const struct kem *kem = kem_of(alg);
	struct kex_keypair *x25519 = NULL;
	uint8_t ss[KEM_SS_LEN], *ct;
	int r;

	if (kem == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if (peer_len != kem->pk_len + X25519_LEN)
		return SSH_ERR_INVALID_FORMAT;
	if ((r = buf_reserve(pub, kem->ct_len, &ct)) != 0)
		return r;
	/* ct is written before the buffer grows (and may move) again. */
	if ((r = kem->encaps(peer, ct, ss)) == 0 &&
	    (r = kex_keypair_new(x25519_alg(), NULL, &x25519)) == 0 &&
	    (r = kex_keypair_public(x25519, pub)) == 0)
		r = finish(alg, x25519, peer + kem->pk_len, ss, K);
	explicit_bzero(ss, sizeof(ss));
	kex_keypair_free(x25519);
	return r;
}
