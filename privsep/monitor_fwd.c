/* monitor_fwd.c: port forwarding requests in the monitor (see monitor_fwd.h). */
#include <sys/types.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"
#include "privsep/fwdhelper.h"
#include "privsep/fwdpolicy.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/monitor_fwd.h"
#include "privsep/x11.h"
#include "protocol/buf.h"
#include "protocol/fwdmsg.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

struct monfwd_helper {
	int used;
	int fd;			/* our end of the helper's socketpair */
	pid_t pid;
	uint32_t tag;
	int listen;
	int passing;		/* the helper answered: passing its sockets */
	int socks[FWDHELPER_MAX_FDS];	/* ... still to go, waiting for
					 * queue room */
	size_t nsock;
	struct monfwd_x11 *x11;	/* an X11 display's */
	int agent;		/* the agent socket's (fwdhelper.h) */
	uint32_t port;
	char what[FWDMSG_HOST_MAX + 32];	/* for the log */
};

struct monfwd {
	struct monfwd_helper h[MONFWD_MAX_HELPERS];
	/* The agent helper, once its socket is made: it removes the socket
	 * when agent_fd closes. */
	int agent_fd;
	char agent_path[FWDHELPER_MSG_MAX];
};

struct monfwd *
monfwd_new(void)
{
	struct monfwd *mf = calloc(1, sizeof(*mf));
	size_t i;

	if (mf == NULL)
		return NULL;
	for (i = 0; i < MONFWD_MAX_HELPERS; i++)
		mf->h[i].fd = -1;
	mf->agent_fd = -1;
	return mf;
}

static void
helper_release(struct monfwd_helper *h)
{
	size_t i;

	if (h->fd != -1)
		close(h->fd);
	for (i = 0; i < h->nsock; i++)
		close(h->socks[i]);
	memset(h, 0, sizeof(*h));
	h->fd = -1;
}

void
monfwd_free(struct monfwd *mf)
{
	size_t i;

	if (mf == NULL)
		return;
	for (i = 0; i < MONFWD_MAX_HELPERS; i++)
		helper_release(&mf->h[i]);
	if (mf->agent_fd != -1)
		close(mf->agent_fd);
	free(mf);
}

static int
send_refused(struct ipc *ipc, uint32_t tag, uint32_t reason, const char *msg)
{
	struct ipc_fwd_refused a = { tag, reason, msg };

	return ipc_send_fwd_refused(ipc, &a, -1);
}

static int
send_socket(struct ipc *ipc, uint32_t tag, uint32_t port, int fd)
{
	struct ipc_fwd_socket a = { tag, port };

	return ipc_send_fwd_socket(ipc, &a, fd);
}

int
monfwd_x11_result(struct ipc *ipc, uint32_t tag, int status, uint32_t display)
{
	struct ipc_x11_result a = { tag, (uint32_t)status, display };

	return ipc_send_x11_result(ipc, &a, -1);
}

static int
tag_in_use(const struct monfwd *mf, uint32_t tag)
{
	size_t i;

	for (i = 0; i < MONFWD_MAX_HELPERS; i++) {
		if (mf->h[i].used && mf->h[i].tag == tag)
			return 1;
	}
	return 0;
}

/*
 * The request fields (ipc_catalogue.h).  The child already parsed the
 * client's payload with fwdmsg; the monitor checks again what it relies
 * on, since it trusts nothing the child says.
 */
static int
parse_request(uint32_t type, struct buf *req, uint32_t *tagp,
    struct fwdmsg *m)
{
	struct ipc_fwd_open o;
	struct ipc_fwd_listen l;
	uint32_t kind;
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(m, 0, sizeof(*m));
	if (type == IPC_MSG_FWD_OPEN) {
		if ((r = ipc_dec_fwd_open(req, &o)) != 0)
			return r;
		/* The strings move into m, which frees them. */
		*tagp = o.tag;
		kind = o.kind;
		m->host = (char *)o.host;
		m->port = o.port;
		m->orig_addr = (char *)o.orig_addr;
		m->orig_port = o.orig_port;
	} else {
		if ((r = ipc_dec_fwd_listen(req, &l)) != 0)
			return r;
		*tagp = l.tag;
		kind = l.kind;
		m->host = (char *)l.host;
		m->port = l.port;
	}
	len = strlen(m->host);
	if (kind != IPC_FWD_TCP && kind != IPC_FWD_UNIX)
		return SSH_ERR_INVALID_FORMAT;
	m->unix_sock = kind == IPC_FWD_UNIX;
	if (m->port > 65535 || (m->unix_sock && (m->port != 0 || len == 0 ||
	    len > FWDMSG_PATH_MAX)) || (!m->unix_sock && len > FWDMSG_HOST_MAX) ||
	    (type == IPC_MSG_FWD_OPEN && !m->unix_sock && (len == 0 ||
	    m->port == 0)))
		return SSH_ERR_INVALID_FORMAT;
	return 0;
}

static struct monfwd_helper *
helper_slot(struct monfwd *mf)
{
	size_t i;

	for (i = 0; i < MONFWD_MAX_HELPERS; i++) {
		if (!mf->h[i].used)
			return &mf->h[i];
	}
	return NULL;
}

