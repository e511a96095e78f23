/*
 * umac.c: UMAC of RFC 4418, written from its section numbers (cited).
 * Keys are derived once (KDF, 3.2.1) into the forms the hash layers use;
 * a tag is UHASH (5) of the message XOR the pad PDF(nonce) (3.2.2), each
 * of the taglen / 4 iterations of UHASH being L1 (NH), L2 (POLY) and L3.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <openssl/evp.h>

#include "protocol/ssherr.h"
#include "protocol/umac.h"

#define ITERS_MAX	(UMAC_MAX_TAG / 4)
#define L1_KEY_LEN	(1024 + 16 * (ITERS_MAX - 1))	/* bytes */
#define P36		((1ULL << 36) - 5)
#define P64		(0ULL - 59)			/* 2^64 - 59 */

struct umac {
	size_t		 taglen;
	size_t		 iters;
	uint32_t	 l1[L1_KEY_LEN / 4];	/* NH key words, big-endian */
	uint64_t	 l2[ITERS_MAX];		/* k64, masked (5.3) */
	uint64_t	 l3a[ITERS_MAX][8];	/* L3Key1 words mod p36 (5.4) */
	uint32_t	 l3b[ITERS_MAX];	/* L3Key2 */
	EVP_CIPHER_CTX	*pdf;			/* AES under KDF(K, 0, 16) */
};

