/*
 * pty.h: pseudo-terminals for sessions, allocated by the monitor
 * (pty-req, RFC 4254 6.2): openpty, the slave's owner/group/mode as
 * OpenSSH sets them, terminal modes and window size, and the user
 * process's side (a new session with the slave as controlling tty).
 */
#ifndef NANOSSH_PTY_H
#define NANOSSH_PTY_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct passwd;
struct ttymode;

struct pty {
	int master;		/* -1 when none */
	int slave;		/* kept until the session's process has it */
	char name[64];		/* "/dev/pts/N" */
};

struct pty_size {
	uint32_t cols, rows, width_px, height_px;
};

/*
 * Opens a pty: the modes (ttymodes.h, parsed) applied to the slave,
 * unknown opcodes skipped; the window size set.  As root the slave
 * becomes the user's, group "tty" (or the user's group without one),
 * mode 0620; otherwise it stays as the system made it (the invoking
 * user's already).  Both fds close-on-exec.  0 or SSH_ERR_SYSTEM_ERROR.
 */
int pty_open(const struct passwd *pw, const struct ttymode *modes,
    size_t nmodes, const struct pty_size *size, struct pty *p);
/* Closes what is open; as root first gives the slave back to root
 * (0666), by name, as it may be closed already. */
void pty_close(struct pty *p);
/* TIOCSWINSZ on fd (either side). */
int pty_set_size(int fd, const struct pty_size *size);
/*
 * In a freshly forked user process: new session, the slave as its
 * controlling terminal, and as stdin, stdout and stderr.  The master is
 * closed.  0 or SSH_ERR_SYSTEM_ERROR (the caller _exits).
 */
int pty_make_controlling(struct pty *p);
/* The termios flag or character an opcode sets, for the unit test:
 * 1 if the opcode is applied on this system, else 0. */
int pty_mode_known(uint8_t opcode);

#endif
