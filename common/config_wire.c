/*
 * config_wire.c: a loaded configuration to bytes and back (config.h,
 * cfg_serialise), so nanosshd hands each nanosshd-session the settings it
 * checked instead of the session reading the file again.
 *
 * Layout, in buf.h encodings:
 *   string  CFG_WIRE_MAGIC
 *   string  the path the settings came from
 *   layer   the global settings: every row
 *   u32     number of match blocks, then for each:
 *           list users, list groups, list addresses, u32 line,
 *           layer (only the rows the block sets)
 * where a layer is u32 count, then count times:
 *   string  row path ("auth.max_tries"), u8 row type, the value:
 *   T_STR u8 present + string; T_INT/T_BOOL/T_ENUM u32 (two's
 *   complement); T_SIZE u64; T_STARTUPS 3 x u32; T_LIST list; T_MOUNTS
 *   u32 n, then path, target, u32 access, list groups each
 * and a list is u32 n and n strings.
 *
 * Rows go by name, not index: a session from a newer package started by
 * an older listener (an upgrade before the SIGHUP) still reads what it
 * is given, rows it is not given keep their defaults, and a row it does
 * not know is refused rather than silently dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "common/config_local.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

#define CFG_WIRE_MAGIC		"nanossh-config-1"
/* Far above any real file (1 MiB of text at most); bounds allocations. */
#define CFG_WIRE_MAX_ITEMS	65536

static int
put_list(struct buf *b, const struct strlist *l)
{
	size_t i;
	int r;

	if ((r = buf_put_u32(b, (uint32_t)l->n)) != 0)
		return r;
	for (i = 0; i < l->n; i++) {
		if ((r = buf_put_cstring(b, l->v[i])) != 0)
			return r;
	}
	return 0;
}

static int
get_list(struct buf *b, struct strlist *l)
{
	uint32_t n, i;
	char *s;
	int r;

	if ((r = buf_get_u32(b, &n)) != 0)
		return r;
	if (n > CFG_WIRE_MAX_ITEMS)
		return SSH_ERR_INVALID_FORMAT;
	for (i = 0; i < n; i++) {
		if ((r = buf_get_cstring(b, &s, NULL)) != 0)
			return r;
		r = cfg_strlist_add(l, s);
		free(s);
		if (r != 0)
			return r;
	}
	return 0;
}

static int
put_value(struct buf *b, const struct cfg_row *row,
    const struct cfg_settings *s)
{
	const void *f = field(s, row);
	const struct mountlist *m;
	const int *st;
	size_t i;
	int r;

	switch (row->type) {
	case T_STR:
		if (*(char *const *)f == NULL)
			return buf_put_u8(b, 0);
		if ((r = buf_put_u8(b, 1)) != 0)
			return r;
		return buf_put_cstring(b, *(char *const *)f);
	case T_INT:
	case T_BOOL:
	case T_ENUM:
		return buf_put_u32(b, (uint32_t)*(const int *)f);
	case T_SIZE:
		return buf_put_u64(b, *(const uint64_t *)f);
	case T_STARTUPS:
		st = f;
		for (i = 0; i < 3; i++) {
			if ((r = buf_put_u32(b, (uint32_t)st[i])) != 0)
				return r;
		}
		return 0;
	case T_LIST:
		return put_list(b, f);
	case T_MOUNTS:
		m = f;
		if ((r = buf_put_u32(b, (uint32_t)m->n)) != 0)
			return r;
		for (i = 0; i < m->n; i++) {
			if ((r = buf_put_cstring(b, m->v[i].path)) != 0 ||
			    (r = buf_put_cstring(b, m->v[i].target)) != 0 ||
			    (r = buf_put_u32(b, (uint32_t)m->v[i].access)) != 0 ||
			    (r = put_list(b, &m->v[i].groups)) != 0)
				return r;
		}
		return 0;
	}
	return SSH_ERR_INTERNAL_ERROR;
}

/* A 32-bit field back into an int, in the row's range. */
static int
get_int(struct buf *b, const struct cfg_row *row, int *vp)
{
	uint32_t u;
	int v, r;

	if ((r = buf_get_u32(b, &u)) != 0)
		return r;
	v = (int)u;
	switch (row->type) {
	case T_INT:
		if (v < row->min || v > row->max)
			return SSH_ERR_INVALID_FORMAT;
		break;
	case T_BOOL:
		if (v != 0 && v != 1)
			return SSH_ERR_INVALID_FORMAT;
		break;
	case T_ENUM:
		if (name_of(row->names, v) == NULL)
			return SSH_ERR_INVALID_FORMAT;
		break;
	default:
		break;
	}
	*vp = v;
	return 0;
}

