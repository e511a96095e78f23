/*
 * fuzz_krl.c: libFuzzer target for OpenSSH key revocation lists
 * (protocol/krl.c): the parser, then every check against a certificate and
 * its key and CA.  The certificate is tests/certs/user_ed25519-cert.pub
 * (a test key: it guards nothing): serial 1, key ID "alice-ed25519".
 */
#include <stdint.h>
#include <stdlib.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/krl.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char cert_line[] =
	"ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjA"
	"xQG9wZW5zc2guY29tAAAAICsPc4ZqjLRVAlSoANa4n5fODwGZT/LAnsEOSGgpUVz"
	"3AAAAIDbiLMOS/F+MfeZr+a1dr3B49uiWGreW7fxj61XV8QfHAAAAAAAAAAEAAAA"
	"BAAAADWFsaWNlLWVkMjU1MTkAAAAQAAAABWFsaWNlAAAAA2JvYgAAAAAAAAAA///"
	"///////8AAAAAAAAAggAAABVwZXJtaXQtWDExLWZvcndhcmRpbmcAAAAAAAAAF3B"
	"lcm1pdC1hZ2VudC1mb3J3YXJkaW5nAAAAAAAAABZwZXJtaXQtcG9ydC1mb3J3YXJ"
	"kaW5nAAAAAAAAAApwZXJtaXQtcHR5AAAAAAAAAA5wZXJtaXQtdXNlci1yYwAAAAA"
	"AAAAAAAAAMwAAAAtzc2gtZWQyNTUxOQAAACDm8wk6jDv97e3Kvun9VsRtUjsSQKR"
	"pkZQ97YSV05jYKwAAAFMAAAALc3NoLWVkMjU1MTkAAABAZzUY3qmK7PmCgDobRtJ"
	"ky2C7noem50CDjCBnxd2AGqDbadNb8z0VZSUj4Xma6zawDv6g4aCTrcbUZHRrO7Z"
	"2CQ==";

static void
fuzz_checks(const struct krl *krl)
{
	static struct sshcert *cert;
	int r;

	if (cert == NULL && cert_from_public_line(cert_line, &cert, NULL) != 0)
		abort();
	(void)krl_version(krl);
	if (krl_comment(krl) == NULL)
		abort();
	if ((r = krl_check_key(krl, cert_key(cert))) != 0 &&
	    r != SSH_ERR_KEY_REVOKED)
		abort();
	if ((r = krl_check_key(krl, cert_ca(cert))) != 0 &&
	    r != SSH_ERR_KEY_REVOKED)
		abort();
	if ((r = krl_check_cert(krl, cert)) != 0 && r != SSH_ERR_KEY_REVOKED)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf *in;
	struct krl *krl = NULL;

	if ((in = buf_from(data, size)) == NULL)
		return 0;
	if (krl_parse(in, &krl) == 0) {
		fuzz_checks(krl);
		krl_free(krl);
	} else if (krl != NULL)
		abort();
	buf_free(in);
	return 0;
}
