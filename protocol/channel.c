/*
 * channel.c: the channel table of channel.h: limits, registered names,
 * the event queue, opening and closing channels, and the dispatch of
 * incoming connection-protocol messages.  Sans-IO.
 */
#include <sys/types.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/channel_local.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

void
chan_limits_default(struct chan_limits *lim)
{
	lim->max_sessions = 10;
	lim->max_channels = 16;
	lim->window = CHAN_WINDOW_DEFAULT;
	lim->max_packet = CHAN_PACKET_DEFAULT;
	lim->max_events = 256;
	lim->max_requests = 16;
}

static void
str_wipe_free(char *s)
{
	if (s != NULL)
		freezero(s, strlen(s) + 1);
}

void
chan_event_clear(struct chan_event *ev)
{
	str_wipe_free(ev->name);
	str_wipe_free(ev->message);
	if (ev->data != NULL)
		freezero(ev->data, ev->len);
	str_wipe_free(ev->req.command);
	str_wipe_free(ev->req.subsystem);
	str_wipe_free(ev->req.env_name);
	str_wipe_free(ev->req.env_value);
	str_wipe_free(ev->req.term);
	if (ev->req.modes != NULL)
		freezero(ev->req.modes, ev->req.modes_len);
	str_wipe_free(ev->req.signame);
	x11req_clear(&ev->req.x11);
	memset(ev, 0, sizeof(*ev));
}

struct chan_table *
chan_table_new(const struct chan_limits *lim,
    int (*send)(void *ctx, struct buf *payload), void *ctx)
{
	struct chan_table *t = NULL;
	unsigned int i;

	if (lim == NULL || send == NULL || lim->max_sessions == 0 ||
	    lim->max_channels == 0 || lim->max_channels > CHAN_LIMIT_CHANNELS ||
	    lim->max_packet == 0 || lim->window < lim->max_packet ||
	    lim->max_events == 0 || lim->max_events > CHAN_LIMIT_EVENTS ||
	    lim->max_requests == 0 || lim->max_requests > CHAN_LIMIT_REQUESTS)
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->lim = *lim;
	t->send = send;
	t->ctx = ctx;
	if ((t->out = buf_new()) == NULL ||
	    buf_allocate(t->out, CHAN_OUT_CHUNK_MAX + 64) != 0 ||
	    (t->chans = calloc(lim->max_channels, sizeof(*t->chans))) == NULL ||
	    (t->rq_store = calloc((size_t)lim->max_channels + 1,
	    lim->max_requests)) == NULL ||
	    (t->evq = calloc(lim->max_events, sizeof(*t->evq))) == NULL) {
		chan_table_free(t);
		return NULL;
	}
	for (i = 0; i < lim->max_channels; i++) {
		t->chans[i].ch_rq.e = t->rq_store + (size_t)i * lim->max_requests;
		t->chans[i].ch_rq.cap = lim->max_requests;
	}
	t->grq.e = t->rq_store + (size_t)lim->max_channels * lim->max_requests;
	t->grq.cap = lim->max_requests;
	return t;
}

static void
chan_free_input(struct chan *c)
{
	if (c->ch_in != NULL) {
		/* Only the touched part: the rest was never faulted in. */
		explicit_bzero(c->ch_in, c->ch_in_hiwat);
		free(c->ch_in);
	}
	c->ch_in = NULL;
	c->ch_in_off = c->ch_in_len = c->ch_in_hiwat = 0;
}

static void
chan_release(struct chan_table *t, struct chan *c)
{
	uint8_t *e = c->ch_rq.e;
	unsigned int cap = c->ch_rq.cap;

	if (c->ch_state == CHS_FREE)
		return;
	chan_free_input(c);
	t->nchannels--;
	if (c->ch_flags & CHF_SESSION)
		t->nsessions--;
	memset(c, 0, sizeof(*c));
	c->ch_rq.e = e;
	c->ch_rq.cap = cap;
}

