/* sandbox.c: chroot, privilege drop, no_new_privs, rlimits and the seccomp allow-list. */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#include "privsep/sandbox.h"
#include "protocol/ssherr.h"

static void sandbox_why(char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets *why once (the first reason wins); allocation failure leaves it NULL. */
static void
sandbox_why(char **why, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || *why != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(why, fmt, ap) == -1)
		*why = NULL;
	va_end(ap);
}

/*
 * The seccomp allow-list: every system call the protocol child may make
 * without conditions, each with the reason it is needed.  Calls with
 * argument conditions are added in sandbox_filter().  Everything else
 * kills the process: in particular socket, connect, bind, listen, open,
 * openat, execve, execveat, fork, vfork, clone, clone3, kill, tkill,
 * ptrace, ioctl (but TIOCSWINSZ), the set*id family, chroot, mount, and
 * prctl.
 */
static const char *const sandbox_allowed[] = {
	/* Data on the fds the child already has: client socket, IPC and
	 * log channels, the pipes of spawned commands. */
	"read",
	"write",
	"readv",
	"writev",
	/* The IPC channel: messages carrying fds use SCM_RIGHTS. */
	"recvmsg",
	"sendmsg",
	/* The event loop (glibc's poll() is either, by version). */
	"poll",
	"ppoll",
	/* An event loop on an epoll fd made before entering the sandbox
	 * (epoll_create itself is not needed afterwards). */
	"epoll_ctl",
	"epoll_wait",
	"epoll_pwait",
	"epoll_pwait2",
	/* Dropping fds of finished channels. */
	"close",
	/* Half-closing a socket (EOF to the peer); only on fds it has. */
	"shutdown",
	/* Remote forwarding: connections to a listening socket the monitor
	 * passed (bound by a helper running as the user).  Only fds it
	 * has; it cannot create, bind or connect a socket. */
	"accept",
	"accept4",
	/* Ending: exit_group is what exit() and _exit() call; exit ends a
	 * thread. */
	"exit",
	"exit_group",
	/* Returning from a signal handler (set up before the sandbox; they
	 * only set flags). */
	"rt_sigreturn",
	/* glibc blocks signals around raise() and abort(); ppoll-style
	 * loops mask signals too. */
	"rt_sigprocmask",
	/* The kernel resumes an interrupted poll with it, e.g. after
	 * SIGSTOP/SIGCONT. */
	"restart_syscall",
	/* Time for timeouts and rekey deadlines.  The vDSO usually answers
	 * without a system call; these are its fallback (e.g. when the
	 * clock source cannot be read from user space). */
	"clock_gettime",
	"gettimeofday",
	/* raise(SIGABRT) in abort() names the process and thread (glibc
	 * asks the kernel for both); see tgkill below. */
	"getpid",
	"gettid",
	/* OpenSSL's DRBG (re)seeds from it; without it OpenSSL would try to
	 * open /dev/urandom, which is refused. */
	"getrandom",
	/* Memory: malloc's heap (brk), freeing and resizing (munmap,
	 * mremap: neither can add PROT_EXEC), giving pages back (madvise). */
	"brk",
	"munmap",
	"mremap",
	"madvise",
	/* glibc's internal locks (stdio, malloc) wait on futexes when
	 * contended; it acts only on the process's own memory. */
	"futex",
	/* The fd-only stat: the type and size of an fd it holds. */
	"fstat",
};

/* fcntl commands allowed: making received fds non-blocking or
 * close-on-exec.  (F_SETOWN and friends could aim signals elsewhere;
 * F_DUPFD is not needed.) */
static const int sandbox_fcntl_cmds[] = { F_GETFL, F_SETFL, F_GETFD, F_SETFD };

static int
sandbox_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
    unsigned int argc, const struct scmp_arg_cmp *args, char **why)
{
	int nr, rc;

	/* A call the native architecture lacks (e.g. poll on arm64) cannot
	 * be made there, so there is nothing to allow. */
	if ((nr = seccomp_syscall_resolve_name(name)) == __NR_SCMP_ERROR ||
	    nr < 0)
		return 0;
	if ((rc = seccomp_rule_add_array(ctx, action, nr, argc, args)) != 0) {
		sandbox_why(why, "seccomp rule for %s: %s", name, strerror(-rc));
		return SSH_ERR_SYSTEM_ERROR;
	}
	return 0;
}

