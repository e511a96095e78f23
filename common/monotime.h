/* monotime.h: milliseconds of the monotonic clock, for deadlines in the
 * event loops (never the wall clock, which can jump). */
#ifndef NANOSSH_MONOTIME_H
#define NANOSSH_MONOTIME_H

#include <stdint.h>
#include <time.h>

static inline uint64_t
monotime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif
