/*
 * hostcert.h: the host_certificates files (OpenSSH "*-cert.pub"), each
 * paired with the host key it certifies.  Used by nanosshd for its start
 * and -t checks and by nanosshd-session (the monitor) for the connection.
 *
 * A file must hold one host certificate (type host) whose CA signature is
 * good and whose key is one of the loaded host keys, with no other
 * certificate for that key.  Validity and principals are the client's
 * business, as with OpenSSH's HostCertificate.
 *
 * Functions return 0 or a negative SSH_ERR_* code.
 */
#ifndef NANOSSH_HOSTCERT_H
#define NANOSSH_HOSTCERT_H

#include <stddef.h>

struct sshkey;
struct sshcert;

/*
 * Loads the certificate at path and finds its key among keys[0..nkeys):
 * *certp and *idxp on success.  certs, if non-NULL, are the certificates
 * already paired by key index; a key that has one is refused.  On failure
 * *whyp (never NULL) says why in words for the log: the SSH_ERR_* reason,
 * "not a host certificate", "no host key matches it", ...; with
 * SSH_ERR_SYSTEM_ERROR errno tells why the file could not be read.
 */
int hostcert_load(const char *path, const struct sshkey *const *keys,
    size_t nkeys, struct sshcert *const *certs, struct sshcert **certp,
    size_t *idxp, const char **whyp);

/*
 * Every path in order into a new array of nkeys entries (NULL for a key
 * without a certificate).  On failure *pathp names the file and *whyp
 * says why, as above; nothing is returned.
 */
int hostcert_load_all(const char *const *paths, size_t npaths,
    const struct sshkey *const *keys, size_t nkeys,
    struct sshcert ***certsp, const char **pathp, const char **whyp);
void hostcert_free_all(struct sshcert **certs, size_t nkeys);

#endif
