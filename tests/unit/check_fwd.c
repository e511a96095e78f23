/*
 * check_fwd.c: port forwarding's sans-IO parts: the payloads of
 * direct-tcpip / direct-streamlocal opens and of the forwarding global
 * requests (protocol/fwdmsg.c), and the permission rules
 * (privsep/fwdpolicy.c).  The fuzz target's corpus is replayed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "auth/authkeys.h"
#include "common/config.h"
#include "privsep/fwdpolicy.h"
#include "protocol/buf.h"
#include "protocol/fwdmsg.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Builds a payload from a format: s = string, u = u32, r = raw bytes. */
static struct buf *
payload(const char *fmt, ...)
{
	struct buf *b = buf_new();
	va_list ap;

	ck_assert_ptr_nonnull(b);
	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		if (*fmt == 's')
			ck_assert_int_eq(buf_put_cstring(b, va_arg(ap,
			    const char *)), 0);
		else if (*fmt == 'u')
			ck_assert_int_eq(buf_put_u32(b, va_arg(ap, uint32_t)), 0);
		else
			ck_assert_int_eq(buf_put_u8(b, (uint8_t)va_arg(ap, int)),
			    0);
	}
	va_end(ap);
	return b;
}

static int
parse(const char *name, struct buf *b, struct fwdmsg *m)
{
	int r = fwdmsg_parse(fwdmsg_kind(name), buf_ptr(b), buf_len(b), m);

	buf_free(b);
	return r;
}

START_TEST(test_kinds)
{
	ck_assert_int_eq(fwdmsg_kind("direct-tcpip"), FWDMSG_DIRECT_TCPIP);
	ck_assert_int_eq(fwdmsg_kind("direct-streamlocal@openssh.com"),
	    FWDMSG_DIRECT_STREAMLOCAL);
	ck_assert_int_eq(fwdmsg_kind("tcpip-forward"), FWDMSG_TCPIP_FORWARD);
	ck_assert_int_eq(fwdmsg_kind("cancel-streamlocal-forward@openssh.com"),
	    FWDMSG_CANCEL_STREAMLOCAL_FORWARD);
	ck_assert_int_eq(fwdmsg_kind("session"), FWDMSG_NONE);
	ck_assert_int_eq(fwdmsg_kind("direct-tcpip "), FWDMSG_NONE);
	ck_assert_int_eq(fwdmsg_is_open(FWDMSG_DIRECT_STREAMLOCAL), 1);
	ck_assert_int_eq(fwdmsg_is_open(FWDMSG_TCPIP_FORWARD), 0);
}
END_TEST

START_TEST(test_direct_tcpip)
{
	struct fwdmsg m;

	ck_assert_int_eq(parse("direct-tcpip", payload("susu", "example.org",
	    443, "192.0.2.1", 5555), &m), 0);
	ck_assert_str_eq(m.host, "example.org");
	ck_assert_uint_eq(m.port, 443);
	ck_assert_str_eq(m.orig_addr, "192.0.2.1");
	ck_assert_uint_eq(m.orig_port, 5555);
	ck_assert_int_eq(m.unix_sock, 0);
	fwdmsg_clear(&m);
}
END_TEST

