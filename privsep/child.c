/*
 * child.c: the protocol child.  It holds no host private key and no
 * credential: host-key signatures and authentication decisions come from
 * the monitor over IPC, and the user's processes are started by the
 * monitor, which passes their fds here.  Everything it reads from the
 * client goes through the sans-IO core (protocol/conn.h).
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/stdlib.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "common/config.h"
#include "common/log.h"
#include "common/fdutil.h"
#include "common/match.h"
#include "common/monotime.h"
#include "privsep/child.h"
#include "privsep/child_fwd.h"
#include "privsep/child_local.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/log_channel.h"
#include "privsep/outcome.h"
#include "privsep/pty.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/channel.h"
#include "protocol/conn.h"
#include "protocol/key.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/ttymodes.h"

/* Logging never blocks the child: a full log channel drops the line. */
void
child_log(struct child *c, int level, const char *fmt, ...)
{
	char line[IPC_LOG_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	(void)logch_send(c->log, level, "%s", line);
}

/* " authenticating user NAME" / " user NAME" in log lines, as OpenSSH
 * writes them, once a user has been named. */
static const char *
who_prefix(struct child *c)
{
	if (conn_auth_user(c->conn) == NULL)
		return "";
	return c->authed ? " user " : " authenticating user ";
}

const char *
child_who(struct child *c)
{
	return conn_auth_user(c->conn) != NULL ? conn_auth_user(c->conn) : "";
}

/* Port forwarding (child_fwd.h) joins once the user is in. */
static int
fwd_start(struct child *c)
{
	if ((c->fwd = cfwd_new(c->conn, c->ipc, c->log)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	return cfwd_register(conn_channels(c->conn));
}

/* Events from the connection. */

static int
handle_conn_events(struct child *c)
{
	struct conn_event ev;
	int r = 0;

	while (r == 0 && conn_next_event(c->conn, &ev)) {
		switch (ev.type) {
		case CONN_EV_SIGN:
			r = child_send_sign(c, &ev);
			break;
		case CONN_EV_RSA_PUBKEY:
		case CONN_EV_RSA_DECRYPT:
			r = child_send_rsa_kex(c, &ev);
			break;
		case CONN_EV_AUTH_PUBKEY:
			r = child_send_auth_pubkey(c, &ev);
			break;
		case CONN_EV_AUTH_PASSWORD:
			r = child_send_auth_password(c, &ev);
			break;
		case CONN_EV_AUTH_KBDINT:
			r = child_send_auth_kbdint(c, &ev);
			break;
		case CONN_EV_AUTHENTICATED:
			c->authed = 1;
			c->grace_deadline = 0;
			c->auth_time = monotime_ms();
			if ((r = fwd_start(c)) != 0)
				break;
			child_log(c, LOG_LVL_DEBUG, "algorithms: %s",
			    conn_algorithms(c->conn));
			break;
		case CONN_EV_CLOSED:
			/* OpenSSH's wording, which log tools (fail2ban)
			 * read: "authenticating user" before success. */
			if (!ev.u.closed.by_peer && ev.u.closed.reason ==
			    SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE)
				child_log(c, LOG_LVL_ERROR, "maximum "
				    "authentication attempts exceeded for %s "
				    "from %s port %u ssh2 [preauth]", child_who(c),
				    c->addr, c->port);
			child_log(c, LOG_LVL_INFO, "%s%s%s %s port %u: %s%s",
			    ev.u.closed.by_peer ? "Disconnected from" :
			    "Disconnecting", who_prefix(c), child_who(c), c->addr,
			    c->port, ev.u.closed.msg, c->authed ? "" :
			    " [preauth]");
			break;
		default:
			break;
		}
	}
	return r;
}

/* Replies from the monitor. */

/* Channel I/O with the user's processes. */

static int
flush_socket(struct child *c)
{
	const uint8_t *p;
	size_t len;
	ssize_t n;

	while ((p = conn_output(c->conn, &len)) != NULL && len > 0) {
		n = write(c->sock, p, len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0)
			return SSH_ERR_CONN_CLOSED;
		c->bytes_out += (uint64_t)n;
		(void)conn_output_consume(c->conn, (size_t)n);
	}
	return 0;
}

static void closing(struct child *c, int r);

/*
 * During a login every client packet waits for the server's answer: a
 * delayed acknowledgement (up to 40 ms on Linux) would stall a client
 * that has Nagle's algorithm on (OpenSSH's, without a terminal) at each
 * step.  Quick-ack mode ends by itself, so it is asked for again after
 * each read until authentication and the first requests after it are
 * done; bulk data later gets the kernel's normal acknowledgements.
 */
static void
quickack_during_login(struct child *c)
{
	int on = 1;

	if (c->authed && monotime_ms() >= c->auth_time + CHILD_QUICKACK_MS)
		return;
	(void)setsockopt(c->sock, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof(on));
}

/* One read from the client; *fullp says whether it filled the room (so
 * that more may be waiting). */
static int
read_socket_once(struct child *c, int *fullp)
{
	uint8_t data[CHILD_READ_CHUNK];
	size_t room = conn_input_space(c->conn);
	ssize_t n;

	*fullp = 0;
	if (room > sizeof(data))
		room = sizeof(data);
	if (room == 0)
		return 0;
	n = read(c->sock, data, room);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n == 0 || (n < 0 && errno == ECONNRESET)) {
		child_log(c, LOG_LVL_INFO, "Connection %s by%s%s %s port %u%s",
		    n == 0 ? "closed" : "reset", who_prefix(c), child_who(c),
		    c->addr, c->port, c->authed ? "" : " [preauth]");
		return SSH_ERR_CONN_CLOSED;
	}
	if (n < 0) {
		child_log(c, LOG_LVL_INFO, "read from %s port %u: %s",
		    c->addr, c->port, strerror(errno));
		return SSH_ERR_CONN_CLOSED;
	}
	c->bytes_in += (uint64_t)n;
	quickack_during_login(c);
	/* Traffic from the client postpones the next keepalive probe;
	 * only an answer clears the unanswered count. */
	if (c->ka_interval != 0)
		c->ka_deadline = monotime_ms() + (uint64_t)c->ka_interval * 1000;
	*fullp = (size_t)n == room;
	return conn_input(c->conn, data, (size_t)n, monotime_ms());
}

/* Several reads per poll while the client keeps the socket full, as
 * pump_output does for commands. */
static int
read_socket(struct child *c)
{
	int i, full = 1, r = 0;

	for (i = 0; r == 0 && full && i < CHILD_PUMP_READS; i++)
		r = read_socket_once(c, &full);
	return r;
}

/* The earliest of the session limits' deadlines, 0 for none. */
static uint64_t
session_deadline(const struct child *c)
{
	uint64_t d = 0, x;

	if (!c->authed || !c->sess_cfg)
		return 0;
	if (c->max_session_time != 0) {
		x = c->auth_time + (uint64_t)c->max_session_time * 1000;
		d = x;
	}
	if (c->idle_timeout != 0) {
		x = c->last_data + (uint64_t)c->idle_timeout * 1000;
		d = d == 0 || x < d ? x : d;
	}
	if (c->ka_interval != 0)
		d = d == 0 || c->ka_deadline < d ? c->ka_deadline : d;
	return d;
}

/* A limit ends the connection: logged, and the client told why. */
static void
limit_disconnect(struct child *c, const char *why)
{
	child_log(c, LOG_LVL_INFO, "%s: disconnecting user %s from %s port %u",
	    why, child_who(c), c->addr, c->port);
	conn_disconnect(c->conn, SSH2_DISCONNECT_BY_APPLICATION, why);
	closing(c, 0);
}

/* limits.max_session_time, idle_timeout and the keepalive probes. */
static void
session_timers(struct child *c, uint64_t now)
{
	struct chan_table *t = conn_channels(c->conn);
	int r;

	if (!c->authed || !c->sess_cfg || conn_closed(c->conn))
		return;
	if (c->max_session_time != 0 && now >= c->auth_time +
	    (uint64_t)c->max_session_time * 1000) {
		limit_disconnect(c, "Session time limit reached");
		return;
	}
	if (c->idle_timeout != 0 &&
	    now >= c->last_data + (uint64_t)c->idle_timeout * 1000) {
		limit_disconnect(c, "Idle timeout");
		return;
	}
	if (c->ka_interval == 0 || now < c->ka_deadline)
		return;
	if (c->ka_missed >= c->ka_count_max) {
		limit_disconnect(c, "Timeout, client not responding");
		return;
	}
	/* A full queue of unanswered probes counts as one more miss. */
	r = chan_global_send(t, "keepalive@openssh.com", 1, NULL, 0);
	if (r != 0 && r != SSH_ERR_LIMIT_EXCEEDED) {
		closing(c, r);
		return;
	}
	if (r == 0)
		c->globals_sent++;
	c->ka_missed++;
	c->ka_deadline = now + (uint64_t)c->ka_interval * 1000;
}

static int
outcome_of(struct child *c, int r)
{
	if (r == SSH_ERR_LIMIT_EXCEEDED && !c->authed)
		return OUTCOME_AUTHFAIL;
	if (c->authed)
		return OUTCOME_OK;
	if (r == SSH_ERR_CONN_CLOSED || r == SSH_ERR_DISCONNECTED)
		return OUTCOME_NOAUTH;
	return OUTCOME_PROTOCOL;
}

/* Ends the loop: remembers why, lets the output drain for a moment. */
static void
closing(struct child *c, int r)
{
	if (c->linger_deadline == 0) {
		c->outcome = outcome_of(c, r);
		c->linger_deadline = monotime_ms() + CHILD_LINGER_MS;
	}
}

enum {
	PFD_SOCK = 0,
	PFD_IPC,
	PFD_LOG,
	PFD_CHAN,	/* then three per channel */
};

static int
child_loop(struct child *c)
{
	struct pollfd pfd[PFD_CHAN + 3 * CHILD_MAX_CHANS + CHILD_FWD_POLLFDS];
	const size_t pfd_fwd = PFD_CHAN + 3 * CHILD_MAX_CHANS;
	struct chan_table *t;
	uint64_t now, deadline;
	size_t i, out_len, nfwd;
	int timeout, r, k;

	for (;;) {
		now = monotime_ms();
		if ((r = handle_conn_events(c)) != 0)
			return OUTCOME_ERROR;
		t = c->authed ? conn_channels(c->conn) : NULL;
		if (t != NULL && (r = child_handle_chan_events(c)) != 0) {
			conn_disconnect(c->conn, SSH2_DISCONNECT_PROTOCOL_ERROR,
			    ssh_err(r));
			closing(c, r);
		}
		for (i = 0; t != NULL && i < CHILD_MAX_CHANS; i++) {
			if (!c->ch[i].used)
				continue;
			child_pump_stdin(c, t, &c->ch[i]);
			if ((r = child_finish_channel(c, t, &c->ch[i])) != 0)
				closing(c, r);
		}
		if (t != NULL && c->fwd != NULL && (r = cfwd_pump(c->fwd)) != 0)
			closing(c, r);
		if (flush_socket(c) != 0)
			return c->linger_deadline ? c->outcome : outcome_of(c,
			    SSH_ERR_CONN_CLOSED);
		(void)ipc_flush(c->ipc);
		(void)ipc_flush(c->log);
		(void)conn_output(c->conn, &out_len);
		if (conn_closed(c->conn)) {
			closing(c, SSH_ERR_DISCONNECTED);
			if (out_len == 0 || now >= c->linger_deadline)
				return c->outcome;
		}
		if (c->grace_deadline != 0 && now >= c->grace_deadline) {
			child_log(c, LOG_LVL_INFO, "Timeout before authentication "
			    "for %s port %u", c->addr, c->port);
			conn_disconnect(c->conn, SSH2_DISCONNECT_PROTOCOL_ERROR,
			    "Timeout before authentication");
			closing(c, 0);
			c->outcome = OUTCOME_GRACE;
			c->grace_deadline = 0;
			continue;
		}
		if (conn_deadline(c->conn) != 0 &&
		    now >= conn_deadline(c->conn) &&
		    conn_timer(c->conn, now) != 0)
			closing(c, SSH_ERR_CONN_CLOSED);
		session_timers(c, now);
		child_report(c, now);

		memset(pfd, 0, sizeof(pfd));
		pfd[PFD_SOCK].fd = c->sock;
		if (!conn_closed(c->conn) && conn_input_space(c->conn) > 0)
			pfd[PFD_SOCK].events |= POLLIN;
		if (out_len > 0)
			pfd[PFD_SOCK].events |= POLLOUT;
		pfd[PFD_IPC].fd = ipc_fd(c->ipc);
		pfd[PFD_IPC].events = POLLIN |
		    (ipc_output_pending(c->ipc) ? POLLOUT : 0);
		pfd[PFD_LOG].fd = ipc_output_pending(c->log) ?
		    ipc_fd(c->log) : -1;
		pfd[PFD_LOG].events = POLLOUT;
		for (i = 0; i < CHILD_MAX_CHANS; i++) {
			struct cchan *ch = &c->ch[i];
			struct pollfd *p = &pfd[PFD_CHAN + 3 * i];
			const uint8_t *in;
			size_t inlen = 0;
			int can_send;

			p[0].fd = p[1].fd = p[2].fd = -1;
			if (!ch->used || t == NULL)
				continue;
			if (ch->fd[0] != -1 &&
			    chan_peek_input(t, ch->id, &in, &inlen) == 0 &&
			    inlen > 0) {
				p[0].fd = ch->fd[0];
				p[0].events = POLLOUT;
			}
			can_send = chan_writable(t, ch->id) > 0 &&
			    conn_output_space(c->conn) > 0;
			for (k = 1; k <= 2; k++) {
				if (ch->fd[k] != -1 && can_send) {
					p[k].fd = ch->fd[k];
					p[k].events = POLLIN;
				}
			}
		}
		nfwd = t != NULL && c->fwd != NULL ? cfwd_pollfds(c->fwd,
		    &pfd[pfd_fwd], CHILD_FWD_POLLFDS) : 0;
		deadline = c->linger_deadline;
		if (c->grace_deadline != 0 &&
		    (deadline == 0 || c->grace_deadline < deadline))
			deadline = c->grace_deadline;
		if (conn_deadline(c->conn) != 0 &&
		    (deadline == 0 || conn_deadline(c->conn) < deadline))
			deadline = conn_deadline(c->conn);
		if (c->info_due != 0 &&
		    (deadline == 0 || c->info_due < deadline))
			deadline = c->info_due;
		if (!conn_closed(c->conn) && session_deadline(c) != 0 &&
		    (deadline == 0 || session_deadline(c) < deadline))
			deadline = session_deadline(c);
		timeout = deadline == 0 ? -1 : deadline <= now ? 0 :
		    (int)(deadline - now);
		if (poll(pfd, pfd_fwd + nfwd, timeout) == -1) {
			if (errno == EINTR)
				continue;
			return OUTCOME_ERROR;
		}
		if (pfd[PFD_IPC].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((r = child_handle_ipc(c)) != 0 && conn_closed(c->conn))
				closing(c, r);
			else if (r != 0) {
				/* The monitor is gone or broke the protocol:
				 * nothing can be decided any more. */
				child_log(c, LOG_LVL_ERROR, "monitor channel: %s",
				    ssh_err(r));
				return OUTCOME_ERROR;
			}
		}
		if (pfd[PFD_SOCK].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((r = read_socket(c)) != 0) {
				/* A closed connection says why in its
				 * CLOSED event. */
				if (r != SSH_ERR_CONN_CLOSED &&
				    !conn_closed(c->conn))
					child_log(c, LOG_LVL_INFO, "%s port %u: "
					    "%s", c->addr, c->port, ssh_err(r));
				closing(c, r);
				if (r == SSH_ERR_CONN_CLOSED)
					return c->outcome;
			}
		}
		for (i = 0; t != NULL && i < CHILD_MAX_CHANS; i++) {
			struct pollfd *p = &pfd[PFD_CHAN + 3 * i];

			for (k = 1; k <= 2; k++) {
				if (p[k].fd != -1 && (p[k].revents &
				    (POLLIN | POLLHUP | POLLERR)) &&
				    (r = child_pump_output(c, t, &c->ch[i], k)) != 0)
					closing(c, r);
			}
		}
		if (nfwd > 0 && (r = cfwd_after_poll(c->fwd, &pfd[pfd_fwd],
		    nfwd)) != 0)
			closing(c, r);
	}
}

static void
child_free(struct child *c)
{
	size_t i;

	cfwd_free(c->fwd);
	conn_free(c->conn);
	for (i = 0; i < CHILD_MAX_CHANS; i++)
		cchan_release(&c->ch[i]);
	for (i = 0; i < c->nhostkeys; i++) {
		key_free(c->hostkeys[i]);
		if (c->hostcerts != NULL)
			cert_free(c->hostcerts[i]);
	}
	free(c->hostkeys);
	free(c->hostcerts);
	free(c->kex);
	free(c->hkalgs);
	free(c->ciphers);
	free(c->macs);
	free(c->methods);
	free(c->banner);
	free(c->addr);
	child_free_accept_env(c);
	ipc_free(c->ipc);
	ipc_free(c->log);
}

int
child_run(const struct sandbox_params *sp)
{
	struct child c;
	char version[64], *why = NULL;
	size_t i;
	int r, outcome = OUTCOME_ERROR;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < CHILD_MAX_CHANS; i++)
		cchan_release(&c.ch[i]);
	c.sock = CHILD_FD_CLIENT;
	ipc_state_init(&c.st, 0);
	if ((c.ipc = ipc_new(CHILD_FD_IPC)) == NULL ||
	    (c.log = ipc_new(CHILD_FD_LOG)) == NULL ||
	    fd_set_nonblock(c.sock) != 0)
		goto out;
	/* OpenSSL reads its configuration on first use: do that now, while
	 * files can still be opened. */
	if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL) != 1 ||
	    RAND_bytes((unsigned char *)version, sizeof(version)) != 1)
		goto out;
	if (sandbox_enter(sp, &why) != 0) {
		if (c.log != NULL)
			(void)logch_send(c.log, LOG_LVL_ERROR,
			    "sandbox: %s", why != NULL ? why : "failed");
		free(why);
		(void)ipc_send_wait(c.log, IPC_MSG_NONE, NULL, -1, 100);
		goto out;
	}
	if ((r = child_receive_config(&c)) != 0) {
		child_log(&c, LOG_LVL_ERROR, "configuration from monitor: %s",
		    ssh_err(r));
		goto out;
	}
	snprintf(version, sizeof(version), "SSH-2.0-nanossh_%s",
	    PACKAGE_VERSION);
	c.set.version = version;
	c.set.kex = c.kex;
	c.set.ciphers = c.ciphers;
	c.set.macs = c.macs;
	c.set.hostkey_algs = c.hkalgs;
	c.set.hostkeys = (const struct sshkey *const *)c.hostkeys;
	c.set.nhostkeys = c.nhostkeys;
	c.set.hostcerts = (const struct sshcert *const *)c.hostcerts;
	c.set.auth_methods = c.methods;
	c.set.banner = c.banner;
	c.set.max_auth_tries = c.max_tries;
	c.set.rekey_limit = c.rekey_limit;
	c.set.rekey_interval_ms = (uint64_t)c.rekey_interval * 1000;
	c.set.require_pq = c.require_pq;
	/* The layer's cap is what this process can serve; the user's
	 * limits.max_sessions (SESSION_CONFIG, after authentication, match
	 * blocks applied) is enforced when a session opens. */
	c.set.max_channels = CHILD_MAX_CHANS;
	c.set.max_forwards = CHILD_MAX_FWD;
	if ((c.conn = conn_new(&c.set, monotime_ms())) == NULL) {
		child_log(&c, LOG_LVL_ERROR, "cannot set up the connection");
		goto out;
	}
	if (c.grace != 0)
		c.grace_deadline = monotime_ms() + (uint64_t)c.grace * 1000;
	/* What the monitor sent right after CONFIG (an administrator's
	 * ADMIN) may have been read ahead with it: in the buffer, where
	 * poll would never show it. */
	if (child_handle_ipc(&c) != 0) {
		child_log(&c, LOG_LVL_ERROR, "monitor channel broken");
		goto out;
	}
	outcome = child_loop(&c);
	if (c.authed)
		/* One line per connection, for accounting and greps. */
		child_log(&c, LOG_LVL_INFO, "Session summary: user %s from %s "
		    "port %u: duration %llus, bytes in %llu, out %llu; %s",
		    child_who(&c), c.addr, c.port, (unsigned long long)
		    ((monotime_ms() - c.auth_time) / 1000),
		    (unsigned long long)c.bytes_in,
		    (unsigned long long)c.bytes_out,
		    conn_algorithms(c.conn) != NULL ?
		    conn_algorithms(c.conn) : "");
	(void)ipc_flush(c.log);
 out:
	child_free(&c);
	return outcome;
}
