/*
 * check_key_private.c: private key files: openssh-key-v1 written and read
 * back, its layout and malformed variants, and PEM keys.
 */
#include <sys/types.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/keytest.h"
#include "tests/unit/testutil.h"

/* Base64 body of an openssh-key-v1 file, decoded. */
static struct buf *
unarmour(const struct buf *file)
{
	char *text, *body, *end;
	struct buf *out = buf_new();

	ck_assert_ptr_nonnull(text = buf_dup_string(file));
	ck_assert_ptr_nonnull(body = strstr(text, "KEY-----\n"));
	body += 9;
	ck_assert_ptr_nonnull(end = strstr(body, "-----END"));
	*end = '\0';
	ck_assert_int_eq(buf_b64tod(out, body), 0);
	free(text);
	return out;
}

static struct buf *
armour(const struct buf *body)
{
	struct buf *out = buf_new();

	ck_assert_int_eq(buf_putf(out,
	    "-----BEGIN OPENSSH PRIVATE KEY-----\n"), 0);
	ck_assert_int_eq(buf_dtob64(body, out, 1), 0);
	ck_assert_int_eq(buf_putf(out, "-----END OPENSSH PRIVATE KEY-----\n"),
	    0);
	return out;
}

/* An openssh-key-v1 file from its parts, for malformed variants. */
static struct buf *
openssh_file(const char *cipher, const char *kdf, uint32_t nkeys,
    const struct buf *pub, const struct buf *priv)
{
	struct buf *body = buf_new(), *file;

	ck_assert_int_eq(buf_put(body, "openssh-key-v1", 15), 0);
	ck_assert_int_eq(buf_put_cstring(body, cipher), 0);
	ck_assert_int_eq(buf_put_cstring(body, kdf), 0);
	ck_assert_int_eq(buf_put_string(body, NULL, 0), 0);
	ck_assert_int_eq(buf_put_u32(body, nkeys), 0);
	ck_assert_int_eq(buf_put_stringb(body, pub), 0);
	ck_assert_int_eq(buf_put_stringb(body, priv), 0);
	file = armour(body);
	buf_free(body);
	return file;
}

/*
 * The private section of an Ed25519 key, with knobs to break it: the
 * two check ints, the public key in the private half, the comment and the
 * padding (padlen bytes, the first one replaced by badpad when non-zero).
 */
static struct buf *
ed25519_section(const struct sshkey *k, uint32_t c1, uint32_t c2,
    int bad_sk_pub, const char *comment, size_t padlen, uint8_t badpad)
{
	struct buf *b = buf_new();
	uint8_t sk[64];
	size_t len, i;

	len = 32;
	ck_assert_int_eq(EVP_PKEY_get_raw_private_key(key_evp(k), sk, &len),
	    1);
	len = 32;
	ck_assert_int_eq(EVP_PKEY_get_raw_public_key(key_evp(k), sk + 32,
	    &len), 1);
	ck_assert_int_eq(buf_put_u32(b, c1), 0);
	ck_assert_int_eq(buf_put_u32(b, c2), 0);
	ck_assert_int_eq(buf_put_cstring(b, "ssh-ed25519"), 0);
	ck_assert_int_eq(buf_put_string(b, sk + 32, 32), 0);
	if (bad_sk_pub)
		sk[63] ^= 1;
	ck_assert_int_eq(buf_put_string(b, sk, 64), 0);
	ck_assert_int_eq(buf_put_string(b, comment, strlen(comment)), 0);
	for (i = 0; i < padlen; i++)
		ck_assert_int_eq(buf_put_u8(b, i == 0 && badpad != 0 ? badpad :
		    (uint8_t)(i + 1)), 0);
	return b;
}

/* Padding that makes an Ed25519 section with this comment a whole block. */
static size_t
ed25519_padlen(const char *comment)
{
	size_t len = 8 + 4 + 11 + 4 + 32 + 4 + 64 + 4 + strlen(comment);

	return (8 - len % 8) % 8;
}

