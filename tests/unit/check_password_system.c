/*
 * check_password_system.c: the shadow and PAM back ends (root only: they
 * create a temporary system user, removed in the fixture's teardown even
 * when a test fails): good, bad, unknown, locked, expired, password
 * change; keyboard-interactive rounds through the PAM helper; an unknown
 * user costs what a wrong password costs.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <check.h>
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <shadow.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "auth/pamconv.h"
#include "auth/passwd_file.h"
#include "auth/passwd_pam.h"
#include "auth/passwd_shadow.h"
#include "auth/password.h"
#include "auth/pwcrypt.h"
#include "common/config.h"
#include "protocol/ssherr.h"
#include "tests/unit/password_util.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static char test_user[32];
static char test_service[64];
static char pam_file[128];
static char kbd_service[64];
static char kbd_file[128];
static int user_ok;
#define TEST_PASSWORD	"Tr0ub4dor&3 nanossh"

static int
run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st != 0)
		fprintf(stderr, "command failed (%d): %s\n", st, cmd);
	return st;
}

/* The method most shadow entries use (what the back end's dummy copies),
 * libxcrypt's default when none has one. */
static const char *
majority_prefix(void)
{
	static char best[8];
	char seen[8][8];
	size_t count[8] = { 0 }, n = 0, i, plen, top = 0;
	struct spwd *sp;

	best[0] = '\0';
	setspent();
	while ((sp = getspent()) != NULL) {
		if (pwcrypt_hash_valid(sp->sp_pwdp) != 0)
			continue;
		plen = strcspn(sp->sp_pwdp + 1, "$") + 2;
		if (plen >= sizeof(seen[0]))
			continue;
		for (i = 0; i < n; i++) {
			if (strncmp(seen[i], sp->sp_pwdp, plen) == 0)
				break;
		}
		if (i == n) {
			if (n == 8)
				continue;
			memcpy(seen[n], sp->sp_pwdp, plen);
			seen[n][plen] = '\0';
			n++;
		}
		if (++count[i] > top) {
			top = count[i];
			strlcpy(best, seen[i], sizeof(best));
		}
	}
	endspent();
	return best[0] != '\0' ? best : NULL;
}

/* Puts the test user back to: password TEST_PASSWORD, unlocked, nothing
 * expiring. */
static int
user_reset(void)
{
	FILE *p;
	int st;

	if ((p = popen("chpasswd -e", "w")) == NULL)
		return -1;
	fprintf(p, "%s:%s\n", test_user, make_hash(majority_prefix(),
	    TEST_PASSWORD));
	if ((st = pclose(p)) != 0)
		return st;
	return run("chage -d %ld -E -1 -M -1 -I -1 %s",
	    (long)(time(NULL) / 86400), test_user);
}

static void
user_setup(void)
{
	char src[1024];
	const char *sd = getenv("NANOSSH_SRCDIR");

	snprintf(test_user, sizeof(test_user), "nsshpw%d", (int)getpid());
	user_ok = run("useradd -M -N -s /usr/sbin/nologin %s", test_user) == 0;
	if (user_ok && user_reset() != 0)
		user_ok = 0;
	/* PAM: our own file under a name no real service uses. */
	snprintf(test_service, sizeof(test_service), "nanosshd-check-%d",
	    (int)getpid());
	snprintf(pam_file, sizeof(pam_file), "/etc/pam.d/%s", test_service);
	snprintf(src, sizeof(src), "%s/etc/pam.d/nanosshd",
	    sd != NULL && *sd != '\0' ? sd : SRCDIR);
	if (run("cp '%s' '%s'", src, pam_file) != 0)
		user_ok = 0;
	/* keyboard-interactive: a greeting, then two rounds: pam_unix's
	 * password, then pam_stress's own prompt (it accepts anything) */
	snprintf(kbd_service, sizeof(kbd_service), "nanosshd-kbd-%d",
	    (int)getpid());
	snprintf(kbd_file, sizeof(kbd_file), "/etc/pam.d/%s", kbd_service);
	if (run("printf '%%s\\n' 'auth required pam_echo.so Welcome %%u' "
	    "'auth required pam_unix.so' 'auth required pam_stress.so' "
	    "'account required pam_unix.so' >'%s'", kbd_file) != 0)
		user_ok = 0;
}

