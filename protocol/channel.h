/*
 * channel.h: the SSH connection protocol (RFC 4254): channels, channel
 * requests and global requests, server side, sans-IO.
 *
 * The transport hands over decrypted payloads of messages 80-82 and
 * 90-100 with chan_input() (after authentication only); the layer answers
 * what it can itself (unknown channel types, unknown requests, keepalives,
 * no-more-sessions) and turns the rest into events that the caller takes
 * with chan_next_event() and answers with the reply functions below.
 * Every outgoing message goes through the send callback as one complete
 * payload (message number first).  No I/O, no clock, no logging in here.
 *
 * What the peer can make the layer hold is bounded by struct chan_limits:
 * max_channels channels with one lim.window-byte input buffer each,
 * max_events events (drain them after every chan_input), max_requests
 * unanswered requests per channel and for global requests.
 *
 * Channel ids are ours (0 .. max_channels-1); the peer's ids never leave
 * the layer.  An id stays valid until BOTH chan_close() has been called
 * for it AND its CHAN_EV_CLOSE (or CHAN_EV_OPEN_FAILED) event has been
 * delivered, in either order; only then may it be reused.  Every channel
 * the peer opened and the caller confirmed therefore ends with exactly one
 * CHAN_EV_CLOSE.
 *
 * Functions return 0 or a negative SSH_ERR_* (ssherr.h).  From chan_input,
 * SSH_ERR_PROTOCOL_ERROR means the peer broke RFC 4254 (disconnect with
 * PROTOCOL_ERROR), SSH_ERR_LIMIT_EXCEEDED that it outran a cap (event
 * queue, pending requests), SSH_ERR_MESSAGE_INCOMPLETE /
 * SSH_ERR_UNEXPECTED_TRAILING_DATA / SSH_ERR_INVALID_FORMAT a malformed
 * message; any error from the send callback is passed through.  After an
 * error from chan_input the connection must be torn down.  The other
 * functions return SSH_ERR_STATE_VIOLATION or SSH_ERR_INVALID_ARGUMENT for
 * calls that break the rules written next to them (caller bugs).
 */
#ifndef NANOSSH_CHANNEL_H
#define NANOSSH_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/x11req.h"

struct buf;
struct chan_table;

/* OpenSSH's session defaults (CHAN_SES_WINDOW_DEFAULT, CHAN_SES_PACKET_DEFAULT). */
#define CHAN_WINDOW_DEFAULT	(64 * 32 * 1024)
#define CHAN_PACKET_DEFAULT	(32 * 1024)
/* Largest data chunk we put in one outgoing DATA message, whatever the
 * peer's maximum packet: every transport must accept 32768-byte payloads
 * (RFC 4253 section 6.1) and a chunk plus its header must fit. */
#define CHAN_OUT_CHUNK_MAX	(32 * 1024 - 64)

struct chan_limits {
	unsigned int max_sessions;	/* "session" channels at once */
	unsigned int max_channels;	/* all channels at once (size of the id space) */
	uint32_t window;		/* window we grant; also the input buffer size */
	uint32_t max_packet;		/* largest data we accept in one message */
	unsigned int max_events;	/* events not yet taken by chan_next_event */
	unsigned int max_requests;	/* unanswered requests per channel, and global */
};

/* Fills in the defaults: 10 sessions, 16 channels, 2 MiB window, 32 KiB
 * packets, 256 events, 16 requests.  A caller that raises max_sessions
 * should raise max_channels with it: both caps apply. */
void chan_limits_default(struct chan_limits *lim);

/* Upper bounds chan_table_new accepts for the counts above. */
#define CHAN_LIMIT_CHANNELS	4096
#define CHAN_LIMIT_EVENTS	65536
#define CHAN_LIMIT_REQUESTS	1024

/*
 * A new channel table.  send(ctx, payload) is called for every outgoing
 * message; payload is the layer's and only valid during the call (copy
 * it).  A non-zero return from send is passed back from the call that
 * caused it.  Returns NULL on allocation failure or nonsense limits (zero
 * counts, window < max_packet, max_packet 0).
 */
struct chan_table *chan_table_new(const struct chan_limits *lim,
    int (*send)(void *ctx, struct buf *payload), void *ctx);
/* Frees the table, every channel and every pending event.  NULL is allowed. */
void chan_table_free(struct chan_table *t);

/*
 * Channel types other than "session" that the peer may open (e.g.
 * "direct-tcpip"); unregistered types get OPEN_FAILURE
 * UNKNOWN_CHANNEL_TYPE from the layer itself.  The name is copied.
 * Global request names the caller answers (e.g. "tcpip-forward");
 * unregistered ones get REQUEST_FAILURE (when the peer wants a reply).
 * "keepalive@openssh.com" and "no-more-sessions@openssh.com" are always
 * handled by the layer and cannot be registered.
 */