void
chan_table_free(struct chan_table *t)
{
	unsigned int i;

	if (t == NULL)
		return;
	if (t->chans != NULL) {
		for (i = 0; i < t->lim.max_channels; i++)
			chan_free_input(&t->chans[i]);
	}
	if (t->evq != NULL) {
		for (i = 0; i < t->lim.max_events; i++)
			chan_event_clear(&t->evq[i]);
	}
	chan_event_clear(&t->ev_last);
	for (i = 0; i < CHAN_MAX_REGISTERED; i++) {
		free(t->open_types[i]);
		free(t->globals[i]);
	}
	free(t->evq);
	free(t->rq_store);
	free(t->chans);
	buf_free(t->out);
	freezero(t, sizeof(*t));
}

int
chan_name_in(char *const *list, const char *name)
{
	unsigned int i;

	for (i = 0; i < CHAN_MAX_REGISTERED; i++) {
		if (list[i] != NULL && strcmp(list[i], name) == 0)
			return 1;
	}
	return 0;
}

static int
name_register(char **list, const char *name)
{
	unsigned int i;

	if (name == NULL || *name == '\0')
		return SSH_ERR_INVALID_ARGUMENT;
	if (chan_name_in(list, name))
		return 0;
	for (i = 0; i < CHAN_MAX_REGISTERED; i++) {
		if (list[i] == NULL) {
			if ((list[i] = strdup(name)) == NULL)
				return SSH_ERR_ALLOC_FAIL;
			return 0;
		}
	}
	return SSH_ERR_LIMIT_EXCEEDED;
}

int
chan_register_open_type(struct chan_table *t, const char *type)
{
	if (type != NULL && strcmp(type, "session") == 0)
		return SSH_ERR_INVALID_ARGUMENT;
	return name_register(t->open_types, type);
}

int
chan_register_global(struct chan_table *t, const char *name)
{
	if (name != NULL && (strcmp(name, "keepalive@openssh.com") == 0 ||
	    strcmp(name, "no-more-sessions@openssh.com") == 0))
		return SSH_ERR_INVALID_ARGUMENT;
	return name_register(t->globals, name);
}

/* Outgoing messages are built in t->out, one at a time. */
int
chan_msg_start(struct chan_table *t, uint8_t type)
{
	buf_reset(t->out);
	return buf_put_u8(t->out, type);
}

int
chan_msg_send(struct chan_table *t)
{
	int r = t->send(t->ctx, t->out);

	buf_reset(t->out);
	return r;
}

/* A message that is only the number and the peer's channel id. */
int
chan_send_simple(struct chan_table *t, uint8_t type, uint32_t remote_id)
{
	int r;

	if ((r = chan_msg_start(t, type)) != 0 ||
	    (r = buf_put_u32(t->out, remote_id)) != 0)
		return r;
	return chan_msg_send(t);
}

static int
send_open_failure(struct chan_table *t, uint32_t remote_id, uint32_t reason,
    const char *msg)
{
	int r;

	if ((r = chan_msg_start(t, SSH2_MSG_CHANNEL_OPEN_FAILURE)) != 0 ||
	    (r = buf_put_u32(t->out, remote_id)) != 0 ||
	    (r = buf_put_u32(t->out, reason)) != 0 ||
	    (r = buf_put_cstring(t->out, msg != NULL ? msg : "")) != 0 ||
	    (r = buf_put_cstring(t->out, "")) != 0)
		return r;
	return chan_msg_send(t);
}

/* --- events --- */

int
chan_ev_room(const struct chan_table *t)
{
	return t->ev_count < t->lim.max_events ? 0 : SSH_ERR_LIMIT_EXCEEDED;
}

