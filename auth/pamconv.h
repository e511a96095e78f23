/*
 * pamconv.h: PAM conversations of any number of rounds, for
 * keyboard-interactive (RFC 4256): a helper process runs pam_authenticate
 * and pam_acct_mgmt and relays each round of prompts over a socketpair,
 * so the monitor's loop never blocks inside PAM (the design is in
 * passwd_pam.h).
 *
 * The monitor polls pamconv_fd; when it is readable, pamconv_next gives
 * either a round of prompts (send them to the client as
 * SSH_MSG_USERAUTH_INFO_REQUEST, then pamconv_answer with the
 * INFO_RESPONSE) or the result.  The helper ends after the result; the
 * session (pam_setcred, pam_open_session) runs on a handle of the
 * monitor's own, see passwd_pam.h.
 *
 * Helper ↔ parent messages (SOCK_SEQPACKET, one per packet, built and
 * parsed with buf; each must be consumed exactly):
 *   PROMPTS  u8 1, string info, u32 n, n × (string prompt, bool echo)
 *   RESULT   u8 2, u32 pw_result, string message
 *   ANSWERS  u8 3, u32 n, n × string
 */
#ifndef NANOSSH_PAMCONV_H
#define NANOSSH_PAMCONV_H

#include <stddef.h>

#include "auth/password.h"

#define PAMCONV_PROMPTS_MAX	16	/* per round */
#define PAMCONV_ROUNDS_MAX	32
#define PAMCONV_TEXT_MAX	1024	/* a prompt, an answer */
#define PAMCONV_INFO_MAX	4096	/* info text of one round */
#define PAMCONV_MSG_MAX		(64 * 1024)

struct pamconv;

/* One round of prompts.  info: the modules' TEXT_INFO/ERROR_MSG lines
 * since the last round ("" if none), for the request's instruction. */
struct pamconv_round {
	char *info;
	size_t n;
	char *prompt[PAMCONV_PROMPTS_MAX];
	int echo[PAMCONV_PROMPTS_MAX];
};

/* Forks the helper (it keeps our privileges: pam_unix reads the shadow
 * database) for user with PAM service (PWPAM_SERVICE in the daemon). */
int pamconv_start(const char *service, const char *user, const char *rhost,
    struct pamconv **pcp);
/* The socket to poll for reading. */
int pamconv_fd(const struct pamconv *pc);
/*
 * Reads the helper's next message (blocks until it comes).  Either
 * *donep is 0 and *round holds prompts (clear it with
 * pamconv_round_clear) that must be answered before the next call, or
 * *donep is 1 and *res and *msg (caller frees, may be NULL) are the
 * outcome, as pwpam_authenticate gives them.  A helper that dies, says
 * anything malformed gives an error (refuse the user); a call while a
 * round awaits its answers or after the result gives
 * SSH_ERR_STATE_VIOLATION and touches none of the outputs.
 */
int pamconv_next(struct pamconv *pc, struct pamconv_round *round,
    int *donep, enum pw_result *res, char **msg);
/* Answers the pending round: n must be its number of prompts; answers
 * are len bytes each (no NUL allowed), at most PAMCONV_TEXT_MAX. */
int pamconv_answer(struct pamconv *pc, const char *const *answers,
    const size_t *lens, size_t n);
void pamconv_round_clear(struct pamconv_round *round);
/* Kills the helper if still running, reaps it and frees.  NULL is fine. */
void pamconv_free(struct pamconv *pc);

#endif
