/*
 * mac.h: the MACs of the SSH transport for the non-AEAD ciphers, sans-IO.
 * One context per direction, keyed once at NEWKEYS; computing and checking
 * a packet's MAC allocates nothing.  Functions return 0 or a negative
 * SSH_ERR_* code (ssherr.h).
 *
 * Algorithms (names as on the wire): HMAC (RFC 2104) with the key length
 * equal to the output length:
 *   hmac-sha2-256, hmac-sha2-512 (RFC 6668), hmac-sha1 (RFC 4253) and
 *   hmac-sha2-256-etm@openssh.com, hmac-sha2-512-etm@openssh.com,
 *   hmac-sha1-etm@openssh.com (OpenSSH's PROTOCOL 1.5);
 * and UMAC (RFC 4418, AES-128 key of 16 bytes) as OpenSSH has it:
 *   umac-64@openssh.com (8-byte tag), umac-128@openssh.com (16) and their
 *   -etm@openssh.com forms.
 *
 * The MAC of a packet is HMAC(key, uint32 sequence_number || data) (RFC 4253
 * section 6.4), for UMAC the tag of data with the nonce uint64
 * sequence_number.  The calculation is the same for both families; what
 * data is differs and is up to the packet layer:
 *   plain: data = the whole plaintext packet from packet_length on, MAC'd
 *          before encryption (so checking it means decrypting first);
 *   etm:   data = the clear packet_length || the ciphertext, MAC'd after
 *          encryption and checked before anything is decrypted.
 */
#ifndef NANOSSH_MAC_H
#define NANOSSH_MAC_H

#include <stddef.h>
#include <stdint.h>

#define MAC_MAX_LEN		64	/* hmac-sha2-512 */
#define MAC_MAX_KEY_LEN		64	/* key length of the SSH algorithms */
#define MAC_HMAC_MAX_KEY_LEN	1024	/* bound for mac_hmac_init() */

struct mac_alg;		/* static description of one algorithm */
struct mac_ctx;		/* keyed state of one direction */

/* The algorithm with this wire name, or NULL if unknown or name is NULL. */
const struct mac_alg *mac_by_name(const char *name);
/* The i-th supported algorithm (0, 1, ...), NULL past the end; in the order
 * of preference nanossh offers them. */
const struct mac_alg *mac_alg_at(size_t i);

const char *mac_alg_name(const struct mac_alg *alg);
/* Bytes of key the key exchange must derive for it. */
size_t mac_alg_key_len(const struct mac_alg *alg);
/* Bytes of MAC sent after the packet. */
size_t mac_alg_out_len(const struct mac_alg *alg);
/* 1 for the encrypt-then-MAC ("-etm@openssh.com") variants. */
int mac_alg_etm(const struct mac_alg *alg);
/* 1 for HMAC algorithms (the only ones mac_hmac_init() takes). */
int mac_alg_hmac(const struct mac_alg *alg);

/*
 * Keys a new context.  keylen must be mac_alg_key_len() (else
 * SSH_ERR_INVALID_ARGUMENT); the context keeps its own copy of the key.  On
 * success *ctxp owns a new context (release it with mac_free()); on error
 * *ctxp is NULL.
 */
int mac_init(struct mac_ctx **ctxp, const struct mac_alg *alg,
    const uint8_t *key, size_t keylen);
/* Wipes the key and frees the context.  NULL is allowed. */
void mac_free(struct mac_ctx *ctx);
const struct mac_alg *mac_ctx_alg(const struct mac_ctx *ctx);
/* Shorthands for mac_alg_etm() and mac_alg_out_len() of the context's alg. */
int mac_ctx_etm(const struct mac_ctx *ctx);
size_t mac_ctx_len(const struct mac_ctx *ctx);

/*
 * Writes the mac_alg_out_len() bytes of the packet MAC (above) to out.
 * outlen is the size of out and must be at least that (else
 * SSH_ERR_INVALID_ARGUMENT).
 */
int mac_compute(struct mac_ctx *ctx, uint32_t seqnr, const uint8_t *data,
    size_t len, uint8_t *out, size_t outlen);
/*
 * 0 if mac is the packet MAC of data, SSH_ERR_MAC_INVALID if not (compared
 * in constant time).  maclen must be mac_alg_out_len(): a short or long MAC
 * is SSH_ERR_MAC_INVALID too, never a partial comparison.
 */
int mac_verify(struct mac_ctx *ctx, uint32_t seqnr, const uint8_t *data,
    size_t len, const uint8_t *mac, size_t maclen);

/*
 * Plain HMAC without the sequence number, for published test vectors
 * (Wycheproof, RFC 4231, RFC 2202) run through the same code as mac_compute().
 * mac_hmac_init() takes any key length from 1 to MAC_HMAC_MAX_KEY_LEN.
 * mac_hmac() writes the first outlen bytes of the HMAC, mac_hmac_verify()
 * checks a tag of taglen bytes against the first taglen bytes (constant
 * time); both require taglen/outlen from max(out_len / 2, 10) to out_len
 * (RFC 2104 section 5), else SSH_ERR_INVALID_ARGUMENT.  These contexts work
 * with mac_compute()/mac_verify() as well.  UMAC algorithms and contexts
 * are SSH_ERR_INVALID_ARGUMENT here.
 */
int mac_hmac_init(struct mac_ctx **ctxp, const struct mac_alg *alg,
    const uint8_t *key, size_t keylen);
int mac_hmac(struct mac_ctx *ctx, const uint8_t *data, size_t len,
    uint8_t *out, size_t outlen);
int mac_hmac_verify(struct mac_ctx *ctx, const uint8_t *data, size_t len,
    const uint8_t *tag, size_t taglen);

#endif
