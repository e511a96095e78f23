/*
 * fuzz_key.c: libFuzzer target for the key parsers: public key blobs,
 * authorized_keys-style lines and private key files (openssh-key-v1, PEM).
 * Whatever parses must also survive a round trip.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An accepted blob is canonical: it re-encodes to the same bytes. */
static void
fuzz_blob(const struct buf *in)
{
	struct sshkey *k = NULL;
	struct buf *out;

	if (key_from_blob(in, &k) != 0)
		return;
	if ((out = buf_new()) == NULL || key_to_blob(k, out) != 0 ||
	    buf_equals(in, out) != 0)
		abort();
	buf_free(out);
	key_free(k);
}

/* An accepted line writes back out as a line that reads as the same key. */
static void
fuzz_line(const uint8_t *data, size_t size)
{
	struct sshkey *k = NULL, *k2 = NULL;
	struct buf *out = NULL;
	char *line, *again = NULL, *comment = NULL;

	if ((line = malloc(size + 1)) == NULL)
		return;
	memcpy(line, data, size);
	line[size] = '\0';
	if (key_from_public_line(line, &k, &comment) == 0) {
		if ((out = buf_new()) == NULL ||
		    key_to_public_line(k, comment, out) != 0 ||
		    (again = buf_dup_string(out)) == NULL ||
		    key_from_public_line(again, &k2, NULL) != 0 ||
		    key_equal_public(k, k2) != 0)
			abort();
		buf_free(out);
		free(again);
		key_free(k2);
		key_free(k);
		free(comment);
	}
	free(line);
}

/*
 * No passphrase: a fuzzed bcrypt round count would only measure the KDF.
 * A parsed private key must write out and read back as the same key.
 */
static void
fuzz_private(const struct buf *in)
{
	struct sshkey *k = NULL, *k2 = NULL, *pub = NULL;
	struct buf *out;
	char *comment = NULL;

	if (key_private_parse_public(in, &pub) == 0)
		key_free(pub);
	if (key_private_parse(in, NULL, &k, &comment) != 0)
		return;
	if (!key_is_private(k) || (out = buf_new()) == NULL ||
	    key_private_to_openssh(k, NULL, comment, out) != 0 ||
	    key_private_parse(out, NULL, &k2, NULL) != 0 ||
	    key_equal_public(k, k2) != 0)
		abort();
	buf_free(out);
	key_free(k2);
	key_free(k);
	free(comment);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf *in;

	if ((in = buf_from(data, size)) == NULL)
		return 0;
	fuzz_blob(in);
	fuzz_line(data, size);
	fuzz_private(in);
	buf_free(in);
	return 0;
}
