/*
 * child.c: the protocol child.  It holds no host private key and no
 * credential: host-key signatures and authentication decisions come from
 * the monitor over IPC, and the user's processes are started by the
 * monitor, which passes their fds here.  Everything it reads from the
 * client goes through the sans-IO core (protocol/conn.h).
 */
#include <sys/types.h>
#include <sys/ioctl.h>
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
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
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

#define CHILD_MAX_CHANS		64
#define CHILD_IO_CHUNK		(32 * 1024)
#define CHILD_READ_CHUNK	(64 * 1024)
#define CHILD_PUMP_READS	8	/* reads of one fd per poll */
/* How long a closing connection may take to hand over its last words. */
#define CHILD_LINGER_MS		2000
#define CHILD_CONFIG_WAIT_MS	10000

/* Bounds on what "env" requests may make the child keep per channel. */
#define CHILD_ENV_NAME_MAX	256
#define CHILD_ENV_VALUE_MAX	4096

/* fd[] slots: the SPAWN_FD "which" numbers. */
#define CFD_STDIN	0
#define CFD_STDOUT	1
#define CFD_STDERR	2
#define CFD_PTY		3	/* the pty master, for TIOCSWINSZ */
#define CFD_N		4

struct cchan {
	int used;
	uint32_t id;
	int session;		/* a "session" channel (max_sessions) */
	int fd[CFD_N];		/* command's stdin (we write), stdout, stderr,
				 * pty master */
	uint32_t handle;	/* the monitor's name for the command, 0: none */
	int fds_missing;	/* SPAWN_FD messages still to come */
	int pty;		/* the monitor allocated a pty for it */
	struct pty_size size;	/* its latest window size */
	char *env_name[IPC_SPAWN_ENV_MAX], *env_value[IPC_SPAWN_ENV_MAX];
	size_t nenv;
	int client_eof;
	int exited;
	uint32_t exit_kind, exit_status;
	char signame[32];
	int core;
	int finished;		/* EOF, exit status and CLOSE sent */
};

struct child {
	struct ssh_conn *conn;
	struct ipc *ipc;
	struct ipc *log;
	struct ipc_state st;
	int sock;
	struct conn_settings set;
	char *kex, *hkalgs, *ciphers, *macs, *methods, *banner, *addr;
	uint32_t port, grace, maxchan, max_tries, rekey_interval;
	uint64_t rekey_limit;
	struct sshkey **hostkeys;
	size_t nhostkeys;
	struct sshcert **hostcerts;	/* by host key index, NULL for none */
	int authed;
	/* SESSION_CONFIG: the user's session settings (0 values: none). */
	int sess_cfg;
	char **accept_env;
	size_t naccept_env;
	uint32_t max_sessions, max_session_time, idle_timeout;
	uint32_t ka_interval, ka_count_max;
	uint64_t auth_time;		/* when authentication succeeded */
	uint64_t last_data;		/* channel data either way (idle) */
	uint64_t ka_deadline;		/* next keepalive probe */
	uint32_t ka_missed;		/* probes without an answer */
	uint64_t bytes_in, bytes_out;	/* on the socket */
	int spawn_pending;	/* a SPAWN_EXEC or PTY_REQ awaits its result */
	int prove_pending;	/* a HOSTKEYS_PROVE awaits its signatures */
	uint64_t grace_deadline;
	uint64_t linger_deadline;
	struct cchan ch[CHILD_MAX_CHANS];
	struct cfwd *fwd;	/* port forwarding, once authenticated */
	int outcome;
};

