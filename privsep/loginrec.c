/* loginrec.c: utmp, wtmp and lastlog for pty sessions (loginrec.h). */
#include <sys/types.h>
#include <sys/time.h>
#include <fcntl.h>
#include <stdio.h>
#include <lastlog.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>
#include <utmpx.h>

#include "privsep/loginrec.h"

/* Fixed-size record fields: NUL-padded, not necessarily terminated. */
static void
field_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	memset(dst, 0, size);
	memcpy(dst, src, n < size ? n : size);
}

/* "/dev/pts/3" -> line "pts/3", id "ts/3" (the last four characters,
 * as login(1) and OpenSSH derive them). */
static const char *
tty_line(const char *tty)
{
	return strncmp(tty, "/dev/", 5) == 0 ? tty + 5 : tty;
}

static void
loginrec_fill(struct utmpx *ut, const char *tty, pid_t pid)
{
	const char *line = tty_line(tty);
	size_t len = strlen(line);
	struct timeval tv;

	memset(ut, 0, sizeof(*ut));
	ut->ut_pid = pid;
	field_copy(ut->ut_line, sizeof(ut->ut_line), line);
	field_copy(ut->ut_id, sizeof(ut->ut_id), len > sizeof(ut->ut_id) ?
	    line + len - sizeof(ut->ut_id) : line);
	gettimeofday(&tv, NULL);
	ut->ut_tv.tv_sec = (int32_t)tv.tv_sec;
	ut->ut_tv.tv_usec = (int32_t)tv.tv_usec;
}

static void
lastlog_write(uid_t uid, const char *line, const char *host)
{
	struct lastlog ll;
	int fd;

	if ((fd = open(_PATH_LASTLOG, O_WRONLY | O_CLOEXEC)) == -1)
		return;		/* systems without lastlog (wtmpdb) */
	memset(&ll, 0, sizeof(ll));
	ll.ll_time = (int32_t)time(NULL);
	field_copy(ll.ll_line, sizeof(ll.ll_line), line);
	field_copy(ll.ll_host, sizeof(ll.ll_host), host);
	/* Best effort, like the other records: nothing to tell anyone. */
	if (pwrite(fd, &ll, sizeof(ll), (off_t)uid * (off_t)sizeof(ll)) !=
	    (ssize_t)sizeof(ll))
		ll.ll_time = 0;
	close(fd);
}

int
loginrec_last(uid_t uid, char *buf, size_t len)
{
	struct lastlog ll;
	char when[64], host[sizeof(ll.ll_host) + 1];
	time_t t;
	struct tm tm;
	int fd;
	ssize_t n;

	if (getuid() != 0 ||
	    (fd = open(_PATH_LASTLOG, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = pread(fd, &ll, sizeof(ll), (off_t)uid * (off_t)sizeof(ll));
	close(fd);
	if (n != (ssize_t)sizeof(ll) || ll.ll_time == 0)
		return 0;
	t = (time_t)ll.ll_time;
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm) == 0)
		return 0;
	memcpy(host, ll.ll_host, sizeof(ll.ll_host));
	host[sizeof(ll.ll_host)] = '\0';
	snprintf(buf, len, "Last login: %s%s%s", when, *host != '\0' ?
	    " from " : "", host);
	return 1;
}

int
loginrec_login(const char *tty, const char *user, uid_t uid,
    const char *host, pid_t pid)
{
	struct utmpx ut;

	if (getuid() != 0)
		return 0;
	loginrec_fill(&ut, tty, pid);
	ut.ut_type = USER_PROCESS;
	field_copy(ut.ut_user, sizeof(ut.ut_user), user);
	field_copy(ut.ut_host, sizeof(ut.ut_host), host);
	setutxent();
	(void)pututxline(&ut);
	endutxent();
	updwtmpx(_PATH_WTMP, &ut);
	lastlog_write(uid, tty_line(tty), host);
	return 1;
}

void
loginrec_logout(const char *tty, pid_t pid)
{
	struct utmpx ut;

	if (getuid() != 0)
		return;
	loginrec_fill(&ut, tty, pid);
	ut.ut_type = DEAD_PROCESS;
	setutxent();
	(void)pututxline(&ut);
	endutxent();
	updwtmpx(_PATH_WTMP, &ut);
}
