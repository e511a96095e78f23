/* check_dispatch.c: walks the whole message x phase table against the
 * rules it must encode, and its handlers against its cells. */
#include <check.h>

#include "protocol/dispatch.h"
#include "protocol/ssh2.h"

static int
is_kex_msg(int t)
{
	return t == SSH2_MSG_KEXINIT || t == SSH2_MSG_NEWKEYS ||
	    (t >= 30 && t <= 49);
}

/* Messages only a server sends (a client sending one is an attack,
 * e.g. CVE-2018-10933's USERAUTH_SUCCESS). */
static int
is_server_only(int t)
{
	return t == SSH2_MSG_SERVICE_ACCEPT ||
	    (t >= SSH2_MSG_USERAUTH_FAILURE && t <= SSH2_MSG_USERAUTH_BANNER) ||
	    t == SSH2_MSG_USERAUTH_PK_OK;
}

START_TEST(test_walk_table)
{
	int t, ph, open;

	for (t = 0; t <= 255; t++) {
		for (ph = PH_KEX0; ph <= PH_AUTHED; ph++) {
			for (open = 0; open <= 1; open++) {
				enum dispatch_action a =
				    dispatch_action((uint8_t)t, ph, open);

				/* Connection protocol only after auth
				 * (CVE-2025-32433, CVE-2024-2873). */
				if (t >= 80 && t <= 127 && ph != PH_AUTHED)
					ck_assert_msg(a == DA_DISCONNECT,
					    "msg %d phase %d", t, ph);
				/* Initial kex: only the exchange itself,
				 * DISCONNECT, and (unless strict) the
				 * ignorable ones. */
				if (ph == PH_KEX0) {
					if (t == SSH2_MSG_DISCONNECT ||
					    is_kex_msg(t))
						ck_assert_int_eq(a, DA_HANDLE);
					else if (t >= SSH2_MSG_IGNORE &&
					    t <= SSH2_MSG_DEBUG)
						ck_assert_int_eq(a,
						    DA_IGNORE_UNLESS_STRICT);
					else
						ck_assert_msg(a == DA_DISCONNECT,
						    "msg %d in kex0", t);
				}
				/* Between the peer's KEXINIT and NEWKEYS
				 * (RFC 4253 7.1). */
				if (open && t > SSH2_MSG_DEBUG && !is_kex_msg(t))
					ck_assert_msg(a == DA_DISCONNECT,
					    "msg %d during rekey", t);
				/* Server-only messages are never acted on. */
				if (is_server_only(t))
					ck_assert(a == DA_DISCONNECT ||
					    (ph == PH_AUTHED && a == DA_IGNORE));
				/* Authentication requests: handled only in
				 * the userauth phase, ignored after. */
				if (t == SSH2_MSG_USERAUTH_REQUEST && !open) {
					if (ph == PH_USERAUTH)
						ck_assert_int_eq(a, DA_HANDLE);
					else if (ph == PH_AUTHED)
						ck_assert_int_eq(a, DA_IGNORE);
					else
						ck_assert_int_eq(a,
						    DA_DISCONNECT);
				}
				/* A service is requested after kex, and
				 * again during authentication (paramiko),
				 * never after it. */
				if (t == SSH2_MSG_SERVICE_REQUEST)
					ck_assert_int_eq(a, (ph == PH_SERVICE ||
					    ph == PH_USERAUTH) && !open ?
					    DA_HANDLE : DA_DISCONNECT);
				/* Unassigned numbers after kex: answered with
				 * UNIMPLEMENTED, never handled. */
				if (t >= 128 && t < SSH2_MSG_PING &&
				    ph != PH_KEX0 && !open)
					ck_assert_int_eq(a, DA_UNIMPLEMENTED);
				/* Message 0 does not exist. */
				if (t == 0)
					ck_assert_int_eq(a, DA_DISCONNECT);
			}
		}
	}
}
END_TEST

START_TEST(test_channel_messages_after_auth)
{
	int t;

	for (t = SSH2_MSG_GLOBAL_REQUEST; t <= SSH2_MSG_CHANNEL_FAILURE; t++) {
		if (t > SSH2_MSG_REQUEST_FAILURE && t < SSH2_MSG_CHANNEL_OPEN)
			continue;
		ck_assert_int_eq(dispatch_action((uint8_t)t, PH_AUTHED, 0),
		    DA_HANDLE);
	}
	ck_assert_int_eq(dispatch_action(SSH2_MSG_PING, PH_KEX0, 0),
	    DA_DISCONNECT);
	ck_assert_int_eq(dispatch_action(SSH2_MSG_PING, PH_USERAUTH, 0),
	    DA_HANDLE);
	ck_assert_int_eq(dispatch_action(SSH2_MSG_DISCONNECT, PH_VERSION, 0),
	    DA_DISCONNECT);
}
END_TEST

/* Every cell that says "handle" has a handler in its row, and a row no
 * phase handles names none (it would never be called). */
START_TEST(test_handlers_match_cells)
{
	int t, ph, open, handled;

	for (t = 0; t <= 255; t++) {
		handled = 0;
		for (ph = PH_KEX0; ph <= PH_AUTHED; ph++) {
			for (open = 0; open <= 1; open++) {
				if (dispatch_action((uint8_t)t, ph, open) ==
				    DA_HANDLE)
					handled = 1;
			}
		}
		if (handled)
			ck_assert_msg(dispatch_handler((uint8_t)t) != NULL,
			    "msg %d handled without a handler", t);
		else
			ck_assert_msg(dispatch_handler((uint8_t)t) == NULL,
			    "msg %d has a handler never called", t);
	}
}
END_TEST

static Suite *
dispatch_suite(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_walk_table);
	tcase_add_test(tc, test_channel_messages_after_auth);
	tcase_add_test(tc, test_handlers_match_cells);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dispatch_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
