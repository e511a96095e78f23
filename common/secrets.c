/* secrets.c: wiping the monitor's host keys in its forks (secrets.h). */
#include <stddef.h>

#include "common/secrets.h"
#include "protocol/key.h"

static struct sshkey **held;
static size_t nheld;

void
secrets_hold_keys(struct sshkey **keys, size_t n)
{
	held = keys;
	nheld = keys != NULL ? n : 0;
}

void
secrets_forget(void)
{
	size_t i;

	for (i = 0; i < nheld; i++) {
		key_free(held[i]);
		held[i] = NULL;
	}
	held = NULL;
	nheld = 0;
}
