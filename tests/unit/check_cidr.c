/*
 * check_cidr.c: address lists of protocol/cidr.c: what is a valid list, and
 * which addresses are in it.
 */
#include <check.h>
#include <stddef.h>

#include "protocol/cidr.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

START_TEST(test_addr_match)
{
	static const char *bad[] = { "", ",", "10.0.0.0/8,", ",10.0.0.0/8",
	    "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/+8",
	    "10.0.0.0/-1", "10.0.0.0/0008", "::/129", " 10.0.0.0/8",
	    "10.0.0.0 /8", "host.example.com", "10.0.0.*", "!10.0.0.0/8",
	    "2001:db8::1/64", "10.0.0.0/8,bogus" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(cidr_list_match("10.0.0.1", bad[i]) ==
		    SSH_ERR_INVALID_FORMAT, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(cidr_list_match("bogus", "10.0.0.0/8"),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(cidr_list_match("10.0.0.1", "0.0.0.0/0"), 1);
	ck_assert_int_eq(cidr_list_match("::1", "0.0.0.0/0"), 0);
	ck_assert_int_eq(cidr_list_match("::1", "::/0"), 1);
	ck_assert_int_eq(cidr_list_match("10.0.0.1", "::/0"), 0);
	ck_assert_int_eq(cidr_list_match("::1", "::1"), 1);
	ck_assert_int_eq(cidr_list_match("192.168.1.129", "192.168.1.128/25"),
	    1);
	ck_assert_int_eq(cidr_list_match("192.168.1.127", "192.168.1.128/25"),
	    0);
	ck_assert_int_eq(cidr_list_match("10.0.0.1", "192.0.2.0/24,10.0.0.1"),
	    1);
	ck_assert_int_eq(cidr_list_match("10.0.0.2", "192.0.2.0/24,10.0.0.1"),
	    0);
}
END_TEST

static Suite *
cidr_suite(void)
{
	Suite *s = suite_create("cidr");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_test(tc, test_addr_match);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(cidr_suite());
}
