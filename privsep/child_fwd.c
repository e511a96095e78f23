/* child_fwd.c: forwarded channels and listeners in the protocol child (see child_fwd.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"
#include "common/fdutil.h"
#include "privsep/child_fwd.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/log_channel.h"
#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/conn.h"
#include "protocol/fwdmsg.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

#define CFWD_CHUNK		(32 * 1024)
#define CFWD_LISTEN_TAG		0x80000000u	/* tags of FWD_LISTEN */
#define CFWD_ACCEPT_BURST	16		/* accepts per poll round */

enum fch_state {
	FCH_FREE = 0,
	FCH_WAIT_MONITOR,	/* direct-*: the monitor connects */
	FCH_WAIT_PEER,		/* forwarded-*: the client confirms */
	FCH_OPEN,
	FCH_CLOSED,		/* CLOSE sent, the client's awaited */
};

struct fch {
	enum fch_state state;
	uint32_t id;
	int fd;
	int peer_eof;		/* the client sent EOF */
	int peer_closed;	/* ... and CLOSE: drain, then go */
	int wr_shut;		/* shutdown(SHUT_WR) done */
	int rd_eof;		/* the socket ended: our EOF sent */
	uint64_t to_sock, from_sock;
	char desc[FWDMSG_HOST_MAX + FWDMSG_HOST_MAX + 64];
};

struct flisten {
	int used;
	int pending;		/* waiting for the monitor */
	int fd;
	int agent;		/* the agent socket: auth-agent@openssh.com */
	uint32_t chan;		/* ... and the session channel that asked */
	int unix_sock;
	int x11;		/* an X11 display of session channel owner */
	int single;		/* ... for one connection only */
	uint32_t owner;
	char *addr;		/* as the client asked (forwarded-* names it) */
	uint32_t req_port, port;
};

struct cfwd {
	struct ssh_conn *conn;
	struct ipc *ipc;
	struct ipc *log;
	int busy;
	int x11_pending;	/* an X11_REQ for channel x11_id waits */
	int x11_single;
	int x11_lost;		/* ... and one of its sockets found no slot */
	uint32_t x11_id;
	int agent_asked;	/* one agent socket per connection */
	struct fch ch[CHILD_MAX_FWD];
	struct flisten ls[CHILD_MAX_LISTEN];
};

struct cfwd *
cfwd_new(struct ssh_conn *conn, struct ipc *ipc, struct ipc *log)
{
	struct cfwd *f = calloc(1, sizeof(*f));
	size_t i;

	if (f == NULL)
		return NULL;
	f->conn = conn;
	f->ipc = ipc;
	f->log = log;
	for (i = 0; i < CHILD_MAX_FWD; i++)
		f->ch[i].fd = -1;
	for (i = 0; i < CHILD_MAX_LISTEN; i++)
		f->ls[i].fd = -1;
	return f;
}

static void
fch_release(struct fch *fc)
{
	if (fc->fd != -1)
		close(fc->fd);
	memset(fc, 0, sizeof(*fc));
	fc->fd = -1;
}

static void
listen_release(struct flisten *l)
{
	if (l->fd != -1)
		close(l->fd);
	free(l->addr);
	memset(l, 0, sizeof(*l));
	l->fd = -1;
}

void
cfwd_free(struct cfwd *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < CHILD_MAX_FWD; i++)
		fch_release(&f->ch[i]);
	for (i = 0; i < CHILD_MAX_LISTEN; i++)
		listen_release(&f->ls[i]);
	free(f);
}

int
cfwd_register(struct chan_table *t)
{
	static const char *const opens[] = {
		"direct-tcpip", "direct-streamlocal@openssh.com",
	};
	static const char *const globals[] = {
		"tcpip-forward", "cancel-tcpip-forward",
		"streamlocal-forward@openssh.com",
		"cancel-streamlocal-forward@openssh.com",
	};
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	for (i = 0; i < sizeof(opens) / sizeof(opens[0]); i++) {
		if ((r = chan_register_open_type(t, opens[i])) != 0)
			return r;
	}
	for (i = 0; i < sizeof(globals) / sizeof(globals[0]); i++) {
		if ((r = chan_register_global(t, globals[i])) != 0)
			return r;
	}
	return 0;
}

