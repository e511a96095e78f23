/* config_check.c: what a value may be, alone and beside other settings. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config_local.h"
#include "common/match.h"
#include "protocol/ssherr.h"

static int
parse_port(const char *s, int allow_star)
{
	char *end;
	long v;

	if (allow_star && strcmp(s, "*") == 0)
		return 0;
	if (*s < '0' || *s > '9')
		return SSH_ERR_INVALID_FORMAT;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 65535)
		return SSH_ERR_INVALID_FORMAT;
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
			return SSH_ERR_INVALID_FORMAT;
		n = (size_t)(close - spec - 1);
		if (n == 0 || n >= hlen)
			return SSH_ERR_INVALID_FORMAT;
		memcpy(hbuf, spec + 1, n);
		hbuf[n] = '\0';
		if (inet_pton(AF_INET6, hbuf, &a6) != 1)
			return SSH_ERR_INVALID_FORMAT;
		*portp = close + 2;
		return 0;
	}
	if ((colon = strrchr(spec, ':')) == NULL ||
	    memchr(spec, ':', (size_t)(colon - spec)) != NULL)
		return SSH_ERR_INVALID_FORMAT;
	n = (size_t)(colon - spec);
	if (n >= hlen)
		return SSH_ERR_INVALID_FORMAT;
	memcpy(hbuf, spec, n);
	hbuf[n] = '\0';
	*portp = colon + 1;
	if (n == 0 || strcmp(hbuf, "*") == 0) {
		*wild = 1;
		return 0;
	}
	return valid_hostname(hbuf) ? 0 : SSH_ERR_INVALID_FORMAT;
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

int
cfg_check_listen(const char *v)
{
	char h[256];
	const char *port;
	int wild;

	if (split_hostport(v, h, sizeof(h), &wild, &port) != 0)
		return SSH_ERR_INVALID_FORMAT;
	return parse_port(port, 0);
}

int
cfg_check_nonempty(const char *v)
{
	return *v == '\0' ? SSH_ERR_INVALID_FORMAT : 0;
}

/* The portable user name characters (POSIX), not starting with '-'. */
int
cfg_check_user(const char *v)
{
	if (*v == '-' || strlen(v) > 32)
		return SSH_ERR_INVALID_FORMAT;
	for (; *v != '\0'; v++) {
		if (!isalnum((unsigned char)*v) && *v != '.' && *v != '_' &&
		    *v != '-')
			return SSH_ERR_INVALID_FORMAT;
	}
	return 0;
}

/* A command line's % tokens: only those the monitor expands. */
int
cfg_check_command_tokens(const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v != '%')
			continue;
		if (v[1] == '\0' || strchr("uhtfk%", v[1]) == NULL)
			return SSH_ERR_INVALID_FORMAT;
		v++;
	}
	return 0;
}

/* A file name pattern: %h, %u and %% only (privsep/userpath.c). */
int
cfg_check_path_tokens(const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v != '%')
			continue;
		if (v[1] == '\0' || strchr("hu%", v[1]) == NULL)
			return SSH_ERR_INVALID_FORMAT;
		v++;
	}
	return 0;
}

/* Who runs a command for the monitor: a real user, never uid 0, whose
 * program would otherwise run with every privilege. */
int
cfg_check_command_user(const char *v)
{
	struct passwd *pw;

	if (*v == '\0')
		return 0;
	if (cfg_check_user(v) != 0 || (pw = getpwnam(v)) == NULL ||
	    pw->pw_uid == 0)
		return SSH_ERR_INVALID_FORMAT;
	return 0;
}

int
cfg_check_method(const char *v)
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
			return SSH_ERR_INVALID_FORMAT;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

