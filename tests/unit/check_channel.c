/* check_channel.c: the RFC 4254 channel layer, driven by crafted messages. */
#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_channel.c, linked in: its corpus is replayed below. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- what the layer sends, captured in order --- */

#define CAP_MAX	512
static struct buf *cap[CAP_MAX];
static size_t cap_head, cap_n;
static int send_fail;		/* make the send callback fail */

static int
cap_send(void *ctx, struct buf *payload)
{
	struct buf *b;

	ck_assert_ptr_eq(ctx, &cap_n);
	if (send_fail)
		return SSH_ERR_CONN_CLOSED;
	ck_assert_uint_lt(cap_head + cap_n, CAP_MAX);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_putb(b, payload), 0);
	cap[cap_head + cap_n++] = b;
	return 0;
}

static void
cap_reset(void)
{
	size_t i;

	for (i = 0; i < cap_head + cap_n; i++) {
		buf_free(cap[i]);
		cap[i] = NULL;
	}
	cap_head = cap_n = 0;
	send_fail = 0;
}

/* The next message sent, checked to be of type; the caller reads the
 * rest and frees it. */
static struct buf *
out_expect(uint8_t type)
{
	struct buf *b;
	uint8_t t;

	ck_assert_msg(cap_n > 0, "no message sent, expected %u", type);
	b = cap[cap_head];
	cap[cap_head++] = NULL;
	cap_n--;
	ck_assert_int_eq(buf_get_u8(b, &t), 0);
	ck_assert_uint_eq(t, type);
	return b;
}

static void
out_none(void)
{
	ck_assert_uint_eq(cap_n, 0);
}

static void
out_end(struct buf *b)
{
	ck_assert_int_eq(buf_expect_end(b), 0);
	buf_free(b);
}

static uint32_t
get32(struct buf *b)
{
	uint32_t v;

	ck_assert_int_eq(buf_get_u32(b, &v), 0);
	return v;
}

static uint8_t
get8(struct buf *b)
{
	uint8_t v;

	ck_assert_int_eq(buf_get_u8(b, &v), 0);
	return v;
}

static void
getstr(struct buf *b, const char *want)
{
	char *s;

	ck_assert_int_eq(buf_get_cstring(b, &s, NULL), 0);
	ck_assert_str_eq(s, want);
	free(s);
}

/* A message sent with only the peer's channel id. */
static void
out_simple(uint8_t type, uint32_t remote_id)
{
	struct buf *b = out_expect(type);

	ck_assert_uint_eq(get32(b), remote_id);
	out_end(b);
}

/* --- building peer messages --- */

/*
 * fmt: 'u' uint32, 'c' byte, 's' C string as SSH string, 'd' (ptr, len)
 * as SSH string, 'r' (ptr, len) raw bytes.
 */
static struct buf *
vmsg(const char *fmt, va_list ap)
{
	struct buf *b = buf_new();
	const uint8_t *p;
	size_t len;

	ck_assert_ptr_nonnull(b);
	for (; *fmt != '\0'; fmt++) {
		switch (*fmt) {
		case 'u':
			ck_assert_int_eq(buf_put_u32(b, va_arg(ap, uint32_t)), 0);
			break;
		case 'c':
			ck_assert_int_eq(buf_put_u8(b,
			    (uint8_t)va_arg(ap, int)), 0);
			break;
		case 's':
			ck_assert_int_eq(buf_put_cstring(b,
			    va_arg(ap, const char *)), 0);
			break;
		case 'd':
		case 'r':
			p = va_arg(ap, const uint8_t *);
			len = va_arg(ap, size_t);
			ck_assert_int_eq(*fmt == 'd' ? buf_put_string(b, p, len) :
			    buf_put(b, p, len), 0);
			break;
		default:
			ck_abort_msg("bad format");
		}
	}
	return b;
}

static struct buf *
msg(const char *fmt, ...)
{
	struct buf *b;
	va_list ap;

	va_start(ap, fmt);
	b = vmsg(fmt, ap);
	va_end(ap);
	return b;
}

/* Feeds one message; on success it must have been consumed exactly. */
static int
feed_buf(struct chan_table *t, uint8_t type, struct buf *b)
{
	int r = chan_input(t, type, b);

	if (r == 0)
		ck_assert_uint_eq(buf_len(b), 0);
	buf_free(b);
	return r;
}

static int
feed(struct chan_table *t, uint8_t type, const char *fmt, ...)
{
	struct buf *b;
	va_list ap;

	va_start(ap, fmt);
	b = vmsg(fmt, ap);
	va_end(ap);
	return feed_buf(t, type, b);
}

/* --- fixtures --- */

static struct chan_limits lim;

static struct chan_table *
table(void)
{
	struct chan_table *t;

	cap_reset();
	ck_assert_ptr_nonnull(t = chan_table_new(&lim, cap_send, &cap_n));
	return t;
}

static void
setup(void)
{
	chan_limits_default(&lim);
}

static void
teardown(void)
{
	cap_reset();
}

static void
next_ev(struct chan_table *t, struct chan_event *ev, enum chan_ev_type type)
{
	ck_assert_int_eq(chan_next_event(t, ev), 0);
	ck_assert_int_eq(ev->type, type);
}

static void
no_ev(struct chan_table *t)
{
	struct chan_event ev;

	ck_assert_int_eq(chan_next_event(t, &ev), 0);
	ck_assert_int_eq(ev.type, CHAN_EV_NONE);
}

/* Opens a session for the peer's id remote with the peer's window and
 * max packet, confirms it and returns our id. */
static uint32_t
session(struct chan_table *t, uint32_t remote, uint32_t window,
    uint32_t maxpacket)
{
	struct chan_event ev;
	struct buf *b;
	uint32_t id;

	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    remote, window, maxpacket), 0);
	next_ev(t, &ev, CHAN_EV_OPEN);
	ck_assert_str_eq(ev.name, "session");
	ck_assert_uint_eq(ev.len, 0);
	id = ev.id;
	ck_assert_int_eq(chan_open_confirm(t, id), 0);
	b = out_expect(SSH2_MSG_CHANNEL_OPEN_CONFIRMATION);
	ck_assert_uint_eq(get32(b), remote);
	ck_assert_uint_eq(get32(b), id);
	ck_assert_uint_eq(get32(b), lim.window);
	ck_assert_uint_eq(get32(b), lim.max_packet);
	out_end(b);
	return id;
}

/* --- tests --- */

START_TEST(test_limits)
{
	struct chan_limits l;

	chan_limits_default(&l);
	ck_assert_uint_eq(l.window, 2 * 1024 * 1024);
	ck_assert_uint_eq(l.max_packet, 32 * 1024);
	l.max_packet = l.window + 1;
	ck_assert_ptr_null(chan_table_new(&l, cap_send, &cap_n));
	chan_limits_default(&l);
	l.max_events = 0;
	ck_assert_ptr_null(chan_table_new(&l, cap_send, &cap_n));
	chan_limits_default(&l);
	l.max_channels = 0;
	ck_assert_ptr_null(chan_table_new(&l, cap_send, &cap_n));
	chan_limits_default(&l);
	ck_assert_ptr_null(chan_table_new(&l, NULL, NULL));
}
END_TEST