int chan_register_open_type(struct chan_table *t, const char *type);
int chan_register_global(struct chan_table *t, const char *name);

/*
 * One decrypted connection-protocol payload.  msgtype is the message
 * number; payload holds what follows it and is consumed.  Message numbers
 * this layer does not handle (chan_handles() is 0) return
 * SSH_ERR_FEATURE_UNSUPPORTED: the transport answers UNIMPLEMENTED.
 */
int chan_input(struct chan_table *t, uint8_t msgtype, struct buf *payload);
/* 1 for the message numbers chan_input() handles (80-82, 90-100). */
int chan_handles(uint8_t msgtype);

enum chan_ev_type {
	CHAN_EV_NONE = 0,
	/* The peer opens a channel: type, data/len (type-specific bytes,
	 * empty for "session").  Answer with chan_open_confirm() or
	 * chan_open_fail(). */
	CHAN_EV_OPEN,
	/* A channel request: name, want_reply, req (parsed for known names).
	 * Answer EVERY one with chan_request_reply(), in order; a reply
	 * goes out only when want_reply is set. */
	CHAN_EV_REQUEST,
	/* Input was buffered for the channel: chan_peek_input(). */
	CHAN_EV_DATA_READY,
	/* The peer will send no more data: once chan_peek_input() reports
	 * nothing left, close the command's stdin. */
	CHAN_EV_EOF,
	/* The peer closed the channel: stop the command's I/O and call
	 * chan_close() if not done yet.  Nothing can be written any more. */
	CHAN_EV_CLOSE,
	/* The peer's window was 0 and is open again: chan_writable() > 0. */
	CHAN_EV_WINDOW,
	/* A registered global request: name, want_reply, data/len.  Answer
	 * EVERY one with chan_global_reply(), in order. */
	CHAN_EV_GLOBAL,
	/* The peer answered a global request we sent with want_reply: ok,
	 * data/len (REQUEST_SUCCESS's request-specific bytes). */
	CHAN_EV_GLOBAL_REPLY,
	/* The peer answered a channel request we sent with want_reply: ok. */
	CHAN_EV_REQUEST_REPLY,
	/* A channel we opened (chan_open) was confirmed: data/len hold the
	 * type-specific bytes. */
	CHAN_EV_OPEN_CONFIRMED,
	/* A channel we opened was refused: reason, message.  The id is
	 * released when this event is delivered. */
	CHAN_EV_OPEN_FAILED,
};

enum chan_req_type {
	CHAN_REQ_OTHER = 0,	/* never delivered: answered by the layer */
	CHAN_REQ_EXEC,		/* command */
	CHAN_REQ_SHELL,
	CHAN_REQ_SUBSYSTEM,	/* subsystem */
	CHAN_REQ_ENV,		/* env_name, env_value */
	CHAN_REQ_PTY,		/* term, cols, rows, width_px, height_px, modes */
	CHAN_REQ_WINDOW_CHANGE,	/* cols, rows, width_px, height_px */
	CHAN_REQ_SIGNAL,	/* signame, without "SIG" */
	CHAN_REQ_BREAK,		/* break_ms (RFC 4335) */
	CHAN_REQ_X11,		/* x11 (wire format only: x11req_check) */
	CHAN_REQ_AGENT,		/* auth-agent-req@openssh.com: no data */
};

struct chan_req {
	enum chan_req_type type;
	char *command;		/* exec */
	char *subsystem;
	char *env_name, *env_value;
	char *term;		/* pty-req */
	uint32_t cols, rows, width_px, height_px;
	uint8_t *modes;		/* pty-req encoded terminal modes, raw */
	size_t modes_len;
	char *signame;
	uint32_t break_ms;
	struct x11req x11;
};

/*
 * An event.  Every pointer in it belongs to the table and stays valid
 * until the next chan_next_event() or chan_table_free(), whichever comes
 * first.
 */
struct chan_event {
	enum chan_ev_type type;
	uint32_t id;		/* our channel id (not for GLOBAL*) */
	char *name;		/* OPEN: channel type; REQUEST, GLOBAL: request name */
	int want_reply;		/* REQUEST, GLOBAL */
	int ok;			/* GLOBAL_REPLY, REQUEST_REPLY */
	uint8_t *data;		/* OPEN, GLOBAL, GLOBAL_REPLY, OPEN_CONFIRMED */
	size_t len;
	uint32_t reason;	/* OPEN_FAILED: SSH2_OPEN_* */
	char *message;		/* OPEN_FAILED: the peer's description */
	struct chan_req req;	/* REQUEST */
};

