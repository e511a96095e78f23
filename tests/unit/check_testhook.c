/*
 * check_testhook.c: test-only environment variables (common/testhook.h)
 * are ignored as root in a build without test hooks, and honoured
 * unprivileged or with them.  The library's testhook_getenv is this
 * build's; the one without hooks is testhook.c compiled again here.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <check.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/testhook.h"

const char *release_getenv(const char *name);

#ifdef NANOSSH_TEST_HOOKS
#define NANOSSH_TEST_HOOKS_BUILD 1
#endif
#undef NANOSSH_TEST_HOOKS
#define testhook_getenv release_getenv
#include "common/testhook.c"
#include "tests/unit/testutil.h"
#undef testhook_getenv

#define VAR	"NANOSSH_CHECK_TESTHOOK"

START_TEST(test_release_build_as_root)
{
	if (geteuid() != 0)
		return;	/* nothing to refuse */
	ck_assert_int_eq(setenv(VAR, "/tmp/evil", 1), 0);
	ck_assert_ptr_null(release_getenv(VAR));
	ck_assert_int_eq(unsetenv(VAR), 0);
	ck_assert_ptr_null(release_getenv(VAR));
}
END_TEST

/* Unprivileged, a release build honours it: such a daemon serves only
 * the user running it. */
START_TEST(test_release_build_unprivileged)
{
	struct passwd *pw;
	pid_t pid;
	int st;

	ck_assert_int_eq(setenv(VAR, "/tmp/fine", 1), 0);
	if (geteuid() != 0) {
		ck_assert_str_eq(release_getenv(VAR), "/tmp/fine");
		return;
	}
	ck_assert_ptr_nonnull(pw = getpwnam("nobody"));
	if ((pid = fork()) == 0) {
		if (setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
			_exit(2);
		_exit(release_getenv(VAR) != NULL &&
		    strcmp(release_getenv(VAR), "/tmp/fine") == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

/* This build's own: honoured as root exactly when it has test hooks. */
START_TEST(test_this_build)
{
	ck_assert_int_eq(setenv(VAR, "/tmp/x", 1), 0);
#ifdef NANOSSH_TEST_HOOKS_BUILD
	ck_assert_ptr_nonnull(testhook_getenv(VAR));
#else
	if (geteuid() == 0)
		ck_assert_ptr_null(testhook_getenv(VAR));
	else
		ck_assert_ptr_nonnull(testhook_getenv(VAR));
#endif
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("testhook");
	TCase *tc = tcase_create("testhook");

	log_init("check_testhook", LOG_LVL_ERROR, 0, 1);
	tcase_add_test(tc, test_release_build_as_root);
	tcase_add_test(tc, test_release_build_unprivileged);
	tcase_add_test(tc, test_this_build);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
