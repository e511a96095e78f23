/*
 * userpath.c: %h, %u and %% in configured paths (authorized_keys files,
 * SFTP mount targets), and OpenSSH's StrictModes checks of such files.
 */
#include <sys/stat.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "privsep/userpath.h"
#include "protocol/ssherr.h"

int
userpath_expand(const char *pattern, const struct passwd *pw, char *out,
    size_t outsize)
{
	size_t o = 0;
	const char *p, *add;
	char one[2] = { 0, 0 };

	if (pattern[0] != '/' && pattern[0] != '%') {
		if (snprintf(out, outsize, "%s/", pw->pw_dir) >= (int)outsize)
			return SSH_ERR_NO_BUFFER_SPACE;
		o = strlen(out);
	}
	for (p = pattern; *p != '\0'; p++) {
		if (*p == '%' && p[1] == 'h')
			add = pw->pw_dir;
		else if (*p == '%' && p[1] == 'u')
			add = pw->pw_name;
		else if (*p == '%' && p[1] == '%')
			add = "%";
		else if (*p == '%')
			return SSH_ERR_INVALID_FORMAT;
		else {
			one[0] = *p;
			add = one;
		}
		if (add != one)
			p++;
		if (o + strlen(add) >= outsize)
			return SSH_ERR_NO_BUFFER_SPACE;
		memcpy(out + o, add, strlen(add));
		o += strlen(add);
	}
	out[o] = '\0';
	return 0;
}

/*
 * OpenSSH's StrictModes: the file and every directory above it, up to the
 * home directory (or / for files elsewhere), must be owned by root or the
 * user and writable by nobody else (or, for a directory, be root's and
 * sticky).  Returns NULL or a reason.
 */
const char *
userpath_strict_modes(const char *path, const struct stat *st, const struct passwd *pw)
{
	static char why[PATH_MAX + 64];
	char dir[PATH_MAX], *slash;
	struct stat dst;
	size_t homelen = strlen(pw->pw_dir);

	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if ((st->st_uid != 0 && st->st_uid != pw->pw_uid) ||
	    (st->st_mode & 022) != 0)
		return "bad ownership or modes for the file";
	if (strlen(path) >= sizeof(dir))
		return "path too long";
	strcpy(dir, path);
	while ((slash = strrchr(dir, '/')) != NULL) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &dst) == -1)
			return "cannot stat a parent directory";
		/* A root-owned sticky directory (/tmp) is fine: nobody else
		 * can rename or replace the entries below it. */
		if ((dst.st_uid != 0 && dst.st_uid != pw->pw_uid) ||
		    ((dst.st_mode & 022) != 0 &&
		    !(dst.st_uid == 0 && (dst.st_mode & S_ISVTX) != 0))) {
			snprintf(why, sizeof(why),
			    "bad ownership or modes for directory %s", dir);
			return why;
		}
		if (strcmp(dir, "/") == 0 || (homelen > 1 &&
		    strcmp(dir, pw->pw_dir) == 0))
			break;
	}
	return NULL;
}
