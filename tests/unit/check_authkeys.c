/* check_authkeys.c: authorized_keys lines and OpenSSH's key options. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/authkeys.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_authkeys.c, linked in: its corpus is replayed below. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ED_B64	"AAAAC3NzaC1lZDI1NTE5AAAAIP11BBjRHuAM3WppClax/m+5m04YE3fqOHXNN7iD1AvJ"
#define KEY	"ssh-ed25519 " ED_B64
#define RSA	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDHo+DEF8AAgY270CMiP0uWJLt00y" \
	"ZmtB4CqCxTlbMJFQB2+HQ1g96OdduFCHssU42b6EahAPBjgA+ply7nzFH+ksyf2Yp5AvF4J" \
	"wInj2749rpJxnz6Wy/uMg3WR0Jd7l4soFzovQOhEfs1aFy+rjJA6cth8KfVINWWYf6G02H4" \
	"Ulr/YKHvz2p/ulL17gf741xrYgGFunY5ULia/CDp39e5T1cO8OZCwqGCkrAmU3DFzqG1p2x" \
	"iBcQffKysPGjTJuM9aHpfmglI/QxA9I9qrMiMKTqqT2FsmKs+/EffdNtccAn/Ko1pIyEqTX" \
	"ZisY5AGdnTr160SFDXJAUfK6QUFjAd"

/* Parses a line that must be accepted. */
static struct authkeys_entry *
ok(const char *line)
{
	struct authkeys_entry *e = NULL;
	const char *why = NULL;
	int r = authkeys_parse_line(line, &e, &why);

	ck_assert_msg(r == 0, "refused \"%.80s\": %s (%d)", line,
	    why ? why : "?", r);
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(e->ae_key);
	return e;
}

/* A line that must be refused with a reason; returns the reason. */
static const char *
bad(const char *line)
{
	struct authkeys_entry *e = (void *)1;
	const char *why = NULL;
	int r = authkeys_parse_line(line, &e, &why);

	ck_assert_msg(r < 0, "accepted \"%.80s\" (%d)", line, r);
	ck_assert_ptr_null(e);
	ck_assert_ptr_nonnull(why);
	return why;
}

/* Options alone, which must parse. */
static struct authkeys_opts *
okopts(const char *s)
{
	struct authkeys_opts *o = NULL;
	const char *why = NULL;

	ck_assert_msg(authkeys_opts_parse(s, &o, &why) == 0,
	    "refused \"%s\": %s", s, why ? why : "?");
	return o;
}

static void
badopts(const char *s)
{
	struct authkeys_opts *o = (void *)1;
	const char *why = NULL;

	ck_assert_msg(authkeys_opts_parse(s, &o, &why) < 0, "accepted \"%s\"", s);
	ck_assert_ptr_null(o);
	ck_assert_ptr_nonnull(why);
}

static void
assert_perms(const struct authkeys_opts *o, int pty, int agent, int x11,
    int port, int rc)
{
	ck_assert_int_eq(o->ao_permit_pty, pty);
	ck_assert_int_eq(o->ao_permit_agent_forwarding, agent);
	ck_assert_int_eq(o->ao_permit_x11_forwarding, x11);
	ck_assert_int_eq(o->ao_permit_port_forwarding, port);
	ck_assert_int_eq(o->ao_permit_user_rc, rc);
}

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

/* Each no-* flag turns exactly its permission off; the positive forms
 * and any case are accepted. */
