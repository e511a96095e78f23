/*
 * vfs_dir.c: directory listings, real entries merged with the names of
 * the mounts below (which hide real entries of the same name).
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/ssherr.h"
#include "sftp/vfs_local.h"

struct vfs_dir {
	const struct vfs *d_vfs;
	DIR *d_dir;		/* NULL for a synthetic directory */
	char *d_vpath;
	char **d_children;	/* mount names below */
	size_t d_nchildren, d_next;
	int d_dots;		/* synthetic "." and ".." given so far */
};

int
vfs_opendir(const struct vfs *v, const char *path, struct vfs_dir **dp)
{
	struct vfs_loc loc;
	struct vfs_dir *d = NULL;
	int r = SSH_ERR_INTERNAL_ERROR, fd = -1;

	*dp = NULL;
	if ((r = vfs_resolve(v, path, &loc)) != 0)
		return r;
	if ((r = vfs_loc_readable(&loc)) != 0)
		goto out;
	r = SSH_ERR_ALLOC_FAIL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		goto out;
	d->d_vfs = v;
	if ((r = vfs_children(v, loc.l_vpath, &d->d_children,
	    &d->d_nchildren)) != 0)
		goto out;
	if (!loc.l_synthetic) {
		r = SSH_ERR_SYSTEM_ERROR;
		if ((fd = vfs_openat(loc.l_mount, v->v_plain, loc.l_rel,
		    O_RDONLY | O_DIRECTORY, 0, 0)) < 0)
			goto out;
		if ((d->d_dir = fdopendir(fd)) == NULL)
			goto out;
		fd = -1;
	}
	d->d_vpath = loc.l_vpath;
	loc.l_vpath = NULL;
	*dp = d;
	d = NULL;
	r = 0;
 out:
	if (fd >= 0)
		close(fd);
	vfs_dir_close(d);
	vfs_loc_clear(&loc);
	return r;
}

static int
is_child(const struct vfs_dir *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->d_nchildren; i++)
		if (strcmp(d->d_children[i], name) == 0)
			return 1;
	return 0;
}

int
vfs_dir_next(struct vfs_dir *d, const char **namep, struct stat *st)
{
	struct dirent *de;
	char *vpath = NULL;

	while (d->d_dir != NULL) {
		errno = 0;
		if ((de = readdir(d->d_dir)) == NULL) {
			if (errno != 0)
				return SSH_ERR_SYSTEM_ERROR;
			break;
		}
		if (is_child(d, de->d_name))
			continue;
		/* Gone meanwhile: skipped, as ls would. */
		if (fstatat(dirfd(d->d_dir), de->d_name, st,
		    AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		*namep = de->d_name;
		return 0;
	}
	if (d->d_dir == NULL && d->d_dots < 2) {
		vfs_synthetic_stat(d->d_vfs, st);
		*namep = d->d_dots++ == 0 ? "." : "..";
		return 0;
	}
	if (d->d_next >= d->d_nchildren)
		return 1;
	*namep = d->d_children[d->d_next++];
	if (asprintf(&vpath, "%s/%s", strcmp(d->d_vpath, "/") == 0 ? "" :
	    d->d_vpath, *namep) < 0)
		return SSH_ERR_ALLOC_FAIL;
	if (vfs_stat(d->d_vfs, vpath, 0, st) != 0)
		vfs_synthetic_stat(d->d_vfs, st);
	free(vpath);
	return 0;
}

int
vfs_dir_fd(const struct vfs_dir *d)
{
	return d->d_dir != NULL ? dirfd(d->d_dir) : -1;
}

int
vfs_dir_stat(const struct vfs_dir *d, struct stat *st)
{
	if (d->d_dir == NULL) {
		vfs_synthetic_stat(d->d_vfs, st);
		return 0;
	}
	return fstat(dirfd(d->d_dir), st) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
}

void
vfs_dir_close(struct vfs_dir *d)
{
	size_t i;

	if (d == NULL)
		return;
	if (d->d_dir != NULL)
		closedir(d->d_dir);
	for (i = 0; i < d->d_nchildren; i++)
		free(d->d_children[i]);
	free(d->d_children);
	free(d->d_vpath);
	free(d);
}
