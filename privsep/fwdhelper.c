/* fwdhelper.c: connecting and listening as the user (see fwdhelper.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>

#include "privsep/fwdhelper.h"
#include "privsep/userproc.h"
#include "privsep/x11.h"
#include "protocol/buf.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

#define FWDHELPER_BACKLOG	128

/* The helper's one answer, with up to FWDHELPER_MAX_FDS sockets (none
 * for a failure); returns, for a helper that stays (the agent's). */
static void
send_answer(int fd, uint32_t reason, uint32_t port, const char *msg,
    const int *socks, size_t nsock)
{
	char cbuf[CMSG_SPACE(FWDHELPER_MAX_FDS * sizeof(int))];
	struct msghdr mh;
	struct cmsghdr *cm;
	struct iovec iov;
	struct buf *b = buf_new();

	if (b == NULL || buf_put_u32(b, reason) != 0 ||
	    buf_put_u32(b, port) != 0 || buf_put_cstring(b, msg) != 0)
		_exit(1);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)buf_ptr(b);
	iov.iov_len = buf_len(b);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nsock > FWDHELPER_MAX_FDS)
		_exit(1);
	if (nsock > 0) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(nsock * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nsock * sizeof(int));
		memcpy(CMSG_DATA(cm), socks, nsock * sizeof(int));
	}
	while (sendmsg(fd, &mh, MSG_NOSIGNAL) == -1 && errno == EINTR)
		;
	buf_free(b);
}

/* The answer with one socket (or sock -1 for none), and the end. */
static void __attribute__((noreturn))
answer(int fd, uint32_t reason, uint32_t port, const char *msg, int sock)
{
	send_answer(fd, reason, port, msg, &sock, sock != -1 ? 1 : 0);
	_exit(0);
}

static void __attribute__((noreturn))
fail(int fd, uint32_t reason, const char *what, const char *detail)
{
	char msg[FWDHELPER_MSG_MAX / 2];

	snprintf(msg, sizeof(msg), "%s: %s", what, detail);
	answer(fd, reason, 0, msg, -1);
}

/* connect(2) with at most ms milliseconds to complete. */
static int
connect_bounded(int s, const struct sockaddr *sa, socklen_t len, int ms)
{
	struct pollfd pfd;
	socklen_t elen = sizeof(int);
	int err = 0, n;

	if (fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK) == -1)
		return -1;
	if (connect(s, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return -1;
	pfd.fd = s;
	pfd.events = POLLOUT;
	while ((n = poll(&pfd, 1, ms)) == -1 && errno == EINTR)
		;
	if (n == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (n == -1 || getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &elen) == -1)
		return -1;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

static void __attribute__((noreturn))
do_connect_tcp(int fd, const struct fwdhelper_req *req)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[16];
	int s = -1, e, err = ECONNREFUSED;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", req->port);
	if ((e = getaddrinfo(req->host, port, &hints, &res)) != 0)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, req->host, gai_strerror(e));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1) {
			err = errno;
			continue;
		}
		if (connect_bounded(s, ai->ai_addr, ai->ai_addrlen,
		    FWDHELPER_CONNECT_MS) == 0)
			break;
		err = errno;
		close(s);
		s = -1;
	}
	freeaddrinfo(res);
	if (s == -1)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, "connect", strerror(err));
	answer(fd, 0, 0, "", s);
	_exit(0);
}

static int
unix_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -1;
	strcpy(sun->sun_path, path);
	return 0;
}

static void __attribute__((noreturn))
do_unix(int fd, const struct fwdhelper_req *req)
{
	struct sockaddr_un sun;
	int s;

	if (unix_addr(req->host, &sun) != 0)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, req->host, "path too long");
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fail(fd, SSH2_OPEN_RESOURCE_SHORTAGE, "socket", strerror(errno));
	if (req->listen) {
		/* Only the user may connect: OpenSSH's StreamLocalBindMask. */
		umask(0177);
		if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
		    listen(s, FWDHELPER_BACKLOG) == -1)
			fail(fd, SSH2_OPEN_CONNECT_FAILED, req->host,
			    strerror(errno));
	} else if (connect_bounded(s, (struct sockaddr *)&sun, sizeof(sun),
	    FWDHELPER_CONNECT_MS) == -1)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, req->host, strerror(errno));
	answer(fd, 0, 0, "", s);
	_exit(0);
}

