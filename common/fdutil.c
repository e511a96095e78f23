/*
 * fdutil.c: small fd helpers shared by the daemon's processes.
 */
#include <fcntl.h>

#include "common/fdutil.h"
#include "protocol/ssherr.h"

int
fd_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	return 0;
}
