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
/*
 * The user's previous login from lastlog, as login(1) prints it:
 * "Last login: Wed Nov 25 13:38:00 2026 from 192.0.2.7" (local time).
 * Returns 1 with the text in buf, 0 when there is none or not root (the
 * records are only kept as root).  Call it before loginrec_login.
 */
int loginrec_last(uid_t uid, char *buf, size_t len);
/* The matching DEAD_PROCESS entries, at logout. */
void loginrec_logout(const char *tty, pid_t pid);

#endif
