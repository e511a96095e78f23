/* check_ttymodes.c: pty-req terminal modes (protocol/ttymodes.c). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "protocol/ssherr.h"
#include "protocol/ttymodes.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_ttymodes.c, linked in: its corpus is replayed below. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

START_TEST(test_parse_basic)
{
	/* VINTR = 3, ECHO (53) = 1, TTY_OP_ISPEED = 38400, end */
	static const uint8_t in[] = {
		1, 0, 0, 0, 3,
		53, 0, 0, 0, 1,
		128, 0, 0, 0x96, 0,
		0,
	};
	struct ttymode m[8];
	size_t n = 99;

	ck_assert_int_eq(ttymodes_parse(in, sizeof(in), m, 8, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(m[0].opcode, 1);
	ck_assert_uint_eq(m[0].value, 3);
	ck_assert_uint_eq(m[1].opcode, 53);
	ck_assert_uint_eq(m[1].value, 1);
	ck_assert_uint_eq(m[2].opcode, TTY_OP_ISPEED);
	ck_assert_uint_eq(m[2].value, 38400);
}
END_TEST

START_TEST(test_parse_empty)
{
	static const uint8_t end[] = { 0 };
	struct ttymode m[1];
	size_t n = 5;

	ck_assert_int_eq(ttymodes_parse(NULL, 0, m, 1, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ttymodes_parse(end, 1, m, 1, &n), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_parse_repeat_keeps_last)
{
	static const uint8_t in[] = { 1, 0, 0, 0, 3, 1, 0, 0, 0, 4, 0 };
	struct ttymode m[1];
	size_t n;

	ck_assert_int_eq(ttymodes_parse(in, sizeof(in), m, 1, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(m[0].value, 4);
}
END_TEST

START_TEST(test_parse_truncated)
{
	static const uint8_t cut_arg[] = { 1, 0, 0 };
	static const uint8_t no_end[] = { 1, 0, 0, 0, 3 };
	struct ttymode m[4];
	size_t n = 7;

	ck_assert_int_eq(ttymodes_parse(cut_arg, sizeof(cut_arg), m, 4, &n),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ttymodes_parse(no_end, sizeof(no_end), m, 4, &n),
	    SSH_ERR_MESSAGE_INCOMPLETE);
}
END_TEST

START_TEST(test_parse_trailing)
{
	static const uint8_t in[] = { 1, 0, 0, 0, 3, 0, 7 };
	struct ttymode m[4];
	size_t n;

	ck_assert_int_eq(ttymodes_parse(in, sizeof(in), m, 4, &n),
	    SSH_ERR_UNEXPECTED_TRAILING_DATA);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_parse_undefined_opcode_stops)
{
	/* 160 is undefined: what follows it is not parsed, not an error. */
	static const uint8_t in[] = { 2, 0, 0, 0, 28, 160, 1, 2, 3 };
	struct ttymode m[4];
	size_t n;

	ck_assert_int_eq(ttymodes_parse(in, sizeof(in), m, 4, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(m[0].opcode, 2);
	ck_assert_uint_eq(m[0].value, 28);
}
END_TEST

START_TEST(test_parse_limit)
{
	static const uint8_t in[] = { 1, 0, 0, 0, 3, 2, 0, 0, 0, 4, 0 };
	struct ttymode m[1];
	size_t n;

	ck_assert_int_eq(ttymodes_parse(in, sizeof(in), m, 1, &n),
	    SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("ttymodes", LLVMFuzzerTestOneInput),
	    0);
}
END_TEST

static Suite *
ttymodes_suite(void)
{
	Suite *s = suite_create("ttymodes");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_basic);
	tcase_add_test(tc, test_parse_empty);
	tcase_add_test(tc, test_parse_repeat_keeps_last);
	tcase_add_test(tc, test_parse_truncated);
	tcase_add_test(tc, test_parse_trailing);
	tcase_add_test(tc, test_parse_undefined_opcode_stops);
	tcase_add_test(tc, test_parse_limit);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ttymodes_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
