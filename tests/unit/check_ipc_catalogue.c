/* check_ipc_catalogue.c: the message catalogue and ipc_check(), row by row. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "protocol/ssherr.h"

/*
 * The intended policy, stated a second time on purpose: a change to the
 * catalogue's directions, phases or flags must be made here too, so it
 * is never an accident.
 */
static const struct {
	uint32_t	type;
	const char	*name;
	int		dir;
	unsigned int	phases;
	unsigned int	flags;
} policy[] = {
	{ IPC_MSG_CONFIG, "CONFIG", IPC_TO_CHILD, IPC_PH_KEX, IPC_F_ONCE },
	{ IPC_MSG_LOG, "LOG", IPC_TO_MONITOR, IPC_ANYPHASE, IPC_F_LOG_CHANNEL },
	{ IPC_MSG_SIGN, "SIGN", IPC_TO_MONITOR, IPC_PH_KEX | IPC_PH_SESSION, 0 },
	{ IPC_MSG_SIGN_REPLY, "SIGN_REPLY", IPC_TO_CHILD,
	    IPC_PH_KEX | IPC_PH_SESSION, 0 },
	{ IPC_MSG_HOSTKEYS_PROVE, "HOSTKEYS_PROVE", IPC_TO_MONITOR,
	    IPC_POSTAUTH, IPC_F_ONCE },
	{ IPC_MSG_HOSTKEYS_PROVE_REPLY, "HOSTKEYS_PROVE_REPLY", IPC_TO_CHILD,
	    IPC_POSTAUTH, IPC_F_ONCE },
	{ IPC_MSG_AUTH_PUBKEY, "AUTH_PUBKEY", IPC_TO_MONITOR, IPC_PH_AUTH,
	    IPC_F_AUTH_DECIDING },
	{ IPC_MSG_AUTH_REPLY, "AUTH_REPLY", IPC_TO_CHILD,
	    IPC_PH_AUTH, 0 },
	{ IPC_MSG_SPAWN_EXEC, "SPAWN_EXEC", IPC_TO_MONITOR, IPC_POSTAUTH, 0 },
	{ IPC_MSG_SPAWN_RESULT, "SPAWN_RESULT", IPC_TO_CHILD, IPC_POSTAUTH, 0 },
	{ IPC_MSG_SPAWN_FD, "SPAWN_FD", IPC_TO_CHILD, IPC_POSTAUTH,
	    IPC_F_CARRIES_FD },
	{ IPC_MSG_CHILD_EXIT, "CHILD_EXIT", IPC_TO_CHILD, IPC_POSTAUTH, 0 },
	{ IPC_MSG_AUTH_PASSWORD, "AUTH_PASSWORD", IPC_TO_MONITOR, IPC_PH_AUTH,
	    IPC_F_AUTH_DECIDING },
	{ IPC_MSG_AUTH_KBDINT, "AUTH_KBDINT", IPC_TO_MONITOR, IPC_PH_AUTH,
	    IPC_F_AUTH_DECIDING },
	{ IPC_MSG_KBDINT_PROMPTS, "KBDINT_PROMPTS", IPC_TO_CHILD, IPC_PH_AUTH,
	    0 },
	{ IPC_MSG_AUTH_PASSWORD_CHANGE, "AUTH_PASSWORD_CHANGE", IPC_TO_MONITOR,
	    IPC_PH_AUTH, IPC_F_AUTH_DECIDING },
	{ IPC_MSG_SESSION_CONFIG, "SESSION_CONFIG", IPC_TO_CHILD, IPC_POSTAUTH,
	    IPC_F_ONCE },
	{ IPC_MSG_PTY_REQ, "PTY_REQ", IPC_TO_MONITOR, IPC_POSTAUTH, 0 },
	{ IPC_MSG_PTY_RESULT, "PTY_RESULT", IPC_TO_CHILD, IPC_POSTAUTH, 0 },
	{ IPC_MSG_SESSION_SIGNAL, "SESSION_SIGNAL", IPC_TO_MONITOR,
	    IPC_POSTAUTH, 0 },
	{ IPC_MSG_SESSION_BREAK, "SESSION_BREAK", IPC_TO_MONITOR,
	    IPC_POSTAUTH, 0 },
	{ IPC_MSG_SESSION_CLOSE, "SESSION_CLOSE", IPC_TO_MONITOR,
	    IPC_POSTAUTH, 0 },
	{ IPC_MSG_FWD_OPEN, "FWD_OPEN", IPC_TO_MONITOR, IPC_POSTAUTH, 0 },
	{ IPC_MSG_FWD_LISTEN, "FWD_LISTEN", IPC_TO_MONITOR, IPC_POSTAUTH, 0 },
	{ IPC_MSG_FWD_SOCKET, "FWD_SOCKET", IPC_TO_CHILD, IPC_POSTAUTH,
	    IPC_F_CARRIES_FD },
	{ IPC_MSG_FWD_REFUSED, "FWD_REFUSED", IPC_TO_CHILD, IPC_POSTAUTH, 0 },
	{ IPC_MSG_X11_REQ, "X11_REQ", IPC_TO_MONITOR, IPC_POSTAUTH, 0 },
	{ IPC_MSG_X11_RESULT, "X11_RESULT", IPC_TO_CHILD, IPC_POSTAUTH, 0 },
	{ IPC_MSG_AGENT_LISTEN, "AGENT_LISTEN", IPC_TO_MONITOR, IPC_POSTAUTH,
	    IPC_F_ONCE },
	{ IPC_MSG_CONN_INFO, "CONN_INFO", IPC_TO_MONITOR, IPC_ANYPHASE, 0 },
	{ IPC_MSG_ADMIN, "ADMIN", IPC_TO_CHILD, IPC_ANYPHASE, 0 },
	{ IPC_MSG_PING_RESULT, "PING_RESULT", IPC_TO_MONITOR, IPC_POSTAUTH, 0 },
	{ IPC_MSG_RSA_KEX_PUBKEY, "RSA_KEX_PUBKEY", IPC_TO_MONITOR,
	    IPC_PH_KEX | IPC_PH_SESSION, 0 },
	{ IPC_MSG_RSA_KEX_PUBKEY_REPLY, "RSA_KEX_PUBKEY_REPLY", IPC_TO_CHILD,
	    IPC_PH_KEX | IPC_PH_SESSION, 0 },
	{ IPC_MSG_RSA_KEX_DECRYPT, "RSA_KEX_DECRYPT", IPC_TO_MONITOR,
	    IPC_PH_KEX | IPC_PH_SESSION, 0 },
	{ IPC_MSG_RSA_KEX_DECRYPT_REPLY, "RSA_KEX_DECRYPT_REPLY", IPC_TO_CHILD,
	    IPC_PH_KEX | IPC_PH_SESSION, 0 },
};
#define NPOLICY	(sizeof(policy) / sizeof(policy[0]))

