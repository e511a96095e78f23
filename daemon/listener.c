/* listener.c: binding nanosshd's listen addresses (listener.h). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
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
listener_add(struct listener *l, int fd, const struct addrinfo *ai,
    size_t spec)
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
	listener_name(ai->ai_addr, ai->ai_addrlen, n[l->l_n].ls_name,
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
		if ((r = listener_add(l, fd, ai, idx)) != 0) {
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