START_TEST(test_session_open_confirm)
{
	struct chan_table *t = table();
	uint32_t id;

	id = session(t, 77, 1000, 500);
	ck_assert_uint_eq(chan_count(t), 1);
	ck_assert_uint_eq(chan_writable(t, id), 1000);
	/* Confirming twice is a caller bug. */
	ck_assert_int_eq(chan_open_confirm(t, id), SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(chan_open_confirm(t, 9), SSH_ERR_INVALID_ARGUMENT);
	out_none();
	no_ev(t);
	chan_table_free(t);
}
END_TEST

START_TEST(test_open_fail_by_caller)
{
	struct chan_table *t = table();
	struct chan_event ev;
	struct buf *b;

	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    5, 100, 100), 0);
	next_ev(t, &ev, CHAN_EV_OPEN);
	ck_assert_int_eq(chan_open_fail(t, ev.id,
	    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED, "no"), 0);
	b = out_expect(SSH2_MSG_CHANNEL_OPEN_FAILURE);
	ck_assert_uint_eq(get32(b), 5);
	ck_assert_uint_eq(get32(b), SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	getstr(b, "no");
	getstr(b, "");
	out_end(b);
	ck_assert_uint_eq(chan_count(t), 0);
	/* The refused id is unknown to the peer. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EOF, "u", 0),
	    SSH_ERR_PROTOCOL_ERROR);
	chan_table_free(t);
}
END_TEST

START_TEST(test_unconfirmed_id_rejected)
{
	struct chan_table *t = table();
	struct chan_event ev;

	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    5, 100, 100), 0);
	next_ev(t, &ev, CHAN_EV_OPEN);
	/* The client cannot know our id before the confirmation. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", ev.id, "x",
	    (size_t)1), SSH_ERR_PROTOCOL_ERROR);
	chan_table_free(t);
}
END_TEST

START_TEST(test_exec_request_in_order)
{
	struct chan_table *t = table();
	struct chan_event ev;
	uint32_t id;

	id = session(t, 3, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscss", id, "env",
	    1, "LANG", "C.UTF-8"), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscs", id, "exec",
	    1, "echo hi"), 0);
	/* Answered by the layer, but only after the two before it. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscu", id,
	    "x11-req", 1, 500), 0);
	out_none();
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_ENV);
	ck_assert_str_eq(ev.name, "env");
	ck_assert_int_eq(ev.want_reply, 1);
	ck_assert_str_eq(ev.req.env_name, "LANG");
	ck_assert_str_eq(ev.req.env_value, "C.UTF-8");
	ck_assert_int_eq(chan_request_reply(t, id, 0), 0);
	out_simple(SSH2_MSG_CHANNEL_FAILURE, 3);
	out_none();
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_EXEC);
	ck_assert_str_eq(ev.req.command, "echo hi");
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	out_simple(SSH2_MSG_CHANNEL_SUCCESS, 3);
	out_simple(SSH2_MSG_CHANNEL_FAILURE, 3);
	out_none();
	no_ev(t);
	/* Nothing left to answer. */
	ck_assert_int_eq(chan_request_reply(t, id, 1), SSH_ERR_STATE_VIOLATION);
	chan_table_free(t);
}
END_TEST

START_TEST(test_request_no_reply)
{
	struct chan_table *t = table();
	struct chan_event ev;
	uint32_t id;

	id = session(t, 3, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usc", id, "shell",
	    0), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_SHELL);
	ck_assert_int_eq(ev.want_reply, 0);
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	out_none();
	chan_table_free(t);
}
END_TEST

