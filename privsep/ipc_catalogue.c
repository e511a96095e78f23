/* ipc_catalogue.c: the message table and the check every message passes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "protocol/ssherr.h"

/* Seen-bitmasks are one bit per type. */
_Static_assert(IPC_MSG_MAX <= 64, "ipc_state bitmasks hold 64 types");

/*
 * Sizes: the fields are documented in ipc_catalogue.h.  Signatures are at
 * most a few KiB (RSA 16384: 2 KiB plus the algorithm name); key blobs
 * and certificates stay well under 32 KiB.  Each cap leaves room, none
 * is more than the framing's IPC_MAX_PAYLOAD.
 */
static const struct ipc_msgdef ipc_catalogue[IPC_MSG_MAX] = {
	[IPC_MSG_CONFIG] = { IPC_MSG_CONFIG, "CONFIG",
	    IPC_TO_CHILD, IPC_PREAUTH, IPC_F_ONCE, 128 * 1024 },
	[IPC_MSG_LOG] = { IPC_MSG_LOG, "LOG",
	    IPC_TO_MONITOR, IPC_ANYPHASE, IPC_F_LOG_CHANNEL,
	    4 + 4 + IPC_LOG_TEXT_MAX },
	[IPC_MSG_SIGN] = { IPC_MSG_SIGN, "SIGN",
	    IPC_TO_MONITOR, IPC_ANYPHASE, IPC_F_ONCE_PREAUTH, 512 },
	[IPC_MSG_SIGN_REPLY] = { IPC_MSG_SIGN_REPLY, "SIGN_REPLY",
	    IPC_TO_CHILD, IPC_ANYPHASE, 0, 8 * 1024 },
	[IPC_MSG_HOSTKEYS_PROVE] = { IPC_MSG_HOSTKEYS_PROVE, "HOSTKEYS_PROVE",
	    IPC_TO_MONITOR, IPC_POSTAUTH, IPC_F_ONCE, 4 + 4 * 64 },
	[IPC_MSG_HOSTKEYS_PROVE_REPLY] = { IPC_MSG_HOSTKEYS_PROVE_REPLY,
	    "HOSTKEYS_PROVE_REPLY",
	    IPC_TO_CHILD, IPC_POSTAUTH, IPC_F_ONCE, 128 * 1024 },
	[IPC_MSG_AUTH_PUBKEY] = { IPC_MSG_AUTH_PUBKEY, "AUTH_PUBKEY",
	    IPC_TO_MONITOR, IPC_PREAUTH, IPC_F_AUTH_DECIDING, 64 * 1024 },
	[IPC_MSG_AUTH_REPLY] = { IPC_MSG_AUTH_REPLY,
	    "AUTH_REPLY",
	    IPC_TO_CHILD, IPC_PREAUTH, 0, 1024 },
	/* A command, and IPC_SPAWN_ENV_MAX variables of a few KiB. */
	[IPC_MSG_SPAWN_EXEC] = { IPC_MSG_SPAWN_EXEC, "SPAWN_EXEC",
	    IPC_TO_MONITOR, IPC_POSTAUTH, 0, 256 * 1024 },
	[IPC_MSG_SPAWN_RESULT] = { IPC_MSG_SPAWN_RESULT, "SPAWN_RESULT",
	    IPC_TO_CHILD, IPC_POSTAUTH, 0, 64 },
	[IPC_MSG_SPAWN_FD] = { IPC_MSG_SPAWN_FD, "SPAWN_FD",
	    IPC_TO_CHILD, IPC_POSTAUTH, IPC_F_CARRIES_FD, 64 },
	[IPC_MSG_CHILD_EXIT] = { IPC_MSG_CHILD_EXIT, "CHILD_EXIT",
	    IPC_TO_CHILD, IPC_POSTAUTH, 0, 128 },
	/* Passwords and answers: a few KiB is far beyond any real one. */
	[IPC_MSG_AUTH_PASSWORD] = { IPC_MSG_AUTH_PASSWORD, "AUTH_PASSWORD",
	    IPC_TO_MONITOR, IPC_PREAUTH, IPC_F_AUTH_DECIDING, 8 * 1024 },
	[IPC_MSG_AUTH_KBDINT] = { IPC_MSG_AUTH_KBDINT, "AUTH_KBDINT",
	    IPC_TO_MONITOR, IPC_PREAUTH, IPC_F_AUTH_DECIDING, 32 * 1024 },
	[IPC_MSG_KBDINT_PROMPTS] = { IPC_MSG_KBDINT_PROMPTS, "KBDINT_PROMPTS",
	    IPC_TO_CHILD, IPC_PREAUTH, 0, 32 * 1024 },
	[IPC_MSG_AUTH_PASSWORD_CHANGE] = { IPC_MSG_AUTH_PASSWORD_CHANGE,
	    "AUTH_PASSWORD_CHANGE", IPC_TO_MONITOR, IPC_PREAUTH,
	    IPC_F_AUTH_DECIDING, 16 * 1024 },
	[IPC_MSG_SESSION_CONFIG] = { IPC_MSG_SESSION_CONFIG, "SESSION_CONFIG",
	    IPC_TO_CHILD, IPC_POSTAUTH, IPC_F_ONCE, 16 * 1024 },
	/* TERM, four sizes and at most TTYMODES_MAX (160) modes of 8 bytes. */
	[IPC_MSG_PTY_REQ] = { IPC_MSG_PTY_REQ, "PTY_REQ",
	    IPC_TO_MONITOR, IPC_POSTAUTH, 0, 4 + 4 + 256 + 16 + 4 + 160 * 8 },
	[IPC_MSG_PTY_RESULT] = { IPC_MSG_PTY_RESULT, "PTY_RESULT",
	    IPC_TO_CHILD, IPC_POSTAUTH, 0, 8 },
	[IPC_MSG_SESSION_SIGNAL] = { IPC_MSG_SESSION_SIGNAL, "SESSION_SIGNAL",
	    IPC_TO_MONITOR, IPC_POSTAUTH, 0, 64 },
	[IPC_MSG_SESSION_BREAK] = { IPC_MSG_SESSION_BREAK, "SESSION_BREAK",
	    IPC_TO_MONITOR, IPC_POSTAUTH, 0, 8 },
	[IPC_MSG_SESSION_CLOSE] = { IPC_MSG_SESSION_CLOSE, "SESSION_CLOSE",
	    IPC_TO_MONITOR, IPC_POSTAUTH, 0, 4 },
	/* Port forwarding: names of at most 255 bytes (fwdmsg.h). */
	[IPC_MSG_FWD_OPEN] = { IPC_MSG_FWD_OPEN, "FWD_OPEN",
	    IPC_TO_MONITOR, IPC_POSTAUTH, 0, 1024 },
	[IPC_MSG_FWD_LISTEN] = { IPC_MSG_FWD_LISTEN, "FWD_LISTEN",
	    IPC_TO_MONITOR, IPC_POSTAUTH, 0, 512 },
	[IPC_MSG_FWD_SOCKET] = { IPC_MSG_FWD_SOCKET, "FWD_SOCKET",
	    IPC_TO_CHILD, IPC_POSTAUTH, IPC_F_CARRIES_FD, 64 },
	[IPC_MSG_FWD_REFUSED] = { IPC_MSG_FWD_REFUSED, "FWD_REFUSED",
	    IPC_TO_CHILD, IPC_POSTAUTH, 0, 512 },
};

