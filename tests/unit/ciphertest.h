/* ciphertest.h: what the cipher tests (check_cipher*.c) share. */
#ifndef NANOSSH_CIPHERTEST_H
#define NANOSSH_CIPHERTEST_H

#include <stddef.h>
#include <stdint.h>

struct cipher_alg;
struct cipher_ctx;

/* The largest packet the tests build. */
#define PKT_MAX		2048

void put_be32(uint8_t *p, uint32_t v);
/* Deterministic filler so that every run sees the same bytes. */
void fill(uint8_t *p, size_t len, uint8_t seed);
/* A context for alg with key and iv of its sizes; aborts the test on
 * failure. */
struct cipher_ctx *ctx_new(const struct cipher_alg *alg, const uint8_t *key,
    const uint8_t *iv, int encrypt);

#endif
