/*
 * dispatch.c: message number x connection phase -> action, with the
 * handler behind DA_HANDLE in the same row.
 *
 * The table encodes the rules that keep a server safe from messages sent
 * at the wrong time: connection-protocol messages before authentication
 * end the connection (CVE-2025-32433, CVE-2024-2873); messages only a
 * server sends end it too (CVE-2018-10933); during a strict initial key
 * exchange nothing but the exchange itself is allowed (CVE-2023-48795);
 * authentication requests after success are ignored; the userauth
 * service may be requested again until then, never after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/conn_local.h"
#include "protocol/dispatch.h"
#include "protocol/kex.h"
#include "protocol/packet.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"
#include "protocol/userauth.h"

static int
recv_disconnect(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	uint32_t reason;
	char *text = NULL;
	int r;

	/* Best effort: the peer is leaving either way. */
	if ((r = buf_get_u32(msg, &reason)) != 0 ||
	    (r = buf_get_cstring(msg, &text, NULL)) != 0)
		reason = SSH2_DISCONNECT_PROTOCOL_ERROR;
	snprintf(c->err, sizeof(c->err), "Received disconnect: %u: %s",
	    reason, text != NULL ? text : "(malformed)");
	free(text);
	c->closed = 1;
	c->closed_by_peer = 1;
	c->closed_reason = (int)reason;
	c->notify_closed = 1;
	return SSH_ERR_DISCONNECTED;
}

