/* chantest.c: the harness of the channel-layer tests: a send callback
 * that captures what the layer sends, builders of peer messages, and the
 * table fixture (chantest.h). */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "tests/unit/chantest.h"

/* --- what the layer sends, captured in order --- */

#define CAP_MAX	512
static struct buf *cap[CAP_MAX];
static size_t cap_head;
size_t cap_n;
int send_fail;		/* make the send callback fail */

int
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

void
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
struct buf *
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

void
out_none(void)
{
	ck_assert_uint_eq(cap_n, 0);
}

void
out_end(struct buf *b)
{
	ck_assert_int_eq(buf_expect_end(b), 0);
	buf_free(b);
}

uint32_t
get32(struct buf *b)
{
	uint32_t v;

	ck_assert_int_eq(buf_get_u32(b, &v), 0);
	return v;
}

uint8_t
get8(struct buf *b)
{
	uint8_t v;

	ck_assert_int_eq(buf_get_u8(b, &v), 0);
	return v;
}

void
getstr(struct buf *b, const char *want)
{
	char *s;

	ck_assert_int_eq(buf_get_cstring(b, &s, NULL), 0);
	ck_assert_str_eq(s, want);
	free(s);
}

/* A message sent with only the peer's channel id. */
void
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
struct buf *
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

struct buf *
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
int
feed_buf(struct chan_table *t, uint8_t type, struct buf *b)
{
	int r = chan_input(t, type, b);

	if (r == 0)
		ck_assert_uint_eq(buf_len(b), 0);
	buf_free(b);
	return r;
}

int
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

struct chan_limits lim;

struct chan_table *
table(void)
{
	struct chan_table *t;

	cap_reset();
	ck_assert_ptr_nonnull(t = chan_table_new(&lim, cap_send, &cap_n));
	return t;
}

void
setup(void)
{
	chan_limits_default(&lim);
}

void
teardown(void)
{
	cap_reset();
}

void
next_ev(struct chan_table *t, struct chan_event *ev, enum chan_ev_type type)
{
	ck_assert_int_eq(chan_next_event(t, ev), 0);
	ck_assert_int_eq(ev->type, type);
}

void
no_ev(struct chan_table *t)
{
	struct chan_event ev;

	ck_assert_int_eq(chan_next_event(t, &ev), 0);
	ck_assert_int_eq(ev.type, CHAN_EV_NONE);
}

/* Opens a session for the peer's id remote with the peer's window and
 * max packet, confirms it and returns our id. */
uint32_t
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
