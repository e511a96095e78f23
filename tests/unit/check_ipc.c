/* check_ipc.c: the monitor channel's framing, fd passing and caps. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

/* tests/fuzz/fuzz_ipc.c, linked in: its corpus is replayed below. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bounded loops: no test waits forever. */
#define PUMP_ROUNDS	10000

static struct ipc *tx, *rx;
static int raw = -1;	/* the peer of rx, for tests that write bytes by hand */

static void
setup_pair(void)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_ptr_nonnull(tx = ipc_new(sv[0]));
	ck_assert_ptr_nonnull(rx = ipc_new(sv[1]));
}

static void
teardown_pair(void)
{
	ipc_free(tx);
	ipc_free(rx);
	tx = rx = NULL;
}

static void
setup_raw(void)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	raw = sv[0];
	ck_assert_ptr_nonnull(rx = ipc_new(sv[1]));
}

static void
teardown_raw(void)
{
	if (raw != -1)
		close(raw);
	raw = -1;
	ipc_free(rx);
	rx = NULL;
}

static struct buf *
pattern(size_t len, uint8_t seed)
{
	struct buf *b = buf_new();
	uint8_t *p;
	size_t i;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(buf_reserve(b, len, &p), 0);
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
	return b;
}

/* Moves bytes from tx to rx until rx has a message; returns ipc_next's result. */
static int
pump_next(uint32_t *typep, struct buf **payloadp, int *fdp)
{
	int i, r;

	for (i = 0; i < PUMP_ROUNDS; i++) {
		r = ipc_next(rx, typep, payloadp, fdp);
		if (r != SSH_ERR_MESSAGE_INCOMPLETE)
			return r;
		ck_assert_int_ge(ipc_flush(tx), 0);
		ck_assert_int_eq(ipc_read(rx), 0);
	}
	ck_abort_msg("no message after %d rounds", PUMP_ROUNDS);
	return SSH_ERR_INTERNAL_ERROR;
}

/* Sends bytes with nfds fds attached in one sendmsg. */
static void
raw_send(const void *p, size_t len, const int *fds, size_t nfds)
{
	char space[CMSG_SPACE(8 * sizeof(int))];
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cmsg;

	memset(&msg, 0, sizeof(msg));
	memset(space, 0, sizeof(space));
	iov.iov_base = (void *)p;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		msg.msg_control = space;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cmsg), fds, nfds * sizeof(int));
	}
	ck_assert_int_eq(sendmsg(raw, &msg, MSG_NOSIGNAL), (ssize_t)len);
}

static void
put_header(uint8_t *h, uint32_t type, uint32_t len)
{
	h[0] = type >> 24; h[1] = type >> 16; h[2] = type >> 8; h[3] = type;
	h[4] = len >> 24; h[5] = len >> 16; h[6] = len >> 8; h[7] = len;
}

/* 1 when every write end of the pipe is closed (read gives EOF). */
static int
pipe_orphaned(int rfd)
{
	char c;

	ck_assert_int_eq(fcntl(rfd, F_SETFL, O_NONBLOCK), 0);
	return read(rfd, &c, 1) == 0;
}

static const size_t size_classes[] = {
	0, 1, 7, 8, 9, 255, 256, 4095, 4096, 65535, 65536, 200000,
	IPC_MAX_PAYLOAD - 1, IPC_MAX_PAYLOAD
};

START_TEST(test_roundtrip_size_class)
{
	size_t len = size_classes[_i];
	struct buf *out = pattern(len, (uint8_t)_i), *in = NULL;
	uint32_t type;
	int fd;

	ck_assert_int_eq(ipc_queue(tx, 0x01020304 + (uint32_t)_i, out, -1), 0);
	ck_assert_int_eq(pump_next(&type, &in, &fd), 0);
	ck_assert_uint_eq(type, 0x01020304 + (uint32_t)_i);
	ck_assert_int_eq(fd, -1);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(buf_equals(in, out), 0);
	/* Nothing more. */
	ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	ck_assert_int_eq(ipc_flush(tx), 0);
	ck_assert_int_eq(ipc_output_pending(tx), 0);
	buf_free(in);
	buf_free(out);
}
END_TEST

