/* ipc.c: framing, fd passing and bounded queues for the monitor channel. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/stdlib.h>

#include "privsep/ipc.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

/* An fd waiting to be sent with the message starting at stream byte pos. */
struct ipc_outfd {
	uint64_t	of_pos;
	int		of_fd;
};

/* An fd that arrived while message number seq was being read. */
struct ipc_infd {
	uint64_t	if_seq;
	int		if_fd;
};

struct ipc {
	int		 ipc_sock;

	/* Output: bytes not yet sent; out_pos is the stream position of
	 * the first of them, so queued fds can be tied to their message. */
	struct buf	*ipc_out;
	uint64_t	 ipc_out_pos;
	struct ipc_outfd *ipc_out_fds;
	size_t		 ipc_out_nfds;
	size_t		 ipc_out_fds_alloc;
	size_t		 ipc_max_queued;
	size_t		 ipc_max_queued_fds;

	/* Input: ipc_in_done bytes of ipc_in_msgs complete messages, then
	 * ipc_cur_have bytes of the message being read (number ipc_seq_read);
	 * ipc_next() returns message number ipc_seq_next. */
	struct buf	*ipc_in;
	size_t		 ipc_in_done;
	size_t		 ipc_in_msgs;
	size_t		 ipc_cur_have;
	uint64_t	 ipc_seq_read;
	uint64_t	 ipc_seq_next;
	struct ipc_infd	 ipc_in_fds[IPC_MAX_READAHEAD_FDS];
	size_t		 ipc_in_nfds;
	int		 ipc_rerr;	/* sticky read error, 0 if none */
};

/* The input buffer never holds more than this: the read-ahead cap plus
 * the message being read. */
#define IPC_INBUF_MAX	(2 * (IPC_MAX_PAYLOAD + IPC_HEADER_LEN))

static void
ipc_close_fd(int fd)
{
	int saved_errno = errno;

	if (fd >= 0)
		close(fd);
	errno = saved_errno;
}

