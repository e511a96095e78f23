/*
 * child_monitor.c: the protocol child's half of the monitor protocol:
 * CONFIG, the requests it makes for the client (signatures,
 * authentication, sessions) and the handlers of the monitor's answers.
 */
#include <sys/types.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>

#include "common/fdutil.h"
#include "common/log.h"
#include "common/match.h"
#include "common/monotime.h"
#include "privsep/child.h"
#include "privsep/child_fwd.h"
#include "privsep/child_local.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/log_channel.h"
#include "privsep/pty.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/channel.h"
#include "protocol/conn.h"
#include "protocol/key.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/ttymodes.h"

/* CONFIG's host certificates, by host key index. */
static int
take_hostcerts(struct child *c, const struct ipc_config *q)
{
	struct buf *blob;
	uint32_t i, idx;
	int r;

	if (q->hostcerts.n > c->nhostkeys)
		return SSH_ERR_INVALID_FORMAT;
	if (q->hostcerts.n == 0)
		return 0;
	if ((c->hostcerts = calloc(c->nhostkeys,
	    sizeof(*c->hostcerts))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < q->hostcerts.n; i++) {
		idx = q->hostcerts.v[i].hostkey;
		if (idx >= c->nhostkeys || c->hostcerts[idx] != NULL)
			return SSH_ERR_INVALID_FORMAT;
		if ((blob = buf_from(q->hostcerts.v[i].blob.p,
		    q->hostcerts.v[i].blob.len)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
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

/* A string of CONFIG, moved into the child's own. */
static char *
take(const char **sp)
{
	char *s = (char *)*sp;

	*sp = NULL;
	return s;
}

/* CONFIG, the monitor's first message. */
int
child_recv_config(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_config q;
	struct buf *blob;
	uint32_t i;
	int r;

	if ((r = ipc_dec_config(m, &q)) != 0)
		return r;
	c->kex = take(&q.kex);
	c->hkalgs = take(&q.hostkey_algs);
	c->ciphers = take(&q.ciphers);
	c->macs = take(&q.macs);
	c->methods = take(&q.methods);
	c->banner = take(&q.banner);
	c->addr = take(&q.addr);
	c->port = q.port;
	c->grace = q.grace;
	c->maxchan = q.max_sessions;
	c->max_tries = q.max_tries;
	c->rekey_limit = q.rekey_limit;
	c->rekey_interval = q.rekey_interval;
	c->require_pq = q.require_pq;
	if ((c->hostkeys = calloc(q.hostkeys.n, sizeof(*c->hostkeys))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	for (i = 0; i < q.hostkeys.n; i++) {
		if ((blob = buf_from(q.hostkeys.v[i].p,
		    q.hostkeys.v[i].len)) == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		r = key_from_blob(blob, &c->hostkeys[i]);
		buf_free(blob);
		if (r != 0)
			goto out;
		c->nhostkeys++;
	}
	r = take_hostcerts(c, &q);
 out:
	ipc_free_config(&q);
	return r;
}

int
child_receive_config(struct child *c)
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
	r = child_recv_config(c, m, &fd);
	buf_free(m);
	return r;
}

int
child_send_sign(struct child *c, const struct conn_event *ev)
{
	struct ipc_sign q;

	q.hostkey = (uint32_t)ev->u.sign.hostkey;
	q.alg = ev->u.sign.alg;
	q.kex = ev->u.sign.kex;
	q.data.p = ev->u.sign.data;
	q.data.len = ev->u.sign.len;
	return ipc_send_sign(c->ipc, &q, -1);
}

int
child_send_auth_pubkey(struct child *c, const struct conn_event *ev)
{
	struct ipc_auth_pubkey q;

	q.user = ev->u.auth_pubkey.user;
	q.service = ev->u.auth_pubkey.service;
	q.key.p = ev->u.auth_pubkey.key;
	q.key.len = ev->u.auth_pubkey.keylen;
	q.alg = ev->u.auth_pubkey.alg;
	q.hostbound = ev->u.auth_pubkey.hostbound != 0;
	q.hostkey = (uint32_t)(ev->u.auth_pubkey.hostkey +
	    (ev->u.auth_pubkey.hostkey_cert ? c->nhostkeys : 0));
	q.query = ev->u.auth_pubkey.sig == NULL;
	q.sig.p = ev->u.auth_pubkey.sig;
	q.sig.len = ev->u.auth_pubkey.sig != NULL ? ev->u.auth_pubkey.siglen : 0;
	return ipc_send_auth_pubkey(c->ipc, &q, -1);
}

/* hostkeys-prove-00@openssh.com: the client names keys it wants proved;
 * the monitor signs, and the reply goes out in order through the channel
 * layer (OpenSSH PROTOCOL 2.5). */
int
child_send_prove(struct child *c, struct chan_table *t, const struct chan_event *ev)
{
	struct buf *req = buf_from(ev->data, ev->len);
	struct ipc_hostkeys_prove q;
	uint32_t idx[IPC_CONFIG_MAX_HOSTKEYS];
	const uint8_t *blob;
	size_t len;
	uint32_t n = 0;
	int i, r;

	if (req == NULL)
		return SSH_ERR_ALLOC_FAIL;
	while (buf_len(req) > 0) {
		if (buf_get_string_direct(req, &blob, &len) != 0 ||
		    (i = conn_hostkey_index(c->conn, blob, len)) < 0 ||
		    n >= c->nhostkeys || n >= IPC_CONFIG_MAX_HOSTKEYS) {
			r = chan_global_reply(t, 0, NULL, 0);
			goto out;
		}
		idx[n++] = (uint32_t)i;
	}
	if (n == 0) {
		r = chan_global_reply(t, 0, NULL, 0);
		goto out;
	}
	q.hostkeys.n = n;
	q.hostkeys.v = idx;
	if ((r = ipc_send_hostkeys_prove(c->ipc, &q, -1)) != 0)
		goto out;
	c->prove_pending = 1;
 out:
	buf_free(req);
	return r;
}

/* AUTH_PASSWORD, or AUTH_PASSWORD_CHANGE for a change request. */
int
child_send_auth_password(struct child *c, const struct conn_event *ev)
{
	struct ipc_auth_password q;
	struct ipc_auth_password_change qc;

	if (ev->u.auth_password.newpassword == NULL) {
		q.user = ev->u.auth_password.user;
		q.service = ev->u.auth_password.service;
		q.password.p = (const uint8_t *)ev->u.auth_password.password;
		q.password.len = ev->u.auth_password.len;
		return ipc_send_auth_password(c->ipc, &q, -1);
	}
	qc.user = ev->u.auth_password.user;
	qc.service = ev->u.auth_password.service;
	qc.password.p = (const uint8_t *)ev->u.auth_password.password;
	qc.password.len = ev->u.auth_password.len;
	qc.newpassword.p = (const uint8_t *)ev->u.auth_password.newpassword;
	qc.newpassword.len = ev->u.auth_password.newlen;
	return ipc_send_auth_password_change(c->ipc, &qc, -1);
}

int
child_send_auth_kbdint(struct child *c, const struct conn_event *ev)
{
	struct ipc_auth_kbdint q;
	struct ipc_bytes answers[IPC_KBDINT_MAX];
	size_t i;

	if (ev->u.auth_kbdint.n > IPC_KBDINT_MAX)
		return SSH_ERR_INVALID_ARGUMENT;
	for (i = 0; i < ev->u.auth_kbdint.n; i++) {
		answers[i].p = (const uint8_t *)ev->u.auth_kbdint.responses[i];
		answers[i].len = ev->u.auth_kbdint.lens[i];
	}
	q.user = ev->u.auth_kbdint.user;
	q.service = ev->u.auth_kbdint.service;
	q.answers.n = (uint32_t)ev->u.auth_kbdint.n;
	q.answers.v = answers;
	return ipc_send_auth_kbdint(c->ipc, &q, -1);
}

int
child_send_spawn(struct child *c, struct cchan *ch, uint32_t kind,
    const char *command)
{
	struct ipc_spawn_exec q;
	struct ipc_env env[IPC_SPAWN_ENV_MAX];
	size_t i;
	int r;

	for (i = 0; i < ch->nenv; i++) {
		env[i].name = ch->env_name[i];
		env[i].value = ch->env_value[i];
	}
	q.tag = ch->id;
	q.kind = kind;
	q.command = command;
	q.pty = ch->pty != 0;
	q.x11 = ch->x11 != 0;
	q.env.n = (uint32_t)ch->nenv;
	q.env.v = env;
	if ((r = ipc_send_spawn_exec(c->ipc, &q, -1)) == 0)
		c->spawn_pending = 1;
	return r;
}

/* pty-req: the modes are parsed here, in the sandbox; the monitor gets
 * them as a list it only has to bound.  A malformed mode string is the
 * request's failure, not the connection's. */
int
child_send_pty_req(struct child *c, struct cchan *ch, const struct chan_req *q)
{
	struct ttymode modes[TTYMODES_MAX];
	struct ipc_ttymode wire[TTYMODES_MAX];
	struct ipc_pty_req p;
	size_t n, i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (ttymodes_parse(q->modes, q->modes_len, modes, TTYMODES_MAX,
	    &n) != 0 || strlen(q->term) > 255) {
		child_log(c, LOG_LVL_VERBOSE, "channel %u: malformed pty-req",
		    ch->id);
		return chan_request_reply(conn_channels(c->conn), ch->id, 0);
	}
	for (i = 0; i < n; i++) {
		wire[i].opcode = modes[i].opcode;
		wire[i].value = modes[i].value;
	}
	p.tag = ch->id;
	p.term = q->term;
	p.cols = q->cols;
	p.rows = q->rows;
	p.width_px = q->width_px;
	p.height_px = q->height_px;
	p.modes.n = (uint32_t)n;
	p.modes.v = wire;
	if ((r = ipc_send_pty_req(c->ipc, &p, -1)) != 0)
		return r;
	c->spawn_pending = 1;
	ch->size.cols = q->cols;
	ch->size.rows = q->rows;
	ch->size.width_px = q->width_px;
	ch->size.height_px = q->height_px;
	return 0;
}

/* SESSION_SIGNAL, SESSION_BREAK and SESSION_CLOSE: a handle, and for
 * the first two what to deliver. */
int
child_send_session_ctl(struct child *c, uint32_t type, struct cchan *ch,
    const char *signame, uint32_t ms)
{
	struct ipc_session_signal sig = { ch->handle, signame };
	struct ipc_session_break brk = { ch->handle, ms };
	struct ipc_session_close cl = { ch->handle };

	if (type == IPC_MSG_SESSION_SIGNAL)
		return ipc_send_session_signal(c->ipc, &sig, -1);
	if (type == IPC_MSG_SESSION_BREAK)
		return ipc_send_session_break(c->ipc, &brk, -1);
	return ipc_send_session_close(c->ipc, &cl, -1);
}

/* RSA key exchange: K_T, then the client's secret decrypted. */
int
child_send_rsa_kex(struct child *c, const struct conn_event *ev)
{
	struct ipc_rsa_kex_pubkey pq;
	struct ipc_rsa_kex_decrypt dq;

	if (ev->type == CONN_EV_RSA_PUBKEY) {
		pq.kex = ev->u.rsa.kex;
		return ipc_send_rsa_kex_pubkey(c->ipc, &pq, -1);
	}
	dq.kex = ev->u.rsa.kex;
	dq.ct.p = ev->u.rsa.data;
	dq.ct.len = ev->u.rsa.len;
	return ipc_send_rsa_kex_decrypt(c->ipc, &dq, -1);
}

int
child_recv_rsa_kex_pubkey_reply(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_rsa_kex_pubkey_reply a;
	int r;

	if ((r = ipc_dec_rsa_kex_pubkey_reply(m, &a)) != 0)
		return r;
	r = conn_rsa_pubkey_done(c->conn, a.key.p, a.key.len);
	ipc_free_rsa_kex_pubkey_reply(&a);
	return r;
}

int
child_recv_rsa_kex_decrypt_reply(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_rsa_kex_decrypt_reply a;
	int r;

	if ((r = ipc_dec_rsa_kex_decrypt_reply(m, &a)) != 0)
		return r;
	r = conn_rsa_secret_done(c->conn, a.ok ? a.k.p : NULL, a.k.len);
	ipc_free_rsa_kex_decrypt_reply(&a);	/* wipes K */
	return r;
}

int
child_recv_sign_reply(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_sign_reply a;
	int r;

	if ((r = ipc_dec_sign_reply(m, &a)) != 0)
		return r;
	/* The first signature is the initial key exchange's: the monitor
	 * answers authentication requests from now on. */
	if (c->st.st_phase == IPC_PH_KEX)
		r = ipc_state_enter(&c->st, IPC_PH_AUTH);
	if (r == 0)
		r = conn_sign_done(c->conn, a.sig.p, a.sig.len);
	ipc_free_sign_reply(&a);
	return r;
}

int
child_recv_auth_reply(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_auth_reply a;
	const char *methods;
	enum conn_auth_result res;
	int r;

	if ((r = ipc_dec_auth_reply(m, &a)) != 0)
		goto out;
	methods = a.text;
	switch (a.result) {
	case IPC_AUTH_PK_OK:
		res = CONN_AUTH_PK_OK;
		break;
	case IPC_AUTH_SUCCESS:
		res = CONN_AUTH_SUCCESS;
		if ((r = ipc_state_enter(&c->st, IPC_PH_SESSION)) != 0)
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
	ipc_free_auth_reply(&a);
	return r;
}

int
child_recv_kbdint_prompts(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_kbdint_prompts p;
	const char *prompts[IPC_KBDINT_MAX];
	int echo[IPC_KBDINT_MAX];
	uint32_t i;
	int r;

	_Static_assert(IPC_KBDINT_MAX == CONN_KBDINT_MAX_PROMPTS,
	    "KBDINT_PROMPTS carries at most a round");
	if ((r = ipc_dec_kbdint_prompts(m, &p)) != 0)
		return r;
	for (i = 0; i < p.prompts.n; i++) {
		prompts[i] = p.prompts.v[i].text;
		echo[i] = p.prompts.v[i].echo;
	}
	r = conn_kbdint_prompts(c->conn, p.name, p.instruction, p.prompts.n,
	    prompts, echo);
	ipc_free_kbdint_prompts(&p);
	return r;
}

int
child_recv_prove_reply(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_hostkeys_prove_reply a;
	struct buf *sigs = buf_new();
	uint32_t i;
	int r;

	memset(&a, 0, sizeof(a));
	if (sigs == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (!c->prove_pending) {
		r = SSH_ERR_STATE_VIOLATION;
		goto out;
	}
	if ((r = ipc_dec_hostkeys_prove_reply(m, &a)) != 0)
		goto out;
	for (i = 0; i < a.sigs.n; i++)
		if ((r = buf_put_string(sigs, a.sigs.v[i].p,
		    a.sigs.v[i].len)) != 0)
			goto out;
	c->prove_pending = 0;
	r = chan_global_reply(conn_channels(c->conn), 1, buf_ptr(sigs),
	    buf_len(sigs));
 out:
	ipc_free_hostkeys_prove_reply(&a);
	buf_free(sigs);
	return r;
}

int
child_recv_spawn_result(struct child *c, struct buf *m, int *fdp)
{
	struct chan_table *t = conn_channels(c->conn);
	struct ipc_spawn_result a;
	uint32_t tag, status, handle;
	struct cchan *ch;
	int r;

	if ((r = ipc_dec_spawn_result(m, &a)) != 0)
		return r;
	tag = a.tag;
	status = a.status;
	handle = a.handle;
	if (!c->spawn_pending || (ch = child_chan_by_id(c, tag)) == NULL)
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

int
child_recv_pty_result(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_pty_result a;
	struct cchan *ch;
	int r;

	if ((r = ipc_dec_pty_result(m, &a)) != 0)
		return r;
	if (!c->spawn_pending || (ch = child_chan_by_id(c, a.tag)) == NULL)
		return SSH_ERR_STATE_VIOLATION;
	c->spawn_pending = 0;
	ch->pty = a.status == 0;
	return chan_request_reply(conn_channels(c->conn), a.tag, ch->pty);
}

/* SESSION_CONFIG: the user's session settings. */
int
child_recv_session_config(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_session_config q;
	char *list = NULL, *p, *name, *save = NULL;
	size_t n = 1;
	int r;

	if ((r = ipc_dec_session_config(m, &q)) != 0)
		return r;
	list = (char *)q.accept_env;
	q.accept_env = NULL;
	c->max_sessions = q.max_sessions;
	c->max_session_time = q.max_session_time;
	c->idle_timeout = q.idle_timeout;
	c->ka_interval = q.keepalive_interval;
	c->ka_count_max = q.keepalive_count_max;
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

int
child_recv_spawn_fd(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_spawn_fd a;
	uint32_t handle, which;
	struct cchan *ch;
	int fd = *fdp, r;

	if ((r = ipc_dec_spawn_fd(m, &a)) != 0)
		return r;
	handle = a.handle;
	which = a.which;
	/* A pty session gets stdin, stdout and the master; others the
	 * three pipes. */
	if ((ch = child_chan_by_handle(c, handle)) == NULL || which >= CFD_N ||
	    (ch->pty ? which == CFD_STDERR : which == CFD_PTY) ||
	    ch->fds_missing == 0 || ch->fd[which] != -1)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = fd_set_nonblock(fd)) != 0)
		return r;
	ch->fd[which] = fd;
	*fdp = -1;
	if (which == CFD_PTY && pty_set_size(fd, &ch->size) != 0)
		child_log(c, LOG_LVL_VERBOSE, "channel %u: window size not "
		    "set", ch->id);
	if (--ch->fds_missing == 0) {
		c->spawn_pending = 0;
		return chan_request_reply(conn_channels(c->conn), ch->id, 1);
	}
	return 0;
}

int
child_recv_child_exit(struct child *c, struct buf *m, int *fdp)
{
	struct ipc_child_exit e;
	struct cchan *ch;
	int r;

	if ((r = ipc_dec_child_exit(m, &e)) != 0)
		return r;
	/* The channel may be gone already: nothing to report then. */
	if ((ch = child_chan_by_handle(c, e.handle)) != NULL) {
		ch->exited = 1;
		ch->exit_kind = e.kind;
		ch->exit_status = e.status;
		snprintf(ch->signame, sizeof(ch->signame), "%s", e.signame);
		ch->core = e.core;
	}
	ipc_free_child_exit(&e);
	return 0;
}

int
child_recv_fwd_socket(struct child *c, struct buf *m, int *fdp)
{
	return c->fwd != NULL ? cfwd_recv_socket(c->fwd, m, fdp) :
	    SSH_ERR_STATE_VIOLATION;
}

int
child_recv_fwd_refused(struct child *c, struct buf *m, int *fdp)
{
	return c->fwd != NULL ? cfwd_recv_refused(c->fwd, m) :
	    SSH_ERR_STATE_VIOLATION;
}

/* The handlers of the catalogue's TO_CHILD rows (ipc_msgs.h). */
#define CHILD_HANDLER_ROW(name, codec, dir, phases, flags, cap, fn) \
	IPC_HANDLER_FOR_CHILD_##dir(name, fn)
static int (*const child_handlers[IPC_MSG_MAX])(struct child *,
    struct buf *, int *) = {
	IPC_MESSAGES(CHILD_HANDLER_ROW)
};
#undef CHILD_HANDLER_ROW

int
child_handle_ipc(struct child *c)
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
		/* A handler takes the fd by setting it to -1. */
		if ((r = ipc_check(&c->st, IPC_TO_CHILD, type, buf_len(m),
		    fd != -1)) == 0)
			r = child_handlers[type] != NULL ?
			    child_handlers[type](c, m, &fd) :
			    SSH_ERR_STATE_VIOLATION;
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
