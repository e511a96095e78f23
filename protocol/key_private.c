/*
 * key_private.c: private-key files: OpenSSH's openssh-key-v1 format (read
 * and written, encrypted with bcrypt-pbkdf) and PEM PKCS#1 / SEC1 / PKCS#8
 * (read).
 */
#include <sys/types.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "protocol/bcrypt_pbkdf.h"
#include "protocol/buf.h"
#include "protocol/cipher.h"
#include "protocol/key.h"
#include "protocol/key_local.h"
#include "protocol/ssherr.h"

#define OPENSSH_MAGIC		"openssh-key-v1"	/* written with its NUL */
#define OPENSSH_BEGIN		"-----BEGIN OPENSSH PRIVATE KEY-----"
#define OPENSSH_END		"-----END OPENSSH PRIVATE KEY-----"
#define OPENSSH_SALT_LEN	16
#define OPENSSH_ROUNDS		16
#define OPENSSH_CIPHER		"aes256-ctr"

/*
 * Ciphers that ssh-keygen has used for openssh-key-v1 files (-Z).  We write
 * aes256-ctr unless asked for another; the rest are read so older files and
 * ssh-keygen -Z's choices still load.  The AEAD ciphers put their tag after
 * the encrypted section, outside its length (OpenSSH's PROTOCOL.key).
 */
enum key_cipher_mode { KC_NONE, KC_EVP, KC_GCM, KC_CHACHAPOLY };

static const struct key_cipher {
	const char		*kc_name;
	enum key_cipher_mode	 kc_mode;
	const char		*kc_evp;	/* KC_EVP: OpenSSL's name */
	size_t			 kc_keylen;
	size_t			 kc_ivlen;
	size_t			 kc_blocksize;
	size_t			 kc_taglen;
} key_ciphers[] = {
	{ "none", KC_NONE, NULL, 0, 0, 8, 0 },
	{ "aes128-ctr", KC_EVP, "AES-128-CTR", 16, 16, 16, 0 },
	{ "aes192-ctr", KC_EVP, "AES-192-CTR", 24, 16, 16, 0 },
	{ "aes256-ctr", KC_EVP, "AES-256-CTR", 32, 16, 16, 0 },
	{ "aes128-cbc", KC_EVP, "AES-128-CBC", 16, 16, 16, 0 },
	{ "aes192-cbc", KC_EVP, "AES-192-CBC", 24, 16, 16, 0 },
	{ "aes256-cbc", KC_EVP, "AES-256-CBC", 32, 16, 16, 0 },
	{ "aes128-gcm@openssh.com", KC_GCM, NULL, 16, CIPHER_GCM_IV_LEN, 16,
	    CIPHER_GCM_TAG_LEN },
	{ "aes256-gcm@openssh.com", KC_GCM, NULL, 32, CIPHER_GCM_IV_LEN, 16,
	    CIPHER_GCM_TAG_LEN },
	/* K_2 || K_1 as on the wire; with no length header K_1 goes unused. */
	{ "chacha20-poly1305@openssh.com", KC_CHACHAPOLY, NULL,
	    2 * CIPHER_CHACHA_KEY_LEN, 0, 8, CIPHER_POLY1305_TAG_LEN },
};

static const struct key_cipher *
key_cipher_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(key_ciphers) / sizeof(key_ciphers[0]); i++)
		if (strcmp(key_ciphers[i].kc_name, name) == 0)
			return &key_ciphers[i];
	return NULL;
}

