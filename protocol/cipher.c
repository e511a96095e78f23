/*
 * cipher.c: the SSH transport ciphers of cipher.h over OpenSSL 3's EVP.
 *
 * chacha20-poly1305@openssh.com maps onto OpenSSL's "ChaCha20" (RFC 8439
 * layout: 16-byte IV = 32-bit little-endian block counter || 96-bit nonce)
 * as follows.  OpenSSH's construction is original ChaCha: state words 12-13
 * a 64-bit block counter, words 14-15 a 64-bit nonce, the nonce bytes being
 * the sequence number as a big-endian uint64.  Word 13 is the counter's high
 * half and stays 0 (a packet is far below 2^32 blocks), so the RFC 8439
 * nonce is 00 00 00 00 || BE64(seqnr) and the counter is the block number:
 * 0 for the Poly1305 key and for the length (under K_1), 1 onwards for the
 * payload (under K_2).
 *
 * Every packet re-seeds the IV of a context keyed once at NEWKEYS, so the
 * per-packet path allocates nothing.  CTR keeps its own copy of the counter
 * block instead of relying on OpenSSL's running state, which lets
 * cipher_get_length() peek at the first block without disturbing it.
 */
#include <sys/types.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "protocol/cipher.h"
#include "protocol/ssherr.h"

enum cipher_mode {
	CIPHER_MODE_CHACHAPOLY,
	CIPHER_MODE_GCM,
	CIPHER_MODE_CTR,
};

struct cipher_alg {
	const char *ca_name;
	const char *ca_evp;		/* OpenSSL's algorithm name */
	enum cipher_mode ca_mode;
	size_t ca_key_len;
	size_t ca_iv_len;
	size_t ca_block_size;
	size_t ca_tag_len;
};

/* Preference order: AEAD first, then the larger keys. */
static const struct cipher_alg cipher_algs[] = {
	{ "chacha20-poly1305@openssh.com", "ChaCha20", CIPHER_MODE_CHACHAPOLY,
	    64, 0, 8, CIPHER_POLY1305_TAG_LEN },
	{ "aes256-gcm@openssh.com", "AES-256-GCM", CIPHER_MODE_GCM,
	    32, CIPHER_GCM_IV_LEN, 16, CIPHER_GCM_TAG_LEN },
	{ "aes128-gcm@openssh.com", "AES-128-GCM", CIPHER_MODE_GCM,
	    16, CIPHER_GCM_IV_LEN, 16, CIPHER_GCM_TAG_LEN },
	{ "aes256-ctr", "AES-256-CTR", CIPHER_MODE_CTR, 32, 16, 16, 0 },
	{ "aes192-ctr", "AES-192-CTR", CIPHER_MODE_CTR, 24, 16, 16, 0 },
	{ "aes128-ctr", "AES-128-CTR", CIPHER_MODE_CTR, 16, 16, 16, 0 },
};
#define CIPHER_NALGS	(sizeof(cipher_algs) / sizeof(cipher_algs[0]))

struct cipher_ctx {
	const struct cipher_alg *cc_alg;
	int cc_encrypt;
	EVP_CIPHER_CTX *cc_evp;		/* CTR, GCM; chacha20-poly1305: K_2 */
	EVP_CIPHER_CTX *cc_hdr;		/* chacha20-poly1305: K_1 */
	EVP_MAC_CTX *cc_poly;		/* chacha20-poly1305 */
	/* CTR: counter block of the next packet; GCM: fixed || invocation
	 * counter of the next packet. */
	uint8_t cc_iv[CIPHER_MAX_IV_LEN];
};

static const uint8_t zero_block[64];

static uint32_t
load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Adds n to the big-endian integer of len bytes at p, modulo 2^(8 len). */
static void
add_be(uint8_t *p, size_t len, uint64_t n)
{
	size_t i;

	for (i = len; i > 0 && n != 0; i--) {
		n += p[i - 1];
		p[i - 1] = (uint8_t)n;
		n >>= 8;
	}
}