static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
	    (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
	    (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	    (uint64_t)p[6] << 8 | p[7];
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The message words of NH: ENDIAN-SWAP then str2uint, so little-endian. */
static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static int
aes_new(EVP_CIPHER_CTX **ctxp, const uint8_t key[UMAC_KEY_LEN])
{
	EVP_CIPHER *aes = NULL;
	int r = SSH_ERR_LIBCRYPTO_ERROR;

	if ((aes = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL)) != NULL &&
	    (*ctxp = EVP_CIPHER_CTX_new()) != NULL &&
	    EVP_EncryptInit_ex2(*ctxp, aes, key, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(*ctxp, 0) == 1)
		r = 0;
	EVP_CIPHER_free(aes);
	return r;
}

static int
aes_block(EVP_CIPHER_CTX *ctx, const uint8_t in[16], uint8_t out[16])
{
	int len = 0;

	if (EVP_EncryptUpdate(ctx, out, &len, in, 16) != 1 || len != 16)
		return SSH_ERR_LIBCRYPTO_ERROR;
	return 0;
}

/* KDF(K, index, numbytes) (3.2.1), rounded up to whole blocks in out. */
static int
kdf(EVP_CIPHER_CTX *k, uint64_t index, uint8_t *out, size_t numbytes)
{
	uint8_t t[16];
	uint64_t i;
	size_t off;
	int j, r;

	for (i = 1, off = 0; off < numbytes; i++, off += 16) {
		for (j = 0; j < 8; j++) {
			t[j] = (uint8_t)(index >> (56 - 8 * j));
			t[8 + j] = (uint8_t)(i >> (56 - 8 * j));
		}
		if ((r = aes_block(k, t, out + off)) != 0)
			return r;
	}
	return 0;
}

static int
derive_keys(struct umac *u, EVP_CIPHER_CTX *k)
{
	uint8_t buf[L1_KEY_LEN];
	size_t i, j;
	int r;

	if ((r = kdf(k, 1, buf, 1024 + 16 * (u->iters - 1))) != 0)
		goto out;
	for (i = 0; i < 256 + 4 * (u->iters - 1); i++)
		u->l1[i] = be32(buf + 4 * i);
	if ((r = kdf(k, 2, buf, 24 * u->iters)) != 0)
		goto out;
	for (i = 0; i < u->iters; i++)
		u->l2[i] = be64(buf + 24 * i) & 0x01ffffff01ffffffULL;
	if ((r = kdf(k, 3, buf, 64 * u->iters)) != 0)
		goto out;
	for (i = 0; i < u->iters; i++) {
		for (j = 0; j < 8; j++)
			u->l3a[i][j] = be64(buf + 64 * i + 8 * j) % P36;
	}
	if ((r = kdf(k, 4, buf, 4 * u->iters)) != 0)
		goto out;
	for (i = 0; i < u->iters; i++)
		u->l3b[i] = be32(buf + 4 * i);
	if ((r = kdf(k, 0, buf, UMAC_KEY_LEN)) != 0)
		goto out;
	r = aes_new(&u->pdf, buf);
 out:
	explicit_bzero(buf, sizeof(buf));
	return r;
}

int
umac_new(struct umac **up, const uint8_t key[UMAC_KEY_LEN], size_t taglen)
{
	struct umac *u = NULL;
	EVP_CIPHER_CTX *k = NULL;
	int r;

	if (up == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*up = NULL;
	if (key == NULL || taglen == 0 || taglen > UMAC_MAX_TAG ||
	    taglen % 4 != 0)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	u->taglen = taglen;
	u->iters = taglen / 4;
	if ((r = aes_new(&k, key)) == 0)
		r = derive_keys(u, k);
	EVP_CIPHER_CTX_free(k);
	if (r != 0) {
		umac_free(u);
		return r;
	}
	*up = u;
	return 0;
}

void
umac_free(struct umac *u)
{
	if (u == NULL)
		return;
	EVP_CIPHER_CTX_free(u->pdf);
	freezero(u, sizeof(*u));
}

/* NH (5.2.2) over len bytes, a multiple of 32. */
static uint64_t
nh(const uint32_t *k, const uint8_t *m, size_t len)
{
	uint64_t y = 0;
	size_t i, j;

	for (i = 0; i < len / 4; i += 8) {
		for (j = 0; j < 4; j++)
			y += (uint64_t)(le32(m + 4 * (i + j)) + k[i + j]) *
			    (le32(m + 4 * (i + j + 4)) + k[i + j + 4]);
	}
	return y;
}

/* One word of POLY(64, 2^64 - 2^32, k, M) (5.3): y' from y and m. */
static uint64_t
poly64(uint64_t k, uint64_t y, uint64_t m)
{
	if (m >= 0xffffffff00000000ULL) {
		y = (uint64_t)(((unsigned __int128)k * y + (P64 - 1)) % P64);
		m -= 59;	/* the offset 2^64 - p */
	}
	return (uint64_t)(((unsigned __int128)k * y + m) % P64);
}

/*
 * Iteration it of UHASH (5.1): L1-HASH chunk by chunk (5.2), each result
 * fed to L2-HASH as it comes (5.3; skipped for one chunk of at most 1024
 * bytes), then L3-HASH (5.4) of the 16 bytes zeroes(8) || y.
 */
static uint32_t
uhash_iter(const struct umac *u, size_t it, const uint8_t *m, size_t len)
{
	const uint32_t *k1 = u->l1 + 4 * it;
	uint8_t last[1024];
	uint64_t a = 0, y = 1, s = 0;
	size_t off = 0, n, padded;
	unsigned int j;

	for (; len - off > 1024; off += 1024)
		y = poly64(u->l2[it], y, nh(k1, m + off, 1024) + 8 * 1024);
	/* The last (or only) chunk, zero-padded to a nonzero multiple of
	 * 32 bytes. */
	n = len - off;
	padded = n == 0 ? 32 : (n + 31) / 32 * 32;
	memcpy(last, m + off, n);
	memset(last + n, 0, padded - n);
	a = nh(k1, last, padded) + 8 * (uint64_t)n;
	explicit_bzero(last, sizeof(last));
	y = len > 1024 ? poly64(u->l2[it], y, a) : a;
	for (j = 0; j < 4; j++)
		s += ((y >> (48 - 16 * j)) & 0xffff) * u->l3a[it][4 + j];
	return (uint32_t)(s % P36) ^ u->l3b[it];
}

int
umac_tag(struct umac *u, const uint8_t *msg, size_t len,
    const uint8_t *nonce, size_t noncelen, uint8_t *tag)
{
	uint8_t block[16], pad[16];
	const uint8_t *p;
	size_t i, j, index = 0, ways;
	uint32_t h;
	int r;

	if (u == NULL || tag == NULL || nonce == NULL || noncelen == 0 ||
	    noncelen > 16 || (msg == NULL && len != 0) || len > UMAC_MAX_MSG)
		return SSH_ERR_INVALID_ARGUMENT;
	/* PDF (3.2.2): short tags take a slice of one AES block, chosen by
	 * the nonce's low bits, which are cleared before encryption. */
	memset(block, 0, sizeof(block));
	memcpy(block, nonce, noncelen);
	if (u->taglen <= 8) {
		ways = 16 / u->taglen;
		index = block[noncelen - 1] & (ways - 1);
		block[noncelen - 1] &= (uint8_t)~(ways - 1);
	}
	if ((r = aes_block(u->pdf, block, pad)) != 0)
		goto out;
	p = pad + index * u->taglen;
	for (i = 0; i < u->iters; i++) {
		h = uhash_iter(u, i, msg, len);
		for (j = 0; j < 4; j++)
			tag[4 * i + j] = (uint8_t)(h >> (24 - 8 * j)) ^
			    p[4 * i + j];
	}
 out:
	explicit_bzero(pad, sizeof(pad));
	return r;
}
