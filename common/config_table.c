/* config_table.c: the settings table: path, type, default and check of each. */
/*
 * Adding a setting is adding a field to struct cfg_settings, a row to
 * cfg_rows (next to its group's other rows, for the dump), one to
 * CFG_NROWS in config_local.h and an entry in man/nanosshd.conf.5
 * (check_config fails without one).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/config_local.h"
#include "common/log.h"
#include "protocol/ssherr.h"

/* Algorithm names: the preference order of the defaults is OpenSSH's. */
static const char *const kex_defaults[] = {
	"mlkem768x25519-sha256", "sntrup761x25519-sha512",
	"sntrup761x25519-sha512@openssh.com",
	"curve25519-sha256", "curve25519-sha256@libssh.org",
	"ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
	"diffie-hellman-group-exchange-sha256",
	"diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
	"diffie-hellman-group14-sha256", NULL
};

/* RSA key exchange (RFC 4432) only when the admin names it: a 2048-bit
 * transient key is weaker than the defaults, rsa1024-sha1 much more. */
static const char *const kex_supported[] = {
	"mlkem768x25519-sha256", "sntrup761x25519-sha512",
	"sntrup761x25519-sha512@openssh.com",
	"curve25519-sha256", "curve25519-sha256@libssh.org",
	"ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
	"diffie-hellman-group-exchange-sha256",
	"diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
	"diffie-hellman-group14-sha256", "rsa2048-sha256", "rsa1024-sha1", NULL
};

static const char *const cipher_supported[] = {
	"chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr",
	"aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", NULL
};

static const char *const mac_defaults[] = {
	"umac-64-etm@openssh.com", "umac-128-etm@openssh.com",
	"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
	"umac-64@openssh.com", "umac-128@openssh.com",
	"hmac-sha2-256", "hmac-sha2-512", NULL
};

static const char *const mac_supported[] = {
	"umac-64-etm@openssh.com", "umac-128-etm@openssh.com",
	"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
	"umac-64@openssh.com", "umac-128@openssh.com",
	"hmac-sha2-256", "hmac-sha2-512",
	/* SHA-1 only for old peers, and only when the admin names it. */
	"hmac-sha1", "hmac-sha1-etm@openssh.com", NULL
};

/* OpenSSH's default order: certificate algorithms first (offered only for
 * keys with a host_certificates entry). */
static const char *const hka_defaults[] = {
	"ssh-ed25519-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"rsa-sha2-512-cert-v01@openssh.com",
	"rsa-sha2-256-cert-v01@openssh.com",
	"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", NULL
};

static const char *const hka_supported[] = {
	"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256",
	"ssh-rsa",
	/* 1024-bit DSA with SHA-1: never a default, warned about when named. */
	"ssh-dss",
	"ssh-ed25519-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"rsa-sha2-512-cert-v01@openssh.com",
	"rsa-sha2-256-cert-v01@openssh.com",
	"ssh-rsa-cert-v01@openssh.com", NULL
};

static const struct cfg_algs algs_kex = {
	"kex", "key exchange method", kex_supported, kex_defaults
};

static const struct cfg_algs algs_ciphers = {
	"ciphers", "cipher", cipher_supported, cipher_supported
};

static const struct cfg_algs algs_macs = {
	"macs", "MAC", mac_supported, mac_defaults
};

static const struct cfg_algs algs_hka = {
	"host_key_algorithms", "host key algorithm", hka_supported, hka_defaults
};

static const struct cfg_algs *const all_algs[] = {
	&algs_kex, &algs_ciphers, &algs_macs, &algs_hka
};

static const struct name_value names_pw_backend[] = {
	{ "pam", CFG_PW_PAM }, { "shadow", CFG_PW_SHADOW },
	{ "file", CFG_PW_FILE }, { NULL, 0 }
};

static const struct name_value names_root_login[] = {
	{ "yes", CFG_ROOT_YES }, { "no", CFG_ROOT_NO },
	{ "prohibit-password", CFG_ROOT_PROHIBIT_PASSWORD }, { NULL, 0 }
};

static const struct name_value names_tcp_fwd[] = {
	{ "yes", CFG_FWD_YES }, { "no", CFG_FWD_NO },
	{ "local", CFG_FWD_LOCAL }, { "remote", CFG_FWD_REMOTE }, { NULL, 0 }
};

