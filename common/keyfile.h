/*
 * keyfile.h: reading and writing key files, shared by nanosshd (host keys)
 * and nanossh-keygen.  Returns 0 or a negative SSH_ERR_* code.
 */
#ifndef NANOSSH_KEYFILE_H
#define NANOSSH_KEYFILE_H

struct buf;
struct sshkey;

/* Key files are small; anything larger is refused. */
#define KEYFILE_MAX_SIZE	(1024 * 1024)

/*
 * Reads a whole file (at most KEYFILE_MAX_SIZE bytes) into a new buffer.
 * check_perms as for keyfile_load_private.  On SSH_ERR_SYSTEM_ERROR errno
 * tells why.
 */
int keyfile_read(const char *path, int check_perms, struct buf **bp);

/*
 * Loads a private key.  With check_perms, a file that group or others may
 * read, or that is not a regular file, gives SSH_ERR_KEY_BAD_PERMISSIONS
 * (as OpenSSH refuses such host keys; like OpenSSH's 077 test, any group
 * or other permission bit counts).  commentp may be NULL.
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
/* The same, encrypting with cipher (NULL: aes256-ctr) as ssh-keygen -Z. */
int keyfile_save_cipher(const char *path, const struct sshkey *key,
    const char *passphrase, const char *comment, const char *cipher,
    int overwrite);
/*
 * Replaces the private key file path (ssh-keygen -p) in openssh-key-v1
 * format, atomically and with mode 0600; path.pub is left alone.
 */
int keyfile_rewrite_private(const char *path, const struct sshkey *key,
    const char *passphrase, const char *comment, const char *cipher);

#endif
