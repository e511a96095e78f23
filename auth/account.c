/*
 * account.c: account validity, whatever the method (see account.h).
 */
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <pwd.h>

#include "auth/account.h"
#include "auth/passwd_pam.h"
#include "auth/passwd_shadow.h"
#include "common/config.h"
#include "protocol/ssherr.h"

static const char *
shell_of(const char *shell)
{
	return shell != NULL && *shell != '\0' ? shell : "/bin/sh";
}

int
account_check(const struct cfg_settings *s, const struct passwd *pw,
    long today, char *why, size_t whylen)
{
	const char *shell = shell_of(pw->pw_shell), *reason = NULL;
	struct stat st;
	int r;

	if (whylen == 0)
		return SSH_ERR_INVALID_ARGUMENT;
	*why = '\0';
	/* OpenSSH's words and order: the shadow entry, then the shell. */
	if (s->auth.password_backend != CFG_PW_PAM && geteuid() == 0) {
		if ((r = pwshadow_account(pw->pw_name, today, &reason)) != 0)
			return r;
		if (reason != NULL) {
			snprintf(why, whylen, "%s", reason);
			return 0;
		}
	}
	if (stat(shell, &st) == -1)
		snprintf(why, whylen, "shell %s does not exist", shell);
	else if (!S_ISREG(st.st_mode) ||
	    (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
		snprintf(why, whylen, "shell %s is not executable", shell);
	return 0;
}

int
account_pam(const char *service, const char *user, const char *rhost,
    struct pwpam **pamp, enum pw_result *res, char **msg)
{
	int r;

	*pamp = NULL;
	*res = PW_ERROR;
	*msg = NULL;
	if ((r = pwpam_start(service, user, rhost, pamp)) != 0)
		return r;
	return pwpam_account(*pamp, res, msg);
}

int
account_login_shell(const char *shell)
{
	const char *base, *s;
	int found = 0;

	shell = shell_of(shell);
	base = strrchr(shell, '/') != NULL ? strrchr(shell, '/') + 1 : shell;
	if (strcmp(base, "nologin") == 0 || strcmp(base, "false") == 0)
		return 0;
	setusershell();
	while (!found && (s = getusershell()) != NULL)
		found = strcmp(s, shell) == 0;
	endusershell();
	return found;
}