static void
user_teardown(void)
{
	(void)run("userdel %s", test_user);
	(void)unlink(pam_file);
	(void)unlink(kbd_file);
}

static void
need_user(void)
{
	ck_assert_msg(user_ok, "could not create the test user %s", test_user);
	ck_assert_int_eq(user_reset(), 0);
}

static enum pw_result
shadow(const char *user, const char *pw, char **msgp)
{
	enum pw_result res = PW_ERROR;
	char *msg = NULL;

	ck_assert_int_eq(pwshadow_check(user, pw, strlen(pw),
	    time(NULL) / 86400, &res, &msg), 0);
	if (msgp != NULL)
		*msgp = msg;
	else
		free(msg);
	return res;
}

START_TEST(test_shadow_good_bad_unknown)
{
	need_user();
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, NULL), PW_OK);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD "x", NULL), PW_FAIL);
	ck_assert_int_eq(shadow(test_user, "", NULL), PW_FAIL);
	ck_assert_int_eq(shadow("nsshpw-nosuchuser", TEST_PASSWORD, NULL),
	    PW_FAIL);
}
END_TEST

START_TEST(test_shadow_locked)
{
	char *msg = NULL;

	need_user();
	ck_assert_int_eq(run("usermod -L %s", test_user), 0);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, &msg), PW_LOCKED);
	ck_assert_str_eq(msg, "account is locked");
	free(msg);
	ck_assert_int_eq(shadow(test_user, "wrong", NULL), PW_LOCKED);
	/* '*' marks an account that never had a password */
	ck_assert_int_eq(run("usermod -p '*' %s", test_user), 0);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, NULL), PW_LOCKED);
}
END_TEST

START_TEST(test_shadow_empty_hash)
{
	need_user();
	ck_assert_int_eq(run("usermod -p '' %s", test_user), 0);
	ck_assert_int_eq(shadow(test_user, "anything", NULL), PW_FAIL);
	ck_assert_int_eq(shadow(test_user, "", NULL), PW_FAIL);
}
END_TEST

START_TEST(test_shadow_account_expired)
{
	char *msg = NULL;

	need_user();
	/* expired on 1970-01-02 */
	ck_assert_int_eq(run("chage -E 1 %s", test_user), 0);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, &msg), PW_LOCKED);
	ck_assert_str_eq(msg, "account has expired");
	free(msg);
	/* expiring tomorrow: still fine today */
	ck_assert_int_eq(run("chage -E %ld %s", (long)(time(NULL) / 86400) + 1,
	    test_user), 0);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, NULL), PW_OK);
}
END_TEST

START_TEST(test_shadow_password_expired)
{
	char *msg = NULL;
	long today = (long)(time(NULL) / 86400);

	need_user();
	/* "must change at next login" */
	ck_assert_int_eq(run("chage -d 0 %s", test_user), 0);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, &msg), PW_EXPIRED);
	ck_assert_str_eq(msg, "password change required");
	free(msg);
	/* only the right password learns that */
	ck_assert_int_eq(shadow(test_user, "wrong", NULL), PW_FAIL);

	/* changed 100 days ago, valid for 30 */
	ck_assert_int_eq(run("chage -d %ld -M 30 %s", today - 100, test_user), 0);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, &msg), PW_EXPIRED);
	ck_assert_str_eq(msg, "password has expired");
	free(msg);
	ck_assert_int_eq(shadow(test_user, "wrong", NULL), PW_FAIL);

	/* ... and inactive 10 days after that: no login even to change it */
	ck_assert_int_eq(run("chage -I 10 %s", test_user), 0);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, &msg), PW_LOCKED);
	ck_assert_str_eq(msg, "account is inactive (password expired too "
	    "long ago)");
	free(msg);

	/* changed 10 days ago, valid for 30: fine */
	ck_assert_int_eq(run("chage -d %ld -M 30 -I -1 %s", today - 10,
	    test_user), 0);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, NULL), PW_OK);
}
END_TEST

