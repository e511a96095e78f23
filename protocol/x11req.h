/*
 * x11req.h: the "x11-req" session request (RFC 4254 6.3.1), parsed and
 * checked for both sides of the privilege split: the protocol child reads
 * it off the wire, and the monitor checks the same fields again when
 * they reach it over IPC.
 *
 *	boolean	single connection
 *	string	x11 authentication protocol ("MIT-MAGIC-COOKIE-1")
 *	string	x11 authentication cookie, hex
 *	uint32	x11 screen number
 *
 * The protocol name and the cookie end up on xauth's standard input, one
 * line each: x11req_check keeps them to what cannot break that line.
 */
#ifndef NANOSSH_X11REQ_H
#define NANOSSH_X11REQ_H

#include <stdint.h>

struct buf;

#define X11REQ_PROTO_MAX	64	/* auth protocol name, bytes */
#define X11REQ_COOKIE_MAX	512	/* hex digits (256 bytes of cookie) */
#define X11REQ_SCREEN_MAX	1024

struct x11req {
	int single;		/* one connection, then stop listening */
	char *proto;
	char *cookie;
	uint32_t screen;
};

/* Takes the request-specific fields from m, all of them and nothing more
 * (SSH_ERR_UNEXPECTED_TRAILING_DATA otherwise).  On error q holds nothing
 * to free beyond what x11req_clear frees. */
int x11req_parse(struct buf *m, struct x11req *q);
/* NULL when the fields are acceptable, else why not (for the log):
 * the protocol name letters, digits, '-', '_' and '.'; the cookie an
 * even number of hex digits; each bounded. */
const char *x11req_check(const char *proto, const char *cookie,
    uint32_t screen);
/* Frees and wipes the strings (the cookie is a credential). */
void x11req_clear(struct x11req *q);

#endif
