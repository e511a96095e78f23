/*
 * monitor.c: the per-connection monitor (see monitor.h).  It never parses
 * SSH wire formats, only its own IPC messages; every request is checked
 * against the catalogue (phase, once-only, size, fds) before its handler
 * runs, and anything out of place ends the connection.
 */
#include <sys/types.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/authkeys.h"
#include "auth/pamconv.h"
#include "auth/passwd_pam.h"
#include "auth/password.h"
#include "common/config.h"
#include "common/monotime.h"
#include "common/log.h"
#include "common/match.h"
#include "common/secrets.h"
#include "privsep/child.h"
#include "privsep/child_fwd.h"
#include "privsep/fwdpolicy.h"
#include "privsep/ipc.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/keylist.h"
#include "privsep/log_channel.h"
#include "privsep/monitor.h"
#include "privsep/monitor_fwd.h"
#include "privsep/monitor_local.h"
#include "privsep/outcome.h"
#include "privsep/userkeys.h"
#include "privsep/userproc.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/namelist.h"
#include "protocol/sig.h"
#include "protocol/ssh2.h"
#include "protocol/ssherr.h"

#define MON_BANNER_MAX		(64 * 1024)
#define MON_GRACE_SLACK_MS	5000	/* the child ends first; this is the backstop */

/* Ends the connection because the child broke the rules. */
int
violation(struct mon *m, const char *what, int r)
{
	/* A well-formed request in the wrong state still breaks the rules. */
	if (r == 0)
		r = SSH_ERR_STATE_VIOLATION;
	log_error("protocol child violated the monitor protocol: %s: %s "
	    "(client %s port %u)", what, ssh_err(r), m->p->client_addr,
	    m->p->client_port);
	m->outcome = OUTCOME_VIOLATION;
	m->done = 1;
	return r;
}

static int
join(const struct strlist *l, struct buf *out)
{
	size_t i;
	int r;

	for (i = 0; i < l->n; i++) {
		if ((r = buf_putf(out, "%s%s", i ? "," : "", l->v[i])) != 0)
			return r;
	}
	return 0;
}

/* The banner's text (caller frees), "" when there is none or it cannot
 * be read; NULL only when out of memory. */
static char *
read_banner(const char *path)
{
	struct buf *b = NULL;
	char *text;
	int fd, r;

	if (path == NULL || *path == '\0')
		return strdup("");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		log_error("banner %s: %s", path, strerror(errno));
		return strdup("");
	}
	r = userproc_read_all(fd, MON_BANNER_MAX, &b);
	close(fd);
	if (r != 0 || (text = buf_dup_string(b)) == NULL) {
		log_error("banner %s: unreadable or contains NUL", path);
		text = strdup("");
	}
	buf_free(b);
	return text;
}

/* A comma-separated list as a new string (NULL when out of memory). */
char *
mon_join(const struct strlist *l)
{
	struct buf *b = buf_new();
	char *s = NULL;

	if (b != NULL && join(l, b) == 0)
		s = buf_len(b) == 0 ? strdup("") : buf_dup_string(b);
	buf_free(b);
	return s;
}

