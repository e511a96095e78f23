/*
 * check_password.c: the password back ends without the system: crypt hash
 * shapes, and the file back end: good and bad passwords for yescrypt,
 * sha512crypt and bcrypt hashes made here, every malformed line with its
 * exact FILE:LINE message, owner and mode checks, and timing: an unknown
 * user costs what a wrong password costs.  shadow, PAM and
 * keyboard-interactive: check_password_system.c.
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

static char tmpdir[256];

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
tmp_setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/check_password.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		tmpdir[0] = '\0';
	}
}

static void
tmp_teardown(void)
{
	if (tmpdir[0] != '\0')
		(void)nftw(tmpdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Writes content to a new file in the temp dir with mode; its path is
 * returned (static storage, two at a time). */
static const char *
write_file(const char *content, mode_t mode)
{
	static char paths[2][512];
	static int next, serial;
	char *p = paths[next];
	FILE *f;

	next = (next + 1) % 2;
	ck_assert_msg(tmpdir[0] != '\0', "no temp dir");
	snprintf(p, sizeof(paths[0]), "%s/passwd.%d.%d", tmpdir, (int)getpid(),
	    serial++);
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	ck_assert_int_eq(fputs(content, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
	return p;
}

/* ---- crypt hash shapes ---- */

static const struct {
	const char *hash;
	int want;
} hash_cases[] = {
	{ "$y$j9T$vFuq22hwwUGTX6v1awsGk1$XRg726677lIzXxj6oPOpsRQRpN72Z5CUXoCjx0qv8j2", 0 },
	{ "$6$z9riTTBs.L0D7hX9$rI0y5toL0BI9KqQWACqL8ktCNX9.YsiS0WTwqVoGX/Pc910.1G7omcDfMTyTpb53uGYkRo059GX4UO6ZQJmas.", 0 },
	{ "$6$rounds=10000$z9riTTBs.L0D7hX9$rI0y5toL0BI9KqQWACqL8ktCNX9.YsiS0WTwqVoGX/Pc910.1G7omcDfMTyTpb53uGYkRo059GX4UO6ZQJmas.", 0 },
	{ "$2b$05$YxfsAW0zhcl0ecHF3G2P3.aOUhZ7wi29XT9hYmyj1tFYLG6mnUq9G", 0 },
	/* a hash cut short, a field missing, stray characters */
	{ "$6$abc$defghijklmnop", SSH_ERR_INVALID_FORMAT },
	{ "$y$j9T$vFuq22hwwUGTX6v1awsGk1", SSH_ERR_INVALID_FORMAT },
	{ "$y$j9T$vFuq22hwwUGTX6v1awsGk1$XRg726677lIzXxj6oPOpsRQRpN72Z5CUXoCjx0qv8j2 ", SSH_ERR_INVALID_FORMAT },
	{ "$y$j9T$$XRg726677lIzXxj6oPOpsRQRpN72Z5CUXoCjx0qv8j2", SSH_ERR_INVALID_FORMAT },
	{ "$6$rounds=$z9riTTBs.L0D7hX9$rI0y5toL0BI9KqQWACqL8ktCNX9.YsiS0WTwqVoGX/Pc910.1G7omcDfMTyTpb53uGYkRo059GX4UO6ZQJmas.", SSH_ERR_INVALID_FORMAT },
	{ "$2b$05$YxfsAW0zhcl0ecHF3G2P3.aOUhZ7wi29XT9hYmyj1tFYLG6mnUq9", SSH_ERR_INVALID_FORMAT },
	{ "$2b$99$YxfsAW0zhcl0ecHF3G2P3.aOUhZ7wi29XT9hYmyj1tFYLG6mnUq9G", SSH_ERR_INVALID_FORMAT },
	/* methods we do not accept, and locked markers */
	{ "$1$abcdefgh$0123456789012345678901", SSH_ERR_FEATURE_UNSUPPORTED },
	{ "abJnggxhB/yWI", SSH_ERR_FEATURE_UNSUPPORTED },
	{ "$5$abc$0123456789012345678901234567890123456789012", SSH_ERR_FEATURE_UNSUPPORTED },
	{ "!", SSH_ERR_FEATURE_UNSUPPORTED },
	{ "*", SSH_ERR_FEATURE_UNSUPPORTED },
	{ "", SSH_ERR_FEATURE_UNSUPPORTED },
};

START_TEST(test_hash_valid)
{
	ck_assert_msg(pwcrypt_hash_valid(hash_cases[_i].hash) ==
	    hash_cases[_i].want, "%s: got %d, want %d", hash_cases[_i].hash,
	    pwcrypt_hash_valid(hash_cases[_i].hash), hash_cases[_i].want);
}
END_TEST

START_TEST(test_verify_nul_and_length)
{
	const char *h = make_hash("$6$", "secret");
	int match = -1;

	ck_assert_int_eq(pwcrypt_verify(h, "secret", 6, &match), 0);
	ck_assert_int_eq(match, 1);
	/* the password is len bytes, not up to a NUL */
	ck_assert_int_eq(pwcrypt_verify(h, "secretX", 6, &match), 0);
	ck_assert_int_eq(match, 1);
	ck_assert_int_eq(pwcrypt_verify(h, "secret\0X", 8, &match), 0);
	ck_assert_int_eq(match, 0);
	ck_assert_int_eq(pwcrypt_verify(h, "secre", 5, &match), 0);
	ck_assert_int_eq(match, 0);
	/* longer than crypt takes: refused, not cut to a prefix that
	 * might match */
	{
		size_t n = 100000;
		char *big = malloc(n);
		const char *hb;

		ck_assert_ptr_nonnull(big);
		memset(big, 'a', n);
		big[CRYPT_MAX_PASSPHRASE_SIZE - 1] = '\0';
		hb = make_hash("$6$", big);
		ck_assert_int_eq(pwcrypt_verify(hb, big,
		    CRYPT_MAX_PASSPHRASE_SIZE - 1, &match), 0);
		ck_assert_int_eq(match, 1);
		big[CRYPT_MAX_PASSPHRASE_SIZE - 1] = 'a';
		ck_assert_int_eq(pwcrypt_verify(hb, big,
		    CRYPT_MAX_PASSPHRASE_SIZE, &match), 0);
		ck_assert_int_eq(match, 0);
		ck_assert_int_eq(pwcrypt_verify(hb, big, n, &match), 0);
		ck_assert_int_eq(match, 0);
		free(big);
	}
}
END_TEST

/* ---- file back end ---- */

static const char *const methods[] = { "$y$", "$6$", "$2b$" };

START_TEST(test_file_good_bad)
{
	struct pwfile *f = NULL;
	char content[1024], *errs = NULL;
	const char *path;
	enum pw_result res;

	snprintf(content, sizeof(content), "# users\n\nalice:%s\n",
	    make_hash(methods[_i], "correct horse"));
	snprintf(content + strlen(content), sizeof(content) - strlen(content),
	    "bob:%s\n", make_hash(methods[_i], "battery staple"));
	path = write_file(content, 0600);
	ck_assert_int_eq(pwfile_load(path, &f, &errs), 0);
	ck_assert_ptr_null(errs);
	ck_assert_uint_eq(pwfile_count(f), 2);

	ck_assert_int_eq(pwfile_verify(f, "alice", "correct horse", 13, &res), 0);
	ck_assert_int_eq(res, PW_OK);
	ck_assert_int_eq(pwfile_verify(f, "bob", "battery staple", 14, &res), 0);
	ck_assert_int_eq(res, PW_OK);
	/* another user's password, a prefix, a longer one, an empty one */
	ck_assert_int_eq(pwfile_verify(f, "alice", "battery staple", 14, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(pwfile_verify(f, "alice", "correct hors", 12, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(pwfile_verify(f, "alice", "correct horse!", 14, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(pwfile_verify(f, "alice", "", 0, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	/* a NUL must not end the password early */
	ck_assert_int_eq(pwfile_verify(f, "alice", "correct horse\0x", 15, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	pwfile_free(f);
}
END_TEST

START_TEST(test_file_unknown_user)
{
	struct pwfile *f = NULL;
	char content[512];
	enum pw_result res;

	snprintf(content, sizeof(content), "alice:%s\n",
	    make_hash("$6$", "pw"));
	ck_assert_int_eq(pwfile_load(write_file(content, 0600), &f, NULL), 0);
	/* even with the (dummy) first entry's own password */
	ck_assert_int_eq(pwfile_verify(f, "mallory", "pw", 2, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(pwfile_verify(f, "Alice", "pw", 2, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(pwfile_verify(f, "alice ", "pw", 2, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	pwfile_free(f);

	/* an empty file has no users and takes the built-in dummy path */
	ck_assert_int_eq(pwfile_load(write_file("# nobody\n", 0600), &f,
	    NULL), 0);
	ck_assert_uint_eq(pwfile_count(f), 0);
	ck_assert_int_eq(pwfile_verify(f, "alice", "pw", 2, &res), 0);
	ck_assert_int_eq(res, PW_FAIL);
	pwfile_free(f);
}
END_TEST

#define GOOD6 "$6$z9riTTBs.L0D7hX9$rI0y5toL0BI9KqQWACqL8ktCNX9.YsiS0WTwqVoGX/Pc910.1G7omcDfMTyTpb53uGYkRo059GX4UO6ZQJmas."

/* Each bad file and its exact messages; "%s" is the file's path. */
static const struct {
	const char *content;
	const char *errs;
} bad_files[] = {
	{ "alice " GOOD6 "\n",
	  "%s:1: no ':' between user name and hash\n" },
	{ "# c\n:" GOOD6 "\n",
	  "%s:2: empty user name\n" },
	{ "al ice:" GOOD6 "\n",
	  "%s:1: invalid user name (printable ASCII without spaces, at most 256 characters)\n" },
	{ "alice:$1$abcdefgh$0123456789012345678901\n",
	  "%s:1: unsupported password hash for user \"alice\" (expected $y$, $gy$, $7$, $6$ or $2b$)\n" },
	{ "alice:!\n",
	  "%s:1: unsupported password hash for user \"alice\" (expected $y$, $gy$, $7$, $6$ or $2b$)\n" },
	{ "alice:\n",
	  "%s:1: unsupported password hash for user \"alice\" (expected $y$, $gy$, $7$, $6$ or $2b$)\n" },
	{ "alice:$6$abc$defghijklmnop\n",
	  "%s:1: malformed sha512crypt hash for user \"alice\"\n" },
	{ "alice:" GOOD6 "\r\n",
	  "%s:1: malformed sha512crypt hash for user \"alice\"\n" },
	{ "alice:" GOOD6 ":extra\n",
	  "%s:1: malformed sha512crypt hash for user \"alice\"\n" },
	{ "alice:" GOOD6 "\nbob:" GOOD6 "\n\nalice:" GOOD6 "\n",
	  "%s:4: duplicate user \"alice\" (first on line 1)\n" },
	/* every problem is reported, in line order, and the good lines
	 * between them do not make the file usable */
	{ "nocolon\nbob:" GOOD6 "\n:x\nbob:$y$j9T$x\nbob:" GOOD6 "\n",
	  "%s:1: no ':' between user name and hash\n"
	  "%s:3: empty user name\n"
	  "%s:4: malformed yescrypt hash for user \"bob\"\n"
	  "%s:5: duplicate user \"bob\" (first on line 2)\n" },
};

START_TEST(test_file_bad_lines)
{
	struct pwfile *f = (struct pwfile *)1;
	char *errs = NULL, want[2048];
	const char *path = write_file(bad_files[_i].content, 0600);
	const char *p;
	size_t o = 0;

	/* the expected text names the path once per line */
	for (p = bad_files[_i].errs; *p != '\0' && o + 512 < sizeof(want); p++) {
		if (p[0] == '%' && p[1] == 's') {
			o += strlcpy(want + o, path, sizeof(want) - o);
			p++;
		} else
			want[o++] = *p;
	}
	want[o] = '\0';
	ck_assert_int_eq(pwfile_load(path, &f, &errs), SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_null(f);
	ck_assert_ptr_nonnull(errs);
	ck_assert_str_eq(errs, want);
	free(errs);
}
END_TEST

START_TEST(test_file_long_line_and_nul)
{
	static const char with_nul[] = "bob:" GOOD6 "\nal\0ce:" GOOD6 "\n";
	char content[4096], *errs = NULL, want[1024];
	struct pwfile *f = NULL;
	const char *path;
	FILE *fp;

	memset(content, 'a', PWFILE_LINE_MAX + 1);
	snprintf(content + PWFILE_LINE_MAX + 1, sizeof(content) -
	    PWFILE_LINE_MAX - 1, ":x\nbob:" GOOD6 "\n");
	path = write_file(content, 0600);
	ck_assert_int_eq(pwfile_load(path, &f, &errs), SSH_ERR_INVALID_FORMAT);
	snprintf(want, sizeof(want), "%s:1: longer than %d characters\n",
	    path, PWFILE_LINE_MAX);
	ck_assert_str_eq(errs, want);
	free(errs);
	errs = NULL;

	/* write_file uses fputs, so put the NUL in by hand */
	path = write_file("", 0600);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(with_nul, 1, sizeof(with_nul) - 1, fp),
	    sizeof(with_nul) - 1);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(pwfile_load(path, &f, &errs), SSH_ERR_INVALID_FORMAT);
	snprintf(want, sizeof(want), "%s:2: contains a NUL byte\n", path);
	ck_assert_str_eq(errs, want);
	free(errs);
}
END_TEST

START_TEST(test_file_mode)
{
	char *errs = NULL, want[1024];
	struct pwfile *f = NULL;
	const char *path;
	static const mode_t bad[] = { 0620, 0602, 0666 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = write_file("bob:" GOOD6 "\n", bad[i]);
		ck_assert_int_eq(pwfile_load(path, &f, &errs),
		    SSH_ERR_KEY_BAD_PERMISSIONS);
		ck_assert_ptr_null(f);
		snprintf(want, sizeof(want), "%s: mode %04o is writable by "
		    "group or others, expected at most 0644\n", path,
		    (unsigned int)bad[i]);
		ck_assert_str_eq(errs, want);
		free(errs);
		errs = NULL;
	}
	/* readable by all is fine: the hashes are the secret's guard */
	path = write_file("bob:" GOOD6 "\n", 0644);
	ck_assert_int_eq(pwfile_load(path, &f, &errs), 0);
	pwfile_free(f);
}
END_TEST

START_TEST(test_file_not_regular_or_missing)
{
	char *errs = NULL, want[1024], path[512];
	struct pwfile *f = NULL;

	ck_assert_int_eq(pwfile_load(tmpdir, &f, &errs),
	    SSH_ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want), "%s: not a regular file\n", tmpdir);
	ck_assert_str_eq(errs, want);
	free(errs);
	errs = NULL;

	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	ck_assert_int_eq(pwfile_load(path, &f, &errs), SSH_ERR_SYSTEM_ERROR);
	snprintf(want, sizeof(want), "%s: %s\n", path, strerror(ENOENT));
	ck_assert_str_eq(errs, want);
	free(errs);
}
END_TEST

/* Root only: a file someone else owns could be rewritten by them. */
START_TEST(test_file_owner)
{
	char *errs = NULL, want[1024];
	struct pwfile *f = NULL;
	const char *path = write_file("bob:" GOOD6 "\n", 0600);

	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	ck_assert_int_eq(pwfile_load(path, &f, &errs),
	    SSH_ERR_KEY_BAD_PERMISSIONS);
	snprintf(want, sizeof(want), "%s: owned by uid 65534, expected root\n",
	    path);
	ck_assert_str_eq(errs, want);
	free(errs);
}
END_TEST

START_TEST(test_password_check_file)
{
	struct cfg_settings s;
	char content[512], *msg = NULL, want[1024], path[512];
	enum pw_result res;

	memset(&s, 0, sizeof(s));
	snprintf(content, sizeof(content), "alice:%s\n",
	    make_hash("$2b$", "pw1"));
	s.auth.password_backend = CFG_PW_FILE;
	strlcpy(path, write_file(content, 0600), sizeof(path));
	s.auth.password_file = path;
	ck_assert_str_eq(password_backend_name(CFG_PW_FILE), "file");

	ck_assert_int_eq(password_check(&s, "alice", NULL, "pw1", 3,
	    &res, &msg), 0);
	ck_assert_int_eq(res, PW_OK);
	ck_assert_ptr_null(msg);
	ck_assert_int_eq(password_check(&s, "alice", NULL, "pw2", 3,
	    &res, &msg), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(password_check(&s, "nobody", NULL, "pw1", 3,
	    &res, NULL), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(password_check(&s, "alice", NULL, "", 0,
	    &res, &msg), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_str_eq(password_result_name(res), "fail");

	/* a broken file refuses everyone, saying why */
	strlcpy(path, write_file("alice:pw1\n", 0600), sizeof(path));
	ck_assert_int_eq(password_check(&s, "alice", NULL, "pw1", 3,
	    &res, &msg), 0);
	ck_assert_int_eq(res, PW_ERROR);
	snprintf(want, sizeof(want), "%s:1: unsupported password hash for "
	    "user \"alice\" (expected $y$, $gy$, $7$, $6$ or $2b$)",
	    s.auth.password_file);
	ck_assert_str_eq(msg, want);
	free(msg);

	s.auth.password_backend = 42;
	ck_assert_int_eq(password_check(&s, "alice", NULL, "pw1", 3, &res,
	    &msg),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(res, PW_ERROR);
}
END_TEST

static enum pw_result
file_wrong(const char *user, const void *arg)
{
	enum pw_result res = PW_ERROR;

	ck_assert_int_eq(pwfile_verify(arg, user, "wrong", 5, &res), 0);
	return res;
}

START_TEST(test_file_timing)
{
	struct pwfile *f = NULL;
	char content[1024];

	/* The dummy is the first entry's hash, so the user measured is the
	 * second: the dummy is another hash of the same kind. */
	snprintf(content, sizeof(content), "first:%s\n",
	    make_hash("$y$", "one"));
	snprintf(content + strlen(content), sizeof(content) - strlen(content),
	    "alice:%s\n", make_hash("$y$", "two"));
	ck_assert_int_eq(pwfile_load(write_file(content, 0600), &f, NULL), 0);
	timing_compare(file_wrong, f, "alice", "mallory");
	pwfile_free(f);
}
END_TEST

static Suite *
password_suite(void)
{
	Suite *s = suite_create("password");
	TCase *tc;

	tc = tcase_create("crypt");
	tcase_add_loop_test(tc, test_hash_valid, 0,
	    sizeof(hash_cases) / sizeof(hash_cases[0]));
	tcase_add_test(tc, test_verify_nul_and_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_file_good_bad, 0,
	    sizeof(methods) / sizeof(methods[0]));
	tcase_add_test(tc, test_file_unknown_user);
	tcase_add_loop_test(tc, test_file_bad_lines, 0,
	    sizeof(bad_files) / sizeof(bad_files[0]));
	tcase_add_test(tc, test_file_long_line_and_nul);
	tcase_add_test(tc, test_file_mode);
	tcase_add_test(tc, test_file_not_regular_or_missing);
	if (geteuid() == 0)
		tcase_add_test(tc, test_file_owner);
	else
		printf("SKIP: file owner check: needs root to chown\n");
	tcase_add_test(tc, test_password_check_file);
	tcase_add_test(tc, test_file_timing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(password_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
