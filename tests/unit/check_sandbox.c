/*
 * check_sandbox.c: the protocol child's sandbox, entered by forked
 * children: what must keep working, and what must kill it with SIGSYS
 * (check_sandbox_chroot.c: which chroot directories are accepted).
 *
 * Two modes: "full" (as root: chroot to a fresh root-owned directory,
 * drop to nobody) and "unpriv" (sandbox_enter's non-root path; when the
 * test runs as root the child first drops to nobody by itself, so CI,
 * which runs as root, exercises both).
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "privsep/ipc.h"
#include "privsep/sandbox.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

#define MODE_FULL	0
#define MODE_UNPRIV	1

/* Exit codes of sandboxed children. */
#define EX_OK		0
#define EX_ENTER	90	/* sandbox_enter failed */
#define EX_DROP		91	/* dropping to nobody by hand failed */
#define EX_SURVIVED	92	/* a forbidden call returned */
#define EX_CHECK	93	/* an allowed call misbehaved */

static char chroot_dir[64];
static uid_t nobody_uid;
static gid_t nobody_gid;

static void
setup(void)
{
	struct passwd *pw;

	chroot_dir[0] = '\0';
	if (geteuid() != 0)
		return;
	ck_assert_ptr_nonnull(pw = getpwnam("nobody"));
	nobody_uid = pw->pw_uid;
	nobody_gid = pw->pw_gid;
	strlcpy(chroot_dir, "/tmp/check_sandbox.XXXXXX", sizeof(chroot_dir));
	ck_assert_ptr_nonnull(mkdtemp(chroot_dir));
	ck_assert_int_eq(chmod(chroot_dir, 0755), 0);
}

static void
teardown(void)
{
	if (chroot_dir[0] != '\0')
		rmdir(chroot_dir);
}

/* In the child: confine it, or exit with EX_ENTER / EX_DROP. */
static void
enter(int mode)
{
	struct sandbox_params sp;
	char *why = NULL;

	memset(&sp, 0, sizeof(sp));
	sp.sb_max_files = 64;
	if (mode == MODE_FULL) {
		sp.sb_chroot = chroot_dir;
		sp.sb_user = "nobody";
	} else if (geteuid() == 0) {
		if (setgroups(1, &nobody_gid) != 0 ||
		    setresgid(nobody_gid, nobody_gid, nobody_gid) != 0 ||
		    setresuid(nobody_uid, nobody_uid, nobody_uid) != 0)
			_exit(EX_DROP);
	}
	if (sandbox_enter(&sp, &why) != 0) {
		if (why != NULL)
			(void)!write(2, why, strlen(why));
		_exit(EX_ENTER);
	}
}

static pid_t
spawn(int mode, void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		enter(mode);
		fn(arg);
		_exit(EX_OK);
	}
	return pid;
}

static int
wait_for(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		ck_assert_int_eq(errno, EINTR);
	return status;
}

static void
assert_exited_ok(int status)
{
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == EX_OK,
	    "child %s %d", WIFEXITED(status) ? "exited" : "killed by signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

static void
assert_killed_by(int status, int sig)
{
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == sig,
	    "child %s %d, expected signal %d",
	    WIFEXITED(status) ? "exited" : "killed by signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), sig);
}

/* The mode of loop-test index i: both when root, unpriv otherwise. */
static int
mode_of(int i)
{
	return geteuid() == 0 ? i % 2 : MODE_UNPRIV;
}

static int
nmodes(void)
{
	return geteuid() == 0 ? 2 : 1;
}

/* Allowed: each a behaviour the protocol child relies on. */

static void
c_pipe_io(void *arg)
{
	int *p = arg;
	char c = 0;

	if (write(p[1], "z", 1) != 1 || read(p[0], &c, 1) != 1 || c != 'z' ||
	    close(p[0]) != 0 || close(p[1]) != 0)
		_exit(EX_CHECK);
}

START_TEST(test_allowed_pipe_io)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_pipe_io, p)));
	close(p[0]);
	close(p[1]);
}
END_TEST

