/*
 * vfs_target.c: opening a mount's target directory so that nobody but
 * root can redirect it.  A target under a directory a user can write
 * (/srv/share/%u owned by that user, a world-writable spool) could be
 * swapped for a symbolic link to /etc between the administrator's check
 * and the session; the walk below follows a symbolic link only where no
 * user could have planted or replaced it, and holds each directory open
 * while it looks at the next, so no rename during the walk leads
 * elsewhere.  The mount keeps the directory open (vfs_mount): later
 * renames of the path do not move it either.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>

#include "sftp/vfs_local.h"

#define TARGET_MAX_LINKS	32

/*
 * 1 if a user other than root could replace the entry e of directory d:
 * d is not root's, or group or others may write it, unless it is sticky
 * (only the entry's owner may rename or remove it there) and e is root's.
 */
static int
replaceable(const struct stat *d, const struct stat *e)
{
	if (d->st_uid != 0)
		return 1;
	if ((d->st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return 0;
	return !((d->st_mode & S_ISVTX) != 0 && e->st_uid == 0);
}

/* The next component of *restp into comp (NAME_MAX + 1 bytes); 0 when
 * none is left, -1 (ENAMETOOLONG) for one too long. */
static int
next_component(const char **restp, char *comp)
{
	const char *p = *restp, *end;
	size_t len;

	while (*p == '/')
		p++;
	if (*p == '\0') {
		*restp = p;
		return 0;
	}
	if ((end = strchr(p, '/')) == NULL)
		end = p + strlen(p);
	if ((len = (size_t)(end - p)) > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(comp, p, len);
	comp[len] = '\0';
	*restp = end;
	return 1;
}

int
vfs_open_target(const char *target)
{
	char rest[PATH_MAX], link[PATH_MAX], comp[NAME_MAX + 1];
	const char *p;
	struct stat dst, st;
	ssize_t n;
	int cur = -1, fd = -1, links = 0, c, saved;

	if (target[0] != '/' || strlcpy(rest, target, sizeof(rest)) >=
	    sizeof(rest)) {
		errno = target[0] != '/' ? EINVAL : ENAMETOOLONG;
		return -1;
	}
	if ((cur = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	p = rest;
	while ((c = next_component(&p, comp)) == 1) {
		if (strcmp(comp, ".") == 0)
			continue;
		if ((fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC)) ==
		    -1 || fstat(fd, &st) == -1 || fstat(cur, &dst) == -1)
			goto fail;
		if (S_ISLNK(st.st_mode)) {
			/* Planted, or replaceable, by a user: refused. */
			if (replaceable(&dst, &st) ||
			    ++links > TARGET_MAX_LINKS) {
				errno = ELOOP;
				goto fail;
			}
			if ((n = readlinkat(fd, "", link, sizeof(link))) == -1)
				goto fail;
			if ((size_t)n >= sizeof(link) ||
			    (size_t)n + 1 + strlen(p) >= sizeof(rest)) {
				errno = ENAMETOOLONG;
				goto fail;
			}
			close(fd);
			fd = -1;
			/* The link's path, then what was left after it. */
			link[n] = '\0';
			memmove(rest + n + 1, p, strlen(p) + 1);
			memcpy(rest, link, (size_t)n);
			rest[n] = '/';
			p = rest;
			if (link[0] == '/') {
				close(cur);
				if ((cur = open("/", O_PATH | O_DIRECTORY |
				    O_CLOEXEC)) == -1)
					goto fail;
			}
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			goto fail;
		}
		close(cur);
		cur = fd;
		fd = -1;
	}
	if (c == -1)
		goto fail;
	return cur;
 fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (cur != -1)
		close(cur);
	errno = saved;
	return -1;
}
