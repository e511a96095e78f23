/*
 * check_monitor_hostile.c: the monitor against a protocol child that
 * breaks the rules of the IPC protocol (tests/unit/hostile.h): framing,
 * direction, phase, fds, host-key signatures and the log channel.  The
 * monitor must end the connection with OUTCOME_VIOLATION (not crash: this
 * also runs under ASan/UBSan), and must never answer the bad request.
 * check_monitor_hostile_auth.c has the authentication rules.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/outcome.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "tests/unit/hostile.h"
#include "tests/unit/testutil.h"

/* privsep/monitor_local.h's MON_SIGN_BURST */
#define SIGN_BURST	100


static void
type_none(struct hostile *h)
{
	send_header(h, IPC_MSG_NONE, 0);
}

static void
type_max(struct hostile *h)
{
	send_header(h, IPC_MSG_MAX, 0);
}

static void
type_huge(struct hostile *h)
{
	send_msg(h, 0xffffffffU, good_sign(), -1);
}

static void
wrong_direction_sign_reply(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN_REPLY, strings(1, "signature"), -1);
}

static void
wrong_direction_config(struct hostile *h)
{
	send_msg(h, IPC_MSG_CONFIG, strings(1, "config"), -1);
}

static void
wrong_direction_auth_reply(struct hostile *h)
{
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, IPC_AUTH_SUCCESS), 0);
	ck_assert_int_eq(buf_put_cstring(b, ""), 0);
	send_msg(h, IPC_MSG_AUTH_REPLY, b, -1);
}

static void
log_on_ipc_channel(struct hostile *h)
{
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, LOG_LVL_ERROR), 0);
	ck_assert_int_eq(buf_put_cstring(b, "hello"), 0);
	send_msg(h, IPC_MSG_LOG, b, -1);
}

static void
length_over_ipc_max(struct hostile *h)
{
	send_header(h, IPC_MSG_SIGN, IPC_MAX_PAYLOAD + 1);
}

static void
length_over_type_max(struct hostile *h)
{
	size_t max = ipc_msgdef(IPC_MSG_SIGN)->md_max_len;
	struct buf *b;
	uint8_t *p;

	ck_assert_uint_lt(max, IPC_MAX_PAYLOAD);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_reserve(b, max + 1, &p), 0);
	memset(p, 0, max + 1);
	send_msg(h, IPC_MSG_SIGN, b, -1);
}

static void
truncated_frame(struct hostile *h)
{
	static const uint8_t part[10];

	/* Promises 100 bytes, sends 10 and closes. */
	send_header(h, IPC_MSG_SIGN, 100);
	send_raw(h, part, sizeof(part));
	ck_assert_int_eq(shutdown(ipc_fd(h->ipc), SHUT_WR), 0);
}

static void
truncated_payload(struct hostile *h)
{
	struct buf *b = good_sign();

	ck_assert_int_eq(buf_consume_end(b, 1), 0);
	send_msg(h, IPC_MSG_SIGN, b, -1);
}

static void
trailing_bytes(struct hostile *h)
{
	struct buf *b = good_sign();

	ck_assert_int_eq(buf_put_u8(b, 0), 0);
	send_msg(h, IPC_MSG_SIGN, b, -1);
}

static void
auth_pubkey_first(struct hostile *h)
{
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query(), -1);
}

static void
auth_password_first(struct hostile *h)
{
	send_msg(h, IPC_MSG_AUTH_PASSWORD,
	    strings(3, "root", "ssh-connection", "secret"), -1);
}

static void
auth_password_change_first(struct hostile *h)
{
	send_msg(h, IPC_MSG_AUTH_PASSWORD_CHANGE,
	    strings(4, "root", "ssh-connection", "old", "new"), -1);
}

static void
auth_kbdint_first(struct hostile *h)
{
	struct buf *b = strings(2, "root", "ssh-connection");

	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	send_msg(h, IPC_MSG_AUTH_KBDINT, b, -1);
}

static void
spawn_preauth(struct hostile *h)
{
	struct buf *b;

	sign_ok(h);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, 1), 0);
	ck_assert_int_eq(buf_put_cstring(b, "id"), 0);
	send_msg(h, IPC_MSG_SPAWN_EXEC, b, -1);
}

static struct buf *
agent_listen_payload(int trailing)
{
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, 0x80000000), 0);
	if (trailing)
		ck_assert_int_eq(buf_put_u8(b, 0), 0);
	return b;
}

static void
agent_preauth(struct hostile *h)
{
	sign_ok(h);
	send_msg(h, IPC_MSG_AGENT_LISTEN, agent_listen_payload(0), -1);
}

static void
agent_trailing(struct hostile *h)
{
	login(h);
	send_msg(h, IPC_MSG_AGENT_LISTEN, agent_listen_payload(1), -1);
}

