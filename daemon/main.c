/*
 * main.c: nanosshd, the listener.  Loads and checks the configuration and
 * host keys, binds the listen addresses and runs the event loop (serve.c),
 * which starts one nanosshd-session per connection and hands it what was
 * loaded and checked here (handover.h).  SIGHUP re-checks the
 * configuration in-process and, if it is good, re-executes the installed
 * daemon with the same PID.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "auth/passwd_file.h"
#include "common/config.h"
#include "daemon/control.h"
#include "daemon/dumpconn.h"
#include "daemon/handover.h"
#include "daemon/hostcert.h"
#include "common/keyfile.h"
#include "daemon/listener.h"
#include "daemon/notify.h"
#include "common/log.h"
#include "daemon/pidfile.h"
#include "daemon/serve.h"
#include "daemon/spawn.h"
#include "privsep/sandbox.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

/* Set in the environment across a SIGHUP re-exec: the process is already a
 * daemon and must not fork again (its PID must stay).  Its value is the
 * descriptor of the old image's handover memfd, the configuration to keep
 * serving should the file fail to load in the new image. */
#define MAIN_REEXEC_ENV		"NANOSSHD_REEXEC"
/* Where SIGHUP re-executes when argv[0] does not say. */
#define MAIN_INSTALLED_PATH	SBINDIR "/nanosshd"
/* Bound on -o arguments. */
#define MAIN_MAX_OVERRIDES	256

struct options {
	char *config_path;	/* absolute when the file exists */
	char *self_path;	/* what SIGHUP re-executes */
	const char *overrides[MAIN_MAX_OVERRIDES];
	size_t noverrides;
	int foreground;		/* -D */
	int to_stderr;		/* -e */
	int debug;		/* -d */
	int test;		/* -t */
	int dump;		/* -T */
	const char *conn;	/* -C: -T for this connection */
	int reexec;		/* started by a SIGHUP re-exec */
	int reexec_fd;		/* the old image's handover, or -1 */
};

/* Where problems go: stderr while starting, the log when reloading. */
enum report_to { REPORT_STDERR, REPORT_LOG };

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: nanosshd [-DdeTtV] [-C user=NAME,addr=ADDRESS] "
	    "[-f config_file]\n"
	    "                [-o path=value]\n");
	exit(1);
}

