/* cfgsum.c: SHA-256 of the config file (cfgsum.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "daemon/cfgsum.h"
#include "protocol/ssherr.h"

int
cfgsum_file(const char *path, char hex[CFGSUM_HEX_LEN])
{
	EVP_MD_CTX *ctx = NULL;
	unsigned char buf[8192], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	ssize_t n;
	int fd = -1, r = SSH_ERR_INTERNAL_ERROR, saved_errno;

	hex[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		r = SSH_ERR_SYSTEM_ERROR;
		goto out;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		r = SSH_ERR_ALLOC_FAIL;
		goto out;
	}
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	for (;;) {
		if ((n = read(fd, buf, sizeof(buf))) == -1) {
			if (errno == EINTR)
				continue;
			r = SSH_ERR_SYSTEM_ERROR;
			goto out;
		}
		if (n == 0)
			break;
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
			r = SSH_ERR_LIBCRYPTO_ERROR;
			goto out;
		}
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 ||
	    mdlen * 2 + 1 != CFGSUM_HEX_LEN) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto out;
	}
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	r = 0;
 out:
	saved_errno = errno;
	EVP_MD_CTX_free(ctx);
	if (fd != -1)
		close(fd);
	errno = saved_errno;
	return r;
}
