/*
 * monitor_session.c: the monitor's part after authentication: ptys
 * (PTY_REQ), the user's sessions and the file services (SPAWN_EXEC), the
 * PAM session around them, and the client's signals and breaks.
 */
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <bsd/stdlib.h>

#include "auth/account.h"
#include "auth/authkeys.h"
#include "auth/passwd_pam.h"
#include "common/config.h"
#include "common/log.h"
#include "common/match.h"
#include "common/testhook.h"
#include "privsep/ipc_catalogue.h"
#include "privsep/ipc_codec.h"
#include "privsep/loginrec.h"
#include "privsep/monitor_fwd.h"
#include "privsep/monitor.h"
#include "privsep/monitor_local.h"
#include "privsep/pty.h"
#include "privsep/sftpargs.h"
#include "privsep/userproc.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"
#include "protocol/ttymodes.h"

/* SPAWN_EXEC's kinds, for the log (IPC_SPAWN_SHELL, _EXEC, _SUBSYSTEM). */
static const char *const spawn_kinds[] = { "shell", "command", "subsystem" };

/* nanosshd's file services, run as the user; the environment may name
 * other builds of them (the tests' build tree). */
#define MON_SFTP_SERVER		LIBEXECDIR "/nanossh-sftp-server"
#define MON_SFTP_SERVER_ENV	"NANOSSH_SFTP_SERVER"
#define MON_SCP			LIBEXECDIR "/nanossh-scp"
#define MON_SCP_ENV		"NANOSSH_SCP"

struct mon_handle *
handle_by_pid(struct mon *m, pid_t pid)
{
	size_t i;

	for (i = 0; i < MON_MAX_HANDLES; i++)
		if (m->handles[i].id != 0 && m->handles[i].pid == pid)
			return &m->handles[i];
	return NULL;
}

static struct mon_handle *
handle_by_id(struct mon *m, uint32_t id)
{
	size_t i;

	for (i = 0; id != 0 && i < MON_MAX_HANDLES; i++)
		if (m->handles[i].id == id)
			return &m->handles[i];
	return NULL;
}

/* The session ended: its terminal and login record go with it. */
void
handle_release(struct mon_handle *h)
{
	if (h->utmp)
		loginrec_logout(h->pty.name, h->pid);
	pty_close(&h->pty);
	memset(h, 0, sizeof(*h));
	h->pty.master = h->pty.slave = -1;
}

static void
mon_pty_release(struct mon_pty *mp)
{
	pty_close(&mp->pty);
	free(mp->term);
	memset(mp, 0, sizeof(*mp));
	mp->pty.master = mp->pty.slave = -1;
}

static int
spawn_result(struct mon *m, uint32_t tag, int status, uint32_t handle)
{
	struct ipc_spawn_result a = { tag, (uint32_t)status, handle };

	return ipc_send_spawn_result(m->ipc, &a, -1);
}

static int
pty_result(struct mon *m, uint32_t tag, int status)
{
	struct ipc_pty_result a = { tag, (uint32_t)status };

	return ipc_send_pty_result(m->ipc, &a, -1);
}

/* no-pty from the key line (or restrict without pty), or a certificate
 * without permit-pty. */
static int
pty_permitted(const struct mon *m)
{
	if (m->pty_denied)
		return 0;
	return m->authkey == NULL || m->authkey->ae_opts.ao_permit_pty;
}