START_TEST(test_request_parsing)
{
	static const uint8_t modes[] = { 53, 0, 0, 0, 1, 0 };
	struct chan_table *t = table();
	struct chan_event ev;
	uint32_t id;

	id = session(t, 3, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscsuuuud", id,
	    "pty-req", 0, "xterm", 80, 24, 640, 480, modes, sizeof(modes)), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscuuuu", id,
	    "window-change", 0, 100, 40, 0, 0), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscs", id,
	    "signal", 0, "INT"), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscs", id,
	    "subsystem", 0, "sftp"), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscu", id,
	    "break", 0, 500), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_PTY);
	ck_assert_str_eq(ev.req.term, "xterm");
	ck_assert_uint_eq(ev.req.cols, 80);
	ck_assert_uint_eq(ev.req.rows, 24);
	ck_assert_uint_eq(ev.req.width_px, 640);
	ck_assert_uint_eq(ev.req.height_px, 480);
	ck_assert_uint_eq(ev.req.modes_len, sizeof(modes));
	ck_assert_mem_eq(ev.req.modes, modes, sizeof(modes));
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_WINDOW_CHANGE);
	ck_assert_uint_eq(ev.req.cols, 100);
	ck_assert_uint_eq(ev.req.rows, 40);
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_SIGNAL);
	ck_assert_str_eq(ev.req.signame, "INT");
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_SUBSYSTEM);
	ck_assert_str_eq(ev.req.subsystem, "sftp");
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_BREAK);
	ck_assert_uint_eq(ev.req.break_ms, 500);
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	out_none();	/* none wanted a reply */
	/* Embedded NUL in a command: rejected, not truncated. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscd", id, "exec",
	    1, "ls\0rm", (size_t)5), SSH_ERR_INVALID_FORMAT);
	chan_table_free(t);
}
END_TEST

START_TEST(test_unknown_request)
{
	struct chan_table *t = table();
	uint32_t id;

	id = session(t, 8, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscr", id,
	    "x11-req", 1, "anything", (size_t)8), 0);
	out_simple(SSH2_MSG_CHANNEL_FAILURE, 8);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usc", id,
	    "auth-agent-req@openssh.com", 0), 0);
	out_none();
	no_ev(t);
	chan_table_free(t);
}
END_TEST

START_TEST(test_data_window_adjust)
{
	struct chan_table *t;
	struct chan_event ev;
	const uint8_t *p;
	uint8_t data[100];
	size_t len, i;
	struct buf *b;
	uint32_t id;

	lim.window = 1000;
	lim.max_packet = 100;
	t = table();
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	id = session(t, 4, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)100), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)50), 0);
	/* One event for both messages. */
	next_ev(t, &ev, CHAN_EV_DATA_READY);
	ck_assert_uint_eq(ev.id, id);
	no_ev(t);
	ck_assert_int_eq(chan_peek_input(t, id, &p, &len), 0);
	ck_assert_uint_eq(len, 150);
	ck_assert_mem_eq(p, data, 100);
	ck_assert_mem_eq(p + 100, data, 50);
	ck_assert_int_eq(chan_consume_input(t, id, 151),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(chan_consume_input(t, id, 150), 0);
	out_none();	/* the peer still has 850 of 1000 */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id,
		    data, (size_t)100), 0);
	next_ev(t, &ev, CHAN_EV_DATA_READY);
	/* The peer has 450 left, below half: everything consumed so far
	 * is granted again at the next consume. */
	ck_assert_int_eq(chan_consume_input(t, id, 1), 0);
	b = out_expect(SSH2_MSG_CHANNEL_WINDOW_ADJUST);
	ck_assert_uint_eq(get32(b), 4);
	ck_assert_uint_eq(get32(b), 151);
	out_end(b);
	/* 601 left: no adjust yet. */
	ck_assert_int_eq(chan_consume_input(t, id, 399), 0);
	out_none();
	/* Exactly half left is not below half. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)100), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)1), 0);
	ck_assert_int_eq(chan_consume_input(t, id, 101), 0);
	out_none();
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)1), 0);
	ck_assert_int_eq(chan_consume_input(t, id, 1), 0);
	b = out_expect(SSH2_MSG_CHANNEL_WINDOW_ADJUST);
	ck_assert_uint_eq(get32(b), 4);
	ck_assert_uint_eq(get32(b), 501);
	out_end(b);
	ck_assert_int_eq(chan_peek_input(t, id, &p, &len), 0);
	ck_assert_uint_eq(len, 0);
	chan_table_free(t);
}
END_TEST

START_TEST(test_data_ring_wraps)
{
	struct chan_table *t;
	struct chan_event ev;
	const uint8_t *p;
	uint8_t data[100];
	size_t len, i;
	uint32_t id;

	lim.window = 200;
	lim.max_packet = 100;
	t = table();
	id = session(t, 4, 1000, 1000);
	memset(data, 'a', sizeof(data));
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)100), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)50), 0);
	ck_assert_int_eq(chan_consume_input(t, id, 120), 0);
	buf_free(out_expect(SSH2_MSG_CHANNEL_WINDOW_ADJUST));
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	/* 30 buffered at offset 120; 80 more wrap after byte 200. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)80), 0);
	next_ev(t, &ev, CHAN_EV_DATA_READY);
	ck_assert_int_eq(chan_peek_input(t, id, &p, &len), 0);
	ck_assert_uint_eq(len, 80);
	ck_assert_int_eq(chan_consume_input(t, id, 30), 0);
	ck_assert_int_eq(chan_peek_input(t, id, &p, &len), 0);
	ck_assert_uint_eq(len, 50);
	ck_assert_mem_eq(p, data, 50);
	ck_assert_int_eq(chan_consume_input(t, id, 50), 0);
	ck_assert_int_eq(chan_peek_input(t, id, &p, &len), 0);
	ck_assert_uint_eq(len, 30);
	ck_assert_mem_eq(p, data + 50, 30);
	chan_table_free(t);
}
END_TEST

START_TEST(test_data_over_window)
{
	struct chan_table *t;
	uint8_t data[100] = { 0 };
	uint32_t id;
	int i;

	lim.window = 300;
	lim.max_packet = 100;
	t = table();
	id = session(t, 4, 1000, 1000);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
		    (size_t)100), 0);
	/* Even an empty message is fine; one byte is not. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)0), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)1), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EXTENDED_DATA, "uud", id, 1,
	    data, (size_t)1), SSH_ERR_PROTOCOL_ERROR);
	chan_table_free(t);
}
END_TEST

START_TEST(test_data_over_max_packet)
{
	struct chan_table *t;
	uint8_t data[101] = { 0 };
	uint32_t id;

	lim.window = 1000;
	lim.max_packet = 100;
	t = table();
	id = session(t, 4, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)101), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EXTENDED_DATA, "uud", id, 1,
	    data, (size_t)101), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
	    (size_t)100), 0);
	chan_table_free(t);
}
END_TEST

START_TEST(test_ext_data_discarded)
{
	struct chan_table *t;
	uint8_t data[100] = { 0 };
	const uint8_t *p;
	size_t len;
	struct buf *b;
	uint32_t id;
	int i;

	lim.window = 300;
	lim.max_packet = 100;
	t = table();
	id = session(t, 4, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EXTENDED_DATA, "uud", id, 1,
	    data, (size_t)100), 0);
	out_none();
	/* Counted against the window and given back at once. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EXTENDED_DATA, "uud", id, 7,
	    data, (size_t)100), 0);
	b = out_expect(SSH2_MSG_CHANNEL_WINDOW_ADJUST);
	ck_assert_uint_eq(get32(b), 4);
	ck_assert_uint_eq(get32(b), 200);
	out_end(b);
	no_ev(t);
	ck_assert_int_eq(chan_peek_input(t, id, &p, &len), 0);
	ck_assert_uint_eq(len, 0);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, data,
		    (size_t)100), 0);
	chan_table_free(t);
}
END_TEST

START_TEST(test_data_after_eof)
{
	struct chan_table *t = table();
	struct chan_event ev;
	uint32_t id;

	id = session(t, 4, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, "ab",
	    (size_t)2), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EOF, "u", id), 0);
	next_ev(t, &ev, CHAN_EV_DATA_READY);
	next_ev(t, &ev, CHAN_EV_EOF);
	ck_assert_uint_eq(ev.id, id);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, "c",
	    (size_t)1), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, "",
	    (size_t)0), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EXTENDED_DATA, "uud", id, 1,
	    "c", (size_t)1), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EOF, "u", id),
	    SSH_ERR_PROTOCOL_ERROR);
	chan_table_free(t);
}
END_TEST

START_TEST(test_after_close)
{
	/* Every message naming a channel the peer closed is an error. */
	static const uint8_t types[] = {
		SSH2_MSG_CHANNEL_DATA, SSH2_MSG_CHANNEL_EOF,
		SSH2_MSG_CHANNEL_CLOSE, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
		SSH2_MSG_CHANNEL_REQUEST, SSH2_MSG_CHANNEL_SUCCESS,
	};
	struct chan_table *t;
	struct chan_event ev;
	struct buf *b;
	size_t i;
	uint32_t id;

	for (i = 0; i < sizeof(types); i++) {
		t = table();
		id = session(t, 4, 1000, 1000);
		ck_assert_int_eq(chan_send_request(t, id, "x", 1, NULL, 0), 0);
		buf_free(out_expect(SSH2_MSG_CHANNEL_REQUEST));
		ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_CLOSE, "u", id), 0);
		next_ev(t, &ev, CHAN_EV_CLOSE);
		switch (types[i]) {
		case SSH2_MSG_CHANNEL_DATA:
			b = msg("ud", id, "x", (size_t)1);
			break;
		case SSH2_MSG_CHANNEL_WINDOW_ADJUST:
			b = msg("uu", id, 1);
			break;
		case SSH2_MSG_CHANNEL_REQUEST:
			b = msg("uscs", id, "exec", 0, "ls");
			break;
		default:
			b = msg("u", id);
			break;
		}
		ck_assert_int_eq(feed_buf(t, types[i], b),
		    SSH_ERR_PROTOCOL_ERROR);
		chan_table_free(t);
		cap_reset();
	}
}
END_TEST