START_TEST(test_flags)
{
	static const struct {
		const char *opt;
		int pty, agent, x11, port, rc;
	} t[] = {
		{ "no-pty", 0, 1, 1, 1, 1 },
		{ "no-agent-forwarding", 1, 0, 1, 1, 1 },
		{ "no-X11-forwarding", 1, 1, 0, 1, 1 },
		{ "no-port-forwarding", 1, 1, 1, 0, 1 },
		{ "no-user-rc", 1, 1, 1, 1, 0 },
		{ "NO-PTY", 0, 1, 1, 1, 1 },
		{ "pty", 1, 1, 1, 1, 1 },
		{ "agent-forwarding,x11-forwarding,port-forwarding,user-rc",
		    1, 1, 1, 1, 1 },
		{ "no-pty,pty", 1, 1, 1, 1, 1 },
		{ "pty,no-pty", 0, 1, 1, 1, 1 },
		{ "no-pty,no-agent-forwarding,no-x11-forwarding,"
		    "no-port-forwarding,no-user-rc", 0, 0, 0, 0, 0 },
	};
	struct authkeys_entry *e;
	char line[512];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(line, sizeof(line), "%s %s", t[i].opt, KEY);
		e = ok(line);
		assert_perms(&e->ae_opts, t[i].pty, t[i].agent, t[i].x11,
		    t[i].port, t[i].rc);
		ck_assert_int_eq(e->ae_opts.ao_restricted, 0);
		authkeys_entry_free(e);
	}
	/* Flags take no value; only the forwarding flags have a no- form. */
	bad("pty=\"yes\" " KEY);
	bad("no-restrict " KEY);
	bad("no-cert-authority " KEY);
	bad("no- " KEY);
	bad("nopty " KEY);
	bad("ptyx " KEY);
}
END_TEST

START_TEST(test_restrict)
{
	static const struct {
		const char *opt;
		int pty, agent, x11, port, rc;
	} t[] = {
		{ "restrict", 0, 0, 0, 0, 0 },
		{ "restrict,pty", 1, 0, 0, 0, 0 },
		{ "restrict,agent-forwarding", 0, 1, 0, 0, 0 },
		{ "restrict,X11-forwarding", 0, 0, 1, 0, 0 },
		{ "restrict,port-forwarding", 0, 0, 0, 1, 0 },
		{ "restrict,user-rc", 0, 0, 0, 0, 1 },
		{ "RESTRICT,pty,user-rc", 1, 0, 0, 0, 1 },
		/* In order: a later restrict wins over an earlier re-allow. */
		{ "pty,restrict", 0, 0, 0, 0, 0 },
	};
	struct authkeys_entry *e;
	char line[512];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(line, sizeof(line), "%s %s", t[i].opt, KEY);
		e = ok(line);
		ck_assert_int_eq(e->ae_opts.ao_restricted, 1);
		assert_perms(&e->ae_opts, t[i].pty, t[i].agent, t[i].x11,
		    t[i].port, t[i].rc);
		authkeys_entry_free(e);
	}
}
END_TEST

START_TEST(test_command_quoting)
{
	static const struct { const char *in, *out; } t[] = {
		{ "command=\"/bin/true\"", "/bin/true" },
		{ "command=\"\"", "" },
		{ "command=\"echo \\\"hi\\\" there\"", "echo \"hi\" there" },
		{ "command=\"a\\\\b\"", "a\\\\b" },	/* other \ kept */
		{ "command=\"a\\nb\"", "a\\nb" },
		{ "command=\"x, y,z\ttab\"", "x, y,z\ttab" },
		{ "command=\"no-pty restrict\",no-pty", "no-pty restrict" },
		{ "COMMAND=\"up\"", "up" },
	};
	struct authkeys_entry *e;
	char line[512];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(line, sizeof(line), "%s %s c", t[i].in, KEY);
		e = ok(line);
		ck_assert_ptr_nonnull(e->ae_opts.ao_force_command);
		ck_assert_str_eq(e->ae_opts.ao_force_command, t[i].out);
		ck_assert_str_eq(e->ae_comment, "c");
		authkeys_entry_free(e);
	}
	ck_assert_str_eq(bad("command=\"unterminated " KEY), "missing end quote");
	bad("command=\"x\\\" " KEY);		/* the quote is escaped */
	/* No escape for a backslash: a value cannot end in one. */
	ck_assert_str_eq(bad("command=\"x\\\\\" " KEY), "missing end quote");
	ck_assert_str_eq(bad("command=/bin/true " KEY),
	    "option value is not quoted");
	ck_assert_str_eq(bad("command " KEY), "option needs a value");
	ck_assert_str_eq(bad("command=\"a\",command=\"b\" " KEY),
	    "multiple \"command\" clauses");
	bad("command=\"a\"x " KEY);		/* no comma after the quote */
	bad("command =\"a\" " KEY);
}
END_TEST

