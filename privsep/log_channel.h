/*
 * log_channel.h: the protocol child's log lines, on their own socketpair.
 *
 * The child has no syslog and no stderr worth writing to; it sends each
 * line to the monitor as an IPC_MSG_LOG message (ipc.h framing) with the
 * payload {u32 level, string text}.  The monitor trusts none of it: the
 * message passes ipc_check() for the log channel, the level must be a
 * known enum log_level, the text at most IPC_LOG_TEXT_MAX bytes and
 * the payload consumed exactly; the text comes back escaped, every byte
 * outside printable ASCII as \ooo and a backslash as \\ (the octal style
 * of strnvis(3)), ready for the monitor to log as "child: <text>".
 */
#ifndef NANOSSH_LOG_CHANNEL_H
#define NANOSSH_LOG_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "privsep/ipc_catalogue.h"

/* Room for any escaped text: four bytes per byte, and the NUL. */
#define LOGCH_ESCAPED_MAX	(4 * IPC_LOG_TEXT_MAX + 1)

struct buf;
struct ipc;

/* Child side.  Appends the LOG payload for level and text to payload;
 * text is cut at IPC_LOG_TEXT_MAX bytes. */
int logch_format(struct buf *payload, int level, const char *text);
/*
 * Child side.  Formats a line, queues it on the log channel and writes
 * what the socket takes now (the rest goes with later ipc_flush calls).
 * Fails with SSH_ERR_NO_BUFFER_SPACE when the queue is full (the line is
 * dropped: logging never blocks the child), SSH_ERR_CONN_CLOSED when the
 * monitor is gone.
 */
int logch_send(struct ipc *ipc, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Monitor side.  Checks a LOG payload and returns its level and escaped
 * text in text (textsize bytes, LOGCH_ESCAPED_MAX for any text; a smaller
 * one cuts the text at a whole escape).  SSH_ERR_INVALID_FORMAT for an
 * unknown level or a malformed payload, SSH_ERR_STRING_TOO_LARGE for a
 * text over IPC_LOG_TEXT_MAX, SSH_ERR_UNEXPECTED_TRAILING_DATA for bytes
 * after it.  The payload is not changed.
 */
int logch_parse(const struct buf *payload, int *levelp, char *text,
    size_t textsize);
/*
 * Monitor side.  The next complete message from the log channel, checked
 * with ipc_check(st) and parsed like logch_parse.  Returns
 * SSH_ERR_MESSAGE_INCOMPLETE when none is buffered (call ipc_read first),
 * and any error of ipc_next, ipc_check or logch_parse; every error but
 * that one means the child misbehaved or went away.
 */
int logch_recv(struct ipc *ipc, struct ipc_state *st, int *levelp,
    char *text, size_t textsize);

#endif
