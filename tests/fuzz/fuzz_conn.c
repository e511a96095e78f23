/*
 * fuzz_conn.c: libFuzzer target for the server transport, userauth and
 * connection-protocol state machine (protocol/conn.h).  A scripted client
 * (tests/unit/testclient.c) completes a real key exchange; the fuzz input
 * is then a sequence of messages it sends over the encrypted transport:
 *	u8 flags (bit 0: the monitor accepts authentication)
 *	then records: u16 length (big-endian), length bytes of payload
 * Events are answered the way the protocol child and monitor would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "protocol/buf.h"
#include "protocol/channel.h"
#include "protocol/conn.h"
#include "protocol/ssherr.h"
#include "tests/unit/testclient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Answers channel events as the protocol child does, accepting all. */
static void
drain_channels(struct tclient *tc)
{
	struct chan_table *t = conn_channels(tc->srv);
	struct chan_event ev;
	int n;

	if (t == NULL)
		return;
	for (n = 0; n < 64; n++) {
		if (chan_next_event(t, &ev) != 0 || ev.type == CHAN_EV_NONE)
			return;
		switch (ev.type) {
		case CHAN_EV_OPEN:
			(void)chan_open_confirm(t, ev.id);
			break;
		case CHAN_EV_REQUEST:
			(void)chan_request_reply(t, ev.id,
			    ev.req.type == CHAN_REQ_EXEC);
			break;
		case CHAN_EV_DATA_READY: {
			const uint8_t *p;
			size_t len;

			if (chan_peek_input(t, ev.id, &p, &len) == 0)
				(void)chan_consume_input(t, ev.id, len);
			break;
		}
		case CHAN_EV_GLOBAL:
			(void)chan_global_reply(t, 0, NULL, 0);
			break;
		case CHAN_EV_CLOSE:
			(void)chan_close(t, ev.id);
			break;
		default:
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ciphers[] = {
		"chacha20-poly1305@openssh.com", "aes128-ctr",
	};
	struct tclient tc;
	struct buf *msg, *got;
	size_t off = 1, len, n;

	if (size < 1)
		return 0;
	/* Bit 1: an AEAD cipher or CTR with a MAC; bit 2: strict KEX. */
	if (tclient_new(&tc, ciphers[(data[0] >> 1) & 1],
	    (data[0] & 2) ? "hmac-sha2-256" : NULL, (data[0] >> 2) & 1) != 0)
		return 0;
	tc.auth_answer = (data[0] & 1) ? CONN_AUTH_SUCCESS : CONN_AUTH_FAILURE;
	if (tclient_handshake(&tc) != 0 || (msg = buf_new()) == NULL) {
		tclient_free(&tc);
		return 0;
	}
	while (off + 2 <= size && !conn_closed(tc.srv)) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len > size - off)
			len = size - off;
		buf_reset(msg);
		if (len == 0 || buf_put(msg, data + off, len) != 0)
			break;
		off += len;
		if (tclient_send(&tc, msg) != 0)
			break;
		for (n = 0; n < 64 && tclient_recv(&tc, &got) == 0; n++)
			;
		drain_channels(&tc);
	}
	buf_free(msg);
	tclient_free(&tc);
	return 0;
}
