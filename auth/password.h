/*
 * password.h: is this the user's password?  One entry point for the
 * monitor, whatever auth.password_backend says (pam, shadow or file);
 * the back ends live in passwd_pam.h, passwd_shadow.h and passwd_file.h.
 *
 * Only the monitor calls these (it runs as root and decides all
 * authentication); the protocol child relays the password and is told
 * the decision.
 */
#ifndef NANOSSH_PASSWORD_H
#define NANOSSH_PASSWORD_H

#include <stddef.h>

struct cfg_settings;

enum pw_result {
	PW_OK = 0,	/* the password is right and the account may log in */
	PW_FAIL,	/* wrong password, unknown user or empty password */
	PW_EXPIRED,	/* right password, but it must be changed first
			 * (answer with SSH_MSG_USERAUTH_PASSWD_CHANGEREQ) */
	PW_LOCKED,	/* the account is locked, expired or inactive */
	PW_ERROR,	/* the back end could not decide (broken password
			 * file, PAM system error): refuse */
};

/*
 * Checks password (len bytes, as received; it need not be NUL-terminated
 * and is never modified) for user, connecting from rhost (the client's
 * numeric address, PAM_RHOST for pam_access; NULL: unknown), with the
 * back end s names.  Returns 0
 * when *res holds the decision (PW_ERROR included), or a negative SSH_ERR_*
 * (then *res is PW_ERROR).  Anything but PW_OK must be refused.
 *
 * *msg (if msg is non-NULL) is set to NULL or to a text the caller frees:
 * for pam, what the PAM modules said (meant for the user, e.g. "Your
 * account has expired; please contact your system administrator"); for
 * shadow and file, the reason for the log ("account is locked").
 *
 * An unknown user costs the same hashing as a known one with a wrong
 * password (CVE-2018-15473).  An empty password is refused before any
 * lookup, so that refusal says nothing about the user either.
 */
int password_check(const struct cfg_settings *s, const char *user,
    const char *rhost, const char *password, size_t len, enum pw_result *res,
    char **msg);

/* "ok", "fail", "expired", "locked", "error" (for logs and tests). */
const char *password_result_name(enum pw_result res);
/* The name of a back end ("pam", "shadow", "file"), NULL if unknown. */
const char *password_backend_name(int backend);

#endif
