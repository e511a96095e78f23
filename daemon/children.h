/*
 * children.h: the listener's table of running session processes.
 *
 * Each child has a status socketpair (SOCK_SEQPACKET, one record a
 * datagram) whose one end the listener keeps.  A child sends
 * CHILD_STATUS_AUTHENTICATED once its user has authenticated; until then
 * it counts against limits.max_startups.  It also sends SESSREC_INFO
 * records (common/sessrec.h), for nanosshctl only, and the listener sends
 * it commands the other way.
 */
#ifndef NANOSSH_CHILDREN_H
#define NANOSSH_CHILDREN_H

#include <sys/types.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>

#include "common/sessrec.h"

/* The record (one byte) a session sends after authentication. */
#define CHILD_STATUS_AUTHENTICATED	'A'
/*
 * A session on a listen_proxy socket writes, once and first, the client
 * address its PROXY header carried: 'P', '4' or '6', 16 address bytes
 * (IPv4 in the first 4), the port big-endian: CHILD_STATUS_PROXY_LEN bytes
 * in one record.
 */
#define CHILD_STATUS_PROXY		'P'
#define CHILD_STATUS_PROXY_LEN		20
/* A hard bound on the table, whatever the configuration says. */
#define CHILDREN_MAX			8192

struct child {
	pid_t ch_pid;
	int ch_status_fd;	/* the status socketpair, -1 once closed */
	int ch_authenticated;
	char ch_peer[96];	/* "IP port N", for logs */
	/* The client's address, for penalties; ch_addrlen 0: unknown. */
	struct sockaddr_storage ch_addr;
	socklen_t ch_addrlen;
	int ch_proxy;		/* from a listen_proxy socket: may send 'P' */
	/* No penalty for this one: ended by the listener, or on a
	 * listen_proxy socket without a client address (the proxy's own). */
	int ch_no_penalty;
	uint64_t ch_started_ms;	/* monotime_ms when spawned */
	/* What the last valid SESSREC_INFO said (display only). */
	struct sessrec_info ch_info;
	uint64_t ch_info_ms;	/* when it came, 0: none yet */
	unsigned long long ch_bad_records;	/* dropped as malformed */
	/* The last SESSREC_PONG, until control.c takes it. */
	int ch_pong_new;
	uint32_t ch_pong_token, ch_pong_ms;
};

struct children {
	struct child *c_v;
	size_t c_n;
	size_t c_alloc;
	size_t c_unauthenticated;
};

void children_init(struct children *c);
/* Closes every status socket and frees the table (children keep running). */
void children_clear(struct children *c);
/* Takes ownership of status_fd.  SSH_ERR_LIMIT_EXCEEDED when full. */
int children_add(struct children *c, pid_t pid, int status_fd,
    const char *peer);
/* As children_add, also remembering the client's address (sa may be NULL;
 * a length beyond sockaddr_storage is SSH_ERR_INVALID_ARGUMENT). */
int children_add_addr(struct children *c, pid_t pid, int status_fd,
    const char *peer, const struct sockaddr *sa, socklen_t salen);
/* The child with that pid, or NULL (e.g. one started before a re-exec). */
struct child *children_find(struct children *c, pid_t pid);
/* Removes a child that has exited, closing its status socket. */
void children_remove(struct children *c, struct child *ch);
/*
 * Reads the status records after poll said some are there; closes the
 * socket at EOF.
 * Returns 1 when a 'P' record just replaced ch_addr and ch_peer with the
 * proxied client's (only for a ch_proxy child, only once, only before
 * authentication), else 0.
 */
int children_read_status(struct children *c, struct child *ch);
/* Encodes the 'P' record for sa (AF_INET or AF_INET6) into
 * out[CHILD_STATUS_PROXY_LEN]: 0 or SSH_ERR_INVALID_ARGUMENT. */
int children_proxy_record(const struct sockaddr *sa, uint8_t *out);

/*
 * OpenSSH's random early drop for max_startups "begin:rate:full": the
 * chance, in percent, that a new connection is refused while n others are
 * unauthenticated.  0 below begin, rate at begin rising linearly to 100 at
 * full, 100 from full on.
 */
unsigned int children_drop_chance(size_t n, int begin, int rate, int full);
/* 1 if the next connection should be dropped, by chance as above. */
int children_should_drop(const struct children *c, int begin, int rate,
    int full);

#endif