static enum pw_result
shadow_wrong(const char *user, const void *arg)
{
	(void)arg;
	return shadow(user, "wrong", NULL);
}

START_TEST(test_shadow_timing)
{
	need_user();
	timing_compare(shadow_wrong, NULL, test_user, "nsshpw-nosuchuser");
}
END_TEST

static enum pw_result
pam(const char *user, const char *pw, char **msgp)
{
	enum pw_result res = PW_ERROR;
	char *msg = NULL;

	ck_assert_int_eq(pwpam_check(test_service, user, "192.0.2.1", pw,
	    strlen(pw), &res, &msg), 0);
	if (msgp != NULL)
		*msgp = msg;
	else
		free(msg);
	return res;
}

START_TEST(test_pam_good_bad_unknown)
{
	need_user();
	ck_assert_int_eq(pam(test_user, TEST_PASSWORD, NULL), PW_OK);
	ck_assert_int_eq(pam(test_user, TEST_PASSWORD "x", NULL), PW_FAIL);
	ck_assert_int_eq(pam(test_user, "", NULL), PW_FAIL);
	ck_assert_int_eq(pam("nsshpw-nosuchuser", TEST_PASSWORD, NULL),
	    PW_FAIL);
}
END_TEST

START_TEST(test_pam_nul_refused)
{
	enum pw_result res = PW_ERROR;
	char *msg = NULL, pw[sizeof(TEST_PASSWORD) + 1];

	need_user();
	/* the right password, then a NUL and more: PAM would see only the
	 * part before the NUL */
	memcpy(pw, TEST_PASSWORD, sizeof(TEST_PASSWORD));
	pw[sizeof(TEST_PASSWORD)] = 'x';
	ck_assert_int_eq(pwpam_check(test_service, test_user, NULL, pw,
	    sizeof(pw), &res, &msg), 0);
	ck_assert_int_eq(res, PW_FAIL);
	free(msg);
}
END_TEST

START_TEST(test_pam_expired)
{
	char *msg = NULL;

	need_user();
	ck_assert_int_eq(run("chage -d 0 %s", test_user), 0);
	ck_assert_int_eq(pam(test_user, TEST_PASSWORD, &msg), PW_EXPIRED);
	ck_assert_ptr_nonnull(msg);
	free(msg);
	ck_assert_int_eq(pam(test_user, "wrong", NULL), PW_FAIL);
}
END_TEST

#define NEW_PASSWORD	"c0rrect-h0rse-battery"

