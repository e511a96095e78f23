/*
 * channel_request.c: channel and global requests both ways, and the reply
 * queues that keep our answers in the order of the peer's requests
 * (RFC 4254 sections 4 and 5.4).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/channel_local.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

/* --- reply queues --- */

static int
rq_push(struct rq *q, uint8_t e)
{
	if (q->count >= q->cap)
		return SSH_ERR_LIMIT_EXCEEDED;
	q->e[(q->head + q->count) % q->cap] = e;
	q->count++;
	return 0;
}

static uint8_t
rq_pop(struct rq *q)
{
	uint8_t e = q->e[q->head];

	q->head = (q->head + 1) % q->cap;
	q->count--;
	return e;
}

static int
send_chan_reply(struct chan_table *t, struct chan *c, int ok)
{
	return chan_send_simple(t, ok ? SSH2_MSG_CHANNEL_SUCCESS :
	    SSH2_MSG_CHANNEL_FAILURE, c->ch_remote_id);
}

static int
send_global_reply(struct chan_table *t, int ok, const uint8_t *data,
    size_t len)
{
	int r;

	if ((r = chan_msg_start(t, ok ? SSH2_MSG_REQUEST_SUCCESS :
	    SSH2_MSG_REQUEST_FAILURE)) != 0)
		return r;
	if (ok && len > 0 && (r = buf_put(t->out, data, len)) != 0)
		return r;
	return chan_msg_send(t);
}

/* Sends the layer's own answers that have reached the head of the queue;
 * c is NULL for the global queue. */
static int
rq_flush(struct chan_table *t, struct chan *c)
{
	struct rq *q = c != NULL ? &c->ch_rq : &t->grq;
	uint8_t e;
	int r;

	while (q->count > 0 && (q->e[q->head] & RQ_CALLER) == 0) {
		/* Layer answers are queued only when a reply is wanted. */
		e = rq_pop(q);
		if (c != NULL)
			r = send_chan_reply(t, c, (e & RQ_LAYER_OK) != 0);
		else
			r = send_global_reply(t, (e & RQ_LAYER_OK) != 0,
			    NULL, 0);
		if (r != 0)
			return r;
	}
	return 0;
}

/* A reply the layer decides itself, sent now or after earlier ones. */
static int
rq_layer_answer(struct chan_table *t, struct chan *c, int want_reply, int ok)
{
	struct rq *q = c != NULL ? &c->ch_rq : &t->grq;
	int r;

	if (!want_reply)
		return 0;
	if ((r = rq_push(q, RQ_WANT |
	    (ok ? RQ_LAYER_OK : RQ_LAYER_FAIL))) != 0)
		return r;
	return rq_flush(t, c);
}

/* Request-specific parts of the session requests we pass on. */
static int
req_parse_exec(struct buf *m, struct chan_req *q)
{
	return buf_get_cstring(m, &q->command, NULL);
}

static int
req_parse_none(struct buf *m, struct chan_req *q)
{
	(void)m;
	(void)q;
	return 0;
}

static int
req_parse_subsystem(struct buf *m, struct chan_req *q)
{
	return buf_get_cstring(m, &q->subsystem, NULL);
}

static int
req_parse_env(struct buf *m, struct chan_req *q)
{
	int r;

	if ((r = buf_get_cstring(m, &q->env_name, NULL)) != 0)
		return r;
	return buf_get_cstring(m, &q->env_value, NULL);
}

static int
req_parse_winsize(struct buf *m, struct chan_req *q)
{
	int r;

	if ((r = buf_get_u32(m, &q->cols)) != 0 ||
	    (r = buf_get_u32(m, &q->rows)) != 0 ||
	    (r = buf_get_u32(m, &q->width_px)) != 0 ||
	    (r = buf_get_u32(m, &q->height_px)) != 0)
		return r;
	return 0;
}

