/* check_buf.c: the buffer API, especially every getter on short input. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"

static struct buf *
buf_of(const void *p, size_t len)
{
	struct buf *b = buf_new();

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_put(b, p, len), 0);
	return b;
}

START_TEST(test_ints_roundtrip)
{
	struct buf *b = buf_new();
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;

	ck_assert_int_eq(buf_put_u64(b, 0x0102030405060708ULL), 0);
	ck_assert_int_eq(buf_put_u32(b, 0xdeadbeef), 0);
	ck_assert_int_eq(buf_put_u16(b, 0x1234), 0);
	ck_assert_int_eq(buf_put_u8(b, 0x7f), 0);
	ck_assert_uint_eq(buf_len(b), 15);
	ck_assert_int_eq(buf_ptr(b)[0], 1);
	ck_assert_int_eq(buf_ptr(b)[8], 0xde);
	ck_assert_int_eq(buf_get_u64(b, &v64), 0);
	ck_assert_int_eq(buf_get_u32(b, &v32), 0);
	ck_assert_int_eq(buf_get_u16(b, &v16), 0);
	ck_assert_int_eq(buf_get_u8(b, &v8), 0);
	ck_assert(v64 == 0x0102030405060708ULL);
	ck_assert_uint_eq(v32, 0xdeadbeef);
	ck_assert_uint_eq(v16, 0x1234);
	ck_assert_uint_eq(v8, 0x7f);
	ck_assert_int_eq(buf_expect_end(b), 0);
	buf_free(b);
}
END_TEST

/* Every getter, given each too-short prefix, fails and consumes nothing. */
START_TEST(test_getters_short_input)
{
	static const uint8_t full[] = {
		0, 0, 0, 8, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'
	};
	size_t cut;

	for (cut = 0; cut < sizeof(full); cut++) {
		struct buf *b = buf_of(full, cut);
		const uint8_t *p;
		uint8_t *s;
		char *cs;
		size_t len;
		uint64_t v64;
		uint32_t v32;
		uint16_t v16;
		uint8_t v8;
		struct buf *sub, *dst = buf_new();

		if (cut < 8)
			ck_assert_int_eq(buf_get_u64(b, &v64),
			    SSH_ERR_MESSAGE_INCOMPLETE);
		if (cut < 4)
			ck_assert_int_eq(buf_get_u32(b, &v32),
			    SSH_ERR_MESSAGE_INCOMPLETE);
		if (cut < 2)
			ck_assert_int_eq(buf_get_u16(b, &v16),
			    SSH_ERR_MESSAGE_INCOMPLETE);
		if (cut < 1) {
			ck_assert_int_eq(buf_get_u8(b, &v8),
			    SSH_ERR_MESSAGE_INCOMPLETE);
			ck_assert_int_eq(buf_get_bool(b, NULL),
			    SSH_ERR_MESSAGE_INCOMPLETE);
		}
		ck_assert_int_eq(buf_get_string(b, &s, &len),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_ptr_null(s);
		ck_assert_int_eq(buf_get_cstring(b, &cs, &len),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_ptr_null(cs);
		ck_assert_int_eq(buf_get_string_direct(b, &p, &len),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_int_eq(buf_peek_string_direct(b, &p, &len),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_int_eq(buf_get_stringb(b, dst),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_int_eq(buf_froms(b, &sub), SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_ptr_null(sub);
		ck_assert_int_eq(buf_get_bignum2_bytes_direct(b, &p, &len),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_int_eq(buf_get(b, NULL, cut + 1),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_int_eq(buf_peek_u32(b, cut < 4 ? 0 : cut - 3, &v32),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_int_eq(buf_consume(b, cut + 1),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		ck_assert_int_eq(buf_consume_end(b, cut + 1),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		/* Nothing was consumed by any failed call. */
		ck_assert_uint_eq(buf_len(b), cut);
		ck_assert_uint_eq(buf_len(dst), 0);
		buf_free(dst);
		buf_free(b);
	}
}
END_TEST

START_TEST(test_string_too_large)
{
	static const uint8_t huge[] = { 0xff, 0xff, 0xff, 0xff, 'x' };
	struct buf *b = buf_of(huge, sizeof(huge));
	uint8_t *s;

	ck_assert_int_eq(buf_get_string(b, &s, NULL), SSH_ERR_STRING_TOO_LARGE);
	ck_assert_uint_eq(buf_len(b), sizeof(huge));
	buf_free(b);
}
END_TEST

START_TEST(test_cstring_rejects_nul)
{
	static const uint8_t w[] = { 0, 0, 0, 3, 'a', 0, 'b' };
	struct buf *b = buf_of(w, sizeof(w));
	uint8_t *s;
	char *cs;
	size_t len;

	ck_assert_int_eq(buf_get_cstring(b, &cs, NULL), SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_null(cs);
	ck_assert_uint_eq(buf_len(b), sizeof(w));
	/* The binary-safe getter takes it, with a NUL appended. */
	ck_assert_int_eq(buf_get_string(b, &s, &len), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(s[3], 0);
	free(s);
	buf_free(b);
}
END_TEST

START_TEST(test_strings_roundtrip)
{
	struct buf *b = buf_new(), *sub, *dst = buf_new();
	const uint8_t *p;
	char *cs;
	size_t len;

	ck_assert_int_eq(buf_put_cstring(b, "hello"), 0);
	ck_assert_int_eq(buf_put_string(b, "", 0), 0);
	ck_assert_int_eq(buf_put_cstring(b, "sub"), 0);
	ck_assert_int_eq(buf_put_cstring(b, "copy"), 0);
	ck_assert_int_eq(buf_peek_string_direct(b, &p, &len), 0);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(buf_get_cstring(b, &cs, &len), 0);
	ck_assert_str_eq(cs, "hello");
	free(cs);
	ck_assert_int_eq(buf_get_string_direct(b, &p, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(buf_froms(b, &sub), 0);
	ck_assert_uint_eq(buf_len(sub), 3);
	ck_assert_int_eq(buf_put_u8(sub, 1), SSH_ERR_BUFFER_READ_ONLY);
	buf_free(sub);
	ck_assert_int_eq(buf_get_stringb(b, dst), 0);
	ck_assert_uint_eq(buf_len(dst), 4);
	ck_assert_int_eq(buf_expect_end(b), 0);
	ck_assert_int_eq(buf_put_u8(b, 0), 0);
	ck_assert_int_eq(buf_expect_end(b), SSH_ERR_UNEXPECTED_TRAILING_DATA);
	buf_free(dst);
	buf_free(b);
}
END_TEST

START_TEST(test_bignum)
{
	static const uint8_t neg[] = { 0, 0, 0, 1, 0x80 };
	static const uint8_t nonminimal[] = { 0, 0, 0, 2, 0, 0x01 };
	static const uint8_t top[] = { 0x00, 0x00, 0x80, 0x01 };
	struct buf *b = buf_new();
	const uint8_t *p;
	size_t len;

	/* Leading zeros are stripped and a sign byte added for the top bit. */
	ck_assert_int_eq(buf_put_bignum2_bytes(b, top, sizeof(top)), 0);
	ck_assert_uint_eq(buf_len(b), 4 + 3);
	ck_assert_int_eq(buf_ptr(b)[4], 0);
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(b, &p, &len), 0);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(p[0], 0x80);
	ck_assert_int_eq(buf_put_bignum2_bytes(b, NULL, 0), 0);
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(b, &p, &len), 0);
	ck_assert_uint_eq(len, 0);
	buf_free(b);

	b = buf_of(neg, sizeof(neg));
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(b, &p, &len),
	    SSH_ERR_BIGNUM_IS_NEGATIVE);
	buf_free(b);
	b = buf_of(nonminimal, sizeof(nonminimal));
	ck_assert_int_eq(buf_get_bignum2_bytes_direct(b, &p, &len),
	    SSH_ERR_INVALID_FORMAT);
	buf_free(b);
}
END_TEST

START_TEST(test_max_size)
{
	struct buf *b = buf_new();
	uint8_t *p;

	ck_assert_int_eq(buf_set_max_size(b, 8), 0);
	ck_assert_int_eq(buf_put_u64(b, 1), 0);
	ck_assert_uint_eq(buf_avail(b), 0);
	ck_assert_int_eq(buf_put_u8(b, 1), SSH_ERR_NO_BUFFER_SPACE);
	ck_assert_int_eq(buf_reserve(b, 1, &p), SSH_ERR_NO_BUFFER_SPACE);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(buf_consume(b, 4), 0);
	/* Consumed space counts as free again. */
	ck_assert_int_eq(buf_put_u32(b, 2), 0);
	ck_assert_int_eq(buf_set_max_size(b, 4), SSH_ERR_NO_BUFFER_SPACE);
	ck_assert_int_eq(buf_set_max_size(b, BUF_SIZE_MAX + 1),
	    SSH_ERR_NO_BUFFER_SPACE);
	ck_assert_int_eq(buf_check_reserve(b, SIZE_MAX), SSH_ERR_NO_BUFFER_SPACE);
	buf_free(b);
}
END_TEST

START_TEST(test_growth_and_reset)
{
	struct buf *b = buf_new();
	size_t i;
	uint32_t v;

	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(buf_put_u32(b, (uint32_t)i), 0);
	for (i = 0; i < 100000; i++) {
		ck_assert_int_eq(buf_get_u32(b, &v), 0);
		ck_assert_uint_eq(v, i);
	}
	ck_assert_uint_eq(buf_len(b), 0);
	ck_assert_int_eq(buf_putf(b, "%s-%d", "x", 42), 0);
	ck_assert_uint_eq(buf_len(b), 4);
	ck_assert_int_eq(memcmp(buf_ptr(b), "x-42", 4), 0);
	buf_reset(b);
	ck_assert_uint_eq(buf_len(b), 0);
	buf_free(b);
}
END_TEST

START_TEST(test_poke_peek)
{
	struct buf *b = buf_new();
	uint32_t v;

	ck_assert_int_eq(buf_put_u32(b, 0), 0);
	ck_assert_int_eq(buf_put_u8(b, 9), 0);
	ck_assert_int_eq(buf_poke_u32(b, 0, 77), 0);
	ck_assert_int_eq(buf_poke_u32(b, 2, 1), SSH_ERR_NO_BUFFER_SPACE);
	ck_assert_int_eq(buf_peek_u32(b, 0, &v), 0);
	ck_assert_uint_eq(v, 77);
	ck_assert_int_eq(buf_peek_u32(b, SIZE_MAX, &v),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	buf_free(b);
}
END_TEST

START_TEST(test_base64_and_hex)
{
	static const char *const good[][2] = {
		{ "", "" }, { "Zg==", "f" }, { "Zm8=", "fo" }, { "Zm9v", "foo" },
		{ "Zm9vYg==", "foob" }, { "Zm9vYmE=", "fooba" },
		{ "Zm9vYmFy", "foobar" },
	};
	static const char *const bad[] = {
		"Z", "Zg=", "Zg=a", "Zh==", "Zm9=", "Z!==", "Zm9vY", "=Zg=",
	};
	struct buf *b, *enc;
	char *s;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		b = buf_new();
		enc = buf_new();
		ck_assert_int_eq(buf_b64tod(b, good[i][0]), 0);
		ck_assert_uint_eq(buf_len(b), strlen(good[i][1]));
		ck_assert_int_eq(memcmp(buf_ptr(b), good[i][1], buf_len(b)), 0);
		ck_assert_int_eq(buf_dtob64(b, enc, 0), 0);
		ck_assert_uint_eq(buf_len(enc), strlen(good[i][0]));
		ck_assert_int_eq(memcmp(buf_ptr(enc), good[i][0], buf_len(enc)), 0);
		buf_free(enc);
		buf_free(b);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = buf_new();
		ck_assert_int_eq(buf_put_u8(b, 'k'), 0);
		ck_assert_msg(buf_b64tod(b, bad[i]) == SSH_ERR_INVALID_FORMAT,
		    "accepted %s", bad[i]);
		/* Failure leaves what was there before. */
		ck_assert_uint_eq(buf_len(b), 1);
		buf_free(b);
	}
	b = buf_of("\x01\xab", 2);
	s = buf_dtob16(b);
	ck_assert_str_eq(s, "01ab");
	free(s);
	buf_free(b);
}
END_TEST

START_TEST(test_readonly_view)
{
	static const uint8_t d[] = { 0, 0, 0, 1 };
	struct buf *b = buf_from(d, sizeof(d));
	uint32_t v;

	ck_assert_int_eq(buf_put_u8(b, 1), SSH_ERR_BUFFER_READ_ONLY);
	ck_assert_ptr_null(buf_mutable_ptr(b));
	ck_assert_int_eq(buf_get_u32(b, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(buf_expect_end(b), 0);
	buf_free(b);
	ck_assert_ptr_null(buf_from(NULL, 1));
}
END_TEST

/* Whether the len bytes of secret appear in the storage past the end of
 * the data (what buf_reserve hands out next). */
static int
stale(struct buf *b, const char *secret, size_t room)
{
	uint8_t *p;
	size_t i, len = strlen(secret);
	int found = 0;

	ck_assert_int_eq(buf_reserve(b, room, &p), 0);
	for (i = 0; i + len <= room; i++)
		found |= memcmp(p + i, secret, len) == 0;
	ck_assert_int_eq(buf_consume_end(b, room), 0);
	return found;
}

/* A buffer in wipe mode keeps no copy of what it consumed, of what it
 * dropped from the end, nor of what it moved while packing; without it,
 * the same steps leave the secret in the storage (so the test can fail). */
START_TEST(test_wipe)
{
	const char *secret = "hunter2-hunter2";
	struct buf *b;
	int wipe = _i;

	ck_assert_ptr_nonnull(b = buf_new());
	if (wipe)
		buf_set_wipe(b);
	/* Consumed from the front. */
	ck_assert_int_eq(buf_put(b, secret, strlen(secret)), 0);
	ck_assert_int_eq(buf_consume(b, strlen(secret)), 0);
	ck_assert_int_eq(stale(b, secret, 64), !wipe);
	/* Dropped from the end. */
	ck_assert_int_eq(buf_put(b, secret, strlen(secret)), 0);
	ck_assert_int_eq(buf_consume_end(b, strlen(secret)), 0);
	ck_assert_int_eq(stale(b, secret, 64), !wipe);
	/* Moved to the front when the buffer packs to make room. */
	buf_reset(b);
	ck_assert_int_eq(buf_put(b, "x", 1), 0);
	ck_assert_int_eq(buf_put(b, secret, strlen(secret)), 0);
	ck_assert_int_eq(buf_consume(b, 1), 0);
	ck_assert_int_eq(buf_set_max_size(b, 4096), 0);
	ck_assert_int_eq(buf_len(b), strlen(secret));
	ck_assert_int_eq(memcmp(buf_ptr(b), secret, strlen(secret)), 0);
	ck_assert_int_eq(buf_consume(b, strlen(secret)), 0);
	ck_assert_int_eq(stale(b, secret, 64), !wipe);
	buf_free(b);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ints_roundtrip);
	tcase_add_test(tc, test_getters_short_input);
	tcase_add_test(tc, test_string_too_large);
	tcase_add_test(tc, test_cstring_rejects_nul);
	tcase_add_test(tc, test_strings_roundtrip);
	tcase_add_test(tc, test_bignum);
	tcase_add_test(tc, test_max_size);
	tcase_add_test(tc, test_growth_and_reset);
	tcase_add_test(tc, test_poke_peek);
	tcase_add_test(tc, test_base64_and_hex);
	tcase_add_test(tc, test_readonly_view);
	tcase_add_loop_test(tc, test_wipe, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(buf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
