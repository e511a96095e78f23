/*
 * vfs_path.c: virtual paths as strings (canonical form), mount arguments
 * and group membership.  Nothing here touches the filesystem.
 */
#include <sys/types.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/ssherr.h"
#include "sftp/vfs.h"

/* Drops the last component of the canonical path in out[0..*lenp). */
static void
canon_pop(char *out, size_t *lenp)
{
	while (*lenp > 0 && out[*lenp - 1] != '/')
		(*lenp)--;
	if (*lenp > 1)
		(*lenp)--;	/* the separator, unless it is the root */
}

/* Appends the components of s (. and .. applied) to out[0..*lenp). */
static int
canon_append(char *out, size_t *lenp, const char *s)
{
	const char *p = s, *e;
	size_t n;

	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		n = (size_t)(e - p);
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			canon_pop(out, lenp);
		} else {
			if (*lenp + 1 + n + 1 > VFS_PATH_MAX)
				return -1;
			if (*lenp > 1)
				out[(*lenp)++] = '/';
			memcpy(out + *lenp, p, n);
			*lenp += n;
		}
		p = e;
	}
	return 0;
}

int
vfs_canon_from(const char *base, const char *path, char **outp)
{
	char *out = NULL;
	size_t len = 1;
	int r = SSH_ERR_INTERNAL_ERROR;

	*outp = NULL;
	if (strlen(path) >= VFS_PATH_MAX) {
		errno = ENAMETOOLONG;
		return SSH_ERR_SYSTEM_ERROR;
	}
	if ((out = malloc(VFS_PATH_MAX)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	out[0] = '/';
	if (path[0] != '/' && canon_append(out, &len, base) != 0)
		goto toolong;
	if (canon_append(out, &len, path) != 0)
		goto toolong;
	out[len] = '\0';
	*outp = out;
	out = NULL;
	r = 0;
	goto out;
 toolong:
	errno = ENAMETOOLONG;
	r = SSH_ERR_SYSTEM_ERROR;
 out:
	free(out);
	return r;
}

static int
access_parse(const char *s, int *accessp)
{
	static const struct { const char *name; int access; } names[] = {
		{ "ro", VFS_RO }, { "rw", VFS_RW }, { "wo", VFS_WO },
		{ "inherit", VFS_INHERIT },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*accessp = names[i].access;
			return 0;
		}
	}
	return SSH_ERR_INVALID_FORMAT;
}

int
vfs_mount_spec_parse(const char *spec, char **vpathp, char **targetp,
    int *accessp, char **groupsp)
{
	char *s = NULL, *eq, *colon, *last, *groups = NULL;
	int r = SSH_ERR_INTERNAL_ERROR, access;

	*vpathp = *targetp = *groupsp = NULL;
	if ((s = strdup(spec)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	r = SSH_ERR_INVALID_FORMAT;
	if ((eq = strchr(s, '=')) == NULL || eq == s || s[0] != '/')
		goto out;
	*eq = '\0';
	/* Fields are taken from the right so that a target may hold ':'. */
	if ((last = strrchr(eq + 1, ':')) == NULL)
		goto out;
	*last++ = '\0';
	if (access_parse(last, &access) != 0) {
		groups = last;
		if ((colon = strrchr(eq + 1, ':')) == NULL)
			goto out;
		*colon++ = '\0';
		if (access_parse(colon, &access) != 0 || *groups == '\0')
			goto out;
	}
	if (eq[1] == '\0')
		goto out;
	r = SSH_ERR_ALLOC_FAIL;
	if ((*vpathp = strdup(s)) == NULL ||
	    (*targetp = strdup(eq + 1)) == NULL ||
	    (groups != NULL && (*groupsp = strdup(groups)) == NULL)) {
		free(*vpathp);
		free(*targetp);
		*vpathp = *targetp = NULL;
		goto out;
	}
	*accessp = access;
	r = 0;
 out:
	free(s);
	return r;
}

/* The gid a group list entry names, or -1. */
static int
group_gid(const char *name, gid_t *gidp)
{
	struct group *gr;
	char *end;
	unsigned long n;

	if ((gr = getgrnam(name)) != NULL) {
		*gidp = gr->gr_gid;
		return 0;
	}
	errno = 0;
	n = strtoul(name, &end, 10);
	if (*name == '\0' || *end != '\0' || errno != 0 || n >= (gid_t)-1)
		return -1;
	*gidp = (gid_t)n;
	return 0;
}

static int
gid_member(gid_t gid)
{
	gid_t list[NGROUPS_MAX];
	int n, i;

	if (gid == getegid())
		return 1;
	if ((n = getgroups(NGROUPS_MAX, list)) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (list[i] == gid)
			return 1;
	return 0;
}

int
vfs_in_groups(const char *groups)
{
	char *s, *tok, *save = NULL;
	gid_t gid;
	int found = 0;

	if ((s = strdup(groups)) == NULL)
		return 0;
	for (tok = strtok_r(s, ",", &save); tok != NULL && !found;
	    tok = strtok_r(NULL, ",", &save))
		if (group_gid(tok, &gid) == 0 && gid_member(gid))
			found = 1;
	free(s);
	return found;
}
