/*
 * authkeys.h: one line of an authorized_keys file, with OpenSSH's key
 * options (sshd(8), AUTHORIZED_KEYS FILE FORMAT), parsed into a key and
 * the restrictions that come with it ("auth result" options carried to
 * the session: pty, forwarding, forced command, environment ...).
 *
 * Syntax, as OpenSSH: "[options] keytype base64 [comment]".  Options are
 * comma-separated, no spaces outside double quotes; option names are
 * case-insensitive; a value is `name="..."`, where `\"` stands for a
 * quote and any other backslash is literal (so a value cannot end in a
 * backslash: `\"` never closes it).  Lines longer than
 * AUTHKEYS_LINE_MAX are refused.
 *
 * Fail closed: an unknown option, a malformed value, a repeated option
 * that cannot repeat (command, from, principals) refuses the whole line.
 * Deliberately refused although OpenSSH accepts it:
 *   tunnel="n"        we have no tun forwarding.
 * For FIDO security keys (sk-*, PROTOCOL.u2f), no-touch-required accepts
 * signatures made without user presence and verify-required demands user
 * verification (PIN or biometric); `touch-required`, the default, undoes
 * an earlier no-touch-required.  The monitor applies them to the
 * signature's flags; a key that is not a security key can never show
 * user verification, so verify-required on its line refuses it.
 * from= entries with a '/' must be valid CIDR without host bits set
 * (daemon/match.h); other entries are wildcard patterns over the client's
 * numeric address (we do no DNS, as OpenSSH with UseDNS no), so a
 * hostname pattern never matches.
 *
 * All functions return 0 or a negative SSH_ERR_*, except where noted.
 * Where a `whyp` is taken, it receives a static, human-readable reason on
 * failure (the caller logs "FILE:LINE: reason"); it is never NULL then.
 */
#ifndef NANOSSH_AUTHKEYS_H
#define NANOSSH_AUTHKEYS_H

#include <stddef.h>
#include <time.h>

struct sig_details;
struct sshcert;
struct sshkey;

#define AUTHKEYS_LINE_MAX	16384	/* bytes, without the line ending */
#define AUTHKEYS_LIST_MAX	256	/* entries in any one list */
#define AUTHKEYS_FROM_MAX	4	/* from= lists (key and cert merged) */

/* authkeys_parse_line's positive return: a blank or comment line. */
#define AUTHKEYS_LINE_EMPTY	1

/* A list of strings; al_set distinguishes "absent" (no restriction)
 * from "present", which after a merge may also be empty. */
struct authkeys_list {
	char	**al_v;
	size_t	  al_n;
	int	  al_set;
};

struct authkeys_opts {
	int	ao_restricted;		/* "restrict" was given */
	/* What the session may do: 1 allowed (the default), 0 refused. */
	int	ao_permit_pty;
	int	ao_permit_agent_forwarding;
	int	ao_permit_x11_forwarding;
	int	ao_permit_port_forwarding;
	int	ao_permit_user_rc;
	int	ao_cert_authority;	/* the key is a CA for user certs */
	int	ao_no_touch_required;	/* sk: user presence not needed */
	int	ao_verify_required;	/* sk: user verification needed */
	char	*ao_force_command;	/* command="...", or NULL */
	/* Every list must match the client address (one per from=). */
	struct authkeys_list ao_from[AUTHKEYS_FROM_MAX];
	size_t	ao_nfrom;
	struct authkeys_list ao_permitopen;	/* "host:port" */
	struct authkeys_list ao_permitlisten;	/* "host:port"; bare port -> "*:port" */
	struct authkeys_list ao_env;		/* "NAME=value", first NAME wins */
	struct authkeys_list ao_principals;	/* exact names, cert-authority */
	int	ao_has_expiry;
	time_t	ao_expiry;		/* usable until this second, inclusive */
};

struct authkeys_entry {
	struct authkeys_opts	ae_opts;
	struct sshkey		*ae_key;	/* public key (a CA's if cert-authority) */
	char			*ae_comment;	/* NULL when none */
};

/*
 * Parses one line (without its '\n'; a trailing '\r' is ignored).
 * Returns 0 with a new entry in *ep, AUTHKEYS_LINE_EMPTY for a blank or
 * '#' line (*ep NULL), or an error with the reason in *whyp.
 */
int authkeys_parse_line(const char *line, struct authkeys_entry **ep,
    const char **whyp);
void authkeys_entry_free(struct authkeys_entry *e);

/* An options string alone (e.g. "restrict,pty"); it must be consumed
 * entirely.  "" gives the defaults. */
int authkeys_opts_parse(const char *s, struct authkeys_opts **optsp,
    const char **whyp);
/* New options with OpenSSH's defaults (everything permitted). */
struct authkeys_opts *authkeys_opts_new(void);
void authkeys_opts_free(struct authkeys_opts *o);

/*
 * May this line be used now, by this client?  Evaluates from= against the
 * numeric address client_addr and expiry-time against now.  Returns 0, or
 * SSH_ERR_KEY_NOT_FOUND (the line does not authorize: the caller goes on
 * to the next line) with the reason in *whyp.
 */
int authkeys_check(const struct authkeys_entry *e, const char *client_addr,
    time_t now, const char **whyp);
int authkeys_opts_check(const struct authkeys_opts *o,
    const char *client_addr, time_t now, const char **whyp);

/* 1 when a certificate principal is allowed by principals= (or there is
 * no principals= option), else 0. */
int authkeys_principal_allowed(const struct authkeys_opts *o,
    const char *principal);

/*
 * Folds src (e.g. a certificate's restrictions) into dst, keeping the
 * most restrictive combination: a permission only if both allow it
 * (no-touch-required too), verify-required if either demands it;
 * every from= list of both; the earlier expiry; lists present on both
 * sides reduced to the entries they share (exact strings).  Two
 * different forced commands are an error (SSH_ERR_KEY_CERT_MISMATCH).
 * On error dst is unchanged.
 */
int authkeys_opts_merge(struct authkeys_opts *dst,
    const struct authkeys_opts *src, const char **whyp);

/*
 * What a good signature's FIDO flags (sig.h) must show, as sshd decides
 * it: user presence unless every source waives it (no-touch-required on
 * the line o -- an authorized_keys or principals line -- and, for a
 * certificate, its extension; with o NULL, a TrustedUserCAKeys
 * certificate, the extension alone), user verification if any source asks
 * (verify-required on the line, the certificate's critical option).  A
 * signature from a key that is not a security key cannot show
 * verification.  0, or SSH_ERR_KEY_NOT_FOUND with the reason in *whyp.
 */
int authkeys_sk_check(const struct authkeys_opts *o,
    const struct sshcert *cert, const struct sig_details *sd,
    const char **whyp);

/*
 * expiry-time's value: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in local
 * time, or in UTC with a trailing 'Z' (or 'z').  Omitted parts are 0.
 * Local time goes through mktime(3), i.e. TZ or /etc/localtime as the
 * process sees it when the line is parsed (in the monitor).  Dates that
 * do not exist (Feb 30) and years before 1970 are refused.
 */
int authkeys_parse_time(const char *s, time_t *tp);

#endif