/* Each of these is refused, and clearing after a failure is safe. */
START_TEST(test_direct_tcpip_bad)
{
	struct fwdmsg m;
	char longname[FWDMSG_HOST_MAX + 2];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_ne(parse("direct-tcpip", payload("susu", "h", 65536,
	    "o", 1), &m), 0);
	fwdmsg_clear(&m);
	ck_assert_int_ne(parse("direct-tcpip", payload("susu", "h", 0,
	    "o", 1), &m), 0);
	fwdmsg_clear(&m);
	ck_assert_int_ne(parse("direct-tcpip", payload("susu", "", 80,
	    "o", 1), &m), 0);
	fwdmsg_clear(&m);
	ck_assert_int_ne(parse("direct-tcpip", payload("susu", longname, 80,
	    "o", 1), &m), 0);
	fwdmsg_clear(&m);
	ck_assert_int_ne(parse("direct-tcpip", payload("susu", "h\nx", 80,
	    "o", 1), &m), 0);
	fwdmsg_clear(&m);
	ck_assert_int_eq(parse("direct-tcpip", payload("susur", "h", 80,
	    "o", 1, 0), &m), SSH_ERR_UNEXPECTED_TRAILING_DATA);
	fwdmsg_clear(&m);
	ck_assert_int_eq(parse("direct-tcpip", payload("su", "h", 80), &m),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	fwdmsg_clear(&m);
}
END_TEST

START_TEST(test_direct_streamlocal)
{
	struct fwdmsg m;
	char longpath[FWDMSG_PATH_MAX + 2];

	ck_assert_int_eq(parse("direct-streamlocal@openssh.com",
	    payload("ssu", "/run/x.sock", "", 0), &m), 0);
	ck_assert_str_eq(m.host, "/run/x.sock");
	ck_assert_int_eq(m.unix_sock, 1);
	ck_assert_uint_eq(m.port, 0);
	fwdmsg_clear(&m);
	memset(longpath, '/', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	ck_assert_int_ne(parse("direct-streamlocal@openssh.com",
	    payload("ssu", longpath, "", 0), &m), 0);
	fwdmsg_clear(&m);
	ck_assert_int_ne(parse("direct-streamlocal@openssh.com",
	    payload("ssu", "", "", 0), &m), 0);
	fwdmsg_clear(&m);
	/* The reserved fields are required. */
	ck_assert_int_ne(parse("direct-streamlocal@openssh.com",
	    payload("s", "/run/x.sock"), &m), 0);
	fwdmsg_clear(&m);
}
END_TEST

START_TEST(test_global_requests)
{
	struct fwdmsg m;

	ck_assert_int_eq(parse("tcpip-forward", payload("su", "", 0), &m), 0);
	ck_assert_str_eq(m.host, "");
	ck_assert_uint_eq(m.port, 0);
	fwdmsg_clear(&m);
	ck_assert_int_eq(parse("cancel-tcpip-forward", payload("su",
	    "localhost", 8080), &m), 0);
	ck_assert_uint_eq(m.port, 8080);
	fwdmsg_clear(&m);
	ck_assert_int_ne(parse("tcpip-forward", payload("su", "", 65536),
	    &m), 0);
	fwdmsg_clear(&m);
	ck_assert_int_eq(parse("streamlocal-forward@openssh.com",
	    payload("s", "/tmp/s"), &m), 0);
	ck_assert_int_eq(m.unix_sock, 1);
	fwdmsg_clear(&m);
	ck_assert_int_ne(parse("streamlocal-forward@openssh.com",
	    payload("su", "/tmp/s", 1), &m), 0);
	fwdmsg_clear(&m);
}
END_TEST

START_TEST(test_forwarded_payloads)
{
	struct buf *b = buf_new();
	char *s = NULL;
	uint32_t u;

	ck_assert_int_eq(fwdmsg_put_forwarded_tcpip(b, "localhost", 4000,
	    "127.0.0.1", 5000), 0);
	ck_assert_int_eq(buf_get_cstring(b, &s, NULL), 0);
	ck_assert_str_eq(s, "localhost");
	free(s);
	ck_assert_int_eq(buf_get_u32(b, &u), 0);
	ck_assert_uint_eq(u, 4000);
	ck_assert_int_eq(buf_get_cstring(b, &s, NULL), 0);
	ck_assert_str_eq(s, "127.0.0.1");
	free(s);
	ck_assert_int_eq(buf_get_u32(b, &u), 0);
	ck_assert_uint_eq(u, 5000);
	ck_assert_int_eq(buf_expect_end(b), 0);
	ck_assert_int_eq(fwdmsg_put_forwarded_streamlocal(b, "/p"), 0);
	ck_assert_int_eq(buf_get_cstring(b, &s, NULL), 0);
	ck_assert_str_eq(s, "/p");
	free(s);
	ck_assert_int_eq(buf_get_cstring(b, &s, NULL), 0);
	ck_assert_str_eq(s, "");
	free(s);
	ck_assert_int_eq(buf_expect_end(b), 0);
	buf_free(b);
}
END_TEST

START_TEST(test_permit_match)
{
	ck_assert_int_eq(fwdpolicy_match("any", "x", 1), 1);
	ck_assert_int_eq(fwdpolicy_match("none", "x", 1), 0);
	ck_assert_int_eq(fwdpolicy_match("db:5432", "db", 5432), 1);
	ck_assert_int_eq(fwdpolicy_match("db:5432", "DB", 5432), 1);
	ck_assert_int_eq(fwdpolicy_match("db:5432", "db", 5433), 0);
	ck_assert_int_eq(fwdpolicy_match("db:5432", "db2", 5432), 0);
	ck_assert_int_eq(fwdpolicy_match("*:80", "anything", 80), 1);
	ck_assert_int_eq(fwdpolicy_match("web:*", "web", 8080), 1);
	ck_assert_int_eq(fwdpolicy_match("[::1]:22", "::1", 22), 1);
	ck_assert_int_eq(fwdpolicy_match("[::1]:22", "::1", 23), 0);
	/* Port 0 (server picks) only under a wildcard port. */
	ck_assert_int_eq(fwdpolicy_match("*:0", "h", 0), 0);
	ck_assert_int_eq(fwdpolicy_match("h:*", "h", 0), 1);
	/* Malformed patterns never match. */
	ck_assert_int_eq(fwdpolicy_match("h", "h", 1), 0);
	ck_assert_int_eq(fwdpolicy_match(":80", "", 80), 0);
	ck_assert_int_eq(fwdpolicy_match("h:80x", "h", 80), 0);
	ck_assert_int_eq(fwdpolicy_match("[::1:22", "::1", 22), 0);
}
END_TEST

static char *any_v[] = { "any" };
static char *open_v[] = { "db:5432", "*:80" };

static void
rules_default(struct fwd_rules *r, struct strlist *any)
{
	memset(r, 0, sizeof(*r));
	any->v = any_v;
	any->n = 1;
	r->tcp = CFG_FWD_YES;
	r->streamlocal = CFG_FWD_NO;
	r->permit_open = any;
	r->permit_listen = any;
}

START_TEST(test_policy_directions)
{
	struct fwd_rules r;
	struct strlist any;

	rules_default(&r, &any);
	ck_assert_ptr_null(fwdpolicy_check(&r, 0, 0, "h", 1));
	ck_assert_ptr_null(fwdpolicy_check(&r, 1, 0, "h", 2000));
	r.tcp = CFG_FWD_LOCAL;
	ck_assert_ptr_null(fwdpolicy_check(&r, 0, 0, "h", 1));
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 1, 0, "h", 2000));
	r.tcp = CFG_FWD_REMOTE;
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 0, 0, "h", 1));
	ck_assert_ptr_null(fwdpolicy_check(&r, 1, 0, "h", 2000));
	r.tcp = CFG_FWD_NO;
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 0, 0, "h", 1));
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 1, 0, "h", 2000));
	/* Unix sockets follow forwarding.streamlocal, default no. */
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 0, 1, "/s", 0));
	r.streamlocal = CFG_FWD_YES;
	ck_assert_ptr_null(fwdpolicy_check(&r, 0, 1, "/s", 0));
	ck_assert_ptr_null(fwdpolicy_check(&r, 1, 1, "/s", 0));
}
END_TEST

