/*
 * dumpconn.h: nanosshd -T -C: the effective settings of one connection,
 * after match blocks, as sshd -T -C prints them.  The spec is
 * "user=NAME,addr=ADDRESS" (either may be left out): the user's groups
 * are looked up as a login would; without a user the settings are those
 * before authentication.  sshd's host, laddr and lport are refused with a
 * reason, since no match criterion of nanosshd uses them.
 */
#ifndef NANOSSH_DUMPCONN_H
#define NANOSSH_DUMPCONN_H

#include <stddef.h>
#include <stdio.h>

struct cfg;

/* 0, or -1 with err (errsize bytes) holding one line. */
int dumpconn(const struct cfg *cfg, const char *spec, FILE *out, char *err,
    size_t errsize);

#endif
