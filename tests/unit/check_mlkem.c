/*
 * check_mlkem.c: ML-KEM-768 (protocol/mlkem768.c) over every Wycheproof
 * ML-KEM-768 case: key generation from seeds, encapsulation with given m
 * (including encapsulation keys that fail the modulus check, and wrong
 * lengths), decapsulation of keys made from seeds (implicit rejection of
 * random and bit-flipped ciphertexts, wrong lengths) and of given expanded
 * decapsulation keys (the hash check).  "invalid" cases must be refused,
 * "valid" ones must give exactly the expected bytes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/mlkem768.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

/* Keys from the seed d || z as the vectors give it, refused unless it
 * is 64 bytes (the "Private key too short/long" cases). */
static int
keygen_from_seed(const uint8_t *seed, size_t len, uint8_t *ek, uint8_t *dk)
{
	if (len != 2 * MLKEM768_SEED_LEN)
		return SSH_ERR_INVALID_FORMAT;
	return mlkem768_keygen(seed, seed + MLKEM768_SEED_LEN, ek, dk);
}

static void
assert_bytes(const uint8_t *got, const char *hex, size_t len, long id)
{
	size_t wlen;
	uint8_t *want = tu_hex(hex, &wlen);

	ck_assert_msg(wlen == len && memcmp(got, want, len) == 0,
	    "tcId %ld: wrong output", id);
	free(want);
}

START_TEST(test_keygen)
{
	json_t *root = tu_wycheproof("mlkem_768_keygen_seed_test.json");
	const json_t *g, *tc;
	size_t gi, ti, n = 0;
	uint8_t ek[MLKEM768_EK_LEN], dk[MLKEM768_DK_LEN];

	json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
		ck_assert_str_eq(tu_str(g, "parameterSet"), "ML-KEM-768");
		json_array_foreach(json_object_get(g, "tests"), ti, tc) {
			long id = (long)json_integer_value(
			    json_object_get(tc, "tcId"));
			size_t len;
			uint8_t *seed = tu_hex(tu_str(tc, "seed"), &len);

			ck_assert_int_eq(tu_expect(tc), 1);
			ck_assert_int_eq(keygen_from_seed(seed, len, ek, dk),
			    0);
			assert_bytes(ek, tu_str(tc, "ek"), sizeof(ek), id);
			assert_bytes(dk, tu_str(tc, "dk"), sizeof(dk), id);
			free(seed);
			n++;
		}
	}
	ck_assert_uint_eq(n, 100);
	json_decref(root);
}
END_TEST

START_TEST(test_encaps)
{
	json_t *root = tu_wycheproof("mlkem_768_encaps_test.json");
	const json_t *g, *tc;
	size_t gi, ti, n = 0, refused = 0;
	uint8_t ct[MLKEM768_CT_LEN], ss[MLKEM768_SS_LEN];

	json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
		json_array_foreach(json_object_get(g, "tests"), ti, tc) {
			long id = (long)json_integer_value(
			    json_object_get(tc, "tcId"));
			size_t eklen, mlen;
			uint8_t *ek = tu_hex(tu_str(tc, "ek"), &eklen);
			uint8_t *m = tu_hex(tu_str(tc, "m"), &mlen);
			int r, check;

			ck_assert_uint_eq(mlen, MLKEM768_SEED_LEN);
			r = mlkem768_encaps(ek, eklen, m, ct, ss);
			check = mlkem768_check_ek(ek, eklen);
			ck_assert_msg(r == check, "tcId %ld: check %d, "
			    "encaps %d", id, check, r);
			if (tu_expect(tc) == 1) {
				ck_assert_msg(r == 0, "tcId %ld: refused", id);
				assert_bytes(ct, tu_str(tc, "c"), sizeof(ct),
				    id);
				assert_bytes(ss, tu_str(tc, "K"), sizeof(ss),
				    id);
			} else {
				ck_assert_msg(r == SSH_ERR_INVALID_FORMAT,
				    "tcId %ld: accepted (%d)", id, r);
				refused++;
			}
			free(ek);
			free(m);
			n++;
		}
	}
	ck_assert_uint_eq(n, 265);
	ck_assert_uint_eq(refused, 132);
	json_decref(root);
}
END_TEST