const struct name_value cfg_names_access[] = {
	{ "ro", CFG_ACCESS_RO }, { "rw", CFG_ACCESS_RW },
	{ "wo", CFG_ACCESS_WO }, { "inherit", CFG_ACCESS_INHERIT },
	{ NULL, 0 }
};

#define OFF(field)	offsetof(struct cfg_settings, field)
#define MEMBER_EXP(what) "a " what " name pattern (\"*\" and \"?\" " \
	"wildcards, a leading \"!\" negates) without \"@\", \",\" or spaces"
#define KEYDIR		SYSCONFDIR "/nanossh/"

#define STR(p, f, fl, d) \
	{ p, T_STR, OFF(f), fl, d, 0, 0, NULL, NULL, NULL, NULL }
#define INT(p, f, fl, d, lo, hi) \
	{ p, T_INT, OFF(f), fl, d, lo, hi, NULL, NULL, NULL, NULL }
#define BOOL(p, f, fl, d) \
	{ p, T_BOOL, OFF(f), fl, d, 0, 1, NULL, NULL, NULL, NULL }
#define ENUM(p, f, fl, d, n) \
	{ p, T_ENUM, OFF(f), fl, d, 0, 0, n, NULL, NULL, NULL }
#define STRCHK(p, f, fl, d, chk, exp) \
	{ p, T_STR, OFF(f), fl, d, 0, 0, NULL, chk, exp, NULL }
#define LIST(p, f, fl, d, chk, exp) \
	{ p, T_LIST, OFF(f), fl, d, 0, 0, NULL, chk, exp, NULL }
#define ALGS(p, f, a) \
	{ p, T_LIST, OFF(f), F_NONEMPTY, NULL, 0, 0, NULL, NULL, NULL, a }
#define SPECIAL(p, t, f, fl, d) \
	{ p, t, OFF(f), fl, d, 0, 0, NULL, NULL, NULL, NULL }

/*
 * The settings, in dump order: rows of one group are adjacent.  The man
 * page documents every path (a unit test checks that).
 */