static struct fch *
fch_by_id(struct cfwd *f, uint32_t id)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_FWD; i++) {
		if (f->ch[i].state != FCH_FREE && f->ch[i].id == id)
			return &f->ch[i];
	}
	return NULL;
}

static struct fch *
fch_free_slot(struct cfwd *f)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_FWD; i++) {
		if (f->ch[i].state == FCH_FREE)
			return &f->ch[i];
	}
	return NULL;
}

int
cfwd_owns_event(const struct cfwd *f, const struct chan_event *ev)
{
	enum fwdmsg_kind k;
	size_t i;

	switch (ev->type) {
	case CHAN_EV_OPEN:
		return fwdmsg_is_open(fwdmsg_kind(ev->name));
	case CHAN_EV_GLOBAL:
		k = fwdmsg_kind(ev->name);
		return k != FWDMSG_NONE && !fwdmsg_is_open(k);
	case CHAN_EV_GLOBAL_REPLY:
	case CHAN_EV_NONE:
		return 0;
	default:
		for (i = 0; i < CHILD_MAX_FWD; i++) {
			if (f->ch[i].state != FCH_FREE && f->ch[i].id == ev->id)
				return 1;
		}
		return 0;
	}
}

int
cfwd_busy(const struct cfwd *f)
{
	return f->busy;
}

static struct chan_table *
table(struct cfwd *f)
{
	return conn_channels(f->conn);
}

static void
fch_log_close(struct cfwd *f, struct fch *fc, const char *why)
{
	(void)logch_send(f->log, LOG_LVL_VERBOSE, "forwarding channel %u "
	    "closed (%s): %s, %" PRIu64 " bytes to it, %" PRIu64 " bytes from it",
	    fc->id, why, fc->desc, fc->to_sock, fc->from_sock);
}

/* The end of a forwarded channel from our side: CLOSE goes out; the
 * entry stays until the client's CLOSE releases the id. */
static int
fch_finish(struct cfwd *f, struct fch *fc, const char *why)
{
	int r = 0;

	fch_log_close(f, fc, why);
	if (fc->fd != -1) {
		close(fc->fd);
		fc->fd = -1;
	}
	if (fc->state != FCH_CLOSED)
		r = chan_close(table(f), fc->id);
	if (fc->peer_closed)
		fch_release(fc);
	else
		fc->state = FCH_CLOSED;
	return r;
}

/* FWD_OPEN for a direct-tcpip / direct-streamlocal open. */
static int
open_direct(struct cfwd *f, const struct chan_event *ev)
{
	struct fwdmsg m;
	struct fch *fc;
	struct ipc_fwd_open q;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (fwdmsg_parse(fwdmsg_kind(ev->name), ev->data, ev->len, &m) != 0) {
		fwdmsg_clear(&m);
		return chan_open_fail(table(f), ev->id,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED, "malformed request");
	}
	if ((fc = fch_free_slot(f)) == NULL) {
		fwdmsg_clear(&m);
		return chan_open_fail(table(f), ev->id,
		    SSH2_OPEN_RESOURCE_SHORTAGE, "too many forwarded channels");
	}
	q.tag = ev->id;
	q.kind = m.unix_sock ? IPC_FWD_UNIX : IPC_FWD_TCP;
	q.host = m.host;
	q.port = m.port;
	q.orig_addr = m.orig_addr;
	q.orig_port = m.orig_port;
	if ((r = ipc_send_fwd_open(f->ipc, &q, -1)) != 0)
		goto out;
	memset(fc, 0, sizeof(*fc));
	fc->fd = -1;
	fc->state = FCH_WAIT_MONITOR;
	fc->id = ev->id;
	if (m.unix_sock)
		snprintf(fc->desc, sizeof(fc->desc), "%s to %s", ev->name,
		    m.host);
	else
		snprintf(fc->desc, sizeof(fc->desc), "%s to %s port %u, "
		    "originator %s port %u", ev->name, m.host, m.port,
		    m.orig_addr, m.orig_port);
 out:
	fwdmsg_clear(&m);
	return r;
}

