/*
 * session_main.c: nanosshd-session, started by nanosshd for one accepted
 * connection with the descriptors and command line of spawn.h.
 *
 * For now a stub: it checks its arguments, reloads the configuration and
 * verifies that the file is the one the listener loaded, sends the
 * identification string and waits (at most login_grace_time) for the client
 * to send something or hang up, then closes.  The SSH protocol itself, the
 * privilege-separated monitor and reporting authentication on the status
 * pipe (children.h) come with the next issue.
 *
 * Exit status: 0 when the identification was sent, 1 on any failure.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon/cfgsum.h"
#include "daemon/config.h"
#include "daemon/log.h"
#include "daemon/spawn.h"
#include "protocol/ssherr.h"

#define SESSION_MAX_OVERRIDES	256
#define SESSION_IDENT		"SSH-2.0-nanossh_" PACKAGE_VERSION "\r\n"

struct session_args {
	const char *config_path;
	const char *sum;
	const char *overrides[SESSION_MAX_OVERRIDES];
	size_t noverrides;
	int to_stderr;
	int debug;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: nanosshd-session -f config_file -c sha256 "
	    "[-o path=value] [-de]\n"
	    "(started by nanosshd; not for direct use)\n");
	exit(1);
}

static void
session_parse(int argc, char **argv, struct session_args *a)
{
	int ch;

	memset(a, 0, sizeof(*a));
	while ((ch = getopt(argc, argv, "c:def:o:")) != -1) {
		switch (ch) {
		case 'c':
			a->sum = optarg;
			break;
		case 'd':
			a->debug = 1;
			break;
		case 'e':
			a->to_stderr = 1;
			break;
		case 'f':
			a->config_path = optarg;
			break;
		case 'o':
			if (a->noverrides >= SESSION_MAX_OVERRIDES)
				usage();
			a->overrides[a->noverrides++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || a->config_path == NULL || a->sum == NULL ||
	    strlen(a->sum) != CFGSUM_HEX_LEN - 1)
		usage();
}

/* Both descriptors spawn.h promises must be there, fd 3 a TCP socket. */
static int
session_check_fds(void)
{
	struct stat st;

	if (fstat(SPAWN_FD_SOCKET, &st) == -1 || !S_ISSOCK(st.st_mode)) {
		log_error("fd %d is not a socket; nanosshd-session is started "
		    "by nanosshd only", SPAWN_FD_SOCKET);
		return -1;
	}
	if (fcntl(SPAWN_FD_STATUS, F_GETFD) == -1) {
		log_error("fd %d (status pipe) is not open", SPAWN_FD_STATUS);
		return -1;
	}
	return 0;
}

static int
session_addr(int local, char *out, size_t outsize)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[64], port[16];
	int rc;

	rc = local ? getsockname(SPAWN_FD_SOCKET, (struct sockaddr *)&ss, &len) :
	    getpeername(SPAWN_FD_SOCKET, (struct sockaddr *)&ss, &len);
	if (rc == -1 || getnameinfo((struct sockaddr *)&ss, len, host,
	    sizeof(host), port, sizeof(port),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return -1;
	snprintf(out, outsize, "%s port %s", host, port);
	return 0;
}

static int
session_write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct session_args a;
	struct cfg *cfg = NULL;
	const struct cfg_settings *s;
	struct pollfd pfd;
	char sum[CFGSUM_HEX_LEN], peer[96], local[96];
	char *errs = NULL, *line, *cp;
	int r, ret = 1, timeout;

	signal(SIGPIPE, SIG_IGN);
	session_parse(argc, argv, &a);
	/* Until the configuration says otherwise (auth: sshd's default). */
	log_init("nanosshd-session", a.debug ? CFG_LOG_DEBUG : CFG_LOG_INFO,
	    LOG_AUTH, a.to_stderr);
	if (session_check_fds() != 0)
		goto out;
	if ((r = cfgsum_file(a.config_path, sum)) != 0) {
		log_error("%s: %s", a.config_path, r == SSH_ERR_SYSTEM_ERROR ?
		    strerror(errno) : ssh_err(r));
		goto out;
	}
	if (strcmp(sum, a.sum) != 0) {
		log_error("%s changed since nanosshd loaded it; refusing the "
		    "connection (send nanosshd SIGHUP to reload)",
		    a.config_path);
		goto out;
	}
	if ((r = cfg_load(a.config_path, a.overrides, a.noverrides, &cfg,
	    &errs)) != 0) {
		cp = errs;
		while (cp != NULL && (line = strsep(&cp, "\n")) != NULL) {
			if (*line != '\0')
				log_error("%s", line);
		}
		goto out;
	}
	/* Again: the file may have changed between summing and parsing. */
	if ((r = cfgsum_file(a.config_path, sum)) != 0 ||
	    strcmp(sum, a.sum) != 0) {
		log_error("%s changed while it was read", a.config_path);
		goto out;
	}
	s = cfg_global(cfg);
	log_init("nanosshd-session", a.debug ? CFG_LOG_DEBUG : s->log_level,
	    s->log_facility, a.to_stderr);
	if (session_addr(0, peer, sizeof(peer)) != 0 ||
	    session_addr(1, local, sizeof(local)) != 0) {
		log_info("connection gone before it was logged: %s",
		    strerror(errno));
		goto out;
	}
	log_info("Connection from %s on %s", peer, local);
	if (session_write_all(SPAWN_FD_SOCKET, SESSION_IDENT,
	    strlen(SESSION_IDENT)) != 0) {
		log_info("cannot send identification to %s: %s", peer,
		    strerror(errno));
		goto out;
	}
	/*
	 * Stand-in for the protocol: hold the connection, as an
	 * unauthenticated session would, until the client speaks or leaves
	 * or the grace time ends.  The client's bytes are not read here.
	 */
	timeout = s->auth.login_grace_time > 0 &&
	    s->auth.login_grace_time < 86400 ?
	    s->auth.login_grace_time * 1000 : -1;
	pfd.fd = SPAWN_FD_SOCKET;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, timeout) == -1 && errno == EINTR)
		;
	shutdown(SPAWN_FD_SOCKET, SHUT_RDWR);
	log_debug("closing connection from %s", peer);
	ret = 0;
 out:
	free(errs);
	cfg_free(cfg);
	return ret;
}
