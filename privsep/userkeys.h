/* userkeys.h: looking a public key up in a user's authorized_keys. */
#ifndef NANOSSH_USERKEYS_H
#define NANOSSH_USERKEYS_H

struct authkeys_entry;
struct buf;
struct passwd;
struct strlist;

/*
 * Searches the user's authorized_keys files (patterns with %h and %u,
 * relative ones from the home directory) for a line with the key whose
 * public blob is blob and whose from= and expiry-time= allow
 * client_addr now: among the plain key lines, or with ca among the
 * cert-authority lines (blob is then a certificate's CA key).  Returns 0 and the line's key and options (caller
 * frees with authkeys_entry_free), SSH_ERR_KEY_NOT_FOUND, or another
 * error.
 */
int userkeys_find(const struct passwd *pw, const struct strlist *files,
    const struct buf *blob, int ca, const char *client_addr,
    struct authkeys_entry **entryp);

#endif