static void __attribute__((noreturn))
do_listen_tcp(int fd, const struct fwdhelper_req *req)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char port[16];
	int s = -1, e, one = 1, zero = 0, pass, err = EADDRNOTAVAIL;
	uint32_t bound = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	snprintf(port, sizeof(port), "%u", req->port);
	if ((e = getaddrinfo(*req->host != '\0' ? req->host : NULL, port,
	    &hints, &res)) != 0)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, req->host, gai_strerror(e));
	/* One socket per request.  For every address, IPv6's wildcard
	 * (dual-stack) first, so that both families reach it; otherwise
	 * the resolver's order, in the first pass. */
	for (pass = 0; pass < 2 && s == -1; pass++) {
		for (ai = res; ai != NULL && s == -1; ai = ai->ai_next) {
			if (*req->host == '\0' ?
			    (ai->ai_family == AF_INET6) != (pass == 0) :
			    pass != 0)
				continue;
			if ((s = socket(ai->ai_family, ai->ai_socktype |
			    SOCK_CLOEXEC, ai->ai_protocol)) == -1) {
				err = errno;
				continue;
			}
			(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
			    sizeof(one));
			if (ai->ai_family == AF_INET6 && *req->host == '\0')
				(void)setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY,
				    &zero, sizeof(zero));
			if (bind(s, ai->ai_addr, ai->ai_addrlen) == 0 &&
			    listen(s, FWDHELPER_BACKLOG) == 0)
				break;
			err = errno;
			close(s);
			s = -1;
		}
	}
	freeaddrinfo(res);
	if (s == -1)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, "bind", strerror(err));
	if (getsockname(s, (struct sockaddr *)&ss, &sslen) == -1)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, "getsockname",
		    strerror(errno));
	if (ss.ss_family == AF_INET)
		bound = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	else if (ss.ss_family == AF_INET6)
		bound = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	answer(fd, 0, bound, "", s);
	_exit(0);
}

/* An X11 display for the session: its sockets, then the cookie. */
static void __attribute__((noreturn))
do_x11(int fd, const struct passwd *pw, const struct x11_setup *x)
{
	int socks[X11_MAX_SOCKS];
	size_t n = 0;
	uint32_t display;
	const char *why;

	_Static_assert(X11_MAX_SOCKS == FWDHELPER_MAX_FDS, "X11 sockets");
	if (x11_listen(x, socks, &n, &display) != 0)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, "X11 display",
		    strerror(errno));
	if (x11_xauth(x, pw->pw_dir, display, &why) != 0)
		fail(fd, SSH2_OPEN_CONNECT_FAILED, "X11 display", why);
	send_answer(fd, 0, display, "", socks, n);
	_exit(0);
}

/*
 * Where the agent's private directory goes: $XDG_RUNTIME_DIR when it is
 * this user's own (a directory they own that nobody else may enter or
 * write) and short enough for a socket path below it, else /tmp.
 */
static const char *
agent_base(void)
{
	struct sockaddr_un sun;
	const char *d = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (d != NULL && *d == '/' && strlen(d) + sizeof(FWDHELPER_AGENT_DIR)
	    + 32 < sizeof(sun.sun_path) && stat(d, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
	    (st.st_mode & 077) == 0 && access(d, W_OK | X_OK) == 0)
		return d;
	return "/tmp";
}

/* glibc's mkdtemp fills only the last six X: the others here. */
static void
random_name(char *template)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t len = strlen(template), i;

	for (i = len; i > 0 && template[i - 1] == 'X'; i--)
		;
	for (; i + 6 < len; i++)
		template[i] = chars[arc4random_uniform(sizeof(chars) - 1)];
}

/*
 * The agent socket, OpenSSH's way: a fresh directory of mode 0700 with a
 * random name, and in it agent.<monitor's pid>, mode 0600.  Once the
 * socket is handed over the helper stays, and removes both when the
 * monitor's end of the socketpair closes: the connection is over, or the
 * monitor died.  It ignores the hangup and termination signals that the
 * session's processes get when the connection ends, so that it is still
 * there to clean up; SIGKILL from the user leaves only the user's own
 * directory behind.
 */
