/* ipc_catalogue.c: the message table and the check every message passes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "protocol/ssherr.h"

/* Seen-bitmasks are one bit per type. */
_Static_assert(IPC_MSG_MAX <= 64, "ipc_state bitmasks hold 64 types");

/* The direction tokens of ipc_msgs.h. */
#define IPC_DIR_TO_MONITOR	IPC_TO_MONITOR
#define IPC_DIR_TO_MONITOR_LOG	IPC_TO_MONITOR
#define IPC_DIR_TO_CHILD	IPC_TO_CHILD

#define IPC_POLICY_ROW(name, codec, dir, phases, flags, cap, fn) \
	[IPC_MSG_##name] = { IPC_MSG_##name, #name, IPC_DIR_##dir, \
	    (phases), (flags), (cap) },
static const struct ipc_msgdef ipc_catalogue[IPC_MSG_MAX] = {
	IPC_MESSAGES(IPC_POLICY_ROW)
};
#undef IPC_POLICY_ROW

#define IPC_CAP_CHECK(name, codec, dir, phases, flags, cap, fn) \
	_Static_assert((cap) <= IPC_MAX_PAYLOAD, #name "'s cap fits a frame");
IPC_MESSAGES(IPC_CAP_CHECK)
#undef IPC_CAP_CHECK

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
	st->st_phase = IPC_PH_KEX;
	st->st_log_channel = log_channel != 0;
}

int
ipc_state_enter(struct ipc_state *st, unsigned int phase)
{
	if ((phase != IPC_PH_AUTH && phase != IPC_PH_SESSION) ||
	    phase <= st->st_phase)
		return SSH_ERR_STATE_VIOLATION;
	st->st_phase = phase;
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
	    (st->st_phase != IPC_PH_KEX && st->st_phase != IPC_PH_AUTH &&
	    st->st_phase != IPC_PH_SESSION))
		return SSH_ERR_STATE_VIOLATION;
	if (((md->md_flags & IPC_F_CARRIES_FD) != 0) != (has_fd != 0))
		return SSH_ERR_STATE_VIOLATION;
	if (len > md->md_max_len || len > IPC_MAX_PAYLOAD)
		return SSH_ERR_LIMIT_EXCEEDED;
	if ((md->md_flags & IPC_F_ONCE) != 0 && (st->st_seen & bit) != 0)
		return SSH_ERR_STATE_VIOLATION;
	st->st_seen |= bit;
	return 0;
}
