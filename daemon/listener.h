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
	/* Index of its entry in listen_open's specs; LISTENER_NO_SPEC for
	 * a socket systemd passed. */
	size_t ls_spec;
	/* Connections begin with a PROXY header (listen_proxy); set by
	 * the caller. */
	int ls_proxy;
};

#define LISTENER_NO_SPEC	((size_t)-1)

struct listener {
	struct listen_sock *l_socks;
	size_t l_n;
	/* The sockets came from systemd (listener_inherit) at fds
	 * LISTENER_FDS_START.. in order. */
	int l_inherited;
};

/* Where socket activation's descriptors begin (sd_listen_fds(3)). */
#define LISTENER_FDS_START	3

/*
 * Binds and listens on every entry of specs.  On failure nothing stays
 * open, and err (errsize bytes) holds one line such as "cannot listen on
 * 127.0.0.1:22: Address already in use".  Returns 0 or an SSH_ERR_* code.
 */
int listener_open(const struct strlist *specs, struct listener **lp,
    char *err, size_t errsize);
/*
 * Socket activation: takes the listening sockets systemd passed
 * ($LISTEN_PID is this process, $LISTEN_FDS of them from fd 3) and removes
 * the variables from the environment.  Returns 0 with *lp NULL when none
 * were passed, 0 with *lp set, or an SSH_ERR_* code with err set (a
 * descriptor that is not a listening TCP socket, for instance).
 */
int listener_inherit(struct listener **lp, char *err, size_t errsize);
/*
 * For a re-exec of the daemon with the same PID: clears close-on-exec on
 * inherited sockets and sets $LISTEN_PID/$LISTEN_FDS again so the new
 * image takes them over.  Nothing to do for sockets listener_open bound
 * (the new image binds again).  0 or -1 with errno set.
 */
int listener_pass_on(const struct listener *l);
/* Undoes listener_pass_on after a failed exec. */
void listener_keep(const struct listener *l);
/* Closes every socket and frees l; NULL is allowed. */
void listener_free(struct listener *l);

#endif
