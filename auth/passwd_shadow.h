/*
 * passwd_shadow.h: the "shadow" password back end: the user's hash from
 * getspnam (/etc/shadow), verified with crypt_r, with shadow(5)'s
 * account rules applied the way pam_unix applies them.
 */
#ifndef NANOSSH_PASSWD_SHADOW_H
#define NANOSSH_PASSWD_SHADOW_H

#include <stddef.h>

#include "auth/password.h"

/*
 * Verifies password (len bytes) for user on day today (days since
 * 1970-01-01 UTC, i.e. time(NULL) / 86400).  Returns 0 with *res:
 *   PW_OK       right password, account usable;
 *   PW_FAIL     wrong or empty password, unknown user, no password set
 *               (an empty hash is never accepted);
 *   PW_EXPIRED  right password, but it must be changed: sp_lstchg is 0,
 *               or more than sp_max days have passed since it;
 *   PW_LOCKED   the hash is locked ('!' or '*' prefix) or unusable, the
 *               account expired (sp_expire), or it is inactive (password
 *               expired for more than sp_inact days);
 * with the reason in *msg for the log (caller frees; NULL for PW_OK and
 * PW_FAIL).  Returns a negative SSH_ERR_* on failure (then *res is
 * PW_ERROR), e.g. when the shadow database cannot be read.
 *
 * Every outcome costs one crypt: users without a usable hash (unknown,
 * locked, empty) are verified against a dummy hash of the method most
 * users in the shadow database have (read once per process), so the time
 * of a refusal says nothing about which case it was.
 */
int pwshadow_check(const char *user, const char *password, size_t len,
    long today, enum pw_result *res, char **msg);

/*
 * The account itself, whatever the method (a key as much as a password):
 * *whyp is "account is locked" (the hash starts with '!': passwd -l,
 * usermod -L, or useradd's "!" for no password), "account has expired"
 * (sp_expire, chage -E), or NULL.  A user without a shadow entry has no
 * objection.  0, or a negative SSH_ERR_* when the database cannot be
 * read.
 */
int pwshadow_account(const char *user, long today, const char **whyp);

#endif
