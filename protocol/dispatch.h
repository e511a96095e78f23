/*
 * dispatch.h: what the server does with each message number in each phase
 * of a connection (one table, walked by a unit test).
 */
#ifndef NANOSSH_DISPATCH_H
#define NANOSSH_DISPATCH_H

#include <stdint.h>

enum dispatch_action {
	DA_DISCONNECT = 0,	/* protocol error: end the connection */
	DA_HANDLE,		/* a handler acts on it */
	DA_IGNORE,
	DA_UNIMPLEMENTED,	/* answer SSH_MSG_UNIMPLEMENTED */
	DA_IGNORE_UNLESS_STRICT, /* ignored, but fatal in a strict initial kex */
};

/*
 * The action for message type in phase (enum conn_phase, from PH_KEX0 on).
 * kex_peer_open: the client has sent KEXINIT and not yet NEWKEYS, when
 * RFC 4253 7.1 allows it only transport and key-exchange messages.
 */
enum dispatch_action dispatch_action(uint8_t type, int phase,
    int kex_peer_open);

#endif