static struct flisten *
listen_find(struct cfwd *f, const struct fwdmsg *m)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_LISTEN; i++) {
		struct flisten *l = &f->ls[i];

		if (!l->used || l->pending || l->x11 || l->agent ||
		    l->unix_sock != m->unix_sock)
			continue;
		if (m->unix_sock ? strcmp(l->addr, m->host) == 0 :
		    strcasecmp(l->addr, m->host) == 0 &&
		    (m->port == l->port || m->port == l->req_port))
			return l;
	}
	return NULL;
}

static struct flisten *
listen_free_slot(struct cfwd *f)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_LISTEN; i++) {
		if (!f->ls[i].used)
			return &f->ls[i];
	}
	return NULL;
}

/* tcpip-forward and friends: FWD_LISTEN, or the cancel done here. */
static int
global_request(struct cfwd *f, const struct chan_event *ev)
{
	enum fwdmsg_kind k = fwdmsg_kind(ev->name);
	struct fwdmsg m;
	struct flisten *l = NULL;
	struct ipc_fwd_listen q;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (fwdmsg_parse(k, ev->data, ev->len, &m) != 0) {
		fwdmsg_clear(&m);
		return chan_global_reply(table(f), 0, NULL, 0);
	}
	if (k == FWDMSG_CANCEL_TCPIP_FORWARD ||
	    k == FWDMSG_CANCEL_STREAMLOCAL_FORWARD) {
		if ((l = listen_find(f, &m)) != NULL) {
			(void)logch_send(f->log, LOG_LVL_VERBOSE, "forwarding: "
			    "stopped listening on %s port %u", l->addr, l->port);
			listen_release(l);
		}
		fwdmsg_clear(&m);
		return chan_global_reply(table(f), l != NULL, NULL, 0);
	}
	if ((l = listen_free_slot(f)) == NULL) {
		fwdmsg_clear(&m);
		return chan_global_reply(table(f), 0, NULL, 0);
	}
	q.tag = CFWD_LISTEN_TAG | (uint32_t)(l - f->ls);
	q.kind = m.unix_sock ? IPC_FWD_UNIX : IPC_FWD_TCP;
	q.host = m.host;
	q.port = m.port;
	if ((r = ipc_send_fwd_listen(f->ipc, &q, -1)) != 0)
		goto out;
	l->used = l->pending = 1;
	l->unix_sock = m.unix_sock;
	l->addr = m.host;
	m.host = NULL;
	l->req_port = m.port;
	f->busy = 1;
 out:
	fwdmsg_clear(&m);
	return r;
}

int
cfwd_agent_request(struct cfwd *f, uint32_t chan)
{
	struct ipc_agent_listen q;
	struct flisten *l;
	int r;

	if (f->agent_asked) {
		(void)logch_send(f->log, LOG_LVL_VERBOSE, "channel %u: agent "
		    "forwarding requested again, refused", chan);
		return chan_request_reply(table(f), chan, 0);
	}
	if ((l = listen_free_slot(f)) == NULL)
		return chan_request_reply(table(f), chan, 0);
	q.tag = CFWD_LISTEN_TAG | (uint32_t)(l - f->ls);
	if ((l->addr = strdup("the agent socket")) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = ipc_send_agent_listen(f->ipc, &q, -1)) != 0) {
		listen_release(l);
		return r;
	}
	l->used = l->pending = l->agent = 1;
	l->chan = chan;
	f->agent_asked = 1;
	f->busy = 1;
	return 0;
}

