/*
 * kex_rsa.c: RSA key exchange (RFC 4432), rsa2048-sha256 and rsa1024-sha1.
 * The server sends a transient RSA key K_T; the client picks K and sends
 * it RSAES-OAEP-encrypted to K_T (OAEP and MGF1 with the method's hash),
 * so the server's side is one decryption.  K is a random number below
 * 2^(KLEN - 2*HLEN - 49), KLEN the modulus' bits and HLEN the hash's,
 * encrypted as its mpint encoding, which is also how it enters H.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "protocol/buf.h"
#include "protocol/kex_method.h"
#include "protocol/key.h"
#include "protocol/key_local.h"
#include "protocol/ssherr.h"

static int
check_alg(const struct kex_alg *alg)
{
	if (alg == NULL || alg != kex_alg_by_name(alg->ka_name) ||
	    alg->ka_kind != KEX_KIND_RSA)
		return SSH_ERR_INVALID_ARGUMENT;
	return 0;
}

/* The bits K may have with a modulus of klen bits (K < 2^bits); 0 if
 * none. */
static size_t
k_bits(const struct kex_alg *alg, unsigned int klen)
{
	size_t over = 2 * 8 * alg->ka_hash_len + 49;

	return klen > over ? klen - over : 0;
}

int
kex_rsa_keygen(const struct kex_alg *alg, struct sshkey **keyp)
{
	EVP_PKEY *pkey = NULL;
	int r;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if ((r = check_alg(alg)) != 0)
		return r;
	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
	    (size_t)alg->ka_rsa_bits)) == NULL)
		return SSH_ERR_LIBCRYPTO_ERROR;
	if ((r = key_from_pkey(pkey, 1, KEY_RSA, keyp)) != 0)
		EVP_PKEY_free(pkey);
	return r;
}

/* An OAEP context for key with the method's hash for OAEP and MGF1. */
static int
oaep_ctx(const struct kex_alg *alg, const struct sshkey *key, int encrypt,
    EVP_PKEY_CTX **ctxp)
{
	EVP_PKEY_CTX *ctx;

	*ctxp = NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key_evp(key),
	    NULL)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((encrypt ? EVP_PKEY_encrypt_init(ctx) :
	    EVP_PKEY_decrypt_init(ctx)) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx, alg->ka_hash, NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx, alg->ka_hash, NULL) != 1) {
		EVP_PKEY_CTX_free(ctx);
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	*ctxp = ctx;
	return 0;
}

/* An RSA key of the method's size at least, as K_T must be. */
static int
check_key(const struct kex_alg *alg, const struct sshkey *key)
{
	if (key_type(key) != KEY_RSA || key_bits(key) < alg->ka_rsa_bits ||
	    k_bits(alg, key_bits(key)) == 0)
		return SSH_ERR_KEY_LENGTH;
	return 0;
}

int
kex_rsa_check_secret(const struct kex_alg *alg, unsigned int klen,
    const uint8_t *k, size_t len)
{
	struct buf *b;
	const uint8_t *mag;
	size_t maglen, bits;
	int r;

	if ((r = check_alg(alg)) != 0)
		return r;
	if ((b = buf_from(k, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_get_bignum2_bytes_direct(b, &mag, &maglen)) == 0 &&
	    (r = buf_expect_end(b)) == 0) {
		/* mpint magnitudes have no leading zero byte. */
		bits = maglen == 0 ? 0 : 8 * maglen - 8 +
		    (size_t)BN_num_bits_word(mag[0]);
		if (bits > k_bits(alg, klen) || k_bits(alg, klen) == 0)
			r = SSH_ERR_INVALID_FORMAT;
	}
	buf_free(b);
	return r != 0 ? SSH_ERR_INVALID_FORMAT : 0;
}

int
kex_rsa_oaep_decrypt(const struct kex_alg *alg, const struct sshkey *key,
    const uint8_t *ct, size_t ctlen, struct buf *pt)
{
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t *out = NULL;
	size_t outlen = 0, cap;
	int r;

	if ((r = check_alg(alg)) != 0 || (r = check_key(alg, key)) != 0)
		return r;
	if (pt == NULL || ct == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	cap = (key_bits(key) + 7) / 8;
	/* Every failure about the ciphertext is the same one. */
	if (ctlen != cap)
		return SSH_ERR_INVALID_FORMAT;
	if ((r = oaep_ctx(alg, key, 0, &ctx)) != 0)
		return r;
	if ((out = malloc(cap)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	outlen = cap;
	if (EVP_PKEY_decrypt(ctx, out, &outlen, ct, ctlen) != 1) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	r = buf_put(pt, out, outlen);
 out:
	freezero(out, cap);
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int
kex_rsa_decrypt(const struct kex_alg *alg, const struct sshkey *key,
    const uint8_t *ct, size_t ctlen, struct buf *K)
{
	struct buf *pt;
	int r;

	if (K == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((pt = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = kex_rsa_oaep_decrypt(alg, key, ct, ctlen, pt)) == 0 &&
	    (r = kex_rsa_check_secret(alg, key_bits(key), buf_ptr(pt),
	    buf_len(pt))) == 0)
		r = buf_putb(K, pt);
	buf_free(pt);		/* wipes K */
	return r;
}

int
kex_rsa_encrypt(const struct kex_alg *alg, const uint8_t *kt, size_t ktlen,
    struct buf *K, struct buf *ct)
{
	struct sshkey *key = NULL;
	struct buf *blob = NULL, *mp = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *k = NULL;
	uint8_t *mag = NULL, *out;
	size_t outlen = 0, maglen = 0;
	int r;

	if ((r = check_alg(alg)) != 0)
		return r;
	if (K == NULL || ct == NULL || kt == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((blob = buf_from(kt, ktlen)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_from_blob(blob, &key)) != 0 ||
	    (r = check_key(alg, key)) != 0)
		goto out;
	if ((k = BN_secure_new()) == NULL ||
	    BN_priv_rand(k, (int)k_bits(alg, key_bits(key)), BN_RAND_TOP_ANY,
	    BN_RAND_BOTTOM_ANY) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	maglen = (size_t)BN_num_bytes(k);
	/* One byte at least: K may be 0. */
	if ((mag = malloc(maglen + 1)) == NULL ||
	    (mp = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (BN_bn2bin(k, mag) != (int)maglen) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((r = buf_put_bignum2_bytes(mp, mag, maglen)) != 0 ||
	    (r = oaep_ctx(alg, key, 1, &ctx)) != 0)
		goto out;
	if (EVP_PKEY_encrypt(ctx, NULL, &outlen, buf_ptr(mp),
	    buf_len(mp)) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((r = buf_reserve(ct, outlen, &out)) != 0)
		goto out;
	if (EVP_PKEY_encrypt(ctx, out, &outlen, buf_ptr(mp),
	    buf_len(mp)) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = buf_put(K, buf_ptr(mp), buf_len(mp));
 out:
	if (mag != NULL)
		freezero(mag, maglen + 1);
	BN_clear_free(k);
	EVP_PKEY_CTX_free(ctx);
	buf_free(mp);
	buf_free(blob);
	key_free(key);
	return r;
}
