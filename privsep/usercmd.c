/*
 * usercmd.c: the programs the monitor asks about keys and principals
 * (auth.authorized_keys_command, auth.authorized_principals_command, as
 * OpenSSH's AuthorizedKeysCommand and AuthorizedPrincipalsCommand).
 *
 * The program must be root's and writable by nobody else; it runs as
 * its configured unprivileged user (never uid 0), with stdin from
 * /dev/null, only PATH in its environment, in its own process group.
 * Its output is capped and read only until a deadline, after which the
 * whole group is killed: a directory service that does not answer must
 * not hold the login or the monitor.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/monotime.h"
#include "privsep/usercmd.h"
#include "privsep/userpath.h"
#include "privsep/userproc.h"
#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

#define USERCMD_OUTPUT_MAX	(1024 * 1024)
/* At most this long, or until the login deadline if that is sooner. */
#define USERCMD_WAIT_MS		(10 * 1000)
#define USERCMD_ARGS		64

/* One word of the command with %u %h %t %f %k %% expanded; a new string. */
static char *
expand_word(const char *w, size_t len, const struct passwd *pw,
    const char *type, const char *fp, const char *b64)
{
	struct buf *b = buf_new();
	const char *v;
	char one[2] = { 0, 0 };
	char *s = NULL;
	size_t i;

	if (b == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (w[i] != '%' || i + 1 == len) {
			one[0] = w[i];
			v = one;
		} else {
			switch (w[++i]) {
			case 'u': v = pw->pw_name; break;
			case 'h': v = pw->pw_dir; break;
			case 't': v = type; break;
			case 'f': v = fp; break;
			case 'k': v = b64; break;
			case '%': v = "%"; break;
			default: goto out;	/* the config check refuses it */
			}
		}
		if (buf_put(b, v, strlen(v)) != 0)
			goto out;
	}
	s = buf_dup_string(b);
 out:
	buf_free(b);
	return s;
}

/* The command's argv: words split at spaces and tabs (no quoting), each
 * expanded; without arguments the user name is the one, as OpenSSH. */
