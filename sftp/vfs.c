/*
 * vfs.c: the mount table, resolution of virtual paths and opening beneath
 * a mount's directory (openat2 or its fallback).
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "protocol/ssherr.h"
#include "sftp/vfs_local.h"

static int force_fallback;

void
vfs_force_fallback(int on)
{
	force_fallback = on;
}

int
vfs_new(struct vfs **vp)
{
	struct vfs *v;

	*vp = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	v->v_made = time(NULL);
	*vp = v;
	return 0;
}

void
vfs_free(struct vfs *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->v_nmounts; i++) {
		free(v->v_mounts[i].vm_vpath);
		free(v->v_mounts[i].vm_target);
		if (v->v_mounts[i].vm_fd >= 0)
			close(v->v_mounts[i].vm_fd);
	}
	free(v->v_home);
	free(v);
}

/* The mount exactly at vpath, or NULL. */
static struct vfs_mount *
mount_at(const struct vfs *v, const char *vpath)
{
	size_t i;

	for (i = 0; i < v->v_nmounts; i++)
		if (strcmp(v->v_mounts[i].vm_vpath, vpath) == 0)
			return (struct vfs_mount *)&v->v_mounts[i];
	return NULL;
}

/* 1 if the canonical path a lies within (or is) the canonical dir b. */
static int
path_within(const char *a, const char *b, size_t blen)
{
	if (blen == 1)
		return 1;	/* b is "/" */
	return strncmp(a, b, blen) == 0 && (a[blen] == '\0' || a[blen] == '/');
}

/* The mount with the longest prefix of vpath, other than skip; or NULL. */
static const struct vfs_mount *
mount_longest(const struct vfs *v, const char *vpath,
    const struct vfs_mount *skip)
{
	const struct vfs_mount *best = NULL;
	size_t i;

	for (i = 0; i < v->v_nmounts; i++) {
		const struct vfs_mount *m = &v->v_mounts[i];

		if (m == skip || !path_within(vpath, m->vm_vpath, m->vm_vlen))
			continue;
		if (best == NULL || m->vm_vlen > best->vm_vlen)
			best = m;
	}
	return best;
}

/* 1 if some mount lies strictly below vpath. */
static int
has_mount_below(const struct vfs *v, const char *vpath)
{
	size_t i, len = strlen(vpath);

	for (i = 0; i < v->v_nmounts; i++) {
		const struct vfs_mount *m = &v->v_mounts[i];

		if (m->vm_vlen > len && path_within(m->vm_vpath, vpath, len))
			return 1;
	}
	return 0;
}

