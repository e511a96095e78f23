/* secrets.c: wiping the monitor's private keys in its forks (secrets.h). */
#include <stddef.h>

#include "common/secrets.h"
#include "protocol/key.h"

static struct sshkey **held[SECRETS_NSETS];
static size_t nheld[SECRETS_NSETS];

void
secrets_hold_keys(enum secrets_set set, struct sshkey **keys, size_t n)
{
	if (set >= SECRETS_NSETS)
		return;
	held[set] = keys;
	nheld[set] = keys != NULL ? n : 0;
}

void
secrets_forget(void)
{
	size_t s, i;

	for (s = 0; s < SECRETS_NSETS; s++) {
		for (i = 0; i < nheld[s]; i++) {
			key_free(held[s][i]);
			held[s][i] = NULL;
		}
		held[s] = NULL;
		nheld[s] = 0;
	}
}