/* X11: what the child must have checked, checked again. */
static struct buf *
x11_req_payload(uint32_t tag, const char *proto, const char *cookie)
{
	struct ipc_x11_req q = { tag, 0, proto, cookie, 0 };
	struct buf *b;

	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(ipc_enc_x11_req(b, &q), 0);
	return b;
}

static void
x11_bad_cookie(struct hostile *h)
{
	login(h);
	send_msg(h, IPC_MSG_X11_REQ, x11_req_payload(1, "MIT-MAGIC-COOKIE-1",
	    "0g"), -1);
}

static void
x11_bad_proto(struct hostile *h)
{
	login(h);
	send_msg(h, IPC_MSG_X11_REQ, x11_req_payload(1, "MIT\nadd", "00"), -1);
}

static void
x11_tag_of_a_display(struct hostile *h)
{
	login(h);
	send_msg(h, IPC_MSG_X11_REQ, x11_req_payload(IPC_FWD_X11_TAG | 1,
	    "MIT-MAGIC-COOKIE-1", "00"), -1);
}

static void
spawn_x11_never_granted(struct hostile *h)
{
	struct ipc_spawn_exec q = { 1, IPC_SPAWN_SHELL, "", 0, 1, { 0, NULL } };
	struct buf *b;

	login(h);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(ipc_enc_spawn_exec(b, &q), 0);
	send_msg(h, IPC_MSG_SPAWN_EXEC, b, -1);
}

static void
sign_twice(struct hostile *h)
{
	sign_ok(h);
	send_msg(h, IPC_MSG_SIGN, good_sign(), -1);
}

static void
sign_bad_index(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(1, "ssh-ed25519", 32), -1);
}

static void
sign_huge_index(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(0xffffffffU, "ssh-ed25519",
	    32), -1);
}

static void
sign_sha1_length(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(0, "ssh-ed25519", 20), -1);
}

static void
sign_odd_length(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(0, "ssh-ed25519", 33), -1);
}

static void
sign_wrong_alg(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_payload(0, "rsa-sha2-512", 32), -1);
}

static void
sign_unknown_kex(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "diffie-hellman-group1-sha1", 20), -1);
}

static void
sign_kex_not_configured(struct hostile *h)
{
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "ecdh-sha2-nistp256", 32), -1);
}

static void
sign_kex_wrong_length(struct hostile *h)
{
	/* A SHA-512 length for a SHA-256 method. */
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "curve25519-sha256", 64), -1);
}

static void
rekey_other_key(struct hostile *h)
{
	login(h);
	send_msg(h, IPC_MSG_SIGN, sign_payload(1, "rsa-sha2-512", 32), -1);
}

static void
rekey_other_alg(struct hostile *h)
{
	login_with(h, 1, "rsa-sha2-512");
	send_msg(h, IPC_MSG_SIGN, sign_payload(1, "rsa-sha2-256", 32), -1);
}

static void
rekey_other_kex_length(struct hostile *h)
{
	login(h);
	send_msg(h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "ecdh-sha2-nistp384", 32), -1);
}

static void
prove_preauth(struct hostile *h)
{
	struct buf *b;

	sign_ok(h);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, 1), 0);
	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	send_msg(h, IPC_MSG_HOSTKEYS_PROVE, b, -1);
}

