/*
 * check_key.c: SSH keys: generation, public blobs (round trips, truncations,
 * mutations, bad values), fingerprints, public lines and the fuzz corpus.
 */
#include <sys/types.h>
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/keytest.h"
#include "tests/unit/testutil.h"

START_TEST(test_generate_types)
{
	struct sshkey *k = NULL;
	size_t i;

	for (i = 0; i < NGEN; i++) {
		ck_assert_int_eq(key_type(gen_keys[i]), gen_types[i].type);
		ck_assert_str_eq(key_type_name(gen_keys[i]), gen_types[i].name);
		ck_assert_int_eq(key_type_from_name(gen_types[i].name),
		    gen_types[i].type);
		ck_assert(key_is_private(gen_keys[i]));
		ck_assert_ptr_nonnull(key_evp(gen_keys[i]));
	}
	ck_assert_uint_eq(key_bits(gen_keys[0]), 256);
	ck_assert_uint_eq(key_bits(gen_keys[3]), 521);
	ck_assert_uint_eq(key_bits(gen_keys[4]), 2048);
	ck_assert_str_eq(key_type_short(gen_keys[0]), "ED25519");
	ck_assert_str_eq(key_type_short(gen_keys[2]), "ECDSA");
	ck_assert_str_eq(key_type_short(gen_keys[4]), "RSA");
	ck_assert_int_eq(key_type_from_name("ssh-dss"), KEY_DSA);
	ck_assert_int_eq(key_type_from_name("ssh-dsa"), KEY_UNSPEC);
	/* ECDSA bits choose the curve. */
	ck_assert_int_eq(key_generate(KEY_ECDSA_P256, 384, &k), 0);
	ck_assert_int_eq(key_type(k), KEY_ECDSA_P384);
	key_free(k);
	ck_assert_int_eq(key_generate(KEY_ECDSA_P256, 300, &k),
	    SSH_ERR_KEY_LENGTH);
	ck_assert_ptr_null(k);
	ck_assert_int_eq(key_generate(KEY_RSA, 1024, &k), SSH_ERR_KEY_LENGTH);
	ck_assert_int_eq(key_generate(KEY_RSA, 16385, &k), SSH_ERR_KEY_LENGTH);
	ck_assert_int_eq(key_generate(KEY_UNSPEC, 0, &k),
	    SSH_ERR_KEY_TYPE_UNKNOWN);
	ck_assert_ptr_null(k);
}
END_TEST

START_TEST(test_rsa_default_bits)
{
	struct sshkey *k = NULL;

	ck_assert_int_eq(key_generate(KEY_RSA, 0, &k), 0);
	ck_assert_uint_eq(key_bits(k), 3072);
	key_free(k);
}
END_TEST

