/*
 * check_key_convert.c: public keys in RFC 4716 and PEM form (ssh-keygen -e
 * and -i): ssh-keygen's own output read, ours read back, and malformed
 * inputs refused.
 */
#include <sys/types.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"
#include "tests/unit/keytest.h"
#include "tests/unit/testutil.h"

/* The key of an authorized_keys-style fixture. */
static struct sshkey *
pub_fixture(const char *name)
{
	struct buf *b = read_fixture(name);
	struct sshkey *k = NULL;
	char *text;

	ck_assert_ptr_nonnull(text = buf_dup_string(b));
	ck_assert_int_eq(key_from_public_line(text, &k, NULL), 0);
	free(text);
	buf_free(b);
	return k;
}

static struct buf *
text_buf(const char *s)
{
	struct buf *b = buf_from(s, strlen(s));

	ck_assert_ptr_nonnull(b);
	return b;
}

static int
parse_rfc4716_text(const char *s, struct sshkey **kp, char **commentp)
{
	struct buf *b = text_buf(s);
	int r = key_from_rfc4716(b, kp, commentp);

	buf_free(b);
	return r;
}

/* What ssh-keygen 9.2 -e printed for two of the fixtures. */
START_TEST(test_rfc4716_ssh_keygen)
{
	static const char *const names[] = { "keys/ed25519", "keys/rsa2048" };
	struct buf *file;
	struct sshkey *k, *want;
	char *comment, *path;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ck_assert(asprintf(&path, "%s.rfc4716", names[i]) != -1);
		file = read_fixture(path);
		free(path);
		ck_assert(asprintf(&path, "%s.pub", names[i]) != -1);
		want = pub_fixture(path);
		free(path);
		ck_assert_int_eq(key_from_rfc4716(file, &k, &comment), 0);
		ck_assert_int_eq(key_equal_public(k, want), 0);
		ck_assert_ptr_nonnull(strstr(comment, "-bit "));
		ck_assert_ptr_null(strchr(comment, '"'));
		key_free(k);
		key_free(want);
		free(comment);
		buf_free(file);
	}
}
END_TEST

/* Ours: 70 base64 columns, the Comment header, and it reads back. */
START_TEST(test_rfc4716_roundtrip)
{
	struct buf *out;
	struct sshkey *k;
	char *text, *line, *next, *comment;
	size_t i;

	for (i = 0; i < NGEN; i++) {
		out = buf_new();
		ck_assert_int_eq(key_to_rfc4716(gen_keys[i], "a comment", out),
		    0);
		ck_assert_ptr_nonnull(text = buf_dup_string(out));
		ck_assert_int_eq(strncmp(text, "---- BEGIN SSH2 PUBLIC KEY ----\n"
		    "Comment: \"a comment\"\n", 53), 0);
		for (line = text; *line != '\0'; line = next) {
			next = strchr(line, '\n');
			ck_assert_ptr_nonnull(next);
			ck_assert_int_le(next - line, 70);
			next++;
		}
		ck_assert_int_eq(key_from_rfc4716(out, &k, &comment), 0);
		ck_assert_int_eq(key_equal_public(k, gen_keys[i]), 0);
		ck_assert_str_eq(comment, "a comment");
		key_free(k);
		free(comment);
		free(text);
		buf_reset(out);
		/* Without a comment, no header at all. */
		ck_assert_int_eq(key_to_rfc4716(gen_keys[i], NULL, out), 0);
		ck_assert_int_eq(key_from_rfc4716(out, &k, &comment), 0);
		ck_assert_ptr_null(comment);
		key_free(k);
		buf_free(out);
	}
	out = buf_new();
	ck_assert_int_eq(key_to_rfc4716(gen_keys[0], "two\nlines", out),
	    SSH_ERR_INVALID_ARGUMENT);
	buf_free(out);
}
END_TEST

#define ED_B64 "AAAAC3NzaC1lZDI1NTE5AAAAIP11BBjRHuAM3WppClax/m+5m04YE3fqOHXNN7iD1AvJ"
#define BEGIN "---- BEGIN SSH2 PUBLIC KEY ----"
#define END "---- END SSH2 PUBLIC KEY ----"