/* The private half in the order of OpenSSH's private key section. */
static int
key_put_private_fields(const struct sshkey *k, struct buf *b)
{
	const struct key_info *ki = key_info_by_type(k->k_type);
	BIGNUM *n = NULL, *e = NULL, *d = NULL, *iqmp = NULL;
	BIGNUM *p = NULL, *q = NULL;
	struct buf *pt = NULL;
	uint8_t sk[ED25519_SK_LEN];
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ki == NULL)
		return SSH_ERR_KEY_TYPE_UNKNOWN;
	if (!k->k_private)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, ki->ki_name)) != 0)
		goto out;
	switch (k->k_type) {
	case KEY_ED25519:
		len = ED25519_SEED_LEN;
		if (EVP_PKEY_get_raw_private_key(k->k_pkey, sk, &len) != 1 ||
		    len != ED25519_SEED_LEN) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		len = ED25519_PK_LEN;
		if (EVP_PKEY_get_raw_public_key(k->k_pkey,
		    sk + ED25519_SEED_LEN, &len) != 1 ||
		    len != ED25519_PK_LEN) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		if ((r = buf_put_string(b, sk + ED25519_SEED_LEN,
		    ED25519_PK_LEN)) != 0)
			goto out;
		r = buf_put_string(b, sk, sizeof(sk));
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		if ((pt = buf_new()) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = key_ec_point(k, pt)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_PRIV_KEY,
		    &d)) != 0 ||
		    (r = buf_put_cstring(b, ki->ki_curve)) != 0 ||
		    (r = buf_put_stringb(b, pt)) != 0)
			goto out;
		r = key_put_bn(b, d);
		break;
	case KEY_RSA:
		if ((r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_N, &n)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_E, &e)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_D, &d)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
		    &iqmp)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_FACTOR1,
		    &p)) != 0 ||
		    (r = key_get_bn(k->k_pkey, OSSL_PKEY_PARAM_RSA_FACTOR2,
		    &q)) != 0)
			goto out;
		if ((r = key_put_bn(b, n)) != 0 ||
		    (r = key_put_bn(b, e)) != 0 ||
		    (r = key_put_bn(b, d)) != 0 ||
		    (r = key_put_bn(b, iqmp)) != 0 ||
		    (r = key_put_bn(b, p)) != 0)
			goto out;
		r = key_put_bn(b, q);
		break;
	case KEY_DSA:
		r = key_put_dsa(k, 1, b);
		break;
	default:
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		break;
	}
 out:
	explicit_bzero(sk, sizeof(sk));
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	BN_clear_free(iqmp);
	BN_clear_free(p);
	BN_clear_free(q);
	buf_free(pt);
	return r;
}

static int
key_parse_ed25519_private(struct buf *b, EVP_PKEY **pkeyp)
{
	const uint8_t *pk, *sk;
	uint8_t derived[ED25519_PK_LEN];
	size_t pklen, sklen, len = sizeof(derived);
	EVP_PKEY *pkey = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pkeyp = NULL;
	if ((r = buf_get_string_direct(b, &pk, &pklen)) != 0 ||
	    (r = buf_get_string_direct(b, &sk, &sklen)) != 0)
		goto out;
	if (pklen != ED25519_PK_LEN || sklen != ED25519_SK_LEN) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL,
	    sk, ED25519_SEED_LEN)) == NULL) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	/* The stored public key, both copies, must be the seed's.  (libbsd
	 * 0.11 has no timingsafe_bcmp; CRYPTO_memcmp is constant time.) */
	if (EVP_PKEY_get_raw_public_key(pkey, derived, &len) != 1 ||
	    len != ED25519_PK_LEN ||
	    CRYPTO_memcmp(derived, pk, ED25519_PK_LEN) != 0 ||
	    CRYPTO_memcmp(derived, sk + ED25519_SEED_LEN,
	    ED25519_PK_LEN) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	*pkeyp = pkey;
	pkey = NULL;
	r = 0;
 out:
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	return r;
}

static int
key_parse_ecdsa_private(struct buf *b, enum key_type type, EVP_PKEY **pkeyp)
{
	const struct key_info *ki = key_info_by_type(type);
	OSSL_PARAM_BLD *bld = NULL;
	const uint8_t *q;
	size_t qlen;
	BIGNUM *d = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pkeyp = NULL;
	if ((r = key_get_curve(b, type)) != 0 ||
	    (r = key_get_ec_point(b, type, &q, &qlen)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &d)) != 0)
		goto out;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    ki->ki_group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    q, qlen) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_fromdata("EC", EVP_PKEY_KEYPAIR, bld, pkeyp)) != 0)
		r = SSH_ERR_KEY_INVALID_EC_VALUE;
 out:
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	return r;
}

