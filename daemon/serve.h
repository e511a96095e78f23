/*
 * serve.h: the listener's event loop.  One poll(2) over the signalfd, the
 * listening sockets, the children's status sockets and the control socket
 * (control.h).  Signals are read from the signalfd, never handled
 * asynchronously.  The listener never reads a
 * byte from a client: it accepts, refuses penalised sources (penalty.h),
 * applies max_startups, and hands the socket to a fresh nanosshd-session.
 * On a listen_proxy socket it refuses peers outside proxy_from and leaves
 * the PROXY header to the session (started with -P), which reports the
 * carried client address back on its status socket (children.h) so that
 * penalties count against the client, not the proxy.
 * How each session exited adds to its source's penalty.
 */
#ifndef NANOSSH_SERVE_H
#define NANOSSH_SERVE_H

#include "daemon/children.h"
#include "daemon/penalty.h"

struct listener;
struct cfg_settings;
struct control;

struct serve {
	struct listener *sv_lis;
	struct children sv_kids;
	char *const *sv_session_argv;	/* spawn.h command line */
	/* The same with -P, for listen_proxy sockets. */
	char *const *sv_session_argv_proxy;
	/* proxy_from: who may connect to those. */
	char *const *sv_proxy_from;
	size_t sv_nproxy_from;
	int sv_handover_fd;		/* handover.h memfd, fd 5 of each */
	int sv_keep_stderr;
	int sv_startups_begin;
	int sv_startups_rate;
	int sv_startups_full;
	int sv_sigfd;
	unsigned long long sv_nconn;	/* connections accepted, for logs */
	unsigned long long sv_ndropped;	/* dropped since the last summary */
	long long sv_drop_logged_ms;	/* when that summary was logged */
	struct penalty_table sv_pen;	/* empty until serve_penalties_init */
	unsigned long long sv_nrefused;	/* refused since the last summary */
	long long sv_refuse_logged_ms;
	/* The counts last told to systemd (STATUS=, notify.h) and when. */
	size_t sv_status_n;
	size_t sv_status_unauth;
	long long sv_status_ms;
	int sv_status_sent;
	struct control *sv_ctl;		/* control.h, NULL: disabled */
	/* What SIGHUP checks before it re-executes, for nanosshctl
	 * reload: the number of problems (logged); NULL: not offered. */
	int (*sv_check_config)(void *arg);
	void *sv_check_arg;
};

enum serve_stop { SERVE_TERMINATE = 1, SERVE_RELOAD };

/*
 * Blocks SIGTERM, SIGINT, SIGHUP and SIGCHLD and ignores SIGPIPE; before
 * the first socket listens, so that a signal arriving during startup waits
 * for the loop instead of killing the daemon.  0, or SSH_ERR_SYSTEM_ERROR
 * with errno set.
 */
int serve_signals_block(void);
/* A signalfd (close-on-exec) for the blocked signals into *fdp: 0, or
 * SSH_ERR_SYSTEM_ERROR with errno set. */
int serve_signals_fd(int *fdp);
/*
 * Sets up sv->sv_pen from limits.penalties (call once, before serve_run;
 * penalty_free(&sv->sv_pen) at the end).  The table lives only in this
 * process: the SIGHUP re-exec starts with an empty one.  0 or an
 * SSH_ERR_* code.
 */
int serve_penalties_init(struct serve *sv, const struct cfg_settings *s);
/*
 * Reaps every exited child without blocking, logging each at debug, and
 * adds the penalty its exit status calls for to its source.
 */
void serve_reap(struct serve *sv);
/*
 * Serves until SIGTERM/SIGINT (SERVE_TERMINATE) or SIGHUP (SERVE_RELOAD).
 * Returns one of those or a negative SSH_ERR_* code on a fatal error.
 */
int serve_run(struct serve *sv);

#endif
