/*
 * check_config.c: the configuration table: good files, every kind of bad
 * file with its exact error lines, -o overrides, match selection, the -T
 * dump round trip, the example config and the man page's coverage.
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

#ifndef SRCDIR
#define SRCDIR "."
#endif

static const char *
srcdir(void)
{
	const char *s = getenv("NANOSSH_SRCDIR");

	return s != NULL && *s != '\0' ? s : SRCDIR;
}

/* The path of a file in the source tree (static buffer, one at a time). */
static const char *
src(const char *rel)
{
	static char buf[4][4096];
	static int next;
	char *b = buf[next];

	next = (next + 1) % 4;
	snprintf(b, sizeof(buf[0]), "%s/%s", srcdir(), rel);
	return b;
}

static struct cfg *
load_ok_o(const char *path, const char *const *o, size_t n)
{
	struct cfg *cfg = NULL;
	char *errs = NULL;
	int r = cfg_load(path, o, n, &cfg, &errs);

	ck_assert_msg(r == 0, "%s: %s", path, errs != NULL ? errs : "?");
	ck_assert_ptr_null(errs);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

static struct cfg *
load_ok(const char *rel)
{
	return load_ok_o(src(rel), NULL, 0);
}

/* Loads and expects failure; returns the error text (caller frees). */
static char *
load_bad_o(const char *path, const char *const *o, size_t n)
{
	struct cfg *cfg = NULL;
	char *errs = NULL;
	int r = cfg_load(path, o, n, &cfg, &errs);

	ck_assert_int_ne(r, 0);
	ck_assert_ptr_null(cfg);
	ck_assert_ptr_nonnull(errs);
	return errs;
}

/* --- good files --- */

START_TEST(test_defaults)
{
	struct cfg *cfg = load_ok("tests/config/empty.conf");
	const struct cfg_settings *s = cfg_global(cfg);

	ck_assert_str_eq(cfg_path(cfg), src("tests/config/empty.conf"));
	ck_assert_uint_eq(s->listen.n, 2);
	ck_assert_str_eq(s->listen.v[0], "0.0.0.0:22");
	ck_assert_str_eq(s->listen.v[1], "[::]:22");
	ck_assert_uint_eq(s->host_keys.n, 3);
	ck_assert_str_eq(s->host_keys.v[0],
	    SYSCONFDIR "/nanossh/ssh_host_ed25519_key");
	ck_assert_str_eq(s->host_keys.v[2],
	    SYSCONFDIR "/nanossh/ssh_host_rsa_key");
	ck_assert_uint_eq(s->host_certificates.n, 0);
	ck_assert_str_eq(s->pid_file, "/run/nanosshd.pid");
	ck_assert_int_eq(s->log_level, LOG_LVL_INFO);
	ck_assert_int_eq(s->log_facility, LOG_AUTH);
	ck_assert_str_eq(s->privsep.user, "nanossh");
	ck_assert_str_eq(s->privsep.chroot, "/var/empty/nanossh");
	ck_assert_uint_eq(s->auth.methods.n, 3);
	ck_assert_str_eq(s->auth.methods.v[0], "publickey");
	ck_assert_str_eq(s->auth.authorized_keys.v[0],
	    "%h/.ssh/authorized_keys");
	ck_assert_int_eq(s->auth.password_backend, CFG_PW_PAM);
	ck_assert_str_eq(s->auth.password_file, "");
	ck_assert_int_eq(s->auth.permit_root_login,
	    CFG_ROOT_PROHIBIT_PASSWORD);
	ck_assert_int_eq(s->auth.max_tries, 6);
	ck_assert_int_eq(s->auth.login_grace_time, 120);
	ck_assert_str_eq(s->auth.banner, "");
	ck_assert_str_eq(s->auth.trusted_user_ca_keys, "");
	ck_assert_str_eq(s->auth.revoked_keys, "");
	ck_assert_str_eq(s->auth.x509.ca_file, "");
	ck_assert_uint_eq(s->auth.allow_users.n, 0);
	ck_assert_uint_eq(s->auth.deny_users.n, 0);
	ck_assert_uint_eq(s->auth.allow_groups.n, 0);
	ck_assert_uint_eq(s->auth.deny_groups.n, 0);
	ck_assert_uint_eq(s->crypto.kex.n, 9);
	ck_assert_str_eq(s->crypto.kex.v[0], "curve25519-sha256");
	ck_assert_str_eq(s->crypto.kex.v[8], "diffie-hellman-group14-sha256");
	ck_assert_uint_eq(s->crypto.ciphers.n, 6);
	ck_assert_str_eq(s->crypto.ciphers.v[0],
	    "chacha20-poly1305@openssh.com");
	ck_assert_uint_eq(s->crypto.macs.n, 4);
	ck_assert_str_eq(s->crypto.macs.v[3], "hmac-sha2-512");
	/* OpenSSH's order: certificate algorithms first. */
	ck_assert_uint_eq(s->crypto.host_key_algorithms.n, 12);
	ck_assert_str_eq(s->crypto.host_key_algorithms.v[0],
	    "ssh-ed25519-cert-v01@openssh.com");
	ck_assert_str_eq(s->crypto.host_key_algorithms.v[5],
	    "rsa-sha2-256-cert-v01@openssh.com");
	ck_assert_str_eq(s->crypto.host_key_algorithms.v[11], "rsa-sha2-256");
	ck_assert(s->crypto.rekey_limit == 1ULL << 30);
	ck_assert_int_eq(s->crypto.rekey_interval, 3600);
	ck_assert_int_eq(s->limits.startups_begin, 10);
	ck_assert_int_eq(s->limits.startups_rate, 30);
	ck_assert_int_eq(s->limits.startups_full, 100);
	ck_assert_int_eq(s->limits.max_sessions, 10);
	ck_assert_int_eq(s->limits.max_session_time, 0);
	ck_assert_int_eq(s->limits.keepalive_interval, 0);
	ck_assert_int_eq(s->limits.keepalive_count_max, 3);
	ck_assert_int_eq(s->limits.idle_timeout, 0);
	ck_assert_int_eq(s->limits.penalties.enabled, 1);
	ck_assert_int_eq(s->limits.penalties.authfail, 5);
	ck_assert_int_eq(s->limits.penalties.grace_exceeded, 10);
	ck_assert_int_eq(s->limits.penalties.crash, 90);
	ck_assert_int_eq(s->limits.penalties.min, 15);
	ck_assert_int_eq(s->limits.penalties.max, 600);
	ck_assert_uint_eq(s->limits.penalties.exempt.n, 2);
	ck_assert_str_eq(s->limits.penalties.exempt.v[0], "127.0.0.0/8");
	ck_assert_str_eq(s->limits.penalties.exempt.v[1], "::1");
	ck_assert_int_eq(s->forwarding.tcp, CFG_FWD_YES);
	ck_assert_str_eq(s->forwarding.permit_open.v[0], "any");
	ck_assert_str_eq(s->forwarding.permit_listen.v[0], "any");
	ck_assert_int_eq(s->forwarding.gateway_ports, 0);
	ck_assert_int_eq(s->sftp.enabled, 1);
	ck_assert_str_eq(s->sftp.home, "");
	ck_assert_uint_eq(s->sftp.nmounts, 0);
	ck_assert_int_eq(s->scp.enabled, 1);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_full)
{
	struct cfg *cfg = load_ok("tests/config/good-full.conf");
	const struct cfg_settings *s = cfg_global(cfg);

	ck_assert_uint_eq(s->listen.n, 3);
	ck_assert_str_eq(s->listen.v[2], ":2200");
	ck_assert_uint_eq(s->host_keys.n, 2);
	ck_assert_str_eq(s->host_certificates.v[0],
	    "/etc/nanossh/a_key-cert.pub");
	ck_assert_str_eq(s->pid_file, "/run/other.pid");
	ck_assert_int_eq(s->log_level, LOG_LVL_VERBOSE);
	ck_assert_int_eq(s->log_facility, LOG_LOCAL3);
	ck_assert_str_eq(s->privsep.user, "sshpriv");
	ck_assert_str_eq(s->privsep.chroot, "/var/empty/x");
	ck_assert_uint_eq(s->auth.methods.n, 2);
	ck_assert_str_eq(s->auth.methods.v[0], "publickey,password");
	ck_assert_str_eq(s->auth.authorized_keys.v[1], "/etc/nanossh/keys/%u");
	ck_assert_int_eq(s->auth.password_backend, CFG_PW_SHADOW);
	ck_assert_str_eq(s->auth.password_file, "/etc/nanossh/passwd");
	ck_assert_int_eq(s->auth.permit_root_login, CFG_ROOT_NO);
	ck_assert_int_eq(s->auth.max_tries, 3);
	ck_assert_int_eq(s->auth.login_grace_time, 30);
	ck_assert_uint_eq(s->crypto.kex.n, 2);
	ck_assert_str_eq(s->crypto.ciphers.v[0], "aes256-gcm@openssh.com");
	ck_assert_str_eq(s->crypto.macs.v[1], "hmac-sha1");
	ck_assert_str_eq(s->crypto.host_key_algorithms.v[1], "ssh-rsa");
	ck_assert(s->crypto.rekey_limit == 512ULL << 20);
	ck_assert_int_eq(s->crypto.rekey_interval, 600);
	ck_assert_int_eq(s->limits.startups_begin, 5);
	ck_assert_int_eq(s->limits.startups_rate, 50);
	ck_assert_int_eq(s->limits.startups_full, 20);
	ck_assert_int_eq(s->limits.max_sessions, 2);
	ck_assert_int_eq(s->limits.max_session_time, 86400);
	ck_assert_int_eq(s->limits.keepalive_interval, 15);
	ck_assert_int_eq(s->limits.keepalive_count_max, 4);
	ck_assert_int_eq(s->limits.idle_timeout, 900);
	ck_assert_int_eq(s->forwarding.tcp, CFG_FWD_LOCAL);
	ck_assert_uint_eq(s->forwarding.permit_open.n, 4);
	ck_assert_str_eq(s->forwarding.permit_open.v[3], "[2001:db8::1]:80");
	ck_assert_str_eq(s->forwarding.permit_listen.v[0], "none");
	ck_assert_int_eq(s->forwarding.gateway_ports, 1);
	ck_assert_int_eq(s->sftp.enabled, 0);
	ck_assert_str_eq(s->sftp.home, "/srv/sftp");
	ck_assert_uint_eq(s->sftp.nmounts, 3);
	ck_assert_str_eq(s->sftp.mounts[2].target, "%h/files-%u");
	ck_assert_int_eq(s->sftp.force, 1);
	ck_assert_int_eq(s->sftp.secure_path, 0);
	ck_assert_str_eq(s->sftp.mounts[0].path, "/fw");
	ck_assert_str_eq(s->sftp.mounts[0].target, "/var/lib/fw");
	ck_assert_int_eq(s->sftp.mounts[0].access, CFG_ACCESS_RW);
	ck_assert_uint_eq(s->sftp.mounts[0].groups.n, 2);
	ck_assert_str_eq(s->sftp.mounts[0].groups.v[1], "ops");
	ck_assert_str_eq(s->sftp.mounts[1].path, "/logs");
	/* A mount without access inherits, without groups is for all. */
	ck_assert_int_eq(s->sftp.mounts[1].access, CFG_ACCESS_INHERIT);
	ck_assert_uint_eq(s->sftp.mounts[1].groups.n, 0);
	ck_assert_int_eq(s->scp.enabled, 0);
	cfg_free(cfg);
}
END_TEST

static char *
dump_text(const struct cfg_settings *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(cfg_dump(s, f), 0);
	fclose(f);
	return buf;
}

/* Everything in the example is commented out: it gives the defaults. */
START_TEST(test_example_loads)
{
	struct cfg *ex = load_ok("etc/nanosshd.conf");
	struct cfg *def = load_ok("tests/config/empty.conf");
	char *a = dump_text(cfg_global(ex)), *b = dump_text(cfg_global(def));

	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	cfg_free(ex);
	cfg_free(def);
}
END_TEST

/* --- dump round trip --- */

/* -T shows the new groups with their defaults, in the table's order. */
START_TEST(test_dump_defaults_penalties)
{
	struct cfg *cfg = load_ok("tests/config/empty.conf");
	char *d = dump_text(cfg_global(cfg));

	ck_assert_ptr_nonnull(strstr(d,
	    "  penalties : {\n"
	    "    enabled = true;\n"
	    "    authfail = 5;\n"
	    "    grace_exceeded = 10;\n"
	    "    crash = 90;\n"
	    "    min = 15;\n"
	    "    max = 600;\n"
	    "    exempt = [ \"127.0.0.0/8\", \"::1\" ];\n"
	    "  };\n"));
	ck_assert_ptr_nonnull(strstr(d,
	    "  allow_users = [ ];\n"
	    "  deny_users = [ ];\n"
	    "  allow_groups = [ ];\n"
	    "  deny_groups = [ ];\n"));
	free(d);
	cfg_free(cfg);
}
END_TEST

static char *
write_temp(const char *text)
{
	char *path;
	const char *tmp = getenv("TMPDIR");
	int fd;

	ck_assert_int_ne(asprintf(&path, "%s/check_config.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp"), -1);
	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
roundtrip(const struct cfg_settings *s)
{
	char *a = dump_text(s), *path = write_temp(a), *b;
	struct cfg *again = load_ok_o(path, NULL, 0);

	b = dump_text(cfg_global(again));
	ck_assert_str_eq(a, b);
	unlink(path);
	free(path);
	free(a);
	free(b);
	cfg_free(again);
}

START_TEST(test_dump_roundtrip_defaults)
{
	struct cfg *cfg = load_ok("tests/config/empty.conf");

	roundtrip(cfg_global(cfg));
	cfg_free(cfg);
}
END_TEST

START_TEST(test_dump_roundtrip_full)
{
	static const char *const o[] = {
		"crypto.rekey_limit=123457", "log_level=debug",
		"sftp.home=/we\"ird\\dir",
	};
	struct cfg *cfg = load_ok_o(src("tests/config/good-full.conf"), o, 3);
	char *d = dump_text(cfg_global(cfg));

	/* Sizes come back in the largest exact unit, or in bytes. */
	ck_assert_ptr_nonnull(strstr(d, "rekey_limit = \"123457\";"));
	ck_assert_ptr_nonnull(strstr(d, "home = \"/we\\\"ird\\\\dir\";"));
	free(d);
	roundtrip(cfg_global(cfg));
	cfg_free(cfg);
}
END_TEST

START_TEST(test_dump_roundtrip_effective)
{
	static const char *const g[] = { "sftponly" };
	struct cfg *cfg = load_ok("tests/config/match.conf");
	struct cfg_settings *s;

	ck_assert_int_eq(cfg_effective(cfg, "bob", g, 1, "192.168.1.1", &s), 0);
	ck_assert_uint_eq(s->sftp.nmounts, 1);
	roundtrip(s);
	cfg_settings_free(s);
	cfg_free(cfg);
}
END_TEST

/* --- bad files --- */

struct bad_case {
	const char *file;
	const char *lines[12];	/* ":LINE: message", after the path */
};

static const struct bad_case bad_cases[] = {
	{ "bad-syntax.conf", {
	    ":3: syntax error: syntax error" } },
	{ "bad-unknown.conf", {
	    ":1: found unknown setting bogus, expected one of: listen, "
	    "host_keys, host_certificates, pid_file, log_level, "
	    "log_facility, privsep, auth, crypto, limits, forwarding, sftp, "
	    "scp, session, match",
	    ":4: found unknown setting auth.foo, expected one of: methods, "
	    "authorized_keys, password_backend, password_file, "
	    "permit_root_login, max_tries, login_grace_time, banner, "
	    "trusted_user_ca_keys, revoked_keys, allow_users, deny_users, allow_groups, "
	    "deny_groups, x509",
	    ":5: found unknown setting auth.x509.crl, expected one of: "
	    "ca_file" } },
	{ "bad-type.conf", {
	    ":2: auth.max_tries: found \"6\", expected an integer from 1 to "
	    "100",
	    ":5: forwarding.gateway_ports: found \"no\", expected true or "
	    "false",
	    ":7: listen: found \"0.0.0.0:22\", expected a list of strings "
	    "[ \"...\", ... ]",
	    ":8: privsep: found 1, expected a group privsep : { ... }",
	    ":10: sftp.enabled: found 1, expected true or false",
	    ":11: sftp.home: found false, expected a string" } },
	{ "bad-range.conf", {
	    ":2: auth.max_tries: found 0, expected an integer from 1 to 100",
	    ":3: auth.login_grace_time: found 99999, expected an integer "
	    "from 0 to 3600",
	    ":6: limits.max_sessions: found 0, expected an integer from 1 "
	    "to 1000",
	    ":7: limits.keepalive_count_max: found 0, expected an integer "
	    "from 1 to 1000",
	    ":8: limits.idle_timeout: found -1, expected an integer from 0 "
	    "to 31622400",
	    ":11: crypto.rekey_interval: found 700000, expected an integer "
	    "from 0 to 604800" } },
	{ "bad-bigint.conf", {
	    ":3: found 4294967296, expected a 32-bit integer (libconfig "
	    "misreads larger ones; add an L suffix for a 64-bit value)" } },
	{ "bad-include.conf", {
	    ":3: found @include, expected settings only (nanosshd reads a "
	    "single file)" } },
	{ "bad-enum.conf", {
	    ":1: log_level: found \"loud\", expected one of \"error\", "
	    "\"info\", \"verbose\" or \"debug\"",
	    ":2: log_facility: found \"local8\", expected one of \"auth\", "
	    "\"authpriv\", \"daemon\", \"user\", \"local0\", \"local1\", "
	    "\"local2\", \"local3\", \"local4\", \"local5\", \"local6\" or "
	    "\"local7\"",
	    ":4: auth.password_backend: found \"ldap\", expected one of "
	    "\"pam\", \"shadow\" or \"file\"",
	    ":5: auth.permit_root_login: found \"without-password\", "
	    "expected one of \"yes\", \"no\" or \"prohibit-password\"",
	    ":8: forwarding.tcp: found \"all\", expected one of \"yes\", "
	    "\"no\", \"local\" or \"remote\"" } },
	{ "bad-algs.conf", {
	    ":2: crypto.kex: found \"diffie-hellman-group1-sha1\", expected "
	    "a key exchange method nanossh implements: curve25519-sha256, "
	    "curve25519-sha256@libssh.org, ecdh-sha2-nistp256, "
	    "ecdh-sha2-nistp384, ecdh-sha2-nistp521, "
	    "diffie-hellman-group-exchange-sha256, "
	    "diffie-hellman-group16-sha512, diffie-hellman-group18-sha512, "
	    "diffie-hellman-group14-sha256",
	    ":3: crypto.ciphers: found \"aes128-ctr\" twice, expected each "
	    "entry once",
	    ":4: crypto.macs: found an empty list, expected at least one "
	    "entry",
	    ":5: crypto.host_key_algorithms: found \"ssh-dss\", expected a "
	    "host key algorithm nanossh implements: ssh-ed25519, "
	    "ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, "
	    "rsa-sha2-512, rsa-sha2-256, ssh-rsa, "
	    "ssh-ed25519-cert-v01@openssh.com, "
	    "ecdsa-sha2-nistp256-cert-v01@openssh.com, "
	    "ecdsa-sha2-nistp384-cert-v01@openssh.com, "
	    "ecdsa-sha2-nistp521-cert-v01@openssh.com, "
	    "rsa-sha2-512-cert-v01@openssh.com, "
	    "rsa-sha2-256-cert-v01@openssh.com, "
	    "ssh-rsa-cert-v01@openssh.com" } },
#define LISTEN_EXP "expected \"host:port\", \"[IPv6-address]:port\" or " \
	"\":port\" with a port from 1 to 65535"
	{ "bad-listen.conf", {
	    ":2: listen: found \"0.0.0.0:0\", " LISTEN_EXP,
	    ":3: listen: found \"localhost\", " LISTEN_EXP,
	    ":4: listen: found \"[::1:22\", " LISTEN_EXP,
	    ":5: listen: found \"[zz::1]:22\", " LISTEN_EXP,
	    ":6: listen: found \"1.2.3.4:65536\", " LISTEN_EXP } },
#define STARTUPS_EXP "expected \"start:rate:full\" with 1 <= start <= " \
	"full <= 10000 and rate from 1 to 100, or a single number"
#define SIZE_EXP "expected a size in bytes of at least 16 with an " \
	"optional K, M or G suffix (\"1G\"), or \"none\""
	{ "bad-limits.conf", {
	    ":2: limits.max_startups: found \"30:10:10\", " STARTUPS_EXP,
	    ":5: crypto.rekey_limit: found \"8\", " SIZE_EXP } },
	{ "bad-startups-rate.conf", {
	    ":1: limits.max_startups: found \"10:0:100\", " STARTUPS_EXP,
	    ":2: crypto.rekey_limit: found \"1X\", " SIZE_EXP } },
#define METHOD_EXP "expected \"publickey\", \"password\", " \
	"\"keyboard-interactive\" or a comma-separated sequence of them " \
	"like \"publickey,password\""
	{ "bad-methods.conf", {
	    ":2: auth.methods: found \"publickey,otp\", " METHOD_EXP,
	    ":2: auth.methods: found \"password,\", " METHOD_EXP,
	    ":2: auth.methods: found \"hostbased\", " METHOD_EXP,
	    ":3: auth.authorized_keys: found \"\", expected a non-empty file "
	    "name pattern (%h home, %u user)" } },
#define PERMIT_EXP "expected \"any\", \"none\", \"host:port\", " \
	"\"*:port\" or \"host:*\""
	{ "bad-permit.conf", {
	    ":2: forwarding.permit_open: found \"any\" among other entries, "
	    "expected it as the only entry",
	    ":3: forwarding.permit_listen: found \"host\", " PERMIT_EXP,
	    ":3: forwarding.permit_listen: found \"*:*\", " PERMIT_EXP,
	    ":3: forwarding.permit_listen: found \"h:0\", " PERMIT_EXP } },
#define NORM_EXP "expected a normalised absolute path (no \"//\", \".\", " \
	"\"..\" or trailing \"/\")"
	{ "bad-mounts.conf", {
	    ":3: sftp.mounts.path: found \"/fw/\", " NORM_EXP,
	    ":3: sftp.mounts.target: found \"var/lib/fw\", expected an "
	    "absolute path or one starting with %h (only %h, %u and %% "
	    "expand)",
	    ":3: sftp.mounts.access: found \"x\", expected one of \"ro\", "
	    "\"rw\", \"wo\" or \"inherit\"",
	    ":4: sftp.mounts.path: found \"/a/../b\", " NORM_EXP,
	    ":4: sftp.mounts.target: found \"/srv/%d\", expected an "
	    "absolute path or one starting with %h (only %h, %u and %% "
	    "expand)",
	    ":4: sftp.mounts: found unknown setting mode in a mount, "
	    "expected path, target, access or groups",
	    ":5: sftp.mounts: found a mount without target, expected both "
	    "path and target",
	    ":7: sftp.mounts.path: found \"/d\" twice, expected each mount "
	    "path once",
	    ":7: sftp.mounts.groups: found \"\", expected a group name" } },
	{ "bad-paths.conf", {
	    ":1: host_keys: found an empty list, expected at least one entry",
	    ":2: host_certificates: found \"cert.pub\", expected an absolute "
	    "path",
	    ":3: pid_file: found \"run/nanosshd.pid\", expected an absolute "
	    "path or \"\"",
	    ":5: privsep.user: found \"\", expected a non-empty string",
	    ":6: privsep.chroot: found \"var/empty\", expected an absolute "
	    "path" } },
	{ "bad-files.conf", {
	    ":2: auth.banner: found \"/nonexistent/banner\" (No such file or "
	    "directory), expected a readable file or \"\"",
	    ":3: auth.trusted_user_ca_keys: found \"/\" (not a regular "
	    "file), expected a readable file or \"\"",
	    ":4: auth.x509.ca_file: found \"/nonexistent/ca.pem\" (No such "
	    "file or directory), expected a readable file or \"\"" } },
	{ "bad-password-file.conf", {
	    ":2: auth.password_file: found \"\", expected a readable file of "
	    "user:hash lines when auth.password_backend is \"file\"",
	    ":5: auth.password_file: found \"/nonexistent/passwd\" (No such "
	    "file or directory), expected a readable file of user:hash "
	    "lines" } },
#define ENV_EXP "expected an environment variable name pattern of " \
	"letters, digits, \"_\", \"*\" and \"?\""
#define MATCH_EXP "expected only per-connection settings there (auth.*, " \
	"forwarding.*, sftp.*, scp.*, session.*, log_level, " \
	"limits.max_sessions, " \
	"limits.max_session_time, limits.idle_timeout, limits.keepalive_*)"
#define ADDR_EXP "expected an address pattern (10.1.*, 2001:db8::*) or " \
	"network (10.0.0.0/8, 2001:db8::/32), optionally negated with !"
#define MEMBER_EXP(w) "expected a " w " name pattern (\"*\" and " \
	"\"?\" wildcards, a leading \"!\" negates) without \"@\", \",\" " \
	"or spaces"
	{ "bad-accept-env.conf", {
	    ":2: session.accept_env: found \"A=B\", " ENV_EXP,
	    ":2: session.accept_env: found \"\", " ENV_EXP,
	    ":2: session.accept_env: found \"LC_ ALL\", " ENV_EXP,
	    ":5: session.accept_env: found \"X-Y\", " ENV_EXP } },
	{ "bad-members.conf", {
	    ":2: auth.allow_users: found \"bob@10.0.0.1\", " MEMBER_EXP("user"),
	    ":2: auth.allow_users: found \"\", " MEMBER_EXP("user"),
	    ":3: auth.deny_users: found \"!\", " MEMBER_EXP("user"),
	    ":3: auth.deny_users: found \"a b\", " MEMBER_EXP("user"),
	    ":4: auth.allow_groups: found \"staff\", expected a list of "
	    "strings [ \"...\", ... ]",
	    ":5: auth.deny_groups: found \"x,y\", " MEMBER_EXP("group"),
	    ":8: auth.deny_users: found \"bad@host\", " MEMBER_EXP("user") } },
	{ "bad-penalties.conf", {
	    ":3: limits.penalties.enabled: found \"yes\", expected true or "
	    "false",
	    ":4: limits.penalties.authfail: found -1, expected an integer "
	    "from 0 to 86400",
	    ":5: limits.penalties.grace_exceeded: found 86401, expected an "
	    "integer from 0 to 86400",
	    ":6: limits.penalties.crash: found \"90\", expected an integer "
	    "from 0 to 86400",
	    ":7: limits.penalties.max: found 0, expected an integer from 1 "
	    "to 86400",
	    ":8: limits.penalties.min: found -1, expected an integer from 0 "
	    "to 86400",
	    ":9: limits.penalties.exempt: found \"localhost\", " ADDR_EXP,
	    ":9: limits.penalties.exempt: found \"10.0.0.1/8\", " ADDR_EXP } },
	{ "bad-penalties-order.conf", {
	    ":3: limits.penalties.min: found 600, expected less than "
	    "limits.penalties.max (600)" } },
	{ "bad-match.conf", {
	    ":3: found crypto.kex inside a match block, " MATCH_EXP,
	    ":4: found listen inside a match block, " MATCH_EXP,
	    ":5: auth.max_tries: found 0, expected an integer from 1 to 100",
	    ":5: found unknown setting auth.frobnicate, expected one of: "
	    "methods, authorized_keys, password_backend, password_file, "
	    "permit_root_login, max_tries, login_grace_time, banner, "
	    "trusted_user_ca_keys, revoked_keys, allow_users, deny_users, allow_groups, "
	    "deny_groups, x509",
	    ":6: found unknown setting hosts, expected one of: log_level, "
	    "auth, limits, forwarding, sftp, scp, session, users, groups, "
	    "addresses",
	    ":7: match.addresses: found \"10.0.0.1/8\", " ADDR_EXP,
	    ":7: match.addresses: found \"10.0.0.0/33\", " ADDR_EXP,
	    ":7: match.addresses: found \"example.com\", " ADDR_EXP,
	    ":8: match.users: found \"\", expected a user name pattern",
	    ":9: match: found 42, expected a block { users = [ ... ]; ... }" } },
};

START_TEST(test_bad_file)
{
	const struct bad_case *bc = &bad_cases[_i];
	char rel[256], *errs, *want = NULL;
	const char *path;
	size_t len = 0, i;
	FILE *f = open_memstream(&want, &len);

	snprintf(rel, sizeof(rel), "tests/config/%s", bc->file);
	path = src(rel);
	for (i = 0; i < 12 && bc->lines[i] != NULL; i++)
		fprintf(f, "%s%s\n", path, bc->lines[i]);
	fclose(f);
	errs = load_bad_o(path, NULL, 0);
	ck_assert_str_eq(errs, want);
	free(errs);
	free(want);
}
END_TEST

START_TEST(test_missing_file)
{
	char *errs = load_bad_o("/nonexistent/nanosshd.conf", NULL, 0);

	ck_assert_str_eq(errs, "/nonexistent/nanosshd.conf: cannot read the "
	    "configuration file: No such file or directory\n");
	free(errs);
}
END_TEST

START_TEST(test_directory_as_file)
{
	char *errs = load_bad_o("/", NULL, 0);

	ck_assert_str_eq(errs, "/: cannot read the configuration file: Is a "
	    "directory\n");
	free(errs);
}
END_TEST

/* --- -o overrides --- */

START_TEST(test_override_good)
{
	char banner[4096], pwfile[4096];
	const char *o[16];
	size_t n = 0;
	struct cfg *cfg;
	const struct cfg_settings *s;

	snprintf(banner, sizeof(banner), "auth.banner=%s",
	    src("tests/config/banner.txt"));
	snprintf(pwfile, sizeof(pwfile), "auth.password_file=\"%s\"",
	    src("tests/config/passwd"));
	o[n++] = "auth.max_tries=3";
	o[n++] = "log_level=debug";			/* bare word */
	o[n++] = "privsep.user=\"sshd\"";		/* quoted */
	o[n++] = "forwarding.gateway_ports=true";
	o[n++] = "listen=127.0.0.1:22,[::1]:22";	/* comma list */
	o[n++] = "auth.methods=[\"publickey,password\"]";
	o[n++] = "crypto.rekey_limit=4G";
	o[n++] = "limits.max_startups=20";
	o[n++] = "sftp.mounts=({path=\"/x\";target=\"/srv/x\";access=\"wo\";})";
	o[n++] = banner;
	o[n++] = "auth.password_backend=file";
	o[n++] = pwfile;
	o[n++] = "host_certificates=\"/etc/a,b-cert.pub\"";	/* one entry */
	o[n++] = "auth.authorized_keys=[]";
	o[n++] = "auth.max_tries=4";			/* the last one wins */
	cfg = load_ok_o(src("tests/config/good-full.conf"), o, n);
	s = cfg_global(cfg);
	ck_assert_int_eq(s->auth.max_tries, 4);
	ck_assert_int_eq(s->log_level, LOG_LVL_DEBUG);
	ck_assert_str_eq(s->privsep.user, "sshd");
	ck_assert_int_eq(s->forwarding.gateway_ports, 1);
	ck_assert_uint_eq(s->listen.n, 2);
	ck_assert_str_eq(s->listen.v[1], "[::1]:22");
	ck_assert_uint_eq(s->auth.methods.n, 1);
	ck_assert_str_eq(s->auth.methods.v[0], "publickey,password");
	ck_assert(s->crypto.rekey_limit == 4ULL << 30);
	ck_assert_int_eq(s->limits.startups_begin, 20);
	ck_assert_int_eq(s->limits.startups_rate, 100);
	ck_assert_int_eq(s->limits.startups_full, 20);
	ck_assert_uint_eq(s->sftp.nmounts, 1);
	ck_assert_int_eq(s->sftp.mounts[0].access, CFG_ACCESS_WO);
	ck_assert_str_eq(s->auth.banner, src("tests/config/banner.txt"));
	ck_assert_int_eq(s->auth.password_backend, CFG_PW_FILE);
	ck_assert_uint_eq(s->host_certificates.n, 1);
	ck_assert_str_eq(s->host_certificates.v[0], "/etc/a,b-cert.pub");
	ck_assert_uint_eq(s->auth.authorized_keys.n, 0);
	/* Settings the overrides do not name keep the file's values. */
	ck_assert_int_eq(s->log_facility, LOG_LOCAL3);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_override_bad)
{
	static const char *const o[] = {
		"auth.max_tries=x",
		"auth.max_tries=0",
		"auth.nope=1",
		"=3",
		"log_level",
		"listen=a:1,b:0",
		"crypto.kex=curve25519-sha256,curve25519-sha256",
		"forwarding.gateway_ports=yes",
		"limits.max_session_time=4294967296",
		"auth.banner=/nonexistent",
		"auth.password_backend=file",
		"privsep.user=a:b",
		"log_level=de\nbug",	/* no line breaks in the report */
	};
	char *errs = load_bad_o(src("tests/config/empty.conf"), o, 13);

	ck_assert_str_eq(errs,
	    "-o auth.max_tries=x: found \"x\", expected an integer from 1 "
	    "to 100\n"
	    "-o auth.max_tries=0: found 0, expected an integer from 1 to 100\n"
	    "-o auth.nope=1: found unknown setting auth.nope, expected a "
	    "setting path from nanosshd.conf(5) like auth.max_tries\n"
	    "-o =3: found no setting name, expected path=value like "
	    "auth.max_tries=3\n"
	    "-o log_level: found no setting name, expected path=value like "
	    "auth.max_tries=3\n"
	    "-o listen=a:1,b:0: found \"b:0\", " LISTEN_EXP "\n"
	    "-o crypto.kex=curve25519-sha256,curve25519-sha256: found "
	    "\"curve25519-sha256\" twice, expected each entry once\n"
	    "-o forwarding.gateway_ports=yes: found \"yes\", expected true "
	    "or false\n"
	    "-o limits.max_session_time=4294967296: found 4294967296, "
	    "expected a 32-bit integer (libconfig misreads larger ones; add "
	    "an L suffix for a 64-bit value)\n"
	    "-o auth.banner=/nonexistent: found \"/nonexistent\" (No such "
	    "file or directory), expected a readable file or \"\"\n"
	    "-o privsep.user=a:b: found \"a:b\", expected a user name of "
	    "letters, digits, \".\", \"_\" and \"-\"\n"
	    "-o log_level=de\nbug: found \"de\\x0abug\", expected one of "
	    "\"error\", \"info\", \"verbose\" or \"debug\"\n"
	    "-o auth.password_backend=file: found \"\", expected a readable "
	    "file of user:hash lines when auth.password_backend is \"file\"\n");
	free(errs);
}
END_TEST

/* Problems in the file and in -o are reported together. */
START_TEST(test_errors_collected)
{
	static const char *const o[] = { "scp.enabled=1" };
	char *errs = load_bad_o(src("tests/config/bad-limits.conf"), o, 1);
	char *p;
	int lines = 0;

	for (p = errs; *p != '\0'; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 3);
	ck_assert_ptr_nonnull(strstr(errs, "-o scp.enabled=1: found 1, "
	    "expected true or false\n"));
	free(errs);
}
END_TEST

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

	ck_assert_int_eq(s->auth.max_tries, 6);
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

	ck_assert_int_eq(s->auth.max_tries, 2);
	cfg_settings_free(s);
	/* Case matters, as user names do. */
	s = eff(cfg, "Carol", NULL, 0, "10.1.1.1");
	ck_assert_int_eq(s->auth.max_tries, 6);
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
	ck_assert_int_eq(s->auth.max_tries, 6);
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

	ck_assert_int_eq(s->auth.max_tries, 4);
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
	ck_assert_int_eq(s->auth.max_tries, 6);
	ck_assert_int_eq(s->forwarding.tcp, CFG_FWD_YES);
	ck_assert_int_eq(s->auth.login_grace_time, 10);
	cfg_settings_free(s);
	/* No address known: address blocks do not apply. */
	s = eff(cfg, "bob", NULL, 0, NULL);
	ck_assert_int_eq(s->auth.max_tries, 4);
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

START_TEST(test_override_penalties)
{
	static const char *const good[] = {
		"limits.penalties.exempt=[]", "limits.penalties.min=1",
		"limits.penalties.max=3", "auth.deny_users=root,svc-*",
	};
	static const char *const bad[] = { "limits.penalties.min=700" };
	struct cfg *cfg = load_ok_o(src("tests/config/empty.conf"), good, 4);
	const struct cfg_settings *s = cfg_global(cfg);
	char *errs;

	ck_assert_uint_eq(s->limits.penalties.exempt.n, 0);
	ck_assert_int_eq(s->limits.penalties.min, 1);
	ck_assert_int_eq(s->limits.penalties.max, 3);
	ck_assert_uint_eq(s->auth.deny_users.n, 2);
	ck_assert_str_eq(s->auth.deny_users.v[1], "svc-*");
	cfg_free(cfg);
	errs = load_bad_o(src("tests/config/empty.conf"), bad, 1);
	ck_assert_str_eq(errs, "-o limits.penalties.min=700: found 700, "
	    "expected less than limits.penalties.max (600)\n");
	free(errs);
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

/* --- helpers for the daemon --- */

START_TEST(test_listen_split)
{
	static const struct {
		const char *spec, *host, *port;
	} good[] = {
		{ "0.0.0.0:22", "0.0.0.0", "22" },
		{ "[::]:2222", "::", "2222" },
		{ "[fe80::1%eth0]:22", NULL, NULL },	/* scope ids: refused */
		{ ":22", NULL, "22" },
		{ "*:65535", NULL, "65535" },
		{ "localhost:1", "localhost", "1" },
	};
	static const char *const bad[] = {
		"", "22", "host:", "host:0", "host:65536", "host:22x", "[::1]22",
		"[::1", "::1:22", "[]:22", "a b:22", "host:-1",
	};
	size_t i;
	char *h, *p;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int r = cfg_listen_split(good[i].spec, &h, &p);

		if (good[i].port == NULL) {
			ck_assert_int_eq(r, SSH_ERR_INVALID_FORMAT);
			continue;
		}
		ck_assert_msg(r == 0, "%s", good[i].spec);
		if (good[i].host == NULL)
			ck_assert_ptr_null(h);
		else
			ck_assert_str_eq(h, good[i].host);
		ck_assert_str_eq(p, good[i].port);
		free(h);
		free(p);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(cfg_listen_split(bad[i], &h, &p) ==
		    SSH_ERR_INVALID_FORMAT, "%s", bad[i]);
		ck_assert_ptr_null(h);
		ck_assert_ptr_null(p);
	}
}
END_TEST

START_TEST(test_algorithm_lists)
{
	const char *const *l;
	size_t n;

	ck_assert_ptr_null(cfg_supported("compression"));
	ck_assert_ptr_null(cfg_default_algs(NULL));
	l = cfg_default_algs("macs");
	for (n = 0; l[n] != NULL; n++)
		ck_assert_ptr_null(strstr(l[n], "sha1"));
	ck_assert_uint_eq(n, 4);
	l = cfg_supported("macs");
	for (n = 0; l[n] != NULL; n++)
		;
	ck_assert_uint_eq(n, 6);
	l = cfg_default_algs("host_key_algorithms");
	for (n = 0; l[n] != NULL; n++)
		ck_assert_str_ne(l[n], "ssh-rsa");
	ck_assert_str_eq(cfg_supported("kex")[0], "curve25519-sha256");
	ck_assert_str_eq(cfg_default_algs("ciphers")[0],
	    "chacha20-poly1305@openssh.com");
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(log_level_name(LOG_LVL_ERROR), "error");
	ck_assert_str_eq(log_level_name(LOG_LVL_DEBUG), "debug");
	ck_assert_str_eq(log_level_name(42), "unknown");
	ck_assert_str_eq(name_of(log_facility_names, LOG_AUTHPRIV), "authpriv");
	ck_assert_ptr_null(name_of(log_facility_names, LOG_MAIL));
}
END_TEST

/* --- the man page documents every row --- */

/* The facility names of the configuration, in any case, for the SFTP
 * server's -f. */
START_TEST(test_facility_parse)
{
	int f = -1;

	ck_assert_int_eq(name_lookup(log_facility_names, "LOCAL3", 1, &f), 0);
	ck_assert_int_eq(f, LOG_LOCAL3);
	ck_assert_int_eq(name_lookup(log_facility_names, "auth", 1, &f), 0);
	ck_assert_int_eq(f, LOG_AUTH);
	ck_assert_int_ne(name_lookup(log_facility_names, "kern", 1, &f), 0);
	ck_assert_int_ne(name_lookup(log_facility_names, "", 1, &f), 0);
}
END_TEST

START_TEST(test_man_page_covers_table)
{
	FILE *f = fopen(src("man/nanosshd.conf.5"), "r");
	char *text = NULL, line[1024];
	size_t i, len = 0;
	FILE *m = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		fputs(line, m);
	fclose(f);
	fclose(m);
	ck_assert_uint_gt(cfg_nsettings(), 30);
	ck_assert_ptr_null(cfg_setting_path(cfg_nsettings()));
	for (i = 0; i < cfg_nsettings(); i++) {
		char want[256];

		/* Each setting has its own tagged entry. */
		snprintf(want, sizeof(want), "\n.It Cm %s\n",
		    cfg_setting_path(i));
		ck_assert_msg(strstr(text, want) != NULL,
		    "%s is not documented", cfg_setting_path(i));
		/* And the per-connection ones say so. */
		snprintf(want, sizeof(want), "\n.It Cm %s\n%s",
		    cfg_setting_path(i), cfg_setting_per_connection(i) ?
		    "Per connection." : "");
		ck_assert_msg(!cfg_setting_per_connection(i) ||
		    strstr(text, want) != NULL,
		    "%s: not marked per connection", cfg_setting_path(i));
	}
	free(text);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("good");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_example_loads);
	suite_add_tcase(s, tc);
	tc = tcase_create("dump");
	tcase_add_test(tc, test_dump_roundtrip_defaults);
	tcase_add_test(tc, test_dump_defaults_penalties);
	tcase_add_test(tc, test_dump_roundtrip_full);
	tcase_add_test(tc, test_dump_roundtrip_effective);
	suite_add_tcase(s, tc);
	tc = tcase_create("bad");
	tcase_add_loop_test(tc, test_bad_file, 0,
	    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_directory_as_file);
	tcase_add_test(tc, test_errors_collected);
	suite_add_tcase(s, tc);
	tc = tcase_create("override");
	tcase_add_test(tc, test_override_good);
	tcase_add_test(tc, test_override_bad);
	tcase_add_test(tc, test_override_penalties);
	suite_add_tcase(s, tc);
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
	tc = tcase_create("api");
	tcase_add_test(tc, test_listen_split);
	tcase_add_test(tc, test_algorithm_lists);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_man_page_covers_table);
	tcase_add_test(tc, test_facility_parse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
