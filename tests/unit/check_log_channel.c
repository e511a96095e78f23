/* check_log_channel.c: child log lines, and the monitor's checks on them. */
#include <sys/types.h>
#include <sys/socket.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"
#include "common/tokens.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/log_channel.h"
#include "protocol/escape.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

static char text[LOGCH_ESCAPED_MAX];

/* A LOG payload built by hand, for input the child side would not make. */
static struct buf *
raw_payload(uint32_t level, const void *s, size_t len)
{
	struct buf *b = buf_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_put_u32(b, level), 0);
	ck_assert_int_eq(buf_put_string(b, s, len), 0);
	return b;
}

START_TEST(test_roundtrip_levels)
{
	static const int levels[] = {
		LOG_LVL_ERROR, LOG_LVL_INFO, LOG_LVL_VERBOSE, LOG_LVL_DEBUG
	};
	struct buf *b = buf_new();
	int level;

	ck_assert_int_eq(logch_format(b, levels[_i], "kex done"), 0);
	ck_assert_int_eq(logch_parse(b, &level, text, sizeof(text)), 0);
	ck_assert_int_eq(level, levels[_i]);
	ck_assert_str_eq(text, "kex done");
	/* The payload is left as it was. */
	ck_assert_uint_eq(buf_len(b), 4 + 4 + 8);
	buf_free(b);
}
END_TEST

START_TEST(test_escaping)
{
	static const char raw[] = "a\nb\\c\001\177\377\r\033[2J end";
	struct buf *b = raw_payload(LOG_LVL_INFO, raw, sizeof(raw) - 1);
	int level;

	ck_assert_int_eq(logch_parse(b, &level, text, sizeof(text)), 0);
	ck_assert_str_eq(text,
	    "a\\012b\\\\c\\001\\177\\377\\015\\033[2J end");
	buf_free(b);
}
END_TEST

