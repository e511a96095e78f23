/* x11.c: X11 displays and cookies as the user (see x11.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/monotime.h"
#include "privsep/userproc.h"
#include "privsep/x11.h"

#define X11_BACKLOG	128

static void
close_all(int *socks, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		close(socks[i]);
}

/* Every address of one port, as OpenSSH's x11_create_display_inet: 0,
 * 1 when the port is taken (try the next), -1 on any other error. */
static int
listen_port(const struct x11_setup *s, unsigned int port, int *socks,
    size_t *np)
{
	struct addrinfo hints, *res = NULL, *ai;
	char serv[16];
	int fd, one = 1, r = 0;

	*np = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (s->localhost ? 0 : AI_PASSIVE);
	snprintf(serv, sizeof(serv), "%u", port);
	if (getaddrinfo(NULL, serv, &hints, &res) != 0) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	for (ai = res; ai != NULL && r == 0; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (*np == X11_MAX_SOCKS)
			break;
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1) {
			/* A kernel without IPv6 still serves IPv4. */
			if (errno == EAFNOSUPPORT)
				continue;
			r = -1;
			break;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
		if (ai->ai_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			    sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			int e = errno;

			close(fd);
			/* No ::1 on this host: IPv4 alone. */
			if (e == EADDRNOTAVAIL && ai->ai_family == AF_INET6)
				continue;
			errno = e;
			r = e == EADDRINUSE ? 1 : -1;
			break;
		}
		socks[(*np)++] = fd;
	}
	freeaddrinfo(res);
	if (r == 0 && *np == 0) {
		errno = EADDRNOTAVAIL;
		r = -1;
	}
	if (r != 0) {
		close_all(socks, *np);
		*np = 0;
	}
	return r;
}

int
x11_listen(const struct x11_setup *s, int socks[X11_MAX_SOCKS], size_t *np,
    uint32_t *displayp)
{
	uint32_t d;
	size_t i;
	int r;

	*np = 0;
	for (d = s->offset; d < s->offset + X11_DISPLAY_TRIES &&
	    X11_PORT_BASE + d <= 65535; d++) {
		if ((r = listen_port(s, X11_PORT_BASE + d, socks, np)) == 1)
			continue;
		if (r == -1)
			return -1;
		for (i = 0; i < *np; i++) {
			if (listen(socks[i], X11_BACKLOG) == -1) {
				int e = errno;

				close_all(socks, *np);
				*np = 0;
				errno = e;
				return -1;
			}
		}
		*displayp = d;
		return 0;
	}
	errno = EADDRINUSE;
	return -1;
}

int
x11_display_name(int localhost, int for_xauth, uint32_t display,
    uint32_t screen, char *out, size_t len)
{
	char host[HOST_NAME_MAX + 1];
	int n;

	if (localhost)
		n = snprintf(out, len, "%s:%u.%u", for_xauth ? "unix" :
		    "localhost", display, screen);
	else {
		if (gethostname(host, sizeof(host)) == -1)
			return -1;
		host[sizeof(host) - 1] = '\0';
		n = snprintf(out, len, "%s:%u.%u", host, display, screen);
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Waits for pid until deadline, then kills it: 0 when it exited 0. */
static int
wait_bounded(pid_t pid, uint64_t deadline)
{
	int status;
	pid_t w;

	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
			    0 : -1;
		if (w == -1 && errno != EINTR)
			return -1;
		if (monotime_ms() >= deadline) {
			(void)kill(pid, SIGKILL);
			(void)waitpid(pid, &status, 0);
			return -1;
		}
		(void)poll(NULL, 0, 10);
	}
}

int
x11_xauth(const struct x11_setup *s, const char *home, uint32_t display,
    const char **whyp)
{
	char name[HOST_NAME_MAX + 32], input[X11_XAUTH_INPUT_MAX];
	char *envhome = NULL, *envxa = NULL, *env[4];
	char *const argv[] = { "xauth", "-q", "-", NULL };
	size_t k = 0;
	int p[2], n, r = -1;
	pid_t pid;

	*whyp = "cannot run xauth";
	if (access(s->xauth_path, X_OK) != 0) {
		*whyp = "xauth not found (forwarding.xauth_path)";
		return -1;
	}
	if (x11_display_name(s->localhost, 1, display, s->screen, name,
	    sizeof(name)) != 0)
		return -1;
	n = snprintf(input, sizeof(input), "remove %s\nadd %s %s %s\n", name,
	    name, s->proto, s->cookie);
	if (n < 0 || (size_t)n >= sizeof(input))
		return -1;
	if (asprintf(&envhome, "HOME=%s", home) == -1) {
		envhome = NULL;
		goto out;
	}
	env[k++] = envhome;
	if (s->xauthority != NULL) {
		if (asprintf(&envxa, "XAUTHORITY=%s", s->xauthority) == -1) {
			envxa = NULL;
			goto out;
		}
		env[k++] = envxa;
	}
	env[k++] = "PATH=/usr/bin:/bin";
	env[k] = NULL;
	if (pipe2(p, O_CLOEXEC) == -1)
		goto out;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null == -1 || dup2(p[0], STDIN_FILENO) == -1 ||
		    dup2(null, STDOUT_FILENO) == -1 ||
		    dup2(null, STDERR_FILENO) == -1)
			_exit(127);
		execve(s->xauth_path, argv, env);
		_exit(127);
	}
	close(p[0]);
	/* The input is far below a pipe's buffer: this cannot block. */
	if (userproc_write_all(p[1], input, (size_t)n) != 0) {
		close(p[1]);
		(void)wait_bounded(pid, 0);
		goto out;
	}
	close(p[1]);
	if (wait_bounded(pid, monotime_ms() + X11_XAUTH_MS) != 0) {
		*whyp = "xauth failed";
		goto out;
	}
	r = 0;
 out:
	explicit_bzero(input, sizeof(input));
	free(envhome);
	free(envxa);
	return r;
}