int
cfg_check_permit(const char *v)
{
	char h[256];
	const char *port;
	int wild;

	if (strcmp(v, "any") == 0 || strcmp(v, "none") == 0)
		return 0;
	if (split_hostport(v, h, sizeof(h), &wild, &port) != 0)
		return SSH_ERR_INVALID_FORMAT;
	/* ":port" is a listen shorthand, not a permit entry. */
	if (wild && h[0] == '\0')
		return SSH_ERR_INVALID_FORMAT;
	if (wild && strcmp(port, "*") == 0)
		return SSH_ERR_INVALID_FORMAT;
	return parse_port(port, 1);
}

/* Absolute, no empty, "." or ".." components, no trailing slash. */
int
cfg_path_normalised(const char *p)
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
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "not a regular file");
		close(fd);
		return SSH_ERR_SYSTEM_ERROR;
	}
	close(fd);
	return 0;
}

int
cfg_in_list(const char *const *l, const char *s)
{
	for (; *l != NULL; l++) {
		if (strcmp(*l, s) == 0)
			return 1;
	}
	return 0;
}

/*
 * Checks one string (a T_STR value or a list entry): 0 if acceptable, else
 * SSH_ERR_INVALID_FORMAT after reporting why.
 */
int
cfg_check_string(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const char *v)
{
	char why[128];

	if (row->algs != NULL) {
		if (!cfg_in_list(row->algs->supported, v)) {
			char all[512];
			size_t i, len = 0;

			all[0] = '\0';
			for (i = 0; row->algs->supported[i] != NULL; i++)
				len += (size_t)snprintf(all + len,
				    len < sizeof(all) ? sizeof(all) - len : 0,
				    "%s%s", i == 0 ? "" : ", ",
				    row->algs->supported[i]);
			cfg_err(ld, o, row->path, "found %s, expected a %s "
			    "nanossh implements: %s", cfg_q(ld, v),
			    row->algs->what, all);
			return SSH_ERR_INVALID_FORMAT;
		}
		return 0;
	}
	if ((row->flags & F_NONEMPTY) && row->type == T_STR && *v == '\0') {
		cfg_err(ld, o, row->path, "found \"\", expected a non-empty %s",
		    (row->flags & F_ABSPATH) ? "absolute path" : "string");
		return SSH_ERR_INVALID_FORMAT;
	}
	if ((row->flags & F_ABSPATH) && !(row->type == T_STR && *v == '\0') &&
	    v[0] != '/') {
		cfg_err(ld, o, row->path, "found %s, expected an absolute path%s",
		    cfg_q(ld, v), row->type == T_STR && !(row->flags & F_NONEMPTY) ?
		    " or \"\"" : "");
		return SSH_ERR_INVALID_FORMAT;
	}
	if (row->check != NULL && row->check(v) != 0) {
		cfg_err(ld, o, row->path, "found %s, expected %s", cfg_q(ld, v),
		    row->expected);
		return SSH_ERR_INVALID_FORMAT;
	}
	if ((row->flags & F_READABLE) && *v != '\0' &&
	    file_readable(v, why, sizeof(why)) != 0) {
		cfg_err(ld, o, row->path, "found %s (%s), expected a readable "
		    "file or \"\"", cfg_q(ld, v), why);
		return SSH_ERR_INVALID_FORMAT;
	}
	return 0;
}

/* "1G", "512M", "0", "none" or a plain number of bytes. */
int
cfg_parse_size(const char *s, uint64_t *vp)
{
	uint64_t v = 0, mult = 1;
	const char *p;

	if (strcmp(s, "none") == 0) {
		*vp = 0;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return SSH_ERR_INVALID_FORMAT;
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return SSH_ERR_INVALID_FORMAT;
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
		return SSH_ERR_INVALID_FORMAT;
	}
	if (*p != '\0' || v > (1ULL << 62) / mult)
		return SSH_ERR_INVALID_FORMAT;
	v *= mult;
	if (v != 0 && v < 16)
		return SSH_ERR_INVALID_FORMAT;
	*vp = v;
	return 0;
}

static int
parse_uint(const char **pp, int *vp)
{
	const char *p = *pp;
	long v = 0;

	if (*p < '0' || *p > '9')
		return SSH_ERR_INVALID_FORMAT;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > 100000)
			return SSH_ERR_INVALID_FORMAT;
	}
	*pp = p;
	*vp = (int)v;
	return 0;
}