static void child_log(struct child *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Logging never blocks the child: a full log channel drops the line. */
static void
child_log(struct child *c, int level, const char *fmt, ...)
{
	char line[IPC_LOG_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	(void)logch_send(c->log, level, "%s", line);
}

/* CONFIG's host certificates: u32 n; n x { u32 key index, string blob }. */
static int
parse_hostcerts(struct child *c, struct buf *m)
{
	uint32_t n, i, idx;
	struct buf *blob;
	int r;

	if ((r = buf_get_u32(m, &n)) != 0)
		return r;
	if (n > c->nhostkeys)
		return SSH_ERR_INVALID_FORMAT;
	if (n == 0)
		return 0;
	if ((c->hostcerts = calloc(c->nhostkeys,
	    sizeof(*c->hostcerts))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < n; i++) {
		if ((r = buf_get_u32(m, &idx)) != 0)
			return r;
		if (idx >= c->nhostkeys || c->hostcerts[idx] != NULL)
			return SSH_ERR_INVALID_FORMAT;
		if ((r = buf_froms(m, &blob)) != 0)
			return r;
		r = cert_parse(blob, &c->hostcerts[idx]);
		buf_free(blob);
		if (r != 0)
			return r;
		if ((r = cert_check_key(c->hostcerts[idx],
		    c->hostkeys[idx])) != 0)
			return r;
	}
	return 0;
}

/* CONFIG, the monitor's first message (format in ipc_catalogue.h). */
static int
parse_config(struct child *c, struct buf *m)
{
	uint32_t n, i;
	struct buf *blob;
	int r;

	if ((r = buf_get_cstring(m, &c->kex, NULL)) != 0 ||
	    (r = buf_get_cstring(m, &c->hkalgs, NULL)) != 0 ||
	    (r = buf_get_cstring(m, &c->ciphers, NULL)) != 0 ||
	    (r = buf_get_cstring(m, &c->macs, NULL)) != 0 ||
	    (r = buf_get_cstring(m, &c->methods, NULL)) != 0 ||
	    (r = buf_get_cstring(m, &c->banner, NULL)) != 0 ||
	    (r = buf_get_cstring(m, &c->addr, NULL)) != 0 ||
	    (r = buf_get_u32(m, &c->port)) != 0 ||
	    (r = buf_get_u32(m, &c->grace)) != 0 ||
	    (r = buf_get_u32(m, &c->maxchan)) != 0 ||
	    (r = buf_get_u32(m, &c->max_tries)) != 0 ||
	    (r = buf_get_u64(m, &c->rekey_limit)) != 0 ||
	    (r = buf_get_u32(m, &c->rekey_interval)) != 0 ||
	    (r = buf_get_u32(m, &n)) != 0)
		return r;
	if (n == 0 || n > 64)
		return SSH_ERR_INVALID_FORMAT;
	if ((c->hostkeys = calloc(n, sizeof(*c->hostkeys))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < n; i++) {
		if ((r = buf_froms(m, &blob)) != 0)
			return r;
		r = key_from_blob(blob, &c->hostkeys[i]);
		buf_free(blob);
		if (r != 0)
			return r;
		c->nhostkeys++;
	}
	if ((r = parse_hostcerts(c, m)) != 0)
		return r;
	return buf_expect_end(m);
}

static int
receive_config(struct child *c)
{
	struct buf *m = NULL;
	uint32_t type;
	int fd = -1, r;

	if ((r = ipc_recv_wait(c->ipc, &type, &m, &fd,
	    CHILD_CONFIG_WAIT_MS)) != 0)
		return r;
	if ((r = ipc_check(&c->st, IPC_TO_CHILD, type, buf_len(m),
	    fd != -1)) != 0 || type != IPC_MSG_CONFIG) {
		if (fd != -1)
			close(fd);
		buf_free(m);
		return r != 0 ? r : SSH_ERR_STATE_VIOLATION;
	}
	r = parse_config(c, m);
	buf_free(m);
	return r;
}

static struct cchan *
chan_by_id(struct child *c, uint32_t id)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_CHANS; i++)
		if (c->ch[i].used && c->ch[i].id == id)
			return &c->ch[i];
	return NULL;
}

static struct cchan *
chan_by_handle(struct child *c, uint32_t handle)
{
	size_t i;

	for (i = 0; i < CHILD_MAX_CHANS; i++)
		if (c->ch[i].used && c->ch[i].handle == handle && handle != 0)
			return &c->ch[i];
	return NULL;
}

static void
cchan_close_fd(struct cchan *ch, int which)
{
	if (ch->fd[which] != -1) {
		close(ch->fd[which]);
		ch->fd[which] = -1;
	}
}

static void
cchan_release(struct cchan *ch)
{
	size_t i;

	for (i = 0; i < CFD_N; i++)
		cchan_close_fd(ch, (int)i);
	for (i = 0; i < ch->nenv; i++) {
		free(ch->env_name[i]);
		freezero(ch->env_value[i], strlen(ch->env_value[i]) + 1);
	}
	memset(ch, 0, sizeof(*ch));
	for (i = 0; i < CFD_N; i++)
		ch->fd[i] = -1;
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

static const char *
who(struct child *c)
{
	return conn_auth_user(c->conn) != NULL ? conn_auth_user(c->conn) : "";
}

/* Requests to the monitor. */

static int
send_sign(struct child *c, const struct conn_event *ev)
{
	struct buf *m = buf_new();
	int r;

	if (m == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u32(m, (uint32_t)ev->u.sign.hostkey)) == 0 &&
	    (r = buf_put_cstring(m, ev->u.sign.alg)) == 0 &&
	    (r = buf_put_string(m, ev->u.sign.data, ev->u.sign.len)) == 0)
		r = ipc_queue(c->ipc, IPC_MSG_SIGN, m, -1);
	buf_free(m);
	return r;
}

static int
send_auth_pubkey(struct child *c, const struct conn_event *ev)
{
	struct buf *m = buf_new();
	int r;

	if (m == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_cstring(m, ev->u.auth_pubkey.user)) == 0 &&
	    (r = buf_put_cstring(m, ev->u.auth_pubkey.service)) == 0 &&
	    (r = buf_put_string(m, ev->u.auth_pubkey.key,
	    ev->u.auth_pubkey.keylen)) == 0 &&
	    (r = buf_put_cstring(m, ev->u.auth_pubkey.alg)) == 0 &&
	    (r = buf_put_u8(m, ev->u.auth_pubkey.hostbound != 0)) == 0 &&
	    (r = buf_put_u32(m, (uint32_t)(ev->u.auth_pubkey.hostkey +
	    (ev->u.auth_pubkey.hostkey_cert ? c->nhostkeys : 0)))) == 0 &&
	    (r = buf_put_u8(m, ev->u.auth_pubkey.sig == NULL)) == 0 &&
	    (r = buf_put_string(m, ev->u.auth_pubkey.sig,
	    ev->u.auth_pubkey.sig != NULL ? ev->u.auth_pubkey.siglen : 0)) == 0)
		r = ipc_queue(c->ipc, IPC_MSG_AUTH_PUBKEY, m, -1);
	buf_free(m);
	return r;
}

/* hostkeys-prove-00@openssh.com: the client names keys it wants proved;
 * the monitor signs, and the reply goes out in order through the channel
 * layer (OpenSSH PROTOCOL 2.5). */
static int
send_prove(struct child *c, struct chan_table *t, const struct chan_event *ev)
{
	struct buf *req = buf_from(ev->data, ev->len), *m = buf_new();
	const uint8_t *blob;
	size_t len;
	uint32_t n = 0;
	int idx, r;

	if (req == NULL || m == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_put_u32(m, 0)) != 0)
		goto out;
	while (buf_len(req) > 0) {
		if (buf_get_string_direct(req, &blob, &len) != 0 ||
		    (idx = conn_hostkey_index(c->conn, blob, len)) < 0 ||
		    n >= c->nhostkeys) {
			r = chan_global_reply(t, 0, NULL, 0);
			goto out;
		}
		if ((r = buf_put_u32(m, (uint32_t)idx)) != 0)
			goto out;
		n++;
	}
	if (n == 0) {
		r = chan_global_reply(t, 0, NULL, 0);
		goto out;
	}
	if ((r = buf_poke_u32(m, 0, n)) != 0 ||
	    (r = ipc_queue(c->ipc, IPC_MSG_HOSTKEYS_PROVE, m, -1)) != 0)
		goto out;
	c->prove_pending = 1;
 out:
	buf_free(req);
	buf_free(m);
	return r;
}

