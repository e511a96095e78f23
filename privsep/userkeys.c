/*
 * userkeys.c: is this public key in the user's authorized_keys?
 *
 * The files are opened by a short-lived helper running with the user's
 * credentials (never by root on the user's behalf), which applies
 * OpenSSH's StrictModes checks and sends the contents back over a pipe.
 * The monitor parses them with auth/authkeys.c: every OpenSSH key option
 * is understood, unknown ones refuse their line, and from= and
 * expiry-time= are checked here; the other options travel with the key.
 * The helper runs as the user, who can stop it or make its reads hang:
 * it is read only until the login deadline and killed then.
 *
 * auth.authorized_keys_command (OpenSSH's AuthorizedKeysCommand) runs
 * through privsep/usercmd.c as its own unprivileged user; its lines are
 * parsed like the files' lines.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/authkeys.h"
#include "common/log.h"
#include "common/monotime.h"
#include "privsep/usercmd.h"
#include "privsep/userkeys.h"
#include "privsep/userpath.h"
#include "privsep/userproc.h"
#include "common/config.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

#define USERKEYS_FILE_MAX	(1024 * 1024)
#define USERKEYS_TOTAL_MAX	(4 * 1024 * 1024)
/* Without a login deadline (auth.login_grace_time 0), still no longer. */
#define USERKEYS_WAIT_MS	(120 * 1000)

static uint64_t login_deadline;

void
userkeys_set_deadline(uint64_t deadline)
{
	login_deadline = deadline;
}

/* In the helper, as the user: for each file, u8 status (1 = contents
 * follow), string path, string contents or reason. */
static void
helper_read(int out, const struct passwd *pw, const struct strlist *files)
{
	struct buf *b = buf_new();
	char path[PATH_MAX];
	struct stat st;
	const char *why;
	size_t i;
	ssize_t n;
	int fd;

	if (b == NULL)
		_exit(1);
	for (i = 0; i < files->n; i++) {
		uint8_t *data;

		if (userpath_expand(files->v[i], pw, path, sizeof(path)) != 0)
			continue;
		why = NULL;
		if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK)) == -1) {
			if (errno == ENOENT)
				continue;
			why = strerror(errno);
		} else if (fstat(fd, &st) == -1)
			why = strerror(errno);
		else if ((why = userpath_strict_modes(path, &st, pw)) == NULL &&
		    st.st_size > USERKEYS_FILE_MAX)
			why = "file too large";
		if (why != NULL) {
			if (fd != -1)
				close(fd);
			if (buf_put_u8(b, 0) != 0 || buf_put_cstring(b, path) ||
			    buf_put_cstring(b, why) != 0)
				_exit(1);
			continue;
		}
		if (buf_put_u8(b, 1) != 0 || buf_put_cstring(b, path) != 0 ||
		    buf_put_u32(b, 0) != 0)
			_exit(1);
		{
			size_t lenpos = buf_len(b) - 4, got = 0;

			for (;;) {
				if (buf_reserve(b, 65536, &data) != 0)
					_exit(1);
				n = read(fd, data, 65536);
				if (n < 0 && errno == EINTR)
					n = 0;
				buf_consume_end(b, 65536 - (n > 0 ? (size_t)n : 0));
				if (n <= 0)
					break;
				got += (size_t)n;
				if (got > USERKEYS_FILE_MAX)
					_exit(1);
			}
			if (buf_poke_u32(b, lenpos, (uint32_t)got) != 0)
				_exit(1);
		}
		close(fd);
	}
	if (userproc_write_all(out, buf_ptr(b), buf_len(b)) != 0)
		_exit(1);
	_exit(0);
}

static int
match_lines(const char *path, char *text, const struct buf *blob, int ca,
    const char *client_addr, struct authkeys_entry **foundp,
    unsigned long *linep)
{
	struct authkeys_entry *e;
	struct buf *kb;
	char *line, *next = text;
	const char *why;
	unsigned long lineno = 0;
	int r, same;

	while ((line = strsep(&next, "\n")) != NULL) {
		lineno++;
		if ((r = authkeys_parse_line(line, &e, &why)) ==
		    AUTHKEYS_LINE_EMPTY)
			continue;
		if (r != 0) {
			log_info("%s:%lu: %s", path, lineno, why);
			continue;
		}
		/* A CA line vouches for certificates only, never for a
		 * plain key; a plain key line never for a certificate. */
		if (e->ae_opts.ao_cert_authority != ca) {
			authkeys_entry_free(e);
			continue;
		}
		if ((kb = buf_new()) == NULL) {
			authkeys_entry_free(e);
			return SSH_ERR_ALLOC_FAIL;
		}
		same = key_to_blob(e->ae_key, kb) == 0 &&
		    buf_equals(kb, blob) == 0;
		buf_free(kb);
		if (same && authkeys_check(e, client_addr, time(NULL),
		    &why) != 0) {
			log_info("%s:%lu: key refused: %s", path, lineno, why);
			same = 0;
		}
		if (same) {
			*foundp = e;
			*linep = lineno;
			return 0;
		}
		authkeys_entry_free(e);
	}
	return SSH_ERR_KEY_NOT_FOUND;
}