START_TEST(test_write_window_and_packets)
{
	struct chan_table *t = table();
	struct chan_event ev;
	uint8_t data[250];
	const uint8_t *p;
	size_t acc, len, i, want[] = { 30, 30, 30, 10 };
	struct buf *b;
	uint32_t id;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	id = session(t, 6, 100, 30);
	ck_assert_uint_eq(chan_writable(t, id), 100);
	ck_assert_int_eq(chan_write(t, id, 0, data, 250, &acc), 0);
	ck_assert_uint_eq(acc, 100);
	for (i = 0; i < 4; i++) {
		b = out_expect(SSH2_MSG_CHANNEL_DATA);
		ck_assert_uint_eq(get32(b), 6);
		ck_assert_int_eq(buf_get_string_direct(b, &p, &len), 0);
		ck_assert_uint_eq(len, want[i]);
		ck_assert_mem_eq(p, data + 30 * i, len);
		out_end(b);
	}
	out_none();
	ck_assert_uint_eq(chan_writable(t, id), 0);
	ck_assert_int_eq(chan_write(t, id, 0, data + 100, 150, &acc), 0);
	ck_assert_uint_eq(acc, 0);
	out_none();
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST, "uu", id, 20),
	    0);
	next_ev(t, &ev, CHAN_EV_WINDOW);
	ck_assert_uint_eq(ev.id, id);
	/* A window that was not empty opens without an event. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST, "uu", id, 5),
	    0);
	no_ev(t);
	ck_assert_uint_eq(chan_writable(t, id), 25);
	ck_assert_int_eq(chan_write(t, id, 1, data + 100, 150, &acc), 0);
	ck_assert_uint_eq(acc, 25);
	b = out_expect(SSH2_MSG_CHANNEL_EXTENDED_DATA);
	ck_assert_uint_eq(get32(b), 6);
	ck_assert_uint_eq(get32(b), SSH2_EXTENDED_DATA_STDERR);
	ck_assert_int_eq(buf_get_string_direct(b, &p, &len), 0);
	ck_assert_uint_eq(len, 25);
	ck_assert_mem_eq(p, data + 100, 25);
	out_end(b);
	ck_assert_int_eq(chan_write(t, id, 2, data, 1, &acc),
	    SSH_ERR_INVALID_ARGUMENT);
	chan_table_free(t);
}
END_TEST

START_TEST(test_write_chunk_cap)
{
	static uint8_t data[70000];
	struct chan_table *t = table();
	size_t acc, len;
	struct buf *b;
	uint32_t id;

	/* The peer allows huge packets; we still send transport-sized ones. */
	id = session(t, 6, 0xffffffff, 0xffffffff);
	ck_assert_int_eq(chan_write(t, id, 0, data, sizeof(data), &acc), 0);
	ck_assert_uint_eq(acc, sizeof(data));
	for (acc = 0; acc < sizeof(data); acc += len) {
		b = out_expect(SSH2_MSG_CHANNEL_DATA);
		ck_assert_uint_eq(get32(b), 6);
		ck_assert_int_eq(buf_get_string_direct(b, NULL, &len), 0);
		ck_assert_uint_le(len, CHAN_OUT_CHUNK_MAX);
		ck_assert_uint_gt(len, 0);
		out_end(b);
	}
	ck_assert_uint_eq(acc, sizeof(data));
	out_none();
	chan_table_free(t);
}
END_TEST

START_TEST(test_eof_exit_close_order)
{
	struct chan_table *t = table();
	struct chan_event ev;
	size_t acc;
	struct buf *b;
	uint32_t id;

	id = session(t, 9, 1000, 1000);
	ck_assert_int_eq(chan_write(t, id, 0, (const uint8_t *)"out", 3, &acc),
	    0);
	ck_assert_int_eq(chan_send_eof(t, id), 0);
	ck_assert_int_eq(chan_write(t, id, 0, (const uint8_t *)"x", 1, &acc),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_uint_eq(chan_writable(t, id), 0);
	ck_assert_int_eq(chan_send_eof(t, id), SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(chan_send_exit_status(t, id, 3), 0);
	ck_assert_int_eq(chan_send_exit_status(t, id, 3),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(chan_send_exit_signal(t, id, "TERM", 0, NULL),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(chan_close(t, id), 0);
	ck_assert_int_eq(chan_close(t, id), SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(chan_send_eof(t, id), SSH_ERR_STATE_VIOLATION);
	b = out_expect(SSH2_MSG_CHANNEL_DATA);
	buf_free(b);
	out_simple(SSH2_MSG_CHANNEL_EOF, 9);
	b = out_expect(SSH2_MSG_CHANNEL_REQUEST);
	ck_assert_uint_eq(get32(b), 9);
	getstr(b, "exit-status");
	ck_assert_uint_eq(get8(b), 0);
	ck_assert_uint_eq(get32(b), 3);
	out_end(b);
	out_simple(SSH2_MSG_CHANNEL_CLOSE, 9);
	out_none();
	/* Still ours until the peer's CLOSE arrives and is seen. */
	ck_assert_uint_eq(chan_count(t), 1);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_CLOSE, "u", id), 0);
	ck_assert_uint_eq(chan_count(t), 1);
	next_ev(t, &ev, CHAN_EV_CLOSE);
	ck_assert_uint_eq(chan_count(t), 0);
	out_none();
	chan_table_free(t);
}
END_TEST

START_TEST(test_exit_signal)
{
	struct chan_table *t = table();
	struct buf *b;
	uint32_t id;

	id = session(t, 9, 1000, 1000);
	ck_assert_int_eq(chan_send_exit_signal(t, id, "", 0, NULL),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(chan_send_exit_signal(t, id, "SEGV", 1, "boom"), 0);
	b = out_expect(SSH2_MSG_CHANNEL_REQUEST);
	ck_assert_uint_eq(get32(b), 9);
	getstr(b, "exit-signal");
	ck_assert_uint_eq(get8(b), 0);
	getstr(b, "SEGV");
	ck_assert_uint_eq(get8(b), 1);
	getstr(b, "boom");
	getstr(b, "");
	out_end(b);
	ck_assert_int_eq(chan_send_exit_status(t, id, 0),
	    SSH_ERR_STATE_VIOLATION);
	chan_table_free(t);
}
END_TEST

START_TEST(test_peer_closes_first)
{
	struct chan_table *t = table();
	struct chan_event ev;
	size_t acc;
	uint32_t id, id2;

	id = session(t, 9, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_CLOSE, "u", id), 0);
	next_ev(t, &ev, CHAN_EV_CLOSE);
	ck_assert_uint_eq(ev.id, id);
	ck_assert_uint_eq(chan_writable(t, id), 0);
	ck_assert_int_eq(chan_write(t, id, 0, (const uint8_t *)"x", 1, &acc),
	    0);
	ck_assert_uint_eq(acc, 0);
	out_none();
	/* exit-status may still precede our CLOSE. */
	ck_assert_int_eq(chan_send_exit_status(t, id, 0), 0);
	buf_free(out_expect(SSH2_MSG_CHANNEL_REQUEST));
	ck_assert_uint_eq(chan_count(t), 1);
	ck_assert_int_eq(chan_close(t, id), 0);
	out_simple(SSH2_MSG_CHANNEL_CLOSE, 9);
	ck_assert_uint_eq(chan_count(t), 0);
	ck_assert_int_eq(chan_close(t, id), SSH_ERR_INVALID_ARGUMENT);
	/* Released: the id is unknown to the peer and free for reuse. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EOF, "u", id),
	    SSH_ERR_PROTOCOL_ERROR);
	id2 = session(t, 10, 1000, 1000);
	ck_assert_uint_eq(id2, id);
	chan_table_free(t);
}
END_TEST

START_TEST(test_input_after_our_close)
{
	struct chan_table *t = table();
	struct chan_event ev;
	uint32_t id;

	id = session(t, 9, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscs", id, "exec",
	    1, "ls"), 0);
	ck_assert_int_eq(chan_close(t, id), 0);
	out_simple(SSH2_MSG_CHANNEL_CLOSE, 9);
	/* Sent before our CLOSE reached the peer: accepted and dropped. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, "x",
	    (size_t)1), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscs", id, "exec",
	    1, "ls"), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST, "uu", id, 5),
	    0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_EOF, "u", id), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	/* The reply went with the CLOSE. */
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	out_none();
	no_ev(t);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_CLOSE, "u", id), 0);
	next_ev(t, &ev, CHAN_EV_CLOSE);
	ck_assert_uint_eq(chan_count(t), 0);
	out_none();
	chan_table_free(t);
}
END_TEST

START_TEST(test_unknown_channel_type)
{
	struct chan_table *t = table();
	struct buf *b;

	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuuss", "x11", 12,
	    100, 100, "1.2.3.4", "junk"), 0);
	b = out_expect(SSH2_MSG_CHANNEL_OPEN_FAILURE);
	ck_assert_uint_eq(get32(b), 12);
	ck_assert_uint_eq(get32(b), SSH2_OPEN_UNKNOWN_CHANNEL_TYPE);
	ck_assert_int_eq(buf_get_string_direct(b, NULL, NULL), 0);
	getstr(b, "");
	out_end(b);
	no_ev(t);
	ck_assert_uint_eq(chan_count(t), 0);
	chan_table_free(t);
}
END_TEST