/* PTY_REQ: a terminal for the session the tag's SPAWN_EXEC starts. */
int
mon_pty_req(struct mon *m, struct buf *req)
{
	struct ipc_pty_req q;
	struct ttymode modes[TTYMODES_MAX];
	struct pty_size size;
	struct mon_pty *mp = NULL;
	char *term = NULL;
	uint32_t tag, n, i, op;
	size_t k;
	int r, status = 0;

	_Static_assert(IPC_PTY_MAX_MODES == TTYMODES_MAX, "PTY_REQ's modes");
	if ((r = ipc_dec_pty_req(req, &q)) != 0) {
		r = violation(m, "malformed PTY_REQ", r);
		goto out;
	}
	tag = q.tag;
	size.cols = q.cols;
	size.rows = q.rows;
	size.width_px = q.width_px;
	size.height_px = q.height_px;
	n = q.modes.n;
	for (i = 0; i < n; i++) {
		op = q.modes.v[i].opcode;
		if (op == TTY_OP_END || op > TTY_OP_ARG_MAX) {
			r = violation(m, "malformed PTY_REQ", r);
			goto out;
		}
		modes[i].opcode = (uint8_t)op;
		modes[i].value = q.modes.v[i].value;
	}
	if ((term = strdup(q.term)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (!pty_permitted(m)) {
		log_verbose("%s: pty refused: no-pty or a certificate without "
		    "permit-pty", m->pw.pw_name);
		status = SSH_ERR_STATE_VIOLATION;
		goto answer;
	}
	/* The same tag again replaces its pty; else a free slot. */
	for (k = 0; k < MON_MAX_HANDLES && mp == NULL; k++)
		if (m->ptys[k].used && m->ptys[k].tag == tag)
			mp = &m->ptys[k];
	if (mp != NULL)
		mon_pty_release(mp);
	for (k = 0; k < MON_MAX_HANDLES && mp == NULL; k++)
		if (!m->ptys[k].used)
			mp = &m->ptys[k];
	if (mp == NULL) {
		status = SSH_ERR_LIMIT_EXCEEDED;
		goto answer;
	}
	if (pty_open(&m->pw, modes, n, &size, &mp->pty) != 0) {
		log_error("openpty for %s: %s", m->pw.pw_name, strerror(errno));
		status = SSH_ERR_SYSTEM_ERROR;
		goto answer;
	}
	mp->used = 1;
	mp->tag = tag;
	mp->term = term;
	term = NULL;
	log_debug("%s: allocated %s", m->pw.pw_name, mp->pty.name);
 answer:
	r = pty_result(m, tag, status);
 out:
	ipc_free_pty_req(&q);
	free(term);
	return r;
}

/*
 * The PAM session (auth.password_backend "pam"), opened once, before the
 * user's first process, on the handle whose account check let the user
 * in (mon_account_check, whatever the method).  Returns 0 when the
 * session may go on.  Without root PAM's modules cannot work: a
 * warning, not a refusal (and no handle when the account check failed).
 */
static int
pam_session_begin(struct mon *m)
{
	char *msg = NULL;
	int r;

	if (m->eff->auth.password_backend != CFG_PW_PAM)
		return 0;
	/* Refused once, refused for every later session too. */
	if (m->pam_sess_tried)
		return m->pam_sess_refused ? SSH_ERR_SYSTEM_ERROR : 0;
	m->pam_sess_tried = 1;
	r = m->pam_sess == NULL ? SSH_ERR_STATE_VIOLATION :
	    pwpam_session_open(m->pam_sess, &m->pam_env, &msg);
	if (r == 0) {
		log_verbose("PAM session opened for %s", m->pw.pw_name);
		m->pam_msg = msg;	/* pam_motd and friends, for the shell */
		return 0;
	}
	pwpam_end(m->pam_sess);
	m->pam_sess = NULL;
	if (getuid() != 0) {
		log_info("PAM session for %s not opened (not running as root): "
		    "%s", m->pw.pw_name, msg != NULL ? msg : ssh_err(r));
		free(msg);
		return 0;
	}
	log_error("PAM session for %s refused: %s", m->pw.pw_name,
	    msg != NULL ? msg : ssh_err(r));
	free(msg);
	m->pam_sess_refused = 1;
	return r;
}

static void
free_env(char **env)
{
	size_t i;

	for (i = 0; env != NULL && env[i] != NULL; i++)
		freezero(env[i], strlen(env[i]));
	free(env);
}

/* The login's identity and search path: a client that names them in
 * session.accept_env's patterns ("*", say) must not choose which shell
 * profile or which PATH runs as the user (PAM's pam_env still may). */
static const char *const protected_env[] = {
	"HOME", "USER", "LOGNAME", "SHELL", "PATH", "MAIL",
	"DISPLAY",		/* ours when X11 is forwarded */
	"SSH_AUTH_SOCK",	/* ours when the agent is forwarded */
};

static int
env_protected(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(protected_env) / sizeof(protected_env[0]); i++)
		if (strcmp(name, protected_env[i]) == 0)
			return 1;
	return 0;
}

/* SPAWN_EXEC's variables that session.accept_env allows, then PAM's,
 * then the X11 display's and the forwarded agent's SSH_AUTH_SOCK (which
 * nothing before may set). */
static int
session_env(struct mon *m, const struct ipc_spawn_exec *q, char ***envp)
{
	const struct strlist *acc = &m->eff->session.accept_env;
	const char *name, *agent = monfwd_agent_path(m->fwd);
	char **env, *display, *xauthority;
	size_t k = 0, npam = 0, i;
	uint32_t j;
	int r = 0;

	*envp = NULL;
	while (m->pam_env != NULL && m->pam_env[npam] != NULL)
		npam++;
	display = mon_x11_take(m, q->tag, q->x11, &xauthority, &r);
	if (r != 0)
		return r;
	if ((env = calloc((size_t)q->env.n + npam + 4, sizeof(*env))) == NULL) {
		free(display);
		free(xauthority);
		return SSH_ERR_ALLOC_FAIL;
	}
	for (j = 0; j < q->env.n; j++) {
		name = q->env.v[j].name;
		if (env_protected(name)) {
			log_info("%s: environment variable %s refused: the "
			    "login sets it", m->pw.pw_name, name);
			continue;
		}
		/* The child checked too; a name it should have refused
		 * is dropped here, not trusted. */
		if (*name != '\0' && strchr(name, '=') == NULL &&
		    match_list(name, acc->v, acc->n) &&
		    asprintf(&env[k], "%s=%s", name, q->env.v[j].value) != -1)
			k++;
	}
	for (i = 0; r == 0 && i < npam; i++) {
		if ((env[k] = strdup(m->pam_env[i])) == NULL)
			r = SSH_ERR_ALLOC_FAIL;
		else
			k++;
	}
	if (display != NULL)
		env[k++] = display;
	if (xauthority != NULL)
		env[k++] = xauthority;
	if (r == 0 && agent != NULL) {
		if (asprintf(&env[k], "SSH_AUTH_SOCK=%s", agent) == -1) {
			env[k] = NULL;
			r = SSH_ERR_ALLOC_FAIL;
		} else
			k++;
	}
	if (r != 0) {
		free_env(env);
		return r;
	}
	*envp = env;
	return 0;
}

static const char *
program_path(const char *env, const char *dflt)
{
	const char *p = testhook_getenv(env);

	return p != NULL && *p != '\0' ? p : dflt;
}

/* A legacy scp in server mode ("scp [-v -r -p -d] -t|-f ..."), which
 * nanossh serves itself; scp run as a client on the server is not one. */
static int
is_scp_server(const char *command)
{
	const char *p = command;
	size_t n;

	if (strncmp(p, "scp ", 4) != 0)
		return 0;
	for (p += 4; *p != '\0'; p += n) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (*p != '-' || (n == 2 && p[1] == '-'))
			return 0;
		if (memchr(p, 't', n) != NULL || memchr(p, 'f', n) != NULL)
			return 1;
	}
	return 0;
}

