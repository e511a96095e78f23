/* config_util.c: loading helpers shared by the check_config* tests. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/config.h"
#include "tests/unit/config_util.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static const char *
srcdir(void)
{
	const char *s = getenv("NANOSSH_SRCDIR");

	return s != NULL && *s != '\0' ? s : SRCDIR;
}

/* The path of a file in the source tree (static buffer, one at a time). */
const char *
src(const char *rel)
{
	static char buf[4][4096];
	static int next;
	char *b = buf[next];

	next = (next + 1) % 4;
	snprintf(b, sizeof(buf[0]), "%s/%s", srcdir(), rel);
	return b;
}

struct cfg *
load_ok_o(const char *path, const char *const *o, size_t n)
{
	struct cfg *cfg = NULL;
	char *errs = NULL;
	int r = cfg_load(path, o, n, &cfg, &errs);

	ck_assert_msg(r == 0, "%s: %s", path, errs != NULL ? errs : "?");
	ck_assert_ptr_null(errs);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

struct cfg *
load_ok(const char *rel)
{
	return load_ok_o(src(rel), NULL, 0);
}

/* Loads and expects failure; returns the error text (caller frees). */
char *
load_bad_o(const char *path, const char *const *o, size_t n)
{
	struct cfg *cfg = NULL;
	char *errs = NULL;
	int r = cfg_load(path, o, n, &cfg, &errs);

	ck_assert_int_ne(r, 0);
	ck_assert_ptr_null(cfg);
	ck_assert_ptr_nonnull(errs);
	return errs;
}
