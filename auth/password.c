/*
 * password.c: auth.password_backend → the back end's check, one table.
 */
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

#include "auth/passwd_file.h"
#include "auth/passwd_pam.h"
#include "auth/passwd_shadow.h"
#include "auth/password.h"
#include "common/config.h"
#include "protocol/ssherr.h"

static int
check_pam(const struct cfg_settings *s, const char *user, const char *rhost,
    const char *password, size_t len, enum pw_result *res, char **msg)
{
	(void)s;
	return pwpam_check(pwpam_service(), user, rhost, password, len, res,
	    msg);
}

static int
check_shadow(const struct cfg_settings *s, const char *user,
    const char *rhost, const char *password, size_t len, enum pw_result *res,
    char **msg)
{
	(void)s;
	(void)rhost;
	return pwshadow_check(user, password, len, time(NULL) / 86400,
	    res, msg);
}

static int
check_file(const struct cfg_settings *s, const char *user, const char *rhost,
    const char *password, size_t len, enum pw_result *res, char **msg)
{
	(void)rhost;
	return pwfile_check(s->auth.password_file, user, password, len,
	    res, msg);
}

static const struct pw_backend {
	int id;			/* enum cfg_password_backend */
	const char *name;
	int (*check)(const struct cfg_settings *, const char *, const char *,
	    const char *, size_t, enum pw_result *, char **);
} backends[] = {
	{ CFG_PW_PAM, "pam", check_pam },
	{ CFG_PW_SHADOW, "shadow", check_shadow },
	{ CFG_PW_FILE, "file", check_file },
};

static const struct pw_backend *
backend_find(int id)
{
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		if (backends[i].id == id)
			return &backends[i];
	}
	return NULL;
}

int
password_check(const struct cfg_settings *s, const char *user,
    const char *rhost, const char *password, size_t len, enum pw_result *res,
    char **msg)
{
	const struct pw_backend *be;
	char *dummy = NULL;
	int r;

	*res = PW_ERROR;
	if (msg == NULL)
		msg = &dummy;
	*msg = NULL;
	if (s == NULL || user == NULL || (password == NULL && len != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((be = backend_find(s->auth.password_backend)) == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (len == 0) {
		*res = PW_FAIL;
		return 0;
	}
	r = be->check(s, user, rhost, password, len, res, msg);
	free(dummy);
	return r;
}

const char *
password_result_name(enum pw_result res)
{
	switch (res) {
	case PW_OK:
		return "ok";
	case PW_FAIL:
		return "fail";
	case PW_EXPIRED:
		return "expired";
	case PW_LOCKED:
		return "locked";
	case PW_ERROR:
		return "error";
	}
	return "unknown";
}

const char *
password_backend_name(int backend)
{
	const struct pw_backend *be = backend_find(backend);

	return be == NULL ? NULL : be->name;
}
