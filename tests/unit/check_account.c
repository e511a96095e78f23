/*
 * check_account.c: auth/account.c: login shells (/etc/shells, nologin,
 * false) and the shell checks of account_check, which need no root (the
 * shadow checks do: tests/test_account.py).
 */
#include <sys/stat.h>
#include <check.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/account.h"
#include "common/config.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

START_TEST(test_login_shell)
{
	ck_assert_int_eq(account_login_shell("/bin/sh"), 1);
	/* An empty shell is /bin/sh, as login(1) has it. */
	ck_assert_int_eq(account_login_shell(""), 1);
	ck_assert_int_eq(account_login_shell(NULL), 1);
	ck_assert_int_eq(account_login_shell("/usr/sbin/nologin"), 0);
	ck_assert_int_eq(account_login_shell("/sbin/nologin"), 0);
	ck_assert_int_eq(account_login_shell("/bin/false"), 0);
	ck_assert_int_eq(account_login_shell("/usr/bin/false"), 0);
	/* Not in /etc/shells. */
	ck_assert_int_eq(account_login_shell("/nonexistent/nanossh-shell"), 0);
	ck_assert_int_eq(account_login_shell("sh"), 0);
}
END_TEST

static void
check_shell(const char *shell, const char *want)
{
	struct cfg_settings s;
	struct passwd pw;
	char why[ACCOUNT_WHY_MAX];

	memset(&s, 0, sizeof(s));
	s.auth.password_backend = CFG_PW_PAM;	/* no shadow lookup */
	memset(&pw, 0, sizeof(pw));
	pw.pw_name = "nanossh-test";
	pw.pw_shell = (char *)shell;
	ck_assert_int_eq(account_check(&s, &pw, 20000, why, sizeof(why)), 0);
	ck_assert_str_eq(why, want);
}

START_TEST(test_shell_exists)
{
	char dir[] = "/tmp/check_account.XXXXXX", path[64], want[128];
	FILE *f;

	check_shell("/bin/sh", "");
	check_shell("", "");
	check_shell("/nonexistent/nanossh-shell",
	    "shell /nonexistent/nanossh-shell does not exist");
	check_shell("/", "shell / is not executable");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/shell", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0644), 0);
	snprintf(want, sizeof(want), "shell %s is not executable", path);
	check_shell(path, want);
	ck_assert_int_eq(chmod(path, 0755), 0);
	check_shell(path, "");
	unlink(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("account");
	TCase *tc = tcase_create("shell");

	tcase_add_test(tc, test_login_shell);
	tcase_add_test(tc, test_shell_exists);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