START_TEST(test_private_roundtrip_plain)
{
	struct buf *file;
	struct sshkey *k;
	char *comment;
	size_t i;

	for (i = 0; i < NGEN; i++) {
		file = buf_new();
		ck_assert_int_eq(key_private_to_openssh(gen_keys[i], NULL,
		    "a comment", file), 0);
		ck_assert_int_eq(key_private_parse(file, NULL, &k, &comment),
		    0);
		ck_assert(key_is_private(k));
		ck_assert_int_eq(key_equal_public(k, gen_keys[i]), 0);
		ck_assert_str_eq(comment, "a comment");
		assert_signs_for(k, gen_keys[i]);
		/* A passphrase is ignored for an unencrypted key. */
		key_free(k);
		free(comment);
		ck_assert_int_eq(key_private_parse(file, "unused", &k, NULL),
		    0);
		key_free(k);
		buf_free(file);
	}
}
END_TEST

START_TEST(test_private_roundtrip_passphrase)
{
	struct buf *file;
	struct sshkey *k;
	char *comment;
	size_t i;

	for (i = 0; i < NGEN; i++) {
		file = buf_new();
		ck_assert_int_eq(key_private_to_openssh(gen_keys[i], PASS,
		    "enc", file), 0);
		ck_assert_int_eq(key_private_parse(file, PASS, &k, &comment),
		    0);
		ck_assert_int_eq(key_equal_public(k, gen_keys[i]), 0);
		ck_assert_str_eq(comment, "enc");
		assert_signs_for(k, gen_keys[i]);
		key_free(k);
		free(comment);
		buf_free(file);
	}
}
END_TEST

START_TEST(test_private_wrong_passphrase)
{
	struct buf *file = buf_new();
	struct sshkey *k = NULL;
	char *comment = NULL;

	ck_assert_int_eq(key_private_to_openssh(gen_keys[1], PASS, "c", file),
	    0);
	ck_assert_int_eq(key_private_parse(file, "wrong", &k, &comment),
	    SSH_ERR_KEY_WRONG_PASSPHRASE);
	ck_assert_ptr_null(k);
	ck_assert_ptr_null(comment);
	ck_assert_int_eq(key_private_parse(file, NULL, &k, NULL),
	    SSH_ERR_KEY_WRONG_PASSPHRASE);
	ck_assert_int_eq(key_private_parse(file, "", &k, NULL),
	    SSH_ERR_KEY_WRONG_PASSPHRASE);
	ck_assert_ptr_null(k);
	buf_free(file);
}
END_TEST