int
cfwd_event(struct cfwd *f, const struct chan_event *ev)
{
	struct chan_table *t = table(f);
	struct fch *fc;

	if (ev->type == CHAN_EV_OPEN)
		return open_direct(f, ev);
	if (ev->type == CHAN_EV_GLOBAL)
		return global_request(f, ev);
	if ((fc = fch_by_id(f, ev->id)) == NULL)
		return 0;
	switch (ev->type) {
	case CHAN_EV_REQUEST:
		return chan_request_reply(t, ev->id, 0);
	case CHAN_EV_EOF:
		fc->peer_eof = 1;
		return 0;
	case CHAN_EV_CLOSE:
		fc->peer_eof = fc->peer_closed = 1;
		if (fc->state == FCH_CLOSED) {
			fch_release(fc);
			return 0;
		}
		/* Whatever the client sent before its CLOSE still goes to the
		 * socket: cfwd_pump finishes the channel once it has. */
		return 0;
	case CHAN_EV_OPEN_CONFIRMED:
		if (fc->state == FCH_WAIT_PEER) {
			fc->state = FCH_OPEN;
			(void)logch_send(f->log, LOG_LVL_VERBOSE, "forwarding "
			    "channel %u opened: %s", fc->id, fc->desc);
		}
		return 0;
	case CHAN_EV_OPEN_FAILED:
		(void)logch_send(f->log, LOG_LVL_VERBOSE, "forwarding: the "
		    "client refused %s: %s", fc->desc, ev->message != NULL ?
		    ev->message : "");
		fch_release(fc);
		return 0;
	default:
		return 0;
	}
}

void
cfwd_x11_begin(struct cfwd *f, uint32_t id, int single)
{
	f->busy = f->x11_pending = 1;
	f->x11_id = id;
	f->x11_single = single;
	f->x11_lost = 0;
}

/* One listening socket of the display X11_REQ is waiting for. */
static int
x11_socket(struct cfwd *f, uint32_t id, uint32_t display, int *fdp)
{
	struct flisten *l;

	if (!f->x11_pending || id != f->x11_id)
		return SSH_ERR_STATE_VIOLATION;
	if ((l = listen_free_slot(f)) == NULL ||
	    (l->addr = strdup("X11 display")) == NULL) {
		f->x11_lost = 1;
		return 0;	/* *fdp is closed by the caller */
	}
	l->used = l->x11 = 1;
	l->single = f->x11_single;
	l->owner = id;
	l->port = display;
	l->fd = *fdp;
	*fdp = -1;
	return 0;
}

void
cfwd_x11_close(struct cfwd *f, uint32_t id)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_LISTEN; i++) {
		if (f->ls[i].used && f->ls[i].x11 && f->ls[i].owner == id)
			listen_release(&f->ls[i]);
	}
}

int
cfwd_x11_end(struct cfwd *f, uint32_t id, int ok)
{
	if (!f->x11_pending || id != f->x11_id)
		return SSH_ERR_STATE_VIOLATION;
	f->busy = f->x11_pending = 0;
	if (ok && f->x11_lost) {
		(void)logch_send(f->log, LOG_LVL_INFO, "X11 forwarding for "
		    "channel %u: too many listeners", id);
		ok = 0;
	}
	if (!ok)
		cfwd_x11_close(f, id);
	return ok;
}