START_TEST(test_every_type_has_a_policy)
{
	ck_assert_uint_eq(NPOLICY, IPC_MSG_MAX - 1);
}
END_TEST

/* Each row is well formed and matches the stated policy. */
START_TEST(test_row)
{
	const struct ipc_msgdef *md = ipc_msgdef(policy[_i].type);
	uint32_t t;

	ck_assert_ptr_nonnull(md);
	ck_assert_uint_eq(md->md_type, policy[_i].type);
	ck_assert_str_eq(md->md_name, policy[_i].name);
	ck_assert_str_eq(ipc_msg_name(policy[_i].type), policy[_i].name);
	ck_assert_int_eq(md->md_dir, policy[_i].dir);
	ck_assert_uint_eq(md->md_phases, policy[_i].phases);
	ck_assert_uint_eq(md->md_flags, policy[_i].flags);
	ck_assert_uint_gt(md->md_max_len, 0);
	ck_assert_uint_le(md->md_max_len, IPC_MAX_PAYLOAD);
	/* Only the child asks to authenticate, and only before it is. */
	if (md->md_flags & IPC_F_AUTH_DECIDING) {
		ck_assert_int_eq(md->md_dir, IPC_TO_MONITOR);
		ck_assert_uint_eq(md->md_phases, IPC_PH_AUTH);
	}
	/* Only the monitor hands out fds. */
	if (md->md_flags & IPC_F_CARRIES_FD)
		ck_assert_int_eq(md->md_dir, IPC_TO_CHILD);
	if (md->md_flags & IPC_F_LOG_CHANNEL)
		ck_assert_int_eq(md->md_dir, IPC_TO_MONITOR);
	/* Names are unique. */
	for (t = 1; t < IPC_MSG_MAX; t++)
		if (t != policy[_i].type)
			ck_assert_str_ne(ipc_msg_name(t), md->md_name);
}
END_TEST