START_TEST(test_many_in_order)
{
	struct buf *out, *in;
	uint32_t type, i;

	for (i = 0; i < 40; i++) {
		out = pattern(i * 100, (uint8_t)i);
		ck_assert_int_eq(ipc_queue(tx, i, out, -1), 0);
		buf_free(out);
	}
	for (i = 0; i < 40; i++) {
		ck_assert_int_eq(pump_next(&type, &in, NULL), 0);
		ck_assert_uint_eq(type, i);
		out = pattern(i * 100, (uint8_t)i);
		ck_assert_int_eq(buf_equals(in, out), 0);
		buf_free(out);
		buf_free(in);
	}
}
END_TEST

START_TEST(test_null_payload_is_empty)
{
	struct buf *in;
	uint32_t type;

	ck_assert_int_eq(ipc_queue(tx, 9, NULL, -1), 0);
	ck_assert_int_eq(pump_next(&type, &in, NULL), 0);
	ck_assert_uint_eq(type, 9);
	ck_assert_uint_eq(buf_len(in), 0);
	buf_free(in);
}
END_TEST

START_TEST(test_fd_roundtrip)
{
	int p[2], fd, sent;
	struct buf *out = pattern(10, 1), *in;
	uint32_t type;
	char c;

	ck_assert_int_eq(pipe(p), 0);
	sent = p[1];
	ck_assert_int_eq(ipc_queue(tx, 5, out, sent), 0);
	ck_assert_int_eq(ipc_flush(tx), 0);
	/* Sent: the sender's copy is closed. */
	ck_assert_int_eq(fcntl(sent, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(pump_next(&type, &in, &fd), 0);
	ck_assert_uint_eq(type, 5);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(buf_equals(in, out), 0);
	/* MSG_CMSG_CLOEXEC */
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	/* It works on this side. */
	ck_assert_int_eq(write(fd, "x", 1), 1);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(c, 'x');
	close(fd);
	close(p[0]);
	buf_free(in);
	buf_free(out);
}
END_TEST

/* Fds stay with their own messages when mixed with fd-less ones. */
START_TEST(test_fds_with_their_messages)
{
	/* Message i carries the write end of pipe i when has[i]. */
	static const int has[] = { 0, 1, 0, 0, 1, 1, 0, 1 };
	enum { N = sizeof(has) / sizeof(has[0]) };
	int pipes[N][2], fd;
	struct buf *out, *in;
	uint32_t type, i;
	char c;

	for (i = 0; i < N; i++) {
		ck_assert_int_eq(pipe(pipes[i]), 0);
		out = pattern(i * 33, (uint8_t)i);
		ck_assert_int_eq(ipc_queue(tx, i, out, has[i] ?
		    pipes[i][1] : -1), 0);
		buf_free(out);
		if (!has[i])
			close(pipes[i][1]);
	}
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(pump_next(&type, &in, &fd), 0);
		ck_assert_uint_eq(type, i);
		ck_assert_uint_eq(buf_len(in), i * 33);
		buf_free(in);
		if (!has[i]) {
			ck_assert_int_eq(fd, -1);
			continue;
		}
		ck_assert_int_ne(fd, -1);
		c = (char)('a' + i);
		ck_assert_int_eq(write(fd, &c, 1), 1);
		close(fd);
		ck_assert_int_eq(read(pipes[i][0], &c, 1), 1);
		ck_assert_int_eq(c, 'a' + (int)i);
	}
	for (i = 0; i < N; i++)
		close(pipes[i][0]);
}
END_TEST

/* The catalogue, not the framing, refuses an fd on a type that has none. */
START_TEST(test_fd_on_nofd_message_rejected)
{
	struct ipc_state st;
	struct buf *out = pattern(16, 3), *in;
	uint32_t type;
	int p[2], fd;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(ipc_queue(tx, IPC_MSG_SIGN, out, p[1]), 0);
	ck_assert_int_eq(pump_next(&type, &in, &fd), 0);
	ck_assert_int_ne(fd, -1);
	ipc_state_init(&st, 0);
	ck_assert_int_eq(ipc_check(&st, IPC_TO_MONITOR, type, buf_len(in),
	    fd != -1), SSH_ERR_STATE_VIOLATION);
	close(fd);
	close(p[0]);
	buf_free(in);
	buf_free(out);
}
END_TEST

START_TEST(test_discarded_fd_closed)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(ipc_queue(tx, 1, NULL, p[1]), 0);
	ck_assert_int_eq(pump_next(NULL, NULL, NULL), 0);
	ck_assert(pipe_orphaned(p[0]));
	close(p[0]);
}
END_TEST

