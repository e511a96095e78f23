/*
 * ipc.h: the framed channel between the monitor and the protocol child.
 *
 * One AF_UNIX SOCK_STREAM socket (one end of a socketpair) carries
 * messages, each a fixed header {u32 type, u32 len} (big-endian) and len
 * bytes of payload, len <= IPC_MAX_PAYLOAD.  A message may carry at most
 * one file descriptor (SCM_RIGHTS).  This layer only frames: which types
 * exist, who may send them when, and whether they must or must not carry
 * an fd is decided by ipc_check() (ipc_catalogue.h), which the receiver
 * runs on every message.
 *
 * The channel is non-blocking and shaped for a poll loop:
 *	POLLIN:  ipc_read(), then ipc_next() until SSH_ERR_MESSAGE_INCOMPLETE
 *	POLLOUT: ipc_flush() (ask for POLLOUT while ipc_output_pending())
 * Everything the peer controls is bounded: the payload length (checked
 * from the header, before any payload is read), the bytes and fds read
 * ahead of the caller, and the bytes and fds queued for sending.
 *
 * How an fd finds its message on a byte stream: the sender starts every
 * message that carries an fd with its own sendmsg() call, attaching the fd
 * there; the receiver never reads across a message boundary in one
 * recvmsg().  The kernel hands over an fd with the first read that touches
 * the bytes it was sent with, so an fd belongs to the message being read
 * when it arrives.  A second fd for the same message, an fd-passing
 * control message cut short (MSG_CTRUNC) or any other control message is a
 * violation; fds that came with it are closed.
 *
 * Errors (negative SSH_ERR_*, ssherr.h) from reading, each distinct:
 *	SSH_ERR_CONN_CLOSED	the peer closed at a message boundary
 *	SSH_ERR_CONN_CORRUPT	the peer closed in the middle of a message
 *	SSH_ERR_LIMIT_EXCEEDED	a header announced len > IPC_MAX_PAYLOAD
 *	SSH_ERR_STATE_VIOLATION	fd passing broke the rules above
 *	SSH_ERR_SYSTEM_ERROR	recvmsg failed (errno is kept)
 * A read error is sticky: later ipc_read() calls return it again.
 */
#ifndef NANOSSH_IPC_H
#define NANOSSH_IPC_H

#include <stddef.h>
#include <stdint.h>

#define IPC_HEADER_LEN		8
#define IPC_MAX_PAYLOAD		(256 * 1024)
/* Default caps on what is queued for sending (ipc_set_max_queued). */
#define IPC_MAX_QUEUED		(4 * (IPC_MAX_PAYLOAD + IPC_HEADER_LEN))
#define IPC_MAX_QUEUED_FDS	32
/* Reading stops while this many complete messages (or fds) wait for
 * ipc_next(), or while one maximum-sized message's worth of bytes does. */
#define IPC_MAX_READAHEAD_MSGS	64
#define IPC_MAX_READAHEAD_FDS	8

struct buf;
struct ipc;

/*
 * A channel over fd, which it owns from now on (ipc_free closes it) and
 * switches to non-blocking mode.  NULL on failure (fd is then left open
 * and unchanged).
 */
struct ipc *ipc_new(int fd);
/* Closes the socket and every fd still queued or received; NULL is fine. */
void ipc_free(struct ipc *ipc);
/* The socket, for poll(2). */
int ipc_fd(const struct ipc *ipc);

/*
 * Lower (or raise) the caps on queued output: bytes including headers,
 * and fds.  Affects later ipc_queue() calls only.
 */
void ipc_set_max_queued(struct ipc *ipc, size_t max_bytes, size_t max_fds);

/*
 * Queues one message: type, the bytes of payload (NULL for an empty
 * payload; not consumed, the caller keeps it) and fd, or -1 for none.
 * On success the channel owns fd and closes it once sent (or in
 * ipc_free); on failure the caller still owns it.  Returns
 * SSH_ERR_LIMIT_EXCEEDED for a payload over IPC_MAX_PAYLOAD,
 * SSH_ERR_NO_BUFFER_SPACE when the queue caps would be exceeded,
 * SSH_ERR_INVALID_ARGUMENT for a bad fd.  Nothing is written yet.
 */
int ipc_queue(struct ipc *ipc, uint32_t type, const struct buf *payload,
    int fd);
/*
 * Writes as much queued output as the socket takes.  Returns 0 when the
 * queue is empty, 1 when output remains (wait for POLLOUT),
 * SSH_ERR_CONN_CLOSED when the peer is gone, SSH_ERR_SYSTEM_ERROR (errno
 * kept) otherwise.  Never raises SIGPIPE.
 */
int ipc_flush(struct ipc *ipc);
/* 1 if queued output remains. */
int ipc_output_pending(const struct ipc *ipc);

/*
 * Reads whatever the socket has, up to the read-ahead caps.  Returns 0
 * (also when nothing was available) or one of the read errors above.
 * Messages completed before an error stay available to ipc_next().
 */
int ipc_read(struct ipc *ipc);
/*
 * The next complete message: its type, its payload as a new buffer the
 * caller frees (never NULL on success, possibly empty), and its fd (the
 * caller owns it) or -1.  Any of typep, payloadp, fdp may be NULL to
 * discard (a discarded fd is closed).  Returns SSH_ERR_MESSAGE_INCOMPLETE
 * when no complete message is buffered yet; after the last buffered
 * message of a channel whose reading failed, returns that read error.
 */
int ipc_next(struct ipc *ipc, uint32_t *typep, struct buf **payloadp,
    int *fdp);

/*
 * Blocking helpers for simple request/reply exchanges, each bounded by
 * timeout_ms (> 0; SSH_ERR_CONN_TIMEOUT when it passes).  ipc_send_wait
 * queues like ipc_queue and flushes everything; it always takes fd (it is
 * closed if anything fails).  ipc_recv_wait waits for the next complete
 * message and returns it like ipc_next.
 */
int ipc_send_wait(struct ipc *ipc, uint32_t type, const struct buf *payload,
    int fd, int timeout_ms);
int ipc_recv_wait(struct ipc *ipc, uint32_t *typep, struct buf **payloadp,
    int *fdp, int timeout_ms);

#endif
