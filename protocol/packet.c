/* packet.c: the binary packet protocol (RFC 4253 section 6). */
#include <stdlib.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <openssl/rand.h>

#include "protocol/buf.h"
#include "protocol/cipher.h"
#include "protocol/mac.h"
#include "protocol/packet.h"
#include "protocol/ssherr.h"

/* Before the first NEWKEYS: no cipher, 8-byte padding granularity. */
#define PKT_PLAIN_BLOCK		8
#define PKT_MIN_PADDING		4
/* A whole packet with the largest tag or MAC must fit in the input. */
#define PKT_INPUT_MAX		(4 + PKT_MAX_PACKET_LEN + 64)

struct pkt_dir {
	struct cipher_ctx *cipher;
	struct mac_ctx *mac;
	struct pkt_counters cnt;
};

struct pkt_state {
	struct pkt_dir dir[2];
	struct buf *input;
	struct buf *output;
	struct buf *payload;	/* the last received payload */
};

/* The framing parameters of one direction under its current keys. */
struct pkt_framing {
	size_t block;		/* padding granularity */
	size_t aadlen;		/* leading bytes sent in clear (or by K_1) */
	size_t taglen;		/* AEAD tag after the packet */
	size_t maclen;		/* MAC after the packet */
	int etm;		/* MAC over the ciphertext */
};

static void
framing(const struct pkt_dir *d, struct pkt_framing *f)
{
	const struct cipher_alg *alg;

	memset(f, 0, sizeof(*f));
	f->block = PKT_PLAIN_BLOCK;
	if (d->mac != NULL) {
		f->etm = mac_ctx_etm(d->mac);
		f->maclen = mac_ctx_len(d->mac);
	}
	if (d->cipher == NULL)
		return;
	alg = cipher_ctx_alg(d->cipher);
	if (cipher_alg_block_size(alg) > f->block)
		f->block = cipher_alg_block_size(alg);
	f->aadlen = cipher_aadlen(alg, f->etm);
	f->taglen = cipher_alg_tag_len(alg);
}

struct pkt_state *
pkt_new(void)
{
	struct pkt_state *pkt;

	if ((pkt = calloc(1, sizeof(*pkt))) == NULL)
		return NULL;
	if ((pkt->input = buf_new()) == NULL ||
	    (pkt->output = buf_new()) == NULL ||
	    (pkt->payload = buf_new()) == NULL ||
	    buf_set_max_size(pkt->input, PKT_INPUT_MAX) != 0 ||
	    buf_set_max_size(pkt->output, PKT_OUTPUT_MAX) != 0) {
		pkt_free(pkt);
		return NULL;
	}
	return pkt;
}

void
pkt_free(struct pkt_state *pkt)
{
	int d;

	if (pkt == NULL)
		return;
	for (d = 0; d < 2; d++) {
		cipher_free(pkt->dir[d].cipher);
		mac_free(pkt->dir[d].mac);
	}
	buf_free(pkt->input);
	buf_free(pkt->output);
	buf_free(pkt->payload);
	freezero(pkt, sizeof(*pkt));
}

size_t
pkt_input_space(const struct pkt_state *pkt)
{
	return buf_avail(pkt->input);
}

int
pkt_input_put(struct pkt_state *pkt, const uint8_t *data, size_t len)
{
	return buf_put(pkt->input, data, len);
}

struct buf *
pkt_input_raw(struct pkt_state *pkt)
{
	return pkt->input;
}

static void
count(struct pkt_dir *d, size_t wire_len, size_t crypt_len, size_t block)
{
	if (++d->cnt.seqnr == 0)
		d->cnt.seqnr_wrapped = 1;
	d->cnt.packets++;
	d->cnt.bytes += wire_len;
	d->cnt.total_bytes += wire_len;
	d->cnt.blocks += crypt_len / block;
}

