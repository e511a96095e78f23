/*
 * monitor_password.c: the password methods in the monitor: password and
 * its change request (RFC 4252 8), and keyboard-interactive, by PAM's
 * conversation in a helper or one password round.
 */
#include <sys/types.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/pamconv.h"
#include "auth/passwd_pam.h"
#include "auth/password.h"
#include "common/config.h"
#include "common/log.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/monitor.h"
#include "privsep/monitor_local.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

/* RFC 4252 8: the password was right but has expired.  The prompt is
 * what PAM said ("You are required to change your password
 * immediately"), else a fixed one. */
static int
changereq_reply(struct mon *m, const char *prompt)
{
	struct ipc_auth_reply a;

	a.result = IPC_AUTH_CHANGEREQ;
	a.text = prompt != NULL && *prompt != '\0' ? prompt :
	    "Your password has expired; choose a new one.";
	return ipc_send_auth_reply(m->ipc, &a, -1);
}

/* A password refused: OpenSSH's line (fail2ban reads it), counted,
 * answered after the minimum delay.  Takes eff (NULL allowed). */
static int
password_failed(struct mon *m, const struct passwd *pwp, const char *user,
    struct cfg_settings *eff)
{
	log_info("Failed password for %s%s from %s port %u ssh2",
	    pwp == NULL ? "invalid user " : "", user, m->p->client_addr,
	    m->p->client_port);
	cfg_settings_free(eff);
	return mon_auth_fail_reply(m);
}

/* "Accepted password for ..." (NULL when out of memory). */
static char *
accepted_line(struct mon *m, const char *method, const char *user)
{
	char *line;

	if (asprintf(&line, "Accepted %s for %s from %s port %u ssh2",
	    method, user, m->p->client_addr, m->p->client_port) == -1)
		return NULL;
	return line;
}

/* The method passed its own check: on to the account's (takes eff). */
static int
password_passed(struct mon *m, const struct passwd *pwp, const char *user,
    const char *method, const char *logged_as, struct cfg_settings *eff)
{
	char *accepted;
	int r;

	if ((accepted = accepted_line(m, logged_as, user)) == NULL) {
		cfg_settings_free(eff);
		return SSH_ERR_ALLOC_FAIL;
	}
	r = mon_method_passed(m, pwp, method, accepted, eff, NULL, NULL);
	free(accepted);
	return r;
}

/*
 * A password, from the password method or a keyboard-interactive answer.
 * The back end hashes for unknown and refused users too, so that neither
 * shows in the timing; every failure waits out MON_AUTH_FAIL_MIN_MS.
 */
static int
check_password(struct mon *m, const char *user, const char *method,
    const uint8_t *pw, size_t len)
{
	struct passwd *pwp;
	struct cfg_settings *eff = NULL;
	enum pw_result res = PW_ERROR;
	const char *why = NULL;
	char *msg = NULL;
	int r;

	if ((pwp = getpwnam(user)) == NULL)
		log_info("Invalid user %s from %s port %u", user,
		    m->p->client_addr, m->p->client_port);
	if ((r = mon_user_policy(m, pwp, method, &eff, &why)) != 0)
		return r;
	r = password_check(eff != NULL ? eff : m->gs, user, m->p->client_addr,
	    (const char *)pw, len, &res, &msg);
	if (r == 0 && res == PW_OK && pwp != NULL && why == NULL) {
		free(msg);
		r = password_passed(m, pwp, user, method, "password", eff);
		return r != MON_REFUSED ? r : password_failed(m, pwp, user,
		    NULL);
	}
	if (r == 0 && res == PW_EXPIRED && pwp != NULL && why == NULL &&
	    strcmp(method, "password") == 0 && eff != NULL &&
	    eff->auth.password_backend == CFG_PW_PAM) {
		log_info("Password of %s from %s port %u has expired: "
		    "change requested", user, m->p->client_addr,
		    m->p->client_port);
		cfg_settings_free(eff);
		r = changereq_reply(m, msg);
		free(msg);
		return r;
	}
	if (why != NULL)
		log_info("User %s from %s not allowed because %s", user,
		    m->p->client_addr, why);
	else if (res != PW_FAIL)
		log_verbose("password for %s: %s%s%s", user,
		    password_result_name(res), msg != NULL ? ": " : "",
		    msg != NULL ? msg : "");
	free(msg);
	return password_failed(m, pwp, user, eff);
}

/* AUTH_PASSWORD: the password method (RFC 4252 8). */
int
mon_auth_password(struct mon *m, struct buf *req)
{
	struct ipc_auth_password q;
	int r;

	if ((r = ipc_dec_auth_password(req, &q)) != 0)
		r = violation(m, "malformed AUTH_PASSWORD", r);
	else if ((r = mon_auth_begin(m, q.user, q.service, 0)) != 0)
		;
	else if (strcmp(q.service, "ssh-connection") != 0)
		r = violation(m, "AUTH_PASSWORD out of place", r);
	else
		r = check_password(m, q.user, "password", q.password.p,
		    q.password.len);
	ipc_free_auth_password(&q);
	return r;
}

