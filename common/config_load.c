/*
 * config.c: nanosshd's settings.  One table (cfg_rows) drives parsing,
 * validation, -o overrides, match overrides, copying, freeing and the -T
 * dump.  Adding a setting is adding a field to struct cfg_settings, a row
 * to cfg_rows (next to its group's other rows, for the dump) and an entry
 * in man/nanosshd.conf.5 (check_config fails without one).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <libconfig.h>

#include "common/config.h"
#include "common/log.h"
#include "common/match.h"
#include "protocol/ssherr.h"

enum cfg_type {
	T_STR,		/* char * */
	T_INT,		/* int, min..max */
	T_BOOL,		/* int, 0 or 1 */
	T_ENUM,		/* int, from names[] */
	T_LIST,		/* struct strlist, each entry checked */
	T_SIZE,		/* uint64_t bytes, "1G" */
	T_STARTUPS,	/* int[3] begin:rate:full */
	T_MOUNTS,	/* struct cfg_mount *, size_t */
};

#define F_MATCH		0x01	/* may be overridden inside a match block */
#define F_NONEMPTY	0x02	/* string: not ""; list: at least one entry */
#define F_ABSPATH	0x04	/* string or entries: absolute path ("" allowed unless F_NONEMPTY) */
#define F_READABLE	0x08	/* string: when non-empty, a readable regular file */
#define F_ALONE		0x10	/* list: "any" and "none" only as the only entry */

struct cfg_algs {
	const char *list;
	const char *what;
	const char *const *supported;
	const char *const *defaults;
};

struct cfg_row {
	const char *path;
	enum cfg_type type;
	size_t off;
	unsigned flags;
	const char *def;		/* libconfig value syntax; NULL: algs->defaults */
	long long min, max;		/* T_INT */
	const struct name_value *names;	/* T_ENUM */
	/* Strings and list entries: 0 if v is acceptable. */
	int (*check)(const char *v);
	const char *expected;		/* what check accepts, for errors */
	const struct cfg_algs *algs;	/* T_LIST of algorithm names */
};

/* Algorithm names: the preference order of the defaults is OpenSSH's. */
static const char *const kex_supported[] = {
	"curve25519-sha256", "curve25519-sha256@libssh.org",
	"ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
	"diffie-hellman-group-exchange-sha256",
	"diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
	"diffie-hellman-group14-sha256", NULL
};
static const char *const cipher_supported[] = {
	"chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr",
	"aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", NULL
};
static const char *const mac_defaults[] = {
	"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
	"hmac-sha2-256", "hmac-sha2-512", NULL
};
static const char *const mac_supported[] = {
	"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
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
	"ssh-ed25519-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"rsa-sha2-512-cert-v01@openssh.com",
	"rsa-sha2-256-cert-v01@openssh.com",
	"ssh-rsa-cert-v01@openssh.com", NULL
};

static const struct cfg_algs algs_kex = {
	"kex", "key exchange method", kex_supported, kex_supported
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
static const struct name_value names_access[] = {
	{ "ro", CFG_ACCESS_RO }, { "rw", CFG_ACCESS_RW },
	{ "wo", CFG_ACCESS_WO }, { "inherit", CFG_ACCESS_INHERIT },
	{ NULL, 0 }
};

static int check_listen(const char *);
static int check_nonempty(const char *);
static int check_method(const char *);
static int check_permit(const char *);
static int check_user(const char *);
static int check_addr_pattern(const char *);
static int check_member_pattern(const char *);
static int check_env_pattern(const char *);

#define OFF(field)	offsetof(struct cfg_settings, field)
#define MEMBER_EXP(what) "a " what " name pattern (\"*\" and \"?\" " \
	"wildcards, a leading \"!\" negates) without \"@\", \",\" or spaces"
#define ADDR_EXP "an address pattern (10.1.*, 2001:db8::*) or network " \
	"(10.0.0.0/8, 2001:db8::/32), optionally negated with !"
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
static const struct cfg_row cfg_rows[] = {
	LIST("listen", listen, F_NONEMPTY, "[ \"0.0.0.0:22\", \"[::]:22\" ]",
	    check_listen, "\"host:port\", \"[IPv6-address]:port\" or \":port\" "
	    "with a port from 1 to 65535"),
	LIST("host_keys", host_keys, F_NONEMPTY | F_ABSPATH,
	    "[ \"" KEYDIR "ssh_host_ed25519_key\", \"" KEYDIR
	    "ssh_host_ecdsa_key\", \"" KEYDIR "ssh_host_rsa_key\" ]",
	    NULL, NULL),
	LIST("host_certificates", host_certificates, F_ABSPATH, "[ ]",
	    NULL, NULL),
	STR("pid_file", pid_file, F_ABSPATH, "\"/run/nanosshd.pid\""),
	ENUM("log_level", log_level, F_MATCH, "\"info\"", log_level_names),
	ENUM("log_facility", log_facility, 0, "\"auth\"", log_facility_names),
	STRCHK("privsep.user", privsep.user, F_NONEMPTY, "\"nanossh\"",
	    check_user, "a user name of letters, digits, \".\", \"_\" and "
	    "\"-\""),
	STR("privsep.chroot", privsep.chroot, F_NONEMPTY | F_ABSPATH,
	    "\"/var/empty/nanossh\""),
	LIST("auth.methods", auth.methods, F_MATCH | F_NONEMPTY,
	    "[ \"publickey\", \"password\", \"keyboard-interactive\" ]",
	    check_method, "\"publickey\", \"password\", "
	    "\"keyboard-interactive\" or a comma-separated sequence of them "
	    "like \"publickey,password\""),
	LIST("auth.authorized_keys", auth.authorized_keys, F_MATCH,
	    "[ \"%h/.ssh/authorized_keys\" ]", check_nonempty,
	    "a non-empty file name pattern (%h home, %u user)"),
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
	    check_member_pattern, MEMBER_EXP("user")),
	LIST("auth.deny_users", auth.deny_users, F_MATCH, "[ ]",
	    check_member_pattern, MEMBER_EXP("user")),
	LIST("auth.allow_groups", auth.allow_groups, F_MATCH, "[ ]",
	    check_member_pattern, MEMBER_EXP("group")),
	LIST("auth.deny_groups", auth.deny_groups, F_MATCH, "[ ]",
	    check_member_pattern, MEMBER_EXP("group")),
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
	    "[ \"127.0.0.0/8\", \"::1\" ]", check_addr_pattern, ADDR_EXP),
	ENUM("forwarding.tcp", forwarding.tcp, F_MATCH, "\"yes\"",
	    names_tcp_fwd),
	LIST("forwarding.permit_open", forwarding.permit_open,
	    F_MATCH | F_NONEMPTY | F_ALONE, "[ \"any\" ]", check_permit,
	    "\"any\", \"none\", \"host:port\", \"*:port\" or \"host:*\""),
	LIST("forwarding.permit_listen", forwarding.permit_listen,
	    F_MATCH | F_NONEMPTY | F_ALONE, "[ \"any\" ]", check_permit,
	    "\"any\", \"none\", \"host:port\", \"*:port\" or \"host:*\""),
	BOOL("forwarding.gateway_ports", forwarding.gateway_ports, F_MATCH,
	    "false"),
	ENUM("forwarding.streamlocal", forwarding.streamlocal, F_MATCH,
	    "\"no\"", names_tcp_fwd),
	BOOL("sftp.enabled", sftp.enabled, F_MATCH, "true"),
	STR("sftp.home", sftp.home, F_MATCH | F_ABSPATH, "\"\""),
	SPECIAL("sftp.mounts", T_MOUNTS, sftp.mounts, F_MATCH, "( )"),
	BOOL("sftp.force", sftp.force, F_MATCH, "false"),
	BOOL("sftp.secure_path", sftp.secure_path, F_MATCH, "true"),
	BOOL("scp.enabled", scp.enabled, F_MATCH, "true"),
	LIST("session.accept_env", session.accept_env, F_MATCH,
	    "[ \"LANG\", \"LC_*\" ]", check_env_pattern,
	    "an environment variable name pattern of letters, digits, \"_\", "
	    "\"*\" and \"?\""),
};