int
cfwd_recv_socket(struct cfwd *f, struct buf *m, int *fdp)
{
	struct ipc_fwd_socket a;
	uint32_t tag, port;
	struct flisten *l;
	struct fch *fc;
	uint8_t data[4];
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = ipc_dec_fwd_socket(m, &a)) != 0)
		return r;
	tag = a.tag;
	port = a.port;
	if ((r = fd_set_nonblock(*fdp)) != 0)
		return r;
	if ((tag & IPC_FWD_X11_TAG) != 0)
		return x11_socket(f, tag & ~IPC_FWD_X11_TAG, port, fdp);
	if ((tag & CFWD_LISTEN_TAG) != 0) {
		tag &= ~CFWD_LISTEN_TAG;
		if (tag >= CHILD_MAX_LISTEN || !f->ls[tag].pending)
			return SSH_ERR_STATE_VIOLATION;
		l = &f->ls[tag];
		l->pending = 0;
		l->fd = *fdp;
		*fdp = -1;
		l->port = l->unix_sock ? 0 : port;
		f->busy = 0;
		if (l->agent) {
			(void)logch_send(f->log, LOG_LVL_VERBOSE, "channel %u: "
			    "agent forwarding on", l->chan);
			return chan_request_reply(table(f), l->chan, 1);
		}
		(void)logch_send(f->log, LOG_LVL_VERBOSE, "forwarding: listening "
		    "on %s port %u for the client", l->addr, l->port);
		/* RFC 4254 7.1: the port goes back only when we chose it. */
		if (!l->unix_sock && l->req_port == 0) {
			data[0] = (uint8_t)(port >> 24);
			data[1] = (uint8_t)(port >> 16);
			data[2] = (uint8_t)(port >> 8);
			data[3] = (uint8_t)port;
			return chan_global_reply(table(f), 1, data, 4);
		}
		return chan_global_reply(table(f), 1, NULL, 0);
	}
	if ((fc = fch_by_id(f, tag)) == NULL || fc->state != FCH_WAIT_MONITOR)
		return SSH_ERR_STATE_VIOLATION;
	fc->fd = *fdp;
	*fdp = -1;
	fc->state = FCH_OPEN;
	(void)logch_send(f->log, LOG_LVL_VERBOSE, "forwarding channel %u "
	    "opened: %s", fc->id, fc->desc);
	return chan_open_confirm(table(f), fc->id);
}

int
cfwd_recv_refused(struct cfwd *f, struct buf *m)
{
	struct ipc_fwd_refused a;
	uint32_t tag, reason;
	const char *msg;
	struct fch *fc;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = ipc_dec_fwd_refused(m, &a)) != 0)
		return r;
	tag = a.tag;
	reason = a.reason;
	msg = a.description;
	if ((tag & CFWD_LISTEN_TAG) != 0) {
		tag &= ~CFWD_LISTEN_TAG;
		if (tag >= CHILD_MAX_LISTEN || !f->ls[tag].pending) {
			r = SSH_ERR_STATE_VIOLATION;
			goto out;
		}
		if (f->ls[tag].agent) {
			(void)logch_send(f->log, LOG_LVL_VERBOSE, "channel %u: "
			    "agent forwarding refused: %s", f->ls[tag].chan,
			    msg);
			r = chan_request_reply(table(f), f->ls[tag].chan, 0);
		} else {
			(void)logch_send(f->log, LOG_LVL_VERBOSE, "forwarding: "
			    "cannot listen on %s port %u: %s", f->ls[tag].addr,
			    f->ls[tag].req_port, msg);
			r = chan_global_reply(table(f), 0, NULL, 0);
		}
		listen_release(&f->ls[tag]);
		f->busy = 0;
		goto out;
	}
	if ((fc = fch_by_id(f, tag)) == NULL || fc->state != FCH_WAIT_MONITOR) {
		r = SSH_ERR_STATE_VIOLATION;
		goto out;
	}
	(void)logch_send(f->log, LOG_LVL_VERBOSE, "forwarding channel %u "
	    "refused: %s: %s", fc->id, fc->desc, msg);
	r = chan_open_fail(table(f), fc->id, reason, msg);
	fch_release(fc);
 out:
	ipc_free_fwd_refused(&a);
	return r;
}