static int
get_mounts(struct buf *b, struct mountlist *m)
{
	struct cfg_mount *mt;
	uint32_t n, i, access;
	int r;

	if ((r = buf_get_u32(b, &n)) != 0)
		return r;
	if (n > CFG_WIRE_MAX_ITEMS)
		return SSH_ERR_INVALID_FORMAT;
	if (n == 0)
		return 0;
	if ((m->v = calloc(n, sizeof(*m->v))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < n; i++) {
		mt = &m->v[i];
		m->n++;		/* freed by cfg_mounts_free from here on */
		if ((r = buf_get_cstring(b, &mt->path, NULL)) != 0 ||
		    (r = buf_get_cstring(b, &mt->target, NULL)) != 0 ||
		    (r = buf_get_u32(b, &access)) != 0 ||
		    (r = get_list(b, &mt->groups)) != 0)
			return r;
		if (name_of(cfg_names_access, (int)access) == NULL)
			return SSH_ERR_INVALID_FORMAT;
		mt->access = (int)access;
	}
	return 0;
}

/* Reads one value into the row's field of s, which holds nothing. */
static int
get_value(struct buf *b, const struct cfg_row *row, struct cfg_settings *s)
{
	void *f = field(s, row);
	uint8_t present;
	uint32_t u;
	int *st, r;
	size_t i;

	switch (row->type) {
	case T_STR:
		if ((r = buf_get_u8(b, &present)) != 0)
			return r;
		if (present > 1)
			return SSH_ERR_INVALID_FORMAT;
		return present ? buf_get_cstring(b, (char **)f, NULL) : 0;
	case T_INT:
	case T_BOOL:
	case T_ENUM:
		return get_int(b, row, f);
	case T_SIZE:
		return buf_get_u64(b, f);
	case T_STARTUPS:
		st = f;
		for (i = 0; i < 3; i++) {
			if ((r = buf_get_u32(b, &u)) != 0)
				return r;
			st[i] = (int)u;
		}
		return 0;
	case T_LIST:
		return get_list(b, f);
	case T_MOUNTS:
		return get_mounts(b, f);
	}
	return SSH_ERR_INTERNAL_ERROR;
}

static int
put_layer(struct buf *b, const struct layer *l, int all)
{
	uint32_t n = 0;
	size_t i;
	int r;

	for (i = 0; i < CFG_NROWS; i++)
		n += all || l->set[i];
	if ((r = buf_put_u32(b, n)) != 0)
		return r;
	for (i = 0; i < CFG_NROWS; i++) {
		if (!all && !l->set[i])
			continue;
		if ((r = buf_put_cstring(b, cfg_rows[i].path)) != 0 ||
		    (r = buf_put_u8(b, (uint8_t)cfg_rows[i].type)) != 0 ||
		    (r = put_value(b, &cfg_rows[i], &l->s)) != 0)
			return r;
	}
	return 0;
}

/* Rows not given keep what l holds (the defaults for the global layer,
 * nothing for a match block's); each row at most once. */
static int
get_layer(struct buf *b, struct layer *l, int in_match)
{
	const struct cfg_row *row;
	unsigned char seen[CFG_NROWS];
	uint32_t n, k;
	uint8_t type;
	char *path = NULL;
	size_t idx;
	int r;

	memset(seen, 0, sizeof(seen));
	if ((r = buf_get_u32(b, &n)) != 0)
		return r;
	if (n > CFG_NROWS)
		return SSH_ERR_INVALID_FORMAT;
	for (k = 0; k < n; k++) {
		if ((r = buf_get_cstring(b, &path, NULL)) != 0 ||
		    (r = buf_get_u8(b, &type)) != 0)
			goto out;
		if ((row = cfg_row_find(path, &idx)) == NULL ||
		    row->type != (enum cfg_type)type || seen[idx] ||
		    (in_match && !(row->flags & F_MATCH))) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		seen[idx] = 1;
		free(path);
		path = NULL;
		cfg_row_free(row, &l->s);
		if ((r = get_value(b, row, &l->s)) != 0)
			goto out;
		if (in_match)
			l->set[idx] = 1;
	}
	r = 0;
 out:
	free(path);
	return r;
}

int
cfg_serialise(const struct cfg *cfg, struct buf *out)
{
	const struct cfg_matchblk *mb;
	size_t i;
	int r;

	if ((r = buf_put_cstring(out, CFG_WIRE_MAGIC)) != 0 ||
	    (r = buf_put_cstring(out, cfg->path)) != 0 ||
	    (r = put_layer(out, &cfg->global, 1)) != 0 ||
	    (r = buf_put_u32(out, (uint32_t)cfg->nblk)) != 0)
		return r;
	for (i = 0; i < cfg->nblk; i++) {
		mb = &cfg->blk[i];
		if ((r = put_list(out, &mb->users)) != 0 ||
		    (r = put_list(out, &mb->groups)) != 0 ||
		    (r = put_list(out, &mb->addresses)) != 0 ||
		    (r = buf_put_u32(out, (uint32_t)mb->line)) != 0 ||
		    (r = put_layer(out, &mb->l, 0)) != 0)
			return r;
	}
	return 0;
}

int
cfg_deserialise(struct buf *in, struct cfg **cfgp)
{
	struct cfg *cfg = NULL;
	struct cfg_matchblk *mb;
	char *magic = NULL;
	uint32_t nblk, i, line;
	int r;

	*cfgp = NULL;
	if ((r = buf_get_cstring(in, &magic, NULL)) != 0)
		goto out;
	if (strcmp(magic, CFG_WIRE_MAGIC) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = cfg_layer_defaults(&cfg->global)) != 0 ||
	    (r = buf_get_cstring(in, &cfg->path, NULL)) != 0 ||
	    (r = get_layer(in, &cfg->global, 0)) != 0 ||
	    (r = buf_get_u32(in, &nblk)) != 0)
		goto out;
	if (nblk > CFG_WIRE_MAX_ITEMS) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (nblk > 0 && (cfg->blk = calloc(nblk, sizeof(*cfg->blk))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	for (i = 0; i < nblk; i++) {
		mb = &cfg->blk[i];
		cfg->nblk++;	/* freed by cfg_free from here on */
		if ((r = get_list(in, &mb->users)) != 0 ||
		    (r = get_list(in, &mb->groups)) != 0 ||
		    (r = get_list(in, &mb->addresses)) != 0 ||
		    (r = buf_get_u32(in, &line)) != 0 ||
		    (r = get_layer(in, &mb->l, 1)) != 0)
			goto out;
		mb->line = (int)line;
	}
	*cfgp = cfg;
	cfg = NULL;
	r = 0;
 out:
	free(magic);
	cfg_free(cfg);
	return r;
}
