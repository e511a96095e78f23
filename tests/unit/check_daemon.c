/*
 * check_daemon.c: the listener's building blocks: log escaping, the
 * max_startups drop chance, the child table and its status pipes, the pid
 * file, what spawn hands a session and listen socket errors.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/children.h"
#include "common/config.h"
#include "daemon/listener.h"
#include "common/log.h"
#include "daemon/pidfile.h"
#include "daemon/spawn.h"
#include "protocol/ssherr.h"

static char tmpdir[64];

static void
setup_tmp(void)
{
	strcpy(tmpdir, "/tmp/check_daemon.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_sanitise_printable_kept)
{
	char out[64];

	ck_assert_str_eq(log_sanitise(out, sizeof(out), "user root from 1.2.3.4"),
	    "user root from 1.2.3.4");
}
END_TEST

START_TEST(test_sanitise_controls_escaped)
{
	char out[64];

	/* A newline must not start a forged log line; ESC must not reach a
	 * terminal; bytes >= 0x80 are escaped too. */
	ck_assert_str_eq(log_sanitise(out, sizeof(out),
	    "a\nb\r\x1b[0m\x7f\xc3\xa9\\"),
	    "a\\012b\\015\\033[0m\\177\\303\\251\\\\");
}
END_TEST

START_TEST(test_sanitise_truncates_whole_escapes)
{
	char out[6];

	/* "ab" fits, then "\012" (4 bytes) would not: cut before it. */
	ck_assert_str_eq(log_sanitise(out, sizeof(out), "ab\ncd"), "ab");
	ck_assert_str_eq(log_sanitise(out, sizeof(out), "abcdefgh"), "abcde");
	ck_assert_str_eq(log_sanitise(out, 1, "abc"), "");
}
END_TEST