const struct cfg_row cfg_rows[] = {
	LIST("listen", listen, F_NONEMPTY, "[ \"0.0.0.0:22\", \"[::]:22\" ]",
	    cfg_check_listen, "\"host:port\", \"[IPv6-address]:port\" or \":port\" "
	    "with a port from 1 to 65535"),
	LIST("listen_proxy", listen_proxy, 0, "[ ]", cfg_check_listen,
	    "an entry of listen, written the same way"),
	LIST("proxy_from", proxy_from, 0, "[ ]", cfg_check_addr_pattern,
	    ADDR_EXP),
	LIST("host_keys", host_keys, F_NONEMPTY | F_ABSPATH,
	    "[ \"" KEYDIR "ssh_host_ed25519_key\", \"" KEYDIR
	    "ssh_host_ecdsa_key\", \"" KEYDIR "ssh_host_rsa_key\" ]",
	    NULL, NULL),
	LIST("host_certificates", host_certificates, F_ABSPATH, "[ ]",
	    NULL, NULL),
	STR("pid_file", pid_file, F_ABSPATH, "\"/run/nanosshd.pid\""),
	STR("control_socket", control_socket, F_ABSPATH,
	    "\"/run/nanossh/control\""),
	ENUM("log_level", log_level, F_MATCH, "\"info\"", log_level_names),
	ENUM("log_facility", log_facility, 0, "\"auth\"", log_facility_names),
	STRCHK("privsep.user", privsep.user, F_NONEMPTY, "\"nanossh\"",
	    cfg_check_user, "a user name of letters, digits, \".\", \"_\" and "
	    "\"-\""),
	STR("privsep.chroot", privsep.chroot, F_NONEMPTY | F_ABSPATH,
	    "\"/var/empty/nanossh\""),
	LIST("auth.methods", auth.methods, F_MATCH | F_NONEMPTY,
	    "[ \"publickey\", \"password\", \"keyboard-interactive\" ]",
	    cfg_check_method, "\"publickey\", \"password\", "
	    "\"keyboard-interactive\" or a comma-separated sequence of them "
	    "like \"publickey,password\""),
	LIST("auth.authorized_keys", auth.authorized_keys, F_MATCH,
	    "[ \"%h/.ssh/authorized_keys\" ]", cfg_check_nonempty,
	    "a non-empty file name pattern (%h home, %u user)"),
	STRCHK("auth.authorized_keys_command", auth.authorized_keys_command,
	    F_MATCH | F_ABSPATH, "\"\"", cfg_check_command_tokens,
	    "\"\" or an absolute program path and arguments with the "
	    "tokens %u, %h, %t, %f, %k and %%"),
	STRCHK("auth.authorized_keys_command_user",
	    auth.authorized_keys_command_user, F_MATCH, "\"\"",
	    cfg_check_command_user, "\"\" or an existing user other than "
	    "root (uid 0)"),
	STRCHK("auth.authorized_principals_file",
	    auth.authorized_principals_file, F_MATCH, "\"\"",
	    cfg_check_path_tokens, "\"\" or a file name pattern (%h home, "
	    "%u user)"),
	STRCHK("auth.authorized_principals_command",
	    auth.authorized_principals_command, F_MATCH | F_ABSPATH, "\"\"",
	    cfg_check_command_tokens, "\"\" or an absolute program path and "
	    "arguments with the tokens %u, %h, %t, %f, %k and %%"),
	STRCHK("auth.authorized_principals_command_user",
	    auth.authorized_principals_command_user, F_MATCH, "\"\"",
	    cfg_check_command_user, "\"\" or an existing user other than "
	    "root (uid 0)"),
	ENUM("auth.password_backend", auth.password_backend, F_MATCH,
	    "\"pam\"", names_pw_backend),
	STR("auth.password_file", auth.password_file, F_MATCH | F_ABSPATH,
	    "\"\""),
	ENUM("auth.permit_root_login", auth.permit_root_login, F_MATCH,
	    "\"prohibit-password\"", names_root_login),
	INT("auth.max_tries", auth.max_tries, F_MATCH, "6", 1, 100),
	INT("auth.login_grace_time", auth.login_grace_time, F_MATCH, "120",
	    0, 3600),
	STR("auth.banner", auth.banner, F_MATCH | F_ABSPATH | F_READABLE,
	    "\"\""),
	STR("auth.trusted_user_ca_keys", auth.trusted_user_ca_keys,
	    F_MATCH | F_ABSPATH | F_READABLE, "\"\""),
	STR("auth.revoked_keys", auth.revoked_keys,
	    F_MATCH | F_ABSPATH | F_READABLE, "\"\""),
	LIST("auth.allow_users", auth.allow_users, F_MATCH, "[ ]",
	    cfg_check_member_pattern, MEMBER_EXP("user")),
	LIST("auth.deny_users", auth.deny_users, F_MATCH, "[ ]",
	    cfg_check_member_pattern, MEMBER_EXP("user")),
	LIST("auth.allow_groups", auth.allow_groups, F_MATCH, "[ ]",
	    cfg_check_member_pattern, MEMBER_EXP("group")),
	LIST("auth.deny_groups", auth.deny_groups, F_MATCH, "[ ]",
	    cfg_check_member_pattern, MEMBER_EXP("group")),
	STR("auth.x509.ca_file", auth.x509.ca_file,
	    F_MATCH | F_ABSPATH | F_READABLE, "\"\""),
	ALGS("crypto.kex", crypto.kex, &algs_kex),
	ALGS("crypto.ciphers", crypto.ciphers, &algs_ciphers),
	ALGS("crypto.macs", crypto.macs, &algs_macs),
	ALGS("crypto.host_key_algorithms", crypto.host_key_algorithms,
	    &algs_hka),
	SPECIAL("crypto.rekey_limit", T_SIZE, crypto.rekey_limit, 0, "\"1G\""),
	INT("crypto.rekey_interval", crypto.rekey_interval, 0, "3600",
	    0, 7 * 86400),
	BOOL("crypto.require_pq", crypto.require_pq, 0, "false"),
	INT("crypto.rsa_kex_key_lifetime", crypto.rsa_kex_key_lifetime, 0,
	    "3600", 1, 86400),
	SPECIAL("limits.max_startups", T_STARTUPS, limits.startups_begin, 0,
	    "\"10:30:100\""),
	INT("limits.max_sessions", limits.max_sessions, F_MATCH, "10", 1, 1000),
	INT("limits.max_session_time", limits.max_session_time, F_MATCH, "0",
	    0, 366 * 86400),
	INT("limits.keepalive_interval", limits.keepalive_interval, F_MATCH,
	    "0", 0, 86400),
	INT("limits.keepalive_count_max", limits.keepalive_count_max, F_MATCH,
	    "3", 1, 1000),
	INT("limits.idle_timeout", limits.idle_timeout, F_MATCH, "0",
	    0, 366 * 86400),
	BOOL("limits.penalties.enabled", limits.penalties.enabled, 0, "true"),
	INT("limits.penalties.authfail", limits.penalties.authfail, 0, "5",
	    0, 86400),
	INT("limits.penalties.grace_exceeded", limits.penalties.grace_exceeded,
	    0, "10", 0, 86400),
	INT("limits.penalties.crash", limits.penalties.crash, 0, "90",
	    0, 86400),
	INT("limits.penalties.min", limits.penalties.min, 0, "15", 0, 86400),
	INT("limits.penalties.max", limits.penalties.max, 0, "600", 1, 86400),
	LIST("limits.penalties.exempt", limits.penalties.exempt, 0,
	    "[ \"127.0.0.0/8\", \"::1\" ]", cfg_check_addr_pattern, ADDR_EXP),
	ENUM("forwarding.tcp", forwarding.tcp, F_MATCH, "\"yes\"",
	    names_tcp_fwd),
	LIST("forwarding.permit_open", forwarding.permit_open,
	    F_MATCH | F_NONEMPTY | F_ALONE, "[ \"any\" ]", cfg_check_permit,
	    "\"any\", \"none\", \"host:port\", \"*:port\" or \"host:*\""),
	LIST("forwarding.permit_listen", forwarding.permit_listen,
	    F_MATCH | F_NONEMPTY | F_ALONE, "[ \"any\" ]", cfg_check_permit,
	    "\"any\", \"none\", \"host:port\", \"*:port\" or \"host:*\""),
	BOOL("forwarding.gateway_ports", forwarding.gateway_ports, F_MATCH,
	    "false"),
	ENUM("forwarding.streamlocal", forwarding.streamlocal, F_MATCH,
	    "\"no\"", names_tcp_fwd),
	BOOL("forwarding.x11", forwarding.x11, F_MATCH, "false"),
	INT("forwarding.x11_display_offset", forwarding.x11_display_offset,
	    F_MATCH, "10", 0, 1000),
	BOOL("forwarding.x11_use_localhost", forwarding.x11_use_localhost,
	    F_MATCH, "true"),
	STR("forwarding.xauth_path", forwarding.xauth_path,
	    F_MATCH | F_ABSPATH | F_NONEMPTY, "\"/usr/bin/xauth\""),
	BOOL("forwarding.agent", forwarding.agent, F_MATCH, "true"),
	BOOL("sftp.enabled", sftp.enabled, F_MATCH, "true"),
	STR("sftp.home", sftp.home, F_MATCH | F_ABSPATH, "\"\""),
	SPECIAL("sftp.mounts", T_MOUNTS, sftp.mounts, F_MATCH, "( )"),
	BOOL("sftp.force", sftp.force, F_MATCH, "false"),
	BOOL("sftp.secure_path", sftp.secure_path, F_MATCH, "true"),
	BOOL("scp.enabled", scp.enabled, F_MATCH, "true"),
	LIST("session.accept_env", session.accept_env, F_MATCH,
	    "[ \"LANG\", \"LC_*\" ]", cfg_check_env_pattern,
	    "an environment variable name pattern of letters, digits, \"_\", "
	    "\"*\" and \"?\""),
};