/* Two fds with one message: refused, both closed. */
START_TEST(test_two_fds_one_sendmsg)
{
	uint8_t h[IPC_HEADER_LEN];
	int p[2], fds[2];

	ck_assert_int_eq(pipe(p), 0);
	fds[0] = p[1];
	ck_assert_int_ne(fds[1] = dup(p[1]), -1);
	put_header(h, 1, 0);
	raw_send(h, sizeof(h), fds, 2);
	close(fds[0]);
	close(fds[1]);
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_STATE_VIOLATION);
	ck_assert(pipe_orphaned(p[0]));
	/* Sticky. */
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL),
	    SSH_ERR_STATE_VIOLATION);
	close(p[0]);
}
END_TEST

/* More fds than the receiver makes room for: MSG_CTRUNC, refused. */
START_TEST(test_truncated_control_rejected)
{
	uint8_t h[IPC_HEADER_LEN];
	int p[2], fds[6], i;

	ck_assert_int_eq(pipe(p), 0);
	for (i = 0; i < 6; i++)
		ck_assert_int_ne(fds[i] = dup(p[1]), -1);
	close(p[1]);
	put_header(h, 1, 0);
	raw_send(h, sizeof(h), fds, 6);
	for (i = 0; i < 6; i++)
		close(fds[i]);
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_STATE_VIOLATION);
	ck_assert(pipe_orphaned(p[0]));
	close(p[0]);
}
END_TEST

/* A second fd later in the same message (its payload) is refused. */
START_TEST(test_second_fd_same_message)
{
	uint8_t h[IPC_HEADER_LEN];
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	put_header(h, 1, 4);
	raw_send(h, sizeof(h), &p[1], 1);
	ck_assert_int_eq(ipc_read(rx), 0);
	raw_send("abcd", 4, &p[1], 1);
	close(p[1]);
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_STATE_VIOLATION);
	ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL),
	    SSH_ERR_STATE_VIOLATION);
	ipc_free(rx);	/* closes the first fd, which it still held */
	rx = NULL;
	ck_assert(pipe_orphaned(p[0]));
	close(p[0]);
}
END_TEST

/* The length is refused from the header: the payload stays unread. */
START_TEST(test_oversized_rejected_before_payload)
{
	uint8_t msg[IPC_HEADER_LEN + 16];
	char peek[16];

	memset(msg, 'p', sizeof(msg));
	put_header(msg, 1, IPC_MAX_PAYLOAD + 1);
	raw_send(msg, sizeof(msg), NULL, 0);
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_int_eq(recv(ipc_fd(rx), peek, sizeof(peek),
	    MSG_PEEK | MSG_DONTWAIT), (ssize_t)sizeof(peek));
	ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL),
	    SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_LIMIT_EXCEEDED);
}
END_TEST

START_TEST(test_oversized_max_u32)
{
	uint8_t h[IPC_HEADER_LEN];

	put_header(h, 1, 0xffffffff);
	raw_send(h, sizeof(h), NULL, 0);
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_LIMIT_EXCEEDED);
}
END_TEST

/* Byte by byte, an fd with the first byte: one message at the end. */
START_TEST(test_byte_by_byte)
{
	uint8_t msg[IPC_HEADER_LEN + 5];
	struct buf *in;
	uint32_t type;
	size_t i;
	int p[2], fd;

	ck_assert_int_eq(pipe(p), 0);
	put_header(msg, 77, 5);
	memcpy(msg + IPC_HEADER_LEN, "hello", 5);
	for (i = 0; i < sizeof(msg); i++) {
		ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		raw_send(msg + i, 1, i == 0 ? &p[1] : NULL, i == 0);
		ck_assert_int_eq(ipc_read(rx), 0);
	}
	close(p[1]);
	ck_assert_int_eq(ipc_next(rx, &type, &in, &fd), 0);
	ck_assert_uint_eq(type, 77);
	ck_assert_uint_eq(buf_len(in), 5);
	ck_assert_mem_eq(buf_ptr(in), "hello", 5);
	ck_assert_int_ne(fd, -1);
	close(fd);
	ck_assert(pipe_orphaned(p[0]));
	close(p[0]);
	buf_free(in);
}
END_TEST