int
pkt_next(struct pkt_state *pkt, struct buf **payloadp)
{
	struct pkt_dir *d = &pkt->dir[PKT_DIR_IN];
	struct pkt_framing f;
	const uint8_t *in = buf_ptr(pkt->input);
	size_t avail = buf_len(pkt->input), total, paylen;
	uint32_t plen;
	uint8_t *p, padlen;
	int r;

	*payloadp = NULL;
	framing(d, &f);
	if (d->cipher == NULL) {
		if ((r = buf_peek_u32(pkt->input, 0, &plen)) != 0)
			return r;
	} else if ((r = cipher_get_length(d->cipher, d->cnt.seqnr, in, avail,
	    f.aadlen, &plen)) != 0)
		return r;
	/* Not authenticated yet: bound it before waiting for that much. */
	if (plen < 1 + PKT_MIN_PADDING || plen > PKT_MAX_PACKET_LEN ||
	    (4 + plen - f.aadlen) % f.block != 0)
		return SSH_ERR_CONN_CORRUPT;
	total = 4 + (size_t)plen + f.taglen + f.maclen;
	if (avail < total)
		return SSH_ERR_MESSAGE_INCOMPLETE;
	if ((p = buf_mutable_ptr(pkt->input)) == NULL)
		return SSH_ERR_INTERNAL_ERROR;
	/* Encrypt-then-MAC: nothing is decrypted before the MAC checks. */
	if (d->mac != NULL && f.etm &&
	    (r = mac_verify(d->mac, d->cnt.seqnr, p, 4 + plen, p + 4 + plen,
	    f.maclen)) != 0)
		return r;
	if (d->cipher != NULL &&
	    (r = cipher_crypt(d->cipher, d->cnt.seqnr, p, p, 4 + plen,
	    f.aadlen, f.taglen)) != 0)
		return r;
	if (d->mac != NULL && !f.etm &&
	    (r = mac_verify(d->mac, d->cnt.seqnr, p, 4 + plen, p + 4 + plen,
	    f.maclen)) != 0) {
		/* Plaintext that failed its MAC must not linger. */
		explicit_bzero(p, total);
		return r;
	}
	padlen = p[4];
	if (padlen < PKT_MIN_PADDING || (size_t)padlen + 1 >= plen)
		return SSH_ERR_CONN_CORRUPT;
	paylen = plen - padlen - 1;
	buf_reset(pkt->payload);
	if ((r = buf_put(pkt->payload, p + 5, paylen)) != 0)
		return r;
	count(d, total, 4 + plen - f.aadlen, f.block);
	if ((r = buf_consume(pkt->input, total)) != 0)
		return r;
	*payloadp = pkt->payload;
	return 0;
}

int
pkt_send(struct pkt_state *pkt, const struct buf *payload)
{
	struct pkt_dir *d = &pkt->dir[PKT_DIR_OUT];
	struct pkt_framing f;
	size_t paylen = buf_len(payload), padlen, plen, total;
	uint8_t *p;
	int r;

	if (paylen == 0 || paylen > PKT_MAX_PAYLOAD_SEND)
		return SSH_ERR_INVALID_ARGUMENT;
	framing(d, &f);
	padlen = f.block - ((4 + 1 + paylen - f.aadlen) % f.block);
	if (padlen < PKT_MIN_PADDING)
		padlen += f.block;
	plen = 1 + paylen + padlen;
	total = 4 + plen + f.taglen + f.maclen;
	if ((r = buf_reserve(pkt->output, total, &p)) != 0)
		return r;
	p[0] = (uint8_t)(plen >> 24);
	p[1] = (uint8_t)(plen >> 16);
	p[2] = (uint8_t)(plen >> 8);
	p[3] = (uint8_t)plen;
	p[4] = (uint8_t)padlen;
	memcpy(p + 5, buf_ptr(payload), paylen);
	if (RAND_bytes(p + 5 + paylen, (int)padlen) != 1) {
		r = SSH_ERR_LIBCRYPTO_ERROR;
		goto fail;
	}
	if (d->mac != NULL && !f.etm &&
	    (r = mac_compute(d->mac, d->cnt.seqnr, p, 4 + plen, p + 4 + plen,
	    f.maclen)) != 0)
		goto fail;
	if (d->cipher != NULL &&
	    (r = cipher_crypt(d->cipher, d->cnt.seqnr, p, p, 4 + plen,
	    f.aadlen, f.taglen)) != 0)
		goto fail;
	if (d->mac != NULL && f.etm &&
	    (r = mac_compute(d->mac, d->cnt.seqnr, p, 4 + plen, p + 4 + plen,
	    f.maclen)) != 0)
		goto fail;
	count(d, total, 4 + plen - f.aadlen, f.block);
	return 0;
 fail:
	/* Never leave a half-built packet (or plaintext) in the output. */
	explicit_bzero(p, total);
	buf_consume_end(pkt->output, total);
	return r;
}

struct buf *
pkt_output_raw(struct pkt_state *pkt)
{
	return pkt->output;
}

size_t
pkt_output_space(const struct pkt_state *pkt)
{
	return buf_avail(pkt->output);
}

const uint8_t *
pkt_output(const struct pkt_state *pkt, size_t *lenp)
{
	*lenp = buf_len(pkt->output);
	return buf_ptr(pkt->output);
}

int
pkt_output_consume(struct pkt_state *pkt, size_t len)
{
	return buf_consume(pkt->output, len);
}

int
pkt_set_keys(struct pkt_state *pkt, int dir, struct cipher_ctx *cipher,
    struct mac_ctx *mac, int reset_seqnr)
{
	struct pkt_dir *d;

	if (dir != PKT_DIR_IN && dir != PKT_DIR_OUT)
		return SSH_ERR_INVALID_ARGUMENT;
	d = &pkt->dir[dir];
	cipher_free(d->cipher);
	mac_free(d->mac);
	d->cipher = cipher;
	d->mac = mac;
	if (reset_seqnr)
		d->cnt.seqnr = 0;
	d->cnt.packets = d->cnt.blocks = d->cnt.bytes = 0;
	d->cnt.seqnr_wrapped = 0;
	return 0;
}

const struct pkt_counters *
pkt_counters(const struct pkt_state *pkt, int dir)
{
	return &pkt->dir[dir == PKT_DIR_IN ? PKT_DIR_IN : PKT_DIR_OUT].cnt;
}
