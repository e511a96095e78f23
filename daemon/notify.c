/* notify.c: sd_notify(3) for Type=notify services (notify.h). */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "common/log.h"
#include "daemon/notify.h"

#define NOTIFY_ENV	"NOTIFY_SOCKET"

static struct sockaddr_un notify_addr;
static socklen_t notify_addrlen;	/* 0: not started by systemd */
static char notify_path[sizeof(notify_addr.sun_path) + 1];

void
notify_init(void)
{
	const char *p = getenv(NOTIFY_ENV);
	size_t len;

	notify_addrlen = 0;
	if (p == NULL)
		return;
	len = strlen(p);
	/* Only AF_UNIX names are defined; vsock and the like are not. */
	if ((p[0] != '/' && p[0] != '@') || len < 2 ||
	    len >= sizeof(notify_addr.sun_path)) {
		log_error("ignoring %s=%s: not a socket path", NOTIFY_ENV, p);
		unsetenv(NOTIFY_ENV);
		return;
	}
	strlcpy(notify_path, p, sizeof(notify_path));
	memset(&notify_addr, 0, sizeof(notify_addr));
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, p, len);
	if (p[0] == '@')
		notify_addr.sun_path[0] = '\0';
	/* An abstract name has no terminating NUL: its length is exact. */
	notify_addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    len + (p[0] == '/'));
	unsetenv(NOTIFY_ENV);
}

int
notify_enabled(void)
{
	return notify_addrlen != 0;
}

void
notify_send(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int fd, n;

	if (notify_addrlen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_debug("%s: socket: %s", NOTIFY_ENV, strerror(errno));
		return;
	}
	if (sendto(fd, msg, (size_t)n, MSG_NOSIGNAL,
	    (const struct sockaddr *)&notify_addr, notify_addrlen) == -1)
		log_debug("%s: send to %s: %s", NOTIFY_ENV, notify_path,
		    strerror(errno));
	close(fd);
}

void
notify_reloading(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return;
	notify_send("RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL);
}

int
notify_restore_env(void)
{
	if (notify_addrlen == 0)
		return 0;
	return setenv(NOTIFY_ENV, notify_path, 1);
}