int
vfs_mount(struct vfs *v, const char *vpath, const char *target, int access)
{
	struct vfs_mount *m;
	char *canon = NULL, *t = NULL;
	int r = SSH_ERR_INTERNAL_ERROR, fd = -1;

	if (v->v_ready)
		return SSH_ERR_STATE_VIOLATION;
	if (v->v_nmounts >= VFS_MOUNTS_MAX) {
		errno = E2BIG;
		return SSH_ERR_SYSTEM_ERROR;
	}
	if ((r = vfs_canon_from("/", vpath, &canon)) != 0)
		goto out;
	if (mount_at(v, canon) != NULL) {
		errno = EEXIST;
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if ((t = strdup(target)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((fd = vfs_open_target(target)) < 0) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	m = &v->v_mounts[v->v_nmounts++];
	m->vm_vpath = canon;
	m->vm_vlen = strlen(canon);
	m->vm_target = t;
	m->vm_fd = fd;
	m->vm_access = access;
	canon = t = NULL;
	r = 0;
 out:
	free(canon);
	free(t);
	return r;
}

/* Inherited access, parents first (a parent's own may be inherited). */
static int
access_of(const struct vfs *v, const struct vfs_mount *m, int depth)
{
	const struct vfs_mount *parent;

	if (m->vm_access != VFS_INHERIT)
		return m->vm_access;
	if (depth > VFS_MOUNTS_MAX ||
	    (parent = mount_longest(v, m->vm_vpath, m)) == NULL)
		return VFS_RO;
	return access_of(v, parent, depth + 1);
}

int
vfs_ready(struct vfs *v, const char *start_dir, int readonly, int virtual)
{
	int access[VFS_MOUNTS_MAX];
	const char *home;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (v->v_ready)
		return SSH_ERR_STATE_VIOLATION;
	if (v->v_nmounts == 0 && !virtual) {
		/* The real filesystem, through a mount of "/". */
		if ((r = vfs_mount(v, "/", "/", VFS_RW)) != 0)
			return r;
		v->v_plain = 1;
	}
	for (i = 0; i < v->v_nmounts; i++)
		access[i] = access_of(v, &v->v_mounts[i], 0);
	for (i = 0; i < v->v_nmounts; i++)
		v->v_mounts[i].vm_access = readonly ? VFS_RO : access[i];
	home = start_dir;
	if (home == NULL && v->v_plain)
		home = getenv("HOME");
	if (home == NULL || *home == '\0')
		home = "/";
	if ((r = vfs_canon_from("/", home, &v->v_home)) != 0)
		return r;
	v->v_ready = 1;
	return 0;
}

const char *
vfs_home(const struct vfs *v)
{
	return v->v_home != NULL ? v->v_home : "/";
}

int
vfs_is_plain(const struct vfs *v)
{
	return v->v_plain;
}

int
vfs_canon(const struct vfs *v, const char *path, char **outp)
{
	return vfs_canon_from(vfs_home(v), path, outp);
}

void
vfs_loc_clear(struct vfs_loc *loc)
{
	free(loc->l_vpath);
	memset(loc, 0, sizeof(*loc));
}

/*
 * 1 if a directory between mount m and vpath is synthetic: a synthetic
 * directory holds only the mounts below it, so that what is listed is all
 * that can be reached (mounts "/" and "/a/b": "/a/c" does not exist).
 */
static int
below_synthetic(const struct vfs *v, const char *vpath,
    const struct vfs_mount *m)
{
	char anc[VFS_PATH_MAX];
	char *slash;

	if (strlcpy(anc, vpath, sizeof(anc)) >= sizeof(anc))
		return 1;
	while ((slash = strrchr(anc, '/')) != NULL &&
	    (size_t)(slash - anc) > m->vm_vlen) {
		*slash = '\0';
		if (has_mount_below(v, anc))
			return 1;
	}
	return 0;
}

int
vfs_resolve(const struct vfs *v, const char *path, struct vfs_loc *loc)
{
	const struct vfs_mount *m;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(loc, 0, sizeof(*loc));
	if (!v->v_ready)
		return SSH_ERR_STATE_VIOLATION;
	if ((r = vfs_canon(v, path, &loc->l_vpath)) != 0)
		return r;
	m = mount_longest(v, loc->l_vpath, NULL);
	if ((m == NULL || strcmp(m->vm_vpath, loc->l_vpath) != 0) &&
	    (has_mount_below(v, loc->l_vpath) ||
	    strcmp(loc->l_vpath, "/") == 0)) {
		loc->l_synthetic = 1;
		loc->l_access = VFS_RO;
		loc->l_rel = ".";
		return 0;
	}
	if (m == NULL || below_synthetic(v, loc->l_vpath, m)) {
		vfs_loc_clear(loc);
		errno = ENOENT;
		return SSH_ERR_SYSTEM_ERROR;
	}
	loc->l_mount = m;
	loc->l_access = m->vm_access;
	loc->l_rel = loc->l_vpath + m->vm_vlen;
	while (*loc->l_rel == '/')
		loc->l_rel++;
	if (*loc->l_rel == '\0')
		loc->l_rel = ".";
	return 0;
}

int
vfs_loc_writable(const struct vfs_loc *loc)
{
	if (loc->l_synthetic ||
	    (loc->l_access != VFS_RW && loc->l_access != VFS_WO)) {
		errno = EACCES;
		return SSH_ERR_SYSTEM_ERROR;
	}
	return 0;
}

int
vfs_loc_readable(const struct vfs_loc *loc)
{
	if (loc->l_access == VFS_WO) {
		errno = EACCES;
		return SSH_ERR_SYSTEM_ERROR;
	}
	return 0;
}

int
vfs_loc_is_fixed(const struct vfs_loc *loc)
{
	return loc->l_synthetic || strcmp(loc->l_rel, ".") == 0;
}

int
vfs_real_path(const struct vfs *v, const char *path, char **outp)
{
	struct vfs_loc loc;
	const char *t;
	int r = SSH_ERR_INTERNAL_ERROR;

	*outp = NULL;
	if ((r = vfs_resolve(v, path, &loc)) != 0)
		return r;
	if (loc.l_synthetic)
		*outp = strdup("(virtual)");
	else {
		t = loc.l_mount->vm_target;
		if (asprintf(outp, "%s%s%s", t,
		    t[strlen(t) - 1] == '/' ? "" : "/",
		    strcmp(loc.l_rel, ".") == 0 ? "" : loc.l_rel) < 0)
			*outp = NULL;
	}
	r = *outp == NULL ? SSH_ERR_ALLOC_FAIL : 0;
	vfs_loc_clear(&loc);
	return r;
}

#define OPENAT2_RETRIES	8	/* EAGAIN: a rename raced the lookup */

static int
try_openat2(int dirfd, const char *rel, int flags, mode_t mode,
    uint64_t resolve)
{
	struct open_how how;
	int fd = -1, i;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(unsigned int)flags;
	how.mode = (flags & (O_CREAT | __O_TMPFILE)) ? mode : 0;
	how.resolve = resolve;
	for (i = 0; i < OPENAT2_RETRIES; i++) {
		fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/*
 * Without openat2: one component at a time, never following a symbolic
 * link.  rel is canonical, so no component is "." or "..".
 */
static int
walk_beneath(int dirfd, const char *rel, int flags, mode_t mode,
    int nofollow)
{
	char comp[NAME_MAX + 1];
	const char *p = rel, *slash;
	int cur, next, fd, saved;
	struct stat st;

	if (strcmp(rel, ".") == 0)
		return openat(dirfd, ".", flags, mode);
	if ((cur = fcntl(dirfd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -1;
	while ((slash = strchr(p, '/')) != NULL) {
		if ((size_t)(slash - p) > NAME_MAX) {
			close(cur);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, p, (size_t)(slash - p));
		comp[slash - p] = '\0';
		next = openat(cur, comp,
		    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		saved = errno;
		close(cur);
		if (next < 0) {
			/* A link in the middle is refused, not followed. */
			errno = saved == ENOTDIR ? EACCES : saved;
			return -1;
		}
		cur = next;
		p = slash + 1;
	}
	fd = openat(cur, p, flags | O_NOFOLLOW, mode);
	saved = errno;
	close(cur);
	if (fd < 0) {
		errno = saved == ELOOP ? EACCES : saved;
		return -1;
	}
	/* O_PATH|O_NOFOLLOW opens a final link itself: only if asked for. */
	if (!nofollow && (flags & O_PATH) && fstat(fd, &st) == 0 &&
	    S_ISLNK(st.st_mode)) {
		close(fd);
		errno = EACCES;
		return -1;
	}
	return fd;
}

int
vfs_openat(const struct vfs_mount *m, int plain, const char *rel, int flags,
    mode_t mode, int nofollow)
{
	uint64_t resolve;
	int fd;

	/* openat2 refuses O_PATH with anything but these flags. */
	flags |= (flags & O_PATH) ? O_CLOEXEC : O_CLOEXEC | O_NOCTTY;
	if (nofollow)
		flags |= O_NOFOLLOW;
	resolve = plain ? RESOLVE_NO_MAGICLINKS :
	    RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	if (!force_fallback) {
		fd = try_openat2(m->vm_fd, rel, flags, mode, resolve);
		if (fd >= 0 || errno != ENOSYS) {
			/* Escapes (EXDEV) are plain refusals to the client. */
			if (fd < 0 && errno == EXDEV)
				errno = EACCES;
			return fd;
		}
	}
	if (plain)
		return openat(m->vm_fd, rel, flags, mode);
	return walk_beneath(m->vm_fd, rel, flags, mode, nofollow);
}

int
vfs_open_parent(const struct vfs *v, const struct vfs_loc *loc, int *fdp,
    const char **namep)
{
	char parent[VFS_PATH_MAX];
	const char *slash;
	int fd;

	*fdp = -1;
	if (vfs_loc_is_fixed(loc)) {
		errno = EACCES;
		return SSH_ERR_SYSTEM_ERROR;
	}
	if ((slash = strrchr(loc->l_rel, '/')) == NULL) {
		strlcpy(parent, ".", sizeof(parent));
		*namep = loc->l_rel;
	} else {
		memcpy(parent, loc->l_rel, (size_t)(slash - loc->l_rel));
		parent[slash - loc->l_rel] = '\0';
		*namep = slash + 1;
	}
	if ((fd = vfs_openat(loc->l_mount, v->v_plain, parent,
	    O_PATH | O_DIRECTORY, 0, 0)) < 0)
		return SSH_ERR_SYSTEM_ERROR;
	*fdp = fd;
	return 0;
}

void
vfs_synthetic_stat(const struct vfs *v, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFDIR | 0555;
	st->st_nlink = 2;
	st->st_size = 4096;
	st->st_atime = st->st_mtime = st->st_ctime = v->v_made;
}

int
vfs_children(const struct vfs *v, const char *vpath, char ***namesp,
    size_t *np)
{
	char **names = NULL, *name;
	const char *p, *e;
	size_t i, j, n = 0, len = strlen(vpath);

	*namesp = NULL;
	*np = 0;
	if ((names = calloc(v->v_nmounts + 1, sizeof(*names))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < v->v_nmounts; i++) {
		const struct vfs_mount *m = &v->v_mounts[i];

		if (m->vm_vlen <= len || !path_within(m->vm_vpath, vpath, len))
			continue;
		p = m->vm_vpath + (len == 1 ? 1 : len + 1);
		if ((e = strchr(p, '/')) == NULL)
			e = p + strlen(p);
		for (j = 0; j < n; j++)
			if (strlen(names[j]) == (size_t)(e - p) &&
			    strncmp(names[j], p, (size_t)(e - p)) == 0)
				break;
		if (j < n)
			continue;
		if ((name = strndup(p, (size_t)(e - p))) == NULL) {
			for (j = 0; j < n; j++)
				free(names[j]);
			free(names);
			return SSH_ERR_ALLOC_FAIL;
		}
		names[n++] = name;
	}
	*namesp = names;
	*np = n;
	return 0;
}