START_TEST(test_close_mid_header)
{
	raw_send("\0\0\0", 3, NULL, 0);
	close(raw);
	raw = -1;
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_CONN_CORRUPT);
	ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL), SSH_ERR_CONN_CORRUPT);
}
END_TEST

START_TEST(test_close_mid_payload)
{
	uint8_t msg[IPC_HEADER_LEN + 3];

	put_header(msg, 1, 10);
	memcpy(msg + IPC_HEADER_LEN, "abc", 3);
	raw_send(msg, sizeof(msg), NULL, 0);
	close(raw);
	raw = -1;
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_CONN_CORRUPT);
	ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL), SSH_ERR_CONN_CORRUPT);
}
END_TEST

/* A clean close: messages sent before it are still delivered. */
START_TEST(test_close_at_boundary)
{
	uint8_t msg[IPC_HEADER_LEN + 2];
	struct buf *in;
	uint32_t type;

	put_header(msg, 3, 2);
	memcpy(msg + IPC_HEADER_LEN, "ok", 2);
	raw_send(msg, sizeof(msg), NULL, 0);
	raw_send(msg, sizeof(msg), NULL, 0);
	close(raw);
	raw = -1;
	ck_assert_int_eq(ipc_read(rx), SSH_ERR_CONN_CLOSED);
	ck_assert_int_eq(ipc_next(rx, &type, &in, NULL), 0);
	ck_assert_uint_eq(type, 3);
	buf_free(in);
	ck_assert_int_eq(ipc_next(rx, &type, &in, NULL), 0);
	buf_free(in);
	ck_assert_int_eq(ipc_next(rx, &type, &in, NULL), SSH_ERR_CONN_CLOSED);
	ck_assert_ptr_null(in);
}
END_TEST

START_TEST(test_nothing_available)
{
	ck_assert_int_eq(ipc_read(rx), 0);
	ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL),
	    SSH_ERR_MESSAGE_INCOMPLETE);
}
END_TEST

/* Read-ahead is capped: a flood is read in bounded portions. */
START_TEST(test_readahead_capped)
{
	uint8_t h[IPC_HEADER_LEN];
	size_t n, i, got = 0;
	int r;

	put_header(h, 1, 0);
	n = IPC_MAX_READAHEAD_MSGS * 2 + 5;
	for (i = 0; i < n; i++)
		raw_send(h, sizeof(h), NULL, 0);
	ck_assert_int_eq(ipc_read(rx), 0);
	while ((r = ipc_next(rx, NULL, NULL, NULL)) == 0)
		got++;
	ck_assert_int_eq(r, SSH_ERR_MESSAGE_INCOMPLETE);
	ck_assert_uint_eq(got, IPC_MAX_READAHEAD_MSGS);
	for (i = 0; i < PUMP_ROUNDS && got < n; i++) {
		ck_assert_int_eq(ipc_read(rx), 0);
		while (ipc_next(rx, NULL, NULL, NULL) == 0)
			got++;
	}
	ck_assert_uint_eq(got, n);
}
END_TEST