/* AUTH_PASSWORD, or AUTH_PASSWORD_CHANGE for a change request. */
static int
send_auth_password(struct child *c, const struct conn_event *ev)
{
	struct buf *m = buf_new();
	int change = ev->u.auth_password.newpassword != NULL;
	int r;

	if (m == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_cstring(m, ev->u.auth_password.user)) == 0 &&
	    (r = buf_put_cstring(m, ev->u.auth_password.service)) == 0 &&
	    (r = buf_put_string(m, ev->u.auth_password.password,
	    ev->u.auth_password.len)) == 0 &&
	    (!change || (r = buf_put_string(m, ev->u.auth_password.newpassword,
	    ev->u.auth_password.newlen)) == 0))
		r = ipc_queue(c->ipc, change ? IPC_MSG_AUTH_PASSWORD_CHANGE :
		    IPC_MSG_AUTH_PASSWORD, m, -1);
	buf_free(m);		/* wipes the copy of the passwords */
	return r;
}

static int
send_auth_kbdint(struct child *c, const struct conn_event *ev)
{
	struct buf *m = buf_new();
	size_t i;
	int r;

	if (m == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_cstring(m, ev->u.auth_kbdint.user)) != 0 ||
	    (r = buf_put_cstring(m, ev->u.auth_kbdint.service)) != 0 ||
	    (r = buf_put_u32(m, (uint32_t)ev->u.auth_kbdint.n)) != 0)
		goto out;
	for (i = 0; i < ev->u.auth_kbdint.n; i++) {
		if ((r = buf_put_string(m, ev->u.auth_kbdint.responses[i],
		    ev->u.auth_kbdint.lens[i])) != 0)
			goto out;
	}
	r = ipc_queue(c->ipc, IPC_MSG_AUTH_KBDINT, m, -1);
 out:
	buf_free(m);
	return r;
}

static int
send_spawn(struct child *c, struct cchan *ch, uint32_t kind,
    const char *command)
{
	struct buf *m = buf_new();
	size_t i;
	int r;

	if (m == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u32(m, ch->id)) != 0 ||
	    (r = buf_put_u32(m, kind)) != 0 ||
	    (r = buf_put_cstring(m, command)) != 0 ||
	    (r = buf_put_u8(m, ch->pty != 0)) != 0 ||
	    (r = buf_put_u32(m, (uint32_t)ch->nenv)) != 0)
		goto out;
	for (i = 0; i < ch->nenv; i++) {
		if ((r = buf_put_cstring(m, ch->env_name[i])) != 0 ||
		    (r = buf_put_cstring(m, ch->env_value[i])) != 0)
			goto out;
	}
	if ((r = ipc_queue(c->ipc, IPC_MSG_SPAWN_EXEC, m, -1)) == 0)
		c->spawn_pending = 1;
 out:
	buf_free(m);
	return r;
}

/* pty-req: the modes are parsed here, in the sandbox; the monitor gets
 * them as a list it only has to bound.  A malformed mode string is the
 * request's failure, not the connection's. */