/* The layout ssh-keygen writes, field by field. */
START_TEST(test_private_layout)
{
	struct buf *file = buf_new(), *file2 = buf_new(), *body, *priv;
	const char *text;
	char *cipher, *kdf, *line, *copy;
	const uint8_t *salt;
	size_t saltlen, i, n;
	uint32_t nkeys, rounds, c1, c2;
	uint8_t magic[15];

	ck_assert_int_eq(key_private_to_openssh(gen_keys[0], NULL, "x", file),
	    0);
	ck_assert_ptr_nonnull(copy = buf_dup_string(file));
	text = copy;
	ck_assert(strncmp(text, "-----BEGIN OPENSSH PRIVATE KEY-----\n",
	    36) == 0);
	n = strlen(text);
	ck_assert(n > 35 && strcmp(text + n - 35,
	    "\n-----END OPENSSH PRIVATE KEY-----\n") == 0);
	/* Every base64 line is 70 columns except the last. */
	for (line = strchr(copy, '\n') + 1; strncmp(line, "-----", 5) != 0;
	    line = strchr(line, '\n') + 1) {
		size_t len = strcspn(line, "\n");

		if (strncmp(line + len + 1, "-----", 5) != 0)
			ck_assert_uint_eq(len, 70);
		else
			ck_assert(len > 0 && len <= 70);
	}
	free(copy);

	body = unarmour(file);
	ck_assert_int_eq(buf_get(body, magic, sizeof(magic)), 0);
	ck_assert(memcmp(magic, "openssh-key-v1", 15) == 0);
	ck_assert_int_eq(buf_get_cstring(body, &cipher, NULL), 0);
	ck_assert_int_eq(buf_get_cstring(body, &kdf, NULL), 0);
	ck_assert_str_eq(cipher, "none");
	ck_assert_str_eq(kdf, "none");
	free(cipher);
	free(kdf);
	ck_assert_int_eq(buf_get_string_direct(body, NULL, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(buf_get_u32(body, &nkeys), 0);
	ck_assert_uint_eq(nkeys, 1);
	ck_assert_int_eq(buf_get_string_direct(body, NULL, NULL), 0);
	priv = buf_new();
	ck_assert_int_eq(buf_get_stringb(body, priv), 0);
	ck_assert_int_eq(buf_expect_end(body), 0);
	ck_assert_uint_eq(buf_len(priv) % 8, 0);
	ck_assert_int_eq(buf_get_u32(priv, &c1), 0);
	ck_assert_int_eq(buf_get_u32(priv, &c2), 0);
	ck_assert_uint_eq(c1, c2);
	/* ed25519: name, pub, priv||pub, comment "x", then 1, 2, 3... */
	n = buf_len(priv) - (4 + 11 + 4 + 32 + 4 + 64 + 4 + 1);
	ck_assert(n < 8);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(buf_ptr(priv)[buf_len(priv) - n + i], i + 1);
	buf_free(priv);
	buf_free(body);

	/* Encrypted: aes256-ctr, bcrypt, 16-byte salt, 16 rounds. */
	ck_assert_int_eq(key_private_to_openssh(gen_keys[0], PASS, "x", file2),
	    0);
	body = unarmour(file2);
	ck_assert_int_eq(buf_consume(body, 15), 0);
	ck_assert_int_eq(buf_get_cstring(body, &cipher, NULL), 0);
	ck_assert_int_eq(buf_get_cstring(body, &kdf, NULL), 0);
	ck_assert_str_eq(cipher, "aes256-ctr");
	ck_assert_str_eq(kdf, "bcrypt");
	free(cipher);
	free(kdf);
	ck_assert_int_eq(buf_get_u32(body, &nkeys), 0);	/* kdf options */
	ck_assert_uint_eq(nkeys, 4 + 16 + 4);
	ck_assert_int_eq(buf_get_string_direct(body, &salt, &saltlen), 0);
	ck_assert_uint_eq(saltlen, 16);
	ck_assert_int_eq(buf_get_u32(body, &rounds), 0);
	ck_assert_uint_eq(rounds, 16);
	buf_free(body);

	/* Check ints are random: two files of one key differ. */
	buf_reset(file2);
	ck_assert_int_eq(key_private_to_openssh(gen_keys[0], NULL, "x", file2),
	    0);
	ck_assert_int_ne(buf_equals(file, file2), 0);
	buf_free(file);
	buf_free(file2);
}
END_TEST

START_TEST(test_private_truncations)
{
	struct buf *file, *cut;
	struct sshkey *k;
	size_t i, n, enc;

	for (i = 0; i < NGEN; i++) {
		for (enc = 0; enc < 2; enc++) {
			file = buf_new();
			ck_assert_int_eq(key_private_to_openssh(gen_keys[i],
			    enc ? PASS : NULL, "truncate me", file), 0);
			for (n = 0; n < buf_len(file); n++) {
				cut = buf_from(buf_ptr(file), n);
				k = NULL;
				/* Only the final newline is optional. */
				if (n == buf_len(file) - 1) {
					ck_assert_int_eq(key_private_parse(cut,
					    enc ? PASS : NULL, &k, NULL), 0);
					key_free(k);
				} else {
					ck_assert_msg(key_private_parse(cut,
					    enc ? PASS : NULL, &k, NULL) < 0,
					    "type %zu enc %zu accepted %zu/%zu",
					    i, enc, n, buf_len(file));
					ck_assert_ptr_null(k);
				}
				buf_free(cut);
			}
			buf_free(file);
		}
	}
}
END_TEST

START_TEST(test_private_malformed)
{
	struct sshkey *k = NULL, *other = NULL;
	struct buf *pub = buf_new(), *opub = buf_new(), *sec, *file;
	size_t pad = ed25519_padlen("c");

	ck_assert_int_eq(key_to_blob(gen_keys[0], pub), 0);
	ck_assert_int_eq(key_generate(KEY_ED25519, 0, &other), 0);
	ck_assert_int_eq(key_to_blob(other, opub), 0);

	/* The builder makes a valid key, so each variant below tests one
	 * defect. */
	sec = ed25519_section(gen_keys[0], 7, 7, 0, "c", pad, 0);
	file = openssh_file("none", "none", 1, pub, sec);
	ck_assert_int_eq(key_private_parse(file, NULL, &k, NULL), 0);
	ck_assert_int_eq(key_equal_public(k, gen_keys[0]), 0);
	key_free(k);
	buf_free(file);

#define EXPECT(want, cipher, kdf, nkeys, pubb) do {			\
	file = openssh_file(cipher, kdf, nkeys, pubb, sec);		\
	k = NULL;							\
	ck_assert_int_eq(key_private_parse(file, PASS, &k, NULL), want); \
	ck_assert_ptr_null(k);						\
	buf_free(file);							\
} while (0)
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 2, pub);
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 0, pub);
	EXPECT(SSH_ERR_KEY_UNKNOWN_CIPHER, "chacha20", "none", 1, pub);
	EXPECT(SSH_ERR_KEY_UNKNOWN_CIPHER, "aes256-ctr", "scrypt", 1, pub);
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "bcrypt", 1, pub);
	EXPECT(SSH_ERR_INVALID_FORMAT, "aes256-ctr", "none", 1, pub);
	/* Header and private half of different keys. */
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 1, opub);
	buf_free(sec);

	/* Check ints that differ. */
	sec = ed25519_section(gen_keys[0], 7, 8, 0, "c", pad, 0);
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 1, pub);
	buf_free(sec);
	/* The public copy inside the private half is wrong. */
	sec = ed25519_section(gen_keys[0], 7, 7, 1, "c", pad, 0);
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 1, pub);
	buf_free(sec);
	/* Bad padding, too much padding, not a whole block. */
	sec = ed25519_section(gen_keys[0], 7, 7, 0, "cccc",
	    ed25519_padlen("cccc"), 9);
	ck_assert_uint_gt(ed25519_padlen("cccc"), 0);
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 1, pub);
	buf_free(sec);
	sec = ed25519_section(gen_keys[0], 7, 7, 0, "c", pad + 8, 0);
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 1, pub);
	buf_free(sec);
	sec = ed25519_section(gen_keys[0], 7, 7, 0, "c", pad + 1, 0);
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 1, pub);
	buf_free(sec);
	/* A comment with a NUL in it. */
	sec = ed25519_section(gen_keys[0], 7, 7, 0, "c", pad, 0);
	buf_mutable_ptr(sec)[buf_len(sec) - pad - 1] = '\0';
	EXPECT(SSH_ERR_INVALID_FORMAT, "none", "none", 1, pub);
	buf_free(sec);
