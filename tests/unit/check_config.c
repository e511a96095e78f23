/*
 * check_config.c: the configuration table: good files, the -T dump round
 * trip, the example config, the helpers for the daemon and the man page's
 * coverage.  Bad files and -o: check_config_bad.c; match blocks:
 * check_config_match.c.
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
	ck_assert_uint_eq(s->crypto.kex.n, 12);
	ck_assert_str_eq(s->crypto.kex.v[0], "mlkem768x25519-sha256");
	ck_assert_str_eq(s->crypto.kex.v[1], "sntrup761x25519-sha512");
	ck_assert_str_eq(s->crypto.kex.v[2],
	    "sntrup761x25519-sha512@openssh.com");
	ck_assert_str_eq(s->crypto.kex.v[3], "curve25519-sha256");
	ck_assert_str_eq(s->crypto.kex.v[11], "diffie-hellman-group14-sha256");
	ck_assert_uint_eq(s->crypto.ciphers.n, 6);
	ck_assert_str_eq(s->crypto.ciphers.v[0],
	    "chacha20-poly1305@openssh.com");
	ck_assert_uint_eq(s->crypto.macs.n, 8);
	ck_assert_str_eq(s->crypto.macs.v[0], "umac-64-etm@openssh.com");
	ck_assert_str_eq(s->crypto.macs.v[7], "hmac-sha2-512");
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
	ck_assert_uint_eq(n, 8);
	l = cfg_supported("macs");
	for (n = 0; l[n] != NULL; n++)
		;
	ck_assert_uint_eq(n, 10);
	l = cfg_default_algs("host_key_algorithms");
	for (n = 0; l[n] != NULL; n++)
		ck_assert_str_ne(l[n], "ssh-rsa");
	ck_assert_str_eq(cfg_supported("kex")[0], "mlkem768x25519-sha256");
	ck_assert_str_eq(cfg_supported("kex")[1], "sntrup761x25519-sha512");
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