/*
 * The client's answer to a change request.  Only PAM changes passwords,
 * and only an expired one: the current password is checked again (the
 * request carries it), so nothing from the earlier attempt is trusted.
 * A new password the modules refuse is asked for again, counted as a
 * failure so that max_tries bounds the loop.
 */
static int
change_password(struct mon *m, const char *user, const uint8_t *old,
    size_t oldlen, const uint8_t *new, size_t newlen)
{
	struct passwd *pwp;
	struct cfg_settings *eff = NULL;
	struct pwpam *pam = NULL;
	enum pw_result res = PW_ERROR;
	const char *why = NULL;
	char *msg = NULL;
	int r;

	pwp = getpwnam(user);
	if ((r = mon_user_policy(m, pwp, "password", &eff, &why)) != 0)
		return r;
	if (pwp == NULL || why != NULL || eff == NULL ||
	    eff->auth.password_backend != CFG_PW_PAM ||
	    memchr(old, '\0', oldlen) != NULL ||
	    memchr(new, '\0', newlen) != NULL)
		goto fail;
	if ((r = pwpam_start(pwpam_service(), user, m->p->client_addr,
	    &pam)) != 0 ||
	    (r = pwpam_authenticate(pam, (const char *)old, oldlen, &res,
	    &msg)) != 0 || res != PW_EXPIRED)
		goto fail;
	free(msg);
	msg = NULL;
	if ((r = pwpam_change(pam, (const char *)old, oldlen,
	    (const char *)new, newlen, &res, &msg)) != 0)
		goto fail;
	pwpam_end(pam);
	if (res == PW_OK) {
		log_info("Password changed for %s from %s port %u", user,
		    m->p->client_addr, m->p->client_port);
		free(msg);
		r = password_passed(m, pwp, user, "password", "password", eff);
		return r != MON_REFUSED ? r : password_failed(m, pwp, user,
		    NULL);
	}
	log_info("Password change for %s from %s port %u refused: %s", user,
	    m->p->client_addr, m->p->client_port, msg != NULL ? msg :
	    password_result_name(res));
	cfg_settings_free(eff);
	/* Asked again, max_tries times at most; then a failure, which the
	 * child counts (a change request it does not). */
	if (res == PW_FAIL &&
	    ++m->changereqs < (unsigned int)m->gs->auth.max_tries) {
		r = changereq_reply(m, msg);
		free(msg);
		return r;
	}
	free(msg);
	return mon_auth_fail_reply(m);
 fail:
	pwpam_end(pam);
	if (r != 0)
		log_verbose("password change for %s: %s", user, ssh_err(r));
	else if (res == PW_OK)
		log_info("Password change for %s refused: the password has "
		    "not expired", user);
	free(msg);
	return password_failed(m, pwp, user, eff);
}

/* AUTH_PASSWORD_CHANGE: a change request (RFC 4252 8). */
int
mon_auth_password_change(struct mon *m, struct buf *req)
{
	struct ipc_auth_password_change q;
	int r;

	if ((r = ipc_dec_auth_password_change(req, &q)) != 0)
		r = violation(m, "malformed AUTH_PASSWORD_CHANGE", r);
	else if ((r = mon_auth_begin(m, q.user, q.service, 0)) != 0)
		;
	else if (strcmp(q.service, "ssh-connection") != 0)
		r = violation(m, "AUTH_PASSWORD_CHANGE out of place", r);
	else
		r = change_password(m, q.user, q.password.p, q.password.len,
		    q.newpassword.p, q.newpassword.len);
	ipc_free_auth_password_change(&q);
	return r;
}

/* The PAM conversation ended: the result decides like a password. */
static int
pam_finished(struct mon *m, enum pw_result res, char *msg)
{
	struct passwd *pwp = getpwnam(m->pam_user);
	struct cfg_settings *eff = NULL;
	const char *why = NULL;
	int r = 0;

	pamconv_free(m->pam);
	m->pam = NULL;
	r = mon_user_policy(m, pwp, "keyboard-interactive", &eff, &why);
	if (r == 0 && res == PW_OK && pwp != NULL && why == NULL) {
		free(msg);
		msg = NULL;
		r = password_passed(m, pwp, m->pam_user, "keyboard-interactive",
		    "keyboard-interactive/pam", eff);
		eff = NULL;
		if (r != MON_REFUSED)
			return r;
		r = 0;
	} else if (why != NULL)
		log_info("User %s from %s not allowed because %s",
		    m->pam_user, m->p->client_addr, why);
	else if (msg != NULL)
		log_verbose("PAM for %s: %s", m->pam_user, msg);
	log_info("Failed keyboard-interactive/pam for %s%s from %s port %u "
	    "ssh2", pwp == NULL ? "invalid user " : "", m->pam_user,
	    m->p->client_addr, m->p->client_port);
	free(msg);
	cfg_settings_free(eff);
	return r != 0 ? r : mon_auth_fail_reply(m);
}