#define NROWS	(sizeof(cfg_rows) / sizeof(cfg_rows[0]))
#define CFG_MAX_FILE	(1024 * 1024)

/* The field layouts the generic code relies on. */
struct mountlist {
	struct cfg_mount *v;
	size_t n;
};
_Static_assert(offsetof(struct cfg_settings, sftp.nmounts) ==
    offsetof(struct cfg_settings, sftp.mounts) +
    offsetof(struct mountlist, n), "sftp.mounts layout");
_Static_assert(offsetof(struct cfg_settings, limits.startups_full) ==
    offsetof(struct cfg_settings, limits.startups_begin) + 2 * sizeof(int),
    "limits.startups layout");

/* One set of settings plus which rows it sets and where. */
struct layer {
	struct cfg_settings s;
	unsigned char set[NROWS];
	unsigned char bad[NROWS];	/* refused: no follow-on errors */
	int line[NROWS];	/* >0: file line; <0: -(override index + 1) */
};

struct cfg_matchblk {
	struct strlist users;
	struct strlist groups;
	struct strlist addresses;
	int line;
	struct layer l;
};

struct cfg {
	char *path;
	struct layer global;
	struct cfg_matchblk *blk;
	size_t nblk;
};

/* Where a value came from, for error messages. */
struct origin {
	const char *file;
	int line;
	const char *ospec;	/* the -o argument, or NULL */
};

struct loader {
	FILE *errs;
	char *errbuf;
	size_t errlen;
	int nerr;
	int oom;
	const char *path;
	const char *const *overrides;
	char qbuf[4][512];
	int qnext;
};

static void *
field(const struct cfg_settings *s, const struct cfg_row *row)
{
	return (char *)s + row->off;
}

/* A short printable rendering of s for error messages. */
static const char *
q(struct loader *ld, const char *s)
{
	char *b = ld->qbuf[ld->qnext];
	size_t i = 0, max = 200;

	ld->qnext = (ld->qnext + 1) % 4;
	b[i++] = '"';
	for (; *s != '\0' && i < max; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			b[i++] = '\\';
			b[i++] = c;
		} else if (c < 0x20 || c >= 0x7f) {
			snprintf(b + i, 5, "\\x%02x", c);
			i += 4;
		} else
			b[i++] = c;
	}
	if (*s != '\0') {
		memcpy(b + i, "...", 3);
		i += 3;
	}
	b[i++] = '"';
	b[i] = '\0';
	return b;
}

static void __attribute__((format(printf, 4, 5)))
err(struct loader *ld, const struct origin *o, const char *path,
    const char *fmt, ...)
{
	va_list ap;

	if (ld->errs == NULL)
		return;
	ld->nerr++;
	if (o->ospec != NULL)
		fprintf(ld->errs, "-o %s: ", o->ospec);
	else if (path != NULL)
		fprintf(ld->errs, "%s:%d: %s: ", o->file, o->line, path);
	else
		fprintf(ld->errs, "%s:%d: ", o->file, o->line);
	va_start(ap, fmt);
	vfprintf(ld->errs, fmt, ap);
	va_end(ap);
	fputc('\n', ld->errs);
}

static struct origin
origin_of(struct loader *ld, const config_setting_t *s, const struct origin *parent)
{
	struct origin o = *parent;

	if (o.ospec == NULL) {
		if (config_setting_source_file(s) != NULL)
			o.file = config_setting_source_file(s);
		if (config_setting_source_line(s) != 0)
			o.line = config_setting_source_line(s);
	}
	return o;
}

/* What a libconfig value looks like, for "found ..." */
static const char *
describe(struct loader *ld, const config_setting_t *v)
{
	char *b = ld->qbuf[ld->qnext];

	switch (config_setting_type(v)) {
	case CONFIG_TYPE_STRING:
		return q(ld, config_setting_get_string(v));
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		ld->qnext = (ld->qnext + 1) % 4;
		snprintf(b, sizeof(ld->qbuf[0]), "%lld",
		    (long long)config_setting_get_int64(v));
		return b;
	case CONFIG_TYPE_FLOAT:
		ld->qnext = (ld->qnext + 1) % 4;
		snprintf(b, sizeof(ld->qbuf[0]), "the number %g",
		    config_setting_get_float(v));
		return b;
	case CONFIG_TYPE_BOOL:
		return config_setting_get_bool(v) ? "true" : "false";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ... ]";
	case CONFIG_TYPE_LIST:
		return "a list ( ... )";
	case CONFIG_TYPE_GROUP:
		return "a group { ... }";
	default:
		return "an unknown value";
	}
}

static int
is_int(const config_setting_t *v)
{
	return config_setting_type(v) == CONFIG_TYPE_INT ||
	    config_setting_type(v) == CONFIG_TYPE_INT64;
}

static int
is_seq(const config_setting_t *v)
{
	return config_setting_type(v) == CONFIG_TYPE_ARRAY ||
	    config_setting_type(v) == CONFIG_TYPE_LIST;
}

/* --- value checks --- */

static int
parse_port(const char *s, int allow_star)
{
	char *end;
	long v;

	if (allow_star && strcmp(s, "*") == 0)
		return 0;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 65535)
		return -1;
	return 0;
}

static int
valid_hostname(const char *h)
{
	const char *p;

	if (*h == '\0' || *h == '.' || *h == '-' || strlen(h) > 253)
		return 0;
	for (p = h; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' &&
		    *p != '_')
			return 0;
	}
	return 1;
}

/*
 * Splits "host:port", "[v6]:port", ":port" and "*:port" (the last two:
 * host NULL) without allocating; hbuf receives the host.
 */
static int
split_hostport(const char *spec, char *hbuf, size_t hlen, int *wild,
    const char **portp)
{
	const char *colon;
	size_t n;

	*wild = 0;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		struct in6_addr a6;

		if (close == NULL || close[1] != ':')
			return -1;
		n = (size_t)(close - spec - 1);
		if (n == 0 || n >= hlen)
			return -1;
		memcpy(hbuf, spec + 1, n);
		hbuf[n] = '\0';
		if (inet_pton(AF_INET6, hbuf, &a6) != 1)
			return -1;
		*portp = close + 2;
		return 0;
	}
	if ((colon = strrchr(spec, ':')) == NULL ||
	    memchr(spec, ':', (size_t)(colon - spec)) != NULL)
		return -1;
	n = (size_t)(colon - spec);
	if (n >= hlen)
		return -1;
	memcpy(hbuf, spec, n);
	hbuf[n] = '\0';
	*portp = colon + 1;
	if (n == 0 || strcmp(hbuf, "*") == 0) {
		*wild = 1;
		return 0;
	}
	return valid_hostname(hbuf) ? 0 : -1;
}

