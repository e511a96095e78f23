/*
 * session_main.c: nanosshd-session, started by nanosshd for one accepted
 * connection with the descriptors and command line of spawn.h.
 *
 * It is the connection's monitor (privsep/monitor.h): it checks its
 * arguments, reloads the configuration and verifies that the file is the
 * one the listener loaded, loads the host keys, and runs the monitor,
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

#include "daemon/cfgsum.h"
#include "common/config.h"
#include "daemon/hostcert.h"
#include "common/log.h"
#include "common/keyfile.h"
#include "daemon/spawn.h"
#include "privsep/child.h"
#include "privsep/monitor.h"
#include "privsep/outcome.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

#define SESSION_MAX_OVERRIDES	256
#define SESSION_SELF		"/proc/self/exe"

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

static int
load_host_keys(const struct cfg_settings *s, struct sshkey ***keysp,
    size_t *np)
{
	struct sshkey **keys;
	size_t i;
	int r;

	if ((keys = calloc(s->host_keys.n, sizeof(*keys))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (i = 0; i < s->host_keys.n; i++) {
		if ((r = keyfile_load_private(s->host_keys.v[i], NULL, 1,
		    &keys[i], NULL)) != 0) {
			log_error("host key %s: %s", s->host_keys.v[i],
			    ssh_err(r));
			while (i > 0)
				key_free(keys[--i]);
			free(keys);
			return r;
		}
	}
	*keysp = keys;
	*np = s->host_keys.n;
	return 0;
}

int
main(int argc, char **argv)
{
	struct session_args a;
	struct monitor_params mp;
	struct cfg *cfg = NULL;
	const struct cfg_settings *s;
	struct sshkey **keys = NULL;
	struct sshcert **certs = NULL;
	const char *cpath, *why;
	size_t nkeys = 0, i;
	char sum[CFGSUM_HEX_LEN], peer[64], local[64];
	char *errs = NULL, *line, *cp;
	unsigned int peer_port, local_port;
	int r, ret = OUTCOME_ERROR;

	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "-R") == 0)
		return child_main(argc, argv);
	session_parse(argc, argv, &a);
	/* Until the configuration says otherwise (auth: sshd's default). */
	log_init("nanosshd-session", a.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO,
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
	if (load_host_keys(s, &keys, &nkeys) != 0)
		goto out;
	if (hostcert_load_all((const char *const *)s->host_certificates.v,
	    s->host_certificates.n, (const struct sshkey *const *)keys, nkeys,
	    &certs, &cpath, &why) != 0) {
		log_error("host certificate %s: %s", cpath != NULL ? cpath : "",
		    why);
		goto out;
	}
	memset(&mp, 0, sizeof(mp));
	mp.cfg = cfg;
	mp.hostkeys = keys;
	mp.nhostkeys = nkeys;
	mp.hostcerts = certs;
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
	hostcert_free_all(certs, nkeys);
	for (i = 0; i < nkeys; i++)
		key_free(keys[i]);
	free(keys);
	free(errs);
	cfg_free(cfg);
	return ret;
}
