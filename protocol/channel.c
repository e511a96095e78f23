/* channel.c: the RFC 4254 connection protocol of channel.h, sans-IO. */
#include <sys/types.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

#define CHAN_MAX_REGISTERED	8	/* registered open types / global names */

enum chan_state {
	CHS_FREE = 0,
	CHS_OPENING_IN,		/* the peer opened it; the caller has not answered */
	CHS_OPENING_OUT,	/* we opened it; the peer has not answered */
	CHS_OPEN,
	CHS_FAILED,		/* our open was refused; released on event delivery */
};

#define CHF_SESSION	0x001
#define CHF_EOF_RCVD	0x002
#define CHF_CLOSE_RCVD	0x004
#define CHF_EOF_SENT	0x008
#define CHF_CLOSE_SENT	0x010
#define CHF_EXIT_SENT	0x020
#define CHF_CLOSE_EV	0x040	/* CHAN_EV_CLOSE was delivered */
#define CHF_DATA_EV	0x080	/* a CHAN_EV_DATA_READY waits in the queue */

/* Entries of a reply queue: whose answer it waits for. */
#define RQ_CALLER	0x01	/* the caller answers (CHAN_EV_REQUEST / _GLOBAL) */
#define RQ_WANT		0x02	/* the peer wants a reply */
#define RQ_LAYER_OK	0x04	/* answered by the layer: success */
#define RQ_LAYER_FAIL	0x08	/* answered by the layer: failure */

/* Replies owed to the peer, in the order its requests came (RFC 4254
 * sections 4 and 5.4). */
struct rq {
	uint8_t *e;
	unsigned int head, count, cap;
};

struct chan {
	enum chan_state ch_state;
	unsigned int ch_flags;
	uint32_t ch_remote_id;
	uint32_t ch_remote_window;	/* bytes we may still send */
	uint32_t ch_remote_maxpacket;
	/* Bytes the peer may still send.  Invariant while the buffer exists:
	 * ch_in_len + ch_local_window + (consumed, not yet re-granted) ==
	 * lim.window, so the ring can never overflow. */
	uint32_t ch_local_window;
	uint8_t *ch_in;			/* ring of lim.window bytes */
	size_t ch_in_off, ch_in_len;
	size_t ch_in_hiwat;		/* bytes of ch_in ever written: wiped */
	struct rq ch_rq;
	unsigned int ch_out_req;	/* our requests awaiting an answer */
};

struct chan_table {
	struct chan_limits lim;
	int (*send)(void *, struct buf *);
	void *ctx;
	struct buf *out;
	struct chan *chans;
	uint8_t *rq_store;
	unsigned int nchannels, nsessions;
	struct chan_event *evq;
	unsigned int ev_head, ev_count;
	struct chan_event ev_last;	/* delivered; freed on the next call */
	struct rq grq;
	unsigned int global_out;	/* our global requests awaiting an answer */
	int no_more_sessions;
	char *open_types[CHAN_MAX_REGISTERED];
	char *globals[CHAN_MAX_REGISTERED];
};

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

static void
event_clear(struct chan_event *ev)
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
			event_clear(&t->evq[i]);
	}
	event_clear(&t->ev_last);
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

static int
name_in(char *const *list, const char *name)
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
	if (name_in(list, name))
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
static int
msg_start(struct chan_table *t, uint8_t type)
{
	buf_reset(t->out);
	return buf_put_u8(t->out, type);
}

static int
msg_send(struct chan_table *t)
{
	int r = t->send(t->ctx, t->out);

	buf_reset(t->out);
	return r;
}

/* A message that is only the number and the peer's channel id. */
static int
send_simple(struct chan_table *t, uint8_t type, uint32_t remote_id)
{
	int r;

	if ((r = msg_start(t, type)) != 0 ||
	    (r = buf_put_u32(t->out, remote_id)) != 0)
		return r;
	return msg_send(t);
}

static int
send_open_failure(struct chan_table *t, uint32_t remote_id, uint32_t reason,
    const char *msg)
{
	int r;

	if ((r = msg_start(t, SSH2_MSG_CHANNEL_OPEN_FAILURE)) != 0 ||
	    (r = buf_put_u32(t->out, remote_id)) != 0 ||
	    (r = buf_put_u32(t->out, reason)) != 0 ||
	    (r = buf_put_cstring(t->out, msg != NULL ? msg : "")) != 0 ||
	    (r = buf_put_cstring(t->out, "")) != 0)
		return r;
	return msg_send(t);
}

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
	return send_simple(t, ok ? SSH2_MSG_CHANNEL_SUCCESS :
	    SSH2_MSG_CHANNEL_FAILURE, c->ch_remote_id);
}

