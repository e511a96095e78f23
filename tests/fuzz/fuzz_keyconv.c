/*
 * fuzz_keyconv.c: libFuzzer target for the public key import parsers of
 * nanossh-keygen -i: RFC 4716 blocks and PEM (SubjectPublicKeyInfo,
 * PKCS#1).  An accepted key must export and import again as the same key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_rfc4716(const struct buf *in)
{
	struct sshkey *k = NULL, *k2 = NULL;
	struct buf *out;
	char *comment = NULL, *comment2 = NULL;

	if (key_from_rfc4716(in, &k, &comment) != 0)
		return;
	/* A comment too long to write back in quotes goes without. */
	if ((out = buf_new()) == NULL)
		abort();
	if (key_to_rfc4716(k, comment, out) != 0) {
		buf_reset(out);
		free(comment);
		comment = NULL;
		if (key_to_rfc4716(k, NULL, out) != 0)
			abort();
	}
	if (key_from_rfc4716(out, &k2, &comment2) != 0 ||
	    key_equal_public(k, k2) != 0)
		abort();
	buf_free(out);
	key_free(k2);
	key_free(k);
	free(comment2);
	free(comment);
}

static void
fuzz_pem(const struct buf *in, enum key_pem_format fmt)
{
	struct sshkey *k = NULL, *k2 = NULL;
	struct buf *out;

	if (key_from_pem_public(in, fmt, &k) != 0)
		return;
	if ((out = buf_new()) == NULL ||
	    key_to_pem_public(k, fmt, out) != 0 ||
	    key_from_pem_public(out, fmt, &k2) != 0 ||
	    key_equal_public(k, k2) != 0)
		abort();
	buf_free(out);
	key_free(k2);
	key_free(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf *in;

	if ((in = buf_from(data, size)) == NULL)
		return 0;
	fuzz_rfc4716(in);
	fuzz_pem(in, KEY_PEM_PKCS8);
	fuzz_pem(in, KEY_PEM_PEM);
	buf_free(in);
	return 0;
}
