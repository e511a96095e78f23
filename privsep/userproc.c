/* userproc.c: processes running with a user's credentials. */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/monotime.h"
#include "common/secrets.h"
#include "privsep/pty.h"
#include "privsep/userproc.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

#define USER_PATH	"/usr/local/bin:/usr/bin:/bin:/usr/games"
#define MAIL_DIR	"/var/mail"
/* A killed helper is waited for this long (in steps of ...), then left
 * to the monitor's SIGCHLD reaping: one stuck in the kernel (a hung
 * network file system) must not stop the monitor. */
#define USERPROC_REAP_MS	1000
#define USERPROC_REAP_STEP_MS	10
#define ROOT_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int
userproc_isolate(void)
{
	sigset_t none;
	int sig;

	/* First of all: no host key in a process that does the user's
	 * work (a name lookup, a file of theirs, their command). */
	secrets_forget();
	/* Not dumpable: processes of the same uid cannot ptrace us. */
	if (prctl(PR_SET_DUMPABLE, 0) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if (close_range(3, ~0U, 0) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	return 0;
}

int
userproc_become(const struct passwd *pw)
{
	gid_t groups[1];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getuid() != 0) {
		/* Unprivileged nanosshd serves only the user running it. */
		return pw->pw_uid == getuid() ? 0 : SSH_ERR_STATE_VIOLATION;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) == -1) {
		/* A user in no supplementary group still gets its own. */
		groups[0] = pw->pw_gid;
		if (setgroups(1, groups) == -1)
			return SSH_ERR_SYSTEM_ERROR;
	}
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	/* Verified, not assumed: a failed drop must never run user code. */
	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1 ||
	    ru != pw->pw_uid || eu != pw->pw_uid || su != pw->pw_uid ||
	    rg != pw->pw_gid || eg != pw->pw_gid || sg != pw->pw_gid)
		return SSH_ERR_SYSTEM_ERROR;
	if (pw->pw_uid != 0 && (setuid(0) != -1 || seteuid(0) != -1))
		return SSH_ERR_SYSTEM_ERROR;
	return 0;
}

/* The login environment (login(1), OpenSSH's do_setup_env). */
static int
login_env(const struct passwd *pw, const char *shell,
    const struct userproc_session *s, const struct userproc_conn *conn)
{
	char sshconn[256], sshclient[256], mail[PATH_MAX];
	size_t i;
	char *eq;

	snprintf(sshconn, sizeof(sshconn), "%s %u %s %u", conn->client_addr,
	    conn->client_port, conn->server_addr, conn->server_port);
	snprintf(sshclient, sizeof(sshclient), "%s %u %u", conn->client_addr,
	    conn->client_port, conn->server_port);
	snprintf(mail, sizeof(mail), "%s/%s", MAIL_DIR, pw->pw_name);
	if (clearenv() != 0 || setenv("HOME", pw->pw_dir, 1) != 0 ||
	    setenv("USER", pw->pw_name, 1) != 0 ||
	    setenv("LOGNAME", pw->pw_name, 1) != 0 ||
	    setenv("SHELL", shell, 1) != 0 ||
	    setenv("PATH", pw->pw_uid == 0 ? ROOT_PATH : USER_PATH, 1) != 0 ||
	    setenv("MAIL", mail, 1) != 0 ||
	    setenv("SSH_CONNECTION", sshconn, 1) != 0 ||
	    setenv("SSH_CLIENT", sshclient, 1) != 0)
		return -1;
	if (s->pty != NULL && (setenv("SSH_TTY", s->pty->name, 1) != 0 ||
	    setenv("TERM", s->term != NULL && *s->term != '\0' ? s->term :
	    "dumb", 1) != 0))
		return -1;
	/* Accepted client variables and PAM's, after the defaults (so
	 * LANG from the client wins, as with OpenSSH). */
	for (i = 0; s->env != NULL && s->env[i] != NULL; i++) {
		if ((eq = strchr(s->env[i], '=')) == NULL || eq == s->env[i])
			continue;
		*eq = '\0';
		if (setenv(s->env[i], eq + 1, 1) != 0)
			return -1;
		*eq = '=';
	}
	if (conn->original_command != NULL &&
	    setenv("SSH_ORIGINAL_COMMAND", conn->original_command, 1) != 0)
		return -1;
	return 0;
}

static void __attribute__((noreturn))
exec_as_user(const struct passwd *pw, const struct userproc_session *s,
    const struct userproc_conn *conn)
{
	const char *shell = pw->pw_shell != NULL && *pw->pw_shell != '\0' ?
	    pw->pw_shell : "/bin/sh";
	const char *base = strrchr(shell, '/') != NULL ?
	    strrchr(shell, '/') + 1 : shell;
	char argv0[PATH_MAX];

	/* With a pty, pty_make_controlling made the session already. */
	if ((s->pty == NULL && setsid() == -1) || userproc_become(pw) != 0)
		_exit(254);
	if (chdir(pw->pw_dir) == -1) {
		fprintf(stderr, "Could not chdir to home directory %s: %s\n",
		    pw->pw_dir, strerror(errno));
		if (chdir("/") == -1)
			_exit(254);
	}
	if (login_env(pw, shell, s, conn) != 0)
		_exit(254);
	if (s->argv != NULL)
		execv(s->argv[0], s->argv);
	else if (*s->command == '\0') {
		/* A login shell: argv[0] "-sh" (login(1) convention). */
		snprintf(argv0, sizeof(argv0), "-%s", base);
		execl(shell, argv0, (char *)NULL);
	} else
		execl(shell, base, "-c", s->command, (char *)NULL);
	fprintf(stderr, "%s: %s\n", s->argv != NULL ? s->argv[0] : shell,
	    strerror(errno));
	_exit(127);
}

