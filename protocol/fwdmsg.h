/*
 * fwdmsg.h: the payloads of port forwarding, sans-IO: the type-specific
 * bytes of the channel opens "direct-tcpip" (RFC 4254 7.2) and
 * "direct-streamlocal@openssh.com", and of the global requests
 * "tcpip-forward" / "cancel-tcpip-forward" (RFC 4254 7.1) and
 * "streamlocal-forward@openssh.com" /
 * "cancel-streamlocal-forward@openssh.com" (OpenSSH PROTOCOL 2.4); and
 * the opens we send, "forwarded-tcpip" and
 * "forwarded-streamlocal@openssh.com".
 *
 * Every parser consumes its input exactly and refuses what no sensible
 * client sends: a port over 65535, a host name longer than
 * FWDMSG_HOST_MAX, an empty host or path to connect to, a socket path that
 * does not fit a sockaddr_un, NUL or other control characters (names
 * end up in log lines).  Functions return 0 or
 * a negative SSH_ERR_* (ssherr.h).
 */
#ifndef NANOSSH_FWDMSG_H
#define NANOSSH_FWDMSG_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define FWDMSG_HOST_MAX		255	/* a DNS name's longest text form */
#define FWDMSG_PATH_MAX		107	/* sun_path less its NUL */

enum fwdmsg_kind {
	FWDMSG_NONE = 0,
	FWDMSG_DIRECT_TCPIP,		/* channel open */
	FWDMSG_DIRECT_STREAMLOCAL,	/* channel open */
	FWDMSG_TCPIP_FORWARD,		/* global request */
	FWDMSG_CANCEL_TCPIP_FORWARD,	/* global request */
	FWDMSG_STREAMLOCAL_FORWARD,	/* global request */
	FWDMSG_CANCEL_STREAMLOCAL_FORWARD, /* global request */
};

/* What a forwarding request names. */
struct fwdmsg {
	enum fwdmsg_kind kind;
	int unix_sock;		/* 1: host is a socket path, port is 0 */
	char *host;		/* host to connect to / address to listen on / path */
	uint32_t port;
	char *orig_addr;	/* direct-tcpip: the originator ("" otherwise) */
	uint32_t orig_port;
};

/* The kind for a channel type or global request name, FWDMSG_NONE for
 * any other name. */
enum fwdmsg_kind fwdmsg_kind(const char *name);
/* 1 for the two channel-open kinds, 0 for the global requests. */
int fwdmsg_is_open(enum fwdmsg_kind kind);

/* Parses data/len as the payload of kind into *m (cleared first; free
 * with fwdmsg_clear, also after a failure). */
int fwdmsg_parse(enum fwdmsg_kind kind, const uint8_t *data, size_t len,
    struct fwdmsg *m);
void fwdmsg_clear(struct fwdmsg *m);

/* The open payloads we send for a connection to a listener:
 * forwarded-tcpip: the address and port that were connected (as the
 * client asked for them, with the port actually bound), the originator;
 * forwarded-streamlocal@openssh.com: the socket path. */
int fwdmsg_put_forwarded_tcpip(struct buf *out, const char *addr,
    uint32_t port, const char *orig_addr, uint32_t orig_port);
int fwdmsg_put_forwarded_streamlocal(struct buf *out, const char *path);

#endif