static struct authkeys_entry *
from_line(const char *pat)
{
	char line[1024];

	snprintf(line, sizeof(line), "from=\"%s\" %s", pat, KEY);
	return ok(line);
}

static int
from_ok(const struct authkeys_entry *e, const char *addr)
{
	const char *why = NULL;
	int r = authkeys_check(e, addr, 0, &why);

	if (r != 0) {
		ck_assert_int_eq(r, SSH_ERR_KEY_NOT_FOUND);
		ck_assert_ptr_nonnull(why);
		ck_assert_ptr_nonnull(strstr(why, "from="));
	}
	return r == 0;
}

START_TEST(test_from)
{
	struct authkeys_entry *e;

	e = from_line("10.0.0.0/8,!10.1.0.0/16");
	ck_assert_uint_eq(e->ae_opts.ao_nfrom, 1);
	ck_assert_uint_eq(e->ae_opts.ao_from[0].al_n, 2);
	ck_assert(from_ok(e, "10.2.3.4"));
	ck_assert(from_ok(e, "::ffff:10.2.3.4"));	/* v4-mapped */
	ck_assert(!from_ok(e, "10.1.2.3"));
	ck_assert(!from_ok(e, "::ffff:10.1.2.3"));
	ck_assert(!from_ok(e, "192.0.2.1"));
	ck_assert(!from_ok(e, "2001:db8::1"));
	ck_assert(!from_ok(e, NULL));
	authkeys_entry_free(e);

	e = from_line("2001:db8::/32,192.0.2.*");
	ck_assert(from_ok(e, "2001:db8:1::5"));
	ck_assert(!from_ok(e, "2001:db9::5"));
	ck_assert(from_ok(e, "192.0.2.77"));
	ck_assert(!from_ok(e, "192.0.3.77"));
	authkeys_entry_free(e);

	e = from_line("192.0.2.1");
	ck_assert(from_ok(e, "192.0.2.1"));
	ck_assert(!from_ok(e, "192.0.2.10"));
	authkeys_entry_free(e);

	/* Hostname patterns: we match numeric addresses only (no DNS). */
	e = from_line("*.example.com,!pc.example.com");
	ck_assert(!from_ok(e, "192.0.2.1"));
	authkeys_entry_free(e);
	e = from_line("*,!198.51.100.7");
	ck_assert(from_ok(e, "192.0.2.1"));
	ck_assert(!from_ok(e, "198.51.100.7"));
	authkeys_entry_free(e);
	/* Only negations: nothing matches (as in OpenSSH). */
	e = from_line("!192.0.2.1");
	ck_assert(!from_ok(e, "192.0.2.2"));
	authkeys_entry_free(e);

	bad("from=\"10.0.0.1/8\" " KEY);	/* host bits set */
	bad("from=\"10.0.0.0/33\" " KEY);
	bad("from=\"!fe80::/200\" " KEY);
	bad("from=\"nonsense/8\" " KEY);
	bad("from=\"\" " KEY);
	bad("from=\"a,,b\" " KEY);
	bad("from=\"a,\" " KEY);
	bad("from=\"!\" " KEY);
	ck_assert_str_eq(bad("from=\"a\",from=\"b\" " KEY),
	    "multiple \"from\" clauses");
}
END_TEST

