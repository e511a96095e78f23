/*
 * server.c: SFTP packet framing, the request table, replies, handles and
 * the audit log.  The handlers are in server_ops.c and server_ext.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "sftp/attr.h"
#include "sftp/server_local.h"
#include "sftp/vfs.h"

static const struct {
	uint8_t type;
	sftp_handler *fn;
} handlers[] = {
	{ SSH2_FXP_OPEN, sftp_h_open },
	{ SSH2_FXP_CLOSE, sftp_h_close },
	{ SSH2_FXP_READ, sftp_h_read },
	{ SSH2_FXP_WRITE, sftp_h_write },
	{ SSH2_FXP_LSTAT, sftp_h_lstat },
	{ SSH2_FXP_FSTAT, sftp_h_fstat },
	{ SSH2_FXP_SETSTAT, sftp_h_setstat },
	{ SSH2_FXP_FSETSTAT, sftp_h_fsetstat },
	{ SSH2_FXP_OPENDIR, sftp_h_opendir },
	{ SSH2_FXP_READDIR, sftp_h_readdir },
	{ SSH2_FXP_REMOVE, sftp_h_remove },
	{ SSH2_FXP_MKDIR, sftp_h_mkdir },
	{ SSH2_FXP_RMDIR, sftp_h_rmdir },
	{ SSH2_FXP_REALPATH, sftp_h_realpath },
	{ SSH2_FXP_STAT, sftp_h_stat },
	{ SSH2_FXP_RENAME, sftp_h_rename },
	{ SSH2_FXP_READLINK, sftp_h_readlink },
	{ SSH2_FXP_SYMLINK, sftp_h_symlink },
	{ SSH2_FXP_EXTENDED, sftp_h_extended },
};

void
sftp_logf(struct sftp *s, int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (s->s_log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	s->s_log(s->s_log_ctx, level, line);
}

int
sftp_new(struct vfs *v, sftp_log_fn *log, void *log_ctx, struct sftp **sp)
{
	struct sftp *s;
	size_t i;

	*sp = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	s->s_vfs = v;
	s->s_log = log;
	s->s_log_ctx = log_ctx;
	for (i = 0; i < SFTP_MAX_HANDLES; i++)
		s->s_handles[i].h_fd = -1;
	*sp = s;
	return 0;
}

void
sftp_free(struct sftp *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < SFTP_MAX_HANDLES; i++)
		if (s->s_handles[i].h_kind != H_FREE)
			sftp_handle_close(s, &s->s_handles[i]);
	sftp_logf(s, LOG_LVL_VERBOSE, "session totals: %llu operations "
	    "(%llu failed), %llu files read (%llu bytes), %llu files written "
	    "(%llu bytes)", (unsigned long long)s->s_ops,
	    (unsigned long long)s->s_failures,
	    (unsigned long long)s->s_files_read,
	    (unsigned long long)s->s_bytes_read,
	    (unsigned long long)s->s_files_written,
	    (unsigned long long)s->s_bytes_written);
	free(s);
}

unsigned int
sftp_open_handles(const struct sftp *s)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < SFTP_MAX_HANDLES; i++)
		if (s->s_handles[i].h_kind != H_FREE)
			n++;
	return n;
}

uint32_t
sftp_errno_status(int err, const char **msgp)
{
	switch (err) {
	case 0:
		*msgp = "Success";
		return SSH2_FX_OK;
	case EBADF:
		/* Only ever for a handle that is not open (as OpenSSH). */
		*msgp = "Invalid handle";
		return SSH2_FX_FAILURE;
	case ENOENT:
	case ENOTDIR:
		*msgp = "No such file";
		return SSH2_FX_NO_SUCH_FILE;
	case EPERM:
	case EACCES:
	case EFAULT:
	case EROFS:
		*msgp = "Permission denied";
		return SSH2_FX_PERMISSION_DENIED;
	case ENAMETOOLONG:
	case EINVAL:
		*msgp = "Bad message";
		return SSH2_FX_BAD_MESSAGE;
	case ENOSYS:
	case EOPNOTSUPP:
		*msgp = "Operation unsupported";
		return SSH2_FX_OP_UNSUPPORTED;
	default:
		*msgp = strerror(err);
		return SSH2_FX_FAILURE;
	}
}

