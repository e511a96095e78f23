/*
 * passwd_pam.c: the "pam" password back end (see passwd_pam.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_appl.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "auth/passwd_pam.h"
#include "common/testhook.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

/* A password change asks current, new, retype; a module that retries
 * on a weak password asks new and retype again a few times. */
#define PWPAM_CHANGE_PROMPTS_MAX	8

struct pwpam {
	pam_handle_t *pp_h;
	int pp_status;			/* the last PAM result, for pam_end */
	int pp_expired;			/* authenticated, change required */
	int pp_ok;			/* authenticated and account fine */
	int pp_session;			/* session open, credentials set */
	char *pp_user;
	/* Set only while PAM runs: the password (or, for a change, the
	 * new one), and for a change the current one, which answers the
	 * first prompt. */
	const char *pp_password;
	const char *pp_old;
	unsigned int pp_prompts;
	struct buf *pp_msgs;		/* what the modules said */
};

/* The monitor's own failure delay applies to every back end alike. */
static void
no_delay(int status, unsigned int usec, void *arg)
{
	(void)status;
	(void)usec;
	(void)arg;
}

static void
add_msg(struct pwpam *p, const char *text)
{
	/* Past the cap the rest is dropped: modules cannot grow it. */
	if (text == NULL || buf_putf(p->pp_msgs, "%s\n", text) != 0)
		return;
}

void
pwpam_responses_free(struct pam_response *rs, int n)
{
	int i;

	if (rs == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (rs[i].resp != NULL)
			freezero(rs[i].resp, strlen(rs[i].resp) + 1);
	}
	free(rs);
}

/* Linux-PAM passes msg as an array of pointers. */
static int
conv(int n, const struct pam_message **msg, struct pam_response **resp,
    void *arg)
{
	struct pwpam *p = arg;
	struct pam_response *rs = NULL;
	int i;

	*resp = NULL;
	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	if ((rs = calloc((size_t)n, sizeof(*rs))) == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			if (p->pp_password == NULL ||
			    p->pp_prompts >= PWPAM_CHANGE_PROMPTS_MAX)
				goto fail;
			if ((rs[i].resp = strdup(p->pp_old != NULL &&
			    p->pp_prompts == 0 ? p->pp_old :
			    p->pp_password)) == NULL)
				goto fail;
			p->pp_prompts++;
			break;
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			add_msg(p, msg[i]->msg);
			break;
		default:
			/* a visible prompt (a user name, an OTP) has no
			 * answer in the password method */
			goto fail;
		}
	}
	*resp = rs;
	return PAM_SUCCESS;
 fail:
	pwpam_responses_free(rs, n);
	return PAM_CONV_ERR;
}

void
pwpam_end(struct pwpam *p)
{
	if (p == NULL)
		return;
	/* however the connection ended, the session modules' cleanup runs */
	(void)pwpam_session_close(p);
	if (p->pp_h != NULL)
		pam_end(p->pp_h, p->pp_status);
	free(p->pp_user);
	buf_free(p->pp_msgs);
	free(p);
}

const char *
pwpam_service(void)
{
	const char *s = testhook_getenv(PWPAM_SERVICE_ENV), *p;

	if (s == NULL || *s == '\0' || *s == '.' || strlen(s) > 64)
		return PWPAM_SERVICE;
	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' &&
		    *p != '.')
			return PWPAM_SERVICE;
	}
	return s;
}

int
pwpam_start(const char *service, const char *user, const char *rhost,
    struct pwpam **pp)
{
	struct pwpam *p = NULL;
	struct pam_conv pc;
	union {
		void (*fn)(int, unsigned int, void *);
		const void *item;
	} delay;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pp = NULL;
	if (service == NULL || user == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->pp_user = strdup(user)) == NULL ||
	    (p->pp_msgs = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_set_max_size(p->pp_msgs, PWPAM_MSG_MAX)) != 0)
		goto out;
	/* PAM copies the conversation structure. */
	pc.conv = conv;
	pc.appdata_ptr = p;
	if ((p->pp_status = pam_start(service, user, &pc, &p->pp_h)) !=
	    PAM_SUCCESS) {
		p->pp_h = NULL;
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	delay.fn = no_delay;
	if ((p->pp_status = pam_set_item(p->pp_h, PAM_FAIL_DELAY,
	    delay.item)) != PAM_SUCCESS ||
	    (p->pp_status = pam_set_item(p->pp_h, PAM_TTY, "ssh")) !=
	    PAM_SUCCESS ||
	    (p->pp_status = pam_set_item(p->pp_h, PAM_RUSER, user)) !=
	    PAM_SUCCESS ||
	    (rhost != NULL && (p->pp_status = pam_set_item(p->pp_h,
	    PAM_RHOST, rhost)) != PAM_SUCCESS)) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	*pp = p;
	p = NULL;
	r = 0;
 out:
	pwpam_end(p);
	return r;
}