/* CONFIG: the child's settings, public host keys and certificates. */
static int
send_config(struct mon *m)
{
	const struct cfg_settings *s = m->gs;
	struct ipc_config c;
	struct buf *blobs = buf_new(), *methods = buf_new();
	char *lists[4] = { NULL, NULL, NULL, NULL }, *banner = NULL;
	size_t i, off, n = m->p->nhostkeys;
	int r = SSH_ERR_ALLOC_FAIL;

	memset(&c, 0, sizeof(c));
	if (blobs == NULL || methods == NULL ||
	    (c.hostkeys.v = calloc(n, sizeof(*c.hostkeys.v))) == NULL ||
	    (c.hostcerts.v = calloc(n, sizeof(*c.hostcerts.v))) == NULL ||
	    (lists[0] = mon_join(&s->crypto.kex)) == NULL ||
	    (lists[1] = mon_join(&s->crypto.host_key_algorithms)) == NULL ||
	    (lists[2] = mon_join(&s->crypto.ciphers)) == NULL ||
	    (lists[3] = mon_join(&s->crypto.macs)) == NULL ||
	    (banner = read_banner(s->auth.banner)) == NULL)
		goto out;
	if ((r = mon_methods_after(&s->auth.methods, NULL, 0, methods)) != 0 ||
	    (r = buf_put_u8(methods, 0)) != 0)
		goto out;
	/* All blobs in one buffer first: it may move while it grows. */
	for (i = 0; i < n; i++) {
		off = buf_len(blobs);
		if ((r = key_to_blob(m->p->hostkeys[i], blobs)) != 0)
			goto out;
		c.hostkeys.v[i].len = buf_len(blobs) - off;
	}
	for (i = 0, off = 0; i < n; i++) {
		c.hostkeys.v[i].p = buf_ptr(blobs) + off;
		off += c.hostkeys.v[i].len;
		if (m->p->hostcerts == NULL || m->p->hostcerts[i] == NULL)
			continue;
		c.hostcerts.v[c.hostcerts.n].hostkey = (uint32_t)i;
		c.hostcerts.v[c.hostcerts.n].blob.p = cert_blob(
		    m->p->hostcerts[i], &c.hostcerts.v[c.hostcerts.n].blob.len);
		c.hostcerts.n++;
	}
	c.hostkeys.n = (uint32_t)n;
	c.kex = lists[0];
	c.hostkey_algs = lists[1];
	c.ciphers = lists[2];
	c.macs = lists[3];
	c.methods = (const char *)buf_ptr(methods);
	c.banner = banner;
	c.addr = m->p->client_addr;
	c.port = m->p->client_port;
	c.grace = (uint32_t)s->auth.login_grace_time;
	c.max_sessions = (uint32_t)s->limits.max_sessions;
	c.max_tries = (uint32_t)s->auth.max_tries;
	c.rekey_limit = s->crypto.rekey_limit;
	c.rekey_interval = (uint32_t)s->crypto.rekey_interval;
	c.require_pq = s->crypto.require_pq;
	r = ipc_send_config(m->ipc, &c, -1);
 out:
	for (i = 0; i < 4; i++)
		free(lists[i]);
	free(banner);
	free(c.hostkeys.v);
	free(c.hostcerts.v);
	buf_free(blobs);
	buf_free(methods);
	return r;
}

/* Port forwarding (issue 7): FWD_OPEN and FWD_LISTEN, decided by the
 * effective forwarding.* settings and what authentication carried. */
