/*
 * check_cipher.c: the transport ciphers of protocol/cipher.h.
 *
 * Published vectors (RFC 8439, NIST SP 800-38A, Wycheproof, the original
 * ChaCha vectors of draft-strombergson-chacha-test-vectors) run through the
 * layer's own primitives; the SSH modes are then checked against
 * constructions built from those primitives, and as a packet layer uses them:
 * sequences of packets in place, every single-bit forgery, wrong sequence
 * numbers, and the length peek.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/cipher.h"
#include "protocol/mac.h"
#include "protocol/ssherr.h"
#include "tests/unit/testutil.h"

#define PKT_MAX		2048

static void
assert_hex_eq(const uint8_t *got, const char *hex)
{
	size_t len;
	uint8_t *want = tu_hex(hex, &len);

	ck_assert_msg(memcmp(got, want, len) == 0, "mismatch against %s", hex);
	free(want);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Deterministic filler so that every run sees the same bytes. */
static void
fill(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7 + (i >> 3));
}

static struct cipher_ctx *
ctx_new(const struct cipher_alg *alg, const uint8_t *key, const uint8_t *iv,
    int encrypt)
{
	struct cipher_ctx *ctx = NULL;

	ck_assert_int_eq(cipher_init(&ctx, alg, key, cipher_alg_key_len(alg),
	    iv, cipher_alg_iv_len(alg), encrypt), 0);
	ck_assert_ptr_nonnull(ctx);
	return ctx;
}

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

/* ---- RFC 8439 ---- */

