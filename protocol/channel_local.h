/*
 * channel_local.h: the channel table and the helpers shared by channel.c,
 * channel_data.c and channel_request.c.  Not for use outside those files.
 */
#ifndef NANOSSH_CHANNEL_LOCAL_H
#define NANOSSH_CHANNEL_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/channel.h"

struct buf;

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

/* channel.c */
/* Frees (wiping) what an event holds and zeroes it. */
void chan_event_clear(struct chan_event *ev);
/* 1 if name is registered in list (open types or global names). */
int chan_name_in(char *const *list, const char *name);
/* Outgoing messages are built in t->out, one at a time. */
int chan_msg_start(struct chan_table *t, uint8_t type);
int chan_msg_send(struct chan_table *t);
/* A message that is only the number and the peer's channel id. */
int chan_send_simple(struct chan_table *t, uint8_t type, uint32_t remote_id);
/* 0 if the event queue has room, else SSH_ERR_LIMIT_EXCEEDED. */
int chan_ev_room(const struct chan_table *t);
/* Queues *ev (taking its allocations) or clears it on failure. */
int chan_ev_push(struct chan_table *t, struct chan_event *ev);
/* The rest of a message (type-specific bytes), copied into the event. */
int chan_ev_take_rest(struct chan_event *ev, struct buf *m);
int chan_ev_push_simple(struct chan_table *t, enum chan_ev_type type,
    uint32_t id);
uint32_t chan_id(const struct chan_table *t, const struct chan *c);
/* The channel a peer message names: open and not closed by the peer,
 * else SSH_ERR_PROTOCOL_ERROR. */
int chan_peer(struct chan_table *t, struct buf *m, struct chan **cp);
/* The channel a caller names, in a state the call allows. */
int chan_caller(struct chan_table *t, uint32_t id, enum chan_state state,
    struct chan **cp);
/* A channel for which we may still send: open and not closed by us. */
int chan_caller_sendable(struct chan_table *t, uint32_t id, struct chan **cp);

/* Input handlers (channel_data.c, channel_request.c): the payload is
 * positioned after the message number. */
int chan_input_window_adjust(struct chan_table *t, struct buf *m);
int chan_input_data(struct chan_table *t, struct buf *m);
int chan_input_extended_data(struct chan_table *t, struct buf *m);
int chan_input_eof(struct chan_table *t, struct buf *m);
int chan_input_request(struct chan_table *t, struct buf *m);
int chan_input_chan_success(struct chan_table *t, struct buf *m);
int chan_input_chan_failure(struct chan_table *t, struct buf *m);
int chan_input_global_request(struct chan_table *t, struct buf *m);
int chan_input_request_success(struct chan_table *t, struct buf *m);
int chan_input_request_failure(struct chan_table *t, struct buf *m);

#endif