/* Client data to the socket; EOF becomes SHUT_WR once all is written. */
static int
fch_pump(struct cfwd *f, struct fch *fc)
{
	struct chan_table *t = table(f);
	const uint8_t *p;
	size_t len = 0;
	ssize_t n;

	while (!fc->wr_shut && chan_peek_input(t, fc->id, &p, &len) == 0 &&
	    len > 0) {
		n = write(fc->fd, p, len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0)
			return fch_finish(f, fc, "write failed");
		(void)chan_consume_input(t, fc->id, (size_t)n);
		fc->to_sock += (uint64_t)n;
		len = 0;
	}
	if (!fc->wr_shut && fc->peer_eof && len == 0) {
		(void)shutdown(fc->fd, SHUT_WR);
		fc->wr_shut = 1;
	}
	if (fc->wr_shut && (fc->rd_eof || fc->peer_closed))
		return fch_finish(f, fc, fc->peer_closed && !fc->rd_eof ?
		    "closed by the client" : "both ends done");
	return 0;
}

int
cfwd_pump(struct cfwd *f)
{
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	for (i = 0; i < CHILD_MAX_FWD; i++) {
		if (f->ch[i].state == FCH_OPEN &&
		    (r = fch_pump(f, &f->ch[i])) != 0)
			return r;
	}
	return 0;
}

size_t
cfwd_pollfds(struct cfwd *f, struct pollfd *pfd, size_t max)
{
	struct chan_table *t = table(f);
	const uint8_t *p;
	size_t i, n = 0, len;
	int can_send = conn_output_space(f->conn) > 0;

	for (i = 0; i < CHILD_MAX_FWD && n < max; i++) {
		struct fch *fc = &f->ch[i];

		if (fc->state != FCH_OPEN)
			continue;
		pfd[n].fd = fc->fd;
		pfd[n].events = 0;
		pfd[n].revents = 0;
		if (!fc->rd_eof && !fc->peer_closed && can_send &&
		    chan_writable(t, fc->id) > 0)
			pfd[n].events |= POLLIN;
		if (!fc->wr_shut && chan_peek_input(t, fc->id, &p, &len) == 0 &&
		    len > 0)
			pfd[n].events |= POLLOUT;
		if (pfd[n].events != 0)
			n++;
	}
	for (i = 0; i < CHILD_MAX_LISTEN && n < max; i++) {
		if (!f->ls[i].used || f->ls[i].pending)
			continue;
		pfd[n].fd = f->ls[i].fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

/* Socket data to the client, as far as the window and output space go. */
static int
fch_read(struct cfwd *f, struct fch *fc)
{
	struct chan_table *t = table(f);
	uint8_t data[CFWD_CHUNK];
	size_t room = chan_writable(t, fc->id), acc;
	ssize_t n;

	if (room > sizeof(data))
		room = sizeof(data);
	if (room > conn_output_space(f->conn))
		room = conn_output_space(f->conn);
	if (room == 0 || fc->rd_eof)
		return 0;
	n = read(fc->fd, data, room);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0)
		return fch_finish(f, fc, "read failed");
	if (n == 0) {
		fc->rd_eof = 1;
		return chan_send_eof(t, fc->id);
	}
	fc->from_sock += (uint64_t)n;
	return chan_write(t, fc->id, 0, data, (size_t)n, &acc);
}

static void
peer_name(const struct sockaddr_storage *ss, char *addr, size_t len,
    uint32_t *portp)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

	*portp = 0;
	snprintf(addr, len, "%s", "");
	if (ss->ss_family == AF_INET) {
		(void)inet_ntop(AF_INET, &sin->sin_addr, addr, (socklen_t)len);
		*portp = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		(void)inet_ntop(AF_INET6, &sin6->sin6_addr, addr,
		    (socklen_t)len);
		*portp = ntohs(sin6->sin6_port);
	}
}

