/* check_authkeys_opts.c: OpenSSH's key options, alone and on lines. */
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

	ck_assert_ptr_nonnull(strstr(bad("tunnel=\"0\" " KEY), "tunnel"));
	bad("no-verify-required " KEY);
	bad("verify-required=\"x\" " KEY);
	e = ok("touch-required " KEY);
	assert_perms(&e->ae_opts, 1, 1, 1, 1, 1);
	ck_assert_int_eq(e->ae_opts.ao_no_touch_required, 0);
	authkeys_entry_free(e);
}
END_TEST

/* The FIDO options are recorded for the monitor (authkeys_sk_check). */
START_TEST(test_fido_options)
{
	struct authkeys_entry *e;

	e = ok("no-touch-required " KEY);
	ck_assert_int_eq(e->ae_opts.ao_no_touch_required, 1);
	ck_assert_int_eq(e->ae_opts.ao_verify_required, 0);
	authkeys_entry_free(e);
	e = ok("NO-TOUCH-REQUIRED,verify-required,restrict " KEY);
	ck_assert_int_eq(e->ae_opts.ao_no_touch_required, 1);
	ck_assert_int_eq(e->ae_opts.ao_verify_required, 1);
	authkeys_entry_free(e);
	e = ok("no-touch-required,touch-required " KEY);
	ck_assert_int_eq(e->ae_opts.ao_no_touch_required, 0);
	authkeys_entry_free(e);
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

static Suite *
authkeys_opts_suite(void)
{
	Suite *s = suite_create("authkeys_opts");
	TCase *tc = tcase_create("options");

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
	tcase_add_test(tc, test_fido_options);
	tcase_add_test(tc, test_list_caps);
	tcase_add_test(tc, test_opts_parse);
	tcase_add_test(tc, test_merge);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(authkeys_opts_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