static int
send_global_reply(struct chan_table *t, int ok, const uint8_t *data,
    size_t len)
{
	int r;

	if ((r = msg_start(t, ok ? SSH2_MSG_REQUEST_SUCCESS :
	    SSH2_MSG_REQUEST_FAILURE)) != 0)
		return r;
	if (ok && len > 0 && (r = buf_put(t->out, data, len)) != 0)
		return r;
	return msg_send(t);
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

/* --- events --- */

static int
ev_room(const struct chan_table *t)
{
	return t->ev_count < t->lim.max_events ? 0 : SSH_ERR_LIMIT_EXCEEDED;
}

/* Queues *ev (taking its allocations) or clears it on failure. */
static int
ev_push(struct chan_table *t, struct chan_event *ev)
{
	int r;

	if ((r = ev_room(t)) != 0) {
		event_clear(ev);
		return r;
	}
	t->evq[(t->ev_head + t->ev_count) % t->lim.max_events] = *ev;
	t->ev_count++;
	memset(ev, 0, sizeof(*ev));
	return 0;
}

/* The rest of a message (type-specific bytes), copied into the event. */
static int
ev_take_rest(struct chan_event *ev, struct buf *m)
{
	size_t len = buf_len(m);

	if (len == 0)
		return 0;
	if ((ev->data = malloc(len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	ev->len = len;
	return buf_get(m, ev->data, len);
}

static int
ev_push_simple(struct chan_table *t, enum chan_ev_type type, uint32_t id)
{
	struct chan_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.id = id;
	return ev_push(t, &ev);
}

static uint32_t
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

	event_clear(&t->ev_last);
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
static int
peer_chan(struct chan_table *t, struct buf *m, struct chan **cp)
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
static int
caller_chan(struct chan_table *t, uint32_t id, enum chan_state state,
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

/* --- window management --- */

/* Grants the peer again what the caller consumed, once its window fell
 * below half of ours (as OpenSSH does), and never after EOF or CLOSE. */
static int
chan_check_window(struct chan_table *t, struct chan *c)
{
	uint32_t owed;
	int r;

	if (c->ch_flags & (CHF_EOF_RCVD | CHF_CLOSE_RCVD | CHF_CLOSE_SENT))
		return 0;
	owed = t->lim.window - (uint32_t)c->ch_in_len - c->ch_local_window;
	if (owed == 0 || c->ch_local_window >= t->lim.window / 2)
		return 0;
	if ((r = msg_start(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST)) != 0 ||
	    (r = buf_put_u32(t->out, c->ch_remote_id)) != 0 ||
	    (r = buf_put_u32(t->out, owed)) != 0 ||
	    (r = msg_send(t)) != 0)
		return r;
	c->ch_local_window += owed;
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
	if (!session && !name_in(t->open_types, type)) {
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
	} else if ((r = ev_take_rest(&ev, m)) != 0)
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
	if ((r = ev_room(t)) != 0)
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
	r = ev_push(t, &ev);
 out:
	event_clear(&ev);
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
	if ((r = ev_take_rest(&ev, m)) != 0)
		goto out;
	if ((r = ev_room(t)) != 0)
		goto out;
	c->ch_state = CHS_OPEN;
	c->ch_remote_id = sender;
	c->ch_remote_window = window;
	c->ch_remote_maxpacket = maxpacket;
	ev.type = CHAN_EV_OPEN_CONFIRMED;
	ev.id = id;
	r = ev_push(t, &ev);
 out:
	event_clear(&ev);
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
	if ((r = ev_room(t)) != 0)
		goto out;
	t->chans[id].ch_state = CHS_FAILED;
	ev.type = CHAN_EV_OPEN_FAILED;
	ev.id = id;
	ev.reason = reason;
	r = ev_push(t, &ev);
 out:
	event_clear(&ev);
	return r;
}

static int
input_window_adjust(struct chan_table *t, struct buf *m)
{
	struct chan *c;
	uint32_t add, was;
	int r;

	if ((r = peer_chan(t, m, &c)) != 0 ||
	    (r = buf_get_u32(m, &add)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if (add > UINT32_MAX - c->ch_remote_window)
		return SSH_ERR_PROTOCOL_ERROR;	/* RFC 4254 5.2: 2^32 - 1 */
	was = c->ch_remote_window;
	c->ch_remote_window += add;
	if (was == 0 && add > 0 &&
	    (c->ch_flags & (CHF_EOF_SENT | CHF_CLOSE_SENT)) == 0)
		return ev_push_simple(t, CHAN_EV_WINDOW, chan_id(t, c));
	return 0;
}

/* DATA and EXTENDED_DATA. */
static int
input_data_common(struct chan_table *t, struct buf *m, int ext)
{
	struct chan *c;
	const uint8_t *data;
	size_t len, tail, first, cap = t->lim.window;
	uint32_t code;
	int r;

	if ((r = peer_chan(t, m, &c)) != 0)
		return r;
	if (ext && (r = buf_get_u32(m, &code)) != 0)
		return r;
	if ((r = buf_get_string_direct(m, &data, &len)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if ((c->ch_flags & CHF_EOF_RCVD) || len > t->lim.max_packet ||
	    len > c->ch_local_window)
		return SSH_ERR_PROTOCOL_ERROR;
	if (len == 0)
		return 0;
	/* Discarded data (stderr towards a command, or after our CLOSE)
	 * still used the window: it counts as consumed at once. */
	if (ext || (c->ch_flags & CHF_CLOSE_SENT) || c->ch_in == NULL) {
		c->ch_local_window -= (uint32_t)len;
		return chan_check_window(t, c);
	}
	if (!(c->ch_flags & CHF_DATA_EV) && (r = ev_room(t)) != 0)
		return r;
	c->ch_local_window -= (uint32_t)len;
	/* The invariant guarantees ch_in_len + len <= cap. */
	tail = (c->ch_in_off + c->ch_in_len) % cap;
	first = len < cap - tail ? len : cap - tail;
	memcpy(c->ch_in + tail, data, first);
	if (tail + first > c->ch_in_hiwat)
		c->ch_in_hiwat = tail + first;
	if (first < len) {
		memcpy(c->ch_in, data + first, len - first);
		if (len - first > c->ch_in_hiwat)
			c->ch_in_hiwat = len - first;
	}
	c->ch_in_len += len;
	if (c->ch_flags & CHF_DATA_EV)
		return 0;
	c->ch_flags |= CHF_DATA_EV;
	return ev_push_simple(t, CHAN_EV_DATA_READY, chan_id(t, c));
}

static int
input_data(struct chan_table *t, struct buf *m)
{
	return input_data_common(t, m, 0);
}

static int
input_extended_data(struct chan_table *t, struct buf *m)
{
	return input_data_common(t, m, 1);
}

static int
input_eof(struct chan_table *t, struct buf *m)
{
	struct chan *c;
	int r;

	if ((r = peer_chan(t, m, &c)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if (c->ch_flags & CHF_EOF_RCVD)
		return SSH_ERR_PROTOCOL_ERROR;
	c->ch_flags |= CHF_EOF_RCVD;
	if (c->ch_flags & CHF_CLOSE_SENT)
		return 0;
	return ev_push_simple(t, CHAN_EV_EOF, chan_id(t, c));
}

static int
input_close(struct chan_table *t, struct buf *m)
{
	struct chan *c;
	int r;

	/* A second CLOSE fails in peer_chan. */
	if ((r = peer_chan(t, m, &c)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if ((r = ev_room(t)) != 0)
		return r;
	c->ch_flags |= CHF_CLOSE_RCVD;
	return ev_push_simple(t, CHAN_EV_CLOSE, chan_id(t, c));
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
};

static int
input_request(struct chan_table *t, struct buf *m)
{
	struct chan_event ev;
	struct chan *c;
	size_t i, n = sizeof(session_requests) / sizeof(session_requests[0]);
	int r = SSH_ERR_INTERNAL_ERROR, want_reply;

	memset(&ev, 0, sizeof(ev));
	if ((r = peer_chan(t, m, &c)) != 0 ||
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
	    (r = ev_room(t)) != 0 ||
	    (r = rq_push(&c->ch_rq, RQ_CALLER |
	    (want_reply ? RQ_WANT : 0))) != 0)
		goto out;
	ev.type = CHAN_EV_REQUEST;
	ev.id = chan_id(t, c);
	ev.want_reply = want_reply;
	r = ev_push(t, &ev);
 out:
	event_clear(&ev);
	return r;
}

/* CHANNEL_SUCCESS and CHANNEL_FAILURE: answers to our requests. */
static int
input_chan_reply(struct chan_table *t, struct buf *m, int ok)
{
	struct chan_event ev;
	struct chan *c;
	int r;

	if ((r = peer_chan(t, m, &c)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if (c->ch_out_req == 0)
		return SSH_ERR_PROTOCOL_ERROR;
	if ((r = ev_room(t)) != 0)
		return r;
	c->ch_out_req--;
	memset(&ev, 0, sizeof(ev));
	ev.type = CHAN_EV_REQUEST_REPLY;
	ev.id = chan_id(t, c);
	ev.ok = ok;
	return ev_push(t, &ev);
}

static int
input_chan_success(struct chan_table *t, struct buf *m)
{
	return input_chan_reply(t, m, 1);
}

static int
input_chan_failure(struct chan_table *t, struct buf *m)
{
	return input_chan_reply(t, m, 0);
}

static int
input_global_request(struct chan_table *t, struct buf *m)
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
	if (!name_in(t->globals, ev.name)) {
		/* keepalive@openssh.com lands here too: a failure is all
		 * the client's ServerAliveInterval looks for. */
		if ((r = buf_consume(m, buf_len(m))) != 0)
			goto out;
		r = rq_layer_answer(t, NULL, want_reply, 0);
		goto out;
	}
	if ((r = ev_take_rest(&ev, m)) != 0)
		goto out;
	if ((r = ev_room(t)) != 0 ||
	    (r = rq_push(&t->grq, RQ_CALLER |
	    (want_reply ? RQ_WANT : 0))) != 0)
		goto out;
	ev.type = CHAN_EV_GLOBAL;
	ev.want_reply = want_reply;
	r = ev_push(t, &ev);
 out:
	event_clear(&ev);
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
	if ((r = ev_take_rest(&ev, m)) != 0)
		goto out;
	if ((r = ev_room(t)) != 0)
		goto out;
	t->global_out--;
	ev.type = CHAN_EV_GLOBAL_REPLY;
	ev.ok = ok;
	r = ev_push(t, &ev);
 out:
	event_clear(&ev);
	return r;
}

static int
input_request_success(struct chan_table *t, struct buf *m)
{
	return input_global_reply(t, m, 1);
}

static int
input_request_failure(struct chan_table *t, struct buf *m)
{
	return input_global_reply(t, m, 0);
}

static const struct {
	uint8_t type;
	int (*handler)(struct chan_table *, struct buf *);
} input_handlers[] = {
	{ SSH2_MSG_GLOBAL_REQUEST,		input_global_request },
	{ SSH2_MSG_REQUEST_SUCCESS,		input_request_success },
	{ SSH2_MSG_REQUEST_FAILURE,		input_request_failure },
	{ SSH2_MSG_CHANNEL_OPEN,		input_open },
	{ SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,	input_open_confirmation },
	{ SSH2_MSG_CHANNEL_OPEN_FAILURE,	input_open_failure },
	{ SSH2_MSG_CHANNEL_WINDOW_ADJUST,	input_window_adjust },
	{ SSH2_MSG_CHANNEL_DATA,		input_data },
	{ SSH2_MSG_CHANNEL_EXTENDED_DATA,	input_extended_data },
	{ SSH2_MSG_CHANNEL_EOF,			input_eof },
	{ SSH2_MSG_CHANNEL_CLOSE,		input_close },
	{ SSH2_MSG_CHANNEL_REQUEST,		input_request },
	{ SSH2_MSG_CHANNEL_SUCCESS,		input_chan_success },
	{ SSH2_MSG_CHANNEL_FAILURE,		input_chan_failure },
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

	if ((r = caller_chan(t, id, CHS_OPENING_IN, &c)) != 0)
		return r;
	/* Sized once: the window we grant bounds what can be buffered.  A
	 * retry after a failed send keeps the first allocation. */
	if (c->ch_in == NULL && (c->ch_in = malloc(t->lim.window)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = msg_start(t, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION)) != 0 ||
	    (r = buf_put_u32(t->out, c->ch_remote_id)) != 0 ||
	    (r = buf_put_u32(t->out, id)) != 0 ||
	    (r = buf_put_u32(t->out, t->lim.window)) != 0 ||
	    (r = buf_put_u32(t->out, t->lim.max_packet)) != 0)
		return r;
	c->ch_state = CHS_OPEN;
	c->ch_local_window = t->lim.window;
	return msg_send(t);
}

int
chan_open_fail(struct chan_table *t, uint32_t id, uint32_t reason,
    const char *msg)
{
	struct chan *c;
	uint32_t remote_id;
	int r;

	if ((r = caller_chan(t, id, CHS_OPENING_IN, &c)) != 0)
		return r;
	remote_id = c->ch_remote_id;
	chan_release(t, c);
	return send_open_failure(t, remote_id, reason, msg);
}

int
chan_request_reply(struct chan_table *t, uint32_t id, int ok)
{
	struct chan *c;
	uint8_t e;
	int r;

	if ((r = caller_chan(t, id, CHS_OPEN, &c)) != 0)
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

/* --- input to the command --- */

int
chan_peek_input(struct chan_table *t, uint32_t id, const uint8_t **ptrp,
    size_t *lenp)
{
	struct chan *c;
	size_t n;
	int r;

	*ptrp = NULL;
	*lenp = 0;
	if ((r = caller_chan(t, id, CHS_OPEN, &c)) != 0)
		return r;
	if (c->ch_in == NULL || c->ch_in_len == 0)
		return 0;
	n = t->lim.window - c->ch_in_off;
	*ptrp = c->ch_in + c->ch_in_off;
	*lenp = c->ch_in_len < n ? c->ch_in_len : n;
	return 0;
}

int
chan_consume_input(struct chan_table *t, uint32_t id, size_t n)
{
	struct chan *c;
	int r;

	if ((r = caller_chan(t, id, CHS_OPEN, &c)) != 0)
		return r;
	if (n > c->ch_in_len)
		return SSH_ERR_INVALID_ARGUMENT;
	if (n == 0)
		return 0;
	c->ch_in_off = (c->ch_in_off + n) % t->lim.window;
	c->ch_in_len -= n;
	if (c->ch_in_len == 0)
		c->ch_in_off = 0;	/* keeps the next piece contiguous */
	return chan_check_window(t, c);
}

/* --- output from the command --- */

static size_t
chan_out_chunk(const struct chan *c)
{
	return c->ch_remote_maxpacket < CHAN_OUT_CHUNK_MAX ?
	    c->ch_remote_maxpacket : CHAN_OUT_CHUNK_MAX;
}

size_t
chan_writable(const struct chan_table *t, uint32_t id)
{
	const struct chan *c;

	if (id >= t->lim.max_channels)
		return 0;
	c = &t->chans[id];
	if (c->ch_state != CHS_OPEN || (c->ch_flags &
	    (CHF_EOF_SENT | CHF_CLOSE_SENT | CHF_CLOSE_RCVD)))
		return 0;
	return c->ch_remote_window;
}

int
chan_write(struct chan_table *t, uint32_t id, int ext, const uint8_t *data,
    size_t len, size_t *acceptedp)
{
	struct chan *c;
	size_t done = 0, n, chunk;
	int r = SSH_ERR_INTERNAL_ERROR;

	*acceptedp = 0;
	if ((ext != 0 && ext != 1) || (len > 0 && data == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = caller_chan(t, id, CHS_OPEN, &c)) != 0)
		return r;
	if (c->ch_flags & (CHF_EOF_SENT | CHF_CLOSE_SENT))
		return SSH_ERR_STATE_VIOLATION;
	if (c->ch_flags & CHF_CLOSE_RCVD)
		return 0;	/* the peer drops it; CHAN_EV_CLOSE follows */
	chunk = chan_out_chunk(c);
	while (done < len && c->ch_remote_window > 0) {
		n = len - done;
		if (n > c->ch_remote_window)
			n = c->ch_remote_window;
		if (n > chunk)
			n = chunk;
		if ((r = msg_start(t, ext ? SSH2_MSG_CHANNEL_EXTENDED_DATA :
		    SSH2_MSG_CHANNEL_DATA)) != 0 ||
		    (r = buf_put_u32(t->out, c->ch_remote_id)) != 0 ||
		    (ext && (r = buf_put_u32(t->out,
		    SSH2_EXTENDED_DATA_STDERR)) != 0) ||
		    (r = buf_put_string(t->out, data + done, n)) != 0 ||
		    (r = msg_send(t)) != 0)
			goto out;
		c->ch_remote_window -= (uint32_t)n;
		done += n;
	}
	r = 0;
 out:
	*acceptedp = done;
	return r;
}

/* A channel for which we may still send: open and not closed by us. */
static int
caller_chan_sendable(struct chan_table *t, uint32_t id, struct chan **cp)
{
	int r;

	if ((r = caller_chan(t, id, CHS_OPEN, cp)) != 0)
		return r;
	if ((*cp)->ch_flags & CHF_CLOSE_SENT) {
		*cp = NULL;
		return SSH_ERR_STATE_VIOLATION;
	}
	return 0;
}

int
chan_send_eof(struct chan_table *t, uint32_t id)
{
	struct chan *c;
	int r;

	if ((r = caller_chan_sendable(t, id, &c)) != 0)
		return r;
	if (c->ch_flags & CHF_EOF_SENT)
		return SSH_ERR_STATE_VIOLATION;
	c->ch_flags |= CHF_EOF_SENT;
	return send_simple(t, SSH2_MSG_CHANNEL_EOF, c->ch_remote_id);
}

/* Starts a CHANNEL_REQUEST; the caller appends its data and sends. */
static int
request_start(struct chan_table *t, struct chan *c, const char *name,
    int want_reply)
{
	int r;

	if ((r = msg_start(t, SSH2_MSG_CHANNEL_REQUEST)) != 0 ||
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

	if ((r = caller_chan_sendable(t, id, &c)) != 0)
		return r;
	if (c->ch_flags & CHF_EXIT_SENT)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = request_start(t, c, "exit-status", 0)) != 0 ||
	    (r = buf_put_u32(t->out, status)) != 0)
		return r;
	c->ch_flags |= CHF_EXIT_SENT;
	return msg_send(t);
}

int
chan_send_exit_signal(struct chan_table *t, uint32_t id, const char *signame,
    int core_dumped, const char *msg)
{
	struct chan *c;
	int r;

	if (signame == NULL || *signame == '\0')
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = caller_chan_sendable(t, id, &c)) != 0)
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
	return msg_send(t);
}

int
chan_close(struct chan_table *t, uint32_t id)
{
	struct chan *c;
	int r;

	if ((r = caller_chan_sendable(t, id, &c)) != 0)
		return r;
	c->ch_flags |= CHF_CLOSE_SENT;
	/* Replies still owed die with the channel; input is dropped. */
	c->ch_rq.head = c->ch_rq.count = 0;
	chan_free_input(c);
	r = send_simple(t, SSH2_MSG_CHANNEL_CLOSE, c->ch_remote_id);
	chan_maybe_release(t, c);
	return r;
}

int
chan_send_request(struct chan_table *t, uint32_t id, const char *name,
    int want_reply, const uint8_t *data, size_t len)
{
	struct chan *c;
	int r;

	if (name == NULL || *name == '\0' || (len > 0 && data == NULL))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = caller_chan_sendable(t, id, &c)) != 0)
		return r;
	if (want_reply && c->ch_out_req >= t->lim.max_requests)
		return SSH_ERR_LIMIT_EXCEEDED;
	if ((r = request_start(t, c, name, want_reply)) != 0 ||
	    (len > 0 && (r = buf_put(t->out, data, len)) != 0))
		return r;
	if (want_reply)
		c->ch_out_req++;
	return msg_send(t);
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
	if ((r = msg_start(t, SSH2_MSG_GLOBAL_REQUEST)) != 0 ||
	    (r = buf_put_cstring(t->out, name)) != 0 ||
	    (r = buf_put_u8(t->out, want_reply ? 1 : 0)) != 0 ||
	    (len > 0 && (r = buf_put(t->out, data, len)) != 0))
		return r;
	if (want_reply)
		t->global_out++;
	return msg_send(t);
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
	if ((r = msg_start(t, SSH2_MSG_CHANNEL_OPEN)) != 0 ||
	    (r = buf_put_cstring(t->out, type)) != 0 ||
	    (r = buf_put_u32(t->out, id)) != 0 ||
	    (r = buf_put_u32(t->out, t->lim.window)) != 0 ||
	    (r = buf_put_u32(t->out, t->lim.max_packet)) != 0 ||
	    (len > 0 && (r = buf_put(t->out, data, len)) != 0))
		goto fail;
	*idp = id;
	/* Once sent the peer may answer: the id stays even if send fails. */
	return msg_send(t);
 fail:
	chan_release(t, c);
	return r;
}
