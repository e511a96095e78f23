/* config_dump.c: the -T output, every setting in libconfig syntax. */
#include <string.h>

#include "common/config_local.h"
#include "protocol/ssherr.h"

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
			    name_of(cfg_names_access, m->v[i].access));
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

	for (i = 0; i < CFG_NROWS; i++) {
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
