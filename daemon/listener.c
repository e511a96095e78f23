/* listener.c: binding nanosshd's listen addresses (listener.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "common/config.h"
#include "daemon/listener.h"
#include "protocol/ssherr.h"

/* Room for the kernel to queue connections while the listener forks. */
#define LISTENER_BACKLOG	128
/* More addresses than any sane configuration has. */
#define LISTENER_MAX_SOCKS	256

static void
listener_name(const struct sockaddr *sa, socklen_t salen, char *name,
    size_t namesize)
{
	char host[64], port[16];

	if (getnameinfo(sa, salen, host, sizeof(host), port, sizeof(port),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		strlcpy(name, "?", namesize);
		return;
	}
	if (sa->sa_family == AF_INET6)
		snprintf(name, namesize, "[%s]:%s", host, port);
	else
		snprintf(name, namesize, "%s:%s", host, port);
}

/* One socket for one address; returns the fd or -1 with errno set. */
static int
listener_bind_one(const struct addrinfo *ai)
{
	int fd, on = 1, saved_errno;

	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		goto fail;
	if (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, LISTENER_BACKLOG) == -1)
		goto fail;
	return fd;
 fail:
	saved_errno = errno;
	close(fd);
	errno = saved_errno;
	return -1;
}

static int
listener_add(struct listener *l, int fd, const struct sockaddr *sa,
    socklen_t salen, size_t spec)
{
	struct listen_sock *n;

	if (l->l_n >= LISTENER_MAX_SOCKS)
		return SSH_ERR_LIMIT_EXCEEDED;
	if ((n = reallocarray(l->l_socks, l->l_n + 1, sizeof(*n))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	l->l_socks = n;
	n[l->l_n].ls_fd = fd;
	n[l->l_n].ls_spec = spec;
	n[l->l_n].ls_proxy = 0;
	listener_name(sa, salen, n[l->l_n].ls_name,
	    sizeof(n[l->l_n].ls_name));
	l->l_n++;
	return 0;
}

static int
listener_open_spec(struct listener *l, const char *spec, size_t idx,
    char *err, size_t errsize)
{
	struct addrinfo hints, *res = NULL, *ai;
	char *host = NULL, *port = NULL;
	int r = SSH_ERR_INTERNAL_ERROR, gai, fd;

	if ((r = cfg_listen_split(spec, &host, &port)) != 0) {
		snprintf(err, errsize, "cannot listen on %s: %s", spec,
		    ssh_err(r));
		goto out;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((gai = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errsize, "cannot listen on %s: %s", spec,
		    gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
		r = SSH_ERR_INVALID_ARGUMENT;
		goto out;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if ((fd = listener_bind_one(ai)) == -1) {
			snprintf(err, errsize, "cannot listen on %s: %s", spec,
			    strerror(errno));
			r = SSH_ERR_SYSTEM_ERROR;
			goto out;
		}
		if ((r = listener_add(l, fd, ai->ai_addr, ai->ai_addrlen,
		    idx)) != 0) {
			close(fd);
			snprintf(err, errsize, "cannot listen on %s: %s", spec,
			    ssh_err(r));
			goto out;
		}
	}
	r = 0;
 out:
	if (res != NULL)
		freeaddrinfo(res);
	free(host);
	free(port);
	return r;
}

int
listener_open(const struct strlist *specs, struct listener **lp, char *err,
    size_t errsize)
{
	struct listener *l = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	*lp = NULL;
	if (errsize > 0)
		err[0] = '\0';
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		snprintf(err, errsize, "cannot listen: %s", ssh_err(r));
		goto out;
	}
	if (specs->n == 0) {
		r = SSH_ERR_INVALID_ARGUMENT;
		snprintf(err, errsize, "no listen address configured");
		goto out;
	}
	for (i = 0; i < specs->n; i++) {
		if ((r = listener_open_spec(l, specs->v[i], i, err,
		    errsize)) != 0)
			goto out;
	}
	*lp = l;
	l = NULL;
	r = 0;
 out:
	listener_free(l);
	return r;
}

/* Reads a positive decimal no larger than max from the environment; 0
 * when absent or malformed. */
static long
listener_env_num(const char *name, long max)
{
	const char *v = getenv(name), *errstr = NULL;
	long long n;

	if (v == NULL)
		return 0;
	n = strtonum(v, 1, max, &errstr);
	return errstr != NULL ? 0 : (long)n;
}

/* One inherited descriptor: a listening TCP socket made ours. */
static int
listener_take(struct listener *l, int fd, char *err, size_t errsize)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss), olen;
	int type = 0, acc = 0, fl, r;

	olen = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &olen) == -1 ||
	    type != SOCK_STREAM) {
		snprintf(err, errsize, "socket activation: descriptor %d is "
		    "not a stream socket", fd);
		return SSH_ERR_INVALID_ARGUMENT;
	}
	olen = sizeof(acc);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &olen) == -1 ||
	    !acc || getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)) {
		snprintf(err, errsize, "socket activation: descriptor %d is "
		    "not a listening TCP socket", fd);
		return SSH_ERR_INVALID_ARGUMENT;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		snprintf(err, errsize, "socket activation: descriptor %d: %s",
		    fd, strerror(errno));
		return SSH_ERR_SYSTEM_ERROR;
	}
	if ((r = listener_add(l, fd, (struct sockaddr *)&ss, len,
	    LISTENER_NO_SPEC)) != 0)
		snprintf(err, errsize, "socket activation: %s", ssh_err(r));
	return r;
}

int
listener_inherit(struct listener **lp, char *err, size_t errsize)
{
	struct listener *l = NULL;
	long pid, n, i;
	int r = SSH_ERR_INTERNAL_ERROR;

	*lp = NULL;
	if (errsize > 0)
		err[0] = '\0';
	pid = listener_env_num("LISTEN_PID", INT_MAX);
	n = listener_env_num("LISTEN_FDS", LISTENER_MAX_SOCKS);
	/* Meant for this process only, never for the sessions it spawns. */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (pid != (long)getpid() || n == 0)
		return 0;
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(err, errsize, "socket activation: %s",
		    ssh_err(SSH_ERR_ALLOC_FAIL));
		return SSH_ERR_ALLOC_FAIL;
	}
	l->l_inherited = 1;
	for (i = 0; i < n; i++) {
		if ((r = listener_take(l, LISTENER_FDS_START + (int)i, err,
		    errsize)) != 0)
			goto out;
	}
	*lp = l;
	l = NULL;
	r = 0;
 out:
	listener_free(l);
	return r;
}

int
listener_pass_on(const struct listener *l)
{
	char num[16];
	size_t i;

	if (!l->l_inherited)
		return 0;
	for (i = 0; i < l->l_n; i++) {
		if (fcntl(l->l_socks[i].ls_fd, F_SETFD, 0) == -1)
			return -1;
	}
	snprintf(num, sizeof(num), "%zu", l->l_n);
	if (setenv("LISTEN_FDS", num, 1) == -1)
		return -1;
	snprintf(num, sizeof(num), "%ld", (long)getpid());
	return setenv("LISTEN_PID", num, 1);
}

void
listener_keep(const struct listener *l)
{
	size_t i;

	if (!l->l_inherited)
		return;
	for (i = 0; i < l->l_n; i++)
		(void)fcntl(l->l_socks[i].ls_fd, F_SETFD, FD_CLOEXEC);
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_PID");
}

void
listener_free(struct listener *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->l_n; i++)
		close(l->l_socks[i].ls_fd);
	free(l->l_socks);
	free(l);
}