static void
report(enum report_to to, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
report(enum report_to to, const char *fmt, ...)
{
	char raw[LOG_LINE_MAX], clean[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (to == REPORT_LOG) {
		log_error("%s", raw);
		return;
	}
	fprintf(stderr, "nanosshd: %s\n",
	    log_sanitise(clean, sizeof(clean), raw));
}

/* Reports each line of a multi-line message from cfg_load. */
static void
report_lines(enum report_to to, const char *lines)
{
	char *copy, *cp, *line;

	if (lines == NULL || (copy = strdup(lines)) == NULL) {
		report(to, "configuration is not valid");
		return;
	}
	cp = copy;
	while ((line = strsep(&cp, "\n")) != NULL) {
		if (*line != '\0')
			report(to, "%s", line);
	}
	free(copy);
}

/*
 * The program SIGHUP runs: argv[0] made absolute now (before the daemon's
 * chdir), so that a package upgrade that replaces the file takes effect,
 * which /proc/self/exe (the old, possibly deleted, inode) would not do.
 * Symbolic links are kept, not resolved, for the same reason.  A bare name
 * came from $PATH: the installed daemon.
 */
static char *
self_path(const char *argv0)
{
	char cwd[PATH_MAX], *p = NULL;

	if (argv0 == NULL || strchr(argv0, '/') == NULL)
		return strdup(MAIN_INSTALLED_PATH);
	if (*argv0 == '/')
		return strdup(argv0);
	if (getcwd(cwd, sizeof(cwd)) == NULL ||
	    asprintf(&p, "%s/%s", cwd, argv0) == -1)
		return strdup(MAIN_INSTALLED_PATH);
	return p;
}

/* The handover descriptor of MAIN_REEXEC_ENV, close-on-exec again; -1 if
 * there is none (handover_read checks what it is). */
static int
reexec_fd(const char *v)
{
	const char *errstr = NULL;
	int fd;

	if (v == NULL)
		return -1;
	fd = (int)strtonum(v, STDERR_FILENO + 1, INT_MAX, &errstr);
	if (errstr != NULL || fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	return fd;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	char resolved[PATH_MAX];
	const char *path = CFG_DEFAULT_PATH;
	int ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt(argc, argv, "C:DdeTtVf:o:")) != -1) {
		switch (ch) {
		case 'C':
			o->conn = optarg;
			break;
		case 'D':
			o->foreground = 1;
			break;
		case 'd':
			o->debug = o->foreground = o->to_stderr = 1;
			break;
		case 'e':
			o->to_stderr = 1;
			break;
		case 'T':
			o->dump = 1;
			break;
		case 't':
			o->test = 1;
			break;
		case 'V':
			printf("nanossh_%s\n", PACKAGE_VERSION);
			exit(0);
		case 'f':
			path = optarg;
			break;
		case 'o':
			if (o->noverrides >= MAIN_MAX_OVERRIDES) {
				fprintf(stderr, "nanosshd: too many -o\n");
				exit(1);
			}
			o->overrides[o->noverrides++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (o->conn != NULL && !o->dump))
		usage();
	/* Absolute, so that it still names the file after the daemon's
	 * chdir("/") and in every session; a missing file is left for
	 * cfg_load to report. */
	if (realpath(path, resolved) != NULL)
		path = resolved;
	if ((o->config_path = strdup(path)) == NULL ||
	    (o->self_path = self_path(argv[0])) == NULL) {
		fprintf(stderr, "nanosshd: out of memory\n");
		exit(1);
	}
	o->reexec = getenv(MAIN_REEXEC_ENV) != NULL;
	o->reexec_fd = reexec_fd(getenv(MAIN_REEXEC_ENV));
	unsetenv(MAIN_REEXEC_ENV);
}

static int
load_config(const struct options *o, enum report_to to, struct cfg **cfgp)
{
	char *errs = NULL;
	int r;

	if ((r = cfg_load(o->config_path, o->overrides, o->noverrides, cfgp,
	    &errs)) != 0)
		report_lines(to, errs);
	free(errs);
	return r;
}

/* Each host certificate must certify one of the loaded keys, a key at most
 * once; they go into certs[0..nkeys), by key.  Returns the number of
 * problems. */
static int
check_host_certificates(const struct cfg_settings *s,
    const struct sshkey *const *keys, size_t nkeys, struct sshcert **certs,
    enum report_to to)
{
	struct sshcert *cert;
	const char *why;
	size_t i, idx;
	int problems = 0;

	for (i = 0; i < s->host_certificates.n; i++) {
		if (hostcert_load(s->host_certificates.v[i], keys, nkeys,
		    certs, &cert, &idx, &why) != 0) {
			report(to, "host certificate %s: %s",
			    s->host_certificates.v[i], why);
			problems++;
			continue;
		}
		certs[idx] = cert;
	}
	return problems;
}

/* Loads every host key, then the host certificates, into h (beside its
 * configuration); each problem is reported.  Returns the number of
 * problems; with none, h holds them all. */
static int
check_host_keys(struct handover *h, enum report_to to)
{
	const struct cfg_settings *s = cfg_global(h->cfg);
	struct sshkey *key;
	char *fp;
	size_t i;
	int r, problems = 0;

	if (s->host_keys.n == 0) {
		report(to, "no host_keys configured");
		return 1;
	}
	if ((h->keys = calloc(s->host_keys.n, sizeof(*h->keys))) == NULL ||
	    (h->certs = calloc(s->host_keys.n, sizeof(*h->certs))) == NULL) {
		report(to, "host keys: out of memory");
		return 1;
	}
	for (i = 0; i < s->host_keys.n; i++) {
		key = NULL;
		r = keyfile_load_private(s->host_keys.v[i], NULL, 1, &key,
		    NULL);
		if (r != 0) {
			report(to, "cannot load host key %s: %s",
			    s->host_keys.v[i],
			    r == SSH_ERR_SYSTEM_ERROR ? strerror(errno) :
			    r == SSH_ERR_KEY_BAD_PERMISSIONS ? "bad permissions "
			    "(must be a regular file only its owner can read)" :
			    ssh_err(r));
			problems++;
			continue;
		}
		if (log_enabled(LOG_LVL_DEBUG)) {
			fp = NULL;
			if (key_fingerprint(key, &fp) == 0)
				log_debug("host key %s: %s %s",
				    s->host_keys.v[i], key_type_name(key), fp);
			free(fp);
		}
		h->keys[h->nkeys++] = key;
	}
	/* With a key missing, its certificate would seem to certify none. */
	if (problems == 0)
		problems = check_host_certificates(s,
		    (const struct sshkey *const *)h->keys, h->nkeys, h->certs,
		    to);
	return problems;
}

/*
 * ssh-dss only ever comes from the administrator naming it; say at every
 * start (and -t) what that costs.  A DSA host key without it is loaded
 * but never offered (protocol/conn.c offers only configured algorithms).
 */
static void
warn_weak_algorithms(const struct cfg_settings *s, int test)
{
	static const char msg[] = "ssh-dss is enabled: DSA keys are 1024-bit "
	    "and signed with SHA-1; OpenSSH removed them";
	const struct strlist *l = &s->crypto.host_key_algorithms;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], "ssh-dss") != 0)
			continue;
		if (test)
			fprintf(stderr, "nanosshd: warning: %s\n", msg);
		else
			log_info("warning: %s", msg);
		return;
	}
}

