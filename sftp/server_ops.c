/*
 * server_ops.c: the SFTP v3 requests (everything but EXTENDED).  Each
 * handler parses its request completely before acting.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "sftp/attr.h"
#include "sftp/server_local.h"
#include "sftp/vfs.h"

int
sftp_get_path(struct buf *req, char **pathp)
{
	size_t len;
	int r = SSH_ERR_INTERNAL_ERROR;

	*pathp = NULL;
	if ((r = buf_get_cstring(req, pathp, &len)) != 0)
		return r;
	if (len >= VFS_PATH_MAX) {
		free(*pathp);
		*pathp = NULL;
		return SSH_ERR_STRING_TOO_LARGE;
	}
	return 0;
}

static int
pflags_to_open(uint32_t pflags, int *flagsp)
{
	int flags;

	if ((pflags & SSH2_FXF_READ) && (pflags & SSH2_FXF_WRITE))
		flags = O_RDWR;
	else if (pflags & SSH2_FXF_WRITE)
		flags = O_WRONLY;
	else
		flags = O_RDONLY;	/* as OpenSSH: READ or nothing */
	if (pflags & SSH2_FXF_APPEND)
		flags |= O_APPEND;
	if (pflags & SSH2_FXF_CREAT)
		flags |= O_CREAT;
	if (pflags & SSH2_FXF_TRUNC)
		flags |= O_TRUNC;
	if (pflags & SSH2_FXF_EXCL)
		flags |= O_EXCL;
	if (pflags & ~(uint32_t)0x3f)
		return SSH_ERR_INVALID_FORMAT;
	*flagsp = flags;
	return 0;
}

int
sftp_h_open(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	struct vfs_attr a;
	char *path = NULL;
	uint32_t pflags;
	int r = SSH_ERR_INTERNAL_ERROR, flags, fd = -1, modifiable, err;
	mode_t mode;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = buf_get_u32(req, &pflags)) != 0 ||
	    (r = sftp_attr_get(req, &a)) != 0 ||
	    (r = pflags_to_open(pflags, &flags)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	mode = (a.flags & VFS_ATTR_PERM) ? (a.perm & 07777) : 0666;
	if ((r = vfs_open(s->s_vfs, path, flags, mode, &fd,
	    &modifiable)) != 0) {
		r = sftp_reply_result(s, out, id, r, "open", path);
		goto out;
	}
	if ((h = sftp_handle_new(s, H_FILE, path)) == NULL) {
		err = EMFILE;
		close(fd);
		errno = err;
		r = sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    "open", path);
		goto out;
	}
	h->h_fd = fd;
	h->h_readable = (flags & O_ACCMODE) != O_WRONLY;
	h->h_writable = (flags & O_ACCMODE) != O_RDONLY;
	h->h_modifiable = modifiable;
	sftp_audit(s, "open", path, h->h_writable ? (h->h_readable ?
	    "read-write" : "write") : "read", 0, 0);
	r = sftp_handle_put(s, out, id, h);
 out:
	free(path);
	return r;
}

int
sftp_h_close(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_handle_get(s, req, 0, &h)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (h == NULL) {
		errno = EBADF;
		return sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
	}
	r = sftp_handle_close(s, h);
	return sftp_reply_result(s, out, id, r, NULL, NULL);
}

int
sftp_h_read(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	uint64_t off;
	uint32_t len;
	size_t start;
	uint8_t *p;
	ssize_t n;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_handle_get(s, req, H_FILE, &h)) != 0 ||
	    (r = buf_get_u64(req, &off)) != 0 ||
	    (r = buf_get_u32(req, &len)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (h == NULL || !h->h_readable) {
		errno = h == NULL ? EBADF : EACCES;
		return sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
	}
	if (off > (uint64_t)INT64_MAX) {
		errno = EINVAL;
		return sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
	}
	if (len > SFTP_MAX_READ)
		len = SFTP_MAX_READ;	/* clients cope with short reads */
	/* Read straight into the reply, then trim it to what came. */
	if ((r = sftp_reply_begin(out, SSH2_FXP_DATA, id, &start)) != 0 ||
	    (r = buf_put_u32(out, len)) != 0 ||
	    (r = buf_reserve(out, len, &p)) != 0)
		return r;
	do {
		n = pread(h->h_fd, p, len, (off_t)off);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		int err = errno;

		if ((r = buf_consume_end(out, buf_len(out) - start)) != 0)
			return r;
		if (n == 0)
			return sftp_reply_status(out, id, SSH2_FX_EOF,
			    "End of file");
		errno = err;
		return sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
	}
	if ((r = buf_consume_end(out, len - (size_t)n)) != 0 ||
	    (r = buf_poke_u32(out, start + 9, (uint32_t)n)) != 0)
		return r;
	h->h_rbytes += (uint64_t)n;
	return sftp_reply_end(out, start);
}

