/*
 * pidfile.h: the daemon's pid file.  Returns 0 or a negative SSH_ERR_*
 * code; on SSH_ERR_SYSTEM_ERROR errno says why.  (Not libbsd's
 * pidfile_write/pidfile_remove, whose names <bsd/stdlib.h> takes.)
 */
#ifndef NANOSSH_PIDFILE_H
#define NANOSSH_PIDFILE_H

#include <sys/types.h>

/* Writes "pid\n" to path, created or truncated, mode 0644. */
int pidfile_save(const char *path, pid_t pid);
/* Removes path; a file that is already gone is not an error. */
int pidfile_unlink(const char *path);

#endif
