/*
 * fuzz_cert.c: libFuzzer target for OpenSSH certificates: the blob parser,
 * the CA signature, the user and host checks, and "*-cert.pub" lines.
 * A parsed certificate must write back out as the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cert.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_checks(const struct sshcert *c)
{
	const char *why = NULL;
	const char *name;
	size_t i, n;

	(void)cert_verify_signature(c);
	/* Inside and outside the window, with and without a principal. */
	if (cert_check_user(c, "alice", 1700000000, "10.1.2.3", &why) != 0 &&
	    why == NULL)
		abort();
	(void)cert_check_user(c, NULL, 0, "2001:db8::1", &why);
	(void)cert_check_user(c, "root", UINT64_MAX, NULL, NULL);
	if (cert_check_host(c, "host.example.com", 1700000000, &why) != 0 &&
	    why == NULL)
		abort();
	for (i = 0, n = cert_nprincipals(c); i < n; i++)
		if (cert_principal(c, i) == NULL)
			abort();
	for (i = 0, n = cert_noptions(c, 1); i < n; i++)
		if (cert_option(c, 1, i, &name, NULL, NULL) != 0 ||
		    name == NULL)
			abort();
	if (cert_option(c, 0, cert_noptions(c, 0), NULL, NULL, NULL) == 0)
		abort();
}

static void
fuzz_blob(const struct buf *in)
{
	struct sshcert *c = NULL;
	struct buf *out;

	if (cert_parse(in, &c) != 0)
		return;
	if ((out = buf_new()) == NULL || cert_to_blob(c, out) != 0 ||
	    buf_equals(in, out) != 0)
		abort();
	buf_free(out);
	fuzz_checks(c);
	cert_free(c);
}

static void
fuzz_line(const uint8_t *data, size_t size)
{
	struct sshcert *c = NULL;
	char *line, *comment = NULL;

	if ((line = malloc(size + 1)) == NULL)
		return;
	memcpy(line, data, size);
	line[size] = '\0';
	if (cert_from_public_line(line, &c, &comment) == 0) {
		fuzz_checks(c);
		cert_free(c);
		free(comment);
	}
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf *in;

	if ((in = buf_from(data, size)) == NULL)
		return 0;
	fuzz_blob(in);
	buf_free(in);
	fuzz_line(data, size);
	return 0;
}
