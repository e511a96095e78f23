/* check_authkeys.c: authorized_keys lines: keys, comments, malformed input. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/authkeys.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/authkeys_util.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_authkeys.c, linked in: its corpus is replayed below. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RSA	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDHo+DEF8AAgY270CMiP0uWJLt00y" \
	"ZmtB4CqCxTlbMJFQB2+HQ1g96OdduFCHssU42b6EahAPBjgA+ply7nzFH+ksyf2Yp5AvF4J" \
	"wInj2749rpJxnz6Wy/uMg3WR0Jd7l4soFzovQOhEfs1aFy+rjJA6cth8KfVINWWYf6G02H4" \
	"Ulr/YKHvz2p/ulL17gf741xrYgGFunY5ULia/CDp39e5T1cO8OZCwqGCkrAmU3DFzqG1p2x" \
	"iBcQffKysPGjTJuM9aHpfmglI/QxA9I9qrMiMKTqqT2FsmKs+/EffdNtccAn/Ko1pIyEqTX" \
	"ZisY5AGdnTr160SFDXJAUfK6QUFjAd"

START_TEST(test_plain_key)
{
	struct authkeys_entry *e = ok(KEY " my laptop");

	ck_assert_int_eq(key_type(e->ae_key), KEY_ED25519);
	ck_assert_str_eq(e->ae_comment, "my laptop");
	assert_perms(&e->ae_opts, 1, 1, 1, 1, 1);
	ck_assert_int_eq(e->ae_opts.ao_restricted, 0);
	ck_assert_int_eq(e->ae_opts.ao_cert_authority, 0);
	ck_assert_ptr_null(e->ae_opts.ao_force_command);
	ck_assert_uint_eq(e->ae_opts.ao_nfrom, 0);
	ck_assert_int_eq(e->ae_opts.ao_has_expiry, 0);
	ck_assert_int_eq(authkeys_check(e, "192.0.2.1", time(NULL), NULL), 0);
	authkeys_entry_free(e);
	e = ok("  \t" KEY "\r");
	ck_assert_ptr_null(e->ae_comment);
	authkeys_entry_free(e);
	e = ok(RSA);
	ck_assert_int_eq(key_type(e->ae_key), KEY_RSA);
	authkeys_entry_free(e);
}
END_TEST

/* Tabs separate as spaces do; option-like text after the key is only
 * comment, never options. */
START_TEST(test_whitespace_and_comment)
{
	struct authkeys_entry *e;

	e = ok("restrict,pty\tssh-ed25519\t" ED_B64 "\t two  words ");
	ck_assert_int_eq(e->ae_opts.ao_permit_pty, 1);
	ck_assert_int_eq(e->ae_opts.ao_permit_port_forwarding, 0);
	ck_assert_ptr_nonnull(e->ae_comment);
	ck_assert_ptr_nonnull(strstr(e->ae_comment, "two  words"));
	authkeys_entry_free(e);
	e = ok(KEY " command=\"/bin/false\",no-pty # not options");
	ck_assert_ptr_null(e->ae_opts.ao_force_command);
	assert_perms(&e->ae_opts, 1, 1, 1, 1, 1);
	ck_assert_str_eq(e->ae_comment,
	    "command=\"/bin/false\",no-pty # not options");
	authkeys_entry_free(e);
	e = ok("   restrict  \t " KEY);
	ck_assert_int_eq(e->ae_opts.ao_restricted, 1);
	authkeys_entry_free(e);
}
END_TEST

START_TEST(test_empty_lines)
{
	static const char *const lines[] = { "", " ", "\t \t", "\r", "#",
	    "# comment " KEY, "   #restrict " KEY };
	struct authkeys_entry *e;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		e = (void *)1;
		ck_assert_int_eq(authkeys_parse_line(lines[i], &e, NULL),
		    AUTHKEYS_LINE_EMPTY);
		ck_assert_ptr_null(e);
	}
}
END_TEST