static int
command_argv(const char *cmd, const struct passwd *pw, const struct buf *blob,
    char **argv, size_t *argcp)
{
	struct sshkey *key = NULL;
	struct buf *kb = NULL, *b64 = NULL;
	char *fp = NULL, *b64s = NULL;
	const char *p = cmd, *type;
	size_t argc = 0, len;
	int r;

	if ((kb = buf_from(buf_ptr(blob), buf_len(blob))) == NULL ||
	    (b64 = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_from_blob(kb, &key)) != 0 ||
	    (r = key_fingerprint(key, &fp)) != 0 ||
	    (r = buf_dtob64(blob, b64, 0)) != 0)
		goto out;
	if ((b64s = buf_dup_string(b64)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	type = key_type_name(key);
	for (;;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		len = strcspn(p, " \t");
		if (argc + 2 > USERCMD_ARGS) {
			r = SSH_ERR_LIMIT_EXCEEDED;
			goto out;
		}
		if ((argv[argc] = expand_word(p, len, pw, type, fp, b64s)) ==
		    NULL) {
			r = SSH_ERR_ALLOC_FAIL;
			goto out;
		}
		argc++;
		p += len;
	}
	if (argc == 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (argc == 1 && (argv[argc++] = strdup(pw->pw_name)) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	argv[argc] = NULL;
	r = 0;
 out:
	if (r != 0) {
		while (argc > 0)
			free(argv[--argc]);
	}
	*argcp = argc;
	key_free(key);
	free(fp);
	free(b64s);
	buf_free(kb);
	buf_free(b64);
	return r;
}

/* Waits for pid until deadline: a command may close its output and go
 * on running.  0 if it exited with status 0. */
static int
wait_until(pid_t pid, uint64_t deadline)
{
	int status;
	pid_t w;

	for (;;) {
		if ((w = waitpid(pid, &status, WNOHANG)) == pid)
			return WIFEXITED(status) &&
			    WEXITSTATUS(status) == 0 ? 0 : SSH_ERR_SYSTEM_ERROR;
		if (w == -1 && errno != EINTR)
			return SSH_ERR_SYSTEM_ERROR;
		if (monotime_ms() >= deadline)
			return SSH_ERR_CONN_TIMEOUT;
		(void)poll(NULL, 0, 10);
	}
}

/* Runs the keys command as cmdpw and returns its output (stdout). */
static int
command_output(const char *setting, char *const *argv,
    const struct passwd *cmdpw, uint64_t login_deadline, struct buf **outp)
{
	static char *const env[] = { "PATH=/usr/bin:/bin", NULL };
	/* Root's, or (an unprivileged nanosshd) that of the user running
	 * us, who is the only one it serves. */
	struct passwd owner = { .pw_name = "root", .pw_uid = getuid(),
	    .pw_dir = "/" };
	uint64_t deadline = monotime_ms() + USERCMD_WAIT_MS;
	struct stat st;
	const char *why;
	pid_t pid;
	int fds[2], null, r;

	*outp = NULL;
	/* The program and every directory above it are root's and
	 * writable by nobody else (OpenSSH's rule for the command). */
	if (stat(argv[0], &st) == -1)
		why = strerror(errno);
	else
		why = userpath_strict_modes(argv[0], &st, &owner);
	if (why != NULL) {
		log_error("%s %s refused: %s", setting, argv[0], why);
		return SSH_ERR_KEY_NOT_FOUND;
	}
	if (login_deadline != 0 && login_deadline < deadline)
		deadline = login_deadline;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (pid == 0) {
		/* Its own process group, so that all of it can be killed. */
		if ((null = open("/dev/null", O_RDONLY)) == -1 ||
		    dup2(null, STDIN_FILENO) == -1 ||
		    dup2(fds[1], STDOUT_FILENO) == -1 ||
		    userproc_isolate() != 0 || setsid() == -1 ||
		    userproc_become(cmdpw) != 0)
			_exit(1);
		execve(argv[0], argv, env);
		_exit(127);
	}
	close(fds[1]);
	r = userproc_read_until(fds[0], USERCMD_OUTPUT_MAX, deadline, outp);
	close(fds[0]);
	if (r != 0) {
		log_info("%s %s: %s; killed", setting, argv[0], r == SSH_ERR_CONN_TIMEOUT ?
		    "did not finish in time" : r == SSH_ERR_LIMIT_EXCEEDED ?
		    "too much output" : ssh_err(r));
		(void)kill(-pid, SIGKILL);
		userproc_kill(pid);
		return SSH_ERR_KEY_NOT_FOUND;
	}
	if ((r = wait_until(pid, deadline)) != 0) {
		if (r == SSH_ERR_CONN_TIMEOUT) {
			(void)kill(-pid, SIGKILL);
			userproc_kill(pid);
		}
		log_info("%s %s failed%s: its output is not used", setting,
		    argv[0], r == SSH_ERR_CONN_TIMEOUT ?
		    " (did not exit in time; killed)" : "");
		buf_free(*outp);
		*outp = NULL;
		return SSH_ERR_KEY_NOT_FOUND;
	}
	return 0;
}

int
usercmd_run(const char *setting, const struct passwd *pw, const char *cmd,
    const char *cmduser, const struct buf *blob, uint64_t login_deadline,
    char **textp, char **progp)
{
	struct passwd cpw, *cpwp = NULL;
	char pwbuf[4096], *argv[USERCMD_ARGS];
	struct buf *out = NULL;
	size_t argc = 0;
	int r;

	*textp = *progp = NULL;
	/* Checked when the configuration was loaded; the account may have
	 * changed since, and uid 0 is never used. */
	if (getpwnam_r(cmduser, &cpw, pwbuf, sizeof(pwbuf), &cpwp) != 0 ||
	    cpwp == NULL || cpw.pw_uid == 0) {
		log_error("%s_user %s: not an unprivileged user; the command "
		    "is not run", setting, cmduser);
		return SSH_ERR_KEY_NOT_FOUND;
	}
	if ((r = command_argv(cmd, pw, blob, argv, &argc)) != 0)
		return r;
	if ((r = command_output(setting, argv, &cpw, login_deadline,
	    &out)) != 0)
		goto out;
	if ((*textp = buf_dup_string(out)) == NULL) {
		log_info("%s %s: NUL bytes in its output; ignored", setting,
		    argv[0]);
		r = SSH_ERR_KEY_NOT_FOUND;
		goto out;
	}
	if ((*progp = strdup(argv[0])) == NULL) {
		free(*textp);
		*textp = NULL;
		r = SSH_ERR_ALLOC_FAIL;
	}
 out:
	buf_free(out);
	while (argc > 0)
		free(argv[--argc]);
	return r;
}