static int
mon_fwd(struct mon *m, uint32_t type, struct buf *req)
{
	const struct authkeys_opts *o = m->authkey != NULL ?
	    &m->authkey->ae_opts : NULL;
	struct fwd_rules rules;
	int r;

	memset(&rules, 0, sizeof(rules));
	/* An SFTP-only account forwards nothing. */
	rules.tcp = m->eff->sftp.force ? CFG_FWD_NO : m->eff->forwarding.tcp;
	rules.streamlocal = m->eff->sftp.force ? CFG_FWD_NO :
	    m->eff->forwarding.streamlocal;
	rules.permit_open = &m->eff->forwarding.permit_open;
	rules.permit_listen = &m->eff->forwarding.permit_listen;
	rules.key_denies = m->cert_no_portfwd ||
	    (o != NULL && !o->ao_permit_port_forwarding);
	rules.key_open = o != NULL ? &o->ao_permitopen : NULL;
	rules.key_listen = o != NULL ? &o->ao_permitlisten : NULL;
	rules.is_root = m->pw.pw_uid == 0;
	if (m->fwd == NULL && (m->fwd = monfwd_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	r = monfwd_request(m->fwd, type, req, &m->pw, &rules,
	    m->eff->forwarding.gateway_ports, m->ipc);
	if (r == SSH_ERR_ALLOC_FAIL || r == SSH_ERR_NO_BUFFER_SPACE)
		return r;
	return r != 0 ? violation(m, ipc_msg_name(type), r) : 0;
}

int
mon_fwd_open(struct mon *m, struct buf *req)
{
	return mon_fwd(m, IPC_MSG_FWD_OPEN, req);
}

int
mon_fwd_listen(struct mon *m, struct buf *req)
{
	return mon_fwd(m, IPC_MSG_FWD_LISTEN, req);
}

/* Agent forwarding (ssh -A): forwarding.agent and what authentication
 * carried decide; the socket comes like a FWD_LISTEN's. */
int
mon_agent_listen(struct mon *m, struct buf *req)
{
	const struct authkeys_opts *o = m->authkey != NULL ?
	    &m->authkey->ae_opts : NULL;
	struct ipc_agent_listen q;
	struct ipc_fwd_refused no;
	struct agent_rules rules;
	const char *why;
	int r;

	if ((r = ipc_dec_agent_listen(req, &q)) != 0)
		return violation(m, "malformed AGENT_LISTEN", r);
	rules.enabled = m->eff->forwarding.agent;
	rules.sftp_only = m->eff->sftp.force;
	rules.key_denies = o != NULL && !o->ao_permit_agent_forwarding;
	rules.cert_denies = m->cert_no_agent;
	if ((why = fwdpolicy_agent_check(&rules)) != NULL) {
		log_info("%s: agent forwarding refused: %s", m->pw.pw_name,
		    why);
		no.tag = q.tag;
		no.reason = SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED;
		no.description = "agent forwarding refused";
		return ipc_send_fwd_refused(m->ipc, &no, -1);
	}
	if (m->fwd == NULL && (m->fwd = monfwd_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	r = monfwd_agent(m->fwd, q.tag, &m->pw, m->ipc);
	if (r == SSH_ERR_ALLOC_FAIL || r == SSH_ERR_NO_BUFFER_SPACE)
		return r;
	return r != 0 ? violation(m, "AGENT_LISTEN", r) : 0;
}

/* The handlers of the catalogue's TO_MONITOR rows (ipc_msgs.h). */
#define MON_HANDLER_ROW(name, codec, dir, phases, flags, cap, fn) \
	IPC_HANDLER_FOR_MONITOR_##dir(name, fn)
static int (*const mon_handlers[IPC_MSG_MAX])(struct mon *, struct buf *) = {
	IPC_MESSAGES(MON_HANDLER_ROW)
};
#undef MON_HANDLER_ROW

static int
handle_ipc(struct mon *m)
{
	struct buf *req;
	uint32_t type;
	int fd, r;

	if ((r = ipc_read(m->ipc)) != 0 && r != SSH_ERR_CONN_CLOSED)
		return violation(m, "reading requests", r);
	while (!m->done) {
		fd = -1;
		r = ipc_next(m->ipc, &type, &req, &fd);
		if (r == SSH_ERR_MESSAGE_INCOMPLETE)
			return 0;
		if (r == SSH_ERR_CONN_CLOSED) {
			/* The child is ending; SIGCHLD says how. */
			m->ipc_closed = 1;
			return 0;
		}
		if (r != 0)
			return violation(m, "reading requests", r);
		if (fd != -1)
			close(fd);
		if ((r = ipc_check(&m->st, IPC_TO_MONITOR, type, buf_len(req),
		    fd != -1)) != 0) {
			buf_free(req);
			return violation(m, ipc_msg_name(type), r);
		}
		if ((ipc_msgdef(type)->md_flags & IPC_F_AUTH_DECIDING) != 0) {
			/* The child waits for each answer: a request
			 * while one is held back breaks the protocol. */
			if (m->delayed != NULL) {
				buf_free(req);
				return violation(m, "request before the "
				    "previous answer", SSH_ERR_STATE_VIOLATION);
			}
			m->auth_started = monotime_ms();
		}
		/* ipc_check passed: a known type bound for the monitor. */
		r = mon_handlers[type] != NULL ? mon_handlers[type](m, req) :
		    violation(m, ipc_msg_name(type), SSH_ERR_STATE_VIOLATION);
		buf_free(req);
		if (r != 0) {
			if (!m->done)
				log_error("monitor: %s: %s", ipc_msg_name(type),
				    ssh_err(r));
			m->done = 1;
			if (m->outcome == OUTCOME_OK)
				m->outcome = OUTCOME_ERROR;
			return r;
		}
	}
	return 0;
}

/*
 * The child's log lines.  The child is assumed compromised: its lines are
 * tagged, so that no filter takes one for the monitor's own "Accepted" or
 * "Failed" (fail2ban's stock sshd filter does not match them), and
 * rate-limited, so that it cannot fill the disk.  EOF means the child is
 * gone or going, nonsense breaks the rules: either ends the connection
 * rather than leave a dead fd in the poll set.
 */
static void
handle_log(struct mon *m)
{
	char text[IPC_LOG_TEXT_MAX * 4 + 1];
	uint64_t now = monotime_ms();
	int level, r;

	if (m->log_closed)
		return;
	(void)ipc_read(m->log);
	while ((r = logch_recv(m->log, &m->logst, &level, text,
	    sizeof(text))) == 0) {
		if (!tokens_take(&m->log_rate, now)) {
			m->log_dropped++;
			continue;
		}
		if (m->log_dropped != 0) {
			log_info("child: %llu log lines dropped (more than %d "
			    "a second)", (unsigned long long)m->log_dropped,
			    MON_LOG_PER_SEC);
			m->log_dropped = 0;
		}
		log_escaped(level, "child: ", text);
	}
	if (r == SSH_ERR_MESSAGE_INCOMPLETE)
		return;
	m->log_closed = 1;
	if (r != SSH_ERR_CONN_CLOSED)
		(void)violation(m, "log channel", r);
	else if (!m->done) {
		log_debug("protocol child closed its log channel");
		m->done = 1;
	}
}

/*
 * The listener penalises sources by this outcome: before authentication
 * it follows what the monitor counted and timed itself, so that a child
 * that under-reports its source's failures cannot spare it (one that
 * over-reports only penalises its own source).
 */
static void
settle_outcome(struct mon *m)
{
	uint64_t grace = (uint64_t)m->gs->auth.login_grace_time * 1000;

	if (m->authed || m->outcome == OUTCOME_VIOLATION ||
	    m->outcome == OUTCOME_ERROR)
		return;
	if (m->failures >= (unsigned int)m->gs->auth.max_tries) {
		/* OpenSSH's words, the monitor's own line for fail2ban (the
		 * child's is tagged as the child's). */
		log_error("maximum authentication attempts exceeded for %s%s "
		    "from %s port %u ssh2 [preauth]", m->auth_user != NULL &&
		    getpwnam(m->auth_user) == NULL ? "invalid user " : "",
		    m->auth_user != NULL ? m->auth_user : "unknown",
		    m->p->client_addr, m->p->client_port);
		m->outcome = OUTCOME_AUTHFAIL;
	} else if (m->outcome == OUTCOME_AUTHFAIL)
		return;
	else if (grace != 0 && monotime_ms() - m->started >= grace)
		m->outcome = OUTCOME_GRACE;
	else if (m->outcome == OUTCOME_OK)
		m->outcome = OUTCOME_NOAUTH;
}

static int
send_child_exit(struct mon *m, struct mon_handle *h, int status)
{
	struct ipc_child_exit e;
	int signaled = WIFSIGNALED(status);

	e.handle = h->id;
	e.kind = signaled ? IPC_EXIT_SIGNAL : IPC_EXIT_STATUS;
	e.status = signaled ? 0 : (uint32_t)WEXITSTATUS(status);
	e.signame = signaled && sigabbrev_np(WTERMSIG(status)) != NULL ?
	    sigabbrev_np(WTERMSIG(status)) : "";
	e.core = signaled && WCOREDUMP(status);
	return ipc_send_child_exit(m->ipc, &e, -1);
}

static void
reap(struct mon *m)
{
	struct mon_handle *h;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == m->child) {
			m->child = -1;
			m->done = 1;
			if (WIFEXITED(status)) {
				if (m->outcome == OUTCOME_OK)
					m->outcome = WEXITSTATUS(status);
			} else {
				log_error("protocol child for %s port %u killed "
				    "by signal %d", m->p->client_addr,
				    m->p->client_port, WTERMSIG(status));
				m->outcome = OUTCOME_ERROR;
			}
			continue;
		}
		if ((h = handle_by_pid(m, pid)) == NULL)
			continue;
		if (!m->done && send_child_exit(m, h, status) != 0)
			m->done = 1;
		log_verbose("session %u of %s ended", h->id, m->pw.pw_name);
		handle_release(h);
	}
}

/* Moves fd to number want without clobbering the others in fds. */
static int
start_child(struct mon *m, int ipcfd, int logfd)
{
	const struct cfg_settings *s = m->gs;
	char nofile[16];
	char *argv[] = { "nanosshd-session", "-R", "-u", s->privsep.user,
	    "-C", s->privsep.chroot, "-n", nofile, NULL };
#ifdef NANOSSH_SANITIZERS
	/* LeakSanitizer's exit-time check clones and ptraces, which the
	 * seccomp filter rightly kills: the child's leaks go unchecked. */
	char *envp[] = { "ASAN_OPTIONS=detect_leaks=0", NULL };
#else
	char *envp[] = { NULL };
#endif
	int devnull, hi[3], i;
	pid_t pid;

	/* Three fds per session, two per forwarding (a socket, and one in
	 * flight), the listeners, and the child's own. */
	snprintf(nofile, sizeof(nofile), "%d",
	    3 * MON_MAX_HANDLES + 2 * CHILD_MAX_FWD + CHILD_MAX_LISTEN + 16);
	if ((pid = fork()) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if (pid != 0) {
		m->child = pid;
		return 0;
	}
	/* Only the client socket, the IPC and the log fd cross over. */
	if ((hi[0] = fcntl(m->p->client_fd, F_DUPFD, 10)) == -1 ||
	    (hi[1] = fcntl(ipcfd, F_DUPFD, 10)) == -1 ||
	    (hi[2] = fcntl(logfd, F_DUPFD, 10)) == -1)
		_exit(OUTCOME_ERROR);
	for (i = 0; i < 3; i++) {
		if (dup2(hi[i], CHILD_FD_CLIENT + i) == -1)
			_exit(OUTCOME_ERROR);
	}
	if ((devnull = open("/dev/null", O_RDWR)) == -1 ||
	    dup2(devnull, STDIN_FILENO) == -1 ||
	    dup2(devnull, STDOUT_FILENO) == -1 ||
	    (!m->p->child_stderr && dup2(devnull, STDERR_FILENO) == -1))
		_exit(OUTCOME_ERROR);
	if (close_range(CHILD_FD_LOG + 1, ~0U, 0) == -1)
		_exit(OUTCOME_ERROR);
	execve(m->p->self_path, argv, envp);
	_exit(OUTCOME_ERROR);
}

static void
end_everything(struct mon *m)
{
	sessions_end(m);
	if (m->child > 0) {
		kill(m->child, SIGKILL);
		while (waitpid(m->child, NULL, 0) == -1 && errno == EINTR)
			;
		m->child = -1;
	}
}

/* The poll set: the child's IPC, its log, signals, the PAM helper, the
 * listener's status socketpair, then the forwarding helpers. */
#define MON_PFD_STATUS	4
#define MON_PFD_FWD	5

int
monitor_run(const struct monitor_params *p)
{
	struct mon m;
	struct pollfd pfd[MON_PFD_FWD + MONFWD_MAX_HELPERS];
	size_t nfwd;
	sigset_t mask;
	struct signalfd_siginfo si;
	int sp[2] = { -1, -1 }, lp[2] = { -1, -1 }, timeout;
	uint64_t now, deadline, info_due;

	memset(&m, 0, sizeof(m));
	m.p = p;
	m.gs = cfg_global(p->cfg);
	m.child = -1;
	m.sigfd = -1;
	m.outcome = OUTCOME_OK;
	m.sign_tokens = MON_SIGN_BURST;
	m.started = m.sign_refill = monotime_ms();
	tokens_init(&m.log_rate, MON_LOG_BURST, MON_LOG_PER_SEC, m.started);
	/* Every helper forked below wipes them first (userproc_isolate). */
	secrets_hold_keys(SECRETS_HOST_KEYS, p->hostkeys, p->nhostkeys);
	secrets_hold_keys(SECRETS_KEX_KEYS, m.rsa_key, 2);
	for (timeout = 0; timeout < MON_MAX_HANDLES; timeout++) {
		m.handles[timeout].pty.master = m.handles[timeout].pty.slave = -1;
		m.ptys[timeout].pty.master = m.ptys[timeout].pty.slave = -1;
	}
	/* Before the user is known, the blocks matched by address alone
	 * apply: the grace time, max_tries, the banner, the algorithms. */
	if (cfg_effective(p->cfg, NULL, NULL, 0, p->client_addr,
	    &m.pre) != 0) {
		log_error("settings for %s: out of memory", p->client_addr);
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	m.gs = m.pre;
	ipc_state_init(&m.st, 0);
	ipc_state_init(&m.logst, 1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1 ||
	    (m.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, lp) == -1) {
		log_error("monitor setup: %s", strerror(errno));
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	if (start_child(&m, sp[1], lp[1]) != 0) {
		log_error("cannot start the protocol child: %s",
		    strerror(errno));
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	/* The monitor never touches the client's bytes. */
	close(sp[1]);
	close(lp[1]);
	sp[1] = lp[1] = -1;
	if ((m.ipc = ipc_new(sp[0])) == NULL ||
	    (sp[0] = -1, m.log = ipc_new(lp[0])) == NULL) {
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	lp[0] = -1;
	if (send_config(&m) != 0) {
		m.outcome = OUTCOME_ERROR;
		goto out;
	}
	if (m.gs->auth.login_grace_time > 0)
		m.grace_deadline = monotime_ms() +
		    (uint64_t)m.gs->auth.login_grace_time * 1000 +
		    MON_GRACE_SLACK_MS;
	/* The user's authorized_keys helper is read no longer than this. */
	userkeys_set_deadline(m.grace_deadline);
	while (!m.done) {
		(void)ipc_flush(m.ipc);
		now = monotime_ms();
		if (m.grace_deadline != 0 && now >= m.grace_deadline) {
			log_info("login grace time over for %s port %u",
			    p->client_addr, p->client_port);
			m.outcome = OUTCOME_GRACE;
			break;
		}
		if (mon_send_delayed(&m, now) != 0)
			break;
		if (m.admin_deadline != 0 && now >= m.admin_deadline) {
			log_info("%s port %u: the protocol child did not end "
			    "the connection when told to; ending it",
			    p->client_addr, p->client_port);
			break;
		}
		deadline = m.grace_deadline;
		if (m.admin_deadline != 0 &&
		    (deadline == 0 || m.admin_deadline < deadline))
			deadline = m.admin_deadline;
		if ((info_due = mon_status_tick(&m, now)) != 0 &&
		    (deadline == 0 || info_due < deadline))
			deadline = info_due;
		if (m.delayed_until != 0 &&
		    (deadline == 0 || m.delayed_until < deadline))
			deadline = m.delayed_until;
		timeout = deadline == 0 ? -1 : deadline <= now ? 0 :
		    (int)(deadline - now);
		pfd[0].fd = m.ipc_closed ? -1 : ipc_fd(m.ipc);
		pfd[0].events = POLLIN |
		    (ipc_output_pending(m.ipc) ? POLLOUT : 0);
		pfd[1].fd = m.ipc_closed || m.log_closed ? -1 : ipc_fd(m.log);
		pfd[1].events = POLLIN;
		pfd[2].fd = m.sigfd;
		pfd[2].events = POLLIN;
		pfd[3].fd = m.pam != NULL && m.pam_prompts == 0 ?
		    pamconv_fd(m.pam) : -1;
		pfd[3].events = POLLIN;
		pfd[MON_PFD_STATUS].fd = p->status_fd == -1 || m.status_closed ?
		    -1 : p->status_fd;
		pfd[MON_PFD_STATUS].events = POLLIN;
		nfwd = m.fwd != NULL ? monfwd_pollfds(m.fwd, &pfd[MON_PFD_FWD],
		    MONFWD_MAX_HELPERS) : 0;
		if (poll(pfd, MON_PFD_FWD + nfwd, timeout) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents != 0)
			handle_log(&m);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			(void)handle_ipc(&m);
		if (m.pam != NULL && pfd[3].fd != -1 &&
		    (pfd[3].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    mon_handle_pam(&m) != 0)
			m.done = 1;
		if (m.fwd != NULL && !m.done &&
		    monfwd_handle(m.fwd, &pfd[MON_PFD_FWD], nfwd, m.ipc) != 0)
			m.done = 1;
		if (pfd[MON_PFD_STATUS].fd != -1 && !m.done &&
		    pfd[MON_PFD_STATUS].revents != 0 &&
		    mon_status_read(&m) != 0)
			m.done = 1;
		if (pfd[2].revents & POLLIN) {
			while (read(m.sigfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo != SIGCHLD) {
					m.done = 1;
					if (m.outcome == OUTCOME_OK &&
					    !m.authed)
						m.outcome = OUTCOME_NOAUTH;
				}
			}
			reap(&m);
		}
	}
	/* Last words of the child, if any. */
	if (m.log != NULL)
		handle_log(&m);
 out:
	end_everything(&m);
	settle_outcome(&m);
	ipc_free(m.ipc);
	ipc_free(m.log);
	buf_free(m.session_id);
	free(m.sign_alg);
	mon_rsa_kex_free(&m);
	secrets_hold_keys(SECRETS_HOST_KEYS, NULL, 0);
	secrets_hold_keys(SECRETS_KEX_KEYS, NULL, 0);
	buf_free(m.delayed);
	authkeys_entry_free(m.authkey);
	free(m.forced);
	cfg_settings_free(m.partial_eff);
	pamconv_free(m.pam);
	monfwd_free(m.fwd);
	free(m.pam_user);
	free(m.auth_user);
	free(m.auth_service);
	for (timeout = 0; timeout < (int)m.nused; timeout++)
		buf_free(m.used_keys[timeout]);
	for (timeout = 0; timeout < (int)m.npassed; timeout++)
		free(m.passed[timeout]);
	cfg_settings_free(m.eff);
	cfg_settings_free(m.pre);
	mon_passwd_free(&m.pw);
	if (m.sigfd != -1)
		close(m.sigfd);
	for (timeout = 0; timeout < 2; timeout++) {
		if (sp[timeout] != -1)
			close(sp[timeout]);
		if (lp[timeout] != -1)
			close(lp[timeout]);
	}
	return m.outcome;
}