/*
 * The file services: the sftp subsystem and legacy scp run nanossh's
 * programs over the user's view of sftp.mounts (sftpargs.h), and
 * sftp.force allows nothing else.  0 with *argvp NULL: an ordinary
 * session (its command, a forced one, or an unknown subsystem); 0 with
 * *argvp: run that; a negative SSH_ERR_*: refused (logged).
 */
static int
file_service(struct mon *m, uint32_t tag, uint32_t kind, const char *command,
    char ***argvp)
{
	const struct cfg_settings *s = m->eff;
	struct sftpargs_opts o;
	char session[32];
	struct usergroups g;
	int sftp = kind == IPC_SPAWN_SUBSYSTEM && strcmp(command, "sftp") == 0;
	int scp = kind == IPC_SPAWN_EXEC && is_scp_server(command);
	int r;

	*argvp = NULL;
	/* As OpenSSH runs everything through the login shell (its
	 * sftp-server too), nologin and friends get nothing; sftp.force is
	 * the setting that says such an account is for SFTP. */
	if (!account_login_shell(m->pw.pw_shell) && !(s->sftp.force && sftp)) {
		log_info("%s request by user %s refused: shell %s is not a "
		    "login shell (/etc/shells)", spawn_kinds[kind],
		    m->pw.pw_name, *m->pw.pw_shell != '\0' ? m->pw.pw_shell :
		    "/bin/sh");
		return SSH_ERR_FEATURE_UNSUPPORTED;
	}
	if (s->sftp.force && !sftp) {
		log_info("%s request by user %s refused: the account is "
		    "SFTP-only (sftp.force)", spawn_kinds[kind], m->pw.pw_name);
		return SSH_ERR_FEATURE_UNSUPPORTED;
	}
	/* command= replaces what the client asked for, file services too
	 * (sftp.force excepted, which is the stronger rule). */
	if ((!sftp && !scp) || (m->forced != NULL && !s->sftp.force))
		return 0;
	if ((sftp && !s->sftp.enabled) || (scp && !s->scp.enabled)) {
		log_info("%s for user %s refused: %s", sftp ? "sftp" : "scp",
		    m->pw.pw_name, sftp ? "sftp.enabled is false" :
		    "scp.enabled is false");
		return SSH_ERR_FEATURE_UNSUPPORTED;
	}
	o.path = sftp ? program_path(MON_SFTP_SERVER_ENV, MON_SFTP_SERVER) :
	    program_path(MON_SCP_ENV, MON_SCP);
	o.scp_command = scp ? command : NULL;
	o.confine = sftp || s->sftp.secure_path;
	o.log_stderr = log_stderr();
	/* The audit lines name the connection (our pid, as in our log
	 * lines) and the channel. */
	snprintf(session, sizeof(session), "%ld.%u", (long)getpid(), tag);
	o.session = session;
	if (access(o.path, X_OK) != 0) {
		log_error("%s for user %s refused: %s: %s", sftp ? "sftp" :
		    "scp", m->pw.pw_name, o.path, strerror(errno));
		return SSH_ERR_FEATURE_UNSUPPORTED;
	}
	if ((r = usergroups_load(&m->pw, &g)) != 0)
		return r;
	r = sftpargs_build(s, &m->pw, g.names, g.n, &o, argvp);
	usergroups_free(&g);
	if (r != 0)
		log_error("%s for user %s refused: sftp.mounts: %s",
		    sftp ? "sftp" : "scp", m->pw.pw_name, ssh_err(r));
	return r;
}

