/* check_packet.c: the binary packet protocol over every cipher and MAC. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/cipher.h"
#include "protocol/mac.h"
#include "protocol/packet.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A sender and a receiver keyed alike (or both plain when cipher is NULL). */
struct pair {
	struct pkt_state *tx, *rx;
};

static void
key_dir(struct pkt_state *pkt, int dir, const struct cipher_alg *calg,
    const struct mac_alg *malg, int encrypt, int strict)
{
	uint8_t key[CIPHER_MAX_KEY_LEN], iv[CIPHER_MAX_IV_LEN];
	uint8_t mkey[MAC_MAX_KEY_LEN];
	struct cipher_ctx *c = NULL;
	struct mac_ctx *m = NULL;

	memset(key, 0x11, sizeof(key));
	memset(iv, 0x22, sizeof(iv));
	memset(mkey, 0x33, sizeof(mkey));
	if (calg != NULL)
		ck_assert_int_eq(cipher_init(&c, calg, key,
		    cipher_alg_key_len(calg), iv, cipher_alg_iv_len(calg),
		    encrypt), 0);
	if (malg != NULL)
		ck_assert_int_eq(mac_init(&m, malg, mkey,
		    mac_alg_key_len(malg)), 0);
	ck_assert_int_eq(pkt_set_keys(pkt, dir, c, m, strict), 0);
}

static struct pair
pair_new(const struct cipher_alg *calg, const struct mac_alg *malg)
{
	struct pair p = { pkt_new(), pkt_new() };

	ck_assert_ptr_nonnull(p.tx);
	ck_assert_ptr_nonnull(p.rx);
	if (calg != NULL || malg != NULL) {
		key_dir(p.tx, PKT_DIR_OUT, calg, malg, 1, 0);
		key_dir(p.rx, PKT_DIR_IN, calg, malg, 0, 0);
	}
	return p;
}

static void
pair_free(struct pair *p)
{
	pkt_free(p->tx);
	pkt_free(p->rx);
}

static struct buf *
payload_of(size_t len, uint8_t fill)
{
	struct buf *b = buf_new();
	uint8_t *d;

	ck_assert_int_eq(buf_reserve(b, len, &d), 0);
	memset(d, fill, len);
	d[0] = 94;	/* any message number */
	return b;
}

/* Moves everything tx produced into rx. */
static void
transfer(struct pair *p)
{
	const uint8_t *out;
	size_t len;

	out = pkt_output(p->tx, &len);
	ck_assert_int_eq(pkt_input_put(p->rx, out, len), 0);
	ck_assert_int_eq(pkt_output_consume(p->tx, len), 0);
}

static void
roundtrip(const struct cipher_alg *calg, const struct mac_alg *malg)
{
	static const size_t sizes[] = { 1, 2, 15, 16, 17, 100, 4096, 32768 };
	struct pair p = pair_new(calg, malg);
	struct buf *pl, *got;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pl = payload_of(sizes[i], (uint8_t)i);
		ck_assert_int_eq(pkt_send(p.tx, pl), 0);
		ck_assert_int_eq(pkt_send(p.tx, pl), 0);
		transfer(&p);
		ck_assert_int_eq(pkt_next(p.rx, &got), 0);
		ck_assert_int_eq(buf_equals(got, pl), 0);
		ck_assert_int_eq(pkt_next(p.rx, &got), 0);
		ck_assert_int_eq(buf_equals(got, pl), 0);
		ck_assert_int_eq(pkt_next(p.rx, &got),
		    SSH_ERR_MESSAGE_INCOMPLETE);
		buf_free(pl);
	}
	ck_assert_uint_eq(pkt_counters(p.rx, PKT_DIR_IN)->seqnr, 16);
	ck_assert_uint_eq(pkt_counters(p.tx, PKT_DIR_OUT)->packets, 16);
	pair_free(&p);
}