static int
key_parse_rsa_private(struct buf *b, EVP_PKEY **pkeyp)
{
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *n = NULL, *e = NULL, *d = NULL, *iqmp = NULL, *p = NULL;
	BIGNUM *q = NULL, *dmp1 = NULL, *dmq1 = NULL, *t = NULL;
	BN_CTX *ctx = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pkeyp = NULL;
	if ((r = key_get_bn_buf(b, 0, &n)) != 0 ||
	    (r = key_get_bn_buf(b, 0, &e)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &d)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &iqmp)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &p)) != 0 ||
	    (r = key_get_bn_buf(b, 1, &q)) != 0)
		goto out;
	if (BN_is_zero(p) || BN_is_one(p) || BN_is_zero(q) || BN_is_one(q)) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	/* OpenSSH does not store the CRT exponents; OpenSSL 3.0 wants them. */
	if ((ctx = BN_CTX_secure_new()) == NULL ||
	    (t = BN_secure_new()) == NULL || (dmp1 = BN_secure_new()) == NULL ||
	    (dmq1 = BN_secure_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (BN_copy(t, p) == NULL || !BN_sub_word(t, 1) ||
	    !BN_mod(dmp1, d, t, ctx) || BN_copy(t, q) == NULL ||
	    !BN_sub_word(t, 1) || !BN_mod(dmq1, d, t, ctx)) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	    iqmp)) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	r = key_fromdata("RSA", EVP_PKEY_KEYPAIR, bld, pkeyp);
 out:
	ERR_clear_error();
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	BN_clear_free(iqmp);
	BN_clear_free(p);
	BN_clear_free(q);
	BN_clear_free(dmp1);
	BN_clear_free(dmq1);
	BN_clear_free(t);
	BN_CTX_free(ctx);
	return r;
}

/* One private key as in the openssh-key-v1 private section. */
static int
key_get_private(struct buf *b, struct sshkey **keyp)
{
	enum key_type type;
	EVP_PKEY *pkey = NULL;
	char *name = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*keyp = NULL;
	if ((r = buf_get_cstring(b, &name, NULL)) != 0)
		goto out;
	switch ((type = key_type_from_name(name))) {
	case KEY_ED25519:
		r = key_parse_ed25519_private(b, &pkey);
		break;
	case KEY_ECDSA_P256:
	case KEY_ECDSA_P384:
	case KEY_ECDSA_P521:
		r = key_parse_ecdsa_private(b, type, &pkey);
		break;
	case KEY_RSA:
		r = key_parse_rsa_private(b, &pkey);
		break;
	case KEY_DSA:
		r = key_get_dsa(b, 1, &pkey);
		break;
	default:
		r = SSH_ERR_KEY_TYPE_UNKNOWN;
		break;
	}
	if (r != 0)
		goto out;
	if ((r = key_from_pkey(pkey, 1, type, keyp)) != 0)
		goto out;
	pkey = NULL;
 out:
	EVP_PKEY_free(pkey);
	free(name);
	return r;
}

/* aes-ctr/cbc: len bytes, a whole number of blocks, from in to out. */
static int
key_crypt_evp(const struct key_cipher *kc, const uint8_t *kiv, int enc,
    const uint8_t *in, uint8_t *out, size_t len)
{
	EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0, r = SSH_ERR_INTERNAL_ERROR;

	if ((cipher = EVP_CIPHER_fetch(NULL, kc->kc_evp, NULL)) == NULL ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_CipherInit_ex2(ctx, cipher, kiv, kiv + kc->kc_keylen, enc,
	    NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 ||
	    EVP_CipherFinal_ex(ctx, out + outl, &finl) != 1 ||
	    (size_t)outl + (size_t)finl != len) {
		ERR_clear_error();
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = 0;
 out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return r;
}

/*
 * chacha20-poly1305@openssh.com as OpenSSH applies it to a key file: the
 * transport construction with sequence number 0 and no length header, so
 * the tag covers just the ciphertext and K_1 is never used.
 */
static int
key_crypt_chachapoly(const uint8_t *key, int enc, const uint8_t *in,
    uint8_t *out, size_t len)
{
	static const uint8_t nonce[CIPHER_CHACHA_NONCE_LEN];
	static const uint8_t zero[CIPHER_POLY1305_KEY_LEN];
	uint8_t polykey[CIPHER_POLY1305_KEY_LEN];
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = cipher_chacha20_xor(key, 0, nonce, zero, polykey,
	    sizeof(polykey))) != 0)
		goto out;
	/* Authenticate before anything is decrypted. */
	if (!enc && (r = cipher_poly1305_verify(polykey, in, len,
	    in + len)) != 0)
		goto out;
	if ((r = cipher_chacha20_xor(key, 1, nonce, in, out, len)) != 0)
		goto out;
	if (enc)
		r = cipher_poly1305(polykey, out, len, out + len);
 out:
	explicit_bzero(polykey, sizeof(polykey));
	return r;
}