/* A line for the user's terminal before the shell starts.  Best effort:
 * a full pty buffer drops the rest rather than block the monitor. */
static void
tty_say(struct pty *pty, const char *text)
{
	int fl;

	if (*text == '\0' || pty->slave == -1 ||
	    (fl = fcntl(pty->slave, F_GETFL)) == -1 ||
	    fcntl(pty->slave, F_SETFL, fl | O_NONBLOCK) == -1)
		return;
	if (write(pty->slave, text, strlen(text)) == -1 ||
	    write(pty->slave, "\n", 1) == -1)
		log_debug("%s: message not shown: %s", pty->name,
		    strerror(errno));
	(void)fcntl(pty->slave, F_SETFL, fl);
}

/* A login shell's greeting, as login(1) gives it: what PAM's session
 * modules said (the message of the day), once per connection, then the
 * previous login from lastlog (kept as root only). */
static void
greet(struct mon *m, struct pty *pty)
{
	char last[256];

	if (m->pam_msg != NULL) {
		tty_say(pty, m->pam_msg);
		free(m->pam_msg);
		m->pam_msg = NULL;
	}
	if (loginrec_last(m->pw.pw_uid, last, sizeof(last)))
		tty_say(pty, last);
}

/* Hands the session's fds to the child: pipes, or copies of the master. */
static int
send_spawn_fds(struct mon *m, struct mon_handle *h, int fds[3])
{
	static const uint32_t pty_which[3] = {
		IPC_SPAWN_STDIN, IPC_SPAWN_STDOUT, IPC_SPAWN_PTY
	};
	struct ipc_spawn_fd a;
	uint32_t i;
	int r = 0;

	for (i = 0; r == 0 && i < 3; i++) {
		if (h->pty.master != -1 &&
		    (fds[i] = fcntl(h->pty.master, F_DUPFD_CLOEXEC, 3)) == -1) {
			r = SSH_ERR_SYSTEM_ERROR;
			break;
		}
		a.handle = h->id;
		a.which = h->pty.master != -1 ? pty_which[i] : i;
		if ((r = ipc_send_spawn_fd(m->ipc, &a, fds[i])) != 0)
			break;
		fds[i] = -1;		/* the channel owns it now */
	}
	return r;
}

/* SPAWN_EXEC: the user's shell, command or subsystem, as the user. */
int
mon_spawn(struct mon *m, struct buf *req)
{
	struct userproc_conn uc;
	struct userproc_session us;
	struct mon_handle *h = NULL;
	struct mon_pty *mp = NULL;
	struct ipc_spawn_exec q;
	uint32_t tag, kind, which;
	char **env = NULL, **argv = NULL;
	const char *run, *command;
	int fds[3] = { -1, -1, -1 }, r, pam_r, want_pty;
	size_t i;
	pid_t pid;

	if ((r = ipc_dec_spawn_exec(req, &q)) != 0 ||
	    q.kind > IPC_SPAWN_SUBSYSTEM ||
	    (q.kind == IPC_SPAWN_SHELL) != (*q.command == '\0')) {
		r = violation(m, "malformed SPAWN_EXEC", r);
		goto out;
	}
	tag = q.tag;
	kind = q.kind;
	command = q.command;
	want_pty = q.pty;
	/* The PAM session first: its environment goes into this one. */
	pam_r = pam_session_begin(m);
	if ((r = session_env(m, &q, &env)) != 0)
		goto out;
	if (pam_r != 0) {
		r = spawn_result(m, tag, SSH_ERR_SYSTEM_ERROR, 0);
		goto out;
	}
	for (i = 0; i < MON_MAX_HANDLES && i < (size_t)m->eff->limits.max_sessions;
	    i++) {
		if (m->handles[i].id == 0) {
			h = &m->handles[i];
			break;
		}
	}
	if (h == NULL) {
		log_info("%s: too many sessions", m->pw.pw_name);
		r = spawn_result(m, tag, SSH_ERR_LIMIT_EXCEEDED, 0);
		goto out;
	}
	run = command;
	if ((r = file_service(m, tag, kind, command, &argv)) != 0) {
		r = spawn_result(m, tag, r, 0);
		goto out;
	}
	if (argv == NULL && kind == IPC_SPAWN_SUBSYSTEM && m->forced == NULL) {
		log_info("subsystem request for %s by user %s failed, subsystem "
		    "not found", command, m->pw.pw_name);
		r = spawn_result(m, tag, SSH_ERR_FEATURE_UNSUPPORTED, 0);
		goto out;
	}
	for (i = 0; i < MON_MAX_HANDLES && mp == NULL; i++)
		if (m->ptys[i].used && m->ptys[i].tag == tag)
			mp = &m->ptys[i];
	if (want_pty && mp == NULL) {
		r = violation(m, "SPAWN_EXEC on a pty never allocated",
		    SSH_ERR_STATE_VIOLATION);
		goto out;
	}
	if (!want_pty && mp != NULL) {
		/* An earlier channel with the same tag asked for it. */
		mon_pty_release(mp);
		mp = NULL;
	}
	uc.client_addr = m->p->client_addr;
	uc.client_port = m->p->client_port;
	uc.server_addr = m->p->server_addr;
	uc.server_port = m->p->server_port;
	uc.original_command = NULL;
	/* command="..." replaces what the client asked for, which the
	 * forced command may read (OpenSSH's SSH_ORIGINAL_COMMAND). */
	if (m->forced != NULL && argv == NULL) {
		if (*command != '\0')
			uc.original_command = command;
		run = m->forced;
		log_verbose("%s: running the forced command", m->pw.pw_name);
	}
	if (mp != NULL && kind == IPC_SPAWN_SHELL && m->forced == NULL)
		greet(m, &mp->pty);
	us.command = run;
	us.argv = argv;
	us.keep_stderr = argv != NULL && log_stderr();
	us.env = env;
	us.pty = mp != NULL ? &mp->pty : NULL;
	us.term = mp != NULL ? mp->term : NULL;
	if ((r = userproc_spawn(&m->pw, &us, &uc, &pid, fds)) != 0) {
		log_error("cannot start a session for %s: %s", m->pw.pw_name,
		    strerror(errno));
		r = spawn_result(m, tag, r, 0);
		goto out;
	}
	h->id = ++m->next_handle;
	h->tag = tag;
	h->pid = pid;
	h->no_signals = run != command || argv != NULL ||
	    kind == IPC_SPAWN_SUBSYSTEM;
	h->pty.master = h->pty.slave = -1;
	if (mp != NULL) {
		/* The session owns the pty now; only its process keeps the
		 * slave open, so the master sees the hangup when it ends. */
		h->pty = mp->pty;
		mp->pty.master = mp->pty.slave = -1;
		mon_pty_release(mp);
		close(h->pty.slave);
		h->pty.slave = -1;
		h->utmp = loginrec_login(h->pty.name, m->pw.pw_name,
		    m->pw.pw_uid, m->p->client_addr, pid);
	}
	log_verbose("Starting session: %s%s%s for %s from %s port %u id %u",
	    spawn_kinds[kind], h->pty.master != -1 ? " on " : "",
	    h->pty.master != -1 ? h->pty.name + 5 : "", m->pw.pw_name,
	    m->p->client_addr, m->p->client_port, tag);
	if ((r = spawn_result(m, tag, 0, h->id)) != 0)
		goto out;
	r = send_spawn_fds(m, h, fds);
 out:
	for (which = 0; which < 3; which++)
		if (fds[which] != -1)
			close(fds[which]);
	free_env(env);
	sftpargs_free(argv);
	ipc_free_spawn_exec(&q);
	return r;
}