/* As root, the protocol child needs its user and an empty, root-owned
 * chroot directory (privsep/sandbox.h); unprivileged, neither is used. */
static int
check_privsep(const struct cfg_settings *s, enum report_to to)
{
	struct passwd *pw;
	char *why = NULL;
	int problems = 0;

	if (getuid() != 0)
		return 0;
	if ((pw = getpwnam(s->privsep.user)) == NULL) {
		report(to, "privsep user %s does not exist", s->privsep.user);
		problems++;
	} else if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		report(to, "privsep user %s must not have uid or gid 0",
		    s->privsep.user);
		problems++;
	}
	if (sandbox_check_chroot(s->privsep.chroot, &why) != 0) {
		report(to, "privsep chroot %s: %s", s->privsep.chroot,
		    why != NULL ? why : "unusable");
		problems++;
	}
	free(why);
	return problems;
}

/* With the file back end, the password file is checked line by line
 * now, not at the first login. */
static int
check_password_file(const struct cfg_settings *s, enum report_to to)
{
	struct pwfile *f = NULL;
	char *errs = NULL;
	int r;

	if (s->auth.password_backend != CFG_PW_FILE)
		return 0;
	if ((r = pwfile_load(s->auth.password_file, &f, &errs)) != 0) {
		if (errs != NULL)
			report_lines(to, errs);
		else
			report(to, "password_file %s: %s",
			    s->auth.password_file, ssh_err(r));
		free(errs);
		return 1;
	}
	pwfile_free(f);
	free(errs);
	return 0;
}

static int
check_session_program(enum report_to to)
{
	const char *path = spawn_session_path();

	if (access(path, X_OK) == -1) {
		report(to, "cannot run session program %s: %s", path,
		    strerror(errno));
		return 1;
	}
	return 0;
}

/* Loads the configuration and everything it names that the listener
 * checks into h.  Returns the number of problems (each reported); with
 * none, h is complete.  0 problems means a configuration to serve. */
static int
load_and_check(const struct options *o, enum report_to to,
    struct handover *h)
{
	const struct cfg_settings *s;
	int problems;

	memset(h, 0, sizeof(*h));
	if (load_config(o, to, &h->cfg) != 0)
		return 1;
	s = cfg_global(h->cfg);
	problems = check_host_keys(h, to);
	problems += check_privsep(s, to);
	problems += check_password_file(s, to);
	problems += check_session_program(to);
	return problems;
}

/* nanosshctl reload: SIGHUP's check, its problems logged. */
static int
check_for_control(void *arg)
{
	struct handover h;
	int problems;

	problems = load_and_check(arg, REPORT_LOG, &h);
	handover_clear(&h);
	return problems;
}

/* The session command line of spawn.h (static: the listener's lifetime);
 * proxy: with -P, for listen_proxy sockets. */
static char **
session_argv(const struct options *o, int proxy)
{
	static char *vv[2][5];
	char **v = vv[proxy != 0];
	size_t n = 0;

	v[n++] = (char *)spawn_session_path();
	if (o->to_stderr)
		v[n++] = "-e";
	if (o->debug)
		v[n++] = "-d";
	if (proxy)
		v[n++] = "-P";
	v[n] = NULL;
	return v;
}