START_TEST(test_registered_open_type)
{
	struct chan_table *t = table();
	struct chan_event ev;

	ck_assert_int_eq(chan_register_open_type(t, "session"),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(chan_register_open_type(t, "direct-tcpip"), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuur",
	    "direct-tcpip", 12, 100, 100, "\0\0\0\1h", (size_t)5), 0);
	next_ev(t, &ev, CHAN_EV_OPEN);
	ck_assert_str_eq(ev.name, "direct-tcpip");
	ck_assert_uint_eq(ev.len, 5);
	ck_assert_mem_eq(ev.data, "\0\0\0\1h", 5);
	ck_assert_int_eq(chan_open_confirm(t, ev.id), 0);
	buf_free(out_expect(SSH2_MSG_CHANNEL_OPEN_CONFIRMATION));
	/* Session requests mean nothing on it. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscs", ev.id,
	    "exec", 1, "ls"), 0);
	out_simple(SSH2_MSG_CHANNEL_FAILURE, 12);
	no_ev(t);
	/* A session open on the same table still needs no data. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuuc", "session",
	    13, 100, 100, 0), SSH_ERR_UNEXPECTED_TRAILING_DATA);
	chan_table_free(t);
}
END_TEST

START_TEST(test_channel_cap)
{
	struct chan_table *t;
	struct chan_event ev;
	struct buf *b;

	lim.max_sessions = 2;
	lim.max_channels = 3;
	t = table();
	ck_assert_int_eq(chan_register_open_type(t, "direct-tcpip"), 0);
	session(t, 1, 100, 100);
	session(t, 2, 100, 100);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    3, 100, 100), 0);
	b = out_expect(SSH2_MSG_CHANNEL_OPEN_FAILURE);
	ck_assert_uint_eq(get32(b), 3);
	ck_assert_uint_eq(get32(b), SSH2_OPEN_RESOURCE_SHORTAGE);
	buf_free(b);
	no_ev(t);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "direct-tcpip",
	    4, 100, 100), 0);
	next_ev(t, &ev, CHAN_EV_OPEN);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "direct-tcpip",
	    5, 100, 100), 0);
	b = out_expect(SSH2_MSG_CHANNEL_OPEN_FAILURE);
	ck_assert_uint_eq(get32(b), 5);
	ck_assert_uint_eq(get32(b), SSH2_OPEN_RESOURCE_SHORTAGE);
	buf_free(b);
	ck_assert_uint_eq(chan_count(t), 3);
	ck_assert_int_eq(chan_open(t, "forwarded-tcpip", NULL, 0,
	    &ev.id), SSH_ERR_LIMIT_EXCEEDED);
	chan_table_free(t);
}
END_TEST

START_TEST(test_many_channels)
{
	struct chan_table *t;
	struct chan_event ev;
	const uint8_t *p;
	uint8_t data[64];
	size_t len, acc;
	uint32_t i, id[10];
	struct buf *b;

	lim.window = 4096;
	lim.max_packet = 64;
	t = table();
	for (i = 0; i < 10; i++) {
		id[i] = session(t, 100 + i, 1000, 1000);
		ck_assert_uint_eq(id[i], i);
	}
	/* Interleaved input stays with its channel. */
	for (i = 0; i < 20; i++) {
		memset(data, 'a' + (int)(i % 10), sizeof(data));
		ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id[i % 10],
		    data, (size_t)(i % 10) + 1), 0);
	}
	for (i = 0; i < 10; i++) {
		next_ev(t, &ev, CHAN_EV_DATA_READY);
		ck_assert_uint_eq(ev.id, id[i]);
		ck_assert_int_eq(chan_peek_input(t, id[i], &p, &len), 0);
		ck_assert_uint_eq(len, 2 * (i + 1));
		memset(data, 'a' + (int)i, sizeof(data));
		ck_assert_mem_eq(p, data, len);
	}
	no_ev(t);
	/* Output goes to each peer id. */
	for (i = 0; i < 10; i++) {
		ck_assert_int_eq(chan_write(t, id[i], 0, data, 1, &acc), 0);
		b = out_expect(SSH2_MSG_CHANNEL_DATA);
		ck_assert_uint_eq(get32(b), 100 + i);
		buf_free(b);
	}
	/* Close the even ones; new sessions get the lowest free ids. */
	for (i = 0; i < 10; i += 2) {
		ck_assert_int_eq(chan_close(t, id[i]), 0);
		out_simple(SSH2_MSG_CHANNEL_CLOSE, 100 + i);
		ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_CLOSE, "u", id[i]), 0);
		next_ev(t, &ev, CHAN_EV_CLOSE);
	}
	ck_assert_uint_eq(chan_count(t), 5);
	ck_assert_uint_eq(session(t, 200, 1000, 1000), 0);
	ck_assert_uint_eq(session(t, 201, 1000, 1000), 2);
	ck_assert_int_eq(chan_peek_input(t, 2, &p, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(chan_peek_input(t, 3, &p, &len), 0);
	ck_assert_uint_eq(len, 8);
	chan_table_free(t);
}
END_TEST

START_TEST(test_zero_max_packet_refused)
{
	struct chan_table *t = table();
	struct buf *b;

	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    3, 100, 0), 0);
	b = out_expect(SSH2_MSG_CHANNEL_OPEN_FAILURE);
	ck_assert_uint_eq(get32(b), 3);
	buf_free(b);
	no_ev(t);
	chan_table_free(t);
}
END_TEST

START_TEST(test_event_queue_cap)
{
	struct chan_table *t;
	int i;

	lim.max_events = 3;
	t = table();
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu",
		    "session", i, 100, 100), 0);
	ck_assert_uint_eq(chan_pending_events(t), 3);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    9, 100, 100), SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_uint_eq(chan_count(t), 3);
	chan_table_free(t);
}
END_TEST

START_TEST(test_request_queue_cap)
{
	struct chan_table *t;
	uint32_t id;
	int i;

	lim.max_requests = 2;
	t = table();
	id = session(t, 1, 100, 100);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscs", id,
		    "exec", 1, "ls"), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscs", id, "exec",
	    1, "ls"), SSH_ERR_LIMIT_EXCEEDED);
	/* Layer-answered failures waiting behind them count too. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usc", id, "zz", 1),
	    SSH_ERR_LIMIT_EXCEEDED);
	chan_table_free(t);
	cap_reset();
	/* Global requests likewise. */
	t = table();
	ck_assert_int_eq(chan_register_global(t, "tcpip-forward"), 0);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(feed(t, SSH2_MSG_GLOBAL_REQUEST, "scsu",
		    "tcpip-forward", 1, "", 0), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_GLOBAL_REQUEST, "scsu",
	    "tcpip-forward", 1, "", 0), SSH_ERR_LIMIT_EXCEEDED);
	chan_table_free(t);
}
END_TEST