const struct cipher_alg *
cipher_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < CIPHER_NALGS; i++) {
		if (strcmp(cipher_algs[i].ca_name, name) == 0)
			return &cipher_algs[i];
	}
	return NULL;
}

const struct cipher_alg *
cipher_alg_at(size_t i)
{
	return i < CIPHER_NALGS ? &cipher_algs[i] : NULL;
}

const char *
cipher_alg_name(const struct cipher_alg *alg)
{
	return alg->ca_name;
}

size_t
cipher_alg_key_len(const struct cipher_alg *alg)
{
	return alg->ca_key_len;
}

size_t
cipher_alg_iv_len(const struct cipher_alg *alg)
{
	return alg->ca_iv_len;
}

size_t
cipher_alg_block_size(const struct cipher_alg *alg)
{
	return alg->ca_block_size;
}

size_t
cipher_alg_tag_len(const struct cipher_alg *alg)
{
	return alg->ca_tag_len;
}

int
cipher_alg_is_aead(const struct cipher_alg *alg)
{
	return alg->ca_tag_len != 0;
}

size_t
cipher_aadlen(const struct cipher_alg *alg, int mac_etm)
{
	return (cipher_alg_is_aead(alg) || mac_etm) ? CIPHER_LENGTH_FIELD : 0;
}

/* ---- primitives shared by the SSH modes and the one-shot functions ---- */

/* ChaCha20 keystream XOR with an already keyed context (RFC 8439 layout). */
static int
chacha_xor(EVP_CIPHER_CTX *c, uint32_t counter,
    const uint8_t nonce[CIPHER_CHACHA_NONCE_LEN], const uint8_t *in,
    uint8_t *out, size_t len)
{
	uint8_t iv[16];
	int outl = 0;

	if (len > INT_MAX)
		return SSH_ERR_INVALID_ARGUMENT;
	if (len == 0)
		return 0;
	store_le32(iv, counter);
	memcpy(iv + 4, nonce, CIPHER_CHACHA_NONCE_LEN);
	if (EVP_CipherInit_ex(c, NULL, NULL, NULL, iv, -1) != 1 ||
	    EVP_CipherUpdate(c, out, &outl, in, (int)len) != 1 ||
	    outl != (int)len)
		return SSH_ERR_LIBCRYPTO_ERROR;
	return 0;
}

static int
poly_tag(EVP_MAC_CTX *m, const uint8_t key[CIPHER_POLY1305_KEY_LEN],
    const uint8_t *msg, size_t len, uint8_t tag[CIPHER_POLY1305_TAG_LEN])
{
	size_t outl = 0;

	if (EVP_MAC_init(m, key, CIPHER_POLY1305_KEY_LEN, NULL) != 1 ||
	    EVP_MAC_update(m, msg, len) != 1 ||
	    EVP_MAC_final(m, tag, &outl, CIPHER_POLY1305_TAG_LEN) != 1 ||
	    outl != CIPHER_POLY1305_TAG_LEN)
		return SSH_ERR_LIBCRYPTO_ERROR;
	return 0;
}

/*
 * One AES-GCM operation with a keyed context: seeds the IV, feeds the AAD and
 * crypts len bytes.  Encrypting writes the tag; decrypting checks it and
 * wipes out on a mismatch, since OpenSSL releases the plaintext first.
 */
