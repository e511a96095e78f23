/*
 * ipc_catalogue.h: the monitor <-> protocol child messages, their policy,
 * and the check every message passes.
 *
 * The messages are the rows of ipc_msgs.h; their payloads are the structs
 * of ipc_codec.h, each encoded and decoded by its typed pair there and
 * nowhere else.  The receiver runs ipc_check() on every message before
 * decoding it; any failure ends the connection.  "m->c" is monitor to
 * child, "c->m" child to monitor.
 *
 * A connection goes through three phases, each side switching on its own
 * evidence and never back:
 *	IPC_PH_KEX	until the initial key exchange is signed (the
 *			monitor: it signed; the child: it got the signature)
 *	IPC_PH_AUTH	authentication requests and their answers
 *	IPC_PH_SESSION	after a successful authentication
 */
#ifndef NANOSSH_IPC_CATALOGUE_H
#define NANOSSH_IPC_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

#include "privsep/ipc_msgs.h"

#define IPC_ENUM_ROW(name, codec, dir, phases, flags, cap, fn) \
	IPC_MSG_##name,
enum ipc_msg_type {
	IPC_MSG_NONE = 0,		/* never valid */
	IPC_MESSAGES(IPC_ENUM_ROW)
	IPC_MSG_MAX			/* one past the last; keep it last */
};
#undef IPC_ENUM_ROW

/* Direction */
#define IPC_TO_MONITOR		1
#define IPC_TO_CHILD		2

/* Phases (bitmask) */
#define IPC_PH_KEX		0x01
#define IPC_PH_AUTH		0x02
#define IPC_PH_SESSION		0x04
#define IPC_PREAUTH		(IPC_PH_KEX | IPC_PH_AUTH)
#define IPC_POSTAUTH		IPC_PH_SESSION
#define IPC_ANYPHASE		(IPC_PREAUTH | IPC_POSTAUTH)

/* Flags (bitmask) */
#define IPC_F_ONCE		0x01	/* at most once per connection */
#define IPC_F_CARRIES_FD	0x04	/* must carry exactly one fd */
#define IPC_F_AUTH_DECIDING	0x08	/* its handler may authenticate the user */
#define IPC_F_LOG_CHANNEL	0x10	/* only on the log socketpair */

/* Field values */
#define IPC_LOG_TEXT_MAX	2048
#define IPC_AUTH_PK_OK		0
#define IPC_AUTH_SUCCESS	1
#define IPC_AUTH_FAILURE	2
#define IPC_AUTH_PARTIAL	3	/* this method passed; more are needed */
#define IPC_AUTH_CHANGEREQ	4	/* expired: SSH_MSG_USERAUTH_PASSWD_CHANGEREQ */
#define IPC_EXIT_STATUS		0
#define IPC_EXIT_SIGNAL		1
#define IPC_SPAWN_STDIN		0
#define IPC_SPAWN_STDOUT	1
#define IPC_SPAWN_STDERR	2
#define IPC_SPAWN_PTY		3
#define IPC_SPAWN_SHELL		0
#define IPC_SPAWN_EXEC		1
#define IPC_SPAWN_SUBSYSTEM	2
#define IPC_SPAWN_ENV_MAX	64	/* env requests kept per channel */
#define IPC_FWD_TCP		0
#define IPC_FWD_UNIX		1

struct ipc_msgdef {
	uint32_t	 md_type;
	const char	*md_name;
	int		 md_dir;	/* IPC_TO_MONITOR or IPC_TO_CHILD */
	unsigned int	 md_phases;	/* IPC_PH_* */
	unsigned int	 md_flags;	/* IPC_F_* */
	size_t		 md_max_len;	/* largest payload, bytes */
};

/*
 * What one end of one channel has seen so far.  The monitor keeps one for
 * the IPC channel and one for the log channel; the child may keep its own
 * to check the monitor's messages too.
 */
struct ipc_state {
	unsigned int	st_phase;	/* one IPC_PH_* */
	int		st_log_channel;	/* 1 on the log socketpair */
	uint64_t	st_seen;	/* bit per type received so far */
};

/* The row for type, or NULL for an unknown type. */
const struct ipc_msgdef *ipc_msgdef(uint32_t type);
/* The name of type ("CONFIG"), or "unknown"; never NULL. */
const char *ipc_msg_name(uint32_t type);

/* A fresh state in IPC_PH_KEX, for the IPC channel (log_channel 0) or
 * the log channel (1). */
void ipc_state_init(struct ipc_state *st, int log_channel);
/* Moves to a later phase (one IPC_PH_* after the current one); there is
 * no way back (SSH_ERR_STATE_VIOLATION otherwise, the phase unchanged). */
int ipc_state_enter(struct ipc_state *st, unsigned int phase);

/*
 * Checks a received message against the catalogue: direction is where it
 * travels (IPC_TO_MONITOR when the monitor received it), len its payload
 * length, has_fd whether an fd came with it.  Returns 0 and records the
 * message (for IPC_F_ONCE), or without recording anything:
 *	SSH_ERR_STATE_VIOLATION	unknown type, wrong direction, wrong
 *				channel, wrong phase, an fd missing or
 *				unexpected, a repeated once-only message
 *	SSH_ERR_LIMIT_EXCEEDED	len over the type's maximum
 * (Not const, unlike a pure lookup: it remembers once-only messages, so
 * that one call per message cannot be split into a check and a forgotten
 * record.)
 */
int ipc_check(struct ipc_state *st, int direction, uint32_t type,
    size_t len, int has_fd);

#endif