void
sftp_audit(struct sftp *s, const char *op, const char *path,
    const char *detail, int r, int err)
{
	const char *msg = "ok";
	char *canon = NULL, *real = NULL;

	s->s_ops++;
	if (r != 0) {
		s->s_failures++;
		msg = r == SSH_ERR_SYSTEM_ERROR ? strerror(err) : ssh_err(r);
	}
	if (s->s_log == NULL)
		return;
	/* The virtual path as the server understood it, never a real one. */
	if (path != NULL && vfs_canon(s->s_vfs, path, &canon) != 0)
		canon = NULL;
	sftp_logf(s, LOG_LVL_VERBOSE, "%s%s%s%s%s%s: %s", op,
	    path != NULL ? " \"" : "", canon != NULL ? canon :
	    (path != NULL ? path : ""), path != NULL ? "\"" : "",
	    detail != NULL ? " " : "", detail != NULL ? detail : "", msg);
	/* The real path only at debug, for the administrator. */
	if (canon != NULL && vfs_real_path(s->s_vfs, canon, &real) == 0)
		sftp_logf(s, LOG_LVL_DEBUG, "%s \"%s\" is \"%s\"", op, canon,
		    real);
	free(canon);
	free(real);
}

int
sftp_reply_begin(struct buf *out, uint8_t type, uint32_t id, size_t *startp)
{
	int r = SSH_ERR_INTERNAL_ERROR;

	*startp = buf_len(out);
	if ((r = buf_put_u32(out, 0)) != 0 ||
	    (r = buf_put_u8(out, type)) != 0)
		return r;
	if (type != SSH2_FXP_VERSION && (r = buf_put_u32(out, id)) != 0)
		return r;
	return 0;
}

int
sftp_reply_end(struct buf *out, size_t start)
{
	return buf_poke_u32(out, start, (uint32_t)(buf_len(out) - start - 4));
}

int
sftp_reply_status(struct buf *out, uint32_t id, uint32_t code,
    const char *msg)
{
	size_t start;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_reply_begin(out, SSH2_FXP_STATUS, id, &start)) != 0 ||
	    (r = buf_put_u32(out, code)) != 0 ||
	    (r = buf_put_cstring(out, msg)) != 0 ||
	    (r = buf_put_cstring(out, "")) != 0 ||
	    (r = sftp_reply_end(out, start)) != 0)
		return r;
	return 0;
}

int
sftp_reply_result(struct sftp *s, struct buf *out, uint32_t id, int r,
    const char *op, const char *path)
{
	const char *msg;
	uint32_t code;
	int err = errno;

	if (op != NULL)
		sftp_audit(s, op, path, NULL, r, err);
	if (r == 0)
		return sftp_reply_status(out, id, SSH2_FX_OK, "Success");
	if (r != SSH_ERR_SYSTEM_ERROR)
		return sftp_reply_status(out, id, SSH2_FX_FAILURE, ssh_err(r));
	code = sftp_errno_status(err, &msg);
	return sftp_reply_status(out, id, code, msg);
}

int
sftp_reply_name(struct buf *out, uint32_t id, const char *name)
{
	size_t start;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_reply_begin(out, SSH2_FXP_NAME, id, &start)) != 0 ||
	    (r = buf_put_u32(out, 1)) != 0 ||
	    (r = buf_put_cstring(out, name)) != 0 ||
	    (r = buf_put_cstring(out, name)) != 0 ||
	    (r = sftp_attr_put_none(out)) != 0 ||
	    (r = sftp_reply_end(out, start)) != 0)
		return r;
	return 0;
}

struct sftp_handle *
sftp_handle_new(struct sftp *s, int kind, const char *vpath)
{
	struct sftp_handle *h;
	size_t i;

	for (i = 0; i < SFTP_MAX_HANDLES; i++) {
		h = &s->s_handles[i];
		if (h->h_kind != H_FREE)
			continue;
		memset(h, 0, sizeof(*h));
		h->h_fd = -1;
		if (vfs_canon(s->s_vfs, vpath, &h->h_vpath) != 0)
			return NULL;
		h->h_kind = kind;
		return h;
	}
	return NULL;
}

int
sftp_handle_put(struct sftp *s, struct buf *out, uint32_t id,
    const struct sftp_handle *h)
{
	size_t start;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_reply_begin(out, SSH2_FXP_HANDLE, id, &start)) != 0 ||
	    (r = buf_put_u32(out, 4)) != 0 ||
	    (r = buf_put_u32(out, (uint32_t)(h - s->s_handles))) != 0 ||
	    (r = sftp_reply_end(out, start)) != 0)
		return r;
	return 0;
}

int
sftp_handle_get(struct sftp *s, struct buf *req, int kind,
    struct sftp_handle **hp)
{
	const uint8_t *p;
	size_t len;
	uint32_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	*hp = NULL;
	if ((r = buf_get_string_direct(req, &p, &len)) != 0)
		return r;
	if (len != 4)
		return 0;	/* well formed, just not one of ours */
	i = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	if (i < SFTP_MAX_HANDLES && s->s_handles[i].h_kind != H_FREE &&
	    (kind == 0 || s->s_handles[i].h_kind == kind))
		*hp = &s->s_handles[i];
	return 0;
}

