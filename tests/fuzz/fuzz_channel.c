/*
 * fuzz_channel.c: libFuzzer target for the channel layer (channel.h).
 * Input: records of {u8 op, u16 length (big-endian), length bytes}.  An op
 * the layer handles (80-82, 90-100) is fed to chan_input as that message;
 * any other op is a call of the event loop's (open, write, EOF, exit,
 * close, requests of our own) on the channel named by the first byte.
 * After every record the events are drained and answered the way a loop
 * would.  An error from chan_input ends the run, as it ends a connection;
 * SSH_ERR_INTERNAL_ERROR from anything is a bug and aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/x11req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t filler[2048];

/* Calls a loop may get wrong (e.g. EOF twice) may fail, but not inside. */
static void
check(int r)
{
	if (r == SSH_ERR_INTERNAL_ERROR || r > 0)
		abort();
}

/* Answers to events the layer just delivered must always be accepted. */
static void
must(int r)
{
	if (r != 0)
		abort();
}

static int
fuzz_send(void *ctx, struct buf *payload)
{
	const uint8_t *p = buf_ptr(payload);
	size_t len = buf_len(payload);

	(void)ctx;
	/* Only connection-protocol messages, never past the transport's
	 * guaranteed payload size. */
	if (len == 0 || p[0] < SSH2_MSG_GLOBAL_REQUEST ||
	    p[0] > SSH2_MSG_CHANNEL_FAILURE || len > 32768)
		abort();
	return 0;
}

/* Answers every pending event as an event loop would. */
static void
drain(struct chan_table *t, unsigned int *toggle)
{
	struct chan_event ev;
	const uint8_t *p;
	size_t len, acc, w;

	for (;;) {
		check(chan_next_event(t, &ev));
		if (ev.type == CHAN_EV_NONE)
			return;
		(*toggle)++;
		switch (ev.type) {
		case CHAN_EV_OPEN:
			if (*toggle & 1)
				must(chan_open_confirm(t, ev.id));
			else
				must(chan_open_fail(t, ev.id,
				    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED,
				    "no"));
			break;
		case CHAN_EV_REQUEST:
			/* What the child checks of an x11-req, then the
			 * monitor again. */
			if (ev.req.type == CHAN_REQ_X11)
				(void)x11req_check(ev.req.x11.proto,
				    ev.req.x11.cookie, ev.req.x11.screen);
			must(chan_request_reply(t, ev.id, *toggle & 1));
			break;
		case CHAN_EV_GLOBAL:
			must(chan_global_reply(t, *toggle & 1, filler,
			    *toggle & 7));
			break;
		case CHAN_EV_DATA_READY:
			must(chan_peek_input(t, ev.id, &p, &len));
			if (len > CHAN_WINDOW_DEFAULT)
				abort();
			/* Sometimes the command's stdin is slow. */
			if (*toggle & 2)
				len /= 2;
			must(chan_consume_input(t, ev.id, len));
			break;
		case CHAN_EV_EOF:
			check(chan_send_eof(t, ev.id));
			check(chan_send_exit_status(t, ev.id, 0));
			break;
		case CHAN_EV_CLOSE:
			check(chan_close(t, ev.id));
			break;
		case CHAN_EV_WINDOW:
			w = chan_writable(t, ev.id);
			if (w == 0)
				abort();
			if (w > sizeof(filler))
				w = sizeof(filler);
			must(chan_write(t, ev.id, *toggle & 1, filler, w,
			    &acc));
			if (acc != w)
				abort();
			break;
		default:
			break;
		}
	}
}

/* A call of the loop's own; b is the record, its first byte a channel id. */
static void
loop_call(struct chan_table *t, uint8_t op, const uint8_t *b, size_t len)
{
	uint32_t id = len > 0 ? b[0] % 6 : 0;
	size_t acc;

	switch (op % 9) {
	case 0:
		check(chan_open(t, "forwarded-tcpip", b, len, &id));
		break;
	case 1:
		check(chan_global_send(t, "keepalive@openssh.com", op & 0x10,
		    NULL, 0));
		break;
	case 2:
		check(chan_send_request(t, id, "keepalive@openssh.com",
		    op & 0x10, NULL, 0));
		break;
	case 3:
		check(chan_write(t, id, (op >> 4) & 1, b, len, &acc));
		if (acc > len)
			abort();
		break;
	case 4:
		check(chan_send_eof(t, id));
		break;
	case 5:
		check(chan_send_exit_status(t, id, op));
		break;
	case 6:
		check(chan_send_exit_signal(t, id, "TERM", op & 0x10, "x"));
		break;
	case 7:
		check(chan_close(t, id));
		break;
	default:
		check(chan_consume_input(t, id, len));
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chan_limits lim;
	struct chan_table *t;
	struct buf *m;
	unsigned int toggle = 0;
	size_t len;
	uint8_t op;
	int r;

	chan_limits_default(&lim);
	lim.max_sessions = 3;
	lim.max_channels = 5;
	lim.window = 4096;
	lim.max_packet = 1024;
	lim.max_events = 16;
	lim.max_requests = 4;
	if ((t = chan_table_new(&lim, fuzz_send, NULL)) == NULL)
		return 0;
	if (chan_register_open_type(t, "direct-tcpip") != 0 ||
	    chan_register_global(t, "tcpip-forward") != 0)
		abort();
	while (size >= 3) {
		op = data[0];
		len = (size_t)data[1] << 8 | data[2];
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		if (chan_handles(op)) {
			if ((m = buf_from(data, len)) == NULL)
				abort();
			r = chan_input(t, op, m);
			if (r == 0 && buf_len(m) != 0)
				abort();	/* accepted but not consumed */
			buf_free(m);
			check(r);
			if (r != 0)
				break;
		} else
			loop_call(t, op, data, len);
		data += len;
		size -= len;
		drain(t, &toggle);
	}
	chan_table_free(t);
	return 0;
}