static void
fd_on_sign(struct hostile *h)
{
	int fd;

	ck_assert_int_ge(fd = open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
	send_msg(h, IPC_MSG_SIGN, good_sign(), fd);
}

static void
fd_on_auth_password(struct hostile *h)
{
	int fd;

	sign_ok(h);
	ck_assert_int_ge(fd = open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
	send_msg(h, IPC_MSG_AUTH_PASSWORD,
	    strings(3, "root", "ssh-connection", "secret"), fd);
}

static void
log_length_over_max(struct hostile *h)
{
	uint8_t hdr[IPC_HEADER_LEN] = { 0, 0, 0, IPC_MSG_LOG, 0xff, 0xff,
	    0xff, 0xff };

	ck_assert_int_eq(write(h->log, hdr, sizeof(hdr)), (ssize_t)sizeof(hdr));
}

static void
log_wrong_type(struct hostile *h)
{
	struct ipc *l;

	ck_assert_ptr_nonnull(l = ipc_new(h->log));
	h->log = -1;
	ck_assert_int_eq(ipc_send_wait(l, IPC_MSG_SIGN, NULL, -1, WAIT_MS), 0);
	ipc_free(l);
}

/* nanosshctl's messages: a PING_RESULT belongs to a session. */
static void
ping_result_preauth(struct hostile *h)
{
	struct buf *b;

	sign_ok(h);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(buf_put_u32(b, 1), 0);
	ck_assert_int_eq(buf_put_u32(b, 2), 0);
	send_msg(h, IPC_MSG_PING_RESULT, b, -1);
}

static void
conn_info_cut_short(struct hostile *h)
{
	send_msg(h, IPC_MSG_CONN_INFO, strings(2, "curve25519-sha256",
	    "ssh-ed25519"), -1);
}

static const struct hostile_scenario scenarios[] = {
	{ "type 0 (NONE)", type_none, HOSTILE_NOTHING },
	{ "type IPC_MSG_MAX", type_max, HOSTILE_NOTHING },
	{ "type 0xffffffff", type_huge, HOSTILE_NOTHING },
	{ "SIGN_REPLY to the monitor", wrong_direction_sign_reply, HOSTILE_NOTHING },
	{ "CONFIG to the monitor", wrong_direction_config, HOSTILE_NOTHING },
	{ "AUTH_REPLY to the monitor", wrong_direction_auth_reply, HOSTILE_NOTHING },
	{ "LOG on the IPC channel", log_on_ipc_channel, HOSTILE_NOTHING },
	{ "length over IPC_MAX_PAYLOAD", length_over_ipc_max, HOSTILE_NOTHING },
	{ "length over SIGN's maximum", length_over_type_max, HOSTILE_NOTHING },
	{ "frame cut short", truncated_frame, HOSTILE_NOTHING },
	{ "SIGN payload cut short", truncated_payload, HOSTILE_NOTHING },
	{ "SIGN with trailing bytes", trailing_bytes, HOSTILE_NOTHING },
	{ "AUTH_PUBKEY before the key exchange", auth_pubkey_first, HOSTILE_NOTHING },
	{ "AUTH_PASSWORD before the key exchange", auth_password_first, HOSTILE_NOTHING },
	{ "AUTH_PASSWORD_CHANGE before the key exchange",
	    auth_password_change_first, HOSTILE_NOTHING },
	{ "AUTH_KBDINT before the key exchange", auth_kbdint_first, HOSTILE_NOTHING },
	{ "SPAWN_EXEC before authentication", spawn_preauth, HOSTILE_SIGNED },
	{ "SIGN twice before authentication", sign_twice, HOSTILE_SIGNED },
	{ "SIGN host key index 1 of 1", sign_bad_index, HOSTILE_NOTHING },
	{ "SIGN host key index 0xffffffff", sign_huge_index, HOSTILE_NOTHING },
	{ "SIGN of a 20-byte hash", sign_sha1_length, HOSTILE_NOTHING },
	{ "SIGN of a 33-byte hash", sign_odd_length, HOSTILE_NOTHING },
	{ "SIGN with another key type's algorithm", sign_wrong_alg, HOSTILE_NOTHING },
	{ "SIGN for an unknown method", sign_unknown_kex, HOSTILE_NOTHING },
	{ "SIGN for a method not configured", sign_kex_not_configured, HOSTILE_NOTHING },
	{ "SIGN of a 64-byte hash for curve25519-sha256",
	    sign_kex_wrong_length, HOSTILE_NOTHING },
	{ "SIGN after authentication with another host key",
	    rekey_other_key, HOSTILE_LOGGED_IN },
	{ "SIGN after authentication with another algorithm",
	    rekey_other_alg, HOSTILE_LOGGED_IN },
	{ "SIGN after authentication of a 32-byte hash for nistp384",
	    rekey_other_kex_length, HOSTILE_LOGGED_IN },
	{ "HOSTKEYS_PROVE before authentication", prove_preauth, HOSTILE_SIGNED },
	{ "AGENT_LISTEN before authentication", agent_preauth, HOSTILE_SIGNED },
	{ "AGENT_LISTEN with trailing bytes", agent_trailing,
	    HOSTILE_LOGGED_IN },
	{ "X11_REQ with a cookie of non-hex digits", x11_bad_cookie,
	    HOSTILE_LOGGED_IN },
	{ "X11_REQ with a newline in the protocol", x11_bad_proto,
	    HOSTILE_LOGGED_IN },
	{ "X11_REQ with a display's tag", x11_tag_of_a_display,
	    HOSTILE_LOGGED_IN },
	{ "SPAWN_EXEC on an X11 display never granted",
	    spawn_x11_never_granted, HOSTILE_LOGGED_IN },
	{ "an fd with SIGN", fd_on_sign, HOSTILE_NOTHING },
	{ "an fd with AUTH_PASSWORD", fd_on_auth_password, HOSTILE_SIGNED },
	{ "a log frame over IPC_MAX_PAYLOAD", log_length_over_max, HOSTILE_NOTHING },
	{ "SIGN on the log channel", log_wrong_type, HOSTILE_NOTHING },
	{ "PING_RESULT before authentication", ping_result_preauth,
	    HOSTILE_SIGNED },
	{ "CONN_INFO cut short", conn_info_cut_short, HOSTILE_NOTHING },
};
#define NSCENARIOS	(sizeof(scenarios) / sizeof(scenarios[0]))

START_TEST(test_hostile)
{
	hostile_check_violation(&scenarios[_i]);
}
END_TEST

/* Rekeys after authentication: with the first exchange's key and
 * algorithm, of any configured method's length, answered, up to a burst;
 * a burst beyond the rate is a violation. */
START_TEST(test_rekey_rate)
{
	struct buf *b, *payload;
	struct hostile h;
	uint32_t type;
	int status, r, fd, replies = 0, i;

	hostile_start(&h);
	login(&h);
	/* A rekey that picked another configured method is fine. */
	send_msg(&h, IPC_MSG_SIGN, sign_kex_payload(0, "ssh-ed25519",
	    "ecdh-sha2-nistp384", 48), -1);
	recv_until(&h, IPC_MSG_SIGN_REPLY);
	for (i = 0; i < 3 * SIGN_BURST; i++) {
		ck_assert_ptr_nonnull(b = good_sign());
		if (ipc_send_wait(h.ipc, IPC_MSG_SIGN, b, -1, WAIT_MS) != 0) {
			buf_free(b);
			break;
		}
		buf_free(b);
		payload = NULL;
		fd = -1;
		r = ipc_recv_wait(h.ipc, &type, &payload, &fd, WAIT_MS);
		buf_free(payload);
		if (r != 0)
			break;
		ck_assert_uint_eq(type, IPC_MSG_SIGN_REPLY);
		replies++;
	}
	/* The burst is there for real clients; then the rate ends it
	 * (the bucket refills 10 a second: far fewer while we hammer). */
	ck_assert_int_ge(replies, SIGN_BURST - 1);
	ck_assert_int_lt(replies, 2 * SIGN_BURST);
	ck_assert_int_eq(waitpid(h.mon, &status, 0), h.mon);
	ipc_free(h.ipc);
	close(h.client);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OUTCOME_VIOLATION);
}
END_TEST

/* The harness can see an answer and a clean end: a legitimate SIGN is
 * answered, and the child going away is not a violation. */
START_TEST(test_control)
{
	struct hostile h;
	int status;

	hostile_start(&h);
	sign_ok(&h);
	ck_assert_uint_eq(h.ngot, 2);
	/* hostile_child exits (OUTCOME_ERROR) when the client end closes. */
	close(h.client);
	h.client = -1;
	while (recv_one(&h) != 0)
		;
	ck_assert_int_eq(waitpid(h.mon, &status, 0), h.mon);
	ipc_free(h.ipc);
	ck_assert(WIFEXITED(status));
	ck_assert_int_ne(WEXITSTATUS(status), OUTCOME_VIOLATION);
	ck_assert_uint_eq(h.ngot, 2);
}
END_TEST

/* A child that closes its log channel but keeps the IPC open: the monitor
 * ends the connection (no busy loop on a dead fd until the grace time). */
START_TEST(test_log_closed)
{
	struct hostile h;
	int status;

	hostile_start(&h);
	sign_ok(&h);
	close(h.log);
	h.log = -1;
	status = hostile_finish(&h);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OUTCOME_NOAUTH);
	ck_assert_uint_eq(h.ngot, 2);
}
END_TEST

