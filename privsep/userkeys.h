/* userkeys.h: looking a public key up in a user's authorized_keys. */
#ifndef NANOSSH_USERKEYS_H
#define NANOSSH_USERKEYS_H

struct buf;
struct passwd;
struct sshkey;
struct strlist;

/*
 * Searches the user's authorized_keys files (patterns with %h and %u,
 * relative ones from the home directory) for the key whose public blob
 * is blob.  Returns 0 and the key from the file (caller frees), or
 * SSH_ERR_KEY_NOT_FOUND, or another error.
 */
int userkeys_find(const struct passwd *pw, const struct strlist *files,
    const struct buf *blob, struct sshkey **keyp);

#endif