const struct ipc_msgdef *
ipc_msgdef(uint32_t type)
{
	if (type == IPC_MSG_NONE || type >= IPC_MSG_MAX)
		return NULL;
	/* A hole in the table is an unknown type, not a zeroed row. */
	if (ipc_catalogue[type].md_name == NULL ||
	    ipc_catalogue[type].md_type != type)
		return NULL;
	return &ipc_catalogue[type];
}

const char *
ipc_msg_name(uint32_t type)
{
	const struct ipc_msgdef *md = ipc_msgdef(type);

	return md == NULL ? "unknown" : md->md_name;
}

void
ipc_state_init(struct ipc_state *st, int log_channel)
{
	memset(st, 0, sizeof(*st));
	st->st_phase = IPC_PREAUTH;
	st->st_log_channel = log_channel != 0;
}

int
ipc_state_postauth(struct ipc_state *st)
{
	if (st->st_phase != IPC_PREAUTH)
		return SSH_ERR_STATE_VIOLATION;
	st->st_phase = IPC_POSTAUTH;
	return 0;
}

int
ipc_check(struct ipc_state *st, int direction, uint32_t type, size_t len,
    int has_fd)
{
	const struct ipc_msgdef *md;
	uint64_t bit;
	int on_log;

	if ((md = ipc_msgdef(type)) == NULL)
		return SSH_ERR_STATE_VIOLATION;
	bit = (uint64_t)1 << type;
	on_log = (md->md_flags & IPC_F_LOG_CHANNEL) != 0;
	if (md->md_dir != direction || on_log != st->st_log_channel)
		return SSH_ERR_STATE_VIOLATION;
	if ((md->md_phases & st->st_phase) == 0 ||
	    (st->st_phase != IPC_PREAUTH && st->st_phase != IPC_POSTAUTH))
		return SSH_ERR_STATE_VIOLATION;
	if (((md->md_flags & IPC_F_CARRIES_FD) != 0) != (has_fd != 0))
		return SSH_ERR_STATE_VIOLATION;
	if (len > md->md_max_len || len > IPC_MAX_PAYLOAD)
		return SSH_ERR_LIMIT_EXCEEDED;
	if ((md->md_flags & IPC_F_ONCE) != 0 && (st->st_seen & bit) != 0)
		return SSH_ERR_STATE_VIOLATION;
	if ((md->md_flags & IPC_F_ONCE_PREAUTH) != 0 &&
	    st->st_phase == IPC_PREAUTH && (st->st_seen_preauth & bit) != 0)
		return SSH_ERR_STATE_VIOLATION;
	st->st_seen |= bit;
	if (st->st_phase == IPC_PREAUTH)
		st->st_seen_preauth |= bit;
	return 0;
}