static int
send_pty_req(struct child *c, struct cchan *ch, const struct chan_req *q)
{
	struct ttymode modes[TTYMODES_MAX];
	struct buf *m = NULL;
	size_t n, i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ttymodes_parse(q->modes, q->modes_len, modes, TTYMODES_MAX,
	    &n) != 0 || strlen(q->term) > 255) {
		child_log(c, LOG_LVL_VERBOSE, "channel %u: malformed pty-req",
		    ch->id);
		return chan_request_reply(conn_channels(c->conn), ch->id, 0);
	}
	if ((m = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u32(m, ch->id)) != 0 ||
	    (r = buf_put_cstring(m, q->term)) != 0 ||
	    (r = buf_put_u32(m, q->cols)) != 0 ||
	    (r = buf_put_u32(m, q->rows)) != 0 ||
	    (r = buf_put_u32(m, q->width_px)) != 0 ||
	    (r = buf_put_u32(m, q->height_px)) != 0 ||
	    (r = buf_put_u32(m, (uint32_t)n)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = buf_put_u32(m, modes[i].opcode)) != 0 ||
		    (r = buf_put_u32(m, modes[i].value)) != 0)
			goto out;
	}
	if ((r = ipc_queue(c->ipc, IPC_MSG_PTY_REQ, m, -1)) != 0)
		goto out;
	c->spawn_pending = 1;
	ch->size.cols = q->cols;
	ch->size.rows = q->rows;
	ch->size.width_px = q->width_px;
	ch->size.height_px = q->height_px;
 out:
	buf_free(m);
	return r;
}

/* SESSION_SIGNAL, SESSION_BREAK and SESSION_CLOSE: a handle, and for
 * the first two what to deliver. */
static int
send_session_ctl(struct child *c, uint32_t type, struct cchan *ch,
    const char *signame, uint32_t ms)
{
	struct buf *m = buf_new();
	int r;

	if (m == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_u32(m, ch->handle)) == 0) {
		if (type == IPC_MSG_SESSION_SIGNAL)
			r = buf_put_cstring(m, signame);
		else if (type == IPC_MSG_SESSION_BREAK)
			r = buf_put_u32(m, ms);
	}
	if (r == 0)
		r = ipc_queue(c->ipc, type, m, -1);
	buf_free(m);
	return r;
}

/* env: kept for the command if session.accept_env names it. */
static int
accept_env(struct child *c, struct cchan *ch, const struct chan_req *q)
{
	if (ch->handle != 0 || c->spawn_pending ||
	    ch->nenv >= IPC_SPAWN_ENV_MAX || *q->env_name == '\0' ||
	    strchr(q->env_name, '=') != NULL ||
	    strlen(q->env_name) > CHILD_ENV_NAME_MAX ||
	    strlen(q->env_value) > CHILD_ENV_VALUE_MAX ||
	    !match_list(q->env_name, c->accept_env, c->naccept_env)) {
		child_log(c, LOG_LVL_VERBOSE, "channel %u: environment "
		    "variable %.64s refused", ch->id, q->env_name);
		return 0;
	}
	if ((ch->env_name[ch->nenv] = strdup(q->env_name)) == NULL)
		return 0;
	if ((ch->env_value[ch->nenv] = strdup(q->env_value)) == NULL) {
		free(ch->env_name[ch->nenv]);
		return 0;
	}
	ch->nenv++;
	return 1;
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
			r = send_sign(c, &ev);
			break;
		case CONN_EV_AUTH_PUBKEY:
			r = send_auth_pubkey(c, &ev);
			break;
		case CONN_EV_AUTH_PASSWORD:
			r = send_auth_password(c, &ev);
			break;
		case CONN_EV_AUTH_KBDINT:
			r = send_auth_kbdint(c, &ev);
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
				    "from %s port %u ssh2 [preauth]", who(c),
				    c->addr, c->port);
			child_log(c, LOG_LVL_INFO, "%s%s%s %s port %u: %s%s",
			    ev.u.closed.by_peer ? "Disconnected from" :
			    "Disconnecting", who_prefix(c), who(c), c->addr,
			    c->port, ev.u.closed.msg, c->authed ? "" :
			    " [preauth]");
			break;
		default:
			break;
		}
	}
	return r;
}

