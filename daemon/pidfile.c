/* pidfile.c: writing and removing the pid file (pidfile.h). */
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/pidfile.h"
#include "protocol/ssherr.h"

int
pidfile_save(const char *path, pid_t pid)
{
	char line[32];
	int fd = -1, n, r = SSH_ERR_INTERNAL_ERROR, saved_errno;

	n = snprintf(line, sizeof(line), "%ld\n", (long)pid);
	if (n < 0 || (size_t)n >= sizeof(line))
		goto out;
	/* O_NOFOLLOW: root writes here; a symlink planted in a writable
	 * directory must not redirect the write. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	/* The umask may have removed bits others need to read it. */
	if (fchmod(fd, 0644) == -1 ||
	    write(fd, line, (size_t)n) != n) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	fd = -1;
	r = 0;
 out:
	saved_errno = errno;
	if (fd != -1)
		close(fd);
	errno = saved_errno;
	return r;
}

int
pidfile_unlink(const char *path)
{
	if (unlink(path) == -1 && errno != ENOENT)
		return SSH_ERR_SYSTEM_ERROR;
	return 0;
}