/*
 * The next record of the reading helper from in: *pathp the file (the
 * caller's to free, replaced on each call) and *textp its contents (the
 * caller frees), or NULL for a file that was refused or holds a NUL
 * (logged).  An error for a record the helper could not have written.
 */
static int
next_file(const struct passwd *pw, struct buf *in, char **pathp,
    char **textp)
{
	struct buf *sub;
	char *why;
	uint8_t status;

	*textp = NULL;
	free(*pathp);
	*pathp = NULL;
	if (buf_get_u8(in, &status) != 0 ||
	    buf_get_cstring(in, pathp, NULL) != 0)
		return SSH_ERR_INVALID_FORMAT;
	if (status == 0) {
		if (buf_get_cstring(in, &why, NULL) != 0)
			return SSH_ERR_INVALID_FORMAT;
		log_info("Authentication refused for %s: %s: %s",
		    pw->pw_name, *pathp, why);
		free(why);
		return 0;
	}
	if (buf_froms(in, &sub) != 0)
		return SSH_ERR_INVALID_FORMAT;
	*textp = buf_dup_string(sub);
	buf_free(sub);
	if (*textp == NULL)
		log_info("%s: contains NUL bytes; ignored", *pathp);
	return 0;
}

/* Runs the reading helper over files; *inp: its records. */
static int
read_files(const struct passwd *pw, const struct strlist *files,
    struct buf **inp)
{
	struct buf *in = NULL;
	pid_t pid;
	int fds[2], r;

	*inp = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (pid == 0) {
		/* Holds nothing of the monitor's: only the pipe stays open. */
		if (dup2(fds[1], STDOUT_FILENO) == -1 ||
		    userproc_isolate() != 0 || userproc_become(pw) != 0)
			_exit(1);
		helper_read(STDOUT_FILENO, pw, files);
	}
	close(fds[1]);
	r = userproc_read_until(fds[0], USERKEYS_TOTAL_MAX, login_deadline != 0 ?
	    login_deadline : monotime_ms() + USERKEYS_WAIT_MS, &in);
	close(fds[0]);
	if (r != 0) {
		/* Timed out, or too much: it may be stopped, or still
		 * writing; it is not waited for. */
		if (r == SSH_ERR_CONN_TIMEOUT)
			log_info("Authentication refused for %s: reading "
			    "authorized_keys did not finish in time; the "
			    "helper was killed", pw->pw_name);
		userproc_kill(pid);
		return r;
	}
	if (userproc_wait(pid) != 0) {
		buf_free(in);
		return SSH_ERR_SYSTEM_ERROR;
	}
	*inp = in;
	return 0;
}

/* One file's principal lines: "[options ]principal" (OpenSSH's
 * AuthorizedPrincipalsFile); the first naming one of c's principals, with
 * options that allow client_addr now, becomes *foundp (no key). */