START_TEST(test_blob_roundtrip)
{
	struct buf *blob, *blob2;
	struct sshkey *k, *pub;
	size_t i;

	for (i = 0; i < NGEN; i++) {
		blob = buf_new();
		blob2 = buf_new();
		ck_assert_int_eq(key_to_blob(gen_keys[i], blob), 0);
		ck_assert_int_eq(key_from_blob(blob, &k), 0);
		ck_assert(!key_is_private(k));
		ck_assert_int_eq(key_type(k), gen_types[i].type);
		ck_assert_int_eq(key_to_blob(k, blob2), 0);
		ck_assert_int_eq(buf_equals(blob, blob2), 0);
		ck_assert_int_eq(key_equal_public(k, gen_keys[i]), 0);
		ck_assert_int_ne(key_equal_public(k, gen_keys[(i + 1) % NGEN]),
		    0);
		/* A public key cannot be written as a private key file. */
		ck_assert_int_eq(key_private_to_openssh(k, NULL, NULL, blob2),
		    SSH_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(key_demote(gen_keys[i], &pub), 0);
		ck_assert(!key_is_private(pub));
		ck_assert_int_eq(key_equal_public(pub, gen_keys[i]), 0);
		key_free(pub);
		key_free(k);
		/* A blob must be consumed exactly. */
		ck_assert_int_eq(buf_put_u8(blob, 0), 0);
		ck_assert_int_eq(key_from_blob(blob, &k),
		    SSH_ERR_UNEXPECTED_TRAILING_DATA);
		ck_assert_ptr_null(k);
		buf_free(blob);
		buf_free(blob2);
	}
}
END_TEST

START_TEST(test_blob_truncations)
{
	struct buf *blob, *cut;
	struct sshkey *k;
	size_t i, n;

	for (i = 0; i < NGEN; i++) {
		blob = buf_new();
		ck_assert_int_eq(key_to_blob(gen_keys[i], blob), 0);
		for (n = 0; n < buf_len(blob); n++) {
			cut = buf_from(buf_ptr(blob), n);
			k = NULL;
			ck_assert_msg(key_from_blob(cut, &k) < 0,
			    "type %zu accepted %zu/%zu", i, n, buf_len(blob));
			ck_assert_ptr_null(k);
			buf_free(cut);
		}
		buf_free(blob);
	}
}
END_TEST

/* Any blob that is accepted re-encodes to the same bytes. */
START_TEST(test_blob_mutations)
{
	struct buf *blob, *mut, *again;
	struct sshkey *k;
	size_t i, pos;
	int bit, r;

	for (i = 0; i < NGEN; i++) {
		blob = buf_new();
		ck_assert_int_eq(key_to_blob(gen_keys[i], blob), 0);
		for (pos = 0; pos < buf_len(blob); pos++) {
			for (bit = 0; bit < 8; bit += 3) {
				mut = buf_new();
				ck_assert_int_eq(buf_putb(mut, blob), 0);
				buf_mutable_ptr(mut)[pos] ^= (uint8_t)(1 << bit);
				k = NULL;
				r = key_from_blob(mut, &k);
				ck_assert(r <= 0 && r >= SSH_ERR_MIN);
				if (r == 0) {
					again = buf_new();
					ck_assert_int_eq(key_to_blob(k, again),
					    0);
					ck_assert_int_eq(buf_equals(again, mut),
					    0);
					buf_free(again);
				}
				key_free(k);
				buf_free(mut);
			}
		}
		buf_free(blob);
	}
}
END_TEST

/* Blobs for chosen numbers, to hit each RSA and ECDSA sanity check. */
static int
rsa_blob_result(const uint8_t *e, size_t elen, const uint8_t *n, size_t nlen)
{
	struct buf *b = buf_new();
	struct sshkey *k = NULL;
	int r;

	ck_assert_int_eq(buf_put_cstring(b, "ssh-rsa"), 0);
	ck_assert_int_eq(buf_put_bignum2_bytes(b, e, elen), 0);
	ck_assert_int_eq(buf_put_bignum2_bytes(b, n, nlen), 0);
	r = key_from_blob(b, &k);
	key_free(k);
	buf_free(b);
	return r;
}

START_TEST(test_blob_bad_values)
{
	static const uint8_t e65537[] = { 1, 0, 1 }, e1[] = { 1 };
	static const uint8_t eeven[] = { 1, 0, 0 };
	struct buf *blob = buf_new(), *b;
	struct sshkey *k = NULL;
	const uint8_t *q;
	uint8_t n[256];
	size_t qlen;

	memset(n, 0xc5, sizeof(n));
	ck_assert_int_eq(rsa_blob_result(e65537, 3, n, sizeof(n)), 0);
	ck_assert_int_eq(rsa_blob_result(e1, 1, n, sizeof(n)),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(rsa_blob_result(eeven, 3, n, sizeof(n)),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(rsa_blob_result(e65537, 3, n, 127),
	    SSH_ERR_KEY_LENGTH);
	n[255] = 0xc4;	/* even modulus */
	ck_assert_int_eq(rsa_blob_result(e65537, 3, n, sizeof(n)),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(rsa_blob_result(n, sizeof(n), n, sizeof(n)),
	    SSH_ERR_INVALID_FORMAT);	/* e >= n */

	/* ECDSA: name, curve, Q. */
	ck_assert_int_eq(key_to_blob(gen_keys[1], blob), 0);
	ck_assert_int_eq(buf_consume(blob, 4 + 19 + 4 + 8), 0);
	ck_assert_int_eq(buf_get_string_direct(blob, &q, &qlen), 0);
	ck_assert_uint_eq(qlen, 65);
#define EC_BLOB(name, curve, point, len, want) do {			\
	b = buf_new();							\
	ck_assert_int_eq(buf_put_cstring(b, name), 0);			\
	ck_assert_int_eq(buf_put_cstring(b, curve), 0);			\
	ck_assert_int_eq(buf_put_string(b, point, len), 0);		\
	ck_assert_int_eq(key_from_blob(b, &k), want);			\
	key_free(k);							\
	k = NULL;							\
	buf_free(b);							\
} while (0)
	{
		uint8_t p[65];

		EC_BLOB("ecdsa-sha2-nistp256", "nistp256", q, qlen, 0);
		EC_BLOB("ecdsa-sha2-nistp256", "nistp384", q, qlen,
		    SSH_ERR_EC_CURVE_MISMATCH);
		EC_BLOB("ecdsa-sha2-nistp384", "nistp384", q, qlen,
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		memcpy(p, q, sizeof(p));
		p[64] ^= 1;	/* off the curve */
		EC_BLOB("ecdsa-sha2-nistp256", "nistp256", p, qlen,
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		memcpy(p, q, sizeof(p));
		p[0] = 0x02;	/* compressed form is not SSH's */
		EC_BLOB("ecdsa-sha2-nistp256", "nistp256", p, qlen,
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		EC_BLOB("ecdsa-sha2-nistp256", "nistp256", p, 33,
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		p[0] = 0x00;	/* the point at infinity */
		EC_BLOB("ecdsa-sha2-nistp256", "nistp256", p, 1,
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		memset(p, 0, sizeof(p));
		p[0] = 0x04;	/* (0, 0) is not on P-256 */
		EC_BLOB("ecdsa-sha2-nistp256", "nistp256", p, 65,
		    SSH_ERR_KEY_INVALID_EC_VALUE);
		/* Ed25519 public keys are exactly 32 bytes. */
		EC_BLOB("ssh-ed25519", "", NULL, 0, SSH_ERR_INVALID_FORMAT);
		b = buf_new();
		ck_assert_int_eq(buf_put_cstring(b, "ssh-ed25519"), 0);
		ck_assert_int_eq(buf_put_string(b, p, 31), 0);
		ck_assert_int_eq(key_from_blob(b, &k), SSH_ERR_INVALID_FORMAT);
		buf_free(b);
		/* Unknown and certificate types. */
		b = buf_new();
		ck_assert_int_eq(buf_put_cstring(b, "ssh-dsa"), 0);
		ck_assert_int_eq(key_from_blob(b, &k), SSH_ERR_KEY_TYPE_UNKNOWN);
		buf_free(b);
		b = buf_new();
		ck_assert_int_eq(buf_put_cstring(b,
		    "ssh-ed25519-cert-v01@openssh.com"), 0);
		ck_assert_int_eq(key_from_blob(b, &k), SSH_ERR_KEY_TYPE_UNKNOWN);
		buf_free(b);
	}
#undef EC_BLOB
	ck_assert_ptr_null(k);
	buf_free(blob);
}
END_TEST

START_TEST(test_garbage)
{
	struct buf *b;
	struct sshkey *k;
	uint8_t data[512];
	char line[sizeof(data) + 1];
	size_t i, j, len;
	uint32_t x = 12345;

	for (i = 0; i < 2000; i++) {
		len = i % sizeof(data);
		for (j = 0; j < len; j++) {
			x = x * 1103515245 + 12345;
			data[j] = (uint8_t)(x >> 16);
		}
		b = buf_from(data, len);
		k = NULL;
		ck_assert_int_lt(key_from_blob(b, &k), 0);
		ck_assert_int_lt(key_private_parse(b, NULL, &k, NULL), 0);
		ck_assert_ptr_null(k);
		buf_free(b);
		for (j = 0; j < len; j++)
			line[j] = (char)(data[j] % 95 + 32);
		line[j] = '\0';
		ck_assert_int_lt(key_from_public_line(line, &k, NULL), 0);
		ck_assert_ptr_null(k);
	}
}
END_TEST

/* Fingerprints and public lines recorded from ssh-keygen 9.2. */
static const struct {
	const char	*file;
	const char	*fp;
	unsigned int	 bits;
} fixtures[] = {
	{ "keys/ed25519", "SHA256:nKRngk9rPuEMSjFJY1RC996i1UaXE7wa/1tN/Of4M3s",
	    256 },
	{ "keys/ecdsa256", "SHA256:bgDH4AXwblzImB+gkp0KqkUbanmCO0WxtICvbeiAi3U",
	    256 },
	{ "keys/ecdsa384", "SHA256:7voq2jRl26vkbqgNl6uHrw60BW1YfqfhP0lC1oPlyVI",
	    384 },
	{ "keys/ecdsa521", "SHA256:z8mG42CeDQj78gX8xhc+jy15hyZwx4f3JKKGdva4oq8",
	    521 },
	{ "keys/rsa2048", "SHA256:9JBryv0T8eNQrs71tgaFW8tA820FVf8/yJ1H/VXPvb8",
	    2048 },
	{ "keys/rsa1024", "SHA256:CZ6ZGBZilSgFcUM/GQa6E8804I89UmBgDfS7gHULAVs",
	    1024 },
};

START_TEST(test_fingerprint_known)
{
	struct buf *file, *pubfile, *line;
	struct sshkey *k, *pub;
	char *fp, *comment, path[256], *pubtext;
	size_t i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		file = read_fixture(fixtures[i].file);
		ck_assert_int_eq(key_private_parse(file, NULL, &k, &comment), 0);
		ck_assert_int_eq(key_fingerprint(k, &fp), 0);
		ck_assert_str_eq(fp, fixtures[i].fp);
		ck_assert_uint_eq(key_bits(k), fixtures[i].bits);
		free(fp);
		/* The header's public key without decrypting, too. */
		ck_assert_int_eq(key_private_parse_public(file, &pub), 0);
		ck_assert(!key_is_private(pub));
		ck_assert_int_eq(key_equal_public(pub, k), 0);
		key_free(pub);
		/* Our public line is byte for byte ssh-keygen's .pub file. */
		snprintf(path, sizeof(path), "%s.pub", fixtures[i].file);
		pubfile = read_fixture(path);
		line = buf_new();
		ck_assert_int_eq(key_to_public_line(k, comment, line), 0);
		ck_assert_int_eq(buf_equals(line, pubfile), 0);
		ck_assert_ptr_nonnull(pubtext = buf_dup_string(pubfile));
		ck_assert_int_eq(key_from_public_line(pubtext, &pub, NULL), 0);
		ck_assert_int_eq(key_equal_public(pub, k), 0);
		key_free(pub);
		free(pubtext);
		buf_free(line);
		buf_free(pubfile);
		free(comment);
		key_free(k);
		buf_free(file);
	}
}
END_TEST

START_TEST(test_public_line)
{
	struct buf *line = buf_new();
	struct sshkey *k = NULL;
	char *text, *comment = NULL, bad[256];
	size_t i;

	for (i = 0; i < NGEN; i++) {
		buf_reset(line);
		ck_assert_int_eq(key_to_public_line(gen_keys[i], "me@host",
		    line), 0);
		ck_assert_ptr_nonnull(text = buf_dup_string(line));
		ck_assert(strncmp(text, gen_types[i].name,
		    strlen(gen_types[i].name)) == 0);
		ck_assert(strstr(text, " me@host\n") != NULL);
		ck_assert_int_eq(key_from_public_line(text, &k, &comment), 0);
		ck_assert_str_eq(comment, "me@host");
		ck_assert_int_eq(key_equal_public(k, gen_keys[i]), 0);
		key_free(k);
		free(comment);
		free(text);
	}
	/* No comment: none is written and NULL comes back. */
	buf_reset(line);
	ck_assert_int_eq(key_to_public_line(gen_keys[0], "", line), 0);
	ck_assert_ptr_nonnull(text = buf_dup_string(line));
	ck_assert_ptr_null(strchr(strchr(text, ' ') + 1, ' '));
	ck_assert_int_eq(key_from_public_line(text, &k, &comment), 0);
	ck_assert_ptr_null(comment);
	key_free(k);
	ck_assert_int_eq(key_to_public_line(gen_keys[0], "a\nb", line),
	    SSH_ERR_INVALID_ARGUMENT);
	/* The type word must match the blob. */
	ck_assert_int_lt(snprintf(bad, sizeof(bad), "ssh-rsa%s",
	    strchr(text, ' ')), (int)sizeof(bad));
	ck_assert_int_eq(key_from_public_line(bad, &k, NULL),
	    SSH_ERR_KEY_TYPE_MISMATCH);
	ck_assert_int_eq(key_from_public_line("ssh-dsa AAAA", &k, NULL),
	    SSH_ERR_KEY_TYPE_UNKNOWN);
	ck_assert_int_eq(key_from_public_line("ssh-ed25519", &k, NULL),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(key_from_public_line("ssh-ed25519 !!!!", &k, NULL),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_int_eq(key_from_public_line("", &k, NULL),
	    SSH_ERR_INVALID_FORMAT);
	/* Leading blanks and a comment with spaces. */
	snprintf(bad, sizeof(bad), "  %.*s  two words\r\n",
	    (int)strcspn(text, "\n"), text);
	ck_assert_int_eq(key_from_public_line(bad, &k, &comment), 0);
	ck_assert_str_eq(comment, "two words");
	key_free(k);
	free(comment);
	free(text);
	buf_free(line);
}
END_TEST

/*
 * The fuzzer's seed corpus, replayed: each seed is accepted by the parser
 * its name says (blob_, line_, encrypted_ needing a passphrase, else a
 * private key file), so the corpus stays a set of valid starting points.
 */
START_TEST(test_fuzz_corpus)
{
	struct buf *b;
	struct sshkey *k;
	struct dirent *de;
	char path[512], *text;
	DIR *d;
	size_t n = 0;

	ck_assert_ptr_nonnull(d = opendir(tu_path("fuzz/corpus/key")));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "fuzz/corpus/key/%s", de->d_name);
		b = read_fixture(path);
		k = NULL;
		if (strncmp(de->d_name, "blob_", 5) == 0)
			ck_assert_int_eq(key_from_blob(b, &k), 0);
		else if (strncmp(de->d_name, "line_", 5) == 0) {
			ck_assert_ptr_nonnull(text = buf_dup_string(b));
			ck_assert_int_eq(key_from_public_line(text, &k, NULL),
			    0);
			free(text);
		} else if (strncmp(de->d_name, "encrypted_", 10) == 0) {
			ck_assert_int_eq(key_private_parse(b, NULL, &k, NULL),
			    SSH_ERR_KEY_WRONG_PASSPHRASE);
			ck_assert_int_eq(key_private_parse_public(b, &k), 0);
		} else
			ck_assert_msg(key_private_parse(b, NULL, &k, NULL) == 0,
			    "%s", de->d_name);
		ck_assert_ptr_nonnull(k);
		key_free(k);
		buf_free(b);
		n++;
	}
	closedir(d);
	ck_assert_uint_ge(n, 5);
}
END_TEST

static Suite *
key_suite(void)
{
	Suite *s = suite_create("key");
	TCase *tc;

	tc = tcase_create("keys");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, gen_setup, gen_teardown);
	tcase_add_test(tc, test_generate_types);
	tcase_add_test(tc, test_rsa_default_bits);
	tcase_add_test(tc, test_blob_roundtrip);
	tcase_add_test(tc, test_blob_truncations);
	tcase_add_test(tc, test_blob_mutations);
	tcase_add_test(tc, test_blob_bad_values);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_public_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fingerprint_known);
	tcase_add_test(tc, test_fuzz_corpus);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(key_suite());
}
