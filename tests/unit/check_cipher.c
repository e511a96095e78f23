/*
 * check_cipher.c: the transport ciphers of protocol/cipher.h as a packet
 * layer uses them: the algorithm table, sequences of packets in place, every
 * single-bit forgery, wrong sequence numbers, the length peek and bad
 * arguments.
 */
#include <check.h>
#include <string.h>

#include "protocol/cipher.h"
#include "protocol/mac.h"
#include "protocol/ssherr.h"
#include "tests/unit/ciphertest.h"
#include "tests/unit/testutil.h"

/* ---- the algorithm table ---- */

START_TEST(test_alg_table)
{
	static const struct {
		const char *name;
		size_t key, iv, block, tag;
	} want[] = {
		{ "chacha20-poly1305@openssh.com", 64, 0, 8, 16 },
		{ "aes128-gcm@openssh.com", 16, 12, 16, 16 },
		{ "aes256-gcm@openssh.com", 32, 12, 16, 16 },
		{ "aes128-ctr", 16, 16, 16, 0 },
		{ "aes192-ctr", 24, 16, 16, 0 },
		{ "aes256-ctr", 32, 16, 16, 0 },
	};
	const struct cipher_alg *alg;
	size_t i, n;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		alg = cipher_by_name(want[i].name);
		ck_assert_ptr_nonnull(alg);
		ck_assert_str_eq(cipher_alg_name(alg), want[i].name);
		ck_assert_uint_eq(cipher_alg_key_len(alg), want[i].key);
		ck_assert_uint_eq(cipher_alg_iv_len(alg), want[i].iv);
		ck_assert_uint_eq(cipher_alg_block_size(alg), want[i].block);
		ck_assert_uint_eq(cipher_alg_tag_len(alg), want[i].tag);
		ck_assert_int_eq(cipher_alg_is_aead(alg), want[i].tag != 0);
		ck_assert_uint_eq(cipher_aadlen(alg, 0), want[i].tag ? 4 : 0);
		ck_assert_uint_eq(cipher_aadlen(alg, 1), 4);
	}
	for (n = 0; (alg = cipher_alg_at(n)) != NULL; n++)
		ck_assert_ptr_eq(cipher_by_name(cipher_alg_name(alg)), alg);
	ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
	ck_assert_ptr_null(cipher_by_name(NULL));
	ck_assert_ptr_null(cipher_by_name(""));
	ck_assert_ptr_null(cipher_by_name("aes128-cbc"));
	ck_assert_ptr_null(cipher_by_name("chacha20-poly1305"));
	ck_assert_ptr_null(cipher_by_name("AES128-CTR"));
	ck_assert_ptr_null(cipher_by_name("aes128-ctr "));
	ck_assert_ptr_null(cipher_by_name("none"));
}
END_TEST