START_TEST(test_readahead_fds_capped)
{
	uint8_t h[IPC_HEADER_LEN];
	size_t i, got = 0;
	int p[2], fd;

	ck_assert_int_eq(pipe(p), 0);
	put_header(h, 1, 0);
	for (i = 0; i < IPC_MAX_READAHEAD_FDS + 3; i++)
		raw_send(h, sizeof(h), &p[1], 1);
	ck_assert_int_eq(ipc_read(rx), 0);
	while (ipc_next(rx, NULL, NULL, &fd) == 0) {
		ck_assert_int_ne(fd, -1);
		close(fd);
		got++;
	}
	ck_assert_uint_eq(got, IPC_MAX_READAHEAD_FDS);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_queue_cap_bytes)
{
	struct buf *small = pattern(80 - IPC_HEADER_LEN, 0);
	struct buf *more = pattern(30, 0), *in;

	ipc_set_max_queued(tx, 100, 4);
	ck_assert_int_eq(ipc_queue(tx, 1, small, -1), 0);
	ck_assert_int_eq(ipc_queue(tx, 2, more, -1), SSH_ERR_NO_BUFFER_SPACE);
	/* The refused message left nothing behind. */
	ck_assert_int_eq(pump_next(NULL, &in, NULL), 0);
	ck_assert_int_eq(buf_equals(in, small), 0);
	buf_free(in);
	ck_assert_int_eq(ipc_flush(tx), 0);
	ck_assert_int_eq(ipc_next(rx, NULL, NULL, NULL),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	/* Once sent, there is room again. */
	ck_assert_int_eq(ipc_queue(tx, 2, more, -1), 0);
	buf_free(small);
	buf_free(more);
}
END_TEST

START_TEST(test_queue_cap_fds)
{
	int p[2], extra;

	ck_assert_int_eq(pipe(p), 0);
	ipc_set_max_queued(tx, IPC_MAX_QUEUED, 2);
	ck_assert_int_eq(ipc_queue(tx, 1, NULL, dup(p[1])), 0);
	ck_assert_int_eq(ipc_queue(tx, 1, NULL, dup(p[1])), 0);
	ck_assert_int_ne(extra = dup(p[1]), -1);
	ck_assert_int_eq(ipc_queue(tx, 1, NULL, extra),
	    SSH_ERR_NO_BUFFER_SPACE);
	/* Refused: the caller still owns it. */
	ck_assert_int_ne(fcntl(extra, F_GETFD), -1);
	close(extra);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_queue_too_large)
{
	struct buf *big = pattern(IPC_MAX_PAYLOAD + 1, 0);

	ck_assert_int_eq(ipc_queue(tx, 1, big, -1), SSH_ERR_LIMIT_EXCEEDED);
	ck_assert_int_eq(ipc_output_pending(tx), 0);
	ck_assert_int_eq(ipc_queue(tx, 1, NULL, -2), SSH_ERR_INVALID_ARGUMENT);
	buf_free(big);
}
END_TEST

/* A full socket: flush reports pending output until the peer reads. */
START_TEST(test_flush_pending)
{
	struct buf *big = pattern(IPC_MAX_PAYLOAD, 0), *in;
	int i, got = 0;

	for (i = 0; i < 3; i++)
		ck_assert_int_eq(ipc_queue(tx, 1, big, -1), 0);
	ck_assert_int_eq(ipc_flush(tx), 1);
	ck_assert_int_eq(ipc_output_pending(tx), 1);
	for (i = 0; i < PUMP_ROUNDS && got < 3; i++) {
		ck_assert_int_eq(ipc_read(rx), 0);
		while (ipc_next(rx, NULL, &in, NULL) == 0) {
			ck_assert_int_eq(buf_equals(in, big), 0);
			buf_free(in);
			got++;
		}
		ck_assert_int_ge(ipc_flush(tx), 0);
	}
	ck_assert_int_eq(got, 3);
	ck_assert_int_eq(ipc_flush(tx), 0);
	buf_free(big);
}
END_TEST

START_TEST(test_flush_peer_gone)
{
	/* Any SIGPIPE would end the test. */
	signal(SIGPIPE, SIG_DFL);
	ipc_free(rx);
	rx = NULL;
	ck_assert_int_eq(ipc_queue(tx, 1, NULL, -1), 0);
	ck_assert_int_eq(ipc_flush(tx), SSH_ERR_CONN_CLOSED);
}
END_TEST

START_TEST(test_wait_helpers)
{
	struct buf *out = pattern(1000, 9), *in;
	uint32_t type;
	int p[2], fd;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(ipc_send_wait(tx, 42, out, p[1], 5000), 0);
	ck_assert_int_eq(ipc_recv_wait(rx, &type, &in, &fd, 5000), 0);
	ck_assert_uint_eq(type, 42);
	ck_assert_int_eq(buf_equals(in, out), 0);
	ck_assert_int_ne(fd, -1);
	close(fd);
	ck_assert(pipe_orphaned(p[0]));
	close(p[0]);
	buf_free(in);
	buf_free(out);
}
END_TEST

START_TEST(test_recv_wait_timeout)
{
	struct buf *in;

	ck_assert_int_eq(ipc_recv_wait(rx, NULL, &in, NULL, 50),
	    SSH_ERR_CONN_TIMEOUT);
	ck_assert_ptr_null(in);
	ck_assert_int_eq(ipc_recv_wait(rx, NULL, &in, NULL, 0),
	    SSH_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_recv_wait_peer_closed)
{
	ipc_free(tx);
	tx = NULL;
	ck_assert_int_eq(ipc_recv_wait(rx, NULL, NULL, NULL, 5000),
	    SSH_ERR_CONN_CLOSED);
}
END_TEST

/* ipc_send_wait takes the fd even when it fails. */
START_TEST(test_send_wait_failure_closes_fd)
{
	struct buf *big = pattern(IPC_MAX_PAYLOAD + 1, 0);
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(ipc_send_wait(tx, 1, big, p[1], 1000),
	    SSH_ERR_LIMIT_EXCEEDED);
	ck_assert(pipe_orphaned(p[0]));
	close(p[0]);
	buf_free(big);
}
END_TEST

START_TEST(test_new_sets_nonblocking)
{
	ck_assert_int_eq(fcntl(ipc_fd(rx), F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ck_assert_ptr_null(ipc_new(-1));
}
END_TEST

/* The fuzz target's seeds and the inputs it found run clean (the target
 * aborts on a broken invariant). */
START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("ipc", LLVMFuzzerTestOneInput), 0);
}
END_TEST

static Suite *
ipc_suite(void)
{
	Suite *s = suite_create("ipc");
	TCase *tc;

	tc = tcase_create("pair");
	tcase_add_checked_fixture(tc, setup_pair, teardown_pair);
	tcase_add_loop_test(tc, test_roundtrip_size_class, 0,
	    sizeof(size_classes) / sizeof(size_classes[0]));
	tcase_add_test(tc, test_many_in_order);
	tcase_add_test(tc, test_null_payload_is_empty);
	tcase_add_test(tc, test_fd_roundtrip);
	tcase_add_test(tc, test_fds_with_their_messages);
	tcase_add_test(tc, test_fd_on_nofd_message_rejected);
	tcase_add_test(tc, test_discarded_fd_closed);
	tcase_add_test(tc, test_queue_cap_bytes);
	tcase_add_test(tc, test_queue_cap_fds);
	tcase_add_test(tc, test_queue_too_large);
	tcase_add_test(tc, test_flush_pending);
	tcase_add_test(tc, test_flush_peer_gone);
	tcase_add_test(tc, test_wait_helpers);
	tcase_add_test(tc, test_recv_wait_timeout);
	tcase_add_test(tc, test_recv_wait_peer_closed);
	tcase_add_test(tc, test_send_wait_failure_closes_fd);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("raw");
	tcase_add_checked_fixture(tc, setup_raw, teardown_raw);
	tcase_add_test(tc, test_two_fds_one_sendmsg);
	tcase_add_test(tc, test_truncated_control_rejected);
	tcase_add_test(tc, test_second_fd_same_message);
	tcase_add_test(tc, test_oversized_rejected_before_payload);
	tcase_add_test(tc, test_oversized_max_u32);
	tcase_add_test(tc, test_byte_by_byte);
	tcase_add_test(tc, test_close_mid_header);
	tcase_add_test(tc, test_close_mid_payload);
	tcase_add_test(tc, test_close_at_boundary);
	tcase_add_test(tc, test_nothing_available);
	tcase_add_test(tc, test_readahead_capped);
	tcase_add_test(tc, test_readahead_fds_capped);
	tcase_add_test(tc, test_new_sets_nonblocking);
	suite_add_tcase(s, tc);

	tc = tcase_create("fuzz");
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ipc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
