/*
 * passwd_pam.h: the "pam" password back end: PAM service "nanosshd"
 * (etc/pam.d/nanosshd, installed to $sysconfdir/pam.d), pam_authenticate
 * then pam_acct_mgmt, with a conversation that answers the password
 * prompt and collects what the modules say.
 *
 * The handle is kept in a struct pwpam so that the session is opened on
 * the same handle after a successful check (pwpam_session_open), as PAM
 * requires.
 *
 * Keyboard-interactive (RFC 4256).  The password method has its one
 * answer up front, so the conversation above answers from memory.
 * Keyboard-interactive does not: a PAM stack may ask any number of rounds
 * (password, then an OTP, then "new password" twice), and
 * pam_authenticate only returns at the end, blocking inside the
 * conversation callback while the client thinks.  The monitor loop must
 * not block (it also watches the grace time, the child and signals), so
 * PAM runs somewhere else.  The design (pamconv.h builds all but the
 * point marked "to do"):
 *
 *   - the monitor forks a "pamconv" helper (still root: pam_unix reads
 *     the shadow database) when keyboard-interactive starts, connected by
 *     a SOCK_SEQPACKET socketpair with its own three messages, buf
 *     encoded: helper → monitor PROMPTS {info, n × (prompt, echo)} and
 *     RESULT {pw_result, message}; monitor → helper ANSWERS {n strings}.
 *     The helper closes every other fd first, so neither PAM modules nor
 *     what they run see the client's socket.
 *   - the helper's conversation turns each PAM call with prompts into one
 *     PROMPTS round (the TEXT_INFO/ERROR_MSG lines since the last round
 *     become its info, for the request's instruction; lines after the
 *     last round go into RESULT's message) and blocks reading ANSWERS;
 *     the monitor polls the socket, relays PROMPTS to the child as an
 *     SSH_MSG_USERAUTH_INFO_REQUEST and the INFO_RESPONSE back as
 *     ANSWERS, with exactly as many answers as prompts.
 *   - limits, since the client controls the pace: at most 16 prompts per
 *     round, 1 KiB per prompt or answer, 32 rounds; the monitor's
 *     login_grace_time deadline covers the helper, which it kills
 *     (SIGKILL, then waitpid) on timeout or when the connection ends.
 *   - (to do) the session: pam_setcred and pam_open_session must run in
 *     the process the user's shell descends from (pam_limits sets that
 *     process's rlimits, pam_loginuid writes /proc/self/loginuid), i.e.
 *     the monitor, not the helper.  So after a PW_OK RESULT the monitor
 *     runs them on its own handle (pwpam_start for the same user; the
 *     password method already has one): pam_acct_mgmt again, then
 *     pam_setcred(PAM_ESTABLISH_CRED) and pam_open_session, and
 *     pam_close_session when the session ends; the user's environment
 *     is that handle's pam_getenvlist() (pam_env and the like set it in
 *     setcred/open_session, so nothing but the result comes back from
 *     the helper).
 *     The price, the same as OpenSSH's without threads: a module that
 *     keeps what it learned during authentication in the handle (e.g.
 *     Kerberos tickets for pam_setcred) does not see it in the monitor.
 *     A thread instead of a process would share the handle, but puts a
 *     blocking PAM module (its signals and fork()s) inside the monitor;
 *     a process is simpler to bound and to kill.
 *   - with the file or shadow back end the monitor answers
 *     keyboard-interactive itself: one round with one "Password: " prompt
 *     (echo off), verified with password_check.
 */
#ifndef NANOSSH_PASSWD_PAM_H
#define NANOSSH_PASSWD_PAM_H

#include <stddef.h>

#include <security/pam_appl.h>

#include "auth/password.h"

#define PWPAM_SERVICE		"nanosshd"
/* The environment variable that names another service (tests only:
 * common/testhook.h). */
#define PWPAM_SERVICE_ENV	"NANOSSHD_PAM_SERVICE"
/* What the modules may say in one check; more is cut. */
#define PWPAM_MSG_MAX		4096

struct pwpam;

/*
 * The PAM service the daemon uses: PWPAM_SERVICE, or the name in
 * $NANOSSHD_PAM_SERVICE when that is a plain name (letters, digits, "-",
 * "_", "."; not starting with "."), so that tests can install a stack of
 * their own without touching /etc/pam.d/nanosshd, which other tests and
 * the system use.  Like NANOSSHD_SESSION, only whoever starts the daemon
 * sets it.
 */
const char *pwpam_service(void);

/*
 * pam_start for user with service (PWPAM_SERVICE in the daemon; tests use
 * their own), setting PAM_RHOST to rhost (NULL: not set), PAM_RUSER to
 * user (the name the client asked for, as pam_rhosts reads it), PAM_TTY to
 * "ssh" and a PAM_FAIL_DELAY callback that does not sleep: the monitor
 * delays every failure itself, the same for every back end.
 */