START_TEST(test_window_adjust_overflow)
{
	struct chan_table *t = table();
	uint32_t id;

	id = session(t, 1, 0xfffffff0, 100);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST, "uu", id, 15),
	    0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST, "uu", id, 0),
	    0);
	ck_assert_uint_eq(chan_writable(t, id), 0xffffffff);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST, "uu", id, 1),
	    SSH_ERR_PROTOCOL_ERROR);
	cap_reset();
	chan_table_free(t);
	t = table();
	id = session(t, 1, 5, 100);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_WINDOW_ADJUST, "uu", id,
	    0xffffffff), SSH_ERR_PROTOCOL_ERROR);
	chan_table_free(t);
}
END_TEST

START_TEST(test_keepalive_and_unknown_global)
{
	struct chan_table *t = table();

	ck_assert_int_eq(chan_register_global(t, "keepalive@openssh.com"),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(feed(t, SSH2_MSG_GLOBAL_REQUEST, "sc",
	    "keepalive@openssh.com", 1), 0);
	buf_free(out_expect(SSH2_MSG_REQUEST_FAILURE));
	ck_assert_int_eq(feed(t, SSH2_MSG_GLOBAL_REQUEST, "scs",
	    "whatever@example.com", 0, "data"), 0);
	out_none();
	ck_assert_int_eq(feed(t, SSH2_MSG_GLOBAL_REQUEST, "scs",
	    "whatever@example.com", 1, "data"), 0);
	out_end(out_expect(SSH2_MSG_REQUEST_FAILURE));
	no_ev(t);
	chan_table_free(t);
}
END_TEST

START_TEST(test_global_registered_in_order)
{
	struct chan_table *t = table();
	struct chan_event ev;
	struct buf *b;

	ck_assert_int_eq(chan_register_global(t, "tcpip-forward"), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_GLOBAL_REQUEST, "scsu",
	    "tcpip-forward", 1, "localhost", 0), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_GLOBAL_REQUEST, "sc",
	    "keepalive@openssh.com", 1), 0);
	out_none();
	next_ev(t, &ev, CHAN_EV_GLOBAL);
	ck_assert_str_eq(ev.name, "tcpip-forward");
	ck_assert_int_eq(ev.want_reply, 1);
	ck_assert_uint_eq(ev.len, 4 + 9 + 4);
	ck_assert_int_eq(chan_global_reply(t, 1, (const uint8_t *)"\0\0\x10\0",
	    4), 0);
	b = out_expect(SSH2_MSG_REQUEST_SUCCESS);
	ck_assert_uint_eq(get32(b), 4096);
	out_end(b);
	out_end(out_expect(SSH2_MSG_REQUEST_FAILURE));
	out_none();
	ck_assert_int_eq(chan_global_reply(t, 1, NULL, 0),
	    SSH_ERR_STATE_VIOLATION);
	chan_table_free(t);
}
END_TEST

START_TEST(test_no_more_sessions)
{
	struct chan_table *t = table();

	session(t, 1, 100, 100);
	ck_assert_int_eq(feed(t, SSH2_MSG_GLOBAL_REQUEST, "sc",
	    "no-more-sessions@openssh.com", 1), 0);
	out_end(out_expect(SSH2_MSG_REQUEST_SUCCESS));
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    2, 100, 100), SSH_ERR_PROTOCOL_ERROR);
	chan_table_free(t);
}
END_TEST

START_TEST(test_outbound_open)
{
	struct chan_table *t = table();
	struct chan_event ev;
	struct buf *b;
	uint32_t id, id2;

	ck_assert_int_eq(chan_open(t, "session", NULL, 0, &id),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(chan_open(t, "forwarded-tcpip",
	    (const uint8_t *)"abc", 3, &id), 0);
	b = out_expect(SSH2_MSG_CHANNEL_OPEN);
	getstr(b, "forwarded-tcpip");
	ck_assert_uint_eq(get32(b), id);
	ck_assert_uint_eq(get32(b), lim.window);
	ck_assert_uint_eq(get32(b), lim.max_packet);
	ck_assert_uint_eq(get8(b), 'a');
	buf_free(b);
	/* Not open yet: only the answer to the open may name it. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, "x",
	    (size_t)1), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(chan_close(t, id), SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION, "uuuu",
	    id, 44, 500, 0), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION, "uuuu",
	    id, 44, 500, 100), 0);
	next_ev(t, &ev, CHAN_EV_OPEN_CONFIRMED);
	ck_assert_uint_eq(ev.id, id);
	ck_assert_uint_eq(chan_writable(t, id), 500);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION, "uuuu",
	    id, 44, 500, 100), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_DATA, "ud", id, "x",
	    (size_t)1), 0);
	next_ev(t, &ev, CHAN_EV_DATA_READY);
	ck_assert_int_eq(chan_send_eof(t, id), 0);
	out_simple(SSH2_MSG_CHANNEL_EOF, 44);
	/* A refused open. */
	ck_assert_int_eq(chan_open(t, "forwarded-tcpip", NULL, 0, &id2), 0);
	ck_assert_uint_ne(id2, id);
	buf_free(out_expect(SSH2_MSG_CHANNEL_OPEN));
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_FAILURE, "uuds", id2,
	    SSH2_OPEN_CONNECT_FAILED, "ref\0used", (size_t)8, ""),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_FAILURE, "uuss", id2,
	    SSH2_OPEN_CONNECT_FAILED, "refused", ""), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_FAILURE, "uuss", id2,
	    SSH2_OPEN_CONNECT_FAILED, "refused", ""), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_uint_eq(chan_count(t), 2);
	next_ev(t, &ev, CHAN_EV_OPEN_FAILED);
	ck_assert_uint_eq(ev.id, id2);
	ck_assert_uint_eq(ev.reason, SSH2_OPEN_CONNECT_FAILED);
	ck_assert_str_eq(ev.message, "refused");
	ck_assert_uint_eq(chan_count(t), 1);
	/* A confirmation may carry type-specific data. */
	ck_assert_int_eq(chan_open(t, "forwarded-tcpip", NULL, 0, &id2), 0);
	buf_free(out_expect(SSH2_MSG_CHANNEL_OPEN));
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION, "uuuus",
	    id2, 45, 500, 100, "xy"), 0);
	next_ev(t, &ev, CHAN_EV_OPEN_CONFIRMED);
	ck_assert_uint_eq(ev.len, 6);
	ck_assert_mem_eq(ev.data, "\0\0\0\2xy", 6);
	chan_table_free(t);
}
END_TEST