/* RFC 4716 section 3: continued headers, other tags, line endings. */
START_TEST(test_rfc4716_syntax)
{
	static const struct {
		const char	*text;
		const char	*comment;	/* NULL: none */
	} good[] = {
		{ BEGIN "\n" ED_B64 "\n" END "\n", NULL },
		{ BEGIN "\r\n" ED_B64 "\r\n" END "\r\n", NULL },
		{ BEGIN "\n" ED_B64 "\n" END, NULL },
		{ BEGIN "\nComment: plain\n" ED_B64 "\n" END "\n", "plain" },
		{ BEGIN "\ncomment: \"quoted\"\n" ED_B64 "\n" END "\n",
		    "quoted" },
		{ BEGIN "\nComment: \"one \\\ntwo\"\n" ED_B64 "\n" END "\n",
		    "one two" },
		{ BEGIN "\nSubject: me\nx-Tag: a: b\nComment: c\n"
		    ED_B64 "\n" END "\n\n", "c" },
		{ BEGIN "\nx-Long: a\\\nb: c\\\nd\n" ED_B64 "\n" END "\n",
		    NULL },
		/* Broken anywhere into lines. */
		{ BEGIN "\nAAAAC3NzaC1lZDI1NTE5AAAAIP11\nBBjRHuAM3WppClax/m+5m04"
		    "YE3fqOHXNN7iD1AvJ\n" END "\n", NULL },
	};
	struct sshkey *k, *want = pub_fixture("keys/ed25519.pub");
	char *comment;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(parse_rfc4716_text(good[i].text, &k, &comment) ==
		    0, "case %zu", i);
		ck_assert_int_eq(key_equal_public(k, want), 0);
		if (good[i].comment == NULL)
			ck_assert_ptr_null(comment);
		else
			ck_assert_str_eq(comment, good[i].comment);
		key_free(k);
		free(comment);
	}
	key_free(want);
}
END_TEST

START_TEST(test_rfc4716_malformed)
{
	static const char *const bad[] = {
		"",
		"\n",
		ED_B64 "\n",
		"ssh-ed25519 " ED_B64 " comment\n",
		"---- BEGIN SSH2 PRIVATE KEY ----\n" ED_B64 "\n"
		    "---- END SSH2 PRIVATE KEY ----\n",
		"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n" ED_B64 "\n"
		    "---- END SSH2 ENCRYPTED PRIVATE KEY ----\n",
		" " BEGIN "\n" ED_B64 "\n" END "\n",
		/* No end line: truncated. */
		BEGIN "\n" ED_B64 "\n",
		BEGIN "\n" ED_B64,
		BEGIN "\nComment: a\\\n",
		/* Truncated or damaged base64. */
		BEGIN "\nAAAAC3NzaC1lZDI1NTE5AAAAIP11BBjRHuAM3WppClax\n"
		    END "\n",
		BEGIN "\nAAAAC3NzaC1lZDI1NTE5AAAAIP11BBjRHuAM3WppClax/m+5m04YE3"
		    "fqOHXNN7iD1Av\n" END "\n",
		BEGIN "\nAAAAC3NzaC1lZDI1NTE5AAAAIP11BBjRHuAM3Wpp*lax/m+5m04YE3"
		    "fqOHXNN7iD1AvJ\n" END "\n",
		BEGIN "\n" ED_B64 "AAAA\n" END "\n",
		BEGIN "\n" END "\n",
		BEGIN "\nComment: c\n" END "\n",
		/* Headers: after the body, no space, empty or long tag. */
		BEGIN "\n" ED_B64 "\nComment: late\n" END "\n",
		BEGIN "\nComment:x\n" ED_B64 "\n" END "\n",
		BEGIN "\nComment:\n" ED_B64 "\n" END "\n",
		BEGIN "\n: x\n" ED_B64 "\n" END "\n",
		BEGIN "\nA Tag: x\n" ED_B64 "\n" END "\n",
		BEGIN "\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxx: x\n" ED_B64 "\n" END "\n",
		/* Other end lines, and anything after the end. */
		BEGIN "\n" ED_B64 "\n---- END SSH2 PRIVATE KEY ----\n",
		BEGIN "\n" ED_B64 "\n" END " \n",
		BEGIN "\n" ED_B64 "\n" END "\nssh-ed25519 AAAA\n",
		BEGIN "\n" ED_B64 "\n" END "\n" BEGIN "\n" ED_B64 "\n" END
		    "\n",
	};
	struct sshkey *k = NULL;
	char *comment = NULL;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse_rfc4716_text(bad[i], &k, &comment) != 0,
		    "case %zu accepted", i);
		ck_assert_ptr_null(k);
		ck_assert_ptr_null(comment);
	}
}
END_TEST

