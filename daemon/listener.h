/*
 * listener.h: nanosshd's listening sockets, one or more per "listen" entry
 * (a host name may give both an IPv4 and an IPv6 address).  Every socket is
 * non-blocking and close-on-exec; IPv6 sockets are IPV6_V6ONLY so that
 * "0.0.0.0:22" and "[::]:22" can both be bound.
 */
#ifndef NANOSSH_LISTENER_H
#define NANOSSH_LISTENER_H

#include <stddef.h>

struct strlist;

struct listen_sock {
	int ls_fd;
	char ls_name[96];	/* numeric "127.0.0.1:22" or "[::1]:22" */
	size_t ls_spec;		/* index of its entry in listen_open's specs */
	/* Connections begin with a PROXY header (listen_proxy); set by
	 * the caller. */
	int ls_proxy;
};

struct listener {
	struct listen_sock *l_socks;
	size_t l_n;
};

/*
 * Binds and listens on every entry of specs.  On failure nothing stays
 * open, and err (errsize bytes) holds one line such as "cannot listen on
 * 127.0.0.1:22: Address already in use".  Returns 0 or an SSH_ERR_* code.
 */
int listener_open(const struct strlist *specs, struct listener **lp,
    char *err, size_t errsize);
/* Closes every socket and frees l; NULL is allowed. */
void listener_free(struct listener *l);

#endif
