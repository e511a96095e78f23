/*
 * sig.h: SSH signatures made and checked with a key from key.h.
 *
 * A signature blob is "string algorithm-name, string signature" where the
 * inner string is, per algorithm:
 *   ssh-ed25519 (RFC 8709 section 6): the 64-byte Ed25519 signature.
 *   ecdsa-sha2-nistp256/384/521 (RFC 5656 section 3.1.2): "mpint r,
 *     mpint s", hashed with SHA-256/384/512 according to the curve.
 *   rsa-sha2-256, rsa-sha2-512 (RFC 8332) and ssh-rsa (RFC 4253, SHA-1):
 *     the RSASSA-PKCS1-v1_5 signature, an octet string as long as the
 *     modulus.  Verification also accepts a shorter one and left-pads it
 *     with zeros, as OpenSSH does: some signers strip leading zero bytes,
 *     and the integer is the same either way.  Longer ones are refused.
 *   sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com
 *     (PROTOCOL.u2f): as ssh-ed25519 / ecdsa-sha2-nistp256, followed
 *     outside the inner string by "byte flags, uint32 counter"; what the
 *     authenticator signed is SHA256(application) || flags || counter ||
 *     SHA256(data).  Only verified here (the private half is in the
 *     authenticator); the flags are the caller's policy (sig_details).
 *
 * Parsing is exact: trailing bytes inside the inner string or after the
 * blob make it invalid, ECDSA r and s must be non-negative minimal mpints in
 * [1, n-1].  Sans-IO: no logging, no files.
 *
 * Functions return 0 or a negative SSH_ERR_* code (ssherr.h).  Errors of
 * sig_verify:
 *   SSH_ERR_INVALID_FORMAT       the blob does not parse (truncated, trailing
 *                                bytes, bad mpint, wrong length)
 *   SSH_ERR_SIGN_ALG_UNSUPPORTED unknown algorithm name, or ssh-rsa without
 *                                allow_sha1
 *   SSH_ERR_KEY_TYPE_MISMATCH    the algorithm belongs to another key type
 *                                or curve (the blob's or the alg argument)
 *   SSH_ERR_SIGNATURE_INVALID    the blob's algorithm differs from alg, r or
 *                                s out of range, or the signature is wrong
 *   SSH_ERR_KEY_LENGTH           RSA key shorter than SIG_RSA_MIN_BITS
 *   SSH_ERR_ALLOC_FAIL, SSH_ERR_LIBCRYPTO_ERROR, SSH_ERR_INVALID_ARGUMENT
 */
#ifndef NANOSSH_SIG_H
#define NANOSSH_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/key.h"

struct buf;
struct sshkey;

/* RSA keys below this size are refused for signing and verifying. */
#define SIG_RSA_MIN_BITS	1024

/*
 * Signs data with the private key and appends the whole signature blob
 * (string name, string signature) to out; on error out is unchanged.
 * alg NULL picks the key's default algorithm (rsa-sha2-512 for RSA keys);
 * otherwise it must be one the key can make (sig_check_alg with
 * allow_sha1 set: asking for "ssh-rsa" is the caller's policy decision).
 */
int sig_sign(const struct sshkey *key, const char *alg, const uint8_t *data,
    size_t len, struct buf *out);

/*
 * Verifies the signature blob sig over data with key.  If alg is non-NULL
 * the blob's algorithm must equal it (RFC 8332 section 3.2: the negotiated
 * host key algorithm, or the algorithm named in a publickey request).
 * allow_sha1 permits ssh-rsa.  0 only for a good signature.
 */
int sig_verify(const struct sshkey *key, const uint8_t *sig, size_t siglen,
    const uint8_t *data, size_t len, const char *alg, int allow_sha1);

/* What a security key's signature says about how it was made. */
#define SIG_SK_USER_PRESENT	0x01	/* the authenticator was touched */
#define SIG_SK_USER_VERIFIED	0x04	/* and checked a PIN or biometric */
struct sig_details {
	int		sd_sk;		/* 1 for a security-key signature */
	uint8_t		sd_sk_flags;
	uint32_t	sd_sk_counter;
};

/*
 * sig_verify that also returns, for a good signature, the security-key
 * flags and counter in *dp (zeroed otherwise, and for other keys).
 */
int sig_verify_details(const struct sshkey *key, const uint8_t *sig,
    size_t siglen, const uint8_t *data, size_t len, const char *alg,
    int allow_sha1, struct sig_details *dp);

/*
 * The algorithm name of a signature blob in a new allocation the caller
 * frees; the whole blob must be well formed (name and signature strings,
 * nothing after them) but the name need not be known.
 */
int sig_get_alg(const uint8_t *sig, size_t siglen, char **algp);

/*
 * 0 if key can make and check signatures with alg; SSH_ERR_SIGN_ALG_UNSUPPORTED
 * for an unknown name or ssh-rsa without allow_sha1, SSH_ERR_KEY_TYPE_MISMATCH
 * for an algorithm of another key type.
 */
int sig_check_alg(const struct sshkey *key, const char *alg, int allow_sha1);

/* The key type whose keys sign with alg ("rsa-sha2-256" -> KEY_RSA);
 * KEY_UNSPEC for an unknown name. */
enum key_type sig_alg_key_type(const char *alg);

/*
 * The signature algorithms a key type can use as an SSH name-list, most
 * preferred first: "ssh-ed25519"; "ecdsa-sha2-nistpNNN"; the sk type's name;
 * "rsa-sha2-512,rsa-sha2-256" (",ssh-rsa" appended with allow_sha1).
 * Static storage; NULL for KEY_UNSPEC or an unknown type.
 */
const char *sig_algs_for_type(enum key_type type, int allow_sha1);

#endif