static void
c_malloc_large(void *arg)
{
	size_t n = 64 * 1024 * 1024;
	unsigned char *p = malloc(n), *q;

	if (p == NULL)
		_exit(EX_CHECK);
	memset(p, 0xa5, n);
	if ((q = realloc(p, 2 * n)) == NULL || q[n - 1] != 0xa5)
		_exit(EX_CHECK);
	free(q);
	/* Many small ones: the brk heap. */
	for (n = 0; n < 10000; n++)
		free(malloc(n));
}

START_TEST(test_allowed_malloc_large)
{
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_malloc_large, NULL)));
}
END_TEST

static void
c_getrandom(void *arg)
{
	unsigned char a[32], b[32];

	if (getrandom(a, sizeof(a), 0) != (ssize_t)sizeof(a) ||
	    getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b) ||
	    memcmp(a, b, sizeof(a)) == 0)
		_exit(EX_CHECK);
}

START_TEST(test_allowed_getrandom)
{
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_getrandom, NULL)));
}
END_TEST

/* The vDSO and its system-call fallback both. */
static void
c_time(void *arg)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 ||
	    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0 ||
	    syscall(SYS_gettimeofday, NULL, NULL) != 0)
		_exit(EX_CHECK);
}

START_TEST(test_allowed_time)
{
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_time, NULL)));
}
END_TEST

static void
c_poll(void *arg)
{
	int *p = arg;
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };

	if (poll(&pfd, 1, 0) != 0 || write(p[1], "x", 1) != 1 ||
	    poll(&pfd, 1, 1000) != 1 || (pfd.revents & POLLIN) == 0)
		_exit(EX_CHECK);
}

START_TEST(test_allowed_poll)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_poll, p)));
	close(p[0]);
	close(p[1]);
}
END_TEST

/* The IPC channel in the sandbox: receive an fd and use it. */
static void
c_ipc_receive_fd(void *arg)
{
	int *sock = arg, fd;
	struct ipc *ipc;
	struct buf *payload = NULL;
	uint32_t type;

	if ((ipc = ipc_new(*sock)) == NULL ||
	    ipc_recv_wait(ipc, &type, &payload, &fd, 10000) != 0 ||
	    type != 7 || fd == -1 || write(fd, "ok", 2) != 2)
		_exit(EX_CHECK);
	close(fd);
	buf_free(payload);
	if (ipc_send_wait(ipc, 8, NULL, -1, 10000) != 0)
		_exit(EX_CHECK);
	ipc_free(ipc);
}

START_TEST(test_allowed_ipc_fd_passing)
{
	int sv[2], p[2];
	struct ipc *ipc;
	uint32_t type;
	pid_t pid;
	char got[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = spawn(mode_of(_i), c_ipc_receive_fd, &sv[1]);
	close(sv[1]);
	ck_assert_ptr_nonnull(ipc = ipc_new(sv[0]));
	ck_assert_int_eq(ipc_send_wait(ipc, 7, NULL, p[1], 10000), 0);
	ck_assert_int_eq(ipc_recv_wait(ipc, &type, NULL, NULL, 10000), 0);
	ck_assert_uint_eq(type, 8);
	ck_assert_int_eq(read(p[0], got, 2), 2);
	ck_assert_mem_eq(got, "ok", 2);
	assert_exited_ok(wait_for(pid));
	ipc_free(ipc);
	close(p[0]);
}
END_TEST

/* abort() still reports as SIGABRT, not as a sandbox violation. */
static void
c_abort(void *arg)
{
	abort();
}

START_TEST(test_abort_is_sigabrt)
{
	assert_killed_by(wait_for(spawn(mode_of(_i), c_abort, NULL)), SIGABRT);
}
END_TEST

/* Path lookups by stat fail (EACCES) without killing. */
static void
c_stat_refused(void *arg)
{
	struct stat st;

	if (stat("/etc/passwd", &st) != -1 || errno != EACCES)
		_exit(EX_CHECK);
}

START_TEST(test_stat_refused_not_fatal)
{
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_stat_refused, NULL)));
}
END_TEST