int
cfg_listen_split(const char *spec, char **hostp, char **portp)
{
	char h[256];
	const char *port;
	int wild;

	*hostp = *portp = NULL;
	if (spec == NULL || split_hostport(spec, h, sizeof(h), &wild,
	    &port) != 0 || parse_port(port, 0) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if ((*portp = strdup(port)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (!wild && (*hostp = strdup(h)) == NULL) {
		free(*portp);
		*portp = NULL;
		return SSH_ERR_ALLOC_FAIL;
	}
	return 0;
}

static int
check_listen(const char *v)
{
	char h[256];
	const char *port;
	int wild;

	if (split_hostport(v, h, sizeof(h), &wild, &port) != 0)
		return -1;
	return parse_port(port, 0);
}

static int
check_nonempty(const char *v)
{
	return *v == '\0' ? -1 : 0;
}

/* The portable user name characters (POSIX), not starting with '-'. */
static int
check_user(const char *v)
{
	if (*v == '-' || strlen(v) > 32)
		return -1;
	for (; *v != '\0'; v++) {
		if (!isalnum((unsigned char)*v) && *v != '.' && *v != '_' &&
		    *v != '-')
			return -1;
	}
	return 0;
}

static int
check_method(const char *v)
{
	static const char *const methods[] = {
		"publickey", "password", "keyboard-interactive", NULL
	};
	const char *p = v, *e;
	size_t i, n;

	for (;;) {
		e = strchr(p, ',');
		n = e == NULL ? strlen(p) : (size_t)(e - p);
		for (i = 0; methods[i] != NULL; i++) {
			if (strlen(methods[i]) == n &&
			    strncmp(methods[i], p, n) == 0)
				break;
		}
		if (methods[i] == NULL)
			return -1;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

static int
check_permit(const char *v)
{
	char h[256];
	const char *port;
	int wild;

	if (strcmp(v, "any") == 0 || strcmp(v, "none") == 0)
		return 0;
	if (split_hostport(v, h, sizeof(h), &wild, &port) != 0)
		return -1;
	/* ":port" is a listen shorthand, not a permit entry. */
	if (wild && h[0] == '\0')
		return -1;
	if (wild && strcmp(port, "*") == 0)
		return -1;
	return parse_port(port, 1);
}

/* Absolute, no empty, "." or ".." components, no trailing slash. */
static int
path_normalised(const char *p)
{
	const char *c;

	if (p[0] != '/')
		return 0;
	if (p[1] == '\0')
		return 1;
	for (c = p; *c != '\0';) {
		size_t n;

		c++;	/* the slash */
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += n;
	}
	return 1;
}

static int
file_readable(const char *path, char *why, size_t len)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK)) == -1) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "not a regular file");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* --- strings, lists, mounts: allocation --- */

static void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
strlist_add(struct strlist *l, const char *s)
{
	char **v, *c;

	if ((c = strdup(s)) == NULL)
		return -1;
	if ((v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL) {
		free(c);
		return -1;
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
		if (strlist_add(dst, src->v[i]) != 0) {
			strlist_free(dst);
			return -1;
		}
	}
	return 0;
}

static void
mounts_free(struct mountlist *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].target);
		strlist_free(&m->v[i].groups);
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
		return -1;
	for (i = 0; i < src->n; i++) {
		dst->n++;
		dst->v[i].access = src->v[i].access;
		if ((dst->v[i].path = strdup(src->v[i].path)) == NULL ||
		    (dst->v[i].target = strdup(src->v[i].target)) == NULL ||
		    strlist_copy(&dst->v[i].groups, &src->v[i].groups) != 0) {
			mounts_free(dst);
			return -1;
		}
	}
	return 0;
}

static size_t
row_size(const struct cfg_row *row)
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

static void
row_free(const struct cfg_row *row, struct cfg_settings *s)
{
	void *f = field(s, row);

	switch (row->type) {
	case T_STR:
		free(*(char **)f);
		*(char **)f = NULL;
		break;
	case T_LIST:
		strlist_free(f);
		break;
	case T_MOUNTS:
		mounts_free(f);
		break;
	default:
		break;
	}
}

static int
row_copy(const struct cfg_row *row, struct cfg_settings *dst,
    const struct cfg_settings *src)
{
	void *d = field(dst, row), *s = field(src, row);

	switch (row->type) {
	case T_STR:
		*(char **)d = NULL;
		if (*(char **)s != NULL &&
		    (*(char **)d = strdup(*(char **)s)) == NULL)
			return -1;
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
	return -1;
}

void
cfg_settings_free(struct cfg_settings *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < NROWS; i++)
		row_free(&cfg_rows[i], s);
	free(s);
}

/* --- parsing values --- */

static const char *
enum_expected(struct loader *ld, const struct name_value *names)
{
	char *b = ld->qbuf[ld->qnext];
	size_t i, len = 0;

	ld->qnext = (ld->qnext + 1) % 4;
	b[0] = '\0';
	for (i = 0; names[i].name != NULL; i++) {
		len += (size_t)snprintf(b + len, sizeof(ld->qbuf[0]) - len,
		    "%s\"%s\"", i == 0 ? "one of " :
		    names[i + 1].name == NULL ? " or " : ", ", names[i].name);
		if (len >= sizeof(ld->qbuf[0]))
			break;
	}
	return b;
}

static int
in_list(const char *const *l, const char *s)
{
	for (; *l != NULL; l++) {
		if (strcmp(*l, s) == 0)
			return 1;
	}
	return 0;
}

/* Checks one string (a T_STR value or a list entry); 0 if acceptable. */
static int
check_string(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const char *v)
{
	char why[128];

	if (row->algs != NULL) {
		if (!in_list(row->algs->supported, v)) {
			char all[512];
			size_t i, len = 0;

			all[0] = '\0';
			for (i = 0; row->algs->supported[i] != NULL; i++)
				len += (size_t)snprintf(all + len,
				    len < sizeof(all) ? sizeof(all) - len : 0,
				    "%s%s", i == 0 ? "" : ", ",
				    row->algs->supported[i]);
			err(ld, o, row->path, "found %s, expected a %s "
			    "nanossh implements: %s", q(ld, v),
			    row->algs->what, all);
			return -1;
		}
		return 0;
	}
	if ((row->flags & F_NONEMPTY) && row->type == T_STR && *v == '\0') {
		err(ld, o, row->path, "found \"\", expected a non-empty %s",
		    (row->flags & F_ABSPATH) ? "absolute path" : "string");
		return -1;
	}
	if ((row->flags & F_ABSPATH) && !(row->type == T_STR && *v == '\0') &&
	    v[0] != '/') {
		err(ld, o, row->path, "found %s, expected an absolute path%s",
		    q(ld, v), row->type == T_STR && !(row->flags & F_NONEMPTY) ?
		    " or \"\"" : "");
		return -1;
	}
	if (row->check != NULL && row->check(v) != 0) {
		err(ld, o, row->path, "found %s, expected %s", q(ld, v),
		    row->expected);
		return -1;
	}
	if ((row->flags & F_READABLE) && *v != '\0' &&
	    file_readable(v, why, sizeof(why)) != 0) {
		err(ld, o, row->path, "found %s (%s), expected a readable "
		    "file or \"\"", q(ld, v), why);
		return -1;
	}
	return 0;
}

static int
parse_list(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const config_setting_t *v, struct strlist *out,
    const char *what)
{
	int i, j, n, bad = 0;

	if (!is_seq(v)) {
		err(ld, o, row->path, "found %s, expected a list of %s "
		    "[ \"...\", ... ]", describe(ld, v), what);
		return -1;
	}
	n = config_setting_length(v);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(v, (unsigned)i);
		struct origin eo = origin_of(ld, e, o);
		const char *s;

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			err(ld, &eo, row->path, "found %s, expected a string",
			    describe(ld, e));
			bad = 1;
			continue;
		}
		s = config_setting_get_string(e);
		if (check_string(ld, row, &eo, s) != 0) {
			bad = 1;
			continue;
		}
		for (j = 0; j < i; j++) {
			const config_setting_t *p =
			    config_setting_get_elem(v, (unsigned)j);

			if (config_setting_type(p) == CONFIG_TYPE_STRING &&
			    strcmp(config_setting_get_string(p), s) == 0)
				break;
		}
		if (j < i) {
			err(ld, &eo, row->path, "found %s twice, expected "
			    "each entry once", q(ld, s));
			bad = 1;
			continue;
		}
		if ((row->flags & F_ALONE) && n > 1 &&
		    (strcmp(s, "any") == 0 || strcmp(s, "none") == 0)) {
			err(ld, &eo, row->path, "found %s among other "
			    "entries, expected it as the only entry",
			    q(ld, s));
			bad = 1;
			continue;
		}
		if (!bad && strlist_add(out, s) != 0) {
			ld->oom = 1;
			bad = 1;
		}
	}
	if (!bad && n == 0 && (row->flags & F_NONEMPTY)) {
		err(ld, o, row->path, "found an empty list, expected at "
		    "least one entry");
		bad = 1;
	}
	if (bad)
		strlist_free(out);
	return bad ? -1 : 0;
}

