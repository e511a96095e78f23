/*
 * session_main.c: nanosshd-session, started by nanosshd for one accepted
 * connection with the descriptors and command line of spawn.h.
 *
 * It is the connection's monitor (privsep/monitor.h): it checks its
 * descriptors, reads the configuration and host keys the listener loaded
 * and checked from fd 5 (daemon/handover.h; the file itself is not read
 * again, so an edit waits for SIGHUP), and runs the monitor,
 * which starts the protocol child by executing this program again with -R
 * (privsep/child.h), so that the child's memory never held a private key.
 *
 * Exit status: an OUTCOME_* of privsep/outcome.h.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <bsd/stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/config.h"
#include "daemon/handover.h"
#include "common/log.h"
#include "daemon/spawn.h"
#include "privsep/child.h"
#include "privsep/monitor.h"
#include "privsep/outcome.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

#define SESSION_SELF		"/proc/self/exe"

struct session_args {
	int to_stderr;
	int debug;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: nanosshd-session [-de]\n"
	    "(started by nanosshd; not for direct use)\n");
	exit(1);
}

static void
session_parse(int argc, char **argv, struct session_args *a)
{
	int ch;

	memset(a, 0, sizeof(*a));
	while ((ch = getopt(argc, argv, "de")) != -1) {
		switch (ch) {
		case 'd':
			a->debug = 1;
			break;
		case 'e':
			a->to_stderr = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

/* The descriptors spawn.h promises must be there, fd 3 a socket; fd 5 is
 * checked by handover_read. */
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
	if (fcntl(SPAWN_FD_HANDOVER, F_GETFD) == -1) {
		log_error("fd %d (configuration) is not open",
		    SPAWN_FD_HANDOVER);
		return -1;
	}
	return 0;
}

/* The numeric address and port of one end of the client socket. */
static int
session_addr(int local, char *host, size_t hostsize, unsigned int *portp)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char port[16];
	int rc;

	rc = local ? getsockname(SPAWN_FD_SOCKET, (struct sockaddr *)&ss, &len) :
	    getpeername(SPAWN_FD_SOCKET, (struct sockaddr *)&ss, &len);
	if (rc == -1 || getnameinfo((struct sockaddr *)&ss, len, host,
	    hostsize, port, sizeof(port),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return -1;
	*portp = (unsigned int)strtoul(port, NULL, 10);
	return 0;
}

/* -R: the protocol child, started by the monitor (privsep/monitor.c). */
static int
child_main(int argc, char **argv)
{
	struct sandbox_params sp;
	const char *errstr = NULL;
	int ch;

	memset(&sp, 0, sizeof(sp));
	sp.sb_max_files = 64;
	while ((ch = getopt(argc, argv, "C:Rn:u:")) != -1) {
		switch (ch) {
		case 'C':
			sp.sb_chroot = optarg;
			break;
		case 'R':
			break;
		case 'n':
			sp.sb_max_files = (rlim_t)strtonum(optarg, 16, 65536,
			    &errstr);
			if (errstr != NULL)
				return OUTCOME_ERROR;
			break;
		case 'u':
			sp.sb_user = optarg;
			break;
		default:
			return OUTCOME_ERROR;
		}
	}
	if (optind != argc || sp.sb_chroot == NULL || sp.sb_user == NULL)
		return OUTCOME_ERROR;
	return child_run(&sp);
}

int
main(int argc, char **argv)
{
	struct session_args a;
	struct monitor_params mp;
	struct handover h;
	const struct cfg_settings *s;
	char peer[64], local[64];
	unsigned int peer_port, local_port;
	int r, ret = OUTCOME_ERROR;

	memset(&h, 0, sizeof(h));
	/* As in nanosshd (main.c), whoever started this. */
	umask(umask(077) | 022);
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "-R") == 0)
		return child_main(argc, argv);
	session_parse(argc, argv, &a);
	/* Until the configuration says otherwise (auth: sshd's default). */
	log_init("nanosshd-session", a.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO,
	    LOG_AUTH, a.to_stderr);
	if (session_check_fds() != 0)
		goto out;
	/* No program the monitor runs inherits the client socket or the
	 * status pipe by mistake; the protocol child gets its copy of the
	 * socket by an explicit dup2 (privsep/monitor.c). */
	if (fcntl(SPAWN_FD_SOCKET, F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(SPAWN_FD_STATUS, F_SETFD, FD_CLOEXEC) == -1) {
		log_error("cannot set close-on-exec: %s", strerror(errno));
		goto out;
	}
	r = handover_read(SPAWN_FD_HANDOVER, &h);
	/* Nothing run from here on (the protocol child, user processes)
	 * gets the host keys through it. */
	close(SPAWN_FD_HANDOVER);
	if (r != 0) {
		log_error("cannot read the configuration from nanosshd: %s",
		    r == SSH_ERR_SYSTEM_ERROR ? strerror(errno) : ssh_err(r));
		goto out;
	}
	s = cfg_global(h.cfg);
	log_init("nanosshd-session", a.debug ? LOG_LVL_DEBUG : s->log_level,
	    s->log_facility, a.to_stderr);
	if (session_addr(0, peer, sizeof(peer), &peer_port) != 0 ||
	    session_addr(1, local, sizeof(local), &local_port) != 0) {
		log_info("connection gone before it was logged: %s",
		    strerror(errno));
		goto out;
	}
	log_info("Connection from %s port %u on %s port %u", peer, peer_port,
	    local, local_port);
	memset(&mp, 0, sizeof(mp));
	mp.cfg = h.cfg;
	mp.hostkeys = h.keys;
	mp.nhostkeys = h.nkeys;
	mp.hostcerts = h.certs;
	mp.client_fd = SPAWN_FD_SOCKET;
	mp.status_fd = SPAWN_FD_STATUS;
	mp.self_path = SESSION_SELF;
	mp.client_addr = peer;
	mp.client_port = peer_port;
	mp.server_addr = local;
	mp.server_port = local_port;
	mp.child_stderr = a.to_stderr;
	ret = monitor_run(&mp);
	log_debug("connection from %s port %u ended: outcome %d", peer,
	    peer_port, ret);
 out:
	handover_clear(&h);
	return ret;
}
