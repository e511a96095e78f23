/*
 * keylist.c: auth.trusted_user_ca_keys and auth.revoked_keys, read by the
 * monitor (see keylist.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "privsep/keylist.h"
#include "privsep/userproc.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/krl.h"
#include "protocol/ssherr.h"

/* Reads the whole file; failures are logged here. */
static int
keylist_read(const char *path, struct buf **bp)
{
	int fd, r = SSH_ERR_INTERNAL_ERROR;

	*bp = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		log_error("%s: %s", path, strerror(errno));
		return SSH_ERR_SYSTEM_ERROR;
	}
	if ((r = userproc_read_all(fd, KEYLIST_FILE_MAX, bp)) != 0)
		log_error("%s: unreadable: %s", path, ssh_err(r));
	close(fd);
	return r;
}

/* *foundp: whether key is one of the public key lines in b. */
static int
lines_find(const struct buf *b, const struct sshkey *key, int *foundp)
{
	struct sshkey *k;
	char *text, *line, *next;

	*foundp = 0;
	if ((text = buf_dup_string(b)) == NULL)
		return SSH_ERR_INVALID_FORMAT;	/* a NUL: not a text file */
	for (next = text; !*foundp && (line = strsep(&next, "\n")) != NULL;) {
		line += strspn(line, " \t");
		if (*line == '#' || *line == '\0' ||
		    key_from_public_line(line, &k, NULL) != 0)
			continue;
		*foundp = key_equal_public(k, key) == 0;
		key_free(k);
	}
	free(text);
	return 0;
}

int
keylist_find(const char *path, const struct sshkey *key)
{
	struct buf *b = NULL;
	int found = 0;

	if (path == NULL || *path == '\0')
		return 0;
	if (keylist_read(path, &b) == 0 && lines_find(b, key, &found) != 0)
		log_error("%s: unreadable: not a text file", path);
	buf_free(b);
	return found;
}

/* Exactly one of key and cert is non-NULL. */
static int
revoked(const char *path, const struct sshkey *key,
    const struct sshcert *cert)
{
	struct buf *b = NULL;
	struct krl *krl = NULL;
	int r = SSH_ERR_INTERNAL_ERROR, found = 0;

	if (path == NULL || *path == '\0')
		return 0;
	if ((r = keylist_read(path, &b)) != 0)
		goto out;
	if (krl_has_magic(buf_ptr(b), buf_len(b))) {
		if ((r = krl_parse(b, &krl)) != 0) {
			log_error("%s: invalid KRL: %s", path, ssh_err(r));
			goto out;
		}
		r = cert != NULL ? krl_check_cert(krl, cert) :
		    krl_check_key(krl, key);
		if (r == SSH_ERR_KEY_REVOKED) {
			found = 1;
			r = 0;
		}
	} else if (cert != NULL) {
		if ((r = lines_find(b, cert_key(cert), &found)) == 0 &&
		    !found)
			r = lines_find(b, cert_ca(cert), &found);
	} else
		r = lines_find(b, key, &found);
	if (r != 0)
		log_error("%s: %s", path, ssh_err(r));
 out:
	krl_free(krl);
	buf_free(b);
	return r != 0 || found;
}

int
keylist_key_revoked(const char *path, const struct sshkey *key)
{
	return revoked(path, key, NULL);
}

int
keylist_cert_revoked(const char *path, const struct sshcert *cert)
{
	return revoked(path, NULL, cert);
}