START_TEST(test_unknown_and_malformed)
{
	ck_assert_str_eq(bad("foo " KEY), "unknown key option");
	ck_assert_str_eq(bad("no-foo " KEY), "unknown key option");
	ck_assert_str_eq(bad("pty,foo=\"x\" " KEY), "unknown key option");
	ck_assert_str_eq(bad("restrict,,pty " KEY), "unknown key option");
	ck_assert_str_eq(bad(",pty " KEY), "unknown key option");
	ck_assert_str_eq(bad("pty, " KEY), "unknown key option");
	ck_assert_str_eq(bad("restrict=\"1\" " KEY), "option takes no value");
	/* A space ends the options: "restrict" would be read as a key type. */
	bad("pty, restrict " KEY);
	bad("pty restrict " KEY);
	bad("pty;restrict " KEY);
}
END_TEST

START_TEST(test_options_without_key)
{
	ck_assert_str_eq(bad("restrict"), "options without a key");
	ck_assert_str_eq(bad("restrict \t "), "options without a key");
	ck_assert_str_eq(bad("command=\"ssh-ed25519 " ED_B64 "\""),
	    "options without a key");
	bad("restrict ssh-ed25519");
	bad("restrict ssh-ed25519 ");
	bad("ssh-ed25519");
	bad("ssh-ed25519 ");
}
END_TEST

START_TEST(test_bad_keys)
{
	ck_assert_str_eq(bad("ssh-ed25519 AAAA!!!! c"), "invalid key");
	ck_assert_str_eq(bad("restrict ssh-ed25519 AAAA c"), "invalid key");
	bad("ssh-ed25519 " ED_B64 "x");
	bad("ssh-ed25519 " "AAAAC3NzaC1lZDI1NTE5AAAAIP11BBjRHuAM3WppClax/m+5m04"
	    "YE3fqOHXNN7iD1Av");			/* truncated blob */
	/* The named type must be the blob's. */
	bad("ssh-rsa " ED_B64);
	bad("restrict ecdsa-sha2-nistp256 " ED_B64);
	ck_assert_str_eq(bad("ssh-dsa AAAAB3NzaC1kc3MAAACBAP"),
	    "unsupported key type");
	ck_assert_str_eq(bad("ssh-dss AAAAB3NzaC1kc3MAAACBAP"),
	    "invalid key");			/* truncated */
	ck_assert_str_eq(bad("sk-ssh-ed25519@openssh.com AAAA"),
	    "invalid key");
	ck_assert_str_eq(bad("ssh-ed25519-cert-v01@openssh.com AAAA"),
	    "unsupported key type");
	bad("restrict sk-ecdsa-sha2-nistp256@openssh.com AAAA");
	bad("restrict notakeytype " ED_B64);
}
END_TEST

/* Every prefix of a line with every kind of option either parses (then
 * with the full line's key) or is refused with a reason. */
START_TEST(test_truncations)
{
	static const char full[] = "restrict,pty,command=\"echo \\\"a b\\\"\","
	    "from=\"10.0.0.0/8,!10.1.0.0/16,*.example.com\","
	    "environment=\"A=b c\",permitopen=\"[::1]:22\",permitlisten=\"80\","
	    "expiry-time=\"20301231235959Z\",principals=\"u1,u2\","
	    "cert-authority,no-user-rc " KEY " comment here";
	struct authkeys_entry *ref = ok(full), *e;
	const char *why;
	char buf[sizeof(full)];
	size_t n, parsed = 0;
	int r;

	for (n = 0; n < sizeof(full); n++) {
		memcpy(buf, full, n);
		buf[n] = '\0';
		e = NULL;
		why = NULL;
		r = authkeys_parse_line(buf, &e, &why);
		if (r == 0) {
			parsed++;
			ck_assert_int_eq(key_equal_public(e->ae_key,
			    ref->ae_key), 0);
			ck_assert_uint_eq(e->ae_opts.ao_from[0].al_n, 3);
			authkeys_entry_free(e);
		} else if (n == 0)
			ck_assert_int_eq(r, AUTHKEYS_LINE_EMPTY);
		else {
			ck_assert_int_lt(r, 0);
			ck_assert_ptr_nonnull(why);
			ck_assert_ptr_null(e);
		}
	}
	/* Only prefixes that end inside or just before the comment. */
	ck_assert_uint_eq(parsed, strlen(" comment here") + 1);
	authkeys_entry_free(ref);
}
END_TEST

