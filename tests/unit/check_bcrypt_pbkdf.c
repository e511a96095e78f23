/*
 * check_bcrypt_pbkdf.c: Blowfish against published vectors, and
 * bcrypt_pbkdf against outputs that decrypt real ssh-keygen key files.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/bcrypt_pbkdf.h"
#include "protocol/blowfish.h"
#include "protocol/ssherr.h"

static size_t
unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex) / 2, i;
	unsigned int v;

	ck_assert_uint_eq(strlen(hex) % 2, 0);
	ck_assert_uint_le(n, max);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void
assert_hex_eq(const uint8_t *got, size_t len, const char *want_hex)
{
	uint8_t want[1024];

	ck_assert_uint_eq(unhex(want_hex, want, sizeof(want)), len);
	ck_assert_mem_eq(got, want, len);
}

/* The pi digits: scripts/gen-blowfish-tables produced the right ones. */
START_TEST(test_blowfish_initial_state)
{
	struct blowfish bf;

	blowfish_init(&bf);
	ck_assert_uint_eq(bf.bf_p[0], 0x243f6a88U);
	ck_assert_uint_eq(bf.bf_p[1], 0x85a308d3U);
	ck_assert_uint_eq(bf.bf_p[17], 0x8979fb1bU);
	ck_assert_uint_eq(bf.bf_s[0][0], 0xd1310ba6U);
	ck_assert_uint_eq(bf.bf_s[0][1], 0x98dfb5acU);
	ck_assert_uint_eq(bf.bf_s[3][255], 0x3ac372e6U);
	blowfish_clear(&bf);
	ck_assert_uint_eq(bf.bf_p[0], 0);
}
END_TEST

