/*
 * usergroups.h: every group of a user, by name, for allow_groups,
 * deny_groups and match blocks.  A list cut short would let a deny_groups
 * entry or a match block on a later group be missed, so it is all of them
 * or an error.
 */
#ifndef NANOSSH_USERGROUPS_H
#define NANOSSH_USERGROUPS_H

#include <stddef.h>

struct passwd;

struct usergroups {
	char **names;
	size_t n;
};

/* Every group of pw by name, or an error (logged): refuse the login. */
int usergroups_load(const struct passwd *pw, struct usergroups *g);
void usergroups_free(struct usergroups *g);

#endif
