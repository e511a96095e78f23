/*
 * check_channel.c: the channel table: opening, closing, caps, ids and send
 * failures.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "tests/unit/chantest.h"
#include "tests/unit/testutil.h"

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
	tcase_add_test(tc, test_after_close);
	tcase_add_test(tc, test_eof_exit_close_order);
	tcase_add_test(tc, test_peer_closes_first);
	tcase_add_test(tc, test_input_after_our_close);
	tcase_add_test(tc, test_unknown_channel_type);
	tcase_add_test(tc, test_registered_open_type);
	tcase_add_test(tc, test_channel_cap);
	tcase_add_test(tc, test_many_channels);
	tcase_add_test(tc, test_zero_max_packet_refused);
	tcase_add_test(tc, test_event_queue_cap);
	tcase_add_test(tc, test_outbound_open);
	tcase_add_test(tc, test_unknown_ids);
	tcase_add_test(tc, test_unsupported_msgtype);
	tcase_add_test(tc, test_send_failure_propagates);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(channel_suite());
}