/* Eric Young's Blowfish ECB test data (8-byte keys), as published by Schneier. */
static const struct {
	const char *key, *plain, *cipher;
} ecb_vectors[] = {
	{ "0000000000000000", "0000000000000000", "4EF997456198DD78" },
	{ "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "51866FD5B85ECB8A" },
	{ "3000000000000000", "1000000000000001", "7D856F9A613063F2" },
	{ "1111111111111111", "1111111111111111", "2466DD878B963C9D" },
	{ "0123456789ABCDEF", "1111111111111111", "61F9C3802281B096" },
	{ "1111111111111111", "0123456789ABCDEF", "7D0CC630AFDA1EC7" },
	{ "FEDCBA9876543210", "0123456789ABCDEF", "0ACEAB0FC6A0A28D" },
	{ "7CA110454A1A6E57", "01A1D6D039776742", "59C68245EB05282B" },
	{ "0131D9619DC1376E", "5CD54CA83DEF57DA", "B1B8CC0B250F09A0" },
	{ "07A1133E4A0B2686", "0248D43806F67172", "1730E5778BEA1DA4" },
	{ "3849674C2602319E", "51454B582DDF440A", "A25E7856CF2651EB" },
	{ "04B915BA43FEB5B6", "42FD443059577FA2", "353882B109CE8F1A" },
	{ "0113B970FD34F2CE", "059B5E0851CF143A", "48F4D0884C379918" },
	{ "0170F175468FB5E6", "0756D8E0774761D2", "432193B78951FC98" },
	{ "43297FAD38E373FE", "762514B829BF486A", "13F04154D69D1AE5" },
	{ "07A7137045DA2A16", "3BDD119049372802", "2EEDDA93FFD39C79" },
	{ "04689104C2FD3B2F", "26955F6835AF609A", "D887E0393C2DA6E3" },
	{ "37D06BB516CB7546", "164D5E404F275232", "5F99D04F5B163969" },
	{ "1F08260D1AC2465E", "6B056E18759F5CCA", "4A057A3B24D3977B" },
	{ "584023641ABA6176", "004BD6EF09176062", "452031C1E4FADA8E" },
	{ "025816164629B007", "480D39006EE762F2", "7555AE39F59B87BD" },
	{ "49793EBC79B3258F", "437540C8698F3CFA", "53C55F9CB49FC019" },
	{ "4FB05E1515AB73A7", "072D43A077075292", "7A8E7BFA937E89A3" },
	{ "49E95D6D4CA229BF", "02FE55778117F12A", "CF9C5D7A4986ADB5" },
	{ "018310DC409B26D6", "1D9D5C5018F728C2", "D1ABB290658BC778" },
	{ "1C587F1C13924FEF", "305532286D6F295A", "55CB3774D13EF201" },
};

START_TEST(test_blowfish_ecb_vectors)
{
	struct blowfish bf;
	uint8_t key[8], plain[8], cipher[8], out[8];
	size_t i;

	for (i = 0; i < sizeof(ecb_vectors) / sizeof(ecb_vectors[0]); i++) {
		ck_assert_uint_eq(unhex(ecb_vectors[i].key, key, sizeof(key)), 8);
		ck_assert_uint_eq(unhex(ecb_vectors[i].plain, plain, sizeof(plain)), 8);
		ck_assert_uint_eq(unhex(ecb_vectors[i].cipher, cipher, sizeof(cipher)), 8);
		ck_assert_int_eq(blowfish_setkey(&bf, key, sizeof(key)), 0);
		ck_assert_int_eq(blowfish_ecb_encrypt(&bf, plain, out, 8), 0);
		ck_assert_msg(memcmp(out, cipher, 8) == 0, "encrypt vector %zu", i);
		ck_assert_int_eq(blowfish_ecb_decrypt(&bf, cipher, out, 8), 0);
		ck_assert_msg(memcmp(out, plain, 8) == 0, "decrypt vector %zu", i);
	}
	blowfish_clear(&bf);
}
END_TEST

/*
 * Keys of other lengths read the key bytes cyclically.  Key prefixes of
 * F0E1D2C3B4A5968778695A4B3C2D1E0F0011223344556677, plaintext
 * FEDCBA9876543210: lengths 1 and 24 are in Eric Young's set_key data;
 * 4, 5, 8, 16 and 24 were cross-checked against OpenSSL's Blowfish.
 */
START_TEST(test_blowfish_key_lengths)
{
	static const struct {
		size_t len;
		const char *cipher;
	} v[] = {
		{ 1, "F9AD597C49DB005E" },
		{ 4, "BE1E639408640F05" },
		{ 5, "B39E44481BDB1E6E" },
		{ 8, "E87A244E2CC85E82" },
		{ 16, "93142887EE3BE15C" },
		{ 24, "05044B62FA52D080" },
	};
	struct blowfish bf;
	uint8_t key[24], plain[8], out[8];
	size_t i;

	unhex("F0E1D2C3B4A5968778695A4B3C2D1E0F0011223344556677", key, sizeof(key));
	unhex("FEDCBA9876543210", plain, sizeof(plain));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_int_eq(blowfish_setkey(&bf, key, v[i].len), 0);
		ck_assert_int_eq(blowfish_ecb_encrypt(&bf, plain, out, 8), 0);
		assert_hex_eq(out, 8, v[i].cipher);
	}
	blowfish_clear(&bf);
}
END_TEST

/* Several blocks in place: ECB is the block function block by block. */
START_TEST(test_blowfish_ecb_multiblock_in_place)
{
	struct blowfish bf;
	uint8_t key[8], buf[24];

	unhex("0123456789ABCDEF", key, sizeof(key));
	unhex("1111111111111111" "0123456789ABCDEF" "1111111111111111", buf, sizeof(buf));
	ck_assert_int_eq(blowfish_setkey(&bf, key, sizeof(key)), 0);
	ck_assert_int_eq(blowfish_ecb_encrypt(&bf, buf, buf, sizeof(buf)), 0);
	assert_hex_eq(buf, 8, "61F9C3802281B096");
	assert_hex_eq(buf + 16, 8, "61F9C3802281B096");
	ck_assert_int_eq(blowfish_ecb_decrypt(&bf, buf, buf, sizeof(buf)), 0);
	assert_hex_eq(buf, sizeof(buf),
	    "1111111111111111" "0123456789ABCDEF" "1111111111111111");
	blowfish_clear(&bf);
}
END_TEST

