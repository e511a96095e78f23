/*
 * check_cipher_vectors.c: published vectors for the transport ciphers (RFC
 * 8439, NIST SP 800-38A, Wycheproof, the original ChaCha vectors of
 * draft-strombergson-chacha-test-vectors) through the layer's own
 * primitives, and the SSH modes against constructions built from those
 * primitives.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/cipher.h"
#include "protocol/mac.h"
#include "protocol/ssherr.h"
#include "tests/unit/ciphertest.h"
#include "tests/unit/testutil.h"

static void
assert_hex_eq(const uint8_t *got, const char *hex)
{
	size_t len;
	uint8_t *want = tu_hex(hex, &len);

	ck_assert_msg(memcmp(got, want, len) == 0, "mismatch against %s", hex);
	free(want);
}

static void
put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

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

static Suite *
cipher_vectors_suite(void)
{
	Suite *s = suite_create("cipher_vectors");
	TCase *tc = tcase_create("core");

	/* Thousands of Wycheproof cases; slow under sanitizers. */
	tcase_set_timeout(tc, 300);
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
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(cipher_vectors_suite());
}