static int
gcm_crypt(EVP_CIPHER_CTX *c, int encrypt, const uint8_t iv[CIPHER_GCM_IV_LEN],
    const uint8_t *aad, size_t aadlen, const uint8_t *in, uint8_t *out,
    size_t len, uint8_t *tag_out, const uint8_t *tag_in)
{
	uint8_t tag[CIPHER_GCM_TAG_LEN], fin[CIPHER_MAX_BLOCK_SIZE];
	int r = SSH_ERR_INTERNAL_ERROR, outl = 0;

	if (len > INT_MAX || aadlen > INT_MAX)
		return SSH_ERR_INVALID_ARGUMENT;
	if (EVP_CipherInit_ex(c, NULL, NULL, NULL, iv, -1) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if (!encrypt) {
		/* The ctrl wants a writable buffer; never hand it the peer's. */
		memcpy(tag, tag_in, sizeof(tag));
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG,
		    (int)sizeof(tag), tag) != 1) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
	}
	if (aadlen > 0 && (EVP_CipherUpdate(c, NULL, &outl, aad,
	    (int)aadlen) != 1 || outl != (int)aadlen)) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if (len > 0 && (EVP_CipherUpdate(c, out, &outl, in, (int)len) != 1 ||
	    outl != (int)len)) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	if (EVP_CipherFinal_ex(c, fin, &outl) != 1 || outl != 0) {
		/* For decryption this is the tag check. */
		r = encrypt ? SSH_ERR_LIBCRYPTO_ERROR : SSH_ERR_MAC_INVALID;
		goto out;
	}
	if (encrypt && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG,
	    CIPHER_GCM_TAG_LEN, tag_out) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	r = 0;
 out:
	if (r != 0 && len > 0)
		explicit_bzero(out, len);
	explicit_bzero(tag, sizeof(tag));
	return r;
}

/* A new cipher context keyed for OpenSSL algorithm name; NULL on failure. */
static EVP_CIPHER_CTX *
evp_new(const char *name, const uint8_t *key, const uint8_t *iv, int encrypt)
{
	EVP_CIPHER *cipher;
	EVP_CIPHER_CTX *c;

	if ((cipher = EVP_CIPHER_fetch(NULL, name, NULL)) == NULL)
		return NULL;
	if ((c = EVP_CIPHER_CTX_new()) != NULL &&
	    EVP_CipherInit_ex2(c, cipher, key, iv, encrypt, NULL) != 1) {
		EVP_CIPHER_CTX_free(c);
		c = NULL;
	}
	EVP_CIPHER_free(cipher);
	return c;
}

static EVP_MAC_CTX *
poly_new(void)
{
	EVP_MAC *mac;
	EVP_MAC_CTX *m;

	if ((mac = EVP_MAC_fetch(NULL, "POLY1305", NULL)) == NULL)
		return NULL;
	m = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	return m;
}

/* ---- contexts ---- */