/*
 * Builds the filter.  Default action: kill the whole process (not just
 * the thread, so it cannot linger half alive).  libseccomp filters for
 * the native architecture only and sends any other audit arch (i386 via
 * int 0x80 on x86_64) to the bad-arch action, also set to kill; x32 calls
 * carry __X32_SYSCALL_BIT in their number, which no allowed number has,
 * so they fall to the default action.
 */
static int
sandbox_filter(scmp_filter_ctx *ctxp, char **why)
{
	scmp_filter_ctx ctx = NULL;
	struct scmp_arg_cmp args[3];
	pid_t pid = getpid();
	pid_t tid = (pid_t)syscall(SYS_gettid);
	size_t i;
	int rc, r = SSH_ERR_INTERNAL_ERROR;

	*ctxp = NULL;
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL) {
		sandbox_why(why, "seccomp_init failed");
		return SSH_ERR_SYSTEM_ERROR;
	}
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) != 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) != 0 ||
	    /* Every thread, should a library have started one. */
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) != 0) {
		sandbox_why(why, "seccomp_attr_set: %s", strerror(-rc));
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	for (i = 0; i < sizeof(sandbox_allowed) / sizeof(sandbox_allowed[0]);
	    i++) {
		if ((r = sandbox_rule(ctx, SCMP_ACT_ALLOW, sandbox_allowed[i],
		    0, NULL, why)) != 0)
			goto out;
	}

	/* Memory for malloc, but never executable: no new code. */
	args[0] = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
	if ((r = sandbox_rule(ctx, SCMP_ACT_ALLOW, "mmap", 1, args, why)) != 0 ||
	    (r = sandbox_rule(ctx, SCMP_ACT_ALLOW, "mprotect", 1, args,
	    why)) != 0)
		goto out;

	for (i = 0; i < sizeof(sandbox_fcntl_cmds) /
	    sizeof(sandbox_fcntl_cmds[0]); i++) {
		args[0] = SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)sandbox_fcntl_cmds[i]);
		if ((r = sandbox_rule(ctx, SCMP_ACT_ALLOW, "fcntl", 1, args,
		    why)) != 0)
			goto out;
	}

	/*
	 * window-change: TIOCSWINSZ on the pty master the monitor passed
	 * (an fd the child could not open itself), and no other ioctl: not
	 * TIOCSTI (typing into the terminal), not TIOCSCTTY.  The request
	 * number is compared whole (SCMP_CMP_MASKED_EQ on the low 32 bits,
	 * which is all the kernel looks at).
	 */
	args[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL,
	    (scmp_datum_t)TIOCSWINSZ);
	if ((r = sandbox_rule(ctx, SCMP_ACT_ALLOW, "ioctl", 1, args, why)) != 0)
		goto out;

	/*
	 * TCP_QUICKACK on the client socket during a login (child.c), and no
	 * other socket option: level and name are compared whole.
	 */
	args[0] = SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)IPPROTO_TCP);
	args[1] = SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)TCP_QUICKACK);
	if ((r = sandbox_rule(ctx, SCMP_ACT_ALLOW, "setsockopt", 2, args,
	    why)) != 0)
		goto out;

	/*
	 * abort() ends in tgkill(getpid(), gettid(), SIGABRT).  Allowing
	 * exactly that keeps a failed assertion distinguishable from a
	 * sandbox violation (SIGABRT, not SIGSYS) and signals nobody else.
	 */
	args[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)pid);
	args[1] = SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)tid);
	args[2] = SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)SIGABRT);
	if ((r = sandbox_rule(ctx, SCMP_ACT_ALLOW, "tgkill", 3, args, why)) != 0)
		goto out;

	/*
	 * Asking for the current signal stack (not setting one):
	 * AddressSanitizer does before every call that does not return
	 * (_exit, abort).  Allowed in every build so that the sanitizer
	 * builds test the same filter.
	 */
	args[0] = SCMP_A0(SCMP_CMP_EQ, 0);
	if ((r = sandbox_rule(ctx, SCMP_ACT_ALLOW, "sigaltstack", 1, args,
	    why)) != 0)
		goto out;

	/*
	 * glibc's fstat() is newfstatat(fd, "", AT_EMPTY_PATH) and stdio
	 * calls it on first use of a stream.  The same call could stat any
	 * path (its string cannot be inspected here), so it fails with
	 * EACCES instead of working; stdio copes, and nothing is learnt.
	 */
	if ((r = sandbox_rule(ctx, SCMP_ACT_ERRNO(EACCES), "newfstatat", 0,
	    NULL, why)) != 0)
		goto out;

	*ctxp = ctx;
	ctx = NULL;
	r = 0;
 out:
	if (ctx != NULL)
		seccomp_release(ctx);
	return r;
}

