/* password_util.c: helpers shared by the check_password* tests. */
#include <check.h>
#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <bsd/string.h>

#include "tests/unit/password_util.h"

#define TIMING_ROUNDS	30
#define TIMING_TRIES	3
#define TIMING_TOLERANCE 0.10

const char *
make_hash(const char *prefix, const char *password)
{
	static char out[CRYPT_OUTPUT_SIZE];
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	const char *h;

	ck_assert_ptr_nonnull(cd = calloc(1, sizeof(*cd)));
	ck_assert_ptr_nonnull(crypt_gensalt_rn(prefix, 0, NULL, 0, setting,
	    sizeof(setting)));
	h = crypt_rn(password, setting, cd, sizeof(*cd));
	ck_assert_ptr_nonnull(h);
	ck_assert_msg(h[0] == '$', "crypt failed for %s", setting);
	strlcpy(out, h, sizeof(out));
	free(cd);
	return out;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Times a wrong password for known and for unknown back to back (which
 * goes first alternates), TIMING_ROUNDS pairs, and compares the median of
 * the per-pair ratios with 1: both halves of a pair see the same machine
 * load, so other processes' noise mostly cancels.  A few tries, since a
 * burst of load can still spoil one; a path that skips the hashing is far
 * outside the tolerance every time.
 */
void
timing_compare(check_fn fn, const void *arg, const char *known,
    const char *unknown)
{
	double tk[TIMING_ROUNDS], tu[TIMING_ROUNDS], ratio[TIMING_ROUNDS];
	double t0, dev = 1;
	int i, j, try;

	for (try = 0; try < TIMING_TRIES; try++) {
		for (i = 0; i < TIMING_ROUNDS; i++) {
			for (j = 0; j < 2; j++) {
				int first = (i + j) % 2;

				t0 = now_ms();
				ck_assert_int_eq(fn(first ? known : unknown,
				    arg), PW_FAIL);
				(first ? tk : tu)[i] = now_ms() - t0;
			}
			ratio[i] = tu[i] / (tk[i] > 0 ? tk[i] : 1e-9);
		}
		qsort(tk, TIMING_ROUNDS, sizeof(tk[0]), cmp_double);
		qsort(tu, TIMING_ROUNDS, sizeof(tu[0]), cmp_double);
		qsort(ratio, TIMING_ROUNDS, sizeof(ratio[0]), cmp_double);
		dev = ratio[TIMING_ROUNDS / 2] - 1;
		dev = dev < 0 ? -dev : dev;
		fprintf(stderr, "timing: median known %.3f ms, unknown %.3f ms, "
		    "median ratio %.3f\n", tk[TIMING_ROUNDS / 2],
		    tu[TIMING_ROUNDS / 2], ratio[TIMING_ROUNDS / 2]);
		if (dev <= TIMING_TOLERANCE)
			break;
	}
	ck_assert_msg(dev <= TIMING_TOLERANCE, "unknown user vs wrong "
	    "password: median time ratio %.3f", ratio[TIMING_ROUNDS / 2]);
}
