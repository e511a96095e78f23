/*
 * fwdhelper.h: the short-lived process behind each forwarding.  Forked by
 * the monitor, it takes the user's identity (userproc_become: never root
 * on the user's behalf, so the socket carries the user's credentials to
 * whatever it reaches), resolves the name and connects, or binds and
 * listens, and hands the socket back over a SOCK_SEQPACKET socketpair
 * with SCM_RIGHTS, then exits.  The monitor polls its end and never
 * blocks on a name lookup or a connect.
 *
 * Helper -> monitor: one packet, built with buf:
 *	u32	reason: 0 success (one fd attached; an X11 display: one
 *		or two, see x11.h), else an SSH2_OPEN_* code (no fd)
 *	u32	port bound (TCP listen), the display number (X11), else 0
 *	string	message (the failure, for the client and the log)
 * The whole helper is bounded by FWDHELPER_TIMEOUT_S (alarm(2)); each
 * address tried gets at most FWDHELPER_CONNECT_MS.  A helper that dies
 * or runs out of time closes its end, which reads as end of file.
 *
 * The agent helper (agent forwarding) is the exception: it makes a
 * private directory and a listening socket in it, answers with the
 * socket and its path as the message, and then stays until the monitor
 * closes its end, when it removes both (as the user: never root in a
 * directory the user may write).
 */
#ifndef NANOSSH_FWDHELPER_H
#define NANOSSH_FWDHELPER_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct passwd;

#define FWDHELPER_TIMEOUT_S	20
#define FWDHELPER_CONNECT_MS	10000
#define FWDHELPER_MSG_MAX	512
#define FWDHELPER_MAX_FDS	2	/* X11_MAX_SOCKS */
#define FWDHELPER_AGENT_DIR	"ssh-XXXXXXXXXX"	/* mkdtemp(3) */

struct x11_setup;

struct fwdhelper_req {
	int agent;		/* the agent socket: the rest is unused */
	int listen;		/* bind and listen, else connect */
	int unix_sock;		/* host is a socket path */
	const char *host;	/* listen: "" for every address */
	uint32_t port;		/* listen: 0 for any free port */
	/* An X11 display (listen set): x11_listen, then x11_xauth. */
	const struct x11_setup *x11;
};

/* Forks the helper as pw; *fdp gets the monitor's end of the socketpair
 * (non-blocking, close-on-exec). */
int fwdhelper_start(const struct passwd *pw, const struct fwdhelper_req *req,
    pid_t *pidp, int *fdp);

/*
 * Reads the helper's answer from fd (once it is readable).  Returns 0 with
 * *reasonp 0 and *nsockp sockets in socks (checked: stream sockets,
 * listening when listen; more than one only when max_socks allows), or 0
 * with *reasonp an SSH2_OPEN_* code and a reason in msg (the helper's,
 * or "timed out" when it ended without one); SSH_ERR_INVALID_FORMAT for
 * a malformed answer.
 */
int fwdhelper_result(int fd, int listen, size_t max_socks, uint32_t *reasonp,
    uint32_t *portp, char *msg, size_t msglen,
    int socks[FWDHELPER_MAX_FDS], size_t *nsockp);

#endif
