/*
 * vfs_local.h: what the vfs_*.c files share: the mount table and the
 * resolution of one virtual path into (mount, path beneath it).
 */
#ifndef NANOSSH_SFTP_VFS_LOCAL_H
#define NANOSSH_SFTP_VFS_LOCAL_H

#include <time.h>

#include "sftp/vfs.h"

struct vfs_mount {
	char *vm_vpath;		/* canonical virtual path */
	size_t vm_vlen;
	char *vm_target;	/* real path, for debug logs only */
	int vm_fd;		/* O_PATH directory */
	int vm_access;
};

struct vfs {
	struct vfs_mount v_mounts[VFS_MOUNTS_MAX];
	size_t v_nmounts;
	int v_plain;		/* no mounts: the real filesystem */
	int v_ready;
	char *v_home;
	time_t v_made;		/* times of synthetic directories */
};

/* One resolved virtual path. */
struct vfs_loc {
	char *l_vpath;				/* canonical, owned */
	const struct vfs_mount *l_mount;	/* NULL when synthetic */
	const char *l_rel;	/* into l_vpath: beneath the mount, "." = its root */
	int l_synthetic;
	int l_access;
};

/* Canonicalises path and finds its mount; ENOENT outside every mount. */
int vfs_resolve(const struct vfs *v, const char *path, struct vfs_loc *loc);
void vfs_loc_clear(struct vfs_loc *loc);
/* 0 if loc may be modified, else SSH_ERR_SYSTEM_ERROR with EACCES. */
int vfs_loc_writable(const struct vfs_loc *loc);
int vfs_loc_readable(const struct vfs_loc *loc);
/* 1 if loc is a mount's root or synthetic: never removed or renamed. */
int vfs_loc_is_fixed(const struct vfs_loc *loc);

/*
 * Opens rel beneath the mount (openat2 or the fallback walk); nofollow
 * makes a final symbolic link open as itself (with O_PATH) or fail.
 * Returns the fd or -1 with errno (containment violations give EACCES).
 */
/*
 * Opens a mount's target (absolute) as an O_PATH directory, following a
 * symbolic link only in a directory no user but root can write; -1 with
 * errno ELOOP for a link a user could have planted (vfs_target.c).
 */
int vfs_open_target(const char *target);
int vfs_openat(const struct vfs_mount *m, int plain, const char *rel,
    int flags, mode_t mode, int nofollow);
/* Opens the parent directory of loc (O_PATH) and points *namep at the
 * last component.  Fails with EACCES for a mount root or synthetic dir. */
int vfs_open_parent(const struct vfs *v, const struct vfs_loc *loc, int *fdp,
    const char **namep);
/* stat data of a synthetic directory. */
void vfs_synthetic_stat(const struct vfs *v, struct stat *st);
/* Next components of mounts strictly below vpath: a fresh array of fresh
 * strings (deduplicated), and its length. */
int vfs_children(const struct vfs *v, const char *vpath, char ***namesp,
    size_t *np);

#endif