START_TEST(test_our_requests)
{
	struct chan_table *t = table();
	struct chan_event ev;
	struct buf *b;
	uint32_t id;

	id = session(t, 1, 100, 100);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_SUCCESS, "u", id),
	    SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(chan_send_request(t, id, "keepalive@openssh.com", 1,
	    NULL, 0), 0);
	b = out_expect(SSH2_MSG_CHANNEL_REQUEST);
	ck_assert_uint_eq(get32(b), 1);
	getstr(b, "keepalive@openssh.com");
	ck_assert_uint_eq(get8(b), 1);
	out_end(b);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_FAILURE, "u", id), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST_REPLY);
	ck_assert_uint_eq(ev.id, id);
	ck_assert_int_eq(ev.ok, 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_FAILURE, "u", id),
	    SSH_ERR_PROTOCOL_ERROR);

	ck_assert_int_eq(feed(t, SSH2_MSG_REQUEST_FAILURE, ""),
	    SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(chan_global_send(t, "keepalive@openssh.com", 1,
	    NULL, 0), 0);
	b = out_expect(SSH2_MSG_GLOBAL_REQUEST);
	getstr(b, "keepalive@openssh.com");
	ck_assert_uint_eq(get8(b), 1);
	out_end(b);
	ck_assert_int_eq(feed(t, SSH2_MSG_REQUEST_SUCCESS, "u", 7), 0);
	next_ev(t, &ev, CHAN_EV_GLOBAL_REPLY);
	ck_assert_int_eq(ev.ok, 1);
	ck_assert_uint_eq(ev.len, 4);
	ck_assert_int_eq(feed(t, SSH2_MSG_REQUEST_SUCCESS, ""),
	    SSH_ERR_PROTOCOL_ERROR);
	/* Without want_reply nothing is awaited. */
	ck_assert_int_eq(chan_global_send(t, "hostkeys-00@openssh.com", 0,
	    (const uint8_t *)"k", 1), 0);
	buf_free(out_expect(SSH2_MSG_GLOBAL_REQUEST));
	ck_assert_int_eq(feed(t, SSH2_MSG_REQUEST_FAILURE, ""),
	    SSH_ERR_PROTOCOL_ERROR);
	chan_table_free(t);
}
END_TEST

START_TEST(test_our_requests_cap)
{
	struct chan_table *t;
	uint32_t id;
	int i;

	lim.max_requests = 2;
	t = table();
	id = session(t, 1, 100, 100);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(chan_send_request(t, id, "k", 1, NULL, 0), 0);
		ck_assert_int_eq(chan_global_send(t, "k", 1, NULL, 0), 0);
	}
	ck_assert_int_eq(chan_send_request(t, id, "k", 1, NULL, 0),
	    SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_int_eq(chan_global_send(t, "k", 1, NULL, 0),
	    SSH_ERR_LIMIT_EXCEEDED);
	chan_table_free(t);
}
END_TEST

START_TEST(test_unknown_ids)
{
	static const uint8_t types[] = {
		SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,
		SSH2_MSG_CHANNEL_OPEN_FAILURE, SSH2_MSG_CHANNEL_WINDOW_ADJUST,
		SSH2_MSG_CHANNEL_DATA, SSH2_MSG_CHANNEL_EXTENDED_DATA,
		SSH2_MSG_CHANNEL_EOF, SSH2_MSG_CHANNEL_CLOSE,
		SSH2_MSG_CHANNEL_REQUEST, SSH2_MSG_CHANNEL_SUCCESS,
		SSH2_MSG_CHANNEL_FAILURE,
	};
	static const uint32_t ids[] = { 1, 2, 15, 16, 0xffffffff };
	struct chan_table *t = table();
	struct buf *b;
	size_t i, j;

	/* Channel 0 is open, 1 is the peer's unanswered open. */
	session(t, 1, 100, 100);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    2, 100, 100), 0);
	for (i = 0; i < sizeof(types); i++) {
		for (j = 0; j < sizeof(ids) / sizeof(ids[0]); j++) {
			switch (types[i]) {
			case SSH2_MSG_CHANNEL_OPEN_CONFIRMATION:
				b = msg("uuuu", ids[j], 1, 1, 1);
				break;
			case SSH2_MSG_CHANNEL_OPEN_FAILURE:
				b = msg("uuss", ids[j], 1, "", "");
				break;
			case SSH2_MSG_CHANNEL_WINDOW_ADJUST:
				b = msg("uu", ids[j], 1);
				break;
			case SSH2_MSG_CHANNEL_DATA:
				b = msg("ud", ids[j], "x", (size_t)1);
				break;
			case SSH2_MSG_CHANNEL_EXTENDED_DATA:
				b = msg("uud", ids[j], 1, "x", (size_t)1);
				break;
			case SSH2_MSG_CHANNEL_REQUEST:
				b = msg("usc", ids[j], "shell", 1);
				break;
			default:
				b = msg("u", ids[j]);
				break;
			}
			ck_assert_int_eq(feed_buf(t, types[i], b),
			    SSH_ERR_PROTOCOL_ERROR);
		}
	}
	/* An open channel is no answer to an open of ours. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION, "uuuu",
	    0, 1, 1, 1), SSH_ERR_PROTOCOL_ERROR);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN_FAILURE, "uuss", 0, 1,
	    "", ""), SSH_ERR_PROTOCOL_ERROR);
	chan_table_free(t);
}
END_TEST

START_TEST(test_unsupported_msgtype)
{
	struct chan_table *t = table();

	ck_assert_int_eq(chan_handles(SSH2_MSG_CHANNEL_DATA), 1);
	ck_assert_int_eq(chan_handles(83), 0);
	ck_assert_int_eq(chan_handles(SSH2_MSG_KEXINIT), 0);
	ck_assert_int_eq(feed(t, 83, "u", 0), SSH_ERR_FEATURE_UNSUPPORTED);
	ck_assert_int_eq(feed(t, 101, ""), SSH_ERR_FEATURE_UNSUPPORTED);
	chan_table_free(t);
}
END_TEST

START_TEST(test_send_failure_propagates)
{
	struct chan_table *t = table();
	struct chan_event ev;
	size_t acc;
	uint32_t id;

	id = session(t, 1, 100, 100);
	send_fail = 1;
	ck_assert_int_eq(chan_write(t, id, 0, (const uint8_t *)"x", 1, &acc),
	    SSH_ERR_CONN_CLOSED);
	ck_assert_uint_eq(acc, 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usc", id, "zz",
	    1), SSH_ERR_CONN_CLOSED);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_OPEN, "suuu", "session",
	    2, 100, 100), 0);
	next_ev(t, &ev, CHAN_EV_OPEN);
	ck_assert_int_eq(chan_open_confirm(t, ev.id), SSH_ERR_CONN_CLOSED);
	chan_table_free(t);
}
END_TEST

/*
 * Every well-formed message, each against a fresh table in which it is
 * valid: channel 0 open (peer id 7) with a request of ours pending, our
 * channel 1 being opened, a global request of ours pending.
 */
struct wellformed {
	uint8_t type;
	struct buf *(*make)(void);
	int structured;	/* its end is known, so every prefix is invalid */
};

static struct buf *wf_open(void)
{ return msg("suuu", "session", 9, 100, 100); }
static struct buf *wf_open_conf(void)
{ return msg("uuuu", 1, 9, 100, 100); }
static struct buf *wf_open_fail(void)
{ return msg("uuss", 1, 2, "no", "en"); }
static struct buf *wf_winadj(void)
{ return msg("uu", 0, 10); }
static struct buf *wf_data(void)
{ return msg("ud", 0, "abc", (size_t)3); }
static struct buf *wf_ext(void)
{ return msg("uud", 0, 1, "abc", (size_t)3); }
static struct buf *wf_eof(void)
{ return msg("u", 0); }
static struct buf *wf_close(void)
{ return msg("u", 0); }
static struct buf *wf_exec(void)
{ return msg("uscs", 0, "exec", 1, "ls"); }
static struct buf *wf_shell(void)
{ return msg("usc", 0, "shell", 1); }
static struct buf *wf_env(void)
{ return msg("uscss", 0, "env", 0, "A", "b"); }
static struct buf *wf_pty(void)
{ return msg("uscsuuuus", 0, "pty-req", 1, "vt100", 80, 24, 0, 0, ""); }
static struct buf *wf_winch(void)
{ return msg("uscuuuu", 0, "window-change", 0, 1, 2, 3, 4); }
static struct buf *wf_signal(void)
{ return msg("uscs", 0, "signal", 0, "HUP"); }
static struct buf *wf_break(void)
{ return msg("uscu", 0, "break", 1, 100); }
static struct buf *wf_subsys(void)
{ return msg("uscs", 0, "subsystem", 1, "sftp"); }
static struct buf *wf_succ(void)
{ return msg("u", 0); }
static struct buf *wf_fail(void)
{ return msg("u", 0); }
static struct buf *wf_global(void)
{ return msg("sc", "no-more-sessions@openssh.com", 1); }
static struct buf *wf_rfail(void)
{ return msg(""); }

