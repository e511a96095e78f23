/*
 * fuzz_kex.c: libFuzzer target for the client's key exchange value as the
 * server parses it: the SSH_MSG_KEX_ECDH_INIT of a scripted client
 * (tests/unit/testclient.c) carries the fuzz input instead of its own
 * public value, through the server connection's KEXINIT negotiation and
 * kex_respond: the mlkem768x25519-sha256 split, length and modulus checks,
 * ML-KEM encapsulation and X25519, or the classical methods' checks; for
 * RSA key exchange the input is KEXRSA_SECRET's encrypted secret, through
 * OAEP decryption and K's checks.
 *	u8 method (mod 5: mlkem768x25519-sha256, curve25519-sha256,
 *	   ecdh-sha2-nistp256, rsa2048-sha256, rsa1024-sha1)
 *	then Q_C or the encrypted secret, raw
 */
#include <stddef.h>
#include <stdint.h>

#include "protocol/buf.h"
#include "protocol/conn.h"
#include "protocol/ssherr.h"
#include "tests/unit/testclient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input's Q_C, for the client's edit_qc hook. */
static const uint8_t *fuzz_qc;
static size_t fuzz_qc_len;

static int
replace_qc(struct buf *qc)
{
	buf_reset(qc);
	return buf_put(qc, fuzz_qc, fuzz_qc_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {
		"mlkem768x25519-sha256", "curve25519-sha256",
		"ecdh-sha2-nistp256", "rsa2048-sha256", "rsa1024-sha1",
	};
	struct tclient tc;

	if (size < 1 || size > 4096)
		return 0;
	if (tclient_new(&tc, "aes128-gcm@openssh.com", NULL, 1) != 0)
		return 0;
	conn_free(tc.srv);
	tc.set.kex = "mlkem768x25519-sha256,curve25519-sha256,"
	    "ecdh-sha2-nistp256,rsa2048-sha256,rsa1024-sha1";
	if ((tc.srv = conn_new(&tc.set, 0)) == NULL) {
		tclient_free(&tc);
		return 0;
	}
	tc.kex = methods[data[0] % 5];
	fuzz_qc = data + 1;
	fuzz_qc_len = size - 1;
	tc.edit_qc = replace_qc;
	(void)tclient_handshake(&tc);
	tclient_free(&tc);
	return 0;
}
