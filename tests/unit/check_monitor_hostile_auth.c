/*
 * check_monitor_hostile_auth.c: the monitor against a protocol child that
 * breaks the rules of authentication (tests/unit/hostile.h): one user and
 * one service per connection, max_tries for every method, and the outcome
 * the listener's penalties go by.  Each scenario plays by the rules first
 * (a key exchange, failed attempts) so that the bad request comes in the
 * state it is bad in.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/outcome.h"
#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/sig.h"
#include "protocol/ssh2.h"
#include "tests/unit/hostile.h"
#include "tests/unit/sktest.h"
#include "tests/unit/testutil.h"

/* One user and one service per connection, fixed by the first request. */
static void
second_user(struct hostile *h)
{
	sign_ok(h);
	fail_once(h, HOSTILE_NO_USER, "ssh-connection");
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query_for(HOSTILE_NO_USER "2",
	    "ssh-connection"), -1);
}

static void
second_user_password(struct hostile *h)
{
	sign_ok(h);
	fail_once(h, HOSTILE_NO_USER, "ssh-connection");
	send_msg(h, IPC_MSG_AUTH_PASSWORD, strings(3, "root",
	    "ssh-connection", "secret"), -1);
}

static void
second_user_kbdint(struct hostile *h)
{
	sign_ok(h);
	fail_once(h, HOSTILE_NO_USER, "ssh-connection");
	send_msg(h, IPC_MSG_AUTH_KBDINT, kbdint_payload("root"), -1);
}

static void
second_service(struct hostile *h)
{
	sign_ok(h);
	fail_once(h, HOSTILE_NO_USER, "ssh-connection");
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query_for(HOSTILE_NO_USER,
	    "ssh-userauth"), -1);
}

/* max_tries failures answered: the child has disconnected by now. */
static void
pubkey_after_max_tries(struct hostile *h)
{
	fail_max_tries(h);
	send_msg(h, IPC_MSG_AUTH_PUBKEY, pubkey_query_for(HOSTILE_NO_USER,
	    "ssh-connection"), -1);
}

static void
password_after_max_tries(struct hostile *h)
{
	fail_max_tries(h);
	send_msg(h, IPC_MSG_AUTH_PASSWORD, strings(3, HOSTILE_NO_USER,
	    "ssh-connection", "secret"), -1);
}

static void
password_change_after_max_tries(struct hostile *h)
{
	fail_max_tries(h);
	send_msg(h, IPC_MSG_AUTH_PASSWORD_CHANGE, strings(4, HOSTILE_NO_USER,
	    "ssh-connection", "old", "new"), -1);
}

/* A keyboard-interactive start (a PAM conversation with the default
 * back end) after max_tries: no helper, no prompts. */
static void
kbdint_after_max_tries(struct hostile *h)
{
	fail_max_tries(h);
	send_msg(h, IPC_MSG_AUTH_KBDINT, kbdint_payload(HOSTILE_NO_USER), -1);
}

static const struct hostile_scenario scenarios[] = {
	{ "another user in the second AUTH_PUBKEY", second_user,
	    HOSTILE_SIGNED, 1 },
	{ "another user in AUTH_PASSWORD after AUTH_PUBKEY",
	    second_user_password, HOSTILE_SIGNED, 1 },
	{ "another user in AUTH_KBDINT after AUTH_PUBKEY",
	    second_user_kbdint, HOSTILE_SIGNED, 1 },
	{ "another service in the second request", second_service,
	    HOSTILE_SIGNED, 1 },
	{ "AUTH_PUBKEY after max_tries failures", pubkey_after_max_tries,
	    HOSTILE_SIGNED, HOSTILE_MAX_TRIES },
	{ "AUTH_PASSWORD after max_tries failures", password_after_max_tries,
	    HOSTILE_SIGNED, HOSTILE_MAX_TRIES },
	{ "AUTH_PASSWORD_CHANGE after max_tries failures",
	    password_change_after_max_tries, HOSTILE_SIGNED,
	    HOSTILE_MAX_TRIES },
	{ "AUTH_KBDINT (PAM) after max_tries failures",
	    kbdint_after_max_tries, HOSTILE_SIGNED, HOSTILE_MAX_TRIES },
};
#define NSCENARIOS	(sizeof(scenarios) / sizeof(scenarios[0]))

