/*
 * check_channel_malformed.c: every well-formed channel message, cut short or
 * with a trailing byte, and the fuzz corpus.
 */
#include <check.h>
#include <stdint.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "tests/unit/chantest.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_channel.c, linked in: its corpus is replayed below. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
channel_malformed_suite(void)
{
	Suite *s = suite_create("channel_malformed");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
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
	return tu_run(channel_malformed_suite());
}