static int
req_parse_pty(struct buf *m, struct chan_req *q)
{
	int r;

	if ((r = buf_get_cstring(m, &q->term, NULL)) != 0 ||
	    (r = req_parse_winsize(m, q)) != 0)
		return r;
	return buf_get_string(m, &q->modes, &q->modes_len);
}

static int
req_parse_signal(struct buf *m, struct chan_req *q)
{
	return buf_get_cstring(m, &q->signame, NULL);
}

/* RFC 4335: the break length in milliseconds. */
static int
req_parse_break(struct buf *m, struct chan_req *q)
{
	return buf_get_u32(m, &q->break_ms);
}

static int
req_parse_x11(struct buf *m, struct chan_req *q)
{
	return x11req_parse(m, &q->x11);
}

static const struct {
	const char *name;
	enum chan_req_type type;
	int (*parse)(struct buf *, struct chan_req *);
} session_requests[] = {
	{ "exec",		CHAN_REQ_EXEC,		req_parse_exec },
	{ "shell",		CHAN_REQ_SHELL,		req_parse_none },
	{ "subsystem",		CHAN_REQ_SUBSYSTEM,	req_parse_subsystem },
	{ "env",		CHAN_REQ_ENV,		req_parse_env },
	{ "pty-req",		CHAN_REQ_PTY,		req_parse_pty },
	{ "window-change",	CHAN_REQ_WINDOW_CHANGE,	req_parse_winsize },
	{ "signal",		CHAN_REQ_SIGNAL,	req_parse_signal },
	{ "break",		CHAN_REQ_BREAK,		req_parse_break },
	{ "x11-req",		CHAN_REQ_X11,		req_parse_x11 },
	/* OpenSSH PROTOCOL.agent */
	{ "auth-agent-req@openssh.com", CHAN_REQ_AGENT,	req_parse_none },
};

int
chan_input_request(struct chan_table *t, struct buf *m)
{
	struct chan_event ev;
	struct chan *c;
	size_t i, n = sizeof(session_requests) / sizeof(session_requests[0]);
	int r = SSH_ERR_INTERNAL_ERROR, want_reply;

	memset(&ev, 0, sizeof(ev));
	if ((r = chan_peer(t, m, &c)) != 0 ||
	    (r = buf_get_cstring(m, &ev.name, NULL)) != 0 ||
	    (r = buf_get_bool(m, &want_reply)) != 0)
		goto out;
	/* After our CLOSE no reply may follow (RFC 4254 5.3). */
	if (c->ch_flags & CHF_CLOSE_SENT) {
		r = buf_consume(m, buf_len(m));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((c->ch_flags & CHF_SESSION) &&
		    strcmp(ev.name, session_requests[i].name) == 0)
			break;
	}
	if (i == n) {
		if ((r = buf_consume(m, buf_len(m))) != 0)
			goto out;
		r = rq_layer_answer(t, c, want_reply, 0);
		goto out;
	}
	ev.req.type = session_requests[i].type;
	if ((r = session_requests[i].parse(m, &ev.req)) != 0 ||
	    (r = buf_expect_end(m)) != 0 ||
	    (r = chan_ev_room(t)) != 0 ||
	    (r = rq_push(&c->ch_rq, RQ_CALLER |
	    (want_reply ? RQ_WANT : 0))) != 0)
		goto out;
	ev.type = CHAN_EV_REQUEST;
	ev.id = chan_id(t, c);
	ev.want_reply = want_reply;
	r = chan_ev_push(t, &ev);
 out:
	chan_event_clear(&ev);
	return r;
}

