/* serve.c: the listener's event loop (serve.h). */
#include <sys/types.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/stdlib.h>

#include "daemon/children.h"
#include "common/config.h"
#include "daemon/control.h"
#include "daemon/listener.h"
#include "daemon/notify.h"
#include "common/log.h"
#include "common/match.h"
#include "common/monotime.h"
#include "daemon/penalty.h"
#include "daemon/serve.h"
#include "daemon/spawn.h"
#include "protocol/ssherr.h"

/* After accept fails for lack of descriptors, stop accepting this long
 * instead of spinning on a socket that stays readable. */
#define SERVE_ACCEPT_PAUSE_MS	1000
/* Each drop is logged at verbose; at info, one summary per period, so a
 * flood of connections cannot flood the log. */
#define SERVE_DROP_SUMMARY_MS	10000
/* How often systemd hears about changed connection counts at most. */
#define SERVE_STATUS_MS		1000

static long long serve_now_ms(void);

/* Penalties count whole seconds of the monotonic clock. */
static uint64_t
serve_now_s(void)
{
	return monotime_ms() / 1000;
}

int
serve_penalties_init(struct serve *sv, const struct cfg_settings *s)
{
	struct penalty_conf pc;

	memset(&pc, 0, sizeof(pc));
	pc.pc_enabled = s->limits.penalties.enabled;
	pc.pc_authfail = s->limits.penalties.authfail;
	pc.pc_grace = s->limits.penalties.grace_exceeded;
	pc.pc_crash = s->limits.penalties.crash;
	pc.pc_min = s->limits.penalties.min;
	pc.pc_max = s->limits.penalties.max;
	pc.pc_exempt = s->limits.penalties.exempt.v;
	pc.pc_nexempt = s->limits.penalties.exempt.n;
	return penalty_init(&sv->sv_pen, &pc, PENALTY_SOURCES_MAX);
}

/* The penalty a session's exit status calls for, added to its source. */
static void
serve_penalise(struct serve *sv, const struct child *ch, int status)
{
	const char *why;
	unsigned long long evicted = sv->sv_pen.pt_evicted;
	const struct sockaddr *sa = (const struct sockaddr *)&ch->ch_addr;
	int secs;

	if (!sv->sv_pen.pt_enabled || ch->ch_addrlen == 0 || ch->ch_no_penalty)
		return;
	if ((secs = penalty_for_status(&sv->sv_pen, status, &why)) <= 0)
		return;
	if (penalty_exempt(&sv->sv_pen, sa, ch->ch_addrlen)) {
		log_debug("no penalty for exempt %s (%s)", ch->ch_peer, why);
		return;
	}
	if (penalty_add(&sv->sv_pen, sa, ch->ch_addrlen, secs,
	    serve_now_s()) == 1)
		log_verbose("penalty %s for %s: %d seconds; refusing the "
		    "source's connections", why, ch->ch_peer, secs);
	else
		log_verbose("penalty %s for %s: %d seconds", why,
		    ch->ch_peer, secs);
	if (sv->sv_pen.pt_evicted != evicted)
		log_debug("penalty table full: forgot the source whose "
		    "penalty ended soonest");
}

static void
serve_signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGCHLD);
}

int
serve_signals_block(void)
{
	sigset_t set;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	serve_signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	return 0;
}

int
serve_signals_fd(int *fdp)
{
	sigset_t set;
	int fd;

	serve_signal_set(&set);
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	*fdp = fd;
	return 0;
}

static void
serve_log_exit(pid_t pid, int status, const struct child *ch)
{
	const char *peer = ch != NULL ? ch->ch_peer : "(started before reload)";

	if (WIFEXITED(status))
		log_debug("session pid %ld for %s exited with status %d",
		    (long)pid, peer, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_debug("session pid %ld for %s killed by signal %d",
		    (long)pid, peer, WTERMSIG(status));
}

void
serve_reap(struct serve *sv)
{
	struct child *ch;
	pid_t pid;
	int status;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		ch = children_find(&sv->sv_kids, pid);
		serve_log_exit(pid, status, ch);
		if (ch != NULL) {
			serve_penalise(sv, ch, status);
			children_remove(&sv->sv_kids, ch);
		}
	}
}

