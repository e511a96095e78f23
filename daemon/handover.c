/*
 * handover.c: the listener's checked configuration and host keys in a
 * sealed memfd (handover.h).
 *
 * Layout, in buf.h encodings:
 *   string  HANDOVER_MAGIC
 *   string  the configuration (cfg_serialise, common/config_wire.c)
 *   u32     number of host keys, then for each:
 *           string  the private key, openssh-key-v1 without passphrase
 *           u8      1 if a host certificate follows, else 0
 *           string  the certificate blob (when 1)
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "daemon/handover.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

#define HANDOVER_MAGIC		"nanossh-handover-1"
#define HANDOVER_MAX_KEYS	64
#define HANDOVER_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
	F_SEAL_WRITE)

void
handover_clear_keys(struct handover *h)
{
	size_t i;

	for (i = 0; i < h->nkeys; i++) {
		if (h->keys != NULL)
			key_free(h->keys[i]);
		if (h->certs != NULL)
			cert_free(h->certs[i]);
	}
	free(h->keys);
	free(h->certs);
	h->keys = NULL;
	h->certs = NULL;
	h->nkeys = 0;
}

void
handover_clear(struct handover *h)
{
	handover_clear_keys(h);
	cfg_free(h->cfg);
	memset(h, 0, sizeof(*h));
}

int
handover_serialise(const struct handover *h, struct buf *out)
{
	struct buf *tmp = NULL;
	const uint8_t *cb;
	size_t i, cl;
	int r;

	if (h->nkeys > HANDOVER_MAX_KEYS)
		return SSH_ERR_INVALID_ARGUMENT;
	if ((tmp = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_put_cstring(out, HANDOVER_MAGIC)) != 0 ||
	    (r = cfg_serialise(h->cfg, tmp)) != 0 ||
	    (r = buf_put_stringb(out, tmp)) != 0 ||
	    (r = buf_put_u32(out, (uint32_t)h->nkeys)) != 0)
		goto out;
	for (i = 0; i < h->nkeys; i++) {
		buf_reset(tmp);
		if ((r = key_private_to_openssh(h->keys[i], NULL, "",
		    tmp)) != 0 ||
		    (r = buf_put_stringb(out, tmp)) != 0)
			goto out;
		if (h->certs == NULL || h->certs[i] == NULL) {
			if ((r = buf_put_u8(out, 0)) != 0)
				goto out;
			continue;
		}
		cb = cert_blob(h->certs[i], &cl);
		if ((r = buf_put_u8(out, 1)) != 0 ||
		    (r = buf_put_string(out, cb, cl)) != 0)
			goto out;
	}
	r = 0;
 out:
	buf_free(tmp);	/* zeroes the private keys' text */
	return r;
}

int
handover_deserialise(struct buf *in, struct handover *h)
{
	struct buf *sub = NULL;
	char *magic = NULL;
	uint32_t n, i;
	uint8_t has_cert;
	int r;

	memset(h, 0, sizeof(*h));
	if ((r = buf_get_cstring(in, &magic, NULL)) != 0)
		goto out;
	if (strcmp(magic, HANDOVER_MAGIC) != 0) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if ((r = buf_froms(in, &sub)) != 0 ||
	    (r = cfg_deserialise(sub, &h->cfg)) != 0)
		goto out;
	if ((r = buf_expect_end(sub)) != 0)
		goto out;
	buf_free(sub);
	sub = NULL;
	if ((r = buf_get_u32(in, &n)) != 0)
		goto out;
	if (n > HANDOVER_MAX_KEYS) {
		r = SSH_ERR_INVALID_FORMAT;
		goto out;
	}
	if (n > 0 && ((h->keys = calloc(n, sizeof(*h->keys))) == NULL ||
	    (h->certs = calloc(n, sizeof(*h->certs))) == NULL)) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		h->nkeys++;	/* freed by handover_clear from here on */
		if ((r = buf_froms(in, &sub)) != 0 ||
		    (r = key_private_parse(sub, NULL, &h->keys[i], NULL)) != 0)
			goto out;
		buf_free(sub);
		sub = NULL;
		if ((r = buf_get_u8(in, &has_cert)) != 0)
			goto out;
		if (has_cert > 1) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		if (!has_cert)
			continue;
		if ((r = buf_froms(in, &sub)) != 0 ||
		    (r = cert_parse(sub, &h->certs[i])) != 0)
			goto out;
		buf_free(sub);
		sub = NULL;
		/* The listener paired them; a mismatch is corruption. */
		if (key_equal_public(cert_key(h->certs[i]), h->keys[i]) != 0) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
	}
	r = buf_expect_end(in);
 out:
	buf_free(sub);
	free(magic);
	if (r != 0)
		handover_clear(h);
	return r;
}

int
handover_write(const struct handover *h, int *fdp)
{
	struct buf *b = NULL;
	const uint8_t *p;
	size_t len, off = 0;
	ssize_t n;
	int fd = -1, r, e;

	*fdp = -1;
	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = handover_serialise(h, b)) != 0)
		goto out;
	if ((fd = memfd_create("nanosshd-handover",
	    MFD_CLOEXEC | MFD_ALLOW_SEALING)) == -1) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	p = buf_ptr(b);
	len = buf_len(b);
	while (off < len) {
		if ((n = write(fd, p + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			r = SSH_ERR_SYSTEM_ERROR;
			goto out;
		}
		off += (size_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, HANDOVER_SEALS) == -1) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	*fdp = fd;
	fd = -1;
	r = 0;
 out:
	e = errno;
	if (fd != -1)
		close(fd);
	buf_free(b);
	errno = e;
	return r;
}

int
handover_read(int fd, struct handover *h)
{
	struct stat st;
	struct buf *b = NULL;
	uint8_t *p;
	size_t off = 0, len;
	ssize_t n;
	int seals, r, e;

	memset(h, 0, sizeof(*h));
	if ((seals = fcntl(fd, F_GET_SEALS)) == -1 || fstat(fd, &st) == -1)
		return SSH_ERR_SYSTEM_ERROR;
	/* Unsealed, it could change between this reader and the next. */
	if ((seals & HANDOVER_SEALS) != HANDOVER_SEALS ||
	    !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > HANDOVER_MAX_SIZE)
		return SSH_ERR_INVALID_FORMAT;
	len = (size_t)st.st_size;
	if ((b = buf_new()) == NULL)
		return SSH_ERR_ALLOC_FAIL;
	if ((r = buf_reserve(b, len, &p)) != 0)
		goto out;
	while (off < len) {
		if ((n = pread(fd, p + off, len - off, (off_t)off)) == -1) {
			if (errno == EINTR)
				continue;
			r = SSH_ERR_SYSTEM_ERROR;
			goto out;
		}
		if (n == 0) {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		off += (size_t)n;
	}
	r = handover_deserialise(b, h);
 out:
	e = errno;
	buf_free(b);
	errno = e;
	return r;
}
