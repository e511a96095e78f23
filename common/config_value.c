/* config_value.c: one libconfig value into a setting's field, or its errors. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/config_local.h"
#include "protocol/ssherr.h"

/* A short printable rendering of s for error messages. */
const char *
cfg_q(struct loader *ld, const char *s)
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

void __attribute__((format(printf, 4, 5)))
cfg_err(struct loader *ld, const struct origin *o, const char *path,
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

struct origin
cfg_origin_of(struct loader *ld, const config_setting_t *s,
    const struct origin *parent)
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
const char *
cfg_describe(struct loader *ld, const config_setting_t *v)
{
	char *b = ld->qbuf[ld->qnext];

	switch (config_setting_type(v)) {
	case CONFIG_TYPE_STRING:
		return cfg_q(ld, config_setting_get_string(v));
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

int
cfg_parse_list(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const config_setting_t *v, struct strlist *out,
    const char *what)
{
	int i, j, n, bad = 0;

	if (!is_seq(v)) {
		cfg_err(ld, o, row->path, "found %s, expected a list of %s "
		    "[ \"...\", ... ]", cfg_describe(ld, v), what);
		return SSH_ERR_INVALID_FORMAT;
	}
	n = config_setting_length(v);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(v, (unsigned)i);
		struct origin eo = cfg_origin_of(ld, e, o);
		const char *s;

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			cfg_err(ld, &eo, row->path, "found %s, expected a string",
			    cfg_describe(ld, e));
			bad = 1;
			continue;
		}
		s = config_setting_get_string(e);
		if (cfg_check_string(ld, row, &eo, s) != 0) {
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
			cfg_err(ld, &eo, row->path, "found %s twice, expected "
			    "each entry once", cfg_q(ld, s));
			bad = 1;
			continue;
		}
		if ((row->flags & F_ALONE) && n > 1 &&
		    (strcmp(s, "any") == 0 || strcmp(s, "none") == 0)) {
			cfg_err(ld, &eo, row->path, "found %s among other "
			    "entries, expected it as the only entry",
			    cfg_q(ld, s));
			bad = 1;
			continue;
		}
		if (!bad && cfg_strlist_add(out, s) != 0) {
			ld->oom = 1;
			bad = 1;
		}
	}
	if (!bad && n == 0 && (row->flags & F_NONEMPTY)) {
		cfg_err(ld, o, row->path, "found an empty list, expected at "
		    "least one entry");
		bad = 1;
	}
	if (bad)
		cfg_strlist_free(out);
	return bad ? SSH_ERR_INVALID_FORMAT : 0;
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
		cfg_check_nonempty, "a group name", NULL
	};
	int i, j, n, bad = 0;

	if (!is_seq(v) || (config_setting_type(v) == CONFIG_TYPE_ARRAY &&
	    config_setting_length(v) != 0)) {
		cfg_err(ld, o, row->path, "found %s, expected a list of mounts "
		    "( { path = \"/...\"; target = \"/...\"; } , ... )",
		    cfg_describe(ld, v));
		return SSH_ERR_INVALID_FORMAT;
	}
	n = config_setting_length(v);
	if (n > 0 && (out->v = calloc((size_t)n, sizeof(*out->v))) == NULL) {
		ld->oom = 1;
		return SSH_ERR_ALLOC_FAIL;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(v, (unsigned)i);
		struct origin mo = cfg_origin_of(ld, m, o);
		struct cfg_mount *cm = &out->v[out->n];
		const char *path = NULL, *target = NULL;
		int k, mbad = 0;

		if (config_setting_type(m) != CONFIG_TYPE_GROUP) {
			cfg_err(ld, &mo, row->path, "found %s, expected a mount "
			    "{ path = ...; target = ...; }", cfg_describe(ld, m));
			bad = 1;
			continue;
		}
		out->n++;
		cm->access = CFG_ACCESS_INHERIT;
		for (k = 0; k < config_setting_length(m); k++) {
			const config_setting_t *e =
			    config_setting_get_elem(m, (unsigned)k);
			struct origin eo = cfg_origin_of(ld, e, &mo);
			const char *name = config_setting_name(e);
			char pbuf[64];

			snprintf(pbuf, sizeof(pbuf), "sftp.mounts.%s", name);
			if (!cfg_in_list(keys, name)) {
				cfg_err(ld, &eo, row->path, "found unknown "
				    "setting %s in a mount, expected path, "
				    "target, access or groups", name);
				mbad = 1;
			} else if (strcmp(name, "groups") == 0) {
				if (cfg_parse_list(ld, &grow, &eo, e, &cm->groups,
				    "group names") != 0)
					mbad = 1;
			} else if (config_setting_type(e) !=
			    CONFIG_TYPE_STRING) {
				cfg_err(ld, &eo, pbuf, "found %s, expected a "
				    "string", cfg_describe(ld, e));
				mbad = 1;
			} else if (strcmp(name, "access") == 0) {
				if (name_lookup(cfg_names_access,
				    config_setting_get_string(e), 0,
				    &cm->access) != 0) {
					cfg_err(ld, &eo, pbuf, "found %s, "
					    "expected %s", cfg_describe(ld, e),
					    enum_expected(ld, cfg_names_access));
					mbad = 1;
				}
			} else if (strcmp(name, "path") == 0) {
				path = config_setting_get_string(e);
				if (!cfg_path_normalised(path)) {
					cfg_err(ld, &eo, pbuf, "found %s, "
					    "expected a normalised absolute "
					    "path (no \"//\", \".\", \"..\" "
					    "or trailing \"/\")", cfg_q(ld, path));
					mbad = 1;
				}
				for (j = 0; j < (int)out->n - 1; j++) {
					if (out->v[j].path != NULL &&
					    strcmp(out->v[j].path, path) == 0)
						break;
				}
				if (j < (int)out->n - 1) {
					cfg_err(ld, &eo, pbuf, "found %s twice, "
					    "expected each mount path once",
					    cfg_q(ld, path));
					mbad = 1;
				}
			} else {
				target = config_setting_get_string(e);
				if (!cfg_mount_target_ok(target)) {
					cfg_err(ld, &eo, pbuf, "found %s, "
					    "expected an absolute path or one "
					    "starting with %%h (only %%h, %%u "
					    "and %%%% expand)", cfg_q(ld, target));
					mbad = 1;
				}
			}
		}
		if (path == NULL || target == NULL) {
			cfg_err(ld, &mo, row->path, "found a mount without %s, "
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
		cfg_mounts_free(out);
	return bad ? SSH_ERR_INVALID_FORMAT : 0;
}

/*
 * Parses v as the value of row into the row's field of s (freeing what
 * was there).  Returns 0, or an error after reporting every problem
 * (running out of memory also sets ld->oom).
 */
int
cfg_value_set(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const config_setting_t *v, struct cfg_settings *s)
{
	void *f = field(s, row);
	const char *str = config_setting_type(v) == CONFIG_TYPE_STRING ?
	    config_setting_get_string(v) : NULL;
	long long n;
	int iv, st[3];
	uint64_t sz;
	char *c;
	int r;

	switch (row->type) {
	case T_STR:
		if (str == NULL) {
			cfg_err(ld, o, row->path, "found %s, expected a string",
			    cfg_describe(ld, v));
			return SSH_ERR_INVALID_FORMAT;
		}
		if ((r = cfg_check_string(ld, row, o, str)) != 0)
			return r;
		if ((c = strdup(str)) == NULL) {
			ld->oom = 1;
			return SSH_ERR_ALLOC_FAIL;
		}
		cfg_row_free(row, s);
		*(char **)f = c;
		return 0;
	case T_INT:
		n = is_int(v) ? config_setting_get_int64(v) : 0;
		if (!is_int(v) || n < row->min || n > row->max) {
			cfg_err(ld, o, row->path, "found %s, expected an integer "
			    "from %lld to %lld", cfg_describe(ld, v), row->min,
			    row->max);
			return SSH_ERR_INVALID_FORMAT;
		}
		*(int *)f = (int)n;
		return 0;
	case T_BOOL:
		if (config_setting_type(v) != CONFIG_TYPE_BOOL) {
			cfg_err(ld, o, row->path, "found %s, expected true or "
			    "false", cfg_describe(ld, v));
			return SSH_ERR_INVALID_FORMAT;
		}
		*(int *)f = config_setting_get_bool(v) ? 1 : 0;
		return 0;
	case T_ENUM:
		if (str == NULL || name_lookup(row->names, str, 0, &iv) != 0) {
			cfg_err(ld, o, row->path, "found %s, expected %s",
			    cfg_describe(ld, v), enum_expected(ld, row->names));
			return SSH_ERR_INVALID_FORMAT;
		}
		*(int *)f = iv;
		return 0;
	case T_SIZE:
		if (is_int(v) && config_setting_get_int64(v) >= 0) {
			char nb[32];

			snprintf(nb, sizeof(nb), "%lld",
			    (long long)config_setting_get_int64(v));
			iv = cfg_parse_size(nb, &sz);
		} else
			iv = str == NULL ? SSH_ERR_INVALID_FORMAT : cfg_parse_size(str, &sz);
		if (iv != 0) {
			cfg_err(ld, o, row->path, "found %s, expected a size in "
			    "bytes of at least 16 with an optional K, M or G "
			    "suffix (\"1G\"), or \"none\"", cfg_describe(ld, v));
			return SSH_ERR_INVALID_FORMAT;
		}
		*(uint64_t *)f = sz;
		return 0;
	case T_STARTUPS:
		if (is_int(v)) {
			char nb[32];

			snprintf(nb, sizeof(nb), "%lld",
			    (long long)config_setting_get_int64(v));
			iv = cfg_parse_startups(nb, st);
		} else
			iv = str == NULL ? SSH_ERR_INVALID_FORMAT : cfg_parse_startups(str, st);
		if (iv != 0) {
			cfg_err(ld, o, row->path, "found %s, expected "
			    "\"start:rate:full\" with 1 <= start <= full <= "
			    "10000 and rate from 1 to 100, or a single number",
			    cfg_describe(ld, v));
			return SSH_ERR_INVALID_FORMAT;
		}
		memcpy(f, st, sizeof(st));
		return 0;
	case T_LIST: {
		struct strlist l = { NULL, 0 };

		if ((r = cfg_parse_list(ld, row, o, v, &l, row->algs != NULL ?
		    "algorithm names" : "strings")) != 0)
			return r;
		cfg_row_free(row, s);
		*(struct strlist *)f = l;
		return 0;
	}
	case T_MOUNTS: {
		struct mountlist m = { NULL, 0 };

		if ((r = parse_mounts(ld, row, o, v, &m)) != 0)
			return r;
		cfg_row_free(row, s);
		*(struct mountlist *)f = m;
		return 0;
	}
	}
	return SSH_ERR_INTERNAL_ERROR;
}