/* Bounds: a header value, a line, the whole input; NUL bytes. */
START_TEST(test_rfc4716_limits)
{
	struct buf *b;
	struct sshkey *k = NULL;
	char *comment = NULL;
	size_t i;

	/* A 1024-byte value, continued over lines, is the most allowed. */
	b = buf_new();
	ck_assert_int_eq(buf_putf(b, "%s\nComment: ", BEGIN), 0);
	for (i = 0; i < 16; i++)
		ck_assert_int_eq(buf_putf(b, "%064d\\\n", 0), 0);
	ck_assert_int_eq(buf_putf(b, "\n%s\n%s\n", ED_B64, END), 0);
	ck_assert_int_eq(key_from_rfc4716(b, &k, &comment), 0);
	ck_assert_uint_eq(strlen(comment), 1024);
	key_free(k);
	free(comment);
	buf_free(b);
	b = buf_new();
	ck_assert_int_eq(buf_putf(b, "%s\nComment: ", BEGIN), 0);
	for (i = 0; i < 16; i++)
		ck_assert_int_eq(buf_putf(b, "%064d\\\n", 0), 0);
	ck_assert_int_eq(buf_putf(b, "x\n%s\n%s\n", ED_B64, END), 0);
	ck_assert_int_ne(key_from_rfc4716(b, &k, &comment), 0);
	buf_free(b);
	/* One overlong base64 line. */
	b = buf_new();
	ck_assert_int_eq(buf_putf(b, "%s\n", BEGIN), 0);
	for (i = 0; i < 40; i++)
		ck_assert_int_eq(buf_putf(b, "%s", ED_B64), 0);
	ck_assert_int_eq(buf_putf(b, "\n%s\n", END), 0);
	ck_assert_int_ne(key_from_rfc4716(b, &k, &comment), 0);
	buf_free(b);
	/* More than KEY_CONVERT_MAX_INPUT in all. */
	b = buf_new();
	ck_assert_int_eq(buf_putf(b, "%s\n", BEGIN), 0);
	while (buf_len(b) <= KEY_CONVERT_MAX_INPUT)
		ck_assert_int_eq(buf_putf(b, "%s\n", ED_B64), 0);
	ck_assert_int_eq(buf_putf(b, "%s\n", END), 0);
	ck_assert_int_eq(key_from_rfc4716(b, &k, &comment),
	    SSH_ERR_LIMIT_EXCEEDED);
	buf_free(b);
	/* A NUL inside. */
	b = buf_new();
	ck_assert_int_eq(buf_putf(b, "%s\nComment: a", BEGIN), 0);
	ck_assert_int_eq(buf_put_u8(b, 0), 0);
	ck_assert_int_eq(buf_putf(b, "b\n%s\n%s\n", ED_B64, END), 0);
	ck_assert_int_ne(key_from_rfc4716(b, &k, &comment), 0);
	buf_free(b);
	ck_assert_ptr_null(k);
	ck_assert_ptr_null(comment);
}
END_TEST

