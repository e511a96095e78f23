/* names.h: NULL-terminated tables of names for small enums, shared by the
 * configuration (its enum settings) and logging (levels, facilities). */
#ifndef NANOSSH_NAMES_H
#define NANOSSH_NAMES_H

struct name_value {
	const char *name;
	int value;
};

/* Finds s in t (compared exactly, or ignoring case when nocase) and stores
 * its value in *vp; 0, or SSH_ERR_INVALID_ARGUMENT with *vp untouched. */
int name_lookup(const struct name_value *t, const char *s, int nocase,
    int *vp);
/* The first name of value v in t, or NULL. */
const char *name_of(const struct name_value *t, int v);

#endif
