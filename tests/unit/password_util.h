/* password_util.h: helpers shared by the check_password* tests. */
#ifndef NANOSSH_PASSWORD_UTIL_H
#define NANOSSH_PASSWORD_UTIL_H

#include "auth/password.h"

/* A fresh crypt(3) hash of password with the method of prefix (NULL:
 * libxcrypt's default) at its default cost; static storage. */
const char *make_hash(const char *prefix, const char *password);

/* A wrong password for user; arg is the back end's. */
typedef enum pw_result (*check_fn)(const char *user, const void *arg);
/*
 * Asserts that a wrong password costs the same for the user known as for
 * the user unknown (see password_util.c for how it is measured).
 */
void timing_compare(check_fn fn, const void *arg, const char *known,
    const char *unknown);

#endif