/* "1G", "512M", "0", "none" or a plain number of bytes. */
static int
parse_size(const char *s, uint64_t *vp)
{
	uint64_t v = 0, mult = 1;
	const char *p;

	if (strcmp(s, "none") == 0) {
		*vp = 0;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'K': case 'k':
		mult = 1ULL << 10;
		p++;
		break;
	case 'M': case 'm':
		mult = 1ULL << 20;
		p++;
		break;
	case 'G': case 'g':
		mult = 1ULL << 30;
		p++;
		break;
	case 'T': case 't':
		mult = 1ULL << 40;
		p++;
		break;
	default:
		return -1;
	}
	if (*p != '\0' || v > (1ULL << 62) / mult)
		return -1;
	v *= mult;
	if (v != 0 && v < 16)
		return -1;
	*vp = v;
	return 0;
}

static int
parse_uint(const char **pp, int *vp)
{
	const char *p = *pp;
	long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > 100000)
			return -1;
	}
	*pp = p;
	*vp = (int)v;
	return 0;
}

/* "begin:rate:full" or a single number n (n:100:n). */
static int
parse_startups(const char *s, int out[3])
{
	const char *p = s;
	int b, r, f;

	if (parse_uint(&p, &b) != 0)
		return -1;
	if (*p == '\0') {
		r = 100;
		f = b;
	} else if (*p++ != ':' || parse_uint(&p, &r) != 0 || *p++ != ':' ||
	    parse_uint(&p, &f) != 0 || *p != '\0')
		return -1;
	if (b < 1 || f < b || r < 1 || r > 100 || f > 10000)
		return -1;
	out[0] = b;
	out[1] = r;
	out[2] = f;
	return 0;
}

/* A mount target is absolute once %h (the home directory) is expanded;
 * %u is the user name; nothing else may follow a %. */
static int
mount_target_ok(const char *t)
{
	const char *p;

	if (t[0] != '/' && strncmp(t, "%h", 2) != 0)
		return 0;
	for (p = t; (p = strchr(p, '%')) != NULL; p += 2) {
		if (p[1] != 'h' && p[1] != 'u' && p[1] != '%')
			return 0;
	}
	return 1;
}

static int
parse_mounts(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const config_setting_t *v, struct mountlist *out)
{
	static const char *const keys[] = {
		"path", "target", "access", "groups", NULL
	};
	static const struct cfg_row grow = {
		"sftp.mounts.groups", T_LIST, 0, 0, NULL, 0, 0, NULL,
		check_nonempty, "a group name", NULL
	};
	int i, j, n, bad = 0;

	if (!is_seq(v) || (config_setting_type(v) == CONFIG_TYPE_ARRAY &&
	    config_setting_length(v) != 0)) {
		err(ld, o, row->path, "found %s, expected a list of mounts "
		    "( { path = \"/...\"; target = \"/...\"; } , ... )",
		    describe(ld, v));
		return -1;
	}
	n = config_setting_length(v);
	if (n > 0 && (out->v = calloc((size_t)n, sizeof(*out->v))) == NULL) {
		ld->oom = 1;
		return -1;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(v, (unsigned)i);
		struct origin mo = origin_of(ld, m, o);
		struct cfg_mount *cm = &out->v[out->n];
		const char *path = NULL, *target = NULL;
		int k, mbad = 0;

		if (config_setting_type(m) != CONFIG_TYPE_GROUP) {
			err(ld, &mo, row->path, "found %s, expected a mount "
			    "{ path = ...; target = ...; }", describe(ld, m));
			bad = 1;
			continue;
		}
		out->n++;
		cm->access = CFG_ACCESS_INHERIT;
		for (k = 0; k < config_setting_length(m); k++) {
			const config_setting_t *e =
			    config_setting_get_elem(m, (unsigned)k);
			struct origin eo = origin_of(ld, e, &mo);
			const char *name = config_setting_name(e);
			char pbuf[64];

			snprintf(pbuf, sizeof(pbuf), "sftp.mounts.%s", name);
			if (!in_list(keys, name)) {
				err(ld, &eo, row->path, "found unknown "
				    "setting %s in a mount, expected path, "
				    "target, access or groups", name);
				mbad = 1;
			} else if (strcmp(name, "groups") == 0) {
				if (parse_list(ld, &grow, &eo, e, &cm->groups,
				    "group names") != 0)
					mbad = 1;
			} else if (config_setting_type(e) !=
			    CONFIG_TYPE_STRING) {
				err(ld, &eo, pbuf, "found %s, expected a "
				    "string", describe(ld, e));
				mbad = 1;
			} else if (strcmp(name, "access") == 0) {
				if (name_lookup(names_access,
				    config_setting_get_string(e), 0,
				    &cm->access) != 0) {
					err(ld, &eo, pbuf, "found %s, "
					    "expected %s", describe(ld, e),
					    enum_expected(ld, names_access));
					mbad = 1;
				}
			} else if (strcmp(name, "path") == 0) {
				path = config_setting_get_string(e);
				if (!path_normalised(path)) {
					err(ld, &eo, pbuf, "found %s, "
					    "expected a normalised absolute "
					    "path (no \"//\", \".\", \"..\" "
					    "or trailing \"/\")", q(ld, path));
					mbad = 1;
				}
				for (j = 0; j < (int)out->n - 1; j++) {
					if (out->v[j].path != NULL &&
					    strcmp(out->v[j].path, path) == 0)
						break;
				}
				if (j < (int)out->n - 1) {
					err(ld, &eo, pbuf, "found %s twice, "
					    "expected each mount path once",
					    q(ld, path));
					mbad = 1;
				}
			} else {
				target = config_setting_get_string(e);
				if (!mount_target_ok(target)) {
					err(ld, &eo, pbuf, "found %s, "
					    "expected an absolute path or one "
					    "starting with %%h (only %%h, %%u "
					    "and %%%% expand)", q(ld, target));
					mbad = 1;
				}
			}
		}
		if (path == NULL || target == NULL) {
			err(ld, &mo, row->path, "found a mount without %s, "
			    "expected both path and target",
			    path == NULL ? "path" : "target");
			mbad = 1;
		}
		if (!mbad && ((cm->path = strdup(path)) == NULL ||
		    (cm->target = strdup(target)) == NULL)) {
			ld->oom = 1;
			mbad = 1;
		}
		if (mbad)
			bad = 1;
	}
	if (bad)
		mounts_free(out);
	return bad ? -1 : 0;
}

/*
 * Parses v as the value of row into the row's field of s (freeing what
 * was there).  Returns 0, or -1 after reporting every problem.
 */