START_TEST(test_unknown_types)
{
	static const uint32_t bad[] = {
		IPC_MSG_NONE, IPC_MSG_MAX, IPC_MSG_MAX + 1, 63, 64, 0xffffffff
	};
	struct ipc_state st;
	size_t i;
	int chan, dir;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_ptr_null(ipc_msgdef(bad[i]));
		ck_assert_str_eq(ipc_msg_name(bad[i]), "unknown");
		for (chan = 0; chan <= 1; chan++)
			for (dir = IPC_TO_MONITOR; dir <= IPC_TO_CHILD; dir++) {
				ipc_state_init(&st, chan);
				ck_assert_int_eq(ipc_check(&st, dir, bad[i], 0,
				    0), SSH_ERR_STATE_VIOLATION);
			}
	}
}
END_TEST

/*
 * The walk: every type x phase x channel x direction x fd/no-fd x length
 * (0, at the cap, over it), each on a fresh state, against the rules.
 */
START_TEST(test_walk)
{
	const struct ipc_msgdef *md = ipc_msgdef(policy[_i].type);
	static const unsigned int phases[] = {
		IPC_PH_KEX, IPC_PH_AUTH, IPC_PH_SESSION
	};
	struct ipc_state st;
	size_t lens[3], l;
	int p, chan, dir, fd, want, n_ok = 0;

	ck_assert_ptr_nonnull(md);
	lens[0] = 0;
	lens[1] = md->md_max_len;
	lens[2] = md->md_max_len + 1;
	for (p = 0; p < 3; p++)
	for (chan = 0; chan <= 1; chan++)
	for (dir = IPC_TO_MONITOR; dir <= IPC_TO_CHILD; dir++)
	for (fd = 0; fd <= 1; fd++)
	for (l = 0; l < 3; l++) {
		ipc_state_init(&st, chan);
		if (phases[p] != IPC_PH_KEX)
			ck_assert_int_eq(ipc_state_enter(&st, phases[p]), 0);
		if (dir != policy[_i].dir ||
		    chan != ((policy[_i].flags & IPC_F_LOG_CHANNEL) != 0) ||
		    (policy[_i].phases & phases[p]) == 0 ||
		    fd != ((policy[_i].flags & IPC_F_CARRIES_FD) != 0))
			want = SSH_ERR_STATE_VIOLATION;
		else if (l == 2)
			want = SSH_ERR_LIMIT_EXCEEDED;
		else
			want = 0;
		ck_assert_msg(ipc_check(&st, dir, policy[_i].type, lens[l],
		    fd) == want, "%s phase %u chan %d dir %d fd %d len %zu",
		    policy[_i].name, phases[p], chan, dir, fd, lens[l]);
		n_ok += want == 0;
	}
	/* Each type is allowed somewhere (len 0 and at the cap). */
	ck_assert_int_gt(n_ok, 0);
}
END_TEST

/* A fresh state in phase that has accepted one message of type. */
static void
accept_once(struct ipc_state *st, uint32_t type, unsigned int phase)
{
	const struct ipc_msgdef *md = ipc_msgdef(type);

	ipc_state_init(st, (md->md_flags & IPC_F_LOG_CHANNEL) != 0);
	if (phase != IPC_PH_KEX)
		ck_assert_int_eq(ipc_state_enter(st, phase), 0);
	ck_assert_int_eq(ipc_check(st, md->md_dir, type, 0,
	    (md->md_flags & IPC_F_CARRIES_FD) != 0), 0);
}

/* The second of a message, in each phase it is allowed in. */
START_TEST(test_repeat)
{
	const struct ipc_msgdef *md = ipc_msgdef(policy[_i].type);
	static const unsigned int phases[] = {
		IPC_PH_KEX, IPC_PH_AUTH, IPC_PH_SESSION
	};
	struct ipc_state st;
	int p, fd, want;

	fd = (md->md_flags & IPC_F_CARRIES_FD) != 0;
	for (p = 0; p < 3; p++) {
		if ((md->md_phases & phases[p]) == 0)
			continue;
		accept_once(&st, policy[_i].type, phases[p]);
		want = (policy[_i].flags & IPC_F_ONCE) ?
		    SSH_ERR_STATE_VIOLATION : 0;
		ck_assert_int_eq(ipc_check(&st, md->md_dir, policy[_i].type, 1,
		    fd), want);
	}
}
END_TEST