/* The PAM helper has a round of prompts or the result. */
int
mon_handle_pam(struct mon *m)
{
	struct pamconv_round round;
	struct ipc_kbdint_prompts p;
	struct ipc_prompt prompts[PAMCONV_PROMPTS_MAX];
	enum pw_result res = PW_ERROR;
	char *msg = NULL;
	size_t i;
	int done = 0, r;

	memset(&round, 0, sizeof(round));
	if ((r = pamconv_next(m->pam, &round, &done, &res, &msg)) != 0) {
		log_error("PAM conversation for %s: %s", m->pam_user,
		    ssh_err(r));
		return pam_finished(m, PW_ERROR, NULL);
	}
	if (done)
		return pam_finished(m, res, msg);
	/* A round with text only needs no answers from the client. */
	if (round.n == 0) {
		pamconv_round_clear(&round);
		return pamconv_answer(m->pam, NULL, NULL, 0);
	}
	p.name = "";
	p.instruction = round.info != NULL ? round.info : "";
	for (i = 0; i < round.n && i < PAMCONV_PROMPTS_MAX; i++) {
		prompts[i].text = round.prompt[i];
		prompts[i].echo = round.echo[i] != 0;
	}
	p.prompts.n = (uint32_t)i;
	p.prompts.v = prompts;
	r = ipc_send_kbdint_prompts(m->ipc, &p, -1);
	m->pam_prompts = round.n;
	pamconv_round_clear(&round);
	return r;
}

/*
 * AUTH_KBDINT: keyboard-interactive.  With PAM, the conversation of any
 * number of rounds runs in a helper (auth/pamconv.h) that the monitor's
 * loop polls; otherwise it is one "Password:" round checked by the
 * password back end.
 */
int
mon_auth_kbdint(struct mon *m, struct buf *req)
{
	struct ipc_auth_kbdint q;
	struct ipc_kbdint_prompts p;
	struct ipc_prompt one = { "Password: ", 0 };
	const char *user, *answers[PAMCONV_PROMPTS_MAX];
	size_t lens[PAMCONV_PROMPTS_MAX];
	int pam = m->gs->auth.password_backend == CFG_PW_PAM;
	uint32_t n, i;
	int r;

	if ((r = ipc_dec_auth_kbdint(req, &q)) != 0 ||
	    q.answers.n > PAMCONV_PROMPTS_MAX || (!pam && q.answers.n > 1)) {
		r = violation(m, "malformed AUTH_KBDINT", r);
		goto out;
	}
	if ((r = mon_auth_begin(m, q.user, q.service, q.answers.n > 0)) != 0)
		goto out;
	if (strcmp(q.service, "ssh-connection") != 0) {
		r = violation(m, "AUTH_KBDINT out of place", r);
		goto out;
	}
	user = q.user;
	n = q.answers.n;
	for (i = 0; i < n; i++) {
		answers[i] = (const char *)q.answers.v[i].p;
		lens[i] = q.answers.v[i].len;
	}
	if (pam && n > 0) {
		/* Answers must match the round the helper asked for. */
		if (m->pam == NULL || n != m->pam_prompts ||
		    strcmp(user, m->pam_user) != 0) {
			r = violation(m, "AUTH_KBDINT answers out of place",
			    SSH_ERR_STATE_VIOLATION);
			goto out;
		}
		m->pam_prompts = 0;
		r = pamconv_answer(m->pam, answers, lens, n);
		goto out;
	}
	if (pam) {
		pamconv_free(m->pam);
		free(m->pam_user);
		m->pam = NULL;
		if ((m->pam_user = strdup(user)) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		if ((r = pamconv_start(pwpam_service(), user, m->p->client_addr,
		    &m->pam)) != 0) {
			log_error("PAM for %s: %s", user, ssh_err(r));
			r = mon_auth_fail_reply(m);
		}
		goto out;
	}
	if (n == 1) {
		r = check_password(m, user, "keyboard-interactive",
		    (const uint8_t *)answers[0], lens[0]);
		goto out;
	}
	p.name = "";
	p.instruction = "";
	p.prompts.n = 1;
	p.prompts.v = &one;
	r = ipc_send_kbdint_prompts(m->ipc, &p, -1);
 out:
	ipc_free_auth_kbdint(&q);
	return r;
}