static int
value_set(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const config_setting_t *v, struct cfg_settings *s)
{
	void *f = field(s, row);
	const char *str = config_setting_type(v) == CONFIG_TYPE_STRING ?
	    config_setting_get_string(v) : NULL;
	long long n;
	int iv, st[3];
	uint64_t sz;
	char *c;

	switch (row->type) {
	case T_STR:
		if (str == NULL) {
			err(ld, o, row->path, "found %s, expected a string",
			    describe(ld, v));
			return -1;
		}
		if (check_string(ld, row, o, str) != 0)
			return -1;
		if ((c = strdup(str)) == NULL) {
			ld->oom = 1;
			return -1;
		}
		row_free(row, s);
		*(char **)f = c;
		return 0;
	case T_INT:
		n = is_int(v) ? config_setting_get_int64(v) : 0;
		if (!is_int(v) || n < row->min || n > row->max) {
			err(ld, o, row->path, "found %s, expected an integer "
			    "from %lld to %lld", describe(ld, v), row->min,
			    row->max);
			return -1;
		}
		*(int *)f = (int)n;
		return 0;
	case T_BOOL:
		if (config_setting_type(v) != CONFIG_TYPE_BOOL) {
			err(ld, o, row->path, "found %s, expected true or "
			    "false", describe(ld, v));
			return -1;
		}
		*(int *)f = config_setting_get_bool(v) ? 1 : 0;
		return 0;
	case T_ENUM:
		if (str == NULL || name_lookup(row->names, str, 0, &iv) != 0) {
			err(ld, o, row->path, "found %s, expected %s",
			    describe(ld, v), enum_expected(ld, row->names));
			return -1;
		}
		*(int *)f = iv;
		return 0;
	case T_SIZE:
		if (is_int(v) && config_setting_get_int64(v) >= 0) {
			char nb[32];

			snprintf(nb, sizeof(nb), "%lld",
			    (long long)config_setting_get_int64(v));
			iv = parse_size(nb, &sz);
		} else
			iv = str == NULL ? -1 : parse_size(str, &sz);
		if (iv != 0) {
			err(ld, o, row->path, "found %s, expected a size in "
			    "bytes of at least 16 with an optional K, M or G "
			    "suffix (\"1G\"), or \"none\"", describe(ld, v));
			return -1;
		}
		*(uint64_t *)f = sz;
		return 0;
	case T_STARTUPS:
		if (is_int(v)) {
			char nb[32];

			snprintf(nb, sizeof(nb), "%lld",
			    (long long)config_setting_get_int64(v));
			iv = parse_startups(nb, st);
		} else
			iv = str == NULL ? -1 : parse_startups(str, st);
		if (iv != 0) {
			err(ld, o, row->path, "found %s, expected "
			    "\"start:rate:full\" with 1 <= start <= full <= "
			    "10000 and rate from 1 to 100, or a single number",
			    describe(ld, v));
			return -1;
		}
		memcpy(f, st, sizeof(st));
		return 0;
	case T_LIST: {
		struct strlist l = { NULL, 0 };

		if (parse_list(ld, row, o, v, &l, row->algs != NULL ?
		    "algorithm names" : "strings") != 0)
			return -1;
		row_free(row, s);
		*(struct strlist *)f = l;
		return 0;
	}
	case T_MOUNTS: {
		struct mountlist m = { NULL, 0 };

		if (parse_mounts(ld, row, o, v, &m) != 0)
			return -1;
		row_free(row, s);
		*(struct mountlist *)f = m;
		return 0;
	}
	}
	return -1;
}

/* --- the table --- */

static const struct cfg_row *
row_find(const char *path, size_t *idxp)
{
	size_t i;

	for (i = 0; i < NROWS; i++) {
		if (strcmp(cfg_rows[i].path, path) == 0) {
			if (idxp != NULL)
				*idxp = i;
			return &cfg_rows[i];
		}
	}
	return NULL;
}

/* 1 when some row lives below the group path. */
static int
is_group(const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; i < NROWS; i++) {
		if (strncmp(cfg_rows[i].path, path, n) == 0 &&
		    cfg_rows[i].path[n] == '.')
			return 1;
	}
	return 0;
}

/* The names one level below prefix ("" for the top), for errors. */
static void
names_below(const char *prefix, int in_match, char *out, size_t len)
{
	size_t i, j, n = strlen(prefix), used = 0;

	out[0] = '\0';
	for (i = 0; i < NROWS; i++) {
		const char *p = cfg_rows[i].path, *rest, *dot;
		size_t rl;

		if (n > 0 && (strncmp(p, prefix, n) != 0 || p[n] != '.'))
			continue;
		if (in_match && !(cfg_rows[i].flags & F_MATCH))
			continue;
		rest = n > 0 ? p + n + 1 : p;
		dot = strchr(rest, '.');
		rl = dot == NULL ? strlen(rest) : (size_t)(dot - rest);
		/* Skip names already listed: earlier rows of the same group. */
		for (j = 0; j < i; j++) {
			const char *pp = cfg_rows[j].path;
			const char *rr;

			if (n > 0 && (strncmp(pp, prefix, n) != 0 ||
			    pp[n] != '.'))
				continue;
			if (in_match && !(cfg_rows[j].flags & F_MATCH))
				continue;
			rr = n > 0 ? pp + n + 1 : pp;
			if (strncmp(rr, rest, rl) == 0 &&
			    (rr[rl] == '\0' || rr[rl] == '.'))
				break;
		}
		if (j < i)
			continue;
		used += (size_t)snprintf(out + used, used < len ?
		    len - used : 0, "%s%.*s", used == 0 ? "" : ", ",
		    (int)rl, rest);
	}
	if (n == 0)
		snprintf(out + used, used < len ? len - used : 0, "%s",
		    in_match ? ", users, groups, addresses" : ", match");
}

static void
walk_group(struct loader *ld, const config_setting_t *grp, const char *prefix,
    struct layer *l, int in_match, const struct origin *po);

static void
set_one(struct loader *ld, const config_setting_t *v, const char *path,
    struct layer *l, int in_match, const struct origin *o)
{
	const struct cfg_row *row;
	size_t idx;
	char names[512];

	if ((row = row_find(path, &idx)) != NULL) {
		if (in_match && !(row->flags & F_MATCH)) {
			err(ld, o, NULL, "found %s inside a match block, "
			    "expected only per-connection settings there "
			    "(auth.*, forwarding.*, sftp.*, scp.*, "
			    "session.*, log_level, limits.max_sessions, "
			    "limits.max_session_time, limits.idle_timeout, "
			    "limits.keepalive_*)", path);
			return;
		}
		if (value_set(ld, row, o, v, &l->s) == 0) {
			l->set[idx] = 1;
			l->line[idx] = o->line;
		} else
			l->bad[idx] = 1;
		return;
	}
	if (is_group(path)) {
		if (config_setting_type(v) != CONFIG_TYPE_GROUP) {
			err(ld, o, path, "found %s, expected a group "
			    "%s : { ... }", describe(ld, v), path);
			return;
		}
		walk_group(ld, v, path, l, in_match, o);
		return;
	}
	{
		const char *dot = strrchr(path, '.');
		char prefix[128];

		snprintf(prefix, sizeof(prefix), "%.*s",
		    dot == NULL ? 0 : (int)(dot - path), path);
		names_below(prefix, in_match, names, sizeof(names));
	}
	err(ld, o, NULL, "found unknown setting %s, expected one of: %s",
	    path, names);
}

static void
walk_group(struct loader *ld, const config_setting_t *grp, const char *prefix,
    struct layer *l, int in_match, const struct origin *po)
{
	int i, n = config_setting_length(grp);

	for (i = 0; i < n; i++) {
		const config_setting_t *c = config_setting_get_elem(grp,
		    (unsigned)i);
		const char *name = config_setting_name(c);
		struct origin o = origin_of(ld, c, po);
		char path[256];

		if (*prefix == '\0' && ((in_match &&
		    (strcmp(name, "users") == 0 ||
		    strcmp(name, "groups") == 0 ||
		    strcmp(name, "addresses") == 0)) ||
		    (!in_match && strcmp(name, "match") == 0)))
			continue;	/* the caller's */
		snprintf(path, sizeof(path), "%s%s%s", prefix,
		    *prefix == '\0' ? "" : ".", name);
		set_one(ld, c, path, l, in_match, &o);
	}
}

/* Address patterns: wildcards over address characters, or CIDR. */
static int
check_addr_pattern(const char *v)
{
	return match_addr_pattern_valid(v[0] == '!' ? v + 1 : v);
}

static int
check_name_pattern(const char *v)
{
	const char *p = v[0] == '!' ? v + 1 : v;

	return *p == '\0' ? -1 : 0;
}

/* allow_users and friends: plain name patterns.  OpenSSH's "user@host"
 * form is refused rather than silently compared as a name. */
