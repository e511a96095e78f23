/* tokens.h: a token bucket, for the rates the monitor allows the protocol
 * child (log lines, say): a burst, then so many per second. */
#ifndef NANOSSH_TOKENS_H
#define NANOSSH_TOKENS_H

#include <stdint.h>

struct tokens {
	double		have;
	double		burst;
	double		per_sec;
	uint64_t	at;		/* monotime_ms of the last refill */
};

static inline void
tokens_init(struct tokens *t, double burst, double per_sec, uint64_t now)
{
	t->have = t->burst = burst;
	t->per_sec = per_sec;
	t->at = now;
}

/* 1: one token taken at now; 0: the bucket is empty. */
static inline int
tokens_take(struct tokens *t, uint64_t now)
{
	if (now > t->at) {
		t->have += (double)(now - t->at) * t->per_sec / 1000.0;
		if (t->have > t->burst)
			t->have = t->burst;
		t->at = now;
	}
	if (t->have < 1.0)
		return 0;
	t->have -= 1.0;
	return 1;
}

#endif
