/*
 * config.h: nanosshd's settings, read from one libconfig file.
 *
 * Every setting is a row of one table in config_table.c (libconfig path,
 * type, default, range, where it lives in struct cfg_settings); parsing,
 * validation, -o overrides, match overrides and the -T dump all walk that
 * table.  Errors name the file and line: "FILE:LINE: found X, expected Y".
 */
#ifndef NANOSSH_CONFIG_H
#define NANOSSH_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct strlist {
	char **v;
	size_t n;
};

enum cfg_password_backend { CFG_PW_PAM = 0, CFG_PW_SHADOW, CFG_PW_FILE };
enum cfg_root_login { CFG_ROOT_NO = 0, CFG_ROOT_YES, CFG_ROOT_PROHIBIT_PASSWORD };
enum cfg_tcp_forwarding { CFG_FWD_NO = 0, CFG_FWD_YES, CFG_FWD_LOCAL, CFG_FWD_REMOTE };
/* A mount without access takes its nearest parent mount's (the SFTP
 * server resolves it; the top falls back to read-only). */
enum cfg_access {
	CFG_ACCESS_RO = 0, CFG_ACCESS_RW, CFG_ACCESS_WO, CFG_ACCESS_INHERIT
};

struct cfg_mount {
	char *path;		/* virtual path the client sees */
	char *target;		/* real directory; %h home, %u user name */
	int access;		/* enum cfg_access */
	struct strlist groups;	/* empty: everyone */
};

struct cfg_settings {
	struct strlist listen;
	/* Entries of listen whose connections begin with a PROXY protocol
	 * header (protocol/proxy.h), accepted only from proxy_from. */
	struct strlist listen_proxy;
	struct strlist proxy_from;
	struct strlist host_keys;
	struct strlist host_certificates;
	char *pid_file;
	char *control_socket;		/* nanosshctl's; "" for none */
	int log_level;			/* enum log_level (common/log.h) */
	int log_facility;		/* syslog(3) facility, e.g. LOG_AUTH */
	struct {
		char *user;
		char *chroot;
	} privsep;
	struct {
		struct strlist methods;
		struct strlist authorized_keys;
		/* OpenSSH's AuthorizedKeysCommand(User): "" for none. */
		char *authorized_keys_command;
		char *authorized_keys_command_user;
		/* OpenSSH's AuthorizedPrincipalsFile: "" for none. */
		char *authorized_principals_file;
		char *authorized_principals_command;
		char *authorized_principals_command_user;
		int password_backend;	/* enum cfg_password_backend */
		char *password_file;
		int permit_root_login;	/* enum cfg_root_login */
		int max_tries;
		int login_grace_time;	/* seconds, 0: none */
		char *banner;
		char *trusted_user_ca_keys;
		char *revoked_keys;	/* public keys refused, "" for none */
		/* OpenSSH's AllowUsers/DenyUsers/AllowGroups/DenyGroups:
		 * name patterns; deny lists first, an empty allow list
		 * allows everyone. */
		struct strlist allow_users;
		struct strlist deny_users;
		struct strlist allow_groups;
		struct strlist deny_groups;
		struct {
			char *ca_file;
		} x509;
	} auth;
	struct {
		struct strlist kex;
		struct strlist ciphers;
		struct strlist macs;
		struct strlist host_key_algorithms;
		uint64_t rekey_limit;	/* bytes, 0: by cipher block size only */
		int rekey_interval;	/* seconds, 0: never */
		int require_pq;		/* only post-quantum key exchange */
		int rsa_kex_key_lifetime; /* s: the monitor's transient
					 * RSA key exchange keys */
	} crypto;
	struct {
		int startups_begin;	/* max_startups "begin:rate:full" */
		int startups_rate;	/* percent */
		int startups_full;
		int max_sessions;
		int max_session_time;	/* seconds, 0: unlimited */
		int keepalive_interval;
		int keepalive_count_max;
		int idle_timeout;
		/* Per-source penalties in the listener (daemon/penalty.h),
		 * all durations in seconds. */
		struct {
			int enabled;
			int authfail;
			int grace_exceeded;
			int crash;
			int min;	/* refused once the total passes this */
			int max;	/* the total is capped here */
			struct strlist exempt;	/* address patterns / CIDR */
		} penalties;
	} limits;
	struct {
		int tcp;		/* enum cfg_tcp_forwarding */
		struct strlist permit_open;
		struct strlist permit_listen;
		int gateway_ports;
		int streamlocal;	/* enum cfg_tcp_forwarding */
		int x11;
		int x11_display_offset;
		int x11_use_localhost;
		char *xauth_path;
		int agent;		/* auth-agent-req@openssh.com (ssh -A) */
	} forwarding;
	struct {
		int enabled;
		char *home;
		struct cfg_mount *mounts;
		size_t nmounts;
		int force;		/* SFTP only: no shell, exec, forwarding */
		int secure_path;	/* SCP limited to the mounts too */
	} sftp;
	struct {
		int enabled;
	} scp;
	struct {
		/* Names of "env" requests passed to the session (OpenSSH's
		 * AcceptEnv): * and ? patterns. */
		struct strlist accept_env;
	} session;
};

