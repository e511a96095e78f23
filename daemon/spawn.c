/* spawn.c: fork and exec of nanosshd-session (spawn.h). */
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/log.h"
#include "daemon/spawn.h"
#include "protocol/ssherr.h"

/* Descriptors are moved above this first so the dup2s cannot collide. */
#define SPAWN_FD_FIRST_FREE	(SPAWN_FD_STATUS + 1)

const char *
spawn_session_path(void)
{
	const char *p = getenv(SPAWN_SESSION_ENV);

	return (p != NULL && *p != '\0') ? p : SPAWN_SESSION_PATH;
}

static void
spawn_close_from(int lowfd)
{
	int fd;
	long max;

	if (close_range((unsigned int)lowfd, ~0U, 0) == 0)
		return;
	if ((max = sysconf(_SC_OPEN_MAX)) < 0 || max > 65536)
		max = 65536;
	for (fd = lowfd; fd < max; fd++)
		close(fd);
}

/* In the child: arrange the descriptors of spawn.h and exec.  Never
 * returns. */
static void __attribute__((noreturn))
spawn_child(char *const argv[], int sock, int status_w, int keep_stderr)
{
	sigset_t none;
	int devnull, s, w;

	/* The listener blocks its signals for signalfd and ignores
	 * SIGPIPE; the session starts from a clean slate. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);

	if ((s = fcntl(sock, F_DUPFD, SPAWN_FD_FIRST_FREE)) == -1 ||
	    (w = fcntl(status_w, F_DUPFD, SPAWN_FD_FIRST_FREE)) == -1 ||
	    (devnull = open("/dev/null", O_RDWR)) == -1)
		goto fail;
	if (dup2(devnull, STDIN_FILENO) == -1 ||
	    dup2(devnull, STDOUT_FILENO) == -1 ||
	    (!keep_stderr && dup2(devnull, STDERR_FILENO) == -1))
		goto fail;
	/* dup2 clears close-on-exec on the new descriptors. */
	if (dup2(s, SPAWN_FD_SOCKET) == -1 || dup2(w, SPAWN_FD_STATUS) == -1)
		goto fail;
	spawn_close_from(SPAWN_FD_FIRST_FREE);
	execv(argv[0], argv);
 fail:
	log_error("cannot run %s: %s", argv[0], strerror(errno));
	_exit(127);
}

int
spawn_session(char *const argv[], int sock, int keep_stderr, pid_t *pidp,
    int *status_fdp)
{
	int p[2] = { -1, -1 }, saved_errno;
	pid_t pid;

	*pidp = -1;
	*status_fdp = -1;
	if (pipe2(p, O_CLOEXEC) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if ((pid = fork()) == -1) {
		saved_errno = errno;
		close(p[0]);
		close(p[1]);
		errno = saved_errno;
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (pid == 0) {
		close(p[0]);
		spawn_child(argv, sock, p[1], keep_stderr);
	}
	close(p[1]);
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == -1)
		log_debug("status pipe: cannot set non-blocking: %s",
		    strerror(errno));
	*pidp = pid;
	*status_fdp = p[0];
	return 0;
}
