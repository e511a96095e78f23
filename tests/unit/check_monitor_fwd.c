/*
 * check_monitor_fwd.c: the monitor's side of port forwarding against what
 * a compromised protocol child could send: every malformed FWD_OPEN or
 * FWD_LISTEN is an error (the caller's violation) and starts no helper;
 * a well-formed request the rules refuse is answered with FWD_REFUSED.
 */
#include <sys/socket.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <poll.h>

#include "common/config.h"
#include "privsep/fwdpolicy.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/monitor_fwd.h"
#include "protocol/buf.h"
#include "protocol/fwdmsg.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

static struct passwd user = {
	.pw_name = "alice", .pw_dir = "/nonexistent", .pw_uid = 12345,
	.pw_gid = 12345, .pw_shell = "/bin/false",
};

/* A request: tag, kind, host, port [, originator, port], then extra
 * bytes; host_len 0 puts host as given, else that many 'h's. */
struct req {
	const char *what;
	uint32_t type;
	uint32_t kind;
	const char *host;
	size_t host_len;
	uint32_t port;
	int orig;		/* FWD_OPEN's originator fields present */
	int trailing;		/* one byte more */
	int cut;		/* bytes dropped from the end */
};

static struct buf *
build(const struct req *q)
{
	struct buf *b = buf_new(), *cut;
	char *host = NULL;

	ck_assert_ptr_nonnull(b);
	if (q->host_len != 0) {
		host = malloc(q->host_len + 1);
		memset(host, 'h', q->host_len);
		host[q->host_len] = '\0';
	}
	ck_assert_int_eq(buf_put_u32(b, 7), 0);
	ck_assert_int_eq(buf_put_u32(b, q->kind), 0);
	ck_assert_int_eq(buf_put_cstring(b, host != NULL ? host : q->host), 0);
	ck_assert_int_eq(buf_put_u32(b, q->port), 0);
	if (q->orig) {
		ck_assert_int_eq(buf_put_cstring(b, "127.0.0.1"), 0);
		ck_assert_int_eq(buf_put_u32(b, 4000), 0);
	}
	if (q->trailing)
		ck_assert_int_eq(buf_put_u8(b, 0), 0);
	free(host);
	if (q->cut == 0)
		return b;
	cut = buf_new();
	ck_assert_int_eq(buf_put(cut, buf_ptr(b), buf_len(b) - (size_t)q->cut),
	    0);
	buf_free(b);
	return cut;
}

static const struct req bad[] = {
	{ "kind out of range", IPC_MSG_FWD_OPEN, 9, "h", 0, 80, 1, 0, 0 },
	{ "port above 65535", IPC_MSG_FWD_OPEN, IPC_FWD_TCP, "h", 0, 65536,
	    1, 0, 0 },
	{ "open without host", IPC_MSG_FWD_OPEN, IPC_FWD_TCP, "", 0, 80, 1,
	    0, 0 },
	{ "open to port 0", IPC_MSG_FWD_OPEN, IPC_FWD_TCP, "h", 0, 0, 1, 0, 0 },
	{ "host too long", IPC_MSG_FWD_OPEN, IPC_FWD_TCP, NULL,
	    FWDMSG_HOST_MAX + 1, 80, 1, 0, 0 },
	{ "socket path too long", IPC_MSG_FWD_OPEN, IPC_FWD_UNIX, NULL,
	    FWDMSG_PATH_MAX + 1, 0, 1, 0, 0 },
	{ "empty socket path", IPC_MSG_FWD_LISTEN, IPC_FWD_UNIX, "", 0, 0, 0,
	    0, 0 },
	{ "socket with a port", IPC_MSG_FWD_LISTEN, IPC_FWD_UNIX, "/s", 0, 22,
	    0, 0, 0 },
	{ "open without originator", IPC_MSG_FWD_OPEN, IPC_FWD_TCP, "h", 0, 80,
	    0, 0, 0 },
	{ "listen with originator", IPC_MSG_FWD_LISTEN, IPC_FWD_TCP, "h", 0,
	    80, 1, 0, 0 },
	{ "trailing byte", IPC_MSG_FWD_LISTEN, IPC_FWD_TCP, "h", 0, 80, 0, 1,
	    0 },
	{ "truncated", IPC_MSG_FWD_OPEN, IPC_FWD_TCP, "h", 0, 80, 1, 0, 3 },
};

static void
rules_none(struct fwd_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->tcp = CFG_FWD_NO;
	r->streamlocal = CFG_FWD_NO;
}

START_TEST(test_malformed_is_an_error)
{
	const struct req *q = &bad[_i];
	struct fwd_rules rules;
	struct monfwd *mf = monfwd_new();
	struct pollfd pfd[MONFWD_MAX_HELPERS];
	struct buf *b = build(q);
	struct ipc *ipc;
	int sp[2];

	ck_assert_ptr_nonnull(mf);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ck_assert_ptr_nonnull(ipc = ipc_new(sp[0]));
	/* Even rules that allow everything must not get to run. */
	rules_none(&rules);
	rules.tcp = CFG_FWD_YES;
	rules.streamlocal = CFG_FWD_YES;
	ck_assert_msg(monfwd_request(mf, q->type, b, &user, &rules, 0, ipc) !=
	    0, "%s accepted", q->what);
	ck_assert_uint_eq(monfwd_pollfds(mf, pfd, MONFWD_MAX_HELPERS), 0);
	ck_assert_int_eq(ipc_output_pending(ipc), 0);
	buf_free(b);
	ipc_free(ipc);
	close(sp[1]);
	monfwd_free(mf);
}
END_TEST

/* A request the rules refuse is answered, not treated as a violation,
 * and starts nothing. */
START_TEST(test_refused_by_rules)
{
	static const struct req ok = { "open", IPC_MSG_FWD_OPEN, IPC_FWD_TCP,
	    "db.internal", 0, 5432, 1, 0, 0 };
	struct fwd_rules rules;
	struct monfwd *mf = monfwd_new();
	struct pollfd pfd[MONFWD_MAX_HELPERS];
	struct buf *b = build(&ok), *reply = NULL;
	struct ipc *ipc, *peer;
	uint32_t type, tag, reason;
	int sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ck_assert_ptr_nonnull(ipc = ipc_new(sp[0]));
	ck_assert_ptr_nonnull(peer = ipc_new(sp[1]));
	rules_none(&rules);
	ck_assert_int_eq(monfwd_request(mf, IPC_MSG_FWD_OPEN, b, &user, &rules,
	    0, ipc), 0);
	ck_assert_uint_eq(monfwd_pollfds(mf, pfd, MONFWD_MAX_HELPERS), 0);
	ck_assert_int_eq(ipc_flush(ipc), 0);
	ck_assert_int_eq(ipc_recv_wait(peer, &type, &reply, NULL, 2000), 0);
	ck_assert_uint_eq(type, IPC_MSG_FWD_REFUSED);
	ck_assert_int_eq(buf_get_u32(reply, &tag), 0);
	ck_assert_int_eq(buf_get_u32(reply, &reason), 0);
	ck_assert_uint_eq(tag, 7);
	ck_assert_uint_eq(reason, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED);
	buf_free(reply);
	buf_free(b);
	ipc_free(ipc);
	ipc_free(peer);
	monfwd_free(mf);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("monitor_fwd");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_malformed_is_an_error, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_refused_by_rules);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
