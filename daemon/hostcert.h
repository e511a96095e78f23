/*
 * hostcert.h: the host_certificates files (OpenSSH "*-cert.pub"), each
 * paired with the host key it certifies.  nanosshd loads them at start,
 * -t and SIGHUP, and hands them to each session (handover.h).
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

#endif
