/* blowfish.c: Blowfish and bcrypt's salted key schedule, as in blowfish.h. */
#include <sys/types.h>
#include <stdint.h>
#include <string.h>

#include "protocol/blowfish.h"
#include "protocol/blowfish_tables.h"
#include "protocol/ssherr.h"

static uint32_t
load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * The next 32-bit word of a byte string read cyclically, starting at *pos;
 * wrapping around mid-word is intended (the key schedule does it).
 */
static uint32_t
stream_word(const uint8_t *data, size_t len, size_t *pos)
{
	uint32_t w = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (*pos >= len)
			*pos = 0;
		w = w << 8 | data[(*pos)++];
	}
	return w;
}

static uint32_t
blowfish_f(const struct blowfish *bf, uint32_t x)
{
	return ((bf->bf_s[0][x >> 24] + bf->bf_s[1][(x >> 16) & 0xff]) ^
	    bf->bf_s[2][(x >> 8) & 0xff]) + bf->bf_s[3][x & 0xff];
}

void
blowfish_encrypt_block(const struct blowfish *bf, uint32_t *xl, uint32_t *xr)
{
	uint32_t l = *xl, r = *xr, t;
	int i;

	for (i = 0; i < BLOWFISH_ROUNDS; i++) {
		l ^= bf->bf_p[i];
		r ^= blowfish_f(bf, l);
		t = l;
		l = r;
		r = t;
	}
	/* The last round does not swap: undo it. */
	t = l;
	l = r;
	r = t;
	r ^= bf->bf_p[BLOWFISH_ROUNDS];
	l ^= bf->bf_p[BLOWFISH_ROUNDS + 1];
	*xl = l;
	*xr = r;
}

void
blowfish_decrypt_block(const struct blowfish *bf, uint32_t *xl, uint32_t *xr)
{
	uint32_t l = *xl, r = *xr, t;
	int i;

	for (i = BLOWFISH_ROUNDS + 1; i > 1; i--) {
		l ^= bf->bf_p[i];
		r ^= blowfish_f(bf, l);
		t = l;
		l = r;
		r = t;
	}
	t = l;
	l = r;
	r = t;
	r ^= bf->bf_p[1];
	l ^= bf->bf_p[0];
	*xl = l;
	*xr = r;
}

void
blowfish_init(struct blowfish *bf)
{
	memcpy(bf->bf_p, blowfish_init_p, sizeof(bf->bf_p));
	memcpy(bf->bf_s, blowfish_init_s, sizeof(bf->bf_s));
}

int
blowfish_expand(struct blowfish *bf, const uint8_t *key, size_t keylen,
    const uint8_t *salt, size_t saltlen)
{
	size_t kpos = 0, spos = 0;
	uint32_t l = 0, r = 0;
	int i, j;

	if (bf == NULL || key == NULL || keylen == 0 ||
	    (salt == NULL && saltlen != 0))
		return SSH_ERR_INVALID_ARGUMENT;

	for (i = 0; i < BLOWFISH_ROUNDS + 2; i++)
		bf->bf_p[i] ^= stream_word(key, keylen, &kpos);

	/*
	 * Every subkey is replaced by encrypting the previous output, with
	 * the salt (eksblowfish) folded in before each encryption.
	 */
	for (i = 0; i < BLOWFISH_ROUNDS + 2; i += 2) {
		if (saltlen != 0) {
			l ^= stream_word(salt, saltlen, &spos);
			r ^= stream_word(salt, saltlen, &spos);
		}
		blowfish_encrypt_block(bf, &l, &r);
		bf->bf_p[i] = l;
		bf->bf_p[i + 1] = r;
	}
	for (i = 0; i < 4; i++) {
		for (j = 0; j < 256; j += 2) {
			if (saltlen != 0) {
				l ^= stream_word(salt, saltlen, &spos);
				r ^= stream_word(salt, saltlen, &spos);
			}
			blowfish_encrypt_block(bf, &l, &r);
			bf->bf_s[i][j] = l;
			bf->bf_s[i][j + 1] = r;
		}
	}
	return 0;
}

int
blowfish_setkey(struct blowfish *bf, const uint8_t *key, size_t keylen)
{
	if (bf == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	blowfish_init(bf);
	return blowfish_expand(bf, key, keylen, NULL, 0);
}

static int
blowfish_ecb(const struct blowfish *bf, const uint8_t *in, uint8_t *out,
    size_t len, int encrypt)
{
	uint32_t l, r;
	size_t off;

	if (bf == NULL || len % BLOWFISH_BLOCK_SIZE != 0 ||
	    (len != 0 && (in == NULL || out == NULL)))
		return SSH_ERR_INVALID_ARGUMENT;
	for (off = 0; off < len; off += BLOWFISH_BLOCK_SIZE) {
		l = load_be32(in + off);
		r = load_be32(in + off + 4);
		if (encrypt)
			blowfish_encrypt_block(bf, &l, &r);
		else
			blowfish_decrypt_block(bf, &l, &r);
		store_be32(out + off, l);
		store_be32(out + off + 4, r);
	}
	return 0;
}

int
blowfish_ecb_encrypt(const struct blowfish *bf, const uint8_t *in, uint8_t *out, size_t len)
{
	return blowfish_ecb(bf, in, out, len, 1);
}

int
blowfish_ecb_decrypt(const struct blowfish *bf, const uint8_t *in, uint8_t *out, size_t len)
{
	return blowfish_ecb(bf, in, out, len, 0);
}

void
blowfish_clear(struct blowfish *bf)
{
	if (bf != NULL)
		explicit_bzero(bf, sizeof(*bf));
}