static int
recv_ping(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	const uint8_t *data;
	size_t len;
	struct buf *out;
	int r;

	if ((r = buf_get_string_direct(msg, &data, &len)) != 0 ||
	    (r = buf_expect_end(msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "malformed ping");
	/* Unauthenticated peers get a few answers, not a stream of them
	 * (CVE-2025-26466 made a server queue PONGs without bound). */
	if (c->phase != PH_AUTHED &&
	    ++c->preauth_pongs > CONN_PREAUTH_PONGS_MAX)
		return 0;
	out = conn_msg(c, SSH2_MSG_PONG);
	if ((r = buf_put_string(out, data, len)) != 0)
		return r;
	return conn_send(c, out);
}

static int
recv_channel(struct ssh_conn *c, uint8_t type, struct buf *msg)
{
	int r;

	if ((r = chan_input(c->chans, type, msg)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "channel protocol error: %s", ssh_err(r));
	return 0;
}

#define D	DA_DISCONNECT
#define H	DA_HANDLE
#define I	DA_IGNORE
#define U	DA_UNIMPLEMENTED
#define S	DA_IGNORE_UNLESS_STRICT

struct dispatch_row {
	uint8_t first, last;
	uint8_t act[CONN_NPHASES];	/* indexed by enum conn_phase */
	dispatch_fn *handler;		/* for the phases marked H */
};

/* Columns: VERSION (never used: no packets yet), KEX0, SERVICE, USERAUTH,
 * AUTHED. */
static const struct dispatch_row dispatch_table[] = {
	{ SSH2_MSG_DISCONNECT, SSH2_MSG_DISCONNECT,	{ D, H, H, H, H },
	    recv_disconnect },
	{ SSH2_MSG_IGNORE, SSH2_MSG_DEBUG,		{ D, S, I, I, I } },
	/* Again during authentication, as OpenSSH and Dropbear allow:
	 * paramiko asks before every attempt. Never after success. */
	{ SSH2_MSG_SERVICE_REQUEST, SSH2_MSG_SERVICE_REQUEST, { D, D, H, H, D },
	    auth_recv_service_request },
	/* SERVICE_ACCEPT is the server's; EXT_INFO from a client needs an
	 * ext-info-s we never offer; compression is always "none". */
	{ SSH2_MSG_SERVICE_ACCEPT, SSH2_MSG_NEWCOMPRESS, { D, D, D, D, D } },
	{ 9, 19,					{ D, D, U, U, U } },
	{ SSH2_MSG_KEXINIT, SSH2_MSG_KEXINIT,		{ D, H, H, H, H },
	    kex_recv_kexinit },
	{ SSH2_MSG_NEWKEYS, SSH2_MSG_NEWKEYS,		{ D, H, H, H, H },
	    kex_recv_newkeys },
	{ 22, 29,					{ D, D, U, U, U } },
	/* The key-exchange method's own messages. */
	{ 30, 49,					{ D, H, H, H, H },
	    kex_recv_method },
	{ SSH2_MSG_USERAUTH_REQUEST, SSH2_MSG_USERAUTH_REQUEST, { D, D, D, H, I },
	    auth_recv_request },
	/* FAILURE, SUCCESS, BANNER and 60 are sent only by servers. */
	{ SSH2_MSG_USERAUTH_FAILURE, SSH2_MSG_USERAUTH_BANNER, { D, D, D, D, I } },
	{ 54, 59,					{ D, D, D, U, I } },
	{ SSH2_MSG_USERAUTH_PK_OK, SSH2_MSG_USERAUTH_PK_OK, { D, D, D, D, I } },
	{ SSH2_MSG_USERAUTH_INFO_RESPONSE, SSH2_MSG_USERAUTH_INFO_RESPONSE,
							{ D, D, D, H, I },
	    auth_recv_info_response },
	{ 62, 79,					{ D, D, D, U, I } },
	{ SSH2_MSG_GLOBAL_REQUEST, SSH2_MSG_REQUEST_FAILURE, { D, D, D, D, H },
	    recv_channel },
	{ 83, 89,					{ D, D, D, D, U } },
	{ SSH2_MSG_CHANNEL_OPEN, SSH2_MSG_CHANNEL_FAILURE, { D, D, D, D, H },
	    recv_channel },
	{ 101, 127,					{ D, D, D, D, U } },
	{ 128, 191,					{ D, D, U, U, U } },
	{ SSH2_MSG_PING, SSH2_MSG_PING,			{ D, D, H, H, H },
	    recv_ping },
	{ SSH2_MSG_PONG, SSH2_MSG_PONG,			{ D, D, I, I, I } },
	{ 194, 255,					{ D, D, U, U, U } },
};

#undef D
#undef H
#undef I
#undef U
#undef S

/* type's row; NULL for message 0, which does not exist. */
static const struct dispatch_row *
dispatch_row(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(dispatch_table) / sizeof(dispatch_table[0]);
	    i++) {
		if (type >= dispatch_table[i].first &&
		    type <= dispatch_table[i].last)
			return &dispatch_table[i];
	}
	return NULL;
}

enum dispatch_action
dispatch_action(uint8_t type, int phase, int kex_peer_open)
{
	const struct dispatch_row *row;

	if (phase < PH_KEX0 || phase >= CONN_NPHASES ||
	    (row = dispatch_row(type)) == NULL)
		return DA_DISCONNECT;
	/* RFC 4253 7.1: between its KEXINIT and NEWKEYS a peer sends only
	 * transport-generic and key-exchange messages. */
	if (kex_peer_open && type > SSH2_MSG_DEBUG &&
	    type != SSH2_MSG_KEXINIT && type != SSH2_MSG_NEWKEYS &&
	    (type < 30 || type > 49))
		return DA_DISCONNECT;
	return (enum dispatch_action)row->act[phase];
}

dispatch_fn *
dispatch_handler(uint8_t type)
{
	const struct dispatch_row *row = dispatch_row(type);

	return row != NULL ? row->handler : NULL;
}

static int
send_unimplemented(struct ssh_conn *c)
{
	struct buf *out = conn_msg(c, SSH2_MSG_UNIMPLEMENTED);
	uint32_t seq = pkt_counters(c->pkt, PKT_DIR_IN)->seqnr - 1;
	int r;

	if ((r = buf_put_u32(out, seq)) != 0)
		return r;
	return conn_send(c, out);
}

int
conn_dispatch(struct ssh_conn *c, struct buf *payload)
{
	dispatch_fn *handler;
	uint8_t type;
	int r;

	if ((r = buf_get_u8(payload, &type)) != 0)
		return conn_fail(c, r, SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "empty packet");
	switch (dispatch_action(type, c->phase, c->kex_peer_open)) {
	case DA_HANDLE:
		if ((handler = dispatch_handler(type)) == NULL)
			return conn_fail(c, SSH_ERR_INTERNAL_ERROR,
			    SSH2_DISCONNECT_PROTOCOL_ERROR,
			    "no handler for message %u", type);
		return handler(c, type, payload);
	case DA_IGNORE:
		return 0;
	case DA_IGNORE_UNLESS_STRICT:
		if (c->kexinit_peer == NULL) {
			/* Strictness is known only from the client's KEXINIT,
			 * which must then have been its first packet. */
			c->packets_before_kexinit++;
			return 0;
		}
		if (c->strict)
			return conn_fail(c, SSH_ERR_STATE_VIOLATION,
			    SSH2_DISCONNECT_PROTOCOL_ERROR, "unexpected "
			    "message %u during strict key exchange", type);
		return 0;
	case DA_UNIMPLEMENTED:
		return send_unimplemented(c);
	case DA_DISCONNECT:
	default:
		return conn_fail(c, SSH_ERR_STATE_VIOLATION,
		    SSH2_DISCONNECT_PROTOCOL_ERROR,
		    "unexpected message %u in this state", type);
	}
}