int
sftp_h_write(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	const uint8_t *data;
	size_t len, done = 0;
	uint64_t off;
	ssize_t n;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_handle_get(s, req, H_FILE, &h)) != 0 ||
	    (r = buf_get_u64(req, &off)) != 0 ||
	    (r = buf_get_string_direct(req, &data, &len)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (h == NULL || !h->h_writable) {
		errno = h == NULL ? EBADF : EACCES;
		return sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
	}
	if (off > (uint64_t)INT64_MAX - len) {
		errno = EINVAL;
		return sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
	}
	while (done < len) {
		n = pwrite(h->h_fd, data + done, len - done,
		    (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			h->h_wbytes += done;
			return sftp_reply_result(s, out, id,
			    SSH_ERR_SYSTEM_ERROR, NULL, NULL);
		}
		done += (size_t)n;
	}
	h->h_wbytes += done;
	return sftp_reply_status(out, id, SSH2_FX_OK, "Success");
}

static int
reply_attrs(struct buf *out, uint32_t id, const struct stat *st)
{
	size_t start;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_reply_begin(out, SSH2_FXP_ATTRS, id, &start)) != 0 ||
	    (r = sftp_attr_put_stat(out, st)) != 0 ||
	    (r = sftp_reply_end(out, start)) != 0)
		return r;
	return 0;
}

static int
stat_common(struct sftp *s, uint32_t id, struct buf *req, struct buf *out,
    int follow)
{
	struct stat st;
	char *path = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	if ((r = vfs_stat(s->s_vfs, path, follow, &st)) != 0)
		r = sftp_reply_result(s, out, id, r, NULL, NULL);
	else
		r = reply_attrs(out, id, &st);
 out:
	free(path);
	return r;
}

int
sftp_h_lstat(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return stat_common(s, id, req, out, 0);
}

int
sftp_h_stat(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return stat_common(s, id, req, out, 1);
}

int
sftp_h_fstat(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	struct stat st;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_handle_get(s, req, 0, &h)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (h == NULL) {
		errno = EBADF;
		r = SSH_ERR_SYSTEM_ERROR;
	} else if (h->h_kind == H_DIR)
		r = vfs_dir_stat(h->h_dir, &st);
	else
		r = fstat(h->h_fd, &st) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
	if (r != 0)
		return sftp_reply_result(s, out, id, r, NULL, NULL);
	return reply_attrs(out, id, &st);
}

/* SETSTAT and lsetstat@openssh.com (follow = 0). */
int
sftp_setstat_common(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out, int follow)
{
	struct vfs_attr a;
	char *path = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = sftp_attr_get(req, &a)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	r = vfs_setstat(s->s_vfs, path, follow, &a);
	r = sftp_reply_result(s, out, id, r, follow ? "setstat" : "lsetstat",
	    path);
 out:
	free(path);
	return r;
}

int
sftp_h_setstat(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return sftp_setstat_common(s, id, req, out, 1);
}

int
sftp_h_fsetstat(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out)
{
	struct sftp_handle *h;
	struct vfs_attr a;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_handle_get(s, req, H_FILE, &h)) != 0 ||
	    (r = sftp_attr_get(req, &a)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (h == NULL || !h->h_modifiable) {
		errno = h == NULL ? EBADF : EACCES;
		r = SSH_ERR_SYSTEM_ERROR;
	} else
		r = vfs_fsetstat(h->h_fd, &a);
	return sftp_reply_result(s, out, id, r, "fsetstat",
	    h != NULL ? h->h_vpath : NULL);
}

int
sftp_h_opendir(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	struct vfs_dir *d = NULL;
	char *path = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	if ((r = vfs_opendir(s->s_vfs, path, &d)) != 0) {
		r = sftp_reply_result(s, out, id, r, "opendir", path);
		goto out;
	}
	if ((h = sftp_handle_new(s, H_DIR, path)) == NULL) {
		vfs_dir_close(d);
		errno = EMFILE;
		r = sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    "opendir", path);
		goto out;
	}
	h->h_dir = d;
	sftp_audit(s, "opendir", path, NULL, 0, 0);
	r = sftp_handle_put(s, out, id, h);
 out:
	free(path);
	return r;
}

