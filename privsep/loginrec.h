/*
 * loginrec.h: login records of pty sessions, written by the monitor as
 * root: utmp (who(1)), wtmp (last(1)) and lastlog.  Without root they are
 * skipped: the files belong to root.
 */
#ifndef NANOSSH_LOGINREC_H
#define NANOSSH_LOGINREC_H

#include <sys/types.h>

/* A USER_PROCESS entry for tty ("/dev/pts/N") in utmp and wtmp, and the
 * user's lastlog slot.  Returns 1 if written, 0 if skipped (not root). */
int loginrec_login(const char *tty, const char *user, uid_t uid,
    const char *host, pid_t pid);
/* The matching DEAD_PROCESS entries, at logout. */
void loginrec_logout(const char *tty, pid_t pid);

#endif
