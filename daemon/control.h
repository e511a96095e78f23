/*
 * control.h: the listener's control socket, for nanosshctl(8).
 *
 * A Unix stream socket (control_socket, mode 0600 in a directory made
 * 0700 if missing) on which uid 0 or the daemon's own uid (SO_PEERCRED)
 * sends one request line and reads the reply until the listener closes.
 * Everything is non-blocking and bounded: CONTROL_MAX_CLIENTS at once,
 * CONTROL_REQ_MAX bytes a request, CONTROL_DEADLINE_MS for the whole
 * exchange, so that no client can hold the listener's loop.
 *
 * Requests (words separated by one space):
 *   list | show ID | status | rekey ID | ping ID | reload
 *   penalties | penalties clear [ADDRESS]
 *   disconnect id ID [REASON] | disconnect user NAME [REASON] |
 *   disconnect all [REASON]
 * Replies: "error TEXT\n", or "ok\n" and lines of tab-separated
 * key=value fields ("conn\t..." a connection, "status\t..."); values are
 * printable ASCII without tabs.  ID is the session's pid.
 */
#ifndef NANOSSH_CONTROL_H
#define NANOSSH_CONTROL_H

#include <sys/types.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define CONTROL_DEFAULT_PATH	"/run/nanossh/control"
#define CONTROL_MAX_CLIENTS	8
#define CONTROL_REQ_MAX		1024
#define CONTROL_DEADLINE_MS	5000
#define CONTROL_DEFAULT_REASON	"disconnected by the administrator"

struct buf;
struct serve;

struct control_client {
	int fd;			/* -1: slot free */
	char in[CONTROL_REQ_MAX];
	size_t inlen;
	struct buf *out;	/* the reply; NULL until the request is read */
	uint64_t deadline;
	int reload;		/* SIGHUP once the reply has gone */
	pid_t ping_pid;		/* waiting for this session's PONG ... */
	uint32_t ping_token;	/* ... of this ping */
};

struct control {
	int fd;
	char *path;
	uint64_t started_ms;
	int reload_asked;	/* control_request accepted a reload */
	pid_t ping_pid;		/* ... or sent a ping (reply waits) */
	uint32_t ping_token;
	struct control_client cl[CONTROL_MAX_CLIENTS];
};

/* Creates the socket at path (replacing a stale socket, never another
 * kind of file): 0, or -1 with err set. */
int control_open(const char *path, struct control **ctlp, char *err,
    size_t errsize);
/* Closes everything; unlink_path: the daemon is ending (not re-executing). */
void control_free(struct control *ctl, int unlink_path);
/* 1 if a peer with this uid may use the socket of a daemon running as
 * self: root, or the daemon's own user. */
int control_peer_allowed(uid_t peer, uid_t self);
/* Fills at most max entries of pfd (*np of them) and lowers *timeout to
 * the next client deadline. */
void control_pollfds(struct control *ctl, struct pollfd *pfd, size_t max,
    size_t *np, uint64_t now, int *timeout);
/* After poll: pfd[0..n) as control_pollfds filled them. */
void control_handle(struct control *ctl, struct serve *sv,
    const struct pollfd *pfd, size_t n, uint64_t now);
/*
 * The reply to one request line (without its newline) into out, the
 * command carried out; a bad request is an "error" reply.  Separate for
 * the unit tests.
 */
int control_request(struct control *ctl, struct serve *sv, const char *line,
    struct buf *out);

#endif