/* CHANNEL_SUCCESS and CHANNEL_FAILURE: answers to our requests. */
static int
input_chan_reply(struct chan_table *t, struct buf *m, int ok)
{
	struct chan_event ev;
	struct chan *c;
	int r;

	if ((r = chan_peer(t, m, &c)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if (c->ch_out_req == 0)
		return SSH_ERR_PROTOCOL_ERROR;
	if ((r = chan_ev_room(t)) != 0)
		return r;
	c->ch_out_req--;
	memset(&ev, 0, sizeof(ev));
	ev.type = CHAN_EV_REQUEST_REPLY;
	ev.id = chan_id(t, c);
	ev.ok = ok;
	return chan_ev_push(t, &ev);
}

int
chan_input_chan_success(struct chan_table *t, struct buf *m)
{
	return input_chan_reply(t, m, 1);
}

int
chan_input_chan_failure(struct chan_table *t, struct buf *m)
{
	return input_chan_reply(t, m, 0);
}

int
chan_input_global_request(struct chan_table *t, struct buf *m)
{
	struct chan_event ev;
	int r = SSH_ERR_INTERNAL_ERROR, want_reply;

	memset(&ev, 0, sizeof(ev));
	if ((r = buf_get_cstring(m, &ev.name, NULL)) != 0 ||
	    (r = buf_get_bool(m, &want_reply)) != 0)
		goto out;
	if (strcmp(ev.name, "no-more-sessions@openssh.com") == 0) {
		if ((r = buf_expect_end(m)) != 0)
			goto out;
		t->no_more_sessions = 1;
		r = rq_layer_answer(t, NULL, want_reply, 1);
		goto out;
	}
	if (!chan_name_in(t->globals, ev.name)) {
		/* keepalive@openssh.com lands here too: a failure is all
		 * the client's ServerAliveInterval looks for. */
		if ((r = buf_consume(m, buf_len(m))) != 0)
			goto out;
		r = rq_layer_answer(t, NULL, want_reply, 0);
		goto out;
	}
	if ((r = chan_ev_take_rest(&ev, m)) != 0)
		goto out;
	if ((r = chan_ev_room(t)) != 0 ||
	    (r = rq_push(&t->grq, RQ_CALLER |
	    (want_reply ? RQ_WANT : 0))) != 0)
		goto out;
	ev.type = CHAN_EV_GLOBAL;
	ev.want_reply = want_reply;
	r = chan_ev_push(t, &ev);
 out:
	chan_event_clear(&ev);
	return r;
}

/* REQUEST_SUCCESS (with request-specific data) and REQUEST_FAILURE. */
static int
input_global_reply(struct chan_table *t, struct buf *m, int ok)
{
	struct chan_event ev;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(&ev, 0, sizeof(ev));
	if (!ok && (r = buf_expect_end(m)) != 0)
		goto out;
	if (t->global_out == 0) {
		r = SSH_ERR_PROTOCOL_ERROR;
		goto out;
	}
	if ((r = chan_ev_take_rest(&ev, m)) != 0)
		goto out;
	if ((r = chan_ev_room(t)) != 0)
		goto out;
	t->global_out--;
	ev.type = CHAN_EV_GLOBAL_REPLY;
	ev.ok = ok;
	r = chan_ev_push(t, &ev);
 out:
	chan_event_clear(&ev);
	return r;
}

int
chan_input_request_success(struct chan_table *t, struct buf *m)
{
	return input_global_reply(t, m, 1);
}

int
chan_input_request_failure(struct chan_table *t, struct buf *m)
{
	return input_global_reply(t, m, 0);
}

int
chan_request_reply(struct chan_table *t, uint32_t id, int ok)
{
	struct chan *c;
	uint8_t e;
	int r;

	if ((r = chan_caller(t, id, CHS_OPEN, &c)) != 0)
		return r;
	if (c->ch_flags & CHF_CLOSE_SENT)
		return 0;	/* the queue went with our CLOSE */
	if (c->ch_rq.count == 0 || !(c->ch_rq.e[c->ch_rq.head] & RQ_CALLER))
		return SSH_ERR_STATE_VIOLATION;
	e = rq_pop(&c->ch_rq);
	if ((e & RQ_WANT) && (r = send_chan_reply(t, c, ok)) != 0)
		return r;
	return rq_flush(t, c);
}

int
chan_global_reply(struct chan_table *t, int ok, const uint8_t *data,
    size_t len)
{
	uint8_t e;
	int r;

	if (len > 0 && data == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	if (t->grq.count == 0 || !(t->grq.e[t->grq.head] & RQ_CALLER))
		return SSH_ERR_STATE_VIOLATION;
	e = rq_pop(&t->grq);
	if ((e & RQ_WANT) && (r = send_global_reply(t, ok, data, len)) != 0)
		return r;
	return rq_flush(t, NULL);
}

/* Starts a CHANNEL_REQUEST; the caller appends its data and sends. */
static int
request_start(struct chan_table *t, struct chan *c, const char *name,
    int want_reply)
{
	int r;

	if ((r = chan_msg_start(t, SSH2_MSG_CHANNEL_REQUEST)) != 0 ||
	    (r = buf_put_u32(t->out, c->ch_remote_id)) != 0 ||
	    (r = buf_put_cstring(t->out, name)) != 0 ||
	    (r = buf_put_u8(t->out, want_reply ? 1 : 0)) != 0)
		return r;
	return 0;
}

int
chan_send_exit_status(struct chan_table *t, uint32_t id, uint32_t status)
{
	struct chan *c;
	int r;

	if ((r = chan_caller_sendable(t, id, &c)) != 0)
		return r;
	if (c->ch_flags & CHF_EXIT_SENT)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = request_start(t, c, "exit-status", 0)) != 0 ||
	    (r = buf_put_u32(t->out, status)) != 0)
		return r;
	c->ch_flags |= CHF_EXIT_SENT;
	return chan_msg_send(t);
}

int
chan_send_exit_signal(struct chan_table *t, uint32_t id, const char *signame,
    int core_dumped, const char *msg)
{
	struct chan *c;
	int r;

	if (signame == NULL || *signame == '\0')
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = chan_caller_sendable(t, id, &c)) != 0)
		return r;
	if (c->ch_flags & CHF_EXIT_SENT)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = request_start(t, c, "exit-signal", 0)) != 0 ||
	    (r = buf_put_cstring(t->out, signame)) != 0 ||
	    (r = buf_put_u8(t->out, core_dumped ? 1 : 0)) != 0 ||
	    (r = buf_put_cstring(t->out, msg != NULL ? msg : "")) != 0 ||
	    (r = buf_put_cstring(t->out, "")) != 0)
		return r;
	c->ch_flags |= CHF_EXIT_SENT;
	return chan_msg_send(t);
}

