/* attr.c: SFTP v3 file attributes and long names. */
#include <sys/stat.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "sftp/attr.h"
#include "sftp/sftp_proto.h"

#define ATTR_KNOWN	(SSH2_FILEXFER_ATTR_SIZE | SSH2_FILEXFER_ATTR_UIDGID | \
	SSH2_FILEXFER_ATTR_PERMISSIONS | SSH2_FILEXFER_ATTR_ACMODTIME | \
	SSH2_FILEXFER_ATTR_EXTENDED)

int
sftp_attr_get(struct buf *b, struct vfs_attr *a)
{
	uint32_t flags, count, i;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(a, 0, sizeof(*a));
	if ((r = buf_get_u32(b, &flags)) != 0)
		return r;
	if ((flags & ~ATTR_KNOWN) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if ((flags & SSH2_FILEXFER_ATTR_SIZE) &&
	    (r = buf_get_u64(b, &a->size)) != 0)
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_UIDGID) &&
	    ((r = buf_get_u32(b, &a->uid)) != 0 ||
	    (r = buf_get_u32(b, &a->gid)) != 0))
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    (r = buf_get_u32(b, &a->perm)) != 0)
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_ACMODTIME) &&
	    ((r = buf_get_u32(b, &a->atime)) != 0 ||
	    (r = buf_get_u32(b, &a->mtime)) != 0))
		return r;
	if (flags & SSH2_FILEXFER_ATTR_EXTENDED) {
		if ((r = buf_get_u32(b, &count)) != 0)
			return r;
		/* Each pair takes 8 bytes at least: the count is bounded by
		 * the packet, checked string by string. */
		for (i = 0; i < count; i++) {
			if ((r = buf_get_string_direct(b, NULL, NULL)) != 0 ||
			    (r = buf_get_string_direct(b, NULL, NULL)) != 0)
				return r;
		}
	}
	a->flags = flags & ~SSH2_FILEXFER_ATTR_EXTENDED;
	return 0;
}

int
sftp_attr_put_stat(struct buf *b, const struct stat *st)
{
	int r = SSH_ERR_INTERNAL_ERROR;

	if ((r = buf_put_u32(b, SSH2_FILEXFER_ATTR_SIZE |
	    SSH2_FILEXFER_ATTR_UIDGID | SSH2_FILEXFER_ATTR_PERMISSIONS |
	    SSH2_FILEXFER_ATTR_ACMODTIME)) != 0 ||
	    (r = buf_put_u64(b, (uint64_t)st->st_size)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)st->st_uid)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)st->st_gid)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)st->st_mode)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)st->st_atime)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)st->st_mtime)) != 0)
		return r;
	return 0;
}

int
sftp_attr_put_none(struct buf *b)
{
	return buf_put_u32(b, 0);
}

void
sftp_mode_string(mode_t mode, char dst[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	switch (mode & S_IFMT) {
	case S_IFDIR: dst[0] = 'd'; break;
	case S_IFLNK: dst[0] = 'l'; break;
	case S_IFCHR: dst[0] = 'c'; break;
	case S_IFBLK: dst[0] = 'b'; break;
	case S_IFIFO: dst[0] = 'p'; break;
	case S_IFSOCK: dst[0] = 's'; break;
	default: dst[0] = '-'; break;
	}
	for (i = 0; i < 9; i++)
		dst[i + 1] = (mode & (0400 >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		dst[3] = (mode & S_IXUSR) ? 's' : 'S';
	if (mode & S_ISGID)
		dst[6] = (mode & S_IXGRP) ? 's' : 'S';
	if (mode & S_ISVTX)
		dst[9] = (mode & S_IXOTH) ? 't' : 'T';
	dst[10] = '\0';
}

void
sftp_longname(char *dst, size_t dstsize, const char *name,
    const struct stat *st, time_t now)
{
	char mode[11], user[32], group[32], when[32];
	struct passwd *pw;
	struct group *gr;
	struct tm tm;
	int recent;

	sftp_mode_string(st->st_mode, mode);
	if ((pw = getpwuid(st->st_uid)) != NULL)
		snprintf(user, sizeof(user), "%s", pw->pw_name);
	else
		snprintf(user, sizeof(user), "%u", (unsigned int)st->st_uid);
	if ((gr = getgrgid(st->st_gid)) != NULL)
		snprintf(group, sizeof(group), "%s", gr->gr_name);
	else
		snprintf(group, sizeof(group), "%u", (unsigned int)st->st_gid);
	/* Within six months: time of day; otherwise the year (as ls). */
	recent = st->st_mtime <= now && now - st->st_mtime < 182 * 86400;
	if (localtime_r(&st->st_mtime, &tm) == NULL ||
	    (recent && strftime(when, sizeof(when), "%b %e %H:%M", &tm) == 0) ||
	    (!recent && strftime(when, sizeof(when), "%b %e  %Y", &tm) == 0))
		snprintf(when, sizeof(when), "?");
	snprintf(dst, dstsize, "%s %4u %-8s %-8s %8llu %s %s", mode,
	    (unsigned int)st->st_nlink, user, group,
	    (unsigned long long)st->st_size, when, name);
}