/* Runs the logging calls with stderr on a pipe; returns what was written. */
static void
capture_log(char *out, size_t outsize)
{
	int p[2], saved;
	ssize_t n;
	size_t len = 0;

	ck_assert_int_eq(pipe(p), 0);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(p[1], STDERR_FILENO), STDERR_FILENO);
	close(p[1]);
	log_init("tester", LOG_LVL_VERBOSE, 0, 1);
	log_error("e %d", 1);
	log_info("i\nforged[1]: error: x");
	log_verbose("v");
	log_debug("d (not written)");
	log_set_level(LOG_LVL_ERROR);
	log_info("i2 (not written)");
	ck_assert_int_eq(log_get_level(), LOG_LVL_ERROR);
	ck_assert_int_eq(log_enabled(LOG_LVL_INFO), 0);
	ck_assert_int_eq(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	while ((n = read(p[0], out + len, outsize - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
}

START_TEST(test_log_stderr_format_and_levels)
{
	char out[512], want[512];
	long pid = (long)getpid();

	capture_log(out, sizeof(out));
	snprintf(want, sizeof(want),
	    "tester[%ld]: error: e 1\n"
	    "tester[%ld]: info: i\\012forged[1]: error: x\n"
	    "tester[%ld]: verbose: v\n", pid, pid, pid);
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(test_drop_chance_openssh_curve)
{
	/* "10:30:100" */
	ck_assert_uint_eq(children_drop_chance(0, 10, 30, 100), 0);
	ck_assert_uint_eq(children_drop_chance(9, 10, 30, 100), 0);
	ck_assert_uint_eq(children_drop_chance(10, 10, 30, 100), 30);
	ck_assert_uint_eq(children_drop_chance(55, 10, 30, 100), 65);
	ck_assert_uint_eq(children_drop_chance(99, 10, 30, 100), 99);
	ck_assert_uint_eq(children_drop_chance(100, 10, 30, 100), 100);
	ck_assert_uint_eq(children_drop_chance(5000, 10, 30, 100), 100);
}
END_TEST

START_TEST(test_drop_chance_edges)
{
	/* "1:100:1": one unauthenticated session fills it. */
	ck_assert_uint_eq(children_drop_chance(0, 1, 100, 1), 0);
	ck_assert_uint_eq(children_drop_chance(1, 1, 100, 1), 100);
	/* begin == full: no division by zero. */
	ck_assert_uint_eq(children_drop_chance(4, 5, 50, 5), 0);
	ck_assert_uint_eq(children_drop_chance(5, 5, 50, 5), 100);
	/* Nonsense is refused, not divided by. */
	ck_assert_uint_eq(children_drop_chance(0, -1, 30, 10), 100);
}
END_TEST

START_TEST(test_should_drop_deterministic_ends)
{
	struct children c;
	int i;

	children_init(&c);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(children_should_drop(&c, 1, 100, 1), 0);
	ck_assert_int_eq(children_add(&c, 100, -1, "x"), 0);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(children_should_drop(&c, 1, 100, 1), 1);
	children_clear(&c);
}
END_TEST

START_TEST(test_children_add_find_remove)
{
	struct children c;
	struct child *ch;
	pid_t pid;

	children_init(&c);
	for (pid = 1000; pid < 1100; pid++)
		ck_assert_int_eq(children_add(&c, pid, -1, "peer"), 0);
	ck_assert_uint_eq(c.c_n, 100);
	ck_assert_uint_eq(c.c_unauthenticated, 100);
	ck_assert_ptr_null(children_find(&c, 999));
	ch = children_find(&c, 1042);
	ck_assert_ptr_nonnull(ch);
	ck_assert_str_eq(ch->ch_peer, "peer");
	children_remove(&c, ch);
	ck_assert_ptr_null(children_find(&c, 1042));
	ck_assert_ptr_nonnull(children_find(&c, 1099));
	ck_assert_uint_eq(c.c_n, 99);
	ck_assert_uint_eq(c.c_unauthenticated, 99);
	children_clear(&c);
	ck_assert_uint_eq(c.c_n, 0);
}
END_TEST

START_TEST(test_children_status_pipe)
{
	struct children c;
	struct child *ch;
	int p[2];
	char junk[] = { 'x', CHILD_STATUS_AUTHENTICATED,
	    CHILD_STATUS_AUTHENTICATED };
	char a = CHILD_STATUS_AUTHENTICATED;

	children_init(&c);
	/* The status socketpair of spawn.c: one record a datagram. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, p), 0);
	ck_assert_int_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(children_add(&c, 7, p[0], "peer"), 0);
	ck_assert_int_eq(children_add(&c, 8, -1, "other"), 0);
	ch = children_find(&c, 7);
	/* Nothing written yet: still unauthenticated, pipe kept. */
	children_read_status(&c, ch);
	ck_assert_int_eq(ch->ch_status_fd, p[0]);
	ck_assert_uint_eq(c.c_unauthenticated, 2);
	/* An unknown record is ignored, its 'A' bytes too; a repeated
	 * status counts once. */
	ck_assert_int_eq(write(p[1], junk, sizeof(junk)), (int)sizeof(junk));
	children_read_status(&c, ch);
	ck_assert_int_eq(ch->ch_authenticated, 0);
	ck_assert_int_eq(write(p[1], &a, 1), 1);
	ck_assert_int_eq(write(p[1], &a, 1), 1);
	children_read_status(&c, ch);
	ck_assert_int_eq(ch->ch_authenticated, 1);
	ck_assert_uint_eq(c.c_unauthenticated, 1);
	/* EOF closes the pipe; removal does not count it twice. */
	close(p[1]);
	children_read_status(&c, ch);
	ck_assert_int_eq(ch->ch_status_fd, -1);
	children_remove(&c, ch);
	ck_assert_uint_eq(c.c_unauthenticated, 1);
	children_remove(&c, children_find(&c, 8));
	ck_assert_uint_eq(c.c_unauthenticated, 0);
	children_clear(&c);
}
END_TEST

/* A 'P' record: taken only from a proxy child, once, before
 * authentication; its address bytes are never status bytes. */
START_TEST(test_children_proxy_record)
{
	struct children c;
	struct child *ch;
	struct sockaddr_in sin;
	struct sockaddr_in6 s6;
	uint8_t rec[CHILD_STATUS_PROXY_LEN];
	int p[2];

	children_init(&c);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, p), 0);
	ck_assert_int_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(children_add(&c, 7, p[0], "127.0.0.1 port 9"), 0);
	ch = children_find(&c, 7);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(40001);
	/* 65.65.65.65: every byte an 'A'. */
	ck_assert_int_eq(inet_pton(AF_INET, "65.65.65.65", &sin.sin_addr), 1);
	ck_assert_int_eq(children_proxy_record((struct sockaddr *)&sin, rec),
	    0);
	/* Not a proxy child: ignored, and not taken for 'A' either. */
	ck_assert_int_eq(write(p[1], rec, sizeof(rec)), (int)sizeof(rec));
	ck_assert_int_eq(children_read_status(&c, ch), 0);
	ck_assert_int_eq(ch->ch_authenticated, 0);
	ck_assert_str_eq(ch->ch_peer, "127.0.0.1 port 9");
	ck_assert_uint_eq(ch->ch_addrlen, 0);
	/* A proxy child: taken once, and now penalised as the client. */
	ch->ch_proxy = 1;
	ch->ch_no_penalty = 1;
	ck_assert_int_eq(write(p[1], rec, sizeof(rec)), (int)sizeof(rec));
	ck_assert_int_eq(children_read_status(&c, ch), 1);
	ck_assert_int_eq(ch->ch_authenticated, 0);
	ck_assert_str_eq(ch->ch_peer, "65.65.65.65 port 40001");
	ck_assert_int_eq(ch->ch_no_penalty, 0);
	ck_assert_uint_eq(ch->ch_addrlen, sizeof(sin));
	ck_assert_int_eq(memcmp(&ch->ch_addr, &sin, sizeof(sin)), 0);
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(1);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::1", &s6.sin6_addr), 1);
	ck_assert_int_eq(children_proxy_record((struct sockaddr *)&s6, rec),
	    0);
	ck_assert_int_eq(write(p[1], rec, sizeof(rec)), (int)sizeof(rec));
	ck_assert_int_eq(children_read_status(&c, ch), 0);
	ck_assert_str_eq(ch->ch_peer, "65.65.65.65 port 40001");
	/* After authentication a proxy child cannot move either. */
	ch->ch_proxy = 1;
	rec[0] = CHILD_STATUS_AUTHENTICATED;
	ck_assert_int_eq(write(p[1], rec, 1), 1);
	ck_assert_int_eq(children_read_status(&c, ch), 0);
	ck_assert_int_eq(ch->ch_authenticated, 1);
	ck_assert_int_eq(children_proxy_record((struct sockaddr *)&s6, rec),
	    0);
	ck_assert_int_eq(write(p[1], rec, sizeof(rec)), (int)sizeof(rec));
	ck_assert_int_eq(children_read_status(&c, ch), 0);
	ck_assert_str_eq(ch->ch_peer, "65.65.65.65 port 40001");
	/* Only the two families. */
	sin.sin_family = AF_UNIX;
	ck_assert_int_eq(children_proxy_record((struct sockaddr *)&sin, rec),
	    SSH_ERR_INVALID_ARGUMENT);
	close(p[1]);
	children_clear(&c);
}
END_TEST

START_TEST(test_children_limit)
{
	struct children c;
	size_t i;

	children_init(&c);
	for (i = 0; i < CHILDREN_MAX; i++)
		ck_assert_int_eq(children_add(&c, (pid_t)(i + 1), -1, "p"), 0);
	ck_assert_int_eq(children_add(&c, 1, -1, "p"), SSH_ERR_LIMIT_EXCEEDED);
	children_clear(&c);
}
END_TEST

START_TEST(test_pidfile_save_unlink)
{
	char path[128], buf[32];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pid", tmpdir);
	/* Truncated when it exists. */
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("stale stale stale stale\n", f);
	fclose(f);
	umask(077);
	ck_assert_int_eq(pidfile_save(path, 12345), 0);
	umask(022);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	memset(buf, 0, sizeof(buf));
	ck_assert_uint_eq(fread(buf, 1, sizeof(buf) - 1, f), 6);
	fclose(f);
	ck_assert_str_eq(buf, "12345\n");
	ck_assert_int_eq(pidfile_unlink(path), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
	/* Already gone is fine. */
	ck_assert_int_eq(pidfile_unlink(path), 0);
}
END_TEST

START_TEST(test_pidfile_refuses_symlink)
{
	char path[128], target[128];

	snprintf(path, sizeof(path), "%s/pid", tmpdir);
	snprintf(target, sizeof(target), "%s/target", tmpdir);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(pidfile_save(path, 1), SSH_ERR_SYSTEM_ERROR);
	ck_assert_int_eq(access(target, F_OK), -1);
}
END_TEST

/* A listening socket on 127.0.0.1 with a kernel-chosen port. */
static int
listen_any(int *portp)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ne(fd, -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*portp = ntohs(sin.sin_port);
	return fd;
}

START_TEST(test_listener_port_in_use)
{
	struct listener *l = NULL;
	struct strlist specs;
	char spec[32], *v[1], err[256], want[128];
	int port, fd = listen_any(&port);

	snprintf(spec, sizeof(spec), "127.0.0.1:%d", port);
	v[0] = spec;
	specs.v = v;
	specs.n = 1;
	ck_assert_int_eq(listener_open(&specs, &l, err, sizeof(err)),
	    SSH_ERR_SYSTEM_ERROR);
	ck_assert_ptr_null(l);
	snprintf(want, sizeof(want), "cannot listen on %s: Address already "
	    "in use", spec);
	ck_assert_str_eq(err, want);
	close(fd);
}
END_TEST

START_TEST(test_listener_opens_and_names)
{
	struct listener *l = NULL;
	struct strlist specs;
	char spec[32], want[32], *v[1], err[256];
	int port, fd = listen_any(&port), flags;

	/* Learn a free port, release it, listen there ourselves. */
	close(fd);
	snprintf(spec, sizeof(spec), "127.0.0.1:%d", port);
	v[0] = spec;
	specs.v = v;
	specs.n = 1;
	ck_assert_int_eq(listener_open(&specs, &l, err, sizeof(err)), 0);
	ck_assert_uint_eq(l->l_n, 1);
	snprintf(want, sizeof(want), "127.0.0.1:%d", port);
	ck_assert_str_eq(l->l_socks[0].ls_name, want);
	flags = fcntl(l->l_socks[0].ls_fd, F_GETFD);
	ck_assert_int_ne(flags & FD_CLOEXEC, 0);
	flags = fcntl(l->l_socks[0].ls_fd, F_GETFL);
	ck_assert_int_ne(flags & O_NONBLOCK, 0);
	listener_free(l);
}
END_TEST

START_TEST(test_listener_bad_spec)
{
	struct listener *l = NULL;
	struct strlist specs;
	char *v[1] = { "127.0.0.1" }, err[256];

	specs.v = v;
	specs.n = 1;
	ck_assert_int_ne(listener_open(&specs, &l, err, sizeof(err)), 0);
	ck_assert_ptr_null(l);
	/* No port: refused before any address lookup. */
	ck_assert_ptr_nonnull(strstr(err, "cannot listen on 127.0.0.1: "));
	specs.n = 0;
	ck_assert_int_ne(listener_open(&specs, &l, err, sizeof(err)), 0);
	ck_assert_ptr_null(l);
}
END_TEST

/*
 * What a spawned session sees: fds 0 and 1 on /dev/null, 3 the socket, 4
 * the status pipe, 5 the handover memfd, nothing else open (even a descriptor the parent left
 * without close-on-exec), no blocked signals, SIGPIPE not ignored.
 */
static const char spawn_probe[] =
    "exec 2>/dev/null; "
    "echo in=$(readlink /proc/$$/fd/0) >&3; "
    "echo out=$(readlink /proc/$$/fd/1) >&3; "
    "echo cfg=$(readlink /proc/$$/fd/5) >&3; "
    "for i in 6 7 8 9 10 11 12; do "
    "  if (true >&$i) 2>/dev/null; then echo open=$i >&3; fi; "
    "done; "
    "grep -E '^Sig(Blk|Ign)' /proc/$$/status | "
    "  sed 's/[[:space:]]*$//' >&3; "
    "printf A >&4";

START_TEST(test_spawn_descriptors)
{
	char *argv[] = { "/bin/sh", "-c", (char *)spawn_probe, NULL };
	struct children c;
	char out[1024], *p;
	int sp[2], leak, status_fd, st, cfg;
	unsigned long long blocked, ignored;
	sigset_t set, old;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	/* As in the listener. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &set, &old), 0);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sp), 0);
	/* A descriptor the child must not get, close-on-exec or not. */
	leak = fcntl(sp[0], F_DUPFD, 7);
	ck_assert_int_ge(leak, 7);
	/* The handover memfd, close-on-exec in the listener. */
	cfg = memfd_create("probe", MFD_CLOEXEC);
	ck_assert_int_ge(cfg, 0);
	ck_assert_int_eq(spawn_session(argv, sp[1], cfg, 0, &pid, &status_fd),
	    0);
	ck_assert_int_eq(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	signal(SIGPIPE, SIG_DFL);
	close(sp[1]);
	while ((n = read(sp[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "st %x out %s", st, out);
	p = strstr(out, "SigBlk:\t");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "SigBlk:\t%llx\nSigIgn:\t%llx\n", &blocked,
	    &ignored), 2);
	ck_assert(blocked == 0);
	ck_assert((ignored & (1ULL << (SIGPIPE - 1))) == 0);
	*p = '\0';
	ck_assert_str_eq(out, "in=/dev/null\nout=/dev/null\n"
	    "cfg=/memfd:probe (deleted)\n");
	/* The status byte arrived on the pipe the listener keeps. */
	children_init(&c);
	ck_assert_int_eq(children_add(&c, pid, status_fd, "probe"), 0);
	children_read_status(&c, children_find(&c, pid));
	ck_assert_uint_eq(c.c_unauthenticated, 0);
	ck_assert_int_ne(fcntl(status_fd, F_GETFD) & FD_CLOEXEC, 0);
	children_clear(&c);
	close(leak);
	close(cfg);
	close(sp[0]);
}
END_TEST

START_TEST(test_spawn_missing_program)
{
	char *argv[] = { "/nonexistent/nanosshd-session", NULL };
	int sp[2], status_fd;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ck_assert_int_eq(spawn_session(argv, sp[1], sp[0], 0, &pid,
	    &status_fd), SSH_ERR_SYSTEM_ERROR);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(pid, -1);
	ck_assert_int_eq(status_fd, -1);
	close(sp[0]);
	close(sp[1]);
}
END_TEST

static Suite *
daemon_suite(void)
{
	Suite *s = suite_create("daemon");
	TCase *tc = tcase_create("core");
	TCase *fs = tcase_create("files");

	tcase_add_test(tc, test_sanitise_printable_kept);
	tcase_add_test(tc, test_sanitise_controls_escaped);
	tcase_add_test(tc, test_sanitise_truncates_whole_escapes);
	tcase_add_test(tc, test_log_stderr_format_and_levels);
	tcase_add_test(tc, test_drop_chance_openssh_curve);
	tcase_add_test(tc, test_drop_chance_edges);
	tcase_add_test(tc, test_should_drop_deterministic_ends);
	tcase_add_test(tc, test_children_add_find_remove);
	tcase_add_test(tc, test_children_status_pipe);
	tcase_add_test(tc, test_children_limit);
	tcase_add_test(tc, test_listener_port_in_use);
	tcase_add_test(tc, test_listener_opens_and_names);
	tcase_add_test(tc, test_children_proxy_record);
	tcase_add_test(tc, test_listener_bad_spec);
	tcase_add_test(tc, test_spawn_descriptors);
	tcase_add_test(tc, test_spawn_missing_program);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(fs, setup_tmp, teardown_tmp);
	tcase_add_test(fs, test_pidfile_save_unlink);
	tcase_add_test(fs, test_pidfile_refuses_symlink);
	suite_add_tcase(s, fs);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(daemon_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