struct ipc *
ipc_new(int fd)
{
	struct ipc *ipc = NULL;
	int fl;

	if (fd < 0)
		return NULL;
	if ((ipc = calloc(1, sizeof(*ipc))) == NULL)
		return NULL;
	ipc->ipc_sock = -1;
	ipc->ipc_max_queued = IPC_MAX_QUEUED;
	ipc->ipc_max_queued_fds = IPC_MAX_QUEUED_FDS;
	if ((ipc->ipc_out = buf_new()) == NULL ||
	    (ipc->ipc_in = buf_new()) == NULL ||
	    buf_set_max_size(ipc->ipc_in, IPC_INBUF_MAX) != 0)
		goto fail;
	/* Passwords cross here: none stays behind once handled. */
	buf_set_wipe(ipc->ipc_out);
	buf_set_wipe(ipc->ipc_in);
	if ((fl = fcntl(fd, F_GETFL)) == -1)
		goto fail;
	if ((fl & O_NONBLOCK) == 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		goto fail;
	ipc->ipc_sock = fd;
	return ipc;
 fail:
	buf_free(ipc->ipc_out);
	buf_free(ipc->ipc_in);
	free(ipc);
	return NULL;
}

void
ipc_free(struct ipc *ipc)
{
	size_t i;

	if (ipc == NULL)
		return;
	for (i = 0; i < ipc->ipc_out_nfds; i++)
		ipc_close_fd(ipc->ipc_out_fds[i].of_fd);
	for (i = 0; i < ipc->ipc_in_nfds; i++)
		ipc_close_fd(ipc->ipc_in_fds[i].if_fd);
	ipc_close_fd(ipc->ipc_sock);
	free(ipc->ipc_out_fds);
	buf_free(ipc->ipc_out);
	buf_free(ipc->ipc_in);
	freezero(ipc, sizeof(*ipc));
}

int
ipc_fd(const struct ipc *ipc)
{
	return ipc->ipc_sock;
}

void
ipc_set_max_queued(struct ipc *ipc, size_t max_bytes, size_t max_fds)
{
	ipc->ipc_max_queued = max_bytes;
	ipc->ipc_max_queued_fds = max_fds;
}

int
ipc_output_pending(const struct ipc *ipc)
{
	return buf_len(ipc->ipc_out) > 0;
}

int
ipc_queue(struct ipc *ipc, uint32_t type, const struct buf *payload, int fd)
{
	size_t len = payload == NULL ? 0 : buf_len(payload);
	size_t had = buf_len(ipc->ipc_out);
	struct ipc_outfd *tmp;
	size_t nalloc;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (fd < -1)
		return SSH_ERR_INVALID_ARGUMENT;
	if (len > IPC_MAX_PAYLOAD)
		return SSH_ERR_LIMIT_EXCEEDED;
	if (had > ipc->ipc_max_queued ||
	    IPC_HEADER_LEN + len > ipc->ipc_max_queued - had)
		return SSH_ERR_NO_BUFFER_SPACE;
	if (fd != -1) {
		if (ipc->ipc_out_nfds >= ipc->ipc_max_queued_fds)
			return SSH_ERR_NO_BUFFER_SPACE;
		if (ipc->ipc_out_nfds == ipc->ipc_out_fds_alloc) {
			nalloc = ipc->ipc_out_fds_alloc == 0 ? 4 :
			    ipc->ipc_out_fds_alloc * 2;
			if ((tmp = recallocarray(ipc->ipc_out_fds,
			    ipc->ipc_out_fds_alloc, nalloc,
			    sizeof(*tmp))) == NULL)
				return SSH_ERR_ALLOC_FAIL;
			ipc->ipc_out_fds = tmp;
			ipc->ipc_out_fds_alloc = nalloc;
		}
	}
	if ((r = buf_put_u32(ipc->ipc_out, type)) != 0 ||
	    (r = buf_put_u32(ipc->ipc_out, (uint32_t)len)) != 0 ||
	    (len > 0 && (r = buf_putb(ipc->ipc_out, payload)) != 0)) {
		/* Leave the queue as it was: no half message. */
		buf_consume_end(ipc->ipc_out, buf_len(ipc->ipc_out) - had);
		return r;
	}
	if (fd != -1) {
		ipc->ipc_out_fds[ipc->ipc_out_nfds].of_pos =
		    ipc->ipc_out_pos + had;
		ipc->ipc_out_fds[ipc->ipc_out_nfds].of_fd = fd;
		ipc->ipc_out_nfds++;
	}
	return 0;
}

/* sendmsg() of len bytes, with fd attached unless it is -1. */
static ssize_t
ipc_sendmsg(int sock, const uint8_t *p, size_t len, int fd)
{
	union {
		struct cmsghdr	hdr;
		char		space[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cmsg;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)p;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.space;
		msg.msg_controllen = sizeof(cmsgbuf.space);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
}

int
ipc_flush(struct ipc *ipc)
{
	size_t len, chunk;
	ssize_t n;
	int fd, r = SSH_ERR_INTERNAL_ERROR;

	while ((len = buf_len(ipc->ipc_out)) > 0) {
		/*
		 * A message with an fd starts its own sendmsg() and the bytes
		 * before it go without one, so the fd travels with the first
		 * byte of its message (see ipc.h).
		 */
		fd = -1;
		chunk = len;
		if (ipc->ipc_out_nfds > 0) {
			if (ipc->ipc_out_fds[0].of_pos == ipc->ipc_out_pos) {
				fd = ipc->ipc_out_fds[0].of_fd;
				if (ipc->ipc_out_nfds > 1)
					chunk = ipc->ipc_out_fds[1].of_pos -
					    ipc->ipc_out_pos;
			} else
				chunk = ipc->ipc_out_fds[0].of_pos -
				    ipc->ipc_out_pos;
		}
		if (chunk == 0 || chunk > len)
			return SSH_ERR_INTERNAL_ERROR;
		n = ipc_sendmsg(ipc->ipc_sock, buf_ptr(ipc->ipc_out), chunk, fd);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			if (errno == EPIPE || errno == ECONNRESET)
				return SSH_ERR_CONN_CLOSED;
			return SSH_ERR_SYSTEM_ERROR;
		}
		if (n == 0)
			return 1;
		if (fd != -1) {
			/* The kernel holds its own reference now. */
			ipc_close_fd(fd);
			memmove(ipc->ipc_out_fds, ipc->ipc_out_fds + 1,
			    (ipc->ipc_out_nfds - 1) * sizeof(*ipc->ipc_out_fds));
			ipc->ipc_out_nfds--;
		}
		if ((r = buf_consume(ipc->ipc_out, (size_t)n)) != 0)
			return r;
		ipc->ipc_out_pos += (uint64_t)n;
	}
	return 0;
}

/*
 * Collects the fds of a received control block.  Exactly one SCM_RIGHTS
 * fd is fine; anything else (more fds, other control messages, a
 * truncated block) is a violation and every fd in it is closed.
 */
static int
ipc_take_fds(struct msghdr *msg, int *fdp)
{
	struct cmsghdr *cmsg;
	int fds[8];
	size_t nfds = 0, i, n;
	int bad = 0;

	*fdp = -1;
	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len < CMSG_LEN(0)) {
			bad = 1;
			continue;
		}
		n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (nfds < sizeof(fds) / sizeof(fds[0]))
				fds[nfds++] = fd;
			else {
				ipc_close_fd(fd);
				bad = 1;
			}
		}
	}
	if ((msg->msg_flags & MSG_CTRUNC) != 0 || nfds > 1)
		bad = 1;
	if (bad) {
		for (i = 0; i < nfds; i++)
			ipc_close_fd(fds[i]);
		return SSH_ERR_STATE_VIOLATION;
	}
	if (nfds == 1)
		*fdp = fds[0];
	return 0;
}

