/*
 * version.h: the identification-string exchange (RFC 4253 section 4.2),
 * without I/O: feed received bytes, get the peer's identification.
 */
#ifndef NANOSSH_VERSION_H
#define NANOSSH_VERSION_H

struct buf;

/* RFC 4253: the identification line is at most 255 bytes with its CR LF. */
#define VERSION_LINE_MAX		255
/* Lines a peer may send before its identification (bounded so that a peer
 * cannot keep a connection in the version phase by talking). */
#define VERSION_PREBANNER_LINES_MAX	10

struct version_rx {
	unsigned int lines;	/* pre-banner lines seen so far */
};

/*
 * Consumes complete lines from in.  Returns 0 and sets *identp to the
 * peer's identification without its line ending (caller frees; this is
 * V_C of the exchange hash) once it has arrived; bytes after it stay in
 * in.  Returns SSH_ERR_MESSAGE_INCOMPLETE while more bytes are needed,
 * SSH_ERR_PROTOCOL_MISMATCH for an SSH version other than 2.0 / 1.99,
 * SSH_ERR_NO_PROTOCOL_VERSION for too many or too long lines, and
 * SSH_ERR_INVALID_FORMAT for NUL or control bytes or an empty software
 * version.
 */
int version_parse(struct version_rx *st, struct buf *in, char **identp);

/* 0 if the identification is acceptable for V_S / V_C. */
int version_check(const char *ident);

#endif