/* Drains the signalfd; returns what the signals ask for, 0 for nothing. */
static int
serve_read_signals(struct serve *sv)
{
	struct signalfd_siginfo si;
	ssize_t n;
	int want = 0;

	for (;;) {
		n = read(sv->sv_sigfd, &si, sizeof(si));
		if (n == -1 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(si))
			break;
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("received signal %u; terminating",
			    si.ssi_signo);
			want = SERVE_TERMINATE;
			break;
		case SIGHUP:
			log_info("received SIGHUP; reloading configuration");
			if (want == 0)
				want = SERVE_RELOAD;
			break;
		case SIGCHLD:
			serve_reap(sv);
			break;
		}
	}
	return want;
}

static void
serve_peer_name(const struct sockaddr_storage *ss, socklen_t len, char *out,
    size_t outsize)
{
	char host[64], port[16];

	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host),
	    port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(out, outsize, "unknown");
	else
		snprintf(out, outsize, "%s port %s", host, port);
}

static void
serve_note_drop(struct serve *sv, const char *peer, const char *lname)
{
	long long now = serve_now_ms();

	log_verbose("drop connection from %s on %s: max_startups (%zu "
	    "unauthenticated)", peer, lname, sv->sv_kids.c_unauthenticated);
	sv->sv_ndropped++;
	if (sv->sv_drop_logged_ms != 0 &&
	    now - sv->sv_drop_logged_ms < SERVE_DROP_SUMMARY_MS)
		return;
	log_info("max_startups: dropped %llu connection(s), the last from %s "
	    "(%zu unauthenticated)", sv->sv_ndropped, peer,
	    sv->sv_kids.c_unauthenticated);
	sv->sv_ndropped = 0;
	sv->sv_drop_logged_ms = now;
}

static void
serve_note_refused(struct serve *sv, const char *peer, const char *lname,
    int left)
{
	long long now = serve_now_ms();

	log_verbose("refuse connection from %s on %s: penalty (%d seconds "
	    "left)", peer, lname, left);
	sv->sv_nrefused++;
	if (sv->sv_refuse_logged_ms != 0 &&
	    now - sv->sv_refuse_logged_ms < SERVE_DROP_SUMMARY_MS)
		return;
	log_info("penalties: refused %llu connection(s), the last from %s "
	    "(%d seconds left)", sv->sv_nrefused, peer, left);
	sv->sv_nrefused = 0;
	sv->sv_refuse_logged_ms = now;
}

/* 1 if the peer of a listen_proxy socket is in proxy_from. */
static int
serve_proxy_allowed(const struct serve *sv, const struct sockaddr_storage *ss,
    socklen_t len)
{
	char host[64];

	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host),
	    NULL, 0, NI_NUMERICHOST) != 0)
		return 0;
	return sv->sv_nproxy_from > 0 && match_addr_list(host,
	    sv->sv_proxy_from, sv->sv_nproxy_from) == 1;
}

/*
 * A session behind a proxy said who its client is: the penalties of that
 * client apply now.  The session has read only the header; ending it
 * costs the client nothing more and the proxy nothing at all.
 */
static void
serve_proxied(struct serve *sv, struct child *ch)
{
	const struct sockaddr *sa = (const struct sockaddr *)&ch->ch_addr;
	int left;

	if ((left = penalty_refused(&sv->sv_pen, sa, ch->ch_addrlen,
	    serve_now_s())) <= 0)
		return;
	serve_note_refused(sv, ch->ch_peer, "a PROXY listener", left);
	ch->ch_no_penalty = 1;
	if (kill(ch->ch_pid, SIGTERM) == -1 && errno != ESRCH)
		log_error("cannot end session pid %ld: %s", (long)ch->ch_pid,
		    strerror(errno));
}