static int
match_principals(const char *path, char *text, const struct sshcert *c,
    const char *client_addr, struct authkeys_entry **foundp)
{
	struct authkeys_opts *o;
	struct authkeys_entry *e;
	char *line, *next = text, *name, *sp;
	const char *why;
	unsigned long lineno = 0;
	size_t len;

	while ((line = strsep(&next, "\n")) != NULL) {
		lineno++;
		len = strlen(line);
		while (len > 0 && (line[len - 1] == '\r' ||
		    line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#')
			continue;
		if (len > AUTHKEYS_LINE_MAX) {
			log_info("%s:%lu: line too long", path, lineno);
			continue;
		}
		name = line;
		o = NULL;
		/* The principal follows the last space or tab. */
		for (sp = NULL, name = line; *name != '\0'; name++)
			if (*name == ' ' || *name == '\t')
				sp = name;
		name = line;
		if (sp != NULL) {
			name = sp + 1;
			while (sp > line && (sp[-1] == ' ' || sp[-1] == '\t'))
				sp--;
			*sp = '\0';
			if (authkeys_opts_parse(line, &o, &why) != 0) {
				log_info("%s:%lu: %s", path, lineno, why);
				continue;
			}
		}
		if (!cert_has_principal(c, name)) {
			authkeys_opts_free(o);
			continue;
		}
		if (o == NULL && (o = authkeys_opts_new()) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		if (authkeys_opts_check(o, client_addr, time(NULL),
		    &why) != 0) {
			log_info("%s:%lu: principal refused: %s", path, lineno,
			    why);
			authkeys_opts_free(o);
			continue;
		}
		if ((e = calloc(1, sizeof(*e))) == NULL) {
			authkeys_opts_free(o);
			return SSH_ERR_ALLOC_FAIL;
		}
		/* The options move into the entry; their shell is freed. */
		e->ae_opts = *o;
		free(o);
		log_debug("%s:%lu: matching principal %s found", path, lineno,
		    name);
		*foundp = e;
		return 0;
	}
	return SSH_ERR_KEY_NOT_FOUND;
}

static int
principals_file_find(const struct passwd *pw, const char *file,
    const struct sshcert *c, const char *client_addr,
    struct authkeys_entry **entryp)
{
	struct buf *in = NULL;
	char *path = NULL, *text, *one[1];
	struct strlist files;
	int r;

	*entryp = NULL;
	if ((one[0] = strdup(file)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	files.v = one;
	files.n = 1;
	r = read_files(pw, &files, &in);
	free(one[0]);
	if (r != 0)
		return r;
	r = SSH_ERR_KEY_NOT_FOUND;
	if (buf_len(in) == 0)
		log_info("Authentication refused for %s: no principals file "
		    "%s", pw->pw_name, file);
	while (buf_len(in) > 0 && *entryp == NULL) {
		if ((r = next_file(pw, in, &path, &text)) != 0)
			break;
		r = SSH_ERR_KEY_NOT_FOUND;
		if (text == NULL)
			continue;
		r = match_principals(path, text, c, client_addr, entryp);
		free(text);
		if (r != 0 && r != SSH_ERR_KEY_NOT_FOUND)
			break;
	}
	free(path);
	buf_free(in);
	return r;
}

int
userkeys_principals(const struct passwd *pw, const char *file,
    const char *cmd, const char *cmduser, const struct sshcert *c,
    const char *client_addr, struct authkeys_entry **entryp)
{
	struct buf *blob = NULL;
	char *text = NULL, *prog = NULL;
	int r = SSH_ERR_KEY_NOT_FOUND;

	*entryp = NULL;
	if (file != NULL && *file != '\0')
		r = principals_file_find(pw, file, c, client_addr, entryp);
	if (r != SSH_ERR_KEY_NOT_FOUND || cmd == NULL || *cmd == '\0')
		return r;
	/* %t %f %k: the certified key, the one the client holds. */
	if ((blob = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = key_to_blob(cert_key(c), blob)) == 0 &&
	    (r = usercmd_run("auth.authorized_principals_command", pw, cmd,
	    cmduser != NULL ? cmduser : "", blob, login_deadline, &text,
	    &prog)) == 0)
		r = match_principals(prog, text, c, client_addr, entryp);
	free(text);
	free(prog);
	buf_free(blob);
	return r;
}

static int
files_find(const struct passwd *pw, const struct strlist *files,
    const struct buf *blob, int ca, const char *client_addr,
    struct authkeys_entry **entryp)
{
	struct buf *in = NULL;
	char *path = NULL, *text;
	unsigned long line = 0;
	int r;

	*entryp = NULL;
	if ((r = read_files(pw, files, &in)) != 0)
		return r;
	r = SSH_ERR_KEY_NOT_FOUND;
	while (buf_len(in) > 0 && *entryp == NULL) {
		if ((r = next_file(pw, in, &path, &text)) != 0)
			goto out;
		r = SSH_ERR_KEY_NOT_FOUND;
		if (text == NULL)
			continue;
		r = match_lines(path, text, blob, ca, client_addr, entryp,
		    &line);
		free(text);
		if (r == 0)
			log_debug("%s:%lu: matching key found", path, line);
		else if (r != SSH_ERR_KEY_NOT_FOUND)
			goto out;
	}
 out:
	free(path);
	buf_free(in);
	return r;
}

static int
command_find(const struct passwd *pw, const char *cmd, const char *cmduser,
    const struct buf *blob, int ca, const char *client_addr,
    struct authkeys_entry **entryp)
{
	char *text, *prog;
	unsigned long line = 0;
	int r;

	if ((r = usercmd_run("auth.authorized_keys_command", pw, cmd, cmduser,
	    blob, login_deadline, &text, &prog)) != 0)
		return r;
	r = match_lines("auth.authorized_keys_command", text, blob, ca,
	    client_addr, entryp, &line);
	if (r == 0)
		log_debug("auth.authorized_keys_command %s:%lu: matching key "
		    "found", prog, line);
	free(text);
	free(prog);
	return r;
}

int
userkeys_find(const struct passwd *pw, const struct strlist *files,
    const char *cmd, const char *cmduser, const struct buf *blob, int ca,
    const char *client_addr, struct authkeys_entry **entryp)
{
	int r;

	r = files_find(pw, files, blob, ca, client_addr, entryp);
	if (r != SSH_ERR_KEY_NOT_FOUND || cmd == NULL || *cmd == '\0')
		return r;
	return command_find(pw, cmd, cmduser != NULL ? cmduser : "", blob, ca,
	    client_addr, entryp);
}