/* "begin:rate:full" or a single number n (n:100:n). */
int
cfg_parse_startups(const char *s, int out[3])
{
	const char *p = s;
	int b, r, f;

	if (parse_uint(&p, &b) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if (*p == '\0') {
		r = 100;
		f = b;
	} else if (*p++ != ':' || parse_uint(&p, &r) != 0 || *p++ != ':' ||
	    parse_uint(&p, &f) != 0 || *p != '\0')
		return SSH_ERR_INVALID_FORMAT;
	if (b < 1 || f < b || r < 1 || r > 100 || f > 10000)
		return SSH_ERR_INVALID_FORMAT;
	out[0] = b;
	out[1] = r;
	out[2] = f;
	return 0;
}

/* A mount target is absolute once %h (the home directory) is expanded;
 * %u is the user name; nothing else may follow a %. */
int
cfg_mount_target_ok(const char *t)
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

/* Address patterns: wildcards over address characters, or CIDR. */
int
cfg_check_addr_pattern(const char *v)
{
	return match_addr_pattern_valid(v[0] == '!' ? v + 1 : v) == 0 ? 0 :
	    SSH_ERR_INVALID_FORMAT;
}

int
cfg_check_name_pattern(const char *v)
{
	const char *p = v[0] == '!' ? v + 1 : v;

	return *p == '\0' ? SSH_ERR_INVALID_FORMAT : 0;
}

/* allow_users and friends: plain name patterns.  OpenSSH's "user@host"
 * form is refused rather than silently compared as a name. */
int
cfg_check_member_pattern(const char *v)
{
	const char *p = v[0] == '!' ? v + 1 : v;

	if (*p == '\0')
		return SSH_ERR_INVALID_FORMAT;
	for (; *p != '\0'; p++) {
		if (*p == '@' || *p == ',' || *p == '!' ||
		    isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
			return SSH_ERR_INVALID_FORMAT;
	}
	return 0;
}

/* session.accept_env: what an environment variable name may hold, plus
 * the pattern characters. */
int
cfg_check_env_pattern(const char *v)
{
	if (*v == '\0')
		return SSH_ERR_INVALID_FORMAT;
	for (; *v != '\0'; v++) {
		if (!isalnum((unsigned char)*v) && *v != '_' && *v != '*' &&
		    *v != '?')
			return SSH_ERR_INVALID_FORMAT;
	}
	return 0;
}

/* Cross-setting checks on a layer merged with the globals. */
void
cfg_check_combined(struct loader *ld, const struct layer *g,
    const struct layer *l)
{
	size_t ib = 0, ip = 0;
	const struct cfg_settings *s;
	int backend;
	const char *pwfile;
	struct origin o = { ld->path, 0, NULL };
	char why[128];

	(void)cfg_row_find("auth.password_backend", &ib);
	(void)cfg_row_find("auth.password_file", &ip);
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
		cfg_err(ld, &o, "auth.password_file", "found \"\", expected a "
		    "readable file of user:hash lines when "
		    "auth.password_backend is \"file\"");
	} else if (file_readable(pwfile, why, sizeof(why)) != 0) {
		cfg_err(ld, &o, "auth.password_file", "found %s (%s), expected "
		    "a readable file of user:hash lines", cfg_q(ld, pwfile), why);
	}
}

/* A keys command needs the user it runs as (OpenSSH's rule too): there
 * is no default, root being out of the question. */
static void
check_command_user(struct loader *ld, const struct layer *g,
    const struct layer *l, const char *cpath, const char *upath)
{
	size_t ic = 0, iu = 0;
	const char *cmd, *user;
	struct origin o = { ld->path, 0, NULL };
	const struct cfg_row *cr = cfg_row_find(cpath, &ic);

	(void)cfg_row_find(upath, &iu);
	if (l != g && !l->set[ic] && !l->set[iu])
		return;
	if (l->bad[ic] || l->bad[iu] || g->bad[ic] || g->bad[iu])
		return;
	cmd = *(char *const *)(const void *)((const char *)(l->set[ic] ?
	    &l->s : &g->s) + cr->off);
	user = *(char *const *)(const void *)((const char *)(l->set[iu] ?
	    &l->s : &g->s) + cfg_rows[iu].off);
	if (cmd == NULL || *cmd == '\0' || (user != NULL && *user != '\0'))
		return;
	o.line = l->set[ic] ? l->line[ic] : l->set[iu] ? l->line[iu] :
	    g->line[ic] != 0 ? g->line[ic] : g->line[iu];
	if (o.line < 0)
		o.ospec = ld->overrides[-o.line - 1];
	cfg_err(ld, &o, upath, "found no %s, expected the unprivileged "
	    "user that runs %s", upath, cpath);
}

void
cfg_check_keys_command(struct loader *ld, const struct layer *g,
    const struct layer *l)
{
	check_command_user(ld, g, l, "auth.authorized_keys_command",
	    "auth.authorized_keys_command_user");
	check_command_user(ld, g, l, "auth.authorized_principals_command",
	    "auth.authorized_principals_command_user");
}

/* A min at or above max would never refuse anyone: say so. */
void
cfg_check_penalties(struct loader *ld, const struct layer *g)
{
	size_t imin = 0, imax = 0;
	struct origin o = { ld->path, 0, NULL };

	(void)cfg_row_find("limits.penalties.min", &imin);
	(void)cfg_row_find("limits.penalties.max", &imax);
	if (g->bad[imin] || g->bad[imax] ||
	    g->s.limits.penalties.min < g->s.limits.penalties.max)
		return;
	o.line = g->line[imin] != 0 ? g->line[imin] : g->line[imax];
	if (o.line < 0)
		o.ospec = ld->overrides[-o.line - 1];
	cfg_err(ld, &o, "limits.penalties.min", "found %d, expected less than "
	    "limits.penalties.max (%d)", g->s.limits.penalties.min,
	    g->s.limits.penalties.max);
}

/* PROXY listeners: each one of listen, and a source allowed to use it. */
void
cfg_check_proxy(struct loader *ld, const struct layer *g)
{
	size_t ilp = 0, ipf = 0, i, j;
	const struct cfg_settings *s = &g->s;
	struct origin o = { ld->path, 0, NULL };

	(void)cfg_row_find("listen_proxy", &ilp);
	(void)cfg_row_find("proxy_from", &ipf);
	if (g->bad[ilp] || g->bad[ipf])
		return;
	for (i = 0; i < s->listen_proxy.n; i++) {
		for (j = 0; j < s->listen.n; j++) {
			if (strcmp(s->listen_proxy.v[i], s->listen.v[j]) == 0)
				break;
		}
		if (j < s->listen.n)
			continue;
		o.line = g->line[ilp];
		o.ospec = o.line < 0 ? ld->overrides[-o.line - 1] : NULL;
		cfg_err(ld, &o, "listen_proxy", "found %s, expected an entry "
		    "of listen, written the same way",
		    cfg_q(ld, s->listen_proxy.v[i]));
	}
	if ((s->listen_proxy.n > 0) == (s->proxy_from.n > 0))
		return;
	o.line = s->listen_proxy.n > 0 ? g->line[ilp] : g->line[ipf];
	o.ospec = o.line < 0 ? ld->overrides[-o.line - 1] : NULL;
	if (s->listen_proxy.n > 0)
		cfg_err(ld, &o, "listen_proxy", "found addresses expecting a "
		    "PROXY header but proxy_from is empty, expected the "
		    "proxies' networks in proxy_from");
	else
		cfg_err(ld, &o, "proxy_from", "found networks but listen_proxy "
		    "is empty, expected listen_proxy to name the addresses "
		    "they send PROXY headers to");
}