START_TEST(test_parse_time)
{
	static const struct { const char *s; time_t t; } good[] = {
		{ "20250101Z", 1735689600 },
		{ "20250101z", 1735689600 },
		{ "202501011230Z", 1735689600 + 12 * 3600 + 30 * 60 },
		{ "20250101123045Z", 1735689600 + 12 * 3600 + 30 * 60 + 45 },
		{ "19700101Z", 0 },
		{ "20240229Z", 1709164800 },	/* leap day */
		{ "99991231235959Z", 253402300799 },
	};
	static const char *const badv[] = { "", "Z", "2025010", "2025010Z",
	    "202501011", "2025010112", "20250101123", "2025010112304",
	    "202501011230456", "20251301Z", "20250001Z", "20250100Z",
	    "20250230Z", "20230229Z", "20250101240000Z", "20250101236000Z",
	    "20250101235960Z", "19691231Z", "2025-01-01", "20250101ZZ",
	    "20250101Z0", " 20250101", "20250101 ", "+2025010" };
	time_t t;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(authkeys_parse_time(good[i].s, &t) == 0, "%s",
		    good[i].s);
		ck_assert_msg(t == good[i].t, "%s: %lld", good[i].s,
		    (long long)t);
	}
	for (i = 0; i < sizeof(badv) / sizeof(badv[0]); i++)
		ck_assert_msg(authkeys_parse_time(badv[i], &t) != 0, "%s",
		    badv[i]);
}
END_TEST

/* Without Z the time is local: a fixed zone five hours behind UTC. */
START_TEST(test_parse_time_local)
{
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	time_t t;

	setenv("TZ", "EST5", 1);
	tzset();
	ck_assert_int_eq(authkeys_parse_time("20250101", &t), 0);
	ck_assert_int_eq((long long)t, 1735689600LL + 5 * 3600);
	ck_assert_int_eq(authkeys_parse_time("202501010100", &t), 0);
	ck_assert_int_eq((long long)t, 1735689600LL + 6 * 3600);
	ck_assert_int_eq(authkeys_parse_time("20250101Z", &t), 0);
	ck_assert_int_eq((long long)t, 1735689600LL);
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}
END_TEST

START_TEST(test_expiry)
{
	struct authkeys_entry *e;
	const char *why = NULL;
	time_t t = 1735689600;	/* 2025-01-01T00:00:00Z */

	e = ok("expiry-time=\"20250101Z\" " KEY);
	ck_assert_int_eq(e->ae_opts.ao_has_expiry, 1);
	ck_assert_int_eq((long long)e->ae_opts.ao_expiry, (long long)t);
	ck_assert_int_eq(authkeys_check(e, "192.0.2.1", t - 86400, NULL), 0);
	ck_assert_int_eq(authkeys_check(e, "192.0.2.1", t, NULL), 0);
	ck_assert_int_eq(authkeys_check(e, "192.0.2.1", t + 1, &why),
	    SSH_ERR_KEY_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(why, "expired"));
	authkeys_entry_free(e);

	/* Given twice, the earlier one counts, in either order. */
	e = ok("expiry-time=\"20300101Z\",expiry-time=\"20250101Z\" " KEY);
	ck_assert_int_eq((long long)e->ae_opts.ao_expiry, (long long)t);
	authkeys_entry_free(e);
	e = ok("expiry-time=\"20250101Z\",expiry-time=\"20300101Z\" " KEY);
	ck_assert_int_eq((long long)e->ae_opts.ao_expiry, (long long)t);
	authkeys_entry_free(e);

	/* from= and expiry together: both must pass. */
	e = ok("from=\"192.0.2.0/24\",expiry-time=\"20250101Z\" " KEY);
	ck_assert_int_eq(authkeys_check(e, "192.0.2.1", t, NULL), 0);
	ck_assert_int_ne(authkeys_check(e, "192.0.2.1", t + 1, NULL), 0);
	ck_assert_int_ne(authkeys_check(e, "192.0.3.1", t, NULL), 0);
	authkeys_entry_free(e);

	ck_assert_str_eq(bad("expiry-time=\"2025\" " KEY), "invalid expiry-time");
	bad("expiry-time=\"20250231\" " KEY);
	bad("expiry-time=20250101 " KEY);
}
END_TEST