static int
check_member_pattern(const char *v)
{
	const char *p = v[0] == '!' ? v + 1 : v;

	if (*p == '\0')
		return -1;
	for (; *p != '\0'; p++) {
		if (*p == '@' || *p == ',' || *p == '!' ||
		    isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
			return -1;
	}
	return 0;
}

/* session.accept_env: what an environment variable name may hold, plus
 * the pattern characters. */
static int
check_env_pattern(const char *v)
{
	if (*v == '\0')
		return -1;
	for (; *v != '\0'; v++) {
		if (!isalnum((unsigned char)*v) && *v != '_' && *v != '*' &&
		    *v != '?')
			return -1;
	}
	return 0;
}

static void
load_match(struct loader *ld, struct cfg *cfg, const config_setting_t *m,
    const struct origin *po)
{
	static const struct cfg_row crit[] = {
		{ "match.users", T_LIST, 0, 0, NULL, 0, 0, NULL,
		    check_name_pattern, "a user name pattern", NULL },
		{ "match.groups", T_LIST, 0, 0, NULL, 0, 0, NULL,
		    check_name_pattern, "a group name pattern", NULL },
		{ "match.addresses", T_LIST, 0, 0, NULL, 0, 0, NULL,
		    check_addr_pattern, ADDR_EXP, NULL },
	};
	int i, n;

	if (!is_seq(m) || (config_setting_type(m) == CONFIG_TYPE_ARRAY &&
	    config_setting_length(m) != 0)) {
		err(ld, po, "match", "found %s, expected a list of blocks "
		    "( { users = [ ... ]; ... }, ... )", describe(ld, m));
		return;
	}
	n = config_setting_length(m);
	if (n > 0 && (cfg->blk = calloc((size_t)n, sizeof(*cfg->blk))) == NULL) {
		ld->oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *b = config_setting_get_elem(m,
		    (unsigned)i);
		struct origin bo = origin_of(ld, b, po);
		struct cfg_matchblk *mb = &cfg->blk[cfg->nblk];
		struct strlist *lists[3];
		size_t k;

		if (config_setting_type(b) != CONFIG_TYPE_GROUP) {
			err(ld, &bo, "match", "found %s, expected a block "
			    "{ users = [ ... ]; ... }", describe(ld, b));
			continue;
		}
		cfg->nblk++;
		mb->line = bo.line;
		lists[0] = &mb->users;
		lists[1] = &mb->groups;
		lists[2] = &mb->addresses;
		for (k = 0; k < 3; k++) {
			const config_setting_t *c = config_setting_get_member(b,
			    crit[k].path + 6);
			struct origin co;

			if (c == NULL)
				continue;
			co = origin_of(ld, c, &bo);
			(void)parse_list(ld, &crit[k], &co, c, lists[k],
			    "patterns");
		}
		walk_group(ld, b, "", &mb->l, 1, &bo);
	}
}

/* Cross-setting checks on a layer merged with the globals. */
static void
check_combined(struct loader *ld, const struct layer *g, const struct layer *l)
{
	size_t ib = 0, ip = 0;
	const struct cfg_settings *s;
	int backend;
	const char *pwfile;
	struct origin o = { ld->path, 0, NULL };
	char why[128];

	(void)row_find("auth.password_backend", &ib);
	(void)row_find("auth.password_file", &ip);
	if (l != g && !l->set[ib] && !l->set[ip])
		return;
	if (l->bad[ib] || l->bad[ip] || g->bad[ib] || g->bad[ip])
		return;
	s = &g->s;
	backend = l->set[ib] ? l->s.auth.password_backend :
	    s->auth.password_backend;
	pwfile = l->set[ip] ? l->s.auth.password_file : s->auth.password_file;
	if (backend != CFG_PW_FILE)
		return;
	o.line = l->set[ip] ? l->line[ip] : l->set[ib] ? l->line[ib] :
	    g->line[ip] != 0 ? g->line[ip] : g->line[ib];
	if (o.line < 0)
		o.ospec = ld->overrides[-o.line - 1];
	if (pwfile == NULL || *pwfile == '\0') {
		err(ld, &o, "auth.password_file", "found \"\", expected a "
		    "readable file of user:hash lines when "
		    "auth.password_backend is \"file\"");
	} else if (file_readable(pwfile, why, sizeof(why)) != 0) {
		err(ld, &o, "auth.password_file", "found %s (%s), expected "
		    "a readable file of user:hash lines", q(ld, pwfile), why);
	}
}

/* A min at or above max would never refuse anyone: say so. */
static void
check_penalties(struct loader *ld, const struct layer *g)
{
	size_t imin = 0, imax = 0;
	struct origin o = { ld->path, 0, NULL };

	(void)row_find("limits.penalties.min", &imin);
	(void)row_find("limits.penalties.max", &imax);
	if (g->bad[imin] || g->bad[imax] ||
	    g->s.limits.penalties.min < g->s.limits.penalties.max)
		return;
	o.line = g->line[imin] != 0 ? g->line[imin] : g->line[imax];
	if (o.line < 0)
		o.ospec = ld->overrides[-o.line - 1];
	err(ld, &o, "limits.penalties.min", "found %d, expected less than "
	    "limits.penalties.max (%d)", g->s.limits.penalties.min,
	    g->s.limits.penalties.max);
}

/* The whole file (at most 1 MiB), then rewinds f for libconfig. */
static int
read_text(FILE *f, char **textp)
{
	char *t;
	size_t n;

	*textp = NULL;
	if ((t = malloc(CFG_MAX_FILE + 1)) == NULL)
		return -1;
	n = fread(t, 1, CFG_MAX_FILE + 1, f);
	if (ferror(f) || n > CFG_MAX_FILE) {
		if (!ferror(f))
			errno = EFBIG;
		free(t);
		return -1;
	}
	t[n] = '\0';
	rewind(f);
	*textp = t;
	return 0;
}

/*
 * Checks the raw text for what libconfig would accept but nanosshd must
 * not.  @include directives: the daemon checksums and reports one file.
 * And libconfig 1.5 stores a decimal integer literal beyond the int range
 * without an L suffix truncated (4294967297 reads as 1), so a typo could
 * turn a limit into 0, "unlimited".  Find such literals in the text
 * first: outside strings and comments, a number that is neither a float
 * nor L-suffixed must fit an int.
 */
static int
scan_text(struct loader *ld, const char *text, const struct origin *po)
{
	const char *p = text;
	int line = 1, bad = 0;

	while (*p != '\0') {
		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p != '\0' && !(p[0] == '*' && p[1] == '/');
			    p++)
				line += *p == '\n';
			if (*p != '\0')
				p += 2;
		} else if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				line += *p == '\n';
			}
			if (*p != '\0')
				p++;
		} else if (*p == '@') {
			/*
			 * One file: the daemon's checksum and the FILE:LINE
			 * of every error cover only this one.
			 */
			struct origin o = *po;

			if (o.ospec == NULL)
				o.line = line;
			err(ld, &o, NULL, "found %.*s, expected settings "
			    "only (nanosshd reads a single file)",
			    (int)strcspn(p, " \t\r\n\"") > 40 ? 40 :
			    (int)strcspn(p, " \t\r\n\""), p);
			bad = 1;
			p++;
		} else if (isalpha((unsigned char)*p) || *p == '*' ||
		    *p == '_') {
			while (isalnum((unsigned char)*p) || *p == '-' ||
			    *p == '_' || *p == '*')
				p++;
		} else if (isdigit((unsigned char)*p)) {
			const char *start = p;
			unsigned long long v = 0, lim;
			int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
			int over = 0, neg = start > text && start[-1] == '-';

			lim = hex ? 0xffffffffULL : neg ? 2147483648ULL :
			    2147483647ULL;
			if (hex)
				p += 2;
			while (hex ? isxdigit((unsigned char)*p) :
			    isdigit((unsigned char)*p)) {
				int d = isdigit((unsigned char)*p) ? *p - '0' :
				    (tolower((unsigned char)*p) - 'a' + 10);

				if (v > (lim - (unsigned)d) / (hex ? 16 : 10))
					over = 1;
				else
					v = v * (hex ? 16 : 10) + (unsigned)d;
				p++;
			}
			if (*p == 'L' || *p == '.' || *p == 'e' || *p == 'E') {
				p++;
				continue;
			}
			if (over) {
				struct origin o = *po;

				if (o.ospec == NULL)
					o.line = line;
				err(ld, &o, NULL, "found %s%.*s, expected a "
				    "32-bit integer (libconfig misreads "
				    "larger ones; add an L suffix for a 64-bit "
				    "value)", neg ? "-" : "",
				    (int)(p - start > 40 ? 40 : p - start),
				    start);
				bad = 1;
			}
		} else
			p++;
	}
	return bad ? -1 : 0;
}