#undef EXPECT

	/* Armour problems: trailing text, wrong magic. */
	file = buf_new();
	ck_assert_int_eq(key_private_to_openssh(gen_keys[0], NULL, "c", file),
	    0);
	ck_assert_int_eq(buf_putf(file, "junk\n"), 0);
	ck_assert_int_eq(key_private_parse(file, NULL, &k, NULL),
	    SSH_ERR_INVALID_FORMAT);
	buf_free(file);
	file = buf_new();
	ck_assert_int_eq(buf_putf(file, "-----BEGIN OPENSSH PRIVATE KEY-----\n"
	    "b3BlbnNzaC1rZXktdjI=\n-----END OPENSSH PRIVATE KEY-----\n"), 0);
	ck_assert_int_eq(key_private_parse(file, NULL, &k, NULL),
	    SSH_ERR_INVALID_FORMAT);
	buf_free(file);
	key_free(other);
	buf_free(pub);
	buf_free(opub);
}
END_TEST

/* A file that went through a CRLF editor still loads. */
START_TEST(test_private_crlf)
{
	struct buf *file = buf_new(), *crlf = buf_new();
	struct sshkey *k = NULL;
	size_t i;

	ck_assert_int_eq(key_private_to_openssh(gen_keys[0], NULL, "crlf",
	    file), 0);
	for (i = 0; i < buf_len(file); i++) {
		if (buf_ptr(file)[i] == '\n')
			ck_assert_int_eq(buf_put_u8(crlf, '\r'), 0);
		ck_assert_int_eq(buf_put_u8(crlf, buf_ptr(file)[i]), 0);
	}
	ck_assert_int_eq(key_private_parse(crlf, NULL, &k, NULL), 0);
	ck_assert_int_eq(key_equal_public(k, gen_keys[0]), 0);
	key_free(k);
	buf_free(file);
	buf_free(crlf);
}
END_TEST

