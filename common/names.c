/* names.c: name tables for enums (names.h). */
#include <string.h>
#include <strings.h>

#include "common/names.h"
#include "protocol/ssherr.h"

int
name_lookup(const struct name_value *t, const char *s, int nocase, int *vp)
{
	size_t i;

	for (i = 0; t[i].name != NULL; i++) {
		if ((nocase ? strcasecmp(t[i].name, s) : strcmp(t[i].name, s))
		    == 0) {
			*vp = t[i].value;
			return 0;
		}
	}
	return SSH_ERR_INVALID_ARGUMENT;
}

const char *
name_of(const struct name_value *t, int v)
{
	size_t i;

	for (i = 0; t[i].name != NULL; i++) {
		if (t[i].value == v)
			return t[i].name;
	}
	return NULL;
}
