/*
 * keyfile.c: key files on disk: size-capped reads, the host key permission
 * rule, and writes that never leave a half-written or clobbered key.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "common/keyfile.h"
#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

int
keyfile_read(const char *path, int check_perms, struct buf **bp)
{
	struct buf *b = NULL;
	struct stat st;
	uint8_t chunk[4096];
	ssize_t n;
	int fd = -1, oerrno = 0, r = SSH_ERR_INTERNAL_ERROR;

	if (path == NULL || bp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*bp = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1 ||
	    fstat(fd, &st) == -1) {
		oerrno = errno;
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	/* OpenSSH refuses a private key others could have read. */
	if (check_perms && (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0)) {
		r = SSH_ERR_KEY_BAD_PERMISSIONS;
		goto out;
	}
	if ((b = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	for (;;) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			oerrno = errno;
			r = SSH_ERR_SYSTEM_ERROR;
			goto out;
		}
		if (n == 0)
			break;
		if (buf_len(b) + (size_t)n > KEYFILE_MAX_SIZE) {
			r = SSH_ERR_LIMIT_EXCEEDED;
			goto out;
		}
		if ((r = buf_put(b, chunk, (size_t)n)) != 0)
			goto out;
	}
	*bp = b;
	b = NULL;
	r = 0;
 out:
	explicit_bzero(chunk, sizeof(chunk));
	buf_free(b);
	if (fd != -1)
		close(fd);
	if (oerrno != 0)
		errno = oerrno;
	return r;
}

int
keyfile_load_private(const char *path, const char *passphrase,
    int check_perms, struct sshkey **keyp, char **commentp)
{
	struct buf *b = NULL;
	int r;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if ((r = keyfile_read(path, check_perms, &b)) != 0)
		return r;
	r = key_private_parse(b, passphrase, keyp, commentp);
	buf_free(b);
	return r;
}

int
keyfile_load_public(const char *path, struct sshkey **keyp, char **commentp)
{
	struct buf *b = NULL;
	char *text = NULL, *line, *next;
	int r = SSH_ERR_INTERNAL_ERROR;

	if (keyp == NULL)
		return SSH_ERR_INVALID_ARGUMENT;
	*keyp = NULL;
	if (commentp != NULL)
		*commentp = NULL;
	if ((r = keyfile_read(path, 0, &b)) != 0)
		return r;
	if ((text = buf_dup_string(b)) == NULL) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	/* The first line that is neither blank nor a comment is the key. */
	r = SSH_ERR_INVALID_FORMAT;
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line += strspn(line, " \t\r");
		if (*line == '\0' || *line == '#')
			continue;
		r = key_from_public_line(line, keyp, commentp);
		break;
	}
 out:
	free(text);
	buf_free(b);
	return r;
}

/* Makes the rename itself durable. */
static void
keyfile_sync_dir(const char *path)
{
	char *copy, *dir;
	int fd;

	if ((copy = strdup(path)) == NULL)
		return;
	dir = dirname(copy);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

/*
 * Writes data to a temporary file beside path, created O_EXCL with 0600,
 * fsyncs it and renames it into place; without overwrite the rename
 * refuses to replace an existing path.
 */
static int
keyfile_write_atomic(const char *path, const struct buf *data, mode_t mode,
    int overwrite)
{
	char *tmp = NULL;
	const uint8_t *p = buf_ptr(data);
	size_t off = 0, len = buf_len(data);
	ssize_t n;
	int fd = -1, oerrno = 0, r = SSH_ERR_INTERNAL_ERROR;

	if (asprintf(&tmp, "%s.XXXXXX", path) == -1) {
		tmp = NULL;
		return SSH_ERR_ALLOC_FAIL;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		oerrno = errno;
		free(tmp);
		errno = oerrno;
		return SSH_ERR_SYSTEM_ERROR;
	}
	if (mode != 0600 && fchmod(fd, mode) == -1)
		goto syserr;
	while (off < len) {
		if ((n = write(fd, p + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto syserr;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1)
		goto syserr;
	if (close(fd) == -1) {
		fd = -1;
		goto syserr;
	}
	fd = -1;
	if (overwrite) {
		if (rename(tmp, path) == -1)
			goto syserr;
	} else if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
	    RENAME_NOREPLACE) == -1) {
		if (errno == EEXIST) {
			r = SSH_ERR_FILE_EXISTS;
			goto fail;
		}
		if (errno != EINVAL && errno != ENOSYS)
			goto syserr;
		/* No RENAME_NOREPLACE here: link() refuses to clobber too. */
		if (link(tmp, path) == -1) {
			r = errno == EEXIST ? SSH_ERR_FILE_EXISTS :
			    SSH_ERR_SYSTEM_ERROR;
			oerrno = errno;
			goto fail;
		}
		(void)unlink(tmp);
	}
	keyfile_sync_dir(path);
	free(tmp);
	return 0;
 syserr:
	oerrno = errno;
	r = SSH_ERR_SYSTEM_ERROR;
 fail:
	if (fd != -1)
		close(fd);
	(void)unlink(tmp);
	free(tmp);
	if (oerrno != 0)
		errno = oerrno;
	return r;
}

int
keyfile_save(const char *path, const struct sshkey *key,
    const char *passphrase, const char *comment, int overwrite)
{
	return keyfile_save_cipher(path, key, passphrase, comment, NULL,
	    overwrite);
}

int
keyfile_rewrite_private(const char *path, const struct sshkey *key,
    const char *passphrase, const char *comment, const char *cipher)
{
	struct buf *priv;
	int r;

	if (path == NULL || key == NULL || !key_is_private(key))
		return SSH_ERR_INVALID_ARGUMENT;
	if ((priv = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	buf_set_wipe(priv);
	if ((r = key_private_to_openssh_cipher(key, passphrase, comment,
	    cipher, priv)) == 0)
		r = keyfile_write_atomic(path, priv, 0600, 1);
	buf_free(priv);
	return r;
}

int
keyfile_save_cipher(const char *path, const struct sshkey *key,
    const char *passphrase, const char *comment, const char *cipher,
    int overwrite)
{
	struct buf *priv = NULL, *pub = NULL;
	struct stat st;
	char *pubpath = NULL;
	int oerrno, r = SSH_ERR_INTERNAL_ERROR;

	if (path == NULL || key == NULL || !key_is_private(key))
		return SSH_ERR_INVALID_ARGUMENT;
	if (asprintf(&pubpath, "%s.pub", path) == -1)
		return SSH_ERR_ALLOC_FAIL;
	if ((priv = buf_new()) == NULL || (pub = buf_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((r = key_private_to_openssh_cipher(key, passphrase, comment,
	    cipher, priv)) != 0 ||
	    (r = key_to_public_line(key, comment, pub)) != 0)
		goto out;
	/* Check both names first, so a refusal writes nothing at all. */
	if (!overwrite && (lstat(path, &st) == 0 || lstat(pubpath, &st) == 0)) {
		r = SSH_ERR_FILE_EXISTS;
		goto out;
	}
	if ((r = keyfile_write_atomic(path, priv, 0600, overwrite)) != 0)
		goto out;
	if ((r = keyfile_write_atomic(pubpath, pub, 0644, overwrite)) != 0) {
		/* Do not leave a new private key without its public file. */
		oerrno = errno;
		if (!overwrite)
			(void)unlink(path);
		errno = oerrno;
		goto out;
	}
	r = 0;
 out:
	buf_free(priv);
	buf_free(pub);
	free(pubpath);
	return r;
}