/* Takes the oldest pending event into *ev: 0 and ev->type != CHAN_EV_NONE
 * when there was one, 0 and CHAN_EV_NONE when the queue is empty. */
int chan_next_event(struct chan_table *t, struct chan_event *ev);
/* Events waiting. */
size_t chan_pending_events(const struct chan_table *t);

/*
 * Answers to CHAN_EV_OPEN.  confirm grants our window and max packet;
 * fail sends OPEN_FAILURE with reason (SSH2_OPEN_*) and msg (may be NULL)
 * and releases the id at once.
 */
int chan_open_confirm(struct chan_table *t, uint32_t id);
int chan_open_fail(struct chan_table *t, uint32_t id, uint32_t reason,
    const char *msg);
/*
 * Answers the oldest unanswered CHAN_EV_REQUEST of channel id.  Replies
 * reach the peer in request order (RFC 4254 section 5.4): replies the layer
 * owes for requests it answered itself wait behind the caller's.  After
 * chan_close() the answer is accepted and nothing is sent.
 */
int chan_request_reply(struct chan_table *t, uint32_t id, int ok);
/* Answers the oldest unanswered CHAN_EV_GLOBAL; data/len go into
 * REQUEST_SUCCESS (ignored for failure, may be NULL/0). */
int chan_global_reply(struct chan_table *t, int ok, const uint8_t *data,
    size_t len);

/*
 * Input (peer -> command): the buffered bytes of channel id, in at most two
 * pieces (the buffer is a ring): *ptrp, *lenp is the first contiguous
 * piece, *lenp 0 when nothing is buffered.  After writing n of them to
 * the command, chan_consume_input(n) drops them; once the peer's remaining
 * window is below half of our window, everything consumed so far is
 * granted again with one WINDOW_ADJUST (none after the peer's EOF or
 * either CLOSE).  Buffered input survives the peer's EOF and CLOSE and is
 * dropped by chan_close().  No allocation here: each channel's buffer is
 * allocated once, lim.window bytes, when it opens.
 */
int chan_peek_input(struct chan_table *t, uint32_t id, const uint8_t **ptrp,
    size_t *lenp);
int chan_consume_input(struct chan_table *t, uint32_t id, size_t n);

/*
 * Output (command -> peer).  chan_writable: bytes the peer's window lets
 * us send now (0 after EOF/CLOSE either way, or before confirmation).
 * chan_write sends up to that many of data, split into messages of at most
 * the peer's max packet (and CHAN_OUT_CHUNK_MAX); *acceptedp says how many
 * went out.  ext 0 is stdout (DATA), 1 stderr (EXTENDED_DATA type 1).
 * Writing after chan_send_eof() or chan_close() is a caller bug.
 */
size_t chan_writable(const struct chan_table *t, uint32_t id);
int chan_write(struct chan_table *t, uint32_t id, int ext, const uint8_t *data,
    size_t len, size_t *acceptedp);

/* EOF once, before CLOSE; exit-status or exit-signal once, before CLOSE;
 * CLOSE once.  signame is without "SIG" ("TERM"); msg may be NULL. */
int chan_send_eof(struct chan_table *t, uint32_t id);
int chan_send_exit_status(struct chan_table *t, uint32_t id, uint32_t status);
int chan_send_exit_signal(struct chan_table *t, uint32_t id,
    const char *signame, int core_dumped, const char *msg);
int chan_close(struct chan_table *t, uint32_t id);

/* A channel request of our own (before CLOSE); with want_reply the answer
 * arrives as CHAN_EV_REQUEST_REPLY.  data/len: request-specific bytes. */
int chan_send_request(struct chan_table *t, uint32_t id, const char *name,
    int want_reply, const uint8_t *data, size_t len);
/* A global request of our own (e.g. keepalive@openssh.com,
 * hostkeys-00@openssh.com); with want_reply the answer arrives as
 * CHAN_EV_GLOBAL_REPLY.  At most max_requests may await an answer. */
int chan_global_send(struct chan_table *t, const char *name, int want_reply,
    const uint8_t *data, size_t len);

/*
 * Opens a channel towards the peer (e.g. "forwarded-tcpip") with
 * type-specific data; the answer arrives as CHAN_EV_OPEN_CONFIRMED or
 * CHAN_EV_OPEN_FAILED.  *idp gets the new id.
 */
int chan_open(struct chan_table *t, const char *type, const uint8_t *data,
    size_t len, uint32_t *idp);

/* Channels in use (including those waiting to be released). */
unsigned int chan_count(const struct chan_table *t);

#endif
