/*
 * ciphertest.c: what the cipher tests share: filler bytes and context set-up
 * (ciphertest.h).
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/cipher.h"
#include "tests/unit/ciphertest.h"

void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Deterministic filler so that every run sees the same bytes. */
void
fill(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7 + (i >> 3));
}

struct cipher_ctx *
ctx_new(const struct cipher_alg *alg, const uint8_t *key, const uint8_t *iv,
    int encrypt)
{
	struct cipher_ctx *ctx = NULL;

	ck_assert_int_eq(cipher_init(&ctx, alg, key, cipher_alg_key_len(alg),
	    iv, cipher_alg_iv_len(alg), encrypt), 0);
	ck_assert_ptr_nonnull(ctx);
	return ctx;
}
