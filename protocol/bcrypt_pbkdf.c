/*
 * bcrypt_pbkdf.c: OpenBSD's bcrypt_pbkdf, the KDF of openssh-key-v1 files.
 *
 * The inner hash H(p, s) differs from bcrypt proper: pass and salt enter as
 * their SHA-512 digests, the salted key schedule is followed by 64 rounds
 * each expanding with the salt digest and then the pass digest, and the 32
 * bytes "OxychromaticBlowfishSwatDynamite" (8 big-endian words) are
 * encrypted 64 times; the 8 result words are output little-endian.
 *
 * Around it sits PBKDF2's block structure: block n (from 1) is
 * T_n = U_1 ^ ... ^ U_rounds with U_1 = H(SHA512(pass), SHA512(salt || n))
 * and U_i = H(SHA512(pass), SHA512(U_{i-1})), n as a big-endian uint32.  The
 * blocks are not concatenated: with stride = ceil(keylen / 32) blocks,
 * byte i of T_n lands at key[i * stride + n - 1], so every block feeds the
 * whole length of the key and none can be computed on its own for a prefix.
 */
#include <sys/types.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

#include "protocol/bcrypt_pbkdf.h"
#include "protocol/blowfish.h"
#include "protocol/ssherr.h"

#define BCRYPT_WORDS		8
#define BCRYPT_HASHSIZE		(BCRYPT_WORDS * 4)
#define SHA512_LEN		64

static const char bcrypt_magic[BCRYPT_HASHSIZE + 1] = "OxychromaticBlowfishSwatDynamite";

static int
sha512(const void *d, size_t len, uint8_t out[SHA512_LEN])
{
	unsigned int olen = 0;

	if (EVP_Digest(d, len, out, &olen, EVP_sha512(), NULL) != 1 ||
	    olen != SHA512_LEN)
		return SSH_ERR_LIBCRYPTO_ERROR;
	return 0;
}

/* H(p, s) of the header comment, from the two digests. */
static int
bcrypt_hash(const uint8_t sha2pass[SHA512_LEN],
    const uint8_t sha2salt[SHA512_LEN], uint8_t out[BCRYPT_HASHSIZE])
{
	struct blowfish bf;
	uint32_t w[BCRYPT_WORDS];
	int r = SSH_ERR_INTERNAL_ERROR, i, j;

	blowfish_init(&bf);
	if ((r = blowfish_expand(&bf, sha2pass, SHA512_LEN,
	    sha2salt, SHA512_LEN)) != 0)
		goto out;
	for (i = 0; i < 64; i++) {
		if ((r = blowfish_expand(&bf, sha2salt, SHA512_LEN,
		    NULL, 0)) != 0 ||
		    (r = blowfish_expand(&bf, sha2pass, SHA512_LEN,
		    NULL, 0)) != 0)
			goto out;
	}
	for (j = 0; j < BCRYPT_WORDS; j++) {
		const uint8_t *m = (const uint8_t *)bcrypt_magic + 4 * j;

		w[j] = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
		    (uint32_t)m[2] << 8 | (uint32_t)m[3];
	}
	/* ECB: the 4 blocks are independent, each encrypted 64 times. */
	for (j = 0; j < BCRYPT_WORDS; j += 2) {
		for (i = 0; i < 64; i++)
			blowfish_encrypt_block(&bf, &w[j], &w[j + 1]);
	}
	for (j = 0; j < BCRYPT_WORDS; j++) {
		out[4 * j] = (uint8_t)w[j];
		out[4 * j + 1] = (uint8_t)(w[j] >> 8);
		out[4 * j + 2] = (uint8_t)(w[j] >> 16);
		out[4 * j + 3] = (uint8_t)(w[j] >> 24);
	}
	r = 0;
 out:
	blowfish_clear(&bf);
	explicit_bzero(w, sizeof(w));
	return r;
}

int
bcrypt_pbkdf(const char *pass, size_t passlen, const uint8_t *salt, size_t saltlen,
    uint8_t *key, size_t keylen, unsigned int rounds)
{
	uint8_t sha2pass[SHA512_LEN], sha2salt[SHA512_LEN];
	uint8_t u[BCRYPT_HASHSIZE], t[BCRYPT_HASHSIZE];
	EVP_MD_CTX *ctx = NULL;
	size_t stride, block, i, pos;
	uint8_t cnt[4];
	unsigned int round;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (key == NULL || keylen == 0 || keylen > BCRYPT_PBKDF_MAX_KEYLEN)
		return SSH_ERR_INVALID_ARGUMENT;
	memset(key, 0, keylen);
	if (pass == NULL || passlen == 0 || salt == NULL || saltlen == 0 ||
	    rounds < 1)
		return SSH_ERR_INVALID_ARGUMENT;

	stride = (keylen + BCRYPT_HASHSIZE - 1) / BCRYPT_HASHSIZE;
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = sha512(pass, passlen, sha2pass)) != 0)
		goto out;
	/* keylen <= 1024 gives at most 32 blocks: the counter fits a byte. */
	for (block = 0; block < stride; block++) {
		cnt[0] = cnt[1] = cnt[2] = 0;
		cnt[3] = (uint8_t)(block + 1);
		if (EVP_DigestInit_ex(ctx, EVP_sha512(), NULL) != 1 ||
		    EVP_DigestUpdate(ctx, salt, saltlen) != 1 ||
		    EVP_DigestUpdate(ctx, cnt, sizeof(cnt)) != 1 ||
		    EVP_DigestFinal_ex(ctx, sha2salt, NULL) != 1) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
		if ((r = bcrypt_hash(sha2pass, sha2salt, u)) != 0)
			goto out;
		memcpy(t, u, sizeof(t));
		for (round = 1; round < rounds; round++) {
			if ((r = sha512(u, sizeof(u), sha2salt)) != 0 ||
			    (r = bcrypt_hash(sha2pass, sha2salt, u)) != 0)
				goto out;
			for (i = 0; i < sizeof(t); i++)
				t[i] ^= u[i];
		}
		for (i = 0; i < BCRYPT_HASHSIZE; i++) {
			if ((pos = i * stride + block) >= keylen)
				break;
			key[pos] = t[i];
		}
	}
	r = 0;
 out:
	if (r != 0)
		explicit_bzero(key, keylen);
	EVP_MD_CTX_free(ctx);
	explicit_bzero(sha2pass, sizeof(sha2pass));
	explicit_bzero(sha2salt, sizeof(sha2salt));
	explicit_bzero(u, sizeof(u));
	explicit_bzero(t, sizeof(t));
	return r;
}
