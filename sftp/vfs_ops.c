/*
 * vfs_ops.c: every file operation on a virtual path.  Each one resolves
 * afresh (nothing is cached between requests, so a directory swapped for
 * a link meanwhile is resolved beneath its mount again) and acts through
 * an fd opened beneath the mount, or through the parent directory's fd
 * and a last component that is never followed.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/ssherr.h"
#include "sftp/vfs_local.h"

#define WRITE_FLAGS	(O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

int
vfs_open(const struct vfs *v, const char *path, int flags, mode_t mode,
    int *fdp, int *writablep)
{
	struct vfs_loc loc;
	int r = SSH_ERR_INTERNAL_ERROR, fd = -1, fl;

	*fdp = -1;
	*writablep = 0;
	if ((r = vfs_resolve(v, path, &loc)) != 0)
		return r;
	r = SSH_ERR_SYSTEM_ERROR;
	if ((flags & WRITE_FLAGS) && vfs_loc_writable(&loc) != 0)
		goto out;
	if ((flags & O_ACCMODE) != O_WRONLY && vfs_loc_readable(&loc) != 0)
		goto out;
	if (loc.l_synthetic) {
		errno = EISDIR;
		goto out;
	}
	/* Non-blocking while opening so that a FIFO cannot hang us. */
	if ((fd = vfs_openat(loc.l_mount, v->v_plain, loc.l_rel,
	    flags | O_NONBLOCK, mode, 0)) < 0)
		goto out;
	if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		close(fd);
		goto out;
	}
	*fdp = fd;
	*writablep = vfs_loc_writable(&loc) == 0;
	r = 0;
 out:
	vfs_loc_clear(&loc);
	return r;
}

int
vfs_stat(const struct vfs *v, const char *path, int follow, struct stat *st)
{
	struct vfs_loc loc;
	int r = SSH_ERR_INTERNAL_ERROR, fd;

	if ((r = vfs_resolve(v, path, &loc)) != 0)
		return r;
	if (loc.l_synthetic) {
		vfs_synthetic_stat(v, st);
		r = 0;
	} else if ((fd = vfs_openat(loc.l_mount, v->v_plain, loc.l_rel,
	    O_PATH, 0, !follow)) < 0) {
		r = SSH_ERR_SYSTEM_ERROR;
	} else {
		r = fstat(fd, st) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
		close(fd);
	}
	vfs_loc_clear(&loc);
	return r;
}

static void
attr_times(const struct vfs_attr *a, struct timespec ts[2])
{
	ts[0].tv_sec = a->atime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = a->mtime;
	ts[1].tv_nsec = 0;
}