static int
handle_request(struct child *c, struct chan_table *t,
    const struct chan_event *ev)
{
	struct cchan *ch = chan_by_id(c, ev->id);
	const struct chan_req *q = &ev->req;
	int ok = 0, r = SSH_ERR_INTERNAL_ERROR;

	if (ch == NULL)
		return chan_request_reply(t, ev->id, 0);
	switch (q->type) {
	case CHAN_REQ_EXEC:
	case CHAN_REQ_SHELL:
	case CHAN_REQ_SUBSYSTEM:
		/* One command per session channel (RFC 4254 6.5). */
		if (ch->handle != 0 || c->spawn_pending)
			break;
		if (q->type == CHAN_REQ_EXEC && *q->command == '\0')
			break;
		if (q->type == CHAN_REQ_SUBSYSTEM && *q->subsystem == '\0')
			break;
		return send_spawn(c, ch, q->type == CHAN_REQ_EXEC ?
		    IPC_SPAWN_EXEC : q->type == CHAN_REQ_SHELL ?
		    IPC_SPAWN_SHELL : IPC_SPAWN_SUBSYSTEM,
		    q->type == CHAN_REQ_EXEC ? q->command :
		    q->type == CHAN_REQ_SUBSYSTEM ? q->subsystem : "");
	case CHAN_REQ_PTY:
		if (ch->handle != 0 || ch->pty || c->spawn_pending)
			break;
		return send_pty_req(c, ch, q);
	case CHAN_REQ_ENV:
		ok = accept_env(c, ch, q);
		break;
	case CHAN_REQ_WINDOW_CHANGE:
		if (!ch->pty)
			break;
		ch->size.cols = q->cols;
		ch->size.rows = q->rows;
		ch->size.width_px = q->width_px;
		ch->size.height_px = q->height_px;
		/* Before the shell starts, the master is still to come;
		 * recv_spawn_fd applies the latest size then. */
		ok = ch->fd[CFD_PTY] == -1 ||
		    pty_set_size(ch->fd[CFD_PTY], &ch->size) == 0;
		break;
	case CHAN_REQ_SIGNAL:
	case CHAN_REQ_BREAK:
		/* For a running command; a break only on its pty.  The
		 * monitor delivers them (and checks the signal's name). */
		if (ch->handle == 0 || ch->fds_missing != 0 || ch->exited ||
		    (q->type == CHAN_REQ_BREAK && !ch->pty))
			break;
		if ((r = send_session_ctl(c, q->type == CHAN_REQ_SIGNAL ?
		    IPC_MSG_SESSION_SIGNAL : IPC_MSG_SESSION_BREAK, ch,
		    q->signame, q->break_ms)) != 0)
			return r;
		ok = 1;
		break;
	default:
		break;
	}
	return chan_request_reply(t, ev->id, ok);
}

/* Session channels open now, against limits.max_sessions. */
static unsigned int
session_count(const struct child *c)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < CHILD_MAX_CHANS; i++)
		n += c->ch[i].used && c->ch[i].session;
	return n;
}

static int
handle_chan_events(struct child *c)
{
	struct chan_table *t = conn_channels(c->conn);
	struct chan_event ev;
	struct cchan *ch;
	size_t i;
	int r = 0;

	/* A request waiting for the monitor holds the replies in order;
	 * nothing is decided before the user's session settings came. */
	while (r == 0 && c->sess_cfg && !c->spawn_pending &&
	    !c->prove_pending && (c->fwd == NULL || !cfwd_busy(c->fwd))) {
		if ((r = chan_next_event(t, &ev)) != 0 ||
		    ev.type == CHAN_EV_NONE)
			break;
		if (c->fwd != NULL && cfwd_owns_event(c->fwd, &ev)) {
			r = cfwd_event(c->fwd, &ev);
			continue;
		}
		ch = chan_by_id(c, ev.id);
		switch (ev.type) {
		case CHAN_EV_OPEN:
			for (i = 0; i < CHILD_MAX_CHANS && c->ch[i].used; i++)
				;
			if (i == CHILD_MAX_CHANS) {
				r = chan_open_fail(t, ev.id,
				    SSH2_OPEN_RESOURCE_SHORTAGE,
				    "too many channels");
				break;
			}
			if (strcmp(ev.name, "session") == 0 &&
			    session_count(c) >= c->max_sessions) {
				child_log(c, LOG_LVL_INFO, "%s: refused a "
				    "session: limits.max_sessions (%u) reached",
				    who(c), c->max_sessions);
				r = chan_open_fail(t, ev.id,
				    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED,
				    "too many sessions");
				break;
			}
			cchan_release(&c->ch[i]);
			c->ch[i].used = 1;
			c->ch[i].id = ev.id;
			c->ch[i].session = strcmp(ev.name, "session") == 0;
			r = chan_open_confirm(t, ev.id);
			break;
		case CHAN_EV_REQUEST:
			r = handle_request(c, t, &ev);
			break;
		case CHAN_EV_EOF:
			if (ch != NULL)
				ch->client_eof = 1;
			break;
		case CHAN_EV_DATA_READY:
			c->last_data = monotime_ms();
			break;
		case CHAN_EV_CLOSE:
			if (ch != NULL) {
				if (!ch->finished)
					(void)chan_close(t, ev.id);
				/* The client left a running command: the
				 * monitor hangs up its process group. */
				if (ch->handle != 0 && !ch->exited)
					r = send_session_ctl(c,
					    IPC_MSG_SESSION_CLOSE, ch, NULL, 0);
				cchan_release(ch);
			}
			break;
		case CHAN_EV_GLOBAL_REPLY:
			/* Any answer shows the client is alive. */
			c->ka_missed = 0;
			break;
		case CHAN_EV_GLOBAL:
			r = strcmp(ev.name, "hostkeys-prove-00@openssh.com") == 0 ?
			    send_prove(c, t, &ev) : chan_global_reply(t, 0, NULL, 0);
			break;
		default:
			break;
		}
	}
	return r;
}

/* Replies from the monitor. */