/* Marks the sockets of listen entries that are also in listen_proxy
 * (config_check.c made sure each of those is one of listen).  A socket
 * from systemd has no entry: its numeric address ("0.0.0.0:2222",
 * "[::]:2222") is compared instead. */
static void
mark_proxy_listeners(struct listener *l, const struct cfg_settings *s)
{
	const struct listen_sock *ls;
	size_t i, j;

	for (i = 0; i < l->l_n; i++) {
		ls = &l->l_socks[i];
		for (j = 0; j < s->listen_proxy.n; j++) {
			if (strcmp(ls->ls_spec < s->listen.n ?
			    s->listen.v[ls->ls_spec] : ls->ls_name,
			    s->listen_proxy.v[j]) == 0)
				l->l_socks[i].ls_proxy = 1;
		}
	}
}

/* Each session costs the listener a status socket: allow as many
 * descriptors as the hard limit does. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_debug("cannot raise the descriptor limit: %s",
			    strerror(errno));
	}
}

static int
daemonize(int keep_stderr)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid != 0)
		_exit(0);
	if (setsid() == -1 || chdir("/") == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return -1;
	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
	    (!keep_stderr && dup2(fd, STDERR_FILENO) == -1))
		return -1;
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

/*
 * SIGHUP: the new configuration and host keys are checked here first, so a
 * broken file never takes the daemon down.  Only then does the daemon
 * re-execute the installed program (o->self_path): the listening sockets
 * and status sockets are close-on-exec, the PID stays, and running sessions
 * (separate processes) are untouched and still reaped by the new image.
 * The new image loads the file again; should that fail (the file changed
 * meanwhile), it keeps serving the configuration of handover_fd, which it
 * inherits.  Returns only if the daemon keeps running as it is.
 */
static void
reload(const struct options *o, const char *cur_pid_file, int handover_fd,
    const struct listener *lis)
{
	char *v[8 + 2 * MAIN_MAX_OVERRIDES], fdstr[16];
	struct handover h;
	const char *new_pid_file;
	size_t n = 0, i;
	int problems, moved = 0;

	notify_reloading();
	problems = load_and_check(o, REPORT_LOG, &h);
	/* The new image writes the new pid file; a moved one must not stay
	 * behind naming this process. */
	if (h.cfg != NULL) {
		new_pid_file = cfg_global(h.cfg)->pid_file;
		if (cur_pid_file != NULL && (new_pid_file == NULL ||
		    strcmp(cur_pid_file, new_pid_file) != 0))
			moved = 1;
	}
	handover_clear(&h);
	if (problems != 0) {
		log_error("configuration %s not reloaded; keeping the running "
		    "one", o->config_path);
		notify_send("READY=1\nSTATUS=configuration not reloaded: "
		    "see the log");
		return;
	}
	/* The original options, with the config path made absolute. */
	v[n++] = o->self_path;
	if (o->foreground)
		v[n++] = "-D";
	if (o->to_stderr)
		v[n++] = "-e";
	if (o->debug)
		v[n++] = "-d";
	v[n++] = "-f";
	v[n++] = o->config_path;
	for (i = 0; i < o->noverrides; i++) {
		v[n++] = "-o";
		v[n++] = (char *)o->overrides[i];
	}
	v[n] = NULL;
	log_info("configuration %s is valid; restarting %s", o->config_path,
	    o->self_path);
	snprintf(fdstr, sizeof(fdstr), "%d", handover_fd);
	if (setenv(MAIN_REEXEC_ENV, fdstr, 1) == -1 ||
	    fcntl(handover_fd, F_SETFD, 0) == -1 ||
	    listener_pass_on(lis) == -1 || notify_restore_env() == -1) {
		log_error("cannot restart: %s", strerror(errno));
		goto keep;
	}
	if (moved && pidfile_unlink(cur_pid_file) != 0)
		log_error("cannot remove pid file %s: %s", cur_pid_file,
		    strerror(errno));
	execv(o->self_path, v);
	log_error("cannot restart: exec %s: %s; keeping the running "
	    "configuration", o->self_path, strerror(errno));
	if (moved && pidfile_save(cur_pid_file, getpid()) != 0)
		log_error("cannot write pid file %s: %s", cur_pid_file,
		    strerror(errno));
 keep:
	unsetenv(MAIN_REEXEC_ENV);
	(void)fcntl(handover_fd, F_SETFD, FD_CLOEXEC);
	listener_keep(lis);
	notify_init();
	notify_send("READY=1\nSTATUS=not restarted: see the log");
}