int
vfs_fsetstat(int fd, const struct vfs_attr *a)
{
	struct timespec ts[2];

	if ((a->flags & VFS_ATTR_SIZE) && (a->size > (uint64_t)INT64_MAX ||
	    ftruncate(fd, (off_t)a->size) != 0))
		return SSH_ERR_SYSTEM_ERROR;
	if ((a->flags & VFS_ATTR_PERM) && fchmod(fd, a->perm & 07777) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	if ((a->flags & VFS_ATTR_UIDGID) && fchown(fd, a->uid, a->gid) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	attr_times(a, ts);
	if ((a->flags & VFS_ATTR_ACMODTIME) && futimens(fd, ts) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	return 0;
}

/* Truncates loc (following its last link beneath the mount or not). */
static int
loc_truncate(const struct vfs *v, const struct vfs_loc *loc, int follow,
    uint64_t size)
{
	int fd, r;

	if (size > (uint64_t)INT64_MAX) {
		errno = EINVAL;
		return SSH_ERR_SYSTEM_ERROR;
	}
	if ((fd = vfs_openat(loc->l_mount, v->v_plain, loc->l_rel,
	    O_WRONLY | O_NONBLOCK, 0, !follow)) < 0)
		return SSH_ERR_SYSTEM_ERROR;
	r = ftruncate(fd, (off_t)size) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
	close(fd);
	return r;
}

/*
 * setstat following links: the target was opened (O_PATH) beneath the
 * mount, so it is acted on through /proc/self/fd, which names exactly
 * that inode and nothing a path could be swapped into.
 */
static int
fd_setstat_follow(int fd, const struct vfs_attr *a)
{
	char proc[64];
	struct timespec ts[2];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((a->flags & VFS_ATTR_PERM) && chmod(proc, a->perm & 07777) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	if ((a->flags & VFS_ATTR_UIDGID) &&
	    fchownat(fd, "", a->uid, a->gid, AT_EMPTY_PATH) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	attr_times(a, ts);
	if ((a->flags & VFS_ATTR_ACMODTIME) &&
	    utimensat(AT_FDCWD, proc, ts, 0) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	return 0;
}

/* setstat of the last component itself (lsetstat). */
static int
parent_setstat(int pfd, const char *name, const struct vfs_attr *a)
{
	struct timespec ts[2];

	if ((a->flags & VFS_ATTR_PERM) &&
	    fchmodat(pfd, name, a->perm & 07777, AT_SYMLINK_NOFOLLOW) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	if ((a->flags & VFS_ATTR_UIDGID) &&
	    fchownat(pfd, name, a->uid, a->gid, AT_SYMLINK_NOFOLLOW) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	attr_times(a, ts);
	if ((a->flags & VFS_ATTR_ACMODTIME) &&
	    utimensat(pfd, name, ts, AT_SYMLINK_NOFOLLOW) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	return 0;
}

int
vfs_setstat(const struct vfs *v, const char *path, int follow,
    const struct vfs_attr *a)
{
	struct vfs_loc loc;
	struct vfs_attr rest = *a;
	const char *name;
	int r = SSH_ERR_INTERNAL_ERROR, fd = -1;

	if ((r = vfs_resolve(v, path, &loc)) != 0)
		return r;
	if ((r = vfs_loc_writable(&loc)) != 0)
		goto out;
	if ((a->flags & VFS_ATTR_SIZE) &&
	    (r = loc_truncate(v, &loc, follow, a->size)) != 0)
		goto out;
	rest.flags &= ~VFS_ATTR_SIZE;
	if (rest.flags == 0) {
		r = 0;
		goto out;
	}
	if (follow || vfs_loc_is_fixed(&loc)) {
		r = SSH_ERR_SYSTEM_ERROR;
		if ((fd = vfs_openat(loc.l_mount, v->v_plain, loc.l_rel,
		    O_PATH, 0, 0)) < 0)
			goto out;
		r = fd_setstat_follow(fd, &rest);
	} else {
		if ((r = vfs_open_parent(v, &loc, &fd, &name)) != 0)
			goto out;
		r = parent_setstat(fd, name, &rest);
	}
 out:
	if (fd >= 0)
		close(fd);
	vfs_loc_clear(&loc);
	return r;
}

/* Resolves path for a change of its name: writable, not fixed. */
static int
resolve_parent(const struct vfs *v, const char *path, struct vfs_loc *loc,
    int *pfdp, const char **namep)
{
	int r = SSH_ERR_INTERNAL_ERROR;

	*pfdp = -1;
	if ((r = vfs_resolve(v, path, loc)) != 0)
		return r;
	if ((r = vfs_loc_writable(loc)) != 0 ||
	    (r = vfs_open_parent(v, loc, pfdp, namep)) != 0) {
		vfs_loc_clear(loc);
		return r;
	}
	return 0;
}

int
vfs_mkdir(const struct vfs *v, const char *path, mode_t mode)
{
	struct vfs_loc loc;
	struct stat st;
	const char *name;
	int r = SSH_ERR_INTERNAL_ERROR, pfd, err;

	if ((r = resolve_parent(v, path, &loc, &pfd, &name)) != 0) {
		/* A mount point or synthetic directory exists already. */
		err = errno;
		if (r == SSH_ERR_SYSTEM_ERROR && err == EACCES &&
		    vfs_stat(v, path, 0, &st) == 0 && S_ISDIR(st.st_mode) &&
		    vfs_resolve(v, path, &loc) == 0) {
			if (vfs_loc_is_fixed(&loc))
				err = EEXIST;
			vfs_loc_clear(&loc);
		}
		errno = err;
		return r;
	}
	r = mkdirat(pfd, name, mode & 07777) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
	close(pfd);
	vfs_loc_clear(&loc);
	return r;
}

static int
unlink_common(const struct vfs *v, const char *path, int flags)
{
	struct vfs_loc loc;
	const char *name;
	int r = SSH_ERR_INTERNAL_ERROR, pfd;

	if ((r = resolve_parent(v, path, &loc, &pfd, &name)) != 0)
		return r;
	r = unlinkat(pfd, name, flags) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
	close(pfd);
	vfs_loc_clear(&loc);
	return r;
}

int
vfs_rmdir(const struct vfs *v, const char *path)
{
	return unlink_common(v, path, AT_REMOVEDIR);
}

int
vfs_remove(const struct vfs *v, const char *path)
{
	return unlink_common(v, path, 0);
}

/* Both ends of a rename or link, each resolved and opened (parents). */
struct two_ends {
	struct vfs_loc oloc, nloc;
	int ofd, nfd;
	const char *oname, *nname;
};

static int
two_ends_open(const struct vfs *v, const char *oldpath, const char *newpath,
    struct two_ends *t)
{
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(t, 0, sizeof(*t));
	t->ofd = t->nfd = -1;
	if ((r = resolve_parent(v, oldpath, &t->oloc, &t->ofd,
	    &t->oname)) != 0)
		return r;
	if ((r = resolve_parent(v, newpath, &t->nloc, &t->nfd,
	    &t->nname)) != 0) {
		close(t->ofd);
		vfs_loc_clear(&t->oloc);
		return r;
	}
	return 0;
}

static void
two_ends_close(struct two_ends *t)
{
	close(t->ofd);
	close(t->nfd);
	vfs_loc_clear(&t->oloc);
	vfs_loc_clear(&t->nloc);
}

int
vfs_rename(const struct vfs *v, const char *oldpath, const char *newpath,
    int noreplace)
{
	struct two_ends t;
	struct stat st;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = two_ends_open(v, oldpath, newpath, &t)) != 0)
		return r;
	r = SSH_ERR_SYSTEM_ERROR;
	if (!noreplace) {
		if (renameat(t.ofd, t.oname, t.nfd, t.nname) == 0)
			r = 0;
	} else if (renameat2(t.ofd, t.oname, t.nfd, t.nname,
	    RENAME_NOREPLACE) == 0) {
		r = 0;
	} else if (errno == EINVAL || errno == ENOSYS) {
		/* A filesystem without RENAME_NOREPLACE: check, then move. */
		if (fstatat(t.nfd, t.nname, &st, AT_SYMLINK_NOFOLLOW) == 0)
			errno = EEXIST;
		else if (errno == ENOENT &&
		    renameat(t.ofd, t.oname, t.nfd, t.nname) == 0)
			r = 0;
	}
	two_ends_close(&t);
	return r;
}

int
vfs_link(const struct vfs *v, const char *oldpath, const char *newpath)
{
	struct two_ends t;
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = two_ends_open(v, oldpath, newpath, &t)) != 0)
		return r;
	r = linkat(t.ofd, t.oname, t.nfd, t.nname, 0) == 0 ? 0 :
	    SSH_ERR_SYSTEM_ERROR;
	two_ends_close(&t);
	return r;
}

int
vfs_symlink(const struct vfs *v, const char *target, const char *linkpath)
{
	struct vfs_loc loc;
	const char *name;
	int r = SSH_ERR_INTERNAL_ERROR, pfd;

	if (*target == '\0' || strlen(target) >= VFS_PATH_MAX) {
		errno = EINVAL;
		return SSH_ERR_SYSTEM_ERROR;
	}
	if ((r = resolve_parent(v, linkpath, &loc, &pfd, &name)) != 0)
		return r;
	r = symlinkat(target, pfd, name) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
	close(pfd);
	vfs_loc_clear(&loc);
	return r;
}

int
vfs_readlink(const struct vfs *v, const char *path, char **outp)
{
	struct vfs_loc loc;
	char buf[VFS_PATH_MAX];
	const char *name;
	ssize_t n;
	int r = SSH_ERR_INTERNAL_ERROR, pfd = -1;

	*outp = NULL;
	if ((r = vfs_resolve(v, path, &loc)) != 0)
		return r;
	if ((r = vfs_loc_readable(&loc)) != 0)
		goto out;
	if (vfs_loc_is_fixed(&loc)) {
		errno = EINVAL;	/* not a link */
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if ((r = vfs_open_parent(v, &loc, &pfd, &name)) != 0)
		goto out;
	r = SSH_ERR_SYSTEM_ERROR;
	if ((n = readlinkat(pfd, name, buf, sizeof(buf) - 1)) < 0)
		goto out;
	buf[n] = '\0';
	r = (*outp = strdup(buf)) == NULL ? SSH_ERR_ALLOC_FAIL : 0;
 out:
	if (pfd >= 0)
		close(pfd);
	vfs_loc_clear(&loc);
	return r;
}

int
vfs_statvfs(const struct vfs *v, const char *path, struct statvfs *sv)
{
	struct vfs_loc loc;
	int r = SSH_ERR_INTERNAL_ERROR, fd;

	if ((r = vfs_resolve(v, path, &loc)) != 0)
		return r;
	if (loc.l_synthetic) {
		memset(sv, 0, sizeof(*sv));
		sv->f_bsize = sv->f_frsize = 4096;
		sv->f_namemax = NAME_MAX;
		r = 0;
	} else if ((fd = vfs_openat(loc.l_mount, v->v_plain, loc.l_rel,
	    O_PATH, 0, 0)) < 0) {
		r = SSH_ERR_SYSTEM_ERROR;
	} else {
		r = fstatvfs(fd, sv) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
		close(fd);
	}
	if (r == 0 && vfs_loc_writable(&loc) != 0)
		sv->f_flag |= ST_RDONLY;
	vfs_loc_clear(&loc);
	return r;
}