START_TEST(test_embedded_nul_escaped)
{
	struct buf *b = raw_payload(LOG_LVL_INFO, "x\0y", 3);

	ck_assert_int_eq(logch_parse(b, NULL, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "x\\000y");
	buf_free(b);
}
END_TEST

/* The worst case fits LOGCH_ESCAPED_MAX. */
START_TEST(test_all_escaped_max_length)
{
	uint8_t raw[IPC_LOG_TEXT_MAX];
	struct buf *b;

	memset(raw, 0xff, sizeof(raw));
	b = raw_payload(LOG_LVL_INFO, raw, sizeof(raw));
	ck_assert_int_eq(logch_parse(b, NULL, text, sizeof(text)), 0);
	ck_assert_uint_eq(strlen(text), 4 * IPC_LOG_TEXT_MAX);
	buf_free(b);
}
END_TEST

/* A small output cuts at a whole escape. */
START_TEST(test_small_output_cut_whole)
{
	char small[6];

	str_escape(small, sizeof(small), (const uint8_t *)"ab\001cd", 5);
	ck_assert_str_eq(small, "ab");
	str_escape(small, sizeof(small), (const uint8_t *)"abcd\\x", 6);
	ck_assert_str_eq(small, "abcd");
	str_escape(small, 1, (const uint8_t *)"abc", 3);
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(test_unknown_level)
{
	static const uint32_t bad[] = { LOG_LVL_DEBUG + 1, 100, 0x80000000,
	    0xffffffff };
	struct buf *b = raw_payload(bad[_i], "x", 1);
	int level = 0;

	ck_assert_int_eq(logch_parse(b, &level, text, sizeof(text)),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(level, -1);
	buf_free(b);
}
END_TEST

START_TEST(test_text_at_and_over_limit)
{
	char raw[IPC_LOG_TEXT_MAX + 1];
	struct buf *b;

	memset(raw, 'a', sizeof(raw));
	b = raw_payload(LOG_LVL_INFO, raw, IPC_LOG_TEXT_MAX);
	ck_assert_int_eq(logch_parse(b, NULL, text, sizeof(text)), 0);
	ck_assert_uint_eq(strlen(text), IPC_LOG_TEXT_MAX);
	buf_free(b);
	b = raw_payload(LOG_LVL_INFO, raw, IPC_LOG_TEXT_MAX + 1);
	ck_assert_int_eq(logch_parse(b, NULL, text, sizeof(text)),
	    SSH_ERR_STRING_TOO_LARGE);
	buf_free(b);
}
END_TEST

START_TEST(test_trailing_byte)
{
	struct buf *b = raw_payload(LOG_LVL_INFO, "x", 1);

	ck_assert_int_eq(buf_put_u8(b, 0), 0);
	ck_assert_int_eq(logch_parse(b, NULL, text, sizeof(text)),
	    SSH_ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(b);
}
END_TEST

/* Every cut of a valid payload is refused. */
START_TEST(test_truncated)
{
	struct buf *full = raw_payload(LOG_LVL_INFO, "hello", 5), *b;
	size_t cut;

	for (cut = 0; cut < buf_len(full); cut++) {
		ck_assert_ptr_nonnull(b = buf_new());
		ck_assert_int_eq(buf_put(b, buf_ptr(full), cut), 0);
		ck_assert_int_ne(logch_parse(b, NULL, text, sizeof(text)), 0);
		buf_free(b);
	}
	buf_free(full);
}
END_TEST

START_TEST(test_format_cuts_long_text)
{
	char *raw = malloc(IPC_LOG_TEXT_MAX + 100);
	struct buf *b = buf_new();

	ck_assert_ptr_nonnull(raw);
	memset(raw, 'z', IPC_LOG_TEXT_MAX + 99);
	raw[IPC_LOG_TEXT_MAX + 99] = '\0';
	ck_assert_int_eq(logch_format(b, LOG_LVL_DEBUG, raw), 0);
	ck_assert_uint_eq(buf_len(b), 4 + 4 + IPC_LOG_TEXT_MAX);
	ck_assert_int_eq(logch_parse(b, NULL, text, sizeof(text)), 0);
	buf_free(b);
	free(raw);
}
END_TEST

START_TEST(test_format_bad_arguments)
{
	struct buf *b = buf_new();

	ck_assert_int_eq(logch_format(b, -1, "x"), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(logch_format(b, LOG_LVL_DEBUG + 1, "x"),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(logch_format(b, LOG_LVL_INFO, NULL),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(buf_len(b), 0);
	buf_free(b);
}
END_TEST

/* Child and monitor ends over a real socketpair. */
static struct ipc *child, *monitor;
static struct ipc_state st;

static void
setup_pair(void)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_ptr_nonnull(child = ipc_new(sv[0]));
	ck_assert_ptr_nonnull(monitor = ipc_new(sv[1]));
	ipc_state_init(&st, 1);
}

static void
teardown_pair(void)
{
	ipc_free(child);
	ipc_free(monitor);
}

START_TEST(test_send_recv)
{
	int level;

	ck_assert_int_eq(logch_send(child, LOG_LVL_VERBOSE, "user %s: %d\n",
	    "bob", 3), 0);
	ck_assert_int_eq(logch_recv(monitor, &st, &level, text, sizeof(text)),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	ck_assert_int_eq(ipc_read(monitor), 0);
	ck_assert_int_eq(logch_recv(monitor, &st, &level, text, sizeof(text)),
	    0);
	ck_assert_int_eq(level, LOG_LVL_VERBOSE);
	ck_assert_str_eq(text, "user bob: 3\\012");
}
END_TEST

START_TEST(test_send_cuts_long_line)
{
	char *arg = malloc(IPC_LOG_TEXT_MAX * 2);

	ck_assert_ptr_nonnull(arg);
	memset(arg, 'q', IPC_LOG_TEXT_MAX * 2 - 1);
	arg[IPC_LOG_TEXT_MAX * 2 - 1] = '\0';
	ck_assert_int_eq(logch_send(child, LOG_LVL_INFO, "%s", arg), 0);
	ck_assert_int_eq(ipc_read(monitor), 0);
	ck_assert_int_eq(logch_recv(monitor, &st, NULL, text, sizeof(text)), 0);
	ck_assert_uint_eq(strlen(text), IPC_LOG_TEXT_MAX);
	free(arg);
}
END_TEST

/* Only LOG travels on the log channel. */
START_TEST(test_other_type_refused)
{
	struct buf *b = raw_payload(LOG_LVL_INFO, "x", 1);

	ck_assert_int_eq(ipc_queue(child, IPC_MSG_SIGN, b, -1), 0);
	ck_assert_int_eq(ipc_flush(child), 0);
	ck_assert_int_eq(ipc_read(monitor), 0);
	ck_assert_int_eq(logch_recv(monitor, &st, NULL, text, sizeof(text)),
	    SSH_ERR_STATE_VIOLATION);
	buf_free(b);
}
END_TEST

START_TEST(test_fd_refused)
{
	struct buf *b = raw_payload(LOG_LVL_INFO, "x", 1);
	int p[2];
	char c;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(ipc_queue(child, IPC_MSG_LOG, b, p[1]), 0);
	ck_assert_int_eq(ipc_flush(child), 0);
	ck_assert_int_eq(ipc_read(monitor), 0);
	ck_assert_int_eq(logch_recv(monitor, &st, NULL, text, sizeof(text)),
	    SSH_ERR_STATE_VIOLATION);
	/* And the fd was not kept. */
	ck_assert_int_eq(read(p[0], &c, 1), 0);
	close(p[0]);
	buf_free(b);
}
END_TEST

/* The catalogue's cap for LOG is the framing-level cap of a valid line. */
START_TEST(test_oversized_log_message_refused)
{
	char raw[IPC_LOG_TEXT_MAX + 1];
	struct buf *b;

	memset(raw, 'a', sizeof(raw));
	b = raw_payload(LOG_LVL_INFO, raw, sizeof(raw));
	ck_assert_int_eq(ipc_queue(child, IPC_MSG_LOG, b, -1), 0);
	ck_assert_int_eq(ipc_flush(child), 0);
	ck_assert_int_eq(ipc_read(monitor), 0);
	ck_assert_int_eq(logch_recv(monitor, &st, NULL, text, sizeof(text)),
	    SSH_ERR_LIMIT_EXCEEDED);
	buf_free(b);
}
END_TEST

/* A full queue drops the line rather than blocking the child. */
START_TEST(test_send_queue_full)
{
	/* One byte short of header, level and a 4-byte string. */
	ipc_set_max_queued(child, 8 + 4 + 4 + 3, 0);
	ck_assert_int_eq(logch_send(child, LOG_LVL_INFO, "abcd"),
	    SSH_ERR_NO_BUFFER_SPACE);
}
END_TEST

/* The monitor's rate for child lines (common/tokens.h): the burst, then
 * per_sec, never more than the burst after a long quiet. */
START_TEST(test_rate_limit)
{
	struct tokens t;
	int i, n;

	tokens_init(&t, 200, 20, 1000);
	for (n = 0; tokens_take(&t, 1000); n++)
		ck_assert_int_le(n, 200);
	ck_assert_int_eq(n, 200);
	/* Half a second: ten more. */
	for (n = 0; tokens_take(&t, 1500); n++)
		ck_assert_int_le(n, 10);
	ck_assert_int_eq(n, 10);
	/* A clock that goes nowhere (or back) gives nothing. */
	ck_assert_int_eq(tokens_take(&t, 1500), 0);
	ck_assert_int_eq(tokens_take(&t, 900), 0);
	/* An hour later: the burst again, not 72000. */
	for (n = 0, i = 0; i < 1000 && tokens_take(&t, 3601500); i++)
		n++;
	ck_assert_int_eq(n, 200);
}
END_TEST

static Suite *
log_channel_suite(void)
{
	Suite *s = suite_create("log_channel");
	TCase *tc;

	tc = tcase_create("payload");
	tcase_add_loop_test(tc, test_roundtrip_levels, 0, 4);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_embedded_nul_escaped);
	tcase_add_test(tc, test_all_escaped_max_length);
	tcase_add_test(tc, test_small_output_cut_whole);
	tcase_add_loop_test(tc, test_unknown_level, 0, 4);
	tcase_add_test(tc, test_text_at_and_over_limit);
	tcase_add_test(tc, test_trailing_byte);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_format_cuts_long_text);
	tcase_add_test(tc, test_format_bad_arguments);
	tcase_add_test(tc, test_rate_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("channel");
	tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
	tcase_add_test(tc, test_send_recv);
	tcase_add_test(tc, test_send_cuts_long_line);
	tcase_add_test(tc, test_other_type_refused);
	tcase_add_test(tc, test_fd_refused);
	tcase_add_test(tc, test_oversized_log_message_refused);
	tcase_add_test(tc, test_send_queue_full);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(log_channel_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