START_TEST(test_init_rejects_bad_sizes)
{
	uint8_t key[CIPHER_MAX_KEY_LEN + 1] = { 0 }, iv[CIPHER_MAX_IV_LEN + 1];
	const struct cipher_alg *alg;
	struct cipher_ctx *ctx;
	size_t i, kl, il;

	memset(iv, 0, sizeof(iv));
	for (i = 0; (alg = cipher_alg_at(i)) != NULL; i++) {
		kl = cipher_alg_key_len(alg);
		il = cipher_alg_iv_len(alg);
		ctx = (struct cipher_ctx *)1;
		ck_assert_int_eq(cipher_init(&ctx, alg, key, kl - 1, iv, il,
		    1), SSH_ERR_INVALID_ARGUMENT);
		ck_assert_ptr_null(ctx);
		ck_assert_int_eq(cipher_init(&ctx, alg, key, kl + 1, iv, il,
		    1), SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(cipher_init(&ctx, alg, key, kl, iv, il + 1,
		    1), SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(cipher_init(&ctx, alg, NULL, kl, iv, il, 1),
		    SSH_ERR_INVALID_ARGUMENT);
		if (il != 0) {
			ck_assert_int_eq(cipher_init(&ctx, alg, key, kl, iv,
			    il - 1, 1), SSH_ERR_INVALID_ARGUMENT);
			ck_assert_int_eq(cipher_init(&ctx, alg, key, kl, NULL,
			    il, 1), SSH_ERR_INVALID_ARGUMENT);
		}
		ck_assert_ptr_null(ctx);
		ck_assert_int_eq(cipher_init(&ctx, alg, key, kl, iv, il, 0), 0);
		cipher_free(ctx);
	}
	ck_assert_int_eq(cipher_init(&ctx, NULL, key, 16, iv, 16, 1),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_init(NULL, cipher_alg_at(0), key, 64, NULL, 0,
	    1), SSH_ERR_INVALID_ARGUMENT);
	cipher_free(NULL);
}
END_TEST

/* ---- the modes as a packet layer drives them ---- */

struct combo {
	const struct cipher_alg *ca;
	const struct mac_alg *ma;	/* NULL with an AEAD cipher */
	uint8_t key[CIPHER_MAX_KEY_LEN], iv[CIPHER_MAX_IV_LEN];
	uint8_t mkey[MAC_MAX_KEY_LEN];
	size_t aadlen, authlen;
};

struct endpoint {
	struct cipher_ctx *c;
	struct mac_ctx *m;
};

static void
combo_setup(struct combo *co, const struct cipher_alg *ca,
    const struct mac_alg *ma)
{
	memset(co, 0, sizeof(*co));
	co->ca = ca;
	co->ma = ma;
	fill(co->key, sizeof(co->key), 0x31);
	fill(co->iv, sizeof(co->iv), 0x77);
	fill(co->mkey, sizeof(co->mkey), 0x55);
	co->aadlen = cipher_aadlen(ca, ma != NULL && mac_alg_etm(ma));
	co->authlen = ma != NULL ? mac_alg_out_len(ma) : cipher_alg_tag_len(ca);
}

static struct endpoint
endpoint_new(const struct combo *co, int encrypt)
{
	struct endpoint e = { NULL, NULL };

	e.c = ctx_new(co->ca, co->key, co->iv, encrypt);
	if (co->ma != NULL)
		ck_assert_int_eq(mac_init(&e.m, co->ma, co->mkey,
		    mac_alg_key_len(co->ma)), 0);
	return e;
}

static void
endpoint_free(struct endpoint *e)
{
	cipher_free(e->c);
	mac_free(e->m);
}

/* RFC 4253 section 6 framing; returns len (from the length field on). */
static size_t
make_packet(const struct combo *co, uint8_t *p, size_t paylen, uint8_t seed)
{
	size_t bs = cipher_alg_block_size(co->ca), pad, len;

	pad = bs - (4 + 1 + paylen - co->aadlen) % bs;
	if (pad < 4)
		pad += bs;
	len = 4 + 1 + paylen + pad;
	ck_assert_uint_le(len + co->authlen, PKT_MAX);
	fill(p, len, seed);
	put_be32(p, (uint32_t)(len - 4));
	p[4] = (uint8_t)pad;
	return len;
}

/* Sends in place; the wire image is len + authlen bytes. */
static void
send_packet(const struct combo *co, struct endpoint *e, uint32_t seqnr,
    uint8_t *p, size_t len)
{
	if (co->ma == NULL) {
		ck_assert_int_eq(cipher_crypt(e->c, seqnr, p, p, len, 4,
		    co->authlen), 0);
	} else if (mac_alg_etm(co->ma)) {
		ck_assert_int_eq(cipher_crypt(e->c, seqnr, p, p, len, 4, 0), 0);
		ck_assert_int_eq(mac_compute(e->m, seqnr, p, len, p + len,
		    co->authlen), 0);
	} else {
		ck_assert_int_eq(mac_compute(e->m, seqnr, p, len, p + len,
		    co->authlen), 0);
		ck_assert_int_eq(cipher_crypt(e->c, seqnr, p, p, len, 0, 0), 0);
	}
}

/* Receives wire (len + authlen bytes) into out; 0 or the first error. */
static int
recv_packet(const struct combo *co, struct endpoint *e, uint32_t seqnr,
    const uint8_t *wire, size_t len, uint8_t *out)
{
	int r;

	if (co->ma == NULL)
		return cipher_crypt(e->c, seqnr, out, wire, len, 4,
		    co->authlen);
	if (mac_alg_etm(co->ma)) {
		if ((r = mac_verify(e->m, seqnr, wire, len, wire + len,
		    co->authlen)) != 0)
			return r;
		return cipher_crypt(e->c, seqnr, out, wire, len, 4, 0);
	}
	/* Plain MAC: decryption must come first; the caller wipes on error. */
	if ((r = cipher_crypt(e->c, seqnr, out, wire, len, 0, 0)) != 0)
		return r;
	if ((r = mac_verify(e->m, seqnr, out, len, wire + len,
	    co->authlen)) != 0)
		explicit_bzero(out, len);
	return r;
}

/* Calls fn for every AEAD cipher and every (CTR cipher, MAC) pair. */
static void
for_each_combo(void (*fn)(const struct combo *))
{
	const struct cipher_alg *ca;
	const struct mac_alg *ma;
	struct combo co;
	size_t i, j, n = 0;

	for (i = 0; (ca = cipher_alg_at(i)) != NULL; i++) {
		if (cipher_alg_is_aead(ca)) {
			combo_setup(&co, ca, NULL);
			fn(&co);
			n++;
			continue;
		}
		for (j = 0; (ma = mac_alg_at(j)) != NULL; j++) {
			combo_setup(&co, ca, ma);
			fn(&co);
			n++;
		}
	}
	ck_assert_uint_eq(n, 3 + 3 * 10);
}

static void
roundtrip(const struct combo *co)
{
	static const uint32_t starts[] = { 0, 0xfffffffd };
	uint8_t p[PKT_MAX], orig[PKT_MAX];
	size_t s, k, len, peek;
	uint32_t seqnr, plen;

	for (s = 0; s < 2; s++) {
		struct endpoint tx = endpoint_new(co, 1);
		struct endpoint rx = endpoint_new(co, 0);

		for (k = 0; k < 24; k++) {
			seqnr = starts[s] + (uint32_t)k;
			len = make_packet(co, p, k * 13, (uint8_t)k);
			memcpy(orig, p, len);
			send_packet(co, &tx, seqnr, p, len);
			ck_assert_msg(memcmp(p + co->aadlen, orig + co->aadlen,
			    len - co->aadlen) != 0, "%s: not encrypted",
			    cipher_alg_name(co->ca));
			/* The length is peeked at before the rest arrives. */
			peek = co->aadlen != 0 ? 4 :
			    cipher_alg_block_size(co->ca);
			ck_assert_int_eq(cipher_get_length(rx.c, seqnr, p,
			    peek - 1, co->aadlen, &plen),
			    SSH_ERR_MESSAGE_INCOMPLETE);
			ck_assert_int_eq(cipher_get_length(rx.c, seqnr, p,
			    peek, co->aadlen, &plen), 0);
			ck_assert_uint_eq(plen, len - 4);
			/* In place, as the packet layer does. */
			ck_assert_int_eq(recv_packet(co, &rx, seqnr, p, len,
			    p), 0);
			ck_assert_mem_eq(p, orig, len);
		}
		endpoint_free(&tx);
		endpoint_free(&rx);
	}
}

START_TEST(test_roundtrip_all)
{
	for_each_combo(roundtrip);
}
END_TEST

/*
 * Every single-bit change of the wire image (length, body, tag or MAC) of a
 * packet is refused with SSH_ERR_MAC_INVALID, and the output buffer holds no
 * plaintext afterwards (each byte still the 0xa5 it was primed with, or 0).
 */
static void
tamper(const struct combo *co)
{
	const uint32_t seqnr = 0x01020304;
	uint8_t wire[PKT_MAX], bad[PKT_MAX], out[PKT_MAX];
	size_t len, wlen, bit, i;
	struct endpoint tx = endpoint_new(co, 1), rx;

	len = make_packet(co, wire, 23, 0x99);
	send_packet(co, &tx, seqnr, wire, len);
	wlen = len + co->authlen;
	endpoint_free(&tx);
	for (bit = 0; bit < wlen * 8; bit++) {
		memcpy(bad, wire, wlen);
		bad[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		memset(out, 0xa5, sizeof(out));
		rx = endpoint_new(co, 0);
		ck_assert_msg(recv_packet(co, &rx, seqnr, bad, len, out) ==
		    SSH_ERR_MAC_INVALID, "%s/%s: bit %zu accepted",
		    cipher_alg_name(co->ca),
		    co->ma ? mac_alg_name(co->ma) : "-", bit);
		for (i = 0; i < len; i++)
			ck_assert_msg(out[i] == 0xa5 || out[i] == 0,
			    "%s: plaintext left after a forgery",
			    cipher_alg_name(co->ca));
		endpoint_free(&rx);
	}
	/* The untouched packet does go through the same path. */
	rx = endpoint_new(co, 0);
	ck_assert_int_eq(recv_packet(co, &rx, seqnr, wire, len, out), 0);
	endpoint_free(&rx);
}

START_TEST(test_single_bit_forgeries)
{
	for_each_combo(tamper);
}
END_TEST

/* Decrypting under the wrong sequence number fails (chacha20-poly1305 and
 * every MAC); for GCM, which ignores seqnr, a skipped packet fails. */
static void
wrong_order(const struct combo *co)
{
	uint8_t p1[PKT_MAX], p2[PKT_MAX], o1[PKT_MAX], o2[PKT_MAX];
	uint8_t w1[PKT_MAX], w2[PKT_MAX], out[PKT_MAX];
	size_t l1, l2;
	struct endpoint tx = endpoint_new(co, 1), rx;
	int gcm = co->ma == NULL && strstr(cipher_alg_name(co->ca), "gcm");

	l1 = make_packet(co, p1, 40, 1);
	l2 = make_packet(co, p2, 40, 2);
	memcpy(o1, p1, l1);
	memcpy(o2, p2, l2);
	send_packet(co, &tx, 5, p1, l1);
	send_packet(co, &tx, 6, p2, l2);
	endpoint_free(&tx);
	memcpy(w1, p1, l1 + co->authlen);
	memcpy(w2, p2, l2 + co->authlen);

	rx = endpoint_new(co, 0);
	if (gcm) {
		/* Packet 2 first: its IV is not the one expected. */
		ck_assert_int_eq(recv_packet(co, &rx, 6, w2, l2, out),
		    SSH_ERR_MAC_INVALID);
	} else {
		ck_assert_int_eq(recv_packet(co, &rx, 6, w1, l1, out),
		    SSH_ERR_MAC_INVALID);
		endpoint_free(&rx);
		rx = endpoint_new(co, 0);
		ck_assert_int_eq(recv_packet(co, &rx, 4, w1, l1, out),
		    SSH_ERR_MAC_INVALID);
		endpoint_free(&rx);
		rx = endpoint_new(co, 0);
	}
	/* A failed AEAD packet leaves the receiving state as it was. */
	ck_assert_int_eq(recv_packet(co, &rx, 5, w1, l1, out), 0);
	ck_assert_mem_eq(out, o1, l1);
	ck_assert_int_eq(recv_packet(co, &rx, 6, w2, l2, out), 0);
	ck_assert_mem_eq(out, o2, l2);
	endpoint_free(&rx);
}

START_TEST(test_wrong_seqnr_or_order)
{
	for_each_combo(wrong_order);
}
END_TEST

START_TEST(test_crypt_rejects_bad_arguments)
{
	const struct cipher_alg *chacha =
	    cipher_by_name("chacha20-poly1305@openssh.com");
	const struct cipher_alg *gcm = cipher_by_name("aes128-gcm@openssh.com");
	const struct cipher_alg *ctr = cipher_by_name("aes128-ctr");
	uint8_t key[64] = { 0 }, iv[16] = { 0 }, p[256];
	struct cipher_ctx *c = ctx_new(chacha, key, NULL, 1);
	struct cipher_ctx *g = ctx_new(gcm, key, iv, 1);
	struct cipher_ctx *t = ctx_new(ctr, key, iv, 1);
	struct cipher_ctx *td = ctx_new(ctr, key, iv, 0);
	uint32_t plen;

	memset(p, 0, sizeof(p));
	/* aadlen must be 4 for AEAD, 0 or 4 for CTR. */
	ck_assert_int_eq(cipher_crypt(c, 0, p, p, 36, 0, 16),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(g, 0, p, p, 36, 0, 16),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(t, 0, p, p, 36, 5, 0),
	    SSH_ERR_INVALID_ARGUMENT);
	/* The tag length is the algorithm's. */
	ck_assert_int_eq(cipher_crypt(c, 0, p, p, 36, 4, 0),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(g, 0, p, p, 36, 4, 12),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(t, 0, p, p, 32, 0, 16),
	    SSH_ERR_INVALID_ARGUMENT);
	/* len - aadlen: a positive multiple of the block size. */
	ck_assert_int_eq(cipher_crypt(c, 0, p, p, 4 + 12, 4, 16),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(c, 0, p, p, 4, 4, 16),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(g, 0, p, p, 4 + 8, 4, 16),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(t, 0, p, p, 36, 0, 0),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(t, 0, p, p, 0, 0, 0),
	    SSH_ERR_INVALID_ARGUMENT);
	/* Partially overlapping buffers. */
	ck_assert_int_eq(cipher_crypt(t, 0, p + 1, p, 32, 0, 0),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(c, 0, p, p + 40, 36, 4, 16),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_crypt(NULL, 0, p, p, 32, 0, 0),
	    SSH_ERR_INVALID_ARGUMENT);
	/* The valid shapes do work, and adjacent buffers are fine. */
	ck_assert_int_eq(cipher_crypt(c, 0, p, p, 36, 4, 16), 0);
	ck_assert_int_eq(cipher_crypt(c, 0, p + 52, p, 36, 4, 16), 0);
	ck_assert_int_eq(cipher_crypt(t, 0, p, p, 36, 4, 0), 0);
	ck_assert_int_eq(cipher_crypt(t, 0, p, p, 32, 0, 0), 0);
	/* Peeking is for receiving contexts only. */
	ck_assert_int_eq(cipher_get_length(t, 0, p, 16, 0, &plen),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_get_length(td, 0, p, 16, 5, &plen),
	    SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_get_length(td, 0, p, 15, 0, &plen),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	ck_assert_int_eq(cipher_get_length(td, 0, p, 3, 4, &plen),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	ck_assert_int_eq(cipher_get_length(td, 0, p, 0, 4, &plen),
	    SSH_ERR_MESSAGE_INCOMPLETE);
	cipher_free(c);
	cipher_free(g);
	cipher_free(t);
	cipher_free(td);
}
END_TEST

/* The one-shot GCM refuses the sizes the SSH modes do not use. */
START_TEST(test_gcm_oneshot_sizes)
{
	uint8_t key[32] = { 0 }, iv[16] = { 0 }, buf[16] = { 0 }, tag[16];

	ck_assert_int_eq(cipher_aes_gcm_seal(key, 24, iv, 12, NULL, 0, buf,
	    buf, 16, tag, 16), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_aes_gcm_seal(key, 16, iv, 16, NULL, 0, buf,
	    buf, 16, tag, 16), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_aes_gcm_seal(key, 16, iv, 0, NULL, 0, buf,
	    buf, 16, tag, 16), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_aes_gcm_seal(key, 16, iv, 12, NULL, 0, buf,
	    buf, 16, tag, 12), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(cipher_aes_gcm_seal(key, 16, iv, 12, NULL, 0, buf,
	    buf, 16, tag, 16), 0);
	ck_assert_int_eq(cipher_aes_gcm_open(key, 16, iv, 12, NULL, 0, buf,
	    buf, 16, tag, 16), 0);
	ck_assert_int_eq(cipher_aes_gcm_open(key, 16, iv, 12, NULL, 0, buf,
	    buf, 16, tag, 8), SSH_ERR_INVALID_ARGUMENT);
}
END_TEST

static Suite *
cipher_suite(void)
{
	Suite *s = suite_create("cipher");
	TCase *tc = tcase_create("core");

	/* The forgery sweep re-keys per bit; slow under sanitizers. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_alg_table);
	tcase_add_test(tc, test_init_rejects_bad_sizes);
	tcase_add_test(tc, test_roundtrip_all);
	tcase_add_test(tc, test_single_bit_forgeries);
	tcase_add_test(tc, test_wrong_seqnr_or_order);
	tcase_add_test(tc, test_crypt_rejects_bad_arguments);
	tcase_add_test(tc, test_gcm_oneshot_sizes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(cipher_suite());
}
