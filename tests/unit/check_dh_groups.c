/*
 * check_dh_groups.c: each RFC 3526 prime as typed into dh_groups.c is a
 * safe prime of its stated size, so a typo cannot pass.  Slow (tens of
 * seconds for the 8192-bit group), hence its own program.
 *
 * q = (p-1)/2 goes through BN_check_prime.  For p itself, with q prime,
 * Pocklington's criterion is a proof rather than a probabilistic test:
 * if 2^(p-1) = 1 mod p and gcd(2^2 - 1, p) = 1, every prime factor of p
 * is 1 mod q, hence larger than sqrt(p), so p is prime.
 */
#include <check.h>
#include <stdio.h>

#include <openssl/bn.h>

#include "protocol/dh_groups.h"
#include "protocol/ssherr.h"

static void
check_safe_prime(unsigned int id, int bits)
{
	struct dh_group *g = NULL;
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *q = BN_new(), *pm1 = BN_new(), *t = BN_new();
	const BIGNUM *p;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(dh_group_rfc3526(id, &g), 0);
	p = dh_group_p(g);
	ck_assert_int_eq(BN_num_bits(p), bits);
	ck_assert(BN_is_word(dh_group_g(g), 2));
	/* RFC 3526: the top and bottom 64 bits are all ones. */
	for (int i = 0; i < 64; i++) {
		ck_assert(BN_is_bit_set(p, i));
		ck_assert(BN_is_bit_set(p, bits - 1 - i));
	}
	ck_assert(BN_sub(pm1, p, BN_value_one()));
	ck_assert(BN_rshift1(q, pm1));
	ck_assert_int_eq(BN_check_prime(q, ctx, NULL), 1);
	/* Pocklington with a = 2 and the prime factor q of p-1. */
	ck_assert(BN_set_word(t, 2));
	ck_assert(BN_mod_exp(t, t, pm1, p, ctx));
	ck_assert(BN_is_one(t));
	ck_assert(BN_set_word(t, 3));
	ck_assert(BN_gcd(t, t, p, ctx));
	ck_assert(BN_is_one(t));
	/* And 2 generates the subgroup of prime order q. */
	ck_assert(BN_set_word(t, 2));
	ck_assert(BN_mod_exp(t, t, q, p, ctx));
	ck_assert(BN_is_one(t));
	BN_free(q);
	BN_free(pm1);
	BN_free(t);
	BN_CTX_free(ctx);
	dh_group_free(g);
}

START_TEST(test_group14_safe_prime)
{
	check_safe_prime(14, 2048);
}
END_TEST

START_TEST(test_group15_safe_prime)
{
	check_safe_prime(15, 3072);
}
END_TEST

START_TEST(test_group16_safe_prime)
{
	check_safe_prime(16, 4096);
}
END_TEST

START_TEST(test_group17_safe_prime)
{
	check_safe_prime(17, 6144);
}
END_TEST

START_TEST(test_group18_safe_prime)
{
	check_safe_prime(18, 8192);
}
END_TEST

/* The check itself: a one-bit change is caught. */
START_TEST(test_typo_is_caught)
{
	struct dh_group *g = NULL;
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *p = BN_new(), *q = BN_new();

	ck_assert_int_eq(dh_group_rfc3526(14, &g), 0);
	ck_assert(BN_copy(p, dh_group_p(g)) != NULL);
	if (BN_is_bit_set(p, 1000))
		ck_assert(BN_clear_bit(p, 1000));
	else
		ck_assert(BN_set_bit(p, 1000));
	ck_assert_int_ne(BN_cmp(p, dh_group_p(g)), 0);
	ck_assert(BN_rshift1(q, p));
	ck_assert(BN_check_prime(q, ctx, NULL) != 1 ||
	    BN_check_prime(p, ctx, NULL) != 1);
	BN_free(p);
	BN_free(q);
	BN_CTX_free(ctx);
	dh_group_free(g);
}
END_TEST

static Suite *
dh_groups_suite(void)
{
	Suite *s = suite_create("dh_groups");
	TCase *tc = tcase_create("safe_primes");

	tcase_add_test(tc, test_group14_safe_prime);
	tcase_add_test(tc, test_group15_safe_prime);
	tcase_add_test(tc, test_group16_safe_prime);
	tcase_add_test(tc, test_group17_safe_prime);
	tcase_add_test(tc, test_group18_safe_prime);
	tcase_add_test(tc, test_typo_is_caught);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dh_groups_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