/* Checks one directory of a chroot path (final: the chroot itself). */
static int
sandbox_check_dir(const char *dir, int final, char **why)
{
	struct stat st;

	if (lstat(dir, &st) == -1) {
		sandbox_why(why, "%s: %s", dir, strerror(errno));
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (!S_ISDIR(st.st_mode)) {
		sandbox_why(why, "%s: not a directory", dir);
		return SSH_ERR_KEY_BAD_PERMISSIONS;
	}
	/* Sticky directories above the chroot (/tmp) are fine: nobody but
	 * root can rename or replace root's entries there. */
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    (final || (st.st_mode & S_ISVTX) == 0)) {
		sandbox_why(why, "%s: writable by group or others (mode %04o)",
		    dir, (unsigned int)(st.st_mode & 07777));
		return SSH_ERR_KEY_BAD_PERMISSIONS;
	}
	if (st.st_uid != 0) {
		sandbox_why(why, "%s: not owned by root (uid %lu)", dir,
		    (unsigned long)st.st_uid);
		return SSH_ERR_KEY_BAD_PERMISSIONS;
	}
	return 0;
}

/*
 * The checks of sandbox_check_chroot, done on the path with symlinks
 * resolved, which is what chroot() then gets (*resolvedp, freed by the
 * caller), so no link can point elsewhere afterwards.
 */
static int
sandbox_chroot_path(const char *path, char **resolvedp, char **why)
{
	char *resolved = NULL, *p;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (resolvedp != NULL)
		*resolvedp = NULL;
	if (path == NULL || *path != '/') {
		sandbox_why(why, "chroot directory \"%s\" is not an absolute "
		    "path", path == NULL ? "(none)" : path);
		return SSH_ERR_INVALID_ARGUMENT;
	}
	if ((resolved = realpath(path, NULL)) == NULL) {
		sandbox_why(why, "chroot directory %s: %s", path,
		    strerror(errno));
		return SSH_ERR_SYSTEM_ERROR;
	}
	/* Each directory from / down to the one above the chroot. */
	if ((r = sandbox_check_dir("/", 0, why)) != 0)
		goto out;
	for (p = resolved + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		r = sandbox_check_dir(resolved, 0, why);
		*p = '/';
		if (r != 0)
			goto out;
	}
	if (strcmp(resolved, "/") != 0 &&
	    (r = sandbox_check_dir(resolved, 1, why)) != 0)
		goto out;
	if (resolvedp != NULL) {
		*resolvedp = resolved;
		resolved = NULL;
	}
	r = 0;
 out:
	free(resolved);
	return r;
}

int
sandbox_check_chroot(const char *path, char **why)
{
	if (why != NULL)
		*why = NULL;
	return sandbox_chroot_path(path, NULL, why);
}

/* chroot, then the unprivileged user's ids, verified afterwards. */
static int
sandbox_drop(const char *dir, uid_t uid, gid_t gid, char **why)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid, groups[2];
	int n;

	if (chroot(dir) == -1 || chdir("/") == -1) {
		sandbox_why(why, "chroot %s: %s", dir, strerror(errno));
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (setgroups(1, &gid) == -1 ||
	    setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		sandbox_why(why, "dropping to uid %lu gid %lu: %s",
		    (unsigned long)uid, (unsigned long)gid, strerror(errno));
		return SSH_ERR_SYSTEM_ERROR;
	}
	/* Trust, but verify: a partial drop must not go unnoticed. */
	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1 ||
	    ruid != uid || euid != uid || suid != uid ||
	    rgid != gid || egid != gid || sgid != gid) {
		sandbox_why(why, "ids not dropped to uid %lu gid %lu",
		    (unsigned long)uid, (unsigned long)gid);
		return SSH_ERR_SYSTEM_ERROR;
	}
	n = getgroups(2, groups);
	if (n != 1 || groups[0] != gid) {
		sandbox_why(why, "supplementary groups not dropped");
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (setuid(0) != -1 || setgid(0) != -1) {
		sandbox_why(why, "root privileges could be regained");
		return SSH_ERR_SYSTEM_ERROR;
	}
	return 0;
}

