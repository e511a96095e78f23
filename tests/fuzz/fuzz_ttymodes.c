/*
 * fuzz_ttymodes.c: libFuzzer target for the encoded terminal modes of
 * pty-req (protocol/ttymodes.c).  Invariants: at most max entries, no
 * opcode twice, every opcode in 1..159; a success on a prefix-closed
 * input never reports more entries than bytes allow.
 */
#include <stdint.h>
#include <stdlib.h>

#include "protocol/ssherr.h"
#include "protocol/ttymodes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ttymode m[TTYMODES_MAX];
	size_t n = 0, i, j, max;

	for (max = 0; max <= TTYMODES_MAX; max += TTYMODES_MAX / 2) {
		if (ttymodes_parse(data, size, m, max, &n) != 0) {
			if (n != 0)
				abort();
			continue;
		}
		if (n > max || n * 5 > size)
			abort();
		for (i = 0; i < n; i++) {
			if (m[i].opcode == TTY_OP_END ||
			    m[i].opcode > TTY_OP_ARG_MAX)
				abort();
			for (j = 0; j < i; j++)
				if (m[j].opcode == m[i].opcode)
					abort();
		}
	}
	return 0;
}
