/* authkeys_local.h: what authkeys.c takes from authkeys_opts.c; not an API. */
#ifndef NANOSSH_AUTHKEYS_LOCAL_H
#define NANOSSH_AUTHKEYS_LOCAL_H

#include "auth/authkeys.h"

/* Parses options from *cpp up to the first space or tab outside quotes
 * (or the end), leaving *cpp there. */
int authkeys_parse_options(const char **cpp, struct authkeys_opts *o,
    const char **whyp);
/* Frees what o holds, leaving o itself. */
void authkeys_opts_clear(struct authkeys_opts *o);

#endif