pam_handle_t *
pwpam_handle(struct pwpam *p)
{
	return p->pp_h;
}

enum pw_result
pwpam_auth_result(int status)
{
	switch (status) {
	case PAM_SUCCESS:
		return PW_OK;
	case PAM_AUTH_ERR:
	case PAM_USER_UNKNOWN:
	case PAM_MAXTRIES:
	case PAM_CRED_INSUFFICIENT:
	case PAM_CONV_ERR:
		return PW_FAIL;
	default:
		return PW_ERROR;
	}
}

enum pw_result
pwpam_acct_result(int status)
{
	switch (status) {
	case PAM_SUCCESS:
		return PW_OK;
	case PAM_NEW_AUTHTOK_REQD:
		return PW_EXPIRED;
	case PAM_ACCT_EXPIRED:
	case PAM_AUTHTOK_EXPIRED:
	case PAM_PERM_DENIED:
	/* Debian's common-account ignores pam_unix's own code and ends in
	 * pam_deny: an expired account comes back as this */
	case PAM_AUTH_ERR:
		return PW_LOCKED;
	case PAM_USER_UNKNOWN:
		return PW_FAIL;
	default:
		return PW_ERROR;
	}
}

/* A NUL-terminated copy of a password as received; NULL if it is empty
 * or has a NUL (PAM would see only its start). */