int
cipher_init(struct cipher_ctx **ctxp, const struct cipher_alg *alg,
    const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
    int encrypt)
{
	struct cipher_ctx *ctx = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ctxp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*ctxp = NULL;
	if (alg == NULL || key == NULL || keylen != alg->ca_key_len ||
	    ivlen != alg->ca_iv_len || (ivlen != 0 && iv == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	ctx->cc_alg = alg;
	ctx->cc_encrypt = encrypt != 0;
	if (ivlen != 0)
		memcpy(ctx->cc_iv, iv, ivlen);
	switch (alg->ca_mode) {
	case CIPHER_MODE_CHACHAPOLY:
		/* K_2 is the first half of the key material, K_1 the second. */
		if ((ctx->cc_evp = evp_new(alg->ca_evp, key, zero_block,
		    1)) == NULL ||
		    (ctx->cc_hdr = evp_new(alg->ca_evp,
		    key + CIPHER_CHACHA_KEY_LEN, zero_block, 1)) == NULL ||
		    (ctx->cc_poly = poly_new()) == NULL) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		break;
	case CIPHER_MODE_GCM:
		/* The IV is seeded per packet from cc_iv. */
		if ((ctx->cc_evp = evp_new(alg->ca_evp, key, NULL,
		    ctx->cc_encrypt)) == NULL) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		break;
	case CIPHER_MODE_CTR:
		if ((ctx->cc_evp = evp_new(alg->ca_evp, key, ctx->cc_iv,
		    1)) == NULL) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		break;
	}
	*ctxp = ctx;
	ctx = NULL;
	r = 0;
 out:
	cipher_free(ctx);
	return r;
}

void
cipher_free(struct cipher_ctx *ctx)
{
	if (ctx == NULL)
		return;
	/* EVP_*_free cleanse the key schedules. */
	EVP_CIPHER_CTX_free(ctx->cc_evp);
	EVP_CIPHER_CTX_free(ctx->cc_hdr);
	EVP_MAC_CTX_free(ctx->cc_poly);
	freezero(ctx, sizeof(*ctx));
}

const struct cipher_alg *
cipher_ctx_alg(const struct cipher_ctx *ctx)
{
	return ctx->cc_alg;
}

static int
aadlen_ok(const struct cipher_alg *alg, size_t aadlen)
{
	return aadlen == cipher_aadlen(alg, 1) || aadlen == cipher_aadlen(alg, 0);
}

static void
chacha_nonce(uint32_t seqnr, uint8_t nonce[CIPHER_CHACHA_NONCE_LEN])
{
	memset(nonce, 0, CIPHER_CHACHA_NONCE_LEN);
	nonce[8] = (uint8_t)(seqnr >> 24);
	nonce[9] = (uint8_t)(seqnr >> 16);
	nonce[10] = (uint8_t)(seqnr >> 8);
	nonce[11] = (uint8_t)seqnr;
}

int
cipher_get_length(struct cipher_ctx *ctx, uint32_t seqnr,
    const uint8_t *in, size_t inlen, size_t aadlen, uint32_t *plenp)
{
	uint8_t nonce[CIPHER_CHACHA_NONCE_LEN], first[CIPHER_MAX_BLOCK_SIZE];
	const struct cipher_alg *alg;
	int r = SSH_ERR_INTERNAL_ERROR, outl = 0;

	if (ctx == NULL || in == NULL || plenp == NULL || ctx->cc_encrypt ||
	    !aadlen_ok(ctx->cc_alg, aadlen))
		return SSH_ERR_INVALID_ARGUMENT;
	alg = ctx->cc_alg;
	if (alg->ca_mode == CIPHER_MODE_CHACHAPOLY) {
		if (inlen < CIPHER_LENGTH_FIELD)
			return SSH_ERR_MESSAGE_INCOMPLETE;
		chacha_nonce(seqnr, nonce);
		if ((r = chacha_xor(ctx->cc_hdr, 0, nonce, in, first,
		    CIPHER_LENGTH_FIELD)) != 0)
			goto out;
	} else if (aadlen == CIPHER_LENGTH_FIELD) {
		if (inlen < CIPHER_LENGTH_FIELD)
			return SSH_ERR_MESSAGE_INCOMPLETE;
		memcpy(first, in, CIPHER_LENGTH_FIELD);
	} else {
		/* CTR with the length encrypted: decrypt a copy of block 0. */
		if (inlen < alg->ca_block_size)
			return SSH_ERR_MESSAGE_INCOMPLETE;
		if (EVP_CipherInit_ex(ctx->cc_evp, NULL, NULL, NULL,
		    ctx->cc_iv, -1) != 1 ||
		    EVP_CipherUpdate(ctx->cc_evp, first, &outl, in,
		    (int)alg->ca_block_size) != 1 ||
		    outl != (int)alg->ca_block_size) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
	}
	*plenp = load_be32(first);
	r = 0;
 out:
	explicit_bzero(first, sizeof(first));
	return r;
}

static int
chachapoly_crypt(struct cipher_ctx *ctx, uint32_t seqnr, uint8_t *dst,
    const uint8_t *src, size_t len)
{
	uint8_t nonce[CIPHER_CHACHA_NONCE_LEN];
	uint8_t polykey[CIPHER_POLY1305_KEY_LEN];
	uint8_t expect[CIPHER_POLY1305_TAG_LEN];
	int r = SSH_ERR_INTERNAL_ERROR;

	chacha_nonce(seqnr, nonce);
	if ((r = chacha_xor(ctx->cc_evp, 0, nonce, zero_block, polykey,
	    sizeof(polykey))) != 0)
		goto out;
	if (!ctx->cc_encrypt) {
		/* Authenticate before anything is decrypted. */
		if ((r = poly_tag(ctx->cc_poly, polykey, src, len,
		    expect)) != 0)
			goto out;
		if (CRYPTO_memcmp(expect, src + len, sizeof(expect)) != 0) {
			r = SSH_ERR_MAC_INVALID;
			goto out;
		}
	}
	if ((r = chacha_xor(ctx->cc_hdr, 0, nonce, src, dst,
	    CIPHER_LENGTH_FIELD)) != 0 ||
	    (r = chacha_xor(ctx->cc_evp, 1, nonce, src + CIPHER_LENGTH_FIELD,
	    dst + CIPHER_LENGTH_FIELD, len - CIPHER_LENGTH_FIELD)) != 0)
		goto out;
	if (ctx->cc_encrypt &&
	    (r = poly_tag(ctx->cc_poly, polykey, dst, len, dst + len)) != 0)
		goto out;
	r = 0;
 out:
	explicit_bzero(polykey, sizeof(polykey));
	explicit_bzero(expect, sizeof(expect));
	return r;
}

static int
gcm_packet(struct cipher_ctx *ctx, uint8_t *dst, const uint8_t *src,
    size_t len)
{
	uint8_t aad[CIPHER_LENGTH_FIELD];
	int r = SSH_ERR_INTERNAL_ERROR;

	/* Copied first: in place, dst[0..4) is src[0..4) anyway. */
	memcpy(aad, src, sizeof(aad));
	if (ctx->cc_encrypt)
		r = gcm_crypt(ctx->cc_evp, 1, ctx->cc_iv, aad, sizeof(aad),
		    src + sizeof(aad), dst + sizeof(aad), len - sizeof(aad),
		    dst + len, NULL);
	else
		r = gcm_crypt(ctx->cc_evp, 0, ctx->cc_iv, aad, sizeof(aad),
		    src + sizeof(aad), dst + sizeof(aad), len - sizeof(aad),
		    NULL, src + len);
	if (r != 0)
		return r;
	memcpy(dst, aad, sizeof(aad));
	/* RFC 5647 section 7.1: only the 64-bit invocation counter moves. */
	add_be(ctx->cc_iv + 4, CIPHER_GCM_IV_LEN - 4, 1);
	return 0;
}

static int
ctr_crypt(struct cipher_ctx *ctx, uint8_t *dst, const uint8_t *src,
    size_t len)
{
	int outl = 0;

	if (EVP_CipherInit_ex(ctx->cc_evp, NULL, NULL, NULL, ctx->cc_iv,
	    -1) != 1 ||
	    EVP_CipherUpdate(ctx->cc_evp, dst, &outl, src, (int)len) != 1 ||
	    outl != (int)len)
		return SSH_ERR_LIBCRYPTO_ERROR;
	/* The whole 128-bit counter block increments, as in OpenSSL. */
	add_be(ctx->cc_iv, sizeof(ctx->cc_iv), len / ctx->cc_alg->ca_block_size);
	return 0;
}

int
cipher_crypt(struct cipher_ctx *ctx, uint32_t seqnr, uint8_t *dst,
    const uint8_t *src, size_t len, size_t aadlen, size_t taglen)
{
	const struct cipher_alg *alg;
	size_t srcspan, dstspan;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ctx == NULL || dst == NULL || src == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	alg = ctx->cc_alg;
	if (!aadlen_ok(alg, aadlen) || taglen != alg->ca_tag_len ||
	    len <= aadlen || len > INT_MAX ||
	    (len - aadlen) % alg->ca_block_size != 0)
		return SSH_ERR_INVALID_ARGUMENT;
	/* The tag is read from src when decrypting, written to dst when
	 * encrypting; apart from exactly in place, the spans may not meet. */
	srcspan = len + (ctx->cc_encrypt ? 0 : taglen);
	dstspan = len + (ctx->cc_encrypt ? taglen : 0);
	if (dst != src && (uintptr_t)dst < (uintptr_t)src + srcspan &&
	    (uintptr_t)src < (uintptr_t)dst + dstspan)
		return SSH_ERR_INVALID_ARGUMENT;
	switch (alg->ca_mode) {
	case CIPHER_MODE_CHACHAPOLY:
		r = chachapoly_crypt(ctx, seqnr, dst, src, len);
		break;
	case CIPHER_MODE_GCM:
		r = gcm_packet(ctx, dst, src, len);
		break;
	case CIPHER_MODE_CTR:
		if (aadlen != 0 && dst != src)
			memcpy(dst, src, aadlen);
		r = ctr_crypt(ctx, dst + aadlen, src + aadlen, len - aadlen);
		break;
	}
	/* A MAC failure of chacha20-poly1305 has not written dst yet. */
	if (r != 0 && r != SSH_ERR_MAC_INVALID)
		explicit_bzero(dst, len);
	return r;
}

/* ---- one-shot primitives ---- */

int
cipher_chacha20_xor(const uint8_t key[CIPHER_CHACHA_KEY_LEN],
    uint32_t counter, const uint8_t nonce[CIPHER_CHACHA_NONCE_LEN],
    const uint8_t *in, uint8_t *out, size_t len)
{
	EVP_CIPHER_CTX *c;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || nonce == NULL || (len != 0 &&
	    (in == NULL || out == NULL)))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((c = evp_new("ChaCha20", key, zero_block, 1)) == NULL)
		return SSH_ERR_LIBCRYPTO_ERROR;
	r = chacha_xor(c, counter, nonce, in, out, len);
	EVP_CIPHER_CTX_free(c);
	return r;
}

int
cipher_poly1305(const uint8_t key[CIPHER_POLY1305_KEY_LEN],
    const uint8_t *msg, size_t len, uint8_t tag[CIPHER_POLY1305_TAG_LEN])
{
	EVP_MAC_CTX *m;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || tag == NULL || (len != 0 && msg == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((m = poly_new()) == NULL)
		return SSH_ERR_LIBCRYPTO_ERROR;
	r = poly_tag(m, key, len != 0 ? msg : zero_block, len, tag);
	EVP_MAC_CTX_free(m);
	return r;
}

int
cipher_poly1305_verify(const uint8_t key[CIPHER_POLY1305_KEY_LEN],
    const uint8_t *msg, size_t len, const uint8_t tag[CIPHER_POLY1305_TAG_LEN])
{
	uint8_t expect[CIPHER_POLY1305_TAG_LEN];
	int r = SSH_ERR_INTERNAL_ERROR;

	if (tag == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = cipher_poly1305(key, msg, len, expect)) != 0)
		goto out;
	if (CRYPTO_memcmp(expect, tag, sizeof(expect)) != 0) {
		r = SSH_ERR_MAC_INVALID;
		goto out;
	}
	r = 0;
 out:
	explicit_bzero(expect, sizeof(expect));
	return r;
}

static int
gcm_oneshot(int encrypt, const uint8_t *key, size_t keylen,
    const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
    const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag_out,
    const uint8_t *tag_in, size_t taglen)
{
	EVP_CIPHER_CTX *c;
	const char *name;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keylen == 16)
		name = "AES-128-GCM";
	else if (keylen == 32)
		name = "AES-256-GCM";
	else
		return SSH_ERR_INVALID_ARGUMENT;
	if (key == NULL || iv == NULL || ivlen != CIPHER_GCM_IV_LEN ||
	    taglen != CIPHER_GCM_TAG_LEN ||
	    (encrypt ? tag_out == NULL : tag_in == NULL) ||
	    (aadlen != 0 && aad == NULL) ||
	    (len != 0 && (in == NULL || out == NULL)))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((c = evp_new(name, key, NULL, encrypt)) == NULL)
		return SSH_ERR_LIBCRYPTO_ERROR;
	r = gcm_crypt(c, encrypt, iv, aad, aadlen, in, out, len, tag_out,
	    tag_in);
	EVP_CIPHER_CTX_free(c);
	return r;
}

int
cipher_aes_gcm_seal(const uint8_t *key, size_t keylen,
    const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
    const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag, size_t taglen)
{
	return gcm_oneshot(1, key, keylen, iv, ivlen, aad, aadlen, in, out,
	    len, tag, NULL, taglen);
}

int
cipher_aes_gcm_open(const uint8_t *key, size_t keylen,
    const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
    const uint8_t *in, uint8_t *out, size_t len, const uint8_t *tag,
    size_t taglen)
{
	return gcm_oneshot(0, key, keylen, iv, ivlen, aad, aadlen, in, out,
	    len, NULL, tag, taglen);
}
