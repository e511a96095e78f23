/*
 * keylist.h: the files of public keys the monitor reads itself (system
 * files, not the user's): auth.trusted_user_ca_keys, public key lines, and
 * auth.revoked_keys, public key lines or an OpenSSH KRL (protocol/krl.h),
 * told apart by the KRL magic "SSHKRL\n\0".  Each check reads the file
 * afresh, so an edited revocation list applies to the next attempt.
 */
#ifndef NANOSSH_KEYLIST_H
#define NANOSSH_KEYLIST_H

struct sshcert;
struct sshkey;

/* Largest file read: room for a KRL of a large CA. */
#define KEYLIST_FILE_MAX	(16 * 1024 * 1024)

/*
 * 1 if key is one of the public key lines of the file at path (blank
 * lines, '#' comments and lines that do not parse are skipped), else 0;
 * also 0, logged, if the file cannot be read.  "" or NULL: 0.
 */
int keylist_find(const char *path, const struct sshkey *key);

/*
 * 0 if the file of revoked keys at path does not revoke the plain key /
 * the certificate, 1 if it does.  A certificate is revoked when its key or
 * its CA is listed, or, in a KRL, by its serial or key ID.  Fails closed,
 * as OpenSSH does: a file that cannot be read, is too large or does not
 * parse as a KRL revokes everything (1, with the reason logged).
 * "" or NULL: nothing is revoked.
 */
int keylist_key_revoked(const char *path, const struct sshkey *key);
int keylist_cert_revoked(const char *path, const struct sshcert *cert);

#endif
