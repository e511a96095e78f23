/*
 * check_channel_request.c: channel and global requests both ways, and the
 * order of their replies.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/x11req.h"
#include "tests/unit/chantest.h"
#include "tests/unit/testutil.h"

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
	    "unknown@example.com", 1, 500), 0);
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
	    "unknown@example.com", 1, "anything", (size_t)8), 0);
	out_simple(SSH2_MSG_CHANNEL_FAILURE, 8);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usc", id,
	    "unknown@example.com", 0), 0);
	out_none();
	no_ev(t);
	chan_table_free(t);
}
END_TEST

/* OpenSSH PROTOCOL.agent: no data, the reply as the caller decides. */
START_TEST(test_agent_request)
{
	struct chan_table *t = table();
	struct chan_event ev;
	uint32_t id;

	id = session(t, 8, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usc", id,
	    "auth-agent-req@openssh.com", 1), 0);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usc", id,
	    "auth-agent-req@openssh.com", 0), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_AGENT);
	ck_assert_int_eq(ev.want_reply, 1);
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	out_simple(SSH2_MSG_CHANNEL_SUCCESS, 8);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_AGENT);
	ck_assert_int_eq(ev.want_reply, 0);
	ck_assert_int_eq(chan_request_reply(t, id, 0), 0);
	out_none();
	/* Anything after the name is malformed. */
	ck_assert_int_ne(feed(t, SSH2_MSG_CHANNEL_REQUEST, "uscu", id,
	    "auth-agent-req@openssh.com", 1, 7), 0);
	chan_table_free(t);
}
END_TEST

/* x11-req: exactly its four fields, the strings as they came (checking
 * them is x11req_check's). */
START_TEST(test_x11_request)
{
	struct chan_table *t = table();
	struct chan_event ev;
	uint32_t id;

	id = session(t, 3, 1000, 1000);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usccssu", id,
	    "x11-req", 1, 1, "MIT-MAGIC-COOKIE-1", "00ff", 2), 0);
	next_ev(t, &ev, CHAN_EV_REQUEST);
	ck_assert_int_eq(ev.req.type, CHAN_REQ_X11);
	ck_assert_int_eq(ev.req.x11.single, 1);
	ck_assert_str_eq(ev.req.x11.proto, "MIT-MAGIC-COOKIE-1");
	ck_assert_str_eq(ev.req.x11.cookie, "00ff");
	ck_assert_uint_eq(ev.req.x11.screen, 2);
	ck_assert_int_eq(chan_request_reply(t, id, 1), 0);
	out_simple(SSH2_MSG_CHANNEL_SUCCESS, 3);
	/* Short, long, or a NUL inside: the connection's end. */
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usccs", id,
	    "x11-req", 1, 0, "MIT-MAGIC-COOKIE-1"), SSH_ERR_MESSAGE_INCOMPLETE);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usccssuc", id,
	    "x11-req", 1, 0, "p", "00", 0, 7),
	    SSH_ERR_UNEXPECTED_TRAILING_DATA);
	ck_assert_int_eq(feed(t, SSH2_MSG_CHANNEL_REQUEST, "usccsdu", id,
	    "x11-req", 1, 0, "p", "00\0" "11", (size_t)5, 0),
	    SSH_ERR_INVALID_FORMAT);
	chan_table_free(t);
}
END_TEST

START_TEST(test_x11_check)
{
	char big[X11REQ_COOKIE_MAX + 3];

	ck_assert_ptr_null(x11req_check("MIT-MAGIC-COOKIE-1",
	    "00112233445566778899aabbccddeeff", 0));
	ck_assert_ptr_null(x11req_check("XDM-AUTHORIZATION-1", "ABCDEF",
	    X11REQ_SCREEN_MAX));
	ck_assert_ptr_nonnull(x11req_check("", "00", 0));
	ck_assert_ptr_nonnull(x11req_check("MIT MAGIC", "00", 0));
	ck_assert_ptr_nonnull(x11req_check("a\nadd", "00", 0));
	ck_assert_ptr_nonnull(x11req_check("p", "", 0));
	ck_assert_ptr_nonnull(x11req_check("p", "abc", 0));
	ck_assert_ptr_nonnull(x11req_check("p", "zz", 0));
	ck_assert_ptr_nonnull(x11req_check("p", "00 11", 0));
	ck_assert_ptr_nonnull(x11req_check("p", "00", X11REQ_SCREEN_MAX + 1));
	memset(big, 'a', sizeof(big));
	big[X11REQ_COOKIE_MAX] = '\0';
	ck_assert_ptr_null(x11req_check("p", big, 0));
	big[X11REQ_COOKIE_MAX] = 'a';
	big[X11REQ_COOKIE_MAX + 2] = '\0';
	ck_assert_ptr_nonnull(x11req_check("p", big, 0));
	memset(big, 'p', X11REQ_PROTO_MAX + 1);
	big[X11REQ_PROTO_MAX + 1] = '\0';
	ck_assert_ptr_nonnull(x11req_check(big, "00", 0));
	big[X11REQ_PROTO_MAX] = '\0';
	ck_assert_ptr_null(x11req_check(big, "00", 0));
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

static Suite *
channel_request_suite(void)
{
	Suite *s = suite_create("channel_request");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_exec_request_in_order);
	tcase_add_test(tc, test_request_no_reply);
	tcase_add_test(tc, test_request_parsing);
	tcase_add_test(tc, test_unknown_request);
	tcase_add_test(tc, test_agent_request);
	tcase_add_test(tc, test_x11_request);
	tcase_add_test(tc, test_x11_check);
	tcase_add_test(tc, test_exit_signal);
	tcase_add_test(tc, test_request_queue_cap);
	tcase_add_test(tc, test_keepalive_and_unknown_global);
	tcase_add_test(tc, test_global_registered_in_order);
	tcase_add_test(tc, test_no_more_sessions);
	tcase_add_test(tc, test_our_requests);
	tcase_add_test(tc, test_our_requests_cap);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(channel_request_suite());
}