/* Flipping any one bit of a packet makes it fail, never decode. */
static void
tamper(const struct cipher_alg *calg, const struct mac_alg *malg)
{
	struct pair p = pair_new(calg, malg);
	struct buf *pl = payload_of(40, 7), *got;
	const uint8_t *out;
	uint8_t *copy;
	size_t len, bit;

	ck_assert_int_eq(pkt_send(p.tx, pl), 0);
	out = pkt_output(p.tx, &len);
	copy = malloc(len);
	memcpy(copy, out, len);
	for (bit = 0; bit < len * 8; bit++) {
		struct pkt_state *rx = pkt_new();
		int r;

		key_dir(rx, PKT_DIR_IN, calg, malg, 0, 0);
		copy[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		ck_assert_int_eq(pkt_input_put(rx, copy, len), 0);
		r = pkt_next(rx, &got);
		ck_assert_msg(r == SSH_ERR_MAC_INVALID ||
		    r == SSH_ERR_CONN_CORRUPT || r == SSH_ERR_MESSAGE_INCOMPLETE,
		    "%s/%s: bit %zu gave %d", cipher_alg_name(calg),
		    malg != NULL ? mac_alg_name(malg) : "-", bit, r);
		copy[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		pkt_free(rx);
	}
	free(copy);
	buf_free(pl);
	pair_free(&p);
}

START_TEST(test_plain_roundtrip)
{
	roundtrip(NULL, NULL);
}
END_TEST

START_TEST(test_every_cipher_and_mac)
{
	const struct cipher_alg *c;
	const struct mac_alg *m;
	size_t i, j;

	for (i = 0; (c = cipher_alg_at(i)) != NULL; i++) {
		if (cipher_alg_is_aead(c)) {
			roundtrip(c, NULL);
			tamper(c, NULL);
			continue;
		}
		for (j = 0; (m = mac_alg_at(j)) != NULL; j++) {
			roundtrip(c, m);
			tamper(c, m);
		}
	}
}
END_TEST

/* Bytes arriving one at a time decode exactly once, at the end. */
START_TEST(test_partial_input)
{
	struct pair p = pair_new(cipher_by_name("aes128-ctr"),
	    mac_by_name("hmac-sha2-256-etm@openssh.com"));
	struct buf *pl = payload_of(300, 3), *got;
	const uint8_t *out;
	size_t len, i;

	ck_assert_int_eq(pkt_send(p.tx, pl), 0);
	out = pkt_output(p.tx, &len);
	for (i = 0; i < len - 1; i++) {
		ck_assert_int_eq(pkt_input_put(p.rx, out + i, 1), 0);
		ck_assert_int_eq(pkt_next(p.rx, &got),
		    SSH_ERR_MESSAGE_INCOMPLETE);
	}
	ck_assert_int_eq(pkt_input_put(p.rx, out + len - 1, 1), 0);
	ck_assert_int_eq(pkt_next(p.rx, &got), 0);
	ck_assert_int_eq(buf_equals(got, pl), 0);
	buf_free(pl);
	pair_free(&p);
}
END_TEST

static int
decode_plain(const uint8_t *pkt, size_t len)
{
	struct pkt_state *rx = pkt_new();
	struct buf *got;
	int r;

	ck_assert_int_eq(pkt_input_put(rx, pkt, len), 0);
	r = pkt_next(rx, &got);
	pkt_free(rx);
	return r;
}

START_TEST(test_bad_lengths_and_padding)
{
	/* packet_length 12: padding 4, payload 7: valid. */
	uint8_t ok[16] = { 0, 0, 0, 12, 4, 94, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0 };
	uint8_t b[16];

	ck_assert_int_eq(decode_plain(ok, sizeof(ok)), 0);
	memcpy(b, ok, 16);
	b[4] = 3;			/* padding shorter than 4 */
	ck_assert_int_eq(decode_plain(b, 16), SSH_ERR_CONN_CORRUPT);
	b[4] = 11;			/* no payload left */
	ck_assert_int_eq(decode_plain(b, 16), SSH_ERR_CONN_CORRUPT);
	b[4] = 255;			/* padding longer than the packet */
	ck_assert_int_eq(decode_plain(b, 16), SSH_ERR_CONN_CORRUPT);
	memcpy(b, ok, 16);
	b[3] = 13;			/* not a multiple of the block size */
	ck_assert_int_eq(decode_plain(b, 16), SSH_ERR_CONN_CORRUPT);
	b[3] = 4;			/* too short to hold anything */
	ck_assert_int_eq(decode_plain(b, 16), SSH_ERR_CONN_CORRUPT);
	b[0] = 0x7f;			/* far beyond the maximum */
	ck_assert_int_eq(decode_plain(b, 16), SSH_ERR_CONN_CORRUPT);
	b[0] = 0; b[1] = 0x04; b[2] = 0; b[3] = 8;	/* 256 KiB + 8 */
	ck_assert_int_eq(decode_plain(b, 16), SSH_ERR_CONN_CORRUPT);
}
END_TEST

START_TEST(test_limits)
{
	struct pkt_state *pkt = pkt_new();
	struct buf *pl = payload_of(PKT_MAX_PAYLOAD_SEND + 1, 0), *empty;
	uint8_t junk[1024];

	ck_assert_int_eq(pkt_send(pkt, pl), SSH_ERR_INVALID_ARGUMENT);
	empty = buf_new();
	ck_assert_int_eq(pkt_send(pkt, empty), SSH_ERR_INVALID_ARGUMENT);
	/* The input buffer is bounded. */
	memset(junk, 0, sizeof(junk));
	while (pkt_input_space(pkt) >= sizeof(junk))
		ck_assert_int_eq(pkt_input_put(pkt, junk, sizeof(junk)), 0);
	ck_assert_int_eq(pkt_input_put(pkt, junk, sizeof(junk)),
	    SSH_ERR_NO_BUFFER_SPACE);
	buf_free(empty);
	buf_free(pl);
	pkt_free(pkt);
}
END_TEST

/* Strict KEX: sequence numbers restart at zero with the new keys. */
START_TEST(test_strict_seqnr_reset)
{
	struct pair p = pair_new(NULL, NULL);
	struct buf *pl = payload_of(10, 1), *got;

	ck_assert_int_eq(pkt_send(p.tx, pl), 0);
	transfer(&p);
	ck_assert_int_eq(pkt_next(p.rx, &got), 0);
	ck_assert_uint_eq(pkt_counters(p.rx, PKT_DIR_IN)->seqnr, 1);
	key_dir(p.tx, PKT_DIR_OUT, cipher_by_name("chacha20-poly1305@openssh.com"),
	    NULL, 1, 1);
	key_dir(p.rx, PKT_DIR_IN, cipher_by_name("chacha20-poly1305@openssh.com"),
	    NULL, 0, 1);
	ck_assert_uint_eq(pkt_counters(p.rx, PKT_DIR_IN)->seqnr, 0);
	ck_assert_int_eq(pkt_send(p.tx, pl), 0);
	transfer(&p);
	ck_assert_int_eq(pkt_next(p.rx, &got), 0);
	ck_assert_int_eq(buf_equals(got, pl), 0);
	/* Without the reset on one side the packet cannot be authenticated. */
	key_dir(p.tx, PKT_DIR_OUT, cipher_by_name("chacha20-poly1305@openssh.com"),
	    NULL, 1, 0);
	key_dir(p.rx, PKT_DIR_IN, cipher_by_name("chacha20-poly1305@openssh.com"),
	    NULL, 0, 1);
	ck_assert_int_eq(pkt_send(p.tx, pl), 0);
	transfer(&p);
	ck_assert_int_ne(pkt_next(p.rx, &got), 0);
	buf_free(pl);
	pair_free(&p);
}
END_TEST

START_TEST(test_fuzz_corpus_replay)
{
	ck_assert_uint_gt(tu_replay_corpus("packet", LLVMFuzzerTestOneInput),
	    0);
}
END_TEST

static Suite *
packet_suite(void)
{
	Suite *s = suite_create("packet");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_plain_roundtrip);
	tcase_add_test(tc, test_every_cipher_and_mac);
	tcase_add_test(tc, test_partial_input);
	tcase_add_test(tc, test_bad_lengths_and_padding);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_strict_seqnr_reset);
	tcase_add_test(tc, test_fuzz_corpus_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(packet_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
