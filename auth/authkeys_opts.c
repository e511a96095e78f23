/* authkeys_opts.c: key options: parsing, expiry-time, merging. */
/* Text in, structures out: no file access, no logging. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <bsd/stdlib.h>

#include "auth/authkeys.h"
#include "auth/authkeys_local.h"
#include "common/match.h"
#include "protocol/ssherr.h"

/* --- lists --- */

static void
list_clear(struct authkeys_list *l)
{
	size_t i;

	for (i = 0; i < l->al_n; i++)
		free(l->al_v[i]);
	free(l->al_v);
	l->al_v = NULL;
	l->al_n = 0;
	l->al_set = 0;
}

/* Appends a copy of s[0..len). */
static int
list_add(struct authkeys_list *l, const char *s, size_t len)
{
	char **v, *copy;

	if (l->al_n >= AUTHKEYS_LIST_MAX)
		return SSH_ERR_LIMIT_EXCEEDED;
	if ((copy = strndup(s, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((v = reallocarray(l->al_v, l->al_n + 1, sizeof(*v))) == NULL) {
		free(copy);
		return SSH_ERR_ALLOC_FAIL;
	}
	v[l->al_n++] = copy;
	l->al_v = v;
	l->al_set = 1;
	return 0;
}

static int
list_has(const struct authkeys_list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->al_n; i++)
		if (strcmp(l->al_v[i], s) == 0)
			return 1;
	return 0;
}

static int
list_copy(struct authkeys_list *dst, const struct authkeys_list *src)
{
	size_t i;
	int r;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->al_n; i++) {
		if ((r = list_add(dst, src->al_v[i], strlen(src->al_v[i]))) != 0) {
			list_clear(dst);
			return r;
		}
	}
	dst->al_set = src->al_set;
	return 0;
}

/* The most restrictive of two lists into *out: whichever is present, or
 * the entries both share. */
static int
list_restrict(struct authkeys_list *out, const struct authkeys_list *a,
    const struct authkeys_list *b)
{
	size_t i;
	int r;

	if (!a->al_set)
		return list_copy(out, b);
	if (!b->al_set)
		return list_copy(out, a);
	memset(out, 0, sizeof(*out));
	out->al_set = 1;
	for (i = 0; i < a->al_n; i++) {
		if (!list_has(b, a->al_v[i]))
			continue;
		if ((r = list_add(out, a->al_v[i], strlen(a->al_v[i]))) != 0) {
			list_clear(out);
			return r;
		}
	}
	return 0;
}

/* Splits a comma-separated value into l; empty entries are refused. */
static int
list_split(struct authkeys_list *l, const char *s)
{
	size_t len;
	int r;

	for (;;) {
		len = strcspn(s, ",");
		if (len == 0)
			return SSH_ERR_INVALID_FORMAT;
		if ((r = list_add(l, s, len)) != 0)
			return r;
		if (s[len] == '\0')
			return 0;
		s += len + 1;
	}
}

/* --- options --- */

struct authkeys_opts *
authkeys_opts_new(void)
{
	struct authkeys_opts *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->ao_permit_pty = 1;
	o->ao_permit_agent_forwarding = 1;
	o->ao_permit_x11_forwarding = 1;
	o->ao_permit_port_forwarding = 1;
	o->ao_permit_user_rc = 1;
	return o;
}

void
authkeys_opts_clear(struct authkeys_opts *o)
{
	size_t i;

	free(o->ao_force_command);
	o->ao_force_command = NULL;
	for (i = 0; i < o->ao_nfrom; i++)
		list_clear(&o->ao_from[i]);
	o->ao_nfrom = 0;
	list_clear(&o->ao_permitopen);
	list_clear(&o->ao_permitlisten);
	list_clear(&o->ao_env);
	list_clear(&o->ao_principals);
}

void
authkeys_opts_free(struct authkeys_opts *o)
{
	if (o == NULL)
		return;
	authkeys_opts_clear(o);
	free(o);
}

/* What an option's handler gets: its value (NULL for a flag) and, for
 * flags, whether it was given as "no-NAME". */
typedef int (*opt_fn)(struct authkeys_opts *, const char *value, int negated,
    const char **whyp);

static int
opt_restrict(struct authkeys_opts *o, const char *v, int neg, const char **whyp)
{
	(void)v; (void)neg; (void)whyp;
	o->ao_restricted = 1;
	o->ao_permit_pty = 0;
	o->ao_permit_agent_forwarding = 0;
	o->ao_permit_x11_forwarding = 0;
	o->ao_permit_port_forwarding = 0;
	o->ao_permit_user_rc = 0;
	return 0;
}

#define OPT_FLAG(fn, field)						\
static int								\
fn(struct authkeys_opts *o, const char *v, int neg, const char **whyp)	\
{									\
	(void)v; (void)whyp;						\
	o->field = !neg;						\
	return 0;							\
}
OPT_FLAG(opt_pty, ao_permit_pty)
OPT_FLAG(opt_agent, ao_permit_agent_forwarding)
OPT_FLAG(opt_x11, ao_permit_x11_forwarding)
OPT_FLAG(opt_port, ao_permit_port_forwarding)
OPT_FLAG(opt_user_rc, ao_permit_user_rc)
#undef OPT_FLAG

static int
opt_cert_authority(struct authkeys_opts *o, const char *v, int neg,
    const char **whyp)
{
	(void)v; (void)neg; (void)whyp;
	o->ao_cert_authority = 1;
	return 0;
}

/* touch-required is the FIDO default; no-touch-required waives it. */
static int
opt_touch(struct authkeys_opts *o, const char *v, int neg, const char **whyp)
{
	(void)v; (void)whyp;
	o->ao_no_touch_required = neg;
	return 0;
}

static int
opt_verify(struct authkeys_opts *o, const char *v, int neg, const char **whyp)
{
	(void)v; (void)neg; (void)whyp;
	o->ao_verify_required = 1;
	return 0;
}

static int
opt_tunnel(struct authkeys_opts *o, const char *v, int neg, const char **whyp)
{
	(void)o; (void)v; (void)neg;
	*whyp = "tunnel= is not supported";
	return SSH_ERR_FEATURE_UNSUPPORTED;
}

static int
opt_command(struct authkeys_opts *o, const char *v, int neg, const char **whyp)
{
	(void)neg;
	if (o->ao_force_command != NULL) {
		*whyp = "multiple \"command\" clauses";
		return SSH_ERR_INVALID_FORMAT;
	}
	if ((o->ao_force_command = strdup(v)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	return 0;
}

static int
opt_from(struct authkeys_opts *o, const char *v, int neg, const char **whyp)
{
	struct authkeys_list *l;
	const char *p;
	size_t i;
	int r;

	(void)neg;
	if (o->ao_nfrom != 0) {
		*whyp = "multiple \"from\" clauses";
		return SSH_ERR_INVALID_FORMAT;
	}
	l = &o->ao_from[o->ao_nfrom++];
	if ((r = list_split(l, v)) != 0) {
		*whyp = r == SSH_ERR_LIMIT_EXCEEDED ? "too many from= patterns" :
		    "empty pattern in from=";
		return r;
	}
	for (i = 0; i < l->al_n; i++) {
		p = l->al_v[i] + (l->al_v[i][0] == '!');
		if (*p == '\0' || (strchr(p, '/') != NULL &&
		    match_addr_pattern_valid(p) != 0)) {
			*whyp = "invalid address/masklen in from=";
			return SSH_ERR_INVALID_FORMAT;
		}
	}
	return 0;
}

static int
opt_principals(struct authkeys_opts *o, const char *v, int neg,
    const char **whyp)
{
	int r;

	(void)neg;
	if (o->ao_principals.al_set) {
		*whyp = "multiple \"principals\" clauses";
		return SSH_ERR_INVALID_FORMAT;
	}
	if ((r = list_split(&o->ao_principals, v)) != 0) {
		*whyp = r == SSH_ERR_LIMIT_EXCEEDED ? "too many principals" :
		    "empty name in principals=";
		return r;
	}
	return 0;
}

static int
opt_expiry(struct authkeys_opts *o, const char *v, int neg, const char **whyp)
{
	time_t t;

	(void)neg;
	if (authkeys_parse_time(v, &t) != 0) {
		*whyp = "invalid expiry-time";
		return SSH_ERR_INVALID_FORMAT;
	}
	/* Given more than once, the earliest counts. */
	if (!o->ao_has_expiry || t < o->ao_expiry)
		o->ao_expiry = t;
	o->ao_has_expiry = 1;
	return 0;
}

static int
opt_environment(struct authkeys_opts *o, const char *v, int neg,
    const char **whyp)
{
	size_t i, namelen;
	int r;

	(void)neg;
	namelen = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_");
	if (namelen == 0 || v[namelen] != '=') {
		*whyp = "invalid environment string";
		return SSH_ERR_INVALID_FORMAT;
	}
	/* The first setting of a name wins, as in OpenSSH. */
	for (i = 0; i < o->ao_env.al_n; i++) {
		if (strncmp(o->ao_env.al_v[i], v, namelen + 1) == 0)
			return 0;
	}
	if ((r = list_add(&o->ao_env, v, strlen(v))) != 0) {
		*whyp = "too many environment= options";
		return r;
	}
	return 0;
}

/* 0 when s is "*" or a port number 1..65535. */
static int
valid_port(const char *s)
{
	char *end;
	long n;

	if (strcmp(s, "*") == 0)
		return 0;
	if (*s < '0' || *s > '9' || strlen(s) > 5)
		return SSH_ERR_INVALID_FORMAT;
	n = strtol(s, &end, 10);
	return (*end == '\0' && n >= 1 && n <= 65535) ? 0 :
	    SSH_ERR_INVALID_FORMAT;
}

/* "host:port" or "[v6addr]:port"; host may hold wildcards. */
static int
valid_hostport(const char *s)
{
	const char *port;

	if (*s == '[') {
		if ((port = strchr(s, ']')) == NULL || port == s + 1 ||
		    port[1] != ':')
			return SSH_ERR_INVALID_FORMAT;
		port += 2;
	} else {
		if ((port = strchr(s, ':')) == NULL || port == s)
			return SSH_ERR_INVALID_FORMAT;
		port++;
	}
	if (strchr(port, ':') != NULL || strchr(port, '[') != NULL)
		return SSH_ERR_INVALID_FORMAT;
	return valid_port(port);
}

static int
opt_permitopen(struct authkeys_opts *o, const char *v, int neg,
    const char **whyp)
{
	int r;

	(void)neg;
	if (valid_hostport(v) != 0) {
		*whyp = "invalid permitopen= (host:port)";
		return SSH_ERR_INVALID_FORMAT;
	}
	if ((r = list_add(&o->ao_permitopen, v, strlen(v))) != 0)
		*whyp = "too many permitopen= options";
	return r;
}

static int
opt_permitlisten(struct authkeys_opts *o, const char *v, int neg,
    const char **whyp)
{
	char *tmp = NULL;
	int r;

	(void)neg;
	/* A bare port listens on any address (GatewayPorts may narrow it). */
	if (strchr(v, ':') == NULL && strchr(v, '[') == NULL) {
		if ((tmp = malloc(strlen(v) + 3)) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		tmp[0] = '*';
		tmp[1] = ':';
		memcpy(tmp + 2, v, strlen(v) + 1);
		v = tmp;
	}
	if (valid_hostport(v) != 0) {
		*whyp = "invalid permitlisten= ([host:]port)";
		r = SSH_ERR_INVALID_FORMAT;
	} else if ((r = list_add(&o->ao_permitlisten, v, strlen(v))) != 0)
		*whyp = "too many permitlisten= options";
	free(tmp);
	return r;
}

/* The option table, as sshd(8) lists them. */
enum opt_kind { OPT_FLAG, OPT_NEGATABLE, OPT_VALUE };
static const struct opt_def {
	const char	*od_name;
	enum opt_kind	 od_kind;
	opt_fn		 od_fn;
} opt_table[] = {
	{ "restrict",		OPT_FLAG,	opt_restrict },
	{ "cert-authority",	OPT_FLAG,	opt_cert_authority },
	{ "pty",		OPT_NEGATABLE,	opt_pty },
	{ "agent-forwarding",	OPT_NEGATABLE,	opt_agent },
	{ "x11-forwarding",	OPT_NEGATABLE,	opt_x11 },
	{ "port-forwarding",	OPT_NEGATABLE,	opt_port },
	{ "user-rc",		OPT_NEGATABLE,	opt_user_rc },
	{ "touch-required",	OPT_NEGATABLE,	opt_touch },
	{ "verify-required",	OPT_FLAG,	opt_verify },
	{ "command",		OPT_VALUE,	opt_command },
	{ "from",		OPT_VALUE,	opt_from },
	{ "principals",		OPT_VALUE,	opt_principals },
	{ "expiry-time",	OPT_VALUE,	opt_expiry },
	{ "environment",	OPT_VALUE,	opt_environment },
	{ "permitopen",		OPT_VALUE,	opt_permitopen },
	{ "permitlisten",	OPT_VALUE,	opt_permitlisten },
	{ "tunnel",		OPT_VALUE,	opt_tunnel },
};

static const struct opt_def *
opt_lookup(const char *name, size_t len, int *negatedp)
{
	size_t i;

	*negatedp = 0;
	for (i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++) {
		if (strlen(opt_table[i].od_name) == len &&
		    strncasecmp(opt_table[i].od_name, name, len) == 0)
			return &opt_table[i];
	}
	if (len > 3 && strncasecmp(name, "no-", 3) == 0) {
		for (i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++) {
			if (opt_table[i].od_kind == OPT_NEGATABLE &&
			    strlen(opt_table[i].od_name) == len - 3 &&
			    strncasecmp(opt_table[i].od_name, name + 3,
			    len - 3) == 0) {
				*negatedp = 1;
				return &opt_table[i];
			}
		}
	}
	return NULL;
}

/*
 * A quoted value starting at *cpp (on the opening quote): `\"` is a
 * quote, every other byte, backslashes included, is itself.  Leaves *cpp
 * after the closing quote.
 */
static int
dequote(const char **cpp, char **valp, const char **whyp)
{
	const char *p = *cpp;
	char *out;
	size_t o = 0;

	if (*p != '"') {
		*whyp = "option value is not quoted";
		return SSH_ERR_INVALID_FORMAT;
	}
	p++;
	if ((out = malloc(strlen(p) + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (;;) {
		if (*p == '\0') {
			free(out);
			*whyp = "missing end quote";
			return SSH_ERR_INVALID_FORMAT;
		}
		if (*p == '"')
			break;
		if (*p == '\\' && p[1] == '"')
			p++;
		out[o++] = *p++;
	}
	out[o] = '\0';
	*cpp = p + 1;
	*valp = out;
	return 0;
}

int
authkeys_parse_options(const char **cpp, struct authkeys_opts *o,
    const char **whyp)
{
	const struct opt_def *od;
	const char *cp = *cpp;
	char *val = NULL;
	size_t len;
	int neg, r = SSH_ERR_INTERNAL_ERROR;

	for (;;) {
		len = strcspn(cp, "=, \t");
		if ((od = opt_lookup(cp, len, &neg)) == NULL) {
			*whyp = "unknown key option";
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		cp += len;
		if (od->od_kind == OPT_VALUE) {
			if (*cp != '=') {
				*whyp = "option needs a value";
				r = SSH_ERR_INVALID_FORMAT;
				goto out;
			}
			cp++;
			if ((r = dequote(&cp, &val, whyp)) != 0)
				goto out;
		} else if (*cp == '=') {
			*whyp = "option takes no value";
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		if ((r = od->od_fn(o, val, neg, whyp)) != 0)
			goto out;
		free(val);
		val = NULL;
		if (*cp == '\0' || *cp == ' ' || *cp == '\t')
			break;
		if (*cp != ',') {
			*whyp = "invalid key option string";
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		cp++;
	}
	*cpp = cp;
	r = 0;
 out:
	free(val);
	if (r == SSH_ERR_ALLOC_FAIL)
		*whyp = "out of memory";
	return r;
}

int
authkeys_opts_parse(const char *s, struct authkeys_opts **optsp,
    const char **whyp)
{
	struct authkeys_opts *o = NULL;
	const char *cp = s;
	const char *why = "invalid options";
	int r = SSH_ERR_INTERNAL_ERROR;

	*optsp = NULL;
	if ((o = authkeys_opts_new()) == NULL) {
		why = "out of memory";
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (strnlen(s, AUTHKEYS_LINE_MAX + 1) > AUTHKEYS_LINE_MAX) {
		why = "options too long";
		r = SSH_ERR_STRING_TOO_LARGE;
		goto out;
	}
	if (*s != '\0') {
		if ((r = authkeys_parse_options(&cp, o, &why)) != 0)
			goto out;
		if (*cp != '\0') {
			why = "trailing characters after options";
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	}
	*optsp = o;
	o = NULL;
	r = 0;
 out:
	authkeys_opts_free(o);
	if (r != 0 && whyp != NULL)
		*whyp = why;
	return r;
}

/* --- expiry-time --- */

/* n decimal digits at s. */
static int
digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

int
authkeys_parse_time(const char *s, time_t *tp)
{
	struct tm tm, chk;
	size_t len = strspn(s, "0123456789");
	int utc = 0;
	time_t t;

	if ((s[len] == 'Z' || s[len] == 'z') && s[len + 1] == '\0')
		utc = 1;
	else if (s[len] != '\0')
		return SSH_ERR_INVALID_FORMAT;
	if (len != 8 && len != 12 && len != 14)
		return SSH_ERR_INVALID_FORMAT;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 4, 2) - 1;
	tm.tm_mday = digits(s + 6, 2);
	if (len >= 12) {
		tm.tm_hour = digits(s + 8, 2);
		tm.tm_min = digits(s + 10, 2);
	}
	if (len == 14)
		tm.tm_sec = digits(s + 12, 2);
	if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 59)
		return SSH_ERR_INVALID_FORMAT;
	/* A calendar date that does not exist (Feb 30) comes back
	 * normalized to another day: refuse it rather than guess. */
	chk = tm;
	if ((t = timegm(&chk)) == (time_t)-1 || chk.tm_mday != tm.tm_mday ||
	    chk.tm_mon != tm.tm_mon)
		return SSH_ERR_INVALID_FORMAT;
	if (!utc) {
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1)
			return SSH_ERR_INVALID_FORMAT;
	}
	*tp = t;
	return 0;
}

int
authkeys_principal_allowed(const struct authkeys_opts *o,
    const char *principal)
{
	if (!o->ao_principals.al_set)
		return 1;
	return list_has(&o->ao_principals, principal);
}

int
authkeys_opts_merge(struct authkeys_opts *dst, const struct authkeys_opts *src,
    const char **whyp)
{
	struct authkeys_opts m;
	const char *why = "out of memory";
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(&m, 0, sizeof(m));
	if (dst->ao_force_command != NULL && src->ao_force_command != NULL &&
	    strcmp(dst->ao_force_command, src->ao_force_command) != 0) {
		why = "key and certificate have conflicting forced commands";
		r = SSH_ERR_KEY_CERT_MISMATCH;
		goto out;
	}
	if (dst->ao_nfrom + src->ao_nfrom > AUTHKEYS_FROM_MAX) {
		why = "too many from= restrictions";
		r = SSH_ERR_LIMIT_EXCEEDED;
		goto out;
	}
	m.ao_restricted = dst->ao_restricted || src->ao_restricted;
	m.ao_permit_pty = dst->ao_permit_pty && src->ao_permit_pty;
	m.ao_permit_agent_forwarding = dst->ao_permit_agent_forwarding &&
	    src->ao_permit_agent_forwarding;
	m.ao_permit_x11_forwarding = dst->ao_permit_x11_forwarding &&
	    src->ao_permit_x11_forwarding;
	m.ao_permit_port_forwarding = dst->ao_permit_port_forwarding &&
	    src->ao_permit_port_forwarding;
	m.ao_permit_user_rc = dst->ao_permit_user_rc && src->ao_permit_user_rc;
	m.ao_cert_authority = dst->ao_cert_authority;
	/* Waiving touch needs both; demanding verification needs either. */
	m.ao_no_touch_required = dst->ao_no_touch_required &&
	    src->ao_no_touch_required;
	m.ao_verify_required = dst->ao_verify_required ||
	    src->ao_verify_required;
	if (dst->ao_force_command != NULL || src->ao_force_command != NULL) {
		m.ao_force_command = strdup(dst->ao_force_command != NULL ?
		    dst->ao_force_command : src->ao_force_command);
		if (m.ao_force_command == NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
	}
	for (i = 0; i < dst->ao_nfrom + src->ao_nfrom; i++) {
		if ((r = list_copy(&m.ao_from[m.ao_nfrom], i < dst->ao_nfrom ?
		    &dst->ao_from[i] : &src->ao_from[i - dst->ao_nfrom])) != 0)
			goto out;
		m.ao_nfrom++;
	}
	if ((r = list_restrict(&m.ao_permitopen, &dst->ao_permitopen,
	    &src->ao_permitopen)) != 0 ||
	    (r = list_restrict(&m.ao_permitlisten, &dst->ao_permitlisten,
	    &src->ao_permitlisten)) != 0 ||
	    (r = list_restrict(&m.ao_env, &dst->ao_env, &src->ao_env)) != 0 ||
	    (r = list_restrict(&m.ao_principals, &dst->ao_principals,
	    &src->ao_principals)) != 0)
		goto out;
	m.ao_has_expiry = dst->ao_has_expiry || src->ao_has_expiry;
	if (dst->ao_has_expiry && src->ao_has_expiry)
		m.ao_expiry = dst->ao_expiry < src->ao_expiry ?
		    dst->ao_expiry : src->ao_expiry;
	else
		m.ao_expiry = dst->ao_has_expiry ? dst->ao_expiry :
		    src->ao_expiry;
	authkeys_opts_clear(dst);
	*dst = m;
	memset(&m, 0, sizeof(m));
	r = 0;
 out:
	authkeys_opts_clear(&m);
	if (r != 0 && whyp != NULL)
		*whyp = why;
	return r;
}