START_TEST(test_environment)
{
	struct authkeys_entry *e;

	e = ok("environment=\"FOO=bar baz\",environment=\"PATH=/bin:/usr/bin\","
	    "environment=\"FOO=second\",environment=\"EMPTY=\","
	    "environment=\"Q=\\\"x\\\"\" " KEY);
	ck_assert_uint_eq(e->ae_opts.ao_env.al_n, 4);
	ck_assert_str_eq(e->ae_opts.ao_env.al_v[0], "FOO=bar baz");
	ck_assert_str_eq(e->ae_opts.ao_env.al_v[1], "PATH=/bin:/usr/bin");
	ck_assert_str_eq(e->ae_opts.ao_env.al_v[2], "EMPTY=");
	ck_assert_str_eq(e->ae_opts.ao_env.al_v[3], "Q=\"x\"");
	authkeys_entry_free(e);
	/* FOO and FOOD are different names. */
	e = ok("environment=\"FOO=1\",environment=\"FOOD=2\" " KEY);
	ck_assert_uint_eq(e->ae_opts.ao_env.al_n, 2);
	authkeys_entry_free(e);
	ck_assert_str_eq(bad("environment=\"FOO\" " KEY),
	    "invalid environment string");
	bad("environment=\"=x\" " KEY);
	bad("environment=\"F-O=x\" " KEY);
	bad("environment=\"F O=x\" " KEY);
	bad("environment=\"\" " KEY);
}
END_TEST

START_TEST(test_permitopen)
{
	static const char *const good[] = { "host:22", "192.0.2.1:80",
	    "[::1]:22", "*:*", "host:*", "*.example.com:443", "h:65535" };
	static const char *const badv[] = { "host", ":22", "host:",
	    "host:0", "host:65536", "host:abc", "host:22x", "[::1]22",
	    "::1:22", "[]:22", "[::1:22", "host:-1", "host:+22",
	    "host:123456" };
	struct authkeys_entry *e;
	char line[512];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "permitopen=\"%s\" %s", good[i],
		    KEY);
		e = ok(line);
		ck_assert_uint_eq(e->ae_opts.ao_permitopen.al_n, 1);
		ck_assert_str_eq(e->ae_opts.ao_permitopen.al_v[0], good[i]);
		authkeys_entry_free(e);
	}
	for (i = 0; i < sizeof(badv) / sizeof(badv[0]); i++) {
		snprintf(line, sizeof(line), "permitopen=\"%s\" %s", badv[i],
		    KEY);
		bad(line);
	}
}
END_TEST

START_TEST(test_permitlisten)
{
	static const struct { const char *in, *out; } good[] = {
		{ "8080", "*:8080" }, { "*", "*:*" },
		{ "localhost:8080", "localhost:8080" },
		{ "[::1]:22000", "[::1]:22000" },
	};
	static const char *const badv[] = { "0", "65536", "", "host:",
	    "x:99999", "[::1]", "abc" };
	struct authkeys_entry *e;
	char line[512];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "permitlisten=\"%s\" %s",
		    good[i].in, KEY);
		e = ok(line);
		ck_assert_uint_eq(e->ae_opts.ao_permitlisten.al_n, 1);
		ck_assert_str_eq(e->ae_opts.ao_permitlisten.al_v[0],
		    good[i].out);
		authkeys_entry_free(e);
	}
	for (i = 0; i < sizeof(badv) / sizeof(badv[0]); i++) {
		snprintf(line, sizeof(line), "permitlisten=\"%s\" %s", badv[i],
		    KEY);
		bad(line);
	}
}
END_TEST

