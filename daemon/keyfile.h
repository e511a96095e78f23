/*
 * keyfile.h: reading and writing key files, shared by nanosshd (host keys)
 * and nanossh-keygen.  Returns 0 or a negative SSH_ERR_* code.
 */
#ifndef NANOSSH_KEYFILE_H
#define NANOSSH_KEYFILE_H

struct sshkey;

/*
 * Loads a private key.  With check_perms, a file that group or others may
 * read, or that is not a regular file, gives SSH_ERR_KEY_BAD_PERMISSIONS
 * (as OpenSSH refuses such host keys).  commentp may be NULL.
 */
int keyfile_load_private(const char *path, const char *passphrase,
    int check_perms, struct sshkey **keyp, char **commentp);
/* Loads a public key file (one "type base64 comment" line). */
int keyfile_load_public(const char *path, struct sshkey **keyp,
    char **commentp);
/*
 * Writes path (mode 0600, via a temporary file renamed into place) and
 * path.pub (0644).  Without overwrite an existing file gives
 * SSH_ERR_FILE_EXISTS.
 */
int keyfile_save(const char *path, const struct sshkey *key,
    const char *passphrase, const char *comment, int overwrite);

#endif