static void __attribute__((noreturn))
do_agent(int fd)
{
	struct sockaddr_un sun;
	char dir[FWDHELPER_MSG_MAX / 2], path[sizeof(sun.sun_path)], junk[64];
	ssize_t k;
	int s, n;

	umask(077);
	n = snprintf(dir, sizeof(dir), "%s/" FWDHELPER_AGENT_DIR, agent_base());
	if (n < 0 || (size_t)n >= sizeof(dir))
		fail(fd, SSH2_OPEN_RESOURCE_SHORTAGE, "agent directory",
		    "path too long");
	random_name(dir);
	if (mkdtemp(dir) == NULL)
		fail(fd, SSH2_OPEN_RESOURCE_SHORTAGE, "agent directory",
		    strerror(errno));
	n = snprintf(path, sizeof(path), "%s/agent.%ld", dir, (long)getppid());
	if (n < 0 || (size_t)n >= sizeof(path) || unix_addr(path, &sun) != 0) {
		(void)rmdir(dir);
		fail(fd, SSH2_OPEN_RESOURCE_SHORTAGE, dir, "path too long");
	}
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		(void)rmdir(dir);
		fail(fd, SSH2_OPEN_RESOURCE_SHORTAGE, "socket", strerror(errno));
	}
	umask(0177);
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(s, FWDHELPER_BACKLOG) == -1) {
		n = errno;
		(void)unlink(path);
		(void)rmdir(dir);
		fail(fd, SSH2_OPEN_CONNECT_FAILED, path, strerror(n));
	}
	alarm(0);
	(void)signal(SIGHUP, SIG_IGN);
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGTERM, SIG_IGN);
	(void)signal(SIGPIPE, SIG_IGN);
	send_answer(fd, 0, 0, path, &s, 1);
	close(s);
	for (;;) {
		k = read(fd, junk, sizeof(junk));
		if (k == 0 || (k == -1 && errno != EINTR))
			break;
	}
	(void)unlink(path);
	(void)rmdir(dir);
	_exit(0);
}

int
fwdhelper_start(const struct passwd *pw, const struct fwdhelper_req *req,
    pid_t *pidp, int *fdp)
{
	int sv[2];
	pid_t pid;

	*fdp = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (pid == 0) {
		/* Our end becomes fd 0: isolation closes everything above 2. */
		if (dup2(sv[1], STDIN_FILENO) == -1 ||
		    userproc_isolate() != 0 || userproc_become(pw) != 0)
			_exit(1);
		alarm(FWDHELPER_TIMEOUT_S);
		if (req->x11 != NULL)
			do_x11(STDIN_FILENO, pw, req->x11);
		if (req->agent)
			do_agent(STDIN_FILENO);
		if (req->unix_sock)
			do_unix(STDIN_FILENO, req);
		if (req->listen)
			do_listen_tcp(STDIN_FILENO, req);
		do_connect_tcp(STDIN_FILENO, req);
	}
	close(sv[1]);
	if (fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK) == -1) {
		close(sv[0]);
		return SSH_ERR_SYSTEM_ERROR;
	}
	*pidp = pid;
	*fdp = sv[0];
	return 0;
}

static int
socket_ok(int s, int listen)
{
	socklen_t len = sizeof(int);
	int v = 0;

	if (getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len) == -1 ||
	    v != SOCK_STREAM)
		return 0;
	len = sizeof(int);
	if (getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == -1)
		return 0;
	return (v != 0) == (listen != 0);
}

int
fwdhelper_result(int fd, int listen, size_t max_socks, uint32_t *reasonp,
    uint32_t *portp, char *msg, size_t msglen,
    int socks[FWDHELPER_MAX_FDS], size_t *nsockp)
{
	uint8_t data[FWDHELPER_MSG_MAX];
	char cbuf[CMSG_SPACE(FWDHELPER_MAX_FDS * sizeof(int))];
	int got[FWDHELPER_MAX_FDS];
	size_t ngot = 0, i, k;
	struct msghdr mh;
	struct cmsghdr *cm;
	struct iovec iov;
	struct buf *b = NULL;
	char *text = NULL;
	ssize_t n;
	int r = SSH_ERR_INTERNAL_ERROR;

	*nsockp = 0;
	*reasonp = SSH2_OPEN_CONNECT_FAILED;
	*portp = 0;
	snprintf(msg, msglen, "timed out");
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = data;
	iov.iov_len = sizeof(data);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	while ((n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if (n <= 0)
		return 0;	/* died or timed out: no answer */
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len < CMSG_LEN(0))
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < k; i++) {
			int s;

			memcpy(&s, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (ngot < FWDHELPER_MAX_FDS)
				got[ngot++] = s;
			else
				close(s);
		}
	}
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((b = buf_from(data, (size_t)n)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = buf_get_u32(b, reasonp)) != 0 ||
	    (r = buf_get_u32(b, portp)) != 0 ||
	    (r = buf_get_cstring(b, &text, NULL)) != 0 ||
	    (r = buf_expect_end(b)) != 0)
		goto out;
	if ((*reasonp == 0) != (ngot > 0) || ngot > max_socks ||
	    *portp > 65535) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	for (i = 0; i < ngot; i++) {
		if (!socket_ok(got[i], listen)) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	}
	snprintf(msg, msglen, "%s", text);
	memcpy(socks, got, ngot * sizeof(int));
	*nsockp = ngot;
	ngot = 0;
	r = 0;
 out:
	for (i = 0; i < ngot; i++)
		close(got[i]);
	free(text);
	buf_free(b);
	return r;
}
