/* hostcert.c: host certificates paired with their host keys. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/hostcert.h"
#include "common/keyfile.h"
#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/ssherr.h"

/* The file's one line, without the line end; trailing blank lines are
 * allowed, anything else after the line is not. */
static int
read_line(const char *path, char **linep)
{
	struct buf *b = NULL;
	char *s = NULL, *nl;
	int r = SSH_ERR_INTERNAL_ERROR;

	*linep = NULL;
	if ((r = keyfile_read(path, 0, &b)) != 0)
		goto out;
	if ((s = buf_dup_string(b)) == NULL) {
		/* An embedded NUL, or no memory. */
		r = buf_len(b) != 0 && memchr(buf_ptr(b), '\0', buf_len(b)) ?
		    SSH_ERR_INVALID_FORMAT : SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if ((nl = strpbrk(s, "\r\n")) != NULL) {
		if (nl[strspn(nl, " \t\r\n")] != '\0') {
			r = SSH_ERR_INVALID_FORMAT;
			goto out;
		}
		*nl = '\0';
	}
	*linep = s;
	s = NULL;
	r = 0;
 out:
	free(s);
	buf_free(b);
	return r;
}

int
hostcert_load(const char *path, const struct sshkey *const *keys,
    size_t nkeys, struct sshcert *const *certs, struct sshcert **certp,
    size_t *idxp, const char **whyp)
{
	struct sshcert *cert = NULL;
	char *line = NULL;
	size_t i;
	int r = SSH_ERR_INTERNAL_ERROR;

	*certp = NULL;
	*whyp = "internal error";
	if ((r = read_line(path, &line)) != 0) {
		*whyp = r == SSH_ERR_SYSTEM_ERROR ? strerror(errno) :
		    ssh_err(r);
		goto out;
	}
	if ((r = cert_from_public_line(line, &cert, NULL)) != 0) {
		*whyp = ssh_err(r);
		goto out;
	}
	if (cert_type(cert) != CERT_TYPE_HOST) {
		r = SSH_ERR_KEY_CERT_INVALID;
		*whyp = "not a host certificate (sign it with ssh-keygen -h)";
		goto out;
	}
	if ((r = cert_verify_signature(cert)) != 0) {
		*whyp = r == SSH_ERR_SIGN_ALG_UNSUPPORTED ?
		    "the CA signed it with ssh-rsa (SHA-1)" :
		    "bad CA signature";
		goto out;
	}
	for (i = 0; i < nkeys; i++) {
		if (cert_check_key(cert, keys[i]) == 0)
			break;
	}
	if (i == nkeys) {
		r = SSH_ERR_KEY_CERT_MISMATCH;
		*whyp = "it certifies none of the host_keys";
		goto out;
	}
	if (certs != NULL && certs[i] != NULL) {
		r = SSH_ERR_KEY_CERT_INVALID;
		*whyp = "its host key already has a certificate";
		goto out;
	}
	*certp = cert;
	*idxp = i;
	cert = NULL;
	*whyp = NULL;
	r = 0;
 out:
	cert_free(cert);
	free(line);
	return r;
}
