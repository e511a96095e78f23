/*
 * userproc.h: processes that run with a user's credentials, forked by
 * the monitor: the user's commands, and short-lived helpers that read the
 * user's files.
 */
#ifndef NANOSSH_USERPROC_H
#define NANOSSH_USERPROC_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct passwd;

/* What a command's environment says about the connection. */
struct userproc_conn {
	const char *client_addr;
	unsigned int client_port;
	const char *server_addr;
	unsigned int server_port;
	const char *original_command;	/* SSH_ORIGINAL_COMMAND, or NULL */
};

/*
 * In a freshly forked child: wipes the host keys (secrets_forget: every
 * user-side helper and command starts here), drops every fd but 0-2,
 * makes the process
 * undumpable (so other processes of the same user cannot attach to it
 * while it still holds anything of the monitor's), restores the default
 * signal mask and dispositions.
 */
int userproc_isolate(void);
/* Takes the user's identity: as root initgroups/setgid/setuid, verified;
 * otherwise the user must be the one running us. */
int userproc_become(const struct passwd *pw);
struct pty;

/* What to start: the command, and what the client and PAM add. */
struct userproc_session {
	const char *command;		/* "" for a login shell ("-sh") */
	/* A program of ours (the SFTP server, legacy SCP), run directly
	 * rather than through the user's shell, which may be nologin for
	 * a file-transfer-only account; NULL for command. */
	char *const *argv;
	/* Keep the monitor's stderr as the program's (its log, when the
	 * daemon logs to stderr) instead of a pipe to the channel. */
	int keep_stderr;
	char *const *env;		/* "NAME=value" to add, NULL-ended, or NULL */
	struct pty *pty;		/* its terminal, or NULL for pipes */
	const char *term;		/* TERM (with a pty), or NULL */
};

/*
 * Starts s->command as the user, in a new session, with the login
 * environment (HOME, USER, LOGNAME, SHELL, PATH, MAIL, SSH_CONNECTION,
 * SSH_CLIENT; TERM and SSH_TTY with a pty; then s->env) and the home
 * directory as cwd.  Returns its pid; without a pty also the parent's
 * ends of its stdin, stdout and stderr (close-on-exec), with a pty the
 * three are -1 and the slave is the process's controlling terminal (the
 * caller keeps the master and may close the slave).
 */
int userproc_spawn(const struct passwd *pw, const struct userproc_session *s,
    const struct userproc_conn *conn, pid_t *pidp, int fds[3]);

int userproc_write_all(int fd, const void *p, size_t len);
/* Reads fd to its end into a new buffer, at most max bytes. */
int userproc_read_all(int fd, size_t max, struct buf **bp);
/* The same, but only until deadline (monotime_ms(); 0: none), then
 * SSH_ERR_CONN_TIMEOUT: a helper running as the user can be stopped or
 * hang (SIGSTOP from the user's other processes, a file on a network or
 * FUSE file system), and the monitor must not wait for it. */
int userproc_read_until(int fd, size_t max, uint64_t deadline,
    struct buf **bp);
/* Kills pid with SIGKILL and reaps it, waiting at most a second for
 * it to go. */
void userproc_kill(pid_t pid);
/* Sends sig to process group pgid with the user's identity (a short
 * fork that takes the user's uid and gid first when we are root), so that
 * it reaches only what the user could signal: a setuid program started in
 * the session is out of reach, as it would be for the user.  Does not
 * wait; the reaper collects the fork. */
int userproc_signal(const struct passwd *pw, pid_t pgid, int sig);
/* Waits for pid; 0 if it exited with status 0. */
int userproc_wait(pid_t pid);

#endif