START_TEST(test_policy_lists_and_key)
{
	struct fwd_rules r;
	struct strlist any, opens = { open_v, 2 };
	struct authkeys_list kl;
	char *kv[] = { "db:5432" };

	rules_default(&r, &any);
	r.permit_open = &opens;
	ck_assert_ptr_null(fwdpolicy_check(&r, 0, 0, "db", 5432));
	ck_assert_ptr_null(fwdpolicy_check(&r, 0, 0, "web", 80));
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 0, 0, "web", 81));
	/* permit_open says nothing about listening. */
	ck_assert_ptr_null(fwdpolicy_check(&r, 1, 0, "web", 8081));
	memset(&kl, 0, sizeof(kl));
	kl.al_v = kv;
	kl.al_n = 1;
	kl.al_set = 1;
	r.key_open = &kl;
	ck_assert_ptr_null(fwdpolicy_check(&r, 0, 0, "db", 5432));
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 0, 0, "web", 80));
	/* Present but emptied by a merge: nothing is allowed. */
	kl.al_n = 0;
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 0, 0, "db", 5432));
	kl.al_set = 0;
	ck_assert_ptr_null(fwdpolicy_check(&r, 0, 0, "db", 5432));
	r.key_denies = 1;
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 0, 0, "db", 5432));
	r.streamlocal = CFG_FWD_YES;
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 0, 1, "/s", 0));
}
END_TEST

