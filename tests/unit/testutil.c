/* testutil.c: helpers shared by the Check unit tests. */
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"

const char *
tu_path(const char *relpath)
{
	static char path[PATH_MAX];
	const char *top = getenv("NANOSSH_SRCDIR");
	int n;

	if (top == NULL)
		top = SRCDIR;
	n = snprintf(path, sizeof(path), "%s/tests/%s", top, relpath);
	ck_assert(n > 0 && (size_t)n < sizeof(path));
	return path;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint8_t *
tu_hex(const char *hex, size_t *lenp)
{
	size_t i, n = strlen(hex);
	uint8_t *out;

	ck_assert_msg(n % 2 == 0, "odd-length hex: %s", hex);
	out = malloc(n / 2 + 1);
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < n / 2; i++) {
		int hi = hexval((unsigned char)hex[2 * i]);
		int lo = hexval((unsigned char)hex[2 * i + 1]);

		ck_assert_msg(hi >= 0 && lo >= 0, "bad hex: %s", hex);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*lenp = n / 2;
	return out;
}

json_t *
tu_wycheproof(const char *name)
{
	char rel[256];
	json_error_t err;
	json_t *root;

	ck_assert((size_t)snprintf(rel, sizeof(rel), "vectors/wycheproof/%s",
	    name) < sizeof(rel));
	root = json_load_file(tu_path(rel), 0, &err);
	ck_assert_msg(root != NULL, "%s: %s (line %d)", name, err.text,
	    err.line);
	return root;
}

const char *
tu_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "";
}

int
tu_expect(const json_t *tcase)
{
	const char *r = tu_str(tcase, "result");

	if (strcmp(r, "valid") == 0)
		return 1;
	if (strcmp(r, "invalid") == 0)
		return 0;
	ck_assert_msg(strcmp(r, "acceptable") == 0, "unknown result %s", r);
	return -1;
}

size_t
tu_replay_corpus(const char *name, int (*fn)(const uint8_t *data, size_t size))
{
	char dir[4096], rel[256], path[8192];
	struct dirent *de;
	uint8_t *data;
	size_t n = 0;
	long len;
	DIR *d;
	FILE *f;

	ck_assert((size_t)snprintf(rel, sizeof(rel), "fuzz/corpus/%s", name) <
	    sizeof(rel));
	snprintf(dir, sizeof(dir), "%s", tu_path(rel));
	ck_assert_msg((d = opendir(dir)) != NULL, "no corpus %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ck_assert_ptr_nonnull(f = fopen(path, "rb"));
		ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
		ck_assert((len = ftell(f)) >= 0);
		rewind(f);
		ck_assert_ptr_nonnull(data = malloc((size_t)len + 1));
		ck_assert_uint_eq(fread(data, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		ck_assert_int_eq(fn(data, (size_t)len), 0);
		free(data);
		n++;
	}
	closedir(d);
	return n;
}

int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
