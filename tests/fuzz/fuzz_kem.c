/*
 * fuzz_kem.c: libFuzzer target for the sntrup761x25519-sha512 values a
 * peer sends (protocol/kex_kem.c, protocol/sntrup761.c):
 *	u8 selector, then the value
 * selector even: the value is a client's Q_C, given to kex_server_reply
 * (length check, public-key decoding, encapsulation, X25519);
 * selector odd: the value is a server's Q_S, given to a fixed client key
 * pair's kex_shared_secret (ciphertext decoding, decapsulation, implicit
 * rejection).  Either must succeed exactly for the right length, with a
 * string-encoded 64-byte K, or fail leaving K empty.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "protocol/buf.h"
#include "protocol/kex_method.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CLIENT_LEN	(1158 + 32)
#define SERVER_LEN	(1039 + 32)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kex_keypair *client;
	const struct kex_alg *alg = kex_alg_by_name("sntrup761x25519-sha512");
	struct buf *qs = NULL, *K = NULL;
	size_t want;
	int r;

	if (alg == NULL || size < 1)
		return 0;
	if (client == NULL && kex_keypair_new(alg, NULL, &client) != 0)
		abort();
	if ((qs = buf_new()) == NULL || (K = buf_new()) == NULL)
		abort();
	if ((data[0] & 1) == 0) {
		r = kex_server_reply(alg, NULL, data + 1, size - 1, qs, K);
		want = CLIENT_LEN;
		if (r == 0 && buf_len(qs) != SERVER_LEN)
			abort();
	} else {
		r = kex_shared_secret(client, data + 1, size - 1, K);
		want = SERVER_LEN;
	}
	/* the only refusals: the length, and a low-order X25519 value */
	if ((size - 1 != want) != (r == SSH_ERR_INVALID_FORMAT) ||
	    (r != 0 && r != SSH_ERR_INVALID_FORMAT &&
	    r != SSH_ERR_KEY_INVALID_EC_VALUE) ||
	    (r == 0 && buf_len(K) != 4 + 64) || (r != 0 && buf_len(K) != 0))
		abort();
	buf_free(qs);
	buf_free(K);
	return 0;
}
