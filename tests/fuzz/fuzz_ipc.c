/*
 * fuzz_ipc.c: libFuzzer target for the monitor's receiving side: bytes
 * from a hostile protocol child through the IPC framing (ipc_read,
 * ipc_next), the catalogue check and, for log lines, logch_parse.
 *
 * Input: one byte of setup (bit 0: post-auth, bit 1: the log channel,
 * bit 2: check as monitor-to-child), then the bytes the peer writes
 * before it closes.  Aborts on a broken invariant.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/log_channel.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stays below a socketpair's buffer, so one write takes it all. */
#define FUZZ_IPC_MAX_INPUT	(64 * 1024)

static char text[LOGCH_ESCAPED_MAX];

static void
fuzz_message(struct ipc_state *st, int dir, uint32_t type, struct buf *payload,
    int fd)
{
	void *msg;
	size_t i;
	int level;

	if (payload == NULL || buf_len(payload) > IPC_MAX_PAYLOAD)
		abort();
	if (ipc_check(st, dir, type, buf_len(payload), fd != -1) != 0)
		return;
	if (type != IPC_MSG_LOG) {
		/* Every message's decoder sees what a hostile peer sends. */
		if ((msg = calloc(1, ipc_msg_size(type))) == NULL)
			abort();
		if (ipc_decode(type, payload, msg) == 0)
			ipc_msg_free(type, msg);
		free(msg);
		return;
	}
	if (logch_parse(payload, &level, text, sizeof(text)) != 0)
		return;
	/* What reaches the log is printable ASCII only. */
	for (i = 0; text[i] != '\0'; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipc_state st;
	struct ipc *ipc;
	struct buf *payload;
	uint32_t type;
	size_t rounds;
	int sv[2], fd, dir, r;

	if (size < 1 || size > FUZZ_IPC_MAX_INPUT)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		abort();
	if ((ipc = ipc_new(sv[1])) == NULL)
		abort();
	ipc_state_init(&st, (data[0] & 2) != 0);
	if ((data[0] & 1) != 0 && ipc_state_enter(&st, IPC_PH_SESSION) != 0)
		abort();
	else if ((data[0] & 9) == 8 && ipc_state_enter(&st, IPC_PH_AUTH) != 0)
		abort();
	dir = (data[0] & 4) != 0 ? IPC_TO_CHILD : IPC_TO_MONITOR;
	if (size > 1 && write(sv[0], data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	close(sv[0]);

	/* Every round reads or ends; the bound only guards against a bug. */
	for (rounds = 0; rounds < size + 16; rounds++) {
		r = ipc_read(ipc);
		while ((r = ipc_next(ipc, &type, &payload, &fd)) == 0) {
			fuzz_message(&st, dir, type, payload, fd);
			buf_free(payload);
			if (fd != -1)
				close(fd);
		}
		if (r != SSH_ERR_MESSAGE_INCOMPLETE)
			break;
	}
	/* The peer closed, so reading must have ended in an error. */
	if (r == SSH_ERR_MESSAGE_INCOMPLETE || r == 0)
		abort();
	/* And it stays that way. */
	if (ipc_read(ipc) != r)
		abort();
	ipc_free(ipc);
	return 0;
}
