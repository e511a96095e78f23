/* mac.c: the SSH transport MACs of mac.h: HMAC over OpenSSL 3's EVP_MAC
 * "HMAC", UMAC over protocol/umac.c. */
#include <sys/types.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "protocol/mac.h"
#include "protocol/ssherr.h"
#include "protocol/umac.h"

struct mac_alg {
	const char *ma_name;
	const char *ma_digest;		/* HMAC: OpenSSL's digest name; NULL
					 * for UMAC */
	size_t ma_key_len;
	size_t ma_len;			/* output length */
	int ma_etm;
};

/* Preference order: encrypt-then-MAC first, SHA-1 last; UMAC as OpenSSH
 * orders it among the others. */
static const struct mac_alg mac_algs[] = {
	{ "umac-64-etm@openssh.com", NULL, UMAC_KEY_LEN, 8, 1 },
	{ "umac-128-etm@openssh.com", NULL, UMAC_KEY_LEN, 16, 1 },
	{ "hmac-sha2-256-etm@openssh.com", "SHA256", 32, 32, 1 },
	{ "hmac-sha2-512-etm@openssh.com", "SHA512", 64, 64, 1 },
	{ "hmac-sha1-etm@openssh.com", "SHA1", 20, 20, 1 },
	{ "umac-64@openssh.com", NULL, UMAC_KEY_LEN, 8, 0 },
	{ "umac-128@openssh.com", NULL, UMAC_KEY_LEN, 16, 0 },
	{ "hmac-sha2-256", "SHA256", 32, 32, 0 },
	{ "hmac-sha2-512", "SHA512", 64, 64, 0 },
	{ "hmac-sha1", "SHA1", 20, 20, 0 },
};
#define MAC_NALGS	(sizeof(mac_algs) / sizeof(mac_algs[0]))

struct mac_ctx {
	const struct mac_alg *mc_alg;
	EVP_MAC_CTX *mc_hmac;		/* keyed once; re-initialised per MAC */
	struct umac *mc_umac;
};

const struct mac_alg *
mac_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < MAC_NALGS; i++) {
		if (strcmp(mac_algs[i].ma_name, name) == 0)
			return &mac_algs[i];
	}
	return NULL;
}

const struct mac_alg *
mac_alg_at(size_t i)
{
	return i < MAC_NALGS ? &mac_algs[i] : NULL;
}

const char *
mac_alg_name(const struct mac_alg *alg)
{
	return alg->ma_name;
}

size_t
mac_alg_key_len(const struct mac_alg *alg)
{
	return alg->ma_key_len;
}

size_t
mac_alg_out_len(const struct mac_alg *alg)
{
	return alg->ma_len;
}

int
mac_alg_etm(const struct mac_alg *alg)
{
	return alg->ma_etm;
}

int
mac_alg_hmac(const struct mac_alg *alg)
{
	return alg->ma_digest != NULL;
}

static int
mac_new(struct mac_ctx **ctxp, const struct mac_alg *alg, const uint8_t *key,
    size_t keylen)
{
	struct mac_ctx *ctx = NULL;
	EVP_MAC *mac = NULL;
	OSSL_PARAM params[2];
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	ctx->mc_alg = alg;
	if (!mac_alg_hmac(alg)) {
		if ((r = umac_new(&ctx->mc_umac, key, alg->ma_len)) != 0)
			goto out;
		*ctxp = ctx;
		return 0;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)alg->ma_digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (ctx->mc_hmac = EVP_MAC_CTX_new(mac)) == NULL ||
	    EVP_MAC_init(ctx->mc_hmac, key, keylen, params) != 1 ||
	    EVP_MAC_CTX_get_mac_size(ctx->mc_hmac) != alg->ma_len) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	*ctxp = ctx;
	ctx = NULL;
	r = 0;
 out:
	EVP_MAC_free(mac);
	mac_free(ctx);
	return r;
}

