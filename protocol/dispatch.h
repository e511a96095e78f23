/*
 * dispatch.h: the phases of a connection, and the one table that says
 * what the server does with each message number in each phase and which
 * handler acts on it (walked by a unit test).
 */
#ifndef NANOSSH_DISPATCH_H
#define NANOSSH_DISPATCH_H

#include <stdint.h>

struct buf;
struct ssh_conn;

enum conn_phase {
	PH_VERSION = 0,		/* waiting for the client's identification */
	PH_KEX0,		/* the initial key exchange */
	PH_SERVICE,		/* keys in place, no service yet */
	PH_USERAUTH,		/* ssh-userauth accepted */
	PH_AUTHED,		/* authenticated: connection protocol */
};
#define CONN_NPHASES	5

enum dispatch_action {
	DA_DISCONNECT = 0,	/* protocol error: end the connection */
	DA_HANDLE,		/* the row's handler acts on it */
	DA_IGNORE,
	DA_UNIMPLEMENTED,	/* answer SSH_MSG_UNIMPLEMENTED */
	DA_IGNORE_UNLESS_STRICT, /* ignored, but fatal in a strict initial kex */
};

/* A handler gets the message type and the payload after the type byte;
 * it returns 0 or a negative SSH_ERR_* code (having ended the connection
 * with conn_fail() for a protocol error). */
typedef int dispatch_fn(struct ssh_conn *c, uint8_t type, struct buf *msg);

/*
 * The action for message type in phase (enum conn_phase, from PH_KEX0 on).
 * kex_peer_open: the client has sent KEXINIT and not yet NEWKEYS, when
 * RFC 4253 7.1 allows it only transport and key-exchange messages.
 */
enum dispatch_action dispatch_action(uint8_t type, int phase,
    int kex_peer_open);
/* The handler of type's row, NULL if no phase handles it. */
dispatch_fn *dispatch_handler(uint8_t type);

/* Reads the type byte of a packet's payload and acts on it. */
int conn_dispatch(struct ssh_conn *c, struct buf *payload);

#endif
