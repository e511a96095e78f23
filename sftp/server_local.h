/*
 * server_local.h: what server.c (framing, handles, replies) shares with
 * the request handlers in server_ops.c and server_ext.c.
 */
#ifndef NANOSSH_SFTP_SERVER_LOCAL_H
#define NANOSSH_SFTP_SERVER_LOCAL_H

#include <stdint.h>

#include "sftp/server.h"
#include "sftp/sftp_proto.h"
#include "sftp/vfs.h"

struct buf;

enum { H_FREE = 0, H_FILE, H_DIR };

struct sftp_handle {
	int h_kind;
	int h_fd;		/* H_FILE */
	struct vfs_dir *h_dir;	/* H_DIR */
	char *h_vpath;
	int h_readable, h_writable;	/* as opened / as the mount allows */
	int h_modifiable;
	uint64_t h_rbytes, h_wbytes;
};

struct sftp {
	struct vfs *s_vfs;
	sftp_log_fn *s_log;
	void *s_log_ctx;
	int s_inited;
	struct sftp_handle s_handles[SFTP_MAX_HANDLES];
	/* totals for the session's last log line */
	uint64_t s_files_read, s_files_written, s_bytes_read, s_bytes_written;
	uint64_t s_ops, s_failures;
};

/* A request handler: parses req (exactly: buf_expect_end), acts, appends
 * one reply to out.  A negative return means "malformed": the caller
 * answers SSH2_FX_BAD_MESSAGE instead. */
typedef int sftp_handler(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out);

/* Replies. */
int sftp_reply_status(struct buf *out, uint32_t id, uint32_t code,
    const char *msg);
/* STATUS for a vfs result: r == 0 is OK, else errno mapped to SSH2_FX_*;
 * logs the operation (verbose) with the virtual path. */
int sftp_reply_result(struct sftp *s, struct buf *out, uint32_t id, int r,
    const char *op, const char *path);
/* Starts a reply of type (id follows) and returns its offset in *startp;
 * sftp_reply_end fills in the length. */
int sftp_reply_begin(struct buf *out, uint8_t type, uint32_t id,
    size_t *startp);
int sftp_reply_end(struct buf *out, size_t start);
/* A NAME reply with one entry (longname = name, no attributes). */
int sftp_reply_name(struct buf *out, uint32_t id, const char *name);

/* Maps errno to SSH2_FX_* and a message. */
uint32_t sftp_errno_status(int err, const char **msgp);
/* One audit line at verbose level: "op "path" [detail]: result". */
void sftp_audit(struct sftp *s, const char *op, const char *path,
    const char *detail, int r, int err);
void sftp_logf(struct sftp *s, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Handles: a new one (fd or dir taken over) or NULL when all are used. */
struct sftp_handle *sftp_handle_new(struct sftp *s, int kind,
    const char *vpath);
int sftp_handle_put(struct sftp *s, struct buf *out, uint32_t id,
    const struct sftp_handle *h);
/* Parses a handle string; SSH_ERR_INVALID_FORMAT if malformed, *hp NULL
 * if well formed but not open (or of another kind when kind != 0). */
int sftp_handle_get(struct sftp *s, struct buf *req, int kind,
    struct sftp_handle **hp);
/* Closes h (logging it); returns what close(2) said. */
int sftp_handle_close(struct sftp *s, struct sftp_handle *h);

sftp_handler sftp_h_open, sftp_h_close, sftp_h_read, sftp_h_write,
    sftp_h_lstat, sftp_h_fstat, sftp_h_setstat, sftp_h_fsetstat,
    sftp_h_opendir, sftp_h_readdir, sftp_h_remove, sftp_h_mkdir,
    sftp_h_rmdir, sftp_h_realpath, sftp_h_stat, sftp_h_rename,
    sftp_h_readlink, sftp_h_symlink, sftp_h_extended;
/* Shared by requests and extensions: SETSTAT (follow) and lsetstat; kind
 * 0 RENAME, 1 posix-rename, 2 hardlink, 3 SYMLINK; a path of at most
 * VFS_PATH_MAX without NUL. */
int sftp_setstat_common(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out, int follow);
int sftp_two_path_op(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out, const char *op, int kind);
int sftp_get_path(struct buf *req, char **pathp);
/* The VERSION reply's extension list. */
int sftp_ext_advertise(struct buf *out);

#endif