START_TEST(test_openssh_encrypted_fixture)
{
	struct buf *file = read_fixture("keys/ed25519_enc");
	struct sshkey *k = NULL, *pub = NULL;
	char *comment = NULL, *fp;

	ck_assert_int_eq(key_private_parse(file, NULL, &k, &comment),
	    SSH_ERR_KEY_WRONG_PASSPHRASE);
	ck_assert_int_eq(key_private_parse(file, "fixture pas", &k, &comment),
	    SSH_ERR_KEY_WRONG_PASSPHRASE);
	ck_assert_int_eq(key_private_parse(file, "fixture pass", &k, &comment),
	    0);
	ck_assert_str_eq(comment, "fixture encrypted");
	ck_assert_int_eq(key_fingerprint(k, &fp), 0);
	ck_assert_str_eq(fp, "SHA256:ytDOh11F8f31VLHPRTqTY7da+kPE9DxMjV0XwD+5loM");
	ck_assert_int_eq(key_private_parse_public(file, &pub), 0);
	ck_assert_int_eq(key_equal_public(pub, k), 0);
	free(fp);
	free(comment);
	key_free(pub);
	key_free(k);
	buf_free(file);
}
END_TEST

static void
expect_pem(const char *name, const char *pass, enum key_type type,
    const char *pubname)
{
	struct buf *file = read_fixture(name), *pubfile;
	struct sshkey *k = NULL, *pub = NULL;
	char *text;

	ck_assert_msg(key_private_parse(file, pass, &k, NULL) == 0, "%s", name);
	ck_assert(key_is_private(k));
	ck_assert_int_eq(key_type(k), type);
	if (pubname != NULL) {
		pubfile = read_fixture(pubname);
		ck_assert_ptr_nonnull(text = buf_dup_string(pubfile));
		ck_assert_int_eq(key_from_public_line(text, &pub, NULL), 0);
		ck_assert_int_eq(key_equal_public(pub, k), 0);
		assert_signs_for(k, pub);
		free(text);
		key_free(pub);
		buf_free(pubfile);
	}
	key_free(k);
	buf_free(file);
}

START_TEST(test_pem_load)
{
	expect_pem("keys/rsa_pkcs1.pem", NULL, KEY_RSA, "keys/rsa_pkcs1.pem.pub");
	expect_pem("keys/ec_sec1.pem", NULL, KEY_ECDSA_P256,
	    "keys/ec_sec1.pem.pub");
	expect_pem("keys/rsa_pkcs8.pem", NULL, KEY_RSA,
	    "keys/rsa_pkcs8.pem.pub");
	expect_pem("keys/ed25519_pkcs8.pem", NULL, KEY_ED25519, NULL);
}
END_TEST

START_TEST(test_pem_encrypted)
{
	static const char *const files[] = {
		"keys/rsa_pkcs1_enc.pem", "keys/ec_sec1_enc.pem",
		"keys/ec_pkcs8_enc.pem", "keys/ed25519_pkcs8_enc.pem",
	};
	struct buf *file, *plain;
	struct sshkey *k = NULL, *k2 = NULL;
	size_t i;

	expect_pem("keys/rsa_pkcs1_enc.pem", "fixture pass", KEY_RSA,
	    "keys/rsa_pkcs1_enc.pem.pub");
	expect_pem("keys/ec_sec1_enc.pem", "fixture pass", KEY_ECDSA_P384,
	    "keys/ec_sec1_enc.pem.pub");
	expect_pem("keys/ec_pkcs8_enc.pem", "fixture pass", KEY_ECDSA_P521,
	    "keys/ec_pkcs8_enc.pem.pub");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		file = read_fixture(files[i]);
		ck_assert_int_eq(key_private_parse(file, NULL, &k, NULL),
		    SSH_ERR_KEY_WRONG_PASSPHRASE);
		ck_assert_int_eq(key_private_parse(file, "wrong", &k, NULL),
		    SSH_ERR_KEY_WRONG_PASSPHRASE);
		ck_assert_int_eq(key_private_parse_public(file, &k),
		    SSH_ERR_KEY_WRONG_PASSPHRASE);
		ck_assert_ptr_null(k);
		buf_free(file);
	}
	/* Same key as its unencrypted PKCS#8 twin. */
	file = read_fixture("keys/ed25519_pkcs8_enc.pem");
	plain = read_fixture("keys/ed25519_pkcs8.pem");
	ck_assert_int_eq(key_private_parse(file, "fixture pass", &k, NULL), 0);
	ck_assert_int_eq(key_private_parse(plain, NULL, &k2, NULL), 0);
	ck_assert_int_eq(key_equal_public(k, k2), 0);
	assert_signs_for(k, k2);
	key_free(k);
	key_free(k2);
	buf_free(file);
	buf_free(plain);
}
END_TEST

