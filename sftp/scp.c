/*
 * scp.c: the legacy SCP sink (-t) and source (-f) over the vfs.  Every
 * path goes through the vfs, so mounts, read-only access and containment
 * apply exactly as for SFTP.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "protocol/ssherr.h"
#include "sftp/scp.h"
#include "sftp/vfs.h"

#define SCP_CHUNK	(64 * 1024)
#define SCP_DEPTH_MAX	64	/* nested D lines */

struct scp {
	const struct scp_cmd *cmd;
	const struct vfs *vfs;
	int in, out;
	sftp_log_fn *log;
	void *log_ctx;
	int failed;
	uint8_t *chunk;
};

static void
scp_log(struct scp *s, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
scp_log(struct scp *s, int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (s->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	s->log(s->log_ctx, level, line);
}

static int
write_all(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, b, len)) < 0) {
			if (errno == EINTR)
				continue;
			return SSH_ERR_SYSTEM_ERROR;
		}
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads exactly len bytes; SSH_ERR_CONN_CLOSED on EOF. */
static int
read_all(int fd, void *p, size_t len)
{
	uint8_t *b = p;
	ssize_t n;

	while (len > 0) {
		if ((n = read(fd, b, len)) < 0) {
			if (errno == EINTR)
				continue;
			return SSH_ERR_SYSTEM_ERROR;
		}
		if (n == 0)
			return SSH_ERR_CONN_CLOSED;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
send_ok(struct scp *s)
{
	return write_all(s->out, "", 1);
}

/* Tells the peer about a failure that does not end the transfer. */
static int
send_err(struct scp *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
send_err(struct scp *s, const char *fmt, ...)
{
	char msg[SCP_LINE_MAX], line[SCP_LINE_MAX + 16];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->failed = 1;
	scp_log(s, LOG_LVL_INFO, "scp: %s", msg);
	n = snprintf(line, sizeof(line), "\1scp: %s\n", msg);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	return write_all(s->out, line, (size_t)n);
}

/* One line up to '\n' (not kept); 1 at a clean EOF before any byte. */
static int
read_line(struct scp *s, char *line, size_t *lenp)
{
	size_t len = 0;
	char ch;
	ssize_t n;

	for (;;) {
		if ((n = read(s->in, &ch, 1)) < 0) {
			if (errno == EINTR)
				continue;
			return SSH_ERR_SYSTEM_ERROR;
		}
		if (n == 0)
			return len == 0 ? 1 : SSH_ERR_CONN_CLOSED;
		if (ch == '\n')
			break;
		if (len >= SCP_LINE_MAX)
			return SSH_ERR_STRING_TOO_LARGE;
		line[len++] = ch;
	}
	*lenp = len;
	return 0;
}

/*
 * The peer's answer: 0 ok, 1 its error (logged), or a negative code when
 * it gave up or is lost.
 */
static int
response(struct scp *s)
{
	char line[SCP_LINE_MAX + 1];
	struct scp_ctl c;
	size_t len;
	uint8_t b;
	int r;

	if ((r = read_all(s->in, &b, 1)) != 0)
		return r;
	if (b == 0)
		return 0;
	line[0] = (char)b;
	if (read_line(s, line + 1, &len) != 0 ||
	    scp_ctl_parse(line, len + 1, &c) != 0 ||
	    (c.c_type != SCP_CTL_WARN && c.c_type != SCP_CTL_FATAL))
		return SSH_ERR_PROTOCOL_ERROR;
	scp_log(s, LOG_LVL_INFO, "scp: peer: %s", c.c_name);
	return c.c_type == SCP_CTL_WARN ? 1 : SSH_ERR_DISCONNECTED;
}

static char *
path_join(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir,
	    name) < 0)
		return NULL;
	return p;
}

/* ---- sink: the client sends files ---- */

static int sink(struct scp *s, const char *target, int depth);

static void
set_times(struct scp *s, const char *path, const struct scp_ctl *t)
{
	struct vfs_attr a;

	memset(&a, 0, sizeof(a));
	a.flags = VFS_ATTR_ACMODTIME;
	a.atime = (uint32_t)t->c_atime;
	a.mtime = (uint32_t)t->c_mtime;
	if (vfs_setstat(s->vfs, path, 1, &a) != 0)
		scp_log(s, LOG_LVL_INFO, "scp: times of %s: %s", path,
		    strerror(errno));
}

/* Receives the data of a C line into path. */
static int
sink_file(struct scp *s, const char *path, const struct scp_ctl *c,
    const struct scp_ctl *times)
{
	uint64_t left = c->c_size;
	size_t want;
	int fd = -1, modifiable, werr = 0, r = SSH_ERR_INTERNAL_ERROR;
	mode_t mode = c->c_mode & 07777;

	if (vfs_open(s->vfs, path, O_WRONLY | O_CREAT | O_TRUNC,
	    s->cmd->c_preserve ? mode : (mode & 0777), &fd,
	    &modifiable) != 0) {
		scp_log(s, LOG_LVL_VERBOSE, "scp receive \"%s\": %s", path,
		    strerror(errno));
		return send_err(s, "%s: %s", c->c_name, strerror(errno));
	}
	if ((r = send_ok(s)) != 0)
		goto lost;
	while (left > 0) {
		want = left > SCP_CHUNK ? SCP_CHUNK : (size_t)left;
		if ((r = read_all(s->in, s->chunk, want)) != 0)
			goto lost;
		/* After a failed write the rest is read and dropped. */
		if (werr == 0 && write_all(fd, s->chunk, want) != 0)
			werr = errno;
		left -= want;
	}
	if ((r = response(s)) < 0)
		goto lost;
	if (werr == 0 && s->cmd->c_preserve) {
		if (fchmod(fd, mode) != 0)
			werr = errno;
		else if (times != NULL) {
			struct vfs_attr a;

			memset(&a, 0, sizeof(a));
			a.flags = VFS_ATTR_ACMODTIME;
			a.atime = (uint32_t)times->c_atime;
			a.mtime = (uint32_t)times->c_mtime;
			if (vfs_fsetstat(fd, &a) != 0)
				werr = errno;
		}
	}
	if (close(fd) != 0 && werr == 0)
		werr = errno;
	fd = -1;
	scp_log(s, LOG_LVL_VERBOSE, "scp receive \"%s\" bytes %llu: %s", path,
	    (unsigned long long)c->c_size, werr ? strerror(werr) : "ok");
	if (werr != 0)
		return send_err(s, "%s: %s", c->c_name, strerror(werr));
	return send_ok(s);
 lost:
	if (fd >= 0)
		close(fd);
	return r;
}

static int
sink_dir(struct scp *s, const char *path, const struct scp_ctl *c,
    const struct scp_ctl *times, int depth)
{
	struct stat st;
	struct vfs_attr a;
	int r;

	if (!s->cmd->c_recursive)
		return send_err(s, "received directory without -r");
	if (depth >= SCP_DEPTH_MAX)
		return SSH_ERR_LIMIT_EXCEEDED;
	if (vfs_stat(s->vfs, path, 1, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return send_err(s, "%s: Not a directory", c->c_name);
	} else if (vfs_mkdir(s->vfs, path, (c->c_mode & 0777) | 0700) != 0) {
		scp_log(s, LOG_LVL_VERBOSE, "scp mkdir \"%s\": %s", path,
		    strerror(errno));
		return send_err(s, "%s: %s", c->c_name, strerror(errno));
	} else
		scp_log(s, LOG_LVL_VERBOSE, "scp mkdir \"%s\": ok", path);
	if ((r = send_ok(s)) != 0 || (r = sink(s, path, depth + 1)) != 0)
		return r;
	if (s->cmd->c_preserve) {
		memset(&a, 0, sizeof(a));
		a.flags = VFS_ATTR_PERM;
		a.perm = c->c_mode & 07777;
		(void)vfs_setstat(s->vfs, path, 1, &a);
		if (times != NULL)
			set_times(s, path, times);
	}
	return 0;
}

/* Receives into target (a directory, or a file name at depth 0). */
static int
sink(struct scp *s, const char *target, int depth)
{
	char line[SCP_LINE_MAX + 1];
	struct scp_ctl c, t;
	struct stat st;
	size_t len;
	char *path;
	int r = SSH_ERR_INTERNAL_ERROR, have_t = 0, isdir;

	isdir = vfs_stat(s->vfs, target, 1, &st) == 0 && S_ISDIR(st.st_mode);
	for (;;) {
		/* A clean end only between the files at the top. */
		if ((r = read_line(s, line, &len)) != 0)
			return r != 1 ? r : depth == 0 ? 0 :
			    SSH_ERR_CONN_CLOSED;
		if (scp_ctl_parse(line, len, &c) != 0) {
			/* Names with '/' or "..", garbage: the peer is not
			 * to be trusted with anything further. */
			scp_log(s, LOG_LVL_INFO, "scp: refused control line "
			    "(%zu bytes)", len);
			(void)write_all(s->out, "\2scp: protocol error: "
			    "bad control line or file name\n", 52);
			return SSH_ERR_PROTOCOL_ERROR;
		}
		switch (c.c_type) {
		case SCP_CTL_WARN:
			scp_log(s, LOG_LVL_INFO, "scp: peer: %s", c.c_name);
			continue;
		case SCP_CTL_FATAL:
			scp_log(s, LOG_LVL_INFO, "scp: peer: %s", c.c_name);
			return SSH_ERR_DISCONNECTED;
		case SCP_CTL_END:
			if (depth == 0)
				return SSH_ERR_PROTOCOL_ERROR;
			return send_ok(s);
		case SCP_CTL_TIME:
			t = c;
			have_t = 1;
			if ((r = send_ok(s)) != 0)
				return r;
			continue;
		default:
			break;
		}
		if (!isdir && depth == 0 && s->cmd->c_targetdir) {
			if ((r = send_err(s, "%s: Not a directory",
			    target)) != 0)
				return r;
			have_t = 0;
			continue;
		}
		path = isdir ? path_join(target, c.c_name) : strdup(target);
		if (path == NULL)
			return SSH_ERR_ALLOC_FAIL;
		if (c.c_type == SCP_CTL_DIR)
			r = sink_dir(s, path, &c, have_t ? &t : NULL, depth);
		else
			r = sink_file(s, path, &c, have_t ? &t : NULL);
		free(path);
		have_t = 0;
		if (r != 0)
			return r;
	}
}

/* ---- source: the client fetches files ---- */

static int source_path(struct scp *s, const char *path, int depth);

static int
send_line(struct scp *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
send_line(struct scp *s, const char *fmt, ...)
{
	char line[SCP_LINE_MAX + 2];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return SSH_ERR_STRING_TOO_LARGE;
	return write_all(s->out, line, (size_t)n);
}

/* T line when -p; 0, 1 (the peer refused) or a negative code. */
static int
send_times(struct scp *s, const struct stat *st)
{
	int r;

	if (!s->cmd->c_preserve)
		return 0;
	if ((r = send_line(s, "T%llu 0 %llu 0\n",
	    (unsigned long long)st->st_mtime,
	    (unsigned long long)st->st_atime)) != 0)
		return r;
	return response(s);
}

static int
source_file(struct scp *s, const char *path, const char *name,
    const struct stat *st0)
{
	struct stat st;
	uint64_t left, sent = 0;
	size_t want;
	ssize_t n;
	int fd = -1, modifiable, r = SSH_ERR_INTERNAL_ERROR, rerr = 0;

	if (vfs_open(s->vfs, path, O_RDONLY, 0, &fd, &modifiable) != 0)
		return send_err(s, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return send_err(s, "%s: not a regular file", path);
	}
	(void)st0;
	if ((r = send_times(s, &st)) != 0) {
		close(fd);
		return r < 0 ? r : 0;
	}
	if ((r = send_line(s, "C%04o %llu %s\n",
	    (unsigned int)(st.st_mode & 07777),
	    (unsigned long long)st.st_size, name)) != 0)
		goto lost;
	if ((r = response(s)) != 0) {
		close(fd);
		return r < 0 ? r : 0;
	}
	/* The size was announced: a file that shrinks meanwhile is padded
	 * and reported, one that grows is cut. */
	for (left = (uint64_t)st.st_size; left > 0; left -= want) {
		want = left > SCP_CHUNK ? SCP_CHUNK : (size_t)left;
		n = rerr ? 0 : pread(fd, s->chunk, want, (off_t)sent);
		if (n < 0 && errno == EINTR) {
			want = 0;
			continue;
		}
		if (n <= 0 && rerr == 0)
			rerr = n < 0 ? errno : EIO;
		if (n <= 0)
			memset(s->chunk, 0, want);
		else
			want = (size_t)n;
		if ((r = write_all(s->out, s->chunk, want)) != 0)
			goto lost;
		sent += want;
	}
	close(fd);
	fd = -1;
	scp_log(s, LOG_LVL_VERBOSE, "scp send \"%s\" bytes %llu: %s", path,
	    (unsigned long long)sent, rerr ? strerror(rerr) : "ok");
	if (rerr != 0)
		r = send_err(s, "%s: %s", path, strerror(rerr));
	else
		r = send_ok(s);
	if (r != 0 || (r = response(s)) < 0)
		return r;
	return 0;
 lost:
	if (fd >= 0)
		close(fd);
	return r;
}

/* Names of a directory's entries, collected before any is sent so that
 * no directory stays open while recursing. */
struct names {
	char **v;
	size_t n, cap;
};

static void
names_free(struct names *nm)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
	memset(nm, 0, sizeof(*nm));
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The entries of dir without "." and "..", sorted; with pat, only those
 * fnmatch(3) accepts, and none starting with a dot unless pat does.
 * 0, or SSH_ERR_SYSTEM_ERROR with errno set.
 */
static int
dir_names(struct scp *s, const char *dir, const char *pat, struct names *nm)
{
	struct vfs_dir *d = NULL;
	struct stat st;
	const char *name;
	char **nv;
	int r;

	memset(nm, 0, sizeof(*nm));
	if (vfs_opendir(s->vfs, dir, &d) != 0)
		return SSH_ERR_SYSTEM_ERROR;
	while ((r = vfs_dir_next(d, &name, &st)) == 0) {
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    (pat != NULL && ((name[0] == '.' && pat[0] != '.') ||
		    fnmatch(pat, name, FNM_PERIOD) != 0)))
			continue;
		if (nm->n == nm->cap) {
			if ((nv = reallocarray(nm->v, nm->cap ? nm->cap * 2 :
			    32, sizeof(*nv))) == NULL)
				break;
			nm->v = nv;
			nm->cap = nm->cap ? nm->cap * 2 : 32;
		}
		if ((nm->v[nm->n] = strdup(name)) == NULL)
			break;
		nm->n++;
	}
	vfs_dir_close(d);
	if (r <= 0) {
		/* an error listing, or out of memory: never a partial list */
		if (r == 0)
			errno = ENOMEM;
		names_free(nm);
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (nm->n > 0)
		qsort(nm->v, nm->n, sizeof(*nm->v), name_cmp);
	return 0;
}

/* Sends each of the names below dir. */
static int
source_names(struct scp *s, const char *dir, const struct names *nm,
    int depth)
{
	char *child;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < nm->n; i++) {
		if ((child = path_join(dir, nm->v[i])) == NULL)
			return SSH_ERR_ALLOC_FAIL;
		r = source_path(s, child, depth);
		free(child);
	}
	return r;
}

static int
source_dir(struct scp *s, const char *path, const char *name,
    const struct stat *st, int depth)
{
	struct names nm;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (!s->cmd->c_recursive)
		return send_err(s, "%s: is a directory", path);
	if (depth >= SCP_DEPTH_MAX)
		return send_err(s, "%s: too deep", path);
	if (dir_names(s, path, NULL, &nm) != 0)
		return send_err(s, "%s: %s", path, strerror(errno));
	r = send_times(s, st);
	if (r == 0)
		r = send_line(s, "D%04o 0 %s\n",
		    (unsigned int)(st->st_mode & 07777), name);
	if (r == 0)
		r = response(s);
	if (r == 0)
		r = source_names(s, path, &nm, depth + 1);
	if (r == 0)
		r = send_line(s, "E\n");
	if (r == 0)
		r = response(s);
	names_free(&nm);
	return r < 0 ? r : 0;
}

static int
source_path(struct scp *s, const char *path, int depth)
{
	struct stat st;
	char *canon = NULL;
	const char *name;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (vfs_canon(s->vfs, path, &canon) != 0)
		return send_err(s, "%s: bad path", path);
	name = strrchr(canon, '/') + 1;
	if (*name == '\0' || strchr(name, '\n') != NULL) {
		r = send_err(s, "%s: unsupported name", path);
	} else if (vfs_stat(s->vfs, canon, 1, &st) != 0) {
		r = send_err(s, "%s: %s", path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		r = source_dir(s, canon, name, &st, depth);
	} else if (S_ISREG(st.st_mode)) {
		r = source_file(s, canon, name, &st);
	} else
		r = send_err(s, "%s: not a regular file", path);
	free(canon);
	return r;
}

/*
 * A source whose last component is a pattern (as "*.gz") and names
 * nothing literally: the matching entries of its directory, as the shell
 * that OpenSSH's scp relies on would expand it.  Only the last component.
 */
static int
source_glob(struct scp *s, const char *path, int *expandedp)
{
	struct names nm;
	struct stat st;
	const char *pat, *dir;
	char *canon = NULL;
	int r = 0;

	*expandedp = 0;
	if (vfs_canon(s->vfs, path, &canon) != 0)
		return 0;
	pat = strrchr(canon, '/') + 1;
	if (strpbrk(pat, "*?[") == NULL ||
	    vfs_stat(s->vfs, canon, 0, &st) == 0) {
		free(canon);
		return 0;
	}
	*expandedp = 1;
	canon[pat - canon - 1] = '\0';	/* canon is now the directory */
	dir = *canon == '\0' ? "/" : canon;
	if (dir_names(s, dir, pat, &nm) != 0)
		r = send_err(s, "%s: %s", path, strerror(errno));
	else if (nm.n == 0)
		r = send_err(s, "%s: No match", path);
	else
		r = source_names(s, dir, &nm, 0);
	names_free(&nm);
	free(canon);
	return r;
}

int
scp_run(const struct scp_cmd *c, const struct vfs *v, int in, int out,
    sftp_log_fn *log, void *log_ctx)
{
	struct scp s;
	char *target = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	memset(&s, 0, sizeof(s));
	s.cmd = c;
	s.vfs = v;
	s.in = in;
	s.out = out;
	s.log = log;
	s.log_ctx = log_ctx;
	if ((s.chunk = malloc(SCP_CHUNK)) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if (c->c_sink) {
		if (vfs_canon(v, c->c_paths[0], &target) == 0 &&
		    send_ok(&s) == 0)
			r = sink(&s, target, 0);
		free(target);
	} else if (response(&s) == 0) {
		for (i = 0, r = 0; i < c->c_npaths && r == 0; i++) {
			int expanded;

			r = source_glob(&s, c->c_paths[i], &expanded);
			if (r == 0 && !expanded)
				r = source_path(&s, c->c_paths[i], 0);
		}
	}
	free(s.chunk);
	if (r < 0)
		return r;
	return s.failed ? 1 : 0;
}