/* Queues *ev (taking its allocations) or clears it on failure. */
int
chan_ev_push(struct chan_table *t, struct chan_event *ev)
{
	int r;

	if ((r = chan_ev_room(t)) != 0) {
		chan_event_clear(ev);
		return r;
	}
	t->evq[(t->ev_head + t->ev_count) % t->lim.max_events] = *ev;
	t->ev_count++;
	memset(ev, 0, sizeof(*ev));
	return 0;
}

/* The rest of a message (type-specific bytes), copied into the event. */
int
chan_ev_take_rest(struct chan_event *ev, struct buf *m)
{
	size_t len = buf_len(m);

	if (len == 0)
		return 0;
	if ((ev->data = malloc(len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	ev->len = len;
	return buf_get(m, ev->data, len);
}

int
chan_ev_push_simple(struct chan_table *t, enum chan_ev_type type, uint32_t id)
{
	struct chan_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.id = id;
	return chan_ev_push(t, &ev);
}

uint32_t
chan_id(const struct chan_table *t, const struct chan *c)
{
	return (uint32_t)(c - t->chans);
}

/* Released once both sides closed and the caller saw CHAN_EV_CLOSE. */
static void
chan_maybe_release(struct chan_table *t, struct chan *c)
{
	if (c->ch_state == CHS_OPEN && (c->ch_flags & CHF_CLOSE_SENT) &&
	    (c->ch_flags & CHF_CLOSE_EV))
		chan_release(t, c);
}

int
chan_next_event(struct chan_table *t, struct chan_event *ev)
{
	struct chan_event *e;
	struct chan *c = NULL;

	chan_event_clear(&t->ev_last);
	memset(ev, 0, sizeof(*ev));
	if (t->ev_count == 0)
		return 0;
	e = &t->evq[t->ev_head];
	t->ev_last = *e;
	memset(e, 0, sizeof(*e));
	t->ev_head = (t->ev_head + 1) % t->lim.max_events;
	t->ev_count--;
	if (t->ev_last.type != CHAN_EV_GLOBAL &&
	    t->ev_last.type != CHAN_EV_GLOBAL_REPLY &&
	    t->ev_last.id < t->lim.max_channels)
		c = &t->chans[t->ev_last.id];
	if (c != NULL) {
		switch (t->ev_last.type) {
		case CHAN_EV_DATA_READY:
			c->ch_flags &= ~CHF_DATA_EV;
			break;
		case CHAN_EV_CLOSE:
			c->ch_flags |= CHF_CLOSE_EV;
			chan_maybe_release(t, c);
			break;
		case CHAN_EV_OPEN_FAILED:
			chan_release(t, c);
			break;
		default:
			break;
		}
	}
	*ev = t->ev_last;
	return 0;
}

size_t
chan_pending_events(const struct chan_table *t)
{
	return t->ev_count;
}

unsigned int
chan_count(const struct chan_table *t)
{
	return t->nchannels;
}

/* --- channel lookup --- */

static struct chan *
chan_alloc(struct chan_table *t)
{
	unsigned int i;

	if (t->nchannels >= t->lim.max_channels)
		return NULL;
	for (i = 0; i < t->lim.max_channels; i++) {
		if (t->chans[i].ch_state == CHS_FREE) {
			t->nchannels++;
			return &t->chans[i];
		}
	}
	return NULL;
}

/* The channel a peer message names: it must be open and not closed by
 * the peer.  Anything else (unknown, never confirmed, released, after
 * its CLOSE) is a protocol violation. */
int
chan_peer(struct chan_table *t, struct buf *m, struct chan **cp)
{
	uint32_t id;
	int r;

	*cp = NULL;
	if ((r = buf_get_u32(m, &id)) != 0)
		return r;
	if (id >= t->lim.max_channels ||
	    t->chans[id].ch_state != CHS_OPEN ||
	    (t->chans[id].ch_flags & CHF_CLOSE_RCVD))
		return SSH_ERR_PROTOCOL_ERROR;
	*cp = &t->chans[id];
	return 0;
}

/* The channel a caller names, in a state the call allows. */
int
chan_caller(struct chan_table *t, uint32_t id, enum chan_state state,
    struct chan **cp)
{
	*cp = NULL;
	if (id >= t->lim.max_channels || t->chans[id].ch_state == CHS_FREE)
		return SSH_ERR_INVALID_ARGUMENT;
	if (t->chans[id].ch_state != state)
		return SSH_ERR_STATE_VIOLATION;
	*cp = &t->chans[id];
	return 0;
}

/* --- input handlers: the payload is positioned after the message number --- */

static int
input_open(struct chan_table *t, struct buf *m)
{
	struct chan_event ev;
	struct chan *c;
	char *type = NULL;
	uint32_t sender, window, maxpacket;
	int r = SSH_ERR_INTERNAL_ERROR, session;

	memset(&ev, 0, sizeof(ev));
	if ((r = buf_get_cstring(m, &type, NULL)) != 0 ||
	    (r = buf_get_u32(m, &sender)) != 0 ||
	    (r = buf_get_u32(m, &window)) != 0 ||
	    (r = buf_get_u32(m, &maxpacket)) != 0)
		goto out;
	session = strcmp(type, "session") == 0;
	if (!session && !chan_name_in(t->open_types, type)) {
		/* Its type-specific data means nothing to us. */
		if ((r = buf_consume(m, buf_len(m))) != 0)
			goto out;
		r = send_open_failure(t, sender, SSH2_OPEN_UNKNOWN_CHANNEL_TYPE,
		    "unknown channel type");
		goto out;
	}
	if (session) {
		if ((r = buf_expect_end(m)) != 0)
			goto out;
		/* OpenSSH disconnects here too: the client promised. */
		if (t->no_more_sessions) {
			r = SSH_ERR_PROTOCOL_ERROR;
			goto out;
		}
	} else if ((r = chan_ev_take_rest(&ev, m)) != 0)
		goto out;
	if ((session && t->nsessions >= t->lim.max_sessions) ||
	    t->nchannels >= t->lim.max_channels) {
		r = send_open_failure(t, sender, SSH2_OPEN_RESOURCE_SHORTAGE,
		    "too many channels");
		goto out;
	}
	if (maxpacket == 0) {
		r = send_open_failure(t, sender,
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED,
		    "maximum packet size 0");
		goto out;
	}
	if ((r = chan_ev_room(t)) != 0)
		goto out;
	if ((c = chan_alloc(t)) == NULL) {
		r = SSH_ERR_INTERNAL_ERROR;
		goto out;
	}
	c->ch_state = CHS_OPENING_IN;
	c->ch_flags = session ? CHF_SESSION : 0;
	if (session)
		t->nsessions++;
	c->ch_remote_id = sender;
	c->ch_remote_window = window;
	c->ch_remote_maxpacket = maxpacket;
	ev.type = CHAN_EV_OPEN;
	ev.id = chan_id(t, c);
	ev.name = type;
	type = NULL;
	r = chan_ev_push(t, &ev);
 out:
	chan_event_clear(&ev);
	free(type);
	return r;
}

static int
input_open_confirmation(struct chan_table *t, struct buf *m)
{
	struct chan_event ev;
	struct chan *c;
	uint32_t id, sender, window, maxpacket;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(&ev, 0, sizeof(ev));
	if ((r = buf_get_u32(m, &id)) != 0 ||
	    (r = buf_get_u32(m, &sender)) != 0 ||
	    (r = buf_get_u32(m, &window)) != 0 ||
	    (r = buf_get_u32(m, &maxpacket)) != 0)
		goto out;
	if (id >= t->lim.max_channels ||
	    t->chans[id].ch_state != CHS_OPENING_OUT || maxpacket == 0) {
		r = SSH_ERR_PROTOCOL_ERROR;
		goto out;
	}
	c = &t->chans[id];
	if ((r = chan_ev_take_rest(&ev, m)) != 0)
		goto out;
	if ((r = chan_ev_room(t)) != 0)
		goto out;
	c->ch_state = CHS_OPEN;
	c->ch_remote_id = sender;
	c->ch_remote_window = window;
	c->ch_remote_maxpacket = maxpacket;
	ev.type = CHAN_EV_OPEN_CONFIRMED;
	ev.id = id;
	r = chan_ev_push(t, &ev);
 out:
	chan_event_clear(&ev);
	return r;
}

static int
input_open_failure(struct chan_table *t, struct buf *m)
{
	struct chan_event ev;
	uint32_t id, reason;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(&ev, 0, sizeof(ev));
	if ((r = buf_get_u32(m, &id)) != 0 ||
	    (r = buf_get_u32(m, &reason)) != 0 ||
	    (r = buf_get_cstring(m, &ev.message, NULL)) != 0 ||
	    (r = buf_get_string_direct(m, NULL, NULL)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		goto out;
	if (id >= t->lim.max_channels ||
	    t->chans[id].ch_state != CHS_OPENING_OUT) {
		r = SSH_ERR_PROTOCOL_ERROR;
		goto out;
	}
	if ((r = chan_ev_room(t)) != 0)
		goto out;
	t->chans[id].ch_state = CHS_FAILED;
	ev.type = CHAN_EV_OPEN_FAILED;
	ev.id = id;
	ev.reason = reason;
	r = chan_ev_push(t, &ev);
 out:
	chan_event_clear(&ev);
	return r;
}

static int
input_close(struct chan_table *t, struct buf *m)
{
	struct chan *c;
	int r;

	/* A second CLOSE fails in chan_peer. */
	if ((r = chan_peer(t, m, &c)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if ((r = chan_ev_room(t)) != 0)
		return r;
	c->ch_flags |= CHF_CLOSE_RCVD;
	return chan_ev_push_simple(t, CHAN_EV_CLOSE, chan_id(t, c));
}

static const struct {
	uint8_t type;
	int (*handler)(struct chan_table *, struct buf *);
} input_handlers[] = {
	{ SSH2_MSG_GLOBAL_REQUEST,		chan_input_global_request },
	{ SSH2_MSG_REQUEST_SUCCESS,		chan_input_request_success },
	{ SSH2_MSG_REQUEST_FAILURE,		chan_input_request_failure },
	{ SSH2_MSG_CHANNEL_OPEN,		input_open },
	{ SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,	input_open_confirmation },
	{ SSH2_MSG_CHANNEL_OPEN_FAILURE,	input_open_failure },
	{ SSH2_MSG_CHANNEL_WINDOW_ADJUST,	chan_input_window_adjust },
	{ SSH2_MSG_CHANNEL_DATA,		chan_input_data },
	{ SSH2_MSG_CHANNEL_EXTENDED_DATA,	chan_input_extended_data },
	{ SSH2_MSG_CHANNEL_EOF,			chan_input_eof },
	{ SSH2_MSG_CHANNEL_CLOSE,		input_close },
	{ SSH2_MSG_CHANNEL_REQUEST,		chan_input_request },
	{ SSH2_MSG_CHANNEL_SUCCESS,		chan_input_chan_success },
	{ SSH2_MSG_CHANNEL_FAILURE,		chan_input_chan_failure },
};

int
chan_handles(uint8_t msgtype)
{
	size_t i;

	for (i = 0; i < sizeof(input_handlers) / sizeof(input_handlers[0]); i++) {
		if (input_handlers[i].type == msgtype)
			return 1;
	}
	return 0;
}

int
chan_input(struct chan_table *t, uint8_t msgtype, struct buf *payload)
{
	size_t i;

	if (t == NULL || payload == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	for (i = 0; i < sizeof(input_handlers) / sizeof(input_handlers[0]); i++) {
		if (input_handlers[i].type == msgtype)
			return input_handlers[i].handler(t, payload);
	}
	return SSH_ERR_FEATURE_UNSUPPORTED;
}

/* --- answers to events --- */

int
chan_open_confirm(struct chan_table *t, uint32_t id)
{
	struct chan *c;
	int r;

	if ((r = chan_caller(t, id, CHS_OPENING_IN, &c)) != 0)
		return r;
	/* Sized once: the window we grant bounds what can be buffered.  A
	 * retry after a failed send keeps the first allocation. */
	if (c->ch_in == NULL && (c->ch_in = malloc(t->lim.window)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = chan_msg_start(t, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION)) != 0 ||
	    (r = buf_put_u32(t->out, c->ch_remote_id)) != 0 ||
	    (r = buf_put_u32(t->out, id)) != 0 ||
	    (r = buf_put_u32(t->out, t->lim.window)) != 0 ||
	    (r = buf_put_u32(t->out, t->lim.max_packet)) != 0)
		return r;
	c->ch_state = CHS_OPEN;
	c->ch_local_window = t->lim.window;
	return chan_msg_send(t);
}

int
chan_open_fail(struct chan_table *t, uint32_t id, uint32_t reason,
    const char *msg)
{
	struct chan *c;
	uint32_t remote_id;
	int r;

	if ((r = chan_caller(t, id, CHS_OPENING_IN, &c)) != 0)
		return r;
	remote_id = c->ch_remote_id;
	chan_release(t, c);
	return send_open_failure(t, remote_id, reason, msg);
}

/* A channel for which we may still send: open and not closed by us. */
int
chan_caller_sendable(struct chan_table *t, uint32_t id, struct chan **cp)
{
	int r;

	if ((r = chan_caller(t, id, CHS_OPEN, cp)) != 0)
		return r;
	if ((*cp)->ch_flags & CHF_CLOSE_SENT) {
		*cp = NULL;
		return SSH_ERR_STATE_VIOLATION;
	}
	return 0;
}

int
chan_close(struct chan_table *t, uint32_t id)
{
	struct chan *c;
	int r;

	if ((r = chan_caller_sendable(t, id, &c)) != 0)
		return r;
	c->ch_flags |= CHF_CLOSE_SENT;
	/* Replies still owed die with the channel; input is dropped. */
	c->ch_rq.head = c->ch_rq.count = 0;
	chan_free_input(c);
	r = chan_send_simple(t, SSH2_MSG_CHANNEL_CLOSE, c->ch_remote_id);
	chan_maybe_release(t, c);
	return r;
}

int
chan_open(struct chan_table *t, const char *type, const uint8_t *data,
    size_t len, uint32_t *idp)
{
	struct chan *c;
	uint32_t id;
	int r = SSH_ERR_INTERNAL_ERROR;

	*idp = 0;
	if (type == NULL || *type == '\0' || (len > 0 && data == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	/* Only the client opens sessions (RFC 4254 6.1). */
	if (strcmp(type, "session") == 0)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((c = chan_alloc(t)) == NULL)
		return SSH_ERR_LIMIT_EXCEEDED;
	id = chan_id(t, c);
	c->ch_state = CHS_OPENING_OUT;
	if ((c->ch_in = malloc(t->lim.window)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto fail;
	}
	c->ch_local_window = t->lim.window;
	if ((r = chan_msg_start(t, SSH2_MSG_CHANNEL_OPEN)) != 0 ||
	    (r = buf_put_cstring(t->out, type)) != 0 ||
	    (r = buf_put_u32(t->out, id)) != 0 ||
	    (r = buf_put_u32(t->out, t->lim.window)) != 0 ||
	    (r = buf_put_u32(t->out, t->lim.max_packet)) != 0 ||
	    (len > 0 && (r = buf_put(t->out, data, len)) != 0))
		goto fail;
	*idp = id;
	/* Once sent the peer may answer: the id stays even if send fails. */
	return chan_msg_send(t);
 fail:
	chan_release(t, c);
	return r;
}
