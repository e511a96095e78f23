/*
 * mlkem768.h: ML-KEM-768, the module-lattice key-encapsulation mechanism
 * of FIPS 203, for the mlkem768x25519-sha256 key exchange.  The hashes
 * (SHA3-256, SHA3-512, SHAKE128, SHAKE256) come from OpenSSL's EVP; the
 * lattice arithmetic is here, without secret-dependent branches or table
 * indices.  The caller supplies all randomness, so the deterministic
 * "internal" algorithms of FIPS 203 section 6 are the whole interface:
 * tests feed known seeds, the key exchange feeds RAND_priv_bytes output.
 * All functions return 0 or a negative SSH_ERR_* code (ssherr.h).
 */
#ifndef NANOSSH_MLKEM768_H
#define NANOSSH_MLKEM768_H

#include <stddef.h>
#include <stdint.h>

#define MLKEM768_EK_LEN		1184	/* encapsulation key */
#define MLKEM768_DK_LEN		2400	/* decapsulation key */
#define MLKEM768_CT_LEN		1088	/* ciphertext */
#define MLKEM768_SS_LEN		32	/* shared secret */
#define MLKEM768_SEED_LEN	32	/* each of d, z and m */

/* ML-KEM.KeyGen_internal(d, z) (FIPS 203 Algorithm 16). */
int mlkem768_keygen(const uint8_t d[MLKEM768_SEED_LEN],
    const uint8_t z[MLKEM768_SEED_LEN], uint8_t ek[MLKEM768_EK_LEN],
    uint8_t dk[MLKEM768_DK_LEN]);

/*
 * The encapsulation key checks of FIPS 203 section 7.2: the length, and
 * every 12-bit coefficient below q (ByteEncode12(ByteDecode12(ek)) == ek).
 * SSH_ERR_INVALID_FORMAT if either fails.
 */
int mlkem768_check_ek(const uint8_t *ek, size_t eklen);

/*
 * ML-KEM.Encaps with the randomness m given (Algorithm 17 after the
 * checks of mlkem768_check_ek, which it runs first): ct and ss out.
 */
int mlkem768_encaps(const uint8_t *ek, size_t eklen,
    const uint8_t m[MLKEM768_SEED_LEN], uint8_t ct[MLKEM768_CT_LEN],
    uint8_t ss[MLKEM768_SS_LEN]);

/*
 * ML-KEM.Decaps (Algorithm 18 after the checks of section 7.3: the
 * lengths, and the hash of the embedded encapsulation key; failing ones
 * give SSH_ERR_INVALID_FORMAT).  A ciphertext that does not re-encrypt
 * to itself is not an error: ss is then the implicit-rejection key
 * J(z || ct), chosen without a branch.
 */
int mlkem768_decaps(const uint8_t *dk, size_t dklen, const uint8_t *ct,
    size_t ctlen, uint8_t ss[MLKEM768_SS_LEN]);

#endif