/* RFC 4254 6.10: the signal names a client may send. */
static const struct {
	const char *name;
	int sig;
} mon_signals[] = {
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "FPE", SIGFPE },
	{ "HUP", SIGHUP }, { "ILL", SIGILL }, { "INT", SIGINT },
	{ "KILL", SIGKILL }, { "PIPE", SIGPIPE }, { "QUIT", SIGQUIT },
	{ "SEGV", SIGSEGV }, { "TERM", SIGTERM }, { "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
};

/* SESSION_SIGNAL: to the session's process group. */
int
mon_session_signal(struct mon *m, struct buf *req)
{
	struct ipc_session_signal q;
	struct mon_handle *h;
	const char *name;
	uint32_t id;
	size_t i;
	int r;

	if ((r = ipc_dec_session_signal(req, &q)) != 0) {
		r = violation(m, "malformed SESSION_SIGNAL", r);
		goto out;
	}
	id = q.handle;
	name = q.signame;
	for (i = 0; i < sizeof(mon_signals) / sizeof(mon_signals[0]); i++)
		if (strcmp(mon_signals[i].name, name) == 0)
			break;
	if (i == sizeof(mon_signals) / sizeof(mon_signals[0])) {
		log_verbose("%s: unknown signal \"%s\" ignored", m->pw.pw_name,
		    name);
		goto out;
	}
	if ((h = handle_by_id(m, id)) == NULL)
		goto out;
	/* As OpenSSH: the administrator chose what runs there, and the
	 * client has no say in how it ends. */
	if (h->no_signals) {
		log_info("%s: refusing to send signal %s to a forced-command "
		    "or subsystem session", m->pw.pw_name, name);
		goto out;
	}
	log_verbose("%s: signal %s to session %u", m->pw.pw_name, name, id);
	if (userproc_signal(&m->pw, h->pid, mon_signals[i].sig) != 0)
		log_verbose("signal to %ld: %s", (long)h->pid,
		    strerror(errno));
 out:
	ipc_free_session_signal(&q);
	return r;
}

/* SESSION_BREAK: RFC 4335 on the pty (a pipe session has none). */
int
mon_session_break(struct mon *m, struct buf *req)
{
	struct ipc_session_break q;
	struct mon_handle *h;
	int r;

	if ((r = ipc_dec_session_break(req, &q)) != 0)
		return violation(m, "malformed SESSION_BREAK", r);
	if ((h = handle_by_id(m, q.handle)) != NULL && h->pty.master != -1 &&
	    tcsendbreak(h->pty.master, 0) == -1)
		log_verbose("break on %s: %s", h->pty.name, strerror(errno));
	return 0;
}

/* SESSION_CLOSE: the channel went away under a running session. */
int
mon_session_close(struct mon *m, struct buf *req)
{
	struct ipc_session_close q;
	struct mon_handle *h;
	int r;

	if ((r = ipc_dec_session_close(req, &q)) != 0)
		return violation(m, "malformed SESSION_CLOSE", r);
	if ((h = handle_by_id(m, q.handle)) != NULL) {
		log_debug("%s: session %u closed by the client", m->pw.pw_name,
		    q.handle);
		(void)kill(-h->pid, SIGHUP);
	}
	return 0;
}


/* The connection ends.  The user's processes lead their own sessions:
 * signal the group.  They are not waited for (the monitor's exit makes
 * init reap them); their terminals, login records and the PAM session
 * end here. */
void
sessions_end(struct mon *m)
{
	size_t i;

	for (i = 0; i < MON_MAX_HANDLES; i++) {
		if (m->handles[i].id != 0) {
			kill(-m->handles[i].pid, SIGHUP);
			handle_release(&m->handles[i]);
		}
		if (m->ptys[i].used)
			mon_pty_release(&m->ptys[i]);
	}
	if (m->pam_sess != NULL) {
		if (pwpam_session_close(m->pam_sess) != 0)
			log_info("PAM session close for %s failed",
			    m->pw.pw_name);
		pwpam_end(m->pam_sess);
		m->pam_sess = NULL;
	}
	free_env(m->pam_env);
	m->pam_env = NULL;
	free(m->pam_msg);
	m->pam_msg = NULL;
}