static int
password_copy(const char *password, size_t len, char **copyp)
{
	*copyp = NULL;
	if (password == NULL || len == 0 || memchr(password, '\0', len) != NULL)
		return 0;
	if ((*copyp = malloc(len + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	memcpy(*copyp, password, len);
	(*copyp)[len] = '\0';
	return 0;
}

/* *msg: what the modules said, else for a refusal PAM's text. */
static int
take_messages(struct pwpam *p, enum pw_result res, char **msg)
{
	size_t n = buf_len(p->pp_msgs);

	if (n > 0) {
		if ((*msg = malloc(n)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		/* the last newline becomes the terminator */
		memcpy(*msg, buf_ptr(p->pp_msgs), n - 1);
		(*msg)[n - 1] = '\0';
	} else if (res != PW_OK &&
	    (*msg = strdup(pam_strerror(p->pp_h, p->pp_status))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	return 0;
}

int
pwpam_authenticate(struct pwpam *p, const char *password, size_t len,
    enum pw_result *res, char **msg)
{
	const void *item = NULL;
	char *copy = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*res = PW_ERROR;
	*msg = NULL;
	if (p == NULL || (password == NULL && len != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	buf_reset(p->pp_msgs);
	p->pp_expired = p->pp_ok = 0;
	if ((r = password_copy(password, len, &copy)) != 0)
		goto out;
	/* Empty passwords are refused whoever asks. */
	if (copy == NULL) {
		*res = PW_FAIL;
		r = 0;
		goto out;
	}
	p->pp_password = copy;
	p->pp_prompts = 0;
	p->pp_status = pam_authenticate(p->pp_h, PAM_DISALLOW_NULL_AUTHTOK);
	p->pp_password = NULL;
	if ((*res = pwpam_auth_result(p->pp_status)) == PW_OK) {
		/* A module may rename the user; we authenticated pp_user. */
		if (pam_get_item(p->pp_h, PAM_USER, &item) != PAM_SUCCESS ||
		    item == NULL || strcmp(item, p->pp_user) != 0) {
			*res = PW_ERROR;
			if ((*msg = strdup("PAM changed the user name")) ==
			    NULL)
				r = SSH_ERR_ALLOC_FAIL;
			else
				r = 0;
			goto out;
		}
		p->pp_status = pam_acct_mgmt(p->pp_h,
		    PAM_DISALLOW_NULL_AUTHTOK);
		*res = pwpam_acct_result(p->pp_status);
		p->pp_expired = *res == PW_EXPIRED;
		p->pp_ok = *res == PW_OK;
	}
	if ((r = take_messages(p, *res, msg)) != 0)
		goto out;
	r = 0;
 out:
	if (r != 0)
		*res = PW_ERROR;
	freezero(copy, len + 1);
	return r;
}

enum pw_result
pwpam_chauthtok_result(int status)
{
	switch (status) {
	case PAM_SUCCESS:
		return PW_OK;
	case PAM_AUTHTOK_ERR:		/* too weak, retyped differently */
	case PAM_AUTHTOK_RECOVERY_ERR:	/* the current one is wrong */
	case PAM_AUTHTOK_LOCK_BUSY:
	case PAM_TRY_AGAIN:
	case PAM_CONV_ERR:
		return PW_FAIL;
	case PAM_PERM_DENIED:
		return PW_LOCKED;
	default:
		return PW_ERROR;
	}
}

int
pwpam_change(struct pwpam *p, const char *old, size_t oldlen,
    const char *new, size_t newlen, enum pw_result *res, char **msg)
{
	char *ocopy = NULL, *ncopy = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*res = PW_ERROR;
	*msg = NULL;
	if (p == NULL || (old == NULL && oldlen != 0) ||
	    (new == NULL && newlen != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	if (!p->pp_expired)
		return SSH_ERR_STATE_VIOLATION;
	buf_reset(p->pp_msgs);
	if ((r = password_copy(old, oldlen, &ocopy)) != 0 ||
	    (r = password_copy(new, newlen, &ncopy)) != 0)
		goto out;
	if (ocopy == NULL || ncopy == NULL) {
		*res = PW_FAIL;
		r = 0;
		goto out;
	}
	p->pp_old = ocopy;
	p->pp_password = ncopy;
	p->pp_prompts = 0;
	p->pp_status = pam_chauthtok(p->pp_h, PAM_CHANGE_EXPIRED_AUTHTOK);
	p->pp_old = p->pp_password = NULL;
	if ((*res = pwpam_chauthtok_result(p->pp_status)) == PW_OK) {
		p->pp_expired = 0;
		p->pp_ok = 1;
	}
	if ((r = take_messages(p, *res, msg)) != 0)
		goto out;
	r = 0;
 out:
	if (r != 0)
		*res = PW_ERROR;
	freezero(ocopy, oldlen + 1);
	freezero(ncopy, newlen + 1);
	return r;
}

int
pwpam_account(struct pwpam *p, enum pw_result *res, char **msg)
{
	int r = SSH_ERR_INTERNAL_ERROR;

	*res = PW_ERROR;
	*msg = NULL;
	if (p == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (p->pp_session)
		return SSH_ERR_STATE_VIOLATION;
	buf_reset(p->pp_msgs);
	p->pp_status = pam_acct_mgmt(p->pp_h, PAM_DISALLOW_NULL_AUTHTOK);
	*res = pwpam_acct_result(p->pp_status);
	p->pp_expired = *res == PW_EXPIRED;
	p->pp_ok = *res == PW_OK;
	if ((r = take_messages(p, *res, msg)) != 0) {
		*res = PW_ERROR;
		p->pp_ok = 0;
		return r;
	}
	return 0;
}

static void
env_free(char **env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; env[i] != NULL; i++)
		freezero(env[i], strlen(env[i]));
	free(env);
}

int
pwpam_session_open(struct pwpam *p, char ***envp, char **msg)
{
	char **env = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*envp = NULL;
	*msg = NULL;
	if (p == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (!p->pp_ok || p->pp_session)
		return SSH_ERR_STATE_VIOLATION;
	buf_reset(p->pp_msgs);
	if ((p->pp_status = pam_setcred(p->pp_h, PAM_ESTABLISH_CRED)) !=
	    PAM_SUCCESS) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if ((p->pp_status = pam_open_session(p->pp_h, 0)) != PAM_SUCCESS) {
		(void)pam_setcred(p->pp_h, PAM_DELETE_CRED);
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	p->pp_session = 1;
	/* PAM hands over a malloc'd NULL-terminated copy. */
	if ((env = pam_getenvlist(p->pp_h)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	*envp = env;
	env = NULL;
	r = 0;
 out:
	env_free(env);
	/* on failure the modules' text says why (take_messages falls back
	 * to pam_strerror) */
	if (take_messages(p, r == 0 ? PW_OK : PW_ERROR, msg) != 0 && r == 0)
		r = SSH_ERR_ALLOC_FAIL;
	if (r != 0 && *envp != NULL) {
		env_free(*envp);
		*envp = NULL;
	}
	return r;
}

int
pwpam_session_close(struct pwpam *p)
{
	int st1, st2;

	if (p == NULL || !p->pp_session)
		return 0;
	p->pp_session = 0;
	st1 = pam_close_session(p->pp_h, 0);
	st2 = pam_setcred(p->pp_h, PAM_DELETE_CRED);
	p->pp_status = st1 != PAM_SUCCESS ? st1 : st2;
	return st1 == PAM_SUCCESS && st2 == PAM_SUCCESS ? 0 :
	    SSH_ERR_SYSTEM_ERROR;
}

int
pwpam_check(const char *service, const char *user, const char *rhost,
    const char *password, size_t len, enum pw_result *res, char **msg)
{
	struct pwpam *p = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*res = PW_ERROR;
	*msg = NULL;
	if ((r = pwpam_start(service, user, rhost, &p)) != 0)
		return r;
	r = pwpam_authenticate(p, password, len, res, msg);
	pwpam_end(p);
	return r;
}