/* A connection to a listener: a forwarded-* channel towards the client. */
static int
accept_one(struct cfwd *f, struct flisten *l)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char addr[INET6_ADDRSTRLEN];
	struct buf *b = NULL;
	struct fch *fc;
	uint32_t port, id;
	int s, r = SSH_ERR_INTERNAL_ERROR;

	if ((s = accept4(l->fd, (struct sockaddr *)&ss, &sslen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1)
		return errno == EAGAIN || errno == EINTR ||
		    errno == ECONNABORTED ? 1 : -1;
	if ((fc = fch_free_slot(f)) == NULL || (b = buf_new()) == NULL) {
		(void)logch_send(f->log, LOG_LVL_INFO, "forwarding: too many "
		    "channels, dropped a connection to %s port %u", l->addr,
		    l->port);
		close(s);
		buf_free(b);
		return 0;
	}
	peer_name(&ss, addr, sizeof(addr), &port);
	/* RFC 4254 6.3.2: "x11" carries the originator only;
	 * PROTOCOL.agent: the agent's channel nothing more. */
	if (l->x11) {
		if ((r = buf_put_cstring(b, addr)) == 0)
			r = buf_put_u32(b, port);
	} else if (l->agent)
		r = 0;
	else
		r = l->unix_sock ? fwdmsg_put_forwarded_streamlocal(b,
		    l->addr) : fwdmsg_put_forwarded_tcpip(b, l->addr, l->port,
		    addr, port);
	if (r == 0)
		r = chan_open(table(f), l->x11 ? "x11" :
		    l->agent ? "auth-agent@openssh.com" : l->unix_sock ?
		    "forwarded-streamlocal@openssh.com" : "forwarded-tcpip",
		    buf_ptr(b), buf_len(b), &id);
	buf_free(b);
	if (r != 0) {
		close(s);
		return 0;
	}
	memset(fc, 0, sizeof(*fc));
	fc->state = FCH_WAIT_PEER;
	fc->id = id;
	fc->fd = s;
	if (l->x11)
		snprintf(fc->desc, sizeof(fc->desc), "x11 for channel %u "
		    "(display %u), originator %s port %u", l->owner, l->port,
		    addr, port);
	else if (l->agent)
		snprintf(fc->desc, sizeof(fc->desc), "auth-agent@openssh.com");
	else if (l->unix_sock)
		snprintf(fc->desc, sizeof(fc->desc), "forwarded-streamlocal "
		    "from %s", l->addr);
	else
		snprintf(fc->desc, sizeof(fc->desc), "forwarded-tcpip from %s "
		    "port %u, originator %s port %u", l->addr, l->port, addr,
		    port);
	if (l->x11 && l->single) {
		/* One connection was asked for: the display goes. */
		(void)logch_send(f->log, LOG_LVL_VERBOSE, "X11 forwarding for "
		    "channel %u: single connection taken", l->owner);
		cfwd_x11_close(f, l->owner);
		return 1;
	}
	return 0;
}

int
cfwd_after_poll(struct cfwd *f, const struct pollfd *pfd, size_t n)
{
	size_t k, i;
	int r, a;

	for (k = 0; k < n; k++) {
		if (pfd[k].revents == 0)
			continue;
		for (i = 0; i < CHILD_MAX_FWD; i++) {
			struct fch *fc = &f->ch[i];

			if (fc->state != FCH_OPEN || fc->fd != pfd[k].fd)
				continue;
			if ((pfd[k].events & POLLIN) && (pfd[k].revents &
			    (POLLIN | POLLHUP | POLLERR)) &&
			    (r = fch_read(f, fc)) != 0)
				return r;
			break;
		}
		for (i = 0; i < CHILD_MAX_LISTEN; i++) {
			struct flisten *l = &f->ls[i];

			if (!l->used || l->pending || l->fd != pfd[k].fd)
				continue;
			for (a = 0; a < CFWD_ACCEPT_BURST; a++) {
				if ((r = accept_one(f, l)) == 1)
					break;
				if (r < 0) {
					(void)logch_send(f->log, LOG_LVL_INFO,
					    "forwarding: accept on %s port %u: "
					    "%s", l->addr, l->port,
					    strerror(errno));
					break;
				}
			}
			break;
		}
	}
	return 0;
}
