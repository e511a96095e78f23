/*
 * check_config_match.c: match blocks: which apply to a connection, in
 * which order, and the pattern lists they use.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"
#include "common/match.h"
#include "protocol/ssherr.h"
#include "tests/unit/config_util.h"

/* --- match blocks --- */

static struct cfg_settings *
eff(struct cfg *cfg, const char *user, const char *const *g, size_t ng,
    const char *addr)
{
	struct cfg_settings *s = NULL;

	ck_assert_int_eq(cfg_effective(cfg, user, g, ng, addr, &s), 0);
	ck_assert_ptr_nonnull(s);
	return s;
}

START_TEST(test_match_none)
{
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s = eff(cfg, "alice", NULL, 0, "10.1.1.1");

	ck_assert_int_eq(s->limits.max_session_time, 6);
	ck_assert_int_eq(s->forwarding.tcp, CFG_FWD_YES);
	ck_assert_int_eq(s->log_level, LOG_LVL_INFO);
	ck_assert_int_eq(s->scp.enabled, 1);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_match_users)
{
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s = eff(cfg, "carol", NULL, 0, "10.1.1.1");

	ck_assert_int_eq(s->limits.max_session_time, 2);
	cfg_settings_free(s);
	/* Case matters, as user names do. */
	s = eff(cfg, "Carol", NULL, 0, "10.1.1.1");
	ck_assert_int_eq(s->limits.max_session_time, 6);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_match_negation)
{
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s;

	/* Block 1 excludes 10.9.0.0/16 for carol. */
	s = eff(cfg, "carol", NULL, 0, "10.9.3.4");
	ck_assert_int_eq(s->limits.max_session_time, 6);
	cfg_settings_free(s);
	/* Block 2: svc-* but not svc-admin. */
	s = eff(cfg, "svc-backup", NULL, 0, "10.1.1.1");
	ck_assert_int_eq(s->forwarding.tcp, CFG_FWD_NO);
	cfg_settings_free(s);
	s = eff(cfg, "svc-admin", NULL, 0, "10.1.1.1");
	ck_assert_int_eq(s->forwarding.tcp, CFG_FWD_YES);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_match_groups)
{
	static const char *const g1[] = { "users", "sftponly" };
	static const char *const g2[] = { "staff" };
	static const char *const g3[] = { "staff", "contractors" };
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s;

	s = eff(cfg, "dave", g1, 2, "10.1.1.1");
	ck_assert_uint_eq(s->sftp.nmounts, 1);
	ck_assert_str_eq(s->sftp.mounts[0].path, "/data");
	ck_assert_int_eq(s->scp.enabled, 0);
	ck_assert_int_eq(s->limits.idle_timeout, 0);
	cfg_settings_free(s);
	s = eff(cfg, "erin", g2, 1, "10.1.1.1");
	ck_assert_int_eq(s->limits.idle_timeout, 60);
	ck_assert_uint_eq(s->sftp.nmounts, 0);
	cfg_settings_free(s);
	/* One group matching a negated pattern vetoes the block. */
	s = eff(cfg, "frank", g3, 2, "10.1.1.1");
	ck_assert_int_eq(s->limits.idle_timeout, 0);
	cfg_settings_free(s);
	/* No groups known: group blocks do not apply. */
	s = eff(cfg, "erin", NULL, 0, "10.1.1.1");
	ck_assert_int_eq(s->limits.idle_timeout, 0);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_match_ipv4)
{
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s;

	s = eff(cfg, "alice", NULL, 0, "192.168.200.1");
	ck_assert_int_eq(s->log_level, LOG_LVL_DEBUG);
	cfg_settings_free(s);
	s = eff(cfg, "alice", NULL, 0, "192.169.0.1");
	ck_assert_int_eq(s->log_level, LOG_LVL_INFO);
	cfg_settings_free(s);
	/* A dual-stack socket reports IPv4 clients as mapped addresses. */
	s = eff(cfg, "alice", NULL, 0, "::ffff:192.168.0.9");
	ck_assert_int_eq(s->log_level, LOG_LVL_DEBUG);
	cfg_settings_free(s);
	/* Wildcards over the text: 172.16.?.* */
	s = eff(cfg, "alice", NULL, 0, "172.16.5.77");
	ck_assert_int_eq(s->auth.login_grace_time, 10);
	cfg_settings_free(s);
	s = eff(cfg, "alice", NULL, 0, "172.16.55.77");
	ck_assert_int_eq(s->auth.login_grace_time, 120);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_match_ipv6)
{
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s;

	s = eff(cfg, "alice", NULL, 0, "2001:db8:1::5");
	ck_assert_int_eq(s->limits.max_sessions, 1);
	cfg_settings_free(s);
	s = eff(cfg, "alice", NULL, 0, "2001:db9::5");
	ck_assert_int_eq(s->limits.max_sessions, 10);
	cfg_settings_free(s);
	/* An IPv4 network never matches an IPv6 client, nor the reverse. */
	s = eff(cfg, "alice", NULL, 0, "::1");
	ck_assert_int_eq(s->limits.max_sessions, 10);
	ck_assert_int_eq(s->log_level, LOG_LVL_INFO);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

/* Blocks apply in file order: block 6 overrides block 1 for bob. */
START_TEST(test_match_order)
{
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s = eff(cfg, "bob", NULL, 0, "192.168.1.1");

	ck_assert_int_eq(s->limits.max_session_time, 4);
	ck_assert_uint_eq(s->auth.methods.n, 1);
	ck_assert_str_eq(s->auth.methods.v[0], "publickey");
	/* Block 4 applied as well. */
	ck_assert_int_eq(s->log_level, LOG_LVL_DEBUG);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_match_null_user)
{
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s = eff(cfg, NULL, NULL, 0, "172.16.1.1");

	/* Blocks naming users do not apply; address-only blocks do. */
	ck_assert_int_eq(s->limits.max_session_time, 6);
	ck_assert_int_eq(s->forwarding.tcp, CFG_FWD_YES);
	ck_assert_int_eq(s->auth.login_grace_time, 10);
	cfg_settings_free(s);
	/* No address known: address blocks do not apply. */
	s = eff(cfg, "bob", NULL, 0, NULL);
	ck_assert_int_eq(s->limits.max_session_time, 4);
	ck_assert_int_eq(s->auth.login_grace_time, 120);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

/* The effective copy is independent of the loaded config. */
START_TEST(test_effective_is_a_copy)
{
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s = eff(cfg, "bob", NULL, 0, "10.1.1.1");

	cfg_free(cfg);
	ck_assert_str_eq(s->auth.methods.v[0], "publickey");
	ck_assert_str_eq(s->privsep.user, "nanossh");
	cfg_settings_free(s);
}
END_TEST

/* allow/deny lists per connection; the penalties stay global. */
START_TEST(test_match_members)
{
	struct cfg *cfg = load_ok("tests/config/match-members.conf");
	const struct cfg_settings *g = cfg_global(cfg);
	struct cfg_settings *s;

	ck_assert_uint_eq(g->auth.allow_users.n, 3);
	ck_assert_str_eq(g->auth.allow_users.v[2], "!svc-admin");
	ck_assert_uint_eq(g->auth.deny_groups.n, 1);
	ck_assert_int_eq(g->limits.penalties.min, 5);
	ck_assert_int_eq(g->limits.penalties.max, 60);
	ck_assert_uint_eq(g->limits.penalties.exempt.n, 2);
	ck_assert_str_eq(g->limits.penalties.exempt.v[1], "!10.9.*");
	s = eff(cfg, "alice", NULL, 0, "192.168.7.7");
	ck_assert_uint_eq(s->auth.allow_users.n, 0);
	ck_assert_uint_eq(s->auth.deny_users.n, 1);
	ck_assert_str_eq(s->auth.deny_users.v[0], "root");
	ck_assert_uint_eq(s->auth.allow_groups.n, 1);
	ck_assert_str_eq(s->auth.allow_groups.v[0], "ops");
	/* Not named in the block: the global value. */
	ck_assert_str_eq(s->auth.deny_groups.v[0], "contractors");
	cfg_settings_free(s);
	s = eff(cfg, "alice", NULL, 0, "10.1.1.1");
	ck_assert_uint_eq(s->auth.allow_users.n, 3);
	ck_assert_uint_eq(s->auth.deny_users.n, 0);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_match_patterns)
{
	static char *pos[] = { "a*", "!ab*" };
	static char *nets[] = { "10.0.0.0/8", "!10.1.0.0/16",
	    "2001:db8::/32", "fe80::1" };

	ck_assert_int_eq(match_pattern("abc", "a?c"), 1);
	ck_assert_int_eq(match_pattern("abc", "a*"), 1);
	ck_assert_int_eq(match_pattern("abc", "*c"), 1);
	ck_assert_int_eq(match_pattern("abc", "*b*"), 1);
	ck_assert_int_eq(match_pattern("abc", "ab"), 0);
	ck_assert_int_eq(match_pattern("", "*"), 1);
	ck_assert_int_eq(match_pattern("", "?"), 0);
	ck_assert_int_eq(match_pattern("aaaaaaaaaaaaaaaaaaaab",
	    "*a*a*a*a*a*a*c"), 0);
	ck_assert_int_eq(match_list("axe", pos, 2), 1);
	ck_assert_int_eq(match_list("abe", pos, 2), 0);
	ck_assert_int_eq(match_list("b", pos, 2), 0);
	ck_assert_int_eq(match_addr_list("10.2.3.4", nets, 4), 1);
	ck_assert_int_eq(match_addr_list("10.1.3.4", nets, 4), 0);
	ck_assert_int_eq(match_addr_list("11.0.0.1", nets, 4), 0);
	ck_assert_int_eq(match_addr_list("2001:db8:ffff::1", nets, 4), 1);
	ck_assert_int_eq(match_addr_list("2001:db7::1", nets, 4), 0);
	ck_assert_int_eq(match_addr_list("fe80::1", nets, 4), 1);
	ck_assert_int_eq(match_addr_pattern_valid("10.0.0.0/8"), 0);
	ck_assert_int_eq(match_addr_pattern_valid("0.0.0.0/0"), 0);
	ck_assert_int_eq(match_addr_pattern_valid("10.128.0.0/9"), 0);
	ck_assert_int_eq(match_addr_pattern_valid("10.192.0.0/9"),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(match_addr_pattern_valid("::/0"), 0);
	ck_assert_int_eq(match_addr_pattern_valid("2001:db8::/129"),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(match_addr_pattern_valid("10.0.0.0/"),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(match_addr_pattern_valid("10.*"), 0);
	ck_assert_int_eq(match_addr_pattern_valid("host.example"),
	    SSH_ERR_INVALID_FORMAT);
}
END_TEST

static Suite *
config_match_suite(void)
{
	Suite *s = suite_create("config_match");
	TCase *tc;

	tc = tcase_create("match");
	tcase_add_test(tc, test_match_none);
	tcase_add_test(tc, test_match_users);
	tcase_add_test(tc, test_match_negation);
	tcase_add_test(tc, test_match_groups);
	tcase_add_test(tc, test_match_ipv4);
	tcase_add_test(tc, test_match_ipv6);
	tcase_add_test(tc, test_match_order);
	tcase_add_test(tc, test_match_null_user);
	tcase_add_test(tc, test_effective_is_a_copy);
	tcase_add_test(tc, test_match_patterns);
	tcase_add_test(tc, test_match_members);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_match_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
