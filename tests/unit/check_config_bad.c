/*
 * check_config_bad.c: every kind of bad configuration file with its exact
 * error lines, and -o overrides, good and bad.
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
	    "listen_proxy, proxy_from, host_keys, host_certificates, pid_file, "
	    "control_socket, log_level, log_facility, privsep, auth, crypto, "
	    "limits, forwarding, sftp, scp, session, match",
	    ":4: found unknown setting auth.foo, expected one of: methods, "
	    "authorized_keys, authorized_keys_command, "
	    "authorized_keys_command_user, authorized_principals_file, "
	    "authorized_principals_command, "
	    "authorized_principals_command_user, "
	    "password_backend, password_file, "
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
	    "a key exchange method nanossh implements: "
	    "mlkem768x25519-sha256, sntrup761x25519-sha512, "
	    "sntrup761x25519-sha512@openssh.com, curve25519-sha256, "
	    "curve25519-sha256@libssh.org, ecdh-sha2-nistp256, "
	    "ecdh-sha2-nistp384, ecdh-sha2-nistp521, "
	    "diffie-hellman-group-exchange-sha256, "
	    "diffie-hellman-group16-sha512, diffie-hellman-group18-sha512, "
	    "diffie-hellman-group14-sha256, rsa2048-sha256, rsa1024-sha1",
	    ":3: crypto.ciphers: found \"aes128-ctr\" twice, expected each "
	    "entry once",
	    ":4: crypto.macs: found an empty list, expected at least one "
	    "entry",
	    ":5: crypto.host_key_algorithms: found "
	    "\"ssh-dss-cert-v01@openssh.com\", expected a "
	    "host key algorithm nanossh implements: ssh-ed25519, "
	    "ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, "
	    "rsa-sha2-512, rsa-sha2-256, ssh-rsa, ssh-dss, "
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
#define PREAUTH_EXP \
	"expected it only in blocks matched by addresses alone: it takes " \
	"effect before the user is known"
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
	{ "bad-proxy.conf", {
	    ":2: listen_proxy: found \"127.0.0.1:2223\", expected an entry "
	    "of listen, written the same way",
	    ":2: listen_proxy: found \"localhost:2222\", expected an entry of "
	    "listen, written the same way",
	    ":2: listen_proxy: found addresses expecting a PROXY header but "
	    "proxy_from is empty, expected the proxies' networks in "
	    "proxy_from" } },
	{ "bad-proxy-from.conf", {
	    ":1: proxy_from: found \"10.0.0.1/8\", " ADDR_EXP } },
	{ "bad-proxy-alone.conf", {
	    ":1: proxy_from: found networks but listen_proxy is empty, "
	    "expected listen_proxy to name the addresses they send PROXY "
	    "headers to" } },
	{ "bad-match.conf", {
	    ":3: found crypto.kex inside a match block, " MATCH_EXP,
	    ":4: found listen inside a match block, " MATCH_EXP,
	    ":5: auth.max_tries: found 0, expected an integer from 1 to 100",
	    ":5: found unknown setting auth.frobnicate, expected one of: "
	    "methods, authorized_keys, authorized_keys_command, "
	    "authorized_keys_command_user, authorized_principals_file, "
	    "authorized_principals_command, "
	    "authorized_principals_command_user, "
	    "password_backend, password_file, "
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
	/* Settings the child gets before the user is known; a block matched
	 * by addresses alone may set them. */
	{ "bad-match-preauth.conf", {
	    ":3: found auth.max_tries in a match block with users or groups, "
	    PREAUTH_EXP,
	    ":3: found auth.banner in a match block with users or groups, "
	    PREAUTH_EXP,
	    ":5: found auth.login_grace_time in a match block with users or "
	    "groups, " PREAUTH_EXP } },
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

/* auth.authorized_keys_command(_user): never root, never without a user,
 * an absolute program, only the tokens that are expanded. */
START_TEST(test_keys_command)
{
	static const char *const good[] = {
		"auth.authorized_keys_command=\"/usr/bin/keys %u %h %t %f %k %%\"",
		"auth.authorized_keys_command_user=nobody",
	};
	static const char *const bad[] = {
		"auth.authorized_keys_command_user=root",
		"auth.authorized_keys_command_user=no-such-user-here",
		"auth.authorized_keys_command=\"keys %u\"",
		"auth.authorized_keys_command=\"/bin/keys %x\"",
	};
	static const char *const nouser[] = {
		"auth.authorized_keys_command=/usr/bin/keys",
		"auth.authorized_principals_command=/usr/bin/p",
	};
	struct cfg *cfg = load_ok_o(src("tests/config/empty.conf"), good, 2);
	const struct cfg_settings *s = cfg_global(cfg);
	char *errs;

	ck_assert_str_eq(s->auth.authorized_keys_command,
	    "/usr/bin/keys %u %h %t %f %k %%");
	ck_assert_str_eq(s->auth.authorized_keys_command_user, "nobody");
	cfg_free(cfg);
	cfg = load_ok_o(src("tests/config/empty.conf"), NULL, 0);
	ck_assert_str_eq(cfg_global(cfg)->auth.authorized_keys_command, "");
	cfg_free(cfg);
	errs = load_bad_o(src("tests/config/empty.conf"), bad, 4);
	ck_assert_str_eq(errs,
	    "-o auth.authorized_keys_command_user=root: found \"root\", "
	    "expected \"\" or an existing user other than root (uid 0)\n"
	    "-o auth.authorized_keys_command_user=no-such-user-here: found "
	    "\"no-such-user-here\", expected \"\" or an existing user other "
	    "than root (uid 0)\n"
	    "-o auth.authorized_keys_command=\"keys %u\": found \"keys %u\", "
	    "expected an absolute path or \"\"\n"
	    "-o auth.authorized_keys_command=\"/bin/keys %x\": found "
	    "\"/bin/keys %x\", expected \"\" or an absolute program path and "
	    "arguments with the tokens %u, %h, %t, %f, %k and %%\n");
	free(errs);
	errs = load_bad_o(src("tests/config/empty.conf"), nouser, 2);
	ck_assert_str_eq(errs, "-o auth.authorized_keys_command=/usr/bin/keys: "
	    "found no auth.authorized_keys_command_user, expected the "
	    "unprivileged user that runs auth.authorized_keys_command\n"
	    "-o auth.authorized_principals_command=/usr/bin/p: found no "
	    "auth.authorized_principals_command_user, expected the "
	    "unprivileged user that runs "
	    "auth.authorized_principals_command\n");
	free(errs);
}
END_TEST

static Suite *
config_bad_suite(void)
{
	Suite *s = suite_create("config_bad");
	TCase *tc;

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
	tcase_add_test(tc, test_keys_command);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_bad_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