/* SIGN: one pre-auth (the session id, after which the monitor moves to
 * IPC_PH_AUTH), then any number for rekeys. */
START_TEST(test_sign_once_preauth_then_rekeys)
{
	struct ipc_state st;
	int i;

	ipc_state_init(&st, 0);
	ck_assert_int_eq(ipc_check(&st, IPC_TO_MONITOR, IPC_MSG_SIGN, 100, 0), 0);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PH_AUTH), 0);
	ck_assert_int_eq(ipc_check(&st, IPC_TO_MONITOR, IPC_MSG_SIGN, 100, 0),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PH_SESSION), 0);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(ipc_check(&st, IPC_TO_MONITOR, IPC_MSG_SIGN,
		    100, 0), 0);
}
END_TEST

/* A refused message does not count as the one allowed. */
START_TEST(test_refused_not_recorded)
{
	const struct ipc_msgdef *md = ipc_msgdef(IPC_MSG_CONFIG);
	struct ipc_state st;

	ipc_state_init(&st, 0);
	ck_assert_int_eq(ipc_check(&st, IPC_TO_CHILD, IPC_MSG_CONFIG,
	    md->md_max_len + 1, 0), SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_int_eq(ipc_check(&st, IPC_TO_CHILD, IPC_MSG_CONFIG, 0, 1),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(ipc_check(&st, IPC_TO_CHILD, IPC_MSG_CONFIG, 10, 0), 0);
	ck_assert_int_eq(ipc_check(&st, IPC_TO_CHILD, IPC_MSG_CONFIG, 10, 0),
	    SSH_ERR_STATE_VIOLATION);
}
END_TEST

/* Phases only go forward, one bit at a time. */
START_TEST(test_postauth_only_once)
{
	struct ipc_state st;

	ipc_state_init(&st, 0);
	ck_assert_uint_eq(st.st_phase, IPC_PH_KEX);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PH_KEX),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PREAUTH),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PH_AUTH), 0);
	ck_assert_uint_eq(st.st_phase, IPC_PH_AUTH);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PH_AUTH),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PH_SESSION), 0);
	ck_assert_uint_eq(st.st_phase, IPC_PH_SESSION);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PH_SESSION),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(ipc_state_enter(&st, IPC_PH_AUTH),
	    SSH_ERR_STATE_VIOLATION);
	ck_assert_uint_eq(st.st_phase, IPC_PH_SESSION);
}
END_TEST

/* A corrupted phase allows nothing. */
START_TEST(test_bad_phase_allows_nothing)
{
	struct ipc_state st;
	uint32_t t;

	for (t = 1; t < IPC_MSG_MAX; t++) {
		const struct ipc_msgdef *md = ipc_msgdef(t);

		ipc_state_init(&st, (md->md_flags & IPC_F_LOG_CHANNEL) != 0);
		st.st_phase = IPC_ANYPHASE;
		ck_assert_int_eq(ipc_check(&st, md->md_dir, t, 0,
		    (md->md_flags & IPC_F_CARRIES_FD) != 0),
		    SSH_ERR_STATE_VIOLATION);
	}
}
END_TEST

static Suite *
catalogue_suite(void)
{
	Suite *s = suite_create("ipc_catalogue");
	TCase *tc = tcase_create("catalogue");

	tcase_add_test(tc, test_every_type_has_a_policy);
	tcase_add_loop_test(tc, test_row, 0, NPOLICY);
	tcase_add_test(tc, test_unknown_types);
	tcase_add_loop_test(tc, test_walk, 0, NPOLICY);
	tcase_add_loop_test(tc, test_repeat, 0, NPOLICY);
	tcase_add_test(tc, test_sign_once_preauth_then_rekeys);
	tcase_add_test(tc, test_refused_not_recorded);
	tcase_add_test(tc, test_postauth_only_once);
	tcase_add_test(tc, test_bad_phase_allows_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(catalogue_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