int
chan_send_request(struct chan_table *t, uint32_t id, const char *name,
    int want_reply, const uint8_t *data, size_t len)
{
	struct chan *c;
	int r;

	if (name == NULL || *name == '\0' || (len > 0 && data == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = chan_caller_sendable(t, id, &c)) != 0)
		return r;
	if (want_reply && c->ch_out_req >= t->lim.max_requests)
		return SSH_ERR_LIMIT_EXCEEDED;
	if ((r = request_start(t, c, name, want_reply)) != 0 ||
	    (len > 0 && (r = buf_put(t->out, data, len)) != 0))
		return r;
	if (want_reply)
		c->ch_out_req++;
	return chan_msg_send(t);
}

int
chan_global_send(struct chan_table *t, const char *name, int want_reply,
    const uint8_t *data, size_t len)
{
	int r;

	if (name == NULL || *name == '\0' || (len > 0 && data == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if (want_reply && t->global_out >= t->lim.max_requests)
		return SSH_ERR_LIMIT_EXCEEDED;
	if ((r = chan_msg_start(t, SSH2_MSG_GLOBAL_REQUEST)) != 0 ||
	    (r = buf_put_cstring(t->out, name)) != 0 ||
	    (r = buf_put_u8(t->out, want_reply ? 1 : 0)) != 0 ||
	    (len > 0 && (r = buf_put(t->out, data, len)) != 0))
		return r;
	if (want_reply)
		t->global_out++;
	return chan_msg_send(t);
}
