/*
 * blowfish.h: the Blowfish block cipher (Schneier, 1993) and the salted,
 * repeatable key schedule of bcrypt's EksBlowfishSetup (Provos & Mazieres,
 * 1999).  It exists for bcrypt_pbkdf (bcrypt_pbkdf.h); nothing in SSH's
 * transport uses Blowfish.
 *
 * Blocks are 64 bits: two 32-bit halves, big-endian on the wire.  Key and
 * salt bytes are read as a cyclic stream of big-endian 32-bit words, so any
 * length of at least one byte works; the classic cipher allows keys of 4 to
 * 56 bytes but bcrypt_pbkdf feeds 64-byte keys.
 */
#ifndef NANOSSH_BLOWFISH_H
#define NANOSSH_BLOWFISH_H

#include <stddef.h>
#include <stdint.h>

#define BLOWFISH_ROUNDS		16
#define BLOWFISH_BLOCK_SIZE	8

struct blowfish {
	uint32_t bf_p[BLOWFISH_ROUNDS + 2];
	uint32_t bf_s[4][256];
};

/* Loads the initial state, the digits of pi. */
void blowfish_init(struct blowfish *bf);

/*
 * Mixes key (and salt, unless saltlen is 0) into the state: bcrypt's
 * Blowfish_expandstate, or with no salt the plain Blowfish key schedule
 * step.  Returns SSH_ERR_INVALID_ARGUMENT if keylen is 0.
 */
int blowfish_expand(struct blowfish *bf, const uint8_t *key, size_t keylen,
    const uint8_t *salt, size_t saltlen);

/* The ordinary Blowfish key schedule: blowfish_init then blowfish_expand without salt. */
int blowfish_setkey(struct blowfish *bf, const uint8_t *key, size_t keylen);

/* One block, as its two big-endian halves, in place. */
void blowfish_encrypt_block(const struct blowfish *bf, uint32_t *xl, uint32_t *xr);
void blowfish_decrypt_block(const struct blowfish *bf, uint32_t *xl, uint32_t *xr);

/*
 * ECB over len bytes (in and out may be the same); SSH_ERR_INVALID_ARGUMENT
 * if len is not a multiple of BLOWFISH_BLOCK_SIZE.
 */
int blowfish_ecb_encrypt(const struct blowfish *bf, const uint8_t *in, uint8_t *out, size_t len);
int blowfish_ecb_decrypt(const struct blowfish *bf, const uint8_t *in, uint8_t *out, size_t len);

/* Wipes the state; it is key material. */
void blowfish_clear(struct blowfish *bf);

#endif
