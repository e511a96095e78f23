/*
 * child_fwd.h: port forwarding in the protocol child.  Channels of type
 * direct-tcpip / direct-streamlocal@openssh.com, the global requests
 * tcpip-forward / streamlocal-forward@openssh.com and their cancels, and
 * the forwarded-tcpip / forwarded-streamlocal@openssh.com channels opened
 * for connections to a listener; and agent forwarding, whose socket is
 * one more listener.  Sockets come from the monitor
 * (FWD_OPEN / FWD_LISTEN -> FWD_SOCKET or FWD_REFUSED); the child never
 * connects or binds itself, it only reads, writes, accepts and shuts down.
 *
 * The child's loop hands over every channel event whose type or channel
 * this module owns (cfwd_owns_event), every FWD_SOCKET / FWD_REFUSED,
 * calls cfwd_pump before polling and adds cfwd_pollfds to its poll set.
 * While a global request waits for the monitor (cfwd_busy), the loop takes
 * no further channel events, so that global replies stay in order.
 *
 * Data flow per forwarded channel: client data goes to the socket as the
 * channel layer buffers it (its window is the flow control); socket data
 * goes to the client only as far as the peer's window and the connection's
 * output space allow.  EOF from the client becomes shutdown(SHUT_WR) once
 * the buffered data is written; end of file on the socket becomes a
 * channel EOF; the channel closes when both directions are done, or at
 * once when the socket fails.  Each forwarding is logged (verbose) when it
 * opens and closes, with its endpoints and bytes each way.
 */
#ifndef NANOSSH_CHILD_FWD_H
#define NANOSSH_CHILD_FWD_H

#include <stddef.h>
#include <stdint.h>

#define CHILD_MAX_FWD		128	/* forwarded channels at once */
#define CHILD_MAX_LISTEN	16	/* listeners (-R) at once */
#define CHILD_FWD_POLLFDS	(CHILD_MAX_FWD + CHILD_MAX_LISTEN)

struct buf;
struct chan_event;
struct chan_table;
struct ipc;
struct pollfd;
struct ssh_conn;

struct cfwd;

/* ipc: requests to the monitor; log: the log channel. */
struct cfwd *cfwd_new(struct ssh_conn *conn, struct ipc *ipc, struct ipc *log);
void cfwd_free(struct cfwd *f);

/* Registers the channel types and global requests with the channel
 * layer: once, after authentication. */
int cfwd_register(struct chan_table *t);

/* 1 when ev is this module's: an open or global request of a forwarding
 * type, or any event of a channel it holds. */
int cfwd_owns_event(const struct cfwd *f, const struct chan_event *ev);
int cfwd_event(struct cfwd *f, const struct chan_event *ev);
/* 1 while a global request waits for the monitor. */
int cfwd_busy(const struct cfwd *f);

/* auth-agent-req@openssh.com on session channel chan: AGENT_LISTEN
 * (busy until the monitor answers), then the channel's reply; once per
 * connection, later requests fail.  The agent socket's connections
 * become auth-agent@openssh.com channels to the client. */
int cfwd_agent_request(struct cfwd *f, uint32_t chan);

/* FWD_SOCKET (*fdp is taken: set to -1) and FWD_REFUSED. */
int cfwd_recv_socket(struct cfwd *f, struct buf *m, int *fdp);
int cfwd_recv_refused(struct cfwd *f, struct buf *m);

/*
 * X11 displays (child_x11.c): begin marks an X11_REQ for session channel
 * id as waiting for the monitor (cfwd_busy); its FWD_SOCKETs, tagged
 * IPC_FWD_X11_TAG | id, become listeners whose connections go to the
 * client as "x11" channels (single: only the first, then they close).
 * end takes X11_RESULT's verdict: 1 when the display is listening, 0
 * when not (its listeners closed); SSH_ERR_STATE_VIOLATION for an answer
 * nothing waits for.  close: the session ended, its display with it.
 */
void cfwd_x11_begin(struct cfwd *f, uint32_t id, int single);
int cfwd_x11_end(struct cfwd *f, uint32_t id, int ok);
void cfwd_x11_close(struct cfwd *f, uint32_t id);

/* Moves buffered client data to the sockets and finishes channels. */
int cfwd_pump(struct cfwd *f);
/* The fds to poll, at most max; returns how many. */
size_t cfwd_pollfds(struct cfwd *f, struct pollfd *pfd, size_t max);
/* After poll: reads sockets, accepts connections. */
int cfwd_after_poll(struct cfwd *f, const struct pollfd *pfd, size_t n);

#endif