START_TEST(test_long_lines)
{
	struct authkeys_entry *e;
	const char *why = NULL;
	char *line;
	size_t n;

	line = malloc(AUTHKEYS_LINE_MAX + 3);
	ck_assert_ptr_nonnull(line);
	/* KEY, a space and a comment filling the line to exactly the cap. */
	n = strlen(KEY " ");
	memcpy(line, KEY " ", n);
	memset(line + n, 'c', AUTHKEYS_LINE_MAX - n);
	line[AUTHKEYS_LINE_MAX] = '\0';
	e = ok(line);
	ck_assert_uint_eq(strlen(e->ae_comment), AUTHKEYS_LINE_MAX - n);
	authkeys_entry_free(e);
	/* The line ending does not count. */
	line[AUTHKEYS_LINE_MAX] = '\r';
	line[AUTHKEYS_LINE_MAX + 1] = '\0';
	authkeys_entry_free(ok(line));
	line[AUTHKEYS_LINE_MAX] = 'c';
	ck_assert_int_eq(authkeys_parse_line(line, &e, &why),
	    SSH_ERR_STRING_TOO_LARGE);
	ck_assert_str_eq(why, "line too long");
	/* An overlong option value, and an overlong comment line, too. */
	memcpy(line, "command=\"", 9);
	memset(line + 9, 'x', AUTHKEYS_LINE_MAX + 1 - 9);
	line[AUTHKEYS_LINE_MAX + 1] = '\0';
	ck_assert_int_eq(authkeys_parse_line(line, &e, &why),
	    SSH_ERR_STRING_TOO_LARGE);
	line[0] = '#';
	ck_assert_int_eq(authkeys_parse_line(line, &e, &why),
	    SSH_ERR_STRING_TOO_LARGE);
	free(line);
}
END_TEST

/* The examples of sshd(8)'s AUTHORIZED_KEYS FILE FORMAT. */
START_TEST(test_openssh_examples)
{
	struct authkeys_entry *e;

	e = ok("restrict,command=\"dump /home\" " RSA " user@example.net");
	assert_perms(&e->ae_opts, 0, 0, 0, 0, 0);
	ck_assert_str_eq(e->ae_opts.ao_force_command, "dump /home");
	ck_assert_str_eq(e->ae_comment, "user@example.net");
	authkeys_entry_free(e);

	e = ok("from=\"*.sales.example.net,!pc.sales.example.net\" " RSA
	    " john@example.net");
	ck_assert_uint_eq(e->ae_opts.ao_from[0].al_n, 2);
	authkeys_entry_free(e);

	e = ok("command=\"dump /home\",no-pty,no-port-forwarding " RSA
	    " example.net");
	assert_perms(&e->ae_opts, 0, 1, 1, 0, 1);
	authkeys_entry_free(e);

	e = ok("permitopen=\"192.0.2.1:80\",permitopen=\"192.0.2.2:25\" " RSA);
	ck_assert_uint_eq(e->ae_opts.ao_permitopen.al_n, 2);
	ck_assert_str_eq(e->ae_opts.ao_permitopen.al_v[1], "192.0.2.2:25");
	authkeys_entry_free(e);

	e = ok("permitlisten=\"localhost:8080\",permitlisten=\"[::1]:22000\" "
	    RSA);
	ck_assert_uint_eq(e->ae_opts.ao_permitlisten.al_n, 2);
	authkeys_entry_free(e);

	e = ok("restrict,pty,command=\"nethack\" " RSA);
	assert_perms(&e->ae_opts, 1, 0, 0, 0, 0);
	authkeys_entry_free(e);

	bad("tunnel=\"0\",command=\"sh /etc/netstart tun0\" " RSA " jane@example.net");
	e = ok("cert-authority,no-touch-required,principals=\"user_a\" " RSA);
	ck_assert_int_eq(e->ae_opts.ao_cert_authority, 1);
	ck_assert_int_eq(e->ae_opts.ao_no_touch_required, 1);
	authkeys_entry_free(e);
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("authkeys", LLVMFuzzerTestOneInput),
	    0);
}
END_TEST

static Suite *
authkeys_suite(void)
{
	Suite *s = suite_create("authkeys");
	TCase *tc = tcase_create("lines");

	tcase_add_test(tc, test_plain_key);
	tcase_add_test(tc, test_whitespace_and_comment);
	tcase_add_test(tc, test_empty_lines);
	tcase_add_test(tc, test_unknown_and_malformed);
	tcase_add_test(tc, test_options_without_key);
	tcase_add_test(tc, test_bad_keys);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_openssh_examples);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(authkeys_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
