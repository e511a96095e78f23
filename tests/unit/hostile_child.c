/*
 * hostile_child.c: stands in for the protocol child in
 * check_monitor_hostile.  The monitor execs it with the "client" socket on
 * CHILD_FD_CLIENT (in the test, an AF_UNIX socketpair) and the IPC socket
 * on CHILD_FD_IPC; it hands the IPC socket to the test over the client
 * socket and the log socket (CHILD_FD_LOG), so that the test itself plays
 * the child, and then waits for the
 * monitor to kill it.  It exits with the status the test writes to the
 * client socket, or (OUTCOME_ERROR, never a violation) when the test goes
 * away first.
 */
#include <sys/socket.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "privsep/child.h"
#include "privsep/outcome.h"

int
main(void)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} cm;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *c;
	char byte = 'F';
	int fds[2] = { CHILD_FD_IPC, CHILD_FD_LOG };
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	while ((n = sendmsg(CHILD_FD_CLIENT, &msg, 0)) == -1 && errno == EINTR)
		;
	if (n != 1)
		return OUTCOME_ERROR;
	/* The test's ends are the only ones: its close is the child's. */
	close(CHILD_FD_IPC);
	close(CHILD_FD_LOG);
	/* Until killed, or until the test names the exit status that this
	 * child claims (one byte) or closes its end. */
	while ((n = read(CHILD_FD_CLIENT, &byte, 1)) != 0) {
		if (n == 1)
			return (unsigned char)byte;
		if (errno != EINTR)
			break;
	}
	return OUTCOME_ERROR;
}
