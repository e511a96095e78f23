/* check_pty.c: the monitor's pseudo-terminals (privsep/pty.c): modes
 * and window size of pty-req applied, the user's process side. */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "privsep/pty.h"
#include "protocol/ttymodes.h"

static struct pty
open_with(const struct ttymode *modes, size_t n)
{
	struct pty_size size = { 100, 30, 800, 600 };
	struct passwd *pw = getpwuid(getuid());
	struct pty p;

	ck_assert_ptr_nonnull(pw);
	ck_assert_int_eq(pty_open(pw, modes, n, &size, &p), 0);
	ck_assert_int_ne(p.master, -1);
	ck_assert_int_ne(p.slave, -1);
	ck_assert_int_eq(strncmp(p.name, "/dev/pts/", 9), 0);
	return p;
}

START_TEST(test_modes_applied)
{
	static const struct ttymode modes[] = {
		{ 1, 5 },		/* VINTR ^E */
		{ 3, 255 },		/* VERASE disabled */
		{ 53, 0 },		/* ECHO off */
		{ 51, 1 },		/* ICANON on */
		{ 72, 0 },		/* ONLCR off */
		{ 38, 0 },		/* IXON off (character size and parity
					 * a Linux pty keeps as CS8) */
		{ 129, 9600 },		/* output speed */
		{ 17, 1 },		/* VSTATUS: not on Linux, skipped */
		{ 128, 12345 },		/* no such speed: skipped */
	};
	struct pty p = open_with(modes, sizeof(modes) / sizeof(modes[0]));
	struct termios tio;

	ck_assert_int_eq(tcgetattr(p.slave, &tio), 0);
	ck_assert_uint_eq(tio.c_cc[VINTR], 5);
	ck_assert_uint_eq(tio.c_cc[VERASE], _POSIX_VDISABLE);
	ck_assert(!(tio.c_lflag & ECHO));
	ck_assert(tio.c_lflag & ICANON);
	ck_assert(!(tio.c_oflag & ONLCR));
	ck_assert(!(tio.c_iflag & IXON));
	ck_assert_uint_eq(cfgetospeed(&tio), B9600);
	ck_assert_int_eq(pty_mode_known(17), 0);
	ck_assert_int_eq(pty_mode_known(53), 1);
	pty_close(&p);
	ck_assert_int_eq(p.master, -1);
	ck_assert_int_eq(p.slave, -1);
}
END_TEST

START_TEST(test_size_and_resize)
{
	struct pty p = open_with(NULL, 0);
	struct pty_size big = { 70000, 50, 0, 0 };
	struct winsize ws;

	ck_assert_int_eq(ioctl(p.slave, TIOCGWINSZ, &ws), 0);
	ck_assert_uint_eq(ws.ws_col, 100);
	ck_assert_uint_eq(ws.ws_row, 30);
	ck_assert_uint_eq(ws.ws_xpixel, 800);
	ck_assert_uint_eq(ws.ws_ypixel, 600);
	/* 32-bit sizes from the wire are clamped, not truncated. */
	ck_assert_int_eq(pty_set_size(p.master, &big), 0);
	ck_assert_int_eq(ioctl(p.slave, TIOCGWINSZ, &ws), 0);
	ck_assert_uint_eq(ws.ws_col, 0xffff);
	ck_assert_uint_eq(ws.ws_row, 50);
	pty_close(&p);
}
END_TEST

START_TEST(test_owner_and_mode)
{
	struct pty p = open_with(NULL, 0);
	struct stat st;

	ck_assert_int_eq(fstat(p.slave, &st), 0);
	ck_assert_uint_eq(st.st_uid, getuid());
	if (getuid() == 0)
		ck_assert_uint_eq(st.st_mode & 07777, 0620);
	pty_close(&p);
}
END_TEST

/* The user's side: a new session whose controlling terminal is the
 * slave, on stdin, stdout and stderr; the master sees its output. */
START_TEST(test_make_controlling)
{
	struct pty p = open_with(NULL, 0);
	char buf[64];
	ssize_t n;
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (pty_make_controlling(&p) != 0 || getsid(0) != getpid() ||
		    tcgetpgrp(STDIN_FILENO) != getpid() ||
		    !isatty(STDOUT_FILENO) || !isatty(STDERR_FILENO) ||
		    write(STDOUT_FILENO, "hello", 5) != 5)
			_exit(1);
		_exit(0);
	}
	close(p.slave);
	p.slave = -1;
	n = read(p.master, buf, sizeof(buf));
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_close(&p);
}
END_TEST

static Suite *
pty_suite(void)
{
	Suite *s = suite_create("pty");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_modes_applied);
	tcase_add_test(tc, test_size_and_resize);
	tcase_add_test(tc, test_owner_and_mode);
	tcase_add_test(tc, test_make_controlling);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pty_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
