/*
 * check_sftp_scp.c: legacy SCP's parsers (sftp/scp.h): control lines,
 * with the names a malicious peer would send, and the client's command
 * split without a shell; the fuzz target's corpus replayed.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/ssherr.h"
#include "sftp/scp.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_scp.c, linked in. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
ctl(const char *line, struct scp_ctl *c)
{
	return scp_ctl_parse(line, strlen(line), c);
}

START_TEST(test_ctl_file)
{
	struct scp_ctl c;

	ck_assert_int_eq(ctl("C0644 12345 name.txt", &c), 0);
	ck_assert_int_eq(c.c_type, SCP_CTL_FILE);
	ck_assert_int_eq(c.c_mode, 0644);
	ck_assert(c.c_size == 12345);
	ck_assert_str_eq(c.c_name, "name.txt");
	ck_assert_int_eq(ctl("D0755 0 a dir with spaces", &c), 0);
	ck_assert_int_eq(c.c_type, SCP_CTL_DIR);
	ck_assert_str_eq(c.c_name, "a dir with spaces");
	ck_assert_int_eq(ctl("T1700000000 0 1600000000 999999", &c), 0);
	ck_assert(c.c_mtime == 1700000000 && c.c_atime == 1600000000);
	ck_assert_int_eq(ctl("E", &c), 0);
	ck_assert_int_eq(ctl("\1scp: oops", &c), 0);
	ck_assert_int_eq(c.c_type, SCP_CTL_WARN);
	ck_assert_str_eq(c.c_name, "scp: oops");
}
END_TEST

/* CVE-2019-6111 style names, and malformed lines. */
START_TEST(test_ctl_refused)
{
	static const char *bad[] = {
		"C0644 5 ../evil", "C0644 5 a/b", "C0644 5 /etc/passwd",
		"C0644 5 ..", "C0644 5 .", "C0644 5 ", "D0755 0 ..",
		"D0755 0 x/", "C644 5 x", "C06445 5 x", "C0648 5 x",
		"C0644 -5 x", "C0644 5x x", "C0644  5 x",
		"C0644 99999999999999999999 x", "C0644 9223372036854775808 x",
		"T1 0 1", "T1 1000000 1 0", "Tx 0 1 0", "E ", "X", "",
		"C0644 5", "C0644 5 x\n",
	};
	struct scp_ctl c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(ctl(bad[i], &c) == SSH_ERR_INVALID_FORMAT,
		    "accepted \"%s\"", bad[i]);
	/* A NUL inside the name. */
	ck_assert_int_eq(scp_ctl_parse("C0644 5 a\0b", 11, &c),
	    SSH_ERR_INVALID_FORMAT);
}
END_TEST

START_TEST(test_cmd_sink)
{
	struct scp_cmd c;

	ck_assert_int_eq(scp_cmd_parse("scp -v -r -p -d -t -- /fw/dir", &c), 0);
	ck_assert(c.c_sink && !c.c_source && c.c_recursive && c.c_preserve &&
	    c.c_targetdir);
	ck_assert_uint_eq(c.c_npaths, 1);
	ck_assert_str_eq(c.c_paths[0], "/fw/dir");
	scp_cmd_free(&c);
	ck_assert_int_eq(scp_cmd_parse("/usr/bin/scp -t -- -dash", &c), 0);
	ck_assert_str_eq(c.c_paths[0], "-dash");
	scp_cmd_free(&c);
}
END_TEST

START_TEST(test_cmd_quoting_expands_nothing)
{
	struct scp_cmd c;

	ck_assert_int_eq(scp_cmd_parse("scp -f 'a b' \"c\\\"d\" e\\ f "
	    "'$(id)' `id` x;rm *", &c), 0);
	ck_assert_uint_eq(c.c_npaths, 7);
	ck_assert_str_eq(c.c_paths[0], "a b");
	ck_assert_str_eq(c.c_paths[1], "c\"d");
	ck_assert_str_eq(c.c_paths[2], "e f");
	ck_assert_str_eq(c.c_paths[3], "$(id)");
	ck_assert_str_eq(c.c_paths[4], "`id`");
	ck_assert_str_eq(c.c_paths[5], "x;rm");
	ck_assert_str_eq(c.c_paths[6], "*");
	scp_cmd_free(&c);
}
END_TEST

START_TEST(test_cmd_refused)
{
	static const char *bad[] = {
		"", "scp", "ls -t /x", "scp -t", "scp -t a b", "scp -t -f x",
		"scp -x -t y", "scp -r y", "scp -t 'unterminated",
		"scp -t x\\", "scp -t ''", "sh -c 'scp -t x'",
	};
	struct scp_cmd c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(scp_cmd_parse(bad[i], &c) != 0, "accepted %s",
		    bad[i]);
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("scp", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
scp_suite(void)
{
	Suite *s = suite_create("sftp_scp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ctl_file);
	tcase_add_test(tc, test_ctl_refused);
	tcase_add_test(tc, test_cmd_sink);
	tcase_add_test(tc, test_cmd_quoting_expands_nothing);
	tcase_add_test(tc, test_cmd_refused);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(scp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