/*
 * After a re-exec whose file no longer loads: the configuration and host
 * keys the image before served, from its handover fd (which becomes this
 * image's).  0 or an SSH_ERR_* code.
 */
static int
keep_old_config(struct options *o, struct handover *h, int *hfdp)
{
	int r;

	handover_clear(h);
	if (o->reexec_fd == -1)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = handover_read(o->reexec_fd, h)) != 0) {
		log_error("cannot read the configuration before the restart: "
		    "%s", r == SSH_ERR_SYSTEM_ERROR ? strerror(errno) :
		    ssh_err(r));
		return r;
	}
	*hfdp = o->reexec_fd;
	o->reexec_fd = -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct handover h;
	const struct cfg_settings *s = NULL;
	struct serve sv;
	char err[256];
	const char *pid_file = NULL;
	enum report_to to;
	size_t i;
	int problems = 1, r, ret = 1;

	memset(&sv, 0, sizeof(sv));
	memset(&h, 0, sizeof(h));
	sv.sv_sigfd = -1;
	sv.sv_handover_fd = -1;
	children_init(&sv.sv_kids);
	/* At least 022, as OpenSSH's sshd: nothing the daemon or its
	 * sessions create (pid file, utmp records, a user's files when no
	 * PAM module sets one) is group- or world-writable by accident of
	 * the caller's umask. */
	umask(umask(077) | 022);
	parse_options(argc, argv, &o);
	/* After a re-exec stderr may be /dev/null: problems go to the log,
	 * syslog's (auth, sshd's default) until the configuration says. */
	log_init("nanosshd", o.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO, LOG_AUTH,
	    o.reexec ? o.to_stderr : 1);
	notify_init();
	to = o.reexec ? REPORT_LOG : REPORT_STDERR;

	if (load_config(&o, to, &h.cfg) == 0) {
		s = cfg_global(h.cfg);
		if (o.dump && o.conn != NULL) {
			if (dumpconn(h.cfg, o.conn, stdout, err,
			    sizeof(err)) != 0) {
				report(REPORT_STDERR, "%s", err);
				goto out;
			}
			ret = fflush(stdout) != 0;
			goto out;
		}
		if (o.dump) {
			if (cfg_dump(s, stdout) != 0 || fflush(stdout) != 0) {
				report(REPORT_STDERR, "cannot print "
				    "configuration");
				goto out;
			}
			ret = 0;
			goto out;
		}
		if (!o.test)
			log_init("nanosshd", o.debug ? LOG_LVL_DEBUG :
			    s->log_level, s->log_facility, o.to_stderr);
		warn_weak_algorithms(s, o.test);
		problems = check_host_keys(&h, to);
		problems += check_privsep(s, to);
		problems += check_password_file(s, to);
		problems += check_session_program(to);
	} else if (o.dump)
		goto out;
	if (o.test) {
		ret = problems != 0;
		goto out;
	}
	if (problems != 0) {
		/* Only the image after a SIGHUP has one to fall back on. */
		if (keep_old_config(&o, &h, &sv.sv_handover_fd) != 0)
			goto out;
		s = cfg_global(h.cfg);
		log_init("nanosshd", o.debug ? LOG_LVL_DEBUG : s->log_level,
		    s->log_facility, o.to_stderr);
		log_error("configuration %s not loaded; keeping the one in "
		    "use before the restart", o.config_path);
	} else if ((r = handover_write(&h, &sv.sv_handover_fd)) != 0) {
		report(to, "cannot hand the configuration to sessions: %s",
		    r == SSH_ERR_SYSTEM_ERROR ? strerror(errno) : ssh_err(r));
		goto out;
	}
	if (o.reexec_fd != -1) {
		close(o.reexec_fd);
		o.reexec_fd = -1;
	}
	/* The memfd holds them for the sessions; the listener needs none. */
	handover_clear_keys(&h);
	/* The image before the re-exec wrote it; this one owns it now. */
	if (o.reexec && s->pid_file != NULL && *s->pid_file != '\0')
		pid_file = s->pid_file;
	raise_fd_limit();
	if (serve_signals_block() != 0) {
		report(to, "cannot block signals: %s", strerror(errno));
		goto out;
	}
	/* Re-created by each image: a SIGHUP re-exec replaces the one of the
	 * image before (close-on-exec, left in place for this).  Before the
	 * listeners: its umask(2) dance is over by the time anyone can
	 * connect. */
	if (s->control_socket != NULL && *s->control_socket != '\0' &&
	    control_open(s->control_socket, &sv.sv_ctl, err,
	    sizeof(err)) != 0) {
		report(to, "%s", err);
		goto out;
	}
	/* systemd's sockets (nanosshd.socket) take the place of listen. */
	if (listener_inherit(&sv.sv_lis, err, sizeof(err)) != 0 ||
	    (sv.sv_lis == NULL &&
	    listener_open(&s->listen, &sv.sv_lis, err, sizeof(err)) != 0)) {
		report(to, "%s", err);
		if (to == REPORT_STDERR && !o.to_stderr)
			log_error("%s", err);
		goto out;
	}
	if (!o.foreground && !o.reexec && daemonize(o.to_stderr) == -1) {
		report(REPORT_STDERR, "cannot become a daemon: %s",
		    strerror(errno));
		goto out;
	}
	/* A daemon's stderr is /dev/null from here on. */
	if (!o.foreground)
		to = REPORT_LOG;
	if (s->pid_file != NULL && *s->pid_file != '\0') {
		if (pidfile_save(s->pid_file, getpid()) != 0) {
			report(to, "cannot write pid file %s: %s",
			    s->pid_file, strerror(errno));
			goto out;
		}
		pid_file = s->pid_file;
	}
	if (serve_signals_fd(&sv.sv_sigfd) != 0) {
		report(to, "cannot set up signals: %s",
		    strerror(errno));
		goto out;
	}
	mark_proxy_listeners(sv.sv_lis, s);
	sv.sv_session_argv = session_argv(&o, 0);
	sv.sv_session_argv_proxy = session_argv(&o, 1);
	sv.sv_proxy_from = s->proxy_from.v;
	sv.sv_nproxy_from = s->proxy_from.n;
	sv.sv_keep_stderr = o.to_stderr;
	sv.sv_check_config = check_for_control;
	sv.sv_check_arg = &o;
	sv.sv_startups_begin = s->limits.startups_begin;
	sv.sv_startups_rate = s->limits.startups_rate;
	sv.sv_startups_full = s->limits.startups_full;
	if ((r = serve_penalties_init(&sv, s)) != 0) {
		report(to, "cannot set up penalties: %s", ssh_err(r));
		goto out;
	}
	/* Sessions of the image before a re-exec may have exited meanwhile. */
	serve_reap(&sv);
	for (i = 0; i < sv.sv_lis->l_n; i++)
		log_info("listening on %s%s%s", sv.sv_lis->l_socks[i].ls_name,
		    sv.sv_lis->l_socks[i].ls_proxy ?
		    " (PROXY protocol)" : "", sv.sv_lis->l_inherited ?
		    " (socket from systemd)" : "");
	log_info("nanosshd nanossh_%s %s (pid %ld)", PACKAGE_VERSION,
	    o.reexec ? "restarted" : "started", (long)getpid());
	/* MAINPID: without -D the daemon is not the process systemd
	 * started. */
	notify_send("READY=1\nMAINPID=%ld", (long)getpid());

	for (;;) {
		r = serve_run(&sv);
		if (r == SERVE_TERMINATE) {
			notify_send("STOPPING=1");
			control_free(sv.sv_ctl, 1);
			sv.sv_ctl = NULL;
			ret = 0;
			break;
		}
		if (r != SERVE_RELOAD) {
			log_error("listener failed: %s", ssh_err(r));
			break;
		}
		reload(&o, pid_file, sv.sv_handover_fd, sv.sv_lis);
	}
 out:
	if (pid_file != NULL && pidfile_unlink(pid_file) != 0)
		log_error("cannot remove pid file %s: %s", pid_file,
		    strerror(errno));
	if (sv.sv_sigfd != -1)
		close(sv.sv_sigfd);
	control_free(sv.sv_ctl, 1);
	children_clear(&sv.sv_kids);
	penalty_free(&sv.sv_pen);
	listener_free(sv.sv_lis);
	if (sv.sv_handover_fd != -1)
		close(sv.sv_handover_fd);
	if (o.reexec_fd != -1)
		close(o.reexec_fd);
	handover_clear(&h);
	free(o.config_path);
	free(o.self_path);
	return ret;
}
