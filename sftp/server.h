/*
 * server.h: the SFTP v3 server's packet core.  Bytes in, bytes out: the
 * caller feeds what arrived from the client into a buffer and writes
 * whatever the core appends to the output buffer.  The core does its file
 * work through a vfs (vfs.h) and never touches stdin/stdout itself, so
 * unit tests and the fuzz target drive it directly.
 */
#ifndef NANOSSH_SFTP_SERVER_H
#define NANOSSH_SFTP_SERVER_H

#include <stdint.h>

struct buf;
struct vfs;
struct sftp;

/* Log callback: level is enum log_level (common/log.h); msg is one
 * unescaped line (the logger escapes). */
typedef void sftp_log_fn(void *ctx, int level, const char *msg);

/* A new server over v (borrowed; must outlive it).  log may be NULL. */
int sftp_new(struct vfs *v, sftp_log_fn *log, void *log_ctx, struct sftp **sp);
/* Closes every open handle (logging each, and the session's totals). */
void sftp_free(struct sftp *s);

/*
 * Handles at most one packet from the front of in (consuming it) and
 * appends the reply to out.  Returns 1 when a packet was handled, 0 when in
 * does not yet hold a whole packet, or a negative SSH_ERR_* when the
 * session must end: a packet longer than SFTP_MAX_PACKET or shorter than
 * its header, anything but INIT first, or a second INIT.  Malformed
 * requests are answered with SSH2_FX_BAD_MESSAGE and do not end it.
 */
int sftp_process(struct sftp *s, struct buf *in, struct buf *out);

/* Number of open handles (for tests). */
unsigned int sftp_open_handles(const struct sftp *s);

#endif
