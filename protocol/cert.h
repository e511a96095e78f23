/*
 * cert.h: OpenSSH certificates (PROTOCOL.certkeys, "*-cert-v01@openssh.com")
 * for Ed25519, ECDSA P-256/384/521 and RSA keys: parsing, the CA
 * signature, and the checks a server makes before trusting one.
 *
 * Parsing is strict: every field is read through buf.h and the blob must be
 * consumed exactly; critical options and extensions must be sorted by name
 * (byte order) without repeats; names, principals and the key id hold no
 * NUL; a known option must carry exactly its format (force-command and
 * source-address: a string inside the data string; flags: empty data); a
 * source-address list must be valid CIDR; the signature key must be a plain
 * key (no certificate as CA).  Whether the CA is trusted is the caller's
 * decision: compare cert_ca() against its list.
 *
 * Sans-IO: no files, no clock, no logging.  The caller passes the time
 * and the client address; reasons for refusals come back as static
 * strings worded like OpenSSH's log lines.  The key id and principals are
 * NUL-free but otherwise arbitrary bytes: escape them before logging.
 *
 * source-address is matched with cidr_list_match (cidr.h): certificates
 * take only CIDR lists (no wildcards, no negation).
 *
 * Functions return 0 or a negative SSH_ERR_* code (ssherr.h):
 *   SSH_ERR_KEY_CERT_UNKNOWN_TYPE     not a certificate type we support
 *   SSH_ERR_INVALID_FORMAT, SSH_ERR_MESSAGE_INCOMPLETE,
 *   SSH_ERR_UNEXPECTED_TRAILING_DATA  the blob does not parse
 *   SSH_ERR_KEY_CERT_INVALID          a rule of PROTOCOL.certkeys broken
 *                                     (order, repeats, bad option data),
 *                                     or a check refused the certificate
 *   SSH_ERR_KEY_CERT_INVALID_SIGN_KEY the CA key is a certificate
 *   SSH_ERR_SIGNATURE_INVALID, SSH_ERR_SIGN_ALG_UNSUPPORTED (ssh-rsa),
 *   SSH_ERR_KEY_TYPE_MISMATCH         from cert_verify_signature (sig.h)
 *   SSH_ERR_KEY_CERT_MISMATCH         cert_check_key: another key
 */
#ifndef NANOSSH_CERT_H
#define NANOSSH_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/key.h"

struct buf;
struct sshkey;
struct sshcert;

#define CERT_TYPE_USER		1
#define CERT_TYPE_HOST		2

/* valid_before of a certificate that never expires (ssh-keygen "forever"). */
#define CERT_VALID_FOREVER	UINT64_MAX

/* Bounds a peer cannot raise: OpenSSH's principal cap; options per list. */
#define CERT_MAX_PRINCIPALS	256
#define CERT_MAX_OPTIONS	64

/* Extensions we know, as flags (cert_extensions). */
#define CERT_EXT_PERMIT_X11		0x01	/* permit-X11-forwarding */
#define CERT_EXT_PERMIT_AGENT		0x02	/* permit-agent-forwarding */
#define CERT_EXT_PERMIT_PORT		0x04	/* permit-port-forwarding */
#define CERT_EXT_PERMIT_PTY		0x08	/* permit-pty */
#define CERT_EXT_PERMIT_USER_RC		0x10	/* permit-user-rc */
#define CERT_EXT_NO_TOUCH_REQUIRED	0x20	/* no-touch-required */

/*
 * Parses a certificate blob (the whole buffer, not consumed; the
 * certificate keeps its own copy).  Does not check the CA signature.
 */
int cert_parse(const struct buf *blob, struct sshcert **certp);
/* Parses a "*-cert.pub" line: "type base64[ comment]"; the type must be the
 * blob's.  commentp may be NULL; the caller frees the comment. */
int cert_from_public_line(const char *line, struct sshcert **certp,
    char **commentp);
void cert_free(struct sshcert *c);

/* Appends the certificate blob, byte for byte as parsed (the host key blob
 * for a "*-cert-v01@openssh.com" host key algorithm in the key exchange). */
int cert_to_blob(const struct sshcert *c, struct buf *out);
/* The blob itself, owned by the certificate. */
const uint8_t *cert_blob(const struct sshcert *c, size_t *lenp);

/*
 * 0 if the CA signature over the signed part (type name to signature key)
 * is good.  RSA CAs must sign with rsa-sha2-256 or rsa-sha2-512: ssh-rsa
 * (SHA-1) gives SSH_ERR_SIGN_ALG_UNSUPPORTED.
 */
int cert_verify_signature(const struct sshcert *c);

