/*
 * krl.h: OpenSSH key revocation lists (PROTOCOL.krl, "ssh-keygen -k"),
 * parsed from bytes and asked whether a key or a certificate is revoked.
 * Sans-IO: the caller reads the file (privsep/revoked.c).
 *
 * Parsing is strict, because a KRL that is half understood would revoke
 * less than its author meant: the format version must be 1; every section
 * and subsection must be consumed exactly; unknown section types and
 * critical extensions are refused (non-critical extensions are skipped);
 * serial ranges must have min <= max; serial 0 cannot be revoked (OpenSSH
 * refuses it too, so a certificate without a serial is never revoked by
 * serial); SHA1/SHA256 fingerprints must have their digest's length and
 * appear in ascending order within a section; explicit key, fingerprint
 * and key ID sections must not be empty.  Signature sections are parsed
 * (they must come last) but not verified: the file is trusted as a system
 * file, as OpenSSH's sshd does.  Key blobs in the KRL are kept as bytes
 * and compared with the blob of the key asked about, so a KRL naming key
 * types nanossh does not support still loads.
 *
 * Functions return 0 or a negative SSH_ERR_* code (ssherr.h):
 *   SSH_ERR_KRL_BAD_MAGIC             not a KRL
 *   SSH_ERR_INVALID_FORMAT, SSH_ERR_MESSAGE_INCOMPLETE,
 *   SSH_ERR_UNEXPECTED_TRAILING_DATA  malformed
 *   SSH_ERR_FEATURE_UNSUPPORTED       another format version, an unknown
 *                                     section or critical extension
 *   SSH_ERR_KEY_REVOKED               krl_check_*: revoked
 */
#ifndef NANOSSH_KRL_H
#define NANOSSH_KRL_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct krl;
struct sshcert;
struct sshkey;

/* The first eight bytes of every KRL. */
#define KRL_MAGIC		"SSHKRL\n"	/* and a NUL: 8 bytes */
#define KRL_MAGIC_LEN		8

/* 1 if the bytes start with KRL_MAGIC, else 0. */
int krl_has_magic(const uint8_t *p, size_t len);

/* Parses a whole KRL (the buffer is not consumed; the KRL keeps a copy). */
int krl_parse(const struct buf *in, struct krl **krlp);
void krl_free(struct krl *krl);
/* The header's krl_version and comment (owned by the KRL). */
uint64_t krl_version(const struct krl *krl);
const char *krl_comment(const struct krl *krl);

/*
 * 0 if the plain key is not revoked, SSH_ERR_KEY_REVOKED if an explicit
 * key section holds its blob or a fingerprint section its SHA1/SHA256.
 */
int krl_check_key(const struct krl *krl, const struct sshkey *key);
/*
 * 0 if the certificate is not revoked, SSH_ERR_KEY_REVOKED if it is: by
 * serial or key ID in a certificates section for its CA or for any CA,
 * or because its certified key or its CA key is revoked as a plain key.
 */
int krl_check_cert(const struct krl *krl, const struct sshcert *cert);

#endif
