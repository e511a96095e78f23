/* fdutil.h: small fd helpers shared by the daemon's processes. */
#ifndef NANOSSH_FDUTIL_H
#define NANOSSH_FDUTIL_H

/* Adds O_NONBLOCK to fd's flags; 0 or SSH_ERR_SYSTEM_ERROR (errno set). */
int fd_set_nonblock(int fd);

#endif