/* window-change: TIOCSWINSZ on a pty master it was given works. */
static void
c_winsize(void *arg)
{
	struct winsize ws;

	memset(&ws, 0, sizeof(ws));
	ws.ws_col = 132;
	ws.ws_row = 43;
	if (ioctl(*(int *)arg, TIOCSWINSZ, &ws) == -1)
		_exit(EX_CHECK);
}

START_TEST(test_allowed_winsize)
{
	struct winsize ws;
	int master, slave;

	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_winsize, &master)));
	ck_assert_int_eq(ioctl(slave, TIOCGWINSZ, &ws), 0);
	ck_assert_uint_eq(ws.ws_col, 132);
	ck_assert_uint_eq(ws.ws_row, 43);
	close(master);
	close(slave);
}
END_TEST

/* TCP_QUICKACK on a TCP socket it holds (the client's, during a login). */
static void
c_quickack(void *arg)
{
	int on = 1;

	if (setsockopt(*(int *)arg, IPPROTO_TCP, TCP_QUICKACK, &on,
	    sizeof(on)) == -1)
		_exit(EX_CHECK);
}

START_TEST(test_allowed_quickack)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_quickack, &fd)));
	close(fd);
}
END_TEST

/* Forbidden: each kills the process with SIGSYS. */

static void f_socket(void) { (void)socket(AF_INET, SOCK_STREAM, 0); }
static void f_socketpair(void)
{
	int sv[2];

	(void)socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
}
static void f_open(void) { (void)open("/etc/passwd", O_RDONLY); }
static void f_open_raw(void)
{
#ifdef SYS_open
	(void)syscall(SYS_open, "/etc/passwd", O_RDONLY);
#else
	(void)syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY);
