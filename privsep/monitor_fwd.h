/*
 * monitor_fwd.h: the monitor's side of port forwarding.  It answers the
 * child's FWD_OPEN and FWD_LISTEN (ipc_catalogue.h): checks the request
 * against the forwarding rules (fwdpolicy.h), starts a helper running as
 * the user (fwdhelper.h), and, when the helper answers, passes the
 * socket on as FWD_SOCKET or the failure as FWD_REFUSED.  X11 displays
 * (monitor_x11.c decides them) take the same path: their helper listens
 * and runs xauth, and X11_RESULT follows the sockets.  Nothing here
 * blocks: the helpers' sockets join the monitor's poll loop.
 *
 * At most MONFWD_MAX_HELPERS helpers run at once; a request beyond that
 * is refused with RESOURCE_SHORTAGE.  The agent socket of agent
 * forwarding comes the same way, from a helper that stays to remove it.
 */
#ifndef NANOSSH_MONITOR_FWD_H
#define NANOSSH_MONITOR_FWD_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct fwdhelper_req;
struct ipc;
struct passwd;
struct pollfd;
struct fwd_rules;

#define MONFWD_MAX_HELPERS	64

struct monfwd;

struct monfwd *monfwd_new(void);
/* Closes the helpers' sockets (they end on their own). NULL is fine. */
void monfwd_free(struct monfwd *mf);

/*
 * FWD_OPEN or FWD_LISTEN (type) from the child, already checked by
 * ipc_check.  Refusals are queued on ipc as FWD_REFUSED.  Returns
 * SSH_ERR_INVALID_FORMAT (or another parse error) for a malformed request
 * or a tag already in use, which the caller treats as a violation; other
 * errors are the monitor's own.
 */
int monfwd_request(struct monfwd *mf, uint32_t type, struct buf *req,
    const struct passwd *pw, const struct fwd_rules *rules,
    int gateway_ports, struct ipc *ipc);

/*
 * Where an X11 helper's outcome goes (the monitor keeps one per granted
 * x11-req): the display and ready set on success, used cleared on
 * failure; the child hears of either as X11_RESULT, after the display's
 * sockets as FWD_SOCKET.
 */
struct monfwd_x11 {
	int used;
	int ready;
	uint32_t tag;		/* the session channel */
	uint32_t display, screen;
	int localhost;		/* forwarding.x11_use_localhost */
};

/* An X11 display for slot (hr->x11 set): a helper listens and runs
 * xauth as pw.  Failures are answered on ipc as X11_RESULT. */
int monfwd_x11(struct monfwd *mf, const struct fwdhelper_req *hr,
    const struct passwd *pw, struct monfwd_x11 *slot, struct ipc *ipc);
/* Sends X11_RESULT with status (0, or an SSH_ERR_*) and the display. */
int monfwd_x11_result(struct ipc *ipc, uint32_t tag, int status,
    uint32_t display);

/*
 * AGENT_LISTEN, already allowed: a helper makes the agent socket (see
 * fwdhelper.h), answered like FWD_LISTEN.  SSH_ERR_INVALID_FORMAT for a
 * tag in use or a second agent socket (the caller's violation).
 */
int monfwd_agent(struct monfwd *mf, uint32_t tag, const struct passwd *pw,
    struct ipc *ipc);
/* The agent socket's path once it is made (SSH_AUTH_SOCK), else NULL
 * (mf NULL too).  It lives until monfwd_free. */
const char *monfwd_agent_path(const struct monfwd *mf);

/* Fills pfd (room for max) with the helpers' sockets; returns how many. */
size_t monfwd_pollfds(const struct monfwd *mf, struct pollfd *pfd, size_t max);
/* After poll: answers the child for every helper that finished. */
int monfwd_handle(struct monfwd *mf, const struct pollfd *pfd, size_t n,
    struct ipc *ipc);

#endif