/* With a pty: the slave becomes the process's terminal, nothing else. */
static int
spawn_on_pty(const struct passwd *pw, const struct userproc_session *s,
    const struct userproc_conn *conn, pid_t *pidp)
{
	pid_t pid;

	if ((pid = fork()) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if (pid == 0) {
		/* The master is the monitor's: the user gets only the slave. */
		if (pty_make_controlling(s->pty) != 0 ||
		    userproc_isolate() != 0)
			_exit(254);
		exec_as_user(pw, s, conn);
	}
	*pidp = pid;
	return 0;
}

int
userproc_spawn(const struct passwd *pw, const struct userproc_session *s,
    const struct userproc_conn *conn, pid_t *pidp, int fds[3])
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	pid_t pid;
	int i;

	fds[0] = fds[1] = fds[2] = -1;
	if (s->pty != NULL)
		return spawn_on_pty(pw, s, conn, pidp);
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1 ||
	    pipe2(err, O_CLOEXEC) == -1)
		goto fail;
	if ((pid = fork()) == -1)
		goto fail;
	if (pid == 0) {
		if (dup2(in[0], STDIN_FILENO) == -1 ||
		    dup2(out[1], STDOUT_FILENO) == -1 ||
		    (!s->keep_stderr &&
		    dup2(err[1], STDERR_FILENO) == -1) ||
		    userproc_isolate() != 0)
			_exit(254);
		exec_as_user(pw, s, conn);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	fds[0] = in[1];
	fds[1] = out[0];
	fds[2] = err[0];
	*pidp = pid;
	return 0;
 fail:
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
		if (err[i] != -1)
			close(err[i]);
	}
	return SSH_ERR_SYSTEM_ERROR;
}

int
userproc_write_all(int fd, const void *p, size_t len)
{
	const uint8_t *d = p;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, d, len)) == -1) {
			if (errno == EINTR)
				continue;
			return SSH_ERR_SYSTEM_ERROR;
		}
		d += n;
		len -= (size_t)n;
	}
	return 0;
}

int
userproc_read_all(int fd, size_t max, struct buf **bp)
{
	return userproc_read_until(fd, max, 0, bp);
}

int
userproc_read_until(int fd, size_t max, uint64_t deadline, struct buf **bp)
{
	struct pollfd pfd;
	struct buf *b;
	uint8_t chunk[8192];
	uint64_t now;
	ssize_t n;
	int r, ms;

	*bp = NULL;
	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	for (;;) {
		if (deadline != 0) {
			/* Wait only until then: what writes is the user's. */
			if ((now = monotime_ms()) >= deadline) {
				buf_free(b);
				return SSH_ERR_CONN_TIMEOUT;
			}
			ms = deadline - now > INT_MAX ? INT_MAX :
			    (int)(deadline - now);
			pfd.fd = fd;
			pfd.events = POLLIN;
			if ((r = poll(&pfd, 1, ms)) == -1 && errno == EINTR)
				continue;
			if (r == -1) {
				buf_free(b);
				return SSH_ERR_SYSTEM_ERROR;
			}
			if (r == 0)
				continue;	/* the deadline, checked above */
		}
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			buf_free(b);
			return SSH_ERR_SYSTEM_ERROR;
		}
		if (n == 0)
			break;
		if (buf_len(b) + (size_t)n > max) {
			buf_free(b);
			return SSH_ERR_LIMIT_EXCEEDED;
		}
		if ((r = buf_put(b, chunk, (size_t)n)) != 0) {
			buf_free(b);
			return r;
		}
	}
	*bp = b;
	return 0;
}

void
userproc_kill(pid_t pid)
{
	struct timespec ts = { 0, USERPROC_REAP_STEP_MS * 1000 * 1000 };
	int i, status;

	(void)kill(pid, SIGKILL);
	for (i = 0; i < USERPROC_REAP_MS / USERPROC_REAP_STEP_MS; i++) {
		if (waitpid(pid, &status, WNOHANG) != 0)
			return;
		nanosleep(&ts, NULL);
	}
	log_info("process %ld does not go away after SIGKILL; left to be "
	    "reaped later", (long)pid);
}

int
userproc_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return SSH_ERR_SYSTEM_ERROR;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 :
	    SSH_ERR_SYSTEM_ERROR;
}

int
userproc_signal(const struct passwd *pw, pid_t pgid, int sig)
{
	pid_t pid;

	if (getuid() != 0)
		return kill(-pgid, sig) == -1 ? SSH_ERR_SYSTEM_ERROR : 0;
	if ((pid = fork()) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if (pid != 0)
		return 0;
	/* No initgroups: kill(2) asks only for the uid. */
	if (userproc_isolate() != 0 || setgroups(0, NULL) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1 ||
	    getuid() != pw->pw_uid)
		_exit(1);
	_exit(kill(-pgid, sig) == -1 ? 1 : 0);
}