START_TEST(test_unsupported)
{
	static const struct {
		const char	*file;
		int		 want;
	} cases[] = {
		/* DSA with a 224-bit q (check_key_dsa.c has ssh-dss). */
		{ "keys/dsa_pkcs8.pem", SSH_ERR_KEY_LENGTH },
		{ "keys/ed448_pkcs8.pem", SSH_ERR_KEY_TYPE_UNKNOWN },
		{ "keys/secp256k1_pkcs8.pem", SSH_ERR_KEY_TYPE_UNKNOWN },
		{ "keys/rsa512_pkcs8.pem", SSH_ERR_KEY_LENGTH },
		{ "keys/ed25519.pub", SSH_ERR_INVALID_FORMAT },
	};
	struct buf *file;
	struct sshkey *k = NULL;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		file = read_fixture(cases[i].file);
		ck_assert_msg(key_private_parse(file, NULL, &k, NULL) ==
		    cases[i].want, "%s", cases[i].file);
		ck_assert_ptr_null(k);
		buf_free(file);
	}
}
END_TEST

/* ssh-keygen -Z: files that ssh-keygen 9.2 encrypted with the AEAD ciphers. */
START_TEST(test_aead_fixtures)
{
	static const struct {
		const char	*file;
		const char	*comment;
	} cases[] = {
		{ "keys/ed25519_gcm", "gcm fixture" },
		{ "keys/ecdsa256_chacha", "chacha fixture" },
	};
	struct buf *file, *pubfile;
	struct sshkey *k, *pub;
	char *comment, *path, *text;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		file = read_fixture(cases[i].file);
		ck_assert(asprintf(&path, "%s.pub", cases[i].file) != -1);
		pubfile = read_fixture(path);
		ck_assert_ptr_nonnull(text = buf_dup_string(pubfile));
		ck_assert_int_eq(key_from_public_line(text, &pub, NULL), 0);
		ck_assert_int_eq(key_private_parse(file, NULL, &k, &comment),
		    SSH_ERR_KEY_WRONG_PASSPHRASE);
		ck_assert_int_eq(key_private_parse(file, "fixture pas", &k,
		    &comment), SSH_ERR_KEY_WRONG_PASSPHRASE);
		ck_assert_int_eq(key_private_parse(file, "fixture pass", &k,
		    &comment), 0);
		ck_assert_str_eq(comment, cases[i].comment);
		assert_signs_for(k, pub);
		key_free(k);
		free(comment);
		key_free(pub);
		free(text);
		free(path);
		buf_free(pubfile);
		buf_free(file);
	}
}
END_TEST