START_TEST(test_blowfish_bad_arguments)
{
	struct blowfish bf;
	uint8_t key[8] = { 0 }, buf[16] = { 0 };

	ck_assert_int_eq(blowfish_setkey(&bf, key, 0), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(blowfish_setkey(&bf, NULL, 8), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(blowfish_setkey(NULL, key, 8), SSH_ERR_INVALID_ARGUMENT);
	blowfish_init(&bf);
	ck_assert_int_eq(blowfish_expand(&bf, key, 0, key, 8), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(blowfish_expand(&bf, key, 8, NULL, 8), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(blowfish_setkey(&bf, key, sizeof(key)), 0);
	ck_assert_int_eq(blowfish_ecb_encrypt(&bf, buf, buf, 7), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(blowfish_ecb_encrypt(&bf, buf, buf, 15), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(blowfish_ecb_decrypt(&bf, buf, buf, 9), SSH_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(blowfish_ecb_encrypt(&bf, buf, buf, 0), 0);
	blowfish_clear(&bf);
}
END_TEST

/* The salt changes the schedule; an unsalted expand is the plain key schedule. */
START_TEST(test_blowfish_salted_expand)
{
	struct blowfish a, b;
	uint8_t key[8], salt[16] = { 1 };
	uint32_t l1 = 0, r1 = 0, l2 = 0, r2 = 0;

	unhex("0123456789ABCDEF", key, sizeof(key));
	blowfish_init(&a);
	ck_assert_int_eq(blowfish_expand(&a, key, sizeof(key), NULL, 0), 0);
	ck_assert_int_eq(blowfish_setkey(&b, key, sizeof(key)), 0);
	ck_assert_mem_eq(&a, &b, sizeof(a));
	blowfish_init(&b);
	ck_assert_int_eq(blowfish_expand(&b, key, sizeof(key), salt, sizeof(salt)), 0);
	blowfish_encrypt_block(&a, &l1, &r1);
	blowfish_encrypt_block(&b, &l2, &r2);
	ck_assert(l1 != l2 || r1 != r2);
	blowfish_clear(&a);
	blowfish_clear(&b);
}
END_TEST

struct kdf_vector {
	const char *pass_hex;
	const char *salt_hex;
	unsigned int rounds;
	const char *out_hex;
};

static void
check_kdf_vectors(const struct kdf_vector *v, size_t n)
{
	uint8_t pass[512], salt[256], want[1024], got[1024];
	size_t i, pl, sl, ol;

	for (i = 0; i < n; i++) {
		pl = unhex(v[i].pass_hex, pass, sizeof(pass));
		sl = unhex(v[i].salt_hex, salt, sizeof(salt));
		ol = unhex(v[i].out_hex, want, sizeof(want));
		memset(got, 0xaa, sizeof(got));
		ck_assert_int_eq(bcrypt_pbkdf((const char *)pass, pl, salt, sl,
		    got, ol, v[i].rounds), 0);
		ck_assert_msg(memcmp(got, want, ol) == 0, "vector %zu", i);
		/* Nothing written past keylen. */
		ck_assert_uint_eq(got[ol], 0xaa);
	}
}

/*
 * The vectors of OpenBSD's bcrypt_pbkdf regression test (also carried by
 * other implementations), including NULs in pass and salt and a 64-byte
 * output spread over two blocks.
 */
START_TEST(test_bcrypt_pbkdf_openbsd_vectors)
{
	static const struct kdf_vector v[] = {
		/* "password", "salt" */
		{ "70617373776f7264", "73616c74", 4,
		  "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9" },
		{ "70617373776f7264", "00", 4, "c12b566235eee04c212598970a579a67" },
		{ "00", "73616c74", 4, "6051be18c2f4f82cbf0efee5471b4bb9" },
		{ "70617373776f726400", "73616c7400", 4,
		  "7410e44cf4fa07bfaac8a928b1727fac001375e7bf7384370f48efd121743050" },
		{ "7061737300776f72", "7361006c", 4, "c2bffd9db38f6569efef4372f4de83c0" },
		{ "7061737300776f7264", "7361006c74", 4, "4ba4ac3925c0e8d7f0cdb6bb1684a56f" },
		{ "70617373776f7264", "73616c74", 8,
		  "e1367ec5151a33faac4cc1c144cd23fa15d5548493ecc99b9b5d9c0d3b27bec7"
		  "6227ea66088b849b20ab7aa478010246e74bba51723fefa9f9474d6508845e8d" },
		{ "70617373776f7264", "73616c74", 42, "833cf0dcf56db65608e8f0dc0ce882bd" },
		/* The "Lorem ipsum" paragraph (446 bytes), salt "salis\0". */
		{ "4c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e73"
		  "65637465747572206164697069736963696e6720656c69742c2073656420646f"
		  "20656975736d6f642074656d706f7220696e6369646964756e74207574206c61"
		  "626f726520657420646f6c6f7265206d61676e6120616c697175612e20557420"
		  "656e696d206164206d696e696d2076656e69616d2c2071756973206e6f737472"
		  "756420657865726369746174696f6e20756c6c616d636f206c61626f72697320"
		  "6e69736920757420616c697175697020657820656120636f6d6d6f646f20636f"
		  "6e7365717561742e2044756973206175746520697275726520646f6c6f722069"
		  "6e20726570726568656e646572697420696e20766f6c7570746174652076656c"
		  "697420657373652063696c6c756d20646f6c6f72652065752066756769617420"
		  "6e756c6c612070617269617475722e204578636570746575722073696e74206f"
		  "6363616563617420637570696461746174206e6f6e2070726f6964656e742c20"
		  "73756e7420696e2063756c706120717569206f66666963696120646573657275"
		  "6e74206d6f6c6c697420616e696d20696420657374206c61626f72756d2e",
		  "73616c697300", 8, "10978b07253df57f71a162eb0e8ad30a" },
	};

	check_kdf_vectors(v, sizeof(v) / sizeof(v[0]));
}
END_TEST

/*
 * Made with "ssh-keygen -t ed25519 -N <pass> -a <rounds>": salt and rounds
 * come from the key file's kdfoptions, and the 48-byte output (aes256-ctr
 * key, then IV) decrypted its private section so that both check integers
 * matched.  Passphrases: "secret" (16 and 2 rounds), "a" (1),
 * "correct horse battery staple" (32), 100 x "x", a 73-byte sentence (both
 * beyond bcrypt's classic 72-byte key limit) and UTF-8 "pässü".
 */
START_TEST(test_bcrypt_pbkdf_ssh_keygen_vectors)
{
	static const struct kdf_vector v[] = {
		{ "736563726574", "5749ebdcd7062b0994c93db4b31a86fe", 16,
		  "6574b8b45d50b6fe0a974535fc3b9d3120afcf34622e7a4b1266ff4984b7b146"
		  "a01069c470c7cf96efd0bfa429c8da65" },
		{ "736563726574", "f24d9ddd4ce85da5bb58e7f5689b27b2", 2,
		  "f5abad199ec9087f251da8a407677ee9afd711e011677d233884a15b59a01f0f"
		  "49d51b348f8215d2cd28870bd9712895" },
		{ "61", "2740f91ec2103b5c3b877d5fe4090b55", 1,
		  "0e0bee29427aa0be107772981f7cab6372b91d862c7bf3875b6791e254c8b14a"
		  "dd12880d2fb3eb9eba5cd63ddae78dc7" },
		{ "636f727265637420686f727365206261747465727920737461706c65",
		  "62bf77a9b697a012c7211d7555c6a790", 32,
		  "ebbeba6faab31cbe9da487f45b9100544b93d6eb78c8a5e38413d1e3b319ddd0"
		  "0a4c841cacc932140f4053fa81810d2c" },
		{ "78787878787878787878787878787878787878787878787878"
		  "78787878787878787878787878787878787878787878787878"
		  "78787878787878787878787878787878787878787878787878"
		  "78787878787878787878787878787878787878787878787878",
		  "85726fb93dbf54c32dc5bf4dea928121", 16,
		  "40218a4ececd85401f88e7417b73ea1565060ac6ca88fd2835be8fa03f951a9b"
		  "43297d4cbdd2aa85680c6e009758e614" },
		/* "The quick brown fox jumps over the lazy dog, twice: the quick brown fox!!" */
		{ "54686520717569636b2062726f776e20666f78206a756d7073206f7665722074"
		  "6865206c617a7920646f672c2074776963653a2074686520717569636b206272"
		  "6f776e20666f782121",
		  "351c7d6944bb21a923d65142926a9d12", 16,
		  "a090496a637c3e5105f9e8692ebe13a8ee519c89aedcce839a746cdf98bafe6a"
		  "32fada0690d44b0d0ed6dc34289cbd0c" },
		{ "70c3a47373c3bc", "47b0e18a7a6d7feb408974ca2b71efff", 16,
		  "886f90310f8c8344dfb7efdb523cf3f790ba70aab22d8af5aa745a32346c639f"
		  "dd944c9228342cf9d1680117d1ff7a36" },
	};

	check_kdf_vectors(v, sizeof(v) / sizeof(v[0]));
}
END_TEST

/*
 * Other output lengths, for "secret" and the first ssh-keygen salt at 16
 * rounds.  Block n's byte i lands at i * stride + n - 1 (stride = number of
 * 32-byte blocks), so each output must agree with the externally checked
 * 48-byte one wherever they place the same block byte; the full values
 * are this implementation's, recorded to catch regressions.
 */
START_TEST(test_bcrypt_pbkdf_output_lengths)
{
	static const struct kdf_vector v[] = {
		{ "736563726574", "5749ebdcd7062b0994c93db4b31a86fe", 16, "65" },
		{ "736563726574", "5749ebdcd7062b0994c93db4b31a86fe", 16,
		  "65b85db60a45fc9d20cf627a12ff84b1a06970cfefbf29da8b1bee2965fe2efb" },
		{ "736563726574", "5749ebdcd7062b0994c93db4b31a86fe", 16,
		  "6574b8b45d50b6fe0a974535fc3b9d3120afcf34622e7a4b1266ff4984b7b146"
		  "a01069c470c7cf96efd0bfa429c8da658b0f1b6dee93293565c2fea22e8cfb7f" },
		{ "736563726574", "5749ebdcd7062b0994c93db4b31a86fe", 16,
		  "65746e94b8b4a2075d50105ab6fe7ad90a973b7c45359e63fc3b463d9d3162a2"
		  "20afa28bcf341720622e5a5b7a4bf39212668bb6ff49b4cd84b783e2b146cd61"
		  "a010cfff69c4cce870c7a2cacf969832efd017cebfa4321529c81a37da6590e3"
		  "8b0fa27a" },
	};
	uint8_t ref[48], got[100];
	size_t i, stride, len, n;

	check_kdf_vectors(v, sizeof(v) / sizeof(v[0]));

	/* ref: T1[0..23] at even offsets, T2[0..23] at odd ones. */
	unhex("6574b8b45d50b6fe0a974535fc3b9d3120afcf34622e7a4b1266ff4984b7b146"
	    "a01069c470c7cf96efd0bfa429c8da65", ref, sizeof(ref));
	for (n = 0; n < 4; n++) {
		static const size_t lens[] = { 1, 32, 64, 100 };

		len = lens[n];
		stride = (len + 31) / 32;
		ck_assert_int_eq(bcrypt_pbkdf("secret", 6,
		    (const uint8_t *)"\x57\x49\xeb\xdc\xd7\x06\x2b\x09"
		    "\x94\xc9\x3d\xb4\xb3\x1a\x86\xfe", 16, got, len, 16), 0);
		for (i = 0; i < 24 && i * stride < len; i++) {
			ck_assert_uint_eq(got[i * stride], ref[2 * i]);
			if (stride > 1)
				ck_assert_uint_eq(got[i * stride + 1], ref[2 * i + 1]);
		}
	}
}
END_TEST

/* Salts other than ssh-keygen's 16 bytes: 1, 64 and 200 bytes (regression values). */
START_TEST(test_bcrypt_pbkdf_salt_lengths)
{
	static const struct kdf_vector v[] = {
		/* "hunter2" */
		{ "68756e74657232", "00", 3,
		  "be6e619f01698a5cd98e0d457c5ce468d19fdace2e4f5bf16665dbf9e7c16433"
		  "4c985f8222de0509" },
		{ "68756e74657232",
		  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", 3,
		  "0a63cbd4cbb18e2c23d0fc14f148f58951a768d9c6043d6927f72d2244ff1e37"
		  "70ba3f6573b2298b" },
	};
	uint8_t salt[200], a[40], b[40];
	size_t i;

	check_kdf_vectors(v, sizeof(v) / sizeof(v[0]));
	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(bcrypt_pbkdf("hunter2", 7, salt, sizeof(salt), a, sizeof(a), 3), 0);
	assert_hex_eq(a, sizeof(a),
	    "5c33e1ff67f64d9d666560b973179479f37bdc3f9506ac9e5ba28ac62aa98fc7"
	    "2246bc9f500dc530");
	/* The last salt byte matters. */
	salt[sizeof(salt) - 1] ^= 1;
	ck_assert_int_eq(bcrypt_pbkdf("hunter2", 7, salt, sizeof(salt), b, sizeof(b), 3), 0);
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
}
END_TEST

/* The largest output: 32 blocks, block 1 (the 32-byte output) at every 32nd byte. */
START_TEST(test_bcrypt_pbkdf_max_keylen)
{
	uint8_t big[BCRYPT_PBKDF_MAX_KEYLEN + 1], small[32];
	size_t i;

	memset(big, 0xaa, sizeof(big));
	ck_assert_int_eq(bcrypt_pbkdf("pw", 2, (const uint8_t *)"salt", 4,
	    big, BCRYPT_PBKDF_MAX_KEYLEN, 1), 0);
	ck_assert_int_eq(bcrypt_pbkdf("pw", 2, (const uint8_t *)"salt", 4,
	    small, sizeof(small), 1), 0);
	for (i = 0; i < sizeof(small); i++)
		ck_assert_uint_eq(big[i * 32], small[i]);
	ck_assert_uint_eq(big[BCRYPT_PBKDF_MAX_KEYLEN], 0xaa);
	/* Blocks differ: the counter enters the salt hash. */
	ck_assert(memcmp(big, big + 32, 32) != 0);
}
END_TEST

/* Each invalid argument is refused, and the output is not left half-written. */
START_TEST(test_bcrypt_pbkdf_bad_arguments)
{
	const uint8_t salt[4] = { 1, 2, 3, 4 };
	uint8_t key[BCRYPT_PBKDF_MAX_KEYLEN + 1];
	size_t i;

#define EXPECT_INVALID(call) do { \
		memset(key, 0xaa, sizeof(key)); \
		ck_assert_int_eq((call), SSH_ERR_INVALID_ARGUMENT); \
	} while (0)

	EXPECT_INVALID(bcrypt_pbkdf("pw", 0, salt, 4, key, 32, 16));
	for (i = 0; i < 32; i++)
		ck_assert_uint_eq(key[i], 0);
	EXPECT_INVALID(bcrypt_pbkdf(NULL, 2, salt, 4, key, 32, 16));
	EXPECT_INVALID(bcrypt_pbkdf("pw", 2, salt, 0, key, 32, 16));
	EXPECT_INVALID(bcrypt_pbkdf("pw", 2, NULL, 4, key, 32, 16));
	EXPECT_INVALID(bcrypt_pbkdf("pw", 2, salt, 4, key, 32, 0));
	for (i = 0; i < 32; i++)
		ck_assert_uint_eq(key[i], 0);
	EXPECT_INVALID(bcrypt_pbkdf("pw", 2, salt, 4, key, 0, 16));
	ck_assert_uint_eq(key[0], 0xaa);
	EXPECT_INVALID(bcrypt_pbkdf("pw", 2, salt, 4, key, BCRYPT_PBKDF_MAX_KEYLEN + 1, 16));
	ck_assert_uint_eq(key[0], 0xaa);
	EXPECT_INVALID(bcrypt_pbkdf("pw", 2, salt, 4, NULL, 32, 16));
#undef EXPECT_INVALID
}
END_TEST

static Suite *
bcrypt_pbkdf_suite(void)
{
	Suite *s = suite_create("bcrypt_pbkdf");
	TCase *tc_bf = tcase_create("blowfish");
	TCase *tc_kdf = tcase_create("bcrypt_pbkdf");

	tcase_add_test(tc_bf, test_blowfish_initial_state);
	tcase_add_test(tc_bf, test_blowfish_ecb_vectors);
	tcase_add_test(tc_bf, test_blowfish_key_lengths);
	tcase_add_test(tc_bf, test_blowfish_ecb_multiblock_in_place);
	tcase_add_test(tc_bf, test_blowfish_bad_arguments);
	tcase_add_test(tc_bf, test_blowfish_salted_expand);
	suite_add_tcase(s, tc_bf);

	/* Deliberately slow function; sanitizer builds are slower still. */
	tcase_set_timeout(tc_kdf, 300);
	tcase_add_test(tc_kdf, test_bcrypt_pbkdf_openbsd_vectors);
	tcase_add_test(tc_kdf, test_bcrypt_pbkdf_ssh_keygen_vectors);
	tcase_add_test(tc_kdf, test_bcrypt_pbkdf_output_lengths);
	tcase_add_test(tc_kdf, test_bcrypt_pbkdf_salt_lengths);
	tcase_add_test(tc_kdf, test_bcrypt_pbkdf_max_keylen);
	tcase_add_test(tc_kdf, test_bcrypt_pbkdf_bad_arguments);
	suite_add_tcase(s, tc_kdf);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(bcrypt_pbkdf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
