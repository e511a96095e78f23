/*
 * sntrup761.h: the Streamlined NTRU Prime key-encapsulation mechanism
 * with p = 761, q = 4591, w = 286 ("NTRU Prime: round 3", 2020;
 * draft-josefsson-ntruprime-streamlined), as OpenSSH's
 * sntrup761x25519-sha512 uses it.  Constant time in the secrets.
 * All functions return 0 or a negative SSH_ERR_* code (ssherr.h).
 */
#ifndef NANOSSH_SNTRUP761_H
#define NANOSSH_SNTRUP761_H

#include <stddef.h>
#include <stdint.h>

#define SNTRUP761_PUBLICKEY_BYTES	1158
#define SNTRUP761_SECRETKEY_BYTES	1763
#define SNTRUP761_CIPHERTEXT_BYTES	1039
#define SNTRUP761_SHARED_BYTES		32

/*
 * Where the randomness comes from: fills buf with len bytes, 0 or
 * SSH_ERR_*.  NULL everywhere below means OpenSSL's RAND_bytes; tests pass
 * a deterministic source for known answers.
 */
typedef int sntrup761_rng_fn(void *arg, uint8_t *buf, size_t len);

/* A key pair: pk is what the peer encapsulates to, sk stays here. */
int sntrup761_keypair(uint8_t pk[SNTRUP761_PUBLICKEY_BYTES],
    uint8_t sk[SNTRUP761_SECRETKEY_BYTES], sntrup761_rng_fn *rng, void *arg);
/* A fresh shared secret k and the ciphertext ct that carries it to pk.
 * Every byte string is a valid public key. */
int sntrup761_enc(uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES],
    uint8_t k[SNTRUP761_SHARED_BYTES],
    const uint8_t pk[SNTRUP761_PUBLICKEY_BYTES], sntrup761_rng_fn *rng,
    void *arg);
/*
 * The shared secret in ct.  A ciphertext that does not re-encrypt to
 * itself gives the implicit-rejection key (a hash of the secret rho and
 * ct), never an error, so a forger learns nothing from the result.
 */
int sntrup761_dec(uint8_t k[SNTRUP761_SHARED_BYTES],
    const uint8_t ct[SNTRUP761_CIPHERTEXT_BYTES],
    const uint8_t sk[SNTRUP761_SECRETKEY_BYTES]);

#endif