/*
 * Encrypts or decrypts len bytes, a whole number of blocks; out gets len
 * bytes, and when encrypting with an AEAD cipher the tag after them.
 * Decrypting, an AEAD tag is read from in + len; a mismatch (what a wrong
 * passphrase gives) is SSH_ERR_MAC_INVALID.
 */
static int
key_crypt(const struct key_cipher *kc, const char *passphrase,
    const uint8_t *salt, size_t saltlen, unsigned int rounds, int enc,
    const uint8_t *in, size_t len, struct buf *out)
{
	uint8_t kiv[CIPHER_MAX_KEY_LEN + CIPHER_MAX_IV_LEN], *dst;
	const uint8_t *iv;
	size_t keylen = kc->kc_keylen, ivlen = kc->kc_ivlen;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keylen + ivlen > sizeof(kiv) || len > INT32_MAX ||
	    len % kc->kc_blocksize != 0 || kc->kc_mode == KC_NONE)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = bcrypt_pbkdf(passphrase, strlen(passphrase), salt, saltlen,
	    kiv, keylen + ivlen, rounds)) != 0)
		goto out;
	if ((r = buf_reserve(out, len + (enc ? kc->kc_taglen : 0),
	    &dst)) != 0)
		goto out;
	iv = kiv + keylen;
	switch (kc->kc_mode) {
	case KC_EVP:
		r = key_crypt_evp(kc, kiv, enc, in, dst, len);
		break;
	case KC_GCM:
		r = enc ? cipher_aes_gcm_seal(kiv, keylen, iv, ivlen, NULL, 0,
		    in, dst, len, dst + len, kc->kc_taglen) :
		    cipher_aes_gcm_open(kiv, keylen, iv, ivlen, NULL, 0,
		    in, dst, len, in + len, kc->kc_taglen);
		break;
	case KC_CHACHAPOLY:
		r = key_crypt_chachapoly(kiv, enc, in, dst, len);
		break;
	default:
		r = SSH_ERR_INTERNAL_ERROR;
		break;
	}
 out:
	explicit_bzero(kiv, sizeof(kiv));
	return r;
}

int
key_private_cipher_known(const char *name)
{
	const struct key_cipher *kc;

	return name != NULL && (kc = key_cipher_by_name(name)) != NULL &&
	    kc->kc_mode != KC_NONE;
}

int
key_private_to_openssh(const struct sshkey *key, const char *passphrase,
    const char *comment, struct buf *out)
{
	return key_private_to_openssh_cipher(key, passphrase, comment, NULL,
	    out);
}

