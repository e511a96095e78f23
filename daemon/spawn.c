/* spawn.c: starting nanosshd-session (spawn.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/testhook.h"
#include "daemon/spawn.h"
#include "protocol/ssherr.h"

/* The descriptors handed over are first moved at least this high, so that
 * the dup2s onto 3, 4 and 5 cannot overwrite one another. */
#define SPAWN_FD_FIRST_FREE	(SPAWN_FD_HANDOVER + 1)

extern char **environ;

const char *
spawn_session_path(void)
{
	const char *p = testhook_getenv(SPAWN_SESSION_ENV);

	return (p != NULL && *p != '\0') ? p : SPAWN_SESSION_PATH;
}

/* Returns fd itself if it is high enough, else a close-on-exec copy. */
static int
spawn_raise_fd(int fd, int *copyp)
{
	*copyp = -1;
	if (fd >= SPAWN_FD_FIRST_FREE)
		return fd;
	if ((*copyp = fcntl(fd, F_DUPFD_CLOEXEC, SPAWN_FD_FIRST_FREE)) == -1)
		return -1;
	return *copyp;
}

/*
 * posix_spawn, not fork: glibc suspends the caller until the child has
 * exec'd, so no child ever holds a copy of the listening sockets (all
 * close-on-exec) after this returns.  A SIGHUP re-exec that rebinds the
 * same ports can therefore never find them still in use by a child.
 */
int
spawn_session(char *const argv[], int sock, int handover, int keep_stderr,
    pid_t *pidp, int *status_fdp)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, deflt;
	int p[2] = { -1, -1 }, scopy = -1, wcopy = -1, hcopy = -1, s, w, h;
	int fa_init = 0, attr_init = 0, r = SSH_ERR_INTERNAL_ERROR, e;
	pid_t pid;

	*pidp = -1;
	*status_fdp = -1;
	/* A socketpair, not a pipe: the listener sends commands down it
	 * (common/sessrec.h), and SEQPACKET keeps each record whole. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p) == -1 ||
	    (s = spawn_raise_fd(sock, &scopy)) == -1 ||
	    (w = spawn_raise_fd(p[1], &wcopy)) == -1 ||
	    (h = spawn_raise_fd(handover, &hcopy)) == -1) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if ((e = posix_spawn_file_actions_init(&fa)) != 0)
		goto fail;
	fa_init = 1;
	if ((e = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO,
	    "/dev/null", O_RDWR, 0)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, STDIN_FILENO,
	    STDOUT_FILENO)) != 0 ||
	    (!keep_stderr && (e = posix_spawn_file_actions_adddup2(&fa,
	    STDIN_FILENO, STDERR_FILENO)) != 0) ||
	    (e = posix_spawn_file_actions_adddup2(&fa, s,
	    SPAWN_FD_SOCKET)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, w,
	    SPAWN_FD_STATUS)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, h,
	    SPAWN_FD_HANDOVER)) != 0 ||
	    (e = posix_spawn_file_actions_addclosefrom_np(&fa,
	    SPAWN_FD_FIRST_FREE)) != 0)
		goto fail;
	if ((e = posix_spawnattr_init(&attr)) != 0)
		goto fail;
	attr_init = 1;
	/* The listener blocks its signals for signalfd and ignores SIGPIPE;
	 * the session starts from a clean slate. */
	sigemptyset(&none);
	sigemptyset(&deflt);
	sigaddset(&deflt, SIGPIPE);
	if ((e = posix_spawnattr_setsigmask(&attr, &none)) != 0 ||
	    (e = posix_spawnattr_setsigdefault(&attr, &deflt)) != 0 ||
	    (e = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF)) != 0)
		goto fail;
	if ((e = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ)) != 0)
		goto fail;
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == -1)
		log_debug("status socket: cannot set non-blocking: %s",
		    strerror(errno));
	*pidp = pid;
	*status_fdp = p[0];
	p[0] = -1;
	r = 0;
	goto out;
 fail:
	errno = e;
	r = SSH_ERR_SYSTEM_ERROR;
 out:
	e = errno;
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	if (attr_init)
		posix_spawnattr_destroy(&attr);
	if (p[0] != -1)
		close(p[0]);
	if (p[1] != -1)
		close(p[1]);
	if (scopy != -1)
		close(scopy);
	if (wcopy != -1)
		close(wcopy);
	if (hcopy != -1)
		close(hcopy);
	errno = e;
	return r;
}
