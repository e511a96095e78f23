/*
 * sftp_main.c: nanossh-sftp-server, SFTP on stdin/stdout (as OpenSSH's
 * sftp-server).  The loop moves bytes; server.c does the protocol.
 */
#include <errno.h>
#include <pwd.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fdutil.h"
#include "common/log.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "sftp/opts.h"
#include "sftp/server.h"
#include "sftp/sftp_proto.h"
#include "sftp/vfs.h"

#define IN_CAP		(2 * (SFTP_MAX_PACKET + 4))
#define OUT_HIGH	(4 * (SFTP_MAX_PACKET + 4))	/* stop taking requests */
#define IO_CHUNK	(64 * 1024)

static void
usage(void)
{
	fprintf(stderr, "usage: nanossh-sftp-server [-eRV] [-d start_dir] "
	    "[-f facility] [-l level] [-s session] [-u umask]\n"
	    "\t[-M vpath=target:access[:group,...]]...\n");
	exit(1);
}

/* Appends what fd has (up to the room left); 0 at EOF, -1 on error. */
static ssize_t
fill(int fd, struct buf *in)
{
	size_t room = IN_CAP - buf_len(in);
	uint8_t *p;
	ssize_t n;

	if (room > IO_CHUNK)
		room = IO_CHUNK;
	if (room == 0)
		return 1;	/* full: not a sign of EOF */
	if (buf_reserve(in, room, &p) != 0)
		return -1;
	n = read(fd, p, room);
	if (buf_consume_end(in, n > 0 ? room - (size_t)n : room) != 0)
		return -1;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	return n;
}

static int
serve(struct sftp *s)
{
	struct buf *in = NULL, *out = NULL;
	struct pollfd pfd[2];
	ssize_t n;
	int r = 1, pr = 0, eof = 0, broken = 0;

	if ((in = buf_new()) == NULL || (out = buf_new()) == NULL)
		goto out;
	for (;;) {
		while (!broken && buf_len(out) < OUT_HIGH &&
		    (pr = sftp_process(s, in, out)) == 1)
			;
		if (pr < 0 && !broken) {
			log_error("ending session: %s", pr ==
			    SSH_ERR_PROTOCOL_ERROR ? "protocol violation" :
			    "malformed or oversized packet");
			/* The replies so far still go out; nothing is read. */
			broken = eof = 1;
		}
		if (eof && buf_len(out) == 0) {
			r = broken;
			goto out;
		}
		pfd[0].fd = (!eof && buf_len(in) < IN_CAP &&
		    buf_len(out) < OUT_HIGH) ? STDIN_FILENO : -1;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		/* Not polled when idle: a hung-up peer would spin the loop. */
		pfd[1].fd = buf_len(out) > 0 ? STDOUT_FILENO : -1;
		pfd[1].events = POLLOUT;
		pfd[1].revents = 0;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		if (pfd[1].revents & (POLLOUT | POLLERR | POLLHUP)) {
			n = write(STDOUT_FILENO, buf_ptr(out), buf_len(out));
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				log_debug("write: %s", strerror(errno));
				goto out;
			}
			if (n > 0 && buf_consume(out, (size_t)n) != 0)
				goto out;
		}
		if (pfd[0].revents & (POLLIN | POLLERR | POLLHUP)) {
			if ((n = fill(STDIN_FILENO, in)) < 0)
				goto out;
			if (n == 0)
				eof = 1;
		}
	}
 out:
	buf_free(in);
	buf_free(out);
	return r;
}

int
main(int argc, char **argv)
{
	struct sftp_opts o;
	struct vfs *v = NULL;
	struct sftp *s = NULL;
	struct passwd *pw;
	char err[512];
	int ch, r;

	sftp_opts_init(&o);
	while ((ch = getopt(argc, argv, SFTP_OPTS_GETOPT)) != -1) {
		if (ch == '?')
			usage();
		if (sftp_opts_apply(&o, ch, optarg, err, sizeof(err)) != 0) {
			fprintf(stderr, "nanossh-sftp-server: %s\n", err);
			usage();
		}
	}
	if (optind != argc)
		usage();
	sftp_opts_log_init(&o, "nanossh-sftp-server");
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit is an error (EFBIG) to report, not a crash. */
	signal(SIGXFSZ, SIG_IGN);
	if (sftp_opts_vfs(&o, &v, err, sizeof(err)) != 0)
		log_fatal("%s", err);
	pw = getpwuid(getuid());
	snprintf(err, sizeof(err), "sftp start: user %s (uid %u), %s tree, "
	    "start directory %s", pw != NULL ? pw->pw_name : "?",
	    (unsigned int)getuid(), vfs_is_plain(v) ? "real" : "virtual",
	    vfs_home(v));
	sftp_opts_log(&o, LOG_LVL_VERBOSE, err);
	if (fd_set_nonblock(STDIN_FILENO) != 0 ||
	    fd_set_nonblock(STDOUT_FILENO) != 0)
		log_fatal("cannot set up stdin/stdout: %s", strerror(errno));
	if (sftp_new(v, sftp_opts_log, &o, &s) != 0)
		log_fatal("out of memory");
	r = serve(s);
	sftp_free(s);
	vfs_free(v);
	return r;
}
