/*
 * check_userproc_deadline.c: the monitor never waits for a process that
 * runs as the user beyond its deadline.  A helper that writes a little
 * and then hangs is read until the deadline only (userproc_read_until)
 * and killed (userproc_kill, stopped processes too); the real
 * authorized_keys reader (userkeys_find), stopped by SIGSTOP as the
 * user's other processes could do, makes the lookup fail in bounded time
 * and is gone afterwards.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "auth/authkeys.h"
#include "common/config.h"
#include "common/log.h"
#include "common/monotime.h"
#include "privsep/userkeys.h"
#include "privsep/userproc.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

#define DEADLINE_MS	300
#define BOUND_MS	5000	/* "bounded": far above the deadline */
#define TRIES		50

static int
gone(pid_t pid)
{
	return kill(pid, 0) == -1 && errno == ESRCH;
}

/* A child that writes a little and then hangs: read until the deadline,
 * then killed and reaped. */
START_TEST(test_read_until_hanging_writer)
{
	struct buf *b = NULL;
	uint64_t start;
	pid_t pid;
	int p[2], r;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], "partial", 7) != 7)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	start = monotime_ms();
	r = userproc_read_until(p[0], 1024, start + DEADLINE_MS, &b);
	ck_assert_int_eq(r, SSH_ERR_CONN_TIMEOUT);
	ck_assert_ptr_null(b);
	ck_assert_uint_ge(monotime_ms() - start, DEADLINE_MS);
	ck_assert_uint_lt(monotime_ms() - start, BOUND_MS);
	userproc_kill(pid);
	ck_assert(gone(pid));
	close(p[0]);
}
END_TEST

/* One that finishes in time is read whole. */
START_TEST(test_read_until_in_time)
{
	struct buf *b = NULL;
	pid_t pid;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		close(p[0]);
		_exit(write(p[1], "all of it", 9) == 9 ? 0 : 1);
	}
	close(p[1]);
	ck_assert_int_eq(userproc_read_until(p[0], 1024, monotime_ms() +
	    BOUND_MS, &b), 0);
	ck_assert_uint_eq(buf_len(b), 9);
	ck_assert_int_eq(memcmp(buf_ptr(b), "all of it", 9), 0);
	buf_free(b);
	ck_assert_int_eq(userproc_wait(pid), 0);
	close(p[0]);
}
END_TEST

/* A stopped process is killed and reaped too. */
START_TEST(test_kill_stopped)
{
	siginfo_t si;
	pid_t pid;

	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	memset(&si, 0, sizeof(si));
	ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WSTOPPED | WNOWAIT),
	    0);
	userproc_kill(pid);
	ck_assert(gone(pid));
}
END_TEST

/* The stopper: SIGSTOPs every child of the main thread, as the user's
 * own processes could SIGSTOP the helper running as them. */
static pid_t main_tid;
static volatile int stopper_run;
static pid_t stopped[64];
static volatile size_t nstopped;

static void *
stopper(void *arg)
{
	char path[64], text[256], *p, *end;
	FILE *f;
	long pid;

	(void)arg;
	snprintf(path, sizeof(path), "/proc/self/task/%ld/children",
	    (long)main_tid);
	while (stopper_run) {
		if ((f = fopen(path, "re")) == NULL)
			continue;
		if (fgets(text, sizeof(text), f) != NULL) {
			for (p = text; (pid = strtol(p, &end, 10)) > 0;
			    p = end) {
				kill((pid_t)pid, SIGSTOP);
				if (nstopped < 64 && (nstopped == 0 ||
				    stopped[nstopped - 1] != pid))
					stopped[nstopped++] = (pid_t)pid;
			}
		}
		fclose(f);
	}
	return NULL;
}

START_TEST(test_userkeys_stopped_helper)
{
	char dir[] = "/tmp/check_userproc_deadline.XXXXXX", file[64];
	char *files[3];
	struct strlist list = { files, 3 };
	struct authkeys_entry *e = NULL;
	struct buf *blob;
	struct passwd *pw;
	pthread_t th;
	uint64_t start, took = 0;
	FILE *f;
	int i, r, caught = 0;
	size_t k;

	log_init("check_userproc_deadline", LOG_LVL_ERROR, LOG_AUTH, 1);
	ck_assert_ptr_nonnull(pw = getpwuid(geteuid()));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/keys", dir);
	/* Large (but allowed) files: the helper lives a few ms. */
	ck_assert_ptr_nonnull(f = fopen(file, "w"));
	for (i = 0; i < 900 * 1024 / 64; i++)
		fprintf(f, "# %060d\n", i);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(file, 0644), 0);
	files[0] = files[1] = files[2] = file;
	ck_assert_ptr_nonnull(blob = buf_new());
	ck_assert_int_eq(buf_put_cstring(blob, "not a key"), 0);
	main_tid = (pid_t)syscall(SYS_gettid);
	for (i = 0; i < TRIES && !caught; i++) {
		nstopped = 0;
		stopper_run = 1;
		ck_assert_int_eq(pthread_create(&th, NULL, stopper, NULL), 0);
		userkeys_set_deadline(monotime_ms() + DEADLINE_MS);
		start = monotime_ms();
		r = userkeys_find(pw, &list, "", "", blob, 0, "127.0.0.1", &e);
		took = monotime_ms() - start;
		stopper_run = 0;
		ck_assert_int_eq(pthread_join(th, NULL), 0);
		ck_assert_ptr_null(e);
		if (r == SSH_ERR_CONN_TIMEOUT) {
			caught = 1;
			ck_assert_uint_lt(took, BOUND_MS);
			for (k = 0; k < nstopped; k++)
				ck_assert_msg(gone(stopped[k]),
				    "helper %ld still there", (long)stopped[k]);
		} else {
			/* Missed it: it finished first.  Reap what was
			 * stopped after it was waited for (nothing). */
			ck_assert_int_eq(r, SSH_ERR_KEY_NOT_FOUND);
		}
	}
	ck_assert_msg(caught, "never caught the helper in %d tries", TRIES);
	userkeys_set_deadline(0);
	buf_free(blob);
	unlink(file);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("userproc_deadline");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_read_until_hanging_writer);
	tcase_add_test(tc, test_read_until_in_time);
	tcase_add_test(tc, test_kill_stopped);
	tcase_add_test(tc, test_userkeys_stopped_helper);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