START_TEST(test_policy_privileged)
{
	struct fwd_rules r;
	struct strlist any;

	rules_default(&r, &any);
	ck_assert_ptr_nonnull(fwdpolicy_check(&r, 1, 0, "localhost", 80));
	ck_assert_ptr_null(fwdpolicy_check(&r, 1, 0, "localhost", 1024));
	ck_assert_ptr_null(fwdpolicy_check(&r, 1, 0, "localhost", 0));
	r.is_root = 1;
	ck_assert_ptr_null(fwdpolicy_check(&r, 1, 0, "localhost", 80));
	/* Connecting to a low port is not listening on one. */
	r.is_root = 0;
	ck_assert_ptr_null(fwdpolicy_check(&r, 0, 0, "localhost", 80));
}
END_TEST

START_TEST(test_bind_host)
{
	ck_assert_str_eq(fwdpolicy_bind_host("", 0), "127.0.0.1");
	ck_assert_str_eq(fwdpolicy_bind_host("0.0.0.0", 0), "127.0.0.1");
	ck_assert_str_eq(fwdpolicy_bind_host("", 1), "");
	ck_assert_str_eq(fwdpolicy_bind_host("*", 1), "");
	ck_assert_str_eq(fwdpolicy_bind_host("localhost", 1), "127.0.0.1");
	ck_assert_str_eq(fwdpolicy_bind_host("192.0.2.7", 1), "192.0.2.7");
}
END_TEST

/* Agent forwarding: allowed only when every rule allows it, and each
 * refusal names its own reason. */
START_TEST(test_policy_agent)
{
	struct agent_rules r = { 1, 0, 0, 0 };
	const char *why[4];
	size_t i, j;

	ck_assert_ptr_null(fwdpolicy_agent_check(&r));
	for (i = 0; i < 4; i++) {
		r = (struct agent_rules){ i != 0, i == 1, i == 2, i == 3 };
		ck_assert_ptr_nonnull(why[i] = fwdpolicy_agent_check(&r));
		for (j = 0; j < i; j++)
			ck_assert_str_ne(why[i], why[j]);
	}
	ck_assert_ptr_nonnull(strstr(why[0], "forwarding.agent"));
	ck_assert_ptr_nonnull(strstr(why[1], "sftp.force"));
	ck_assert_ptr_nonnull(strstr(why[2], "no-agent-forwarding"));
	ck_assert_ptr_nonnull(strstr(why[3], "permit-agent-forwarding"));
	/* Every rule at once: still refused. */
	r = (struct agent_rules){ 0, 1, 1, 1 };
	ck_assert_ptr_nonnull(fwdpolicy_agent_check(&r));
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("fwdmsg", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
fwd_suite(void)
{
	Suite *s = suite_create("fwd");
	TCase *tc = tcase_create("fwd");

	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_direct_tcpip);
	tcase_add_test(tc, test_direct_tcpip_bad);
	tcase_add_test(tc, test_direct_streamlocal);
	tcase_add_test(tc, test_global_requests);
	tcase_add_test(tc, test_forwarded_payloads);
	tcase_add_test(tc, test_permit_match);
	tcase_add_test(tc, test_policy_directions);
	tcase_add_test(tc, test_policy_lists_and_key);
	tcase_add_test(tc, test_policy_privileged);
	tcase_add_test(tc, test_bind_host);
	tcase_add_test(tc, test_policy_agent);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fwd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
