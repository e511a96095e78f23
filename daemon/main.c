/*
 * main.c: nanosshd, the listener.  Loads and checks the configuration and
 * host keys, binds the listen addresses and runs the event loop (serve.c),
 * which starts one nanosshd-session per connection.  SIGHUP re-checks the
 * configuration in-process and, if it is good, re-executes the daemon with
 * the same PID.
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
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "auth/passwd_file.h"
#include "daemon/cfgsum.h"
#include "common/config.h"
#include "daemon/hostcert.h"
#include "common/keyfile.h"
#include "daemon/listener.h"
#include "common/log.h"
#include "daemon/pidfile.h"
#include "daemon/serve.h"
#include "daemon/spawn.h"
#include "privsep/sandbox.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

/* Set in the environment across a SIGHUP re-exec: the process is already a
 * daemon and must not fork again (its PID must stay). */
#define MAIN_REEXEC_ENV		"NANOSSHD_REEXEC"
/* Bound on -o arguments. */
#define MAIN_MAX_OVERRIDES	256

struct options {
	char *config_path;	/* absolute when the file exists */
	const char *overrides[MAIN_MAX_OVERRIDES];
	size_t noverrides;
	int foreground;		/* -D */
	int to_stderr;		/* -e */
	int debug;		/* -d */
	int test;		/* -t */
	int dump;		/* -T */
	int reexec;		/* started by a SIGHUP re-exec */
};

/* Where problems go: stderr while starting, the log when reloading. */
enum report_to { REPORT_STDERR, REPORT_LOG };

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: nanosshd [-DdeTtV] [-f config_file] [-o path=value]\n");
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