/* Names the listener would not show: ignored (display only, nothing
 * decided on them), and the monitor goes on answering. */
START_TEST(test_conn_info_bad_names)
{
	struct ipc_conn_info q = { "curve25519-sha256", "ssh-ed25519",
	    "aes\x1b[2J", "", 1, 2, 3, 4 };
	struct buf *b;
	struct hostile h;
	int status;

	hostile_start(&h);
	ck_assert_ptr_nonnull(b = buf_new());
	ck_assert_int_eq(ipc_enc_conn_info(b, &q), 0);
	send_msg(&h, IPC_MSG_CONN_INFO, b, -1);
	sign_ok(&h);
	ck_assert_uint_eq(h.ngot, 2);
	close(h.client);
	h.client = -1;
	while (recv_one(&h) != 0)
		;
	ck_assert_int_eq(waitpid(h.mon, &status, 0), h.mon);
	ipc_free(h.ipc);
	ck_assert(WIFEXITED(status));
	ck_assert_int_ne(WEXITSTATUS(status), OUTCOME_VIOLATION);
}
END_TEST

static Suite *
hostile_suite(void)
{
	Suite *s = suite_create("monitor_hostile");
	TCase *tc = tcase_create("hostile child");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_control);
	tcase_add_test(tc, test_log_closed);
	tcase_add_test(tc, test_rekey_rate);
	tcase_add_test(tc, test_conn_info_bad_names);
	tcase_add_loop_test(tc, test_hostile, 0, NSCENARIOS);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(hostile_suite());
}