struct cfg;	/* a loaded file: global settings plus match blocks */
struct buf;

/*
 * Loads path (NULL: the default path), applies the -o overrides
 * ("libconfig.path=value" each) and validates everything.  On failure
 * returns an error and, when errsp is non-NULL, sets *errsp to every
 * problem found, one "FILE:LINE: ..." line each (caller frees).
 */
int cfg_load(const char *path, const char *const *overrides,
    size_t noverrides, struct cfg **cfgp, char **errsp);
void cfg_free(struct cfg *cfg);
/* The settings outside any match block. */
const struct cfg_settings *cfg_global(const struct cfg *cfg);
/* The path the settings came from. */
const char *cfg_path(const struct cfg *cfg);
/*
 * The effective settings for a connection: the global ones with every
 * matching match block applied in file order.  user may be NULL before
 * the user is known; addr is the client's numeric address.
 * Free with cfg_settings_free.
 */
int cfg_effective(const struct cfg *cfg, const char *user,
    const char *const *groups, size_t ngroups, const char *addr,
    struct cfg_settings **outp);
void cfg_settings_free(struct cfg_settings *s);
/*
 * A loaded configuration (global settings and match blocks) to bytes and
 * back (config_wire.c), for nanosshd to hand each session what it loaded
 * and checked; cfg_deserialise reads what cfg_serialise wrote, refuses
 * anything else and does not consult the file system.
 */
int cfg_serialise(const struct cfg *cfg, struct buf *out);
int cfg_deserialise(struct buf *in, struct cfg **cfgp);
/* Prints every setting, defaults filled in, in libconfig syntax (-T). */
int cfg_dump(const struct cfg_settings *s, FILE *out);
/*
 * Splits a listen entry "host:port", "[v6addr]:port" or ":port" (wildcard)
 * into newly allocated host (NULL for the wildcard) and port strings.
 */
int cfg_listen_split(const char *spec, char **hostp, char **portp);

/*
 * The algorithm names nanossh implements, for list "kex", "ciphers",
 * "macs" or "host_key_algorithms": cfg_supported gives every accepted name
 * (also those only accepted when named explicitly), cfg_default_algs the
 * default preference order.  NULL-terminated static arrays; NULL for an
 * unknown list name.
 */
const char *const *cfg_supported(const char *list);
const char *const *cfg_default_algs(const char *list);

/*
 * The settings table, for tests and documentation: the number of rows, and
 * each row's libconfig path ("auth.max_tries") and whether it may appear
 * inside a match block.  Out of range: NULL / 0.
 */
size_t cfg_nsettings(void);
const char *cfg_setting_path(size_t i);
int cfg_setting_per_connection(size_t i);

/* The default config file: $sysconfdir/nanossh/nanosshd.conf */
#define CFG_DEFAULT_PATH	SYSCONFDIR "/nanossh/nanosshd.conf"

#endif
