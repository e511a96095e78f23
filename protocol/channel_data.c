/*
 * channel_data.c: the data of channels: incoming DATA and EOF into each
 * channel's input ring, WINDOW_ADJUST both ways, outgoing data and EOF.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/channel_local.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

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
	if ((r = chan_msg_start(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST)) != 0 ||
	    (r = buf_put_u32(t->out, c->ch_remote_id)) != 0 ||
	    (r = buf_put_u32(t->out, owed)) != 0 ||
	    (r = chan_msg_send(t)) != 0)
		return r;
	c->ch_local_window += owed;
	return 0;
}

int
chan_input_window_adjust(struct chan_table *t, struct buf *m)
{
	struct chan *c;
	uint32_t add, was;
	int r;

	if ((r = chan_peer(t, m, &c)) != 0 ||
	    (r = buf_get_u32(m, &add)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if (add > UINT32_MAX - c->ch_remote_window)
		return SSH_ERR_PROTOCOL_ERROR;	/* RFC 4254 5.2: 2^32 - 1 */
	was = c->ch_remote_window;
	c->ch_remote_window += add;
	if (was == 0 && add > 0 &&
	    (c->ch_flags & (CHF_EOF_SENT | CHF_CLOSE_SENT)) == 0)
		return chan_ev_push_simple(t, CHAN_EV_WINDOW, chan_id(t, c));
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

	if ((r = chan_peer(t, m, &c)) != 0)
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
	if (!(c->ch_flags & CHF_DATA_EV) && (r = chan_ev_room(t)) != 0)
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
	return chan_ev_push_simple(t, CHAN_EV_DATA_READY, chan_id(t, c));
}

int
chan_input_data(struct chan_table *t, struct buf *m)
{
	return input_data_common(t, m, 0);
}

int
chan_input_extended_data(struct chan_table *t, struct buf *m)
{
	return input_data_common(t, m, 1);
}

int
chan_input_eof(struct chan_table *t, struct buf *m)
{
	struct chan *c;
	int r;

	if ((r = chan_peer(t, m, &c)) != 0 ||
	    (r = buf_expect_end(m)) != 0)
		return r;
	if (c->ch_flags & CHF_EOF_RCVD)
		return SSH_ERR_PROTOCOL_ERROR;
	c->ch_flags |= CHF_EOF_RCVD;
	if (c->ch_flags & CHF_CLOSE_SENT)
		return 0;
	return chan_ev_push_simple(t, CHAN_EV_EOF, chan_id(t, c));
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
	if ((r = chan_caller(t, id, CHS_OPEN, &c)) != 0)
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

	if ((r = chan_caller(t, id, CHS_OPEN, &c)) != 0)
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
	if ((r = chan_caller(t, id, CHS_OPEN, &c)) != 0)
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
		if ((r = chan_msg_start(t, ext ?
		    SSH2_MSG_CHANNEL_EXTENDED_DATA :
		    SSH2_MSG_CHANNEL_DATA)) != 0 ||
		    (r = buf_put_u32(t->out, c->ch_remote_id)) != 0 ||
		    (ext && (r = buf_put_u32(t->out,
		    SSH2_EXTENDED_DATA_STDERR)) != 0) ||
		    (r = buf_put_string(t->out, data + done, n)) != 0 ||
		    (r = chan_msg_send(t)) != 0)
			goto out;
		c->ch_remote_window -= (uint32_t)n;
		done += n;
	}
	r = 0;
 out:
	*acceptedp = done;
	return r;
}

int
chan_send_eof(struct chan_table *t, uint32_t id)
{
	struct chan *c;
	int r;

	if ((r = chan_caller_sendable(t, id, &c)) != 0)
		return r;
	if (c->ch_flags & CHF_EOF_SENT)
		return SSH_ERR_STATE_VIOLATION;
	c->ch_flags |= CHF_EOF_SENT;
	return chan_send_simple(t, SSH2_MSG_CHANNEL_EOF, c->ch_remote_id);
}