/* The certified key and the CA key, owned by the certificate. */
const struct sshkey *cert_key(const struct sshcert *c);
const struct sshkey *cert_ca(const struct sshcert *c);
/* "ssh-ed25519-cert-v01@openssh.com", ... */
const char *cert_key_type_name(const struct sshcert *c);
/* The CA's signature algorithm ("ssh-ed25519", "rsa-sha2-512", ...). */
const char *cert_signature_alg(const struct sshcert *c);
/* CERT_TYPE_USER or CERT_TYPE_HOST (any other value fails every check). */
uint32_t cert_type(const struct sshcert *c);
uint64_t cert_serial(const struct sshcert *c);
const char *cert_key_id(const struct sshcert *c);
size_t cert_nprincipals(const struct sshcert *c);
/* NULL past the end. */
const char *cert_principal(const struct sshcert *c, size_t i);
/* 1 if name is one of the principals (exact match), else 0; for matching
 * an authorized_keys principals= list. */
int cert_has_principal(const struct sshcert *c, const char *name);
uint64_t cert_valid_after(const struct sshcert *c);
uint64_t cert_valid_before(const struct sshcert *c);
/* The force-command / source-address critical options, or NULL. */
const char *cert_force_command(const struct sshcert *c);
/* 1 if the critical option verify-required is present (PROTOCOL.certkeys:
 * signatures must show FIDO user verification). */
int cert_verify_required(const struct sshcert *c);
const char *cert_source_address(const struct sshcert *c);
/* CERT_EXT_* flags of the known extensions present. */
unsigned int cert_extensions(const struct sshcert *c);
/*
 * Critical options (critical set) or extensions (critical 0) in order:
 * name and raw data (borrowed).  SSH_ERR_INVALID_ARGUMENT past the end.
 */
size_t cert_noptions(const struct sshcert *c, int critical);
int cert_option(const struct sshcert *c, int critical, size_t i,
    const char **namep, const uint8_t **datap, size_t *lenp);

/*
 * Checks a user certificate for a login (the CA signature and trust are
 * checked separately):
 *   - type user;
 *   - valid_after <= now < valid_before;
 *   - principal non-NULL: the certificate lists principals and principal is
 *     one of them (an empty list is refused, as OpenSSH does for
 *     TrustedUserCAKeys); NULL skips this (the caller matches an
 *     authorized_keys principals= list with cert_has_principal itself);
 *   - critical options: force-command (exposed by cert_force_command for the
 *     caller to enforce), source-address (client_addr, a numeric IPv4/IPv6
 *     address, must be in the list; NULL client_addr fails), verify-required
 *     (exposed by cert_verify_required for the caller to enforce against
 *     the signature), any other refused.
 * 0 if acceptable, else SSH_ERR_KEY_CERT_INVALID with *whyp (if whyp is
 * non-NULL) set to a static reason.
 */
int cert_check_user(const struct sshcert *c, const char *principal,
    uint64_t now, const char *client_addr, const char **whyp);
/*
 * The same for a host certificate: type host, validity window, hostname in
 * the principals when both are given (NULL hostname or an empty list skip
 * the check), and no critical options at all (none are defined for hosts).
 */
int cert_check_host(const struct sshcert *c, const char *hostname,
    uint64_t now, const char **whyp);
/* 0 if key (public or private) is the certified key, else
 * SSH_ERR_KEY_CERT_MISMATCH: a host certificate must match its host key. */
int cert_check_key(const struct sshcert *c, const struct sshkey *key);

/* Certificate key type name for a key type, NULL for KEY_UNSPEC. */
const char *cert_name_for_type(enum key_type type);
/* The key type of a certificate key type name; KEY_UNSPEC otherwise. */
enum key_type cert_type_from_name(const char *name);
/*
 * The signature algorithm behind a certificate algorithm name as used in
 * KEXINIT and publickey requests ("rsa-sha2-512-cert-v01@openssh.com" ->
 * "rsa-sha2-512", "ssh-ed25519-cert-v01@openssh.com" -> "ssh-ed25519",
 * "ssh-rsa-cert-v01@openssh.com" -> "ssh-rsa", the caller refuses SHA-1);
 * NULL for any other name.
 */
const char *cert_alg_to_sig_alg(const char *alg);
/*
 * 0 if alg, the algorithm of a publickey request or the negotiated host key
 * algorithm, is a certificate algorithm for this certificate's key
 * ("rsa-sha2-256-cert-v01@openssh.com" for an RSA certificate);
 * SSH_ERR_SIGN_ALG_UNSUPPORTED for an unknown name or "ssh-rsa-cert-v01"
 * without allow_sha1, SSH_ERR_KEY_TYPE_MISMATCH for another key type.
 * The signature then made with cert_key() uses cert_alg_to_sig_alg(alg).
 */
int cert_check_alg(const struct sshcert *c, const char *alg, int allow_sha1);
/*
 * The certificate host key algorithms for a key type as a name-list, most
 * preferred first (RSA: "rsa-sha2-512-cert-v01@openssh.com,
 * rsa-sha2-256-cert-v01@openssh.com"); static storage, NULL for KEY_UNSPEC.
 */
const char *cert_algs_for_type(enum key_type type);

#endif