static const char rfc_key_00_1f[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char rfc_sunscreen[] =
    "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
    "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
    "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
    "637265656e20776f756c642062652069742e";

/* RFC 8439 section 2.3.2: the block function is the keystream over zeros. */
START_TEST(test_rfc8439_block)
{
	static const uint8_t zero[64];
	size_t kl, nl;
	uint8_t *key = tu_hex(rfc_key_00_1f, &kl);
	uint8_t *nonce = tu_hex("000000090000004a00000000", &nl);
	uint8_t out[64];

	ck_assert_int_eq(cipher_chacha20_xor(key, 1, nonce, zero, out, 64), 0);
	assert_hex_eq(out,
	    "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	    "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
	free(key);
	free(nonce);
}
END_TEST

/* RFC 8439 section 2.4.2, also in place and split at a non-block boundary. */
START_TEST(test_rfc8439_encrypt)
{
	static const char cthex[] =
	    "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	    "5af90bbf74a35be6b40b8eedf2785e42874d";
	size_t kl, nl, pl;
	uint8_t *key = tu_hex(rfc_key_00_1f, &kl);
	uint8_t *nonce = tu_hex("000000000000004a00000000", &nl);
	uint8_t *pt = tu_hex(rfc_sunscreen, &pl);
	uint8_t out[128];

	ck_assert_uint_eq(pl, 114);
	ck_assert_int_eq(cipher_chacha20_xor(key, 1, nonce, pt, out, pl), 0);
	assert_hex_eq(out, cthex);
	/* Back again, in place. */
	ck_assert_int_eq(cipher_chacha20_xor(key, 1, nonce, out, out, pl), 0);
	ck_assert_mem_eq(out, pt, pl);
	/* Blocks 1 and 2 separately give the same keystream. */
	ck_assert_int_eq(cipher_chacha20_xor(key, 1, nonce, pt, out, 64), 0);
	ck_assert_int_eq(cipher_chacha20_xor(key, 2, nonce, pt + 64, out + 64,
	    pl - 64), 0);
	assert_hex_eq(out, cthex);
	free(key);
	free(nonce);
	free(pt);
}
END_TEST

/* RFC 8439 section 2.5.2. */
START_TEST(test_rfc8439_poly1305)
{
	static const char msg[] = "Cryptographic Forum Research Group";
	size_t kl, tl, i;
	uint8_t *key = tu_hex("85d6be7857556d337f4452fe42d506a8"
	    "0103808afb0db2fd4abff6af4149f51b", &kl);
	uint8_t *want = tu_hex("a8061dc1305136c6c22b8baf0c0127a9", &tl);
	uint8_t tag[16];

	ck_assert_int_eq(cipher_poly1305(key, (const uint8_t *)msg,
	    strlen(msg), tag), 0);
	ck_assert_mem_eq(tag, want, 16);
	ck_assert_int_eq(cipher_poly1305_verify(key, (const uint8_t *)msg,
	    strlen(msg), want), 0);
	for (i = 0; i < 128; i++) {
		want[i / 8] ^= (uint8_t)(1 << (i % 8));
		ck_assert_int_eq(cipher_poly1305_verify(key,
		    (const uint8_t *)msg, strlen(msg), want),
		    SSH_ERR_MAC_INVALID);
		want[i / 8] ^= (uint8_t)(1 << (i % 8));
	}
	free(key);
	free(want);
}
END_TEST

/* RFC 8439 section 2.6.2: the one-time key is keystream block 0. */
START_TEST(test_rfc8439_poly_keygen)
{
	static const uint8_t zero[32];
	size_t kl, nl;
	uint8_t *key = tu_hex("808182838485868788898a8b8c8d8e8f"
	    "909192939495969798999a9b9c9d9e9f", &kl);
	uint8_t *nonce = tu_hex("000000000001020304050607", &nl);
	uint8_t out[32];

	ck_assert_int_eq(cipher_chacha20_xor(key, 0, nonce, zero, out, 32), 0);
	assert_hex_eq(out, "8ad5a08b905f81cc815040274ab29471"
	    "a833b637e3fd0da508dbb8e2fdd1a646");
	free(key);
	free(nonce);
}
END_TEST

/*
 * The IETF AEAD of RFC 8439 section 2.8, composed from the layer's ChaCha20
 * and Poly1305 exactly as the RFC's pseudocode: one-time key = block 0,
 * payload from block 1, tag over aad | pad16 | ct | pad16 | le64(aadlen) |
 * le64(ctlen).  Opening checks the tag before decrypting.
 */
static int
ietf_aead(int seal, const uint8_t *key, const uint8_t *nonce,
    const uint8_t *aad, size_t aadlen, const uint8_t *in, uint8_t *out,
    size_t len, uint8_t *tag)
{
	static const uint8_t zero[32];
	uint8_t otk[32];
	size_t n = 0, cap = aadlen + len + 32 + 16;
	uint8_t *mac_data = calloc(1, cap);
	const uint8_t *ct = seal ? out : in;
	int r;

	ck_assert_ptr_nonnull(mac_data);
	ck_assert_int_eq(cipher_chacha20_xor(key, 0, nonce, zero, otk, 32), 0);
	if (seal)
		ck_assert_int_eq(cipher_chacha20_xor(key, 1, nonce, in, out,
		    len), 0);
	memcpy(mac_data, aad, aadlen);
	n = (aadlen + 15) / 16 * 16;
	memcpy(mac_data + n, ct, len);
	n += (len + 15) / 16 * 16;
	put_le64(mac_data + n, aadlen);
	put_le64(mac_data + n + 8, len);
	n += 16;
	if (seal) {
		r = cipher_poly1305(otk, mac_data, n, tag);
	} else if ((r = cipher_poly1305_verify(otk, mac_data, n, tag)) == 0) {
		r = cipher_chacha20_xor(key, 1, nonce, in, out, len);
	}
	free(mac_data);
	return r;
}

/* RFC 8439 section 2.8.2. */
START_TEST(test_rfc8439_aead)
{
	size_t kl, nl, al, pl, cl;
	uint8_t *key = tu_hex("808182838485868788898a8b8c8d8e8f"
	    "909192939495969798999a9b9c9d9e9f", &kl);
	/* 32-bit fixed-common part 07000000 || IV 4041424344454647 */
	uint8_t *nonce = tu_hex("070000004041424344454647", &nl);
	uint8_t *aad = tu_hex("50515253c0c1c2c3c4c5c6c7", &al);
	uint8_t *pt = tu_hex(rfc_sunscreen, &pl);
	uint8_t *ct = tu_hex(
	    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	    "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	    "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	    "3ff4def08e4b7a9de576d26586cec64b6116", &cl);
	uint8_t out[128], tag[16];

	ck_assert_uint_eq(cl, pl);
	ck_assert_int_eq(ietf_aead(1, key, nonce, aad, al, pt, out, pl, tag),
	    0);
	ck_assert_mem_eq(out, ct, cl);
	assert_hex_eq(tag, "1ae10b594f09e26a7e902ecbd0600691");
	memset(out, 0, sizeof(out));
	ck_assert_int_eq(ietf_aead(0, key, nonce, aad, al, ct, out, cl, tag),
	    0);
	ck_assert_mem_eq(out, pt, pl);
	aad[0] ^= 1;
	ck_assert_int_eq(ietf_aead(0, key, nonce, aad, al, ct, out, cl, tag),
	    SSH_ERR_MAC_INVALID);
	free(key);
	free(nonce);
	free(aad);
	free(pt);
	free(ct);
}
END_TEST

/*
 * Original ChaCha (64-bit nonce, 64-bit counter), which OpenSSH's
 * construction uses, is RFC 8439 ChaCha20 with nonce 00000000 || N while the
 * counter is below 2^32: draft-strombergson-chacha-test-vectors-01 TC8
 * (256-bit key, 20 rounds), keystream blocks 0 and 1.
 */
START_TEST(test_chacha_original_layout)
{
	static const uint8_t zero[128];
	size_t kl, nl;
	uint8_t *key = tu_hex("c46ec1b18ce8a878725a37e780dfb735"
	    "1f68ed2e194c79fbc6aebee1a667975d", &kl);
	uint8_t *nonce = tu_hex("000000001ada31d5cf688221", &nl);
	uint8_t out[128];

	ck_assert_int_eq(cipher_chacha20_xor(key, 0, nonce, zero, out, 128),
	    0);
	assert_hex_eq(out,
	    "f63a89b75c2271f9368816542ba52f06ed49241792302b00b5e8f80ae9a473af"
	    "c25b218f519af0fdd406362e8d69de7f54c604a6e00f353f110f771bdca8ab92"
	    "e5fbc34e60a1d9a9db17345b0a402736853bf910b060bdf1f897b6290f01d138"
	    "ae2c4c90225ba9ea14d518f55929dea098ca7a6ccfe61227053c84e49a4a3332");
	ck_assert_int_eq(cipher_chacha20_xor(key, 1, nonce, zero, out, 64), 0);
	assert_hex_eq(out,
	    "e5fbc34e60a1d9a9db17345b0a402736853bf910b060bdf1f897b6290f01d138"
	    "ae2c4c90225ba9ea14d518f55929dea098ca7a6ccfe61227053c84e49a4a3332");
	free(key);
	free(nonce);
}
END_TEST

/* ---- Wycheproof ---- */

START_TEST(test_wycheproof_chacha20_poly1305)
{
	json_t *root = tu_wycheproof("chacha20_poly1305_test.json");
	json_t *groups = json_object_get(root, "testGroups"), *g, *tests, *t;
	size_t gi, ti, tested = 0, skipped = 0, rejected = 0;
	size_t kl, nl, al, ml, cl, tl;

	json_array_foreach(groups, gi, g) {
		tests = json_object_get(g, "tests");
		json_array_foreach(tests, ti, t) {
			uint8_t *key = tu_hex(tu_str(t, "key"), &kl);
			uint8_t *nonce = tu_hex(tu_str(t, "iv"), &nl);
			uint8_t *aad = tu_hex(tu_str(t, "aad"), &al);
			uint8_t *msg = tu_hex(tu_str(t, "msg"), &ml);
			uint8_t *ct = tu_hex(tu_str(t, "ct"), &cl);
			uint8_t *tag = tu_hex(tu_str(t, "tag"), &tl);
			uint8_t *out = malloc(cl + ml + 1), mytag[16];
			int expect = tu_expect(t), r;

			ck_assert_ptr_nonnull(out);
			if (kl != CIPHER_CHACHA_KEY_LEN ||
			    nl != CIPHER_CHACHA_NONCE_LEN || tl != 16) {
				/* The primitive takes only these sizes. */
				ck_assert_int_ne(expect, 1);
				skipped++;
				goto next;
			}
			tested++;
			r = ietf_aead(0, key, nonce, aad, al, ct, out, cl, tag);
			if (expect == 1) {
				ck_assert_msg(r == 0, "tcId %lld: %s",
				    json_integer_value(json_object_get(t,
				    "tcId")), ssh_err(r));
				ck_assert_mem_eq(out, msg, ml);
				ck_assert_int_eq(ietf_aead(1, key, nonce, aad,
				    al, msg, out, ml, mytag), 0);
				ck_assert_mem_eq(out, ct, cl);
				ck_assert_mem_eq(mytag, tag, 16);
			} else if (expect == 0) {
				ck_assert_msg(r == SSH_ERR_MAC_INVALID,
				    "tcId %lld accepted", json_integer_value(
				    json_object_get(t, "tcId")));
				rejected++;
			}
 next:
			free(key);
			free(nonce);
			free(aad);
			free(msg);
			free(ct);
			free(tag);
			free(out);
		}
	}
	ck_assert_uint_eq(tested + skipped, (size_t)json_integer_value(
	    json_object_get(root, "numberOfTests")));
	/* 12-byte nonces: 316 cases; the 9 others are bad nonce sizes. */
	ck_assert_uint_eq(tested, 316);
	ck_assert_uint_eq(rejected, 60);
	json_decref(root);
}
END_TEST

START_TEST(test_wycheproof_aes_gcm)
{
	json_t *root = tu_wycheproof("aes_gcm_test.json");
	json_t *groups = json_object_get(root, "testGroups"), *g, *tests, *t;
	size_t gi, ti, tested = 0, skipped = 0, rejected = 0;
	size_t kl, nl, al, ml, cl, tl;

	json_array_foreach(groups, gi, g) {
		tests = json_object_get(g, "tests");
		json_array_foreach(tests, ti, t) {
			uint8_t *key = tu_hex(tu_str(t, "key"), &kl);
			uint8_t *iv = tu_hex(tu_str(t, "iv"), &nl);
			uint8_t *aad = tu_hex(tu_str(t, "aad"), &al);
			uint8_t *msg = tu_hex(tu_str(t, "msg"), &ml);
			uint8_t *ct = tu_hex(tu_str(t, "ct"), &cl);
			uint8_t *tag = tu_hex(tu_str(t, "tag"), &tl);
			uint8_t *out = malloc(cl + ml + 1), mytag[16];
			long long id = json_integer_value(json_object_get(t,
			    "tcId"));
			int expect = tu_expect(t), r;

			ck_assert_ptr_nonnull(out);
			r = cipher_aes_gcm_open(key, kl, iv, nl, aad, al, ct,
			    out, cl, tag, tl);
			if ((kl != 16 && kl != 32) || nl != 12 || tl != 16) {
				/* Unsupported sizes are refused, not tried. */
				ck_assert_msg(r == SSH_ERR_INVALID_ARGUMENT,
				    "tcId %lld: %s", id, ssh_err(r));
				ck_assert_int_eq(cipher_aes_gcm_seal(key, kl,
				    iv, nl, aad, al, msg, out, ml, mytag, tl),
				    SSH_ERR_INVALID_ARGUMENT);
				skipped++;
				goto next;
			}
			tested++;
			if (expect == 1) {
				ck_assert_msg(r == 0, "tcId %lld: %s", id,
				    ssh_err(r));
				ck_assert_mem_eq(out, msg, ml);
				ck_assert_int_eq(cipher_aes_gcm_seal(key, kl,
				    iv, nl, aad, al, msg, out, ml, mytag, tl),
				    0);
				ck_assert_mem_eq(out, ct, cl);
				ck_assert_mem_eq(mytag, tag, 16);
			} else if (expect == 0) {
				ck_assert_msg(r == SSH_ERR_MAC_INVALID,
				    "tcId %lld accepted", id);
				rejected++;
			}
 next:
			free(key);
			free(iv);
			free(aad);
			free(msg);
			free(ct);
			free(tag);
			free(out);
		}
	}
	ck_assert_uint_eq(tested + skipped, (size_t)json_integer_value(
	    json_object_get(root, "numberOfTests")));
	/* 96-bit IV with 128/256-bit keys: 40+27 + 39+27 cases. */
	ck_assert_uint_eq(tested, 133);
	ck_assert_uint_eq(rejected, 54);
	json_decref(root);
}
END_TEST

/* ---- the SSH modes against independent constructions ---- */

/*
 * chacha20-poly1305@openssh.com built from the RFC 8439 primitives (verified
 * above) following PROTOCOL.chacha20poly1305: with nonce = 00000000 ||
 * BE64(seqnr) (the original 64-bit nonce, see test_chacha_original_layout),
 *   wire[0..4)   = plain length XOR ChaCha20(K_1, counter 0)
 *   wire[4..len) = plain rest XOR ChaCha20(K_2, counter 1, 2, ...)
 *   tag          = Poly1305(first 32 bytes of ChaCha20(K_2, counter 0),
 *                           wire[0..len))
 * where K_2 is the first 32 bytes of the 64-byte key and K_1 the last 32.
 */
static void
chachapoly_reference(const uint8_t key[64], uint32_t seqnr,
    const uint8_t *pt, size_t len, uint8_t *wire)
{
	static const uint8_t zero[32];
	uint8_t nonce[12] = { 0 }, otk[32];

	put_be32(nonce + 8, seqnr);
	ck_assert_int_eq(cipher_chacha20_xor(key + 32, 0, nonce, pt, wire, 4),
	    0);
	ck_assert_int_eq(cipher_chacha20_xor(key, 1, nonce, pt + 4, wire + 4,
	    len - 4), 0);
	ck_assert_int_eq(cipher_chacha20_xor(key, 0, nonce, zero, otk, 32), 0);
	ck_assert_int_eq(cipher_poly1305(otk, wire, len, wire + len), 0);
}

START_TEST(test_chachapoly_openssh_kat)
{
	static const uint32_t seqnrs[] = { 0, 1, 3, 0x01020304, 0xffffffff };
	const struct cipher_alg *alg =
	    cipher_by_name("chacha20-poly1305@openssh.com");
	uint8_t key[64], pt[PKT_MAX], want[PKT_MAX], got[PKT_MAX];
	struct cipher_ctx *enc, *dec;
	size_t i, len;
	uint32_t plen;

	fill(key, sizeof(key), 0x42);
	enc = ctx_new(alg, key, NULL, 1);
	dec = ctx_new(alg, key, NULL, 0);
	for (i = 0; i < sizeof(seqnrs) / sizeof(seqnrs[0]); i++) {
		/* 4 + 8k bytes: several ChaCha blocks, not block-aligned. */
		len = 4 + 8 * (1 + 17 * i);
		fill(pt, len, (uint8_t)i);
		put_be32(pt, (uint32_t)len - 4);
		chachapoly_reference(key, seqnrs[i], pt, len, want);
		ck_assert_int_eq(cipher_crypt(enc, seqnrs[i], got, pt, len, 4,
		    16), 0);
		ck_assert_mem_eq(got, want, len + 16);
		ck_assert_int_eq(cipher_get_length(dec, seqnrs[i], got, 4, 4,
		    &plen), 0);
		ck_assert_uint_eq(plen, len - 4);
		ck_assert_int_eq(cipher_crypt(dec, seqnrs[i], got, got, len, 4,
		    16), 0);
		ck_assert_mem_eq(got, pt, len);
	}
	cipher_free(enc);
	cipher_free(dec);
}
END_TEST

/*
 * aesN-ctr against NIST SP 800-38A F.5.1, F.5.3 and F.5.5: the four blocks
 * sent as two SSH packets of two blocks each (the counter block carries from
 * ...feff to ...ff00 inside the first packet and continues across packets),
 * then decrypted (F.5.2/4/6) with a receiving context.
 */
START_TEST(test_aes_ctr_sp800_38a)
{
	static const struct {
		const char *name, *key, *ct;
	} v[] = {
		{ "aes128-ctr", "2b7e151628aed2a6abf7158809cf4f3c",
		    "874d6191b620e3261bef6864990db6ce"
		    "9806f66b7970fdff8617187bb9fffdff"
		    "5ae4df3edbd5d35e5b4f09020db03eab"
		    "1e031dda2fbe03d1792170a0f3009cee" },
		{ "aes192-ctr",
		    "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
		    "1abc932417521ca24f2b0459fe7e6e0b"
		    "090339ec0aa6faefd5ccc2c6f4ce8e94"
		    "1e36b26bd1ebc670d1bd1d665620abf7"
		    "4f78a7f6d29809585a97daec58c6b050" },
		{ "aes256-ctr", "603deb1015ca71be2b73aef0857d7781"
		    "1f352c073b6108d72d9810a30914dff4",
		    "601ec313775789a5b7a7f504bbf3d228"
		    "f443e3ca4d62b59aca84e990cacaf5c5"
		    "2b0930daa23de94ce87017ba2d84988d"
		    "dfc9c58db67aada613c2dd08457941a6" },
	};
	size_t i, kl, il, pl, cl;
	uint8_t *iv = tu_hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", &il);
	uint8_t *pt = tu_hex("6bc1bee22e409f96e93d7e117393172a"
	    "ae2d8a571e03ac9c9eb76fac45af8e51"
	    "30c81c46a35ce411e5fbc1191a0a52ef"
	    "f69f2445df4f9b17ad2b417be66c3710", &pl);

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct cipher_alg *alg = cipher_by_name(v[i].name);
		uint8_t *key = tu_hex(v[i].key, &kl);
		uint8_t *ct = tu_hex(v[i].ct, &cl);
		struct cipher_ctx *enc = ctx_new(alg, key, iv, 1);
		struct cipher_ctx *dec = ctx_new(alg, key, iv, 0);
		uint8_t buf[64];
		uint32_t plen;

		memcpy(buf, pt, 64);
		ck_assert_int_eq(cipher_crypt(enc, 0, buf, buf, 32, 0, 0), 0);
		ck_assert_int_eq(cipher_crypt(enc, 1, buf + 32, buf + 32, 32,
		    0, 0), 0);
		ck_assert_mem_eq(buf, ct, 64);
		/* The peek decrypts block 0 without consuming it. */
		ck_assert_int_eq(cipher_get_length(dec, 0, buf, 16, 0, &plen),
		    0);
		ck_assert_uint_eq(plen, 0x6bc1bee2);
		ck_assert_int_eq(cipher_get_length(dec, 0, buf, 16, 0, &plen),
		    0);
		ck_assert_uint_eq(plen, 0x6bc1bee2);
		ck_assert_int_eq(cipher_crypt(dec, 0, buf, buf, 32, 0, 0), 0);
		/* Second packet: the peek now sees block 2. */
		ck_assert_int_eq(cipher_get_length(dec, 1, buf + 32, 16, 0,
		    &plen), 0);
		ck_assert_uint_eq(plen, 0x30c81c46);
		ck_assert_int_eq(cipher_crypt(dec, 1, buf + 32, buf + 32, 32,
		    0, 0), 0);
		ck_assert_mem_eq(buf, pt, 64);
		cipher_free(enc);
		cipher_free(dec);
		free(key);
		free(ct);
	}
	free(iv);
	free(pt);
}
END_TEST

/* The tracked CTR counter block carries through all 128 bits like OpenSSL's
 * own: many small packets equal one large one, across every carry. */
START_TEST(test_aes_ctr_counter_carry)
{
	static const char *ivs[] = {
		"00000000000000000000000000000000",
		"000000000000000000000000fffffffe",
		"0000000000000000fffffffffffffffd",
		"fffffffffffffffffffffffffffffffe",
		"ffffffffffffffffffffffffffffffff",
	};
	const struct cipher_alg *alg = cipher_by_name("aes128-ctr");
	uint8_t key[16], pt[160], one[160], many[160];
	size_t i, il, off;

	fill(key, sizeof(key), 9);
	fill(pt, sizeof(pt), 1);
	for (i = 0; i < sizeof(ivs) / sizeof(ivs[0]); i++) {
		uint8_t *iv = tu_hex(ivs[i], &il);
		struct cipher_ctx *a = ctx_new(alg, key, iv, 1);
		struct cipher_ctx *b = ctx_new(alg, key, iv, 1);

		ck_assert_int_eq(cipher_crypt(a, 0, one, pt, sizeof(pt), 0, 0),
		    0);
		for (off = 0; off < sizeof(pt); off += 16)
			ck_assert_int_eq(cipher_crypt(b, 0, many + off,
			    pt + off, 16, 0, 0), 0);
		ck_assert_mem_eq(one, many, sizeof(pt));
		cipher_free(a);
		cipher_free(b);
		free(iv);
	}
}
END_TEST

/*
 * aesN-gcm@openssh.com packet k is AES-GCM with IV = fixed || (counter + k)
 * (the 64-bit invocation counter wrapping without touching the fixed part),
 * AAD = the 4 length bytes, over the rest of the packet.
 */
START_TEST(test_gcm_iv_counter)
{
	static const char *names[] = {
		"aes128-gcm@openssh.com", "aes256-gcm@openssh.com"
	};
	static const char *ivs[][4] = {
		{ "000102030000000000000000", "000102030000000000000001",
		  "000102030000000000000002", "000102030000000000000003" },
		{ "a0a1a2a3fffffffffffffffe", "a0a1a2a3ffffffffffffffff",
		  "a0a1a2a30000000000000000", "a0a1a2a30000000000000001" },
		{ "ffffffff00000000ffffffff", "ffffffff0000000100000000",
		  "ffffffff0000000100000001", "ffffffff0000000100000002" },
	};
	size_t n, i, k, il;
	uint8_t key[32], pt[68], got[84], want[84], *iv;

	for (n = 0; n < 2; n++) {
		const struct cipher_alg *alg = cipher_by_name(names[n]);
		size_t kl = cipher_alg_key_len(alg);

		fill(key, kl, (uint8_t)(0x10 + n));
		for (i = 0; i < 3; i++) {
			struct cipher_ctx *enc, *dec;

			iv = tu_hex(ivs[i][0], &il);
			enc = ctx_new(alg, key, iv, 1);
			dec = ctx_new(alg, key, iv, 0);
			free(iv);
			for (k = 0; k < 4; k++) {
				fill(pt, sizeof(pt), (uint8_t)k);
				put_be32(pt, sizeof(pt) - 4);
				iv = tu_hex(ivs[i][k], &il);
				memcpy(want, pt, 4);
				ck_assert_int_eq(cipher_aes_gcm_seal(key, kl,
				    iv, il, pt, 4, pt + 4, want + 4,
				    sizeof(pt) - 4, want + sizeof(pt), 16), 0);
				free(iv);
				/* The sequence number plays no part. */
				ck_assert_int_eq(cipher_crypt(enc, 1000 - k,
				    got, pt, sizeof(pt), 4, 16), 0);
				ck_assert_mem_eq(got, want, sizeof(want));
				ck_assert_int_eq(cipher_crypt(dec, 7, got, got,
				    sizeof(pt), 4, 16), 0);
				ck_assert_mem_eq(got, pt, sizeof(pt));
			}
			cipher_free(enc);
			cipher_free(dec);
		}
	}
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
	ck_assert_uint_eq(n, 3 + 3 * 6);
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
	tcase_add_test(tc, test_rfc8439_block);
	tcase_add_test(tc, test_rfc8439_encrypt);
	tcase_add_test(tc, test_rfc8439_poly1305);
	tcase_add_test(tc, test_rfc8439_poly_keygen);
	tcase_add_test(tc, test_rfc8439_aead);
	tcase_add_test(tc, test_chacha_original_layout);
	tcase_add_test(tc, test_wycheproof_chacha20_poly1305);
	tcase_add_test(tc, test_wycheproof_aes_gcm);
	tcase_add_test(tc, test_chachapoly_openssh_kat);
	tcase_add_test(tc, test_aes_ctr_sp800_38a);
	tcase_add_test(tc, test_aes_ctr_counter_carry);
	tcase_add_test(tc, test_gcm_iv_counter);
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
	SRunner *sr = srunner_create(cipher_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
