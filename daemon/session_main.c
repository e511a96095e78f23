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
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <bsd/stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/config.h"
#include "daemon/children.h"
#include "daemon/handover.h"
#include "common/log.h"
#include "common/monotime.h"
#include "daemon/spawn.h"
#include "privsep/child.h"
#include "privsep/monitor.h"
#include "privsep/outcome.h"
#include "protocol/key.h"
#include "protocol/proxy.h"
#include "protocol/ssherr.h"

#define SESSION_SELF		"/proc/self/exe"

/* The longest a PROXY header may take to arrive; login_grace_time when
 * that is shorter.  A load balancer sends it at once. */
#define SESSION_PROXY_TIMEOUT_MS	10000

struct session_args {
	int to_stderr;
	int debug;
	int proxy;	/* -P: the connection begins with a PROXY header */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: nanosshd-session [-deP]\n"
	    "(started by nanosshd; not for direct use)\n");
	exit(1);
}

static void
session_parse(int argc, char **argv, struct session_args *a)
{
	int ch;

	memset(a, 0, sizeof(*a));
	while ((ch = getopt(argc, argv, "deP")) != -1) {
		switch (ch) {
		case 'P':
			a->proxy = 1;
			break;
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
		log_error("fd %d (status socket) is not open", SPAWN_FD_STATUS);
		return -1;
	}
	if (fcntl(SPAWN_FD_HANDOVER, F_GETFD) == -1) {
		log_error("fd %d (configuration) is not open",
		    SPAWN_FD_HANDOVER);
		return -1;
	}
	return 0;
}

/*
 * SSH sends small packets and waits for the answer (each step of the key
 * exchange and authentication, every keystroke): Nagle's algorithm would
 * hold each one back until the previous one is acknowledged, which with
 * delayed acknowledgements costs about 40 ms per round trip.  A failure
 * is harmless (a UNIX socket in tests, say).
 */
static void
session_tune_socket(void)
{
	int on = 1;

	(void)setsockopt(SPAWN_FD_SOCKET, IPPROTO_TCP, TCP_NODELAY, &on,
	    sizeof(on));
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

/*
 * Reads the PROXY header from the client socket, exactly its bytes (the
 * SSH version line after it stays in the socket for the protocol child),
 * within timeout_ms.  0, SSH_ERR_INVALID_FORMAT (not a header),
 * SSH_ERR_CONN_TIMEOUT, SSH_ERR_DISCONNECTED or SSH_ERR_SYSTEM_ERROR.
 */
static int
session_read_proxy(int fd, int timeout_ms, struct proxy_hdr *h)
{
	uint8_t buf[PROXY_MAX];
	size_t have = 0, need = 0;
	uint64_t deadline = monotime_ms() + (uint64_t)timeout_ms, now;
	struct pollfd pfd;
	ssize_t n;
	int r;

	for (;;) {
		if ((r = proxy_need(buf, have, &need)) != 0)
			return r;
		if (need == 0)
			return proxy_parse(buf, have, h);
		if (need > sizeof(buf) - have)
			return SSH_ERR_INVALID_FORMAT;
		if ((now = monotime_ms()) >= deadline)
			return SSH_ERR_CONN_TIMEOUT;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if ((r = poll(&pfd, 1, (int)(deadline - now))) == -1) {
			if (errno == EINTR)
				continue;
			return SSH_ERR_SYSTEM_ERROR;
		}
		if (r == 0)
			continue;
		/* At most need bytes: never past the header's end. */
		if ((n = read(fd, buf + have, need)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return SSH_ERR_SYSTEM_ERROR;
		}
		if (n == 0)
			return SSH_ERR_DISCONNECTED;
		have += (size_t)n;
	}
}

/*
 * On a listen_proxy socket: the header's client and server addresses
 * replace the socket's in peer and local (LOCAL / UNKNOWN keep them), and
 * the listener learns the client's for its penalties.  -1 closes the
 * connection (logged here).
 */
static int
session_proxy(const struct cfg_settings *s, char *peer, size_t peersize,
    unsigned int *peer_portp, char *local, size_t localsize,
    unsigned int *local_portp)
{
	struct proxy_hdr h;
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	uint8_t rec[CHILD_STATUS_PROXY_LEN];
	char src[64], dst[64];
	int timeout = SESSION_PROXY_TIMEOUT_MS, r;

	if (s->auth.login_grace_time > 0 &&
	    s->auth.login_grace_time < timeout / 1000)
		timeout = s->auth.login_grace_time * 1000;
	if ((r = session_read_proxy(SPAWN_FD_SOCKET, timeout, &h)) != 0) {
		log_info("Connection from %s port %u on %s port %u closed: "
		    "no valid PROXY protocol header (%s)", peer, *peer_portp,
		    local, *local_portp, r == SSH_ERR_SYSTEM_ERROR ?
		    strerror(errno) : ssh_err(r));
		return -1;
	}
	if (h.ph_local) {
		log_verbose("PROXY %s from %s port %u: the proxy's own "
		    "connection", h.ph_version == 2 ? "LOCAL" : "UNKNOWN",
		    peer, *peer_portp);
		return 0;
	}
	if (proxy_addr_str(&h, 1, src, sizeof(src)) != 0 ||
	    proxy_addr_str(&h, 0, dst, sizeof(dst)) != 0 ||
	    strlen(src) >= peersize || strlen(dst) >= localsize)
		return -1;
	log_info("Connection from %s port %u via PROXY protocol v%d from %s "
	    "port %u", src, h.ph_sport, h.ph_version, peer, *peer_portp);
	memset(&ss, 0, sizeof(ss));
	if (h.ph_alen == 4) {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, h.ph_src, 4);
		s4->sin_port = htons(h.ph_sport);
	} else {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, h.ph_src, 16);
		s6->sin6_port = htons(h.ph_sport);
	}
	/* The listener counts penalties per source: tell it the real one.
	 * A lost record costs only that; the session goes on. */
	if (children_proxy_record((struct sockaddr *)&ss, rec) != 0 ||
	    write(SPAWN_FD_STATUS, rec, sizeof(rec)) != (ssize_t)sizeof(rec))
		log_error("cannot tell nanosshd the proxied address: %s",
		    strerror(errno));
	memcpy(peer, src, strlen(src) + 1);
	memcpy(local, dst, strlen(dst) + 1);
	*peer_portp = h.ph_sport;
	*local_portp = h.ph_dport;
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
	session_tune_socket();
	/* No program the monitor runs inherits the client socket or the
	 * status socket by mistake; the protocol child gets its copy of the
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
	if (a.proxy) {
		/* The proxy's bytes, not a failure of ours: no penalty (the
		 * source the listener knows is the proxy). */
		if (session_proxy(s, peer, sizeof(peer), &peer_port, local,
		    sizeof(local), &local_port) != 0) {
			ret = OUTCOME_PROTOCOL;
			goto out;
		}
	} else
		log_info("Connection from %s port %u on %s port %u", peer,
		    peer_port, local, local_port);
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
