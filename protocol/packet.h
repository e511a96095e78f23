/*
 * packet.h: the binary packet protocol (RFC 4253 section 6), without I/O.
 *
 * Received bytes go in with pkt_input_put(); whole, authenticated and
 * decrypted payloads come out of pkt_next().  Payloads to send go in with
 * pkt_send(); encrypted bytes come out of pkt_output().  Each direction
 * starts with no cipher and no MAC and is rekeyed by pkt_set_keys() at
 * NEWKEYS.  Packets are decrypted and encrypted in place in the input and
 * output buffers; nothing is allocated per packet.
 */
#ifndef NANOSSH_PACKET_H
#define NANOSSH_PACKET_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct cipher_ctx;
struct mac_ctx;

/* The largest packet_length accepted (RFC 4253 6.1 requires 35000; this
 * is OpenSSH's limit).  It also bounds the input buffer. */
#define PKT_MAX_PACKET_LEN	(256 * 1024)
/* The largest payload we send (RFC 4253 6.1: 32768 must be handled). */
#define PKT_MAX_PAYLOAD_SEND	(PKT_MAX_PACKET_LEN - 1024)
/* Encrypted output waiting for the socket; past it pkt_send fails, so
 * callers check pkt_output_space() first. */
#define PKT_OUTPUT_MAX		(8 * 1024 * 1024)

#define PKT_DIR_IN	0
#define PKT_DIR_OUT	1

struct pkt_state;

struct pkt_counters {
	uint32_t seqnr;		/* next sequence number */
	uint64_t packets;	/* since the last key change */
	uint64_t blocks;	/* cipher blocks since the last key change */
	uint64_t bytes;		/* bytes since the last key change */
	uint64_t total_bytes;	/* since the connection started */
	int seqnr_wrapped;	/* the sequence number wrapped since keys changed */
};

struct pkt_state *pkt_new(void);
void pkt_free(struct pkt_state *pkt);

/* Room left in the input buffer; read at most this much from the socket. */
size_t pkt_input_space(const struct pkt_state *pkt);
/* Appends received bytes; SSH_ERR_NO_BUFFER_SPACE past the input cap. */
int pkt_input_put(struct pkt_state *pkt, const uint8_t *data, size_t len);
/* The raw input buffer, for the identification exchange that precedes
 * the first packet. */
struct buf *pkt_input_raw(struct pkt_state *pkt);

/*
 * Decodes the next packet.  Returns 0 with *payloadp pointing at a buffer
 * owned by pkt holding the payload (message number first), valid until
 * the next call; SSH_ERR_MESSAGE_INCOMPLETE when a whole packet has not
 * arrived; SSH_ERR_MAC_INVALID, SSH_ERR_CONN_CORRUPT (bad length or
 * padding) on a broken packet, after which the connection must end.
 */
int pkt_next(struct pkt_state *pkt, struct buf **payloadp);

/* Encrypts payload (message number first) into the output buffer. */
int pkt_send(struct pkt_state *pkt, const struct buf *payload);
/* The raw output buffer, for our identification line. */
struct buf *pkt_output_raw(struct pkt_state *pkt);
/* Room left in the output buffer. */
size_t pkt_output_space(const struct pkt_state *pkt);
/* Encrypted bytes to write to the socket, and dropping those written. */
const uint8_t *pkt_output(const struct pkt_state *pkt, size_t *lenp);
int pkt_output_consume(struct pkt_state *pkt, size_t len);

/*
 * Switches one direction to new keys (called after NEWKEYS is sent for
 * PKT_DIR_OUT, after it is received for PKT_DIR_IN).  pkt takes ownership
 * of cipher and mac (mac NULL for an AEAD cipher) and frees the old ones.
 * reset_seqnr implements strict KEX (sequence numbers restart at 0).
 */
int pkt_set_keys(struct pkt_state *pkt, int dir, struct cipher_ctx *cipher,
    struct mac_ctx *mac, int reset_seqnr);
const struct pkt_counters *pkt_counters(const struct pkt_state *pkt, int dir);

#endif
