/*
 * cfgsum.h: the SHA-256 of the config file's bytes.  nanosshd passes it to
 * each nanosshd-session, which reloads the file and refuses to run if the
 * file changed since the listener loaded it (the listener only picks up a
 * change on SIGHUP).  Only the main file is covered, not @include'd ones.
 */
#ifndef NANOSSH_CFGSUM_H
#define NANOSSH_CFGSUM_H

/* 64 hex digits and a NUL. */
#define CFGSUM_HEX_LEN	65

/* Returns 0 or an SSH_ERR_* code (SSH_ERR_SYSTEM_ERROR: see errno). */
int cfgsum_file(const char *path, char hex[CFGSUM_HEX_LEN]);

#endif