/* Sets the limit to at most max, soft and hard: lowered, never raised,
 * as without privileges the hard limit is a ceiling. */
static int
sandbox_lower(int resource, const char *name, rlim_t max, char **why)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) == -1) {
		sandbox_why(why, "getrlimit %s: %s", name, strerror(errno));
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (max < rl.rlim_max)
		rl.rlim_max = max;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(resource, &rl) == -1) {
		sandbox_why(why, "setrlimit %s: %s", name, strerror(errno));
		return SSH_ERR_SYSTEM_ERROR;
	}
	return 0;
}

static int
sandbox_rlimits(rlim_t max_files, char **why)
{
	static const struct {
		int		 resource;
		const char	*name;
	} zero[] = {
		{ RLIMIT_NPROC, "RLIMIT_NPROC" },	/* no new processes */
		{ RLIMIT_FSIZE, "RLIMIT_FSIZE" },	/* no file growth */
		{ RLIMIT_CORE, "RLIMIT_CORE" },		/* no core dumps */
	};
	struct rlimit rl;
	size_t i;
	int r;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		rl.rlim_cur = rl.rlim_max = 0;
		if (setrlimit(zero[i].resource, &rl) == -1) {
			sandbox_why(why, "setrlimit %s: %s", zero[i].name,
			    strerror(errno));
			return SSH_ERR_SYSTEM_ERROR;
		}
	}
	if ((r = sandbox_lower(RLIMIT_NOFILE, "RLIMIT_NOFILE", max_files,
	    why)) != 0)
		return r;
#ifndef NANOSSH_SANITIZERS
	/* Not under ASan: its shadow memory is far above any cap
	 * (sandbox.h), and every later mmap would fail. */
	if ((r = sandbox_lower(RLIMIT_DATA, "RLIMIT_DATA", SANDBOX_MAX_DATA,
	    why)) != 0 ||
	    (r = sandbox_lower(RLIMIT_AS, "RLIMIT_AS", SANDBOX_MAX_AS,
	    why)) != 0)
		return r;
#endif
	return 0;
}

int
sandbox_enter(const struct sandbox_params *sp, char **why)
{
	scmp_filter_ctx ctx = NULL;
	struct passwd *pw;
	char *dir = NULL;
	uid_t uid = 0;
	gid_t gid = 0;
	int as_root = geteuid() == 0;
	int rc, r = SSH_ERR_INTERNAL_ERROR;

	if (why != NULL)
		*why = NULL;
	if (sp == NULL) {
		r = SSH_ERR_INVALID_ARGUMENT;
		goto out;
	}
	if (as_root) {
		/* Looked up while /etc/passwd is still in reach. */
		if (sp->sb_user == NULL) {
			sandbox_why(why, "no privsep user");
			r = SSH_ERR_INVALID_ARGUMENT;
			goto out;
		}
		errno = 0;
		if ((pw = getpwnam(sp->sb_user)) == NULL) {
			sandbox_why(why, "privsep user %s: %s", sp->sb_user,
			    errno == 0 ? "no such user" : strerror(errno));
			r = SSH_ERR_INVALID_ARGUMENT;
			goto out;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
		if (uid == 0 || gid == 0) {
			sandbox_why(why, "privsep user %s has uid or gid 0",
			    sp->sb_user);
			r = SSH_ERR_INVALID_ARGUMENT;
			goto out;
		}
		if ((r = sandbox_chroot_path(sp->sb_chroot, &dir, why)) != 0)
			goto out;
	}
	/* Built first, so that a failure leaves the process unchanged. */
	if ((r = sandbox_filter(&ctx, why)) != 0)
		goto out;
	if (as_root && (r = sandbox_drop(dir, uid, gid, why)) != 0)
		goto out;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		sandbox_why(why, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if ((r = sandbox_rlimits(sp->sb_max_files, why)) != 0)
		goto out;
	if ((rc = seccomp_load(ctx)) != 0) {
		sandbox_why(why, "seccomp_load: %s", strerror(-rc));
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	r = 0;
 out:
	if (ctx != NULL)
		seccomp_release(ctx);
	free(dir);
	return r;
}