/* One recvmsg() of at most the rest of the current message. */
static int
ipc_read_once(struct ipc *ipc, int *progressp)
{
	union {
		struct cmsghdr	hdr;
		/* Room for two fds, so that a second one is seen (and
		 * refused) rather than silently dropped by the kernel. */
		char		space[CMSG_SPACE(2 * sizeof(int))];
	} cmsgbuf;
	struct msghdr msg;
	struct iovec iov;
	uint32_t len;
	size_t want;
	uint8_t *p;
	ssize_t n;
	int fd = -1, r = SSH_ERR_INTERNAL_ERROR;

	*progressp = 0;
	if (ipc->ipc_cur_have < IPC_HEADER_LEN)
		want = IPC_HEADER_LEN - ipc->ipc_cur_have;
	else {
		if ((r = buf_peek_u32(ipc->ipc_in, ipc->ipc_in_done + 4,
		    &len)) != 0)
			return r;
		want = IPC_HEADER_LEN + (size_t)len - ipc->ipc_cur_have;
	}
	if ((r = buf_reserve(ipc->ipc_in, want, &p)) != 0)
		return r;
	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = p;
	iov.iov_len = want;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.space;
	msg.msg_controllen = sizeof(cmsgbuf.space);
	do {
		n = recvmsg(ipc->ipc_sock, &msg,
		    MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	} while (n == -1 && errno == EINTR);
	if (n <= 0) {
		int saved_errno = errno;

		buf_consume_end(ipc->ipc_in, want);
		errno = saved_errno;
		if (n == 0)
			return ipc->ipc_cur_have == 0 ?
			    SSH_ERR_CONN_CLOSED : SSH_ERR_CONN_CORRUPT;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno == ECONNRESET)
			return ipc->ipc_cur_have == 0 ?
			    SSH_ERR_CONN_CLOSED : SSH_ERR_CONN_CORRUPT;
		return SSH_ERR_SYSTEM_ERROR;
	}
	buf_consume_end(ipc->ipc_in, want - (size_t)n);
	*progressp = 1;
	if ((r = ipc_take_fds(&msg, &fd)) != 0)
		return r;
	if (fd != -1) {
		/* At most one fd per message. */
		if ((ipc->ipc_in_nfds > 0 &&
		    ipc->ipc_in_fds[ipc->ipc_in_nfds - 1].if_seq ==
		    ipc->ipc_seq_read) ||
		    ipc->ipc_in_nfds >= IPC_MAX_READAHEAD_FDS) {
			ipc_close_fd(fd);
			return SSH_ERR_STATE_VIOLATION;
		}
		ipc->ipc_in_fds[ipc->ipc_in_nfds].if_seq = ipc->ipc_seq_read;
		ipc->ipc_in_fds[ipc->ipc_in_nfds].if_fd = fd;
		ipc->ipc_in_nfds++;
	}
	ipc->ipc_cur_have += (size_t)n;
	if (ipc->ipc_cur_have < IPC_HEADER_LEN)
		return 0;
	if ((r = buf_peek_u32(ipc->ipc_in, ipc->ipc_in_done + 4, &len)) != 0)
		return r;
	/* Refused on the header alone: no payload byte is read. */
	if (len > IPC_MAX_PAYLOAD)
		return SSH_ERR_LIMIT_EXCEEDED;
	if (ipc->ipc_cur_have == IPC_HEADER_LEN + (size_t)len) {
		ipc->ipc_in_done += ipc->ipc_cur_have;
		ipc->ipc_in_msgs++;
		ipc->ipc_cur_have = 0;
		ipc->ipc_seq_read++;
	}
	return 0;
}

int
ipc_read(struct ipc *ipc)
{
	int progress, r = SSH_ERR_INTERNAL_ERROR;

	if (ipc->ipc_rerr != 0)
		return ipc->ipc_rerr;
	for (;;) {
		/* Read-ahead caps: let the caller catch up first. */
		if (ipc->ipc_in_msgs >= IPC_MAX_READAHEAD_MSGS ||
		    ipc->ipc_in_done >= IPC_MAX_PAYLOAD + IPC_HEADER_LEN ||
		    ipc->ipc_in_nfds >= IPC_MAX_READAHEAD_FDS)
			return 0;
		if ((r = ipc_read_once(ipc, &progress)) != 0) {
			ipc->ipc_rerr = r;
			return r;
		}
		if (!progress)
			return 0;
	}
}

