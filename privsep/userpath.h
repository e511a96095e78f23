/* userpath.h: a path pattern of the configuration, for one user. */
#ifndef NANOSSH_USERPATH_H
#define NANOSSH_USERPATH_H

#include <stddef.h>

struct passwd;

/*
 * Expands %h (home directory), %u (user name) and %% in pattern into out;
 * a relative result is taken from the home directory.  Any other % is
 * SSH_ERR_INVALID_FORMAT, a result that does not fit
 * SSH_ERR_NO_BUFFER_SPACE.
 */
int userpath_expand(const char *pattern, const struct passwd *pw, char *out,
    size_t outsize);

#endif
