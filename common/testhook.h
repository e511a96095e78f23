/*
 * testhook.h: environment variables that only the tests set, to run the
 * built programs before they are installed (NANOSSHD_SESSION,
 * NANOSSH_SFTP_SERVER, NANOSSH_SCP, NANOSSHD_PAM_SERVICE).
 *
 * They pick which program runs as root or which PAM service decides a
 * login, so a daemon running as root ignores them unless the build was
 * configured with --enable-test-hooks (scripts/check's builds are): an
 * environment inherited by accident (sudo, a service manager, a login
 * shell's profile) cannot redirect an installed daemon.  Unprivileged,
 * they are honoured: such a daemon serves only its own user anyway.
 */
#ifndef NANOSSH_TESTHOOK_H
#define NANOSSH_TESTHOOK_H

/* getenv(name), or NULL when running as root (real or effective uid 0)
 * in a build without test hooks; an ignored variable is logged. */
const char *testhook_getenv(const char *name);

#endif
