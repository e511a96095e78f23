/*
 * kex_method.h: the key-exchange mathematics of the SSH transport, without
 * packets or state: ephemeral key pairs, the shared secret K, the exchange
 * hash H and the session keys (RFC 4253 sections 7 and 8, RFC 4419,
 * RFC 5656, RFC 8731, RFC 8268, RFC 4432,
 * draft-ietf-sshm-mlkem-hybrid-kex,
 * draft-josefsson-ntruprime-ssh).  The state machine picks a struct
 * kex_alg by name and then calls the same functions for every method.
 * All functions return 0 or a negative SSH_ERR_* code (ssherr.h).
 *
 * Value formats, the same for every method:
 * - a "public value" is raw bytes: the EC point octet string Q (32 bytes
 *   for X25519, uncompressed 04||x||y for NIST curves), for DH the
 *   big-endian magnitude of e or f without leading zeros, for a hybrid
 *   the client's KEM public key || X25519 key (ML-KEM-768: 1216 bytes,
 *   sntrup761: 1190) or the server's ciphertext || X25519 key (1120,
 *   1071).  On the wire
 *   it is a string (ECDH, hybrid) or an mpint (DH): use kex_put_public
 *   and kex_get_public, which know which;
 * - K is kept encoded exactly as it enters the exchange hash and the key
 *   derivation: as an mpint (uint32 length, then the bytes), where for
 *   X25519 the 32 output bytes are read as a big-endian unsigned number
 *   (RFC 8731 section 3), for NIST curves the x coordinate (RFC 5656
 *   section 4), for DH the number g^xy mod p; for a hybrid as a string
 *   holding HASH(KEM secret || X25519 secret), HASH the method's
 *   (SHA-256 for mlkem768x25519-sha256, SHA-512 for sntrup761x25519).
 */
#ifndef NANOSSH_KEX_METHOD_H
#define NANOSSH_KEX_METHOD_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct dh_group;
struct kex_keypair;
struct sshkey;

enum kex_kind {
	KEX_KIND_X25519,	/* curve25519-sha256, RFC 8731 */
	KEX_KIND_ECDH,		/* ecdh-sha2-nistp*, RFC 5656 */
	KEX_KIND_DH,		/* fixed RFC 3526 group, RFC 8268 */
	KEX_KIND_GEX,		/* group exchange, RFC 4419 */
	KEX_KIND_MLKEM768_X25519, /* mlkem768x25519-sha256 */
	KEX_KIND_SNTRUP761_X25519, /* sntrup761x25519-sha512 */
	KEX_KIND_RSA,		/* rsa2048-sha256, rsa1024-sha1, RFC 4432 */
};

struct kex_alg {
	const char	*ka_name;	/* as in SSH_MSG_KEXINIT */
	enum kex_kind	 ka_kind;
	const char	*ka_hash;	/* OpenSSL digest name: "SHA256" ... */
	size_t		 ka_hash_len;	/* bytes of H and of each hash block */
	const char	*ka_curve;	/* ECDH: OpenSSL group name, "P-256" */
	size_t		 ka_pub_len;	/* X25519/ECDH: exact public value length;
					 * hybrid: the client's */
	unsigned int	 ka_dh_group;	/* DH: RFC 3526 group id */
	unsigned int	 ka_rsa_bits;	/* RSA: the transient key's size */
};

/* The method called name, or NULL if unsupported. */
const struct kex_alg *kex_alg_by_name(const char *name);
/* All supported names, comma-separated, most preferred first. */
const char *kex_alg_names(void);
/* 1 for a method meant to resist a quantum computer (crypto.require_pq). */
int kex_alg_is_pq(const struct kex_alg *alg);

/*
 * A fresh ephemeral key pair: both sides' for DH and ECDH, the client's
 * for the hybrid (servers use kex_respond).  group must be the group
 * chosen by kex_gex_choose for KEX_KIND_GEX (it is copied) and NULL
 * otherwise.
 * The DH private exponent has dh_group_exponent_bits(group) bits.
 */
int kex_keypair_new(const struct kex_alg *alg, const struct dh_group *group,
    struct kex_keypair **kpp);
/*
 * A key pair with a given private key, for known-answer tests only: the
 * 32-byte X25519 scalar, the big-endian NIST scalar (1 <= d < order) or
 * the DH exponent (1 < x < p-1), for mlkem768x25519 the ML-KEM seeds d
 * and z then the X25519 scalar (96 bytes); sntrup761x25519 has no such
 * seed (SSH_ERR_INVALID_ARGUMENT).  Never use it for a real exchange.
 */
int kex_keypair_from_private(const struct kex_alg *alg,
    const struct dh_group *group, const uint8_t *priv, size_t len,
    struct kex_keypair **kpp);
/* Frees and wipes the key pair; NULL is allowed. */
void kex_keypair_free(struct kex_keypair *kp);
const struct kex_alg *kex_keypair_alg(const struct kex_keypair *kp);
/* Appends our public value (Q_S or f, raw as above) to out. */
int kex_keypair_public(const struct kex_keypair *kp, struct buf *out);

/*
 * Computes K from our key pair and the peer's public value (Q_C or e, raw
 * as above) and appends it mpint-encoded to K.  The peer's value is
 * checked first: SSH_ERR_KEY_INVALID_EC_VALUE for an X25519 value that is
 * not 32 bytes or gives an all-zero secret (low-order points, RFC 8731
 * section 3), and for a NIST point of the wrong length, not uncompressed,
 * the point at infinity or not on the curve; SSH_ERR_INVALID_FORMAT for a
 * DH value outside 1 < y < p-1, and for the hybrid's Q_S of the wrong
 * length or a KEM decapsulation that cannot run.  On error K is
 * unchanged.
 */
