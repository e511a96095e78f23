/*
 * spawn.h: starting one nanosshd-session per accepted connection.
 *
 * The session is a fresh exec (new address space layout per connection,
 * nothing of the listener's memory inherited).  Its descriptors:
 *   0, 1  /dev/null
 *   2     the listener's stderr when logging there, else /dev/null
 *   3     the accepted TCP socket (SPAWN_FD_SOCKET)
 *   4     the session end of the status socketpair (SPAWN_FD_STATUS,
 *         SOCK_SEQPACKET: children.h, common/sessrec.h)
 *   5     the listener's configuration and host keys, a sealed memfd
 *         (SPAWN_FD_HANDOVER, handover.h)
 * and nothing else.  Its command line:
 *   nanosshd-session [-e] [-d]
 */
#ifndef NANOSSH_SPAWN_H
#define NANOSSH_SPAWN_H

#include <sys/types.h>

#define SPAWN_FD_SOCKET	3
#define SPAWN_FD_STATUS	4
#define SPAWN_FD_HANDOVER	5

/* The installed session program; NANOSSHD_SESSION overrides it (tests,
 * common/testhook.h). */
#define SPAWN_SESSION_PATH	LIBEXECDIR "/nanosshd-session"
#define SPAWN_SESSION_ENV	"NANOSSHD_SESSION"

/* The session program to run: $NANOSSHD_SESSION or SPAWN_SESSION_PATH. */
const char *spawn_session_path(void);

/*
 * Forks and execs argv[0] with argv, sock as fd 3, a new status
 * socketpair as fd 4 and handover as fd 5.  On success *pidp is the child
 * and *status_fdp the listener's end
 * (non-blocking, close-on-exec; the caller owns it).  sock stays the
 * caller's to close.  Returns 0 or an SSH_ERR_* code (errno set).
 */
int spawn_session(char *const argv[], int sock, int handover, int keep_stderr,
    pid_t *pidp, int *status_fdp);

#endif
