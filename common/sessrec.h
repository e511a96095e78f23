/*
 * sessrec.h: the records a nanosshd-session and its listener exchange on
 * the status socketpair (SOCK_SEQPACKET: one record a datagram, so a
 * record is never split or merged with the next).
 *
 * Session to listener: CHILD_STATUS_AUTHENTICATED and CHILD_STATUS_PROXY
 * (daemon/children.h), and SESSREC_INFO, what nanosshctl shows of the
 * connection, and SESSREC_PONG, a ping's round trip.  Listener to
 * session: SESSREC_DISCONNECT, SESSREC_REKEY, SESSREC_PING.
 *
 * The listener believes nothing in an INFO record beyond display: it is
 * parsed with every length and character checked, and a bad record is
 * dropped (a session is not trusted more than its protocol child, which
 * supplies the algorithm names and counters).
 */
#ifndef NANOSSH_SESSREC_H
#define NANOSSH_SESSREC_H

#include <stddef.h>
#include <stdint.h>

#define SESSREC_INFO		'I'
#define SESSREC_DISCONNECT	'D'
#define SESSREC_REKEY		'K'
#define SESSREC_PING		'G'	/* + u32 token */
#define SESSREC_PONG		'R'	/* + u32 token, u32 ms */
#define SESSREC_PING_LEN	5
#define SESSREC_PONG_LEN	9

/* The largest record either way; longer datagrams are truncated, hence
 * refused. */
#define SESSREC_MAX		1024
/* Each name of an INFO record, and a DISCONNECT reason. */
#define SESSREC_NAME_MAX	64
#define SESSREC_REASON_MAX	128

/* Authentication itself is CHILD_STATUS_AUTHENTICATED, as before. */
struct sessrec_info {
	char user[SESSREC_NAME_MAX + 1];	/* "" before authentication */
	char method[SESSREC_NAME_MAX + 1];	/* the methods passed, "," */
	char kex[SESSREC_NAME_MAX + 1];		/* "" until negotiated */
	char hostkey[SESSREC_NAME_MAX + 1];
	char cipher[SESSREC_NAME_MAX + 1];	/* server to client */
	char mac[SESSREC_NAME_MAX + 1];		/* "": AEAD cipher */
	uint64_t bytes_in, bytes_out;		/* on the client socket */
	uint32_t channels;
	uint32_t idle_s;			/* since channel data */
};

/* 1 if s[0..len) may be shown as a name: 1 to SESSREC_NAME_MAX bytes of
 * letters, digits and "@._+-:=,". */
int sessrec_name_ok(const char *s, size_t len);
/* Copies src for a name field: at most SESSREC_NAME_MAX bytes, each not
 * allowed by sessrec_name_ok as '_' (dst[SESSREC_NAME_MAX + 1]). */
void sessrec_name_copy(char *dst, const char *src);
/*
 * Encodes an INFO record into out[outsize] (*lenp its length).  Each
 * name must be "" or pass sessrec_name_ok.  0, SSH_ERR_INVALID_ARGUMENT
 * or SSH_ERR_NO_BUFFER_SPACE.
 */
int sessrec_info_encode(const struct sessrec_info *v, uint8_t *out,
    size_t outsize, size_t *lenp);
/* Parses one INFO record (with its type byte) into *v: 0, or
 * SSH_ERR_INVALID_FORMAT for anything but exactly a valid record. */
int sessrec_info_parse(const uint8_t *p, size_t len, struct sessrec_info *v);

/*
 * Copies what may be sent as a DISCONNECT reason: printable ASCII
 * (anything else becomes '?'), at most SESSREC_REASON_MAX bytes;
 * dst needs SESSREC_REASON_MAX + 1.
 */
void sessrec_reason(char *dst, const char *src, size_t srclen);
/* Encodes a DISCONNECT (with reason) or REKEY (reason NULL) command. */
int sessrec_cmd_encode(int cmd, const char *reason, uint8_t *out,
    size_t outsize, size_t *lenp);
/* Parses a command: *cmdp and, for DISCONNECT, the sanitised reason
 * (reason[SESSREC_REASON_MAX + 1]), for PING the token.  0 or
 * SSH_ERR_INVALID_FORMAT. */
int sessrec_cmd_parse(const uint8_t *p, size_t len, int *cmdp, char *reason,
    uint32_t *tokenp);
/* PING (listener to session) and PONG (back) records, of
 * SESSREC_PING_LEN and SESSREC_PONG_LEN bytes. */
void sessrec_ping_encode(uint32_t token, uint8_t *out);
void sessrec_pong_encode(uint32_t token, uint32_t ms, uint8_t *out);
int sessrec_pong_parse(const uint8_t *p, size_t len, uint32_t *tokenp,
    uint32_t *msp);

#endif