START_TEST(test_principals)
{
	struct authkeys_entry *e;

	e = ok("cert-authority,principals=\"alice,bob\" " KEY);
	ck_assert_int_eq(e->ae_opts.ao_cert_authority, 1);
	ck_assert_uint_eq(e->ae_opts.ao_principals.al_n, 2);
	ck_assert_int_eq(authkeys_principal_allowed(&e->ae_opts, "alice"), 1);
	ck_assert_int_eq(authkeys_principal_allowed(&e->ae_opts, "bob"), 1);
	ck_assert_int_eq(authkeys_principal_allowed(&e->ae_opts, "carol"), 0);
	ck_assert_int_eq(authkeys_principal_allowed(&e->ae_opts, "ali*"), 0);
	ck_assert_int_eq(authkeys_principal_allowed(&e->ae_opts, ""), 0);
	authkeys_entry_free(e);
	e = ok(KEY);
	ck_assert_int_eq(authkeys_principal_allowed(&e->ae_opts, "anyone"), 1);
	authkeys_entry_free(e);
	bad("principals=\"\" " KEY);
	bad("principals=\"a,,b\" " KEY);
	ck_assert_str_eq(bad("principals=\"a\",principals=\"b\" " KEY),
	    "multiple \"principals\" clauses");
	bad("cert-authority=\"x\" " KEY);
}
END_TEST

START_TEST(test_refused_features)
{
	struct authkeys_entry *e;

	ck_assert_ptr_nonnull(strstr(bad("verify-required " KEY), "FIDO"));
	ck_assert_ptr_nonnull(strstr(bad("no-touch-required " KEY), "FIDO"));
	ck_assert_ptr_nonnull(strstr(bad("tunnel=\"0\" " KEY), "tunnel"));
	bad("no-verify-required " KEY);
	e = ok("touch-required " KEY);
	assert_perms(&e->ae_opts, 1, 1, 1, 1, 1);
	authkeys_entry_free(e);
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
	ck_assert_str_eq(bad("ssh-dss AAAAB3NzaC1kc3MAAACBAP"),
	    "unsupported key type");
	ck_assert_str_eq(bad("sk-ssh-ed25519@openssh.com AAAA"),
	    "unsupported key type");
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

/* Lists stop at AUTHKEYS_LIST_MAX entries. */
START_TEST(test_list_caps)
{
	struct authkeys_opts *o;
	char *s;
	size_t i, o_len = 0, cap = 32 * (AUTHKEYS_LIST_MAX + 1) + 16;

	s = malloc(cap);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < AUTHKEYS_LIST_MAX; i++)
		o_len += (size_t)snprintf(s + o_len, cap - o_len,
		    "%spermitopen=\"h:%zu\"", i ? "," : "", i + 1);
	o = okopts(s);
	ck_assert_uint_eq(o->ao_permitopen.al_n, AUTHKEYS_LIST_MAX);
	authkeys_opts_free(o);
	snprintf(s + o_len, cap - o_len, ",permitopen=\"h:9\"");
	badopts(s);
	free(s);
}
END_TEST

START_TEST(test_opts_parse)
{
	struct authkeys_opts *o = okopts("");

	assert_perms(o, 1, 1, 1, 1, 1);
	authkeys_opts_free(o);
	o = okopts("restrict,port-forwarding");
	assert_perms(o, 0, 0, 0, 1, 0);
	authkeys_opts_free(o);
	badopts("pty x");
	badopts("pty ");
	badopts(" pty");
	badopts("bogus");
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
	bad("cert-authority,no-touch-required,principals=\"user_a\" " RSA);
	e = ok("cert-authority,principals=\"user_a\" " RSA);
	ck_assert_int_eq(e->ae_opts.ao_cert_authority, 1);
	authkeys_entry_free(e);
}
END_TEST