static const struct wellformed wellformed[] = {
	{ SSH2_MSG_CHANNEL_OPEN,		wf_open,	1 },
	{ SSH2_MSG_CHANNEL_OPEN_CONFIRMATION,	wf_open_conf,	1 },
	{ SSH2_MSG_CHANNEL_OPEN_FAILURE,	wf_open_fail,	1 },
	{ SSH2_MSG_CHANNEL_WINDOW_ADJUST,	wf_winadj,	1 },
	{ SSH2_MSG_CHANNEL_DATA,		wf_data,	1 },
	{ SSH2_MSG_CHANNEL_EXTENDED_DATA,	wf_ext,		1 },
	{ SSH2_MSG_CHANNEL_EOF,			wf_eof,		1 },
	{ SSH2_MSG_CHANNEL_CLOSE,		wf_close,	1 },
	{ SSH2_MSG_CHANNEL_REQUEST,		wf_exec,	1 },
	{ SSH2_MSG_CHANNEL_REQUEST,		wf_shell,	1 },
	{ SSH2_MSG_CHANNEL_REQUEST,		wf_env,		1 },
	{ SSH2_MSG_CHANNEL_REQUEST,		wf_pty,		1 },
	{ SSH2_MSG_CHANNEL_REQUEST,		wf_winch,	1 },
	{ SSH2_MSG_CHANNEL_REQUEST,		wf_signal,	1 },
	{ SSH2_MSG_CHANNEL_REQUEST,		wf_subsys,	1 },
	{ SSH2_MSG_CHANNEL_REQUEST,		wf_break,	1 },
	{ SSH2_MSG_CHANNEL_SUCCESS,		wf_succ,	1 },
	{ SSH2_MSG_CHANNEL_FAILURE,		wf_fail,	1 },
	{ SSH2_MSG_GLOBAL_REQUEST,		wf_global,	1 },
	{ SSH2_MSG_REQUEST_FAILURE,		wf_rfail,	1 },
};

static struct chan_table *
fixture(void)
{
	struct chan_table *t = table();
	uint32_t id;

	ck_assert_uint_eq(session(t, 7, 1000, 1000), 0);
	ck_assert_int_eq(chan_send_request(t, 0, "k", 1, NULL, 0), 0);
	ck_assert_int_eq(chan_open(t, "forwarded-tcpip", NULL, 0, &id), 0);
	ck_assert_uint_eq(id, 1);
	ck_assert_int_eq(chan_global_send(t, "k", 1, NULL, 0), 0);
	cap_reset();
	return t;
}

START_TEST(test_wellformed_accepted)
{
	struct chan_table *t;
	size_t i;

	for (i = 0; i < sizeof(wellformed) / sizeof(wellformed[0]); i++) {
		t = fixture();
		ck_assert_msg(feed_buf(t, wellformed[i].type,
		    wellformed[i].make()) == 0, "message %zu", i);
		chan_table_free(t);
	}
}
END_TEST

START_TEST(test_truncations)
{
	struct chan_table *t;
	struct buf *full, *b;
	size_t i, n;
	int r;

	for (i = 0; i < sizeof(wellformed) / sizeof(wellformed[0]); i++) {
		full = wellformed[i].make();
		for (n = 0; n < buf_len(full); n++) {
			t = fixture();
			ck_assert_ptr_nonnull(b = buf_new());
			ck_assert_int_eq(buf_put(b, buf_ptr(full), n), 0);
			r = feed_buf(t, wellformed[i].type, b);
			ck_assert_msg(r != 0, "message %zu cut at %zu accepted",
			    i, n);
			out_none();
			no_ev(t);
			chan_table_free(t);
		}
		buf_free(full);
	}
}
END_TEST

START_TEST(test_trailing_bytes)
{
	struct chan_table *t;
	struct buf *b;
	size_t i;

	for (i = 0; i < sizeof(wellformed) / sizeof(wellformed[0]); i++) {
		/* Channel open confirmations may carry type-specific data. */
		if (wellformed[i].type == SSH2_MSG_CHANNEL_OPEN_CONFIRMATION)
			continue;
		t = fixture();
		b = wellformed[i].make();
		ck_assert_int_eq(buf_put_u8(b, 0), 0);
		ck_assert_msg(feed_buf(t, wellformed[i].type, b) != 0,
		    "message %zu with a trailing byte accepted", i);
		out_none();
		no_ev(t);
		chan_table_free(t);
	}
}
END_TEST

/* The fuzz target's seeds and the inputs it found run clean (the target
 * aborts on a broken invariant). */
START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("channel", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
channel_suite(void)
{
	Suite *s = suite_create("channel");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_session_open_confirm);
	tcase_add_test(tc, test_open_fail_by_caller);
	tcase_add_test(tc, test_unconfirmed_id_rejected);
	tcase_add_test(tc, test_exec_request_in_order);
	tcase_add_test(tc, test_request_no_reply);
	tcase_add_test(tc, test_request_parsing);
	tcase_add_test(tc, test_unknown_request);
	tcase_add_test(tc, test_data_window_adjust);
	tcase_add_test(tc, test_data_ring_wraps);
	tcase_add_test(tc, test_data_over_window);
	tcase_add_test(tc, test_data_over_max_packet);
	tcase_add_test(tc, test_ext_data_discarded);
	tcase_add_test(tc, test_data_after_eof);
	tcase_add_test(tc, test_after_close);
	tcase_add_test(tc, test_write_window_and_packets);
	tcase_add_test(tc, test_write_chunk_cap);
	tcase_add_test(tc, test_eof_exit_close_order);
	tcase_add_test(tc, test_exit_signal);
	tcase_add_test(tc, test_peer_closes_first);
	tcase_add_test(tc, test_input_after_our_close);
	tcase_add_test(tc, test_unknown_channel_type);
	tcase_add_test(tc, test_registered_open_type);
	tcase_add_test(tc, test_channel_cap);
	tcase_add_test(tc, test_many_channels);
	tcase_add_test(tc, test_zero_max_packet_refused);
	tcase_add_test(tc, test_event_queue_cap);
	tcase_add_test(tc, test_request_queue_cap);
	tcase_add_test(tc, test_window_adjust_overflow);
	tcase_add_test(tc, test_keepalive_and_unknown_global);
	tcase_add_test(tc, test_global_registered_in_order);
	tcase_add_test(tc, test_no_more_sessions);
	tcase_add_test(tc, test_outbound_open);
	tcase_add_test(tc, test_our_requests);
	tcase_add_test(tc, test_our_requests_cap);
	tcase_add_test(tc, test_unknown_ids);
	tcase_add_test(tc, test_unsupported_msgtype);
	tcase_add_test(tc, test_send_failure_propagates);
	tcase_add_test(tc, test_wellformed_accepted);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_trailing_bytes);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(channel_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