START_TEST(test_hostile)
{
	hostile_check_violation(&scenarios[_i]);
}
END_TEST

/* max_tries failures, then the child closes and exits claiming that the
 * client simply left: the outcome (and the listener's penalty) is the
 * monitor's count, not the child's word. */
START_TEST(test_outcome_is_the_monitors)
{
	struct hostile h;
	char claim = OUTCOME_NOAUTH;
	int i, status, tries = cfg_global(cfg)->auth.max_tries;

	hostile_start(&h);
	sign_ok(&h);
	for (i = 0; i < tries; i++) {
		send_msg(&h, IPC_MSG_AUTH_PUBKEY, pubkey_query(), -1);
		recv_until(&h, IPC_MSG_AUTH_REPLY);
	}
	ipc_free(h.ipc);
	h.ipc = NULL;
	ck_assert_int_eq(write(h.client, &claim, 1), 1);
	status = hostile_end(&h);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OUTCOME_AUTHFAIL);
}
END_TEST

#define SK_ALG	"sk-ssh-ed25519@openssh.com"

/* The code of the next AUTH_REPLY. */
static uint32_t
auth_reply_code(struct hostile *h)
{
	struct buf *payload = NULL;
	uint32_t type, code = 0;
	int fd = -1;

	do {
		buf_free(payload);
		payload = NULL;
		ck_assert_int_eq(ipc_recv_wait(h->ipc, &type, &payload, &fd,
		    WAIT_MS), 0);
		ck_assert_int_eq(fd, -1);
	} while (type != IPC_MSG_AUTH_REPLY);
	ck_assert_int_eq(buf_get_u32(payload, &code), 0);
	buf_free(payload);
	return code;
}

/* A signed AUTH_PUBKEY for the test's user with the sk key t, whose
 * signature says flags; tamper replaces the flags byte on the wire
 * afterwards (-1: leave it). */
static struct buf *
sk_request(const struct sktest *t, uint8_t flags, int tamper)
{
	struct buf *b, *blob, *data, *sig;
	uint8_t sid[32];

	ck_assert_ptr_nonnull(blob = buf_new());
	ck_assert_ptr_nonnull(data = buf_new());
	ck_assert_int_eq(key_to_blob(t->st_pub, blob), 0);
	/* RFC 4252 7 over the session id of good_sign's exchange hash. */
	memset(sid, 0x5a, sizeof(sid));
	ck_assert_int_eq(buf_put_string(data, sid, sizeof(sid)), 0);
	ck_assert_int_eq(buf_put_u8(data, SSH2_MSG_USERAUTH_REQUEST), 0);
	ck_assert_int_eq(buf_put_cstring(data, user), 0);
	ck_assert_int_eq(buf_put_cstring(data, "ssh-connection"), 0);
	ck_assert_int_eq(buf_put_cstring(data, "publickey"), 0);
	ck_assert_int_eq(buf_put_u8(data, 1), 0);
	ck_assert_int_eq(buf_put_cstring(data, SK_ALG), 0);
	ck_assert_int_eq(buf_put_stringb(data, blob), 0);
	sig = sktest_sign(t, t->st_app, flags, 3, buf_ptr(data),
	    buf_len(data));
	if (tamper != -1)
		buf_mutable_ptr(sig)[buf_len(sig) - 5] = (uint8_t)tamper;
	b = strings(2, user, "ssh-connection");
	ck_assert_int_eq(buf_put_stringb(b, blob), 0);
	ck_assert_int_eq(buf_put_cstring(b, SK_ALG), 0);
	ck_assert_int_eq(buf_put_u8(b, 0), 0);		/* hostbound */
	ck_assert_int_eq(buf_put_u32(b, 0), 0);		/* host key index */
	ck_assert_int_eq(buf_put_u8(b, 0), 0);		/* not a query */
	ck_assert_int_eq(buf_put_stringb(b, sig), 0);
	buf_free(blob);
	buf_free(data);
	buf_free(sig);
	return b;
}

