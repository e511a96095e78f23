/*
 * account.h: may this account log in now, whatever the method?  The
 * monitor asks before it answers any method with success (a key or a
 * certificate as much as a password), so that nothing, not even a
 * forwarding, starts for an account the administrator closed.
 *
 *   - every back end: the login shell exists and is executable, as
 *     OpenSSH's allowed_user() requires (an empty one is /bin/sh);
 *   - auth.password_backend "shadow" or "file": shadow(5)'s expiry date
 *     (chage -E) and a locked hash ('!': passwd -l), as OpenSSH does
 *     without PAM (with "pam" the account stack decides both);
 *   - "pam": pam_acct_mgmt on a handle of its own, with PAM_RHOST (the
 *     client's address, for pam_access rules by origin) and PAM_RUSER.
 */
#ifndef NANOSSH_ACCOUNT_H
#define NANOSSH_ACCOUNT_H

#include <stddef.h>

#include "auth/password.h"

struct cfg_settings;
struct passwd;
struct pwpam;

#define ACCOUNT_WHY_MAX		256

/*
 * The checks that need no PAM, with s's back end, on day today (days
 * since 1970-01-01 UTC).  Returns 0 with why "" (the account may log in)
 * or the clause for OpenSSH's "User %s not allowed because %s" ("account
 * has expired", "account is locked", "shell /x does not exist", "shell
 * /x is not executable"); or a negative SSH_ERR_* when the shadow
 * database cannot be read (refuse).  Run as another user than root, the
 * shadow database is not readable and only the shell is checked.
 */
int account_check(const struct cfg_settings *s, const struct passwd *pw,
    long today, char *why, size_t whylen);

/*
 * pam_acct_mgmt for user with service, from rhost: a new handle (*pamp,
 * the caller ends it with pwpam_end; kept, it opens the session with
 * pwpam_session_open when *res is PW_OK).  *res and *msg as
 * pwpam_account gives them.
 */
int account_pam(const char *service, const char *user, const char *rhost,
    struct pwpam **pamp, enum pw_result *res, char **msg);

/*
 * 1 when shell (NULL or empty: /bin/sh) is a login shell: listed in
 * /etc/shells (getusershell(3)) and not a nologin or false, which some
 * systems list.  Accounts without one get no shell, command or file
 * service (the monitor's SPAWN_EXEC), unless sftp.force makes them
 * SFTP-only.
 */
int account_login_shell(const char *shell);

#endif
