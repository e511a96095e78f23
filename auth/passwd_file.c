/*
 * passwd_file.c: the "file" password back end (see passwd_file.h).
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "auth/passwd_file.h"
#include "auth/pwcrypt.h"
#include "protocol/buf.h"
#include "protocol/ssherr.h"

/* For an empty file: yescrypt at libxcrypt's default cost, of a password
 * nobody knows (it is never accepted anyway). */
#define PWFILE_DUMMY_HASH \
	"$y$j9T$vFuq22hwwUGTX6v1awsGk1$XRg726677lIzXxj6oPOpsRQRpN72Z5CUXoCjx0qv8j2"

struct pwfile_entry {
	char *pe_user;
	char *pe_hash;
	size_t pe_line;
};

struct pwfile {
	struct pwfile_entry *pf_entries;
	size_t pf_n;
};

void
pwfile_free(struct pwfile *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->pf_n; i++) {
		free(f->pf_entries[i].pe_user);
		freezero(f->pf_entries[i].pe_hash,
		    strlen(f->pf_entries[i].pe_hash));
	}
	free(f->pf_entries);
	free(f);
}

size_t
pwfile_count(const struct pwfile *f)
{
	return f == NULL ? 0 : f->pf_n;
}

/* Opens path and checks what it is and who may change it; *bp gets the
 * contents. */