int kex_shared_secret(const struct kex_keypair *kp, const uint8_t *peer,
    size_t peer_len, struct buf *K);

/*
 * The server's whole side for any method: a fresh key pair (for the
 * hybrid, an encapsulation to the client's key), Q_S or f appended to pub
 * and K to K.  The client's value is checked as by kex_shared_secret; for
 * a hybrid a Q_C of the wrong length, or an ML-KEM encapsulation key that
 * fails FIPS 203's modulus check, gives SSH_ERR_INVALID_FORMAT.  Errors about the
 * client's value are SSH_ERR_KEY_INVALID_EC_VALUE and
 * SSH_ERR_INVALID_FORMAT; any other is ours.
 */
int kex_respond(const struct kex_alg *alg, const struct dh_group *group,
    const uint8_t *peer, size_t peer_len, struct buf *pub, struct buf *K);

/* Appends a public value to a message as the method's wire type (string
 * for X25519/ECDH, mpint for DH/GEX). */
int kex_put_public(const struct kex_alg *alg, struct buf *msg,
    const uint8_t *pub, size_t len);
/* Reads a public value of the method's wire type from msg; *pubp points
 * into msg (valid until it changes). */
int kex_get_public(const struct kex_alg *alg, struct buf *msg,
    const uint8_t **pubp, size_t *lenp);

/*
 * RSA key exchange (RFC 4432), which has no key pair on the client's side
 * and no kex_respond on the server's: K_T is a transient RSA key the
 * monitor holds, K the client's secret it decrypts.  The encrypted secret
 * is the client's public value and K_T the server's for the exchange hash
 * (which enters them in RFC 4432's order, both as strings); K stays the
 * mpint the client encrypted.
 */
/* The longest encrypted secret: the largest transient key's modulus
 * (rsa2048-sha256's), in bytes. */
#define KEX_RSA_SECRET_MAX	256
/* A transient key of alg->ka_rsa_bits bits. */
int kex_rsa_keygen(const struct kex_alg *alg, struct sshkey **keyp);
/*
 * The server's side: RSAES-OAEP decryption of the client's secret with
 * the method's hash for OAEP and MGF1, then kex_rsa_check_secret; K gets
 * the mpint.  Every failure that the ciphertext can cause is one code,
 * SSH_ERR_INVALID_FORMAT.
 */
int kex_rsa_decrypt(const struct kex_alg *alg, const struct sshkey *key,
    const uint8_t *ct, size_t ctlen, struct buf *K);
/* The decryption alone (empty label), its plaintext appended to pt;
 * SSH_ERR_INVALID_FORMAT for any bad ciphertext. */
int kex_rsa_oaep_decrypt(const struct kex_alg *alg, const struct sshkey *key,
    const uint8_t *ct, size_t ctlen, struct buf *pt);
/* 0 if k..len is exactly one mpint, non-negative, below
 * 2^(klen - 2*HLEN - 49) for a klen-bit K_T (RFC 4432 section 4); else
 * SSH_ERR_INVALID_FORMAT. */
int kex_rsa_check_secret(const struct kex_alg *alg, unsigned int klen,
    const uint8_t *k, size_t len);
/*
 * The client's side: K_T (an ssh-rsa blob of at least ka_rsa_bits bits,
 * else SSH_ERR_KEY_LENGTH), a random K within the bound appended to K as
 * an mpint, its encryption to ct.
 */
int kex_rsa_encrypt(const struct kex_alg *alg, const uint8_t *kt,
    size_t ktlen, struct buf *K, struct buf *ct);

/*
 * The inputs of the exchange hash H (RFC 4253 section 8, RFC 4419
 * section 3, RFC 5656 section 4, RFC 8731 section 3), hashed as
 *   string V_C, string V_S, string I_C, string I_S, string K_S,
 *   [GEX: uint32 min, uint32 n, uint32 max, mpint p, mpint g,]
 *   Q_C/e, Q_S/f (as kex_put_public writes them), K (already mpint);
 * for RSA key exchange string K_T, string encrypted secret, K.
 */
struct kex_hash_input {
	const char		*kh_client_version;	/* V_C, no CR LF */
	const char		*kh_server_version;	/* V_S, no CR LF */
	const struct buf	*kh_client_kexinit;	/* I_C: payload from the type byte */
	const struct buf	*kh_server_kexinit;	/* I_S */
	const struct buf	*kh_host_key;		/* K_S: host key blob */
	/* GEX only: the request as the client sent it, and the group sent. */
	uint32_t		 kh_gex_min;
	uint32_t		 kh_gex_n;
	uint32_t		 kh_gex_max;
	const struct dh_group	*kh_gex_group;
	const struct buf	*kh_client_pub;		/* Q_C or e, raw */
	const struct buf	*kh_server_pub;		/* Q_S or f, raw */
	const struct buf	*kh_shared_secret;	/* K, mpint-encoded */
};

/* Appends H (alg->ka_hash_len bytes) to out. */
int kex_exchange_hash(const struct kex_alg *alg,
    const struct kex_hash_input *in, struct buf *out);

/*
 * Session key material, RFC 4253 section 7.2: HASH(K || H || letter ||
 * session_id), extended by HASH(K || H || K1 || ... ) until need bytes are
 * there; appends exactly need bytes to out.  letter is 'A' to 'F'.
 */
int kex_derive_key(const struct kex_alg *alg, const struct buf *K,
    const struct buf *H, const struct buf *session_id, char letter,
    size_t need, struct buf *out);

#endif