START_TEST(test_pam_change_expired)
{
	struct pwpam *p = NULL;
	enum pw_result res = PW_ERROR;
	char *msg = NULL;

	need_user();
	ck_assert_int_eq(run("chage -d 0 %s", test_user), 0);
	ck_assert_int_eq(pwpam_start(test_service, test_user, NULL, &p), 0);
	ck_assert_int_eq(pwpam_authenticate(p, TEST_PASSWORD,
	    strlen(TEST_PASSWORD), &res, &msg), 0);
	ck_assert_int_eq(res, PW_EXPIRED);
	free(msg);

	/* the current password must be right */
	ck_assert_int_eq(pwpam_change(p, "wrong", 5, NEW_PASSWORD,
	    strlen(NEW_PASSWORD), &res, &msg), 0);
	ck_assert_int_eq(res, PW_FAIL);
	free(msg);
	/* pam_unix's "obscure" refuses a short new one, saying why */
	ck_assert_int_eq(pwpam_change(p, TEST_PASSWORD, strlen(TEST_PASSWORD),
	    "ab", 2, &res, &msg), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_ptr_nonnull(msg);
	free(msg);
	ck_assert_int_eq(pwpam_change(p, TEST_PASSWORD, strlen(TEST_PASSWORD),
	    "", 0, &res, &msg), 0);
	ck_assert_int_eq(res, PW_FAIL);
	free(msg);
	ck_assert_int_eq(pwpam_change(p, TEST_PASSWORD, strlen(TEST_PASSWORD),
	    NEW_PASSWORD, strlen(NEW_PASSWORD), &res, &msg), 0);
	ck_assert_msg(res == PW_OK, "change: %s: %s",
	    password_result_name(res), msg != NULL ? msg : "");
	free(msg);
	/* only once: the handle is no longer expired */
	ck_assert_int_eq(pwpam_change(p, NEW_PASSWORD, strlen(NEW_PASSWORD),
	    TEST_PASSWORD, strlen(TEST_PASSWORD), &res, &msg),
	    SSH_ERR_STATE_VIOLATION);
	pwpam_end(p);

	ck_assert_int_eq(shadow(test_user, NEW_PASSWORD, NULL), PW_OK);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, NULL), PW_FAIL);
}
END_TEST