int
sftp_handle_close(struct sftp *s, struct sftp_handle *h)
{
	char detail[96];
	int r = 0, err = 0;

	if (h->h_kind == H_FILE) {
		snprintf(detail, sizeof(detail), "read %llu written %llu",
		    (unsigned long long)h->h_rbytes,
		    (unsigned long long)h->h_wbytes);
		if (close(h->h_fd) != 0) {
			r = SSH_ERR_SYSTEM_ERROR;
			err = errno;
		}
		if (h->h_rbytes > 0 || (h->h_readable && !h->h_writable))
			s->s_files_read++;
		if (h->h_wbytes > 0 || h->h_writable)
			s->s_files_written++;
		s->s_bytes_read += h->h_rbytes;
		s->s_bytes_written += h->h_wbytes;
		sftp_audit(s, "close", h->h_vpath, detail, r, err);
	} else if (h->h_kind == H_DIR) {
		vfs_dir_close(h->h_dir);
		sftp_logf(s, LOG_LVL_DEBUG, "closedir \"%s\"", h->h_vpath);
	}
	free(h->h_vpath);
	memset(h, 0, sizeof(*h));
	h->h_fd = -1;
	errno = err;
	return r;
}

/* VERSION: ours, then the extensions. */
static int
process_init(struct sftp *s, struct buf *req, struct buf *out)
{
	uint32_t version;
	size_t start;
	int r = SSH_ERR_INTERNAL_ERROR;

	/* Extension pairs a client may append are read and ignored. */
	if ((r = buf_get_u32(req, &version)) != 0)
		return r;
	while (buf_len(req) > 0) {
		if ((r = buf_get_string_direct(req, NULL, NULL)) != 0 ||
		    (r = buf_get_string_direct(req, NULL, NULL)) != 0)
			return r;
	}
	sftp_logf(s, LOG_LVL_VERBOSE, "client version %u", version);
	if ((r = sftp_reply_begin(out, SSH2_FXP_VERSION, 0, &start)) != 0 ||
	    (r = buf_put_u32(out, SFTP_VERSION)) != 0 ||
	    (r = sftp_ext_advertise(out)) != 0 ||
	    (r = sftp_reply_end(out, start)) != 0)
		return r;
	s->s_inited = 1;
	return 0;
}

static sftp_handler *
handler_for(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (handlers[i].type == type)
			return handlers[i].fn;
	return NULL;
}

int
sftp_process(struct sftp *s, struct buf *in, struct buf *out)
{
	struct buf *req = NULL;
	sftp_handler *fn;
	uint32_t len, id = 0;
	uint8_t type;
	size_t mark;
	int r = SSH_ERR_INTERNAL_ERROR, hr;

	if (buf_len(in) < 4)
		return 0;
	if ((r = buf_peek_u32(in, 0, &len)) != 0)
		return r;
	if (len > SFTP_MAX_PACKET || len < 5)
		return SSH_ERR_INVALID_FORMAT;
	if (buf_len(in) < 4 + (size_t)len)
		return 0;
	if ((req = buf_from(buf_ptr(in) + 4, len)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_get_u8(req, &type)) != 0)
		goto out;
	if (!s->s_inited || type == SSH2_FXP_INIT) {
		if (s->s_inited || type != SSH2_FXP_INIT) {
			r = SSH_ERR_PROTOCOL_ERROR;
			goto out;
		}
		if ((r = process_init(s, req, out)) != 0)
			goto out;
		r = 1;
		goto out;
	}
	if ((r = buf_get_u32(req, &id)) != 0) {
		/* No id to answer to: the request cannot be answered. */
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((fn = handler_for(type)) == NULL) {
		sftp_logf(s, LOG_LVL_INFO, "unknown request type %u", type);
		r = sftp_reply_status(out, id, SSH2_FX_OP_UNSUPPORTED,
		    "Operation unsupported");
	} else {
		mark = buf_len(out);
		if ((hr = fn(s, id, req, out)) == 0)
			r = 0;
		else {
			/* Drop a half-built reply, answer BAD_MESSAGE. */
			if (buf_len(out) > mark &&
			    (r = buf_consume_end(out, buf_len(out) - mark)) != 0)
				goto out;
			sftp_logf(s, LOG_LVL_INFO, "malformed request type %u: "
			    "%s", type, ssh_err(hr));
			r = sftp_reply_status(out, id, SSH2_FX_BAD_MESSAGE,
			    "Bad message");
		}
	}
	if (r == 0)
		r = 1;
 out:
	buf_free(req);
	if (r == 1 && buf_consume(in, 4 + (size_t)len) != 0)
		r = SSH_ERR_INTERNAL_ERROR;
	return r;
}