int pwpam_start(const char *service, const char *user, const char *rhost,
    struct pwpam **pp);
/*
 * pam_authenticate, then (if that succeeded) pam_acct_mgmt, answering
 * each PAM_PROMPT_ECHO_OFF with password (len bytes; one with a NUL is
 * refused without asking PAM) and refusing PAM_PROMPT_ECHO_ON, which the
 * password method cannot answer.  Returns 0 with *res:
 *   PW_OK       both succeeded;
 *   PW_FAIL     authentication failed (wrong password, unknown user ...);
 *   PW_EXPIRED  pam_acct_mgmt said PAM_NEW_AUTHTOK_REQD;
 *   PW_LOCKED   pam_acct_mgmt refused the account: PAM_ACCT_EXPIRED,
 *               PAM_AUTHTOK_EXPIRED, PAM_PERM_DENIED or PAM_AUTH_ERR;
 *   PW_ERROR    anything else (a module error, the user name changed);
 * and *msg (caller frees) the modules' TEXT_INFO/ERROR_MSG lines, or for
 * a refusal without any, pam_strerror's text; NULL for a silent PW_OK.
 */
int pwpam_authenticate(struct pwpam *p, const char *password, size_t len,
    enum pw_result *res, char **msg);
/*
 * After pwpam_authenticate gave PW_EXPIRED (only then; else
 * SSH_ERR_STATE_VIOLATION): pam_chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK),
 * for SSH_MSG_USERAUTH_REQUEST "password" with the change flag (RFC 4252
 * section 8), which carries both passwords.  The first PAM_PROMPT_ECHO_OFF
 * ("Current password") is answered with old, every later one ("New
 * password", "Retype new password") with new; Debian's common-password
 * asks exactly these.  Returns 0 with *res:
 *   PW_OK       changed; the user is authenticated;
 *   PW_FAIL     refused: the current password is wrong, the new one too
 *               weak (*msg has the module's reason, e.g. "BAD PASSWORD:
 *               ..."), or either is empty: send PASSWD_CHANGEREQ again or
 *               fail;
 *   PW_LOCKED   PAM_PERM_DENIED;
 *   PW_ERROR    anything else.
 */
int pwpam_change(struct pwpam *p, const char *old, size_t oldlen,
    const char *new, size_t newlen, enum pw_result *res, char **msg);
/*
 * pam_acct_mgmt alone, for a user authenticated elsewhere (the
 * keyboard-interactive helper): *res and *msg as pwpam_authenticate's
 * second step.  A PW_OK allows pwpam_session_open.
 */
int pwpam_account(struct pwpam *p, enum pw_result *res, char **msg);
/*
 * After PW_OK (authenticate, change or account): pam_setcred
 * (PAM_ESTABLISH_CRED) then pam_open_session.  Call it in the process the
 * user's shell descends from, before dropping privileges (pam_limits sets
 * this process's limits, pam_loginuid its loginuid).  *envp: the handle's
 * environment, a NULL-terminated list of "NAME=value" (caller frees each
 * string and the array), to add to the user's; *msg: what the modules
 * said (pam_motd's message of the day), NULL if nothing; on failure why.
 * Returns 0, SSH_ERR_STATE_VIOLATION (not authenticated, already open),
 * SSH_ERR_SYSTEM_ERROR (a module refused: refuse the session).
 */
int pwpam_session_open(struct pwpam *p, char ***envp, char **msg);
/* pam_close_session and pam_setcred(PAM_DELETE_CRED) if a session is
 * open (pwpam_end does it too); 0 or SSH_ERR_SYSTEM_ERROR. */
int pwpam_session_close(struct pwpam *p);
/* The handle, for anything else PAM offers. */
pam_handle_t *pwpam_handle(struct pwpam *p);
/* pam_end with the last PAM status and free.  NULL is allowed. */
void pwpam_end(struct pwpam *p);

/* The PW_* for a pam_authenticate / pam_acct_mgmt status, as above. */
enum pw_result pwpam_auth_result(int status);
enum pw_result pwpam_acct_result(int status);
/* ... and for pam_chauthtok: PW_FAIL for a refused new or wrong current
 * password (try again), PW_LOCKED, PW_ERROR. */
enum pw_result pwpam_chauthtok_result(int status);

/* pwpam_start, pwpam_authenticate and pwpam_end in one call. */
int pwpam_check(const char *service, const char *user, const char *rhost,
    const char *password, size_t len, enum pw_result *res, char **msg);

/* Frees the answers of a PAM conversation, wiping each (they may hold
 * passwords).  NULL is allowed. */
struct pam_response;
void pwpam_responses_free(struct pam_response *rs, int n);

#endif
