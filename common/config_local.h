/* config_local.h: what the config_*.c files share; not an API. */
#ifndef NANOSSH_CONFIG_LOCAL_H
#define NANOSSH_CONFIG_LOCAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libconfig.h>

#include "common/config.h"
#include "common/names.h"

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

/*
 * The rows of config_table.c; the count sizes struct layer, so a row added
 * there must be counted here too (the compiler refuses a mismatch).
 */
#define CFG_NROWS	69
extern const struct cfg_row cfg_rows[CFG_NROWS];
extern const struct name_value cfg_names_access[];

#define ADDR_EXP "an address pattern (10.1.*, 2001:db8::*) or network " \
	"(10.0.0.0/8, 2001:db8::/32), optionally negated with !"

/* The field layouts the generic code relies on. */
struct mountlist {
	struct cfg_mount *v;
	size_t n;
};

/* One set of settings plus which rows it sets and where. */
struct layer {
	struct cfg_settings s;
	unsigned char set[CFG_NROWS];
	unsigned char bad[CFG_NROWS];	/* refused: no follow-on errors */
	int line[CFG_NROWS];	/* >0: file line; <0: -(override index + 1) */
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

static inline void *
field(const struct cfg_settings *s, const struct cfg_row *row)
{
	return (char *)s + row->off;
}

static inline int
is_int(const config_setting_t *v)
{
	return config_setting_type(v) == CONFIG_TYPE_INT ||
	    config_setting_type(v) == CONFIG_TYPE_INT64;
}

static inline int
is_seq(const config_setting_t *v)
{
	return config_setting_type(v) == CONFIG_TYPE_ARRAY ||
	    config_setting_type(v) == CONFIG_TYPE_LIST;
}

/* config_load.c: every row's default into l (which holds nothing). */
int cfg_layer_defaults(struct layer *l);

/* config_table.c: the row for a path, and each type's storage. */
const struct cfg_row *cfg_row_find(const char *path, size_t *idxp);
size_t cfg_row_size(const struct cfg_row *row);
void cfg_row_free(const struct cfg_row *row, struct cfg_settings *s);
int cfg_row_copy(const struct cfg_row *row, struct cfg_settings *dst,
    const struct cfg_settings *src);
void cfg_strlist_free(struct strlist *l);
int cfg_strlist_add(struct strlist *l, const char *s);
void cfg_mounts_free(struct mountlist *m);

/* config_check.c: the rows' string checks (0 if acceptable) ... */
int cfg_check_listen(const char *v);
int cfg_check_nonempty(const char *v);
int cfg_check_method(const char *v);
int cfg_check_permit(const char *v);
int cfg_check_user(const char *v);
int cfg_check_command_tokens(const char *v);
int cfg_check_path_tokens(const char *v);
int cfg_check_command_user(const char *v);
int cfg_check_addr_pattern(const char *v);
int cfg_check_name_pattern(const char *v);
int cfg_check_member_pattern(const char *v);
int cfg_check_env_pattern(const char *v);
int cfg_path_normalised(const char *p);
int cfg_mount_target_ok(const char *t);
int cfg_in_list(const char *const *l, const char *s);
int cfg_parse_size(const char *s, uint64_t *vp);
int cfg_parse_startups(const char *s, int out[3]);
/* ... and the checks that report: one value of a row, settings together. */
int cfg_check_string(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const char *v);
void cfg_check_combined(struct loader *ld, const struct layer *g,
    const struct layer *l);
void cfg_check_penalties(struct loader *ld, const struct layer *g);
void cfg_check_proxy(struct loader *ld, const struct layer *g);
void cfg_check_keys_command(struct loader *ld, const struct layer *g,
    const struct layer *l);

/* config_value.c: error reporting, and one libconfig value into a field. */
const char *cfg_q(struct loader *ld, const char *s);
void cfg_err(struct loader *ld, const struct origin *o, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct origin cfg_origin_of(struct loader *ld, const config_setting_t *s,
    const struct origin *parent);
const char *cfg_describe(struct loader *ld, const config_setting_t *v);
int cfg_parse_list(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const config_setting_t *v, struct strlist *out,
    const char *what);
int cfg_value_set(struct loader *ld, const struct cfg_row *row,
    const struct origin *o, const config_setting_t *v,
    struct cfg_settings *s);

#endif
