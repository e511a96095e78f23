/*
 * fuzz_packet.c: libFuzzer target for the binary packet decoder
 * (protocol/packet.c).  The first input byte picks the receiving keys
 * (none, or one of the ciphers with a MAC where needed, HMAC or UMAC,
 * keyed with fixed bytes); the rest arrives as received bytes in chunks whose sizes come
 * from the input too, and every packet that decodes is consumed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cipher.h"
#include "protocol/mac.h"
#include "protocol/packet.h"
#include "protocol/ssherr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *cipher, *mac;
} modes[] = {
	{ NULL, NULL },
	{ "chacha20-poly1305@openssh.com", NULL },
	{ "aes128-gcm@openssh.com", NULL },
	{ "aes128-ctr", "hmac-sha2-256" },
	{ "aes256-ctr", "hmac-sha2-512-etm@openssh.com" },
	{ "aes128-ctr", "umac-64-etm@openssh.com" },
	{ "aes192-ctr", "umac-128@openssh.com" },
};

static int
keyed(struct pkt_state *pkt, size_t mode)
{
	static const uint8_t key[CIPHER_MAX_KEY_LEN], iv[CIPHER_MAX_IV_LEN];
	static const uint8_t mkey[MAC_MAX_KEY_LEN];
	const struct cipher_alg *c = cipher_by_name(modes[mode].cipher);
	const struct mac_alg *m = mac_by_name(modes[mode].mac);
	struct cipher_ctx *cc = NULL;
	struct mac_ctx *mc = NULL;

	if (c == NULL)
		return 0;
	if (cipher_init(&cc, c, key, cipher_alg_key_len(c), iv,
	    cipher_alg_iv_len(c), 0) != 0)
		return -1;
	if (m != NULL && mac_init(&mc, m, mkey, mac_alg_key_len(m)) != 0) {
		cipher_free(cc);
		return -1;
	}
	return pkt_set_keys(pkt, PKT_DIR_IN, cc, mc, 0) == 0 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_state *pkt;
	struct buf *payload;
	size_t off = 1, chunk;
	int r;

	if (size < 1 || (pkt = pkt_new()) == NULL)
		return 0;
	if (keyed(pkt, data[0] % (sizeof(modes) / sizeof(modes[0]))) != 0)
		goto out;
	while (off < size) {
		chunk = 1 + (data[off] & 0x3f) * 16;
		off++;
		if (chunk > size - off)
			chunk = size - off;
		if (pkt_input_put(pkt, data + off, chunk) != 0)
			break;
		off += chunk;
		while ((r = pkt_next(pkt, &payload)) == 0) {
			/* A decoded payload is never empty. */
			if (buf_len(payload) == 0)
				__builtin_trap();
		}
		if (r != SSH_ERR_MESSAGE_INCOMPLETE)
			break;
	}
 out:
	pkt_free(pkt);
	return 0;
}