/* A helper for hr in a free slot (*hp), or the request refused (*hp
 * NULL). */
static int
helper_start(struct monfwd *mf, const struct fwdhelper_req *hr,
    const struct passwd *pw, uint32_t tag, struct ipc *ipc,
    struct monfwd_helper **hp)
{
	struct monfwd_helper *h;
	int r;

	*hp = NULL;
	if ((h = helper_slot(mf)) == NULL)
		return send_refused(ipc, tag, SSH2_OPEN_RESOURCE_SHORTAGE,
		    "too many forwardings starting at once");
	if ((r = fwdhelper_start(pw, hr, &h->pid, &h->fd)) != 0) {
		log_error("%s: cannot start a forwarding helper: %s",
		    pw->pw_name, ssh_err(r));
		return send_refused(ipc, tag, SSH2_OPEN_RESOURCE_SHORTAGE,
		    "cannot start");
	}
	h->used = 1;
	h->tag = tag;
	h->listen = hr->listen;
	h->agent = hr->agent;
	*hp = h;
	return 0;
}

int
monfwd_x11(struct monfwd *mf, const struct fwdhelper_req *hr,
    const struct passwd *pw, struct monfwd_x11 *slot, struct ipc *ipc)
{
	struct monfwd_helper *h;
	uint32_t tag = IPC_FWD_X11_TAG | slot->tag;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (tag_in_use(mf, tag) || (h = helper_slot(mf)) == NULL) {
		slot->used = 0;
		return monfwd_x11_result(ipc, slot->tag,
		    SSH_ERR_LIMIT_EXCEEDED, 0);
	}
	if ((r = fwdhelper_start(pw, hr, &h->pid, &h->fd)) != 0) {
		log_error("%s: cannot start an X11 helper: %s", pw->pw_name,
		    ssh_err(r));
		slot->used = 0;
		return monfwd_x11_result(ipc, slot->tag, r, 0);
	}
	h->used = 1;
	h->tag = tag;
	h->listen = 1;
	h->x11 = slot;
	snprintf(h->what, sizeof(h->what), "an X11 display for channel %u",
	    slot->tag);
	return 0;
}

int
monfwd_request(struct monfwd *mf, uint32_t type, struct buf *req,
    const struct passwd *pw, const struct fwd_rules *rules,
    int gateway_ports, struct ipc *ipc)
{
	struct fwdhelper_req hr;
	struct fwdmsg m;
	struct monfwd_helper *h = NULL;
	const char *why;
	uint32_t tag;
	int listen = type == IPC_MSG_FWD_LISTEN, r = SSH_ERR_INTERNAL_ERROR;

	if ((r = parse_request(type, req, &tag, &m)) != 0)
		goto out;
	if (tag_in_use(mf, tag)) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((why = fwdpolicy_check(rules, listen, m.unix_sock, m.host,
	    m.port)) != NULL) {
		if (m.unix_sock)
			log_info("%s: refused %s %s: %s", pw->pw_name, listen ?
			    "listening on socket" : "connecting to socket",
			    m.host, why);
		else
			log_info("%s: refused %s %s port %u: %s", pw->pw_name,
			    listen ? "listening on" : "connecting to",
			    m.host, m.port, why);
		r = send_refused(ipc, tag, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED,
		    "refused by the server's forwarding rules");
		goto out;
	}
	memset(&hr, 0, sizeof(hr));
	hr.listen = listen;
	hr.unix_sock = m.unix_sock;
	hr.host = listen && !m.unix_sock ?
	    fwdpolicy_bind_host(m.host, gateway_ports) : m.host;
	hr.port = m.port;
	if ((r = helper_start(mf, &hr, pw, tag, ipc, &h)) != 0 || h == NULL)
		goto out;
	if (m.unix_sock)
		snprintf(h->what, sizeof(h->what), "%s", m.host);
	else
		snprintf(h->what, sizeof(h->what), "%s port %u", hr.host,
		    m.port);
	r = 0;
 out:
	fwdmsg_clear(&m);
	return r;
}

int
monfwd_agent(struct monfwd *mf, uint32_t tag, const struct passwd *pw,
    struct ipc *ipc)
{
	struct fwdhelper_req hr;
	struct monfwd_helper *h;
	int r;

	if (tag_in_use(mf, tag) || mf->agent_fd != -1)
		return SSH_ERR_INVALID_FORMAT;
	memset(&hr, 0, sizeof(hr));
	hr.agent = hr.listen = 1;
	if ((r = helper_start(mf, &hr, pw, tag, ipc, &h)) != 0 || h == NULL)
		return r;
	snprintf(h->what, sizeof(h->what), "the agent socket");
	return 0;
}

const char *
monfwd_agent_path(const struct monfwd *mf)
{
	return mf != NULL && mf->agent_fd != -1 ? mf->agent_path : NULL;
}

/* The agent helper's path goes into the user's environment: an absolute
 * path of printable characters that fits a socket address. */