static int
read_file(const char *path, struct buf *errs, struct buf **bp)
{
	struct buf *b = NULL;
	struct stat st;
	uint8_t *p;
	ssize_t n;
	size_t got = 0;
	int fd = -1, r = SSH_ERR_INTERNAL_ERROR;

	*bp = NULL;
	/* O_NONBLOCK: a FIFO planted here must not hang the daemon. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1 ||
	    fstat(fd, &st) == -1) {
		r = buf_putf(errs, "%s: %s\n", path, strerror(errno));
		r = r != 0 ? r : SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = buf_putf(errs, "%s: not a regular file\n", path);
		r = r != 0 ? r : SSH_ERR_KEY_BAD_PERMISSIONS;
		goto out;
	}
	if (st.st_uid != 0 && (geteuid() == 0 || st.st_uid != geteuid())) {
		r = buf_putf(errs, "%s: owned by uid %lu, expected root\n",
		    path, (unsigned long)st.st_uid);
		r = r != 0 ? r : SSH_ERR_KEY_BAD_PERMISSIONS;
		goto out;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		r = buf_putf(errs, "%s: mode %04o is writable by group or "
		    "others, expected at most 0644\n", path,
		    (unsigned int)(st.st_mode & 07777));
		r = r != 0 ? r : SSH_ERR_KEY_BAD_PERMISSIONS;
		goto out;
	}
	if (st.st_size > PWFILE_SIZE_MAX) {
		r = buf_putf(errs, "%s: larger than %d bytes\n", path,
		    PWFILE_SIZE_MAX);
		r = r != 0 ? r : SSH_ERR_LIMIT_EXCEEDED;
		goto out;
	}
	if ((b = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	/* One byte more than allowed, to notice a file that grew. */
	if ((r = buf_reserve(b, PWFILE_SIZE_MAX + 1, &p)) != 0)
		goto out;
	while (got < PWFILE_SIZE_MAX + 1) {
		n = read(fd, p + got, PWFILE_SIZE_MAX + 1 - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			r = buf_putf(errs, "%s: %s\n", path, strerror(errno));
			r = r != 0 ? r : SSH_ERR_SYSTEM_ERROR;
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > PWFILE_SIZE_MAX) {
		r = buf_putf(errs, "%s: larger than %d bytes\n", path,
		    PWFILE_SIZE_MAX);
		r = r != 0 ? r : SSH_ERR_LIMIT_EXCEEDED;
		goto out;
	}
	if ((r = buf_consume_end(b, PWFILE_SIZE_MAX + 1 - got)) != 0)
		goto out;
	*bp = b;
	b = NULL;
	r = 0;
 out:
	if (fd != -1)
		close(fd);
	buf_free(b);
	return r;
}

static int
user_valid(const char *u)
{
	size_t n;

	for (n = 0; u[n] != '\0'; n++) {
		/* printable ASCII, no space: safe to echo in messages */
		if (u[n] <= ' ' || u[n] > '~')
			return 0;
	}
	return n > 0 && n <= PWFILE_USER_MAX;
}

/* Checks one line (NUL-terminated, no newline) and adds its entry;
 * problems are appended to errs and counted in *nbad. */
static int
parse_line(struct pwfile *f, const char *path, size_t lineno, char *line,
    struct buf *errs, size_t *nbad)
{
	struct pwfile_entry *e;
	char *colon, *hash;
	const char *why = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR, v;

	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if ((colon = strchr(line, ':')) == NULL) {
		why = "no ':' between user name and hash";
		goto bad;
	}
	*colon = '\0';
	hash = colon + 1;
	if (line[0] == '\0') {
		why = "empty user name";
		goto bad;
	}
	if (!user_valid(line)) {
		why = "invalid user name (printable ASCII without spaces, "
		    "at most 256 characters)";
		goto bad;
	}
	if ((v = pwcrypt_hash_valid(hash)) != 0) {
		if (v == SSH_ERR_FEATURE_UNSUPPORTED)
			r = buf_putf(errs, "%s:%zu: unsupported password hash "
			    "for user \"%s\" (expected $y$, $gy$, $7$, $6$ or "
			    "$2b$)\n", path, lineno, line);
		else
			r = buf_putf(errs, "%s:%zu: malformed %s hash for user "
			    "\"%s\"\n", path, lineno,
			    pwcrypt_method_name(hash), line);
		(*nbad)++;
		return r;
	}
	for (i = 0; i < f->pf_n; i++) {
		if (strcmp(f->pf_entries[i].pe_user, line) == 0) {
			(*nbad)++;
			return buf_putf(errs, "%s:%zu: duplicate user \"%s\" "
			    "(first on line %zu)\n", path, lineno, line,
			    f->pf_entries[i].pe_line);
		}
	}
	if (f->pf_n >= PWFILE_ENTRIES_MAX) {
		(*nbad)++;
		return buf_putf(errs, "%s:%zu: more than %d users\n", path,
		    lineno, PWFILE_ENTRIES_MAX);
	}
	if ((e = reallocarray(f->pf_entries, f->pf_n + 1,
	    sizeof(*e))) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	f->pf_entries = e;
	e = &f->pf_entries[f->pf_n];
	e->pe_line = lineno;
	e->pe_user = strdup(line);
	e->pe_hash = strdup(hash);
	if (e->pe_user == NULL || e->pe_hash == NULL) {
		free(e->pe_user);
		free(e->pe_hash);
		return SSH_ERR_ALLOC_FAIL;
	}
	f->pf_n++;
	return 0;
 bad:
	(*nbad)++;
	return buf_putf(errs, "%s:%zu: %s\n", path, lineno, why);
}

int
pwfile_load(const char *path, struct pwfile **fp, char **errsp)
{
	struct pwfile *f = NULL;
	struct buf *b = NULL, *errs = NULL;
	char line[PWFILE_LINE_MAX + 1];
	const uint8_t *nl;
	size_t lineno = 0, nbad = 0, n;
	int r = SSH_ERR_INTERNAL_ERROR;

	*fp = NULL;
	if (errsp != NULL)
		*errsp = NULL;
	if ((errs = buf_new()) == NULL ||
	    (f = calloc(1, sizeof(*f))) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = read_file(path, errs, &b)) != 0)
		goto out;
	while (buf_len(b) > 0) {
		lineno++;
		nl = memchr(buf_ptr(b), '\n', buf_len(b));
		n = nl == NULL ? buf_len(b) : (size_t)(nl - buf_ptr(b));
		if (n > PWFILE_LINE_MAX) {
			nbad++;
			if ((r = buf_putf(errs, "%s:%zu: longer than %d "
			    "characters\n", path, lineno, PWFILE_LINE_MAX)) != 0 ||
			    (r = buf_consume(b, n)) != 0)
				goto out;
		} else {
			if ((r = buf_get(b, line, n)) != 0)
				goto out;
			line[n] = '\0';
			if (memchr(line, '\0', n) != NULL) {
				nbad++;
				r = buf_putf(errs, "%s:%zu: contains a NUL "
				    "byte\n", path, lineno);
			} else
				r = parse_line(f, path, lineno, line, errs,
				    &nbad);
			if (r != 0)
				goto out;
		}
		if (nl != NULL && (r = buf_consume(b, 1)) != 0)
			goto out;
	}
	if (nbad > 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	*fp = f;
	f = NULL;
	r = 0;
 out:
	explicit_bzero(line, sizeof(line));
	if (r != 0 && errsp != NULL && errs != NULL && buf_len(errs) > 0)
		*errsp = buf_dup_string(errs);
	buf_free(errs);
	buf_free(b);
	pwfile_free(f);
	return r;
}

int
pwfile_verify(const struct pwfile *f, const char *user,
    const char *password, size_t len, enum pw_result *res)
{
	const char *hash = PWFILE_DUMMY_HASH;
	size_t i;
	int known = 0, match = 0, r = SSH_ERR_INTERNAL_ERROR;

	*res = PW_ERROR;
	if (f == NULL || user == NULL || (password == NULL && len != 0))
		return SSH_ERR_INVALID_ARGUMENT;
	if (f->pf_n > 0)
		hash = f->pf_entries[0].pe_hash;
	for (i = 0; i < f->pf_n; i++) {
		if (strcmp(f->pf_entries[i].pe_user, user) == 0) {
			hash = f->pf_entries[i].pe_hash;
			known = 1;
			break;
		}
	}
	/* Empty passwords are refused outright, whoever asks. */
	if (len == 0) {
		*res = PW_FAIL;
		return 0;
	}
	if ((r = pwcrypt_verify(hash, password, len, &match)) != 0)
		return r;
	*res = known && match ? PW_OK : PW_FAIL;
	return 0;
}

int
pwfile_check(const char *path, const char *user, const char *password,
    size_t len, enum pw_result *res, char **msg)
{
	struct pwfile *f = NULL;
	char *errs = NULL, *nl;
	int r = SSH_ERR_INTERNAL_ERROR;

	*res = PW_ERROR;
	*msg = NULL;
	if (path == NULL || *path == '\0')
		return SSH_ERR_INVALID_ARGUMENT;
	if ((r = pwfile_load(path, &f, &errs)) != 0) {
		if (r == SSH_ERR_ALLOC_FAIL) {
			free(errs);
			return r;
		}
		if (errs != NULL && (nl = strchr(errs, '\n')) != NULL)
			*nl = '\0';
		*msg = errs;
		return 0;
	}
	r = pwfile_verify(f, user, password, len, res);
	pwfile_free(f);
	return r;
}
