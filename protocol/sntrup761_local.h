/*
 * sntrup761_local.h: the building blocks of sntrup761.c, exposed for the
 * unit tests only.
 */
#ifndef NANOSSH_SNTRUP761_LOCAL_H
#define NANOSSH_SNTRUP761_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#define SNTRUP761_P	761
#define SNTRUP761_Q	4591
#define SNTRUP761_W	286

/* x mod q in [-(q-1)/2, (q-1)/2] and x mod 3 in {-1, 0, 1}, for
 * |x| < 2^24, without branches or divisions. */
int16_t sntrup761_fq_freeze(int32_t x);
int8_t sntrup761_f3_freeze(int32_t x);
/* Sorts x ascending with a fixed network of compare-exchanges. */
void sntrup761_sort(uint32_t *x, size_t n);
/*
 * The specification's Encode and Decode: n values R[i] < M[i] (all
 * M[i] in 1..16383) as a byte string whose length depends only on M.
 * Encode writes it to out and returns its length; Decode reads it back
 * (R[i] < M[i] whatever the bytes) and returns the number of bytes used,
 * or 0 if slen is too short.  n <= 761.
 */
size_t sntrup761_encode(uint8_t *out, const uint16_t *R, const uint16_t *M,
    size_t n);
size_t sntrup761_decode(uint16_t *R, const uint8_t *s, size_t slen,
    const uint16_t *M, size_t n);

#endif
