/*
 * server_ext.c: SSH2_FXP_EXTENDED requests (OpenSSH's PROTOCOL file and
 * draft-ietf-secsh-filexfer-extensions-00) and their advertisement.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "sftp/server_local.h"
#include "sftp/vfs.h"

static int
ext_posix_rename(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out)
{
	return sftp_two_path_op(s, id, req, out, "posix-rename", 1);
}

static int
ext_hardlink(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return sftp_two_path_op(s, id, req, out, "hardlink", 2);
}

static int
ext_lsetstat(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	return sftp_setstat_common(s, id, req, out, 0);
}

static int
reply_statvfs(struct buf *out, uint32_t id, const struct statvfs *sv)
{
	size_t start;
	uint64_t flag = 0;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (sv->f_flag & ST_RDONLY)
		flag |= SSH2_FXE_STATVFS_ST_RDONLY;
	if (sv->f_flag & ST_NOSUID)
		flag |= SSH2_FXE_STATVFS_ST_NOSUID;
	if ((r = sftp_reply_begin(out, SSH2_FXP_EXTENDED_REPLY, id,
	    &start)) != 0 ||
	    (r = buf_put_u64(out, sv->f_bsize)) != 0 ||
	    (r = buf_put_u64(out, sv->f_frsize)) != 0 ||
	    (r = buf_put_u64(out, sv->f_blocks)) != 0 ||
	    (r = buf_put_u64(out, sv->f_bfree)) != 0 ||
	    (r = buf_put_u64(out, sv->f_bavail)) != 0 ||
	    (r = buf_put_u64(out, sv->f_files)) != 0 ||
	    (r = buf_put_u64(out, sv->f_ffree)) != 0 ||
	    (r = buf_put_u64(out, sv->f_favail)) != 0 ||
	    (r = buf_put_u64(out, sv->f_fsid)) != 0 ||
	    (r = buf_put_u64(out, flag)) != 0 ||
	    (r = buf_put_u64(out, sv->f_namemax)) != 0 ||
	    (r = sftp_reply_end(out, start)) != 0)
		return r;
	return 0;
}

static int
ext_statvfs(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct statvfs sv;
	char *path = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	if ((r = vfs_statvfs(s->s_vfs, path, &sv)) != 0)
		r = sftp_reply_result(s, out, id, r, NULL, NULL);
	else
		r = reply_statvfs(out, id, &sv);
 out:
	free(path);
	return r;
}

static int
ext_fstatvfs(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	struct statvfs sv;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_handle_get(s, req, 0, &h)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (h == NULL) {
		errno = EBADF;
		return sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
	}
	/* The handle's path decides read-only-ness as for statvfs@. */
	if ((r = vfs_statvfs(s->s_vfs, h->h_vpath, &sv)) != 0)
		return sftp_reply_result(s, out, id, r, NULL, NULL);
	return reply_statvfs(out, id, &sv);
}

static int
ext_fsync(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *h;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_handle_get(s, req, H_FILE, &h)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (h == NULL) {
		errno = EBADF;
		r = SSH_ERR_SYSTEM_ERROR;
	} else
		r = fsync(h->h_fd) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
	return sftp_reply_result(s, out, id, r, NULL, NULL);
}

static int
ext_limits(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	size_t start;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_expect_end(req)) != 0)
		return r;
	if ((r = sftp_reply_begin(out, SSH2_FXP_EXTENDED_REPLY, id,
	    &start)) != 0 ||
	    (r = buf_put_u64(out, SFTP_MAX_PACKET)) != 0 ||
	    (r = buf_put_u64(out, SFTP_MAX_READ)) != 0 ||
	    (r = buf_put_u64(out, SFTP_MAX_READ)) != 0 ||
	    (r = buf_put_u64(out, SFTP_MAX_HANDLES)) != 0 ||
	    (r = sftp_reply_end(out, start)) != 0)
		return r;
	return 0;
}

/* "~" and "~/x" are the start directory; other users' homes are not
 * part of the virtual tree. */
