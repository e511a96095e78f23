/*
 * cipher.h: the symmetric ciphers of the SSH transport (RFC 4253 section 6.3),
 * sans-IO.  A packet layer allocates one context per direction at NEWKEYS
 * and then encrypts or decrypts each packet in place, with no allocation per
 * packet.  All functions return 0 or a negative SSH_ERR_* code (ssherr.h).
 *
 * Algorithms (names as on the wire):
 *   chacha20-poly1305@openssh.com  AEAD; 64 bytes of key, no IV.  The first
 *       32 bytes (K_2) key the payload cipher and the Poly1305 one-time keys,
 *       the last 32 (K_1) encrypt only the packet length (OpenSSH's
 *       PROTOCOL.chacha20poly1305).  The nonce is the sequence number.
 *   aes128-gcm@openssh.com, aes256-gcm@openssh.com  AEAD (RFC 5647 as in
 *       OpenSSH's PROTOCOL 1.6); 12-byte IV = 4 fixed bytes || 8-byte
 *       invocation counter, incremented after every packet.  The packet length
 *       travels in clear as AAD.  The sequence number is not used: the IV
 *       counter orders the packets.
 *   aes128-ctr, aes192-ctr, aes256-ctr  (RFC 4344) 16-byte IV = the initial
 *       counter block; no integrity on their own (pair with mac.h).
 *
 * The packet as the cipher sees it always starts at the 4-byte packet length:
 *
 *   [ packet_length (4) | padding_length | payload | padding ] [ tag ]
 *   <--------------------------- len ------------------------> <taglen>
 *   <-- aadlen -->
 *
 * aadlen is 4 for the AEAD ciphers and for a CTR cipher paired with an
 * "-etm@openssh.com" MAC (the length is then sent in clear and authenticated
 * by the AEAD tag or the MAC), else 0 (the length is encrypted with the rest).
 * chacha20-poly1305 is the exception to "aad is clear": its 4 aad bytes are
 * encrypted with K_1.  cipher_aadlen() gives the right value.
 */
#ifndef NANOSSH_CIPHER_H
#define NANOSSH_CIPHER_H

#include <stddef.h>
#include <stdint.h>

#define CIPHER_MAX_KEY_LEN	64	/* chacha20-poly1305: K_2 || K_1 */
#define CIPHER_MAX_IV_LEN	16
#define CIPHER_MAX_BLOCK_SIZE	16
#define CIPHER_MAX_TAG_LEN	16
#define CIPHER_LENGTH_FIELD	4	/* the uint32 packet_length */

#define CIPHER_CHACHA_KEY_LEN	32
#define CIPHER_CHACHA_NONCE_LEN	12
#define CIPHER_POLY1305_KEY_LEN	32
#define CIPHER_POLY1305_TAG_LEN	16
#define CIPHER_GCM_IV_LEN	12
#define CIPHER_GCM_TAG_LEN	16

struct cipher_alg;	/* static description of one algorithm */
struct cipher_ctx;	/* keyed state of one direction */

/* The algorithm with this wire name, or NULL if unknown or name is NULL. */
const struct cipher_alg *cipher_by_name(const char *name);
/* The i-th supported algorithm (0, 1, ...), NULL past the end; in the order
 * of preference nanossh offers them. */
const struct cipher_alg *cipher_alg_at(size_t i);

const char *cipher_alg_name(const struct cipher_alg *alg);
/* Bytes of key / IV material the key exchange must derive for it. */
size_t cipher_alg_key_len(const struct cipher_alg *alg);
size_t cipher_alg_iv_len(const struct cipher_alg *alg);
/* Padding granularity of RFC 4253 section 6 (8 for chacha20-poly1305, 16 for
 * AES): len - aadlen must be a multiple of it. */
size_t cipher_alg_block_size(const struct cipher_alg *alg);
/* Tag bytes after the packet: 16 for the AEAD ciphers, 0 for CTR. */
size_t cipher_alg_tag_len(const struct cipher_alg *alg);
/* 1 if the cipher authenticates the packet itself (no MAC is negotiated). */
int cipher_alg_is_aead(const struct cipher_alg *alg);
/* The aadlen to pass to cipher_get_length()/cipher_crypt(): 4 for an AEAD
 * cipher or when mac_etm is set, else 0. */
size_t cipher_aadlen(const struct cipher_alg *alg, int mac_etm);

/*
 * Keys a new context for one direction (encrypt 1: sending, 0: receiving).
 * keylen and ivlen must equal the algorithm's key and IV lengths (iv may be
 * NULL when ivlen is 0); else SSH_ERR_INVALID_ARGUMENT.  The context keeps
 * copies of key and iv; the caller may wipe its own.  On success *ctxp owns a
 * new context (release it with cipher_free()); on error *ctxp is NULL.
 */
int cipher_init(struct cipher_ctx **ctxp, const struct cipher_alg *alg,
    const uint8_t *key, size_t keylen, const uint8_t *iv, size_t ivlen,
    int encrypt);
/* Wipes the keys and frees the context.  NULL is allowed. */
void cipher_free(struct cipher_ctx *ctx);
const struct cipher_alg *cipher_ctx_alg(const struct cipher_ctx *ctx);