/* Accepts one connection; an error when accepting should pause. */
static int
serve_accept(struct serve *sv, const struct listen_sock *ls)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char peer[96];
	pid_t pid;
	int fd, status_fd, r, left;

	if ((fd = accept4(ls->ls_fd, (struct sockaddr *)&ss, &len,
	    SOCK_CLOEXEC)) == -1) {
		switch (errno) {
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			log_error("accept on %s: %s", ls->ls_name,
			    strerror(errno));
			return SSH_ERR_SYSTEM_ERROR;
		default:
			/* EAGAIN, ECONNABORTED and the like: the client left. */
			return 0;
		}
	}
	serve_peer_name(&ss, len, peer, sizeof(peer));
	if (ls->ls_proxy && !serve_proxy_allowed(sv, &ss, len)) {
		log_info("refuse connection from %s on %s: not in proxy_from, "
		    "but the address expects a PROXY header", peer,
		    ls->ls_name);
		close(fd);
		return 0;
	}
	/* Before anything else: a refused source costs no session.  Behind
	 * a proxy the source is known only once the session has read the
	 * header (serve_proxied); the proxy itself is never penalised. */
	if (!ls->ls_proxy && (left = penalty_refused(&sv->sv_pen,
	    (struct sockaddr *)&ss, len, serve_now_s())) > 0) {
		serve_note_refused(sv, peer, ls->ls_name, left);
		close(fd);
		return 0;
	}
	if (children_should_drop(&sv->sv_kids, sv->sv_startups_begin,
	    sv->sv_startups_rate, sv->sv_startups_full)) {
		serve_note_drop(sv, peer, ls->ls_name);
		close(fd);
		return 0;
	}
	if (sv->sv_kids.c_n >= CHILDREN_MAX) {
		log_error("drop connection from %s: %d sessions running",
		    peer, CHILDREN_MAX);
		close(fd);
		return 0;
	}
	if ((r = spawn_session(ls->ls_proxy ? sv->sv_session_argv_proxy :
	    sv->sv_session_argv, fd, sv->sv_handover_fd,
	    sv->sv_keep_stderr, &pid, &status_fd)) != 0) {
		log_error("drop connection from %s: cannot start session: %s",
		    peer, r == SSH_ERR_SYSTEM_ERROR ? strerror(errno) :
		    ssh_err(r));
		close(fd);
		return r;
	}
	close(fd);
	sv->sv_nconn++;
	if ((r = children_add_addr(&sv->sv_kids, pid, status_fd, peer,
	    (struct sockaddr *)&ss, len)) != 0) {
		/* Cannot happen after the CHILDREN_MAX check above unless
		 * memory ran out; the session still runs, uncounted. */
		log_error("session pid %ld for %s not tracked: %s", (long)pid,
		    peer, ssh_err(r));
		close(status_fd);
	} else if (ls->ls_proxy) {
		/* Until the session names the client, the address is the
		 * proxy's, which a bad header or a health check must not
		 * get refused everywhere. */
		sv->sv_kids.c_v[sv->sv_kids.c_n - 1].ch_proxy = 1;
		sv->sv_kids.c_v[sv->sv_kids.c_n - 1].ch_no_penalty = 1;
	}
	log_debug("connection %llu from %s on %s: session pid %ld",
	    sv->sv_nconn, peer, ls->ls_name, (long)pid);
	return 0;
}

static long long
serve_now_ms(void)
{
	return (long long)monotime_ms();
}

/*
 * Tells systemd the connection counts when they changed, at most once per
 * SERVE_STATUS_MS; returns the milliseconds until a change held back may
 * go, or -1 when nothing waits.
 */
