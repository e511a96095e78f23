/* userkeys.h: looking a public key up in a user's authorized_keys. */
#ifndef NANOSSH_USERKEYS_H
#define NANOSSH_USERKEYS_H

#include <stdint.h>

struct authkeys_entry;
struct buf;
struct passwd;
struct sshcert;
struct strlist;

/*
 * Searches the user's authorized_keys files (patterns with %h and %u,
 * relative ones from the home directory) for a line with the key whose
 * public blob is blob and whose from= and expiry-time= allow
 * client_addr now: among the plain key lines, or with ca among the
 * cert-authority lines (blob is then a certificate's CA key); then, when
 * cmd is not "" (auth.authorized_keys_command), in what cmd prints when
 * run as cmduser (%u %h of pw, %t %f %k of blob expanded).  Returns 0 and the line's key and options (caller
 * frees with authkeys_entry_free), SSH_ERR_KEY_NOT_FOUND, or another
 * error.
 */
int userkeys_find(const struct passwd *pw, const struct strlist *files,
    const char *cmd, const char *cmduser, const struct buf *blob, int ca,
    const char *client_addr, struct authkeys_entry **entryp);

/*
 * auth.authorized_principals_file for a certificate c signed by a CA of
 * auth.trusted_user_ca_keys: the file (pattern with %h and %u), read as
 * the user like authorized_keys, has lines "[options ]principal".  Returns
 * 0 with the first line naming one of c's principals whose from= and
 * expiry-time= allow client_addr now (an entry without a key: its options
 * apply to the login), SSH_ERR_KEY_NOT_FOUND, or another error.  file ""
 * is skipped; then, when cmd is not "" (auth.authorized_principals_command),
 * the same lines are looked for in what it prints when run as cmduser
 * (privsep/usercmd.h; %t %f %k of the certified key).
 */
int userkeys_principals(const struct passwd *pw, const char *file,
    const char *cmd, const char *cmduser, const struct sshcert *c,
    const char *client_addr, struct authkeys_entry **entryp);

/*
 * The login deadline (monotime_ms(); 0: none) for userkeys_find: the
 * helper that reads the user's files runs as the user, who can stop it
 * or hang its reads; one still running then is killed and the lookup
 * fails with SSH_ERR_CONN_TIMEOUT.  Without a deadline it gets two
 * minutes.  The monitor sets it with the login grace time.
 */
void userkeys_set_deadline(uint64_t deadline);

#endif