/* ssh-keygen -e -m PKCS8 / PEM output, and ours read back. */
START_TEST(test_pem_public)
{
	struct buf *file, *out;
	struct sshkey *k, *want;
	size_t i;

	file = read_fixture("keys/ecdsa384_spki.pem");
	want = pub_fixture("keys/ecdsa384.pub");
	ck_assert_int_eq(key_from_pem_public(file, KEY_PEM_PKCS8, &k), 0);
	ck_assert_int_eq(key_equal_public(k, want), 0);
	key_free(k);
	ck_assert_int_eq(key_from_pem_public(file, KEY_PEM_PEM, &k), 0);
	key_free(k);
	key_free(want);
	buf_free(file);

	file = read_fixture("keys/rsa2048_pkcs1.pem");
	want = pub_fixture("keys/rsa2048.pub");
	ck_assert_int_eq(key_from_pem_public(file, KEY_PEM_PEM, &k), 0);
	ck_assert_int_eq(key_equal_public(k, want), 0);
	key_free(k);
	/* PKCS#1 is not what -m PKCS8 means. */
	ck_assert_int_eq(key_from_pem_public(file, KEY_PEM_PKCS8, &k),
	    SSH_ERR_INVALID_FORMAT);
	ck_assert_ptr_null(k);
	key_free(want);
	buf_free(file);

	for (i = 0; i < NGEN; i++) {
		out = buf_new();
		ck_assert_int_eq(key_to_pem_public(gen_keys[i], KEY_PEM_PKCS8,
		    out), 0);
		ck_assert_int_eq(memcmp(buf_ptr(out),
		    "-----BEGIN PUBLIC KEY-----\n", 27), 0);
		ck_assert_int_eq(key_from_pem_public(out, KEY_PEM_PKCS8, &k),
		    0);
		ck_assert_int_eq(key_equal_public(k, gen_keys[i]), 0);
		key_free(k);
		buf_reset(out);
		ck_assert_int_eq(key_to_pem_public(gen_keys[i], KEY_PEM_PEM,
		    out), 0);
		ck_assert_int_eq(memcmp(buf_ptr(out),
		    gen_types[i].type == KEY_RSA ?
		    "-----BEGIN RSA PUBLIC KEY-----\n" :
		    "-----BEGIN PUBLIC KEY-----\n",
		    gen_types[i].type == KEY_RSA ? 31 : 27), 0);
		ck_assert_int_eq(key_from_pem_public(out, KEY_PEM_PEM, &k), 0);
		ck_assert_int_eq(key_equal_public(k, gen_keys[i]), 0);
		key_free(k);
		buf_free(out);
	}
}
END_TEST

START_TEST(test_pem_public_malformed)
{
	static const char *const fixtures[] = {
		"keys/ec_sec1.pem", "keys/rsa_pkcs8.pem", "keys/rsa_pkcs1.pem",
		"keys/ed25519", "keys/ed25519.pub", "keys/ed25519.rfc4716",
		"keys/dsa_pkcs8.pem",
	};
	struct buf *file, *two;
	struct sshkey *k = NULL;
	size_t i, len;
	char *text;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		file = read_fixture(fixtures[i]);
		ck_assert_msg(key_from_pem_public(file, KEY_PEM_PEM, &k) != 0,
		    "%s", fixtures[i]);
		ck_assert_msg(key_from_pem_public(file, KEY_PEM_PKCS8, &k) !=
		    0, "%s", fixtures[i]);
		ck_assert_ptr_null(k);
		buf_free(file);
	}
	file = read_fixture("keys/ecdsa384_spki.pem");
	/* Two blocks. */
	two = buf_new();
	ck_assert_int_eq(buf_putb(two, file), 0);
	ck_assert_int_eq(buf_putb(two, file), 0);
	ck_assert_int_ne(key_from_pem_public(two, KEY_PEM_PKCS8, &k), 0);
	buf_free(two);
	/* Cut short anywhere. */
	ck_assert_ptr_nonnull(text = buf_dup_string(file));
	len = strlen(text);
	for (i = 0; i < len - 2; i += 7) {
		two = buf_from(text, i);
		ck_assert_msg(key_from_pem_public(two, KEY_PEM_PKCS8, &k) != 0,
		    "cut at %zu", i);
		buf_free(two);
	}
	/* Base64 damaged. */
	text[40] = '*';
	two = buf_from(text, len);
	ck_assert_int_ne(key_from_pem_public(two, KEY_PEM_PKCS8, &k), 0);
	buf_free(two);
	/* Oversized. */
	two = buf_new();
	ck_assert_int_eq(buf_putb(two, file), 0);
	while (buf_len(two) <= KEY_CONVERT_MAX_INPUT)
		ck_assert_int_eq(buf_putf(two, "\n"), 0);
	ck_assert_int_eq(key_from_pem_public(two, KEY_PEM_PKCS8, &k),
	    SSH_ERR_LIMIT_EXCEEDED);
	buf_free(two);
	ck_assert_ptr_null(k);
	free(text);
	buf_free(file);
}
END_TEST

static Suite *
key_convert_suite(void)
{
	Suite *s = suite_create("key_convert");
	TCase *tc;

	tc = tcase_create("convert");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, gen_setup, gen_teardown);
	tcase_add_test(tc, test_rfc4716_ssh_keygen);
	tcase_add_test(tc, test_rfc4716_roundtrip);
	tcase_add_test(tc, test_rfc4716_syntax);
	tcase_add_test(tc, test_rfc4716_malformed);
	tcase_add_test(tc, test_rfc4716_limits);
	tcase_add_test(tc, test_pem_public);
	tcase_add_test(tc, test_pem_public_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(key_convert_suite());
}
