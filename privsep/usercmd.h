/* usercmd.h: running a keys or principals command for the monitor. */
#ifndef NANOSSH_USERCMD_H
#define NANOSSH_USERCMD_H

#include <stdint.h>

struct buf;
struct passwd;

/*
 * Runs cmd (an absolute program and arguments split at spaces and tabs;
 * %u and %h of pw, %t, %f and %k of the public key blob, %% expanded; the
 * user name as the only argument when there is none) as cmduser, at most
 * 10 seconds and at most until login_deadline (monotime_ms(); 0: none).
 * Returns 0 with its output (a string without NUL bytes) in *textp and
 * the program's path in *progp, both for the caller to free;
 * SSH_ERR_KEY_NOT_FOUND when it was not run, failed, printed too much or
 * NUL bytes, or did not finish in time (all logged with setting, the
 * setting's name); or another error.
 */
int usercmd_run(const char *setting, const struct passwd *pw, const char *cmd,
    const char *cmduser, const struct buf *blob, uint64_t login_deadline,
    char **textp, char **progp);

#endif
