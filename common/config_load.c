/* config_load.c: the file, -o overrides and match blocks into a struct cfg. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/config_local.h"
#include "common/match.h"
#include "protocol/ssherr.h"

#define CFG_MAX_FILE	(1024 * 1024)

/* 1 when some row lives below the group path. */
static int
is_group(const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; i < CFG_NROWS; i++) {
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
	for (i = 0; i < CFG_NROWS; i++) {
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

/*
 * Settings that take effect before the user is known (the protocol child
 * gets them with its configuration): a block that names users or groups
 * would change them for nobody, so it may not set them.
 */
static void
preauth_only(struct loader *ld, const struct cfg_matchblk *mb,
    const struct origin *bo)
{
	static const char *const paths[] = {
		"auth.max_tries", "auth.login_grace_time", "auth.banner",
	};
	struct origin o = *bo;
	size_t i, idx;

	if (mb->users.n == 0 && mb->groups.n == 0)
		return;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (cfg_row_find(paths[i], &idx) == NULL || !mb->l.set[idx])
			continue;
		o.line = mb->l.line[idx];
		cfg_err(ld, &o, NULL, "found %s in a match block with users "
		    "or groups, expected it only in blocks matched by "
		    "addresses alone: it takes effect before the user is "
		    "known", paths[i]);
	}
}

static void
set_one(struct loader *ld, const config_setting_t *v, const char *path,
    struct layer *l, int in_match, const struct origin *o)
{
	const struct cfg_row *row;
	size_t idx;
	char names[512];

	if ((row = cfg_row_find(path, &idx)) != NULL) {
		if (in_match && !(row->flags & F_MATCH)) {
			cfg_err(ld, o, NULL, "found %s inside a match block, "
			    "expected only per-connection settings there "
			    "(auth.*, forwarding.*, sftp.*, scp.*, "
			    "session.*, log_level, limits.max_sessions, "
			    "limits.max_session_time, limits.idle_timeout, "
			    "limits.keepalive_*)", path);
			return;
		}
		if (cfg_value_set(ld, row, o, v, &l->s) == 0) {
			l->set[idx] = 1;
			l->line[idx] = o->line;
		} else
			l->bad[idx] = 1;
		return;
	}
	if (is_group(path)) {
		if (config_setting_type(v) != CONFIG_TYPE_GROUP) {
			cfg_err(ld, o, path, "found %s, expected a group "
			    "%s : { ... }", cfg_describe(ld, v), path);
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
	cfg_err(ld, o, NULL, "found unknown setting %s, expected one of: %s",
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
		struct origin o = cfg_origin_of(ld, c, po);
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

static void
load_match(struct loader *ld, struct cfg *cfg, const config_setting_t *m,
    const struct origin *po)
{
	static const struct cfg_row crit[] = {
		{ "match.users", T_LIST, 0, 0, NULL, 0, 0, NULL,
		    cfg_check_name_pattern, "a user name pattern", NULL },
		{ "match.groups", T_LIST, 0, 0, NULL, 0, 0, NULL,
		    cfg_check_name_pattern, "a group name pattern", NULL },
		{ "match.addresses", T_LIST, 0, 0, NULL, 0, 0, NULL,
		    cfg_check_addr_pattern, ADDR_EXP, NULL },
	};
	int i, n;

	if (!is_seq(m) || (config_setting_type(m) == CONFIG_TYPE_ARRAY &&
	    config_setting_length(m) != 0)) {
		cfg_err(ld, po, "match", "found %s, expected a list of blocks "
		    "( { users = [ ... ]; ... }, ... )", cfg_describe(ld, m));
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
		struct origin bo = cfg_origin_of(ld, b, po);
		struct cfg_matchblk *mb = &cfg->blk[cfg->nblk];
		struct strlist *lists[3];
		size_t k;

		if (config_setting_type(b) != CONFIG_TYPE_GROUP) {
			cfg_err(ld, &bo, "match", "found %s, expected a block "
			    "{ users = [ ... ]; ... }", cfg_describe(ld, b));
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
			co = cfg_origin_of(ld, c, &bo);
			(void)cfg_parse_list(ld, &crit[k], &co, c, lists[k],
			    "patterns");
		}
		walk_group(ld, b, "", &mb->l, 1, &bo);
		preauth_only(ld, mb, &bo);
	}
}

/* The whole file (at most 1 MiB), then rewinds f for libconfig. */
static int
read_text(FILE *f, char **textp)
{
	char *t;
	size_t n;

	*textp = NULL;
	if ((t = malloc(CFG_MAX_FILE + 1)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	n = fread(t, 1, CFG_MAX_FILE + 1, f);
	if (ferror(f) || n > CFG_MAX_FILE) {
		if (!ferror(f))
			errno = EFBIG;
		free(t);
		return SSH_ERR_SYSTEM_ERROR;
	}
	t[n] = '\0';
	rewind(f);
	*textp = t;
	return 0;
}

/*
 * Checks the raw text for what libconfig would accept but nanosshd must
 * not.  @include directives: the daemon reports on, and SIGHUP reloads,
 * one file.
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
			 * One file: the FILE:LINE of every error covers only
			 * this one.
			 */
			struct origin o = *po;

			if (o.ospec == NULL)
				o.line = line;
			cfg_err(ld, &o, NULL, "found %.*s, expected settings "
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
				cfg_err(ld, &o, NULL, "found %s%.*s, expected a "
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
	return bad ? SSH_ERR_INVALID_FORMAT : 0;
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
		cfg_err(ld, &o, NULL, "found no setting name, expected "
		    "path=value like auth.max_tries=3");
		return;
	}
	val = eq + 1;
	snprintf(path, sizeof(path), "%.*s", (int)(eq - spec), spec);
	if ((row = cfg_row_find(path, &ri)) == NULL) {
		cfg_err(ld, &o, NULL, "found unknown setting %s, expected a "
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
	if (cfg_value_set(ld, row, &o, v, &g->s) == 0) {
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

int
cfg_layer_defaults(struct layer *l)
{
	struct loader ld;
	struct origin o = { "(defaults)", 0, NULL };
	size_t i, j;

	memset(&ld, 0, sizeof(ld));
	for (i = 0; i < CFG_NROWS; i++) {
		const struct cfg_row *row = &cfg_rows[i];
		config_t c;
		char *text = NULL;
		int r = SSH_ERR_INTERNAL_ERROR;

		if (row->def == NULL) {
			struct strlist *sl = field(&l->s, row);

			for (j = 0; row->algs->defaults[j] != NULL; j++) {
				if ((r = cfg_strlist_add(sl,
				    row->algs->defaults[j])) != 0)
					return r;
			}
			continue;
		}
		config_init(&c);
		/* Defaults skip the file checks: "" is never read. */
		if (asprintf(&text, "v = %s;", row->def) != -1 &&
		    config_read_string(&c, text) == CONFIG_TRUE)
			r = cfg_value_set(&ld, row, &o,
			    config_lookup(&c, "v"), &l->s);
		config_destroy(&c);
		free(text);
		if (r != 0)
			return r;
	}
	return 0;
}

static void
layer_clear(struct layer *l)
{
	size_t i;

	for (i = 0; i < CFG_NROWS; i++)
		cfg_row_free(&cfg_rows[i], &l->s);
}

void
cfg_free(struct cfg *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	layer_clear(&cfg->global);
	for (i = 0; i < cfg->nblk; i++) {
		cfg_strlist_free(&cfg->blk[i].users);
		cfg_strlist_free(&cfg->blk[i].groups);
		cfg_strlist_free(&cfg->blk[i].addresses);
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
	if (cfg_layer_defaults(&cfg->global) != 0) {
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
				struct origin mo = cfg_origin_of(&ld, m, &o);

				load_match(&ld, cfg, m, &mo);
			}
		}
	}
	for (i = 0; i < noverrides; i++)
		apply_override(&ld, &cfg->global, overrides[i], (int)i);
	cfg_check_combined(&ld, &cfg->global, &cfg->global);
	cfg_check_penalties(&ld, &cfg->global);
	cfg_check_proxy(&ld, &cfg->global);
	cfg_check_keys_command(&ld, &cfg->global, &cfg->global);
	for (i = 0; i < cfg->nblk; i++) {
		cfg_check_combined(&ld, &cfg->global, &cfg->blk[i].l);
		cfg_check_keys_command(&ld, &cfg->global, &cfg->blk[i].l);
	}
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
	int r = SSH_ERR_INTERNAL_ERROR;

	*outp = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < CFG_NROWS; i++) {
		if ((r = cfg_row_copy(&cfg_rows[i], s, &cfg->global.s)) != 0)
			goto out;
	}
	for (b = 0; b < cfg->nblk; b++) {
		const struct cfg_matchblk *mb = &cfg->blk[b];

		if (!crit_match(mb, user, groups, ngroups, addr))
			continue;
		for (i = 0; i < CFG_NROWS; i++) {
			struct cfg_settings tmp;

			if (!mb->l.set[i])
				continue;
			if ((r = cfg_row_copy(&cfg_rows[i], &tmp,
			    &mb->l.s)) != 0)
				goto out;
			cfg_row_free(&cfg_rows[i], s);
			memcpy(field(s, &cfg_rows[i]), field(&tmp, &cfg_rows[i]),
			    cfg_row_size(&cfg_rows[i]));
		}
	}
	*outp = s;
	s = NULL;
	r = 0;
 out:
	cfg_settings_free(s);
	return r;
}