_Static_assert(offsetof(struct cfg_settings, sftp.nmounts) ==
    offsetof(struct cfg_settings, sftp.mounts) +
    offsetof(struct mountlist, n), "sftp.mounts layout");
_Static_assert(offsetof(struct cfg_settings, limits.startups_full) ==
    offsetof(struct cfg_settings, limits.startups_begin) + 2 * sizeof(int),
    "limits.startups layout");
/* --- strings, lists, mounts: allocation --- */

void
cfg_strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
cfg_strlist_add(struct strlist *l, const char *s)
{
	char **v, *c;

	if ((c = strdup(s)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL) {
		free(c);
		return SSH_ERR_ALLOC_FAIL;
	}
	v[l->n++] = c;
	l->v = v;
	return 0;
}

static int
strlist_copy(struct strlist *dst, const struct strlist *src)
{
	size_t i;

	dst->v = NULL;
	dst->n = 0;
	for (i = 0; i < src->n; i++) {
		if (cfg_strlist_add(dst, src->v[i]) != 0) {
			cfg_strlist_free(dst);
			return SSH_ERR_ALLOC_FAIL;
		}
	}
	return 0;
}

void
cfg_mounts_free(struct mountlist *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].target);
		cfg_strlist_free(&m->v[i].groups);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

static int
mounts_copy(struct mountlist *dst, const struct mountlist *src)
{
	size_t i;

	dst->n = 0;
	if (src->n == 0) {
		dst->v = NULL;
		return 0;
	}
	if ((dst->v = calloc(src->n, sizeof(*dst->v))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < src->n; i++) {
		dst->n++;
		dst->v[i].access = src->v[i].access;
		if ((dst->v[i].path = strdup(src->v[i].path)) == NULL ||
		    (dst->v[i].target = strdup(src->v[i].target)) == NULL ||
		    strlist_copy(&dst->v[i].groups, &src->v[i].groups) != 0) {
			cfg_mounts_free(dst);
			return SSH_ERR_ALLOC_FAIL;
		}
	}
	return 0;
}

size_t
cfg_row_size(const struct cfg_row *row)
{
	switch (row->type) {
	case T_STR:
		return sizeof(char *);
	case T_SIZE:
		return sizeof(uint64_t);
	case T_STARTUPS:
		return 3 * sizeof(int);
	case T_LIST:
		return sizeof(struct strlist);
	case T_MOUNTS:
		return sizeof(struct mountlist);
	default:
		return sizeof(int);
	}
}

void
cfg_row_free(const struct cfg_row *row, struct cfg_settings *s)
{
	void *f = field(s, row);

	switch (row->type) {
	case T_STR:
		free(*(char **)f);
		*(char **)f = NULL;
		break;
	case T_LIST:
		cfg_strlist_free(f);
		break;
	case T_MOUNTS:
		cfg_mounts_free(f);
		break;
	default:
		break;
	}
}

int
cfg_row_copy(const struct cfg_row *row, struct cfg_settings *dst,
    const struct cfg_settings *src)
{
	void *d = field(dst, row), *s = field(src, row);

	switch (row->type) {
	case T_STR:
		*(char **)d = NULL;
		if (*(char **)s != NULL &&
		    (*(char **)d = strdup(*(char **)s)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		return 0;
	case T_INT:
	case T_BOOL:
	case T_ENUM:
		*(int *)d = *(int *)s;
		return 0;
	case T_STARTUPS:
		memcpy(d, s, 3 * sizeof(int));
		return 0;
	case T_SIZE:
		*(uint64_t *)d = *(uint64_t *)s;
		return 0;
	case T_LIST:
		return strlist_copy(d, s);
	case T_MOUNTS:
		return mounts_copy(d, s);
	}
	return SSH_ERR_INTERNAL_ERROR;
}

void
cfg_settings_free(struct cfg_settings *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < CFG_NROWS; i++)
		cfg_row_free(&cfg_rows[i], s);
	free(s);
}

const struct cfg_row *
cfg_row_find(const char *path, size_t *idxp)
{
	size_t i;

	for (i = 0; i < CFG_NROWS; i++) {
		if (strcmp(cfg_rows[i].path, path) == 0) {
			if (idxp != NULL)
				*idxp = i;
			return &cfg_rows[i];
		}
	}
	return NULL;
}

/* --- the table for others --- */

static const struct cfg_algs *
algs_find(const char *list)
{
	size_t i;

	for (i = 0; i < sizeof(all_algs) / sizeof(all_algs[0]); i++) {
		if (list != NULL && strcmp(all_algs[i]->list, list) == 0)
			return all_algs[i];
	}
	return NULL;
}

const char *const *
cfg_supported(const char *list)
{
	const struct cfg_algs *a = algs_find(list);

	return a != NULL ? a->supported : NULL;
}

const char *const *
cfg_default_algs(const char *list)
{
	const struct cfg_algs *a = algs_find(list);

	return a != NULL ? a->defaults : NULL;
}

size_t
cfg_nsettings(void)
{
	return CFG_NROWS;
}

const char *
cfg_setting_path(size_t i)
{
	return i < CFG_NROWS ? cfg_rows[i].path : NULL;
}

int
cfg_setting_per_connection(size_t i)
{
	return i < CFG_NROWS && (cfg_rows[i].flags & F_MATCH) != 0;
}