START_TEST(test_decaps_seed)
{
	json_t *root = tu_wycheproof("mlkem_768_test.json");
	const json_t *g, *tc;
	size_t gi, ti, n = 0, refused = 0;
	uint8_t ek[MLKEM768_EK_LEN], dk[MLKEM768_DK_LEN];
	uint8_t ss[MLKEM768_SS_LEN];

	json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
		json_array_foreach(json_object_get(g, "tests"), ti, tc) {
			long id = (long)json_integer_value(
			    json_object_get(tc, "tcId"));
			size_t slen, clen;
			uint8_t *seed = tu_hex(tu_str(tc, "seed"), &slen);
			uint8_t *c = tu_hex(tu_str(tc, "c"), &clen);
			int r;

			r = keygen_from_seed(seed, slen, ek, dk);
			if (r == 0) {
				assert_bytes(ek, tu_str(tc, "ek"), sizeof(ek),
				    id);
				r = mlkem768_decaps(dk, sizeof(dk), c, clen,
				    ss);
			}
			if (tu_expect(tc) == 1) {
				ck_assert_msg(r == 0, "tcId %ld: refused", id);
				assert_bytes(ss, tu_str(tc, "K"), sizeof(ss),
				    id);
			} else {
				ck_assert_msg(r == SSH_ERR_INVALID_FORMAT,
				    "tcId %ld: accepted (%d)", id, r);
				refused++;
			}
			free(seed);
			free(c);
			n++;
		}
	}
	ck_assert_uint_eq(n, 193);
	ck_assert_uint_eq(refused, 40);
	json_decref(root);
}
END_TEST

START_TEST(test_decaps_expanded)
{
	json_t *root = tu_wycheproof(
	    "mlkem_768_semi_expanded_decaps_test.json");
	const json_t *g, *tc;
	size_t gi, ti, n = 0, refused = 0;
	uint8_t ss[MLKEM768_SS_LEN];

	json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
		json_array_foreach(json_object_get(g, "tests"), ti, tc) {
			long id = (long)json_integer_value(
			    json_object_get(tc, "tcId"));
			size_t dklen, clen;
			uint8_t *dk = tu_hex(tu_str(tc, "dk"), &dklen);
			uint8_t *c = tu_hex(tu_str(tc, "c"), &clen);
			int r = mlkem768_decaps(dk, dklen, c, clen, ss);

			if (tu_expect(tc) == 1) {
				ck_assert_msg(r == 0, "tcId %ld: refused", id);
				assert_bytes(ss, tu_str(tc, "K"), sizeof(ss),
				    id);
			} else {
				ck_assert_msg(r == SSH_ERR_INVALID_FORMAT,
				    "tcId %ld: accepted (%d)", id, r);
				refused++;
			}
			free(dk);
			free(c);
			n++;
		}
	}
	ck_assert_uint_eq(n, 9);
	ck_assert_uint_eq(refused, 6);
	json_decref(root);
}
END_TEST

/* A round trip with fresh seeds, and a ciphertext changed in its last
 * byte (the v part) decapsulating to the rejection key, not to K. */
START_TEST(test_round_trip)
{
	uint8_t d[32], z[32], m[32], ek[MLKEM768_EK_LEN], dk[MLKEM768_DK_LEN];
	uint8_t ct[MLKEM768_CT_LEN], k1[32], k2[32], k3[32];
	size_t i;

	for (i = 0; i < 32; i++) {
		d[i] = (uint8_t)i;
		z[i] = (uint8_t)(0x80 + i);
		m[i] = (uint8_t)(0x40 ^ i);
	}
	ck_assert_int_eq(mlkem768_keygen(d, z, ek, dk), 0);
	ck_assert_int_eq(mlkem768_encaps(ek, sizeof(ek), m, ct, k1), 0);
	ck_assert_int_eq(mlkem768_decaps(dk, sizeof(dk), ct, sizeof(ct), k2),
	    0);
	ck_assert_mem_eq(k1, k2, 32);
	ct[sizeof(ct) - 1] ^= 1;
	ck_assert_int_eq(mlkem768_decaps(dk, sizeof(dk), ct, sizeof(ct), k3),
	    0);
	ck_assert_int_ne(memcmp(k1, k3, 32), 0);
	/* Bad arguments. */
	ck_assert_int_eq(mlkem768_check_ek(NULL, 0), SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(mlkem768_encaps(ek, sizeof(ek) - 1, m, ct, k1),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(mlkem768_decaps(dk, sizeof(dk), ct, 0, k1),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(mlkem768_keygen(NULL, z, ek, dk),
	    SSH_ERR_INVALID_ARGUMENT);
}
END_TEST

static Suite *
mlkem_suite(void)
{
	Suite *s = suite_create("mlkem768");
	const struct {
		const char *name;
		const TTest *fn;
	} cases[] = {
		{ "wycheproof_keygen_seed", test_keygen },
		{ "wycheproof_encaps", test_encaps },
		{ "wycheproof_decaps_seed", test_decaps_seed },
		{ "wycheproof_decaps_expanded", test_decaps_expanded },
		{ "round_trip", test_round_trip },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_set_timeout(tc, 120);
		tcase_add_test(tc, cases[i].fn);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	return tu_run(mlkem_suite());
}