/* What we write with each -Z cipher reads back; a flipped tag byte fails. */
START_TEST(test_aead_roundtrip)
{
	static const char *const ciphers[] = {
		"aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
		"chacha20-poly1305@openssh.com", "aes256-cbc",
	};
	struct buf *file, *body, *bad;
	struct sshkey *k;
	char *comment;
	size_t i, j;

	for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		for (j = 0; j < NGEN; j++) {
			file = buf_new();
			ck_assert_int_eq(key_private_to_openssh_cipher(
			    gen_keys[j], PASS, "c", ciphers[i], file), 0);
			ck_assert_int_eq(key_private_parse(file, PASS, &k,
			    &comment), 0);
			ck_assert_int_eq(key_equal_public(k, gen_keys[j]), 0);
			ck_assert_str_eq(comment, "c");
			key_free(k);
			free(comment);
			if (j == 0 && strchr(ciphers[i], '@') != NULL) {
				body = unarmour(file);
				buf_mutable_ptr(body)[buf_len(body) - 1] ^= 1;
				bad = armour(body);
				ck_assert_int_eq(key_private_parse(bad, PASS,
				    &k, NULL), SSH_ERR_KEY_WRONG_PASSPHRASE);
				ck_assert_ptr_null(k);
				buf_free(bad);
				buf_free(body);
			}
			buf_free(file);
		}
	}
	file = buf_new();
	ck_assert_int_eq(key_private_to_openssh_cipher(gen_keys[0], PASS, "",
	    "none", file), SSH_ERR_KEY_UNKNOWN_CIPHER);
	ck_assert_int_eq(key_private_to_openssh_cipher(gen_keys[0], PASS, "",
	    "3des-cbc", file), SSH_ERR_KEY_UNKNOWN_CIPHER);
	ck_assert(!key_private_cipher_known("none"));
	ck_assert(key_private_cipher_known("chacha20-poly1305@openssh.com"));
	buf_free(file);
}
END_TEST

/*
 * A round count over KEY_KDF_MAX_ROUNDS is refused before the KDF runs
 * (the test would take minutes otherwise); the public half still reads.
 */
START_TEST(test_kdf_rounds_cap)
{
	/* magic, "aes256-ctr", "bcrypt", the kdf string's length, salt. */
	const size_t off = 15 + 4 + 10 + 4 + 6 + 4 + 4 + 16;
	static const uint32_t rounds[] = {
		KEY_KDF_MAX_ROUNDS + 1, 1u << 16, UINT32_MAX,
	};
	struct buf *file, *body, *bad;
	struct sshkey *k = NULL, *pub = NULL;
	uint32_t was;
	size_t i;

	file = buf_new();
	ck_assert_int_eq(key_private_to_openssh(gen_keys[0], PASS, "", file),
	    0);
	body = unarmour(file);
	ck_assert_int_eq(buf_peek_u32(body, off, &was), 0);
	ck_assert_uint_eq(was, 16);
	for (i = 0; i < sizeof(rounds) / sizeof(rounds[0]); i++) {
		ck_assert_int_eq(buf_poke_u32(body, off, rounds[i]), 0);
		bad = armour(body);
		ck_assert_int_eq(key_private_parse(bad, PASS, &k, NULL),
		    SSH_ERR_KEY_KDF_ROUNDS);
		ck_assert_int_eq(key_private_parse(bad, NULL, &k, NULL),
		    SSH_ERR_KEY_KDF_ROUNDS);
		ck_assert_ptr_null(k);
		ck_assert_int_eq(key_private_parse_public(bad, &pub), 0);
		ck_assert_int_eq(key_equal_public(pub, gen_keys[0]), 0);
		key_free(pub);
		buf_free(bad);
	}
	/* The field read is the one the KDF uses: 17 derives another key. */
	ck_assert_int_eq(buf_poke_u32(body, off, 17), 0);
	bad = armour(body);
	ck_assert_int_eq(key_private_parse(bad, PASS, &k, NULL),
	    SSH_ERR_KEY_WRONG_PASSPHRASE);
	buf_free(bad);
	buf_free(body);
	buf_free(file);
}
END_TEST

static Suite *
key_private_suite(void)
{
	Suite *s = suite_create("key_private");
	TCase *tc;

	tc = tcase_create("keys");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, gen_setup, gen_teardown);
	tcase_add_test(tc, test_private_roundtrip_plain);
	tcase_add_test(tc, test_private_roundtrip_passphrase);
	tcase_add_test(tc, test_private_wrong_passphrase);
	tcase_add_test(tc, test_private_layout);
	tcase_add_test(tc, test_private_truncations);
	tcase_add_test(tc, test_private_malformed);
	tcase_add_test(tc, test_private_crlf);
	tcase_add_test(tc, test_aead_roundtrip);
	tcase_add_test(tc, test_kdf_rounds_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_openssh_encrypted_fixture);
	tcase_add_test(tc, test_aead_fixtures);
	tcase_add_test(tc, test_pem_load);
	tcase_add_test(tc, test_pem_encrypted);
	tcase_add_test(tc, test_unsupported);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(key_private_suite());
}