static void
parse_options(int argc, char **argv, struct options *o)
{
	char resolved[PATH_MAX];
	const char *path = CFG_DEFAULT_PATH;
	int ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt(argc, argv, "DdeTtVf:o:")) != -1) {
		switch (ch) {
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
	if (optind != argc)
		usage();
	/* Absolute, so that it still names the file after the daemon's
	 * chdir("/") and in every session; a missing file is left for
	 * cfg_load to report. */
	if (realpath(path, resolved) != NULL)
		path = resolved;
	if ((o->config_path = strdup(path)) == NULL) {
		fprintf(stderr, "nanosshd: out of memory\n");
		exit(1);
	}
	o->reexec = getenv(MAIN_REEXEC_ENV) != NULL;
	unsetenv(MAIN_REEXEC_ENV);
}

/*
 * Loads the configuration and its checksum.  A file that changes while it
 * is read would make the checksum describe a different file than the one
 * parsed; that is refused.
 */
static int
load_config(const struct options *o, enum report_to to, struct cfg **cfgp,
    char sum[CFGSUM_HEX_LEN])
{
	char after[CFGSUM_HEX_LEN], *errs = NULL;
	int r = SSH_ERR_INTERNAL_ERROR;

	*cfgp = NULL;
	if ((r = cfgsum_file(o->config_path, sum)) != 0) {
		report(to, "%s: %s", o->config_path,
		    r == SSH_ERR_SYSTEM_ERROR ? strerror(errno) : ssh_err(r));
		goto out;
	}
	if ((r = cfg_load(o->config_path, o->overrides, o->noverrides, cfgp,
	    &errs)) != 0) {
		report_lines(to, errs);
		goto out;
	}
	if ((r = cfgsum_file(o->config_path, after)) != 0 ||
	    strcmp(sum, after) != 0) {
		report(to, "%s: changed while it was read", o->config_path);
		r = SSH_ERR_FILE_CHANGED;
		goto out;
	}
	r = 0;
 out:
	if (r != 0) {
		cfg_free(*cfgp);
		*cfgp = NULL;
	}
	free(errs);
	return r;
}

/* Each host certificate must certify one of the loaded keys, a key at most
 * once.  Returns the number of problems. */
static int
check_host_certificates(const struct cfg_settings *s,
    const struct sshkey *const *keys, size_t nkeys, enum report_to to)
{
	struct sshcert **certs, *cert;
	const char *why;
	size_t i, idx;
	int problems = 0;

	if (s->host_certificates.n == 0)
		return 0;
	if ((certs = calloc(nkeys == 0 ? 1 : nkeys, sizeof(*certs))) == NULL) {
		report(to, "host certificates: out of memory");
		return 1;
	}
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
	hostcert_free_all(certs, nkeys);
	return problems;
}

/* Loads every host key once to prove it usable, then the host
 * certificates; each problem is reported.  Returns the number of
 * problems. */
static int
check_host_keys(const struct cfg_settings *s, enum report_to to)
{
	struct sshkey *key, **keys;
	char *fp;
	size_t i, nkeys = 0;
	int r, problems = 0;

	if (s->host_keys.n == 0) {
		report(to, "no host_keys configured");
		return 1;
	}
	if ((keys = calloc(s->host_keys.n, sizeof(*keys))) == NULL) {
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
		keys[nkeys++] = key;
	}
	/* With a key missing, its certificate would seem to certify none. */
	if (problems == 0)
		problems = check_host_certificates(s,
		    (const struct sshkey *const *)keys, nkeys, to);
	for (i = 0; i < nkeys; i++)
		key_free(keys[i]);
	free(keys);
	return problems;
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

/* The session command line of spawn.h, for the loaded configuration. */
static char **
session_argv(const struct options *o, const char *sum)
{
	char **v;
	size_t n = 0, i;

	if ((v = calloc(5 + 2 * o->noverrides + 3, sizeof(*v))) == NULL)
		return NULL;
	v[n++] = (char *)spawn_session_path();
	v[n++] = "-f";
	v[n++] = o->config_path;
	v[n++] = "-c";
	v[n++] = (char *)sum;
	for (i = 0; i < o->noverrides; i++) {
		v[n++] = "-o";
		v[n++] = (char *)o->overrides[i];
	}
	if (o->to_stderr)
		v[n++] = "-e";
	if (o->debug)
		v[n++] = "-d";
	v[n] = NULL;
	return v;
}

/* Each session costs the listener a status pipe: allow as many
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
 * re-execute itself: the listening sockets and status pipes are
 * close-on-exec, the PID stays, and running sessions (separate processes)
 * are untouched and still reaped by the new image.  Returns only if the
 * daemon keeps running as it is.
 */
static void
reload(const struct options *o, char *argv0, const char *cur_pid_file)
{
	char sum[CFGSUM_HEX_LEN], *v[8 + 2 * MAIN_MAX_OVERRIDES];
	struct cfg *cfg = NULL;
	const char *new_pid_file;
	size_t n = 0, i;
	int problems, moved = 0;

	if (load_config(o, REPORT_LOG, &cfg, sum) != 0) {
		log_error("configuration %s not reloaded; keeping the running "
		    "one", o->config_path);
		return;
	}
	problems = check_host_keys(cfg_global(cfg), REPORT_LOG);
	problems += check_privsep(cfg_global(cfg), REPORT_LOG);
	problems += check_password_file(cfg_global(cfg), REPORT_LOG);
	problems += check_session_program(REPORT_LOG);
	/* The new image writes the new pid file; a moved one must not stay
	 * behind naming this process. */
	new_pid_file = cfg_global(cfg)->pid_file;
	if (cur_pid_file != NULL && (new_pid_file == NULL ||
	    strcmp(cur_pid_file, new_pid_file) != 0))
		moved = 1;
	cfg_free(cfg);
	if (problems != 0) {
		log_error("configuration %s not reloaded; keeping the running "
		    "one", o->config_path);
		return;
	}
	/* The original options, with the config path made absolute. */
	v[n++] = argv0;
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
	log_info("configuration %s is valid; restarting", o->config_path);
	if (setenv(MAIN_REEXEC_ENV, "1", 1) == -1) {
		log_error("cannot restart: %s", strerror(errno));
		return;
	}
	if (moved && pidfile_unlink(cur_pid_file) != 0)
		log_error("cannot remove pid file %s: %s", cur_pid_file,
		    strerror(errno));
	execv("/proc/self/exe", v);
	log_error("cannot restart: exec /proc/self/exe: %s; keeping the "
	    "running configuration", strerror(errno));
	unsetenv(MAIN_REEXEC_ENV);
	if (moved && pidfile_save(cur_pid_file, getpid()) != 0)
		log_error("cannot write pid file %s: %s", cur_pid_file,
		    strerror(errno));
}

int
main(int argc, char **argv)
{
	struct options o;
	struct cfg *cfg = NULL;
	const struct cfg_settings *s;
	struct serve sv;
	char sum[CFGSUM_HEX_LEN], err[256], **sargv = NULL;
	const char *pid_file = NULL;
	enum report_to to;
	size_t i;
	int problems, r, ret = 1;

	memset(&sv, 0, sizeof(sv));
	sv.sv_sigfd = -1;
	children_init(&sv.sv_kids);
	parse_options(argc, argv, &o);
	log_init("nanosshd", o.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO, 0, 1);
	/* After a re-exec stderr may be /dev/null: problems go to the log. */
	to = o.reexec ? REPORT_LOG : REPORT_STDERR;

	if (load_config(&o, to, &cfg, sum) != 0)
		goto out;
	s = cfg_global(cfg);
	if (o.dump) {
		if (cfg_dump(s, stdout) != 0 || fflush(stdout) != 0) {
			report(REPORT_STDERR, "cannot print configuration");
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (!o.test) {
		log_init("nanosshd", o.debug ? LOG_LVL_DEBUG : s->log_level,
		    s->log_facility, o.to_stderr);
	}
	/* The image before the re-exec wrote it; this one owns it now. */
	if (o.reexec && s->pid_file != NULL && *s->pid_file != '\0')
		pid_file = s->pid_file;
	problems = check_host_keys(s, to);
	problems += check_privsep(s, to);
	problems += check_password_file(s, to);
	problems += check_session_program(to);
	if (problems != 0 || o.test) {
		ret = problems != 0;
		goto out;
	}
	if ((sargv = session_argv(&o, sum)) == NULL) {
		report(to, "out of memory");
		goto out;
	}
	raise_fd_limit();
	if (serve_signals_block() != 0) {
		report(to, "cannot block signals: %s", strerror(errno));
		goto out;
	}
	if (listener_open(&s->listen, &sv.sv_lis, err, sizeof(err)) != 0) {
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
	sv.sv_session_argv = sargv;
	sv.sv_keep_stderr = o.to_stderr;
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
		log_info("listening on %s", sv.sv_lis->l_socks[i].ls_name);
	log_info("nanosshd nanossh_%s %s (pid %ld)", PACKAGE_VERSION,
	    o.reexec ? "restarted" : "started", (long)getpid());

	for (;;) {
		r = serve_run(&sv);
		if (r == SERVE_TERMINATE) {
			ret = 0;
			break;
		}
		if (r != SERVE_RELOAD) {
			log_error("listener failed: %s", ssh_err(r));
			break;
		}
		reload(&o, argv[0], pid_file);
	}
 out:
	if (pid_file != NULL && pidfile_unlink(pid_file) != 0)
		log_error("cannot remove pid file %s: %s", pid_file,
		    strerror(errno));
	if (sv.sv_sigfd != -1)
		close(sv.sv_sigfd);
	children_clear(&sv.sv_kids);
	penalty_free(&sv.sv_pen);
	listener_free(sv.sv_lis);
	free(sargv);
	cfg_free(cfg);
	free(o.config_path);
	return ret;
}
