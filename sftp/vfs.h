/*
 * vfs.h: the virtual filesystem the SFTP server and legacy SCP see.
 *
 * A table of mounts maps virtual paths ("/firmware") to real directories,
 * each held open as an O_PATH directory fd with an access mode.  A client
 * path is first made canonical as a string (absolute, no "." or "..", no
 * empty components; ".." above "/" stays at "/"), then the longest mount
 * prefix is found and the rest is resolved by the kernel beneath that
 * mount's fd: openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), or, where
 * the kernel lacks openat2, a walk of one component at a time with
 * O_NOFOLLOW (which then refuses symbolic links altogether).  Nothing a
 * client names, creates or races can resolve outside a mount's target.
 *
 * Virtual directories that lie strictly above a mount point (e.g. "/"
 * when only "/firmware" is mounted) are synthetic: read-only, listable,
 * showing the names of the mounts below.  With no mount at all the vfs is
 * "plain": the real filesystem, virtual path = real path, the user's own
 * permissions (as OpenSSH's sftp-server).
 *
 * Functions return 0 or a negative SSH_ERR_* code; SSH_ERR_SYSTEM_ERROR
 * leaves the reason in errno (EACCES for anything the mount table or the
 * containment refuses, ENOENT for names outside every mount).
 */
#ifndef NANOSSH_SFTP_VFS_H
#define NANOSSH_SFTP_VFS_H

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <stdint.h>

enum vfs_access {
	VFS_INHERIT = 0,	/* from the nearest parent mount (ro if none) */
	VFS_RO,
	VFS_RW,
	VFS_WO,			/* create and write, never read or list */
};

#define VFS_PATH_MAX	4096	/* longest virtual path */
#define VFS_MOUNTS_MAX	64

/* Attributes to set (the SFTP v3 flag values, so attr.c maps 1:1). */
#define VFS_ATTR_SIZE		0x00000001
#define VFS_ATTR_UIDGID		0x00000002
#define VFS_ATTR_PERM		0x00000004
#define VFS_ATTR_ACMODTIME	0x00000008
struct vfs_attr {
	uint32_t flags;
	uint64_t size;
	uint32_t uid, gid, perm, atime, mtime;
};

struct vfs;
struct vfs_dir;

/* A new empty vfs; the caller adds mounts (or none) then calls vfs_ready. */
int vfs_new(struct vfs **vp);
void vfs_free(struct vfs *v);

/*
 * Mounts the real directory target at virtual path vpath (any form; made
 * canonical).  Fails with errno set if target cannot be opened as a
 * directory, EEXIST if vpath is mounted already, E2BIG past
 * VFS_MOUNTS_MAX.
 */
int vfs_mount(struct vfs *v, const char *vpath, const char *target, int access);
/*
 * Parses a mount argument "vpath=target:access[:group,group...]" (access
 * ro, rw, wo or inherit).  Outputs are fresh strings; *groupsp is NULL
 * without a group list.  SSH_ERR_INVALID_FORMAT when malformed.
 */
int vfs_mount_spec_parse(const char *spec, char **vpathp, char **targetp,
    int *accessp, char **groupsp);
/* 1 if the process is in one of the comma-separated groups (names or
 * numeric ids), checked against getegid() and getgroups(); 0 if not. */
int vfs_in_groups(const char *groups);

/*
 * Finishes setup: resolves inherited access, forces everything read-only
 * when readonly, and sets the start directory (canonical; in a plain vfs
 * start_dir NULL means $HOME, else "/").  Without mounts the vfs is plain
 * unless virtual is set (mounts were configured but none applies: then
 * "/" is an empty synthetic directory).  No mount may be added after.
 */
int vfs_ready(struct vfs *v, const char *start_dir, int readonly,
    int virtual);
/* The start directory ("." of every relative client path). */
const char *vfs_home(const struct vfs *v);
int vfs_is_plain(const struct vfs *v);

/* Canonical virtual form of path (relative to the start directory);
 * a fresh string.  Purely lexical: reveals nothing about real paths. */
int vfs_canon(const struct vfs *v, const char *path, char **outp);
/* The same over any base directory (for tests). */
int vfs_canon_from(const char *base, const char *path, char **outp);
/* The real path behind a virtual one, for debug logs; a fresh string,
 * "(virtual)" for synthetic directories. */
int vfs_real_path(const struct vfs *v, const char *path, char **outp);

/*
 * Opens a file; flags are open(2) flags (O_CLOEXEC and O_NOCTTY are
 * added).  Modifying flags need a writable mount, reading a readable one.
 * *writablep tells whether the handle may be modified later (fsetstat).
 */
int vfs_open(const struct vfs *v, const char *path, int flags, mode_t mode,
    int *fdp, int *writablep);
/* stat(2) (follow = 1) or lstat(2). */
int vfs_stat(const struct vfs *v, const char *path, int follow,
    struct stat *st);
/* Sets attributes of path (follow as for vfs_stat) or of an open fd. */
int vfs_setstat(const struct vfs *v, const char *path, int follow,
    const struct vfs_attr *a);
int vfs_fsetstat(int fd, const struct vfs_attr *a);
int vfs_mkdir(const struct vfs *v, const char *path, mode_t mode);
int vfs_rmdir(const struct vfs *v, const char *path);
int vfs_remove(const struct vfs *v, const char *path);
/* noreplace: fail with EEXIST if newpath exists (SFTP v3 RENAME). */
int vfs_rename(const struct vfs *v, const char *oldpath, const char *newpath,
    int noreplace);
/* Hard link newpath to the existing oldpath (never following a link). */
int vfs_link(const struct vfs *v, const char *oldpath, const char *newpath);
/* Creates linkpath, a symbolic link containing target (stored as given:
 * it is resolved beneath its mount like every other path). */
int vfs_symlink(const struct vfs *v, const char *target, const char *linkpath);
/* The contents of a symbolic link, a fresh string. */
int vfs_readlink(const struct vfs *v, const char *path, char **outp);
/* statvfs(2) of the filesystem behind path; ST_RDONLY set for read-only
 * mounts and synthetic directories. */
int vfs_statvfs(const struct vfs *v, const char *path, struct statvfs *sv);

/*
 * Directory listing: the real entries (with "." and ".."), minus names
 * covered by mounts, plus the mounts' names below path.  vfs_dir_next
 * returns 0 with *namep (valid until the next call) and lstat data, or 1
 * at the end.
 */
int vfs_opendir(const struct vfs *v, const char *path, struct vfs_dir **dp);
int vfs_dir_next(struct vfs_dir *d, const char **namep, struct stat *st);
/* An fd of the directory for fstat; -1 for a synthetic one. */
int vfs_dir_fd(const struct vfs_dir *d);
/* stat data of the directory itself. */
int vfs_dir_stat(const struct vfs_dir *d, struct stat *st);
void vfs_dir_close(struct vfs_dir *d);

/* Tests only: 1 forces the component-by-component fallback as if the
 * kernel had no openat2. */
void vfs_force_fallback(int on);

#endif
