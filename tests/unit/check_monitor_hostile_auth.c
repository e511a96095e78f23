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
#include <stdlib.h>
#include <unistd.h>

#include "common/config.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/outcome.h"
#include "protocol/buf.h"
#include "tests/unit/hostile.h"
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

static Suite *
hostile_auth_suite(void)
{
	Suite *s = suite_create("monitor_hostile_auth");
	TCase *tc = tcase_create("hostile child");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_outcome_is_the_monitors);
	tcase_add_loop_test(tc, test_hostile, 0, NSCENARIOS);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(hostile_auth_suite());
}
