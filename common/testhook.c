/* testhook.c: test-only environment variables, refused as root unless
 * built with --enable-test-hooks (testhook.h). */
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "common/testhook.h"

const char *
testhook_getenv(const char *name)
{
	const char *v = getenv(name);

#ifndef NANOSSH_TEST_HOOKS
	if (v != NULL && (getuid() == 0 || geteuid() == 0)) {
		log_info("ignoring %s in the environment: a test hook, and "
		    "this build has none (configure --enable-test-hooks)",
		    name);
		return NULL;
	}
#endif
	return v;
}
