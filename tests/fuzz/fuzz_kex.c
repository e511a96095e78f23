/*
 * fuzz_kex.c: libFuzzer target for the key exchange values a peer sends.
 * Client's value: the SSH_MSG_KEX_ECDH_INIT of a scripted client
 * (tests/unit/testclient.c) carries the fuzz input instead of its own
 * public value, through the server connection's KEXINIT negotiation and
 * kex_respond: the hybrids' split and length checks, ML-KEM's modulus
 * check and encapsulation, sntrup761's public-key decoding and
 * encapsulation, X25519, or the classical methods' checks; for RSA key
 * exchange the input is KEXRSA_SECRET's encrypted secret, through OAEP
 * decryption and K's checks.  Server's value: the input is a Q_S for a
 * client key pair's kex_shared_secret (the hybrids' ciphertext decoding
 * and decapsulation; RSA key exchange has no client key pair).
 *	u8 selector: method = (selector & 7) % 6 (mlkem768x25519-sha256,
 *	   curve25519-sha256, ecdh-sha2-nistp256, rsa2048-sha256,
 *	   rsa1024-sha1, sntrup761x25519-sha512);
 *	   bit 3 clear: client's value, set: server's value
 *	then Q_C, the encrypted secret or Q_S, raw
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "protocol/buf.h"
#include "protocol/conn.h"
#include "protocol/kex_method.h"
#include "protocol/ssherr.h"
#include "tests/unit/testclient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = {
	"mlkem768x25519-sha256", "curve25519-sha256", "ecdh-sha2-nistp256",
	"rsa2048-sha256", "rsa1024-sha1", "sntrup761x25519-sha512",
};
#define NMETHODS	(sizeof(methods) / sizeof(methods[0]))
/* The server's list: RSA key exchange only when named. */
#define KEX_LIST	"mlkem768x25519-sha256,curve25519-sha256," \
	"ecdh-sha2-nistp256,rsa2048-sha256,rsa1024-sha1," \
	"sntrup761x25519-sha512"
#define SERVER_VALUE	8

/* The input's Q_C, for the client's edit_qc hook. */
static const uint8_t *fuzz_qc;
static size_t fuzz_qc_len;

static int
replace_qc(struct buf *qc)
{
	buf_reset(qc);
	return buf_put(qc, fuzz_qc, fuzz_qc_len);
}

/* Q_S into the method's client key pair, one per method for the run:
 * K is appended on success and untouched on error. */
static void
client_side(size_t m, const uint8_t *qs, size_t len)
{
	static struct kex_keypair *clients[NMETHODS];
	const struct kex_alg *alg = kex_alg_by_name(methods[m]);
	struct buf *K;
	int r;

	if (alg->ka_kind == KEX_KIND_RSA)
		return;
	if (clients[m] == NULL && kex_keypair_new(alg, NULL,
	    &clients[m]) != 0)
		abort();
	if ((K = buf_new()) == NULL)
		abort();
	r = kex_shared_secret(clients[m], qs, len, K);
	if ((r == 0) != (buf_len(K) != 0))
		abort();
	buf_free(K);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tclient tc;
	size_t m;

	if (size < 1 || size > 4096)
		return 0;
	m = (data[0] & 7) % NMETHODS;
	if (data[0] & SERVER_VALUE) {
		client_side(m, data + 1, size - 1);
		return 0;
	}
	if (tclient_new(&tc, "aes128-gcm@openssh.com", NULL, 1) != 0)
		return 0;
	conn_free(tc.srv);
	tc.set.kex = KEX_LIST;
	if ((tc.srv = conn_new(&tc.set, 0)) == NULL) {
		tclient_free(&tc);
		return 0;
	}
	tc.kex = methods[m];
	fuzz_qc = data + 1;
	fuzz_qc_len = size - 1;
	tc.edit_qc = replace_qc;
	(void)tclient_handshake(&tc);
	tclient_free(&tc);
	return 0;
}
