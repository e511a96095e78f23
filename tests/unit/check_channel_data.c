/*
 * check_channel_data.c: channel data and windows: the input ring,
 * WINDOW_ADJUST both ways, writes split by window and packet size.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "tests/unit/chantest.h"
#include "tests/unit/testutil.h"

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

static Suite *
channel_data_suite(void)
{
	Suite *s = suite_create("channel_data");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_data_window_adjust);
	tcase_add_test(tc, test_data_ring_wraps);
	tcase_add_test(tc, test_data_over_window);
	tcase_add_test(tc, test_data_over_max_packet);
	tcase_add_test(tc, test_ext_data_discarded);
	tcase_add_test(tc, test_data_after_eof);
	tcase_add_test(tc, test_write_window_and_packets);
	tcase_add_test(tc, test_write_chunk_cap);
	tcase_add_test(tc, test_window_adjust_overflow);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(channel_data_suite());
}