int
sftp_h_readdir(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	struct stat st;
	const char *name;
	char longname[1024 + 256];
	size_t start;
	uint32_t count = 0;
	time_t now = time(NULL);
	int r = SSH_ERR_INTERNAL_ERROR, nr;

	if ((r = sftp_handle_get(s, req, H_DIR, &h)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (h == NULL) {
		errno = EBADF;
		return sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
	}
	if ((r = sftp_reply_begin(out, SSH2_FXP_NAME, id, &start)) != 0 ||
	    (r = buf_put_u32(out, 0)) != 0)
		return r;
	while (count < SFTP_READDIR_BATCH &&
	    (nr = vfs_dir_next(h->h_dir, &name, &st)) == 0) {
		sftp_longname(longname, sizeof(longname), name, &st, now);
		if ((r = buf_put_cstring(out, name)) != 0 ||
		    (r = buf_put_cstring(out, longname)) != 0 ||
		    (r = sftp_attr_put_stat(out, &st)) != 0)
			return r;
		count++;
	}
	if (count == 0) {
		if ((r = buf_consume_end(out, buf_len(out) - start)) != 0)
			return r;
		if (nr < 0)
			return sftp_reply_result(s, out, id, nr, NULL, NULL);
		return sftp_reply_status(out, id, SSH2_FX_EOF, "End of file");
	}
	if ((r = buf_poke_u32(out, start + 9, count)) != 0)
		return r;
	return sftp_reply_end(out, start);
}

/* Requests that take one path and answer with a status. */
static int
path_op(struct sftp *s, uint32_t id, struct buf *req, struct buf *out,
    const char *op, int (*fn)(const struct vfs *, const char *))
{
	char *path = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	r = sftp_reply_result(s, out, id, fn(s->s_vfs, path), op, path);
 out:
	free(path);
	return r;
}

int
sftp_h_remove(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return path_op(s, id, req, out, "remove", vfs_remove);
}

int
sftp_h_rmdir(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return path_op(s, id, req, out, "rmdir", vfs_rmdir);
}

int
sftp_h_mkdir(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct vfs_attr a;
	char *path = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = sftp_attr_get(req, &a)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	r = vfs_mkdir(s->s_vfs, path,
	    (a.flags & VFS_ATTR_PERM) ? (a.perm & 07777) : 0777);
	r = sftp_reply_result(s, out, id, r, "mkdir", path);
 out:
	free(path);
	return r;
}

/* REALPATH and READLINK: a path in, one name out (or a status). */
static int
path_to_name(struct sftp *s, uint32_t id, struct buf *req, struct buf *out,
    int (*fn)(const struct vfs *, const char *, char **))
{
	char *path = NULL, *name = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	if ((r = fn(s->s_vfs, path, &name)) != 0)
		r = sftp_reply_result(s, out, id, r, NULL, NULL);
	else
		r = sftp_reply_name(out, id, name);
 out:
	free(path);
	free(name);
	return r;
}

int
sftp_h_realpath(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out)
{
	/* "" is "." (draft-ietf-secsh-filexfer-02 section 6.9). */
	return path_to_name(s, id, req, out, vfs_canon);
}

/* RENAME (no overwrite), posix-rename and hardlink: two paths, a status. */
int
sftp_two_path_op(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out, const char *op, int kind)
{
	char *a = NULL, *b = NULL, *detail = NULL, *canon = NULL;
	int r = SSH_ERR_INTERNAL_ERROR, err;

	if ((r = sftp_get_path(req, &a)) != 0 || (r = sftp_get_path(req, &b)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	switch (kind) {
	case 0:
		r = vfs_rename(s->s_vfs, a, b, 1);
		break;
	case 1:
		r = vfs_rename(s->s_vfs, a, b, 0);
		break;
	case 2:
		r = vfs_link(s->s_vfs, a, b);
		break;
	default:
		/* SYMLINK, OpenSSH's order: target first, then the link. */
		r = vfs_symlink(s->s_vfs, a, b);
		break;
	}
	err = errno;
	/* The second path as understood; a link's contents as given. */
	if (kind == 3) {
		if (asprintf(&detail, "-> \"%s\"", a) < 0)
			detail = NULL;
	} else if (vfs_canon(s->s_vfs, b, &canon) == 0) {
		if (asprintf(&detail, "to \"%s\"", canon) < 0)
			detail = NULL;
		free(canon);
	}
	sftp_audit(s, op, kind == 3 ? b : a, detail, r, err);
	errno = err;
	r = sftp_reply_result(s, out, id, r, NULL, NULL);
 out:
	free(a);
	free(b);
	free(detail);
	return r;
}

int
sftp_h_rename(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return sftp_two_path_op(s, id, req, out, "rename", 0);
}

int
sftp_h_symlink(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return sftp_two_path_op(s, id, req, out, "symlink", 3);
}

int
sftp_h_readlink(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out)
{
	return path_to_name(s, id, req, out, vfs_readlink);
}
