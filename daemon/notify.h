/*
 * notify.h: systemd's service notification protocol (sd_notify(3), the
 * part Type=notify uses) without libsystemd: one datagram of "KEY=value"
 * lines to the AF_UNIX socket named by $NOTIFY_SOCKET ("@name" for the
 * abstract namespace).  Started without that variable, every call does
 * nothing, so the daemon behaves the same outside systemd.
 */
#ifndef NANOSSH_NOTIFY_H
#define NANOSSH_NOTIFY_H

/*
 * Takes $NOTIFY_SOCKET out of the environment (sessions spawned with it
 * must not be able to speak for the daemon) and remembers it.  Call once,
 * first thing.
 */
void notify_init(void);
/* 1 if there is somewhere to send to. */
int notify_enabled(void);
/*
 * Sends one message such as "READY=1" or "STATUS=...".  Failures are
 * logged at debug and otherwise ignored: systemd going away must not take
 * the daemon with it.
 */
void notify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "RELOADING=1" with the MONOTONIC_USEC systemd pairs it with. */
void notify_reloading(void);
/*
 * Puts $NOTIFY_SOCKET back for a re-exec of the daemon (the same PID, so
 * the same service); 0 or -1 with errno set.
 */
int notify_restore_env(void);

#endif