static int
ext_expand_path(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out)
{
	char *path = NULL, *canon = NULL, *joined = NULL;
	const char *p;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_get_path(req, &path)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	p = path;
	if (p[0] == '~') {
		if (p[1] != '\0' && p[1] != '/') {
			errno = ENOENT;
			r = sftp_reply_result(s, out, id,
			    SSH_ERR_SYSTEM_ERROR, NULL, NULL);
			goto out;
		}
		if (asprintf(&joined, "%s/%s", vfs_home(s->s_vfs),
		    p[1] == '\0' ? "" : p + 2) < 0) {
			joined = NULL;
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		p = joined;
	}
	if ((r = vfs_canon(s->s_vfs, p, &canon)) != 0)
		r = sftp_reply_result(s, out, id, r, NULL, NULL);
	else
		r = sftp_reply_name(out, id, canon);
 out:
	free(path);
	free(canon);
	free(joined);
	return r;
}

static int
ext_home_directory(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out)
{
	struct passwd *pw;
	char *user = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_get_cstring(req, &user, NULL)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	/* Only one's own: the empty name or the name of our uid. */
	if (*user != '\0' && ((pw = getpwnam(user)) == NULL ||
	    pw->pw_uid != getuid())) {
		errno = ENOENT;
		r = sftp_reply_result(s, out, id, SSH_ERR_SYSTEM_ERROR,
		    NULL, NULL);
		goto out;
	}
	r = sftp_reply_name(out, id, vfs_home(s->s_vfs));
 out:
	free(user);
	return r;
}

/* Reads the packed uint32 ids of a string into ids (at most max). */
static int
get_ids(struct buf *req, uint32_t *ids, size_t max, size_t *np)
{
	struct buf *sub = NULL;
	size_t n = 0;
	int r = SSH_ERR_INTERNAL_ERROR;

	*np = 0;
	if ((r = buf_froms(req, &sub)) != 0)
		return r;
	if (buf_len(sub) % 4 != 0 || buf_len(sub) / 4 > max) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	while (buf_len(sub) > 0)
		if ((r = buf_get_u32(sub, &ids[n++])) != 0)
			goto out;
	*np = n;
	r = 0;
 out:
	buf_free(sub);
	return r;
}

/* A string holding one string per id: the name, or "" if unknown. */
static int
put_names(struct buf *out, const uint32_t *ids, size_t n, int groups)
{
	struct buf *names = NULL;
	struct passwd *pw;
	struct group *gr;
	const char *name;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((names = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < n; i++) {
		name = "";
		if (groups && (gr = getgrgid(ids[i])) != NULL)
			name = gr->gr_name;
		else if (!groups && (pw = getpwuid(ids[i])) != NULL)
			name = pw->pw_name;
		if ((r = buf_put_cstring(names, name)) != 0)
			goto out;
	}
	r = buf_put_stringb(out, names);
 out:
	buf_free(names);
	return r;
}

static int
ext_users_groups(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out)
{
	uint32_t *uids = NULL, *gids = NULL;
	size_t nu, ng, start;
	int r = SSH_ERR_ALLOC_FAIL;

	if ((uids = calloc(SFTP_MAX_IDS, sizeof(*uids))) == NULL ||
	    (gids = calloc(SFTP_MAX_IDS, sizeof(*gids))) == NULL)
		goto out;
	if ((r = get_ids(req, uids, SFTP_MAX_IDS, &nu)) != 0 ||
	    (r = get_ids(req, gids, SFTP_MAX_IDS, &ng)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		goto out;
	if ((r = sftp_reply_begin(out, SSH2_FXP_EXTENDED_REPLY, id,
	    &start)) != 0 ||
	    (r = put_names(out, uids, nu, 0)) != 0 ||
	    (r = put_names(out, gids, ng, 1)) != 0 ||
	    (r = sftp_reply_end(out, start)) != 0)
		goto out;
	r = 0;
 out:
	free(uids);
	free(gids);
	return r;
}

#define COPY_CHUNK	(64 * 1024)

/* copy-data: from one open file to another, as a server-side loop. */
static int
ext_copy_data(struct sftp *s, uint32_t id, struct buf *req, struct buf *out)
{
	struct sftp_handle *rh, *wh;
	uint64_t roff, rlen, woff, done = 0;
	uint8_t *chunk = NULL;
	size_t want, w;
	ssize_t n, m;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = sftp_handle_get(s, req, H_FILE, &rh)) != 0 ||
	    (r = buf_get_u64(req, &roff)) != 0 ||
	    (r = buf_get_u64(req, &rlen)) != 0 ||
	    (r = sftp_handle_get(s, req, H_FILE, &wh)) != 0 ||
	    (r = buf_get_u64(req, &woff)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	r = SSH_ERR_SYSTEM_ERROR;
	if (rh == NULL || wh == NULL) {
		errno = EBADF;
		goto out;
	}
	if (!rh->h_readable || !wh->h_writable) {
		errno = EACCES;
		goto out;
	}
	if (roff > (uint64_t)INT64_MAX || woff > (uint64_t)INT64_MAX ||
	    (rlen != 0 && (rlen > (uint64_t)INT64_MAX - roff ||
	    rlen > (uint64_t)INT64_MAX - woff))) {
		errno = EINVAL;
		goto out;
	}
	/* The same file onto an overlapping range would read its own
	 * output; refused as OpenSSH does. */
	if (rh == wh && (rlen == 0 || (woff < roff + rlen &&
	    roff < woff + rlen))) {
		errno = EINVAL;
		goto out;
	}
	if ((chunk = malloc(COPY_CHUNK)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	for (;;) {
		want = COPY_CHUNK;
		if (rlen != 0 && rlen - done < want)
			want = (size_t)(rlen - done);
		if (want == 0)
			break;
		if ((n = pread(rh->h_fd, chunk, want,
		    (off_t)(roff + done))) < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		if (n == 0)
			break;
		for (w = 0; w < (size_t)n; w += (size_t)m) {
			if ((m = pwrite(wh->h_fd, chunk + w, (size_t)n - w,
			    (off_t)(woff + done + w))) <= 0) {
				if (m < 0 && errno == EINTR) {
					m = 0;
					continue;
				}
				if (m == 0)
					errno = ENOSPC;
				goto out;
			}
		}
		done += (uint64_t)n;
		rh->h_rbytes += (uint64_t)n;
		wh->h_wbytes += (uint64_t)n;
	}
	r = 0;
 out:
	free(chunk);
	return sftp_reply_result(s, out, id, r, NULL, NULL);
}

static const struct {
	const char *name;
	const char *version;
	sftp_handler *fn;
} extensions[] = {
	{ "posix-rename@openssh.com", "1", ext_posix_rename },
	{ "statvfs@openssh.com", "2", ext_statvfs },
	{ "fstatvfs@openssh.com", "2", ext_fstatvfs },
	{ "hardlink@openssh.com", "1", ext_hardlink },
	{ "fsync@openssh.com", "1", ext_fsync },
	{ "lsetstat@openssh.com", "1", ext_lsetstat },
	{ "limits@openssh.com", "1", ext_limits },
	{ "expand-path@openssh.com", "1", ext_expand_path },
	{ "copy-data", "1", ext_copy_data },
	{ "home-directory", "1", ext_home_directory },
	{ "users-groups-by-id@openssh.com", "1", ext_users_groups },
};

int
sftp_ext_advertise(struct buf *out)
{
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		if ((r = buf_put_cstring(out, extensions[i].name)) != 0 ||
		    (r = buf_put_cstring(out, extensions[i].version)) != 0)
			return r;
	return 0;
}

int
sftp_h_extended(struct sftp *s, uint32_t id, struct buf *req,
    struct buf *out)
{
	const uint8_t *name;
	size_t len, i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_get_string_direct(req, &name, &len)) != 0)
		return r;
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		if (strlen(extensions[i].name) == len &&
		    memcmp(extensions[i].name, name, len) == 0)
			return extensions[i].fn(s, id, req, out);
	}
	sftp_logf(s, LOG_LVL_INFO, "unknown extended request (%zu bytes)",
	    len);
	return sftp_reply_status(out, id, SSH2_FX_OP_UNSUPPORTED,
	    "Operation unsupported");
}