/* The child leaves after a login: the session ended. */
static void
end_logged_in(struct hostile *h)
{
	char claim = OUTCOME_OK;
	int status;

	ipc_free(h->ipc);
	h->ipc = NULL;
	ck_assert_int_eq(write(h->client, &claim, 1), 1);
	status = hostile_end(h);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), OUTCOME_OK);
}

static void
write_authkeys(const char *opts, const struct sktest *t)
{
	struct buf *line;
	FILE *f;

	ck_assert_ptr_nonnull(line = buf_new());
	ck_assert_int_eq(key_to_public_line(t->st_pub, "token", line), 0);
	ck_assert_ptr_nonnull(f = fopen(authkeys_path, "w"));
	fprintf(f, "%s%.*s", opts, (int)buf_len(line),
	    (const char *)buf_ptr(line));
	ck_assert_int_eq(fclose(f), 0);
	buf_free(line);
}

/*
 * A child that sets the presence bit on a security key's signature
 * (the authenticator was never touched) or claims user verification: the
 * flags are signed, so the monitor refuses; the genuine signature then
 * logs in, so the refusals were the flags' doing.
 */
START_TEST(test_sk_flags_tampered)
{
	struct hostile h;
	struct sktest t;

	sktest_new(&t, KEY_SK_ED25519, "ssh:");
	write_authkeys(_i == 0 ? "" : "no-touch-required,verify-required ",
	    &t);
	hostile_start(&h);
	sign_ok(&h);
	if (_i == 0)	/* made without a touch, claimed with one */
		send_msg(&h, IPC_MSG_AUTH_PUBKEY, sk_request(&t, 0,
		    SIG_SK_USER_PRESENT), -1);
	else		/* made without a PIN, claimed with one */
		send_msg(&h, IPC_MSG_AUTH_PUBKEY, sk_request(&t, 0,
		    SIG_SK_USER_VERIFIED), -1);
	ck_assert_uint_eq(auth_reply_code(&h), IPC_AUTH_FAILURE);
	send_msg(&h, IPC_MSG_AUTH_PUBKEY, sk_request(&t, _i == 0 ?
	    SIG_SK_USER_PRESENT : SIG_SK_USER_VERIFIED, -1), -1);
	ck_assert_uint_eq(auth_reply_code(&h), IPC_AUTH_SUCCESS);
	recv_until(&h, IPC_MSG_SESSION_CONFIG);
	end_logged_in(&h);
	sktest_free(&t);
}
END_TEST

/* Genuinely signed, but without what the key's line demands. */
START_TEST(test_sk_flags_policy)
{
	struct hostile h;
	struct sktest t;

	sktest_new(&t, KEY_SK_ED25519, "ssh:");
	write_authkeys(_i == 0 ? "" : "verify-required ", &t);
	hostile_start(&h);
	sign_ok(&h);
	send_msg(&h, IPC_MSG_AUTH_PUBKEY, sk_request(&t, _i == 0 ? 0 :
	    SIG_SK_USER_PRESENT, -1), -1);
	ck_assert_uint_eq(auth_reply_code(&h), IPC_AUTH_FAILURE);
	send_msg(&h, IPC_MSG_AUTH_PUBKEY, sk_request(&t, SIG_SK_USER_PRESENT |
	    SIG_SK_USER_VERIFIED, -1), -1);
	ck_assert_uint_eq(auth_reply_code(&h), IPC_AUTH_SUCCESS);
	end_logged_in(&h);
	sktest_free(&t);
}
END_TEST

static Suite *
hostile_auth_suite(void)
{
	Suite *s = suite_create("monitor_hostile_auth");
	TCase *tc = tcase_create("hostile child");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_outcome_is_the_monitors);
	tcase_add_loop_test(tc, test_hostile, 0, NSCENARIOS);
	tcase_add_loop_test(tc, test_sk_flags_tampered, 0, 2);
	tcase_add_loop_test(tc, test_sk_flags_policy, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(hostile_auth_suite());
}