/*
 * Builds in c the setting "v" for an -o value given as plain text: a string
 * (the whole text), or for a list the comma-separated entries.
 */
static config_setting_t *
override_plain(config_t *c, const struct cfg_row *row, const char *text,
    int split)
{
	config_setting_t *v, *root;
	const char *p = text;

	config_destroy(c);
	config_init(c);
	root = config_root_setting(c);
	if (row->type != T_LIST) {
		if ((v = config_setting_add(root, "v",
		    CONFIG_TYPE_STRING)) == NULL ||
		    config_setting_set_string(v, text) != CONFIG_TRUE)
			return NULL;
		return v;
	}
	if ((v = config_setting_add(root, "v", CONFIG_TYPE_ARRAY)) == NULL)
		return NULL;
	while (*p != '\0') {
		size_t n = split ? strcspn(p, ",") : strlen(p);
		char *e = strndup(p, n);

		if (e == NULL || config_setting_set_string_elem(v, -1,
		    e) == NULL) {
			free(e);
			return NULL;
		}
		free(e);
		p += n;
		if (*p == ',')
			p++;
	}
	return v;
}

/*
 * Parses one "-o path=value": value in libconfig syntax, or for strings a
 * bare word and for string lists a comma-separated list.
 */
static void
apply_override(struct loader *ld, struct layer *g, const char *spec, int idx)
{
	struct origin o = { NULL, -(idx + 1), spec };
	const struct cfg_row *row;
	const char *eq = strchr(spec, '='), *val;
	config_setting_t *v = NULL;
	char path[128], *text = NULL, *str = NULL;
	size_t ri;
	config_t c;

	if (eq == NULL || eq == spec || (size_t)(eq - spec) >= sizeof(path)) {
		err(ld, &o, NULL, "found no setting name, expected "
		    "path=value like auth.max_tries=3");
		return;
	}
	val = eq + 1;
	snprintf(path, sizeof(path), "%.*s", (int)(eq - spec), spec);
	if ((row = row_find(path, &ri)) == NULL) {
		err(ld, &o, NULL, "found unknown setting %s, expected a "
		    "setting path from nanosshd.conf(5) like auth.max_tries",
		    path);
		return;
	}
	config_init(&c);
	/* String-like values may come bare; their own parsers decide. */
	if ((row->type == T_STR || row->type == T_ENUM ||
	    row->type == T_SIZE || row->type == T_STARTUPS) && *val != '"') {
		v = override_plain(&c, row, val, 0);
		goto set;
	}
	if (scan_text(ld, val, &o) != 0)
		goto out;
	if (asprintf(&text, "v = %s;", val) == -1) {
		text = NULL;
		ld->oom = 1;
		goto out;
	}
	if (config_read_string(&c, text) != CONFIG_TRUE ||
	    config_setting_length(config_root_setting(&c)) != 1 ||
	    (v = config_setting_get_member(config_root_setting(&c), "v")) ==
	    NULL) {
		/* Not libconfig syntax: take the text as it is. */
		v = override_plain(&c, row, val, 1);
	} else if (row->type == T_LIST &&
	    config_setting_type(v) == CONFIG_TYPE_STRING) {
		/* One quoted entry, commas and all. */
		if ((str = strdup(config_setting_get_string(v))) == NULL) {
			ld->oom = 1;
			goto out;
		}
		v = override_plain(&c, row, str, 0);
	}
 set:
	if (v == NULL) {
		ld->oom = 1;
		goto out;
	}
	if (value_set(ld, row, &o, v, &g->s) == 0) {
		g->set[ri] = 1;
		g->bad[ri] = 0;
		g->line[ri] = o.line;
	} else
		g->bad[ri] = 1;
 out:
	config_destroy(&c);
	free(text);
	free(str);
}

static int
set_defaults(struct layer *l)
{
	struct loader ld;
	struct origin o = { "(defaults)", 0, NULL };
	size_t i, j;

	memset(&ld, 0, sizeof(ld));
	for (i = 0; i < NROWS; i++) {
		const struct cfg_row *row = &cfg_rows[i];
		config_t c;
		char *text = NULL;
		int r = -1;

		if (row->def == NULL) {
			struct strlist *sl = field(&l->s, row);

			for (j = 0; row->algs->defaults[j] != NULL; j++) {
				if (strlist_add(sl, row->algs->defaults[j]))
					return -1;
			}
			continue;
		}
		config_init(&c);
		/* Defaults skip the file checks: "" is never read. */
		if (asprintf(&text, "v = %s;", row->def) != -1 &&
		    config_read_string(&c, text) == CONFIG_TRUE)
			r = value_set(&ld, row, &o,
			    config_lookup(&c, "v"), &l->s);
		config_destroy(&c);
		free(text);
		if (r != 0)
			return -1;
	}
	return 0;
}

static void
layer_clear(struct layer *l)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		row_free(&cfg_rows[i], &l->s);
}

void
cfg_free(struct cfg *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	layer_clear(&cfg->global);
	for (i = 0; i < cfg->nblk; i++) {
		strlist_free(&cfg->blk[i].users);
		strlist_free(&cfg->blk[i].groups);
		strlist_free(&cfg->blk[i].addresses);
		layer_clear(&cfg->blk[i].l);
	}
	free(cfg->blk);
	free(cfg->path);
	free(cfg);
}

int
cfg_load(const char *path, const char *const *overrides, size_t noverrides,
    struct cfg **cfgp, char **errsp)
{
	struct loader ld;
	struct cfg *cfg = NULL;
	config_t c;
	FILE *f = NULL;
	char *ftext = NULL;
	int r = SSH_ERR_INTERNAL_ERROR, have_c = 0;
	size_t i;

