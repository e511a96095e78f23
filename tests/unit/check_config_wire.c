/*
 * check_config_wire.c: cfg_serialise and cfg_deserialise, the form in
 * which nanosshd hands its loaded configuration to each session: every
 * setting, -o override and match block survives, and damaged or foreign
 * input is refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "tests/unit/config_util.h"
#include "tests/unit/testutil.h"

/* The -T text of s (caller frees). */
static char *
dump(const struct cfg_settings *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(cfg_dump(s, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static void
assert_same_settings(const struct cfg_settings *a,
    const struct cfg_settings *b)
{
	char *da = dump(a), *db = dump(b);

	ck_assert_str_eq(da, db);
	free(da);
	free(db);
}

/* The effective settings of both for one connection are the same. */
static void
assert_same_effective(const struct cfg *a, const struct cfg *b,
    const char *user, const char *const *g, size_t ng, const char *addr)
{
	struct cfg_settings *sa = NULL, *sb = NULL;

	ck_assert_int_eq(cfg_effective(a, user, g, ng, addr, &sa), 0);
	ck_assert_int_eq(cfg_effective(b, user, g, ng, addr, &sb), 0);
	assert_same_settings(sa, sb);
	cfg_settings_free(sa);
	cfg_settings_free(sb);
}

static struct cfg *
round_trip(const struct cfg *cfg, struct buf **bytesp)
{
	struct buf *b = buf_new(), *copy;
	struct cfg *out = NULL;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(cfg_serialise(cfg, b), 0);
	copy = buf_from(buf_ptr(b), buf_len(b));
	ck_assert_ptr_nonnull(copy);
	ck_assert_int_eq(cfg_deserialise(copy, &out), 0);
	ck_assert_uint_eq(buf_len(copy), 0);
	buf_free(copy);
	*bytesp = b;
	return out;
}

START_TEST(test_wire_full_file)
{
	struct cfg *cfg = load_ok("tests/config/good-full.conf"), *back;
	struct buf *b = NULL, *b2 = NULL;

	back = round_trip(cfg, &b);
	ck_assert_str_eq(cfg_path(back), cfg_path(cfg));
	assert_same_settings(cfg_global(cfg), cfg_global(back));
	/* Canonical: the copy serialises to the same bytes. */
	cfg_free(round_trip(back, &b2));
	ck_assert(buf_equals(b, b2) == 0);
	buf_free(b);
	buf_free(b2);
	cfg_free(back);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_wire_match_blocks)
{
	static const char *const staff[] = { "users", "staff" };
	static const char *const sftponly[] = { "sftponly" };
	static const char *const contractors[] = { "staff", "contractors" };
	struct cfg *cfg = load_ok("tests/config/match.conf"), *back;
	struct buf *b = NULL;

	back = round_trip(cfg, &b);
	assert_same_effective(cfg, back, NULL, NULL, 0, "172.16.1.1");
	assert_same_effective(cfg, back, "alice", NULL, 0, "10.1.1.1");
	assert_same_effective(cfg, back, "bob", NULL, 0, "10.1.1.1");
	assert_same_effective(cfg, back, "bob", NULL, 0, "10.9.1.1");
	assert_same_effective(cfg, back, "svc-x", NULL, 0, "192.168.1.1");
	assert_same_effective(cfg, back, "dave", staff, 2, "2001:db8::1");
	assert_same_effective(cfg, back, "dave", sftponly, 1, "10.1.1.1");
	assert_same_effective(cfg, back, "dave", contractors, 2, "10.1.1.1");
	/* And the blocks really did something. */
	{
		struct cfg_settings *s = NULL;

		ck_assert_int_eq(cfg_effective(back, "bob", NULL, 0,
		    "10.1.1.1", &s), 0);
		ck_assert_int_eq(s->limits.max_session_time, 4);
		cfg_settings_free(s);
		ck_assert_int_eq(cfg_effective(back, "dave", sftponly, 1,
		    "10.1.1.1", &s), 0);
		ck_assert_uint_eq(s->sftp.nmounts, 1);
		ck_assert_str_eq(s->sftp.mounts[0].target, "/srv/data");
		cfg_settings_free(s);
	}
	buf_free(b);
	cfg_free(back);
	cfg_free(cfg);
}
END_TEST

START_TEST(test_wire_overrides)
{
	static const char *const o[] = {
		"auth.max_tries=3", "crypto.ciphers=aes256-ctr,aes128-ctr",
		"auth.banner=",
	};
	struct cfg *cfg = load_ok_o(src("tests/config/match.conf"), o, 3);
	struct cfg *back;
	struct buf *b = NULL;

	back = round_trip(cfg, &b);
	ck_assert_int_eq(cfg_global(back)->auth.max_tries, 3);
	ck_assert_uint_eq(cfg_global(back)->crypto.ciphers.n, 2);
	ck_assert_str_eq(cfg_global(back)->crypto.ciphers.v[0], "aes256-ctr");
	assert_same_settings(cfg_global(cfg), cfg_global(back));
	assert_same_effective(cfg, back, "bob", NULL, 0, "10.1.1.1");
	buf_free(b);
	cfg_free(back);
	cfg_free(cfg);
}
END_TEST

/* Every truncation is refused, without leaks (the sanitizer build). */
START_TEST(test_wire_truncated)
{
	struct cfg *cfg = load_ok("tests/config/match.conf"), *back;
	struct buf *b = NULL, *part;
	size_t n, step;

	back = round_trip(cfg, &b);
	cfg_free(back);
	step = buf_len(b) > 4000 ? 7 : 1;
	for (n = 0; n < buf_len(b); n += step) {
		part = buf_from(buf_ptr(b), n);
		ck_assert_ptr_nonnull(part);
		back = NULL;
		ck_assert_int_ne(cfg_deserialise(part, &back), 0);
		ck_assert_ptr_null(back);
		buf_free(part);
	}
	buf_free(b);
	cfg_free(cfg);
}
END_TEST

/* A hand-made message: magic, path, a global layer with one row. */
static struct buf *
one_row(const char *magic, const char *path, unsigned type, uint32_t value)
{
	struct buf *b = buf_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_put_cstring(b, magic), 0);
	ck_assert_int_eq(buf_put_cstring(b, "/etc/x.conf"), 0);
	ck_assert_int_eq(buf_put_u32(b, 1), 0);
	ck_assert_int_eq(buf_put_cstring(b, path), 0);
	ck_assert_int_eq(buf_put_u8(b, (uint8_t)type), 0);
	ck_assert_int_eq(buf_put_u32(b, value), 0);
	ck_assert_int_eq(buf_put_u32(b, 0), 0);	/* no match blocks */
	return b;
}

/* The row type of auth.max_tries (T_INT), read from a real message. */
static unsigned
int_type(void)
{
	struct cfg *cfg = load_ok("tests/config/empty.conf");
	struct buf *b = buf_new();
	const uint8_t *p;
	size_t len, i;
	unsigned t = 0;

	ck_assert_int_eq(cfg_serialise(cfg, b), 0);
	p = buf_ptr(b);
	len = buf_len(b);
	for (i = 0; i + 17 < len; i++) {
		if (memcmp(p + i, "auth.max_tries", 14) == 0) {
			t = p[i + 14];
			break;
		}
	}
	ck_assert_uint_lt(i + 17, len);
	buf_free(b);
	cfg_free(cfg);
	return t;
}

START_TEST(test_wire_refused)
{
	struct cfg *cfg = NULL;
	struct buf *b;
	unsigned t = int_type();

	/* Well-formed: a row not given keeps its default. */
	b = one_row("nanossh-config-1", "auth.max_tries", t, 3);
	ck_assert_int_eq(cfg_deserialise(b, &cfg), 0);
	ck_assert_int_eq(cfg_global(cfg)->auth.max_tries, 3);
	ck_assert_int_eq(cfg_global(cfg)->sftp.enabled, 1);
	ck_assert_uint_gt(cfg_global(cfg)->crypto.ciphers.n, 0);
	cfg_free(cfg);
	buf_free(b);
	/* Another format. */
	b = one_row("nanossh-config-0", "auth.max_tries", t, 3);
	ck_assert_int_eq(cfg_deserialise(b, &cfg), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	/* A setting this program does not know is not silently dropped. */
	b = one_row("nanossh-config-1", "auth.no_such", t, 3);
	ck_assert_int_eq(cfg_deserialise(b, &cfg), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	/* Another type than the table's. */
	b = one_row("nanossh-config-1", "auth.max_tries", t + 1, 3);
	ck_assert_int_ne(cfg_deserialise(b, &cfg), 0);
	buf_free(b);
	/* Out of the row's range. */
	b = one_row("nanossh-config-1", "auth.max_tries", t, 0xffffffffU);
	ck_assert_int_eq(cfg_deserialise(b, &cfg), SSH_ERR_INVALID_FORMAT);
	buf_free(b);
	ck_assert_ptr_null(cfg);
}
END_TEST

static Suite *
wire_suite(void)
{
	Suite *s = suite_create("config_wire");
	TCase *tc = tcase_create("wire");

	tcase_add_test(tc, test_wire_full_file);
	tcase_add_test(tc, test_wire_match_blocks);
	tcase_add_test(tc, test_wire_overrides);
	tcase_add_test(tc, test_wire_truncated);
	tcase_add_test(tc, test_wire_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(wire_suite());
}
