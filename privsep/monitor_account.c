/*
 * monitor_account.c: what the monitor holds fixed about the account a
 * connection authenticates as: one user and service (the first request's),
 * the attempt count (max_tries, counted here for every method), the keys
 * already used, and the account's validity (auth/account.h) before any method is answered with success.
 */
#include <sys/types.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/account.h"
#include "auth/pamconv.h"
#include "auth/passwd_pam.h"
#include "common/config.h"
#include "common/log.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/monitor.h"
#include "privsep/monitor_local.h"
#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

/*
 * Every authentication request first: the first fixes the connection's
 * user and service (RFC 4252 5 lets a client change them; OpenSSH does
 * not, nor does the child), so that the count, a partial success and
 * the options of a key all belong to one user.  At max_tries failures
 * the child has disconnected (it counts at least every failure the
 * monitor answered), so a request then breaks the rules.  A request of
 * another method abandons a keyboard-interactive conversation, as the
 * child abandons it too.
 */
int
mon_auth_begin(struct mon *m, const char *user, const char *service,
    int kbdint_answers)
{
	if (m->auth_user == NULL) {
		if ((m->auth_user = strdup(user)) == NULL ||
		    (m->auth_service = strdup(service)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
	} else if (strcmp(m->auth_user, user) != 0)
		return violation(m, "another user in a later request",
		    SSH_ERR_STATE_VIOLATION);
	else if (strcmp(m->auth_service, service) != 0)
		return violation(m, "another service in a later request",
		    SSH_ERR_STATE_VIOLATION);
	if (m->failures >= (unsigned int)m->gs->auth.max_tries)
		return violation(m, "authentication attempts beyond max_tries",
		    SSH_ERR_LIMIT_EXCEEDED);
	if (!kbdint_answers && m->pam != NULL) {
		pamconv_free(m->pam);
		m->pam = NULL;
		m->pam_prompts = 0;
	}
	return 0;
}

/* Whether this key (a certificate's: its key) already passed a step of
 * this connection's sequence: "publickey,publickey" needs two keys. */
int
mon_key_used(struct mon *m, const struct sshkey *key)
{
	struct buf *b;
	size_t i;
	int used = 0;

	if ((b = buf_new()) == NULL || key_to_blob(key, b) != 0) {
		buf_free(b);
		return 1;	/* cannot tell: refuse it */
	}
	for (i = 0; i < m->nused && !used; i++)
		used = buf_len(m->used_keys[i]) == buf_len(b) &&
		    memcmp(buf_ptr(m->used_keys[i]), buf_ptr(b),
		    buf_len(b)) == 0;
	buf_free(b);
	return used;
}

/*
 * PAM's account stack, once, when the last method of a sequence passed:
 * the handle is kept for the session (pam_session_begin).  1 when PAM
 * refuses (logged).  Not running as root the modules cannot read what
 * they need (pam_unix the shadow database): their verdict is logged,
 * not enforced, as for the session.
 */
static int
pam_refuses(struct mon *m, const struct passwd *pw)
{
	enum pw_result res = PW_ERROR;
	struct pwpam *pam = NULL;
	char *msg = NULL;
	int r;

	r = account_pam(pwpam_service(), pw->pw_name, m->p->client_addr,
	    &pam, &res, &msg);
	if (r == 0 && res == PW_OK) {
		free(msg);
		pwpam_end(m->pam_sess);
		m->pam_sess = pam;
		return 0;
	}
	pwpam_end(pam);
	if (getuid() != 0) {
		log_info("PAM account check for %s not enforced (not running "
		    "as root): %s", pw->pw_name, msg != NULL ? msg :
		    r != 0 ? ssh_err(r) : password_result_name(res));
		free(msg);
		return 0;
	}
	/* OpenSSH's line (it ends the connection there). */
	log_info("Access denied for user %s by PAM account configuration",
	    pw->pw_name);
	if (msg != NULL || r != 0)
		log_verbose("PAM account for %s: %s", pw->pw_name,
		    msg != NULL ? msg : ssh_err(r));
	free(msg);
	return 1;
}

/*
 * The account's validity, for every method before it counts: 0 (go on),
 * MON_REFUSED (logged in OpenSSH's words; the caller answers with a
 * failure) or an error.  The checks without PAM come at every step (an
 * expired account gets no partial success either), PAM's account stack
 * at the last.
 */
int
mon_account_check(struct mon *m, const struct passwd *pw,
    const struct cfg_settings *eff, int last)
{
	char why[ACCOUNT_WHY_MAX];
	int r;

	if ((r = account_check(eff, pw, (long)(time(NULL) / 86400), why,
	    sizeof(why))) != 0) {
		log_error("account of %s: %s", pw->pw_name, ssh_err(r));
		return MON_REFUSED;
	}
	if (*why != '\0') {
		log_info("User %s not allowed because %s", pw->pw_name, why);
		return MON_REFUSED;
	}
	if (last && eff->auth.password_backend == CFG_PW_PAM &&
	    pam_refuses(m, pw))
		return MON_REFUSED;
	return 0;
}