START_TEST(test_pam_change_needs_expired)
{
	struct pwpam *p = NULL;
	enum pw_result res = PW_ERROR;
	char *msg = NULL;

	need_user();
	ck_assert_int_eq(pwpam_start(test_service, test_user, NULL, &p), 0);
	/* not even authenticated */
	ck_assert_int_eq(pwpam_change(p, TEST_PASSWORD, strlen(TEST_PASSWORD),
	    NEW_PASSWORD, strlen(NEW_PASSWORD), &res, &msg),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(pwpam_authenticate(p, TEST_PASSWORD,
	    strlen(TEST_PASSWORD), &res, &msg), 0);
	ck_assert_int_eq(res, PW_OK);
	free(msg);
	/* authenticated, but nothing to change */
	ck_assert_int_eq(pwpam_change(p, TEST_PASSWORD, strlen(TEST_PASSWORD),
	    NEW_PASSWORD, strlen(NEW_PASSWORD), &res, &msg),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_ptr_nonnull(pwpam_handle(p));
	pwpam_end(p);
	ck_assert_int_eq(shadow(test_user, TEST_PASSWORD, NULL), PW_OK);
}
END_TEST

static void
env_free(char **env)
{
	size_t i;

	for (i = 0; env != NULL && env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* The whole nanosshd stack's session part runs here, in this test's
 * forked process (limits, loginuid, keyring apply to it alone). */
START_TEST(test_pam_session)
{
	struct pwpam *p = NULL;
	enum pw_result res = PW_ERROR;
	char *msg = NULL, **env = NULL;

	need_user();
	ck_assert_int_eq(pwpam_start(test_service, test_user, NULL, &p), 0);
	/* not before authentication */
	ck_assert_int_eq(pwpam_session_open(p, &env, &msg),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(pwpam_authenticate(p, TEST_PASSWORD,
	    strlen(TEST_PASSWORD), &res, &msg), 0);
	ck_assert_int_eq(res, PW_OK);
	free(msg);
	ck_assert_int_eq(pwpam_session_open(p, &env, &msg), 0);
	ck_assert_ptr_nonnull(env);
	env_free(env);
	free(msg);
	/* once */
	ck_assert_int_eq(pwpam_session_open(p, &env, &msg),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(pwpam_session_close(p), 0);
	/* closing twice is a no-op */
	ck_assert_int_eq(pwpam_session_close(p), 0);
	pwpam_end(p);
}
END_TEST

/* For a user the keyboard-interactive helper authenticated: the
 * account check alone, then the session, on the monitor's own handle. */
START_TEST(test_pam_account_only)
{
	struct pwpam *p = NULL;
	enum pw_result res = PW_ERROR;
	char *msg = NULL, **env = NULL;

	need_user();
	ck_assert_int_eq(pwpam_start(test_service, test_user, NULL, &p), 0);
	ck_assert_int_eq(pwpam_account(p, &res, &msg), 0);
	ck_assert_int_eq(res, PW_OK);
	free(msg);
	ck_assert_int_eq(pwpam_session_open(p, &env, &msg), 0);
	env_free(env);
	free(msg);
	/* pwpam_end closes the open session */
	pwpam_end(p);

	ck_assert_int_eq(run("chage -E 1 %s", test_user), 0);
	ck_assert_int_eq(pwpam_start(test_service, test_user, NULL, &p), 0);
	ck_assert_int_eq(pwpam_account(p, &res, &msg), 0);
	ck_assert_int_eq(res, PW_LOCKED);
	free(msg);
	ck_assert_int_eq(pwpam_session_open(p, &env, &msg),
	    SSH_ERR_STATE_VIOLATION);
	pwpam_end(p);
}
END_TEST

START_TEST(test_pam_account_expired)
{
	char *msg = NULL;

	need_user();
	ck_assert_int_eq(run("chage -E 1 %s", test_user), 0);
	ck_assert_int_eq(pam(test_user, TEST_PASSWORD, &msg), PW_LOCKED);
	/* pam_unix tells the user why, and we pass that on */
	ck_assert_ptr_nonnull(msg);
	ck_assert_msg(strstr(msg, "expired") != NULL, "message: %s", msg);
	free(msg);
}
END_TEST

START_TEST(test_pam_backend_via_password_check)
{
	struct cfg_settings s;
	enum pw_result res = PW_ERROR;
	char *msg = NULL;

	need_user();
	/* password_check uses the real service name, which may not be
	 * installed here: only check that it dispatches to PAM and refuses
	 * a wrong password. */
	memset(&s, 0, sizeof(s));
	s.auth.password_backend = CFG_PW_PAM;
	ck_assert_int_eq(password_check(&s, test_user, NULL, "wrong", 5, &res,
	    &msg), 0);
	ck_assert_int_ne(res, PW_OK);
	free(msg);
}
END_TEST

/*
 * Runs a keyboard-interactive exchange answering round i with answers[i]
 * (a single prompt each, as the test stack asks); returns the result and
 * counts the rounds and checks the greeting came first.
 */
static enum pw_result
kbd(const char *user, const char *const *answers, size_t nanswers,
    size_t *roundsp)
{
	struct pamconv *pc = NULL;
	struct pamconv_round rd;
	enum pw_result res = PW_ERROR;
	char *msg = NULL, want[128];
	size_t len;
	int done = 0;

	*roundsp = 0;
	ck_assert_int_eq(pamconv_start(kbd_service, user, "192.0.2.1", &pc), 0);
	ck_assert_int_ge(pamconv_fd(pc), 0);
	for (;;) {
		ck_assert_int_eq(pamconv_next(pc, &rd, &done, &res, &msg), 0);
		if (done)
			break;
		ck_assert_uint_eq(rd.n, 1);
		ck_assert_str_eq(rd.prompt[0], *roundsp == 0 ? "Password: " :
		    "STRESS Password: ");
		ck_assert_int_eq(rd.echo[0], 0);
		if (*roundsp == 0) {
			snprintf(want, sizeof(want), "Welcome %s\n", user);
			ck_assert_str_eq(rd.info, want);
		} else
			ck_assert_str_eq(rd.info, "");
		ck_assert_uint_lt(*roundsp, nanswers);
		len = strlen(answers[*roundsp]);
		ck_assert_int_eq(pamconv_answer(pc, &answers[*roundsp], &len,
		    1), 0);
		(*roundsp)++;
		pamconv_round_clear(&rd);
	}
	free(msg);
	pamconv_free(pc);
	return res;
}

START_TEST(test_kbd_two_rounds)
{
	const char *good[] = { TEST_PASSWORD, TEST_PASSWORD };
	size_t rounds;

	need_user();
	ck_assert_int_eq(kbd(test_user, good, 2, &rounds), PW_OK);
	ck_assert_uint_eq(rounds, 2);
}
END_TEST

START_TEST(test_kbd_first_round_wrong)
{
	/* a failed first module does not cut the rounds short */
	const char *bad[] = { "wrong", TEST_PASSWORD };
	size_t rounds;

	need_user();
	ck_assert_int_eq(kbd(test_user, bad, 2, &rounds), PW_FAIL);
	ck_assert_uint_eq(rounds, 2);
}
END_TEST

START_TEST(test_kbd_unknown_user)
{
	const char *good[] = { TEST_PASSWORD, TEST_PASSWORD };
	size_t rounds;

	need_user();
	/* the same rounds as for a real user: the prompts tell nothing */
	ck_assert_int_eq(kbd("nsshpw-nosuchuser", good, 2, &rounds), PW_FAIL);
	ck_assert_uint_eq(rounds, 2);
}
END_TEST

START_TEST(test_kbd_out_of_turn)
{
	struct pamconv *pc = NULL;
	struct pamconv_round rd;
	enum pw_result res;
	const char *two[] = { "a", "b" };
	size_t lens[] = { 1, 1 };
	char *msg = NULL;
	int done = -1;

	need_user();
	ck_assert_int_eq(pamconv_start(kbd_service, test_user, NULL, &pc), 0);
	/* nothing to answer yet */
	ck_assert_int_eq(pamconv_answer(pc, two, lens, 1),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(pamconv_next(pc, &rd, &done, &res, &msg), 0);
	ck_assert_int_eq(done, 0);
	ck_assert_uint_eq(rd.n, 1);
	/* a round must be answered before the next one is read, with as
	 * many answers as prompts, without NULs */
	ck_assert_int_eq(pamconv_next(pc, &rd, &done, &res, &msg),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(pamconv_answer(pc, two, lens, 2),
	    SSH_ERR_STATE_VIOLATION);
	lens[0] = 2;
	ck_assert_int_eq(pamconv_answer(pc, (const char *const[]){ "a\0" },
	    lens, 1), SSH_ERR_INVALID_FORMAT);
	/* the helper is killed while it waits for the answer */
	pamconv_round_clear(&rd);
	pamconv_free(pc);
}
END_TEST

static Suite *
password_system_suite(void)
{
	Suite *s = suite_create("password_system");
	TCase *tc;

	if (geteuid() != 0) {
		printf("SKIP: shadow and PAM back ends: need root (they create "
		    "a temporary system user)\n");
		return s;
	}
	tc = tcase_create("system");
	tcase_add_unchecked_fixture(tc, user_setup, user_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_shadow_good_bad_unknown);
	tcase_add_test(tc, test_shadow_locked);
	tcase_add_test(tc, test_shadow_empty_hash);
	tcase_add_test(tc, test_shadow_account_expired);
	tcase_add_test(tc, test_shadow_password_expired);
	tcase_add_test(tc, test_shadow_timing);
	tcase_add_test(tc, test_pam_good_bad_unknown);
	tcase_add_test(tc, test_pam_nul_refused);
	tcase_add_test(tc, test_pam_expired);
	tcase_add_test(tc, test_pam_account_expired);
	tcase_add_test(tc, test_pam_change_expired);
	tcase_add_test(tc, test_pam_change_needs_expired);
	tcase_add_test(tc, test_pam_session);
	tcase_add_test(tc, test_pam_account_only);
	tcase_add_test(tc, test_kbd_two_rounds);
	tcase_add_test(tc, test_kbd_first_round_wrong);
	tcase_add_test(tc, test_kbd_unknown_user);
	tcase_add_test(tc, test_kbd_out_of_turn);
	tcase_add_test(tc, test_pam_backend_via_password_check);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(password_system_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