int
ipc_next(struct ipc *ipc, uint32_t *typep, struct buf **payloadp, int *fdp)
{
	struct buf *payload = NULL;
	uint32_t type, len;
	int fd = -1, r = SSH_ERR_INTERNAL_ERROR;

	if (typep != NULL)
		*typep = 0;
	if (payloadp != NULL)
		*payloadp = NULL;
	if (fdp != NULL)
		*fdp = -1;
	if (ipc->ipc_in_msgs == 0)
		return ipc->ipc_rerr != 0 ?
		    ipc->ipc_rerr : SSH_ERR_MESSAGE_INCOMPLETE;
	if ((r = buf_peek_u32(ipc->ipc_in, 0, &type)) != 0 ||
	    (r = buf_peek_u32(ipc->ipc_in, 4, &len)) != 0)
		return r;
	if (IPC_HEADER_LEN + (size_t)len > ipc->ipc_in_done)
		return SSH_ERR_INTERNAL_ERROR;
	if (payloadp != NULL) {
		if ((payload = buf_new()) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		if ((r = buf_put(payload, buf_ptr(ipc->ipc_in) +
		    IPC_HEADER_LEN, len)) != 0) {
			buf_free(payload);
			return r;
		}
	}
	if ((r = buf_consume(ipc->ipc_in, IPC_HEADER_LEN + (size_t)len)) != 0) {
		buf_free(payload);
		return r;
	}
	ipc->ipc_in_done -= IPC_HEADER_LEN + (size_t)len;
	ipc->ipc_in_msgs--;
	if (ipc->ipc_in_nfds > 0 &&
	    ipc->ipc_in_fds[0].if_seq == ipc->ipc_seq_next) {
		fd = ipc->ipc_in_fds[0].if_fd;
		memmove(ipc->ipc_in_fds, ipc->ipc_in_fds + 1,
		    (ipc->ipc_in_nfds - 1) * sizeof(*ipc->ipc_in_fds));
		ipc->ipc_in_nfds--;
	}
	ipc->ipc_seq_next++;
	if (typep != NULL)
		*typep = type;
	if (payloadp != NULL)
		*payloadp = payload;
	if (fdp != NULL)
		*fdp = fd;
	else
		ipc_close_fd(fd);
	return 0;
}

/* Milliseconds left until deadline (CLOCK_MONOTONIC), 0 when passed. */
static int
ipc_ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		return 0;
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	if (ms <= 0)
		return 0;
	return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

static int
ipc_deadline(struct timespec *deadline, int timeout_ms)
{
	if (timeout_ms <= 0)
		return SSH_ERR_INVALID_ARGUMENT;
	if (clock_gettime(CLOCK_MONOTONIC, deadline) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	deadline->tv_sec += timeout_ms / 1000;
	deadline->tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline->tv_nsec >= 1000000000) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000;
	}
	return 0;
}

/* Waits for events on the socket until the deadline. */
static int
ipc_wait(struct ipc *ipc, short events, const struct timespec *deadline)
{
	struct pollfd pfd;
	int ms, n;

	for (;;) {
		if ((ms = ipc_ms_left(deadline)) == 0)
			return SSH_ERR_CONN_TIMEOUT;
		pfd.fd = ipc->ipc_sock;
		pfd.events = events;
		pfd.revents = 0;
		if ((n = poll(&pfd, 1, ms)) == -1) {
			if (errno == EINTR)
				continue;
			return SSH_ERR_SYSTEM_ERROR;
		}
		if (n > 0)
			return 0;
	}
}

int
ipc_send_wait(struct ipc *ipc, uint32_t type, const struct buf *payload,
    int fd, int timeout_ms)
{
	struct timespec deadline;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = ipc_deadline(&deadline, timeout_ms)) != 0) {
		ipc_close_fd(fd);
		return r;
	}
	if ((r = ipc_queue(ipc, type, payload, fd)) != 0) {
		ipc_close_fd(fd);
		return r;
	}
	while ((r = ipc_flush(ipc)) == 1) {
		if ((r = ipc_wait(ipc, POLLOUT, &deadline)) != 0)
			return r;
	}
	return r;
}

int
ipc_recv_wait(struct ipc *ipc, uint32_t *typep, struct buf **payloadp,
    int *fdp, int timeout_ms)
{
	struct timespec deadline;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = ipc_deadline(&deadline, timeout_ms)) != 0)
		return r;
	for (;;) {
		r = ipc_next(ipc, typep, payloadp, fdp);
		if (r != SSH_ERR_MESSAGE_INCOMPLETE)
			return r;
		if ((r = ipc_wait(ipc, POLLIN, &deadline)) != 0)
			return r;
		/* An error here is stored and returned by ipc_next once the
		 * messages completed before it are taken. */
		(void)ipc_read(ipc);
	}
}