#endif
}
static void f_execve(void)
{
	char *const argv[] = { (char *)"true", NULL };

	(void)execve("/bin/true", argv, argv + 1);
}
static void f_fork(void)
{
	if (fork() == 0)
		_exit(EX_SURVIVED);
}
static void f_clone3(void) { (void)syscall(SYS_clone3, NULL, 0); }
static void f_mmap_exec(void)
{
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
static void f_mmap_wx(void)
{
	(void)mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
static void f_mprotect_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(EX_CHECK);
	(void)mprotect(p, 4096, PROT_READ | PROT_EXEC);
}
static void f_kill_parent(void) { (void)kill(getppid(), 0); }
static void f_tgkill_other_signal(void)
{
	(void)syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid),
	    SIGURG);	/* ignored by default: would not end the process */
}
static void f_ptrace(void) { (void)ptrace(PTRACE_TRACEME, 0, NULL, NULL); }
static void f_ioctl(void)
{
	struct winsize ws;

	(void)ioctl(0, TIOCGWINSZ, &ws);
}
static void f_ioctl_tiocsti(void)
{
	char c = 'x';

	(void)ioctl(0, TIOCSTI, &c);
}
static void f_setuid(void) { (void)!setuid(getuid()); }
static void f_connect(void) { (void)connect(0, NULL, 0); }
static void f_fcntl_dupfd(void) { (void)fcntl(0, F_DUPFD, 0); }
static void f_chdir(void) { (void)!chdir("/"); }
static void
f_setsockopt_nodelay(void)
{
	int on = 1;

	(void)setsockopt(0, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}
static void
f_setsockopt_socket_level(void)
{
	int on = 1;

	(void)setsockopt(0, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
}
#if defined(__x86_64__)
/* The x32 ABI: x86_64's arch value, syscall numbers with bit 30 set. */
static void f_x32_getpid(void) { (void)syscall(0x40000000 | SYS_getpid); }
#endif

static const struct {
	const char	*name;
	void		(*fn)(void);
} forbidden[] = {
	{ "socket", f_socket },
	{ "socketpair", f_socketpair },
	{ "open", f_open },
	{ "open (raw syscall)", f_open_raw },
	{ "execve", f_execve },
	{ "fork", f_fork },
	{ "clone3", f_clone3 },
	{ "mmap PROT_EXEC", f_mmap_exec },
	{ "mmap PROT_WRITE|PROT_EXEC", f_mmap_wx },
	{ "mprotect PROT_EXEC", f_mprotect_exec },
	{ "kill", f_kill_parent },
	{ "tgkill (not SIGABRT)", f_tgkill_other_signal },
	{ "ptrace", f_ptrace },
	{ "ioctl", f_ioctl },
	{ "ioctl TIOCSTI", f_ioctl_tiocsti },
	{ "setuid", f_setuid },
	{ "connect", f_connect },
	{ "fcntl F_DUPFD", f_fcntl_dupfd },
	{ "chdir", f_chdir },
	{ "setsockopt TCP_NODELAY", f_setsockopt_nodelay },
	{ "setsockopt SO_REUSEADDR", f_setsockopt_socket_level },
#if defined(__x86_64__)
	{ "x32 getpid", f_x32_getpid },
#endif
};
#define NFORBIDDEN	(int)(sizeof(forbidden) / sizeof(forbidden[0]))

static void
c_forbidden(void *arg)
{
	forbidden[*(int *)arg].fn();
	_exit(EX_SURVIVED);
}

START_TEST(test_forbidden)
{
	int call = _i / nmodes(), status;

	status = wait_for(spawn(mode_of(_i), c_forbidden, &call));
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
	    "%s: child %s %d", forbidden[call].name,
	    WIFEXITED(status) ? "exited" : "killed by signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}
END_TEST

#if defined(__x86_64__)
/* i386 getpid through int 0x80: another audit arch. */
static long
int80_getpid(void)
{
	long ret;

	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(20L)
	    : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static void
c_int80(void *arg)
{
	(void)int80_getpid();
	_exit(EX_SURVIVED);
}

/* 1 if this kernel runs i386 system calls at all (IA32 emulation). */
static int
have_ia32(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(int80_getpid() == (long)getpid() ? 0 : 1);
	if (pid == -1 || waitpid(pid, &status, 0) == -1)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

START_TEST(test_forbidden_i386_abi)
{
	assert_killed_by(wait_for(spawn(mode_of(_i), c_int80, NULL)), SIGSYS);
}
END_TEST
#endif

/* /proc of a sandboxed child, read while it waits on a pipe. */
struct held {
	pid_t	pid;
	int	hold;	/* closing it lets the child end */
};

static void
c_hold(void *arg)
{
	int *p = arg;	/* ready[1], hold[0] */
	char c;

	if (write(p[0], "r", 1) != 1 || read(p[1], &c, 1) != 0)
		_exit(EX_CHECK);
}

static struct held
hold_sandboxed(int mode)
{
	int ready[2], hold[2], pass[2];
	struct held h;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(hold), 0);
	pass[0] = ready[1];
	pass[1] = hold[0];
	h.pid = fork();
	ck_assert_int_ne(h.pid, -1);
	if (h.pid == 0) {
		close(ready[0]);
		close(hold[1]);
		enter(mode);
		c_hold(pass);
		_exit(EX_OK);
	}
	close(ready[1]);
	close(hold[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	h.hold = hold[1];
	return h;
}

static void
release(struct held h)
{
	close(h.hold);
	assert_exited_ok(wait_for(h.pid));
}

/* The line of /proc/PID/FILE starting with key, without the key. */
static char *
proc_line(pid_t pid, const char *file, const char *key, char *out,
    size_t outsize)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, file);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, strlen(key)) == 0) {
			line[strcspn(line, "\n")] = '\0';
			strlcpy(out, line + strlen(key), outsize);
			break;
		}
	}
	fclose(f);
	ck_assert_msg(out[0] != '\0', "%s: no %s", path, key);
	return out;
}

START_TEST(test_proc_status_seccomp_nnp)
{
	struct held h = hold_sandboxed(mode_of(_i));
	char v[256];

	ck_assert_str_eq(proc_line(h.pid, "status", "Seccomp:", v, sizeof(v)),
	    "\t2");
	ck_assert_str_eq(proc_line(h.pid, "status", "NoNewPrivs:", v,
	    sizeof(v)), "\t1");
	release(h);
}
END_TEST

START_TEST(test_proc_limits)
{
	struct held h = hold_sandboxed(mode_of(_i));
	char v[256];
	unsigned long soft, hard;

	sscanf(proc_line(h.pid, "limits", "Max processes", v, sizeof(v)),
	    "%lu %lu", &soft, &hard);
	ck_assert(soft == 0 && hard == 0);
	sscanf(proc_line(h.pid, "limits", "Max file size", v, sizeof(v)),
	    "%lu %lu", &soft, &hard);
	ck_assert(soft == 0 && hard == 0);
	sscanf(proc_line(h.pid, "limits", "Max core file size", v, sizeof(v)),
	    "%lu %lu", &soft, &hard);
	ck_assert(soft == 0 && hard == 0);
	sscanf(proc_line(h.pid, "limits", "Max open files", v, sizeof(v)),
	    "%lu %lu", &soft, &hard);
	ck_assert(soft == 64 && hard == 64);
#ifndef NANOSSH_SANITIZERS
	sscanf(proc_line(h.pid, "limits", "Max data size", v, sizeof(v)),
	    "%lu %lu", &soft, &hard);
	ck_assert(soft == SANDBOX_MAX_DATA && hard == SANDBOX_MAX_DATA);
	sscanf(proc_line(h.pid, "limits", "Max address space", v, sizeof(v)),
	    "%lu %lu", &soft, &hard);
	ck_assert(soft == SANDBOX_MAX_AS && hard == SANDBOX_MAX_AS);
#endif
	release(h);
}
END_TEST

#ifndef NANOSSH_SANITIZERS
/* Past the data cap an allocation fails; the child lives to say so. */
static void
c_malloc_over_cap(void *arg)
{
	void *p = malloc(SANDBOX_MAX_DATA + ((size_t)1 << 20));

	if (p != NULL)
		_exit(EX_CHECK);
	/* And a modest one still works. */
	if ((p = malloc((size_t)64 << 20)) == NULL)
		_exit(EX_CHECK);
	free(p);
}

START_TEST(test_malloc_over_cap)
{
	assert_exited_ok(wait_for(spawn(mode_of(_i), c_malloc_over_cap,
	    NULL)));
}
END_TEST
#endif

/* Full mode: nobody's ids everywhere, one group, root at the chroot. */
START_TEST(test_full_ids_and_root)
{
	struct held h = hold_sandboxed(MODE_FULL);
	char v[256], want[256], path[64], link[PATH_MAX];
	ssize_t n;

	snprintf(want, sizeof(want), "\t%lu\t%lu\t%lu\t%lu",
	    (unsigned long)nobody_uid, (unsigned long)nobody_uid,
	    (unsigned long)nobody_uid, (unsigned long)nobody_uid);
	ck_assert_str_eq(proc_line(h.pid, "status", "Uid:", v, sizeof(v)),
	    want);
	snprintf(want, sizeof(want), "\t%lu\t%lu\t%lu\t%lu",
	    (unsigned long)nobody_gid, (unsigned long)nobody_gid,
	    (unsigned long)nobody_gid, (unsigned long)nobody_gid);
	ck_assert_str_eq(proc_line(h.pid, "status", "Gid:", v, sizeof(v)),
	    want);
	snprintf(want, sizeof(want), "\t%lu ", (unsigned long)nobody_gid);
	ck_assert_str_eq(proc_line(h.pid, "status", "Groups:", v, sizeof(v)),
	    want);
	snprintf(path, sizeof(path), "/proc/%ld/root", (long)h.pid);
	ck_assert_int_gt(n = readlink(path, link, sizeof(link) - 1), 0);
	link[n] = '\0';
	ck_assert_str_eq(link, chroot_dir);
	release(h);
}
END_TEST

/* Failures to enter happen before anything changes. */
START_TEST(test_enter_unknown_user)
{
	struct sandbox_params sp = { chroot_dir, "no-such-user-xyz", 64 };
	char *why = NULL;

	ck_assert_int_eq(sandbox_enter(&sp, &why), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_nonnull(strstr(why, "no-such-user-xyz"));
	ck_assert_int_eq(geteuid(), 0);
	free(why);
}
END_TEST

START_TEST(test_enter_root_user_refused)
{
	struct sandbox_params sp = { chroot_dir, "root", 64 };
	char *why = NULL;

	ck_assert_int_eq(sandbox_enter(&sp, &why), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_ptr_nonnull(why);
	free(why);
}
END_TEST

START_TEST(test_enter_bad_chroot)
{
	struct sandbox_params sp = { chroot_dir, "nobody", 64 };
	char *why = NULL;

	ck_assert_int_eq(chmod(chroot_dir, 0775), 0);
	ck_assert_int_eq(sandbox_enter(&sp, &why), SSH_ERR_KEY_BAD_PERMISSIONS);
	ck_assert_ptr_nonnull(strstr(why, "writable"));
	ck_assert_int_eq(geteuid(), 0);
	free(why);
}
END_TEST

static Suite *
sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc;
	int root = geteuid() == 0;

	/* Each loop index is one mode (both modes when root). */
	tc = tcase_create("allowed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_allowed_pipe_io, 0, nmodes());
	tcase_add_loop_test(tc, test_allowed_malloc_large, 0, nmodes());
	tcase_add_loop_test(tc, test_allowed_getrandom, 0, nmodes());
	tcase_add_loop_test(tc, test_allowed_time, 0, nmodes());
	tcase_add_loop_test(tc, test_allowed_poll, 0, nmodes());
	tcase_add_loop_test(tc, test_allowed_winsize, 0, nmodes());
	tcase_add_loop_test(tc, test_allowed_quickack, 0, nmodes());
	tcase_add_loop_test(tc, test_allowed_ipc_fd_passing, 0, nmodes());
	tcase_add_loop_test(tc, test_abort_is_sigabrt, 0, nmodes());
	tcase_add_loop_test(tc, test_stat_refused_not_fatal, 0, nmodes());
	tcase_add_loop_test(tc, test_proc_status_seccomp_nnp, 0, nmodes());
	tcase_add_loop_test(tc, test_proc_limits, 0, nmodes());
#ifndef NANOSSH_SANITIZERS
	tcase_add_loop_test(tc, test_malloc_over_cap, 0, nmodes());
#endif
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	/* One test per forbidden call and mode. */
	tc = tcase_create("forbidden");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_forbidden, 0, NFORBIDDEN * nmodes());
#if defined(__x86_64__)
	if (have_ia32())
		tcase_add_loop_test(tc, test_forbidden_i386_abi, 0, nmodes());
#endif
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	if (root) {
		tc = tcase_create("full");
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, test_full_ids_and_root);
		tcase_add_test(tc, test_enter_unknown_user);
		tcase_add_test(tc, test_enter_root_user_refused);
		tcase_add_test(tc, test_enter_bad_chroot);
		tcase_set_timeout(tc, 30);
		suite_add_tcase(s, tc);
	}

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sandbox_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