int
key_private_to_openssh_cipher(const struct sshkey *key, const char *passphrase,
    const char *comment, const char *cipher, struct buf *out)
{
	const struct key_cipher *kc;
	struct buf *body = NULL, *priv = NULL, *kdf = NULL, *pub = NULL;
	uint8_t salt[OPENSSH_SALT_LEN];
	uint32_t check;
	size_t i;
	int encrypt, r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || out == NULL || !key->k_private)
		return SSH_ERR_INVALID_ARGUMENT;
	encrypt = passphrase != NULL && *passphrase != '\0';
	if (cipher == NULL)
		cipher = OPENSSH_CIPHER;
	if (!key_private_cipher_known(cipher))
		return SSH_ERR_KEY_UNKNOWN_CIPHER;
	if ((kc = key_cipher_by_name(encrypt ? cipher : "none")) == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	if ((body = buf_new()) == NULL || (priv = buf_new()) == NULL ||
	    (kdf = buf_new()) == NULL || (pub = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (encrypt) {
		if (RAND_bytes(salt, sizeof(salt)) != 1) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		if ((r = buf_put_string(kdf, salt, sizeof(salt))) != 0 ||
		    (r = buf_put_u32(kdf, OPENSSH_ROUNDS)) != 0)
			goto out;
	}
	/* A random check value, so a wrong passphrase shows as a mismatch. */
	if (RAND_bytes((uint8_t *)&check, sizeof(check)) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if ((r = key_to_blob(key, pub)) != 0 ||
	    (r = buf_put_u32(priv, check)) != 0 ||
	    (r = buf_put_u32(priv, check)) != 0 ||
	    (r = key_put_private_fields(key, priv)) != 0 ||
	    (r = buf_put_cstring(priv, comment != NULL ? comment : "")) != 0)
		goto out;
	for (i = 1; buf_len(priv) % kc->kc_blocksize != 0; i++)
		if ((r = buf_put_u8(priv, (uint8_t)(i & 0xff))) != 0)
			goto out;
	if ((r = buf_put(body, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC))) != 0 ||
	    (r = buf_put_cstring(body, kc->kc_name)) != 0 ||
	    (r = buf_put_cstring(body, encrypt ? "bcrypt" : "none")) != 0 ||
	    (r = buf_put_stringb(body, kdf)) != 0 ||
	    (r = buf_put_u32(body, 1)) != 0 ||
	    (r = buf_put_stringb(body, pub)) != 0)
		goto out;
	if (!encrypt) {
		if ((r = buf_put_stringb(body, priv)) != 0)
			goto out;
	} else {
		if ((r = buf_put_u32(body, (uint32_t)buf_len(priv))) != 0 ||
		    (r = key_crypt(kc, passphrase, salt, sizeof(salt),
		    OPENSSH_ROUNDS, 1, buf_ptr(priv), buf_len(priv),
		    body)) != 0)
			goto out;
	}
	if ((r = buf_putf(out, "%s\n", OPENSSH_BEGIN)) != 0 ||
	    (r = buf_dtob64(body, out, 1)) != 0 ||
	    (r = buf_putf(out, "%s\n", OPENSSH_END)) != 0)
		goto out;
	r = 0;
 out:
	explicit_bzero(&check, sizeof(check));
	buf_free(body);
	buf_free(priv);
	buf_free(kdf);
	buf_free(pub);
	return r;
}

/* Base64 between the openssh-key-v1 armour lines, decoded into out. */
static int
key_unarmour(const struct buf *file, struct buf *out)
{
	const char *p = (const char *)buf_ptr(file), *end;
	size_t len = buf_len(file), blen = strlen(OPENSSH_BEGIN), i;
	char *b64 = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (p == NULL || len < blen || memcmp(p, OPENSSH_BEGIN, blen) != 0)
		return SSH_ERR_INVALID_FORMAT;
	p += blen;
	len -= blen;
	/* The armour line ends in LF, or CRLF in a file that went through
	 * a Windows editor. */
	if (len > 0 && *p == '\r') {
		p++;
		len--;
	}
	if (len == 0 || *p != '\n')
		return SSH_ERR_INVALID_FORMAT;
	if ((end = memmem(p, len, OPENSSH_END, strlen(OPENSSH_END))) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	/* Nothing but white space after the end line. */
	for (i = (size_t)(end - p) + strlen(OPENSSH_END); i < len; i++)
		if (p[i] != '\n' && p[i] != '\r' && p[i] != ' ' && p[i] != '\t')
			return SSH_ERR_INVALID_FORMAT;
	len = (size_t)(end - p);
	if (memchr(p, '\0', len) != NULL)
		return SSH_ERR_INVALID_FORMAT;
	if ((b64 = strndup(p, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	r = buf_b64tod(out, b64);
	freezero(b64, len + 1);
	return r;
}

/*
 * openssh-key-v1.  With passphrase NULL and pubp set, returns only the
 * public key from the unencrypted header.
 */
static int
key_parse_openssh(const struct buf *file, const char *passphrase,
    struct sshkey **keyp, char **commentp, struct sshkey **pubp)
{
	const struct key_cipher *kc;
	struct buf *dec = NULL, *kdf = NULL, *pubblob = NULL, *priv = NULL;
	struct sshkey *pub = NULL, *k = NULL;
	char *ciphername = NULL, *kdfname = NULL, *comment = NULL;
	const uint8_t *magic, *enc, *check, *salt = NULL, *pad;
	size_t enclen, saltlen = 0, padlen, i;
	uint32_t nkeys, enclen32, rounds = 0;
	int encrypted, r = SSH_ERR_INTERNAL_ERROR;

	if ((dec = buf_new()) == NULL || (priv = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_unarmour(file, dec)) != 0)
		goto out;
	if (buf_len(dec) < sizeof(OPENSSH_MAGIC) ||
	    (magic = buf_ptr(dec)) == NULL ||
	    memcmp(magic, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC)) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_consume(dec, sizeof(OPENSSH_MAGIC))) != 0 ||
	    (r = buf_get_cstring(dec, &ciphername, NULL)) != 0 ||
	    (r = buf_get_cstring(dec, &kdfname, NULL)) != 0 ||
	    (r = buf_froms(dec, &kdf)) != 0 ||
	    (r = buf_get_u32(dec, &nkeys)) != 0)
		goto out;
	/* ssh-keygen only ever writes one key per file. */
	if (nkeys != 1) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((kc = key_cipher_by_name(ciphername)) == NULL) {
		r = SSH_ERR_KEY_UNKNOWN_CIPHER;
		goto out;
	}
	/* An AEAD tag follows the encrypted section, outside its length. */
	if ((r = buf_froms(dec, &pubblob)) != 0 ||
	    (r = key_from_blob(pubblob, &pub)) != 0 ||
	    (r = buf_get_u32(dec, &enclen32)) != 0)
		goto out;
	enclen = enclen32;
	if (buf_len(dec) != enclen + kc->kc_taglen) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	enc = buf_ptr(dec);
	encrypted = kc->kc_mode != KC_NONE;
	if (strcmp(kdfname, "none") == 0) {
		if (encrypted || buf_len(kdf) != 0) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	} else if (strcmp(kdfname, "bcrypt") == 0) {
		if (!encrypted) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		if ((r = buf_get_string_direct(kdf, &salt, &saltlen)) != 0 ||
		    (r = buf_get_u32(kdf, &rounds)) != 0 ||
		    (r = buf_expect_end(kdf)) != 0)
			goto out;
		if (saltlen == 0 || rounds == 0) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	} else {
		r = SSH_ERR_KEY_UNKNOWN_CIPHER;
		goto out;
	}
	if (enclen == 0 || enclen % kc->kc_blocksize != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (pubp != NULL) {
		*pubp = pub;
		pub = NULL;
		r = 0;
		goto out;
	}
	/* Each round costs milliseconds: a hostile file must not pin the
	 * CPU for minutes (checked before a passphrase is asked for). */
	if (encrypted && rounds > KEY_KDF_MAX_ROUNDS) {
		r = SSH_ERR_KEY_KDF_ROUNDS;
		goto out;
	}
	if (encrypted && (passphrase == NULL || *passphrase == '\0')) {
		r = SSH_ERR_KEY_WRONG_PASSPHRASE;
		goto out;
	}
	if (encrypted) {
		if ((r = key_crypt(kc, passphrase, salt, saltlen, rounds, 0,
		    enc, enclen, priv)) != 0) {
			if (r == SSH_ERR_MAC_INVALID)
				r = SSH_ERR_KEY_WRONG_PASSPHRASE;
			goto out;
		}
	} else if ((r = buf_put(priv, enc, enclen)) != 0)
		goto out;
	if (buf_len(priv) < 8 || (check = buf_ptr(priv)) == NULL) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (CRYPTO_memcmp(check, check + 4, 4) != 0) {
		r = encrypted ? SSH_ERR_KEY_WRONG_PASSPHRASE :
		    SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_consume(priv, 8)) != 0 ||
	    (r = key_get_private(priv, &k)) != 0 ||
	    (r = buf_get_cstring(priv, &comment, NULL)) != 0)
		goto out;
	if (key_equal_public(k, pub) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	/* Padding 1, 2, 3, ... up to, not including, a whole block. */
	padlen = buf_len(priv);
	pad = buf_ptr(priv);
	if (padlen >= kc->kc_blocksize) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	for (i = 0; i < padlen; i++) {
		if (pad[i] != (uint8_t)(i + 1)) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	}
	if ((r = buf_consume(priv, padlen)) != 0 ||
	    (r = buf_expect_end(priv)) != 0)
		goto out;
	*keyp = k;
	k = NULL;
	if (commentp != NULL) {
		*commentp = comment;
		comment = NULL;
	}
	r = 0;
 out:
	buf_free(kdf);
	buf_free(pubblob);
	buf_free(dec);
	buf_free(priv);
	key_free(pub);
	key_free(k);
	free(ciphername);
	free(kdfname);
	free(comment);
	return r;
}

/* A missing passphrase must fail, never prompt on a terminal. */
static int
key_no_passphrase(char *pass, size_t pass_size, size_t *pass_len,
    const OSSL_PARAM params[], void *arg)
{
	return 0;
}

/* PEM labels we hand to OpenSSL's decoders. */
static const char *const key_pem_labels[] = {
	"RSA PRIVATE KEY",		/* PKCS#1 */
	"EC PRIVATE KEY",		/* SEC1 */
	"DSA PRIVATE KEY",		/* OpenSSL's traditional DSA */
	"PRIVATE KEY",			/* PKCS#8 */
	"ENCRYPTED PRIVATE KEY",	/* PKCS#8, encrypted */
};

static int
key_parse_pem(const struct buf *file, const char *passphrase,
    struct sshkey **keyp)
{
	OSSL_DECODER_CTX *dctx = NULL;
	EVP_PKEY *pkey = NULL;
	const char *p = (const char *)buf_ptr(file), *label, *lend;
	const unsigned char *data;
	size_t len = buf_len(file), llen, i, known = 0;
	int encrypted, r = SSH_ERR_INTERNAL_ERROR;

	if (p == NULL || (label = memmem(p, len, "-----BEGIN ", 11)) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	label += 11;
	if ((lend = memmem(label, len - (size_t)(label - p), "-----",
	    5)) == NULL)
		return SSH_ERR_INVALID_FORMAT;
	llen = (size_t)(lend - label);
	for (i = 0; i < sizeof(key_pem_labels) / sizeof(key_pem_labels[0]);
	    i++) {
		if (strlen(key_pem_labels[i]) == llen &&
		    memcmp(key_pem_labels[i], label, llen) == 0)
			known = 1;
	}
	if (!known) {
		/* Other OpenSSH armour versions and so on. */
		if (llen >= 11 && memcmp(lend - 11, "PRIVATE KEY", 11) == 0)
			return SSH_ERR_KEY_TYPE_UNKNOWN;
		return SSH_ERR_INVALID_FORMAT;
	}
	encrypted = (llen == 21 && memcmp(label, "ENCRYPTED", 9) == 0) ||
	    memmem(p, len, "Proc-Type: 4,ENCRYPTED", 22) != NULL;
	if (encrypted && passphrase == NULL)
		return SSH_ERR_KEY_WRONG_PASSPHRASE;
	if ((dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", NULL, NULL,
	    EVP_PKEY_KEYPAIR, NULL, NULL)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (passphrase != NULL) {
		if (OSSL_DECODER_CTX_set_passphrase(dctx,
		    (const unsigned char *)passphrase,
		    strlen(passphrase)) != 1) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
	} else if (OSSL_DECODER_CTX_set_passphrase_cb(dctx,
	    key_no_passphrase, NULL) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	data = (const unsigned char *)p;
	if (OSSL_DECODER_from_data(dctx, &data, &len) != 1 || pkey == NULL) {
		r = encrypted ? SSH_ERR_KEY_WRONG_PASSPHRASE :
		    SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = key_from_pkey(pkey, 1, KEY_UNSPEC, keyp)) != 0)
		goto out;
	pkey = NULL;
 out:
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	OSSL_DECODER_CTX_free(dctx);
	return r;
}

static int
key_is_openssh_file(const struct buf *file)
{
	size_t blen = strlen(OPENSSH_BEGIN);

	return buf_len(file) >= blen &&
	    memcmp(buf_ptr(file), OPENSSH_BEGIN, blen) == 0;
}

int
key_private_parse(const struct buf *file, const char *passphrase,
    struct sshkey **keyp, char **commentp)
{
	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if (file == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (key_is_openssh_file(file))
		return key_parse_openssh(file, passphrase, keyp, commentp,
		    NULL);
	return key_parse_pem(file, passphrase, keyp);
}

int
key_private_parse_public(const struct buf *file, struct sshkey **pubp)
{
	struct sshkey *k = NULL;
	int r;

	if (pubp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*pubp = NULL;
	if (file == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (key_is_openssh_file(file))
		return key_parse_openssh(file, NULL, NULL, NULL, pubp);
	/* PEM keys have no separate public part: decrypting is the only way. */
	if ((r = key_parse_pem(file, NULL, &k)) != 0)
		return r;
	r = key_demote(k, pubp);
	key_free(k);
	return r;
}