static int
agent_path_ok(const char *path)
{
	const char *p;

	if (*path != '/' || strlen(path) > FWDMSG_PATH_MAX)
		return 0;
	for (p = path; *p != '\0'; p++)
		if (*p < 0x21 || *p > 0x7e)
			return 0;
	return 1;
}

size_t
monfwd_pollfds(const struct monfwd *mf, struct pollfd *pfd, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < MONFWD_MAX_HELPERS && n < max; i++) {
		if (!mf->h[i].used || mf->h[i].passing)
			continue;
		pfd[n].fd = mf->h[i].fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

/* Hands the sockets to the child, then an X11 display's X11_RESULT; a
 * full IPC queue keeps the rest for later. */
static int
pass_sockets(struct monfwd_helper *h, struct ipc *ipc)
{
	int r = 0;

	while (h->nsock > 0) {
		r = send_socket(ipc, h->tag, h->port, h->socks[h->nsock - 1]);
		if (r == SSH_ERR_NO_BUFFER_SPACE)
			return 0;
		if (r != 0)
			goto out;
		h->nsock--;	/* the IPC queue owns it now */
	}
	if (h->x11 != NULL) {
		r = monfwd_x11_result(ipc, h->x11->tag, 0, h->port);
		if (r == SSH_ERR_NO_BUFFER_SPACE)
			return 0;
		if (r == 0) {
			h->x11->display = h->port;
			h->x11->ready = 1;
		}
	}
 out:
	if (r != 0 && h->x11 != NULL)
		h->x11->used = 0;
	helper_release(h);
	return r;
}

static int
helper_done(struct monfwd *mf, struct monfwd_helper *h, struct ipc *ipc)
{
	char msg[FWDHELPER_MSG_MAX];
	uint32_t reason, port;
	int socks[FWDHELPER_MAX_FDS], r = SSH_ERR_INTERNAL_ERROR;
	size_t nsock = 0;

	r = fwdhelper_result(h->fd, h->listen, h->x11 != NULL ?
	    FWDHELPER_MAX_FDS : 1, &reason, &port, msg, sizeof(msg), socks,
	    &nsock);
	if (r == SSH_ERR_MESSAGE_INCOMPLETE)
		return 0;
	if (r == 0 && nsock > 0 && h->agent && !agent_path_ok(msg)) {
		while (nsock > 0)
			close(socks[--nsock]);
		r = SSH_ERR_INVALID_FORMAT;
	}
	if (r != 0) {
		/* A helper runs as the user: its nonsense is its own failure. */
		log_error("forwarding helper for %s: %s", h->what, ssh_err(r));
		reason = SSH2_OPEN_CONNECT_FAILED;
		snprintf(msg, sizeof(msg), "failed");
	}
	if (nsock == 0 && h->x11 != NULL) {
		log_info("X11 forwarding: %s failed: %s", h->what, msg);
		h->x11->used = 0;
		r = monfwd_x11_result(ipc, h->x11->tag,
		    SSH_ERR_FEATURE_UNSUPPORTED, 0);
		helper_release(h);
		return r;
	}
	if (nsock == 0) {
		log_verbose("forwarding: %s %s failed: %s", h->listen ?
		    "listening on" : "connecting to", h->what, msg);
		r = send_refused(ipc, h->tag, reason, msg);
		helper_release(h);
		return r;
	}
	if (h->x11 != NULL)
		log_verbose("X11 forwarding: %s: display %u (port %u)",
		    h->what, port, X11_PORT_BASE + port);
	else if (h->agent) {
		log_verbose("agent forwarding: socket %s", msg);
		snprintf(mf->agent_path, sizeof(mf->agent_path), "%s", msg);
		mf->agent_fd = h->fd;	/* the helper's life line */
		h->fd = -1;
	} else if (h->listen)
		log_verbose("forwarding: listening on %s (bound port %u)",
		    h->what, port);
	else
		log_verbose("forwarding: connected to %s", h->what);
	if (h->fd != -1)
		close(h->fd);
	h->fd = -1;
	h->passing = 1;
	memcpy(h->socks, socks, nsock * sizeof(int));
	h->nsock = nsock;
	h->port = port;
	return pass_sockets(h, ipc);
}

int
monfwd_handle(struct monfwd *mf, const struct pollfd *pfd, size_t n,
    struct ipc *ipc)
{
	size_t i, k;
	int r = SSH_ERR_INTERNAL_ERROR;

	for (i = 0; i < MONFWD_MAX_HELPERS; i++) {
		if (mf->h[i].used && mf->h[i].passing &&
		    (r = pass_sockets(&mf->h[i], ipc)) != 0)
			return r;
	}
	for (k = 0; k < n; k++) {
		if ((pfd[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
			continue;
		for (i = 0; i < MONFWD_MAX_HELPERS; i++) {
			if (mf->h[i].used && mf->h[i].fd == pfd[k].fd &&
			    mf->h[i].fd != -1) {
				if ((r = helper_done(mf, &mf->h[i], ipc)) != 0)
					return r;
				break;
			}
		}
	}
	return 0;
}
