/*
 * check_password.c: the password back ends.  file: good and bad passwords
 * for yescrypt, sha512crypt and bcrypt hashes made here, every malformed
 * line with its exact FILE:LINE message, owner and mode checks.  shadow
 * and PAM (root only: they create a temporary system user, removed in the
 * fixture's teardown even when a test fails): good, bad, unknown, locked,
 * expired, password change; keyboard-interactive rounds through the PAM
 * helper.  Timing: an unknown user costs what a wrong password costs.
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

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define TIMING_ROUNDS	30
#define TIMING_TRIES	3
#define TIMING_TOLERANCE 0.10

static char tmpdir[256];

/* A fresh crypt(3) hash of password with the method of prefix (NULL:
 * libxcrypt's default) at its default cost; static storage. */
static const char *
make_hash(const char *prefix, const char *password)
{
	static char out[CRYPT_OUTPUT_SIZE];
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	const char *h;

	ck_assert_ptr_nonnull(cd = calloc(1, sizeof(*cd)));
	ck_assert_ptr_nonnull(crypt_gensalt_rn(prefix, 0, NULL, 0, setting,
	    sizeof(setting)));
	h = crypt_rn(password, setting, cd, sizeof(*cd));
	ck_assert_ptr_nonnull(h);
	ck_assert_msg(h[0] == '$', "crypt failed for %s", setting);
	strlcpy(out, h, sizeof(out));
	free(cd);
	return out;
}

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

	ck_assert_int_eq(password_check(&s, "alice", "pw1", 3, &res, &msg), 0);
	ck_assert_int_eq(res, PW_OK);
	ck_assert_ptr_null(msg);
	ck_assert_int_eq(password_check(&s, "alice", "pw2", 3, &res, &msg), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(password_check(&s, "nobody", "pw1", 3, &res, NULL), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_int_eq(password_check(&s, "alice", "", 0, &res, &msg), 0);
	ck_assert_int_eq(res, PW_FAIL);
	ck_assert_str_eq(password_result_name(res), "fail");

	/* a broken file refuses everyone, saying why */
	strlcpy(path, write_file("alice:pw1\n", 0600), sizeof(path));
	ck_assert_int_eq(password_check(&s, "alice", "pw1", 3, &res, &msg), 0);
	ck_assert_int_eq(res, PW_ERROR);
	snprintf(want, sizeof(want), "%s:1: unsupported password hash for "
	    "user \"alice\" (expected $y$, $gy$, $7$, $6$ or $2b$)",
	    s.auth.password_file);
	ck_assert_str_eq(msg, want);
	free(msg);

	s.auth.password_backend = 42;
	ck_assert_int_eq(password_check(&s, "alice", "pw1", 3, &res, &msg),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(res, PW_ERROR);
}
END_TEST

/* ---- timing ---- */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

typedef enum pw_result (*check_fn)(const char *user, const void *arg);

/*
 * Times a wrong password for known and for unknown back to back (which
 * goes first alternates), TIMING_ROUNDS pairs, and compares the median of
 * the per-pair ratios with 1: both halves of a pair see the same machine
 * load, so other processes' noise mostly cancels.  A few tries, since a
 * burst of load can still spoil one; a path that skips the hashing is far
 * outside the tolerance every time.
 */
static void
timing_compare(check_fn fn, const void *arg, const char *known,
    const char *unknown)
{
	double tk[TIMING_ROUNDS], tu[TIMING_ROUNDS], ratio[TIMING_ROUNDS];
	double t0, dev = 1;
	int i, j, try;

	for (try = 0; try < TIMING_TRIES; try++) {
		for (i = 0; i < TIMING_ROUNDS; i++) {
			for (j = 0; j < 2; j++) {
				int first = (i + j) % 2;

				t0 = now_ms();
				ck_assert_int_eq(fn(first ? known : unknown,
				    arg), PW_FAIL);
				(first ? tk : tu)[i] = now_ms() - t0;
			}
			ratio[i] = tu[i] / (tk[i] > 0 ? tk[i] : 1e-9);
		}
		qsort(tk, TIMING_ROUNDS, sizeof(tk[0]), cmp_double);
		qsort(tu, TIMING_ROUNDS, sizeof(tu[0]), cmp_double);
		qsort(ratio, TIMING_ROUNDS, sizeof(ratio[0]), cmp_double);
		dev = ratio[TIMING_ROUNDS / 2] - 1;
		dev = dev < 0 ? -dev : dev;
		fprintf(stderr, "timing: median known %.3f ms, unknown %.3f ms, "
		    "median ratio %.3f\n", tk[TIMING_ROUNDS / 2],
		    tu[TIMING_ROUNDS / 2], ratio[TIMING_ROUNDS / 2]);
		if (dev <= TIMING_TOLERANCE)
			break;
	}
	ck_assert_msg(dev <= TIMING_TOLERANCE, "unknown user vs wrong "
	    "password: median time ratio %.3f", ratio[TIMING_ROUNDS / 2]);
}

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

/* ---- shadow and PAM: a temporary system user (root only) ---- */

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
	ck_assert_int_eq(password_check(&s, test_user, "wrong", 5, &res,
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
	SRunner *sr = srunner_create(password_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