static int
recv_sign_reply(struct child *c, struct buf *m)
{
	const uint8_t *sig;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(m, &sig, &len)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	return conn_sign_done(c->conn, sig, len);
}

static int
recv_auth_reply(struct child *c, struct buf *m)
{
	uint32_t result;
	char *methods = NULL;
	enum conn_auth_result res;
	int r;

	if ((r = buf_get_u32(m, &result)) != 0 ||
	    (r = buf_get_cstring(m, &methods, NULL)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		goto out;
	switch (result) {
	case IPC_AUTH_PK_OK:
		res = CONN_AUTH_PK_OK;
		break;
	case IPC_AUTH_SUCCESS:
		res = CONN_AUTH_SUCCESS;
		if ((r = ipc_state_postauth(&c->st)) != 0)
			goto out;
		break;
	case IPC_AUTH_FAILURE:
		res = CONN_AUTH_FAILURE;
		break;
	case IPC_AUTH_PARTIAL:
		res = CONN_AUTH_PARTIAL;
		break;
	case IPC_AUTH_CHANGEREQ:
		r = conn_passwd_changereq(c->conn, methods);
		goto out;
	default:
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	r = conn_auth_done(c->conn, res, *methods != '\0' ? methods : NULL);
 out:
	free(methods);
	return r;
}

static int
recv_kbdint_prompts(struct child *c, struct buf *m)
{
	char *name = NULL, *instr = NULL;
	char *prompts[CONN_KBDINT_MAX_PROMPTS];
	int echo[CONN_KBDINT_MAX_PROMPTS];
	uint32_t n = 0, i;
	int r;

	memset(prompts, 0, sizeof(prompts));
	if ((r = buf_get_cstring(m, &name, NULL)) != 0 ||
	    (r = buf_get_cstring(m, &instr, NULL)) != 0 ||
	    (r = buf_get_u32(m, &n)) != 0)
		goto out;
	if (n == 0 || n > CONN_KBDINT_MAX_PROMPTS) {
		r = SSH_ERR_INVALID_FORMAT;
		n = 0;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((r = buf_get_cstring(m, &prompts[i], NULL)) != 0 ||
		    (r = buf_get_bool(m, &echo[i])) != 0)
			goto out;
	}
	if ((r = buf_expect_end(m)) != 0)
		goto out;
	r = conn_kbdint_prompts(c->conn, name, instr, n,
	    (const char *const *)prompts, echo);
 out:
	for (i = 0; i < n; i++)
		free(prompts[i]);
	free(name);
	free(instr);
	return r;
}

static int
recv_prove_reply(struct child *c, struct buf *m)
{
	struct buf *sigs = buf_new();
	uint32_t n, i;
	int r;

	if (sigs == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (!c->prove_pending) {
		r = SSH_ERR_STATE_VIOLATION;
		goto out;
	}
	if ((r = buf_get_u32(m, &n)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		const uint8_t *s;
		size_t len;

		if ((r = buf_get_string_direct(m, &s, &len)) != 0 ||
		    (r = buf_put_string(sigs, s, len)) != 0)
			goto out;
	}
	if ((r = buf_expect_end(m)) != 0)
		goto out;
	c->prove_pending = 0;
	r = chan_global_reply(conn_channels(c->conn), 1, buf_ptr(sigs),
	    buf_len(sigs));
 out:
	buf_free(sigs);
	return r;
}

static int
recv_spawn_result(struct child *c, struct buf *m)
{
	struct chan_table *t = conn_channels(c->conn);
	uint32_t tag, status, handle;
	struct cchan *ch;
	int r;

	if ((r = buf_get_u32(m, &tag)) != 0 ||
	    (r = buf_get_u32(m, &status)) != 0 ||
	    (r = buf_get_u32(m, &handle)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if (!c->spawn_pending || (ch = chan_by_id(c, tag)) == NULL)
		return SSH_ERR_STATE_VIOLATION;
	if (status != 0 || handle == 0) {
		c->spawn_pending = 0;
		child_log(c, LOG_LVL_VERBOSE, "channel %u: could not start command",
		    tag);
		return chan_request_reply(t, tag, 0);
	}
	ch->handle = handle;
	ch->fds_missing = 3;
	return 0;
}

static int
recv_pty_result(struct child *c, struct buf *m)
{
	uint32_t tag, status;
	struct cchan *ch;
	int r;

	if ((r = buf_get_u32(m, &tag)) != 0 ||
	    (r = buf_get_u32(m, &status)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if (!c->spawn_pending || (ch = chan_by_id(c, tag)) == NULL)
		return SSH_ERR_STATE_VIOLATION;
	c->spawn_pending = 0;
	ch->pty = status == 0;
	return chan_request_reply(conn_channels(c->conn), tag, ch->pty);
}

static void
free_accept_env(struct child *c)
{
	size_t i;

	for (i = 0; i < c->naccept_env; i++)
		free(c->accept_env[i]);
	free(c->accept_env);
	c->accept_env = NULL;
	c->naccept_env = 0;
}

/* SESSION_CONFIG (ipc_catalogue.h). */
static int
recv_session_config(struct child *c, struct buf *m)
{
	char *list = NULL, *p, *name, *save = NULL;
	size_t n = 1;
	int r;

	if ((r = buf_get_cstring(m, &list, NULL)) != 0 ||
	    (r = buf_get_u32(m, &c->max_sessions)) != 0 ||
	    (r = buf_get_u32(m, &c->max_session_time)) != 0 ||
	    (r = buf_get_u32(m, &c->idle_timeout)) != 0 ||
	    (r = buf_get_u32(m, &c->ka_interval)) != 0 ||
	    (r = buf_get_u32(m, &c->ka_count_max)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		goto out;
	for (p = list; *p != '\0'; p++)
		n += *p == ',';
	if ((c->accept_env = calloc(n, sizeof(*c->accept_env))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	for (name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		if ((c->accept_env[c->naccept_env] = strdup(name)) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		c->naccept_env++;
	}
	c->sess_cfg = 1;
	c->last_data = monotime_ms();
	if (c->ka_interval != 0)
		c->ka_deadline = c->last_data + (uint64_t)c->ka_interval * 1000;
	r = 0;
 out:
	free(list);
	return r;
}

static int
recv_spawn_fd(struct child *c, struct buf *m, int fd)
{
	uint32_t handle, which;
	struct cchan *ch;
	int r;

	if ((r = buf_get_u32(m, &handle)) != 0 ||
	    (r = buf_get_u32(m, &which)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	/* A pty session gets stdin, stdout and the master; others the
	 * three pipes. */
	if ((ch = chan_by_handle(c, handle)) == NULL || which >= CFD_N ||
	    (ch->pty ? which == CFD_STDERR : which == CFD_PTY) ||
	    ch->fds_missing == 0 || ch->fd[which] != -1)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = fd_set_nonblock(fd)) != 0)
		return r;
	ch->fd[which] = fd;
	if (which == CFD_PTY && pty_set_size(fd, &ch->size) != 0)
		child_log(c, LOG_LVL_VERBOSE, "channel %u: window size not "
		    "set", ch->id);
	if (--ch->fds_missing == 0) {
		c->spawn_pending = 0;
		return chan_request_reply(conn_channels(c->conn), ch->id, 1);
	}
	return 0;
}

static int
recv_child_exit(struct child *c, struct buf *m)
{
	uint32_t handle;
	char *sig = NULL;
	struct cchan *ch;
	struct cchan tmp;
	int core, r;

	memset(&tmp, 0, sizeof(tmp));
	if ((r = buf_get_u32(m, &handle)) != 0 ||
	    (r = buf_get_u32(m, &tmp.exit_kind)) != 0 ||
	    (r = buf_get_u32(m, &tmp.exit_status)) != 0 ||
	    (r = buf_get_cstring(m, &sig, NULL)) != 0 ||
	    (r = buf_get_bool(m, &core)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		goto out;
	/* The channel may be gone already: nothing to report then. */
	if ((ch = chan_by_handle(c, handle)) != NULL) {
		ch->exited = 1;
		ch->exit_kind = tmp.exit_kind;
		ch->exit_status = tmp.exit_status;
		snprintf(ch->signame, sizeof(ch->signame), "%s", sig);
		ch->core = core;
	}
	r = 0;
 out:
	free(sig);
	return r;
}

static int
handle_ipc(struct child *c)
{
	struct buf *m;
	uint32_t type;
	int fd, r;

	if ((r = ipc_read(c->ipc)) != 0 && r != SSH_ERR_CONN_CLOSED)
		return r;
	for (;;) {
		fd = -1;
		r = ipc_next(c->ipc, &type, &m, &fd);
		if (r == SSH_ERR_MESSAGE_INCOMPLETE)
			return 0;
		if (r != 0)
			return r;
		if ((r = ipc_check(&c->st, IPC_TO_CHILD, type, buf_len(m),
		    fd != -1)) == 0) {
			switch (type) {
			case IPC_MSG_SIGN_REPLY:
				r = recv_sign_reply(c, m);
				break;
			case IPC_MSG_AUTH_REPLY:
				r = recv_auth_reply(c, m);
				break;
			case IPC_MSG_HOSTKEYS_PROVE_REPLY:
				r = recv_prove_reply(c, m);
				break;
			case IPC_MSG_KBDINT_PROMPTS:
				r = recv_kbdint_prompts(c, m);
				break;
			case IPC_MSG_SPAWN_RESULT:
				r = recv_spawn_result(c, m);
				break;
			case IPC_MSG_SPAWN_FD:
				r = recv_spawn_fd(c, m, fd);
				if (r == 0)
					fd = -1;
				break;
			case IPC_MSG_CHILD_EXIT:
				r = recv_child_exit(c, m);
				break;
			case IPC_MSG_PTY_RESULT:
				r = recv_pty_result(c, m);
				break;
			case IPC_MSG_SESSION_CONFIG:
				r = recv_session_config(c, m);
				break;
			case IPC_MSG_FWD_SOCKET:
			case IPC_MSG_FWD_REFUSED:
				r = c->fwd != NULL ? cfwd_recv(c->fwd, type, m,
				    &fd) : SSH_ERR_STATE_VIOLATION;
				break;
			default:
				r = SSH_ERR_STATE_VIOLATION;
				break;
			}
		}
		if (fd != -1)
			close(fd);
		buf_free(m);
		if (r != 0) {
			/* An answer may end the connection itself (too
			 * many failures): that is not the monitor's fault. */
			if (!conn_closed(c->conn))
				child_log(c, LOG_LVL_ERROR, "handling %s: %s",
				    ipc_msg_name(type), ssh_err(r));
			return r;
		}
	}
}

/* Channel I/O with the user's processes. */

static void
pump_stdin(struct child *c, struct chan_table *t, struct cchan *ch)
{
	const uint8_t *p;
	size_t len;
	ssize_t n;

	while (ch->fd[0] != -1 && chan_peek_input(t, ch->id, &p, &len) == 0 &&
	    len > 0) {
		n = write(ch->fd[0], p, len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			/* The command stopped reading: drop what is left. */
			(void)chan_consume_input(t, ch->id, len);
			cchan_close_fd(ch, 0);
			return;
		}
		(void)chan_consume_input(t, ch->id, (size_t)n);
	}
	if (ch->fd[0] != -1 && ch->client_eof &&
	    (chan_peek_input(t, ch->id, &p, &len) != 0 || len == 0))
		cchan_close_fd(ch, 0);
}

/* Moves what a command wrote into its channel: several reads per poll
 * while there is more and room for it (a poll per chunk costs more than
 * the chunk), bounded so that one channel cannot starve the others. */
static int
pump_output(struct child *c, struct chan_table *t, struct cchan *ch,
    int which)
{
	uint8_t data[CHILD_IO_CHUNK];
	size_t room, acc;
	ssize_t n;
	int i, r;

	for (i = 0; i < CHILD_PUMP_READS; i++) {
		room = chan_writable(t, ch->id);
		if (room > sizeof(data))
			room = sizeof(data);
		if (room > conn_output_space(c->conn))
			room = conn_output_space(c->conn);
		if (room == 0)
			return 0;
		n = read(ch->fd[which], data, room);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0) {
			/* EOF, or EIO from a pty master once the last
			 * process holding the slave is gone. */
			cchan_close_fd(ch, which);
			return 0;
		}
		c->last_data = monotime_ms();
		if ((r = chan_write(t, ch->id, which == 2, data, (size_t)n,
		    &acc)) != 0)
			return r;
		if ((size_t)n < room)
			return 0;
	}
	return 0;
}

/* All output delivered and the command gone: EOF, exit status, CLOSE,
 * in that order, so that nothing the command wrote is lost. */
static int
finish_channel(struct child *c, struct chan_table *t, struct cchan *ch)
{
	int r;

	if (ch->finished || ch->handle == 0 || ch->fds_missing != 0 ||
	    ch->fd[1] != -1 || ch->fd[2] != -1 || !ch->exited)
		return 0;
	ch->finished = 1;
	cchan_close_fd(ch, CFD_STDIN);
	cchan_close_fd(ch, CFD_PTY);
	if ((r = chan_send_eof(t, ch->id)) != 0)
		return r;
	if (ch->exit_kind == IPC_EXIT_SIGNAL)
		r = chan_send_exit_signal(t, ch->id, ch->signame, ch->core, "");
	else
		r = chan_send_exit_status(t, ch->id, ch->exit_status);
	if (r != 0)
		return r;
	return chan_close(t, ch->id);
}

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
		    n == 0 ? "closed" : "reset", who_prefix(c), who(c),
		    c->addr, c->port, c->authed ? "" : " [preauth]");
		return SSH_ERR_CONN_CLOSED;
	}
	if (n < 0) {
		child_log(c, LOG_LVL_INFO, "read from %s port %u: %s",
		    c->addr, c->port, strerror(errno));
		return SSH_ERR_CONN_CLOSED;
	}
	c->bytes_in += (uint64_t)n;
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
	    why, who(c), c->addr, c->port);
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
		if (t != NULL && (r = handle_chan_events(c)) != 0) {
			conn_disconnect(c->conn, SSH2_DISCONNECT_PROTOCOL_ERROR,
			    ssh_err(r));
			closing(c, r);
		}
		for (i = 0; t != NULL && i < CHILD_MAX_CHANS; i++) {
			if (!c->ch[i].used)
				continue;
			pump_stdin(c, t, &c->ch[i]);
			if ((r = finish_channel(c, t, &c->ch[i])) != 0)
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
			if ((r = handle_ipc(c)) != 0 && conn_closed(c->conn))
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
				    (r = pump_output(c, t, &c->ch[i], k)) != 0)
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
	free_accept_env(c);
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
	if ((r = receive_config(&c)) != 0) {
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
	outcome = child_loop(&c);
	if (c.authed)
		/* One line per connection, for accounting and greps. */
		child_log(&c, LOG_LVL_INFO, "Session summary: user %s from %s "
		    "port %u: duration %llus, bytes in %llu, out %llu; %s",
		    who(&c), c.addr, c.port, (unsigned long long)
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