	*cfgp = NULL;
	if (errsp != NULL)
		*errsp = NULL;
	if (path == NULL)
		path = CFG_DEFAULT_PATH;
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.overrides = overrides;
	if ((ld.errs = open_memstream(&ld.errbuf, &ld.errlen)) == NULL ||
	    (cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    (cfg->path = strdup(path)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (set_defaults(&cfg->global) != 0) {
		r = SSH_ERR_INTERNAL_ERROR;
		goto out;
	}
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(ld.errs, "%s: cannot read the configuration file: "
		    "%s\n", path, strerror(errno));
		ld.nerr++;
	} else {
		struct origin o = { path, 0, NULL };
		const config_setting_t *m;

		config_init(&c);
		have_c = 1;
		if (read_text(f, &ftext) != 0) {
			fprintf(ld.errs, "%s: cannot read the configuration "
			    "file: %s\n", path, errno == EFBIG ?
			    "larger than 1 MiB" : strerror(errno));
			ld.nerr++;
		} else if (scan_text(&ld, ftext, &o) != 0) {
			/* Reported: do not read a misparsed value. */
		} else if (config_read(&c, f) != CONFIG_TRUE) {
			fprintf(ld.errs, "%s:%d: syntax error: %s\n",
			    config_error_file(&c) != NULL ?
			    config_error_file(&c) : path,
			    config_error_line(&c), config_error_text(&c));
			ld.nerr++;
		} else {
			walk_group(&ld, config_root_setting(&c), "",
			    &cfg->global, 0, &o);
			m = config_setting_get_member(config_root_setting(&c),
			    "match");
			if (m != NULL) {
				struct origin mo = origin_of(&ld, m, &o);

				load_match(&ld, cfg, m, &mo);
			}
		}
	}
	for (i = 0; i < noverrides; i++)
		apply_override(&ld, &cfg->global, overrides[i], (int)i);
	check_combined(&ld, &cfg->global, &cfg->global);
	check_penalties(&ld, &cfg->global);
	for (i = 0; i < cfg->nblk; i++)
		check_combined(&ld, &cfg->global, &cfg->blk[i].l);
	if (ld.oom) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (ld.nerr != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	*cfgp = cfg;
	cfg = NULL;
	r = 0;
 out:
	if (have_c)
		config_destroy(&c);
	if (f != NULL)
		fclose(f);
	free(ftext);
	if (ld.errs != NULL) {
		fclose(ld.errs);
		if (r != 0 && errsp != NULL && ld.errlen > 0)
			*errsp = ld.errbuf;
		else
			free(ld.errbuf);
	}
	if (r != 0 && errsp != NULL && *errsp == NULL)
		*errsp = strdup(ssh_err(r));
	cfg_free(cfg);
	return r;
}

const struct cfg_settings *
cfg_global(const struct cfg *cfg)
{
	return &cfg->global.s;
}

const char *
cfg_path(const struct cfg *cfg)
{
	return cfg->path;
}

static int
crit_match(const struct cfg_matchblk *b, const char *user,
    const char *const *groups, size_t ngroups, const char *addr)
{
	size_t i;
	int pos = 0;

	if (b->users.n > 0 && (user == NULL ||
	    !match_list(user, b->users.v, b->users.n)))
		return 0;
	if (b->addresses.n > 0 && (addr == NULL ||
	    !match_addr_list(addr, b->addresses.v, b->addresses.n)))
		return 0;
	if (b->groups.n == 0)
		return 1;
	/* Some group matches a positive pattern, none a negated one. */
	for (i = 0; i < ngroups; i++) {
		size_t j;

		for (j = 0; j < b->groups.n; j++) {
			const char *p = b->groups.v[j];

			if (p[0] == '!') {
				if (match_pattern(groups[i], p + 1))
					return 0;
			} else if (match_pattern(groups[i], p))
				pos = 1;
		}
	}
	return pos;
}

int
cfg_effective(const struct cfg *cfg, const char *user,
    const char *const *groups, size_t ngroups, const char *addr,
    struct cfg_settings **outp)
{
	struct cfg_settings *s;
	size_t i, b;
	int r = SSH_ERR_ALLOC_FAIL;

	*outp = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < NROWS; i++) {
		if (row_copy(&cfg_rows[i], s, &cfg->global.s) != 0)
			goto out;
	}
	for (b = 0; b < cfg->nblk; b++) {
		const struct cfg_matchblk *mb = &cfg->blk[b];

		if (!crit_match(mb, user, groups, ngroups, addr))
			continue;
		for (i = 0; i < NROWS; i++) {
			struct cfg_settings tmp;

			if (!mb->l.set[i])
				continue;
			if (row_copy(&cfg_rows[i], &tmp, &mb->l.s) != 0)
				goto out;
			row_free(&cfg_rows[i], s);
			memcpy(field(s, &cfg_rows[i]), field(&tmp, &cfg_rows[i]),
			    row_size(&cfg_rows[i]));
		}
	}
	*outp = s;
	s = NULL;
	r = 0;
 out:
	cfg_settings_free(s);
	return r;
}

/* --- the dump --- */

static void
put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void
put_list(FILE *out, const struct strlist *l)
{
	size_t i;

	fputs("[ ", out);
	for (i = 0; i < l->n; i++) {
		put_quoted(out, l->v[i]);
		fputs(i + 1 < l->n ? ", " : " ", out);
	}
	fputc(']', out);
}

static void
put_size(FILE *out, uint64_t v)
{
	static const char sfx[] = "TGMK";
	int i;

	if (v == 0) {
		fputs("\"none\"", out);
		return;
	}
	for (i = 0; i < 4; i++) {
		uint64_t unit = 1ULL << (10 * (4 - i));

		if (v % unit == 0) {
			fprintf(out, "\"%llu%c\"",
			    (unsigned long long)(v / unit), sfx[i]);
			return;
		}
	}
	fprintf(out, "\"%llu\"", (unsigned long long)v);
}

static void
indent(FILE *out, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", out);
}

static void
put_value(FILE *out, const struct cfg_row *row, const struct cfg_settings *s,
    int depth)
{
	const void *f = field(s, row);
	const int *st;
	const struct mountlist *m;
	size_t i;

	switch (row->type) {
	case T_STR:
		put_quoted(out, *(char *const *)f != NULL ?
		    *(char *const *)f : "");
		break;
	case T_INT:
		fprintf(out, "%d", *(const int *)f);
		break;
	case T_BOOL:
		fputs(*(const int *)f ? "true" : "false", out);
		break;
	case T_ENUM:
		put_quoted(out, name_of(row->names, *(const int *)f) != NULL ?
		    name_of(row->names, *(const int *)f) : "?");
		break;
	case T_LIST:
		put_list(out, f);
		break;
	case T_SIZE:
		put_size(out, *(const uint64_t *)f);
		break;
	case T_STARTUPS:
		st = f;
		fprintf(out, "\"%d:%d:%d\"", st[0], st[1], st[2]);
		break;
	case T_MOUNTS:
		m = f;
		if (m->n == 0) {
			fputs("( )", out);
			break;
		}
		fputs("(\n", out);
		for (i = 0; i < m->n; i++) {
			indent(out, depth + 1);
			fputs("{ path = ", out);
			put_quoted(out, m->v[i].path);
			fputs("; target = ", out);
			put_quoted(out, m->v[i].target);
			fprintf(out, "; access = \"%s\"; groups = ",
			    name_of(names_access, m->v[i].access));
			put_list(out, &m->v[i].groups);
			fprintf(out, "; }%s\n", i + 1 < m->n ? "," : "");
		}
		indent(out, depth);
		fputc(')', out);
		break;
	}
}

/* Number of leading path components a and b share. */
static int
common_groups(const char *a, const char *b)
{
	int n = 0;
	const char *da, *db;

	for (;;) {
		da = strchr(a, '.');
		db = strchr(b, '.');
		if (da == NULL || db == NULL || da - a != db - b ||
		    strncmp(a, b, (size_t)(da - a)) != 0)
			return n;
		n++;
		a = da + 1;
		b = db + 1;
	}
}

static int
ngroups_of(const char *p)
{
	int n = 0;

	for (; *p != '\0'; p++)
		n += *p == '.';
	return n;
}

int
cfg_dump(const struct cfg_settings *s, FILE *out)
{
	const char *prev = "";
	int depth = 0;
	size_t i;

	for (i = 0; i < NROWS; i++) {
		const char *p = cfg_rows[i].path, *c;
		int keep = common_groups(prev, p), k;

		for (; depth > keep; depth--) {
			indent(out, depth - 1);
			fputs("};\n", out);
		}
		/* Open the groups of p beyond those still open. */
		c = p;
		for (k = 0; k < ngroups_of(p); k++) {
			const char *d = strchr(c, '.');

			if (k >= depth) {
				indent(out, depth);
				fprintf(out, "%.*s : {\n", (int)(d - c), c);
				depth++;
			}
			c = d + 1;
		}
		indent(out, depth);
		fprintf(out, "%s = ", c);
		put_value(out, &cfg_rows[i], s, depth);
		fputs(";\n", out);
		prev = p;
	}
	for (; depth > 0; depth--) {
		indent(out, depth - 1);
		fputs("};\n", out);
	}
	return ferror(out) ? SSH_ERR_SYSTEM_ERROR : 0;
}

/* --- the table for others --- */

const char *const *
cfg_supported(const char *list)
{
	size_t i;

	for (i = 0; i < sizeof(all_algs) / sizeof(all_algs[0]); i++) {
		if (list != NULL && strcmp(all_algs[i]->list, list) == 0)
			return all_algs[i]->supported;
	}
	return NULL;
}

const char *const *
cfg_default_algs(const char *list)
{
	size_t i;

	for (i = 0; i < sizeof(all_algs) / sizeof(all_algs[0]); i++) {
		if (list != NULL && strcmp(all_algs[i]->list, list) == 0)
			return all_algs[i]->defaults;
	}
	return NULL;
}

size_t
cfg_nsettings(void)
{
	return NROWS;
}

const char *
cfg_setting_path(size_t i)
{
	return i < NROWS ? cfg_rows[i].path : NULL;
}

int
cfg_setting_per_connection(size_t i)
{
	return i < NROWS && (cfg_rows[i].flags & F_MATCH) != 0;
}