/*
 * Reads the packet_length (the value of the field, excluding itself and the
 * tag/MAC) from the first bytes of a received packet before the rest has
 * arrived.  in/inlen are the bytes received so far; aadlen as for
 * cipher_crypt().  Needs 4 bytes when the length is in clear or encrypted
 * with chacha20-poly1305's K_1, one cipher block when it is encrypted by
 * CTR; SSH_ERR_MESSAGE_INCOMPLETE if fewer have arrived.  Changes no state
 * and writes nothing but *plenp.  The value is NOT authenticated yet (the
 * whole point of the K_1 key and of etm is that it reveals nothing): the
 * caller must bound it before waiting for that many bytes.  Receiving
 * contexts only.
 */
int cipher_get_length(struct cipher_ctx *ctx, uint32_t seqnr,
    const uint8_t *in, size_t inlen, size_t aadlen, uint32_t *plenp);

/*
 * Encrypts or decrypts one whole packet, len bytes from the packet_length
 * field on (see the picture above), src to dst; dst == src (in place) is
 * allowed, other overlaps are not.  The first aadlen bytes are authenticated
 * but not encrypted (except by chacha20-poly1305's K_1), the rest are
 * encrypted.  taglen must be cipher_alg_tag_len(): when encrypting, the tag
 * is written to dst[len .. len + taglen); when decrypting it is read from
 * src[len .. len + taglen) and checked (in constant time) before any
 * plaintext is released.  dst must hold len + taglen bytes.
 *
 * The context's direction (cipher_init()'s encrypt) decides whether this
 * encrypts or decrypts.  Call it exactly once per packet, in order: CTR and
 * GCM contexts advance their counter with every successful call (GCM's
 * invocation counter by one, CTR's counter block by the blocks crypted), and
 * with CTR nothing can tell a skipped packet (the MAC must).
 *
 * Errors: SSH_ERR_INVALID_ARGUMENT if aadlen is not cipher_aadlen() for
 * some etm setting, len - aadlen is not a positive multiple of the block
 * size, taglen is wrong or the buffers partially overlap;
 * SSH_ERR_MAC_INVALID if the tag does not match (decrypting).  On any error
 * the context's state is unchanged (the GCM counter is not advanced) and
 * dst[0 .. len) holds no plaintext: each byte is either untouched
 * (chacha20-poly1305 checks the tag before decrypting anything) or zeroed
 * (GCM releases plaintext before its tag check, so a failed packet is wiped;
 * in place, the ciphertext is gone too).  seqnr is the packet's sequence number (RFC 4253 section 6.4);
 * only chacha20-poly1305 uses it.
 */
int cipher_crypt(struct cipher_ctx *ctx, uint32_t seqnr, uint8_t *dst,
    const uint8_t *src, size_t len, size_t aadlen, size_t taglen);

/*
 * The primitives the modes above are built from, exposed so that published
 * test vectors (RFC 8439, Wycheproof) run through the same code.  Each call
 * allocates and frees its own OpenSSL context, so they are not for the
 * per-packet path.
 */

/* ChaCha20 of RFC 8439 section 2.4: XORs len bytes of in with the keystream
 * from block `counter` on (32-bit block counter, 96-bit nonce) into out
 * (in == out allowed).  Original ChaCha's 64-bit nonce N with a 64-bit
 * counter below 2^32 is nonce = 00000000 || N. */
int cipher_chacha20_xor(const uint8_t key[CIPHER_CHACHA_KEY_LEN],
    uint32_t counter, const uint8_t nonce[CIPHER_CHACHA_NONCE_LEN],
    const uint8_t *in, uint8_t *out, size_t len);
/* Poly1305 of RFC 8439 section 2.5 with a one-time key. */
int cipher_poly1305(const uint8_t key[CIPHER_POLY1305_KEY_LEN],
    const uint8_t *msg, size_t len, uint8_t tag[CIPHER_POLY1305_TAG_LEN]);
/* 0 if tag is Poly1305(key, msg), else SSH_ERR_MAC_INVALID (constant time). */
int cipher_poly1305_verify(const uint8_t key[CIPHER_POLY1305_KEY_LEN],
    const uint8_t *msg, size_t len, const uint8_t tag[CIPHER_POLY1305_TAG_LEN]);

/*
 * AES-GCM (NIST SP 800-38D) with the sizes the SSH modes use: a 16- or
 * 32-byte key, a 12-byte IV and a 16-byte tag; other sizes give
 * SSH_ERR_INVALID_ARGUMENT.  seal encrypts len bytes in to out and writes
 * the tag; open checks the tag and decrypts, returning SSH_ERR_MAC_INVALID
 * (out zeroed) on a mismatch.  in == out allowed.
 */
int cipher_aes_gcm_seal(const uint8_t *key, size_t keylen,
    const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
    const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag, size_t taglen);
int cipher_aes_gcm_open(const uint8_t *key, size_t keylen,
    const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
    const uint8_t *in, uint8_t *out, size_t len, const uint8_t *tag,
    size_t taglen);

#endif
