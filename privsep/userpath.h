/* userpath.h: a path pattern of the configuration, for one user. */
#ifndef NANOSSH_USERPATH_H
#define NANOSSH_USERPATH_H

#include <stddef.h>

struct passwd;
struct stat;

/*
 * Expands %h (home directory), %u (user name) and %% in pattern into out;
 * a relative result is taken from the home directory.  Any other % is
 * SSH_ERR_INVALID_FORMAT, a result that does not fit
 * SSH_ERR_NO_BUFFER_SPACE.
 */
int userpath_expand(const char *pattern, const struct passwd *pw, char *out,
    size_t outsize);

/*
 * OpenSSH's StrictModes for path (st: its stat): the file and every
 * directory above it, up to pw's home directory (or / for files
 * elsewhere), owned by root or pw and writable by nobody else (or, for a
 * directory, root's and sticky).  Returns NULL or a static reason.
 */
const char *userpath_strict_modes(const char *path, const struct stat *st,
    const struct passwd *pw);

#endif