START_TEST(test_merge)
{
	struct authkeys_opts *d, *s;
	const char *why = NULL;

	/* Permissions: only what both allow. */
	d = okopts("no-agent-forwarding");
	s = okopts("restrict,pty,agent-forwarding");
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why), 0);
	assert_perms(d, 1, 0, 0, 0, 0);
	ck_assert_int_eq(d->ao_restricted, 1);
	authkeys_opts_free(d);
	authkeys_opts_free(s);

	/* A command from either side; the same one twice is fine. */
	d = okopts("");
	s = okopts("command=\"c\"");
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why), 0);
	ck_assert_str_eq(d->ao_force_command, "c");
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why), 0);
	authkeys_opts_free(s);
	/* Two different ones conflict, and dst stays as it was. */
	s = okopts("command=\"other\",no-pty");
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why),
	    SSH_ERR_KEY_CERT_MISMATCH);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(d->ao_force_command, "c");
	ck_assert_int_eq(d->ao_permit_pty, 1);
	authkeys_opts_free(d);
	authkeys_opts_free(s);

	/* Both from= lists must match; the earlier expiry counts. */
	d = okopts("from=\"10.0.0.0/8\",expiry-time=\"20300101Z\"");
	s = okopts("from=\"10.1.0.0/16,192.0.2.1\",expiry-time=\"20250101Z\"");
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why), 0);
	ck_assert_uint_eq(d->ao_nfrom, 2);
	ck_assert_int_eq(authkeys_opts_check(d, "10.1.2.3", 0, NULL), 0);
	ck_assert_int_ne(authkeys_opts_check(d, "10.2.2.3", 0, NULL), 0);
	ck_assert_int_ne(authkeys_opts_check(d, "192.0.2.1", 0, NULL), 0);
	ck_assert_int_eq((long long)d->ao_expiry, 1735689600LL);
	authkeys_opts_free(s);
	/* Past AUTHKEYS_FROM_MAX lists: refused. */
	s = okopts("from=\"*\"");
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why), 0);
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why), 0);
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why),
	    SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_uint_eq(d->ao_nfrom, AUTHKEYS_FROM_MAX);
	authkeys_opts_free(d);
	authkeys_opts_free(s);

	/* Lists on both sides: the shared entries; present but empty
	 * stays a restriction. */
	d = okopts("permitopen=\"a:1\",permitopen=\"b:2\",principals=\"x,y\"");
	s = okopts("permitopen=\"b:2\",permitopen=\"c:3\",principals=\"z\"");
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why), 0);
	ck_assert_uint_eq(d->ao_permitopen.al_n, 1);
	ck_assert_str_eq(d->ao_permitopen.al_v[0], "b:2");
	ck_assert_int_eq(d->ao_principals.al_set, 1);
	ck_assert_uint_eq(d->ao_principals.al_n, 0);
	ck_assert_int_eq(authkeys_principal_allowed(d, "x"), 0);
	ck_assert_int_eq(authkeys_principal_allowed(d, "z"), 0);
	authkeys_opts_free(s);
	/* A list on one side only is taken as is. */
	s = okopts("permitlisten=\"80\"");
	ck_assert_int_eq(authkeys_opts_merge(d, s, &why), 0);
	ck_assert_uint_eq(d->ao_permitlisten.al_n, 1);
	ck_assert_uint_eq(d->ao_permitopen.al_n, 1);
	authkeys_opts_free(d);
	authkeys_opts_free(s);
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
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_plain_key);
	tcase_add_test(tc, test_whitespace_and_comment);
	tcase_add_test(tc, test_empty_lines);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_restrict);
	tcase_add_test(tc, test_command_quoting);
	tcase_add_test(tc, test_from);
	tcase_add_test(tc, test_parse_time);
	tcase_add_test(tc, test_parse_time_local);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_environment);
	tcase_add_test(tc, test_permitopen);
	tcase_add_test(tc, test_permitlisten);
	tcase_add_test(tc, test_principals);
	tcase_add_test(tc, test_refused_features);
	tcase_add_test(tc, test_unknown_and_malformed);
	tcase_add_test(tc, test_options_without_key);
	tcase_add_test(tc, test_bad_keys);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_list_caps);
	tcase_add_test(tc, test_opts_parse);
	tcase_add_test(tc, test_openssh_examples);
	tcase_add_test(tc, test_merge);
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