static int
serve_status(struct serve *sv, long long now)
{
	const struct children *k = &sv->sv_kids;

	if (!notify_enabled() || (sv->sv_status_sent &&
	    k->c_n == sv->sv_status_n &&
	    k->c_unauthenticated == sv->sv_status_unauth))
		return -1;
	if (sv->sv_status_sent && now < sv->sv_status_ms + SERVE_STATUS_MS)
		return (int)(sv->sv_status_ms + SERVE_STATUS_MS - now);
	notify_send("STATUS=%zu connections, %zu unauthenticated", k->c_n,
	    k->c_unauthenticated);
	sv->sv_status_n = k->c_n;
	sv->sv_status_unauth = k->c_unauthenticated;
	sv->sv_status_ms = now;
	sv->sv_status_sent = 1;
	return -1;
}

int
serve_run(struct serve *sv)
{
	struct pollfd *pfd = NULL, *np;
	struct child **pkid = NULL, **nk;
	size_t npfd, alloc = 0, i, nlis = sv->sv_lis->l_n, nctl, ctl0;
	long long paused_until = 0, now;
	int r = SSH_ERR_INTERNAL_ERROR, want, timeout, st;

	for (;;) {
		/* Rebuilt each round: the child table changes under us. */
		if (alloc < 1 + nlis + sv->sv_kids.c_n + 1 +
		    CONTROL_MAX_CLIENTS) {
			alloc = 1 + nlis + sv->sv_kids.c_n + 1 +
			    CONTROL_MAX_CLIENTS;
			if ((np = reallocarray(pfd, alloc, sizeof(*np))) ==
			    NULL) {
				r = SSH_ERR_ALLOC_FAIL;
				goto out;
			}
			pfd = np;
			if ((nk = reallocarray(pkid, alloc, sizeof(*nk))) ==
			    NULL) {
				r = SSH_ERR_ALLOC_FAIL;
				goto out;
			}
			pkid = nk;
		}
		now = serve_now_ms();
		timeout = -1;
		npfd = 0;
		pfd[npfd].fd = sv->sv_sigfd;
		pfd[npfd].events = POLLIN;
		pkid[npfd++] = NULL;
		for (i = 0; i < nlis; i++) {
			/* A negative fd makes poll skip the entry. */
			pfd[npfd].fd = now < paused_until ? -1 :
			    sv->sv_lis->l_socks[i].ls_fd;
			pfd[npfd].events = POLLIN;
			pkid[npfd++] = NULL;
		}
		if (now < paused_until)
			timeout = (int)(paused_until - now);
		if ((st = serve_status(sv, now)) >= 0 &&
		    (timeout < 0 || st < timeout))
			timeout = st;
		for (i = 0; i < sv->sv_kids.c_n; i++) {
			if (sv->sv_kids.c_v[i].ch_status_fd == -1)
				continue;
			pfd[npfd].fd = sv->sv_kids.c_v[i].ch_status_fd;
			pfd[npfd].events = POLLIN;
			pkid[npfd++] = &sv->sv_kids.c_v[i];
		}
		ctl0 = npfd;
		control_pollfds(sv->sv_ctl, &pfd[ctl0], alloc - ctl0, &nctl,
		    (uint64_t)now, &timeout);
		if (poll(pfd, npfd + nctl, timeout) == -1) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			r = SSH_ERR_SYSTEM_ERROR;
			goto out;
		}
		/* Status pipes first: reaping below may move table entries
		 * that pkid points at. */
		for (i = 1 + nlis; i < npfd; i++) {
			if (pfd[i].revents != 0 &&
			    children_read_status(&sv->sv_kids, pkid[i]) == 1)
				serve_proxied(sv, pkid[i]);
		}
		control_handle(sv->sv_ctl, sv, &pfd[ctl0], nctl,
		    monotime_ms());
		for (i = 0; i < nlis; i++) {
			if ((pfd[1 + i].revents & POLLIN) == 0)
				continue;
			if (serve_accept(sv, &sv->sv_lis->l_socks[i]) != 0)
				paused_until = serve_now_ms() +
				    SERVE_ACCEPT_PAUSE_MS;
		}
		if (pfd[0].revents != 0 &&
		    (want = serve_read_signals(sv)) != 0) {
			r = want;
			goto out;
		}
	}
 out:
	free(pfd);
	free(pkid);
	return r;
}