int
mac_init(struct mac_ctx **ctxp, const struct mac_alg *alg,
    const uint8_t *key, size_t keylen)
{
	if (ctxp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*ctxp = NULL;
	if (alg == NULL || key == NULL || keylen != alg->ma_key_len)
		return SSH_ERR_INVALID_ARGUMENT;
	return mac_new(ctxp, alg, key, keylen);
}

int
mac_hmac_init(struct mac_ctx **ctxp, const struct mac_alg *alg,
    const uint8_t *key, size_t keylen)
{
	if (ctxp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*ctxp = NULL;
	if (alg == NULL || !mac_alg_hmac(alg) || key == NULL || keylen == 0 ||
	    keylen > MAC_HMAC_MAX_KEY_LEN)
		return SSH_ERR_INVALID_ARGUMENT;
	return mac_new(ctxp, alg, key, keylen);
}

void
mac_free(struct mac_ctx *ctx)
{
	if (ctx == NULL)
		return;
	/* EVP_MAC_CTX_free cleanses the keyed HMAC state. */
	EVP_MAC_CTX_free(ctx->mc_hmac);
	umac_free(ctx->mc_umac);
	freezero(ctx, sizeof(*ctx));
}

const struct mac_alg *
mac_ctx_alg(const struct mac_ctx *ctx)
{
	return ctx->mc_alg;
}

int
mac_ctx_etm(const struct mac_ctx *ctx)
{
	return ctx->mc_alg->ma_etm;
}

size_t
mac_ctx_len(const struct mac_ctx *ctx)
{
	return ctx->mc_alg->ma_len;
}

/* The full HMAC of prefix || data into out[MAC_MAX_LEN]. */
static int
hmac_run(struct mac_ctx *ctx, const uint8_t *prefix, size_t prefixlen,
    const uint8_t *data, size_t len, uint8_t out[MAC_MAX_LEN])
{
	size_t outl = 0;

	/* A NULL key restarts the computation with the key already set. */
	if (EVP_MAC_init(ctx->mc_hmac, NULL, 0, NULL) != 1 ||
	    (prefixlen > 0 &&
	    EVP_MAC_update(ctx->mc_hmac, prefix, prefixlen) != 1) ||
	    (len > 0 && EVP_MAC_update(ctx->mc_hmac, data, len) != 1) ||
	    EVP_MAC_final(ctx->mc_hmac, out, &outl, MAC_MAX_LEN) != 1 ||
	    outl != ctx->mc_alg->ma_len) {
		explicit_bzero(out, MAC_MAX_LEN);
		return SSH_ERR_LIBCRYPTO_ERROR;
	}
	return 0;
}

/*
 * The SSH MAC of a packet: HMAC(key, uint32 seqnr || data), or for UMAC
 * (OpenSSH's) the tag of data under the nonce uint64 seqnr.
 */
static int
mac_seqnr(struct mac_ctx *ctx, uint32_t seqnr, const uint8_t *data,
    size_t len, uint8_t out[MAC_MAX_LEN])
{
	uint8_t seq[8];

	memset(seq, 0, 4);
	seq[4] = (uint8_t)(seqnr >> 24);
	seq[5] = (uint8_t)(seqnr >> 16);
	seq[6] = (uint8_t)(seqnr >> 8);
	seq[7] = (uint8_t)seqnr;
	if (ctx->mc_umac != NULL)
		return umac_tag(ctx->mc_umac, data, len, seq, sizeof(seq), out);
	return hmac_run(ctx, seq + 4, 4, data, len, out);
}

int
mac_compute(struct mac_ctx *ctx, uint32_t seqnr, const uint8_t *data,
    size_t len, uint8_t *out, size_t outlen)
{
	uint8_t m[MAC_MAX_LEN];
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ctx == NULL || out == NULL || (len != 0 && data == NULL) ||
	    outlen < ctx->mc_alg->ma_len)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = mac_seqnr(ctx, seqnr, data, len, m)) != 0)
		goto out;
	memcpy(out, m, ctx->mc_alg->ma_len);
	r = 0;
 out:
	explicit_bzero(m, sizeof(m));
	return r;
}

int
mac_verify(struct mac_ctx *ctx, uint32_t seqnr, const uint8_t *data,
    size_t len, const uint8_t *mac, size_t maclen)
{
	uint8_t m[MAC_MAX_LEN];
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ctx == NULL || mac == NULL || (len != 0 && data == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if (maclen != ctx->mc_alg->ma_len)
		return SSH_ERR_MAC_INVALID;
	if ((r = mac_seqnr(ctx, seqnr, data, len, m)) != 0)
		goto out;
	if (CRYPTO_memcmp(m, mac, maclen) != 0) {
		r = SSH_ERR_MAC_INVALID;
		goto out;
	}
	r = 0;
 out:
	explicit_bzero(m, sizeof(m));
	return r;
}

/* A raw HMAC tag length (UMAC contexts have none). */
static int
trunc_ok(const struct mac_ctx *ctx, size_t n)
{
	size_t full = ctx->mc_alg->ma_len;
	size_t min = full / 2 > 10 ? full / 2 : 10;

	return ctx->mc_hmac != NULL && n >= min && n <= full;
}

int
mac_hmac(struct mac_ctx *ctx, const uint8_t *data, size_t len,
    uint8_t *out, size_t outlen)
{
	uint8_t m[MAC_MAX_LEN];
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ctx == NULL || out == NULL || (len != 0 && data == NULL) ||
	    !trunc_ok(ctx, outlen))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = hmac_run(ctx, NULL, 0, data, len, m)) != 0)
		goto out;
	memcpy(out, m, outlen);
	r = 0;
 out:
	explicit_bzero(m, sizeof(m));
	return r;
}

int
mac_hmac_verify(struct mac_ctx *ctx, const uint8_t *data, size_t len,
    const uint8_t *tag, size_t taglen)
{
	uint8_t m[MAC_MAX_LEN];
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ctx == NULL || tag == NULL || (len != 0 && data == NULL) ||
	    !trunc_ok(ctx, taglen))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = hmac_run(ctx, NULL, 0, data, len, m)) != 0)
		goto out;
	if (CRYPTO_memcmp(m, tag, taglen) != 0) {
		r = SSH_ERR_MAC_INVALID;
		goto out;
	}
	r = 0;
 out:
	explicit_bzero(m, sizeof(m));
	return r;
}
